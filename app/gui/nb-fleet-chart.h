/* nb-fleet-chart.h: the fleet statistics' two charts, drawn with cairo: a model's as-found error
 * distribution (per depth point a sideways histogram of the errors, the mean and ± 1 sd, the
 * tolerance limits drawn), and a pen's calibration history (the as-found error of each depth point
 * over time, with the tolerance limits). Each chart holds a reference on the statistics it draws
 * and carries an accessible description with the figures (a screen reader cannot read a
 * picture). */
#pragma once

#include <gtk/gtk.h>

#include "nb-fleet-data.h"

G_BEGIN_DECLS

/* nb_fleet_chart_new_distribution: (transfer floating) the chart of group @group of @data. */
GtkWidget *nb_fleet_chart_new_distribution (NbFleetData *data, guint group, NbUnits units);
/* nb_fleet_chart_new_history: (transfer floating) the chart of pen @pen of @data. */
GtkWidget *nb_fleet_chart_new_history (NbFleetData *data, guint pen, NbUnits units);
/* nb_fleet_chart_get_description: the accessible description given to @chart. */
const char *nb_fleet_chart_get_description (GtkWidget *chart);

G_END_DECLS
