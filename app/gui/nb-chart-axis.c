/* nb-chart-axis.c: range, label and tick placement of a chart axis. */
#include "nb-chart-axis.h"

#include <math.h>

struct _NbChartAxis
{
  GObject parent_instance;
  char *label;
  double min, max;
  double display_scale;
};

G_DEFINE_FINAL_TYPE (NbChartAxis, nb_chart_axis, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_LABEL,
  PROP_MIN,
  PROP_MAX,
  N_PROPS
};
static GParamSpec *props[N_PROPS];
enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
nb_chart_axis_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  NbChartAxis *self = NB_CHART_AXIS (object);
  switch (prop_id)
    {
    case PROP_LABEL: g_value_set_string (value, self->label); break;
    case PROP_MIN: g_value_set_double (value, self->min); break;
    case PROP_MAX: g_value_set_double (value, self->max); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nb_chart_axis_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  NbChartAxis *self = NB_CHART_AXIS (object);
  switch (prop_id)
    {
    case PROP_LABEL:
      g_free (self->label);
      self->label = g_value_dup_string (value);
      break;
    case PROP_MIN: nb_chart_axis_set_range (self, g_value_get_double (value), self->max); break;
    case PROP_MAX: nb_chart_axis_set_range (self, self->min, g_value_get_double (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nb_chart_axis_finalize (GObject *object)
{
  g_free (NB_CHART_AXIS (object)->label);
  G_OBJECT_CLASS (nb_chart_axis_parent_class)->finalize (object);
}

static void
nb_chart_axis_class_init (NbChartAxisClass *klass)
{
  GObjectClass *oc = G_OBJECT_CLASS (klass);
  oc->get_property = nb_chart_axis_get_property;
  oc->set_property = nb_chart_axis_set_property;
  oc->finalize = nb_chart_axis_finalize;
  props[PROP_LABEL]
      = g_param_spec_string ("label", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  props[PROP_MIN]
      = g_param_spec_double ("min", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_MAX]
      = g_param_spec_double ("max", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 1,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (oc, N_PROPS, props);
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
nb_chart_axis_init (NbChartAxis *self)
{
  self->max = 1;
  self->display_scale = 1;
}

NbChartAxis *
nb_chart_axis_new (const char *label, double min, double max)
{
  NbChartAxis *axis = g_object_new (NB_TYPE_CHART_AXIS, "label", label, NULL);
  nb_chart_axis_set_range (axis, min, max);
  return axis;
}

void
nb_chart_axis_set_range (NbChartAxis *axis, double min, double max)
{
  g_return_if_fail (NB_IS_CHART_AXIS (axis));
  if (!(isfinite (min) && isfinite (max)))
    return;
  if (min > max)
    {
      double t = min;
      min = max;
      max = t;
    }
  /* An empty range would divide by zero when mapping; show a small span around the value. */
  if (max - min < 1e-12)
    {
      min -= 0.5;
      max += 0.5;
    }
  if (min == axis->min && max == axis->max)
    return;
  gboolean min_changed = min != axis->min, max_changed = max != axis->max;
  axis->min = min;
  axis->max = max;
  if (min_changed)
    g_object_notify_by_pspec (G_OBJECT (axis), props[PROP_MIN]);
  if (max_changed)
    g_object_notify_by_pspec (G_OBJECT (axis), props[PROP_MAX]);
  g_signal_emit (axis, signals[SIGNAL_CHANGED], 0);
}

double
nb_chart_axis_get_min (NbChartAxis *axis)
{
  return axis->min;
}

double
nb_chart_axis_get_max (NbChartAxis *axis)
{
  return axis->max;
}

const char *
nb_chart_axis_get_label (NbChartAxis *axis)
{
  return axis->label;
}

void
nb_chart_axis_set_unit (NbChartAxis *axis, const char *label, double display_scale)
{
  g_return_if_fail (NB_IS_CHART_AXIS (axis));
  g_return_if_fail (display_scale > 0);
  g_free (axis->label);
  axis->label = g_strdup (label);
  axis->display_scale = display_scale;
  g_object_notify_by_pspec (G_OBJECT (axis), props[PROP_LABEL]);
  g_signal_emit (axis, signals[SIGNAL_CHANGED], 0);
}

double
nb_chart_axis_get_display_scale (NbChartAxis *axis)
{
  return axis->display_scale;
}

double
nb_chart_axis_to_pixel (NbChartAxis *axis, double value, double length, gboolean flip)
{
  double t = (value - axis->min) / (axis->max - axis->min);
  return flip ? (1.0 - t) * length : t * length;
}

guint
nb_chart_axis_ticks (NbChartAxis *axis, guint max_ticks, double *ticks, double *step)
{
  double span = axis->max - axis->min;
  if (max_ticks < 2)
    max_ticks = 2;
  /* The smallest of 1, 2, 5 × 10^k that keeps the count within @max_ticks. */
  double mag = pow (10, floor (log10 (span / max_ticks)));
  static const double mult[] = { 1, 2, 5, 10, 20 };
  double nice = mag * mult[G_N_ELEMENTS (mult) - 1];
  for (guint i = 0; i < G_N_ELEMENTS (mult); i++)
    if (floor (span / (mag * mult[i])) + 1 <= max_ticks)
      {
        nice = mag * mult[i];
        break;
      }
  guint n = 0;
  for (double v = ceil (axis->min / nice) * nice; v <= axis->max + nice * 1e-9 && n < max_ticks;
       v += nice)
    ticks[n++] = fabs (v) < nice * 1e-9 ? 0 : v;
  if (step)
    *step = nice;
  return n;
}
