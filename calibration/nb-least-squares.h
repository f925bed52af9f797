/* nb-least-squares.h: ordinary least-squares polynomial fits y = b0 + b1 x (+ b2 x² …), for the
 * depth correction of a calibration (set depth against measured depth). Numerically stable:
 * x is centred and scaled and the design matrix is factored by Householder QR, never through
 * the normal equations, so data like NIST StRD Pontius (x up to 3e6, x² up to 9e12) keep their
 * digits. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NB_LSQ_MAX_DEGREE 3

typedef struct
{
  guint degree;
  gsize n;
  double coef[NB_LSQ_MAX_DEGREE + 1];    /* b0, b1, …: y = Σ coef[j] xʲ */
  double coef_sd[NB_LSQ_MAX_DEGREE + 1]; /* standard deviation of each coefficient */
  double residual_sd;                    /* sqrt (RSS / (n − degree − 1)) */
  double rss;                            /* residual sum of squares */
  double r_squared;                      /* 1 − RSS / Σ (y − ȳ)²; NaN when y has no spread */
} NbLsqFit;

/* nb_lsq_fit_polynomial: fits a polynomial of @degree (1 … NB_LSQ_MAX_DEGREE) to the @n
 * points (@x, @y) into @fit. Needs more points than coefficients (n ≥ degree + 2, so that the
 * residual SD has a degree of freedom) and at least degree + 1 distinct x. Fails with
 * NB_CALIBRATION_ERROR_INVALID (degree out of range, a non-finite value), _TOO_FEW (n) or
 * _DEGENERATE (too few distinct x: the design matrix is rank deficient). */
gboolean nb_lsq_fit_polynomial (const double *x, const double *y, gsize n, guint degree,
                                NbLsqFit *fit, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_lsq_fit_linear: nb_lsq_fit_polynomial () with degree 1 (y = a + b x: coef[0] = a). */
gboolean nb_lsq_fit_linear (const double *x, const double *y, gsize n, NbLsqFit *fit,
                            GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_lsq_fit_eval: the fitted polynomial at @x (Horner). */
double nb_lsq_fit_eval (const NbLsqFit *fit, double x);

G_END_DECLS
