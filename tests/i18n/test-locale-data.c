/* test-locale-data.c: under LC_ALL=de_DE.UTF-8 (the GUI's situation: GTK sets the locale from
 * the environment) the libraries still write a decimal point into what they store and export: a
 * recorded session's audit trail, its CSV and JSON exports, JSON documents and the DCC. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "nb-c-locale.h"
#include "nb-canonical-json.h"
#include "nb-dcc.h"
#include "nb-export.h"
#include "nb-recorder.h"
#include "nb-store.h"

static char *tmpdir;

/* The test means nothing unless printf really writes a decimal comma here. */
static void
test_locale_is_german (void)
{
  g_autofree char *text = g_strdup_printf ("%.3f", 0.295);
  g_assert_cmpstr (text, ==, "0,295");
}

static void
test_c_printf (void)
{
  g_autofree char *text = nb_c_strdup_printf ("%.3f|%g|%.1e", 0.295, 1.5, 12345.0);
  g_assert_cmpstr (text, ==, "0.295|1.5|1.2e+04");
  /* and the thread is left in the German locale */
  g_autofree char *after = g_strdup_printf ("%.1f", 2.5);
  g_assert_cmpstr (after, ==, "2,5");
}

static gint64
record (const char *db)
{
  g_autoptr (GError) error = NULL;
  NbRecorderParams p = {
    .store_path = db,
    .session = {
      .pen_serial = "NB-0042",
      .pen_model = "NP-1",
      .pen_firmware = "1.2.3",
      .uri = "sim://",
      .operator_name = "alice",
      .name = "Komma",
      .depth_mm = 0.295,
      .rate_hz = 121.5,
      .sample_rate_hz = 20000,
    },
    .commit_interval_ms = 100,
  };
  g_autoptr (NbRecorder) rec = nb_recorder_new (&p, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      NbStoreStroke s = {
        .index = i,
        .peak_sample = i * 164 + 7,
        .time_s = (i * 164 + 7) / 20000.0,
        .depth_mm = 0.2951 + 0.0001 * i,
        .period_s = i == 0 ? 0 : 164 / 20000.0,
        .entry_speed_mm_s = 512.5,
      };
      g_assert_true (nb_recorder_add_stroke (rec, &s, &error));
    }
  gint64 id = nb_recorder_get_session_id (rec);
  g_assert_true (nb_recorder_finish (rec, NB_SESSION_COMPLETE, NULL, &error));
  g_assert_no_error (error);
  return id;
}

/* the audit entry of the session's start, straight from the file */
static char *
start_detail (const char *db)
{
  sqlite3 *sql = NULL;
  g_assert_cmpint (sqlite3_open_v2 (db, &sql, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_stmt *stmt = NULL;
  g_assert_cmpint (sqlite3_prepare_v2 (sql,
                                       "SELECT detail FROM audit WHERE action = 'session.start'",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  char *detail = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (sql);
  return detail;
}

static void
test_session_files (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "bench.db", NULL);
  gint64 id = record (db);

  g_autofree char *detail = start_detail (db);
  g_test_message ("audit: %s", detail);
  g_assert_nonnull (strstr (detail, "depth_mm=0.295 rate_hz=121.5 sample_rate_hz=20000"));

  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_store_open (db, &error);
  g_assert_no_error (error);
  g_autofree char *csv = g_build_filename (tmpdir, "session.csv", NULL);
  g_autofree char *json = g_build_filename (tmpdir, "session.json", NULL);
  g_assert_true (
      nb_export_session (store, id, NB_EXPORT_CSV, FALSE, csv, NB_EXPORT_DEFAULT, &error));
  g_assert_no_error (error);
  g_assert_true (
      nb_export_session (store, id, NB_EXPORT_JSON, FALSE, json, NB_EXPORT_DEFAULT, &error));
  g_assert_no_error (error);

  g_autofree char *csv_text = NULL;
  g_assert_true (g_file_get_contents (csv, &csv_text, NULL, NULL));
  g_test_message ("csv:\n%s", csv_text);
  g_assert_nonnull (strstr (csv_text, ",0.2951,"));
  g_assert_null (strstr (csv_text, "0,2951"));

  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_file (parser, json, &error));
  g_assert_no_error (error);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  JsonObject *session = json_object_get_object_member (root, "session");
  g_assert_cmpfloat (json_object_get_double_member (session, "depth_mm"), ==, 0.295);
  JsonArray *strokes = json_object_get_array_member (root, "strokes");
  g_assert_cmpuint (json_array_get_length (strokes), ==, 3);
  JsonObject *last = json_array_get_object_element (strokes, 2);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (last, "depth_mm"), 0.2953, 1e-9);
}

/* JSON documents (run results, certificates) go through json-glib or the canonical writer */
static void
test_json_documents (void)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "mean_mm");
  json_builder_add_double_value (b, 0.295);
  json_builder_end_object (b);
  g_autoptr (JsonNode) node = json_builder_get_root (b);
  g_autofree char *plain = json_to_string (node, FALSE);
  g_assert_cmpstr (plain, ==, "{\"mean_mm\":0.29499999999999998}");
  g_autofree char *canonical = nb_canonical_json_object (json_node_get_object (node), NULL);
  g_assert_cmpstr (canonical, ==, "{\"mean_mm\":0.295}");
}

/* the DCC's result names quote the set depth and rate */
static void
test_dcc (void)
{
  g_autofree char *path
      = g_build_filename (g_getenv ("NB_TEST_DATA"), "certificate-cheek-chin-thick.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  g_autofree char *xml
      = nb_dcc_write (json_node_get_object (json_parser_get_root (parser)), &error);
  g_assert_no_error (error);
  g_autoptr (GRegex) comma = g_regex_new ("[0-9],[0-9]+ (mm|Hz)|k = [0-9],", 0, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;
  if (g_regex_match (comma, xml, 0, &match))
    {
      g_autofree char *found = g_match_info_fetch (match, 0);
      g_error ("the DCC has a decimal comma: “%s”", found);
    }
  g_autoptr (GRegex) depth
      = g_regex_new ("Needle depth at [0-9]+\\.[0-9]{2} mm, [0-9]+ Hz", 0, 0, NULL);
  g_assert_true (g_regex_match (depth, xml, 0, NULL));
}

int
main (int argc, char **argv)
{
  /* LOCPATH (set by meson) holds de_DE.UTF-8, compiled with localedef from the locales package */
  if (setlocale (LC_ALL, "de_DE.UTF-8") == NULL)
    {
      g_printerr ("test-locale-data: the locale de_DE.UTF-8 is not available (LOCPATH=%s); "
                  "tests/i18n builds it with localedef from /usr/share/i18n/locales/de_DE "
                  "(package locales)\n",
                  g_getenv ("LOCPATH"));
      return 1;
    }
  g_test_init (&argc, &argv, NULL);
  g_autoptr (GError) error = NULL;
  tmpdir = g_dir_make_tmp ("nb-locale-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/locale-data/german", test_locale_is_german);
  g_test_add_func ("/locale-data/c-printf", test_c_printf);
  g_test_add_func ("/locale-data/session-files", test_session_files);
  g_test_add_func ("/locale-data/json", test_json_documents);
  g_test_add_func ("/locale-data/dcc", test_dcc);
  int rc = g_test_run ();
  const char *names[]
      = { "bench.db", "bench.db-wal", "bench.db-shm", "session.csv", "session.json", NULL };
  for (guint i = 0; names[i]; i++)
    {
      g_autofree char *p = g_build_filename (tmpdir, names[i], NULL);
      g_unlink (p);
    }
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return rc;
}
