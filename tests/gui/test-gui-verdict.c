/* test-gui-verdict.c: pass/fail at a glance on the Live page (issue 12 §1), the real application
 * on the simulated pen under Xvfb: choose the area and skin, run the motor, and read the verdict
 * (words, icon class, share of strokes in the band, rate) in and out of tolerance; a recording
 * stores the target. Screenshots of both. */
#include <math.h>
#include <string.h>

#include "gui-test-util.h"
#include "nb-live-page.h"
#include "nb-readouts.h"
#include "nb-records.h"
#include "nb-sim-transport.h"
#include "nb-store.h"

/* Around the eyes, thin skin: 0.25 mm ± 0.15 mm. A pen without gain or rate errors, 45 µm deep
 * (issue 12's 0.295 mm against 0.25 mm), then 200 µm deep. */
#define IN_PEN "sim:depth-offset=0.045,depth-gain=1,rate-error=0"
#define OUT_PEN "sim:depth-offset=0.2,depth-gain=1,rate-error=0"

static NbApplication *app;
static NbWindow *win;
static NbLivePage *live;

static gboolean
is_connected (gpointer data)
{
  NbRun *run = nb_live_page_get_run (live);
  return run && nb_run_is_connected (run)
         && g_str_equal (nb_device_get_uri (nb_run_get_device (run)), data);
}

static gboolean
depth_is_set (gpointer data)
{
  return fabs (nb_run_get_set_depth (nb_live_page_get_run (live)) - *(double *) data) < 1e-9;
}

static gboolean
motor_is (gpointer data)
{
  return nb_run_is_motor_running (nb_live_page_get_run (live)) == GPOINTER_TO_INT (data);
}

/* Enough strokes judged against the target in force (and the readouts refreshed since). */
static gboolean
judged (gpointer data)
{
  return nb_verdict_card_get_model (nb_live_page_get_verdict_card (live))->strokes
         >= GPOINTER_TO_UINT (data);
}

/* connect_eyes_thin: connects @uri, chooses "Around the eyes" and "Thin skin" as the operator
 * does, runs the motor and waits for 150 strokes. */
static void
connect_eyes_thin (const char *uri)
{
  nb_live_page_connect_uri (live, uri);
  g_assert_true (nb_test_wait (is_connected, (gpointer) uri, 5));
  g_assert_true (nb_live_page_choose_target (live, "eyes", NB_SKIN_THIN));
  double depth = 0.25; /* the pen's 0.05 mm steps have 0.25 mm */
  g_assert_true (nb_test_wait (depth_is_set, &depth, 3));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-motor", NULL));
  g_assert_true (nb_test_wait (motor_is, GINT_TO_POINTER (TRUE), 3));
  g_assert_true (nb_test_wait (judged, GUINT_TO_POINTER (150), 10));
  nb_test_pump (2.0 * NB_RUN_UPDATE_MS / 1000.0); /* the readouts refresh */
}

static gboolean
recording (gpointer data)
{
  NbRun *run = nb_live_page_get_run (live);
  return run && nb_run_is_recording (run);
}

typedef struct
{
  gboolean done;
  gint64 id;
} Finished;

static void
on_finished (NbLivePage *page, gint64 id, const char *error, Finished *f)
{
  g_assert_null (error);
  f->id = id;
  f->done = TRUE;
}

static gboolean
finished (gpointer data)
{
  return ((Finished *) data)->done;
}

/* find_chart: the chart under @root whose y axis is labelled @y_prefix…, or NULL. */
static NbChart *
find_chart (GtkWidget *root, const char *y_prefix)
{
  if (NB_IS_CHART (root) && nb_chart_get_y_axis (NB_CHART (root))
      && g_str_has_prefix (nb_chart_axis_get_label (nb_chart_get_y_axis (NB_CHART (root))),
                           y_prefix))
    return NB_CHART (root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      NbChart *found = find_chart (c, y_prefix);
      if (found)
        return found;
    }
  return NULL;
}

static gboolean
listed (gpointer data)
{
  NbRecords *records = nb_records_page_get_records (nb_window_get_records_page (win));
  return !nb_records_is_refreshing (records) && nb_records_find (records, *(gint64 *) data);
}

static gboolean
replay_shown (gpointer data)
{
  return nb_records_page_get_shown_session (nb_window_get_records_page (win)) == *(gint64 *) data;
}

static gboolean
no_toast (gpointer data)
{
  return !nb_window_has_toast (win);
}

static gboolean
has_class (GtkWidget *w, const char *cls)
{
  return gtk_widget_has_css_class (w, cls);
}

static void
test_in_tolerance (void)
{
  connect_eyes_thin (IN_PEN);
  NbVerdictCard *card = nb_live_page_get_verdict_card (live);
  NbLiveJudgement depth = nb_verdict_card_get_depth (card);
  NbLiveJudgement rate = nb_verdict_card_get_rate (card);
  const NbLiveVerdict *model = nb_verdict_card_get_model (card);
  g_printerr ("# in tolerance: %s | %s | %s\n", nb_verdict_card_get_depth_text (card),
              nb_verdict_card_get_share_text (card), nb_verdict_card_get_rate_text (card));
  g_assert_cmpint (depth.verdict, ==, NB_LIVE_CHECK_IN);
  g_assert_cmpfloat (fabs (depth.deviation - 0.045), <=, 0.01);
  g_assert_true (g_str_has_prefix (nb_verdict_card_get_depth_text (card), "In tolerance: +0.04"));
  g_assert_null (strstr (nb_verdict_card_get_detail_text (card), "outside the band"));
  g_assert_true (has_class (GTK_WIDGET (card), "verdict-in"));
  /* every stroke of a 45 µm-deep pen with a few µm of scatter is inside 0.10–0.40 mm */
  g_assert_cmpuint (model->in_band, ==, model->strokes);
  /* (the text is from the last refresh: the count has moved on since) */
  g_assert_true (g_regex_match_simple ("^100 % of [0-9]{3,} strokes in 0\\.100–0\\.400 mm",
                                       nb_verdict_card_get_share_text (card), 0, 0));
  /* the rate: 100 Hz ± 5 % */
  g_assert_cmpint (rate.verdict, ==, NB_LIVE_CHECK_IN);
  g_assert_true (strstr (nb_verdict_card_get_rate_text (card), ": in tolerance (100.0 ± 5.0 Hz)"));
  /* the readout: colour, icon and the word */
  NbReadouts *readouts = NB_READOUTS (nb_test_find_type (GTK_WIDGET (live), NB_TYPE_READOUTS));
  g_assert_cmpstr (nb_readouts_get_depth_verdict_text (readouts), ==, "In tolerance");

  nb_window_show_page (win, "live");
  nb_test_pump (0.5);
  nb_test_save_png (GTK_WIDGET (win), "live-in-tolerance.png");

  /* a recording stores the target it started with */
  Finished done = { FALSE, 0 };
  gulong fid = g_signal_connect (live, "recording-finished", G_CALLBACK (on_finished), &done);
  nb_live_page_set_session_name (live, "eyes thin", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-record", NULL));
  g_assert_true (nb_test_wait (recording, NULL, 5));
  nb_test_pump (0.5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-record", NULL));
  g_assert_true (nb_test_wait (finished, &done, 10));
  g_signal_handler_disconnect (live, fid);
  gint64 session = done.id;
  g_autofree char *path = nb_store_get_default_path ();
  g_autoptr (NbStore) store = nb_store_open_full (path, NB_STORE_OPEN_READ_ONLY, NULL);
  g_assert_nonnull (store);
  g_autoptr (NbStoreSession) s = nb_store_get_session (store, session, NULL);
  g_assert_nonnull (s);
  g_assert_true (s->has_target);
  g_assert_cmpstr (s->profile_id, ==, "eyes-thin");
  g_assert_cmpfloat_with_epsilon (s->target_mm, 0.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (s->tolerance_mm, 0.15, 1e-9);
  g_assert_cmpfloat_with_epsilon (s->band_lo_mm, 0.10, 1e-9);
  g_assert_cmpfloat_with_epsilon (s->band_hi_mm, 0.40, 1e-9);
  g_assert_cmpfloat_with_epsilon (s->rate_tolerance_hz, 5.0, 1e-9);

  /* and its replay draws the band: the depth chart reaches 0.25 mm above the band's 0.40 mm
   * (without it, 0.25 mm above the deepest stroke, about 0.30 mm) */
  NbRecordsPage *records = nb_window_get_records_page (win);
  nb_window_show_page (win, "records");
  g_assert_true (nb_test_wait (listed, &session, 10));
  g_assert_true (nb_records_page_open (records, session));
  g_assert_true (nb_test_wait (replay_shown, &session, 10));
  NbChart *chart = find_chart (GTK_WIDGET (records), "depth");
  g_assert_nonnull (chart);
  g_assert_cmpfloat_with_epsilon (nb_chart_axis_get_max (nb_chart_get_y_axis (chart)), 0.65, 1e-9);
  nb_test_pump (0.5);
  nb_test_save_png (GTK_WIDGET (win), "records-band.png");
  nb_window_show_page (win, "live");
}

static void
test_out_of_tolerance (void)
{
  connect_eyes_thin (OUT_PEN);
  NbVerdictCard *card = nb_live_page_get_verdict_card (live);
  NbLiveJudgement depth = nb_verdict_card_get_depth (card);
  const NbLiveVerdict *model = nb_verdict_card_get_model (card);
  g_printerr ("# out of tolerance: %s | %s | %s\n", nb_verdict_card_get_depth_text (card),
              nb_verdict_card_get_share_text (card), nb_verdict_card_get_rate_text (card));
  g_assert_cmpint (depth.verdict, ==, NB_LIVE_CHECK_HIGH);
  g_assert_cmpfloat (fabs (depth.deviation - 0.2), <=, 0.01);
  g_assert_true (g_str_has_prefix (nb_verdict_card_get_depth_text (card), "Too deep: +0.2"));
  g_assert_true (has_class (GTK_WIDGET (card), "verdict-high"));
  g_assert_false (has_class (GTK_WIDGET (card), "verdict-in"));
  /* 0.45 mm strokes: none in 0.10–0.40 mm, all too deep */
  g_assert_cmpuint (model->in_band, ==, 0);
  g_assert_cmpuint (model->too_deep, ==, model->strokes);
  g_assert_true (g_regex_match_simple ("^0 % of [0-9]{3,} strokes in 0\\.100–0\\.400 mm",
                                       nb_verdict_card_get_share_text (card), 0, 0));
  NbReadouts *readouts = NB_READOUTS (nb_test_find_type (GTK_WIDGET (live), NB_TYPE_READOUTS));
  g_assert_cmpstr (nb_readouts_get_depth_verdict_text (readouts), ==, "Too deep");
  /* in µm, as the preference says: the verdict, the band and the skin list */
  GSettings *settings = nb_window_get_settings (win);
  g_settings_set_enum (settings, "units", 1);
  nb_test_pump (0.3);
  g_printerr ("# in µm: %s | %s\n", nb_verdict_card_get_depth_text (card),
              nb_verdict_card_get_share_text (card));
  g_assert_true (g_regex_match_simple ("^Too deep: \\+20[0-9] µm$",
                                       nb_verdict_card_get_depth_text (card), 0, 0));
  g_assert_nonnull (strstr (nb_verdict_card_get_share_text (card), " strokes in 100–400 µm"));
  g_settings_set_enum (settings, "units", 0);
  nb_test_pump (0.3);
  g_assert_true (g_str_has_prefix (nb_verdict_card_get_depth_text (card), "Too deep: +0.2"));
  /* the depth chart's points carry the stroke's verdict (the screenshot without the toast of the
   * recording before) */
  nb_window_show_page (win, "live");
  (void) nb_test_wait (no_toast, NULL, 10);
  nb_test_pump (0.5);
  nb_test_save_png (GTK_WIDGET (win), "live-out-of-tolerance.png");

  /* "None": the setting ± 0.15 mm; 0.25 mm set, 0.45 measured: still too deep, without a rate
   * tolerance */
  g_assert_true (nb_live_page_choose_target (live, NULL, NB_SKIN_ANY));
  g_assert_true (nb_test_wait (judged, GUINT_TO_POINTER (50), 10));
  nb_test_pump (2.0 * NB_RUN_UPDATE_MS / 1000.0);
  g_assert_cmpint (nb_verdict_card_get_depth (card).verdict, ==, NB_LIVE_CHECK_HIGH);
  g_assert_cmpint (nb_verdict_card_get_rate (card).verdict, ==, NB_LIVE_CHECK_NONE);
  g_assert_true (strstr (nb_verdict_card_get_rate_text (card), "no tolerance"));

  /* a setting typed outside the preset's band says so */
  g_assert_true (nb_live_page_choose_target (live, "eyes", NB_SKIN_THIN));
  double setting = 0.6;
  nb_live_page_set_depth (live, setting);
  g_assert_true (nb_test_wait (depth_is_set, &setting, 3));
  g_assert_true (nb_test_wait (judged, GUINT_TO_POINTER (20), 10));
  nb_test_pump (2.0 * NB_RUN_UPDATE_MS / 1000.0);
  g_printerr ("# set outside: %s | %s\n", nb_verdict_card_get_depth_text (card),
              nb_verdict_card_get_detail_text (card));
  g_assert_nonnull (
      strstr (nb_verdict_card_get_detail_text (card), "the setting is outside the band"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-motor", NULL));
  g_assert_true (nb_test_wait (motor_is, GINT_TO_POINTER (FALSE), 3));
}

/* The depth chart's points carry a class (the stroke's verdict), kept with them as old points go.
 */
static void
test_series_classes (void)
{
  g_autoptr (NbChartSeries) s = nb_chart_series_new (NB_CHART_SERIES_POINTS, "#1c71d8");
  nb_chart_series_set_max_points (s, 4);
  nb_chart_series_set_class_color (s, NB_LIVE_CHECK_HIGH, "#c01c28");
  guint n = 0, np = 0;
  nb_chart_series_add_point (s, 0, 0.1);
  g_assert_null (nb_chart_series_get_classes (s, &n)); /* no class yet: one colour */
  for (guint i = 1; i <= 6; i++)
    nb_chart_series_add_point_class (s, i, 0.3, i % NB_CHART_SERIES_CLASSES);
  const guint8 *classes = nb_chart_series_get_classes (s, &n);
  const double *xy = nb_chart_series_get_points (s, &np);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpuint (np, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpfloat (xy[2 * i], ==, 3 + i);
      g_assert_cmpuint (classes[i], ==, (3 + i) % NB_CHART_SERIES_CLASSES);
    }
  GdkRGBA red;
  gdk_rgba_parse (&red, "#c01c28");
  g_assert_true (gdk_rgba_equal (nb_chart_series_get_class_color (s, NB_LIVE_CHECK_HIGH), &red));
  g_assert_true (
      gdk_rgba_equal (nb_chart_series_get_class_color (s, 0), nb_chart_series_get_color (s)));
  nb_chart_series_clear (s);
  nb_chart_series_get_classes (s, &n);
  g_assert_cmpuint (n, ==, 0);
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_autofree char *data_home = g_dir_make_tmp ("nb-gui-verdict-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  nb_sim_transport_register ();
  gtk_init ();
  win = nb_test_start_app (&app);
  live = nb_window_get_live_page (win);
  gtk_window_set_default_size (GTK_WINDOW (win), 1280, 820);
  nb_test_pump (0.5);

  g_test_add_func ("/gui-verdict/series-classes", test_series_classes);
  g_test_add_func ("/gui-verdict/in-tolerance", test_in_tolerance);
  g_test_add_func ("/gui-verdict/out-of-tolerance", test_out_of_tolerance);
  int rc = g_test_run ();

  nb_live_page_shutdown (live);
  nb_test_pump (0.2);
  g_object_unref (app);
  return rc;
}
