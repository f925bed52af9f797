/* nb-store-runs.h: calibration runs as records. A run is one execution of the calibration
 * procedure (calibration/nb-procedure.h) on one station: the pen, the fixture and the reference
 * standard it was traced to (or none, for a pen self-check), the profile and decision rule fixed
 * before measuring, the operator and the environment, every state transition with its time, every
 * measured point with the raw per-stroke readings behind it (fixture and pen side by side), the
 * pen's calibration tables before and after, and at the end the run's status, verdict and its
 * result document (the JSON of `needlebench-cli calibrate --json`, docs/cli.md).
 *
 * Records are append-only like sessions: a run row is written when the run starts (status
 * 'running') and changed exactly once, to close it; transitions, points and strokes are inserted
 * and never changed or removed (SQL triggers refuse it). A run left 'running' by a process that
 * died is reported as NB_RUN_INTERRUPTED: the connection that began a run holds a lock for it
 * (nb-store-lock.c) until it closes the run or is itself closed, so close a run on the connection
 * that began it. Every write appends an audit entry (nb-audit.h) in the
 * same transaction: run.begin, run.transition (the state), run.point (with the SHA-256 of the
 * point's raw readings), run.table (before/after), run.close (status, verdict, SHA-256 of the
 * result document).
 *
 * Validation (NB_STORE_ERROR_INVALID, the message naming the field): serials, models, ids,
 * names and states are UTF-8 of 1 to 64 characters without control characters or outer white
 * space (URIs up to 1024); JSON texts must parse; rule and verdict names are the known ones; a
 * traceable run names its fixture and standard. A point's figures are finite or NaN (stored as
 * NULL, read back as NaN); nu_eff may be INFINITY, stored as NULL and read back as INFINITY (a
 * point whose u is NaN, i.e. without figures, reads nu_eff back as NaN); a stroke's reference
 * reading is finite, its pen reading finite or NaN (NULL). A point holds exactly its n strokes. */
#pragma once

#include "nb-store.h"

G_BEGIN_DECLS

typedef enum
{
  NB_RUN_RUNNING,     /* the procedure is running (or its process died: see INTERRUPTED) */
  NB_RUN_COMPLETE,    /* the procedure reached "done": the verdict says pass or fail */
  NB_RUN_FAILED,      /* ended by an error (device lost, jam, reset, write refused, …) */
  NB_RUN_CANCELLED,   /* cancelled by the operator or a signal */
  NB_RUN_INTERRUPTED, /* left 'running' by a process that died; only reported, never stored */
} NbRunStatus;

/* "running", "complete", "failed", "cancelled", "interrupted" */
const char *nb_run_status_to_string (NbRunStatus status);

typedef enum
{
  NB_RUN_PHASE_AS_FOUND,
  NB_RUN_PHASE_AS_LEFT,
} NbRunPhase;

/* "as-found", "as-left" */
const char *nb_run_phase_to_string (NbRunPhase phase);

typedef enum
{
  NB_RUN_QUANTITY_DEPTH, /* readings in mm */
  NB_RUN_QUANTITY_RATE,  /* readings in Hz */
} NbRunQuantity;

/* "depth", "rate" */
const char *nb_run_quantity_to_string (NbRunQuantity quantity);

/* What a run is, given when it starts. Strings are copied; those marked may be NULL. */
typedef struct
{
  const char *pen_serial; /* required */
  const char *pen_model;
  const char *pen_firmware;
  const char *pen_uri;
  const char *fixture_serial; /* NULL for a pen self-check (--reference pen) */
  const char *fixture_model;
  const char *fixture_uri;
  gint64 standard_id;       /* the nb-store-standards record traced to; 0 for none */
  const char *profile_id;   /* required */
  gint64 profile_version;   /* the profile file's version */
  const char *profile_json; /* the profile as used (nb_profile_to_json), so the run stands alone */
  const char *rule;   /* "simple", "guarded", "nonbinary" (required, fixed before measuring) */
  gboolean traceable; /* FALSE for a pen self-check: never a certificate */
  gboolean adjust;    /* FALSE with --no-adjust */
  const char *operator_name;    /* also the audit actor (NULL = login name) */
  const char *environment_json; /* temperature, humidity as read or entered; may be NULL */
} NbStoreRunParams;

/* One measured point as stored: the figures of nb_point_result_evaluate () (NaN where none). */
typedef struct
{
  NbRunPhase phase;
  NbRunQuantity quantity;
  guint seq;       /* its order within the phase, from 0 */
  double target;   /* set depth (mm) or set rate (Hz) */
  double depth_mm; /* the set depth it was measured at */
  double rate_hz;  /* the set rate it was measured at */
  guint n;
  double mean;
  double sd;
  double error; /* mean − target */
  double u;     /* combined standard uncertainty u_c */
  double U;     /* expanded uncertainty */
  double k;
  double nu_eff;       /* INFINITY allowed (stored as NULL … read back as INFINITY) */
  const char *verdict; /* "pass", "conditional-pass", "conditional-fail", "fail" */
  double pfa;          /* NaN when not an acceptance */
  double pen_mean;     /* the pen's own mean reading at this point (indication); NaN if none */
} NbStoreRunPoint;

/* One stroke behind a depth point: the fixture's peak depth and the pen's own for the same
 * stroke (NaN when the pen's could not be paired, or for a self-check's fixture side). For a rate
 * point the values are the per-stroke rates (1 / period) in Hz. */
typedef struct
{
  double reference; /* the fixture's reading (the pen's own in a self-check) */
  double pen;       /* the pen's own reading; NaN when unknown */
} NbStoreRunStroke;

/* A run as read back (nb_store_list_runs / nb_store_get_run). */
typedef struct
{
  gint64 id;
  char *pen_serial;
  char *pen_model;
  char *pen_firmware;
  char *fixture_serial; /* NULL for a self-check */
  char *fixture_model;
  gint64 standard_id;
  char *profile_id;
  gint64 profile_version;
  char *rule;
  gboolean traceable;
  gboolean adjust;
  char *operator_name;
  gint64 started_at; /* µs since epoch, UTC */
  gint64 ended_at;   /* 0 while running or interrupted */
  NbRunStatus status;
  char *verdict;     /* "pass", …, or NULL when the run did not reach a verdict */
  char *error;       /* why it failed or was cancelled, or NULL */
  char *result_json; /* the result document, or NULL before the close */
  /* added with the implementation */
  char *pen_uri;
  char *fixture_uri;
  char *profile_json;     /* NULL in nb_store_list_runs () */
  char *environment_json; /* NULL in nb_store_list_runs () */
} NbStoreRun;

/* nb_store_begin_run: validates @params and inserts a run with status 'running' and its audit
 * entry, in one transaction. Returns the run id, or 0 with @error. */
gint64 nb_store_begin_run (NbStore *store, const NbStoreRunParams *params,
                           GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_add_run_transition: appends a state transition ("identify", "pre-checks", …, with
 * an optional human-readable @detail) at the current time. */
gboolean nb_store_add_run_transition (NbStore *store, gint64 run_id, const char *state,
                                      const char *detail, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_add_run_point: appends @point with its @n_strokes raw readings, in one transaction.
 * Returns the point's id, or 0 with @error. */
gint64 nb_store_add_run_point (NbStore *store, gint64 run_id, const NbStoreRunPoint *point,
                               const NbStoreRunStroke *strokes, gsize n_strokes,
                               GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_add_run_table: records the pen's calibration table as encoded on the wire
 * (docs/protocol.md §7) @which = "before" (read at the start) or "after" (read back after the
 * commit). */
gboolean nb_store_add_run_table (NbStore *store, gint64 run_id, const char *which,
                                 const guint8 *table, gsize length,
                                 GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_close_run: sets ended_at, @status (not RUNNING/INTERRUPTED), @verdict (may be NULL),
 * @error_text (may be NULL) and the @result_json (may be NULL) of a running run, and appends the
 * audit entry. Fails with NB_STORE_ERROR_CONSTRAINT when the run is already closed. */
gboolean nb_store_close_run (NbStore *store, gint64 run_id, NbRunStatus status, const char *verdict,
                             const char *error_text, const char *result_json,
                             GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_list_runs: (transfer full) (element-type NbStoreRun) every run, newest first
 * (result_json left NULL, to keep the list light). */
GPtrArray *nb_store_list_runs (NbStore *store, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_get_run: (transfer full) one run with its result document, or NULL with
 * NB_STORE_ERROR_NOT_FOUND. */
NbStoreRun *nb_store_get_run (NbStore *store, gint64 run_id,
                              GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Iteration, in insertion order; callbacks return FALSE to stop early. Pointers are valid during
 * the call only. */
typedef gboolean (*NbStoreRunPointFunc) (gint64 point_id, const NbStoreRunPoint *point,
                                         gpointer user_data);
typedef gboolean (*NbStoreRunTransitionFunc) (gint64 at, const char *state, const char *detail,
                                              gpointer user_data);

gboolean nb_store_foreach_run_point (NbStore *store, gint64 run_id, NbStoreRunPointFunc func,
                                     gpointer user_data, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean nb_store_foreach_run_transition (NbStore *store, gint64 run_id,
                                          NbStoreRunTransitionFunc func, gpointer user_data,
                                          GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_get_run_strokes: (transfer full) the raw readings of point @point_id in the order
 * they were measured, as an array of NbStoreRunStroke. */
GArray *nb_store_get_run_strokes (NbStore *store, gint64 point_id,
                                  GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_get_run_table: (transfer full) the encoded table @which ("before", "after") of a run,
 * or NULL with NB_STORE_ERROR_NOT_FOUND when none was recorded. */
GBytes *nb_store_get_run_table (NbStore *store, gint64 run_id, const char *which,
                                GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_run_status_from_string: the status named @name ("running", …, "interrupted"); FALSE for an
 * unknown name. */
gboolean nb_run_status_from_string (const char *name, NbRunStatus *status);

/* nb_store_run_strokes_sha256: (transfer full) the lowercase hex SHA-256 recorded in a point's
 * run.point audit entry: over one line per stroke, in order, "REFERENCE PEN\n", each number
 * printed with "%.17g" (g_ascii_formatd: round-trips exactly) and a missing pen reading as
 * "nan". Anyone can recompute it from the stored readings. */
char *nb_store_run_strokes_sha256 (const NbStoreRunStroke *strokes,
                                   gsize n_strokes) G_GNUC_WARN_UNUSED_RESULT;

void nb_store_run_free (NbStoreRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbStoreRun, nb_store_run_free)

G_END_DECLS
