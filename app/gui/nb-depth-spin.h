/* nb-depth-spin.h: a depth spin button in the operator's unit. The adjustment stays in
 * millimetres (the pen's range and steps, what the code sets and reads); only the text the
 * operator reads and types is in mm or µm, per the "units" setting. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* nb_depth_spin_attach: @spin shows and parses its millimetre value in the unit @settings
 * ("units") names, @unit_label (may be NULL) shows the symbol, both following a change of the
 * setting while @spin lives. @settings NULL: millimetres. */
void nb_depth_spin_attach (GtkSpinButton *spin, GtkLabel *unit_label, GSettings *settings);

G_END_DECLS
