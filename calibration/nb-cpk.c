/* nb-cpk.c: process capability index of one point. */
#include "nb-cpk.h"

#include <math.h>

#include "nb-calibration-error.h"

gboolean
nb_cpk (gsize n, double mean, double sd, double lsl, double usl, double *cpk, GError **error)
{
  if (n < NB_CPK_MIN_N)
    {
      g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_TOO_FEW,
                   "Cpk needs at least %d strokes, the point has %" G_GSIZE_FORMAT, NB_CPK_MIN_N,
                   n);
      return FALSE;
    }
  if (!isfinite (mean) || !isfinite (sd) || sd < 0.0 || isnan (lsl) || isnan (usl) || !(lsl < usl)
      || (isinf (lsl) && isinf (usl)))
    {
      g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID,
                   "Cpk: mean %g, s %g, limits %g … %g are not a valid point", mean, sd, lsl, usl);
      return FALSE;
    }
  if (sd == 0.0)
    {
      g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_DEGENERATE,
                   "Cpk: the strokes have no scatter (s = 0)");
      return FALSE;
    }
  /* An infinite limit gives an infinite distance, so MIN picks the finite side. */
  *cpk = MIN (usl - mean, mean - lsl) / (3.0 * sd);
  return TRUE;
}
