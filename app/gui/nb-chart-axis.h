/* nb-chart-axis.h: one axis of an NbChart: the visible range, its label, and the mapping from
 * values to pixels. Shared by charts that must scroll together. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define NB_TYPE_CHART_AXIS (nb_chart_axis_get_type ())
G_DECLARE_FINAL_TYPE (NbChartAxis, nb_chart_axis, NB, CHART_AXIS, GObject)

NbChartAxis *nb_chart_axis_new (const char *label, double min, double max);

/* nb_chart_axis_set_range: shows [@min, @max] (swapped if reversed; widened if empty). Notifies
 * "min" and "max" and emits "changed" once. */
void nb_chart_axis_set_range (NbChartAxis *axis, double min, double max);
double nb_chart_axis_get_min (NbChartAxis *axis);
double nb_chart_axis_get_max (NbChartAxis *axis);
const char *nb_chart_axis_get_label (NbChartAxis *axis);
/* nb_chart_axis_set_unit: the axis's label (its quantity and unit, "depth, µm") and the factor
 * from the values drawn to the numbers its ticks show (1000 for mm drawn, µm shown): the data
 * keeps one unit, the operator reads theirs. Emits "changed". */
void nb_chart_axis_set_unit (NbChartAxis *axis, const char *label, double display_scale);
double nb_chart_axis_get_display_scale (NbChartAxis *axis);

/* nb_chart_axis_to_pixel: @value mapped onto [0, @length] (min at 0), or reversed when
 * @flip (a vertical axis grows upwards). */
double nb_chart_axis_to_pixel (NbChartAxis *axis, double value, double length, gboolean flip);

/* nb_chart_axis_ticks: "nice" tick values (1, 2 or 5 × 10^k apart) inside the range, at most
 * @max_ticks of them; returns how many were written to @ticks; @step gets the spacing. */
guint nb_chart_axis_ticks (NbChartAxis *axis, guint max_ticks, double *ticks, double *step);

G_END_DECLS
