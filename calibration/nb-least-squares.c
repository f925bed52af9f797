/* nb-least-squares.c: polynomial least squares by Householder QR on centred and scaled x.
 *
 * With z = (x − m) / s (m the mean of x, s the largest |x − m|) the columns 1, z, z², … are of
 * order 1 and far from parallel, so the QR factorisation A = QR of the design matrix in z is
 * well conditioned. The fit γ in z is solved from R γ = Qᵀ y and its covariance is
 * σ² R⁻¹ R⁻ᵀ; both are then carried back to the coefficients β in x by the exact linear map
 * β = T γ that expands ((x − m) / s)ʲ binomially, Cov β = T Cov γ Tᵀ. */
#include "nb-least-squares.h"

#include <math.h>
#include <string.h>

#include "nb-calibration-error.h"

#define P_MAX (NB_LSQ_MAX_DEGREE + 1)

/* A column whose remaining norm is below this fraction of its original one is a linear
 * combination of the others: too few distinct x for the degree. */
#define RANK_TOLERANCE 1e-10

static double
binomial (guint n, guint k)
{
  double b = 1.0;
  for (guint i = 1; i <= k; i++)
    b = b * (double) (n - k + i) / (double) i;
  return b;
}

gboolean
nb_lsq_fit_polynomial (const double *x, const double *y, gsize n, guint degree, NbLsqFit *fit,
                       GError **error)
{
  if (degree < 1 || degree > NB_LSQ_MAX_DEGREE)
    {
      g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID,
                   "polynomial degree %u: 1 to %d is supported", degree, NB_LSQ_MAX_DEGREE);
      return FALSE;
    }
  const guint p = degree + 1;
  if (n < p + 1)
    {
      g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_TOO_FEW,
                   "a degree %u fit needs at least %u points, there are %" G_GSIZE_FORMAT, degree,
                   p + 1, n);
      return FALSE;
    }
  double sum_x = 0.0, sum_y = 0.0;
  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (x[i]) || !isfinite (y[i]))
        {
          g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID,
                       "point %" G_GSIZE_FORMAT " is not a pair of finite numbers", i + 1);
          return FALSE;
        }
      sum_x += x[i];
      sum_y += y[i];
    }
  const double m = sum_x / (double) n;
  double s = 0.0;
  for (gsize i = 0; i < n; i++)
    s = MAX (s, fabs (x[i] - m));
  if (!(s > 0.0))
    {
      g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_DEGENERATE,
                   "every point has the same x: no slope can be fitted");
      return FALSE;
    }

  /* Column-major design matrix in z, and a copy of y that becomes Qᵀ y. */
  g_autofree double *a = g_new (double, n *p);
  g_autofree double *qty = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    {
      double z = (x[i] - m) / s, zj = 1.0;
      for (guint j = 0; j < p; j++, zj *= z)
        a[j * n + i] = zj;
      qty[i] = y[i];
    }

  double r[P_MAX][P_MAX] = { { 0 } };
  for (guint j = 0; j < p; j++)
    {
      double *col = a + j * n;
      double original = 0.0;
      for (gsize i = 0; i < n; i++)
        original += col[i] * col[i];
      double norm2 = 0.0;
      for (gsize i = j; i < n; i++)
        norm2 += col[i] * col[i];
      double norm = sqrt (norm2);
      if (!(norm > RANK_TOLERANCE * sqrt (original)))
        {
          g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_DEGENERATE,
                       "too few distinct x for a degree %u fit", degree);
          return FALSE;
        }
      /* Householder reflector v = col − α e_j, with α of the sign that avoids cancellation. */
      double alpha = col[j] > 0.0 ? -norm : norm;
      col[j] -= alpha;
      double v_norm2 = 0.0;
      for (gsize i = j; i < n; i++)
        v_norm2 += col[i] * col[i];
      for (guint k = j + 1; k <= p; k++)
        {
          double *target = k < p ? a + k * n : qty;
          double dot = 0.0;
          for (gsize i = j; i < n; i++)
            dot += col[i] * target[i];
          double f = 2.0 * dot / v_norm2;
          for (gsize i = j; i < n; i++)
            target[i] -= f * col[i];
        }
      r[j][j] = alpha;
      for (guint k = j + 1; k < p; k++)
        r[j][k] = a[k * n + j];
    }

  /* γ from R γ = (Qᵀ y)[0 … p−1]; R⁻¹ by back substitution, column by column. */
  double gamma[P_MAX] = { 0 };
  for (int j = (int) p - 1; j >= 0; j--)
    {
      double acc = qty[j];
      for (guint k = j + 1; k < p; k++)
        acc -= r[j][k] * gamma[k];
      gamma[j] = acc / r[j][j];
    }
  double rinv[P_MAX][P_MAX] = { { 0 } };
  for (guint c = 0; c < p; c++)
    for (int j = (int) c; j >= 0; j--)
      {
        double acc = j == (int) c ? 1.0 : 0.0;
        for (guint k = j + 1; k <= c; k++)
          acc -= r[j][k] * rinv[k][c];
        rinv[j][c] = acc / r[j][j];
      }

  /* Residuals in z, where the fit was made. */
  const double mean_y = sum_y / (double) n;
  double rss = 0.0, sst = 0.0;
  for (gsize i = 0; i < n; i++)
    {
      double z = (x[i] - m) / s, fitted = 0.0;
      for (int j = (int) p - 1; j >= 0; j--)
        fitted = fitted * z + gamma[j];
      double e = y[i] - fitted, d = y[i] - mean_y;
      rss += e * e;
      sst += d * d;
    }
  const double sigma2 = rss / (double) (n - p);

  /* T[i][j] = coefficient of xⁱ in ((x − m) / s)ʲ = C(j, i) (−m)^(j−i) / sʲ. */
  double t[P_MAX][P_MAX] = { { 0 } };
  for (guint j = 0; j < p; j++)
    for (guint i = 0; i <= j; i++)
      t[i][j] = binomial (j, i) * pow (-m, (double) (j - i)) / pow (s, (double) j);
  /* T R⁻¹: then Cov β = σ² (T R⁻¹)(T R⁻¹)ᵀ, a sum of squares, never negative. */
  double tr[P_MAX][P_MAX] = { { 0 } };
  for (guint i = 0; i < p; i++)
    for (guint c = 0; c < p; c++)
      for (guint j = 0; j < p; j++)
        tr[i][c] += t[i][j] * rinv[j][c];

  memset (fit, 0, sizeof *fit);
  fit->degree = degree;
  fit->n = n;
  for (guint i = 0; i < p; i++)
    {
      double b = 0.0, var = 0.0;
      for (guint j = 0; j < p; j++)
        b += t[i][j] * gamma[j];
      for (guint c = 0; c < p; c++)
        var += tr[i][c] * tr[i][c];
      fit->coef[i] = b;
      fit->coef_sd[i] = sqrt (sigma2 * var);
    }
  fit->rss = rss;
  fit->residual_sd = sqrt (sigma2);
  fit->r_squared = sst > 0.0 ? 1.0 - rss / sst : NAN;
  return TRUE;
}

gboolean
nb_lsq_fit_linear (const double *x, const double *y, gsize n, NbLsqFit *fit, GError **error)
{
  return nb_lsq_fit_polynomial (x, y, n, 1, fit, error);
}

double
nb_lsq_fit_eval (const NbLsqFit *fit, double x)
{
  double v = 0.0;
  for (int j = (int) fit->degree; j >= 0; j--)
    v = v * x + fit->coef[j];
  return v;
}
