/* test-calmath-decision.c: ILAC-G8 decision rules with the at-limit convention of
 * docs/calibration-method.md, and the probability of false acceptance against the figures of
 * ../shared/reference/ilac-g8.md (simple acceptance: 50 % at the limit; guard band w = U with
 * k = 2, normal: under 2.5 %, [C] 2.28 %; w = 0.83 U: 4.85 %; w = 1.5 U: 0.135 %; w = 3 U:
 * 9.9e-10; Student-t tails make w = U riskier than 2.3 % when U = 2 u at small ν). */
#include <math.h>

#include "nb-calibration-error.h"
#include "nb-decision.h"
#include "nb-student-t.h"

static NbVerdict
decide (NbDecisionRule rule, NbTolerance tol, double measured, double U)
{
  NbVerdict verdict = NB_VERDICT_FAIL;
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_decision_decide (rule, &tol, measured, U, &verdict, &error));
  g_assert_no_error (error);
  return verdict;
}

static void
test_simple (void)
{
  /* 1.00 ± 0.15 mm: simple acceptance ignores U; a result on a limit passes. */
  NbTolerance tol = nb_tolerance_symmetric (1.0, 0.15);
  g_assert_cmpint (decide (NB_DECISION_SIMPLE, tol, 1.0, 0.05), ==, NB_VERDICT_PASS);
  g_assert_cmpint (decide (NB_DECISION_SIMPLE, tol, 1.0 + 0.15, 0.05), ==, NB_VERDICT_PASS);
  g_assert_cmpint (decide (NB_DECISION_SIMPLE, tol, 1.15, 0.05), ==, NB_VERDICT_PASS);
  g_assert_cmpint (decide (NB_DECISION_SIMPLE, tol, 0.85, 0.05), ==, NB_VERDICT_PASS);
  g_assert_cmpint (decide (NB_DECISION_SIMPLE, tol, 1.1501, 0.05), ==, NB_VERDICT_FAIL);
  g_assert_cmpint (decide (NB_DECISION_SIMPLE, tol, 0.8499, 0.05), ==, NB_VERDICT_FAIL);
  /* 0.30 ± 0.15 mm: in binary 0.3 + 0.15 = 0.44999999999999996, so a result of 0.45 mm lies
   * 6e-17 above the computed limit; it is on the limit and passes. */
  NbTolerance thin = nb_tolerance_symmetric (0.3, 0.15);
  g_assert_cmpfloat (thin.upper, <, 0.45);
  g_assert_cmpint (decide (NB_DECISION_SIMPLE, thin, 0.45, 0.02), ==, NB_VERDICT_PASS);
  g_assert_cmpint (decide (NB_DECISION_NONBINARY, thin, 0.45, 0.02), ==,
                   NB_VERDICT_CONDITIONAL_PASS);
  g_assert_cmpint (decide (NB_DECISION_SIMPLE, thin, 0.450001, 0.02), ==, NB_VERDICT_FAIL);
}

static void
test_guarded (void)
{
  /* w = U = 0.02 mm: acceptance limits 0.87 and 1.13, inclusive. */
  NbTolerance tol = nb_tolerance_symmetric (1.0, 0.15);
  g_assert_cmpint (decide (NB_DECISION_GUARDED, tol, 1.13, 0.02), ==, NB_VERDICT_PASS);
  g_assert_cmpint (decide (NB_DECISION_GUARDED, tol, 1.0 + 0.15 - 0.02, 0.02), ==, NB_VERDICT_PASS);
  g_assert_cmpint (decide (NB_DECISION_GUARDED, tol, 0.87, 0.02), ==, NB_VERDICT_PASS);
  g_assert_cmpint (decide (NB_DECISION_GUARDED, tol, 1.1301, 0.02), ==, NB_VERDICT_FAIL);
  g_assert_cmpint (decide (NB_DECISION_GUARDED, tol, 1.15, 0.02), ==, NB_VERDICT_FAIL);
  g_assert_cmpint (decide (NB_DECISION_GUARDED, tol, 0.8699, 0.02), ==, NB_VERDICT_FAIL);
  /* U larger than half the tolerance: no pass zone at all. */
  NbTolerance narrow = nb_tolerance_symmetric (0.25, 0.01);
  g_assert_cmpint (decide (NB_DECISION_GUARDED, narrow, 0.25, 0.02), ==, NB_VERDICT_FAIL);
  g_assert_cmpint (decide (NB_DECISION_NONBINARY, narrow, 0.25, 0.02), ==,
                   NB_VERDICT_CONDITIONAL_PASS);
}

static void
test_nonbinary (void)
{
  /* ±0.15 mm, U = 0.02 mm: pass ≤ 0.13, conditional pass ≤ 0.15, conditional fail ≤ 0.17 off
   * the target; each limit belongs to the better zone. */
  NbTolerance tol = nb_tolerance_symmetric (1.0, 0.15);
  const struct
  {
    double measured;
    NbVerdict verdict;
  } cases[] = {
    { 1.00, NB_VERDICT_PASS },
    { 1.13, NB_VERDICT_PASS },
    { 1.1301, NB_VERDICT_CONDITIONAL_PASS },
    { 1.15, NB_VERDICT_CONDITIONAL_PASS },
    { 1.1501, NB_VERDICT_CONDITIONAL_FAIL },
    { 1.17, NB_VERDICT_CONDITIONAL_FAIL },
    { 1.1701, NB_VERDICT_FAIL },
    { 0.87, NB_VERDICT_PASS },
    { 0.85, NB_VERDICT_CONDITIONAL_PASS },
    { 0.83, NB_VERDICT_CONDITIONAL_FAIL },
    { 0.8299, NB_VERDICT_FAIL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      NbVerdict v = decide (NB_DECISION_NONBINARY, tol, cases[i].measured, 0.02);
      if (v != cases[i].verdict)
        g_error ("%.4f mm: %s, expected %s", cases[i].measured, nb_verdict_to_string (v),
                 nb_verdict_to_string (cases[i].verdict));
    }
}

static void
test_asymmetric_and_one_sided (void)
{
  /* 0.25 mm, −0.05 / +0.15 mm: limits 0.20 and 0.40. */
  NbTolerance tol = nb_tolerance_asymmetric (0.25, 0.05, 0.15);
  g_assert_cmpfloat_with_epsilon (tol.lower, 0.20, 1e-15);
  g_assert_cmpfloat_with_epsilon (tol.upper, 0.40, 1e-15);
  g_assert_cmpint (decide (NB_DECISION_SIMPLE, tol, 0.39, 0.0), ==, NB_VERDICT_PASS);
  g_assert_cmpint (decide (NB_DECISION_SIMPLE, tol, 0.19, 0.0), ==, NB_VERDICT_FAIL);
  g_assert_cmpint (decide (NB_DECISION_GUARDED, tol, 0.21, 0.02), ==, NB_VERDICT_FAIL);
  g_assert_cmpint (decide (NB_DECISION_GUARDED, tol, 0.22, 0.02), ==, NB_VERDICT_PASS);
  /* An upper limit only. */
  NbTolerance upper = { -INFINITY, 0.5 };
  g_assert_cmpint (decide (NB_DECISION_GUARDED, upper, -100.0, 0.02), ==, NB_VERDICT_PASS);
  g_assert_cmpint (decide (NB_DECISION_NONBINARY, upper, 0.49, 0.02), ==,
                   NB_VERDICT_CONDITIONAL_PASS);
  /* Rate tolerance in %: 120 Hz ± 5 % = 114 … 126 Hz. */
  NbTolerance rate = nb_tolerance_percent (120.0, 5.0);
  g_assert_cmpfloat_with_epsilon (rate.lower, 114.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (rate.upper, 126.0, 1e-12);
  g_assert_cmpint (decide (NB_DECISION_SIMPLE, rate, 126.0, 1.0), ==, NB_VERDICT_PASS);
}

static double
pfa (NbTolerance tol, double measured, double u_c, double nu)
{
  double p = -1;
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_decision_pfa (&tol, measured, u_c, nu, &p, &error));
  g_assert_no_error (error);
  return p;
}

static double
round_to (double v, int decimals)
{
  double f = pow (10.0, decimals);
  return round (v * f) / f;
}

static void
test_pfa_ilac (void)
{
  /* 1.00 ± 0.15 mm, u_c = 0.01 mm, normal (ν = ∞), U = 2 u_c = 0.02 mm. */
  const double u = 0.01, U = 0.02;
  NbTolerance tol = nb_tolerance_symmetric (1.0, 0.15);
  /* Simple acceptance, result on the limit: 50 %. */
  g_assert_cmpfloat_with_epsilon (pfa (tol, 1.15, u, INFINITY), 0.5, 1e-12);
  g_assert_cmpint (decide (NB_DECISION_SIMPLE, tol, 1.15, U), ==, NB_VERDICT_PASS);
  /* Guarded w = U, result on the acceptance limit: under 2.5 %, [C] 2.28 %. */
  double at_al = pfa (tol, 1.15 - U, u, INFINITY);
  g_assert_cmpint (decide (NB_DECISION_GUARDED, tol, 1.15 - U, U), ==, NB_VERDICT_PASS);
  g_assert_cmpfloat (at_al, <, 0.025);
  g_assert_cmpfloat (round_to (100.0 * at_al, 2), ==, 2.28);
  /* The other rows of the reference table: w = 0.83 U → 4.85 %; 1.5 U → 0.135 %; 3 U →
   * 9.9e-10. */
  g_assert_cmpfloat (round_to (100.0 * pfa (tol, 1.15 - 0.83 * U, u, INFINITY), 2), ==, 4.85);
  g_assert_cmpfloat (round_to (100.0 * pfa (tol, 1.15 - 1.5 * U, u, INFINITY), 3), ==, 0.135);
  g_assert_cmpfloat (round_to (1e10 * pfa (tol, 1.15 - 3.0 * U, u, INFINITY), 1), ==, 9.9);
  /* A result at the target carries (almost) no risk; one outside carries more than half. */
  g_assert_cmpfloat (pfa (tol, 1.0, u, INFINITY), <, 1e-40);
  g_assert_cmpfloat (pfa (tol, 1.16, u, INFINITY), >, 0.5);
}

static void
test_pfa_student (void)
{
  /* Small ν_eff: with U = 2 u_c the t tail beyond the acceptance limit is fatter than the
   * normal 2.28 %. */
  NbTolerance tol = nb_tolerance_symmetric (1.0, 0.15);
  double u = 0.01;
  double at_al5 = pfa (tol, 1.15 - 2.0 * u, u, 5.0);
  g_assert_cmpfloat (at_al5, >, 0.023);
  /* both tails count: 2 u_c beyond the upper limit, 28 u_c beyond the lower one */
  g_assert_cmpfloat_with_epsilon (
      at_al5, nb_student_t_upper_tail (2.0, 5.0) + nb_student_t_upper_tail (28.0, 5.0), 1e-15);
  /* With U = t₉₅.₄₅(ν) u_c, as the budget gives it, the risk at the acceptance limit is the
   * one-sided (1 − 0.9545) / 2 = 2.275 % at every ν (an upper limit only, so the far tail of
   * a small ν does not add to it). */
  NbTolerance upper = { -INFINITY, 1.15 };
  const double nus[] = { 2.0, 5.0, 9.0, 16.7, INFINITY };
  for (guint i = 0; i < G_N_ELEMENTS (nus); i++)
    {
      double k = 0;
      g_autoptr (GError) error = NULL;
      g_assert_true (nb_student_t_coverage_factor (NB_COVERAGE_95_45, nus[i], &k, &error));
      double p = pfa (upper, 1.15 - k * u, u, nus[i]);
      g_assert_cmpfloat_with_epsilon (p, 0.5 * (1.0 - NB_COVERAGE_95_45), 1e-10);
    }
}

static void
test_names_and_invalid (void)
{
  NbDecisionRule rule = NB_DECISION_SIMPLE;
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_decision_rule_from_string ("nonbinary", &rule, &error));
  g_assert_cmpint (rule, ==, NB_DECISION_NONBINARY);
  g_assert_cmpstr (nb_decision_rule_to_string (NB_DECISION_GUARDED), ==, "guarded");
  g_assert_cmpstr (nb_verdict_to_string (NB_VERDICT_CONDITIONAL_FAIL), ==, "conditional-fail");
  g_assert_false (nb_decision_rule_from_string ("lenient", &rule, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (nb_verdict_is_acceptance (NB_VERDICT_CONDITIONAL_PASS));
  g_assert_false (nb_verdict_is_acceptance (NB_VERDICT_CONDITIONAL_FAIL));
  g_assert_cmpint (nb_verdict_worst (NB_VERDICT_PASS, NB_VERDICT_CONDITIONAL_PASS), ==,
                   NB_VERDICT_CONDITIONAL_PASS);
  g_assert_cmpint (nb_verdict_worst (NB_VERDICT_FAIL, NB_VERDICT_PASS), ==, NB_VERDICT_FAIL);

  NbTolerance tol = nb_tolerance_symmetric (1.0, 0.15);
  NbTolerance reversed = { 1.15, 0.85 };
  NbVerdict v;
  double p;
  g_assert_false (nb_decision_decide (NB_DECISION_SIMPLE, &reversed, 1.0, 0.0, &v, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (nb_decision_decide (NB_DECISION_GUARDED, &tol, NAN, 0.02, &v, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (nb_decision_decide (NB_DECISION_GUARDED, &tol, 1.0, -0.02, &v, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (nb_decision_pfa (&tol, 1.0, 0.0, 5.0, &p, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (nb_decision_pfa (&tol, 1.0, 0.01, 0.5, &p, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/calmath/decision/simple", test_simple);
  g_test_add_func ("/calmath/decision/guarded", test_guarded);
  g_test_add_func ("/calmath/decision/nonbinary", test_nonbinary);
  g_test_add_func ("/calmath/decision/asymmetric-one-sided", test_asymmetric_and_one_sided);
  g_test_add_func ("/calmath/decision/pfa-ilac-g8", test_pfa_ilac);
  g_test_add_func ("/calmath/decision/pfa-student-t", test_pfa_student);
  g_test_add_func ("/calmath/decision/names-invalid", test_names_and_invalid);
  return g_test_run ();
}
