/* nb-live-strip.h: the Live page's strip chart of the needle tip: follows the newest samples over
 * a window of seconds, zooms, pauses when the operator scrolls back, and fits the tip's range.
 * A plain struct the page embeds; the chart widget is the page's. */
#pragma once

#include "nb-chart.h"
#include "nb-run.h"
#include "nb-units.h"

G_BEGIN_DECLS

/* The shortest window the strip chart zooms in to, in seconds. */
#define NB_LIVE_STRIP_MIN_WINDOW_S 0.01
/* How often the strip scrolls while following a running pen. */
#define NB_LIVE_STRIP_FPS 30

typedef struct
{
  NbChart *chart; /* (unowned) */
  NbChartAxis *x, *y;
  NbChartSeries *trace;
  /* labelled lines that say what the two levels of the trace are: the cartridge face (0) and
   * the tip's rest, retracted behind it (measured: the lowest tip position in view) */
  NbChartSeries *face, *rest;
  double rest_mm;
  NbUnits units;
  double window_s;
  gboolean paused;
  NbRun *run;           /* (unowned) the run followed, while following */
  guint follow_timeout; /* the scroll's timer, 0 when the strip stands still */
  double followed_end;  /* the newest sample's time at the last follow */
} NbLiveStrip;

/* nb_live_strip_init: axes and trace on @chart, a @window_s window, following. */
void nb_live_strip_init (NbLiveStrip *strip, NbChart *chart, double window_s);
void nb_live_strip_clear (NbLiveStrip *strip);
/* nb_live_strip_show_run: draws @run's samples (NULL: none; the trace borrows the run's
 * decimator, so this must be called before the run goes). */
void nb_live_strip_show_run (NbLiveStrip *strip, NbRun *run);
/* nb_live_strip_follow: while not paused, moves the window to end at @run's newest sample. */
void nb_live_strip_follow (NbLiveStrip *strip, NbRun *run);
/* nb_live_strip_set_following: scrolls with @run's newest samples (at NB_LIVE_STRIP_FPS) while
 * @moving and not paused; otherwise stands still, drawn only when something changes. (Per-frame
 * scrolling costs a core on software rendering.) */
void nb_live_strip_set_following (NbLiveStrip *strip, NbRun *run, gboolean moving);
/* nb_live_strip_fit_y: the tip range of the visible window, rounded out to 0.5 mm. */
void nb_live_strip_fit_y (NbLiveStrip *strip, NbRun *run);
/* nb_live_strip_view_changed: after the operator scrolled or zoomed the chart; TRUE if a scroll
 * (the span kept) paused following. */
gboolean nb_live_strip_view_changed (NbLiveStrip *strip);
/* nb_live_strip_zoom: multiplies the window by @factor (about the centre when paused). */
void nb_live_strip_zoom (NbLiveStrip *strip, double factor);
/* nb_live_strip_set_units: the tip position axis and the rest line in @units. */
void nb_live_strip_set_units (NbLiveStrip *strip, NbUnits units);
/* nb_live_strip_update_title: the title says the window and whether it is paused. */
void nb_live_strip_update_title (NbLiveStrip *strip);

G_END_DECLS
