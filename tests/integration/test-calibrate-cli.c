/* test-calibrate-cli.c: `needlebench-cli calibrate`, `runs` and `run show` end to end on in-process
 * simulated stations (a `sim:` pen and the `sim-fixture:` mounted on it) with a temporary
 * database holding the fixtures' reference standards: a good pen passes (exit 0) with the keys of
 * docs/cli.md; an offset pen fails as-found with --no-adjust (exit 1, as_left null); no standard
 * is a usage error naming `standards add` (exit 2); a jammed motor a device error (exit 3); two
 * stations give two runs in one array; `runs` lists them; `run show --json` is the calibrate
 * document again; --raw lets the test recompute a mean; --reference pen is not traceable; SIGTERM
 * stops the motor, exits 143 and leaves the run cancelled. */
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli-harness.h"
#include "nb-store-runs.h"
#include "nb-store.h"

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

/* A pen with no depth or rate error: whatever the rule, every point passes as found. */
#define GOOD                                                                                       \
  "depth-offset=0,depth-gain=1,nonlinearity=0,drift=0,rate-loss=0,rate-error=0,time-scale=20"
#define PROFILE "cheek-chin-thick"

typedef struct
{
  char *dir;
  char *db;
} Bench;

static void
bench_init (Bench *b, gboolean with_standards)
{
  b->dir = g_dir_make_tmp ("nb-calibrate-XXXXXX", NULL);
  g_assert_nonnull (b->dir);
  b->db = g_build_filename (b->dir, "nb.db", NULL);
  if (!with_standards)
    return;
  const char *const serials[] = { "NB-FIX-SIM-0001", "FIX-A", "FIX-B" };
  for (gsize i = 0; i < G_N_ELEMENTS (serials); i++)
    {
      g_auto (CliResult) r = { 0 };
      cli_run (&r, "standards", "add", "--serial", serials[i], "--certificate", "CAL-1",
               "--uncertainty-mm", "0.0010", "--k", "2", "--due", "2099-12-31", "--db", b->db,
               NULL);
      g_assert_cmpint (r.status, ==, 0);
    }
}

static void
bench_clear (Bench *b)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", b->dir);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (b->db);
  g_free (b->dir);
}

/* calibrate with the NULL-terminated arguments, then "--db" DB. */
static void calibrate (CliResult *r, Bench *b, const char *first, ...) G_GNUC_NULL_TERMINATED;

static void
calibrate (CliResult *r, Bench *b, const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, "calibrate");
  va_list ap;
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, b->db);
  g_ptr_array_add (argv, NULL);
  cli_runv (r, (const char *const *) argv->pdata);
  g_test_message ("exit %d\n%s%s", r->status, r->out, r->err);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr (JsonParser) p = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (json_parser_load_from_data (p, text, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (p));
}

static void
assert_entry (JsonObject *e)
{
  const char *const keys[]
      = { "n", "mean_mm", "sd_mm", "error_mm", "u_mm", "U_mm", "k", "nu_eff", "verdict", "pfa" };
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (e, keys[i]));
}

/* The document of one station: the keys of docs/cli.md, and the values a run of @profile
 * against @fixture must have. */
typedef enum
{
  AS_LEFT_NULL,
  AS_LEFT_MEASURED,
} AsLeft;

static void
assert_document (JsonObject *o, const char *serial, const char *fixture, AsLeft as_left)
{
  const char *const keys[]
      = { "run",     "profile",   "serial", "fixture",     "rule",      "adjusted",
          "verdict", "traceable", "points", "rate_points", "indication" };
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (!json_object_has_member (o, keys[i]))
        g_error ("the document has no “%s”", keys[i]);
    }
  g_assert_cmpint (json_object_get_int_member (o, "run"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "profile"), ==, PROFILE);
  g_assert_cmpstr (json_object_get_string_member (o, "serial"), ==, serial);
  if (fixture)
    g_assert_cmpstr (json_object_get_string_member (o, "fixture"), ==, fixture);
  else
    g_assert_true (json_object_get_null_member (o, "fixture"));
  g_assert_cmpstr (json_object_get_string_member (o, "rule"), ==, "guarded"); /* the profile's */
  JsonArray *points = json_object_get_array_member (o, "points");
  g_assert_cmpuint (json_array_get_length (points), ==, 3); /* 1, 1.5, 2 mm at 100 Hz */
  const double targets[] = { 1.0, 1.5, 2.0 };
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *p = json_array_get_object_element (points, i);
      g_assert_cmpfloat (json_object_get_double_member (p, "target_mm"), ==, targets[i]);
      g_assert_cmpfloat (json_object_get_double_member (p, "rate_hz"), ==, 100.0);
      JsonObject *af = json_object_get_object_member (p, "as_found");
      assert_entry (af);
      g_assert_cmpint (json_object_get_int_member (af, "n"), ==, 30);
      if (as_left == AS_LEFT_MEASURED)
        assert_entry (json_object_get_object_member (p, "as_left"));
      else
        g_assert_true (json_object_get_null_member (p, "as_left"));
    }
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "rate_points")), ==, 1);
}

static void
test_good_pen (void)
{
  Bench b;
  bench_init (&b, TRUE);
  g_auto (CliResult) r = { 0 };
  calibrate (&r, &b, "-d", "sim:serial=GOOD-1," GOOD, "--fixture", "sim-fixture:pen=GOOD-1",
             "--profile", PROFILE, "--operator", "alice", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonNode) root = parse (r.out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  JsonObject *o = json_node_get_object (root);
  /* in tolerance as found: no adjustment needed, so no as-left */
  assert_document (o, "GOOD-1", "NB-FIX-SIM-0001", AS_LEFT_NULL);
  g_assert_false (json_object_get_boolean_member (o, "adjusted"));
  g_assert_cmpstr (json_object_get_string_member (o, "verdict"), ==, "pass");
  g_assert_true (json_object_get_boolean_member (o, "traceable"));
  /* within 0.02 mm of every target as found: the pen has no depth error */
  JsonArray *points = json_object_get_array_member (o, "points");
  for (guint i = 0; i < json_array_get_length (points); i++)
    {
      JsonObject *af
          = json_object_get_object_member (json_array_get_object_element (points, i), "as_found");
      g_assert_cmpfloat (fabs (json_object_get_double_member (af, "error_mm")), <=, 0.02);
      g_assert_cmpstr (json_object_get_string_member (af, "verdict"), ==, "pass");
    }

  /* run show --json prints the very text calibrate --json printed */
  g_autofree char *id_text
      = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (o, "run"));
  g_auto (CliResult) s = { 0 };
  cli_run (&s, "run", "show", id_text, "--json", "--db", b.db, NULL);
  g_assert_cmpint (s.status, ==, 0);
  g_assert_cmpstr (s.out, ==, r.out);

  /* the human output: a table, the verdict */
  g_auto (CliResult) t = { 0 };
  calibrate (&t, &b, "-d", "sim:serial=GOOD-2," GOOD, "--fixture", "sim-fixture:pen=GOOD-2",
             "--profile", PROFILE, "--no-adjust", NULL);
  g_assert_cmpint (t.status, ==, 0);
  g_assert_nonnull (strstr (t.out, "As found: depth\n"));
  g_assert_nonnull (strstr (t.out, "Verdict:    pass\n"));
  g_assert_null (strstr (t.out, "As left"));
  bench_clear (&b);
}

static void
test_offset_pen_fails (void)
{
  Bench b;
  bench_init (&b, TRUE);
  g_auto (CliResult) r = { 0 };
  calibrate (&r, &b, "-d", "sim:serial=OFF-1,depth-offset=0.12,depth-gain=1.04,time-scale=20",
             "--fixture", "sim-fixture:pen=OFF-1", "--profile", PROFILE, "--no-adjust", "--json",
             NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_autoptr (JsonNode) root = parse (r.out);
  JsonObject *o = json_node_get_object (root);
  assert_document (o, "OFF-1", "NB-FIX-SIM-0001", AS_LEFT_NULL);
  g_assert_cmpstr (json_object_get_string_member (o, "verdict"), ==, "fail");
  g_assert_false (json_object_get_boolean_member (o, "adjusted"));
  /* at 2 mm: 0.12 + 0.04 · 2 = 0.20 mm too deep */
  JsonObject *last = json_object_get_object_member (
      json_array_get_object_element (json_object_get_array_member (o, "points"), 2), "as_found");
  g_assert_cmpfloat (json_object_get_double_member (last, "error_mm"), >, 0.15);
  g_assert_cmpstr (json_object_get_string_member (last, "verdict"), ==, "fail");
  bench_clear (&b);
}

/* Without --no-adjust the same pen is adjusted and passes as left: exit 0, every as_left there. */
static void
test_offset_pen_adjusted (void)
{
  Bench b;
  bench_init (&b, TRUE);
  g_autofree char *eeprom = g_build_filename (b.dir, "eeprom", NULL);
  g_autofree char *pen
      = g_strdup_printf ("sim:serial=ADJ-1,depth-offset=0.12,depth-gain=1.04,time-scale=20,"
                         "eeprom=%s",
                         eeprom);
  g_auto (CliResult) r = { 0 };
  calibrate (&r, &b, "-d", pen, "--fixture", "sim-fixture:pen=ADJ-1", "--profile", PROFILE,
             "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonNode) root = parse (r.out);
  JsonObject *o = json_node_get_object (root);
  assert_document (o, "ADJ-1", "NB-FIX-SIM-0001", AS_LEFT_MEASURED);
  g_assert_true (json_object_get_boolean_member (o, "adjusted"));
  g_assert_cmpstr (json_object_get_string_member (o, "verdict"), ==, "pass");
  JsonArray *points = json_object_get_array_member (o, "points");
  JsonObject *found
      = json_object_get_object_member (json_array_get_object_element (points, 2), "as_found");
  JsonObject *left
      = json_object_get_object_member (json_array_get_object_element (points, 2), "as_left");
  g_assert_cmpstr (json_object_get_string_member (found, "verdict"), ==, "fail");
  g_assert_cmpfloat (fabs (json_object_get_double_member (left, "error_mm")), <=, 0.02);
  g_assert_false (json_object_get_null_member (o, "table_after"));

  /* the text: both phases */
  g_auto (CliResult) s = { 0 };
  g_autofree char *id
      = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (o, "run"));
  cli_run (&s, "run", "show", id, "--db", b.db, NULL);
  g_assert_cmpint (s.status, ==, 0);
  g_auto (CliResult) j = { 0 };
  cli_run (&j, "run", "show", id, "--json", "--db", b.db, NULL);
  g_assert_cmpint (j.status, ==, 0);
  g_assert_cmpstr (j.out, ==, r.out); /* tables, both phases: the same text */
  g_assert_nonnull (strstr (s.out, "As found: depth\n"));
  g_assert_nonnull (strstr (s.out, "As left: depth\n"));
  g_assert_nonnull (strstr (s.out, "Adjusted:   yes"));
  bench_clear (&b);
}

static void
test_no_standard (void)
{
  Bench b;
  bench_init (&b, FALSE);
  g_auto (CliResult) r = { 0 };
  calibrate (&r, &b, "-d", "sim:serial=NS-1," GOOD, "--fixture", "sim-fixture:pen=NS-1",
             "--profile", PROFILE, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "needlebench-cli calibrate: "));
  g_assert_nonnull (strstr (r.err, "`needlebench-cli standards add --serial NB-FIX-SIM-0001"));

  /* the run that ended in its pre-checks is stored and says why it is not traceable: for want
   * of a standard, not as a self-check (it had a fixture) */
  g_auto (CliResult) j = { 0 };
  calibrate (&j, &b, "-d", "sim:serial=NS-2," GOOD, "--fixture", "sim-fixture:pen=NS-2",
             "--profile", PROFILE, "--json", NULL);
  g_assert_cmpint (j.status, ==, 2);
  g_autoptr (JsonNode) root = parse (j.out);
  JsonObject *o = json_node_get_object (root);
  g_assert_false (json_object_get_boolean_member (o, "traceable"));
  g_assert_cmpstr (json_object_get_string_member (o, "fixture"), ==, "NB-FIX-SIM-0001");
  g_assert_cmpstr (json_object_get_string_member (o, "not_traceable_reason"), ==,
                   "not traceable: no reference standard in force for the fixture");
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "failed");
  bench_clear (&b);
}

static void
test_usage (void)
{
  Bench b;
  bench_init (&b, FALSE);
  const char *const cases[][6] = {
    { "-d", "sim", "--profile", PROFILE, NULL },                          /* no --fixture */
    { "-d", "sim", "--fixture", "sim-fixture:", NULL },                   /* no --profile */
    { "-d", "sim", "--fixture", "sim-fixture:", "--profile", "no-such" }, /* unknown profile */
    { "--fixture", "sim-fixture:", "-d", "sim", "--profile", PROFILE },   /* fixture first */
    { "-d", "sim", "--fixture", "sim-fixture:", "--reference", "pen" },   /* both */
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) argv = g_ptr_array_new ();
      g_ptr_array_add (argv, "calibrate");
      for (gsize j = 0; j < 6 && cases[i][j]; j++)
        g_ptr_array_add (argv, (gpointer) cases[i][j]);
      g_ptr_array_add (argv, "--db");
      g_ptr_array_add (argv, b.db);
      g_ptr_array_add (argv, NULL);
      g_auto (CliResult) r = { 0 };
      cli_runv (&r, (const char *const *) argv->pdata);
      g_test_message ("case %zu: %s", i, r.err);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_true (g_str_has_prefix (r.err, "needlebench-cli calibrate: "));
    }
  /* nothing ran: no database was even created */
  g_assert_false (g_file_test (b.db, G_FILE_TEST_EXISTS));
  bench_clear (&b);
}

static void
test_jam (void)
{
  Bench b;
  bench_init (&b, TRUE);
  g_auto (CliResult) r = { 0 };
  calibrate (&r, &b, "-d", "sim:serial=JAM-1,jam,time-scale=20", "--fixture",
             "sim-fixture:pen=JAM-1", "--profile", PROFILE, NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_nonnull (strstr (r.err, "needlebench-cli calibrate: "));
  g_assert_nonnull (strstr (r.err, "jam"));
  bench_clear (&b);
}

/* No cartridge: a state of the device (exit 3, as for every command), found before the motor
 * ever runs; the run is stored as failed. */
static void
test_no_cartridge (void)
{
  Bench b;
  bench_init (&b, TRUE);
  g_auto (CliResult) r = { 0 };
  calibrate (&r, &b, "-d", "sim:serial=NOC-1,no-cartridge,time-scale=20", "--fixture",
             "sim-fixture:pen=NOC-1", "--profile", PROFILE, NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_nonnull (strstr (r.err, "NOC-1 has no cartridge in"));
  bench_clear (&b);
}

/* Two stations, one jammed: both run, both are printed, the worst exit code (3) wins and the
 * jammed one's error names its pen once. */
static void
test_worst_station_wins (void)
{
  Bench b;
  bench_init (&b, TRUE);
  g_auto (CliResult) r = { 0 };
  calibrate (&r, &b, "-d", "sim:serial=W-OK," GOOD, "--fixture",
             "sim-fixture:pen=W-OK,serial=FIX-A", "-d", "sim:serial=W-JAM,jam,time-scale=20",
             "--fixture", "sim-fixture:pen=W-JAM,serial=FIX-B", "--profile", PROFILE, "--no-adjust",
             "--json", NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_autoptr (JsonNode) root = parse (r.out);
  JsonArray *runs = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (runs), ==, 2);
  JsonObject *ok = json_array_get_object_element (runs, 0);
  JsonObject *jam = json_array_get_object_element (runs, 1);
  g_assert_cmpstr (json_object_get_string_member (ok, "status"), ==, "complete");
  g_assert_cmpstr (json_object_get_string_member (ok, "verdict"), ==, "pass");
  g_assert_cmpstr (json_object_get_string_member (jam, "status"), ==, "failed");
  g_assert_true (json_object_get_null_member (jam, "verdict"));
  /* one line, for the jammed station, prefixed by its serial */
  g_assert_true (g_str_has_prefix (r.err, "needlebench-cli calibrate: W-JAM: "));
  g_assert_nonnull (strstr (r.err, "jam"));
  g_assert_cmpint (strchr (r.err, '\n') - r.err + 1, ==, (long) strlen (r.err));
  bench_clear (&b);
}

/* mean of a JSON array of numbers */
static double
mean_of (JsonArray *a)
{
  double sum = 0;
  guint n = json_array_get_length (a);
  for (guint i = 0; i < n; i++)
    sum += json_array_get_double_element (a, i);
  return sum / n;
}

static void
test_two_stations_and_records (void)
{
  Bench b;
  bench_init (&b, TRUE);
  g_auto (CliResult) r = { 0 };
  calibrate (&r, &b, "-d", "sim:serial=ST-A," GOOD, "--fixture",
             "sim-fixture:pen=ST-A,serial=FIX-A", "-d", "sim:serial=ST-B," GOOD, "--fixture",
             "sim-fixture:pen=ST-B,serial=FIX-B", "--profile", PROFILE, "--no-adjust", "--json",
             "--progress", NULL);
  g_assert_cmpint (r.status, ==, 0);
  /* a progress line per point on stderr, named by the pen's serial */
  g_assert_nonnull (strstr (r.err, "\n[ST-A] as-found 3/3: 2.00 mm at 100 Hz: mean "));
  g_assert_nonnull (strstr (r.err, "\n[ST-B] as-found 1/1: rate 100.000 Hz: mean "));
  g_autoptr (JsonNode) root = parse (r.out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  JsonArray *runs = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (runs), ==, 2);
  JsonObject *a = json_array_get_object_element (runs, 0);
  JsonObject *bb = json_array_get_object_element (runs, 1);
  assert_document (a, "ST-A", "FIX-A", AS_LEFT_NULL);
  assert_document (bb, "ST-B", "FIX-B", AS_LEFT_NULL);
  gint64 id_a = json_object_get_int_member (a, "run");
  gint64 id_b = json_object_get_int_member (bb, "run");
  g_assert_cmpint (id_a, !=, id_b);

  /* runs --json lists both, newest first */
  g_auto (CliResult) l = { 0 };
  cli_run (&l, "runs", "--json", "--db", b.db, NULL);
  g_assert_cmpint (l.status, ==, 0);
  g_autoptr (JsonNode) list = parse (l.out);
  JsonArray *la = json_node_get_array (list);
  g_assert_cmpuint (json_array_get_length (la), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *e = json_array_get_object_element (la, i);
      gint64 id = json_object_get_int_member (e, "id");
      g_assert_true (id == id_a || id == id_b);
      g_assert_cmpstr (json_object_get_string_member (e, "pen_serial"), ==,
                       id == id_a ? "ST-A" : "ST-B");
      g_assert_cmpstr (json_object_get_string_member (e, "fixture_serial"), ==,
                       id == id_a ? "FIX-A" : "FIX-B");
      g_assert_cmpstr (json_object_get_string_member (e, "profile"), ==, PROFILE);
      g_assert_cmpstr (json_object_get_string_member (e, "rule"), ==, "guarded");
      g_assert_cmpstr (json_object_get_string_member (e, "status"), ==, "complete");
      g_assert_cmpstr (json_object_get_string_member (e, "verdict"), ==, "pass");
      g_assert_true (json_object_get_boolean_member (e, "traceable"));
      g_assert_true (g_str_has_suffix (json_object_get_string_member (e, "started_at"), "Z"));
    }

  /* run show --json is the calibrate document (byte for byte: test_good_pen) */
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id_a);
  g_auto (CliResult) s = { 0 };
  cli_run (&s, "run", "show", id_text, "--json", "--db", b.db, NULL);
  g_assert_cmpint (s.status, ==, 0);
  g_autoptr (JsonNode) shown = parse (s.out);
  g_assert_true (json_node_equal (shown, json_array_get_element (runs, 0)));

  /* --raw: every figure can be recomputed from strokes_mm */
  g_auto (CliResult) raw = { 0 };
  cli_run (&raw, "run", "show", id_text, "--json", "--raw", "--db", b.db, NULL);
  g_assert_cmpint (raw.status, ==, 0);
  g_autoptr (JsonNode) rawdoc = parse (raw.out);
  JsonArray *points = json_object_get_array_member (json_node_get_object (rawdoc), "points");
  for (guint i = 0; i < json_array_get_length (points); i++)
    {
      JsonObject *af
          = json_object_get_object_member (json_array_get_object_element (points, i), "as_found");
      JsonArray *strokes = json_object_get_array_member (af, "strokes_mm");
      g_assert_cmpuint (json_array_get_length (strokes), ==, json_object_get_int_member (af, "n"));
      /* mean_mm is printed to 0.1 µm */
      g_assert_cmpfloat (fabs (mean_of (strokes) - json_object_get_double_member (af, "mean_mm")),
                         <=, 0.5e-4 + 1e-12);
    }

  /* the human view: tables and the transitions */
  g_auto (CliResult) h = { 0 };
  cli_run (&h, "run", "show", id_text, "--db", b.db, NULL);
  g_assert_cmpint (h.status, ==, 0);
  g_assert_nonnull (strstr (h.out, "As found: depth\n"));
  g_assert_nonnull (strstr (h.out, "Transitions (UTC)\n"));
  g_assert_nonnull (strstr (h.out, "as-found"));

  /* an unknown run: usage (2), named */
  g_auto (CliResult) u = { 0 };
  cli_run (&u, "run", "show", "999", "--db", b.db, NULL);
  g_assert_cmpint (u.status, ==, 2);
  g_assert_cmpstr (u.err, ==,
                   "needlebench-cli run show: no run 999 in the database (see needlebench-cli "
                   "runs)\n");
  bench_clear (&b);
}

static void
test_reference_pen (void)
{
  Bench b;
  bench_init (&b, FALSE); /* a self-check needs no standard */
  g_auto (CliResult) r = { 0 };
  calibrate (&r, &b, "-d", "sim:serial=SELF-1," GOOD, "--reference", "pen", "--profile", PROFILE,
             "--no-adjust", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonNode) root = parse (r.out);
  JsonObject *o = json_node_get_object (root);
  assert_document (o, "SELF-1", NULL, AS_LEFT_NULL);
  g_assert_false (json_object_get_boolean_member (o, "traceable"));
  g_auto (CliResult) t = { 0 };
  calibrate (&t, &b, "-d", "sim:serial=SELF-2," GOOD, "--reference", "pen", "--profile", PROFILE,
             "--no-adjust", NULL);
  g_assert_cmpint (t.status, ==, 0);
  g_assert_nonnull (strstr (t.out, "not traceable: pen self-check"));
  bench_clear (&b);
}

static void
test_sigterm (void)
{
  Bench b;
  bench_init (&b, TRUE);
  g_autofree char *status = g_build_filename (b.dir, "pen-status", NULL);
  /* at real time: about 4 s of pen time as found */
  g_autofree char *pen = g_strdup_printf ("sim:serial=SIG-1,status-file=%s", status);
  GSubprocess *cli = cli_start ("calibrate", "-d", pen, "--fixture", "sim-fixture:pen=SIG-1",
                                "--profile", PROFILE, "--json", "--db", b.db, NULL);
  g_usleep (2500 * 1000); /* warm-up and the first point (1.3 s) done, the run not */
  /* the motor runs now */
  g_autofree char *before = NULL;
  g_assert_true (g_file_get_contents (status, &before, NULL, NULL));
  g_assert_true (g_str_has_prefix (before, "motor=1"));
  gint64 sent = g_get_monotonic_time ();
  g_subprocess_send_signal (cli, SIGTERM);
  g_auto (CliResult) r = { 0 };
  cli_finish (&r, cli);
  g_object_unref (cli);
  g_test_message ("exit %d\n%s%s", r.status, r.out, r.err);
  g_assert_cmpint (r.status, ==, 143);
  g_assert_cmpfloat ((g_get_monotonic_time () - sent) / 1e6, <, 3.0);
  g_assert_true (g_str_has_suffix (r.err, "needlebench-cli calibrate: interrupted by SIGTERM\n"));
  g_autofree char *after = NULL;
  g_assert_true (g_file_get_contents (status, &after, NULL, NULL));
  g_assert_true (g_str_has_prefix (after, "motor=0"));
  /* what was measured is printed: the document of the cancelled run */
  g_autoptr (JsonNode) root = parse (r.out);
  gint64 id = json_object_get_int_member (json_node_get_object (root), "run");
  g_assert_cmpint (id, >, 0);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "status"), ==,
                   "cancelled");
  g_assert_cmpuint (
      json_array_get_length (json_object_get_array_member (json_node_get_object (root), "points")),
      >=, 1);

  g_auto (CliResult) l = { 0 };
  cli_run (&l, "runs", "--json", "--db", b.db, NULL);
  g_assert_cmpint (l.status, ==, 0);
  g_autoptr (JsonNode) list = parse (l.out);
  JsonObject *e = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpint (json_object_get_int_member (e, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (e, "status"), ==, "cancelled");
  g_assert_true (json_object_get_null_member (e, "verdict"));
  bench_clear (&b);
}

/* A database is a file anyone may have written: what `run show` prints from it (the document,
 * the error, the transitions) is escaped, and the JSON carries it exactly. */
static void
test_escaped (void)
{
  Bench b;
  bench_init (&b, FALSE);
  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_store_open (b.db, &error);
  g_assert_no_error (error);
  NbStoreRunParams params = {
    .pen_serial = "EV-1",
    .profile_id = PROFILE,
    .profile_version = 1,
    .rule = "guarded",
    .traceable = FALSE, /* a self-check: no fixture, no standard */
    .adjust = FALSE,
    .operator_name = "alice",
  };
  gint64 id = nb_store_begin_run (store, &params, &error);
  g_assert_no_error (error);
  g_assert_true (
      nb_store_add_run_transition (store, id, "identify", "pen \x1b]0;owned\x07", &error));
  g_assert_no_error (error);
  const char *doc = "{\"run\": 1, \"profile\": \"" PROFILE "\", \"serial\": \"EV\\u001b[2J\", "
                    "\"operator\": \"\\u202eevil\", \"status\": \"failed\", \"verdict\": null, "
                    "\"points\": [], \"rate_points\": [], \"indication\": []}";
  g_assert_true (nb_store_close_run (store, id, NB_RUN_FAILED, NULL, "lost \x1b[31m", doc, &error));
  g_assert_no_error (error);
  g_clear_pointer (&store, nb_store_close);

  g_auto (CliResult) r = { 0 };
  cli_run (&r, "run", "show", "1", "--db", b.db, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strchr (r.out, '\x1b'));
  g_assert_null (strstr (r.out, "\u202e"));
  g_assert_nonnull (strstr (r.out, "Pen:        EV\\x1b[2J"));
  g_assert_nonnull (strstr (r.out, "Operator:   \\u202eevil"));
  g_assert_nonnull (strstr (r.out, "pen \\x1b]0;owned\\x07"));
  g_auto (CliResult) j = { 0 };
  cli_run (&j, "run", "show", "1", "--json", "--db", b.db, NULL);
  g_assert_cmpint (j.status, ==, 0);
  g_autoptr (JsonNode) root = parse (j.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "serial"), ==,
                   "EV\x1b[2J");
  bench_clear (&b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/calibrate-cli/usage", test_usage);
  g_test_add_func ("/calibrate-cli/good-pen", test_good_pen);
  g_test_add_func ("/calibrate-cli/offset-pen-fails", test_offset_pen_fails);
  g_test_add_func ("/calibrate-cli/offset-pen-adjusted", test_offset_pen_adjusted);
  g_test_add_func ("/calibrate-cli/no-standard", test_no_standard);
  g_test_add_func ("/calibrate-cli/jam", test_jam);
  g_test_add_func ("/calibrate-cli/no-cartridge", test_no_cartridge);
  g_test_add_func ("/calibrate-cli/two-stations-and-records", test_two_stations_and_records);
  g_test_add_func ("/calibrate-cli/worst-station-wins", test_worst_station_wins);
  g_test_add_func ("/calibrate-cli/reference-pen", test_reference_pen);
  g_test_add_func ("/calibrate-cli/sigterm", test_sigterm);
  g_test_add_func ("/calibrate-cli/escaped", test_escaped);
  return g_test_run ();
}
