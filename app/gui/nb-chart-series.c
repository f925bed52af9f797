/* nb-chart-series.c: data and style of one chart series. */
#include "nb-chart-series.h"

struct _NbChartSeries
{
  GObject parent_instance;
  NbChartSeriesKind kind;
  GdkRGBA color;
  gboolean visible;
  /* envelope */
  const NbDecimator *decimator;
  double sample_rate_hz, y_scale;
  /* points: x, y pairs; a plain array trimmed from the front in chunks, so adding is O(1)
   * amortised and drawing reads one contiguous block */
  GArray *points;
  guint max_points;
  /* line, band */
  double y0, y1;
  char *label;
};

G_DEFINE_FINAL_TYPE (NbChartSeries, nb_chart_series, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
nb_chart_series_finalize (GObject *object)
{
  g_array_unref (NB_CHART_SERIES (object)->points);
  g_free (NB_CHART_SERIES (object)->label);
  G_OBJECT_CLASS (nb_chart_series_parent_class)->finalize (object);
}

static void
nb_chart_series_class_init (NbChartSeriesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nb_chart_series_finalize;
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
nb_chart_series_init (NbChartSeries *self)
{
  self->visible = TRUE;
  self->points = g_array_new (FALSE, FALSE, sizeof (double));
  self->max_points = 10000;
  self->y_scale = 1;
  self->sample_rate_hz = 1;
}

NbChartSeries *
nb_chart_series_new (NbChartSeriesKind kind, const char *color)
{
  NbChartSeries *series = g_object_new (NB_TYPE_CHART_SERIES, NULL);
  series->kind = kind;
  if (color == NULL || !gdk_rgba_parse (&series->color, color))
    gdk_rgba_parse (&series->color, "#3584e4");
  return series;
}

NbChartSeriesKind
nb_chart_series_get_kind (NbChartSeries *series)
{
  return series->kind;
}

const GdkRGBA *
nb_chart_series_get_color (NbChartSeries *series)
{
  return &series->color;
}

void
nb_chart_series_changed (NbChartSeries *series)
{
  g_signal_emit (series, signals[SIGNAL_CHANGED], 0);
}

void
nb_chart_series_set_visible (NbChartSeries *series, gboolean visible)
{
  if (series->visible == !!visible)
    return;
  series->visible = !!visible;
  nb_chart_series_changed (series);
}

gboolean
nb_chart_series_get_visible (NbChartSeries *series)
{
  return series->visible;
}

void
nb_chart_series_set_decimator (NbChartSeries *series, const NbDecimator *decimator,
                               double sample_rate_hz, double y_scale)
{
  series->decimator = decimator;
  series->sample_rate_hz = sample_rate_hz > 0 ? sample_rate_hz : 1;
  series->y_scale = y_scale;
  nb_chart_series_changed (series);
}

const NbDecimator *
nb_chart_series_get_decimator (NbChartSeries *series, double *sample_rate_hz, double *y_scale)
{
  if (sample_rate_hz)
    *sample_rate_hz = series->sample_rate_hz;
  if (y_scale)
    *y_scale = series->y_scale;
  return series->decimator;
}

void
nb_chart_series_set_max_points (NbChartSeries *series, guint max_points)
{
  series->max_points = MAX (max_points, 1);
}

void
nb_chart_series_add_point (NbChartSeries *series, double x, double y)
{
  double xy[2] = { x, y };
  g_array_append_vals (series->points, xy, 2);
  /* Trim in chunks of a quarter so that the memmove happens rarely. */
  guint n = series->points->len / 2;
  if (n > series->max_points + series->max_points / 4)
    g_array_remove_range (series->points, 0, 2 * (n - series->max_points));
  nb_chart_series_changed (series);
}

void
nb_chart_series_clear (NbChartSeries *series)
{
  g_array_set_size (series->points, 0);
  nb_chart_series_changed (series);
}

const double *
nb_chart_series_get_points (NbChartSeries *series, guint *n)
{
  guint len = series->points->len / 2;
  guint skip = len > series->max_points ? len - series->max_points : 0;
  *n = len - skip;
  return (const double *) series->points->data + 2 * skip;
}

void
nb_chart_series_set_y (NbChartSeries *series, double y0, double y1)
{
  series->y0 = y0;
  series->y1 = y1;
  nb_chart_series_changed (series);
}

void
nb_chart_series_get_y (NbChartSeries *series, double *y0, double *y1)
{
  if (y0)
    *y0 = series->y0;
  if (y1)
    *y1 = series->y1;
}

void
nb_chart_series_set_label (NbChartSeries *series, const char *label)
{
  if (g_strcmp0 (series->label, label) == 0)
    return;
  g_free (series->label);
  series->label = g_strdup (label);
  g_signal_emit (series, signals[SIGNAL_CHANGED], 0);
}

const char *
nb_chart_series_get_label (NbChartSeries *series)
{
  return series->label;
}
