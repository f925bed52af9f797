/* test-gui-layout.c: the window fits a small screen and does not waste a big one: every page's
 * minimum size (as GTK measures it) is at most 800×600, the pens sidebar folds away at 800 px
 * and stays a sidebar's width at 1920 px. Saves screenshots at both sizes. */
#include <glib/gstdio.h>

#include "gui-test-bus.h"
#include "gui-test-util.h"
#include "nb-preferences.h"
#include "nb-renderer.h"
#include "nb-sim-transport.h"

#define SMALL_W 800
#define SMALL_H 600

static NbApplication *app;
static NbWindow *win;
static NbLivePage *live;

/* The minimum width, and the minimum height at @for_width. */
static void
measure_min (GtkWidget *w, int for_width, int *min_w, int *min_h)
{
  gtk_widget_measure (w, GTK_ORIENTATION_HORIZONTAL, -1, min_w, NULL, NULL, NULL);
  gtk_widget_measure (w, GTK_ORIENTATION_VERTICAL, for_width, min_h, NULL, NULL, NULL);
}

static void
dump (GtkWidget *w, int depth)
{
  int mw, mh;
  measure_min (w, -1, &mw, &mh);
  if (depth > 14)
    return;
  g_printerr ("#%*s %s %s %d×%d\n", depth * 2, "", G_OBJECT_TYPE_NAME (w), gtk_widget_get_name (w),
              mw, mh);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    dump (c, depth + 1);
}

static gboolean
is_connected (gpointer data)
{
  NbRun *run = nb_live_page_get_run (live);
  return run && nb_run_is_connected (run);
}

static gboolean
has_size (gpointer data)
{
  const int *wh = data;
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (win));
  return gdk_surface_get_width (surface) == wh[0] && gdk_surface_get_height (surface) == wh[1];
}

/* Resizes the window to @w×@h (the contents, as the operator sets it) and lets it settle. */
static void
resize (int w, int h)
{
  gtk_window_set_default_size (GTK_WINDOW (win), w, h);
  int wh[2] = { w, h };
  gboolean ok = nb_test_wait (has_size, wh, 5);
  nb_test_pump (0.5);
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (win));
  g_printerr ("# window %d×%d asked, %d×%d got (contents %d×%d)\n", w, h,
              gdk_surface_get_width (surface), gdk_surface_get_height (surface),
              gtk_widget_get_width (GTK_WIDGET (win)), gtk_widget_get_height (GTK_WIDGET (win)));
  g_assert_true (ok);
}

static void
test_min_sizes (void)
{
  const char *pages[] = { "live", "records", "calibration", "certificates" };
  GtkWidget *widgets[] = { GTK_WIDGET (live), GTK_WIDGET (nb_window_get_records_page (win)),
                           GTK_WIDGET (nb_window_get_calibration_page (win)),
                           GTK_WIDGET (nb_window_get_certificates_page (win)) };
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      nb_window_show_page (win, pages[i]);
      nb_test_pump (0.2);
      int pw, ph;
      measure_min (widgets[i], SMALL_W, &pw, &ph);
      g_printerr ("# page %-12s minimum %d×%d\n", pages[i], pw, ph);
      g_assert_cmpint (pw, <=, SMALL_W);
      g_assert_cmpint (ph, <=, SMALL_H);
    }
  if (g_getenv ("NB_LAYOUT_DUMP"))
    dump (GTK_WIDGET (win), 0);
  int ww, wh;
  measure_min (GTK_WIDGET (win), SMALL_W, &ww, &wh);
  g_printerr ("# window minimum %d×%d\n", ww, wh);
  g_assert_cmpint (ww, <=, SMALL_W);
  g_assert_cmpint (wh, <=, SMALL_H);

  NbPreferences *prefs = nb_preferences_new (GTK_WINDOW (win), nb_window_get_settings (win));
  gtk_window_present (GTK_WINDOW (prefs));
  nb_test_pump (0.3);
  int fw, fh;
  measure_min (GTK_WIDGET (prefs), SMALL_W, &fw, &fh);
  g_printerr ("# preferences minimum %d×%d\n", fw, fh);
  g_assert_cmpint (fw, <=, SMALL_W);
  g_assert_cmpint (fh, <=, SMALL_H);
  gtk_window_destroy (GTK_WINDOW (prefs));
}

/* The strip chart starts at the run's start: no empty negative time before the first sample. */
static void
test_time_axis (void)
{
  NbChartAxis *x = nb_chart_get_x_axis (nb_live_page_get_strip_chart (live));
  g_printerr ("# strip chart time axis %.3f to %.3f %s\n", nb_chart_axis_get_min (x),
              nb_chart_axis_get_max (x), nb_chart_axis_get_label (x));
  g_assert_cmpfloat (nb_chart_axis_get_min (x), >=, 0);
  g_assert_cmpfloat_with_epsilon (nb_chart_axis_get_max (x) - nb_chart_axis_get_min (x),
                                  NB_LIVE_WINDOW_S, 1e-9);
  g_assert_cmpstr (nb_chart_axis_get_label (x), ==, "time, s");
}

static GtkWidget *
find_spin (GtkWidget *root)
{
  return nb_test_find_type (root, GTK_TYPE_SPIN_BUTTON);
}

/* The µm preference reaches the depth input and the charts' axes, and back. */
static void
test_units (void)
{
  GSettings *settings = nb_window_get_settings (win);
  nb_live_page_set_depth (live, 0.5);
  GtkSpinButton *spin = GTK_SPIN_BUTTON (find_spin (GTK_WIDGET (live)));
  NbChartAxis *y = nb_chart_get_y_axis (nb_live_page_get_strip_chart (live));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "0.50");
  g_assert_cmpstr (nb_chart_axis_get_label (y), ==, "tip position, mm");

  g_settings_set_enum (settings, "units", 1);
  nb_test_pump (0.3);
  g_printerr ("# in µm: depth input \"%s\", strip axis \"%s\" ×%g\n",
              gtk_editable_get_text (GTK_EDITABLE (spin)), nb_chart_axis_get_label (y),
              nb_chart_axis_get_display_scale (y));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "500");
  g_assert_cmpstr (nb_chart_axis_get_label (y), ==, "tip position, µm");
  g_assert_cmpfloat (nb_chart_axis_get_display_scale (y), ==, 1000);
  /* The Records page's replay chart too. */
  NbChart *records_chart
      = NB_CHART (nb_test_find_type (GTK_WIDGET (nb_window_get_records_page (win)), NB_TYPE_CHART));
  g_assert_cmpstr (nb_chart_axis_get_label (nb_chart_get_y_axis (records_chart)), ==,
                   "tip position, µm");
  /* Typed in µm, set in mm. */
  gtk_editable_set_text (GTK_EDITABLE (spin), "750");
  gtk_spin_button_update (spin);
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (spin), 0.75, 1e-9);
  nb_test_save_png (GTK_WIDGET (win), "live-um.png");

  g_settings_set_enum (settings, "units", 0);
  nb_test_pump (0.3);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "0.75");
  g_assert_cmpstr (nb_chart_axis_get_label (y), ==, "tip position, mm");
  g_assert_cmpfloat (nb_chart_axis_get_display_scale (y), ==, 1);
}

/* Presets and bands in the operator's unit (for the preset controls). */
static void
test_units_format (void)
{
  g_autofree char *mm = nb_units_format_range (NB_UNITS_MM, 0.5, 1.0, 0);
  g_autofree char *um = nb_units_format_range (NB_UNITS_UM, 0.5, 1.0, 0);
  g_autofree char *target = nb_units_format_range (NB_UNITS_UM, 0.25, 0.25, 0.15);
  g_assert_cmpstr (mm, ==, "0.50–1.00 mm");
  g_assert_cmpstr (um, ==, "500–1000 µm");
  g_assert_cmpstr (target, ==, "250 ± 150 µm");
}

/* The sidebar's allocated width: the flap's child. */
static int
sidebar_width (AdwFlap *flap)
{
  return gtk_widget_get_width (adw_flap_get_flap (flap));
}

/* At 800×600 the pens sidebar folds away (and comes back on the toggle); the Live page with a
 * pen streaming fits. */
static void
test_small (void)
{
  nb_live_page_connect_uri (live, "sim:");
  g_assert_true (nb_test_wait (is_connected, NULL, 5));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-motor", NULL));
  nb_window_show_page (win, "live");
  nb_test_pump (2.0);
  if (g_getenv ("NB_LAYOUT_DUMP"))
    dump (GTK_WIDGET (live), 0);
  resize (SMALL_W, SMALL_H);
  AdwFlap *flap = ADW_FLAP (nb_test_find_type (GTK_WIDGET (live), ADW_TYPE_FLAP));
  g_assert_true (adw_flap_get_folded (flap));
  g_assert_false (adw_flap_get_reveal_flap (flap));
  nb_test_pump (1.0);
  nb_test_save_png (GTK_WIDGET (win), "live-800x600.png");
  adw_flap_set_reveal_flap (flap, TRUE);
  nb_test_pump (1.0);
  nb_test_save_png (GTK_WIDGET (win), "live-800x600-pens.png");
  adw_flap_set_reveal_flap (flap, FALSE);
  const char *pages[] = { "records", "calibration", "certificates" };
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      nb_window_show_page (win, pages[i]);
      nb_test_pump (0.5);
      g_autofree char *name = g_strdup_printf ("%s-800x600.png", pages[i]);
      nb_test_save_png (GTK_WIDGET (win), name);
    }
  nb_window_show_page (win, "live");
}

/* At 1920×1080 the sidebar stays a sidebar: not the 670 px it grew to when the pen details'
 * expanding labels spread the extra width; and its width does not follow the numbers. */
static void
test_large (void)
{
  resize (1920, 1080);
  AdwFlap *flap = ADW_FLAP (nb_test_find_type (GTK_WIDGET (live), ADW_TYPE_FLAP));
  g_assert_false (adw_flap_get_folded (flap));
  g_assert_true (adw_flap_get_reveal_flap (flap));
  int before = sidebar_width (flap);
  g_printerr ("# sidebar at 1920 px: %d px\n", before);
  g_assert_cmpint (before, >=, 240);
  g_assert_cmpint (before, <=, 320);
  nb_test_pump (2.0);
  g_assert_cmpint (sidebar_width (flap), ==, before);
  nb_test_save_png (GTK_WIDGET (win), "live-1920.png");
}

/* Without a GPU render node the app asks for the cairo renderer, unless the user chose one. */
static void
test_renderer (void)
{
  g_autofree char *dri = g_dir_make_tmp ("nb-dri-XXXXXX", NULL);
  g_assert_cmpstr (nb_renderer_pick (NULL, dri), ==, "cairo");
  g_assert_cmpstr (nb_renderer_pick ("", dri), ==, "cairo");
  g_assert_cmpstr (nb_renderer_pick (NULL, "/nonexistent/dri"), ==, "cairo");
  g_assert_null (nb_renderer_pick ("gl", dri));
  g_autofree char *card = g_build_filename (dri, "card0", NULL);
  g_assert_true (g_file_set_contents (card, "", 0, NULL));
  g_assert_cmpstr (nb_renderer_pick (NULL, dri), ==, "cairo"); /* a display, no render node */
  g_autofree char *node = g_build_filename (dri, "renderD128", NULL);
  g_assert_true (g_file_set_contents (node, "", 0, NULL));
  g_assert_null (nb_renderer_pick (NULL, dri));
  g_remove (node);
  g_remove (card);
  g_rmdir (dri);
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_autofree char *data_home = g_dir_make_tmp ("nb-gui-layout-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  nb_sim_transport_register ();
  gtk_init ();
  nb_test_serve_notifications ();
  win = nb_test_start_app (&app);
  live = nb_window_get_live_page (win);

  g_test_add_func ("/gui-layout/renderer", test_renderer);
  g_test_add_func ("/gui-layout/units-format", test_units_format);
  g_test_add_func ("/gui-layout/min-sizes", test_min_sizes);
  g_test_add_func ("/gui-layout/small", test_small);
  g_test_add_func ("/gui-layout/time-axis", test_time_axis);
  g_test_add_func ("/gui-layout/units", test_units);
  g_test_add_func ("/gui-layout/large", test_large);
  int rc = g_test_run ();

  nb_test_pump (0.2);
  g_object_unref (app);
  return rc;
}
