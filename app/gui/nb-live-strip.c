/* nb-live-strip.c: the strip chart's window arithmetic. */
#include "nb-live-strip.h"

#include <math.h>

void
nb_live_strip_init (NbLiveStrip *s, NbChart *chart, double window_s)
{
  s->chart = chart;
  s->window_s = window_s;
  s->paused = FALSE;
  s->x = nb_chart_axis_new ("s", 0, window_s);
  s->y = nb_chart_axis_new ("tip position, mm", -1.5, 1.5);
  s->trace = nb_chart_series_new (NB_CHART_SERIES_ENVELOPE, "#3584e4");
  nb_chart_set_axes (chart, s->x, s->y);
  nb_chart_add_series (chart, s->trace);
  nb_live_strip_update_title (s);
}

void
nb_live_strip_clear (NbLiveStrip *s)
{
  g_clear_object (&s->x);
  g_clear_object (&s->y);
  g_clear_object (&s->trace);
}

void
nb_live_strip_show_run (NbLiveStrip *s, NbRun *run)
{
  if (run)
    nb_chart_series_set_decimator (s->trace, nb_run_get_decimator (run),
                                   MAX (nb_run_get_sample_rate (run), 1), 0.001);
  else
    nb_chart_series_set_decimator (s->trace, NULL, 1, 0.001);
}

void
nb_live_strip_follow (NbLiveStrip *s, NbRun *run)
{
  if (run == NULL || s->paused)
    return;
  double end = nb_run_get_end_index (run) / MAX (nb_run_get_sample_rate (run), 1);
  nb_chart_axis_set_range (s->x, end - s->window_s, end);
}

void
nb_live_strip_fit_y (NbLiveStrip *s, NbRun *run)
{
  /* Rounded out to 0.5 mm so that the scale does not twitch. */
  double rate_hz = nb_run_get_sample_rate (run);
  guint64 end = nb_run_get_end_index (run);
  double x0 = nb_chart_axis_get_min (s->x), x1 = nb_chart_axis_get_max (s->x);
  guint64 from = (guint64) MAX (x0 * rate_hz, 0), to = (guint64) MAX (x1 * rate_hz, 0);
  if (end == 0 || to <= from)
    return;
  NbMinMax mm;
  nb_decimator_envelope (nb_run_get_decimator (run), from, to, &mm, 1);
  if (!nb_min_max_is_empty (mm))
    nb_chart_axis_set_range (s->y, floor ((mm.min / 1000.0 - 0.1) / 0.5) * 0.5,
                             ceil ((mm.max / 1000.0 + 0.1) / 0.5) * 0.5);
}

gboolean
nb_live_strip_view_changed (NbLiveStrip *s)
{
  double span = nb_chart_axis_get_max (s->x) - nb_chart_axis_get_min (s->x);
  gboolean paused_now = FALSE;
  /* A scroll keeps the span: looking back in time, so stop following the pen. A zoom changes it. */
  if (fabs (span - s->window_s) < 1e-9 * MAX (span, 1))
    {
      paused_now = !s->paused;
      s->paused = TRUE;
    }
  else
    s->window_s = CLAMP (span, NB_LIVE_STRIP_MIN_WINDOW_S, NB_RUN_HISTORY_S);
  nb_live_strip_update_title (s);
  return paused_now;
}

void
nb_live_strip_zoom (NbLiveStrip *s, double factor)
{
  double centre = (nb_chart_axis_get_min (s->x) + nb_chart_axis_get_max (s->x)) / 2;
  s->window_s = CLAMP (s->window_s * factor, NB_LIVE_STRIP_MIN_WINDOW_S, NB_RUN_HISTORY_S);
  if (s->paused)
    nb_chart_axis_set_range (s->x, centre - s->window_s / 2, centre + s->window_s / 2);
  nb_live_strip_update_title (s);
}

void
nb_live_strip_update_title (NbLiveStrip *s)
{
  g_autofree char *title = g_strdup_printf ("Needle tip, %s %.3g s (min/max per pixel)",
                                            s->paused ? "paused," : "last", s->window_s);
  nb_chart_set_title (s->chart, title);
}
