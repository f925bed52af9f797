/* test-record.c: `record`, `sessions` and `export` end to end: a session round trip with a note
 * that needs quoting, a database that cannot be written (exit 4), and kill -9 mid-recording. */
#include <csv.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli-harness.h"
#include "nb-store.h"

#define NOTE "batch 7, line \"B\"\nsecond line, with commas"

typedef struct
{
  GPtrArray *row;
  GPtrArray *rows; /* of GPtrArray of char* */
} CsvParse;

static void
on_field (void *s, size_t len, void *data)
{
  CsvParse *p = data;
  g_ptr_array_add (p->row, g_strndup (s, len));
}

static void
on_row (int c, void *data)
{
  CsvParse *p = data;
  g_ptr_array_add (p->rows, p->row);
  p->row = g_ptr_array_new_with_free_func (g_free);
}

static GPtrArray *
parse_csv (const char *path)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  struct csv_parser parser;
  g_assert_cmpint (csv_init (&parser, CSV_STRICT | CSV_APPEND_NULL), ==, 0);
  CsvParse p = { g_ptr_array_new_with_free_func (g_free),
                 g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref) };
  g_assert_cmpuint (csv_parse (&parser, text, len, on_field, on_row, &p), ==, len);
  csv_fini (&parser, on_field, on_row, &p);
  csv_free (&parser);
  g_ptr_array_unref (p.row);
  return p.rows;
}

static gint64
record (const char *db, const char *uri, const char *seconds, JsonParser **parser)
{
  CliResult r = { 0 };
  cli_run (&r, "record", "-d", uri, "--depth", "0.5", "--rate", "100", "--seconds", seconds, "--db",
           db, "--operator", "Ann O'Neil", "--note", NOTE, "--name", "QA line 3", "--json", NULL);
  if (r.status != 0)
    g_error ("record exited %d: %s", r.status, r.err);
  JsonObject *o = cli_json_object (&r, parser);
  gint64 id = json_object_get_int_member (o, "session_id");
  cli_result_clear (&r);
  return id;
}

static void
test_round_trip (void)
{
  g_autofree char *dir = g_dir_make_tmp ("nb-rec-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "sub", "nb.db", NULL);
  g_autoptr (JsonParser) rec = NULL;
  gint64 id = record (db, "sim:serial=NB-0042,time-scale=4", "2", &rec);
  g_assert_cmpint (id, ==, 1);
  JsonObject *summary = json_node_get_object (json_parser_get_root (rec));
  gint64 strokes = json_object_get_int_member (summary, "strokes");
  g_assert_cmpint (strokes, >, 150);

  /* the database is private to its owner */
  GStatBuf st;
  g_assert_cmpint (g_stat (db, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  CliResult r = { 0 };
  cli_run (&r, "sessions", "--db", db, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) lp = json_parser_new ();
  g_assert_true (json_parser_load_from_data (lp, r.out, -1, NULL));
  JsonArray *list = json_node_get_array (json_parser_get_root (lp));
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  JsonObject *s = json_array_get_object_element (list, 0);
  g_assert_cmpint (json_object_get_int_member (s, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (s, "pen_serial"), ==, "NB-0042");
  g_assert_cmpstr (json_object_get_string_member (s, "operator"), ==, "Ann O'Neil");
  g_assert_cmpstr (json_object_get_string_member (s, "note"), ==, NOTE);
  g_assert_cmpstr (json_object_get_string_member (s, "status"), ==, "complete");
  g_assert_cmpint (json_object_get_int_member (s, "strokes"), ==, strokes);
  cli_result_clear (&r);

  /* CSV: parses back with a real CSV parser; the stroke table starts with its header row (the
   * metadata, note included, is in the JSON export) */
  g_autofree char *csv = g_build_filename (dir, "s.csv", NULL);
  g_autofree char *idtext = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  cli_run (&r, "export", idtext, "--db", db, "--format", "csv", "-o", csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  g_autoptr (GPtrArray) rows = parse_csv (csv);
  guint header = 0;
  GPtrArray *head = g_ptr_array_index (rows, header);
  g_assert_cmpuint (head->len, ==, 10); /* the strokes' five, the target's four and the band */
  g_assert_cmpstr (g_ptr_array_index (head, 0), ==, "index");
  g_assert_cmpuint (rows->len - header - 1, ==, strokes);
  GPtrArray *first = g_ptr_array_index (rows, header + 1);
  g_assert_cmpfloat (fabs (g_ascii_strtod (g_ptr_array_index (first, 2), NULL) - 0.5), <, 0.1);

  /* JSON, strokes and raw samples */
  g_autofree char *json = g_build_filename (dir, "s.json", NULL);
  cli_run (&r, "export", idtext, "--db", db, "--format", "json", "-o", json, NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  g_autoptr (JsonParser) jp = json_parser_new ();
  g_assert_true (json_parser_load_from_file (jp, json, NULL));
  JsonObject *root = json_node_get_object (json_parser_get_root (jp));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "strokes")), ==,
                    strokes);
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (root, "session"), "note"), ==,
      NOTE);
  /* export never replaces an existing file by default: a new name for the samples */
  g_autofree char *samples_json = g_build_filename (dir, "samples.json", NULL);
  cli_run (&r, "export", idtext, "--db", db, "--format", "json", "--samples", "-o", samples_json,
           NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  g_autoptr (JsonParser) sp = json_parser_new ();
  g_assert_true (json_parser_load_from_file (sp, samples_json, NULL));
  root = json_node_get_object (json_parser_get_root (sp));
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (root, "samples")), ==,
                   json_object_get_int_member (summary, "samples"));

  /* errors: no such session (4), bad format (2), no database (4) */
  cli_run (&r, "export", "99", "--db", db, "-o", json, NULL);
  g_assert_cmpint (r.status, ==, 4);
  cli_result_clear (&r);
  cli_run (&r, "export", idtext, "--db", db, "--format", "xml", "-o", json, NULL);
  g_assert_cmpint (r.status, ==, 2);
  cli_result_clear (&r);
  g_autofree char *nodb = g_build_filename (dir, "none.db", NULL);
  cli_run (&r, "sessions", "--db", nodb, NULL);
  g_assert_cmpint (r.status, ==, 4);
  g_assert_nonnull (strstr (r.err, nodb));
  cli_result_clear (&r);
  g_autofree char *cmd = g_strdup_printf ("rm -rf %s", dir);
  g_assert_cmpint (system (cmd), ==, 0);
}

static void
test_read_only (void)
{
  g_autofree char *dir = g_dir_make_tmp ("nb-ro-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "nb.db", NULL);
  const char *target = db;
  if (geteuid () == 0)
    {
      /* root writes through file modes: use a file system that refuses everyone instead */
      target = "/proc/needlebench-test/nb.db";
    }
  else
    {
      g_autoptr (JsonParser) p = NULL;
      record (db, "sim:time-scale=4", "0.5", &p);
      g_assert_cmpint (g_chmod (db, 0400), ==, 0);
      g_assert_cmpint (g_chmod (dir, 0500), ==, 0);
    }
  CliResult r = { 0 };
  cli_run (&r, "record", "-d", "sim:time-scale=4", "--depth", "0.5", "--rate", "100", "--seconds",
           "0.5", "--db", target, NULL);
  g_assert_cmpint (r.status, ==, 4);
  g_assert_true (g_str_has_prefix (r.err, "needlebench-cli record: "));
  g_assert_nonnull (strstr (r.err, target));
  cli_result_clear (&r);
  g_chmod (dir, 0700);
  g_autofree char *cmd = g_strdup_printf ("rm -rf %s", dir);
  g_assert_cmpint (system (cmd), ==, 0);
}

static void
test_kill_9 (void)
{
  g_autofree char *dir = g_dir_make_tmp ("nb-kill-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "nb.db", NULL);
  const char *argv[]
      = { g_getenv ("NB_CLI"), "record", "-d",   "sim", "--depth", "1", "--rate", "100",
          "--seconds",         "60",     "--db", db,    NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) p = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  g_usleep (2500 * 1000);
  gint64 killed = g_get_monotonic_time ();
  g_subprocess_send_signal (p, SIGKILL);
  g_subprocess_wait (p, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (p));
  (void) killed;

  g_autoptr (NbStore) store = nb_store_open_full (db, NB_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (nb_store_check_integrity (store, &error));
  g_autoptr (GPtrArray) list = nb_store_list_sessions (store, NULL, &error);
  g_assert_cmpuint (list->len, ==, 1);
  NbStoreSession *s = g_ptr_array_index (list, 0);
  g_assert_cmpint (s->status, ==, NB_SESSION_INTERRUPTED);
  /* about 2 s of strokes (minus start-up) were made; at most the last second may be lost */
  gint64 strokes = nb_store_count_strokes (store, s->id, &error);
  g_assert_cmpint (strokes, >=, 50);
  g_assert_cmpint (strokes, <=, 260);
  /* samples are contiguous from 0: nothing in the middle is missing */
  gint64 samples = nb_store_count_samples (store, s->id, &error);
  g_assert_cmpint (samples, >=, strokes * 150);
  g_autofree char *cmd = g_strdup_printf ("rm -rf %s", dir);
  g_assert_cmpint (system (cmd), ==, 0);
}

/* A run whose data are incomplete or broken keeps what it recorded, as an aborted session whose
 * error says why, and exits 4. */
static void
test_incomplete_kept_aborted (void)
{
  static const struct
  {
    const char *uri, *reason;
  } cases[] = {
    { "sim:flip=0.01,time-scale=4", "data incomplete: " },
    { "sim:index-jump=1,time-scale=4", "sim:index-jump=1,time-scale=4: broken telemetry stream" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *dir = g_dir_make_tmp ("nb-inc-XXXXXX", NULL);
      g_autofree char *db = g_build_filename (dir, "nb.db", NULL);
      CliResult r = { 0 };
      cli_run (&r, "record", "-d", cases[i].uri, "--depth", "1", "--rate", "100", "--seconds", "3",
               "--db", db, "--json", NULL);
      g_assert_cmpint (r.status, ==, 4);
      g_assert_true (
          g_str_has_prefix (r.err, "needlebench-cli record: session 1 kept as aborted: "));
      g_autoptr (JsonParser) p = NULL;
      JsonObject *o = cli_json_object (&r, &p);
      g_assert_false (json_object_get_boolean_member (o, "complete"));
      g_assert_cmpint (json_object_get_int_member (o, "session_id"), ==, 1);
      gint64 strokes = json_object_get_int_member (o, "strokes");
      cli_result_clear (&r);

      g_autoptr (GError) error = NULL;
      g_autoptr (NbStore) store = nb_store_open_full (db, NB_STORE_OPEN_READ_ONLY, &error);
      g_assert_no_error (error);
      g_autoptr (GPtrArray) list = nb_store_list_sessions (store, NULL, &error);
      g_assert_cmpuint (list->len, ==, 1);
      NbStoreSession *s = g_ptr_array_index (list, 0);
      g_assert_cmpint (s->status, ==, NB_SESSION_ABORTED);
      g_assert_true (g_str_has_prefix (s->error, cases[i].reason));
      /* every stroke measured was recorded */
      g_assert_cmpint (nb_store_count_strokes (store, s->id, &error), ==, strokes);
      g_clear_pointer (&store, nb_store_close);
      g_autofree char *cmd = g_strdup_printf ("rm -rf %s", dir);
      g_assert_cmpint (system (cmd), ==, 0);
    }
}

/* `record --preset`: the preset's target, tolerance and band go with the session, `sessions` and
 * `export` show them, and a 0.2 mm-deep pen's strokes are all too deep for the eyes (0.10–0.40
 * mm). */
static void
test_preset (void)
{
  g_autofree char *dir = g_dir_make_tmp ("nb-rec-preset-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "nb.db", NULL);
  g_autofree char *csv = g_build_filename (dir, "s.csv", NULL);
  CliResult r = { 0 };
  cli_run (&r, "record", "-d", "sim:depth-offset=0.2,depth-gain=1,rate-error=0,time-scale=4",
           "--depth", "0.25", "--rate", "100", "--seconds", "1", "--db", db, "--preset",
           "eyes-thin", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  /* not a treatment preset, or none at all: usage errors, nothing recorded */
  const char *bad[] = { "factory-full", "elbow" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      cli_run (&r, "record", "-d", "sim", "--depth", "0.25", "--rate", "100", "--seconds", "1",
               "--db", db, "--preset", bad[i], NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, "no treatment preset"));
      cli_result_clear (&r);
    }

  cli_run (&r, "sessions", "--db", db, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, NULL));
  JsonArray *list = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  JsonObject *t = json_object_get_object_member (json_array_get_object_element (list, 0), "target");
  g_assert_cmpstr (json_object_get_string_member (t, "profile_id"), ==, "eyes-thin");
  g_assert_cmpfloat (json_object_get_double_member (t, "depth_mm"), ==, 0.25);
  g_assert_cmpfloat (json_object_get_double_member (t, "tolerance_mm"), ==, 0.15);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (t, "band_lo_mm"), 0.10, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (t, "band_hi_mm"), 0.40, 1e-12);
  g_assert_cmpfloat (json_object_get_double_member (t, "rate_tolerance_hz"), ==, 5);
  cli_result_clear (&r);
  cli_run (&r, "sessions", "--db", db, NULL);
  g_assert_nonnull (strstr (r.out, "0.10-0.40mm"));
  cli_result_clear (&r);

  cli_run (&r, "export", "1", "--db", db, "-o", csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  g_autoptr (GPtrArray) rows = parse_csv (csv);
  g_assert_cmpuint (rows->len, >, 50);
  GPtrArray *header = rows->pdata[0];
  g_assert_cmpstr (header->pdata[9], ==, "band");
  for (guint i = 1; i < rows->len; i++)
    {
      GPtrArray *row = rows->pdata[i];
      g_assert_cmpstr (row->pdata[5], ==, "0.2500");
      g_assert_cmpstr (row->pdata[7], ==, "0.1000");
      g_assert_cmpstr (row->pdata[8], ==, "0.4000");
      g_assert_cmpstr (row->pdata[9], ==, "too_deep");
    }
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (rm), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/record/round-trip", test_round_trip);
  g_test_add_func ("/record/preset", test_preset);
  g_test_add_func ("/record/read-only", test_read_only);
  g_test_add_func ("/record/kill-9", test_kill_9);
  g_test_add_func ("/record/incomplete-kept-aborted", test_incomplete_kept_aborted);
  return g_test_run ();
}
