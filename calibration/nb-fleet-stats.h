/* nb-fleet-stats.h: statistics across many calibration runs (issue 13 §2): per pen its
 * calibration history, the drift of its as-found error between calibrations and a calibration
 * interval recommended from that drift; per pen model its distribution of as-found errors, Cpk
 * and first-pass yield per depth point and its most common failing points. docs/fleet-statistics.md
 * states every rule used here; `needlebench-cli stats` prints the result.
 *
 * Plain data and arithmetic: the runs come from nb_fleet_load_runs () (nb-fleet-load.c, the
 * store) or from a test, so every figure can be checked against a hand computation. Only depth
 * points enter the per-point figures; rate points count towards a phase's verdict only. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "nb-decision.h"
#include "nb-store.h"

G_BEGIN_DECLS

/* One depth point of one calibration run. Errors are mean − target in mm; the tolerance is
 * given as limits on the error (limit − target): an open side is −INFINITY / INFINITY. */
typedef struct
{
  double target_mm;
  double rate_hz;
  double tol_lower_mm;
  double tol_upper_mm;
  gboolean has_found; /* the as-found phase measured this point */
  double found_error_mm;
  double found_U_mm;
  NbVerdict found_verdict;
  gboolean has_left; /* the as-left phase measured this point (after an adjustment) */
  double left_error_mm;
  double left_U_mm;
  NbVerdict left_verdict;
} NbFleetPoint;

/* One complete, traceable, not voided calibration run. */
typedef struct
{
  gint64 run_id;
  char *serial;
  char *model;                /* NULL when the pen did not say */
  char *profile;              /* the profile's id */
  gint64 started_at;          /* µs since epoch, UTC */
  gboolean has_found_verdict; /* worst as-found point, depth and rate points alike */
  NbVerdict found_verdict;
  gboolean has_left_verdict;
  NbVerdict left_verdict;
  GArray *points; /* (element-type NbFleetPoint) depth points, in the document's order */
} NbFleetRun;

NbFleetRun *nb_fleet_run_new (gint64 run_id, const char *serial, const char *model,
                              const char *profile, gint64 started_at);
void nb_fleet_run_free (NbFleetRun *run);

/* What the interval recommendation assumes (docs/fleet-statistics.md, "Recommended interval").
 */
typedef struct
{
  double share; /* the share of the tolerance the expected error may reach (0 < share ≤ 1) */
  double min_gap_days; /* two calibrations closer than this give no drift figure */
  gint64 min_days;     /* the recommendation is clamped to min_days … max_days */
  gint64 max_days;
} NbFleetIntervalParams;

#define NB_FLEET_DEFAULT_SHARE 0.8
#define NB_FLEET_DEFAULT_MIN_GAP_DAYS 1.0
#define NB_FLEET_DEFAULT_MIN_DAYS 30
#define NB_FLEET_DEFAULT_MAX_DAYS 730
#define NB_FLEET_DRIFT_PERIOD_DAYS 30.0 /* drift is given in mm per 30 days */

/* nb_fleet_interval_params_default: the defaults above. */
NbFleetIntervalParams nb_fleet_interval_params_default (void);

typedef enum
{
  NB_FLEET_INTERVAL_INSUFFICIENT, /* fewer than 2 calibrations, or none far enough apart */
  NB_FLEET_INTERVAL_COMPUTED,     /* from the drift, inside min … max */
  NB_FLEET_INTERVAL_MIN,          /* the computed one was shorter: clamped to min_days */
  NB_FLEET_INTERVAL_MAX,          /* longer, or no drift towards a limit: clamped to max_days */
} NbFleetIntervalKind;

/* "insufficient-history", "computed", "clamped-min", "clamped-max" */
const char *nb_fleet_interval_kind_to_string (NbFleetIntervalKind kind);

/* The drift of one depth point of one pen. */
typedef struct
{
  double target_mm;
  double rate_hz;
  guint pairs;             /* consecutive calibrations that gave a drift figure */
  double days;             /* the time those pairs span, summed (days) */
  double change_mm;        /* the error's change over them, summed */
  double drift_mm_per_30d; /* change_mm / days × 30; NaN without a pair */
  double start_error_mm;   /* the latest calibration's error as the pen left it (as-left, or
                            * as-found when not adjusted) */
  double start_U_mm;
  double days_to_limit; /* when e(t) ± U reaches share × limit; INFINITY when never, NaN
                         * without drift */
} NbFleetPointDrift;

typedef struct
{
  char *serial;
  char *model;
  GPtrArray *runs; /* (element-type NbFleetRun) (transfer none) its runs, oldest first */
  GArray *drift;   /* (element-type NbFleetPointDrift) per depth point of its latest run */
  NbFleetIntervalKind interval_kind;
  gint64 interval_days; /* 0 when insufficient */
  int limiting_point;   /* index into drift of the point that sets the interval; -1 for none */
} NbFleetPen;

typedef struct
{
  double from_mm;
  double to_mm;
  guint count;
} NbFleetBin;

/* The as-found errors of one depth point over a group's calibrations. */
typedef struct
{
  double target_mm;
  double rate_hz;
  guint n;
  double mean_mm, sd_mm, min_mm, max_mm; /* sd NaN for n < 2 */
  double tol_lower_mm, tol_upper_mm;     /* NaN when the runs used different tolerances */
  double cpk;                            /* NaN: fewer than NB_CPK_MIN_N, no scatter, mixed
                                          * tolerances */
  GArray *bins;                          /* (element-type NbFleetBin) */
  guint failed;                          /* as-found verdicts that are no acceptance */
} NbFleetPointDist;

typedef struct
{
  char *model;        /* NULL: pens that did not give a model */
  guint pens;         /* pens with a calibration in the selection */
  guint runs;         /* calibrations in the selection */
  guint first_pens;   /* pens whose first calibration on record lies in the selection */
  guint first_passed; /* … of which that calibration's as-found verdict was an acceptance */
  GArray *points;     /* (element-type NbFleetPointDist) by target, then rate */
} NbFleetGroup;

typedef struct
{
  guint runs;        /* calibrations in the selection */
  GPtrArray *pens;   /* (element-type NbFleetPen) by serial */
  GPtrArray *groups; /* (element-type NbFleetGroup) by model, unknown model last */
  GPtrArray *all;    /* (element-type NbFleetRun) every run given, owned */
} NbFleetStats;

/* nb_fleet_stats_compute: (transfer full) the statistics of @runs (element-type NbFleetRun; the
 * result takes a reference to the array) whose started_at ≥ @since (µs, 0 for all). Runs before
 * @since count only to know each pen's first calibration (first-pass yield). */
NbFleetStats *nb_fleet_stats_compute (GPtrArray *runs, gint64 since,
                                      const NbFleetIntervalParams *params);
void nb_fleet_stats_free (NbFleetStats *stats);

/* nb_fleet_group_yield: first_passed / first_pens; NaN when first_pens is 0. */
double nb_fleet_group_yield (const NbFleetGroup *group);

/* nb_fleet_group_failing: (transfer full) (element-type guint) indices into group->points of the
 * points that failed at least once, most failures first (then by target, rate). */
GArray *nb_fleet_group_failing (const NbFleetGroup *group);

/* nb_fleet_run_from_json: (transfer full) the run of result document @doc (docs/cli.md,
 * "The result document") recorded as @run_id at @started_at, or NULL with
 * NB_STORE_ERROR_CORRUPT naming what is missing. */
NbFleetRun *nb_fleet_run_from_json (JsonObject *doc, gint64 run_id, gint64 started_at,
                                    GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* A selection of runs; NULL members select everything. */
typedef struct
{
  const char *model;        /* exact pen model */
  const char *pen;          /* exact pen serial */
  const char *batch_prefix; /* serial prefix: a production batch (docs/fleet-statistics.md) */
} NbFleetFilter;

/* nb_fleet_load_runs: (transfer full) (element-type NbFleetRun) the complete, traceable, not
 * voided runs of @store that @filter selects, oldest first, each read from its result document. */
GPtrArray *nb_fleet_load_runs (NbStore *store, const NbFleetFilter *filter,
                               GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbFleetRun, nb_fleet_run_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbFleetStats, nb_fleet_stats_free)

G_END_DECLS
