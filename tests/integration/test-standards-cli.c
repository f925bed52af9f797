/* test-standards-cli.c: `needlebench-cli standards` end to end: add (text and JSON), list --json
 * with superseded, expired and withdrawn records, inputs refused with exit 2 naming the option
 * and nothing written, check exiting 2 with the command that fixes it, text from the database
 * escaped in the table, and every record in the verified audit chain. */
#include <glib/gstdio.h>
#include <string.h>

#include "cli-harness.h"
#include "nb-audit.h"
#include "nb-store-private.h"
#include "nb-store.h"
#include "store-test-util.h"

#define FIX "NB-FIX-SIM-0001"
#define ADD_HINT                                                                                   \
  "`needlebench-cli standards add --serial NB-FIX-SIM-0001 --certificate NUMBER "                  \
  "--uncertainty-mm U --k K --due YYYY-MM-DD`"

typedef struct
{
  char *dir;
  char *db;
} Bench;

static void
bench_init (Bench *b)
{
  b->dir = g_dir_make_tmp ("nb-standards-XXXXXX", NULL);
  g_assert_nonnull (b->dir);
  /* a SQLite path, or with NB_TEST_BACKEND=pg a fresh PostgreSQL database (tests/pg) */
  b->db = nb_test_store_location (b->dir, "nb.db");
}

static void
bench_clear (Bench *b)
{
  g_autofree char *wal = g_strconcat (b->db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (b->db, "-shm", NULL);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (b->db);
  g_rmdir (b->dir);
  g_free (b->db);
  g_free (b->dir);
  nb_test_store_cleanup ();
}

/* standards add with the usual figures for @serial, @certificate, @due; asserts exit 0 */
static void
add_ok (Bench *b, const char *serial, const char *certificate, const char *u, const char *k,
        const char *due)
{
  CliResult r = { 0 };
  cli_run (&r, "standards", "add", "--serial", serial, "--certificate", certificate,
           "--uncertainty-mm", u, "--k", k, "--due", due, "--operator", "alice", "--db", b->db,
           NULL);
  g_test_message ("%s%s", r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
}

static JsonArray *
list_json (Bench *b, gboolean in_force, JsonParser **parser)
{
  CliResult r = { 0 };
  if (in_force)
    cli_run (&r, "standards", "list", "--json", "--in-force", "--db", b->db, NULL);
  else
    cli_run (&r, "standards", "list", "--json", "--db", b->db, NULL);
  if (r.status != 0)
    g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (GError) error = NULL;
  *parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (*parser, r.out, -1, &error));
  g_assert_no_error (error);
  JsonNode *root = json_parser_get_root (*parser);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  cli_result_clear (&r);
  return json_node_get_array (root);
}

static void
test_add_and_list (void)
{
  Bench b;
  bench_init (&b);
  CliResult r = { 0 };
  cli_run (&r, "standards", "add", "--serial", FIX, "--certificate", "CAL-1", "--uncertainty-mm",
           "0.0012", "--k", "2", "--due", "2099-11-30", "--model", "SIM-LASER", "--operator",
           "alice", "--db", b.db, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==,
                   "Standard 1 recorded for fixture NB-FIX-SIM-0001: certificate CAL-1, "
                   "U = 0.0012 mm (k = 2.00), due 2099-11-30.\n");
  cli_result_clear (&r);

  /* a new certificate supersedes it; --json prints the record, figures at their precision */
  cli_run (&r, "standards", "add", "--serial", FIX, "--certificate", "CAL-2", "--uncertainty-mm",
           "0.0010", "--k", "2.58", "--due", "2100-01-31", "--operator", "bob", "--db", b.db,
           "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\"uncertainty_mm\" : 0.001,\n"));
  g_assert_nonnull (strstr (r.out, "\"k\" : 2.58,\n"));
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = cli_json_object (&r, &parser);
  g_assert_cmpint (json_object_get_int_member (o, "id"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (o, "serial"), ==, FIX);
  g_assert_cmpstr (json_object_get_string_member (o, "model"), ==, "SIM-LASER"); /* kept */
  g_assert_cmpstr (json_object_get_string_member (o, "certificate"), ==, "CAL-2");
  g_assert_cmpfloat (json_object_get_double_member (o, "uncertainty_mm"), ==, 0.001);
  g_assert_cmpfloat (json_object_get_double_member (o, "k"), ==, 2.58);
  g_assert_cmpstr (json_object_get_string_member (o, "due"), ==, "2100-01-31");
  g_assert_cmpstr (json_object_get_string_member (o, "added_by"), ==, "bob");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (o, "added_at"), "Z"));
  g_assert_true (json_object_get_boolean_member (o, "in_force"));
  g_assert_false (json_object_get_boolean_member (o, "expired"));
  g_assert_true (json_object_get_null_member (o, "withdrawn"));
  cli_result_clear (&r);

  /* an expired certificate can be recorded (history), and is listed as expired */
  cli_run (&r, "standards", "add", "--serial", "NB-FIX-0002", "--certificate", "LVDT-7",
           "--uncertainty-mm", "0.003", "--k", "1.96", "--due", "2020-01-31", "--db", b.db, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "It is past its due date"));
  cli_result_clear (&r);

  g_autoptr (JsonParser) lp = NULL;
  JsonArray *all = list_json (&b, FALSE, &lp);
  g_assert_cmpuint (json_array_get_length (all), ==, 3);
  JsonObject *e = json_array_get_object_element (all, 0);
  g_assert_cmpstr (json_object_get_string_member (e, "serial"), ==, "NB-FIX-0002");
  g_assert_true (json_object_get_boolean_member (e, "in_force"));
  g_assert_true (json_object_get_boolean_member (e, "expired"));
  g_assert_cmpfloat (json_object_get_double_member (e, "k"), ==, 1.96);
  e = json_array_get_object_element (all, 1);
  g_assert_cmpstr (json_object_get_string_member (e, "certificate"), ==, "CAL-2");
  g_assert_true (json_object_get_boolean_member (e, "in_force"));
  e = json_array_get_object_element (all, 2);
  g_assert_cmpstr (json_object_get_string_member (e, "certificate"), ==, "CAL-1");
  g_assert_false (json_object_get_boolean_member (e, "in_force"));
  g_assert_false (json_object_get_boolean_member (e, "expired"));
  g_assert_cmpstr (json_object_get_string_member (e, "added_by"), ==, "alice");
  g_assert_cmpfloat (json_object_get_double_member (e, "uncertainty_mm"), ==, 0.0012);

  g_autoptr (JsonParser) fp = NULL;
  JsonArray *in_force = list_json (&b, TRUE, &fp);
  g_assert_cmpuint (json_array_get_length (in_force), ==, 2);

  /* the table: one row per record, the status in words */
  cli_run (&r, "standards", "list", "--db", b.db, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_auto (GStrv) lines = g_strsplit (r.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5); /* header, 3 rows, "" */
  g_assert_true (g_str_has_prefix (lines[1], "   3  NB-FIX-0002 "));
  g_assert_nonnull (strstr (lines[1], "0.0030  1.96  2020-01-31  EXPIRED "));
  g_assert_nonnull (strstr (lines[2], "CAL-2             0.0010  2.58  2100-01-31  in force "));
  g_assert_nonnull (strstr (lines[3], "CAL-1             0.0012  2.00  2099-11-30  superseded "));
  cli_result_clear (&r);

  /* every record is in the audit chain, which still verifies */
  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_store_open_full (b.db, NB_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  gint64 n = 0;
  g_assert_true (nb_audit_verify (store, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 3);
  g_clear_pointer (&store, nb_store_close);
  bench_clear (&b);
}

typedef struct
{
  const char *option; /* the option replaced, or NULL to drop @value's option */
  const char *value;
  const char *message;
} BadInput;

static void
test_bad_inputs (void)
{
  Bench b;
  bench_init (&b);
  static const BadInput cases[] = {
    { "--serial", NULL, "--serial S is required" },
    { "--certificate", NULL, "--certificate NUMBER is required" },
    { "--uncertainty-mm", NULL, "--uncertainty-mm U is required" },
    { "--k", NULL, "--k K is required" },
    { "--due", NULL, "--due YYYY-MM-DD is required" },
    { "--serial", "", "--serial: must not be empty" },
    { "--serial", "NB\x1b[2J", "--serial: contains a control character (U+001B)" },
    { "--certificate",
      "C\xe2\x80\xae"
      "1",
      "--certificate: contains a control character (U+202E)" },
    { "--certificate", "C-1 ", "--certificate: has leading or trailing white space" },
    { "--model", "0123456789012345678901234567890123456789012345678901234567890123456789",
      "--model: is 70 characters long, more than 64" },
    { "--uncertainty-mm", "abc", "--uncertainty-mm: “abc” is not a number" },
    { "--uncertainty-mm", "nan", "--uncertainty-mm: “nan” is not a number" },
    { "--uncertainty-mm", "0",
      "--uncertainty-mm: the expanded uncertainty must be from 0.0001 mm" },
    { "--uncertainty-mm", "-0.001",
      "--uncertainty-mm: the expanded uncertainty must be from 0.0001 mm" },
    { "--uncertainty-mm", "0.00015", "--uncertainty-mm: at most 4 decimals in mm (0.1 µm)" },
    { "--k", "0.9", "--k: the coverage factor must be from 1 to 5 (got 0.9)" },
    { "--k", "6", "--k: the coverage factor must be from 1 to 5 (got 6)" },
    { "--k", "2.001", "--k: at most 2 decimals (got 2.001)" },
    { "--due", "30.11.2027", "--due: “30.11.2027” is not a date written YYYY-MM-DD" },
    { "--due", "2027-11-31", "--due: “2027-11-31” is not a calendar date" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[32] = { "standards", "add" };
      int n = 2;
      const char *const good[][2] = {
        { "--serial", FIX }, { "--certificate", "CAL-1" }, { "--uncertainty-mm", "0.001" },
        { "--k", "2" },      { "--due", "2099-01-31" },    { "--model", "SIM" },
      };
      for (gsize j = 0; j < G_N_ELEMENTS (good); j++)
        {
          gboolean replaced = g_str_equal (good[j][0], cases[i].option);
          if (replaced && cases[i].value == NULL)
            continue;
          args[n++] = good[j][0];
          args[n++] = replaced ? cases[i].value : good[j][1];
        }
      args[n++] = "--db";
      args[n++] = b.db;
      args[n] = NULL;
      CliResult r = { 0 };
      cli_runv (&r, args);
      g_test_message ("%s -> %s", cases[i].message, r.err);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.out, ==, "");
      g_assert_true (g_str_has_prefix (r.err, "needlebench-cli standards add: "));
      g_assert_nonnull (strstr (r.err, cases[i].message));
      g_assert_null (strchr (r.err, '\x1b')); /* the option's value is escaped, if quoted */
      cli_result_clear (&r);
    }
  /* nothing was written: no database was even created (on PostgreSQL: no table in it) */
  g_assert_true (nb_test_store_is_untouched (b.db));

  CliResult r = { 0 };
  cli_run (&r, "standards", "add", "--serial", FIX, "extra", "--db", b.db, NULL);
  g_assert_cmpint (r.status, ==, 2);
  cli_result_clear (&r);
  cli_run (&r, "standards", "frobnicate", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "unknown subcommand “frobnicate”"));
  cli_result_clear (&r);
  cli_run (&r, "standards", NULL);
  g_assert_cmpint (r.status, ==, 2);
  cli_result_clear (&r);
  bench_clear (&b);
}

static void
check_fails (Bench *b, const char *serial, const char *date, const char *message)
{
  CliResult r = { 0 };
  if (date)
    cli_run (&r, "standards", "check", "--serial", serial, "--date", date, "--db", b->db, NULL);
  else
    cli_run (&r, "standards", "check", "--serial", serial, "--db", b->db, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.out, ==, "");
  g_autofree char *want = g_strdup_printf ("needlebench-cli standards check: %s\n", message);
  g_assert_cmpstr (r.err, ==, want);
  cli_result_clear (&r);
}

static void
test_check (void)
{
  Bench b;
  bench_init (&b);
  add_ok (&b, "NB-FIX-0002", "OTHER", "0.002", "2", "2099-01-01");
  check_fails (&b, FIX, NULL,
               "fixture NB-FIX-SIM-0001 has no reference standard record: add one with " ADD_HINT);
  add_ok (&b, FIX, "CAL-1", "0.0012", "2", "2026-11-30");
  /* valid on its due date, expired the day after (and today, 2026-11-30 being past) */
  CliResult r = { 0 };
  cli_run (&r, "standards", "check", "--serial", FIX, "--date", "2026-11-30", "--db", b.db, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==,
                   "Fixture NB-FIX-SIM-0001: certificate CAL-1, U = 0.0012 mm (k = 2.00), due "
                   "2026-11-30: in force.\n");
  cli_result_clear (&r);
  const char *expired = "fixture NB-FIX-SIM-0001's reference standard (certificate CAL-1) was due "
                        "on 2026-11-30 and has expired: record its new certificate with " ADD_HINT;
  check_fails (&b, FIX, "2026-12-01", expired);
  check_fails (&b, FIX, NULL, expired);

  add_ok (&b, FIX, "CAL-2", "0.0010", "2", "2099-11-30");
  cli_run (&r, "standards", "check", "--serial", FIX, "--json", "--db", b.db, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = cli_json_object (&r, &parser);
  g_assert_cmpstr (json_object_get_string_member (o, "certificate"), ==, "CAL-2");
  cli_result_clear (&r);

  /* withdrawn: refused until the next certificate */
  cli_run (&r, "standards", "withdraw", "--serial", FIX, "--reason", "dropped", "--operator",
           "carol", "--db", b.db, NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  check_fails (&b, FIX, NULL,
               "fixture NB-FIX-SIM-0001's reference standard was withdrawn (dropped): record its "
               "new certificate with " ADD_HINT);
  cli_run (&r, "standards", "withdraw", "--serial", FIX, "--reason", "again", "--db", b.db, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "no reference standard in force to withdraw"));
  cli_result_clear (&r);
  g_autoptr (JsonParser) lp = NULL;
  cli_run (&r, "standards", "list", "--json", "--db", b.db, NULL);
  g_assert_cmpint (r.status, ==, 0);
  lp = json_parser_new ();
  g_assert_true (json_parser_load_from_data (lp, r.out, -1, NULL));
  /* NB-FIX-0002 sorts first */
  JsonObject *w
      = json_array_get_object_element (json_node_get_array (json_parser_get_root (lp)), 1);
  g_assert_cmpstr (json_object_get_string_member (w, "withdrawn"), ==, "dropped");
  g_assert_cmpstr (json_object_get_string_member (w, "added_by"), ==, "carol");
  g_assert_true (json_object_get_null_member (w, "certificate"));
  g_assert_true (json_object_get_null_member (w, "uncertainty_mm"));
  g_assert_false (json_object_get_boolean_member (w, "in_force"));
  cli_result_clear (&r);
  add_ok (&b, FIX, "CAL-3", "0.0010", "2", "2099-12-31");
  cli_run (&r, "standards", "check", "--serial", FIX, "--db", b.db, NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  bench_clear (&b);
}

/* A row written by another program, with an escape sequence in it, is printed escaped; JSON
 * carries it exactly. */
static void
test_escaped (void)
{
  Bench b;
  bench_init (&b);
  add_ok (&b, FIX, "CAL-1", "0.0012", "2", "2099-11-30"); /* creates the database */
  GError *error = NULL;
  NbStore *store = nb_store_open (b.db, &error);
  g_assert_no_error (error);
  g_assert_true (nb_store_exec (store,
                                "INSERT INTO standards (serial, model, certificate,"
                                " uncertainty_mm, k, due, added_at, added_by) VALUES"
                                " ('EVIL', 'M\x1b]0;owned\x07', 'C\x1b[2J', 0.001, 2,"
                                " '2099-01-01', 0, 'x\ny')",
                                &error));
  g_assert_no_error (error);
  nb_store_close (store);
  CliResult r = { 0 };
  cli_run (&r, "standards", "list", "--db", b.db, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strchr (r.out, '\x1b'));
  g_assert_nonnull (strstr (r.out, "C\\x1b[2J"));
  g_assert_nonnull (strstr (r.out, "M\\x1b]0;owned\\x07"));
  g_assert_nonnull (strstr (r.out, "x\\ny\n"));
  cli_result_clear (&r);
  cli_run (&r, "standards", "list", "--json", "--db", b.db, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\"C\\u001b[2J\""));
  cli_result_clear (&r);
  bench_clear (&b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  nb_test_add_func ("/standards-cli/add-and-list", test_add_and_list);
  nb_test_add_func ("/standards-cli/bad-inputs", test_bad_inputs);
  nb_test_add_func ("/standards-cli/check", test_check);
  nb_test_add_func ("/standards-cli/escaped", test_escaped);
  return nb_test_run ();
}
