/* nb-live-strip.h: the Live page's strip chart of the needle tip: follows the newest samples over
 * a window of seconds, zooms, pauses when the operator scrolls back, and fits the tip's range.
 * A plain struct the page embeds; the chart widget is the page's. */
#pragma once

#include "nb-chart.h"
#include "nb-run.h"

G_BEGIN_DECLS

/* The shortest window the strip chart zooms in to, in seconds. */
#define NB_LIVE_STRIP_MIN_WINDOW_S 0.01

typedef struct
{
  NbChart *chart; /* (unowned) */
  NbChartAxis *x, *y;
  NbChartSeries *trace;
  double window_s;
  gboolean paused;
} NbLiveStrip;

/* nb_live_strip_init: axes and trace on @chart, a @window_s window, following. */
void nb_live_strip_init (NbLiveStrip *strip, NbChart *chart, double window_s);
void nb_live_strip_clear (NbLiveStrip *strip);
/* nb_live_strip_show_run: draws @run's samples (NULL: none; the trace borrows the run's
 * decimator, so this must be called before the run goes). */
void nb_live_strip_show_run (NbLiveStrip *strip, NbRun *run);
/* nb_live_strip_follow: while not paused, moves the window to end at @run's newest sample. */
void nb_live_strip_follow (NbLiveStrip *strip, NbRun *run);
/* nb_live_strip_fit_y: the tip range of the visible window, rounded out to 0.5 mm. */
void nb_live_strip_fit_y (NbLiveStrip *strip, NbRun *run);
/* nb_live_strip_view_changed: after the operator scrolled or zoomed the chart; TRUE if a scroll
 * (the span kept) paused following. */
gboolean nb_live_strip_view_changed (NbLiveStrip *strip);
/* nb_live_strip_zoom: multiplies the window by @factor (about the centre when paused). */
void nb_live_strip_zoom (NbLiveStrip *strip, double factor);
/* nb_live_strip_update_title: the title says the window and whether it is paused. */
void nb_live_strip_update_title (NbLiveStrip *strip);

G_END_DECLS
