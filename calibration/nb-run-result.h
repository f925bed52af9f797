/* nb-run-result.h: the outcome of one calibration run on one station, as the procedure
 * (nb-procedure.h) builds it point by point, the CLI prints it (`calibrate --json`, `run show`)
 * and the app shows it. Plain data: no device, no store.
 *
 * Depth points: one per (target depth, set rate) of the profile, in the profile's order (depths
 * outer, rates inner). Their readings are per-stroke peak depths in mm from the reference: the
 * fixture, or the pen's own sensor in a self-check (traceable FALSE). Rate points: one per set
 * rate, whose readings are the per-stroke rates (1 / period, Hz) of every stroke measured at that
 * rate, timed by the reference's sample clock. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "nb-messages.h"
#include "nb-point-result.h"
#include "nb-store-runs.h"

G_BEGIN_DECLS

/* One point of one phase. */
typedef struct
{
  double target;   /* mm (depth) or Hz (rate) */
  double depth_mm; /* the set depth it was measured at (a rate point: NaN, it spans depths) */
  double rate_hz;  /* the set rate it was measured at */
  NbPointResult result;
  GArray *reference; /* (element-type double) the reference's per-stroke readings */
  GArray *pen;       /* (element-type double) the pen's own reading of the same strokes; NaN
                      * where one could not be paired; empty in a self-check (pen = reference) */
  double pen_mean;   /* mean of the pen's own readings (its indication); NaN if none */
} NbRunPoint;

/* A phase's points (as-found or as-left). */
typedef struct
{
  GPtrArray *depth;  /* (element-type NbRunPoint) */
  GPtrArray *rate;   /* (element-type NbRunPoint) */
  NbVerdict verdict; /* the worst point's, depth and rate points alike */
} NbRunPhaseResult;

typedef struct
{
  gint64 run_id; /* its record in the store; 0 when it was not stored */
  char *profile_id;
  gint64 profile_version;
  char *pen_serial;
  char *pen_model;
  char *pen_firmware;
  char *fixture_serial; /* NULL in a self-check */
  char *fixture_model;
  char *standard_certificate; /* the reference standard traced to, NULL in a self-check */
  double standard_U_mm;
  double standard_k;
  char *standard_due; /* YYYY-MM-DD */
  NbDecisionRule rule;
  gboolean traceable; /* FALSE: "not traceable: pen self-check" */
  gboolean adjust;    /* an adjustment was asked for (not --no-adjust) */
  gboolean adjusted;  /* a new table was written, committed and verified */
  char *operator_name;
  gint64 started_at; /* µs since epoch, UTC */
  gint64 ended_at;
  NbRunStatus status;
  char *error;                /* why the run failed or was cancelled; NULL when complete */
  NbRunPhaseResult *as_found; /* NULL when the run ended before it */
  NbRunPhaseResult *as_left;  /* NULL with --no-adjust, or when the run ended before it */
  gboolean has_verdict;       /* the run reached a verdict (status complete) */
  NbVerdict verdict;          /* as-left's when there is one, else as-found's */
  gboolean has_table_before;
  NbCalTable table_before; /* read at the start */
  gboolean has_table_after;
  NbCalTable table_after; /* read back after the commit */
} NbRunResult;

/* nb_run_not_traceable_reason: why a run is not traceable, as the document, the CLI and the app
 * say it: NULL for a traceable run; "not traceable: pen self-check" when there was no fixture;
 * "not traceable: no reference standard in force for the fixture" when there was one but no
 * valid standard (such a run ends in its pre-checks). */
const char *nb_run_not_traceable_reason (gboolean traceable, const char *fixture_serial);

NbRunPoint *nb_run_point_new (void);
void nb_run_point_free (NbRunPoint *point);
NbRunPhaseResult *nb_run_phase_result_new (void);
void nb_run_phase_result_free (NbRunPhaseResult *phase);
NbRunResult *nb_run_result_new (void);
void nb_run_result_free (NbRunResult *result);

/* nb_run_result_to_json: (transfer full) the result document (docs/cli.md, "calibrate"), an
 * object with, in this order:
 *   run (null when not stored), profile, profile_version, serial, pen {model, firmware},
 *   fixture and fixture_model (null in a self-check), standard {certificate, U_mm, k, due} (null
 *   in a self-check), rule, traceable, not_traceable_reason ("not traceable: pen self-check", null
 *   when traceable), adjusted, status, verdict (null when the run reached none), error, operator,
 *   started_at / ended_at (ISO 8601 UTC to the second, "2026-12-02T13:21:28Z"; null when not
 *   yet), table_before / table_after ({rate_correction_ppm, calibrated_at (ISO, null for the
 *   factory table), certificate (null when empty), points [{depth_mm, correction_mm}]}, null when
 *   not read), points [{target_mm, rate_hz, as_found, as_left}], rate_points [{target_hz,
 *   as_found, as_left}] and indication [{target_mm, rate_hz, phase, pen_mean_mm,
 *   reference_mean_mm, error_mm = pen − reference}].
 * points entry i pairs as-found depth point i with as-left depth point i; as_left is null with
 * --no-adjust or when the run ended before it. An entry is {n, mean_mm, sd_mm, error_mm, u_mm,
 * U_mm, k, nu_eff, verdict, pfa, cpk, tolerance {lower, upper}} (the _hz names for a rate point).
 * indication lists the depth points, as-found then as-left, whose pen readings were paired (a
 * finite pen_mean): none in a self-check.
 * Figures are rounded to their precision: mm to 4 decimals (0.1 µm; a table's µm to 3), Hz to 3,
 * k and Cpk to 2, ν_eff to 1, PFA to 4 significant digits; the raw strokes are not rounded.
 * JSON has no NaN or infinity: a figure that is not finite is null, so an infinite ν_eff, a PFA
 * of a rejected point, a Cpk of too few strokes and a one-sided tolerance's open limit are null.
 * With @raw, every as_found / as_left entry also has strokes_mm (strokes_hz for a rate point):
 * the reference's per-stroke readings, so every figure can be recomputed by hand. */
JsonNode *nb_run_result_to_json (const NbRunResult *result, gboolean raw);

/* nb_run_result_load_json: (transfer full) the document of stored run @run_id, exactly as
 * nb_run_result_to_json () made it when the run closed (its result_json; a run copied into
 * another database, nb-store-sync.h, has an id of its own there, and `run` is set to it when the
 * copy map says the row came from the id the document names; whole numbers a writer
 * printed without a decimal point are made doubles again, all but run, n, profile_version and
 * rate_correction_ppm); with @raw the strokes_mm / strokes_hz of every entry are added from the
 * stored raw readings: entry i of points / rate_points gets the stored point of its phase and
 * quantity with the i-th smallest seq (see nb_run_result_store_point ()), an empty list when
 * there is none. A run that has no document (interrupted: its process died; or closed without
 * one) gets one built from its record: the same head, its status, verdict and error as recorded,
 * the stored tables, adjusted false and points, rate_points and indication empty.
 * NB_STORE_ERROR_NOT_FOUND for no such run, NB_STORE_ERROR_CORRUPT for a stored document that
 * is not a JSON object. */
JsonNode *nb_run_result_load_json (NbStore *store, gint64 run_id, gboolean raw,
                                   GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_run_result_store_point: (added with the implementation) records @point, one of @phase and
 * @quantity, as the stored point number @seq of run @run_id with its raw readings (the pen's
 * paired with the reference's when there are as many, NaN otherwise). The points of a phase and
 * quantity are stored with seq 0, 1, … in the order of the phase's list: the raw readings of
 * nb_run_result_load_json () are matched to the document's entries by that order. Returns the
 * point's id or 0 with @error (nb_store_add_run_point ()). */
gint64 nb_run_result_store_point (NbStore *store, gint64 run_id, const NbRunPoint *point,
                                  NbRunPhase phase, NbRunQuantity quantity, guint seq,
                                  GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbRunPoint, nb_run_point_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbRunPhaseResult, nb_run_phase_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbRunResult, nb_run_result_free)

G_END_DECLS
