/* test-gui-i18n.c: the real application in German (issue 12 §6), in-process under Xvfb with
 * LANG=de_DE.UTF-8: its labels come from po/de.po, the depth it shows has a decimal comma (the UI
 * follows the locale), and a session it records and exports is written with a decimal point (files
 * never do). Screenshot: live-de.png. The locale is compiled by tests/i18n (LOCPATH), the
 * catalogue is the build tree's (NB_LOCALEDIR). */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "gui-test-util.h"
#include "nb-live-page.h"
#include "nb-readouts.h"
#include "nb-records.h"
#include "nb-sim-transport.h"

/* Around the eyes, thin skin (0.25 mm ± 0.15 mm), a pen 45 µm deep: in tolerance. */
#define PEN "sim:depth-offset=0.045,depth-gain=1,rate-error=0"

static NbApplication *app;
static NbWindow *win;
static NbLivePage *live;

static gboolean
is_connected (gpointer data)
{
  NbRun *run = nb_live_page_get_run (live);
  return run && nb_run_is_connected (run);
}

static gboolean
motor_is (gpointer data)
{
  return nb_run_is_motor_running (nb_live_page_get_run (live)) == GPOINTER_TO_INT (data);
}

static gboolean
judged (gpointer data)
{
  return nb_verdict_card_get_model (nb_live_page_get_verdict_card (live))->strokes
         >= GPOINTER_TO_UINT (data);
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

static void
on_exported (NbRecordsPage *page, const char *path, char **out)
{
  g_free (*out);
  *out = g_strdup (path);
}

static gboolean
flag_set_ptr (gpointer data)
{
  return *(char **) data != NULL;
}

static void
assert_matches (const char *text, const char *pattern)
{
  if (!g_regex_match_simple (pattern, text, 0, 0))
    g_error ("“%s” does not match “%s”", text, pattern);
}

/* Live page: German words, figures with a decimal comma */
static void
test_live_german (void)
{
  nb_live_page_connect_uri (live, PEN);
  g_assert_true (nb_test_wait (is_connected, NULL, 5));
  g_assert_true (nb_live_page_choose_target (live, "eyes", NB_SKIN_THIN));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-motor", NULL));
  g_assert_true (nb_test_wait (motor_is, GINT_TO_POINTER (TRUE), 3));
  g_assert_true (nb_test_wait (judged, GUINT_TO_POINTER (150), 10));
  nb_test_pump (2.0 * NB_RUN_UPDATE_MS / 1000.0); /* the readouts refresh */

  /* a label from C (_()) and one from a .ui template (translatable="yes") */
  GtkButton *motor = nb_test_find_action_button (GTK_WIDGET (live), "live.toggle-motor");
  g_assert_nonnull (motor);
  g_assert_cmpstr (gtk_button_get_label (motor), ==, "_Motor anhalten");
  GtkButton *record = nb_test_find_action_button (GTK_WIDGET (live), "live.toggle-record");
  g_assert_nonnull (record);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (record)), ==,
                   "In der Datenbank aufzeichnen (Strg+R)");
  NbReadouts *readouts = NB_READOUTS (nb_test_find_type (GTK_WIDGET (live), NB_TYPE_READOUTS));
  g_assert_cmpstr (nb_readouts_get_depth_verdict_text (readouts), ==, "In Toleranz");

  /* the depth readout (nb-units formats with %f): a decimal comma under German */
  const char *depth = nb_readouts_get_depth_text (readouts);
  g_printerr ("# depth readout: %s\n", depth);
  assert_matches (depth, "^0,[0-9]{3} ± 0,[0-9]{3} mm$");
  NbVerdictCard *card = nb_live_page_get_verdict_card (live);
  g_printerr ("# verdict: %s | %s\n", nb_verdict_card_get_depth_text (card),
              nb_verdict_card_get_share_text (card));
  g_assert_true (g_str_has_prefix (nb_verdict_card_get_depth_text (card), "In Toleranz: +0,0"));

  nb_window_show_page (win, "live");
  (void) nb_test_wait (no_toast, NULL, 10);
  nb_test_pump (0.5);
  nb_test_save_png (GTK_WIDGET (win), "live-de.png");
}

/* A session recorded and exported from the German app: the files have a decimal point. */
static void
test_export_c_locale (void)
{
  Finished done = { FALSE, 0 };
  gulong fid = g_signal_connect (live, "recording-finished", G_CALLBACK (on_finished), &done);
  nb_live_page_set_session_name (live, "Sitzung auf Deutsch", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-record", NULL));
  g_assert_true (nb_test_wait (recording, NULL, 5));
  nb_test_pump (1.0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-record", NULL));
  g_assert_true (nb_test_wait (finished, &done, 10));
  g_signal_handler_disconnect (live, fid);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-motor", NULL));
  g_assert_true (nb_test_wait (motor_is, GINT_TO_POINTER (FALSE), 3));

  NbRecordsPage *records = nb_window_get_records_page (win);
  nb_window_show_page (win, "records");
  g_assert_true (nb_test_wait (listed, &done.id, 10));
  g_assert_true (nb_records_page_open (records, done.id));
  g_assert_true (nb_test_wait (replay_shown, &done.id, 10));

  g_autofree char *dir = g_dir_make_tmp ("nb-gui-i18n-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "s.csv", NULL);
  g_autofree char *json = g_build_filename (dir, "s.json", NULL);
  g_autofree char *said = NULL;
  gulong mid = g_signal_connect (records, "exported", G_CALLBACK (on_exported), &said);
  g_signal_handlers_block_matched (records, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, win);
  nb_records_page_export (records, FALSE, csv);
  g_assert_true (nb_test_wait (flag_set_ptr, &said, 10));
  adw_toast_dismiss (nb_records_page_get_export_toast (records));
  g_clear_pointer (&said, g_free);
  nb_records_page_export (records, TRUE, json);
  g_assert_true (nb_test_wait (flag_set_ptr, &said, 10));
  adw_toast_dismiss (nb_records_page_get_export_toast (records));
  g_signal_handler_disconnect (records, mid);
  g_signal_handlers_unblock_matched (records, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, win);

  /* CSV: the header, then every row's depth with a point (a comma would split the field) */
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "index,time_s,depth_mm"));
  g_autofree char *header = g_strstrip (g_strdup (lines[0]));
  g_auto (GStrv) names = g_strsplit (header, ",", -1);
  guint columns = g_strv_length (names);
  guint rows = 0;
  for (guint i = 1; lines[i] && lines[i][0]; i++, rows++)
    {
      g_autofree char *row = g_strstrip (g_strdup (lines[i]));
      g_auto (GStrv) fields = g_strsplit (row, ",", -1);
      g_assert_cmpuint (g_strv_length (fields), ==, columns);
      assert_matches (fields[2], "^0\\.[0-9]{4}$");
    }
  g_printerr ("# %u CSV rows, %u columns; first: %s\n", rows, columns, lines[1]);
  g_assert_cmpuint (rows, >, 20);

  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (json_parser_load_from_file (parser, json, &error));
  g_assert_no_error (error);
  g_autofree char *json_text = NULL;
  g_assert_true (g_file_get_contents (json, &json_text, NULL, NULL));
  g_assert_null (g_strstr_len (json_text, -1, "0,2"));
  JsonObject *session = json_object_get_object_member (
      json_node_get_object (json_parser_get_root (parser)), "session");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (session, "depth_mm"), 0.25, 1e-9);
  g_remove (csv);
  g_remove (json);
  g_rmdir (dir);

  /* the other pages in German, to look at (build/screenshots) */
  (void) nb_test_wait (no_toast, NULL, 10);
  nb_test_pump (0.5);
  nb_test_save_png (GTK_WIDGET (win), "records-de.png");
  nb_window_show_page (win, "calibration");
  nb_test_pump (0.5);
  nb_test_save_png (GTK_WIDGET (win), "calibration-de.png");
  nb_window_show_page (win, "live");
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* German, whatever the test environment said; LOCPATH and NB_LOCALEDIR come from meson */
  g_setenv ("LANG", "de_DE.UTF-8", TRUE);
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  g_unsetenv ("LC_NUMERIC");
  g_unsetenv ("LANGUAGE");
  g_autofree char *data_home = g_dir_make_tmp ("nb-gui-i18n-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  nb_sim_transport_register ();
  gtk_init (); /* sets the locale from the environment, as in the app */
  const char *numeric = setlocale (LC_NUMERIC, NULL);
  if (numeric == NULL || !g_str_has_prefix (numeric, "de_DE"))
    {
      /* never a skip: the locales package is listed and tests/i18n compiles the locale */
      g_printerr ("test-gui-i18n: the locale de_DE.UTF-8 is not available (LC_NUMERIC is %s, "
                  "LOCPATH=%s)\n",
                  numeric ? numeric : "(null)", g_getenv ("LOCPATH"));
      return 1;
    }
  win = nb_test_start_app (&app);
  live = nb_window_get_live_page (win);
  gtk_window_set_default_size (GTK_WINDOW (win), 1280, 820);
  nb_test_pump (0.5);

  g_test_add_func ("/gui-i18n/live-german", test_live_german);
  g_test_add_func ("/gui-i18n/export-c-locale", test_export_c_locale);
  int rc = g_test_run ();

  nb_live_page_shutdown (live);
  nb_test_pump (0.2);
  g_object_unref (app);
  return rc;
}
