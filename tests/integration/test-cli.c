/* test-cli.c: needlebench-sim on a real pty, the real serial driver and the CLI, end to end:
 * identify, stream, accuracy, faults on the link, a disconnect, usage errors, the CSV. */
#include <math.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cli-harness.h"
#include "nb-cli-json.h"

#define IDEAL "--depth-offset", "0", "--depth-gain", "1", "--rate-error", "0"

static void
test_info_over_pty (void)
{
  g_autofree char *pty = NULL;
  GSubprocess *sim = sim_start (&pty, "--serial", "NB-0042", NULL);
  g_autofree char *uri = g_strdup_printf ("serial:%s", pty);
  CliResult r = { 0 };
  cli_run (&r, "info", "-d", uri, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = cli_json_object (&r, &parser);
  static const char *keys[]
      = { "uri",           "model",        "serial",        "firmware",    "protocol_version",
          "depth_min_mm",  "depth_max_mm", "depth_step_mm", "rate_min_hz", "rate_max_hz",
          "sample_rate_hz" };
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (o, keys[i]));
  g_assert_cmpstr (json_object_get_string_member (o, "serial"), ==, "NB-0042");
  g_assert_cmpstr (json_object_get_string_member (o, "uri"), ==, uri);
  g_assert_cmpint (json_object_get_int_member (o, "protocol_version"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "sample_rate_hz"), ==, 20000);
  g_assert_cmpfloat (json_object_get_double_member (o, "depth_max_mm"), ==, 3.0);
  cli_result_clear (&r);
  sim_stop (sim);
}

static JsonObject *
stream (CliResult *r, JsonParser **parser, const char *uri, const char *depth, const char *rate)
{
  cli_run (r, "stream", "-d", uri, "--depth", depth, "--rate", rate, "--seconds", "2", "--json",
           NULL);
  if (r->status != 0)
    g_error ("stream exited %d: %s", r->status, r->err);
  return cli_json_object (r, parser);
}

static void
test_stream_accuracy (void)
{
  g_autofree char *pty = NULL;
  GSubprocess *sim = sim_start (&pty, IDEAL, "--seed", "11", NULL);
  g_autofree char *uri = g_strdup_printf ("serial:%s", pty);
  CliResult r = { 0 };
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = stream (&r, &parser, uri, "1.0", "100");
  static const char *keys[]
      = { "strokes", "depth_mean_mm", "depth_sd_mm", "depth_min_mm", "depth_max_mm",
          "rate_hz", "samples",       "gaps",        "crc_errors" };
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (o, keys[i]));
  double mean = json_object_get_double_member (o, "depth_mean_mm");
  double rate = json_object_get_double_member (o, "rate_hz");
  g_assert_cmpfloat (fabs (mean - 1.0), <, 0.01);
  g_assert_cmpfloat (fabs (rate - 100.0) / 100.0, <, 0.005);
  g_assert_cmpint (json_object_get_int_member (o, "strokes"), >=, 190);
  g_assert_cmpint (json_object_get_int_member (o, "samples"), >=, 40000);
  g_assert_cmpint (json_object_get_int_member (o, "gaps"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "crc_errors"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (o, "depth_min_mm"), <=, mean);
  g_assert_cmpfloat (json_object_get_double_member (o, "depth_max_mm"), >=, mean);
  cli_result_clear (&r);
  sim_stop (sim);

  /* the same pen 0.1 mm deeper reads 0.1 mm deeper */
  g_autofree char *pty2 = NULL;
  sim = sim_start (&pty2, "--depth-offset", "0.1", "--depth-gain", "1", "--rate-error", "0",
                   "--seed", "11", NULL);
  g_autofree char *uri2 = g_strdup_printf ("serial:%s", pty2);
  g_autoptr (JsonParser) parser2 = NULL;
  o = stream (&r, &parser2, uri2, "1.0", "100");
  double mean2 = json_object_get_double_member (o, "depth_mean_mm");
  g_assert_cmpfloat (fabs (mean2 - mean - 0.1), <, 0.005);
  cli_result_clear (&r);
  sim_stop (sim);
}

static void
test_stream_in_process_and_csv (void)
{
  g_autofree char *dir = g_dir_make_tmp ("nb-cli-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "strokes.csv", NULL);
  CliResult r = { 0 };
  cli_run (&r, "stream", "-d", "sim:depth-offset=0,depth-gain=1,rate-error=0,time-scale=4",
           "--depth", "0.25", "--rate", "150", "--seconds", "2", "--csv", csv, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = cli_json_object (&r, &parser);
  gint64 strokes = json_object_get_int_member (o, "strokes");
  /* 0.25 mm at 150 Hz: the high-rate depth loss (0.02 mm at 150 Hz) is physics, not error */
  g_assert_cmpfloat (fabs (json_object_get_double_member (o, "depth_mean_mm") - 0.23), <, 0.01);
  g_assert_cmpfloat (fabs (json_object_get_double_member (o, "rate_hz") - 150) / 150, <, 0.005);

  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "index,time_s,depth_mm,period_ms");
  g_assert_cmpint (g_strv_length (lines) - 2, ==, strokes); /* header and the final empty split */
  g_auto (GStrv) f = g_strsplit (lines[2], ",", -1);
  g_assert_cmpint (g_strv_length (f), ==, 4);
  g_assert_cmpfloat (fabs (g_ascii_strtod (f[3], NULL) - 1000.0 / 150), <, 0.2);
  cli_result_clear (&r);
  g_remove (csv);
  g_rmdir (dir);
}

static void
test_faulty_link (void)
{
  g_autofree char *pty = NULL;
  /* 1 % of the bytes the pen sends are damaged: half dropped, half with a bit flipped */
  GSubprocess *sim
      = sim_start (&pty, IDEAL, "--drop", "0.005", "--flip", "0.005", "--seed", "2", NULL);
  g_autofree char *uri = g_strdup_printf ("serial:%s", pty);
  CliResult r = { 0 };
  cli_run (&r, "stream", "-d", uri, "--depth", "1", "--rate", "100", "--seconds", "2", "--json",
           NULL);
  /* most batches are lost at that damage rate: measured, but not a complete run */
  g_assert_cmpint (r.status, ==, 4);
  g_assert_nonnull (strstr (r.err, "data incomplete"));
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = cli_json_object (&r, &parser);
  g_assert_false (json_object_get_boolean_member (o, "complete"));
  g_assert_cmpfloat (json_object_get_double_member (o, "loss_fraction"), >, 0.01);
  g_assert_cmpint (json_object_get_int_member (o, "gaps"), >, 0);
  g_assert_cmpint (json_object_get_int_member (o, "crc_errors"), >, 0);
  g_assert_cmpint (json_object_get_int_member (o, "samples"), >, 0);
  /* every stroke that was measured is a real one: nothing measured across a gap */
  if (json_object_get_int_member (o, "strokes") > 0)
    g_assert_cmpfloat (fabs (json_object_get_double_member (o, "depth_mean_mm") - 1.0), <, 0.02);
  cli_result_clear (&r);
  sim_stop (sim);
}

/* The case: 1 % of the bytes flipped loses most strokes; that is not a measurement. */
static void
test_incomplete_data (void)
{
  CliResult r = { 0 };
  cli_run (&r, "stream", "-d", "sim:flip=0.01,time-scale=4", "--depth", "1", "--rate", "100",
           "--seconds", "3", "--json", NULL);
  g_assert_cmpint (r.status, ==, 4);
  g_assert_true (g_str_has_prefix (r.err, "needlebench-cli stream: data incomplete: "));
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = cli_json_object (&r, &parser);
  g_assert_false (json_object_get_boolean_member (o, "complete"));
  gint64 samples = json_object_get_int_member (o, "samples");
  gint64 lost = json_object_get_int_member (o, "lost_samples");
  g_assert_cmpint (lost, >, 0);
  g_assert_cmpfloat (fabs (json_object_get_double_member (o, "loss_fraction")
                           - (double) lost / (double) (samples + lost)),
                     <, 1e-6);
  g_assert_cmpint (json_object_get_int_member (o, "strokes"), <, 150);
  cli_result_clear (&r);

  /* a clean run is complete, with nothing lost */
  cli_run (&r, "stream", "-d", "sim:time-scale=4", "--depth", "1", "--rate", "100", "--seconds",
           "1", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser2 = NULL;
  o = cli_json_object (&r, &parser2);
  g_assert_true (json_object_get_boolean_member (o, "complete"));
  g_assert_cmpfloat (json_object_get_double_member (o, "loss_fraction"), ==, 0.0);
  cli_result_clear (&r);

  /* --max-loss is a fraction */
  static const char *bad[] = { "1.5", "-0.1", "nan", "inf", "lots" };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      cli_run (&r, "stream", "-d", "sim", "--depth", "1", "--rate", "100", "--seconds", "1",
               "--max-loss", bad[i], NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, "--max-loss"));
      g_assert_nonnull (strstr (r.err, bad[i]));
      cli_result_clear (&r);
    }
}

/* The case: a pen whose sample counter jumps to 2^64 - 5000 reported lost_samples
 * -10000, duration_s 9.2e14 and exit 0. It is a broken stream: exit 4, the data before it kept. */
static void
test_broken_stream (void)
{
  CliResult r = { 0 };
  cli_run (&r, "stream", "-d", "sim:index-jump=1,time-scale=4", "--depth", "1", "--rate", "100",
           "--seconds", "5", "--json", NULL);
  g_assert_cmpint (r.status, ==, 4);
  g_assert_nonnull (strstr (r.err, "broken telemetry stream"));
  g_assert_nonnull (strstr (r.err, "18446744073709546616"));
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = cli_json_object (&r, &parser);
  g_assert_false (json_object_get_boolean_member (o, "complete"));
  g_assert_cmpint (json_object_get_int_member (o, "lost_samples"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "gaps"), ==, 0);
  /* the second before the jump, no more */
  double duration = json_object_get_double_member (o, "duration_s");
  g_assert_cmpfloat (duration, >, 0.5);
  g_assert_cmpfloat (duration, <=, 1.1);
  g_assert_cmpint (json_object_get_int_member (o, "samples"), ==, (gint64) (duration * 20000));
  g_assert_cmpint (json_object_get_int_member (o, "strokes"), >, 40);
  cli_result_clear (&r);
}

static void
test_disconnect (void)
{
  g_autofree char *pty = NULL;
  GSubprocess *sim = sim_start (&pty, "--disconnect", "1.0", NULL);
  g_autofree char *uri = g_strdup_printf ("serial:%s", pty);
  CliResult r = { 0 };
  cli_run (&r, "stream", "-d", uri, "--depth", "1", "--rate", "100", "--seconds", "10", NULL);
  g_assert_cmpint (r.status, ==, 3);
  /* the link drops 1 s after the sim started; the CLI must say so within 2 s of that */
  g_assert_cmpfloat (r.seconds, <, 3.0);
  g_assert_true (g_str_has_prefix (r.err, "needlebench-cli stream: "));
  g_assert_nonnull (strstr (r.err, pty));
  g_assert_cmpint (strchr (r.err, '\n') - r.err, ==, (long) strlen (r.err) - 1); /* one line */
  cli_result_clear (&r);
  sim_stop (sim);
}

static void
test_usage_errors (void)
{
  CliResult r = { 0 };
  cli_run (&r, "stream", "-d", "sim", "--rate", "100", "--seconds", "1", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--depth"));
  cli_result_clear (&r);
  cli_run (&r, "frobnicate", NULL);
  g_assert_cmpint (r.status, ==, 2);
  cli_result_clear (&r);
  cli_run (&r, "stream", "-d", "sim", "--depth", "9", "--rate", "100", "--seconds", "1", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "0.00 to 3.00 mm"));
  cli_result_clear (&r);
  cli_run (&r, "info", "-d", "bogus:thing", NULL);
  g_assert_cmpint (r.status, ==, 2);
  cli_result_clear (&r);
  cli_run (&r, "info", "-d", "serial:/dev/nonexistent-port", NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_nonnull (strstr (r.err, "/dev/nonexistent-port"));
  cli_result_clear (&r);
  cli_run (&r, "stream", "-d", "sim:no-cartridge", "--depth", "1", "--rate", "100", "--seconds",
           "1", NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_nonnull (strstr (r.err, "cartridge"));
  cli_result_clear (&r);
  cli_run (&r, "stream", "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "--seconds"));
  cli_result_clear (&r);
}

/* Numbers in: a depth off the pen's grid is refused naming the nearest settable ones (the driver
 * used to round 1.0004 mm to 1.000 mm); NaN and infinities are refused naming the option (GOption
 * parses them as numbers, and NaN meant "not given"). */
static void
test_numbers_in (void)
{
  CliResult r = { 0 };
  static const struct
  {
    const char *depth, *nearest;
  } off_grid[] = {
    { "1.0004", "nearest: 1.00 mm or 1.05 mm" },
    { "0.999", "nearest: 0.95 mm or 1.00 mm" },
    { "2.98", "nearest: 2.95 mm or 3.00 mm" },
    { "3.2", "nearest: 3.00 mm (the largest)" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (off_grid); i++)
    {
      cli_run (&r, "stream", "-d", "sim", "--depth", off_grid[i].depth, "--rate", "100",
               "--seconds", "1", NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_autofree char *what = g_strdup_printf ("--depth %s mm is not settable", off_grid[i].depth);
      g_assert_nonnull (strstr (r.err, what));
      g_assert_nonnull (strstr (r.err, off_grid[i].nearest));
      g_assert_cmpstr (r.out, ==, "");
      cli_result_clear (&r);
    }
  /* record refuses it before creating a session */
  g_autofree char *dir = g_dir_make_tmp ("nb-num-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "nb.db", NULL);
  cli_run (&r, "record", "-d", "sim", "--depth", "1.0004", "--rate", "100", "--seconds", "1",
           "--db", db, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
  cli_result_clear (&r);
  g_rmdir (dir);

  /* on the grid, written any way */
  static const char *good[] = { "1.05", "1.050", "0.35", "3", "0" };
  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      cli_run (&r, "stream", "-d", "sim:time-scale=20", "--depth", good[i], "--rate", "100",
               "--seconds", "0.5", NULL);
      g_assert_cmpint (r.status, ==, 0);
      cli_result_clear (&r);
    }

  static const char *options[] = { "--depth", "--rate", "--seconds", "--max-loss" };
  static const char *bad[] = { "nan", "NaN", "inf", "-inf", "infinity", "1e999", "1.0x", "" };
  for (gsize o = 0; o < G_N_ELEMENTS (options); o++)
    for (gsize b = 0; b < G_N_ELEMENTS (bad); b++)
      {
        const char *v[] = { "1", "100", "1", "0.01" };
        v[o] = bad[b];
        cli_run (&r, "stream", "-d", "sim", "--depth", v[0], "--rate", v[1], "--seconds", v[2],
                 "--max-loss", v[3], NULL);
        g_assert_cmpint (r.status, ==, 2);
        g_autofree char *named
            = g_strdup_printf ("needlebench-cli stream: %s: “%s” is not a", options[o], bad[b]);
        g_assert_true (g_str_has_prefix (r.err, named));
        cli_result_clear (&r);
      }
}

/* Numbers out, the writer itself: exact text, figures rounded to their decimals and printed
 * without json-glib's 17 significant digits (1.0592 was 1.0591999999999999). */
static void
test_json_text (void)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  nb_cli_json_fixed (b, "depth_mean_mm", 1.0592103388976641, 4);
  nb_cli_json_fixed (b, "rate_hz", 101.20608637579281, 3);
  nb_cli_json_fixed (b, "duration_s", 0.99499999999999999, 5);
  nb_cli_json_fixed (b, "set_rate_hz", 100.0, 3);
  nb_cli_json_fixed (b, "small", -0.00001, 4);
  nb_cli_json_fixed (b, "none", NAN, 4);
  json_builder_set_member_name (b, "step_mm");
  json_builder_add_double_value (b, 0.05);
  json_builder_set_member_name (b, "tiny");
  json_builder_add_double_value (b, 1.25e-9);
  json_builder_set_member_name (b, "n");
  json_builder_add_int_value (b, -3);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "name \"q\"");
  json_builder_add_string_value (b, "a\tb\n\x01");
  json_builder_set_member_name (b, "list");
  json_builder_begin_array (b);
  json_builder_add_double_value (b, 0.1 + 0.2);
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = nb_cli_json_to_text (root);
  g_assert_cmpstr (text, ==,
                   "{\n"
                   "  \"depth_mean_mm\" : 1.0592,\n"
                   "  \"rate_hz\" : 101.206,\n"
                   "  \"duration_s\" : 0.995,\n"
                   "  \"set_rate_hz\" : 100.0,\n"
                   "  \"small\" : 0.0,\n"
                   "  \"none\" : null,\n"
                   "  \"step_mm\" : 0.05,\n"
                   "  \"tiny\" : 1.25e-09,\n"
                   "  \"n\" : -3,\n"
                   "  \"ok\" : true,\n"
                   "  \"name \\\"q\\\"\" : \"a\\tb\\n\\u0001\",\n"
                   "  \"list\" : [\n"
                   "    0.30000000000000004,\n"
                   "    {}\n"
                   "  ]\n"
                   "}");
  /* and it is JSON that reads back to the same values */
  g_autoptr (JsonParser) p = json_parser_new ();
  g_assert_true (json_parser_load_from_data (p, text, -1, NULL));
  JsonObject *o = json_node_get_object (json_parser_get_root (p));
  g_assert_cmpfloat (json_object_get_double_member (o, "depth_mean_mm"), ==, 1.0592);
  g_assert_cmpstr (json_object_get_string_member (o, "name \"q\""), ==, "a\tb\n\x01");
}

/* Numbers out, a run: every figure with its precision, no more. */
static void
test_numbers_out (void)
{
  g_autofree char *dir = g_dir_make_tmp ("nb-out-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "strokes.csv", NULL);
  CliResult r = { 0 };
  cli_run (&r, "stream", "-d", "sim:time-scale=4", "--depth", "1", "--rate", "100", "--seconds",
           "1", "--json", "--csv", csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  static const struct
  {
    const char *key;
    int decimals;
  } figures[] = {
    { "set_depth_mm", 3 },  { "set_rate_hz", 3 }, { "duration_s", 5 },
    { "depth_mean_mm", 4 }, { "depth_sd_mm", 4 }, { "depth_min_mm", 4 },
    { "depth_max_mm", 4 },  { "rate_hz", 3 },     { "entry_speed_mean_mm_s", 1 },
    { "loss_fraction", 6 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      g_autofree char *pattern = g_strdup_printf ("\n  \"%s\" : -?[0-9]+\\.[0-9]{1,%d},?\n",
                                                  figures[i].key, figures[i].decimals);
      if (!g_regex_match_simple (pattern, r.out, 0, 0))
        g_error ("%s not printed with at most %d decimals:\n%s", figures[i].key,
                 figures[i].decimals, r.out);
    }
  g_assert_true (
      g_regex_match_simple ("\n  \"depth_mean_mm\" : 1\\.0[5-6][0-9]{1,2},\n", r.out, 0, 0));
  cli_result_clear (&r);

  /* CSV rows: time to the sample (20 kHz: 5 decimals), depth to 0.1 µm, period to 0.1 µs */
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "index,time_s,depth_mm,period_ms");
  for (guint i = 2; lines[i] && *lines[i]; i++)
    if (!g_regex_match_simple ("^[0-9]+,[0-9]+\\.[0-9]{5},-?[0-9]+\\.[0-9]{4},[0-9]+\\.[0-9]{4}$",
                               lines[i], 0, 0))
      g_error ("CSV row %u: %s", i, lines[i]);
  g_remove (csv);
  g_rmdir (dir);
}

static void
test_list (void)
{
  CliResult r = { 0 };
  cli_run (&r, "list", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, NULL));
  JsonArray *a = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (a), >=, 1);
  JsonObject *first = json_array_get_object_element (a, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "uri"), ==, "sim");
  g_assert_cmpstr (json_object_get_string_member (first, "transport"), ==, "sim");
  g_assert_cmpstr (json_object_get_string_member (first, "state"), ==, "pen");
  g_assert_true (json_object_get_boolean_member (first, "probed"));
  cli_result_clear (&r);
}

/* A port no transport lists (a pty) is probed when named with --port, and only then; a named
 * port that is not there is listed as such, not dropped. */
static void
test_list_named_port (void)
{
  g_autofree char *pty = NULL;
  GSubprocess *sim = sim_start (&pty, "--serial", "NB-0077", NULL);
  g_autofree char *uri = g_strdup_printf ("serial:%s", pty);
  CliResult r = { 0 };
  cli_run (&r, "list", "--no-sim", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strstr (r.out, uri));
  cli_result_clear (&r);

  cli_run (&r, "list", "--no-sim", "--json", "--port", pty, "--port", "/dev/nb-no-such-port", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, NULL));
  JsonArray *a = json_node_get_array (json_parser_get_root (parser));
  gboolean seen_pen = FALSE, seen_missing = FALSE;
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);
      const char *u = json_object_get_string_member (o, "uri");
      if (g_str_equal (u, uri))
        {
          g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "pen");
          g_assert_cmpstr (json_object_get_string_member (o, "serial"), ==, "NB-0077");
          g_assert_cmpstr (json_object_get_string_member (o, "transport"), ==, "serial");
          seen_pen = TRUE;
        }
      else if (g_str_equal (u, "serial:/dev/nb-no-such-port"))
        {
          g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "no answer");
          g_assert_true (json_object_get_boolean_member (o, "probed"));
          g_assert_nonnull (strstr (json_object_get_string_member (o, "port"), "not found"));
          seen_missing = TRUE;
        }
    }
  g_assert_true (seen_pen);
  g_assert_true (seen_missing);
  cli_result_clear (&r);
  sim_stop (sim);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/info-over-pty", test_info_over_pty);
  g_test_add_func ("/cli/stream-accuracy", test_stream_accuracy);
  g_test_add_func ("/cli/stream-in-process-and-csv", test_stream_in_process_and_csv);
  g_test_add_func ("/cli/faulty-link", test_faulty_link);
  g_test_add_func ("/cli/incomplete-data", test_incomplete_data);
  g_test_add_func ("/cli/broken-stream", test_broken_stream);
  g_test_add_func ("/cli/disconnect", test_disconnect);
  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/numbers-in", test_numbers_in);
  g_test_add_func ("/cli/json-text", test_json_text);
  g_test_add_func ("/cli/numbers-out", test_numbers_out);
  g_test_add_func ("/cli/list", test_list);
  g_test_add_func ("/cli/list-named-port", test_list_named_port);
  return g_test_run ();
}
