/* nb-chart.h: a chart widget: a title, an x and a y NbChartAxis, and series drawn in the order
 * added. Drawn with cairo into the widget's snapshot; an envelope series is asked for one
 * min/max column per pixel, so cost follows the width, not the number of samples.
 *
 * The wheel zooms the x axis around the pointer and shift+wheel (or a horizontal wheel) scrolls
 * it; both emit "view-changed" so that an owner that follows live data can stop or adapt. */
#pragma once

#include <gtk/gtk.h>

#include "nb-chart-axis.h"
#include "nb-chart-series.h"

G_BEGIN_DECLS

#define NB_TYPE_CHART (nb_chart_get_type ())
G_DECLARE_FINAL_TYPE (NbChart, nb_chart, NB, CHART, GtkWidget)

GtkWidget *nb_chart_new (void);

void nb_chart_set_title (NbChart *chart, const char *title);
/* The chart listens to its axes and series and redraws when they change. */
void nb_chart_set_axes (NbChart *chart, NbChartAxis *x_axis, NbChartAxis *y_axis);
NbChartAxis *nb_chart_get_x_axis (NbChart *chart);
NbChartAxis *nb_chart_get_y_axis (NbChart *chart);
void nb_chart_add_series (NbChart *chart, NbChartSeries *series);

/* nb_chart_draw: draws the chart at @width × @height into @cr (what the snapshot does; public so
 * that a benchmark can time it offscreen). */
void nb_chart_draw (NbChart *chart, cairo_t *cr, int width, int height);

/* Time the last nb_chart_draw took, and when it finished (g_get_monotonic_time ()). */
gint64 nb_chart_get_last_draw_us (NbChart *chart);
gint64 nb_chart_get_last_drawn_at (NbChart *chart);

/* How often a chart is drawn at most, by default: as often as the eye needs to see data move. */
#define NB_CHART_DEFAULT_MAX_FPS 30
/* nb_chart_set_max_fps: draw at most @max_fps times a second (changes in between are drawn
 * together, the newest state, at the next allowed frame). */
void nb_chart_set_max_fps (NbChart *chart, guint max_fps);

/* How many times the chart has been drawn since it was made (a test hook: idle means no draws). */
guint nb_chart_get_draw_count (NbChart *chart);

/* The title (its accessible name), or NULL; the @index-th series added, or NULL past the last
 * (for the text alternative, nb-chart-a11y.h). */
const char *nb_chart_get_title (NbChart *chart);
NbChartSeries *nb_chart_get_series (NbChart *chart, guint index);

/* Signals: "view-changed" (): the user zoomed or scrolled the x axis. */

G_END_DECLS
