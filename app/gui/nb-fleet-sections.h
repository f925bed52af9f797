/* nb-fleet-sections.h: the widgets of the fleet statistics view's content: per model a group
 * (counts, first-pass yield, failing points, the per-point table and the distribution chart), per
 * pen a group (history chart, drift, recommended interval). Private to nb-fleet-view.c. */
#pragma once

#include <adwaita.h>

#include "nb-fleet-data.h"

G_BEGIN_DECLS

/* nb_fleet_section_model: (transfer floating) group @index of @data. */
GtkWidget *nb_fleet_section_model (NbFleetData *data, guint index, NbUnits units);
/* nb_fleet_section_pen: (transfer floating) pen @index of @data. */
GtkWidget *nb_fleet_section_pen (NbFleetData *data, guint index, NbUnits units);

G_END_DECLS
