/* nb-point-result.h: everything a calibration reports for one point, from its readings: the
 * statistics, the uncertainty budget's result (type A from the readings plus the caller's type B
 * components), the verdict under the run's decision rule, the probability of false acceptance
 * and Cpk. It only composes nb-point-stats, nb-uncertainty, nb-decision and nb-cpk, so the
 * procedure, the CLI and a recomputation from stored raw readings all get the same figures. */
#pragma once

#include <glib.h>

#include "nb-decision.h"
#include "nb-point-stats.h"
#include "nb-uncertainty.h"

G_BEGIN_DECLS

typedef struct
{
  NbPointStats stats;
  NbUncertaintyResult uncertainty; /* at NB_COVERAGE_95_45 */
  NbTolerance tolerance;
  NbDecisionRule rule;
  NbVerdict verdict;
  double pfa; /* probability of false acceptance; NaN unless the verdict is an acceptance */
  double cpk; /* NaN with fewer than NB_CPK_MIN_N readings or no scatter */
} NbPointResult;

/* nb_point_result_evaluate: evaluates the @n readings @x of a point with @target against
 * @tolerance under @rule. The budget is the type A component of the readings (s/√n, ν = n − 1)
 * followed by a copy of every component of @type_b (may be NULL; it is not modified: e.g. the
 * fixture's resolution and certificate). @rate: the readings are rates in Hz and the relative
 * figures (error_pct, u_a_pct) are filled. The PFA uses the same degrees of freedom as k
 * (⌊ν_eff⌋). Fails, with the error of the step that failed, for readings, components or limits
 * the steps reject (fewer than 2 readings, u_c = 0, …). */
gboolean nb_point_result_evaluate (const double *x, gsize n, double target, gboolean rate,
                                   NbUncertaintyBudget *type_b, const NbTolerance *tolerance,
                                   NbDecisionRule rule, NbPointResult *result,
                                   GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
