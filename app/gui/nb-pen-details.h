/* nb-pen-details.h: the details of the pen selected in the Live page's sidebar: model, serial,
 * firmware, calibration date and port. Renders an NbPenItem (and, for the connected pen, the
 * calibration its NbRun read). */
#pragma once

#include <gtk/gtk.h>

#include "nb-pen-list.h"
#include "nb-run.h"

G_BEGIN_DECLS

#define NB_TYPE_PEN_DETAILS (nb_pen_details_get_type ())
G_DECLARE_FINAL_TYPE (NbPenDetails, nb_pen_details, NB, PEN_DETAILS, GtkGrid)

/* nb_pen_details_show: shows @item (NULL: dashes). The calibration is only known for the
 * connected pen (reading it means opening the pen): @run, when it is @item's, gives it. */
void nb_pen_details_show (NbPenDetails *details, NbPenItem *item, NbRun *run);
/* The text shown for the calibration (tests). */
const char *nb_pen_details_get_calibration (NbPenDetails *details);

G_END_DECLS
