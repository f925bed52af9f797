/* nb-uncertainty.h: an uncertainty budget after the GUM (JCGM 100:2008): components with their
 * standard uncertainty, sensitivity coefficient and degrees of freedom; the combined standard
 * uncertainty by root sum of squares (uncorrelated inputs, GUM eq. 10), the effective degrees of
 * freedom by Welch–Satterthwaite (GUM G.4.1), the coverage factor from Student's t and the
 * expanded uncertainty U = k · u_c. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *name; /* "type A (12 strokes)", "fixture resolution", "fixture certificate" */
  double u;   /* standard uncertainty of the input, in the input's unit */
  double c;   /* sensitivity coefficient; 1 when the input is in the measurand's unit */
  double nu;  /* degrees of freedom; INFINITY for a type B component known exactly */
} NbUncertaintyComponent;

typedef struct
{
  double u_c;    /* combined standard uncertainty, sqrt (Σ (c_i u_i)²) */
  double nu_eff; /* Welch–Satterthwaite effective degrees of freedom (INFINITY if every ν_i is) */
  double nu_used; /* the ν the coverage factor was taken at: ν_eff truncated to the next lower
                   * whole number (GUM G.4.1 note / G.6.4), INFINITY stays INFINITY */
  double p;       /* coverage probability */
  double k;       /* coverage factor t_p(nu_used) */
  double U;       /* expanded uncertainty k · u_c */
} NbUncertaintyResult;

typedef struct _NbUncertaintyBudget NbUncertaintyBudget;

/* Standard uncertainties of the common type B inputs (domain.md, GUM 4.3.7):
 * rectangular distribution of half-width @a: a / √3; a digital resolution @d (the reading is
 * within ±d/2): d / 2 / √3; a certificate's expanded uncertainty @U at coverage factor @k: U / k.
 * Each returns NaN for a negative or non-finite argument (or k ≤ 0). */
double nb_uncertainty_rectangular (double a);
double nb_uncertainty_resolution (double d);
double nb_uncertainty_certificate (double U, double k);

/* nb_welch_satterthwaite: ν_eff = u_c⁴ / Σ (u_i⁴ / ν_i) for @n contributions @u_i (already
 * multiplied by their sensitivity coefficients) with degrees of freedom @nu_i (INFINITY adds
 * nothing), taking @u_c as given (so a published u_c can be fed in unchanged). Returns INFINITY
 * when every ν_i is infinite or every finite-ν contribution is 0, NaN for invalid input
 * (negative u, ν < 1 or u_c ≤ 0). */
double nb_welch_satterthwaite (const double *u_i, const double *nu_i, gsize n, double u_c);

/* nb_uncertainty_budget_new: (transfer full) an empty budget; nb_uncertainty_budget_free frees
 * it and its components (NULL is allowed). */
NbUncertaintyBudget *nb_uncertainty_budget_new (void);
void nb_uncertainty_budget_free (NbUncertaintyBudget *budget);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbUncertaintyBudget, nb_uncertainty_budget_free)

/* nb_uncertainty_budget_get_components: (transfer none) (element-type NbUncertaintyComponent)
 * the components in the order they were added. */
GPtrArray *nb_uncertainty_budget_get_components (NbUncertaintyBudget *budget);

/* nb_uncertainty_budget_add: adds a component @name with standard uncertainty @u ≥ 0,
 * sensitivity coefficient @c (finite) and degrees of freedom @nu ≥ 1 or INFINITY. Fails with
 * NB_CALIBRATION_ERROR_INVALID, naming the component, for anything else. */
gboolean nb_uncertainty_budget_add (NbUncertaintyBudget *budget, const char *name, double u,
                                    double c, double nu, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_uncertainty_budget_add_type_a: the type A component of a mean of @n readings with
 * standard deviation @s: u = s / √n, ν = n − 1, c = 1. Fails (TOO_FEW) for n < 2. */
gboolean nb_uncertainty_budget_add_type_a (NbUncertaintyBudget *budget, const char *name, double s,
                                           gsize n, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_uncertainty_budget_add_rectangular / _resolution / _certificate: type B components as
 * the helpers above compute them, with c = 1 and ν = ∞. */
gboolean nb_uncertainty_budget_add_rectangular (NbUncertaintyBudget *budget, const char *name,
                                                double half_width,
                                                GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean nb_uncertainty_budget_add_resolution (NbUncertaintyBudget *budget, const char *name,
                                               double resolution,
                                               GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean nb_uncertainty_budget_add_certificate (NbUncertaintyBudget *budget, const char *name,
                                                double U, double k,
                                                GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_uncertainty_budget_evaluate: u_c, ν_eff, k at coverage probability @p (NB_COVERAGE_95_45
 * for the usual k ≈ 2) and U into @result. Fails with NB_CALIBRATION_ERROR_DEGENERATE when the
 * budget is empty or u_c = 0 (no uncertainty at all is not a measurement result), INVALID for
 * @p outside (0, 1). */
gboolean nb_uncertainty_budget_evaluate (NbUncertaintyBudget *budget, double p,
                                         NbUncertaintyResult *result,
                                         GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
