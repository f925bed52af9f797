/* test-stats-cli.c: `needlebench-cli stats` end to end. Three simulated stations with different
 * per-unit errors are calibrated at once into one SQLite database by the real CLI (a good pen, one
 * with an offset that fails every point, one with a gain error that fails the deepest point), then
 * the good pen again and a pen of another model (a self-check and a voided run besides, which
 * are no calibrations); `stats --json` must count the pens and runs per
 * model, the first-pass yield and the failing points, most failures first; --model, --pen and
 * --since select; the history is in time order; usage errors exit 2, no database exits 4; text
 * from the database is escaped in the human output. */
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli-harness.h"
#include "nb-store-runs.h"
#include "nb-store.h"

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

#define IDEAL "nonlinearity=0,drift=0,rate-loss=0,rate-error=0,time-scale=20"
#define PROFILE "cheek-chin-thick" /* 1.0, 1.5, 2.0 mm at 100 Hz, ±0.15 mm, guarded */
#define MODEL "NB-Pen 3 (simulated)"

static char *dir, *db;

static void run_ok (CliResult *r, int expected, const char *first, ...) G_GNUC_NULL_TERMINATED;

static void
run_ok (CliResult *r, int expected, const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  va_list ap;
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, db);
  g_ptr_array_add (argv, NULL);
  cli_runv (r, (const char *const *) argv->pdata);
  if (r->status != expected)
    g_error ("%s exited %d, not %d:\n%s%s", first, r->status, expected, r->out, r->err);
}

/* the fleet: runs 1-3 at once (S1 good, S2 offset 0.12 mm + gain 1.04: errors 0.16, 0.18,
 * 0.20 mm, every point fails; S3 gain 1.2 − 0.2 mm: errors 0, 0.1, 0.2 mm, 2.0 mm fails), then
 * S1 again and S4 (another model, good) */
static void
setup_fleet (void)
{
  dir = g_dir_make_tmp ("nb-stats-XXXXXX", NULL);
  db = g_build_filename (dir, "nb.db", NULL);
  const char *const fixtures[] = { "FIX-1", "FIX-2", "FIX-3", "FIX-4" };
  for (gsize i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_auto (CliResult) r = { 0 };
      run_ok (&r, 0, "standards", "add", "--serial", fixtures[i], "--certificate", "CAL-1",
              "--uncertainty-mm", "0.0010", "--k", "2", "--due", "2099-12-31", NULL);
    }
  g_auto (CliResult) a = { 0 };
  /* --no-adjust: an incoming inspection, so every run completes with its as-found verdict */
  run_ok (&a, 1, "calibrate", "--profile", PROFILE, "--no-adjust", "--json", "-d",
          "sim:serial=S1,depth-offset=0,depth-gain=1," IDEAL, "--fixture",
          "sim-fixture:pen=S1,serial=FIX-1", "-d",
          "sim:serial=S2,depth-offset=0.12,depth-gain=1.04," IDEAL, "--fixture",
          "sim-fixture:pen=S2,serial=FIX-2", "-d",
          "sim:serial=S3,depth-offset=-0.2,depth-gain=1.2," IDEAL, "--fixture",
          "sim-fixture:pen=S3,serial=FIX-3", NULL);
  g_auto (CliResult) b = { 0 };
  run_ok (&b, 0, "calibrate", "--profile", PROFILE, "--no-adjust", "-d",
          "sim:serial=S1,depth-offset=0,depth-gain=1," IDEAL, "--fixture",
          "sim-fixture:pen=S1,serial=FIX-1", "-d",
          "sim:serial=S4,model=NBX-2,depth-offset=0,depth-gain=1," IDEAL, "--fixture",
          "sim-fixture:pen=S4,serial=FIX-4", NULL);
  /* no calibrations: a self-check (not traceable) and a run voided as made in error */
  g_auto (CliResult) c = { 0 };
  run_ok (&c, 0, "calibrate", "--profile", PROFILE, "--no-adjust", "--reference", "pen", "-d",
          "sim:serial=S6,depth-offset=0,depth-gain=1," IDEAL, NULL);
  g_auto (CliResult) d = { 0 };
  run_ok (&d, 1, "calibrate", "--profile", PROFILE, "--no-adjust", "--json", "-d",
          "sim:serial=S7,depth-offset=0.12,depth-gain=1.04," IDEAL, "--fixture",
          "sim-fixture:pen=S7,serial=FIX-4", NULL);
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = cli_json_object (&d, &parser);
  g_autofree char *id
      = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (o, "run"));
  g_auto (CliResult) v = { 0 };
  run_ok (&v, 0, "run", "void", id, "--reason", "wrong pen", NULL);
}

/* stats --json with the NULL-terminated arguments (none: first NULL) and --db */
static JsonObject *stats_json (JsonParser **parser, const char *first, ...);

static JsonObject *
stats_json (JsonParser **parser, const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, "stats");
  g_ptr_array_add (argv, "--json");
  va_list ap;
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, db);
  g_ptr_array_add (argv, NULL);
  g_auto (CliResult) r = { 0 };
  cli_runv (&r, (const char *const *) argv->pdata);
  g_test_message ("%s%s", r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  return cli_json_object (&r, parser);
}

static JsonObject *
model_named (JsonObject *o, const char *model)
{
  JsonArray *models = json_object_get_array_member (o, "models");
  for (guint i = 0; i < json_array_get_length (models); i++)
    {
      JsonObject *m = json_array_get_object_element (models, i);
      if (g_strcmp0 (json_object_get_string_member (m, "model"), model) == 0)
        return m;
    }
  g_error ("no model %s in the statistics", model);
}

static void
assert_failing (JsonObject *m, guint i, double target, gint64 failed, gint64 of)
{
  JsonObject *f
      = json_array_get_object_element (json_object_get_array_member (m, "failing_points"), i);
  g_assert_cmpfloat (json_object_get_double_member (f, "target_mm"), ==, target);
  g_assert_cmpint (json_object_get_int_member (f, "failed"), ==, failed);
  g_assert_cmpint (json_object_get_int_member (f, "of"), ==, of);
}

static void
test_fleet (void)
{
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = stats_json (&parser, NULL);
  g_assert_cmpint (json_object_get_int_member (o, "runs"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (o, "pen_count"), ==, 4);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "models")), ==, 2);

  JsonObject *m = model_named (o, MODEL);
  g_assert_cmpint (json_object_get_int_member (m, "pens"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (m, "runs"), ==, 4);
  /* first calibrations: S1 passed, S2 and S3 failed */
  JsonObject *fp = json_object_get_object_member (m, "first_pass");
  g_assert_cmpint (json_object_get_int_member (fp, "pens"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (fp, "passed"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (fp, "yield"), ==, 0.3333);
  /* 2.0 mm failed on S2 and S3; 1.0 and 1.5 mm on S2 only; each point measured 4 times */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (m, "failing_points")), ==,
                    3);
  assert_failing (m, 0, 2.0, 2, 4);
  assert_failing (m, 1, 1.0, 1, 4);
  assert_failing (m, 2, 1.5, 1, 4);
  JsonArray *points = json_object_get_array_member (m, "points");
  g_assert_cmpuint (json_array_get_length (points), ==, 3);
  JsonObject *p2 = json_array_get_object_element (points, 2);
  g_assert_cmpfloat (json_object_get_double_member (p2, "target_mm"), ==, 2.0);
  g_assert_cmpint (json_object_get_int_member (p2, "n"), ==, 4);
  /* S2's +0.20 mm error is the largest; 4 calibrations are too few for Cpk */
  g_assert_cmpfloat (fabs (json_object_get_double_member (p2, "max_mm") - 0.20), <, 0.02);
  g_assert_true (json_object_get_null_member (p2, "cpk"));
  JsonObject *tol = json_object_get_object_member (p2, "tolerance");
  g_assert_cmpfloat (json_object_get_double_member (tol, "lower_mm"), ==, -0.15);
  g_assert_cmpfloat (json_object_get_double_member (tol, "upper_mm"), ==, 0.15);
  /* ⌈log2 4⌉ + 1 = 3 bins holding all 4 */
  JsonArray *hist = json_object_get_array_member (p2, "histogram");
  g_assert_cmpuint (json_array_get_length (hist), ==, 3);
  gint64 total = 0;
  for (guint i = 0; i < 3; i++)
    total += json_object_get_int_member (json_array_get_object_element (hist, i), "count");
  g_assert_cmpint (total, ==, 4);

  JsonObject *x = model_named (o, "NBX-2");
  g_assert_cmpint (json_object_get_int_member (x, "pens"), ==, 1);
  g_assert_cmpfloat (
      json_object_get_double_member (json_object_get_object_member (x, "first_pass"), "yield"), ==,
      1.0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (x, "failing_points")), ==,
                    0);
}

static void
test_selection (void)
{
  g_autoptr (JsonParser) p1 = NULL;
  JsonObject *o = stats_json (&p1, "--model", "NBX-2", NULL);
  g_assert_cmpint (json_object_get_int_member (o, "pen_count"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "runs"), ==, 1);
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (o, "selection"), "model"), ==,
      "NBX-2");

  /* one pen: its history, oldest first, and not enough of it for an interval (minutes apart) */
  g_autoptr (JsonParser) p2 = NULL;
  o = stats_json (&p2, "--pen", "S1", NULL);
  g_assert_cmpint (json_object_get_int_member (o, "runs"), ==, 2);
  JsonObject *pen = json_array_get_object_element (json_object_get_array_member (o, "pens"), 0);
  g_assert_cmpstr (json_object_get_string_member (pen, "serial"), ==, "S1");
  g_assert_cmpint (json_object_get_int_member (pen, "calibrations"), ==, 2);
  JsonArray *hist = json_object_get_array_member (pen, "history");
  gint64 first = json_object_get_int_member (json_array_get_object_element (hist, 0), "run");
  gint64 second = json_object_get_int_member (json_array_get_object_element (hist, 1), "run");
  g_assert_cmpint (first, <, second);
  JsonObject *h0 = json_array_get_object_element (hist, 0);
  g_assert_cmpstr (json_object_get_string_member (h0, "as_found_verdict"), ==, "pass");
  g_assert_true (json_object_get_null_member (h0, "as_left_verdict"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (h0, "points")), ==, 3);
  JsonObject *interval = json_object_get_object_member (pen, "interval");
  g_assert_cmpstr (json_object_get_string_member (interval, "kind"), ==, "insufficient-history");
  g_assert_true (json_object_get_null_member (interval, "days"));

  g_autoptr (JsonParser) p3 = NULL;
  o = stats_json (&p3, "--since", "2099-01-01", NULL);
  g_assert_cmpint (json_object_get_int_member (o, "runs"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "pens")), ==, 0);
}

static void
test_text_and_errors (void)
{
  g_auto (CliResult) r = { 0 };
  run_ok (&r, 0, "stats", NULL);
  g_assert_nonnull (strstr (r.out, "Fleet statistics: 5 calibrations of 4 pens\n"));
  g_assert_nonnull (strstr (r.out, "First-pass yield: 1 of 3 pens (33.3 %)\n"));
  g_assert_nonnull (strstr (r.out, "Most common failing points: 2.00 mm at 100 Hz (2 of 4), "
                                   "1.00 mm at 100 Hz (1 of 4), 1.50 mm at 100 Hz (1 of 4)\n"));
  g_assert_nonnull (strstr (r.out, "Recommended interval: insufficient history"));

  g_auto (CliResult) u = { 0 };
  run_ok (&u, 2, "stats", "--since", "2026-13-01", NULL);
  g_assert_nonnull (strstr (u.err, "needlebench-cli stats: "));
  g_auto (CliResult) v = { 0 };
  run_ok (&v, 2, "stats", "extra", NULL);
  g_autofree char *missing = g_build_filename (dir, "none.db", NULL);
  g_auto (CliResult) w = { 0 };
  cli_run (&w, "stats", "--db", missing, NULL);
  g_assert_cmpint (w.status, ==, 4);
}

/* a model name with a backslash (the pen and the store take it: it is printable) reaches the
 * terminal escaped, as a forged "\x1b" would (docs/cli.md, "Text on a terminal"), and JSON
 * exactly. (A pen that sends a control character or a bidi override is refused before anything
 * is stored.) */
static void
test_escaped (void)
{
  const char *model = "EVIL\\x1b[2J";
  g_auto (CliResult) c = { 0 };
  g_autofree char *uri
      = g_strdup_printf ("sim:serial=S5,model=%s,depth-offset=0,depth-gain=1," IDEAL, model);
  run_ok (&c, 0, "calibrate", "--profile", PROFILE, "--no-adjust", "-d", uri, "--fixture",
          "sim-fixture:pen=S5,serial=FIX-1", NULL);
  g_auto (CliResult) r = { 0 };
  run_ok (&r, 0, "stats", "--pen", "S5", NULL);
  g_assert_null (strstr (r.out, model));
  g_assert_nonnull (strstr (r.out, "Model EVIL\\\\x1b[2J:"));
  g_autoptr (JsonParser) p = NULL;
  JsonObject *o = stats_json (&p, "--pen", "S5", NULL);
  JsonObject *m = json_array_get_object_element (json_object_get_array_member (o, "models"), 0);
  g_assert_cmpstr (json_object_get_string_member (m, "model"), ==, model);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  setup_fleet ();
  g_test_add_func ("/stats-cli/fleet", test_fleet);
  g_test_add_func ("/stats-cli/selection", test_selection);
  g_test_add_func ("/stats-cli/text-and-errors", test_text_and_errors);
  g_test_add_func ("/stats-cli/escaped", test_escaped);
  int status = g_test_run ();
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  if (system (cmd) != 0)
    g_warning ("could not remove %s", dir);
  return status;
}
