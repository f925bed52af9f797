/* test-gui.c: the application against the simulated pen, in-process under Xvfb: connect, stream,
 * check the readouts, record and find the session, lose the pen and see the banner while the
 * main loop keeps running, see why the pen stopped its motor by itself, quit with the motor running
 * behind a slow link. Saves a screenshot of every page. */
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>

#include "gui-test-bus.h"
#include "gui-test-heartbeat.h"
#include "gui-test-util.h"
#include "nb-records.h"
#include "nb-sim-transport.h"
#include "nb-slow-pen.h"

/* A pen without errors, so that the readouts must equal the setting. */
#define EXACT_PEN "sim:depth-offset=0,depth-gain=1,rate-error=0"
#define SET_DEPTH_MM 1.0
#define SET_RATE_HZ 100.0
#define DISCONNECT_AFTER_S 3.0

static NbApplication *app;
static NbWindow *win;
static NbLivePage *live;
static gint64 recorded_session;

static gboolean
is_connected (gpointer data)
{
  NbRun *run = nb_live_page_get_run (live);
  return run && nb_run_is_connected (run);
}

static gboolean
depth_is_set (gpointer data)
{
  NbRun *run = nb_live_page_get_run (live);
  return fabs (nb_run_get_set_depth (run) - *(double *) data) < 1e-9;
}

static gboolean
motor_is (gpointer data)
{
  return nb_run_is_motor_running (nb_live_page_get_run (live)) == GPOINTER_TO_INT (data);
}

static gboolean
measured_for (gpointer data)
{
  NbAcquisitionSummary s;
  nb_run_get_summary (nb_live_page_get_run (live), &s);
  return s.duration_s >= *(double *) data;
}

static gboolean
flag_set_ptr (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
test_start (void)
{
  gtk_window_set_default_size (GTK_WINDOW (win), 1280, 820);
  nb_test_pump (0.5);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (win)));
  nb_test_save_png (GTK_WIDGET (win), "start.png");
}

static void
test_stream (void)
{
  nb_live_page_connect_uri (live, EXACT_PEN);
  g_assert_true (nb_test_wait (is_connected, NULL, 5));
  NbRun *run = nb_live_page_get_run (live);
  /* The spin button is limited to the pen's range and step. */
  const NbIdentity *id = nb_run_get_identity (run);
  g_assert_cmpuint (id->depth_step_um, >, 0);

  double depth = SET_DEPTH_MM;
  nb_live_page_set_depth (live, depth);
  g_assert_true (nb_test_wait (depth_is_set, &depth, 3));
  /* Through the same path as the operator: the action (Ctrl+Space). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-motor", NULL));
  g_assert_true (nb_test_wait (motor_is, GINT_TO_POINTER (TRUE), 3));

  double seconds = 2.0;
  g_assert_true (nb_test_wait (measured_for, &seconds, 10));
  nb_test_pump (2.0 * NB_RUN_UPDATE_MS / 1000.0); /* the readouts refresh */
  double mean, sd, rate;
  guint64 strokes;
  g_object_get (run, "depth-mean-mm", &mean, "depth-sd-mm", &sd, "rate-hz", &rate, "strokes",
                &strokes, NULL);
  g_printerr (
      "# readouts after 2 s: depth %.4f ± %.4f mm (set %.2f), rate %.2f Hz, %" G_GUINT64_FORMAT
      " strokes\n",
      mean, sd, SET_DEPTH_MM, rate, strokes);
  g_assert_cmpfloat (fabs (mean - SET_DEPTH_MM), <=, 0.02);
  g_assert_cmpuint (strokes, >=, 150);
  nb_window_show_page (win, "live");
  nb_test_pump (0.5);
  nb_test_save_png (GTK_WIDGET (win), "live.png");

  /* Zoomed in to 1/64 of the window (about 0.16 s), the strokes themselves show. */
  for (guint i = 0; i < 6; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.zoom-in", NULL));
  nb_test_pump (0.5);
  NbChartAxis *x = nb_chart_get_x_axis (nb_live_page_get_strip_chart (live));
  g_assert_cmpfloat_with_epsilon (nb_chart_axis_get_max (x) - nb_chart_axis_get_min (x),
                                  NB_LIVE_WINDOW_S / 64, 1e-6);
  nb_test_save_png (GTK_WIDGET (win), "live-zoomed.png");
  for (guint i = 0; i < 6; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.zoom-out", NULL));
}

/* The strip chart draws only when something changed: never at rest, every frame while streaming. */
static void
count_paint (guint *paints)
{
  (*paints)++;
}

static void
test_redraws (void)
{
  NbChart *chart = nb_live_page_get_strip_chart (live);
  nb_window_show_page (win, "live");
  g_assert_true (nb_run_is_motor_running (nb_live_page_get_run (live)));
  nb_test_pump (0.3);
  guint before = nb_chart_get_draw_count (chart);
  nb_test_pump (1.0);
  guint streaming = nb_chart_get_draw_count (chart) - before;
  g_printerr ("# strip chart draws in 1 s streaming: %u\n", streaming);
  g_assert_cmpuint (streaming, >=, 10);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-motor", NULL));
  g_assert_true (nb_test_wait (motor_is, GINT_TO_POINTER (FALSE), 3));
  /* Settle: the last strokes and readouts land, the y scale fits them once. */
  nb_test_pump (2.0 * NB_RUN_UPDATE_MS / 1000.0 + 0.5);
  before = nb_chart_get_draw_count (chart);
  /* Nothing else repaints the window either: a widget restyled, re-laid out or animated at rest
   * (an icon set again to the same name, a spinner on a hidden page) costs a full-window paint
   * every frame. */
  guint paints = 0;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (win));
  gulong paint_id
      = g_signal_connect_swapped (clock, "after-paint", G_CALLBACK (count_paint), &paints);
  nb_test_pump (1.0);
  g_signal_handler_disconnect (clock, paint_id);
  g_printerr ("# at rest in 1 s: %u strip chart draws, %u window paints\n",
              nb_chart_get_draw_count (chart) - before, paints);
  g_assert_cmpuint (nb_chart_get_draw_count (chart), ==, before);
  g_assert_cmpuint (paints, ==, 0);

  /* As the next tests expect it: the motor running again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-motor", NULL));
  g_assert_true (nb_test_wait (motor_is, GINT_TO_POINTER (TRUE), 3));
}

/* Activates the live page's shortcut for @accel (as GTK does on the key press). */
static gboolean
press (const char *accel)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (live));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) c = g_list_model_get_item (controllers, i);
      if (!GTK_IS_SHORTCUT_CONTROLLER (c))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (c)); j++)
        {
          g_autoptr (GtkShortcut) sc = g_list_model_get_item (G_LIST_MODEL (c), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (sc));
          if (g_str_equal (trigger, accel))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (sc), 0, GTK_WIDGET (live),
                                                 NULL);
        }
    }
  return FALSE;
}

static void
test_shortcuts (void)
{
  /* Ctrl+Space stops and starts the motor. */
  g_assert_true (press ("<Control>space"));
  g_assert_true (nb_test_wait (motor_is, GINT_TO_POINTER (FALSE), 3));
  g_assert_true (press ("<Control>space"));
  g_assert_true (nb_test_wait (motor_is, GINT_TO_POINTER (TRUE), 3));
}

static void
test_preset (void)
{
  /* "Cheek, chin, thin skin" is 0.5–1.0 mm: the pen (0.05 mm steps) is set to 0.75 mm. */
  g_assert_true (nb_live_page_choose_target (live, "cheek-chin", NB_SKIN_THIN));
  double depth = 0.75;
  g_assert_true (nb_test_wait (depth_is_set, &depth, 3));
  g_assert_true (nb_live_page_choose_target (live, NULL, NB_SKIN_ANY));
  depth = SET_DEPTH_MM;
  nb_live_page_set_depth (live, depth);
  g_assert_true (nb_test_wait (depth_is_set, &depth, 3));
}

static void
on_finished (NbLivePage *page, gint64 id, const char *error, gpointer data)
{
  recorded_session = id;
  *(gboolean *) data = TRUE;
}

static gboolean
recorded_for (gpointer data)
{
  NbRun *run = nb_live_page_get_run (live);
  return nb_run_get_end_index (run) >= *(guint64 *) data;
}

static gboolean
no_toast (gpointer data)
{
  return !nb_window_has_toast (win);
}

static gboolean
recording (gpointer data)
{
  NbRun *run = nb_live_page_get_run (live);
  return run && nb_run_is_recording (run);
}

/* The session is in the Records page's list (refreshed in a worker after a recording). */
static gboolean
listed (gpointer data)
{
  NbRecords *records = nb_records_page_get_records (nb_window_get_records_page (win));
  return !nb_records_is_refreshing (records) && nb_records_find (records, *(gint64 *) data);
}

static gboolean
not_refreshing (gpointer data)
{
  return !nb_records_is_refreshing (data);
}

/* Types a search as the operator would and waits for the list. */
static void
search (NbRecordsPage *page, const char *serial, const char *operator_name, const char *day)
{
  nb_records_page_set_search (page, serial, operator_name, day);
  g_assert_true (nb_test_wait (not_refreshing, nb_records_page_get_records (page), 10));
  nb_test_pump (0.01); /* the finish runs on the next turn of the loop */
}

static void
on_message (GtkWidget *page, const char *text, char **said)
{
  g_free (*said);
  *said = g_strdup (text);
}

static gboolean
replay_shown (gpointer data)
{
  return nb_records_page_get_shown_session (nb_window_get_records_page (win)) == *(gint64 *) data;
}

static void
test_record (void)
{
  NbRun *run = nb_live_page_get_run (live);
  gboolean finished = FALSE;
  gulong id = g_signal_connect (live, "recording-finished", G_CALLBACK (on_finished), &finished);
  nb_live_page_set_session_name (live, "GUI test session", "recorded by tests/gui");
  g_assert_true (press ("<Control>r")); /* Ctrl+R starts recording */
  g_assert_true (nb_test_wait (recording, NULL, 10));
  guint64 until = nb_run_get_end_index (run) + (guint64) (2.0 * nb_run_get_sample_rate (run));
  g_assert_true (nb_test_wait (recorded_for, &until, 10));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-record", NULL));
  g_assert_true (nb_test_wait (flag_set, &finished, 10));
  g_signal_handler_disconnect (live, id);
  g_assert_cmpint (recorded_session, >, 0);

  NbRecordsPage *records = nb_window_get_records_page (win);
  NbRecords *model = nb_records_page_get_records (records);
  g_assert_true (nb_test_wait (listed, &recorded_session, 10));
  NbSessionItem *item = nb_records_find (model, recorded_session);
  const NbStoreSession *s = nb_session_item_get_session (item);
  g_assert_cmpstr (s->name, ==, "GUI test session");
  g_assert_cmpint (s->status, ==, NB_SESSION_COMPLETE);
  g_assert_cmpfloat_with_epsilon (s->depth_mm, SET_DEPTH_MM, 1e-9);

  /* Search: by pen serial, operator and day, through the store's filter, as typed. */
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  search (records, "NB-SIM-0001", g_get_user_name (), today);
  g_assert_nonnull (nb_records_find (model, recorded_session));
  search (records, "NO-SUCH-PEN", NULL, NULL);
  g_assert_null (nb_records_find (model, recorded_session));
  search (records, NULL, NULL, "2001-01-01");
  g_assert_null (nb_records_find (model, recorded_session));
  g_assert_null (nb_records_page_get_search_error (records));
  search (records, NULL, NULL, "yesterday");
  g_assert_nonnull (nb_records_page_get_search_error (records));
  search (records, NULL, NULL, NULL);
  g_assert_null (nb_records_page_get_search_error (records));
  g_assert_nonnull (nb_records_find (model, recorded_session));

  nb_window_show_page (win, "records");
  g_assert_true (nb_records_page_open (records, recorded_session));
  g_assert_true (nb_test_wait (replay_shown, &recorded_session, 10));

  /* Export the shown session through the CLI's exporter, as the export dialog does. */
  g_autofree char *dir = g_dir_make_tmp ("nb-gui-export-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "s.csv", NULL);
  g_autofree char *json = g_build_filename (dir, "s.json", NULL);
  g_autofree char *said = NULL;
  gulong mid = g_signal_connect (records, "exported", G_CALLBACK (on_message), &said);
  /* The messages are checked here; as toasts they would queue 10 s before the screenshots. */
  g_signal_handlers_block_matched (records, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, win);
  nb_records_page_export (records, FALSE, csv);
  g_assert_true (nb_test_wait (flag_set_ptr, &said, 10));
  g_assert_cmpstr (said, ==, csv);
  adw_toast_dismiss (nb_records_page_get_export_toast (records));
  g_clear_pointer (&said, g_free);
  nb_records_page_export (records, TRUE, json);
  g_assert_true (nb_test_wait (flag_set_ptr, &said, 10));
  g_assert_cmpstr (said, ==, json);
  adw_toast_dismiss (nb_records_page_get_export_toast (records));
  g_signal_handler_disconnect (records, mid);
  g_signal_handlers_unblock_matched (records, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, win);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "index,time_s,depth_mm"));
  g_autofree char *json_text = NULL; /* the metadata is in the JSON export only */
  g_assert_true (g_file_get_contents (json, &json_text, NULL, NULL));
  g_assert_nonnull (g_strstr_len (json_text, -1, "GUI test session"));
  g_remove (csv);
  g_remove (json);
  g_rmdir (dir);

  /* Let the toast time out (5 s) so that the screenshot shows the page. */
  g_assert_true (nb_test_wait (no_toast, NULL, 10));
  nb_test_pump (0.3);
  nb_test_save_png (GTK_WIDGET (win), "records.png");
}

static void
test_other_pages (void)
{
  nb_window_show_page (win, "calibration");
  nb_test_pump (0.3);
  nb_test_save_png (GTK_WIDGET (win), "calibration.png");
  nb_window_show_page (win, "certificates");
  nb_test_pump (0.3);
  nb_test_save_png (GTK_WIDGET (win), "certificates.png");
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  nb_test_pump (0.5);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));
  GtkWidget *prefs = NULL;
  for (GList *l = windows; l; l = l->next)
    if (l->data != (gpointer) win)
      prefs = l->data;
  g_assert_nonnull (prefs);
  nb_test_save_png (prefs, "preferences.png");
  gtk_window_destroy (GTK_WINDOW (prefs));

  /* The dark style, as an operator who chose it in the preferences sees it. */
  g_settings_set_string (nb_window_get_settings (win), "theme", "dark");
  nb_window_show_page (win, "live");
  nb_test_pump (0.5);
  g_assert_true (adw_style_manager_get_dark (adw_style_manager_get_default ()));
  g_assert_true (nb_test_wait (no_toast, NULL, 10));
  nb_test_pump (0.3);
  nb_test_save_png (GTK_WIDGET (win), "live-dark.png");
  g_settings_set_string (nb_window_get_settings (win), "theme", "system");
  nb_test_pump (0.3);
}

static gboolean
banner_shown (gpointer data)
{
  return nb_window_is_banner_shown (win);
}

/* @fault: "disconnect" (the link closes: seen at once) or "stall" (the pen goes silent: seen
 * after NB_DEVICE_STALL_MS). */
static void
test_lost (gconstpointer data)
{
  const char *fault = data;
  g_autofree char *uri = g_strdup_printf ("%s,%s=%g", EXACT_PEN, fault, DISCONNECT_AFTER_S);
  nb_live_page_connect_uri (live, uri);
  g_assert_true (nb_test_wait (is_connected, NULL, 5));
  gint64 opened = g_get_monotonic_time ();
  g_assert_false (nb_window_is_banner_shown (win));
  double depth = SET_DEPTH_MM;
  nb_live_page_set_depth (live, depth);
  g_assert_true (nb_test_wait (depth_is_set, &depth, 3));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-motor", NULL));
  g_assert_true (nb_test_wait (motor_is, GINT_TO_POINTER (TRUE), 3));
  gboolean finished = FALSE;
  gulong id = g_signal_connect (live, "recording-finished", G_CALLBACK (on_finished), &finished);
  nb_live_page_set_session_name (live, "Unplugged", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-record", NULL));

  /* The main loop must keep turning while the pen goes: a 10 ms heartbeat counts. */
  Beat beat;
  nb_test_beat_start (&beat, g_get_monotonic_time ());
  g_assert_true (nb_test_wait (banner_shown, NULL, DISCONNECT_AFTER_S + 5));
  gint64 shown = g_get_monotonic_time ();
  /* The link dropped right after the last batch arrived: count from there. */
  double after_drop = (shown - nb_run_get_last_received_us (nb_live_page_get_run (live))) / 1e6;
  g_assert_cmpfloat ((shown - opened) / 1e6, >, DISCONNECT_AFTER_S * 0.5);
  nb_test_pump (0.4);
  g_printerr ("# banner %.3f s after the last data before the link dropped (%s); 10 ms heartbeat "
              "ran %u times, "
              "longest gap %.0f ms, %u over %d ms\n",
              after_drop, nb_window_get_banner_text (win), beat.ticks, beat.max_gap / 1000.0,
              beat.stalls, MAX_STALL_MS);
  g_assert_cmpfloat (after_drop, <, 2.0);
  nb_test_beat_assert_responsive (&beat);
  if (g_str_equal (fault, "disconnect"))
    nb_test_save_png (GTK_WIDGET (win), "lost.png");

  /* What was recorded is kept, closed as aborted. */
  g_assert_true (nb_test_wait (flag_set, &finished, 10));
  g_signal_handler_disconnect (live, id);
  nb_test_beat_stop (&beat);
  NbRecords *records = nb_records_page_get_records (nb_window_get_records_page (win));
  g_assert_true (nb_test_wait (listed, &recorded_session, 10));
  NbSessionItem *item = nb_records_find (records, recorded_session);
  g_assert_nonnull (item);
  const NbStoreSession *s = nb_session_item_get_session (item);
  g_assert_cmpint (s->status, ==, NB_SESSION_ABORTED);
  g_autoptr (NbStore) store
      = nb_store_open_full (nb_records_get_store_path (records), NB_STORE_OPEN_READ_ONLY, NULL);
  g_assert_nonnull (store);
  gint64 n = nb_store_count_strokes (store, s->id, NULL);
  g_printerr ("# aborted session %" G_GINT64_FORMAT ": %" G_GINT64_FORMAT " strokes kept (%s)\n",
              s->id, n, s->error ? s->error : "");
  g_assert_cmpint (n, >, 50);
}

/* `needlebench --device URI` again, as a second process on the same session bus (this test
 * program run as the application: see main); returns its exit status. */
static int
launch_again (const char *uri)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", &error);
  g_assert_no_error (error);
  g_autoptr (GSubprocess) p = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, self_exe,
                                                "--launch-again", "--device", uri, NULL);
  g_assert_no_error (error);
  /* The running instance (this process) must keep turning its loop to answer it. */
  g_assert_true (nb_test_wait (nb_test_process_gone, p, 10));
  g_assert_true (g_subprocess_get_if_exited (p));
  return g_subprocess_get_exit_status (p);
}

static gboolean
connected_to (gpointer data)
{
  NbRun *run = nb_live_page_get_run (live);
  return run && nb_run_is_connected (run)
         && g_str_equal (nb_device_get_uri (nb_run_get_device (run)), data);
}

/* A second launch with --device opens that pen in the running window and exits 0; with a
 * recording open it is refused (exit 1) and the pen stays. */
static void
test_second_launch (void)
{
  const char *uri = "sim:serial=NB-SIM-0042,depth-offset=0,depth-gain=1,rate-error=0";
  g_assert_cmpint (launch_again (uri), ==, 0);
  g_assert_true (nb_test_wait (connected_to, (gpointer) uri, 10));
  g_assert_cmpstr (nb_run_get_identity (nb_live_page_get_run (live))->serial, ==, "NB-SIM-0042");
  g_assert_true (gtk_application_get_windows (GTK_APPLICATION (app))->next == NULL);

  gboolean finished = FALSE;
  gulong fid = g_signal_connect (live, "recording-finished", G_CALLBACK (on_finished), &finished);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-record", NULL));
  g_assert_true (nb_test_wait (recording, NULL, 10));
  g_assert_cmpint (launch_again (EXACT_PEN), ==, 1);
  nb_test_pump (0.3);
  g_assert_true (connected_to ((gpointer) uri));
  g_assert_true (nb_run_is_recording (nb_live_page_get_run (live)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-record", NULL));
  g_assert_true (nb_test_wait (flag_set, &finished, 10));
  g_signal_handler_disconnect (live, fid);
}

/* Held for less than the store's 5 s busy timeout: the work must wait it out and then succeed. */
#define DB_LOCK_S 4.0

static gboolean
recording_known (gpointer data)
{
  NbRun *run = nb_live_page_get_run (live);
  return run && !nb_run_is_starting_recording (run);
}

/* Another program holds the database: starting a recording and listing the sessions wait for
 * it in workers while the window keeps its 10 ms heartbeat, and both complete once it lets go. */
static void
test_db_held (void)
{
  nb_live_page_connect_uri (live, EXACT_PEN);
  g_assert_true (nb_test_wait (is_connected, NULL, 5));
  NbRecordsPage *page = nb_window_get_records_page (win);
  NbRecords *records = nb_records_page_get_records (page);
  g_autofree char *path = nb_store_get_default_path ();
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR)); /* recorded to before */
  gboolean finished = FALSE;
  gulong fid = g_signal_connect (live, "recording-finished", G_CALLBACK (on_finished), &finished);

  NbTestLocker locker = { 0 };
  nb_test_hold_database (&locker, NB_DB_LOCKER, path, DB_LOCK_S);
  gint64 held = g_get_monotonic_time ();
  Beat beat;
  nb_test_beat_start (&beat, held);
  nb_live_page_set_session_name (live, "Database held", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-record", NULL));
  nb_records_page_refresh (page);
  g_assert_true (nb_test_wait (nb_test_locker_gone, &locker, DB_LOCK_S + 5));
  g_assert_true (g_subprocess_get_successful (locker.proc));
  g_assert_true (nb_test_wait (recording_known, NULL, 10));
  gint64 started = g_get_monotonic_time ();
  g_assert_true (nb_test_wait (not_refreshing, records, 10));
  nb_test_beat_stop (&beat);
  g_printerr ("# database held %.2f s: recording started %.2f s after, 10 ms heartbeat ran %u "
              "times, longest gap %.0f ms, %u over %d ms\n",
              (locker.released_us - held) / 1e6, (started - held) / 1e6, beat.ticks,
              beat.max_gap / 1000.0, beat.stalls, MAX_STALL_MS);
  /* A window waiting for the database would stall for DB_LOCK_S. */
  nb_test_beat_assert_responsive (&beat);
  /* The work waited for the lock (it did not just fail) and then succeeded. */
  g_assert_cmpfloat ((locker.released_us - held) / 1e6, >=, DB_LOCK_S - 0.5);
  g_assert_true (nb_run_is_recording (nb_live_page_get_run (live)));
  g_assert_null (nb_records_page_get_search_error (page));
  g_assert_cmpuint (g_list_model_get_n_items (nb_records_get_model (records)), >, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-record", NULL));
  g_assert_true (nb_test_wait (flag_set, &finished, 10));
  g_signal_handler_disconnect (live, fid);
  g_assert_true (nb_test_wait (listed, &recorded_session, 10));
  const NbStoreSession *s
      = nb_session_item_get_session (nb_records_find (records, recorded_session));
  g_assert_cmpstr (s->name, ==, "Database held");
  g_assert_cmpint (s->status, ==, NB_SESSION_COMPLETE);
  g_object_unref (locker.proc);
}

/* The host's bytes take this long to reach the pen: a request's round trip is slower than a turn
 * of the main loop, well within the device's 250 ms per try. */
#define SLOW_LINK_MS 150

/* Connects to a pen behind a slow link and starts its motor, as the operator would. The pen's
 * firmware writes its state to @status_file (NULL: none). */
static NbSlowPen *
start_slow_pen (const char *status_file)
{
  g_autofree char *spec
      = g_strdup_printf ("depth-offset=0,depth-gain=1,rate-error=0%s%s",
                         status_file ? ",status-file=" : "", status_file ? status_file : "");
  NbSlowPen *pen = nb_slow_pen_new (spec, SLOW_LINK_MS);
  nb_window_show_page (win, "live");
  nb_live_page_connect_uri (live, nb_slow_pen_get_uri (pen));
  g_assert_true (nb_test_wait (is_connected, NULL, 10));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-motor", NULL));
  g_assert_true (nb_test_wait (motor_is, GINT_TO_POINTER (TRUE), 5));
  g_assert_true (nb_slow_pen_is_motor_started (pen));
  return pen;
}

/* The pen's watchdog stops the motor when it hears nothing from the host for 2 s (here the link
 * stops passing the host's bytes): the banner says why, the motor button offers Start again, and
 * nothing starts the motor again. */
static void
test_pen_stopped (void)
{
  /* The earlier tests' toasts are gone (shown one after the other, 5 s each). */
  g_assert_true (nb_test_wait (no_toast, NULL, 30));
  g_autoptr (NbSlowPen) pen = start_slow_pen (NULL);
  GtkButton *motor = nb_test_find_action_button (GTK_WIDGET (live), "live.toggle-motor");
  g_assert_nonnull (motor);
  g_assert_cmpstr (gtk_button_get_label (motor), ==, "Stop _Motor");
  g_assert_false (nb_window_is_banner_shown (win));
  nb_slow_pen_set_deaf (pen, TRUE);
  g_assert_true (nb_test_wait (banner_shown, NULL, 5));
  nb_slow_pen_set_deaf (pen, FALSE);
  nb_test_pump (1.0); /* the banner slides in; nothing starts the motor meanwhile */
  const char *text = nb_window_get_banner_text (win);
  g_printerr ("# banner: %s\n", text);
  g_assert_nonnull (strstr (text, "NB-SIM-0001 stopped its motor because it heard nothing from "
                                  "NeedleBench for 2 s"));
  g_assert_false (nb_run_is_motor_running (nb_live_page_get_run (live)));
  g_assert_cmpstr (gtk_button_get_label (motor), ==, "Start _Motor");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (motor), "suggested-action"));
  g_assert_false (nb_window_has_toast (win)); /* said once, in the banner */
  nb_test_save_png (GTK_WIDGET (win), "pen-stopped.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.disconnect", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "window.dismiss-banner", NULL));
  nb_test_pump (1.0); /* the link closes before the pen goes */
}

static gboolean
window_stopping (gpointer data)
{
  return nb_window_is_stopping (win);
}

static gboolean
window_gone (gpointer data)
{
  return gtk_application_get_windows (GTK_APPLICATION (app)) == NULL;
}

/* A pen that no longer hears the host, and SIGTERM: closing waits at most NB_RUN_CLOSE_TIMEOUT_MS,
 * showing why the window is still there, then says what it could not do. */
static void
test_quit_deaf (void)
{
  g_autoptr (NbSlowPen) pen = start_slow_pen (NULL);
  nb_slow_pen_set_deaf (pen, TRUE);
  gint64 t0 = g_get_monotonic_time ();
  /* As `kill` or a closed terminal would: the app quits as with Ctrl+Q. */
  raise (SIGTERM);
  g_assert_true (nb_test_wait (window_stopping, NULL, 1));
  nb_test_pump (0.3);
  g_assert_true (nb_window_is_banner_shown (win));
  g_assert_nonnull (strstr (nb_window_get_banner_text (win), "Stopping the pen"));
  nb_test_save_png (GTK_WIDGET (win), "quitting.png");
  g_assert_true (nb_test_wait (window_gone, NULL, 5));
  double took = (g_get_monotonic_time () - t0) / 1e6;
  const char *report = nb_application_get_last_report (app);
  g_printerr ("# deaf pen: the window closed after %.2f s: %s\n", took, report);
  g_assert_cmpfloat (took, >=, NB_RUN_CLOSE_TIMEOUT_MS / 1000.0 - 0.05);
  g_assert_cmpfloat (took, <, NB_RUN_CLOSE_TIMEOUT_MS / 1000.0 + 0.5);
  g_assert_nonnull (report);
  g_assert_nonnull (strstr (report, "confirm"));
  g_assert_nonnull (strstr (report, "NB-SIM-0001"));
  g_assert_true (nb_test_wait (nb_test_notified, NULL, 2));
  g_assert_nonnull (strstr (nb_test_get_notification (), report));
  g_assert_cmpint (nb_slow_pen_get_stop_delivered_us (pen), ==, 0);
  nb_test_pump (1.0); /* the stop thread gives up and closes the link */

  /* A new window for the tests that follow, as activating the app again gives. */
  g_application_activate (G_APPLICATION (app));
  win = NB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  live = nb_window_get_live_page (win);
  gtk_window_set_default_size (GTK_WINDOW (win), 1280, 820);
  nb_test_pump (0.3);
}

static gboolean
quit_soon (gpointer data)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static const NbStoreSession *
find_session (GPtrArray *sessions, const char *name)
{
  for (guint i = 0; i < sessions->len; i++)
    {
      const NbStoreSession *s = sessions->pdata[i];
      if (g_strcmp0 (s->name, name) == 0)
        return s;
    }
  return NULL;
}

/* Quitting (Ctrl+Q) with the motor running and a recording open: the application, run as
 * needlebench runs it, ends only after the pen has had MOTOR_STOP and acknowledged it, and the
 * session is closed; the window size is remembered. Must stay the last test: it ends the app. */
static void
test_quit (void)
{
  GSettings *settings = g_object_ref (nb_window_get_settings (win));
  g_autofree char *dir = g_dir_make_tmp ("nb-gui-quit-XXXXXX", NULL);
  g_autofree char *status_file = g_build_filename (dir, "pen-status", NULL);
  g_autoptr (NbSlowPen) pen = start_slow_pen (status_file);
  g_autofree char *status = NULL;
  g_assert_true (g_file_get_contents (status_file, &status, NULL, NULL));
  g_assert_true (g_str_has_prefix (status, "motor=1 stream=1"));
  g_clear_pointer (&status, g_free);
  nb_live_page_set_session_name (live, "Open at quit", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-record", NULL));
  g_assert_true (nb_test_wait (recording, NULL, 10));
  nb_test_pump (0.5);

  gtk_window_set_default_size (GTK_WINDOW (win), 1150, 720);
  nb_test_pump (0.3);
  int w, h; /* what the window became (never less than its minimum size) */
  gtk_window_get_default_size (GTK_WINDOW (win), &w, &h);
  g_assert_cmpint (w, !=, 1280);

  g_idle_add (quit_soon, NULL);
  gint64 t0 = g_get_monotonic_time ();
  int exit_status = g_application_run (G_APPLICATION (app), 0, NULL);
  gint64 ended = g_get_monotonic_time ();
  gint64 delivered = nb_slow_pen_get_stop_delivered_us (pen);
  gint64 acked = nb_slow_pen_get_stop_acked_us (pen);
  g_printerr ("# quit: MOTOR_STOP reached the pen %.3f s and its ACK the host %.3f s after the "
              "quit; the application ended after %.3f s\n",
              delivered ? (delivered - t0) / 1e6 : -1.0, acked ? (acked - t0) / 1e6 : -1.0,
              (ended - t0) / 1e6);
  g_assert_cmpint (exit_status, ==, 0);
  g_assert_true (window_gone (NULL));
  g_assert_cmpint (delivered, >, 0);
  g_assert_cmpint (delivered, <, ended);
  g_assert_cmpint (acked, >, 0);
  g_assert_cmpint (acked, <, ended);
  g_assert_cmpint (ended - t0, <, NB_RUN_CLOSE_TIMEOUT_MS * 1000);
  g_assert_false (nb_slow_pen_is_motor_started (pen));
  /* What the pen's firmware itself says, right as the application ended. */
  g_assert_true (g_file_get_contents (status_file, &status, NULL, NULL));
  g_printerr ("# the pen's status as the application ended: %s", status);
  g_assert_true (g_str_has_prefix (status, "motor=0 stream=0"));
  g_remove (status_file);
  g_rmdir (dir);

  /* The session open at quit is closed, as aborted with the reason, not left to be found
   * interrupted. */
  g_autofree char *path = nb_store_get_default_path ();
  g_autoptr (NbStore) store = nb_store_open_full (path, NB_STORE_OPEN_READ_ONLY, NULL);
  g_assert_nonnull (store);
  g_autoptr (GPtrArray) sessions = nb_store_list_sessions (store, NULL, NULL);
  g_assert_nonnull (sessions);
  const NbStoreSession *s = find_session (sessions, "Open at quit");
  g_assert_nonnull (s);
  g_assert_cmpstr (nb_session_status_to_string (s->status), ==, "aborted");
  g_assert_cmpstr (s->error, ==, "the application was closed while recording");

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, w);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, h);
  g_object_unref (settings);
}

int
main (int argc, char **argv)
{
  if (argc > 1 && g_str_equal (argv[1], "--launch-again"))
    {
      /* The application launched a second time (see launch_again): it finds the test's
       * instance on the bus and hands it its command line. */
      nb_sim_transport_register ();
      g_autoptr (NbApplication) again = nb_application_new (NB_TEST_APP_ID);
      argv[1] = argv[0];
      return g_application_run (G_APPLICATION (again), argc - 1, argv + 1);
    }
  /* Settings in memory and a private data folder (the database): nothing of the user's is read
   * or written. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_autofree char *data_home = g_dir_make_tmp ("nb-gui-test-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  nb_sim_transport_register ();
  gtk_init ();
  nb_test_serve_notifications ();
  win = nb_test_start_app (&app);
  live = nb_window_get_live_page (win);

  g_test_add_func ("/gui/start", test_start);
  g_test_add_func ("/gui/stream", test_stream);
  g_test_add_func ("/gui/redraws", test_redraws);
  g_test_add_func ("/gui/shortcuts", test_shortcuts);
  g_test_add_func ("/gui/preset", test_preset);
  g_test_add_func ("/gui/record", test_record);
  g_test_add_func ("/gui/pages", test_other_pages);
  g_test_add_data_func ("/gui/lost-disconnect", "disconnect", test_lost);
  g_test_add_data_func ("/gui/lost-stall", "stall", test_lost);
  g_test_add_func ("/gui/second-launch", test_second_launch);
  g_test_add_func ("/gui/db-held", test_db_held);
  g_test_add_func ("/gui/pen-stopped", test_pen_stopped);
  g_test_add_func ("/gui/quit-deaf", test_quit_deaf);
  g_test_add_func ("/gui/quit", test_quit);
  int rc = g_test_run ();

  nb_test_pump (0.2);
  g_object_unref (app);
  return rc;
}
