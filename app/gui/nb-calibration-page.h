/* nb-calibration-page.h: the Calibration page, a wizard over NbCalibration: station and profile →
 * pre-checks (with a form to record a missing reference standard) → as found (the current point's
 * strokes on a chart, a results table filling point by point) → adjust (the pen's table before
 * and after, written and verified) → as left → the result (verdict per point and overall). */
#pragma once

#include <adwaita.h>

#include "nb-calibration.h"
#include "nb-live-page.h"

G_BEGIN_DECLS

#define NB_TYPE_CALIBRATION_PAGE (nb_calibration_page_get_type ())
G_DECLARE_FINAL_TYPE (NbCalibrationPage, nb_calibration_page, NB, CALIBRATION_PAGE, GtkBox)

/* nb_calibration_page_setup: the app's settings (default operator, database path) and the Live
 * page, whose pen list offers the pens and fixtures and whose connection the station's pen must
 * not share (the Live connection is closed when a calibration starts, refused while recording). */
void nb_calibration_page_setup (NbCalibrationPage *page, GSettings *settings, NbLivePage *live);
/* (transfer none) */
NbCalibration *nb_calibration_page_get_calibration (NbCalibrationPage *page);

/* As the operator would: types the station's URIs (@fixture_uri "" or NULL: self-check), chooses
 * the profile @id and Fitzpatrick @type. FALSE when no profile has @id. */
gboolean nb_calibration_page_choose (NbCalibrationPage *page, const char *pen_uri,
                                     const char *fixture_uri, const char *profile_id, guint type);
/* (transfer none) the text of the Fitzpatrick row's subtitle (the cap) */
const char *nb_calibration_page_get_cap_text (NbCalibrationPage *page);
/* As the operator would: fills the standard form's fields (NULL: left as they are). */
void nb_calibration_page_fill_standard (NbCalibrationPage *page, const char *certificate,
                                        const char *u_mm, const char *k, const char *due);
/* (transfer none) the serial the standard form was prefilled with */
const char *nb_calibration_page_get_standard_serial (NbCalibrationPage *page);
gboolean nb_calibration_page_is_standard_form_shown (NbCalibrationPage *page);
/* The result step's big verdict ("PASS", "FAIL", "CANCELLED", …), its explanation, and the
 * table's rows (header first), each as its cells joined by " | ". */
const char *nb_calibration_page_get_verdict_text (NbCalibrationPage *page);
const char *nb_calibration_page_get_result_text (NbCalibrationPage *page);
/* (transfer full) */
GStrv nb_calibration_page_get_result_rows (NbCalibrationPage *page);
/* (transfer full) the rows of the measuring table (as-found and as-left points so far) */
GStrv nb_calibration_page_get_points_rows (NbCalibrationPage *page);
/* Shows step @step's view (as clicking it in the step bar). */
void nb_calibration_page_show_step (NbCalibrationPage *page, NbCalibrationStep step);

/* Actions (keyboard: the buttons' mnemonics): calibration.start, calibration.cancel,
 * calibration.new, calibration.record-standard.
 * Signals: "message" (const char *text); "run-stored" (gint64 run_id): a run was stored. */

/* (transfer none) the certificate step's window (the "calibration.certificate" action), or NULL
 * when it is not open. */
typedef struct _NbCertificateWindow NbCertificateWindow;
NbCertificateWindow *nb_calibration_page_get_certificate_window (NbCalibrationPage *page);

G_END_DECLS
