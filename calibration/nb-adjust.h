/* nb-adjust.h: the correction a calibration writes to a pen (docs/calibration-method.md,
 * "Adjustment"), from the as-found means measured with the pen's old table in force.
 *
 * The pen drives the needle to commanded = set + old_correction(set) (docs/protocol.md §7), so the
 * as-found means give the pen's raw response, delivered = a + b · commanded, which no table
 * changes. The new table makes commanded = (d − a) / b, i.e. correction(d) = (d − a) / b − d:
 *   - linear: a, b by least squares over every depth point; the correction, linear in d, is
 *     reproduced exactly by two table points at the ends of the pen's range;
 *   - per point: when the line leaves a residual larger than the threshold (the caller's: a
 *     quarter of the smallest tolerance), one table point per calibrated depth, each from its own
 *     mean, with the fitted b as the local gain;
 *   - offset: a single calibrated depth (b = 1, a = mean − commanded): one point, constant.
 * The rate correction is composed with the old one the same way: the pen drives the motor at
 * rate · (1 + ppm / 10⁶), so ppm_new = ((1 + ppm_old / 10⁶) · mean(set / measured) − 1) · 10⁶.
 * Plain maths on an NbCalTable: no device. */
#pragma once

#include <glib.h>

#include "nb-messages.h"

G_BEGIN_DECLS

/* A rate correction beyond ±20 % is not a calibration: the motor, not its table, is at fault. */
#define NB_ADJUST_MAX_RATE_PPM 200000

typedef enum
{
  NB_ADJUST_LINEAR,
  NB_ADJUST_PER_POINT,
  NB_ADJUST_OFFSET,
} NbAdjustMethod;

/* One as-found depth point: the set depth and the reference's mean there (mm). Several points
 * may share a depth (one per rate). */
typedef struct
{
  double set_mm;
  double mean_mm;
} NbAdjustDepthPoint;

/* One as-found rate point: the set rate and the reference's mean rate there (Hz). */
typedef struct
{
  double set_hz;
  double mean_hz;
} NbAdjustRatePoint;

typedef struct
{
  NbAdjustMethod method;
  double a;               /* delivered = a + b · commanded, mm */
  double b;               /* 1 for an offset */
  double max_residual_mm; /* the largest |residual| of the line; 0 for an offset */
  double threshold_mm;    /* the residual above which the correction is per point */
  guint n_points;
  double depth_um[NB_CAL_MAX_POINTS];      /* the table's depths (whole µm) */
  double correction_um[NB_CAL_MAX_POINTS]; /* the exact corrections there (before rounding) */
  gboolean has_rate;
  double rate_correction_ppm; /* exact (before rounding); the old one when !has_rate */
} NbAdjustment;

/* nb_adjust_fit: the new correction for a pen whose @old table was in force when the @n depth
 * points and @n_rates rate points (may be 0) were measured. @depth_min_um, @depth_max_um: the
 * pen's range (the linear table's two points). @threshold_mm: the largest residual of the line
 * that keeps it linear. Fails with NB_PROCEDURE_ERROR_ADJUST when nothing fits: no point, a
 * non-finite value, a gain b ≤ 0, more calibrated depths than a table holds, a rate correction
 * beyond NB_ADJUST_MAX_RATE_PPM. The correction limits are checked by nb_adjust_to_table (). */
gboolean nb_adjust_fit (const NbCalTable *old, const NbAdjustDepthPoint *points, gsize n,
                        const NbAdjustRatePoint *rates, gsize n_rates, guint32 depth_min_um,
                        guint32 depth_max_um, double threshold_mm, NbAdjustment *adj,
                        GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_adjust_correction_um: the exact (unrounded) correction of @adj at @depth_um, interpolated as
 * the pen interpolates its table (linear between points, constant beyond the ends). */
double nb_adjust_correction_um (const NbAdjustment *adj, double depth_um);

/* nb_adjust_to_table: the table to write: corrections rounded to whole µm, the rate correction to
 * whole ppm, @calibrated_at (Unix seconds) and @certificate (at most 16 bytes of UTF-8). Fails
 * with NB_PROCEDURE_ERROR_ADJUST when a correction is outside ±NB_CAL_MAX_CORRECTION_UM (the
 * protocol's limit: the pen would refuse it) or the certificate is too long. */
gboolean nb_adjust_to_table (const NbAdjustment *adj, guint64 calibrated_at,
                             const char *certificate, NbCalTable *table,
                             GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* "linear", "per-point", "offset" */
const char *nb_adjust_method_to_string (NbAdjustMethod method);

G_END_DECLS
