/* nb-chart-nav.h: moving a chart's x axis from the keyboard (zoom, scroll, start, end, whole)
 * within the extent of its data, so that an operator without a mouse wheel reads a replay. */
#pragma once

#include "nb-chart.h"

G_BEGIN_DECLS

typedef enum
{
  NB_CHART_NAV_ZOOM_IN,
  NB_CHART_NAV_ZOOM_OUT,
  NB_CHART_NAV_BACK,    /* a tenth of the view towards the start */
  NB_CHART_NAV_FORWARD, /* a tenth of the view towards the end */
  NB_CHART_NAV_START,   /* the view's span at the start of the data */
  NB_CHART_NAV_END,     /* the view's span at the end of the data */
  NB_CHART_NAV_WHOLE,   /* all of the data */
} NbChartNav;

/* nb_chart_nav_set_extent: the x range the data covers, which the keys never move the view
 * beyond (kept on the chart). */
void nb_chart_nav_set_extent (NbChart *chart, double min, double max);

/* nb_chart_nav_set_extent_to_view: the current x range becomes the extent (call once the owner
 * has shown all of its data). */
void nb_chart_nav_set_extent_to_view (NbChart *chart);

/* nb_chart_nav_move: moves the view as @nav says (zooming about the view's centre) and emits
 * "view-changed"; without an extent, the view's own range is the limit for scrolling. */
void nb_chart_nav_move (NbChart *chart, NbChartNav nav);

/* nb_chart_nav_add_keys: on @owner, the keys (+ = - 0 Left Right Home End, keypad too, with or
 * without Ctrl) activate @action with the NbChartNav as an "i" parameter. They bubble: a focused
 * entry or list keeps its own keys (+ typed into a search, Home in a list); elsewhere in @owner
 * they move the chart. */
void nb_chart_nav_add_keys (GtkWidget *owner, const char *action);

G_END_DECLS
