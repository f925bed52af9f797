/* nb-uncertainty.c: GUM uncertainty budget: combination, Welch–Satterthwaite, coverage. */
#include "nb-uncertainty.h"

#include <math.h>

#include "nb-calibration-error.h"
#include "nb-student-t.h"

struct _NbUncertaintyBudget
{
  GPtrArray *components;
};

static void
component_free (gpointer data)
{
  NbUncertaintyComponent *component = data;
  g_free (component->name);
  g_free (component);
}

double
nb_uncertainty_rectangular (double a)
{
  if (!isfinite (a) || a < 0.0)
    return NAN;
  return a / sqrt (3.0);
}

double
nb_uncertainty_resolution (double d)
{
  if (!isfinite (d) || d < 0.0)
    return NAN;
  return nb_uncertainty_rectangular (d / 2.0);
}

double
nb_uncertainty_certificate (double U, double k)
{
  if (!isfinite (U) || U < 0.0 || !isfinite (k) || !(k > 0.0))
    return NAN;
  return U / k;
}

double
nb_welch_satterthwaite (const double *u_i, const double *nu_i, gsize n, double u_c)
{
  if (!isfinite (u_c) || !(u_c > 0.0))
    return NAN;
  double denominator = 0.0;
  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (u_i[i]) || u_i[i] < 0.0 || isnan (nu_i[i]) || nu_i[i] < 1.0)
        return NAN;
      if (isinf (nu_i[i]))
        continue;
      /* (u/u_c)⁴ rather than u⁴ / u_c⁴ keeps tiny and huge units away from under/overflow. */
      double r = u_i[i] / u_c;
      denominator += r * r * r * r / nu_i[i];
    }
  if (denominator == 0.0)
    return INFINITY;
  return 1.0 / denominator;
}

NbUncertaintyBudget *
nb_uncertainty_budget_new (void)
{
  NbUncertaintyBudget *budget = g_new0 (NbUncertaintyBudget, 1);
  budget->components = g_ptr_array_new_with_free_func (component_free);
  return budget;
}

void
nb_uncertainty_budget_free (NbUncertaintyBudget *budget)
{
  if (budget == NULL)
    return;
  g_ptr_array_unref (budget->components);
  g_free (budget);
}

GPtrArray *
nb_uncertainty_budget_get_components (NbUncertaintyBudget *budget)
{
  g_return_val_if_fail (budget != NULL, NULL);
  return budget->components;
}

gboolean
nb_uncertainty_budget_add (NbUncertaintyBudget *budget, const char *name, double u, double c,
                           double nu, GError **error)
{
  g_return_val_if_fail (budget != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  if (!isfinite (u) || u < 0.0)
    {
      g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID,
                   "uncertainty component “%s”: u = %g is not a finite value ≥ 0", name, u);
      return FALSE;
    }
  if (!isfinite (c))
    {
      g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID,
                   "uncertainty component “%s”: sensitivity coefficient is not finite", name);
      return FALSE;
    }
  if (isnan (nu) || nu < 1.0)
    {
      g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID,
                   "uncertainty component “%s”: %g degrees of freedom (at least 1, or ∞)", name,
                   nu);
      return FALSE;
    }
  NbUncertaintyComponent *component = g_new0 (NbUncertaintyComponent, 1);
  component->name = g_strdup (name);
  component->u = u;
  component->c = c;
  component->nu = nu;
  g_ptr_array_add (budget->components, component);
  return TRUE;
}

gboolean
nb_uncertainty_budget_add_type_a (NbUncertaintyBudget *budget, const char *name, double s, gsize n,
                                  GError **error)
{
  if (n < 2)
    {
      g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_TOO_FEW,
                   "uncertainty component “%s”: type A needs at least 2 readings", name);
      return FALSE;
    }
  return nb_uncertainty_budget_add (budget, name, s / sqrt ((double) n), 1.0, (double) (n - 1),
                                    error);
}

gboolean
nb_uncertainty_budget_add_rectangular (NbUncertaintyBudget *budget, const char *name,
                                       double half_width, GError **error)
{
  return nb_uncertainty_budget_add (budget, name, nb_uncertainty_rectangular (half_width), 1.0,
                                    INFINITY, error);
}

gboolean
nb_uncertainty_budget_add_resolution (NbUncertaintyBudget *budget, const char *name,
                                      double resolution, GError **error)
{
  return nb_uncertainty_budget_add (budget, name, nb_uncertainty_resolution (resolution), 1.0,
                                    INFINITY, error);
}

gboolean
nb_uncertainty_budget_add_certificate (NbUncertaintyBudget *budget, const char *name, double U,
                                       double k, GError **error)
{
  return nb_uncertainty_budget_add (budget, name, nb_uncertainty_certificate (U, k), 1.0, INFINITY,
                                    error);
}

gboolean
nb_uncertainty_budget_evaluate (NbUncertaintyBudget *budget, double p, NbUncertaintyResult *result,
                                GError **error)
{
  g_return_val_if_fail (budget != NULL, FALSE);
  GPtrArray *components = budget->components;
  g_autofree double *u_i = g_new0 (double, components->len + 1);
  g_autofree double *nu_i = g_new0 (double, components->len + 1);
  /* Scale by the largest contribution before squaring, so the sum neither under- nor
   * overflows whatever the unit. */
  double largest = 0.0;
  for (guint i = 0; i < components->len; i++)
    {
      const NbUncertaintyComponent *component = components->pdata[i];
      u_i[i] = fabs (component->c) * component->u;
      nu_i[i] = component->nu;
      largest = MAX (largest, u_i[i]);
    }
  if (!(largest > 0.0))
    {
      g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_DEGENERATE,
                   "the uncertainty budget is empty or all its components are 0");
      return FALSE;
    }
  double sum = 0.0;
  for (guint i = 0; i < components->len; i++)
    sum += (u_i[i] / largest) * (u_i[i] / largest);
  double u_c = largest * sqrt (sum);
  double nu_eff = nb_welch_satterthwaite (u_i, nu_i, components->len, u_c);
  if (isnan (nu_eff))
    {
      g_set_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID,
                   "the uncertainty budget has no valid effective degrees of freedom");
      return FALSE;
    }
  /* GUM G.4.1: ν_eff is truncated to the next lower integer before t is looked up (the floor
   * is conservative: a larger k). The 1e-9 keeps a ν_eff that is a whole number in exact
   * arithmetic (one finite component) from losing 1 to rounding; ν_eff ≥ min ν_i ≥ 1 in exact
   * arithmetic, so the MAX only absorbs rounding too. */
  double nu_used = isinf (nu_eff) ? INFINITY : MAX (1.0, floor (nu_eff + 1e-9));
  double k;
  if (!nb_student_t_coverage_factor (p, nu_used, &k, error))
    return FALSE;
  result->u_c = u_c;
  result->nu_eff = nu_eff;
  result->nu_used = nu_used;
  result->p = p;
  result->k = k;
  result->U = k * u_c;
  return TRUE;
}
