/* nb-decision.c: ILAC-G8 decision rules and the probability of false acceptance. */
#include "nb-decision.h"

#include <math.h>

#include "nb-calibration-error.h"
#include "nb-student-t.h"

static const char *const rule_names[] = { "simple", "guarded", "nonbinary" };
static const char *const verdict_names[]
    = { "pass", "conditional-pass", "conditional-fail", "fail" };

const char *
nb_decision_rule_to_string (NbDecisionRule rule)
{
  g_return_val_if_fail ((guint) rule < G_N_ELEMENTS (rule_names), NULL);
  return rule_names[rule];
}

gboolean
nb_decision_rule_from_string (const char *name, NbDecisionRule *rule, GError **error)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (rule_names); i++)
    if (g_str_equal (name, rule_names[i]))
      {
        *rule = (NbDecisionRule) i;
        return TRUE;
      }
  g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID,
               "unknown decision rule (simple, guarded or nonbinary)");
  return FALSE;
}

const char *
nb_verdict_to_string (NbVerdict verdict)
{
  g_return_val_if_fail ((guint) verdict < G_N_ELEMENTS (verdict_names), NULL);
  return verdict_names[verdict];
}

gboolean
nb_verdict_is_acceptance (NbVerdict verdict)
{
  return verdict == NB_VERDICT_PASS || verdict == NB_VERDICT_CONDITIONAL_PASS;
}

NbVerdict
nb_verdict_worst (NbVerdict a, NbVerdict b)
{
  return MAX (a, b);
}

NbTolerance
nb_tolerance_symmetric (double target, double t)
{
  return (NbTolerance){ target - t, target + t };
}

NbTolerance
nb_tolerance_asymmetric (double target, double minus, double plus)
{
  return (NbTolerance){ target - minus, target + plus };
}

NbTolerance
nb_tolerance_percent (double target, double percent)
{
  double t = fabs (target) * percent / 100.0;
  return (NbTolerance){ target - t, target + t };
}

static gboolean
check_tolerance (const NbTolerance *tolerance, GError **error)
{
  if (isnan (tolerance->lower) || isnan (tolerance->upper) || !(tolerance->lower < tolerance->upper)
      || tolerance->lower == INFINITY || tolerance->upper == -INFINITY)
    {
      g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID,
                   "tolerance limits %g … %g: the lower limit must be below the upper one",
                   tolerance->lower, tolerance->upper);
      return FALSE;
    }
  return TRUE;
}

/* value ≤ limit, counting a value within rounding of the limit as on it. */
static gboolean
at_or_below (double value, double limit, double slack)
{
  return value <= limit + slack;
}

gboolean
nb_decision_decide (NbDecisionRule rule, const NbTolerance *tolerance, double measured, double U,
                    NbVerdict *verdict, GError **error)
{
  if (!check_tolerance (tolerance, error))
    return FALSE;
  if (!isfinite (measured) || !isfinite (U) || U < 0.0)
    {
      g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID,
                   "result %g with U = %g cannot be decided", measured, U);
      return FALSE;
    }
  if ((guint) rule > NB_DECISION_NONBINARY)
    {
      g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID,
                   "unknown decision rule %d", (int) rule);
      return FALSE;
    }
  const double w = rule == NB_DECISION_SIMPLE ? 0.0 : U;
  const double lo = tolerance->lower, hi = tolerance->upper;
  /* Rounding slack, relative to the size of the numbers compared (the finite limits, the
   * result and the guard band), so a result computed as exactly a limit lands on it. */
  double scale = fabs (measured) + w;
  if (isfinite (lo))
    scale = MAX (scale, fabs (lo) + w);
  if (isfinite (hi))
    scale = MAX (scale, fabs (hi) + w);
  const double slack = NB_DECISION_LIMIT_SLACK * scale;

  /* Distance outside the band [lo + d, hi − d] must be ≤ 0 (with slack) to be inside it. */
#define INSIDE(d)                                                                                  \
  (at_or_below (lo + (d), measured, slack) && at_or_below (measured, hi - (d), slack))
  if (INSIDE (w))
    *verdict = NB_VERDICT_PASS;
  else if (rule != NB_DECISION_NONBINARY)
    *verdict = NB_VERDICT_FAIL;
  else if (INSIDE (0.0))
    *verdict = NB_VERDICT_CONDITIONAL_PASS;
  else if (INSIDE (-w))
    *verdict = NB_VERDICT_CONDITIONAL_FAIL;
  else
    *verdict = NB_VERDICT_FAIL;
#undef INSIDE
  return TRUE;
}

gboolean
nb_decision_pfa (const NbTolerance *tolerance, double measured, double u_c, double nu, double *pfa,
                 GError **error)
{
  if (!check_tolerance (tolerance, error))
    return FALSE;
  if (!isfinite (measured) || !isfinite (u_c) || !(u_c > 0.0) || isnan (nu) || nu < 1.0)
    {
      g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID,
                   "PFA of result %g with u_c = %g and ν = %g is undefined", measured, u_c, nu);
      return FALSE;
    }
  /* Each side as an upper tail, so a small probability is not the difference of two numbers
   * close to 1. */
  double below = 0.0, above = 0.0;
  if (isfinite (tolerance->lower))
    below = nb_student_t_upper_tail ((measured - tolerance->lower) / u_c, nu);
  if (isfinite (tolerance->upper))
    above = nb_student_t_upper_tail ((tolerance->upper - measured) / u_c, nu);
  *pfa = below + above;
  return TRUE;
}
