/* nb-student-t.h: Student's t distribution for coverage factors and risk figures: its tail
 * probability and the two-sided quantile t_p(ν), for any real ν ≥ 1 and for ν = ∞ (the normal
 * distribution). Computed from the regularised incomplete beta function, not from a table, so a
 * non-integer ν needs no interpolation. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Coverage probability of ±2 standard deviations of a normal distribution, erf (2/√2) =
 * 0.954499736…: the GUM's "95.45 %". Using the exact value makes k(ν = ∞) exactly 2, as GUM
 * Table G.2 prints it; it differs from 0.9545 by less than 1e-4 in t for every ν ≥ 1. */
#define NB_COVERAGE_95_45 0.95449973610364158

/* nb_incomplete_beta: the regularised incomplete beta function I_x(a, b) for a, b > 0 and
 * 0 ≤ x ≤ 1 (continued fraction, evaluated on the side where it converges fast). Returns NaN
 * outside that domain. */
double nb_incomplete_beta (double x, double a, double b);

/* nb_student_t_upper_tail: P(T > t) for T with @nu degrees of freedom; @nu = INFINITY gives
 * the standard normal tail. Returns NaN for @nu < 1 or NaN arguments. Accurate in the far tail
 * (it is computed as a tail, not as 1 − CDF). */
double nb_student_t_upper_tail (double t, double nu);

/* nb_student_t_cdf: P(T ≤ t) = 1 − upper tail. */
double nb_student_t_cdf (double t, double nu);

/* nb_student_t_coverage_factor: t_p(ν), the k for which the interval −k … +k holds the fraction
 * @p (0 < p < 1) of the t distribution with @nu ≥ 1 degrees of freedom (real, not only whole
 * numbers; INFINITY for the normal). This is the quantity GUM Table G.2 tabulates. Fails with
 * NB_CALIBRATION_ERROR_INVALID for @p or @nu out of range. */
gboolean nb_student_t_coverage_factor (double p, double nu, double *k,
                                       GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
