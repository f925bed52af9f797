/* nb-procedure.h: the calibration procedure of one station (a pen and the reference fixture it
 * is mounted on), an explicit state machine whose every state is a named function and whose
 * every transition is reported and stored (docs/calibration-method.md):
 *
 *   identify → pre-checks → warm-up → as-found → decide → adjust → write → as-left → decide → done
 *
 * identify:   open the pen and the fixture, IDENTIFY both (the fixture must carry REFERENCE, the
 *             pen must not), read the pen's table in force ("before").
 * pre-checks: a reference standard in force and not past due for the fixture's serial
 *             (nb_store_standard_check), a cartridge in, every profile depth and rate within the
 *             pen's range (and the fixture's measuring range), the environment within the
 * profile's. warm-up:    both streams on, the motor on at the first point, strokes seen on both
 * streams. as-found:   per point: SET_DEPTH, SET_RATE, settle (the profile's settle_s, counted in
 * the reference's samples, so it holds at any sim time-scale), n strokes on the reference, the
 * pen's own strokes paired with them; statistics, GUM uncertainty, verdict. decide:     the run's
 * verdict so far; with --no-adjust the run ends here (incoming inspection). adjust:     a depth
 * correction fitted from measured against set depth (linear least squares, or per point where the
 * residuals demand it) composed with the table in force, and a rate correction. write: CAL_WRITE,
 * CAL_COMMIT, CAL_READ and a byte-for-byte comparison (the "after" table). as-left:    as as-found,
 * with the new table in force. done:       motor off, streams off, the run closed in the store with
 * its result document.
 *
 * Any error or a cancellation on the way stops the motor (MOTOR_STOP, confirmed), ends the run as
 * failed or cancelled with a clear message and stores it as such; a pen reset or a lost link
 * during write leaves the pen with its previous table (the protocol's atomic commit).
 *
 * Threads: nb_procedure_run () blocks; run it in a thread of its own (a GTask in the app, one
 * thread per station in the CLI). It pushes a GMainContext of its own as the thread default and
 * opens the devices there, so several stations run side by side without sharing anything but the
 * database file. Callbacks are called in that thread. */
#pragma once

#include <gio/gio.h>

#include "nb-decision.h"
#include "nb-profile.h"
#include "nb-run-result.h"
#include "nb-stroke.h"

G_BEGIN_DECLS

#define NB_PROCEDURE_ERROR (nb_procedure_error_quark ())
GQuark nb_procedure_error_quark (void);

typedef enum
{
  NB_PROCEDURE_ERROR_NOT_REFERENCE, /* the fixture is not a REFERENCE device, or the pen is one */
  NB_PROCEDURE_ERROR_PRE_CHECK,    /* a pre-check failed (profile out of range, environment, …) */
  NB_PROCEDURE_ERROR_MEASUREMENT,  /* a point could not be measured (too few strokes, lost
                                    * samples, the two streams' strokes do not pair) */
  NB_PROCEDURE_ERROR_ADJUST,       /* no correction fits (out of the pen's correction limits) */
  NB_PROCEDURE_ERROR_NO_CARTRIDGE, /* the pen senses no cartridge: a state of the device, not a
                                    * wrong request (the CLI's exit 3, as for a jam) */
} NbProcedureError;

typedef enum
{
  NB_PROCEDURE_IDENTIFY,
  NB_PROCEDURE_PRE_CHECKS,
  NB_PROCEDURE_WARM_UP,
  NB_PROCEDURE_AS_FOUND,
  NB_PROCEDURE_DECIDE_AS_FOUND,
  NB_PROCEDURE_ADJUST,
  NB_PROCEDURE_WRITE,
  NB_PROCEDURE_AS_LEFT,
  NB_PROCEDURE_DECIDE_AS_LEFT,
  NB_PROCEDURE_DONE,
  NB_PROCEDURE_FAILED,
  NB_PROCEDURE_CANCELLED,
} NbProcedureState;

/* "identify", "pre-checks", "warm-up", "as-found", "decide-as-found", "adjust", "write",
 * "as-left", "decide-as-left", "done", "failed", "cancelled" (as stored with the run). */
const char *nb_procedure_state_to_string (NbProcedureState state);

typedef struct
{
  const char *pen_uri;      /* required */
  const char *fixture_uri;  /* required unless reference_pen */
  gboolean reference_pen;   /* --reference pen: the pen's own sensor is the reference; every
                             * result is marked "not traceable: pen self-check" */
  const NbProfile *profile; /* required; not modified */
  gboolean rule_given;      /* use @rule instead of the profile's */
  NbDecisionRule rule;
  gboolean no_adjust;        /* as-found only */
  const char *operator_name; /* NULL: the login name */
  const char *store_path;    /* NULL: nb_store_get_default_path () */
  double temperature_c;      /* NaN: not measured */
  double humidity_pct;       /* NaN: not measured */
} NbProcedureOptions;

/* Progress, called in the procedure's thread. Any member may be NULL. */
typedef struct
{
  /* a state is entered (a transition, stored as such); @detail is why: what the state before it
   * found ("as found fail: adjusting", the correction about to be written, "table … read back
   * identical"), or why the run failed (may be NULL) */
  void (*state) (NbProcedureState state, const char *detail, gpointer user_data);
  /* a point starts to be measured: @index of @total in its phase */
  void (*point_started) (NbRunPhase phase, guint index, guint total, double depth_mm,
                         double rate_hz, gpointer user_data);
  /* one stroke of the point being measured, as the reference saw it */
  void (*stroke) (const NbStroke *stroke, gpointer user_data);
  /* a depth point is done (rate points are done with the last depth point of their rate); also
   * called for each rate point, then with its depth_mm NaN and @index of @total rate points */
  void (*point_done) (NbRunPhase phase, guint index, guint total, const NbRunPoint *point,
                      gpointer user_data);
  /* the pen (and the fixture, NULL in a self-check) answered IDENTIFY: their serials, so that
   * progress can name the station (added for the CLI's several stations) */
  void (*identified) (const char *pen_serial, const char *fixture_serial, gpointer user_data);
} NbProcedureCallbacks;

/* nb_procedure_run: (transfer full) runs the procedure on one station and stores it. Returns
 * the result (also that of a failed or cancelled run: its status and error say so), or NULL only
 * when no run could begin (invalid options, the database cannot be opened, the pen or the
 * fixture cannot be opened or identified). @error is set whenever the status is not complete:
 * NB_STORE_ERROR_NO_STANDARD / _STANDARD_EXPIRED, NB_PROCEDURE_ERROR, NB_DEVICE_ERROR (lost,
 * jam, reset, …), G_IO_ERROR_CANCELLED.
 *
 * What the result says beyond its fields' own comments (docs/calibration-method.md §8):
 * - an as-found pass with adjustment asked for ends the run there: nothing is written, adjusted
 *   is FALSE and as_left NULL (the transition to done says "no adjustment needed");
 * - a fixture with no certificate on record at all begins an untraceable run (traceable FALSE,
 *   nothing to trace it to), which then fails its pre-checks with NB_STORE_ERROR_NO_STANDARD;
 * - a run that fails in a phase keeps the points measured before the failure;
 * - each transition's detail says what led to it ("as found fail: adjusting", the table
 *   written, the error that ended the run). */
NbRunResult *nb_procedure_run (const NbProcedureOptions *options,
                               const NbProcedureCallbacks *callbacks, gpointer user_data,
                               GCancellable *cancellable, GError **error);

/* nb_procedure_physical_time_s: what the pen physically needs for @profile: the sum over the
 * points of settle_s + strokes_per_point / rate, once for as-found and, unless @no_adjust,
 * again for as-left. The bench compares a run's wall time against it. */
double nb_procedure_physical_time_s (const NbProfile *profile, gboolean no_adjust);

G_END_DECLS
