/* nb-chart-a11y.h: a chart's text alternative: what it shows and its current figures, as the
 * chart's accessible description, brought up to date at most once a second (never per frame). */
#pragma once

#include "nb-chart.h"

G_BEGIN_DECLS

/* nb_chart_describe: the text alternative now: the title, each axis's quantity and visible range,
 * and per series its figures in view (a trace's extremes, points' count, last value and mean, a
 * line's or a band's value). */
char *nb_chart_describe (NbChart *chart);

/* nb_chart_describe_later: the chart's data, view or title changed: its accessible description
 * follows within a second, or at once if the last update is older than that. Cheap when called
 * often: at most one pending update per chart. */
void nb_chart_describe_later (NbChart *chart);

/* nb_chart_describe_cancel: drops a pending update (the chart is being disposed). */
void nb_chart_describe_cancel (NbChart *chart);

G_END_DECLS
