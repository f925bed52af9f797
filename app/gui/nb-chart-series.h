/* nb-chart-series.h: one thing an NbChart draws: the min/max envelope of raw samples (from an
 * NbDecimator), a set of points, a horizontal line (a target) or a horizontal band (a tolerance).
 * A series holds or references its data and says "changed"; the chart decides where to draw. */
#pragma once

#include <gdk/gdk.h>

#include "nb-decimator.h"

G_BEGIN_DECLS

typedef enum
{
  NB_CHART_SERIES_ENVELOPE,
  NB_CHART_SERIES_POINTS,
  NB_CHART_SERIES_HLINE,
  NB_CHART_SERIES_BAND,
} NbChartSeriesKind;

#define NB_TYPE_CHART_SERIES (nb_chart_series_get_type ())
G_DECLARE_FINAL_TYPE (NbChartSeries, nb_chart_series, NB, CHART_SERIES, GObject)

NbChartSeries *nb_chart_series_new (NbChartSeriesKind kind, const char *color);

NbChartSeriesKind nb_chart_series_get_kind (NbChartSeries *series);
const GdkRGBA *nb_chart_series_get_color (NbChartSeries *series);
void nb_chart_series_set_visible (NbChartSeries *series, gboolean visible);
gboolean nb_chart_series_get_visible (NbChartSeries *series);

/* Envelope: x is time in s (sample index / @sample_rate_hz), y is the sample × @y_scale (µm to
 * mm: 0.001). The decimator is borrowed: the owner keeps it alive while the series uses it. */
void nb_chart_series_set_decimator (NbChartSeries *series, const NbDecimator *decimator,
                                    double sample_rate_hz, double y_scale);
const NbDecimator *nb_chart_series_get_decimator (NbChartSeries *series, double *sample_rate_hz,
                                                  double *y_scale);

/* Points: the newest @max_points are kept (older ones are dropped as new ones come). */
void nb_chart_series_set_max_points (NbChartSeries *series, guint max_points);
void nb_chart_series_add_point (NbChartSeries *series, double x, double y);
void nb_chart_series_clear (NbChartSeries *series);
/* nb_chart_series_get_points: (transfer none) x0, y0, x1, y1, ... oldest first; @n points. */
const double *nb_chart_series_get_points (NbChartSeries *series, guint *n);

/* Line and band: y values (a line uses @y0 only). */
void nb_chart_series_set_y (NbChartSeries *series, double y0, double y1);
void nb_chart_series_get_y (NbChartSeries *series, double *y0, double *y1);
/* nb_chart_series_set_label: words drawn by a line, at its left end, to say what it marks
 * ("rest: needle retracted"); NULL for none. */
void nb_chart_series_set_label (NbChartSeries *series, const char *label);
const char *nb_chart_series_get_label (NbChartSeries *series);

/* nb_chart_series_changed: tells the charts showing @series to redraw (the envelope's decimator
 * changes without the series knowing). */
void nb_chart_series_changed (NbChartSeries *series);

G_END_DECLS
