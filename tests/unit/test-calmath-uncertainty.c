/* test-calmath-uncertainty.c: the GUM uncertainty budget against GUM Example H.1 (end-gauge
 * calibration) as given in ../shared/reference/gum-reference.md §2: u_c = 32 nm, ν_eff = 16.7
 * (16.73 from u_c² = 1002 nm²) truncated to 16, k₉₉ = 2.92, U₉₉ = 93 nm; the sub-budget of the
 * measured difference d: u = 9.68 nm, ν = 25.45; and the type B helpers' definitions. */
#include <math.h>
#include <string.h>

#include "nb-calibration-error.h"
#include "nb-student-t.h"
#include "nb-uncertainty.h"

static double
round_to (double v, int decimals)
{
  double f = pow (10.0, decimals);
  return round (v * f) / f;
}

static void
test_ws_oracle (void)
{
  /* "feed the 4 contributions (25, 9.7, 2.9, 16.6 nm; ν = 18, 25.6, 50, 2) with u_c² = 1002
   * nm² → expect ν_eff = 16.73 ±0.01" */
  const double u[] = { 25.0, 9.7, 2.9, 16.6 };
  const double nu[] = { 18.0, 25.6, 50.0, 2.0 };
  double nu_eff = nb_welch_satterthwaite (u, nu, 4, sqrt (1002.0));
  g_test_message ("ν_eff (u_c² = 1002 nm²) = %.4f", nu_eff);
  g_assert_cmpfloat (fabs (nu_eff - 16.73), <=, 0.01);
  /* ∞ degrees of freedom add nothing; all ∞ gives ∞ */
  const double inf[] = { INFINITY, INFINITY };
  g_assert_true (isinf (nb_welch_satterthwaite (u, inf, 2, 30.0)));
  g_assert_true (isnan (nb_welch_satterthwaite (u, nu, 4, 0.0)));
}

static void
test_end_gauge_table (void)
{
  /* The rounded Table H.1 contributions through the budget: u_c² = 1003.06 nm² → ν_eff 16.76
   * [C], truncated to 16; at 99 % k = t₉₉(16) = 2.92 and U = 93 nm. */
  g_autoptr (NbUncertaintyBudget) budget = nb_uncertainty_budget_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_uncertainty_budget_add (budget, "l_s", 25.0, 1.0, 18.0, &error));
  g_assert_true (nb_uncertainty_budget_add (budget, "d", 9.7, 1.0, 25.6, &error));
  g_assert_true (nb_uncertainty_budget_add (budget, "δα", 2.9, 1.0, 50.0, &error));
  g_assert_true (nb_uncertainty_budget_add (budget, "δθ", 16.6, 1.0, 2.0, &error));
  NbUncertaintyResult r;
  g_assert_true (nb_uncertainty_budget_evaluate (budget, 0.99, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (r.u_c * r.u_c, 1003.06, 1e-9);
  g_assert_cmpfloat (round_to (r.u_c, 0), ==, 32.0);
  g_assert_cmpfloat (round_to (r.nu_eff, 2), ==, 16.76);
  g_assert_cmpfloat (r.nu_used, ==, 16.0);
  g_assert_cmpfloat (round_to (r.k, 2), ==, 2.92);
  /* The published U₉₉ = 93 nm is 2.92 × 32 nm (u_c rounded first); unrounded it is 92.5. */
  g_assert_cmpfloat (round_to (r.k * round (r.u_c), 0), ==, 93.0);
  g_assert_cmpfloat (fabs (r.U - 93.0), <, 0.6);
  /* The reference's derived 95 % figure: t₉₅(16) = 2.12, U = 2.12 × 32 nm ≈ 68 nm. */
  g_assert_true (nb_uncertainty_budget_evaluate (budget, 0.95, &r, &error));
  g_assert_cmpfloat (round_to (r.k, 2), ==, 2.12);
  g_assert_cmpfloat (round_to (r.k * round (r.u_c), 0), ==, 68.0);
}

static void
test_end_gauge_raw (void)
{
  /* d from its three parts: d̄ 5.8 nm (ν 24), comparator random 3.9 nm (ν 5), comparator
   * systematic 6.7 nm (ν 8) → u(d) = 9.68 nm, ν(d) = 25.45. */
  g_autoptr (NbUncertaintyBudget) sub = nb_uncertainty_budget_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_uncertainty_budget_add (sub, "d̄", 5.8, 1.0, 24.0, &error));
  g_assert_true (nb_uncertainty_budget_add (sub, "d₁", 3.9, 1.0, 5.0, &error));
  g_assert_true (nb_uncertainty_budget_add (sub, "d₂", 6.7, 1.0, 8.0, &error));
  NbUncertaintyResult d;
  g_assert_true (nb_uncertainty_budget_evaluate (sub, 0.99, &d, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (round_to (d.u_c, 2), ==, 9.68);
  g_assert_cmpfloat (round_to (d.nu_eff, 2), ==, 25.45);

  /* The whole budget from the inputs of Table H.1, in nm, with the type B helpers and the
   * sensitivity coefficients: l_s from its certificate (U = 75 nm, k = 3, ν 18); δα rectangular
   * ±1e-6 /°C with c = −l_s·θ = 5e6 nm·°C (ν 50); δθ rectangular ±0.05 °C with c = −l_s·α_s =
   * −575 nm/°C (ν 2). Published: u_c = 32 nm, ν_eff 16.7 → 16, k₉₉ = 2.92, U₉₉ = 93 nm. */
  g_autoptr (NbUncertaintyBudget) budget = nb_uncertainty_budget_new ();
  g_assert_true (nb_uncertainty_budget_add (budget, "l_s", nb_uncertainty_certificate (75.0, 3.0),
                                            1.0, 18.0, &error));
  g_assert_true (nb_uncertainty_budget_add (budget, "d", d.u_c, 1.0, d.nu_eff, &error));
  g_assert_true (nb_uncertainty_budget_add (budget, "δα", nb_uncertainty_rectangular (1e-6), 5e6,
                                            50.0, &error));
  g_assert_true (nb_uncertainty_budget_add (budget, "δθ", nb_uncertainty_rectangular (0.05), -575.0,
                                            2.0, &error));
  g_assert_no_error (error);
  NbUncertaintyResult r;
  g_assert_true (nb_uncertainty_budget_evaluate (budget, 0.99, &r, &error));
  g_test_message ("raw end gauge: u_c² = %.2f nm², ν_eff = %.3f, k = %.4f, U = %.2f nm",
                  r.u_c * r.u_c, r.nu_eff, r.k, r.U);
  /* [C] 625 + 93.74 + 8.33 + 275.53 = 1002.6 nm² */
  g_assert_cmpfloat (round_to (r.u_c * r.u_c, 1), ==, 1002.6);
  g_assert_cmpfloat (round_to (r.u_c, 0), ==, 32.0);
  g_assert_cmpfloat (fabs (r.nu_eff - 16.7), <, 0.1);
  g_assert_cmpfloat (r.nu_used, ==, 16.0);
  g_assert_cmpfloat (round_to (r.k, 2), ==, 2.92);
  g_assert_cmpfloat (round_to (r.k * round (r.u_c), 0), ==, 93.0);
  g_assert_cmpfloat (fabs (r.U - 93.0), <, 0.6);
}

static void
test_helpers (void)
{
  /* Definitions (domain.md): a/√3; d/2/√3; U/k. */
  g_assert_cmpfloat_with_epsilon (nb_uncertainty_rectangular (sqrt (3.0)), 1.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (nb_uncertainty_resolution (0.001), 0.0005 / sqrt (3.0), 1e-18);
  g_assert_cmpfloat_with_epsilon (nb_uncertainty_certificate (0.004, 2.0), 0.002, 1e-18);
  g_assert_true (isnan (nb_uncertainty_rectangular (-1.0)));
  g_assert_true (isnan (nb_uncertainty_certificate (0.004, 0.0)));

  /* A depth point: type A s = 0.02 mm of 10 strokes (u = s/√10, ν = 9), the fixture's
   * resolution 1 µm and certificate U = 4 µm at k = 2. Only type A has finite ν, so
   * ν_eff = 9 (u_c / u_A)⁴. */
  g_autoptr (NbUncertaintyBudget) budget = nb_uncertainty_budget_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_uncertainty_budget_add_type_a (budget, "type A", 0.02, 10, &error));
  g_assert_true (nb_uncertainty_budget_add_resolution (budget, "resolution", 0.001, &error));
  g_assert_true (nb_uncertainty_budget_add_certificate (budget, "certificate", 0.004, 2.0, &error));
  g_assert_no_error (error);
  GPtrArray *components = nb_uncertainty_budget_get_components (budget);
  g_assert_cmpuint (components->len, ==, 3);
  const NbUncertaintyComponent *a = components->pdata[0];
  g_assert_cmpfloat_with_epsilon (a->u, 0.02 / sqrt (10.0), 1e-17);
  g_assert_cmpfloat (a->nu, ==, 9.0);
  g_assert_true (isinf (((NbUncertaintyComponent *) components->pdata[1])->nu));
  NbUncertaintyResult r;
  g_assert_true (nb_uncertainty_budget_evaluate (budget, NB_COVERAGE_95_45, &r, &error));
  double u_a = 0.02 / sqrt (10.0), u_res = 0.0005 / sqrt (3.0), u_cert = 0.002;
  double u_c = sqrt (u_a * u_a + u_res * u_res + u_cert * u_cert);
  g_assert_cmpfloat_with_epsilon (r.u_c, u_c, 1e-15);
  g_assert_cmpfloat_with_epsilon (r.nu_eff, 9.0 * pow (u_c / u_a, 4), 1e-9);
  double k = 0;
  g_assert_true (nb_student_t_coverage_factor (NB_COVERAGE_95_45, floor (r.nu_eff), &k, &error));
  g_assert_cmpfloat (r.k, ==, k);
  g_assert_cmpfloat_with_epsilon (r.U, k * u_c, 1e-15);

  /* Every component exact (ν = ∞): k = 2 at 95.45 % (GUM G.2), U = 2 u_c. */
  g_autoptr (NbUncertaintyBudget) b_only = nb_uncertainty_budget_new ();
  g_assert_true (nb_uncertainty_budget_add_certificate (b_only, "certificate", 0.004, 2.0, &error));
  g_assert_true (nb_uncertainty_budget_evaluate (b_only, NB_COVERAGE_95_45, &r, &error));
  g_assert_true (isinf (r.nu_eff));
  g_assert_cmpfloat_with_epsilon (r.k, 2.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (r.U, 0.004, 1e-15);

  /* One finite component, the rest 0: ν_eff is exactly its ν, not a hair below. */
  g_autoptr (NbUncertaintyBudget) one = nb_uncertainty_budget_new ();
  g_assert_true (nb_uncertainty_budget_add (one, "a", 0.1, 1.0, 7.0, &error));
  g_assert_true (nb_uncertainty_budget_add (one, "b", 0.0, 1.0, INFINITY, &error));
  g_assert_true (nb_uncertainty_budget_evaluate (one, NB_COVERAGE_95_45, &r, &error));
  g_assert_cmpfloat (r.nu_used, ==, 7.0);
  g_assert_cmpfloat (round_to (r.k, 2), ==, 2.43);
}

static void
test_invalid (void)
{
  g_autoptr (NbUncertaintyBudget) budget = nb_uncertainty_budget_new ();
  g_autoptr (GError) error = NULL;
  NbUncertaintyResult r;
  g_assert_false (nb_uncertainty_budget_evaluate (budget, 0.95, &r, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_DEGENERATE);
  g_clear_error (&error);
  g_assert_false (nb_uncertainty_budget_add (budget, "neg", -1.0, 1.0, 5.0, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "neg"));
  g_clear_error (&error);
  g_assert_false (nb_uncertainty_budget_add (budget, "nu", 1.0, 1.0, 0.0, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (nb_uncertainty_budget_add_type_a (budget, "one", 0.1, 1, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_TOO_FEW);
  g_clear_error (&error);
  g_assert_false (nb_uncertainty_budget_add_certificate (budget, "k0", 1.0, 0.0, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (nb_uncertainty_budget_add (budget, "zero", 0.0, 1.0, 4.0, &error));
  g_assert_false (nb_uncertainty_budget_evaluate (budget, 0.95, &r, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_DEGENERATE);
  g_assert_cmpuint (nb_uncertainty_budget_get_components (budget)->len, ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/calmath/uncertainty/welch-satterthwaite-gum-h1", test_ws_oracle);
  g_test_add_func ("/calmath/uncertainty/end-gauge-table", test_end_gauge_table);
  g_test_add_func ("/calmath/uncertainty/end-gauge-raw", test_end_gauge_raw);
  g_test_add_func ("/calmath/uncertainty/helpers", test_helpers);
  g_test_add_func ("/calmath/uncertainty/invalid", test_invalid);
  return g_test_run ();
}
