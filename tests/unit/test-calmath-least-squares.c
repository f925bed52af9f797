/* test-calmath-least-squares.c: the least-squares fits against NIST StRD Norris (linear) and
 * Pontius (quadratic), data and certified values from ../shared/reference/nist-strd-norris.txt.
 * Every certified value (coefficients, their standard deviations, residual SD, R²) must have a
 * log relative error LRE = −log10 (|x − c| / |c|) ≥ 9; run with --verbose to see the LREs. */
#include <math.h>

#include "nb-calibration-error.h"
#include "nb-least-squares.h"

#define MIN_LRE 9.0

/* Norris, NIST file order: y then x. */
static const double norris_y[] = {
  0.1, 338.8, 118.1, 888.0, 9.2,   228.1, 668.5, 998.5, 449.1, 778.9, 559.2, 0.3,
  0.1, 778.1, 668.8, 339.3, 448.9, 10.8,  557.7, 228.3, 998.0, 888.8, 119.6, 0.3,
  0.6, 557.6, 339.3, 888.0, 998.5, 778.9, 10.2,  117.6, 228.9, 668.4, 449.2, 0.2,
};
static const double norris_x[] = {
  0.2, 337.4, 118.2, 884.6, 10.1,  226.5, 666.3, 996.3, 448.6, 777.0, 558.2, 0.4,
  0.6, 775.5, 666.9, 338.0, 447.5, 11.6,  556.0, 228.1, 995.8, 887.6, 120.2, 0.3,
  0.3, 556.8, 339.1, 887.2, 999.0, 779.0, 11.1,  118.3, 229.2, 669.1, 448.9, 0.5,
};

/* Pontius: y = deflection, x = load. */
static const double pontius_y[] = {
  0.11019, 0.21956, 0.32949, 0.43899, 0.54803, 0.65694, 0.76562, 0.87487, 0.98292, 1.09146,
  1.20001, 1.30822, 1.41599, 1.52399, 1.63194, 1.73947, 1.84646, 1.95392, 2.06128, 2.16844,
  0.11052, 0.22018, 0.32939, 0.43886, 0.54798, 0.65739, 0.76596, 0.87474, 0.983,   1.0915,
  1.20004, 1.30818, 1.41613, 1.52408, 1.63159, 1.73965, 1.84696, 1.95445, 2.06177, 2.16829,
};
static const double pontius_x[] = {
  150000,  300000,  450000,  600000,  750000,  900000,  1050000, 1200000, 1350000, 1500000,
  1650000, 1800000, 1950000, 2100000, 2250000, 2400000, 2550000, 2700000, 2850000, 3000000,
  150000,  300000,  450000,  600000,  750000,  900000,  1050000, 1200000, 1350000, 1500000,
  1650000, 1800000, 1950000, 2100000, 2250000, 2400000, 2550000, 2700000, 2850000, 3000000,
};

/* LRE capped at 15, as StRD users report it (|x − c| = 0 would be infinite). */
static double
lre (double x, double c)
{
  double rel = fabs (x - c) / fabs (c);
  if (rel == 0.0)
    return 15.0;
  return MIN (15.0, -log10 (rel));
}

static void
check (const char *what, double x, double certified)
{
  double l = lre (x, certified);
  if (g_test_verbose ())
    g_printerr ("  %-22s %+.15e  certified %+.15e  LRE %.1f\n", what, x, certified, l);
  if (!(l >= MIN_LRE))
    g_error ("%s = %.15e, certified %.15e: LRE %.2f < %.0f", what, x, certified, l, MIN_LRE);
}

static void
test_norris (void)
{
  G_STATIC_ASSERT (G_N_ELEMENTS (norris_x) == 36 && G_N_ELEMENTS (norris_y) == 36);
  NbLsqFit fit;
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_lsq_fit_linear (norris_x, norris_y, 36, &fit, &error));
  g_assert_no_error (error);
  if (g_test_verbose ())
    g_printerr ("Norris (linear):\n");
  check ("B0", fit.coef[0], -0.262323073774029);
  check ("B1", fit.coef[1], 1.00211681802045);
  check ("sd(B0)", fit.coef_sd[0], 0.232818234301152);
  check ("sd(B1)", fit.coef_sd[1], 0.429796848199937E-03);
  check ("residual SD", fit.residual_sd, 0.884796396144373);
  check ("R²", fit.r_squared, 0.999993745883712);
  check ("RSS", fit.rss, 26.6173985294224);
}

static void
test_pontius (void)
{
  G_STATIC_ASSERT (G_N_ELEMENTS (pontius_x) == 40 && G_N_ELEMENTS (pontius_y) == 40);
  NbLsqFit fit;
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_lsq_fit_polynomial (pontius_x, pontius_y, 40, 2, &fit, &error));
  g_assert_no_error (error);
  if (g_test_verbose ())
    g_printerr ("Pontius (quadratic):\n");
  check ("B0", fit.coef[0], 0.673565789473684E-03);
  check ("B1", fit.coef[1], 0.732059160401003E-06);
  check ("B2", fit.coef[2], -0.316081871345029E-14);
  check ("sd(B0)", fit.coef_sd[0], 0.107938612033077E-03);
  check ("sd(B1)", fit.coef_sd[1], 0.157817399981659E-09);
  check ("sd(B2)", fit.coef_sd[2], 0.486652849992036E-16);
  check ("residual SD", fit.residual_sd, 0.205177424076185E-03);
  check ("R²", fit.r_squared, 0.999999900178537);
  check ("RSS", fit.rss, 0.155761768796992E-05);
}

static void
test_pontius_shifted (void)
{
  /* The same data with every load 1e10 higher (exact in binary: the loads are whole numbers).
   * A shift of x maps quadratics onto quadratics, so the fitted curve is the same and the
   * certified B2, sd(B2), residual SD, R² and RSS stay as they are; only B0 and B1 change.
   * With x near 1e10 a fit that skips the centring loses them (checked: QR on raw x gets LRE 8.1
   * for B2, normal equations far less). */
  double x[40];
  for (guint i = 0; i < 40; i++)
    x[i] = pontius_x[i] + 1e10;
  NbLsqFit fit;
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_lsq_fit_polynomial (x, pontius_y, 40, 2, &fit, &error));
  g_assert_no_error (error);
  if (g_test_verbose ())
    g_printerr ("Pontius, x + 1e10 (shift-invariant certified values):\n");
  check ("B2", fit.coef[2], -0.316081871345029E-14);
  check ("sd(B2)", fit.coef_sd[2], 0.486652849992036E-16);
  check ("residual SD", fit.residual_sd, 0.205177424076185E-03);
  check ("R²", fit.r_squared, 0.999999900178537);
  check ("RSS", fit.rss, 0.155761768796992E-05);
}

static void
test_exact_line (void)
{
  /* Points on y = 0.1 + 0.96 x (a depth correction) are fitted exactly; eval follows. */
  const double x[] = { 0.25, 0.5, 1.0, 1.5, 2.0 };
  double y[5];
  for (guint i = 0; i < 5; i++)
    y[i] = 0.1 + 0.96 * x[i];
  NbLsqFit fit;
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_lsq_fit_linear (x, y, 5, &fit, &error));
  g_assert_cmpfloat_with_epsilon (fit.coef[0], 0.1, 1e-14);
  g_assert_cmpfloat_with_epsilon (fit.coef[1], 0.96, 1e-14);
  g_assert_cmpfloat (fit.residual_sd, <, 1e-14);
  g_assert_cmpfloat_with_epsilon (nb_lsq_fit_eval (&fit, 1.25), 0.1 + 0.96 * 1.25, 1e-14);
}

static void
test_invalid (void)
{
  const double x[] = { 1.0, 1.0, 1.0, 1.0 };
  const double x2[] = { 1.0, 2.0, 1.0, 2.0 };
  const double y[] = { 1.0, 2.0, 3.0, 4.0 };
  NbLsqFit fit;
  g_autoptr (GError) error = NULL;
  g_assert_false (nb_lsq_fit_linear (x, y, 4, &fit, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_DEGENERATE);
  g_clear_error (&error);
  /* two distinct x cannot carry a parabola */
  g_assert_false (nb_lsq_fit_polynomial (x2, y, 4, 2, &fit, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_DEGENERATE);
  g_clear_error (&error);
  g_assert_false (nb_lsq_fit_linear (x2, y, 2, &fit, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_TOO_FEW);
  g_clear_error (&error);
  g_assert_false (nb_lsq_fit_polynomial (x2, y, 4, 0, &fit, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID);
  g_clear_error (&error);
  const double bad[] = { 1.0, NAN, 3.0, 4.0 };
  g_assert_false (nb_lsq_fit_linear (bad, y, 4, &fit, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/calmath/least-squares/nist-norris", test_norris);
  g_test_add_func ("/calmath/least-squares/nist-pontius", test_pontius);
  g_test_add_func ("/calmath/least-squares/nist-pontius-shifted", test_pontius_shifted);
  g_test_add_func ("/calmath/least-squares/exact-line", test_exact_line);
  g_test_add_func ("/calmath/least-squares/invalid", test_invalid);
  return g_test_run ();
}
