/* test-calmath-point-result.c: one point evaluated end to end (statistics → budget → k, U →
 * verdict → PFA → Cpk) gives the figures each step gives on its own; k lands on GUM Table G.2. */
#include <math.h>

#include "nb-calibration-error.h"
#include "nb-cpk.h"
#include "nb-point-result.h"
#include "nb-student-t.h"

/* The fixture: resolution 1 µm, certificate U = 4 µm at k = 2. */
static NbUncertaintyBudget *
fixture_budget (void)
{
  NbUncertaintyBudget *b = nb_uncertainty_budget_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_uncertainty_budget_add_resolution (b, "fixture resolution", 0.001, &error));
  g_assert_true (
      nb_uncertainty_budget_add_certificate (b, "fixture certificate", 0.004, 2.0, &error));
  g_assert_no_error (error);
  return b;
}

static void
test_depth_point (void)
{
  /* 0.48, 0.50, 0.52, 0.50 mm at 0.50 ± 0.15 mm: s = √(0.0008/3), u_A = s/2 (ν 3). */
  const double x[] = { 0.48, 0.50, 0.52, 0.50 };
  g_autoptr (NbUncertaintyBudget) fixture = fixture_budget ();
  NbTolerance tol = nb_tolerance_symmetric (0.5, 0.15);
  NbPointResult r;
  g_autoptr (GError) error = NULL;
  g_assert_true (
      nb_point_result_evaluate (x, 4, 0.5, FALSE, fixture, &tol, NB_DECISION_GUARDED, &r, &error));
  g_assert_no_error (error);
  double u_a = sqrt (0.0008 / 3.0) / 2.0, u_res = 0.0005 / sqrt (3.0), u_cert = 0.002;
  double u_c = sqrt (u_a * u_a + u_res * u_res + u_cert * u_cert);
  g_assert_cmpfloat_with_epsilon (r.uncertainty.u_c, u_c, 1e-15);
  g_assert_cmpfloat_with_epsilon (r.uncertainty.nu_eff, 3.0 * pow (u_c / u_a, 4), 1e-9);
  /* ν_eff = 3.38 → 3: GUM Table G.2 gives k = 3.31 at 95.45 %. */
  g_assert_cmpfloat (r.uncertainty.nu_used, ==, 3.0);
  g_assert_cmpfloat (round (r.uncertainty.k * 100.0), ==, 331.0);
  g_assert_cmpfloat_with_epsilon (r.uncertainty.U, r.uncertainty.k * u_c, 1e-15);
  g_assert_cmpint (r.verdict, ==, NB_VERDICT_PASS);
  g_assert_cmpint (r.rule, ==, NB_DECISION_GUARDED);
  double pfa = -1;
  g_assert_true (nb_decision_pfa (&tol, 0.5, u_c, 3.0, &pfa, &error));
  g_assert_cmpfloat_with_epsilon (r.pfa, pfa, 1e-18);
  g_assert_true (isnan (r.cpk)); /* 4 strokes */
  /* the caller's budget is copied, not extended */
  g_assert_cmpuint (nb_uncertainty_budget_get_components (fixture)->len, ==, 2);
}

static void
test_rules_near_limit (void)
{
  /* Mean 0.64 mm against 0.50 ± 0.15 mm with U ≈ 0.028 mm: inside the tolerance, inside the
   * guard band. */
  const double x[] = { 0.62, 0.64, 0.66, 0.64 };
  g_autoptr (NbUncertaintyBudget) fixture = fixture_budget ();
  NbTolerance tol = nb_tolerance_symmetric (0.5, 0.15);
  NbPointResult r;
  g_autoptr (GError) error = NULL;
  g_assert_true (
      nb_point_result_evaluate (x, 4, 0.5, FALSE, fixture, &tol, NB_DECISION_SIMPLE, &r, &error));
  g_assert_cmpfloat_with_epsilon (r.stats.error, 0.14, 1e-14);
  g_assert_cmpint (r.verdict, ==, NB_VERDICT_PASS);
  g_assert_true (r.pfa > 0.05 && r.pfa < 0.5);
  g_assert_true (
      nb_point_result_evaluate (x, 4, 0.5, FALSE, fixture, &tol, NB_DECISION_GUARDED, &r, &error));
  g_assert_cmpint (r.verdict, ==, NB_VERDICT_FAIL);
  g_assert_true (isnan (r.pfa)); /* not accepted: no false acceptance to report */
  g_assert_true (nb_point_result_evaluate (x, 4, 0.5, FALSE, fixture, &tol, NB_DECISION_NONBINARY,
                                           &r, &error));
  g_assert_cmpint (r.verdict, ==, NB_VERDICT_CONDITIONAL_PASS);
  g_assert_false (isnan (r.pfa));
  g_assert_no_error (error);
}

static void
test_cpk_and_rate (void)
{
  /* 25 strokes, mean 1.0 mm, s = 0.1 mm against 0.85 … 1.45 mm: Cpk = 0.15 / 0.3 = 0.5. */
  double x[25];
  for (guint i = 0; i < 12; i++)
    {
      x[2 * i] = 0.9;
      x[2 * i + 1] = 1.1;
    }
  x[24] = 1.0;
  NbTolerance tol = nb_tolerance_asymmetric (1.0, 0.15, 0.45);
  NbPointResult r;
  g_autoptr (GError) error = NULL;
  g_assert_true (
      nb_point_result_evaluate (x, 25, 1.0, FALSE, NULL, &tol, NB_DECISION_SIMPLE, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (r.cpk, 0.5, 1e-12);
  /* type A alone: ν_eff = 24 exactly, k = 2.110 (reference, 95.45 % at ν = 24) */
  g_assert_cmpfloat (r.uncertainty.nu_used, ==, 24.0);
  g_assert_cmpfloat (round (r.uncertainty.k * 1000.0), ==, 2110.0);

  /* Rate: 121, 123, 125 Hz at 120 Hz ± 5 %: error 2.5 %, inside 114 … 126 Hz. */
  const double hz[] = { 121.0, 123.0, 125.0 };
  NbTolerance rate_tol = nb_tolerance_percent (120.0, 5.0);
  g_assert_true (nb_point_result_evaluate (hz, 3, 120.0, TRUE, NULL, &rate_tol, NB_DECISION_SIMPLE,
                                           &r, &error));
  g_assert_cmpfloat_with_epsilon (r.stats.error_pct, 2.5, 1e-12);
  g_assert_cmpint (r.verdict, ==, NB_VERDICT_PASS);
}

static void
test_errors (void)
{
  const double one[] = { 0.5 };
  const double flat[] = { 0.5, 0.5, 0.5 };
  NbTolerance tol = nb_tolerance_symmetric (0.5, 0.15);
  NbPointResult r;
  g_autoptr (GError) error = NULL;
  g_assert_false (
      nb_point_result_evaluate (one, 1, 0.5, FALSE, NULL, &tol, NB_DECISION_SIMPLE, &r, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_TOO_FEW);
  g_clear_error (&error);
  /* no scatter and no type B: no uncertainty, no result */
  g_assert_false (
      nb_point_result_evaluate (flat, 3, 0.5, FALSE, NULL, &tol, NB_DECISION_SIMPLE, &r, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_DEGENERATE);
  g_clear_error (&error);
  g_assert_false (
      nb_point_result_evaluate (flat, 3, 0.0, TRUE, NULL, &tol, NB_DECISION_SIMPLE, &r, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/calmath/point-result/depth-point", test_depth_point);
  g_test_add_func ("/calmath/point-result/rules-near-limit", test_rules_near_limit);
  g_test_add_func ("/calmath/point-result/cpk-and-rate", test_cpk_and_rate);
  g_test_add_func ("/calmath/point-result/errors", test_errors);
  return g_test_run ();
}
