/* procedure-harness.h: what the procedure's tests (test-procedure.c, test-procedure-errors.c)
 * share: a simulated station (an in-process pen with its EEPROM and status file, the fixture
 * mounted on it) with a temporary database holding a standard for the fixture, a run of the
 * procedure on it, and readers of the stored run. */
#pragma once

#include "nb-device.h"
#include "nb-procedure.h"
#include "nb-sim-transport.h"
#include "nb-store-runs.h"
#include "nb-store-standards.h"

/* the pens' time-scale: 10, or NB_TEST_TIME_SCALE (1: real time, for a figure of the overhead a
 * bench sees) */
extern int time_scale;
#define FIXTURE_SERIAL "NB-FIX-SIM-0001"
/* a pen that delivers what it is set to (noise and stroke scatter as the sim's defaults) */
#define PERFECT "depth-offset=0,depth-gain=1,nonlinearity=0,drift=0,rate-error=0,rate-loss=0"

typedef struct
{
  char *dir;
  char *db;
  char *eeprom;
  char *status;
  NbProfile *profile;
  GPtrArray *states;          /* (element-type utf8) the states entered, in order */
  gint64 warm_up_us, done_us; /* when warm-up and the final state were entered */
  GCancellable *cancel;
  int cancel_at_point; /* as-found point index at which to cancel; -1: never */
} Station;

/* Points of a stored run, by kind. */
typedef struct
{
  guint as_found, as_left, rate;
  double largest_pen_gap; /* |pen − reference| of the largest per-stroke difference */
} PointCount;

/* harness_init: g_test_init, the in-process sim, NB_TEST_TIME_SCALE. */
void harness_init (int *argc, char ***argv);
/* add_standard: a standard in force for FIXTURE_SERIAL (certificate LAB-2026-0815, U 0.002 mm,
 * k 2, due 2099-12-31) in the database @db. */
void add_standard (const char *db);
/* load_profile: (transfer full) the shipped profile @id (NB_PROFILES_PATH). */
NbProfile *load_profile (const char *id);
/* station_init: a temporary directory with the database (and a standard when @with_standard),
 * and @profile_id loaded (NULL: none; set st->profile yourself). station_clear removes it all. */
void station_init (Station *st, const char *profile_id, gboolean with_standard);
void station_clear (Station *st);
/* pen_uri: (transfer full) the station's pen @serial with @keys at the time-scale. */
char *pen_uri (Station *st, const char *serial, const char *keys);
/* run: the procedure on pen @serial with @keys and the fixture mounted on it (none with
 * @reference_pen); *@wall_s (may be NULL): its wall time. */
NbRunResult *run (Station *st, const char *serial, const char *keys, gboolean reference_pen,
                  gboolean no_adjust, double *wall_s, GError **error);
/* saw_state: the last run entered state @name */
gboolean saw_state (Station *st, const char *name);
/* assert_motor_off: the pen's status file says motor=0 stream=0 */
void assert_motor_off (Station *st);
/* the stored run @id, its points by kind, its transitions ("state: detail") */
NbStoreRun *stored_run (Station *st, gint64 id);
PointCount stored_points (Station *st, gint64 id);
GPtrArray *stored_transitions (Station *st, gint64 id);
/* print_points: the figures of a phase, as test messages */
void print_points (const char *what, const NbRunPhaseResult *phase);
/* print_overhead: the wall time against the physical time (issue 10 §2), as a test message */
void print_overhead (const Station *st, gboolean no_adjust, double wall_s);
