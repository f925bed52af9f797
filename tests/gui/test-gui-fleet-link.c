/* test-gui-fleet-link.c: the app with a fleet's shared database (the "server-uri" setting,
 * issue 13 §1). Without a server the header bar's indicator is hidden and nothing syncs. With a
 * server nobody answers (a socket directory where no server listens) the indicator says
 * "Offline: N records waiting" in words, with the offline icon and the same accessible name, N
 * being the rows of the bench's own file not yet sent (nb_fleet_count_waiting ()), and asking for
 * a sync returns at once (the copy runs in a worker thread). The Preferences row refuses an
 * address with a password or one that is no postgresql:// URI, says why, and keeps the setting;
 * a good address is saved. With NB_PG_URI (suite pg, under pg-run.sh) the indicator goes
 * "Server online" and the bench's session is on the server. Screenshots of each state. */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui-test-util.h"
#include "nb-certificate-place.h"
#include "nb-fleet-indicator.h"
#include "nb-fleet-status.h"
#include "nb-preferences.h"
#include "nb-records-page.h"
#include "nb-records.h"
#include "nb-store.h"

static NbApplication *app;
static NbWindow *win;
static char *dir, *local;

/* A closed session in the bench's file: records that wait for the server. */
static void
record_session (const char *serial)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_store_open (local, &error);
  g_assert_no_error (error);
  NbStoreSessionParams p = { .pen_serial = serial,
                             .pen_model = "NB-Pen 3",
                             .depth_mm = 1.0,
                             .rate_hz = 100,
                             .sample_rate_hz = 20000 };
  gint64 id = nb_store_begin_session (store, &p, &error);
  g_assert_no_error (error);
  NbStoreStroke s = { .index = 0, .peak_sample = 100, .time_s = 0.005, .depth_mm = 1.0 };
  g_assert_true (nb_store_add_stroke (store, id, &s, &error));
  g_assert_true (nb_store_close_session (store, id, NB_SESSION_COMPLETE, NULL, &error));
}

/* A completed run in the bench's file (a simulated station's, without its readings: the place
 * of its certificate is what is tested). */
static gint64
record_run (const char *serial)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_store_open (local, &error);
  g_assert_no_error (error);
  NbStoreRunParams p = { .pen_serial = serial,
                         .fixture_serial = "NB-FIX-SIM-0001",
                         .profile_id = "service-quick",
                         .profile_version = 1,
                         .profile_json = "{\"id\":\"service-quick\"}",
                         .rule = "simple",
                         .operator_name = "alice" };
  gint64 id = nb_store_begin_run (store, &p, &error);
  g_assert_no_error (error);
  g_autofree char *doc = g_strdup_printf ("{\"run\":%" G_GINT64_FORMAT "}", id);
  g_assert_true (nb_store_close_run (store, id, NB_RUN_COMPLETE, "pass", NULL, doc, &error));
  return id;
}

typedef struct
{
  GError *error;
  gint64 id;
  gboolean done;
} Placed;

static void
on_placed (GObject *source, GAsyncResult *result, gpointer data)
{
  Placed *p = data;
  p->id = nb_certificate_place_finish (result, &p->error);
  p->done = TRUE;
}

static gboolean
placed (gpointer data)
{
  return ((Placed *) data)->done;
}

/* The server's id of the bench's run @local_id for its certificate (nb-certificate-place.h),
 * or 0 with @error. */
static gint64
place_run (const char *server, gint64 local_id, GError **error)
{
  Placed p = { 0 };
  nb_certificate_place_async (server, local, local_id, on_placed, &p);
  if (!nb_test_wait (placed, &p, 30))
    g_error ("placing the run for its certificate did not finish within 30 s");
  if (p.error != NULL)
    g_propagate_error (error, p.error);
  return p.id;
}

typedef struct
{
  NbFleetStatus *status;
  NbFleetSyncState state;
} Wait;

static gboolean
state_reached (gpointer data)
{
  Wait *w = data;
  return !nb_fleet_status_is_syncing (w->status)
         && nb_fleet_status_get_state (w->status) == w->state;
}

static void
wait_state (NbFleetStatus *status, NbFleetSyncState state)
{
  Wait w = { status, state };
  if (!nb_test_wait (state_reached, &w, 30))
    g_error ("the fleet status did not become %s within 30 s (it is %s: %s)",
             nb_fleet_sync_state_to_string (state),
             nb_fleet_sync_state_to_string (nb_fleet_status_get_state (status)),
             nb_fleet_status_get_message (status));
}

typedef struct
{
  NbFleetStatus *status;
  gint64 waiting;
} Count;

static gboolean
waiting_is (gpointer data)
{
  Count *c = data;
  return nb_fleet_status_get_waiting (c->status) == c->waiting;
}

static void
assert_accessible_name (NbFleetIndicator *ind, const char *expected)
{
  char *diff = gtk_test_accessible_check_property (GTK_ACCESSIBLE (ind),
                                                   GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
  if (diff)
    g_error ("accessible name: %s", diff);
}

static void
test_no_server (void)
{
  NbFleetStatus *status = nb_window_get_fleet_status (win);
  NbFleetIndicator *ind = nb_window_get_fleet_indicator (win);
  g_assert_null (nb_fleet_status_get_server (status));
  g_assert_cmpint (nb_fleet_status_get_state (status), ==, NB_FLEET_SYNC_LOCAL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (ind)));
  nb_fleet_status_sync_now (status); /* no server: nothing to do */
  g_assert_false (nb_fleet_status_is_syncing (status));
}

static void
test_offline (void)
{
  record_session ("NB-FL-0001");
  record_session ("NB-FL-0002");
  g_autoptr (GError) error = NULL;
  gint64 waiting = nb_fleet_count_waiting (local, &error);
  g_assert_no_error (error);
  g_assert_cmpint (waiting, >, 0);

  GSettings *settings = nb_window_get_settings (win);
  g_autofree char *uri = g_strdup_printf ("postgresql:///nbfleet?host=%s&port=5&user=nb", dir);
  g_settings_set_string (settings, "server-uri", uri);
  NbFleetStatus *status = nb_window_get_fleet_status (win);
  NbFleetIndicator *ind = nb_window_get_fleet_indicator (win);
  g_assert_cmpstr (nb_fleet_status_get_server (status), ==, uri);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (ind)));
  wait_state (status, NB_FLEET_SYNC_OFFLINE);
  g_assert_cmpint (nb_fleet_status_get_waiting (status), ==, waiting);
  g_assert_nonnull (nb_fleet_status_get_message (status));

  g_autofree char *text
      = g_strdup_printf ("Offline: %" G_GINT64_FORMAT " records waiting", waiting);
  g_assert_cmpstr (nb_fleet_indicator_get_text (ind), ==, text);
  g_assert_cmpstr (nb_fleet_indicator_get_icon_name (ind), ==, "network-offline-symbolic");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (ind), "warning"));
  g_autofree char *name = g_strdup_printf ("Shared database: %s", text);
  assert_accessible_name (ind, name);
  const char *tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (ind));
  g_assert_nonnull (strstr (tooltip, uri));

  /* offline, the Records page shows the bench's own file, which holds everything recorded here */
  NbRecords *records = nb_records_page_get_records (nb_window_get_records_page (win));
  g_assert_cmpstr (nb_records_get_store_path (records), ==, local);

  /* a certificate is issued in the shared database: offline, the operator is told and the run
   * waits in the bench's file */
  gint64 run = record_run ("NB-FL-RUN-1");
  g_assert_cmpint (place_run (uri, run, &error), ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_OFFLINE);
  g_assert_nonnull (strstr (error->message, "cannot be reached"));
  g_clear_error (&error);

  /* after a run: the copy is started and the call returns at once, the main loop keeps going */
  gint64 t0 = g_get_monotonic_time ();
  nb_fleet_status_sync_now (status);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, G_USEC_PER_SEC / 20);
  g_assert_true (nb_fleet_status_is_syncing (status));
  wait_state (status, NB_FLEET_SYNC_OFFLINE);

  /* one more record, and no one asks: the retry timer (1 s here, 30 s in the app) finds it */
  record_session ("NB-FL-0003");
  gint64 more = nb_fleet_count_waiting (local, &error);
  g_assert_cmpint (more, >, waiting);
  Count c = { status, more };
  if (!nb_test_wait (waiting_is, &c, 30))
    g_error ("the retry did not count %" G_GINT64_FORMAT " records waiting within 30 s", more);
  g_autofree char *text2 = g_strdup_printf ("Offline: %" G_GINT64_FORMAT " records waiting", more);
  g_assert_cmpstr (nb_fleet_indicator_get_text (ind), ==, text2);

  nb_test_pump (0.3);
  nb_test_save_png (GTK_WIDGET (win), "fleet-link-offline.png");
}

/* The row of the Preferences window whose title starts with @prefix. */
static AdwEntryRow *
find_row (GtkWidget *root, const char *prefix)
{
  if (ADW_IS_ENTRY_ROW (root)
      && g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), prefix))
    return ADW_ENTRY_ROW (root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      AdwEntryRow *r = find_row (c, prefix);
      if (r)
        return r;
    }
  return NULL;
}

/* The first visible label under @root whose text starts with @prefix. */
static GtkLabel *
find_label (GtkWidget *root, const char *prefix)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_visible (root)
      && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (root)), prefix))
    return GTK_LABEL (root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkLabel *l = find_label (c, prefix);
      if (l)
        return l;
    }
  return NULL;
}

static void
test_preferences (void)
{
  GSettings *settings = nb_window_get_settings (win);
  g_autofree char *before = g_settings_get_string (settings, "server-uri");
  NbPreferences *prefs = nb_preferences_new (GTK_WINDOW (win), settings);
  gtk_window_set_default_size (GTK_WINDOW (prefs), 640, 900);
  gtk_window_present (GTK_WINDOW (prefs));
  nb_test_pump (0.3);
  AdwEntryRow *row = find_row (GTK_WIDGET (prefs), "Shared database");
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, before);
  gtk_widget_grab_focus (GTK_WIDGET (row)); /* scrolled into view, for the screenshots */
  /* where the password comes from is said next to the row */
  g_assert_nonnull (find_label (GTK_WIDGET (prefs), "Recordings and calibrations are written"));

  const struct
  {
    const char *uri;
    const char *message;
  } refused[] = {
    { "postgresql://nb:secret@db.example/fleet", "Not saved: the address carries a password." },
    { "postgresql://db.example/fleet?password=secret",
      "Not saved: the address carries a password." },
    { "/var/lib/needlebench/fleet.db", "Not saved: not a postgresql:// address" },
    { "postgresql://db.example/fleet?nosuchoption=1", "Not saved: not a postgresql:// address" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      gtk_editable_set_text (GTK_EDITABLE (row), refused[i].uri);
      g_signal_emit_by_name (row, "apply");
      g_autofree char *kept = g_settings_get_string (settings, "server-uri");
      g_assert_cmpstr (kept, ==, before);
      g_assert_nonnull (find_label (GTK_WIDGET (prefs), refused[i].message));
      g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
    }
  nb_test_pump (0.3);
  nb_test_save_png (GTK_WIDGET (prefs), "fleet-link-preferences-refused.png");

  const char *good = "postgresql://db.example/fleet?sslmode=require";
  gtk_editable_set_text (GTK_EDITABLE (row), good);
  g_signal_emit_by_name (row, "apply");
  g_autofree char *saved = g_settings_get_string (settings, "server-uri");
  g_assert_cmpstr (saved, ==, good);
  g_assert_null (find_label (GTK_WIDGET (prefs), "Not saved"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  nb_test_pump (0.3);
  nb_test_save_png (GTK_WIDGET (prefs), "fleet-link-preferences.png");
  gtk_window_destroy (GTK_WINDOW (prefs));
  g_settings_set_string (settings, "server-uri", before);
  nb_test_pump (0.2);
}

static void
on_records_sent (NbFleetStatus *status, gint64 copied, gint64 *sent)
{
  *sent += copied;
}

/* Suite pg only (pg-run.sh sets NB_PG_URI): a real server takes the bench's records. */
static void
test_online (void)
{
  const char *uri = g_getenv ("NB_PG_URI");
  g_assert_nonnull (uri);
  GSettings *settings = nb_window_get_settings (win);
  NbFleetStatus *status = nb_window_get_fleet_status (win);
  NbFleetIndicator *ind = nb_window_get_fleet_indicator (win);

  /* the server answers but has no such database: not offline, a fault a person must fix */
  g_assert_true (strstr (uri, "///nbtest?") != NULL);
  g_autoptr (GString) missing = g_string_new (uri);
  g_string_replace (missing, "///nbtest?", "///nosuchdb?", 1);
  g_settings_set_string (settings, "server-uri", missing->str);
  wait_state (status, NB_FLEET_SYNC_FAILED);
  g_assert_cmpint (nb_fleet_status_get_waiting (status), >, 0);
  g_autofree char *failed = g_strdup_printf ("Not synced: %" G_GINT64_FORMAT " records waiting",
                                             nb_fleet_status_get_waiting (status));
  g_assert_cmpstr (nb_fleet_indicator_get_text (ind), ==, failed);
  g_assert_cmpstr (nb_fleet_indicator_get_icon_name (ind), ==, "dialog-warning-symbolic");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (ind), "error"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (ind)), "nosuchdb"));

  gint64 sent = 0;
  gulong handler = g_signal_connect (status, "records-sent", G_CALLBACK (on_records_sent), &sent);
  g_settings_set_string (settings, "server-uri", uri);
  wait_state (status, NB_FLEET_SYNC_SYNCED);
  g_signal_handler_disconnect (status, handler);
  /* what waited went in one sync: the Records page is told to read the server again */
  g_assert_cmpint (sent, >=, 3);
  g_assert_cmpint (nb_fleet_status_get_waiting (status), ==, 0);
  g_assert_cmpstr (nb_fleet_indicator_get_text (ind), ==, "Server online");
  g_assert_cmpstr (nb_fleet_indicator_get_icon_name (ind), ==, "network-server-symbolic");
  assert_accessible_name (ind, "Shared database: Server online");
  /* online, the Records page reads the server again */
  NbRecords *records = nb_records_page_get_records (nb_window_get_records_page (win));
  g_assert_cmpstr (nb_records_get_store_path (records), ==, uri);
  /* the sessions recorded while offline are on the server now */
  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) server = nb_store_open (uri, &error);
  g_assert_no_error (error);
  g_autoptr (GPtrArray) sessions = nb_store_list_sessions (server, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sessions->len, ==, 3);

  /* the run's certificate is issued on the server, for the server's run (copied from the bench) */
  gint64 run = record_run ("NB-FL-RUN-2");
  gint64 on_server = place_run (uri, run, &error);
  g_assert_no_error (error);
  g_assert_cmpint (on_server, >, 0);
  g_autoptr (NbStoreRun) copy = nb_store_get_run (server, on_server, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (copy->pen_serial, ==, "NB-FL-RUN-2");
  nb_test_pump (0.3);
  nb_test_save_png (GTK_WIDGET (win), "fleet-link-online.png");
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  dir = g_dir_make_tmp ("nb-gui-fleet-link-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", dir, TRUE);
  local = g_build_filename (dir, "bench.db", NULL);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  win = nb_test_start_app (&app);
  g_settings_set_string (nb_window_get_settings (win), "database-path", local);
  nb_fleet_status_set_retry_interval (nb_window_get_fleet_status (win), 1);

  g_test_add_func ("/gui-fleet-link/no-server", test_no_server);
  g_test_add_func ("/gui-fleet-link/offline", test_offline);
  g_test_add_func ("/gui-fleet-link/preferences", test_preferences);
  if (g_getenv ("NB_PG_URI"))
    g_test_add_func ("/gui-fleet-link/online", test_online);
  int rc = g_test_run ();

  nb_test_pump (0.2);
  g_object_unref (app);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", dir);
  return rc;
}
