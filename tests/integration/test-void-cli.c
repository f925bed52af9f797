/* test-void-cli.c: `needlebench-cli session void` and `run void` on a database holding a
 * recorded session (`record` on the simulated pen at time-scale 20) and a calibration run
 * (`standards add`, `calibrate`), with the laboratory key in place. Usage errors (no reason, an
 * empty one, an unknown id, a second void) exit 2 and write nothing; a void exits 0; `sessions`
 * and `runs` (text and --json) show it with its reason, who (the login name, or --operator) and
 * when; `run show --json` stays
 * the result document it was, its text says VOIDED; `certificate RUN` refuses the voided run
 * (exit 2, naming the void) and writes no file; `due` no longer counts it as the pen's
 * calibration; `audit verify` stays clean (exit 0). */
#include <string.h>

#include "cli-harness.h"
#include "nb-lab-key.h"

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

#define GOOD                                                                                       \
  "depth-offset=0,depth-gain=1,nonlinearity=0,drift=0,rate-loss=0,rate-error=0,time-scale=20"

static char *tmp_dir;
static char *db;
static char *run_json_before;

static JsonArray *
cli_json_array (const CliResult *r, JsonParser **parser)
{
  *parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (json_parser_load_from_data (*parser, r->out, -1, &error));
  g_assert_no_error (error);
  JsonNode *root = json_parser_get_root (*parser);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  return json_node_get_array (root);
}

/* the "voided" member of the one record listed by `@command --json` */
static JsonNode *
listed_void (const char *command, JsonParser **parser, const char **status)
{
  g_auto (CliResult) r = { 0 };
  cli_run (&r, command, "--json", "--db", db, NULL);
  g_test_message ("%s --json: exit %d\n%s%s", command, r.status, r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  JsonArray *list = cli_json_array (&r, parser);
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  JsonObject *o = json_array_get_object_element (list, 0);
  g_assert_true (json_object_has_member (o, "voided"));
  *status = json_object_get_string_member (o, "status");
  return json_object_get_member (o, "voided");
}

static void
assert_void (JsonNode *node, const char *reason, const char *by)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  JsonObject *v = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (v, "reason"), ==, reason);
  g_assert_cmpstr (json_object_get_string_member (v, "by"), ==, by);
  const char *at = json_object_get_string_member (v, "at");
  g_autoptr (GDateTime) t = g_date_time_new_from_iso8601 (at, NULL);
  g_assert_nonnull (t);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_assert_cmpint (g_date_time_difference (now, t), >=, 0);
  g_assert_cmpint (g_date_time_difference (now, t), <, 600 * G_TIME_SPAN_SECOND);
}

static void
expect_exit (int want, const char *needle, const char *first, ...)
{
  va_list ap;
  va_start (ap, first);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, db);
  g_ptr_array_add (argv, NULL);
  g_auto (CliResult) r = { 0 };
  cli_runv (&r, (const char *const *) argv->pdata);
  g_test_message ("%s %s: exit %d\n%s%s", first, (const char *) argv->pdata[1], r.status, r.out,
                  r.err);
  g_assert_cmpint (r.status, ==, want);
  if (needle != NULL)
    g_assert_nonnull (strstr (want == 0 ? r.out : r.err, needle));
}

/* the pens `due --json` lists as overdue in 2099, and the last run of the first */
static guint
due_pens (gint64 *last_run)
{
  g_auto (CliResult) r = { 0 };
  cli_run (&r, "due", "--date", "2099-01-01", "--json", "--db", db, NULL);
  g_test_message ("due --json: exit %d\n%s%s", r.status, r.out, r.err);
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = cli_json_object (&r, &parser);
  JsonArray *pens = json_object_get_array_member (o, "pens");
  guint n = json_array_get_length (pens);
  /* exit 1: a pen is overdue (in 2099, the calibrated one) */
  g_assert_cmpint (r.status, ==, n > 0 ? 1 : 0);
  if (n > 0)
    {
      JsonObject *pen = json_array_get_object_element (pens, 0);
      g_assert_cmpstr (json_object_get_string_member (pen, "serial"), ==, "VOID-1");
      *last_run = json_object_get_int_member (pen, "last_run");
    }
  return n;
}

static void
test_not_voided (void)
{
  gint64 last_run = 0;
  g_assert_cmpuint (due_pens (&last_run), ==, 1);
  g_assert_cmpint (last_run, ==, 1);
  g_autoptr (JsonParser) p1 = NULL, p2 = NULL;
  const char *status = NULL;
  JsonNode *v = listed_void ("sessions", &p1, &status);
  g_assert_true (JSON_NODE_HOLDS_NULL (v));
  g_assert_cmpstr (status, ==, "complete");
  v = listed_void ("runs", &p2, &status);
  g_assert_true (JSON_NODE_HOLDS_NULL (v));
  g_assert_cmpstr (status, ==, "complete");
}

static void
test_usage (void)
{
  expect_exit (2, "--reason TEXT is required", "session", "void", "1", NULL);
  expect_exit (2, "reason", "session", "void", "1", "--reason", "", NULL);
  expect_exit (2, "reason", "run", "void", "1", "--reason", " padded ", NULL);
  expect_exit (2, "No session 99", "session", "void", "99", "--reason", "mistake", NULL);
  expect_exit (2, "No run 99", "run", "void", "99", "--reason", "mistake", NULL);
  expect_exit (2, "not a run id", "run", "void", "x", "--reason", "mistake", NULL);
  expect_exit (2, "unknown subcommand", "session", "delete", "1", NULL);
  /* nothing was voided */
  test_not_voided ();
}

static void
test_void (void)
{
  expect_exit (0, "Session 1 voided: recorded by mistake", "session", "void", "1", "--reason",
               "recorded by mistake", NULL);
  expect_exit (2, "already voided", "session", "void", "1", "--reason", "again", NULL);
  expect_exit (0, "Run 1 voided: calibrated the wrong pen", "run", "void", "1", "--reason",
               "calibrated the wrong pen", "--operator", "carol", NULL);
  expect_exit (2, "already voided", "run", "void", "1", "--reason", "again", NULL);

  g_autoptr (JsonParser) p1 = NULL, p2 = NULL;
  const char *status = NULL;
  /* the record keeps its status; the void is a record of its own */
  assert_void (listed_void ("sessions", &p1, &status), "recorded by mistake", g_get_user_name ());
  g_assert_cmpstr (status, ==, "complete");
  assert_void (listed_void ("runs", &p2, &status), "calibrated the wrong pen", "carol");
  g_assert_cmpstr (status, ==, "complete");
  expect_exit (0, "  voided  ", "sessions", NULL);
  expect_exit (0, "  voided  ", "runs", NULL);

  /* run show --json is a contract: unchanged; the text says VOIDED */
  g_auto (CliResult) j = { 0 };
  cli_run (&j, "run", "show", "1", "--json", "--db", db, NULL);
  g_assert_cmpint (j.status, ==, 0);
  g_assert_cmpstr (j.out, ==, run_json_before);
  expect_exit (0, "VOIDED: calibrated the wrong pen", "run", "show", "1", NULL);
  /* the voided run calibrated nothing: no pen is due from it */
  gint64 last_run = 0;
  g_assert_cmpuint (due_pens (&last_run), ==, 0);
}

static void
test_certificate_refused (void)
{
  g_autofree char *out = g_build_filename (tmp_dir, "certificates", NULL);
  expect_exit (2, "run 1 was voided (calibrated the wrong pen)", "certificate", "1", "--out", out,
               NULL);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
test_audit_clean (void)
{
  expect_exit (0, NULL, "audit", "verify", NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("nb-void-cli-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  /* the laboratory key lives in the data directory; the CLI inherits it */
  g_autofree char *xdg = g_build_filename (tmp_dir, "xdg", NULL);
  g_setenv ("XDG_DATA_HOME", xdg, TRUE);
  g_autofree char *key_path = nb_lab_key_default_path ();
  GError *error = NULL;
  NbLabKey *key = nb_lab_key_load_or_create (key_path, &error);
  g_assert_no_error (error);
  nb_lab_key_free (key);

  db = g_build_filename (tmp_dir, "nb.db", NULL);
  {
    g_auto (CliResult) r = { 0 };
    cli_run (&r, "record", "-d", "sim:time-scale=20", "--depth", "0.5", "--rate", "100",
             "--seconds", "2", "--db", db, NULL);
    g_test_message ("record: exit %d\n%s%s", r.status, r.out, r.err);
    g_assert_cmpint (r.status, ==, 0);
    g_auto (CliResult) s = { 0 };
    cli_run (&s, "standards", "add", "--serial", "NB-FIX-SIM-0001", "--certificate", "CAL-1",
             "--uncertainty-mm", "0.0010", "--k", "2", "--due", "2099-12-31", "--db", db, NULL);
    g_assert_cmpint (s.status, ==, 0);
    g_auto (CliResult) c = { 0 };
    cli_run (&c, "calibrate", "-d", "sim:serial=VOID-1," GOOD, "--fixture",
             "sim-fixture:pen=VOID-1", "--profile", "cheek-chin-thick", "--db", db, NULL);
    g_test_message ("calibrate: exit %d\n%s%s", c.status, c.out, c.err);
    g_assert_cmpint (c.status, ==, 0);
    g_auto (CliResult) l = { 0 };
    cli_run (&l, "lab", "set", "--name", "Void Lab", "--address", "1 Test Street", "--db", db,
             NULL);
    g_assert_cmpint (l.status, ==, 0);
    g_auto (CliResult) j = { 0 };
    cli_run (&j, "run", "show", "1", "--json", "--db", db, NULL);
    g_assert_cmpint (j.status, ==, 0);
    run_json_before = g_strdup (j.out);
  }

  g_test_add_func ("/void-cli/not-voided", test_not_voided);
  g_test_add_func ("/void-cli/usage", test_usage);
  g_test_add_func ("/void-cli/void", test_void);
  g_test_add_func ("/void-cli/certificate-refused", test_certificate_refused);
  g_test_add_func ("/void-cli/audit-clean", test_audit_clean);
  return g_test_run ();
}
