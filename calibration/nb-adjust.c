/* nb-adjust.c: the depth and rate correction fitted from as-found means (nb-adjust.h). */
#include "nb-adjust.h"

#include <math.h>
#include <string.h>

#include "nb-c-locale.h"
#include "nb-least-squares.h"
#include "nb-procedure.h"

const char *
nb_adjust_method_to_string (NbAdjustMethod method)
{
  switch (method)
    {
    case NB_ADJUST_LINEAR: return "linear";
    case NB_ADJUST_PER_POINT: return "per-point";
    case NB_ADJUST_OFFSET: return "offset";
    default: return "unknown";
    }
}

#define ADJUST_ERROR(error, ...) adjust_error ((error), __VA_ARGS__)

/* Its message is stored with the run: formatted in the C locale (nb-c-locale.h). */
static gboolean adjust_error (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
adjust_error (GError **error, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *message = nb_c_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, NB_PROCEDURE_ERROR, NB_PROCEDURE_ERROR_ADJUST, message);
  return FALSE;
}

/* The depth the pen drives the needle to when set to @set_mm with @table in force (mm). */
static double
commanded_mm (const NbCalTable *table, double set_mm)
{
  return set_mm + nb_cal_table_correction_um (table, set_mm * 1000.0) / 1000.0;
}

/* The calibrated depths, each with the mean of its points (one per rate), in increasing order
 * (points come in the profile's order, depths outer). */
static guint
group_depths (const NbAdjustDepthPoint *points, gsize n, double *depth, double *mean, guint max)
{
  guint m = 0;
  guint count[NB_CAL_MAX_POINTS + 1] = { 0 };
  for (gsize i = 0; i < n; i++)
    {
      guint j = 0;
      while (j < m && fabs (depth[j] - points[i].set_mm) > 5e-4)
        j++;
      if (j == m)
        {
          if (m == max)
            return max + 1; /* too many */
          depth[m] = points[i].set_mm;
          mean[m] = 0;
          m++;
        }
      mean[j] += points[i].mean_mm;
      count[j]++;
    }
  for (guint j = 0; j < m; j++)
    mean[j] /= count[j];
  return m;
}

static gboolean
fit_line (const NbCalTable *old, const NbAdjustDepthPoint *points, gsize n, guint distinct,
          NbAdjustment *adj, GError **error)
{
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    {
      x[i] = commanded_mm (old, points[i].set_mm);
      y[i] = points[i].mean_mm;
    }
  if (distinct < 2)
    {
      /* One depth: the pen's gain cannot be seen, only its offset there. */
      double e = 0;
      for (gsize i = 0; i < n; i++)
        e += y[i] - x[i];
      adj->method = NB_ADJUST_OFFSET;
      adj->a = e / (double) n;
      adj->b = 1.0;
      adj->max_residual_mm = 0;
      return TRUE;
    }
  if (n == 2)
    {
      /* Two points: the line through them (least squares needs a degree of freedom more). */
      adj->b = (y[1] - y[0]) / (x[1] - x[0]);
      adj->a = y[0] - adj->b * x[0];
    }
  else
    {
      NbLsqFit fit;
      g_autoptr (GError) local = NULL;
      if (!nb_lsq_fit_linear (x, y, n, &fit, &local))
        {
          g_set_error (error, NB_PROCEDURE_ERROR, NB_PROCEDURE_ERROR_ADJUST,
                       "no line fits the as-found depths: %s", local->message);
          return FALSE;
        }
      adj->a = fit.coef[0];
      adj->b = fit.coef[1];
    }
  adj->method = NB_ADJUST_LINEAR;
  adj->max_residual_mm = 0;
  for (gsize i = 0; i < n; i++)
    adj->max_residual_mm = MAX (adj->max_residual_mm, fabs (y[i] - (adj->a + adj->b * x[i])));
  return TRUE;
}

/* The commanded depth at which the pen delivers @target, from its @n measured responses
 * (@c commanded, @m delivered, in increasing order): quadratic (Lagrange) interpolation of c as a
 * function of m through point @j and its neighbours, linear with two points; a Newton step with
 * the line's gain @b where the responses do not increase. */
static double
inverse_response (const double *m, const double *c, guint n, guint j, double target, double b)
{
  guint k = MIN (n, 3u);
  guint lo = j == 0 ? 0 : MIN (j - 1, n - k);
  gboolean increasing = k >= 2;
  for (guint i = lo + 1; i < lo + k; i++)
    increasing = increasing && m[i] > m[i - 1] && c[i] > c[i - 1];
  if (!increasing)
    return c[j] + (target - m[j]) / b;
  double sum = 0;
  for (guint i = lo; i < lo + k; i++)
    {
      double w = 1;
      for (guint l = lo; l < lo + k; l++)
        if (l != i)
          w *= (target - m[l]) / (m[i] - m[l]);
      sum += w * c[i];
    }
  return sum;
}

gboolean
nb_adjust_fit (const NbCalTable *old, const NbAdjustDepthPoint *points, gsize n,
               const NbAdjustRatePoint *rates, gsize n_rates, guint32 depth_min_um,
               guint32 depth_max_um, double threshold_mm, NbAdjustment *adj, GError **error)
{
  *adj = (NbAdjustment){ .threshold_mm = threshold_mm };
  if (n == 0)
    {
      g_set_error_literal (error, NB_PROCEDURE_ERROR, NB_PROCEDURE_ERROR_ADJUST,
                           "no as-found depth point to fit a correction to");
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    if (!isfinite (points[i].set_mm) || !isfinite (points[i].mean_mm))
      return ADJUST_ERROR (error, "as-found depth point %" G_GSIZE_FORMAT " has no finite mean", i);

  double depth[NB_CAL_MAX_POINTS], mean[NB_CAL_MAX_POINTS];
  guint distinct = group_depths (points, n, depth, mean, NB_CAL_MAX_POINTS);
  if (!fit_line (old, points, n, distinct > NB_CAL_MAX_POINTS ? 2 : distinct, adj, error))
    return FALSE;
  if (!(adj->b > 0) || !isfinite (adj->a))
    return ADJUST_ERROR (error,
                         "the pen's depth does not grow with its setting (gain %.4g): no table "
                         "corrects that",
                         adj->b);

  if (adj->method == NB_ADJUST_OFFSET)
    {
      adj->n_points = 1;
      adj->depth_um[0] = round (depth[0] * 1000.0);
      adj->correction_um[0] = -adj->a * 1000.0;
    }
  else if (adj->max_residual_mm > threshold_mm)
    {
      if (distinct > NB_CAL_MAX_POINTS)
        return ADJUST_ERROR (error,
                             "the depths need a correction per point but there are more than "
                             "%d of them",
                             NB_CAL_MAX_POINTS);
      /* Each depth from its own mean: the commanded depth that delivers it, by interpolating
       * the measured response backwards (commanded as a function of delivered) through the
       * point and its neighbours. */
      adj->method = NB_ADJUST_PER_POINT;
      adj->n_points = distinct;
      double c[NB_CAL_MAX_POINTS];
      for (guint j = 0; j < distinct; j++)
        c[j] = commanded_mm (old, depth[j]);
      for (guint j = 0; j < distinct; j++)
        {
          double want = inverse_response (mean, c, distinct, j, depth[j], adj->b);
          adj->depth_um[j] = round (depth[j] * 1000.0);
          adj->correction_um[j] = (want - depth[j]) * 1000.0;
        }
    }
  else
    {
      /* c(d) = (d − a)/b − d is linear in d: its values at the ends of the range reproduce it
       * everywhere between, as the pen interpolates. */
      guint32 ends[2] = { depth_min_um, depth_max_um };
      adj->n_points = depth_max_um > depth_min_um ? 2 : 1;
      for (guint j = 0; j < adj->n_points; j++)
        {
          double d = ends[j] / 1000.0;
          adj->depth_um[j] = ends[j];
          adj->correction_um[j] = ((d - adj->a) / adj->b - d) * 1000.0;
        }
    }

  adj->rate_correction_ppm = old->rate_correction_ppm;
  if (n_rates > 0)
    {
      double ratio = 0;
      for (gsize i = 0; i < n_rates; i++)
        {
          if (!(rates[i].mean_hz > 0) || !(rates[i].set_hz > 0) || !isfinite (rates[i].mean_hz))
            return ADJUST_ERROR (error,
                                 "as-found rate point %" G_GSIZE_FORMAT " has no positive mean", i);
          ratio += rates[i].set_hz / rates[i].mean_hz;
        }
      ratio /= (double) n_rates;
      adj->has_rate = TRUE;
      adj->rate_correction_ppm = ((1.0 + old->rate_correction_ppm / 1e6) * ratio - 1.0) * 1e6;
      if (fabs (adj->rate_correction_ppm) > NB_ADJUST_MAX_RATE_PPM)
        return ADJUST_ERROR (error,
                             "the rate needs a correction of %.0f ppm, beyond ±200000 ppm (20 %%): "
                             "the motor, not its calibration, is at fault",
                             adj->rate_correction_ppm);
    }
  return TRUE;
}

double
nb_adjust_correction_um (const NbAdjustment *adj, double d)
{
  if (adj->n_points == 0)
    return 0.0;
  if (d <= adj->depth_um[0])
    return adj->correction_um[0];
  for (guint i = 1; i < adj->n_points; i++)
    if (d <= adj->depth_um[i])
      {
        double f = (d - adj->depth_um[i - 1]) / (adj->depth_um[i] - adj->depth_um[i - 1]);
        return adj->correction_um[i - 1] + f * (adj->correction_um[i] - adj->correction_um[i - 1]);
      }
  return adj->correction_um[adj->n_points - 1];
}

gboolean
nb_adjust_to_table (const NbAdjustment *adj, guint64 calibrated_at, const char *certificate,
                    NbCalTable *table, GError **error)
{
  nb_cal_table_init_factory (table);
  if (certificate
      && (strlen (certificate) > NB_CAL_CERT_SIZE || !g_utf8_validate (certificate, -1, NULL)))
    {
      g_set_error (error, NB_PROCEDURE_ERROR, NB_PROCEDURE_ERROR_ADJUST,
                   "certificate “%s” does not fit the table's %d bytes", certificate,
                   NB_CAL_CERT_SIZE);
      return FALSE;
    }
  for (guint i = 0; i < adj->n_points; i++)
    {
      double c = round (adj->correction_um[i]);
      if (!(fabs (c) <= NB_CAL_MAX_CORRECTION_UM))
        {
          return adjust_error (error,
                               "the correction at %.3f mm would be %.0f µm, beyond the ±%d µm a "
                               "pen takes (docs/protocol.md §7): the pen needs repair, not "
                               "calibration",
                               adj->depth_um[i] / 1000.0, adj->correction_um[i],
                               NB_CAL_MAX_CORRECTION_UM);
        }
      table->points[i].depth_um = (guint32) adj->depth_um[i];
      table->points[i].correction_um = (gint32) c;
    }
  table->n_points = (guint8) adj->n_points;
  table->rate_correction_ppm = (gint32) lround (adj->rate_correction_ppm);
  table->calibrated_at = calibrated_at;
  if (certificate)
    g_strlcpy (table->certificate, certificate, sizeof table->certificate);
  return TRUE;
}
