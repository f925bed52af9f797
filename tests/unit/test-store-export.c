/* test-store-export.c: CSV and JSON export: header-first CSV, figures to the measurement's
 * precision, errors leave nothing behind. Part of the test-store program (see test-store.c). */
#include "nb-audit.h"
#include "nb-export.h"
#include "nb-recorder.h"
#include "nb-store-private.h"
#include "store-test-util.h"

#include <csv.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

typedef struct
{
  GPtrArray *rows; /* of GPtrArray of char* */
  GPtrArray *cur;
} CsvRows;

static void
csv_field_cb (void *s, size_t len, void *data)
{
  CsvRows *r = data;
  if (r->cur == NULL)
    r->cur = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (r->cur, g_strndup (s ? s : "", len));
}

static void
csv_row_cb (int c, void *data)
{
  CsvRows *r = data;
  if (r->cur == NULL)
    r->cur = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (r->rows, r->cur);
  r->cur = NULL;
}

static GPtrArray *
parse_csv (const char *path)
{
  g_autofree char *text = NULL;
  gsize len;
  GError *error = NULL;
  g_assert_true (g_file_get_contents (path, &text, &len, &error));
  struct csv_parser p;
  g_assert_cmpint (csv_init (&p, CSV_STRICT | CSV_STRICT_FINI), ==, 0);
  CsvRows r = { g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref), NULL };
  g_assert_cmpuint (csv_parse (&p, text, len, csv_field_cb, csv_row_cb, &r), ==, len);
  g_assert_cmpint (csv_fini (&p, csv_field_cb, csv_row_cb, &r), ==, 0);
  csv_free (&p);
  return r.rows;
}

/* assert_csv_reads_plainly: a data-frame reader with no options (pandas.read_csv if installed,
 * else Python's csv.DictReader) finds @n_rows rows, and @column's last value is @last. */
static void
assert_csv_reads_plainly (const char *path, guint n_rows, const char *column, const char *last)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  if (python == NULL)
    {
      g_test_message ("python3 not found: data-frame reading not checked");
      return;
    }
  const char *script = "import sys\n"
                       "try:\n"
                       "    import pandas\n"
                       "    df = pandas.read_csv(sys.argv[1])\n"
                       "    print(len(df), repr(float(df[sys.argv[2]].iloc[-1])))\n"
                       "except ImportError:\n"
                       "    import csv\n"
                       "    rows = list(csv.DictReader(open(sys.argv[1], newline='')))\n"
                       "    print(len(rows), repr(float(rows[-1][sys.argv[2]])))\n";
  const char *argv[] = { python, "-c", script, path, column, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_autofree char *want = g_strdup_printf ("%u %s\n", n_rows, last);
  if (strchr (last, '.') == NULL)
    {
      g_free (want);
      want = g_strdup_printf ("%u %s.0\n", n_rows, last);
    }
  g_assert_cmpstr (out, ==, want);
}

static const char *
cell (GPtrArray *rows, guint row, guint col)
{
  GPtrArray *r = rows->pdata[row];
  g_assert_cmpuint (col, <, r->len);
  return r->pdata[col];
}

static void
assert_no_temp_files (const char *dir, guint expected_files)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_assert_false (g_str_has_prefix (name, ".")); /* no temporary export left */
      n++;
    }
  g_dir_close (d);
  g_assert_cmpuint (n, ==, expected_files);
}

static void
test_export_csv (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "exp.db");
  g_autofree char *out_dir = g_build_filename (dir, "out", NULL);
  g_autofree char *csv = g_build_filename (out_dir, "strokes.csv", NULL);
  g_autofree char *csv_samples = g_build_filename (out_dir, "samples.csv", NULL);
  GError *error = NULL;
  gint64 id = record_session (path, 50, 20);
  g_assert_cmpint (g_mkdir (out_dir, 0700), ==, 0);
  g_autoptr (NbStore) store = nb_store_open (path, &error);
  g_assert_no_error (error);

  g_assert_true (
      nb_export_session (store, id, NB_EXPORT_CSV, FALSE, csv, NB_EXPORT_DEFAULT, &error));
  g_assert_no_error (error);
  /* the table starts with its header row; figures to the measurement's precision */
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  /* no target recorded: its columns are empty */
  g_assert_true (g_str_has_prefix (text, "index,time_s,depth_mm,period_ms,entry_speed_mm_s,"
                                         "target_mm,tolerance_mm,band_lo_mm,band_hi_mm,band\r\n"
                                         "0,0.00035,1.5000,,500.0,,,,,\r\n"
                                         "1,0.00700,1.5010,6.667,500.3,,,,,\r\n"
                                         "2,0.01365,1.5020,6.667,500.7,,,,,\r\n"
                                         "3,0.02030,1.5030,6.667,,,,,,\r\n"));
  assert_csv_reads_plainly (csv, 50, "depth_mm", "1.515");
  g_autoptr (GPtrArray) rows = parse_csv (csv);
  const char *want_header[] = { "index", "time_s", "depth_mm", "period_ms", "entry_speed_mm_s" };
  for (guint c = 0; c < 5; c++)
    g_assert_cmpstr (cell (rows, 0, c), ==, want_header[c]);
  g_assert_cmpuint (rows->len, ==, 1 + 50);
  for (guint i = 0; i < 50; i++)
    {
      NbStoreStroke want = make_stroke (i);
      guint r = 1 + i;
      g_assert_cmpuint (g_ascii_strtoull (cell (rows, r, 0), NULL, 10), ==, i);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cell (rows, r, 1), NULL), want.time_s,
                                      0.5e-5);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cell (rows, r, 2), NULL), want.depth_mm,
                                      0.5e-4);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cell (rows, r, 3), NULL),
                                      want.period_s * 1000, 0.5e-3);
      if (isnan (want.entry_speed_mm_s))
        g_assert_cmpstr (cell (rows, r, 4), ==, "");
      else
        g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cell (rows, r, 4), NULL),
                                        want.entry_speed_mm_s, 0.05);
    }

  g_assert_true (
      nb_export_session (store, id, NB_EXPORT_CSV, TRUE, csv_samples, NB_EXPORT_DEFAULT, &error));
  g_autofree char *stext = NULL;
  g_assert_true (g_file_get_contents (csv_samples, &stext, NULL, NULL));
  g_assert_true (g_str_has_prefix (stext, "sample_index,position_um\r\n0,-1500\r\n1,-1499\r\n"));
  assert_csv_reads_plainly (csv_samples, 2000, "position_um", "499");
  g_autoptr (GPtrArray) srows = parse_csv (csv_samples);
  g_assert_cmpuint (srows->len, ==, 1 + 2000);
  g_assert_cmpstr (cell (srows, 1 + 1234, 0), ==, "1234");
  g_assert_cmpint (atoi (cell (srows, 1 + 1234, 1)), ==, 1234 % 3001 - 1500);

  /* errors leave nothing behind */
  g_autofree char *bad = g_build_filename (out_dir, "missing.csv", NULL);
  g_assert_false (
      nb_export_session (store, id + 77, NB_EXPORT_CSV, FALSE, bad, NB_EXPORT_DEFAULT, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_autofree char *nodir = g_build_filename (dir, "no", "such", "dir.csv", NULL);
  g_assert_false (
      nb_export_session (store, id, NB_EXPORT_CSV, FALSE, nodir, NB_EXPORT_DEFAULT, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_IO);
  g_clear_error (&error);
  assert_no_temp_files (out_dir, 2);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_export_json (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "exp.db");
  g_autofree char *json = g_build_filename (dir, "strokes.json", NULL);
  g_autofree char *json_samples = g_build_filename (dir, "samples.json", NULL);
  GError *error = NULL;
  gint64 id = record_session (path, 40, 10);
  g_autoptr (NbStore) store = nb_store_open (path, &error);
  g_assert_no_error (error);

  g_assert_true (
      nb_export_session (store, id, NB_EXPORT_JSON, FALSE, json, NB_EXPORT_DEFAULT, &error));
  g_assert_no_error (error);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_file (parser, json, &error));
  g_assert_no_error (error);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  JsonObject *meta = json_object_get_object_member (root, "session");
  g_assert_cmpint (json_object_get_int_member (meta, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (meta, "note"), ==, NOTE);
  g_assert_cmpstr (json_object_get_string_member (meta, "operator"), ==, "alice");
  g_assert_cmpstr (json_object_get_string_member (meta, "status"), ==, "complete");
  g_assert_true (json_object_get_null_member (meta, "error"));
  g_assert_cmpstr (json_object_get_string_member (meta, "pen_serial"), ==, "NB-0042");
  g_assert_true (json_object_get_null_member (meta, "target"));
  /* the figures as text: short, to the measurement's precision (json-glib alone would print
   * 17 significant digits) */
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (json, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"depth_mm\":1.5000,\"rate_hz\":150.000,"
                                  "\"sample_rate_hz\":20000.000,"));
  g_assert_nonnull (strstr (text,
                            "\n{\"index\":0,\"time_s\":0.00035,\"depth_mm\":1.5000,"
                            "\"period_ms\":null,\"entry_speed_mm_s\":500.0,\"band\":null},\n"));
  g_assert_nonnull (strstr (text,
                            "\n{\"index\":1,\"time_s\":0.00700,\"depth_mm\":1.5010,"
                            "\"period_ms\":6.667,\"entry_speed_mm_s\":500.3,\"band\":null},\n"));
  g_assert_nonnull (strstr (text,
                            "\n{\"index\":3,\"time_s\":0.02030,\"depth_mm\":1.5030,"
                            "\"period_ms\":6.667,\"entry_speed_mm_s\":null,\"band\":null},\n"));
  JsonArray *strokes = json_object_get_array_member (root, "strokes");
  g_assert_cmpuint (json_array_get_length (strokes), ==, 40);
  for (guint i = 0; i < 40; i++)
    {
      NbStoreStroke want = make_stroke (i);
      JsonObject *o = json_array_get_object_element (strokes, i);
      g_assert_cmpint (json_object_get_int_member (o, "index"), ==, i);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "time_s"), want.time_s,
                                      0.5e-5);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "depth_mm"), want.depth_mm,
                                      0.5e-4);
      if (isnan (want.entry_speed_mm_s))
        g_assert_true (json_object_get_null_member (o, "entry_speed_mm_s"));
      else
        g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "entry_speed_mm_s"),
                                        want.entry_speed_mm_s, 0.05);
    }

  g_assert_true (
      nb_export_session (store, id, NB_EXPORT_JSON, TRUE, json_samples, NB_EXPORT_DEFAULT, &error));
  g_autoptr (JsonParser) p2 = json_parser_new ();
  g_assert_true (json_parser_load_from_file (p2, json_samples, &error));
  g_assert_no_error (error);
  JsonArray *samples
      = json_object_get_array_member (json_node_get_object (json_parser_get_root (p2)), "samples");
  g_assert_cmpuint (json_array_get_length (samples), ==, 1000);
  JsonObject *o = json_array_get_object_element (samples, 777);
  g_assert_cmpint (json_object_get_int_member (o, "sample_index"), ==, 777);
  g_assert_cmpint (json_object_get_int_member (o, "position_um"), ==, 777 % 3001 - 1500);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

void
test_store_add_export_tests (void)
{
  nb_test_add_func ("/store/export-csv", test_export_csv);
  nb_test_add_func ("/store/export-json", test_export_json);
}
