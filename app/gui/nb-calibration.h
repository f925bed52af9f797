/* nb-calibration.h: the model of the Calibration page's wizard: the station (a pen and its
 * reference fixture, or the pen's own sensor for a self-check), the profile with the Fitzpatrick
 * type it is used for, the operator, the decision rule and whether to adjust; then one run of the
 * calibration procedure (calibration/nb-procedure.h) and what it reports as it goes.
 *
 * No widget code, so that the tests drive it directly. nb_procedure_run () blocks and opens the
 * devices and the database itself: it runs in a GTask thread; its callbacks come in that thread
 * and are handed to the main context with copies of their data (idle sources), where
 * the model updates itself and emits its signals. Recording a reference standard runs in a worker
 * thread too: nothing here touches SQLite or a device on the main thread. */
#pragma once

#include <gio/gio.h>

#include "nb-procedure.h"
#include "nb-profile.h"
#include "nb-run-result.h"
#include "nb-store-standards.h"

G_BEGIN_DECLS

/* The simulated station: the in-process simulated pen and the fixture mounted on it. */
#define NB_CALIBRATION_SIM_PEN "sim:"
#define NB_CALIBRATION_SIM_FIXTURE "sim-fixture:"

/* The wizard's steps, in order. */
typedef enum
{
  NB_CALIBRATION_STEP_STATION,    /* choosing; nothing runs */
  NB_CALIBRATION_STEP_PRE_CHECKS, /* identify, pre-checks, warm-up */
  NB_CALIBRATION_STEP_AS_FOUND,   /* as-found and its decision */
  NB_CALIBRATION_STEP_ADJUST,     /* the fit, write and verify */
  NB_CALIBRATION_STEP_AS_LEFT,    /* as-left and its decision */
  NB_CALIBRATION_STEP_RESULT,     /* the run ended (complete, failed or cancelled) */
  NB_CALIBRATION_N_STEPS
} NbCalibrationStep;

/* The step a procedure state belongs to. */
NbCalibrationStep nb_calibration_step_for_state (NbProcedureState state);

/* nb_calibration_describe_cap: (transfer full) what the profile's depth cap means for Fitzpatrick
 * @type (1–6): "Types V–VI: depth capped at 1.50 mm" when @type is capped, "Type III: no depth
 * cap (deepest target 2.00 mm)" otherwise, and "Type … is not indicated for this profile" when
 * the profile does not list it. */
char *nb_calibration_describe_cap (const NbProfile *profile, guint type);

/* nb_calibration_verdict_label: "pass", "conditional pass", "conditional fail", "fail": the
 * words shown with the colour. nb_calibration_verdict_css: the style class of that colour. */
const char *nb_calibration_verdict_label (NbVerdict verdict);
const char *nb_calibration_verdict_css (NbVerdict verdict);

#define NB_TYPE_CALIBRATION (nb_calibration_get_type ())
G_DECLARE_FINAL_TYPE (NbCalibration, nb_calibration, NB, CALIBRATION, GObject)

NbCalibration *nb_calibration_new (void);

/* nb_calibration_load_profiles: reads the profiles (nb_profiles_load_all (@dirs)) and chooses
 * the first treatment profile when none is chosen yet. */
gboolean nb_calibration_load_profiles (NbCalibration *cal, const char *const *dirs,
                                       GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* (transfer none) (element-type NbProfile), in nb_profiles_load_all ()'s order; empty before
 * loading */
GPtrArray *nb_calibration_get_profiles (NbCalibration *cal);

/* --- the choices (only while not running) --- */

/* nb_calibration_set_station: @pen_uri and @fixture_uri (NULL: the pen's own sensor, a self-check
 * that is never traceable). */
void nb_calibration_set_station (NbCalibration *cal, const char *pen_uri, const char *fixture_uri);
const char *nb_calibration_get_pen_uri (NbCalibration *cal);
const char *nb_calibration_get_fixture_uri (NbCalibration *cal); /* NULL: self-check */
/* FALSE when no profile has @id. */
gboolean nb_calibration_set_profile (NbCalibration *cal, const char *id);
const NbProfile *nb_calibration_get_profile (NbCalibration *cal);
/* Fitzpatrick type 1–6 of the patients the pen is calibrated for (shown with the profile's
 * cap; the procedure measures every point of the profile). Default 1. */
void nb_calibration_set_fitzpatrick (NbCalibration *cal, guint type);
guint nb_calibration_get_fitzpatrick (NbCalibration *cal);
void nb_calibration_set_operator (NbCalibration *cal, const char *name);
/* nb_calibration_set_rule: @given FALSE: the profile's rule. */
void nb_calibration_set_rule (NbCalibration *cal, gboolean given, NbDecisionRule rule);
/* The rule a run would use now. */
NbDecisionRule nb_calibration_get_rule (NbCalibration *cal);
/* FALSE: as-found only (incoming inspection). Default TRUE. */
void nb_calibration_set_adjust (NbCalibration *cal, gboolean adjust);
/* NULL or "": the default database. */
void nb_calibration_set_store_path (NbCalibration *cal, const char *path);

/* --- a run --- */

/* nb_calibration_start: begins a run with the choices made; FALSE with G_IO_ERROR_BUSY while one
 * runs, G_IO_ERROR_INVALID_ARGUMENT without a pen or profile. Emits "step-changed". */
gboolean nb_calibration_start (NbCalibration *cal, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* nb_calibration_cancel: cancels the run: the procedure stops the motor and leaves the pen its
 * previous table; "finished" follows with a cancelled result. */
void nb_calibration_cancel (NbCalibration *cal);
/* nb_calibration_reset: back to the station step, forgetting the last run (not while running). */
void nb_calibration_reset (NbCalibration *cal);
gboolean nb_calibration_is_running (NbCalibration *cal);

NbCalibrationStep nb_calibration_get_step (NbCalibration *cal);
NbProcedureState nb_calibration_get_state (NbCalibration *cal);
/* (transfer none) the detail of the state, NULL if none */
const char *nb_calibration_get_detail (NbCalibration *cal);
/* The states entered in this run, in order, and their details (for the pre-checks list). */
guint nb_calibration_get_n_states (NbCalibration *cal);
NbProcedureState nb_calibration_get_state_at (NbCalibration *cal, guint i, const char **detail);

/* The point being measured; FALSE before the first. */
gboolean nb_calibration_get_current_point (NbCalibration *cal, NbRunPhase *phase, guint *index,
                                           guint *total, double *depth_mm, double *rate_hz);
/* (transfer none) (element-type NbRunPoint) the depth points done in @phase so far. */
GPtrArray *nb_calibration_get_points (NbCalibration *cal, NbRunPhase phase);
/* (transfer none) (element-type NbRunPoint) the rate points done in @phase (target in Hz, depth_mm
 * NaN): one per set rate, done with the last depth point of that rate. */
GPtrArray *nb_calibration_get_rate_points (NbCalibration *cal, NbRunPhase phase);
/* (transfer none) the strokes of the current point as the reference saw them (depth, mm) */
GArray *nb_calibration_get_strokes (NbCalibration *cal);

/* After "finished": (transfer none) the result (NULL when no run could begin) and the error
 * (NULL for a complete run). */
const NbRunResult *nb_calibration_get_result (NbCalibration *cal);
const GError *nb_calibration_get_error (NbCalibration *cal);
/* TRUE when the run was refused for want of a valid reference standard (none, withdrawn or past
 * due): the page offers to record one. */
gboolean nb_calibration_needs_standard (NbCalibration *cal);
/* (transfer none) the fixture's serial as the run identified it, NULL if unknown */
const char *nb_calibration_get_fixture_serial (NbCalibration *cal);

/* nb_calibration_add_standard_async: nb_store_add_standard (@params, copied) on the chosen
 * database, in a worker thread. */
void nb_calibration_add_standard_async (NbCalibration *cal, const NbStoreStandardParams *params,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
gint64 nb_calibration_add_standard_finish (NbCalibration *cal, GAsyncResult *result,
                                           GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Signals (all on the main context):
 *   "step-changed" ()
 *   "state-changed" (guint NbProcedureState, const char *detail_or_NULL)
 *   "point-started" (): nb_calibration_get_current_point () says which; the strokes restart
 *   "stroke" (double depth_mm)
 *   "point-done" (guint NbRunPhase, guint index): nb_calibration_get_points () has it
 *   "rate-done" (guint NbRunPhase, guint index): nb_calibration_get_rate_points () has it
 *   "finished" (): the run ended; nb_calibration_get_result () / _get_error () say how */

G_END_DECLS
