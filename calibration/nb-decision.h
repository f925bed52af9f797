/* nb-decision.h: statements of conformity after ILAC-G8:09/2019 (../shared/reference/ilac-g8.md):
 * simple acceptance, guarded acceptance with guard band w = U, the non-binary pass / conditional
 * pass / conditional fail / fail, and the probability of false acceptance of a result.
 * docs/calibration-method.md states the rules, the at-limit convention and the PFA definition. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  NB_DECISION_SIMPLE,   /* binary, w = 0: pass inside the tolerance limits */
  NB_DECISION_GUARDED,  /* binary, w = U: pass inside the limits pulled in by U */
  NB_DECISION_NONBINARY /* w = U: pass, conditional pass, conditional fail, fail */
} NbDecisionRule;

typedef enum
{
  NB_VERDICT_PASS,
  NB_VERDICT_CONDITIONAL_PASS,
  NB_VERDICT_CONDITIONAL_FAIL,
  NB_VERDICT_FAIL
} NbVerdict; /* in order of worsening: the worst point decides a run (nb_verdict_worst) */

typedef struct
{
  double lower; /* lower tolerance limit TL_low; -INFINITY for an upper limit only */
  double upper; /* upper tolerance limit TL_high; INFINITY for a lower limit only */
} NbTolerance;

/* Names as stored with a run and used on the command line / in JSON: "simple", "guarded",
 * "nonbinary"; "pass", "conditional-pass", "conditional-fail", "fail". */
const char *nb_decision_rule_to_string (NbDecisionRule rule);
gboolean nb_decision_rule_from_string (const char *name, NbDecisionRule *rule,
                                       GError **error) G_GNUC_WARN_UNUSED_RESULT;
const char *nb_verdict_to_string (NbVerdict verdict);

/* nb_verdict_is_acceptance: TRUE for pass and conditional pass (the result is inside the
 * tolerance limits: the item is accepted, so a false acceptance is possible). */
gboolean nb_verdict_is_acceptance (NbVerdict verdict);

/* nb_verdict_worst: the worse of two verdicts (for the run's overall verdict). */
NbVerdict nb_verdict_worst (NbVerdict a, NbVerdict b);

/* Tolerance limits: target ± @t; target − @minus … target + @plus (asymmetric); target ±
 * @percent % of the target (the rate tolerance of a profile). */
NbTolerance nb_tolerance_symmetric (double target, double t);
NbTolerance nb_tolerance_asymmetric (double target, double minus, double plus);
NbTolerance nb_tolerance_percent (double target, double percent);

/* nb_decision_decide: the verdict of the result @measured with expanded uncertainty @U under
 * @rule against @tolerance. The zones, with w = 0 (simple) or w = U (guarded, non-binary):
 *   pass               TL_low + w ≤ measured ≤ TL_high − w
 *   conditional pass   TL_low ≤ measured ≤ TL_high, not pass               (non-binary only)
 *   conditional fail   TL_low − w ≤ measured ≤ TL_high + w, not in tolerance (non-binary only)
 *   fail               otherwise (binary rules: everything that is not pass)
 * A limit belongs to the zone on the target's side (a result exactly at a limit gets the better
 * verdict); "exactly" allows NB_DECISION_LIMIT_SLACK of relative rounding. When w is more than
 * half the tolerance width there is no pass zone. Fails with NB_CALIBRATION_ERROR_INVALID for a
 * non-finite result, U < 0 or non-finite, or limits not lower < upper. */
#define NB_DECISION_LIMIT_SLACK 1e-9
gboolean nb_decision_decide (NbDecisionRule rule, const NbTolerance *tolerance, double measured,
                             double U, NbVerdict *verdict,
                             GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_decision_pfa: the probability that the true value lies outside @tolerance given the
 * result @measured with combined standard uncertainty @u_c and @nu degrees of freedom: the true
 * value is taken as measured + u_c · T, T Student-t with ν (normal for INFINITY), and
 * PFA = P(true < TL_low) + P(true > TL_high). It is the probability of false acceptance when the
 * result is accepted (nb_verdict_is_acceptance); for a rejected result it is the probability
 * the rejection is right. Fails with NB_CALIBRATION_ERROR_INVALID for non-finite input,
 * u_c ≤ 0, ν < 1 or bad limits. */
gboolean nb_decision_pfa (const NbTolerance *tolerance, double measured, double u_c, double nu,
                          double *pfa, GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
