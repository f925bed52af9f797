/* nb-point-result.c: one point's statistics, uncertainty, verdict, PFA and Cpk together. */
#include "nb-point-result.h"

#include <math.h>

#include "nb-cpk.h"
#include "nb-student-t.h"

gboolean
nb_point_result_evaluate (const double *x, gsize n, double target, gboolean rate,
                          NbUncertaintyBudget *type_b, const NbTolerance *tolerance,
                          NbDecisionRule rule, NbPointResult *result, GError **error)
{
  NbPointResult r = { 0 };
  gboolean ok = rate ? nb_point_stats_compute_rate (x, n, target, &r.stats, error)
                     : nb_point_stats_compute (x, n, target, &r.stats, error);
  if (!ok)
    return FALSE;

  g_autoptr (NbUncertaintyBudget) budget = nb_uncertainty_budget_new ();
  g_autofree char *type_a = g_strdup_printf ("repeatability (%" G_GSIZE_FORMAT " readings)", n);
  if (!nb_uncertainty_budget_add_type_a (budget, type_a, r.stats.sd, n, error))
    return FALSE;
  if (type_b != NULL)
    {
      GPtrArray *components = nb_uncertainty_budget_get_components (type_b);
      for (guint i = 0; i < components->len; i++)
        {
          const NbUncertaintyComponent *c = components->pdata[i];
          if (!nb_uncertainty_budget_add (budget, c->name, c->u, c->c, c->nu, error))
            return FALSE;
        }
    }
  if (!nb_uncertainty_budget_evaluate (budget, NB_COVERAGE_95_45, &r.uncertainty, error))
    return FALSE;

  r.tolerance = *tolerance;
  r.rule = rule;
  if (!nb_decision_decide (rule, tolerance, r.stats.mean, r.uncertainty.U, &r.verdict, error))
    return FALSE;
  r.pfa = NAN;
  if (nb_verdict_is_acceptance (r.verdict)
      && !nb_decision_pfa (tolerance, r.stats.mean, r.uncertainty.u_c, r.uncertainty.nu_used,
                           &r.pfa, error))
    return FALSE;

  /* Cpk is optional: too few strokes or no scatter leave it NaN rather than failing the
   * point. */
  if (!nb_cpk (n, r.stats.mean, r.stats.sd, tolerance->lower, tolerance->upper, &r.cpk, NULL))
    r.cpk = NAN;

  *result = r;
  return TRUE;
}
