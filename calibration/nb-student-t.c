/* nb-student-t.c: Student's t tail and quantile from the regularised incomplete beta function.
 *
 * P(T > t) = ½ · I_x(ν/2, ½) with x = ν / (ν + t²) for t ≥ 0 (Abramowitz & Stegun 26.7.1 with
 * 26.5.27). I_x is evaluated by its continued fraction (A&S 26.5.8) with the modified Lentz
 * method; the quantile is found by bisection on the tail, which is monotone, so it cannot fail
 * to converge. */
#include "nb-student-t.h"

#include <math.h>

#include "nb-calibration-error.h"

/* Above this ν the t distribution is the normal one to better than 3e-7 relative in t_p (the
 * first correction term is (z³ + z) / 4ν), and the continued fraction would need many terms. */
#define NORMAL_NU 1e7
#define CF_MAX_TERMS 200000
#define CF_EPS 1e-16
#define TINY 1e-300

/* The continued fraction of I_x(a, b) without its prefactor; converges fast for
 * x < (a + 1) / (a + b + 2). */
static double
beta_continued_fraction (double x, double a, double b)
{
  double c = 1.0;
  double d = 1.0 - (a + b) * x / (a + 1.0);
  if (fabs (d) < TINY)
    d = TINY;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= CF_MAX_TERMS; m++)
    {
      double m2 = 2.0 * m;
      /* even step: d_2m = m (b − m) x / ((a + 2m − 1)(a + 2m)) */
      double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
      d = 1.0 + num * d;
      if (fabs (d) < TINY)
        d = TINY;
      c = 1.0 + num / c;
      if (fabs (c) < TINY)
        c = TINY;
      d = 1.0 / d;
      h *= d * c;
      /* odd step: d_2m+1 = −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) */
      num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
      d = 1.0 + num * d;
      if (fabs (d) < TINY)
        d = TINY;
      c = 1.0 + num / c;
      if (fabs (c) < TINY)
        c = TINY;
      d = 1.0 / d;
      double delta = d * c;
      h *= delta;
      if (fabs (delta - 1.0) < CF_EPS)
        break;
    }
  return h;
}

/* I_x(a, b) given both x and y = 1 − x, so that a caller that knows y more accurately than
 * 1 − x (the t tail for small t) does not lose it to cancellation. */
static double
incomplete_beta_xy (double x, double y, double a, double b)
{
  if (x <= 0.0)
    return 0.0;
  if (y <= 0.0)
    return 1.0;
  double log_front = a * log (x) + b * log (y) + lgamma (a + b) - lgamma (a) - lgamma (b);
  if (x < (a + 1.0) / (a + b + 2.0))
    return exp (log_front) * beta_continued_fraction (x, a, b) / a;
  return 1.0 - exp (log_front) * beta_continued_fraction (y, b, a) / b;
}

double
nb_incomplete_beta (double x, double a, double b)
{
  if (!(a > 0.0) || !(b > 0.0) || !(x >= 0.0 && x <= 1.0) || isinf (a) || isinf (b))
    return NAN;
  return incomplete_beta_xy (x, 1.0 - x, a, b);
}

double
nb_student_t_upper_tail (double t, double nu)
{
  if (isnan (t) || isnan (nu) || nu < 1.0)
    return NAN;
  if (nu > NORMAL_NU)
    return 0.5 * erfc (t / G_SQRT2);
  if (isinf (t))
    return t > 0 ? 0.0 : 1.0;
  double t2 = t * t;
  double x = nu / (nu + t2);
  double y = t2 / (nu + t2);
  double half_tail = 0.5 * incomplete_beta_xy (x, y, 0.5 * nu, 0.5);
  return t >= 0.0 ? half_tail : 1.0 - half_tail;
}

double
nb_student_t_cdf (double t, double nu)
{
  return 1.0 - nb_student_t_upper_tail (t, nu);
}

gboolean
nb_student_t_coverage_factor (double p, double nu, double *k, GError **error)
{
  if (!(p > 0.0 && p < 1.0))
    {
      g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID,
                   "coverage probability %g is not between 0 and 1", p);
      return FALSE;
    }
  if (isnan (nu) || nu < 1.0)
    {
      g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID,
                   "degrees of freedom %g: at least 1 is needed", nu);
      return FALSE;
    }
  double tail = 0.5 * (1.0 - p);
  double lo = 0.0, hi = 1.0;
  while (nb_student_t_upper_tail (hi, nu) > tail)
    {
      lo = hi;
      hi *= 2.0;
      if (hi > 1e300)
        {
          g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID,
                       "coverage %g at %g degrees of freedom has no finite factor", p, nu);
          return FALSE;
        }
    }
  /* Bisection to the last representable digit: the tail is monotone, so this always ends. */
  for (int i = 0; i < 2000; i++)
    {
      double mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi)
        break;
      if (nb_student_t_upper_tail (mid, nu) > tail)
        lo = mid;
      else
        hi = mid;
    }
  *k = 0.5 * (lo + hi);
  return TRUE;
}
