/* nb-pen-row.h: a pen of the Live page's sidebar as a list row: model, serial and URI, and a mark
 * (icon and text) on the pen in use or lost while in use, following the item's "link". */
#pragma once

#include <adwaita.h>

#include "nb-pen-list.h"

G_BEGIN_DECLS

/* nb_pen_row_create: a GtkListBoxCreateWidgetFunc for a model of NbPenItem (@user_data unused).
 * The row keeps its item under the "nb-pen-item" data key. */
GtkWidget *nb_pen_row_create (gpointer item, gpointer user_data);
/* nb_pen_row_get_item: (transfer none) @row's pen, or NULL (@row may be NULL). */
NbPenItem *nb_pen_row_get_item (GtkListBoxRow *row);
/* nb_pen_row_is_connected: TRUE when @row's pen is the one in use (Connect has nothing to do). */
gboolean nb_pen_row_is_connected (GtkListBoxRow *row);
/* nb_pen_row_get_mark: the mark's text ("Connected", "Lost") or NULL when none is shown. */
const char *nb_pen_row_get_mark (GtkListBoxRow *row);

G_END_DECLS
