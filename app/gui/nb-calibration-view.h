/* nb-calibration-view.h: the Calibration page's tables as GtkGrids of labels: the measured
 * points with their verdicts (colour and words), the pen's calibration tables before and after,
 * and the result. Shared with the Records page, which shows a stored run the same way. */
#pragma once

#include <gtk/gtk.h>

#include "nb-run-result.h"

G_BEGIN_DECLS

/* nb_cal_grid_clear: removes every cell. */
void nb_cal_grid_clear (GtkGrid *grid);
/* nb_cal_grid_rows: (transfer full) each row's cells joined by " | ", header first. */
GStrv nb_cal_grid_rows (GtkGrid *grid);
/* nb_cal_verdict_label: a label saying @verdict in words, coloured by its style class. */
GtkWidget *nb_cal_verdict_label (NbVerdict verdict);

/* nb_cal_fill_points: the points measured so far: one row per point and phase (target, rate, n,
 * mean, error, U and k, verdict), each phase's depth points then its rate points. @phases: the
 * depth and rate arrays of as-found, then of as-left (any may be NULL), or NULL for none. */
void nb_cal_fill_points (GtkGrid *grid, GPtrArray *const *phases);
/* nb_cal_fill_tables: the pen's table before and after (depth, correction), the rate correction
 * and the date of each; says so when there is none. */
void nb_cal_fill_tables (GtkGrid *grid, const NbRunResult *result);
/* nb_cal_fill_result: per point (depth and rate) the as-found and as-left error, U and verdict. */
void nb_cal_fill_result (GtkGrid *grid, const NbRunResult *result);

/* nb_cal_fill_result_json: the same from a stored run's result document (nb_run_result_to_json:
 * "points" and "rate_points", each with target_mm / target_hz, rate_hz, as_found and as_left
 * {error_mm, U_mm, verdict}). */
void nb_cal_fill_result_json (GtkGrid *grid, JsonObject *doc);
/* nb_cal_verdict_from_string: parses "pass", "conditional-pass", "conditional-fail", "fail". */
gboolean nb_cal_verdict_from_string (const char *text, NbVerdict *verdict);

/* nb_cal_verdict_word: "PASS", "CONDITIONAL PASS", "CONDITIONAL FAIL", "FAIL" */
const char *nb_cal_verdict_word (NbVerdict verdict);

G_END_DECLS
