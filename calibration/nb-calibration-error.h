/* nb-calibration-error.h: the GError domain of the calibration maths (statistics, uncertainty,
 * fits, decision rules). One domain for the calibration library, so a caller can tell a bad
 * input to the maths from a device or store failure. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NB_CALIBRATION_ERROR (nb_calibration_error_quark ())

typedef enum
{
  NB_CALIBRATION_ERROR_INVALID,   /* an argument is out of its domain (NaN, negative u, ...) */
  NB_CALIBRATION_ERROR_TOO_FEW,   /* not enough readings for the figure asked for */
  NB_CALIBRATION_ERROR_DEGENERATE /* the data cannot give the figure (no spread, rank deficient) */
} NbCalibrationError;

/* nb_calibration_error_quark: the quark of NB_CALIBRATION_ERROR. */
GQuark nb_calibration_error_quark (void);

G_END_DECLS
