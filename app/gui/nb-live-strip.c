/* nb-live-strip.c: the strip chart's window arithmetic. */
#include "nb-live-strip.h"

#include <glib/gi18n.h>
#include <math.h>

void
nb_live_strip_init (NbLiveStrip *s, NbChart *chart, double window_s)
{
  s->chart = chart;
  s->window_s = window_s;
  s->paused = FALSE;
  s->x = nb_chart_axis_new (_ ("time, s"), 0, window_s);
  s->y = nb_chart_axis_new (NULL, -1.5, 1.5);
  s->trace = nb_chart_series_new (NB_CHART_SERIES_ENVELOPE, "#3584e4");
  s->face = nb_chart_series_new (NB_CHART_SERIES_HLINE, "#77767b");
  nb_chart_series_set_label (s->face, _ ("0: cartridge face (positive: the needle protrudes)"));
  s->rest = nb_chart_series_new (NB_CHART_SERIES_HLINE, "#77767b");
  nb_chart_series_set_visible (s->rest, FALSE);
  s->rest_mm = NAN;
  nb_chart_set_axes (chart, s->x, s->y);
  nb_chart_add_series (chart, s->trace);
  nb_chart_add_series (chart, s->face);
  nb_chart_add_series (chart, s->rest);
  nb_live_strip_set_units (s, NB_UNITS_MM);
  nb_live_strip_update_title (s);
}

void
nb_live_strip_clear (NbLiveStrip *s)
{
  g_clear_object (&s->x);
  g_clear_object (&s->y);
  g_clear_handle_id (&s->follow_timeout, g_source_remove);
  g_clear_object (&s->trace);
  g_clear_object (&s->face);
  g_clear_object (&s->rest);
}

static void
update_rest_label (NbLiveStrip *s)
{
  if (isnan (s->rest_mm))
    return;
  /* To 0.1 mm: the rest is a nominal position, its sensor noise is not worth the digits. */
  g_autofree char *label
      = s->units == NB_UNITS_UM
            /* TRANSLATORS: the tip position of the needle at rest */
            ? g_strdup_printf (_ ("rest: needle retracted behind the face, %.0f µm"),
                               s->rest_mm * 1000)
            : g_strdup_printf (_ ("rest: needle retracted behind the face, %.1f mm"), s->rest_mm);
  nb_chart_series_set_label (s->rest, label);
}

void
nb_live_strip_set_units (NbLiveStrip *s, NbUnits units)
{
  s->units = units;
  nb_units_label_axis (units, s->y, _ ("tip position"));
  update_rest_label (s);
}

static gboolean
on_follow_timeout (gpointer data)
{
  NbLiveStrip *s = data;
  nb_live_strip_follow (s, s->run);
  return G_SOURCE_CONTINUE;
}

void
nb_live_strip_set_following (NbLiveStrip *s, NbRun *run, gboolean moving)
{
  gboolean want = run && moving && !s->paused;
  s->run = run;
  /* A timer, not a tick callback: a tick callback keeps the frame clock painting the whole
   * window 60 times a second even when nothing changed; at NB_LIVE_STRIP_FPS the eye sees the
   * trace move as smoothly and the window is painted only for the frames that scroll it. */
  if (want && s->follow_timeout == 0)
    s->follow_timeout = g_timeout_add (1000 / NB_LIVE_STRIP_FPS, on_follow_timeout, s);
  else if (!want && s->follow_timeout != 0)
    {
      g_clear_handle_id (&s->follow_timeout, g_source_remove);
      nb_live_strip_follow (s, run); /* the last strokes, once */
    }
}

void
nb_live_strip_show_run (NbLiveStrip *s, NbRun *run)
{
  if (run == NULL)
    nb_live_strip_set_following (s, NULL, FALSE);
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
  /* Until a window's worth has come, the window starts at the run's start: no empty time
   * before it. */
  double start = MAX (end - s->window_s, 0);
  double min = nb_chart_axis_get_min (s->x), max = nb_chart_axis_get_max (s->x);
  nb_chart_axis_set_range (s->x, start, start + s->window_s);
  /* A window that stands still while it fills: the new samples alone need drawing. */
  if (min == nb_chart_axis_get_min (s->x) && max == nb_chart_axis_get_max (s->x)
      && end != s->followed_end)
    nb_chart_series_changed (s->trace);
  s->followed_end = end;
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
  if (nb_min_max_is_empty (mm))
    return;
  nb_chart_axis_set_range (s->y, floor ((mm.min / 1000.0 - 0.1) / 0.5) * 0.5,
                           ceil ((mm.max / 1000.0 + 0.1) / 0.5) * 0.5);
  /* The rest is where the tip waits between strokes, the lowest it goes; a tip that never
   * goes behind the face has no rest to explain. */
  double rest = round (mm.min / 100.0) / 10.0;
  if (rest < 0 && rest != s->rest_mm)
    {
      s->rest_mm = rest;
      nb_chart_series_set_y (s->rest, rest, rest);
      update_rest_label (s);
      nb_chart_series_set_visible (s->rest, TRUE);
    }
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
