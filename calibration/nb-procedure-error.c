/* nb-procedure-error.c: the error domain of the procedure and of its correction fit, in a file
 * of its own so that nb-adjust links without the state machine. */
#include "nb-procedure.h"

G_DEFINE_QUARK (nb - procedure - error - quark, nb_procedure_error)
