/* nb-calibration-error.c: the calibration library's GError domain. */
#include "nb-calibration-error.h"

G_DEFINE_QUARK (nb - calibration - error - quark, nb_calibration_error)
