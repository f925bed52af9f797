/* test-gui-keys.c: the keyboard shortcuts are all listed in the shortcuts window (Ctrl+?), the
 * page keys (Alt+1…4) are set and show their pages. In-process; test-a11y presses the real keys.
 * Saves a screenshot of the shortcuts window. */
#include "gui-test-bus.h"
#include "gui-test-util.h"
#include "nb-chart-a11y.h"

static NbApplication *app;
static NbWindow *win;

/* Every GtkShortcutsShortcut's accelerators (space-separated in its "accelerator") and action. */
static void
collect_listed (GtkWidget *w, GHashTable *accels, GHashTable *actions)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (w))
    {
      g_autofree char *accel = NULL, *action = NULL;
      g_object_get (w, "accelerator", &accel, "action-name", &action, NULL);
      g_auto (GStrv) parts = g_strsplit (accel ? accel : "", " ", -1);
      for (guint i = 0; parts[i]; i++)
        if (*parts[i])
          g_hash_table_add (accels, g_strdup (parts[i]));
      if (action)
        g_hash_table_add (actions, g_strdup (action));
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    collect_listed (c, accels, actions);
}

/* The triggers of the shortcut controllers on @w itself ("<Control>space"): the page's own
 * keys, not those of the entries and lists inside it. */
static void
collect_triggers (GtkWidget *w, GPtrArray *out)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (w);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) c = g_list_model_get_item (controllers, i);
      if (!GTK_IS_SHORTCUT_CONTROLLER (c))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (c)); j++)
        {
          g_autoptr (GtkShortcut) s = g_list_model_get_item (G_LIST_MODEL (c), j);
          g_ptr_array_add (out, gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (s)));
        }
    }
}

static gboolean
is_shown (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static void
test_listed (void)
{
  GtkShortcutsWindow *help = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (win));
  g_assert_nonnull (help);
  g_autoptr (GHashTable) accels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) actions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  collect_listed (GTK_WIDGET (help), accels, actions);

  /* Every action with an application accelerator is listed by its action. */
  g_auto (GStrv) with_accels = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  g_assert_cmpuint (g_strv_length (with_accels), ==, 7); /* quit, preferences, help, 4 pages */
  for (guint i = 0; with_accels[i]; i++)
    {
      g_printerr ("# %s listed\n", with_accels[i]);
      g_assert_true (g_hash_table_contains (actions, with_accels[i]));
    }
  /* Alt+1…4 show the pages, in the switcher's order. */
  static const char *const pages[] = { "live", "records", "calibration", "certificates" };
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *accel = g_strdup_printf ("<Alt>%u", i + 1);
      g_autofree char *action = g_strdup_printf ("win.show-page::%s", pages[i]);
      g_auto (GStrv) found = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), accel);
      g_assert_true (g_strv_contains ((const char *const *) found, action));
    }
  g_auto (GStrv) help_action
      = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), "<Control>question");
  g_assert_true (g_strv_contains ((const char *const *) help_action, "win.show-help-overlay"));

  /* Every key the Live page's and the Calibration page's controllers react to is listed. */
  g_autoptr (GPtrArray) triggers = g_ptr_array_new_with_free_func (g_free);
  collect_triggers (GTK_WIDGET (nb_window_get_live_page (win)), triggers);
  collect_triggers (GTK_WIDGET (nb_window_get_calibration_page (win)), triggers);
  g_assert_cmpuint (triggers->len, >=, 3);
  for (guint i = 0; i < triggers->len; i++)
    {
      g_printerr ("# key %s listed\n", (char *) triggers->pdata[i]);
      g_assert_true (g_hash_table_contains (accels, triggers->pdata[i]));
    }
  /* The Records chart keys, as the shortcuts window gives them. */
  static const char *const records[] = { "plus", "minus", "0", "Left", "Right", "Home", "End" };
  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    g_assert_true (g_hash_table_contains (accels, records[i]));
}

static void
test_pages (void)
{
  AdwViewStack *stack
      = ADW_VIEW_STACK (gtk_widget_get_template_child (GTK_WIDGET (win), NB_TYPE_WINDOW, "stack"));
  g_action_group_activate_action (G_ACTION_GROUP (win), "show-page",
                                  g_variant_new_string ("records"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "records");
  g_action_group_activate_action (G_ACTION_GROUP (win), "show-page",
                                  g_variant_new_string ("certificates"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "certificates");
  g_action_group_activate_action (G_ACTION_GROUP (win), "show-page", g_variant_new_string ("live"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "live");
}

static void
test_window (void)
{
  GtkShortcutsWindow *help = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (win));
  g_action_group_activate_action (G_ACTION_GROUP (win), "show-help-overlay", NULL);
  g_assert_true (nb_test_wait (is_shown, help, 5));
  gtk_window_set_default_size (GTK_WINDOW (help), 1100, 760);
  nb_test_pump (0.5);
  nb_test_save_png (GTK_WIDGET (help), "shortcuts.png");
  gtk_window_close (GTK_WINDOW (help));
}

/* A chart's text alternative gives its figures in the axis's display unit (µm here), labelled
 * lines by their label, and counts only the points in view. */
static void
test_chart_text (void)
{
  NbChart *chart = g_object_ref_sink (NB_CHART (nb_chart_new ()));
  g_autoptr (NbChartAxis) x = nb_chart_axis_new ("stroke", 0, 100);
  g_autoptr (NbChartAxis) y = nb_chart_axis_new ("depth, mm", 0, 1);
  nb_chart_axis_set_unit (y, "depth, µm", 1000);
  nb_chart_set_axes (chart, x, y);
  nb_chart_set_title (chart, "Depth per stroke");
  g_autoptr (NbChartSeries) points = nb_chart_series_new (NB_CHART_SERIES_POINTS, "#1c71d8");
  nb_chart_series_set_max_points (points, 10);
  nb_chart_series_add_point (points, 10, 0.295);
  nb_chart_series_add_point (points, 20, 0.305);
  nb_chart_series_add_point (points, 200, 0.9); /* out of view */
  nb_chart_add_series (chart, points);
  g_autoptr (NbChartSeries) target = nb_chart_series_new (NB_CHART_SERIES_HLINE, "#e66100");
  nb_chart_series_set_y (target, 0.3, 0.3);
  nb_chart_series_set_label (target, "target");
  nb_chart_add_series (chart, target);
  g_autofree char *text = nb_chart_describe (chart);
  g_printerr ("# %s\n", text);
  g_assert_cmpstr (text, ==,
                   "Depth per stroke. Horizontal axis: stroke, 0 to 100. Vertical axis: depth, µm, "
                   "0 to 1000. 2 points in view, last 305, mean 300. target at 300.");
  g_object_unref (chart);
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_autofree char *data_home = g_dir_make_tmp ("nb-gui-keys-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  nb_test_serve_notifications ();
  win = nb_test_start_app (&app);

  g_test_add_func ("/gui-keys/listed", test_listed);
  g_test_add_func ("/gui-keys/pages", test_pages);
  g_test_add_func ("/gui-keys/window", test_window);
  g_test_add_func ("/gui-keys/chart-text", test_chart_text);
  int rc = g_test_run ();

  nb_test_pump (0.2);
  g_object_unref (app);
  return rc;
}
