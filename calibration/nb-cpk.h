/* nb-cpk.h: the process capability index Cpk of one calibration point: how many three-sigma
 * spreads of the stroke-to-stroke scatter fit between the mean and the nearer tolerance limit. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Fewer strokes than this give an s too uncertain for a capability figure (the relative
 * standard uncertainty of s is about 1/√(2(n−1)): 14 % at n = 25). */
#define NB_CPK_MIN_N 25

/* nb_cpk: Cpk = min (USL − mean, mean − LSL) / (3 s) for a point with @n readings of mean @mean
 * and standard deviation @sd against the limits @lsl … @usl (one of them may be infinite for a
 * one-sided tolerance). Negative when the mean is outside the limits. Fails with
 * NB_CALIBRATION_ERROR_TOO_FEW for n < NB_CPK_MIN_N, NB_CALIBRATION_ERROR_DEGENERATE for
 * sd = 0 (no scatter: the index is unbounded) and NB_CALIBRATION_ERROR_INVALID for non-finite
 * input or lsl ≥ usl. */
gboolean nb_cpk (gsize n, double mean, double sd, double lsl, double usl, double *cpk,
                 GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
