/* nb-chart-nav.c: the x axis moved by keys, kept inside the data's extent. */
#include "nb-chart-nav.h"

#define ZOOM_STEP 1.5
#define SCROLL_FRACTION 0.1
/* The narrowest view a zoom goes to, as a share of the extent: a few samples of a long session. */
#define MIN_SPAN_FRACTION 1e-5

typedef struct
{
  double min, max;
} Extent;

static GQuark
extent_quark (void)
{
  return g_quark_from_static_string ("nb-chart-nav-extent");
}

void
nb_chart_nav_set_extent (NbChart *chart, double min, double max)
{
  Extent *e = g_new (Extent, 1);
  e->min = MIN (min, max);
  e->max = MAX (min, max);
  g_object_set_qdata_full (G_OBJECT (chart), extent_quark (), e, g_free);
}

void
nb_chart_nav_set_extent_to_view (NbChart *chart)
{
  NbChartAxis *x = nb_chart_get_x_axis (chart);
  nb_chart_nav_set_extent (chart, nb_chart_axis_get_min (x), nb_chart_axis_get_max (x));
}

void
nb_chart_nav_move (NbChart *chart, NbChartNav nav)
{
  NbChartAxis *x = nb_chart_get_x_axis (chart);
  double min = nb_chart_axis_get_min (x), max = nb_chart_axis_get_max (x);
  double span = max - min, centre = (min + max) / 2;
  const Extent *e = g_object_get_qdata (G_OBJECT (chart), extent_quark ());
  Extent ext = e ? *e : (Extent){ min, max };
  double whole = MAX (ext.max - ext.min, 1e-12);
  switch (nav)
    {
    case NB_CHART_NAV_ZOOM_IN: span = MAX (span / ZOOM_STEP, whole * MIN_SPAN_FRACTION); break;
    case NB_CHART_NAV_ZOOM_OUT: span = MIN (span * ZOOM_STEP, whole); break;
    case NB_CHART_NAV_BACK: centre -= span * SCROLL_FRACTION; break;
    case NB_CHART_NAV_FORWARD: centre += span * SCROLL_FRACTION; break;
    case NB_CHART_NAV_START: centre = ext.min + span / 2; break;
    case NB_CHART_NAV_END: centre = ext.max - span / 2; break;
    case NB_CHART_NAV_WHOLE:
      span = whole;
      centre = (ext.min + ext.max) / 2;
      break;
    }
  span = MIN (span, whole);
  /* Inside the extent: the view never shows time before the start or after the end. */
  centre = CLAMP (centre, ext.min + span / 2, ext.max - span / 2);
  nb_chart_axis_set_range (x, centre - span / 2, centre + span / 2);
  g_signal_emit_by_name (chart, "view-changed");
}

static void
add_nav_key (GtkShortcutController *c, const char *action, guint key, GdkModifierType mods,
             NbChartNav nav)
{
  gtk_shortcut_controller_add_shortcut (
      c, gtk_shortcut_new_with_arguments (gtk_keyval_trigger_new (key, mods),
                                          gtk_named_action_new (action), "i", nav));
}

void
nb_chart_nav_add_keys (GtkWidget *owner, const char *action)
{
  static const struct
  {
    guint key;
    NbChartNav nav;
  } keys[] = {
    { GDK_KEY_plus, NB_CHART_NAV_ZOOM_IN },
    { GDK_KEY_equal, NB_CHART_NAV_ZOOM_IN },
    { GDK_KEY_KP_Add, NB_CHART_NAV_ZOOM_IN },
    { GDK_KEY_minus, NB_CHART_NAV_ZOOM_OUT },
    { GDK_KEY_KP_Subtract, NB_CHART_NAV_ZOOM_OUT },
    { GDK_KEY_0, NB_CHART_NAV_WHOLE },
    { GDK_KEY_KP_0, NB_CHART_NAV_WHOLE },
    { GDK_KEY_Left, NB_CHART_NAV_BACK },
    { GDK_KEY_Right, NB_CHART_NAV_FORWARD },
    { GDK_KEY_Home, NB_CHART_NAV_START },
    { GDK_KEY_End, NB_CHART_NAV_END },
  };
  GtkEventController *c = gtk_shortcut_controller_new ();
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      add_nav_key (GTK_SHORTCUT_CONTROLLER (c), action, keys[i].key, 0, keys[i].nav);
      add_nav_key (GTK_SHORTCUT_CONTROLLER (c), action, keys[i].key, GDK_CONTROL_MASK, keys[i].nav);
    }
  gtk_widget_add_controller (owner, c);
}
