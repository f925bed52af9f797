/* nb-chart-a11y.c: the chart's text alternative, throttled to once a second. */
#include "nb-chart-a11y.h"

#include <glib/gi18n.h>
#include <math.h>

#define MIN_INTERVAL_US G_USEC_PER_SEC

typedef struct
{
  guint source;
  gint64 last_us;
  char *text; /* the description last set, so an unchanged one is not sent again */
} Describer;

static void
describer_free (gpointer data)
{
  Describer *d = data;
  g_clear_handle_id (&d->source, g_source_remove);
  g_free (d->text);
  g_free (d);
}

static Describer *
get_describer (NbChart *chart)
{
  static GQuark quark;
  if (quark == 0)
    quark = g_quark_from_static_string ("nb-chart-describer");
  Describer *d = g_object_get_qdata (G_OBJECT (chart), quark);
  if (d == NULL)
    {
      d = g_new0 (Describer, 1);
      g_object_set_qdata_full (G_OBJECT (chart), quark, d, describer_free);
    }
  return d;
}

/* Figures with as many decimals as the visible span makes readable: a 1 mm span to the µm, a
 * 3 mm span to 10 µm, 10 s to 0.1 s, hundreds of strokes as whole numbers. */
static char *
format_value (double v, double span)
{
  int digits = span > 0 ? 2 - (int) floor (log10 (span)) : 3;
  return g_strdup_printf ("%.*f", CLAMP (digits, 0, 3), v);
}

static void
describe_axis (GString *s, const char *which, NbChartAxis *axis)
{
  /* In the axis's display unit (µm when the operator chose it), as its ticks are. */
  double k = nb_chart_axis_get_display_scale (axis);
  double min = nb_chart_axis_get_min (axis) * k, max = nb_chart_axis_get_max (axis) * k;
  g_autofree char *a = format_value (min, max - min);
  g_autofree char *b = format_value (max, max - min);
  const char *label = nb_chart_axis_get_label (axis);
  /* TRANSLATORS: a chart's axis in its text alternative: "Horizontal axis: s, 0.0 to 23.6.". */
  g_string_append_printf (s, _ (" %s: %s, %s to %s."), which, label ? label : "", a, b);
}

static void
describe_envelope (GString *s, NbChart *chart, NbChartSeries *series, double y_span)
{
  double rate, y_scale;
  const NbDecimator *dec = nb_chart_series_get_decimator (series, &rate, &y_scale);
  NbChartAxis *x = nb_chart_get_x_axis (chart);
  double from = MAX (floor (nb_chart_axis_get_min (x) * rate), 0);
  double to = ceil (nb_chart_axis_get_max (x) * rate);
  NbMinMax mm = { G_MAXINT16, G_MININT16 };
  if (dec && to > from)
    nb_decimator_envelope (dec, (guint64) from, (guint64) to, &mm, 1);
  if (nb_min_max_is_empty (mm))
    {
      g_string_append (s, _ (" Trace: no data in view."));
      return;
    }
  double k = nb_chart_axis_get_display_scale (nb_chart_get_y_axis (chart));
  g_autofree char *lo = format_value (mm.min * y_scale * k, y_span);
  g_autofree char *hi = format_value (mm.max * y_scale * k, y_span);
  g_string_append_printf (s, _ (" Trace in view from %s to %s."), lo, hi);
}

static void
describe_points (GString *s, NbChart *chart, NbChartSeries *series, double y_span)
{
  guint n;
  const double *xy = nb_chart_series_get_points (series, &n);
  NbChartAxis *x = nb_chart_get_x_axis (chart);
  double xmin = nb_chart_axis_get_min (x), xmax = nb_chart_axis_get_max (x);
  guint count = 0;
  double sum = 0, last = NAN;
  for (guint i = 0; i < n; i++)
    {
      double px = xy[2 * i], py = xy[2 * i + 1];
      if (px < xmin || px > xmax || !isfinite (py))
        continue;
      count++;
      sum += py;
      last = py;
    }
  if (count == 0)
    {
      g_string_append (s, _ (" Points: none in view."));
      return;
    }
  double k = nb_chart_axis_get_display_scale (nb_chart_get_y_axis (chart));
  g_autofree char *l = format_value (last * k, y_span);
  g_autofree char *m = format_value (sum / count * k, y_span);
  g_string_append_printf (s,
                          g_dngettext (GETTEXT_PACKAGE, " %u point in view, last %s, mean %s.",
                                       " %u points in view, last %s, mean %s.", count),
                          count, l, m);
}

char *
nb_chart_describe (NbChart *chart)
{
  GString *s = g_string_new (nb_chart_get_title (chart));
  if (s->len && s->str[s->len - 1] != '.')
    g_string_append_c (s, '.');
  NbChartAxis *y = nb_chart_get_y_axis (chart);
  double ky = nb_chart_axis_get_display_scale (y);
  /* The vertical span in the display unit: the figures' decimals follow it. */
  double y_span = (nb_chart_axis_get_max (y) - nb_chart_axis_get_min (y)) * ky;
  describe_axis (s, _ ("Horizontal axis"), nb_chart_get_x_axis (chart));
  describe_axis (s, _ ("Vertical axis"), y);
  for (guint i = 0;; i++)
    {
      NbChartSeries *series = nb_chart_get_series (chart, i);
      if (series == NULL)
        break;
      if (!nb_chart_series_get_visible (series))
        continue;
      double y0, y1;
      nb_chart_series_get_y (series, &y0, &y1);
      g_autofree char *a = format_value (y0 * ky, y_span);
      g_autofree char *b = format_value (y1 * ky, y_span);
      const char *label = nb_chart_series_get_label (series);
      switch (nb_chart_series_get_kind (series))
        {
        case NB_CHART_SERIES_ENVELOPE: describe_envelope (s, chart, series, y_span); break;
        case NB_CHART_SERIES_POINTS: describe_points (s, chart, series, y_span); break;
        case NB_CHART_SERIES_HLINE:
          /* TRANSLATORS: a labelled line in a chart's text alternative: "tip at rest at -1.00". */
          if (isfinite (y0) && label && *label)
            g_string_append_printf (s, _ (" %s at %s."), label, a);
          else if (isfinite (y0))
            g_string_append_printf (s, _ (" Line at %s."), a);
          break;
        case NB_CHART_SERIES_BAND:
          if (isfinite (y0) && isfinite (y1))
            g_string_append_printf (s, _ (" Band from %s to %s."), a, b);
          break;
        }
    }
  return g_string_free (s, FALSE);
}

static void
update_now (NbChart *chart, Describer *d)
{
  d->last_us = g_get_monotonic_time ();
  g_autofree char *text = nb_chart_describe (chart);
  if (g_strcmp0 (text, d->text) == 0)
    return;
  gtk_accessible_update_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
  g_free (d->text);
  d->text = g_steal_pointer (&text);
}

static gboolean
on_due (gpointer data)
{
  NbChart *chart = data;
  Describer *d = get_describer (chart);
  d->source = 0;
  update_now (chart, d);
  return G_SOURCE_REMOVE;
}

void
nb_chart_describe_later (NbChart *chart)
{
  Describer *d = get_describer (chart);
  if (d->source)
    return;
  gint64 wait_us = d->last_us + MIN_INTERVAL_US - g_get_monotonic_time ();
  /* An idle even when due: a burst of changes (a new session's axes and series) becomes one. */
  d->source = g_timeout_add (wait_us > 0 ? (guint) (wait_us / 1000) + 1 : 0, on_due, chart);
}

void
nb_chart_describe_cancel (NbChart *chart)
{
  Describer *d = get_describer (chart);
  g_clear_handle_id (&d->source, g_source_remove);
}
