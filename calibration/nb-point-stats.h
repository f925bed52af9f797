/* nb-point-stats.h: the statistics of one calibration point from its n readings (a depth point
 * in mm or a rate point in Hz): n, mean, experimental standard deviation, error against the
 * target and the type A standard uncertainty of the mean with its degrees of freedom
 * (GUM 4.2; domain.md "Uncertainty"). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gsize n;
  double target; /* the point's nominal value (set depth, set rate) */
  double mean;
  double sd;    /* s = sqrt (Σ (x − mean)² / (n − 1)) */
  double error; /* mean − target, in the readings' unit */
  double u_a;   /* type A standard uncertainty of the mean, s / √n */
  double nu_a;  /* its degrees of freedom, n − 1 */
  /* Relative figures, in % of the target; filled by nb_point_stats_compute_rate () (rate
   * tolerances are given in %), NaN from nb_point_stats_compute (). */
  double error_pct;
  double u_a_pct;
} NbPointStats;

/* nb_point_stats_compute: fills @stats from @n readings @x against @target. Uses two passes
 * (mean, then the sum of squared deviations with a compensation term), so readings with a large
 * common offset keep their digits. Fails with NB_CALIBRATION_ERROR_TOO_FEW for n < 2 (no
 * standard deviation) and NB_CALIBRATION_ERROR_INVALID for a reading or target that is not a
 * finite number. */
gboolean nb_point_stats_compute (const double *x, gsize n, double target, NbPointStats *stats,
                                 GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_point_stats_compute_rate: as nb_point_stats_compute () for a rate point (readings and
 * @target_hz in Hz), and also fills error_pct = 100 · error / target and u_a_pct = 100 · u_a /
 * target. Fails with NB_CALIBRATION_ERROR_INVALID when @target_hz is not > 0. */
gboolean nb_point_stats_compute_rate (const double *x_hz, gsize n, double target_hz,
                                      NbPointStats *stats,
                                      GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
