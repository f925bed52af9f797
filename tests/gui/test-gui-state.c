/* test-gui-state.c: the app says what state it is in, and shows no stale numbers (issue 12 §2),
 * in-process under Xvfb against the simulated pen: the connected pen is marked and not offered
 * Connect again; after Stop Motor the readouts say they are the last run's; a recording shows its
 * time and strokes and clears its name after; a session recorded with the motor off says "no
 * strokes"; a lost pen stays the one the sidebar names; the Records page draws a session from
 * its start, clears a detail the search excludes, flags a date it cannot read, marks an aborted
 * session, and its "exported" toast opens the file. Saves screenshots of what it shows, under
 * names of its own (test-gui saves records.png). */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "gui-test-util.h"
#include "nb-pen-row.h"
#include "nb-readouts.h"
#include "nb-recording-bar.h"
#include "nb-records.h"
#include "nb-sim-transport.h"

/* A pen without errors, so that the figures must equal the setting. */
#define EXACT_PEN "sim:depth-offset=0,depth-gain=1,rate-error=0"
#define SET_DEPTH_MM 1.0

static NbApplication *app;
static NbWindow *win;
static NbLivePage *live;
static char *docs_dir;

/* --- finding widgets as the operator sees them --------------------------------------------- */

static void
collect_entries (GtkWidget *root, GPtrArray *out)
{
  if (GTK_IS_ENTRY (root))
    g_ptr_array_add (out, root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    collect_entries (c, out);
}

/* The Live page's pen list (the list box whose rows are pens). */
static GtkListBox *
pen_list_box (void)
{
  GtkWidget *w = GTK_WIDGET (live);
  GtkListBox *box = GTK_LIST_BOX (nb_test_find_type (w, GTK_TYPE_LIST_BOX));
  g_assert_nonnull (box);
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (box, 0);
  g_assert_nonnull (nb_pen_row_get_item (row));
  return box;
}

static const char *
selected_uri (void)
{
  NbPenItem *item = nb_pen_row_get_item (gtk_list_box_get_selected_row (pen_list_box ()));
  return item ? nb_pen_item_get_uri (item) : NULL;
}

static const char *
run_uri (void)
{
  return nb_device_get_uri (nb_run_get_device (nb_live_page_get_run (live)));
}

/* --- conditions ----------------------------------------------------------------------------- */

static gboolean
is_connected (gpointer data)
{
  NbRun *run = nb_live_page_get_run (live);
  return run && nb_run_is_connected (run);
}

static gboolean
is_lost (gpointer data)
{
  NbRun *run = nb_live_page_get_run (live);
  return run && !nb_run_is_connected (run);
}

static gboolean
depth_is_set (gpointer data)
{
  return fabs (nb_run_get_set_depth (nb_live_page_get_run (live)) - SET_DEPTH_MM) < 1e-9;
}

static gboolean
motor_is (gpointer data)
{
  return nb_run_is_motor_running (nb_live_page_get_run (live)) == GPOINTER_TO_INT (data);
}

static gboolean
has_strokes (gpointer data)
{
  guint64 strokes;
  g_object_get (nb_live_page_get_run (live), "strokes", &strokes, NULL);
  return strokes >= GPOINTER_TO_UINT (data);
}

static gboolean
recording (gpointer data)
{
  NbRun *run = nb_live_page_get_run (live);
  return run && nb_run_is_recording (run);
}

static gboolean
not_refreshing (gpointer data)
{
  return !nb_records_is_refreshing (data);
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

static void
on_finished (NbLivePage *page, gint64 id, const char *error, gint64 *session)
{
  *session = id;
}

static gboolean
session_known (gpointer data)
{
  return *(gint64 *) data != 0;
}

/* Connects to @uri and waits; the motor at rest, depth at SET_DEPTH_MM. */
static void
connect_pen (const char *uri)
{
  nb_live_page_connect_uri (live, uri);
  g_assert_true (nb_test_wait (is_connected, NULL, 5));
  nb_live_page_set_depth (live, SET_DEPTH_MM);
  g_assert_true (nb_test_wait (depth_is_set, NULL, 3));
}

static void
set_motor (gboolean on)
{
  if (nb_run_is_motor_running (nb_live_page_get_run (live)) != on)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-motor", NULL));
  g_assert_true (nb_test_wait (motor_is, GINT_TO_POINTER (on), 3));
}

static void
open_session (gint64 session)
{
  NbRecordsPage *page = nb_window_get_records_page (win);
  nb_records_page_set_search (page, NULL, NULL, NULL);
  g_assert_true (nb_test_wait (listed, &session, 10));
  nb_test_pump (0.01);
  g_assert_true (nb_records_page_open (page, session));
  g_assert_true (nb_test_wait (replay_shown, &session, 10));
}

/* --- tests ---------------------------------------------------------------------------------- */

/* Connect is not offered for the pen in use, which the sidebar marks; activating it anyway does
 * not restart the link (the run and its strokes stay). */
static void
test_connected_mark (void)
{
  gtk_window_set_default_size (GTK_WINDOW (win), 1280, 820);
  connect_pen (EXACT_PEN);
  GtkListBoxRow *row = gtk_list_box_get_selected_row (pen_list_box ());
  g_assert_cmpstr (selected_uri (), ==, EXACT_PEN);
  g_assert_cmpstr (nb_pen_row_get_mark (row), ==, "Connected");
  /* Only that row is marked. */
  for (guint i = 0; gtk_list_box_get_row_at_index (pen_list_box (), i); i++)
    {
      GtkListBoxRow *r = gtk_list_box_get_row_at_index (pen_list_box (), i);
      if (r != row)
        g_assert_null (nb_pen_row_get_mark (r));
    }
  GtkButton *connect = nb_test_find_action_button (GTK_WIDGET (live), "live.connect");
  g_assert_nonnull (connect);
  nb_test_pump (0.1);
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (connect)));

  set_motor (TRUE);
  g_assert_true (nb_test_wait (has_strokes, GUINT_TO_POINTER (20), 10));
  NbRun *run = nb_live_page_get_run (live);
  gtk_widget_activate_action (GTK_WIDGET (live), "live.connect", NULL);
  nb_live_page_connect_uri (live, EXACT_PEN); /* as `needlebench --device` again would */
  nb_test_pump (0.5);
  g_assert_true (nb_live_page_get_run (live) == run);
  g_assert_true (nb_run_is_connected (run));
  g_assert_true (nb_run_is_motor_running (run));

  /* Another pen selected: Connect is offered for it. */
  for (guint i = 0; gtk_list_box_get_row_at_index (pen_list_box (), i); i++)
    {
      GtkListBoxRow *r = gtk_list_box_get_row_at_index (pen_list_box (), i);
      if (r != row)
        {
          gtk_list_box_select_row (pen_list_box (), r);
          nb_test_pump (0.05);
          g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (connect)));
          break;
        }
    }
  gtk_list_box_select_row (pen_list_box (), row);
  nb_test_pump (0.3);
  nb_test_save_png (GTK_WIDGET (win), "sidebar-connected.png");
}

/* After Stop Motor the readouts say they are the last run's (caption, dimmed), never live. */
static void
test_last_run (void)
{
  NbReadouts *readouts = NB_READOUTS (nb_test_find_type (GTK_WIDGET (live), NB_TYPE_READOUTS));
  g_assert_nonnull (readouts);
  set_motor (TRUE);
  g_assert_true (nb_test_wait (has_strokes, GUINT_TO_POINTER (20), 10));
  nb_test_pump (2.0 * NB_RUN_UPDATE_MS / 1000.0);
  g_assert_null (nb_readouts_get_last_run_text (readouts));
  g_assert_false (nb_run_is_last_run (nb_live_page_get_run (live)));

  set_motor (FALSE);
  nb_test_pump (3.0 * NB_RUN_UPDATE_MS / 1000.0);
  g_assert_true (nb_run_is_last_run (nb_live_page_get_run (live)));
  const char *caption = nb_readouts_get_last_run_text (readouts);
  g_assert_nonnull (caption);
  g_assert_nonnull (strstr (caption, "Last run"));
  /* The figures are still there (they are the run's), but dimmed. */
  const char *depth = nb_readouts_get_depth_text (readouts);
  g_printerr ("# motor stopped: \"%s\" %s\n", caption, depth);
  g_assert_cmpstr (depth, !=, "–");
  guint dimmed = 0;
  for (GtkWidget *card = gtk_widget_get_first_child (GTK_WIDGET (readouts)); card;
       card = gtk_widget_get_next_sibling (card))
    {
      GtkWidget *value = gtk_widget_get_last_child (card);
      if (value && gtk_widget_has_css_class (value, "dim-label")
          && gtk_widget_has_css_class (value, "readout-value"))
        dimmed++;
    }
  g_assert_cmpuint (dimmed, ==, 6);
  nb_test_save_png (GTK_WIDGET (win), "live-last-run.png");

  /* Started again: live figures, and a rate of this run only (the first period would span the
   * stop). */
  set_motor (TRUE);
  g_assert_true (nb_test_wait (has_strokes, GUINT_TO_POINTER (50), 10));
  nb_test_pump (2.0 * NB_RUN_UPDATE_MS / 1000.0);
  g_assert_null (nb_readouts_get_last_run_text (readouts));
  double rate;
  g_object_get (nb_live_page_get_run (live), "rate-hz", &rate, NULL);
  g_printerr ("# rate after a stop and a start: %.2f Hz (set 100)\n", rate);
  g_assert_cmpfloat (fabs (rate - 100), <, 1);
}

/* While recording: elapsed time and the strokes written; after: name and note cleared; the
 * session replays from its own start (time 0 s, stroke 0), though the pen streamed before. */
static void
test_recording (void)
{
  NbRecordingBar *bar
      = NB_RECORDING_BAR (nb_test_find_type (GTK_WIDGET (live), NB_TYPE_RECORDING_BAR));
  g_assert_nonnull (bar);
  g_assert_null (nb_recording_bar_get_text (bar));
  set_motor (TRUE);
  NbRun *run = nb_live_page_get_run (live);
  g_assert_cmpuint (nb_run_get_end_index (run), >, 2 * nb_run_get_sample_rate (run));

  gint64 session = 0;
  gulong id = g_signal_connect (live, "recording-finished", G_CALLBACK (on_finished), &session);
  nb_live_page_set_session_name (live, "State test", "the recording bar");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-record", NULL));
  g_assert_true (nb_test_wait (recording, NULL, 10));
  nb_test_pump (2.3);
  const char *text = nb_recording_bar_get_text (bar);
  g_assert_nonnull (text);
  g_printerr ("# recording bar: %s\n", text);
  /* The bar is refreshed every NB_RUN_UPDATE_MS: its count trails the run's by that much. */
  g_autoptr (GRegex) re = g_regex_new ("^Recording · 0:02 · ([0-9]+) strokes$", 0, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;
  g_assert_true (g_regex_match (re, text, 0, &match));
  g_autofree char *count = g_match_info_fetch (match, 1);
  guint64 shown = g_ascii_strtoull (count, NULL, 10);
  g_assert_cmpuint (shown, <=, nb_run_get_recorded_strokes (run));
  g_assert_cmpuint (shown + 30, >=, nb_run_get_recorded_strokes (run));
  g_assert_cmpuint (shown, >=, 180); /* 100 Hz for 2 s */
  g_assert_null (nb_recording_bar_get_warning (bar));
  nb_test_save_png (GTK_WIDGET (win), "recording.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-record", NULL));
  g_assert_true (nb_test_wait (session_known, &session, 10));
  g_signal_handler_disconnect (live, id);
  nb_test_pump (0.2);
  g_assert_null (nb_recording_bar_get_text (bar));
  g_autoptr (GPtrArray) entries = g_ptr_array_new ();
  collect_entries (GTK_WIDGET (live), entries);
  g_assert_cmpuint (entries->len, >=, 2);
  for (guint i = 0; i < entries->len; i++)
    g_assert_cmpstr (gtk_editable_get_text (entries->pdata[i]), ==, "");

  open_session (session);
  nb_window_show_page (win, "records");
  NbRecordsPage *page = nb_window_get_records_page (win);
  GtkWidget *records_w = GTK_WIDGET (page);
  /* The replay charts: the first two NbCharts of the sessions' detail. */
  NbChart *strip = NB_CHART (nb_test_find_type (records_w, NB_TYPE_CHART));
  GtkWidget *next = gtk_widget_get_next_sibling (GTK_WIDGET (strip));
  while (next && !NB_IS_CHART (next))
    next = gtk_widget_get_next_sibling (next);
  NbChart *depth = NB_CHART (next);
  g_assert_nonnull (depth);
  NbChartAxis *tx = nb_chart_get_x_axis (strip), *sx = nb_chart_get_x_axis (depth);
  g_printerr ("# replay: time %.2f–%.2f s, strokes %.0f–%.0f; %s\n", nb_chart_axis_get_min (tx),
              nb_chart_axis_get_max (tx), nb_chart_axis_get_min (sx), nb_chart_axis_get_max (sx),
              nb_records_page_get_stats_text (page));
  g_assert_cmpfloat (nb_chart_axis_get_min (tx), ==, 0);
  g_assert_cmpfloat (nb_chart_axis_get_max (tx), >, 1.8);
  g_assert_cmpfloat (nb_chart_axis_get_max (tx), <, 4.0);
  g_assert_cmpfloat (nb_chart_axis_get_min (sx), ==, 0);
  g_assert_cmpfloat (nb_chart_axis_get_max (sx), >=, 150);
  g_assert_cmpfloat (nb_chart_axis_get_max (sx), <, 400);
  g_assert_null (nb_records_page_get_status_text (page)); /* complete: no mark */
  /* In µm when the operator prefers it: the figures and the depth axis. */
  GSettings *settings = nb_window_get_settings (win);
  g_settings_set_enum (settings, "units", NB_UNITS_UM);
  nb_test_pump (0.1);
  g_assert_nonnull (strstr (nb_records_page_get_stats_text (page), "Set 1000 µm at 100 Hz"));
  g_assert_cmpstr (nb_chart_axis_get_label (nb_chart_get_y_axis (depth)), ==, "depth, µm");
  g_settings_set_enum (settings, "units", NB_UNITS_MM);
  nb_test_pump (0.1);
  g_assert_nonnull (strstr (nb_records_page_get_stats_text (page), "Set 1.000 mm at 100 Hz"));
  nb_test_pump (0.5);
  nb_test_save_png (GTK_WIDGET (win), "records-replay.png");
  nb_window_show_page (win, "live");
}

/* Recording with the motor off: the bar warns, and the session says "no strokes", not "nan". */
static void
test_no_strokes (void)
{
  NbRecordingBar *bar
      = NB_RECORDING_BAR (nb_test_find_type (GTK_WIDGET (live), NB_TYPE_RECORDING_BAR));
  set_motor (FALSE);
  gint64 session = 0;
  gulong id = g_signal_connect (live, "recording-finished", G_CALLBACK (on_finished), &session);
  nb_live_page_set_session_name (live, "Motor off", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-record", NULL));
  g_assert_true (nb_test_wait (recording, NULL, 10));
  nb_test_pump (1.2);
  g_assert_nonnull (nb_recording_bar_get_warning (bar));
  g_assert_cmpstr (nb_recording_bar_get_text (bar), ==, "Recording · 0:01 · 0 strokes");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-record", NULL));
  g_assert_true (nb_test_wait (session_known, &session, 10));
  g_signal_handler_disconnect (live, id);

  open_session (session);
  const char *stats = nb_records_page_get_stats_text (nb_window_get_records_page (win));
  g_printerr ("# motor-off session: %s\n", stats);
  g_assert_nonnull (strstr (stats, "no strokes"));
  g_assert_null (strstr (stats, "nan"));
}

/* The pen is lost while recording: the sidebar keeps it selected and marked "Lost" (the Live
 * page shows its last data), and the aborted session is marked in the list and the detail. */
static void
test_lost (void)
{
  g_autofree char *uri = g_strdup_printf ("%s,disconnect=2", EXACT_PEN);
  connect_pen (uri);
  set_motor (TRUE);
  gint64 session = 0;
  gulong id = g_signal_connect (live, "recording-finished", G_CALLBACK (on_finished), &session);
  nb_live_page_set_session_name (live, "Unplugged", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-record", NULL));
  g_assert_true (nb_test_wait (is_lost, NULL, 10));
  g_assert_true (nb_test_wait (session_known, &session, 10));
  g_signal_handler_disconnect (live, id);
  nb_test_pump (1.5); /* the monitor's poll, the list refreshed */

  g_assert_cmpstr (run_uri (), ==, uri);
  g_assert_cmpstr (selected_uri (), ==, uri);
  GtkListBoxRow *row = gtk_list_box_get_selected_row (pen_list_box ());
  g_assert_cmpstr (nb_pen_row_get_mark (row), ==, "Lost");
  /* Connect is offered again for it: the link is gone. */
  GtkButton *connect = nb_test_find_action_button (GTK_WIDGET (live), "live.connect");
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (connect)));
  nb_test_save_png (GTK_WIDGET (win), "sidebar-lost.png");

  open_session (session);
  NbRecordsPage *page = nb_window_get_records_page (win);
  const char *status = nb_records_page_get_status_text (page);
  g_printerr ("# lost session: %s\n", status);
  g_assert_nonnull (status);
  g_assert_true (g_str_has_prefix (status, "Aborted"));
  GtkListBox *sessions = GTK_LIST_BOX (nb_test_find_type (GTK_WIDGET (page), GTK_TYPE_LIST_BOX));
  GtkListBoxRow *srow = gtk_list_box_get_selected_row (sessions);
  g_assert_nonnull (srow);
  GtkLabel *mark = g_object_get_data (G_OBJECT (srow), "nb-status-mark");
  g_assert_nonnull (mark);
  g_assert_cmpstr (gtk_label_get_label (mark), ==, "Aborted");
  g_assert_cmpstr (nb_session_status_mark (NB_SESSION_INTERRUPTED), ==, "Interrupted");
  g_assert_null (nb_session_status_mark (NB_SESSION_COMPLETE));

  /* Disconnect: the lost pen (not reported by the monitor) leaves the list. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.disconnect", NULL));
  nb_test_pump (0.2);
  g_assert_false (nb_pen_list_find (nb_live_page_get_pen_list (live), uri, NULL));
}

/* A search that excludes the session shown clears the detail; a day it cannot read is flagged
 * in the day field. */
static void
test_filter (void)
{
  NbRecordsPage *page = nb_window_get_records_page (win);
  NbRecords *records = nb_records_page_get_records (page);
  GListModel *model = nb_records_get_model (records);
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 0);
  g_autoptr (NbSessionItem) first = g_list_model_get_item (model, 0);
  gint64 id = nb_session_item_get_session (first)->id;
  open_session (id);
  g_assert_nonnull (nb_records_page_get_stats_text (page));

  nb_records_page_set_search (page, "NO-SUCH-PEN", NULL, NULL);
  g_assert_true (nb_test_wait (not_refreshing, records, 10));
  nb_test_pump (0.05);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpint (nb_records_page_get_shown_session (page), ==, 0);
  g_assert_null (nb_records_page_get_stats_text (page));

  nb_records_page_set_search (page, NULL, NULL, "31/12/2026");
  g_assert_true (nb_test_wait (not_refreshing, records, 10));
  nb_test_pump (0.05);
  g_assert_nonnull (nb_records_page_get_search_error (page));
  /* The day field is the third entry of the page's search (serial, operator, day). */
  g_autoptr (GPtrArray) entries = g_ptr_array_new ();
  collect_entries (GTK_WIDGET (page), entries);
  GtkEntry *day = NULL;
  for (guint i = 0; i < entries->len; i++)
    if (g_strcmp0 (gtk_editable_get_text (entries->pdata[i]), "31/12/2026") == 0)
      day = entries->pdata[i];
  g_assert_nonnull (day);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (day), "error"));
  g_assert_cmpstr (gtk_entry_get_icon_name (day, GTK_ENTRY_ICON_SECONDARY), ==,
                   "dialog-error-symbolic");
  g_autofree char *tip = gtk_entry_get_icon_tooltip_text (day, GTK_ENTRY_ICON_SECONDARY);
  g_assert_nonnull (strstr (tip, "31/12/2026"));

  nb_records_page_set_search (page, NULL, NULL, NULL);
  g_assert_true (nb_test_wait (not_refreshing, records, 10));
  nb_test_pump (0.05);
  g_assert_null (nb_records_page_get_search_error (page));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (day), "error"));
  g_assert_null (gtk_entry_get_icon_name (day, GTK_ENTRY_ICON_SECONDARY));
}

/* A session left 'recording' by a process that died is marked "Interrupted" in the list and the
 * detail. */
static void
test_interrupted (void)
{
  NbRecordsPage *page = nb_window_get_records_page (win);
  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store
      = nb_store_open (nb_records_get_store_path (nb_records_page_get_records (page)), &error);
  g_assert_no_error (error);
  /* Begun as a recorder would, but without its lock and never closed: as if it had died. */
  NbStoreSessionParams params = { .pen_serial = "NB-SIM-0001",
                                  .pen_model = "NB-Pen 3 (simulated)",
                                  .uri = "sim:",
                                  .name = "Died",
                                  .depth_mm = 1.0,
                                  .rate_hz = 100,
                                  .sample_rate_hz = 20000 };
  gint64 id = nb_store_begin_session (store, &params, &error);
  g_assert_no_error (error);
  g_clear_pointer (&store, nb_store_close);
  open_session (id);
  const NbStoreSession *s
      = nb_session_item_get_session (nb_records_find (nb_records_page_get_records (page), id));
  g_assert_cmpint (s->status, ==, NB_SESSION_INTERRUPTED);
  g_assert_cmpstr (nb_records_page_get_status_text (page), ==, "Interrupted");
  GtkListBox *sessions = GTK_LIST_BOX (nb_test_find_type (GTK_WIDGET (page), GTK_TYPE_LIST_BOX));
  GtkLabel *mark
      = g_object_get_data (G_OBJECT (gtk_list_box_get_selected_row (sessions)), "nb-status-mark");
  g_assert_nonnull (mark);
  g_assert_cmpstr (gtk_label_get_label (mark), ==, "Interrupted");
  g_assert_nonnull (strstr (nb_records_page_get_stats_text (page), "no strokes"));
}

static void
opened (GtkWidget *page, const char *uri, gpointer data)
{
  g_free (*(char **) data);
  *(char **) data = g_strdup (uri);
}

static gboolean
no_window_toast (gpointer data)
{
  return !nb_window_has_toast (win);
}

static gboolean
toast_shown (gpointer data)
{
  return nb_records_page_get_export_toast (data) != NULL;
}

/* Export starts in the documents folder; the "exported" toast opens the file. */
static void
test_export (void)
{
  g_autofree char *folder = nb_records_export_folder ();
  g_assert_cmpstr (folder, ==, docs_dir);
  NbRecordsPage *page = nb_window_get_records_page (win);
  NbRecords *records = nb_records_page_get_records (page);
  g_autoptr (NbSessionItem) first = g_list_model_get_item (nb_records_get_model (records), 0);
  open_session (nb_session_item_get_session (first)->id);
  nb_window_show_page (win, "records");

  /* The window's own toasts (sessions recorded) go first: wait, so that the screenshot shows
   * this one. */
  g_assert_true (nb_test_wait (no_window_toast, NULL, 30));
  g_autofree char *path = g_build_filename (docs_dir, "session & co.csv", NULL);
  g_autofree char *uri = NULL;
  nb_records_page_set_opener (page, opened, &uri);
  nb_records_page_export (page, FALSE, path);
  g_assert_true (nb_test_wait (toast_shown, page, 10));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  AdwToast *toast = nb_records_page_get_export_toast (page);
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "Open");
  nb_test_pump (0.3);
  nb_test_save_png (GTK_WIDGET (win), "records-exported.png");
  g_signal_emit_by_name (toast, "button-clicked");
  g_autofree char *expected = g_filename_to_uri (path, NULL, NULL);
  g_assert_cmpstr (uri, ==, expected);
  nb_records_page_set_opener (page, NULL, NULL);
  g_remove (path);
}

int
main (int argc, char **argv)
{
  /* Settings in memory, a private data folder (the database) and a documents folder of the
   * test's own: nothing of the user's is read or written. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_autofree char *home = g_dir_make_tmp ("nb-gui-state-XXXXXX", NULL);
  g_autofree char *data_home = g_build_filename (home, "data", NULL);
  g_autofree char *config_home = g_build_filename (home, "config", NULL);
  docs_dir = g_build_filename (home, "Documents", NULL);
  g_mkdir_with_parents (data_home, 0700);
  g_mkdir_with_parents (config_home, 0700);
  g_mkdir_with_parents (docs_dir, 0700);
  g_autofree char *dirs = g_strdup_printf ("XDG_DOCUMENTS_DIR=\"%s\"\n", docs_dir);
  g_autofree char *dirs_file = g_build_filename (config_home, "user-dirs.dirs", NULL);
  g_assert_true (g_file_set_contents (dirs_file, dirs, -1, NULL));
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  nb_sim_transport_register ();
  gtk_init ();
  win = nb_test_start_app (&app);
  live = nb_window_get_live_page (win);

  g_test_add_func ("/state/connected-mark", test_connected_mark);
  g_test_add_func ("/state/last-run", test_last_run);
  g_test_add_func ("/state/recording", test_recording);
  g_test_add_func ("/state/no-strokes", test_no_strokes);
  g_test_add_func ("/state/lost", test_lost);
  g_test_add_func ("/state/interrupted", test_interrupted);
  g_test_add_func ("/state/filter", test_filter);
  g_test_add_func ("/state/export", test_export);
  int rc = g_test_run ();

  nb_live_page_shutdown (live);
  nb_test_pump (0.2);
  g_object_unref (app);
  return rc;
}
