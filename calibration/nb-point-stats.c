/* nb-point-stats.c: mean, standard deviation and type A uncertainty of one point's readings. */
#include "nb-point-stats.h"

#include <math.h>

#include "nb-calibration-error.h"

gboolean
nb_point_stats_compute (const double *x, gsize n, double target, NbPointStats *stats,
                        GError **error)
{
  if (n < 2)
    {
      g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_TOO_FEW,
                   "%" G_GSIZE_FORMAT " reading(s): a standard deviation needs at least 2", n);
      return FALSE;
    }
  if (!isfinite (target))
    {
      g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID,
                   "the target is not a finite number");
      return FALSE;
    }
  double sum = 0.0;
  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (x[i]))
        {
          g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID,
                       "reading %" G_GSIZE_FORMAT " is not a finite number", i + 1);
          return FALSE;
        }
      sum += x[i];
    }
  double mean = sum / (double) n;
  /* Second pass on the deviations; the compensation term (Σ d)² / n removes the rounding
   * error of the first pass's mean (the "corrected two-pass" algorithm of Chan, Golub and
   * LeVeque 1983), so a large common offset costs no digits. */
  double ss = 0.0, sd_sum = 0.0;
  for (gsize i = 0; i < n; i++)
    {
      double d = x[i] - mean;
      ss += d * d;
      sd_sum += d;
    }
  mean += sd_sum / (double) n;
  ss -= sd_sum * sd_sum / (double) n;
  if (ss < 0.0)
    ss = 0.0;

  stats->n = n;
  stats->target = target;
  stats->mean = mean;
  stats->sd = sqrt (ss / (double) (n - 1));
  stats->error = mean - target;
  stats->u_a = stats->sd / sqrt ((double) n);
  stats->nu_a = (double) (n - 1);
  stats->error_pct = NAN;
  stats->u_a_pct = NAN;
  return TRUE;
}

gboolean
nb_point_stats_compute_rate (const double *x_hz, gsize n, double target_hz, NbPointStats *stats,
                             GError **error)
{
  if (!(target_hz > 0.0))
    {
      g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID,
                   "rate target %g Hz: a rate point needs a target above 0 Hz", target_hz);
      return FALSE;
    }
  if (!nb_point_stats_compute (x_hz, n, target_hz, stats, error))
    return FALSE;
  stats->error_pct = 100.0 * stats->error / target_hz;
  stats->u_a_pct = 100.0 * stats->u_a / target_hz;
  return TRUE;
}
