/* test-certificate-cli.c: `lab`, `user`, `certificate` and `sign` end to end on real calibration
 * runs of an in-process simulated station (a `sim:` pen and the `sim-fixture:` on it) in a
 * temporary database and home: the laboratory is set, users are added with their passwords on a
 * pipe (--password-fd), a traceable run gets a numbered DRAFT certificate written as JSON, CSV and
 * DCC XML, signatures with a wrong password, by a technician approving, or after the issue are
 * refused, performed + reviewed + approved issues it (laboratory signature, signatures bound to
 * the content hash), a self-check gets a verification report without a number and a run that did
 * not complete nothing. The kill test issues certificates in child processes killed with SIGKILL at
 * random moments, many inside the numbering transaction, and checks the numbers are exactly 1..N.
 */
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli-harness.h"
#include "nb-store-certificates.h"
#include "nb-store-runs.h"
#include "nb-store.h"

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

#define FIXTURE_SERIAL "NB-FIX-SIM-0001"
#define PASSWORD "correct horse battery"

static char *dir; /* the temporary home; everything is under it */
static char *db;
static int year;

/* Runs needlebench-cli with @argv (NULL-terminated), "--db" DB appended, @password written to a
 * pipe passed as descriptor 3 when not NULL, and the environment variable @env_name = @env_value
 * when not NULL. */
static GSubprocess *
spawn (const char *const *args, const char *password, const char *env_name, const char *env_value)
{
  g_autoptr (GSubprocessLauncher) l
      = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (env_name != NULL)
    g_subprocess_launcher_setenv (l, env_name, env_value, TRUE);
  if (password != NULL)
    {
      int fds[2];
      g_assert_cmpint (pipe (fds), ==, 0);
      g_autofree char *line = g_strdup_printf ("%s\n", password);
      g_assert_cmpint (write (fds[1], line, strlen (line)), ==, (gssize) strlen (line));
      close (fds[1]);
      g_subprocess_launcher_take_fd (l, fds[0], 3);
    }
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) g_getenv ("NB_CLI"));
  for (const char *const *a = args; *a; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, db);
  g_ptr_array_add (argv, NULL);
  g_autoptr (GError) error = NULL;
  GSubprocess *p = g_subprocess_launcher_spawnv (l, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  return p;
}

static void
run_args (CliResult *r, const char *const *args, const char *password)
{
  g_autoptr (GSubprocess) p = spawn (args, password, NULL, NULL);
  cli_finish (r, p);
  g_test_message ("exit %d\n%s%s", r->status, r->out, r->err);
}

#define RUN(r, password, ...)                                                                      \
  do                                                                                               \
    {                                                                                              \
      const char *const args_[] = { __VA_ARGS__, NULL };                                           \
      run_args ((r), args_, (password));                                                           \
    }                                                                                              \
  while (0)

/* `report verify FILE --key LAB.pub`, as a customer runs it: no database. */
static int
verify_customer (const char *file, const char *pub)
{
  g_auto (CliResult) r = { 0 };
  const char *const args[] = { "report", "verify", file, "--key", pub, NULL };
  cli_runv (&r, args);
  g_test_message ("report verify %s: exit %d\n%s%s", file, r.status, r.out, r.err);
  return r.status;
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

static JsonNode *
parse_file (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return parse (text);
}

/* Calibrates a station (traceable unless @self_check) and returns its run id. */
static gint64
calibrate (const char *serial, gboolean self_check)
{
  g_autofree char *pen = g_strdup_printf ("sim:serial=%s,time-scale=20", serial);
  g_autofree char *fixture = g_strdup_printf ("sim-fixture:pen=%s", serial);
  g_auto (CliResult) r = { 0 };
  if (self_check)
    RUN (&r, NULL, "calibrate", "-d", pen, "--reference", "pen", "--profile", "service-quick",
         "--json");
  else
    RUN (&r, NULL, "calibrate", "-d", pen, "--fixture", fixture, "--profile", "service-quick",
         "--json");
  g_assert_cmpint (r.status, <=, 1); /* pass or out of tolerance: both complete */
  g_autoptr (JsonNode) doc = parse (r.out);
  gint64 id = json_object_get_int_member (json_node_get_object (doc), "run");
  g_assert_cmpint (id, >, 0);
  return id;
}

static char *
number (int seq)
{
  return g_strdup_printf ("TLAB-%04d-%06d", year, seq);
}

static gint64
sql_int (const char *sql)
{
  sqlite3 *conn = NULL;
  g_assert_cmpint (sqlite3_open_v2 (db, &conn, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_stmt *stmt = NULL;
  g_assert_cmpint (sqlite3_prepare_v2 (conn, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  gint64 v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
  return v;
}

static void
assert_file (const char *out, const char *name, const char *needle)
{
  g_autofree char *path = g_build_filename (out, name, NULL);
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_error ("%s was not written", path);
  if (needle != NULL && strstr (text, needle) == NULL)
    g_error ("%s does not say “%s”", path, needle);
}

/* The DCC @name in @out validates against the DCC 3.2.0 schema kept in tests/data/dcc
 * (validate-dcc.sh: xmllint, offline). */
static void
assert_dcc_valid (const char *out, const char *name)
{
  const char *schemas = g_getenv ("NB_DCC_SCHEMAS");
  g_assert_nonnull (schemas);
  g_autofree char *script = g_build_filename (schemas, "validate-dcc.sh", NULL);
  g_autofree char *path = g_build_filename (out, name, NULL);
  const char *argv[] = { "sh", script, "3.2.0", path, NULL };
  g_autofree char *err = NULL;
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s does not validate against the DCC 3.2.0 schema:\n%s", path, err);
}

/* The text of a PDF (pdftotext, poppler-utils), or NULL when pdftotext is missing. */
static char *
pdf_text (const char *out, const char *name)
{
  g_autofree char *tool = g_find_program_in_path ("pdftotext");
  if (tool == NULL)
    {
      g_test_message ("pdftotext not found: PDF text not checked");
      return NULL;
    }
  g_autofree char *path = g_build_filename (out, name, NULL);
  const char *argv[] = { tool, "-layout", path, "-", NULL };
  char *text = NULL;
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &text, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return text;
}

static void
setup_lab_and_users (void)
{
  static gboolean done;
  if (done)
    return;
  done = TRUE;
  g_auto (CliResult) r = { 0 };
  RUN (&r, NULL, "lab", "set", "--name", "Test Calibration Lab", "--address",
       "1 Example Street, 10115 Berlin", "--location", "Bench 2", "--prefix", "TLAB", "--json");
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonNode) lab = parse (r.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (lab), "prefix"), ==,
                   "TLAB");
  const char *const users[][3] = { { "olga", "operator", "Olga Operator" },
                                   { "tom", "technician", "Tom Technician" },
                                   { "ann", "approver", "Ann Approver" } };
  for (gsize i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_auto (CliResult) u = { 0 };
      RUN (&u, PASSWORD, "user", "add", users[i][0], "--role", users[i][1], "--display-name",
           users[i][2], "--password-fd", "3");
      g_assert_cmpint (u.status, ==, 0);
    }
}

static void
test_lab_and_users (void)
{
  setup_lab_and_users ();
  g_auto (CliResult) r = { 0 };
  RUN (&r, NULL, "user", "list", "--json");
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonNode) list = parse (r.out);
  JsonArray *a = json_node_get_array (list);
  g_assert_cmpuint (json_array_get_length (a), ==, 3);
  JsonObject *ann = json_array_get_object_element (a, 0); /* by name */
  g_assert_cmpstr (json_object_get_string_member (ann, "name"), ==, "ann");
  g_assert_cmpstr (json_object_get_string_member (ann, "role"), ==, "approver");
  g_assert_cmpstr (json_object_get_string_member (ann, "display_name"), ==, "Ann Approver");
  g_assert_true (json_object_get_boolean_member (ann, "active"));
  g_assert_false (json_object_has_member (ann, "password_hash"));
  g_assert_null (strstr (r.out, "argon2"));
  /* the hash in the database is Argon2id, and not the password */
  g_assert_cmpint (sql_int ("SELECT count(*) FROM users WHERE password_hash LIKE '$argon2id$%'"),
                   ==, 3);
  g_assert_cmpint (sql_int ("SELECT count(*) FROM users WHERE password_hash LIKE '%horse%'"), ==,
                   0);

  /* no password on the command line, ever */
  g_auto (CliResult) argv_pw = { 0 };
  RUN (&argv_pw, NULL, "user", "add", "eve", "--role", "approver", "--password", PASSWORD);
  g_assert_cmpint (argv_pw.status, ==, 2);
  /* a second add of the same name, an unknown role, a short password */
  g_auto (CliResult) dup = { 0 };
  RUN (&dup, PASSWORD, "user", "add", "ann", "--role", "approver", "--password-fd", "3");
  g_assert_cmpint (dup.status, ==, 2);
  g_auto (CliResult) role = { 0 };
  RUN (&role, PASSWORD, "user", "add", "eve", "--role", "admin", "--password-fd", "3");
  g_assert_cmpint (role.status, ==, 2);
  g_auto (CliResult) shortpw = { 0 };
  RUN (&shortpw, "short", "user", "add", "eve", "--role", "operator", "--password-fd", "3");
  g_assert_cmpint (shortpw.status, ==, 2);
  g_assert_cmpint (sql_int ("SELECT count(*) FROM users"), ==, 3);

  g_auto (CliResult) show = { 0 };
  RUN (&show, NULL, "lab", "show");
  g_assert_cmpint (show.status, ==, 0);
  g_assert_nonnull (strstr (show.out, "Test Calibration Lab"));
  g_assert_nonnull (strstr (show.out, "TLAB-YYYY-NNNNNN"));
}

static void
sign (CliResult *r, const char *cert, const char *user, const char *meaning, const char *password)
{
  RUN (r, password, "sign", cert, "--user", user, "--meaning", meaning, "--password-fd", "3");
}

static void
test_flow (void)
{
  setup_lab_and_users ();
  gint64 run = calibrate ("CERT-1", FALSE);
  g_autofree char *run_text = g_strdup_printf ("%" G_GINT64_FORMAT, run);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  gint64 before = sql_int ("SELECT count(*) FROM certificates");
  g_autofree char *n = number ((int) before + 1);
  g_autofree char *json_name = g_strconcat (n, ".json", NULL);
  g_autofree char *json_path = g_build_filename (out, json_name, NULL);

  g_auto (CliResult) c = { 0 };
  RUN (&c, NULL, "certificate", run_text, "--out", out, "--customer", "Clinic Example",
       "--customer-address", "2 Main Street", "--received", "2026-11-30", "--condition",
       "cartridge port scratched", "--json");
  g_assert_cmpint (c.status, ==, 0);
  g_autoptr (JsonNode) summary = parse (c.out);
  JsonObject *s = json_node_get_object (summary);
  g_assert_cmpstr (json_object_get_string_member (s, "number"), ==, n);
  g_assert_cmpstr (json_object_get_string_member (s, "status"), ==, "draft");
  g_assert_cmpstr (json_object_get_string_member (s, "kind"), ==, "calibration-certificate");
  /* every file says DRAFT while it is one */
  assert_file (out, json_name, "\"status\":\"draft\"");
  g_autofree char *csv_name = g_strconcat (n, ".csv", NULL);
  assert_file (out, csv_name, NULL);
  g_autofree char *dcc_name = g_strconcat (n, ".dcc.xml", NULL);
  assert_file (out, dcc_name, "DRAFT");
  assert_dcc_valid (out, dcc_name);
  g_autofree char *pdf_name = g_strconcat (n, ".pdf", NULL);
  assert_file (out, pdf_name, "%PDF-");
  g_autofree char *draft_text = pdf_text (out, pdf_name);
  if (draft_text != NULL)
    {
      g_assert_nonnull (strstr (draft_text, "DRAFT"));
      g_assert_nonnull (strstr (draft_text, n));
    }
  g_autoptr (JsonNode) draft = parse_file (json_path);
  JsonObject *d = json_node_get_object (draft);
  g_assert_cmpstr (json_object_get_string_member (d, "number"), ==, n);
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (d, "customer"), "name"), ==,
      "Clinic Example");
  g_assert_true (json_object_get_null_member (d, "lab_signature"));
  const char *hash = json_object_get_string_member (d, "content_sha256");

  /* again: the same certificate, re-rendered; other customer details need --revise */
  g_auto (CliResult) again = { 0 };
  RUN (&again, NULL, "certificate", run_text, "--out", out, "--json");
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.out, n));
  g_auto (CliResult) other = { 0 };
  RUN (&other, NULL, "certificate", run_text, "--out", out, "--customer", "Someone Else");
  g_assert_cmpint (other.status, ==, 2);
  g_assert_nonnull (strstr (other.err, "--revise"));
  g_assert_cmpint (sql_int ("SELECT count(*) FROM certificates"), ==, before + 1);

  /* refused: wrong password, a technician approving, an unknown user */
  g_auto (CliResult) wrong = { 0 };
  sign (&wrong, n, "olga", "performed", "not the password");
  g_assert_cmpint (wrong.status, ==, 2);
  g_assert_nonnull (strstr (wrong.err, "wrong password"));
  g_auto (CliResult) tech = { 0 };
  sign (&tech, n, "tom", "approved", PASSWORD);
  g_assert_cmpint (tech.status, ==, 2);
  g_assert_nonnull (strstr (tech.err, "approver"));
  g_auto (CliResult) nobody = { 0 };
  sign (&nobody, n, "mallory", "performed", PASSWORD);
  g_assert_cmpint (nobody.status, ==, 2);
  /* a hash that is not this certificate's */
  g_auto (CliResult) moved = { 0 };
  RUN (&moved, PASSWORD, "sign", n, "--user", "olga", "--meaning", "performed", "--password-fd",
       "3", "--content-sha256", "0000000000000000000000000000000000000000000000000000000000000000");
  g_assert_cmpint (moved.status, ==, 2);
  g_assert_cmpint (sql_int ("SELECT count(*) FROM certificate_signatures"), ==, 0);

  g_auto (CliResult) p = { 0 };
  sign (&p, n, "olga", "performed", PASSWORD);
  g_assert_cmpint (p.status, ==, 0);
  g_auto (CliResult) rv = { 0 };
  sign (&rv, n, "tom", "reviewed", PASSWORD);
  g_assert_cmpint (rv.status, ==, 0);
  g_assert_cmpint (sql_int ("SELECT count(*) FROM certificate_records r JOIN certificates c"
                            " ON c.id = r.certificate_id WHERE r.status = 'issued'"),
                   ==, 0);
  g_auto (CliResult) ap = { 0 };
  RUN (&ap, PASSWORD, "sign", n, "--user", "ann", "--meaning", "approved", "--password-fd", "3",
       "--json");
  g_assert_cmpint (ap.status, ==, 0);
  g_autoptr (JsonNode) signed_node = parse (ap.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (signed_node), "status"), ==,
                   "issued");
  /* the laboratory key was made on first use, 0600, outside the database */
  g_autofree char *key = g_build_filename (dir, "data", "needlebench", "lab.key", NULL);
  GStatBuf st;
  g_assert_cmpint (g_stat (key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* the draft files written before are not a valid certificate for a customer */
  g_autofree char *pub = g_build_filename (dir, "data", "needlebench", "lab.pub", NULL);
  g_assert_cmpint (verify_customer (json_path, pub), ==, 1);

  /* signing after the issue is refused */
  g_auto (CliResult) late = { 0 };
  sign (&late, n, "tom", "performed", PASSWORD);
  g_assert_cmpint (late.status, ==, 2);

  /* the issued PDF is sealed with the key that signed it: none there is a usage error */
  g_autofree char *no_key = g_build_filename (dir, "no-such.key", NULL);
  g_auto (CliResult) keyless = { 0 };
  RUN (&keyless, NULL, "certificate", run_text, "--out", out, "--key", no_key);
  g_assert_cmpint (keyless.status, ==, 2);
  g_assert_false (g_file_test (no_key, G_FILE_TEST_EXISTS));
  g_auto (CliResult) issued = { 0 };
  RUN (&issued, NULL, "certificate", run_text, "--out", out);
  g_assert_cmpint (issued.status, ==, 0);
  g_autoptr (JsonNode) final = parse_file (json_path);
  JsonObject *f = json_node_get_object (final);
  g_assert_cmpstr (json_object_get_string_member (f, "status"), ==, "issued");
  g_assert_cmpstr (json_object_get_string_member (f, "content_sha256"), ==, hash);
  g_assert_nonnull (
      json_object_get_string_member (json_object_get_object_member (f, "dates"), "issued"));
  JsonObject *lab_sig = json_object_get_object_member (f, "lab_signature");
  g_assert_cmpstr (json_object_get_string_member (lab_sig, "algorithm"), ==, "ed25519");
  JsonArray *sigs = json_object_get_array_member (f, "signatures");
  g_assert_cmpuint (json_array_get_length (sigs), ==, 3);
  const char *const names[] = { "Olga Operator", "Tom Technician", "Ann Approver" };
  const char *const meanings[] = { "performed", "reviewed", "approved" };
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *sg = json_array_get_object_element (sigs, i);
      g_assert_cmpstr (json_object_get_string_member (sg, "name"), ==, names[i]);
      g_assert_cmpstr (json_object_get_string_member (sg, "meaning"), ==, meanings[i]);
      g_assert_cmpstr (json_object_get_string_member (sg, "content_sha256"), ==, hash);
    }
  assert_file (out, dcc_name, NULL);
  g_autofree char *dcc_path = g_build_filename (out, dcc_name, NULL);
  g_autofree char *dcc = NULL;
  g_assert_true (g_file_get_contents (dcc_path, &dcc, NULL, NULL));
  g_assert_null (strstr (dcc, "DRAFT"));
  assert_dcc_valid (out, dcc_name);
  /* every row the flow wrote is covered by the audit trail (signed from the key's creation) */
  g_auto (CliResult) audit = { 0 };
  RUN (&audit, NULL, "audit", "verify", "--json");
  g_assert_cmpint (audit.status, <=, 1);
  g_autoptr (JsonNode) report = parse (audit.out);
  JsonArray *findings = json_object_get_array_member (json_node_get_object (report), "findings");
  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *fd = json_array_get_object_element (findings, i);
      const char *kind = json_object_get_string_member (fd, "kind");
      if (g_strcmp0 (kind, "unsigned") != 0)
        g_error ("audit finding %s: %s", kind, json_object_get_string_member (fd, "message"));
    }
  /* the customer's check, JSON and sealed PDF, without the database; and with it */
  g_autofree char *pdf_path = g_build_filename (out, pdf_name, NULL);
  g_assert_cmpint (verify_customer (json_path, pub), ==, 0);
  g_assert_cmpint (verify_customer (pdf_path, pub), ==, 0);
  g_auto (CliResult) with_db = { 0 };
  RUN (&with_db, NULL, "report", "verify", pdf_path, "--key", pub);
  g_assert_cmpint (with_db.status, ==, 0);
  g_autofree char *issued_text = pdf_text (out, pdf_name);
  if (issued_text != NULL)
    {
      g_assert_null (strstr (issued_text, "DRAFT"));
      g_assert_nonnull (strstr (issued_text, "Ann Approver"));
      g_assert_nonnull (strstr (issued_text, n));
    }

  /* listed as issued with its three signatures; voided, the number stays taken and the run gets
   * the next number */
  g_auto (CliResult) list = { 0 };
  RUN (&list, NULL, "certificate", "list", "--json");
  g_assert_cmpint (list.status, ==, 0);
  g_autoptr (JsonNode) listed = parse (list.out);
  JsonObject *entry = json_array_get_object_element (json_node_get_array (listed), before);
  g_assert_cmpstr (json_object_get_string_member (entry, "number"), ==, n);
  g_assert_cmpstr (json_object_get_string_member (entry, "status"), ==, "issued");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (entry, "signatures")), ==,
                    3);
  g_auto (CliResult) v = { 0 };
  RUN (&v, NULL, "certificate", "void", n, "--reason", "issued to the wrong customer");
  g_assert_cmpint (v.status, ==, 0);
  g_auto (CliResult) v2 = { 0 };
  RUN (&v2, NULL, "certificate", "void", n, "--reason", "again");
  g_assert_cmpint (v2.status, ==, 2);
  g_auto (CliResult) renew = { 0 };
  RUN (&renew, NULL, "certificate", run_text, "--out", out, "--json");
  g_assert_cmpint (renew.status, ==, 0);
  g_autoptr (JsonNode) renewed = parse (renew.out);
  g_autofree char *next = number ((int) before + 2);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (renewed), "number"), ==,
                   next);
  g_auto (CliResult) list2 = { 0 };
  RUN (&list2, NULL, "certificate", "list");
  g_assert_cmpint (list2.status, ==, 0);
  g_assert_nonnull (strstr (list2.out, "voided: issued to the wrong customer"));
}

static void
test_not_certified (void)
{
  setup_lab_and_users ();
  gint64 before = sql_int ("SELECT count(*) FROM certificates");
  g_autofree char *out = g_build_filename (dir, "reports", NULL);

  /* a self-check: a verification report, no number, no record, no DCC */
  gint64 run = calibrate ("SELF-1", TRUE);
  g_autofree char *run_text = g_strdup_printf ("%" G_GINT64_FORMAT, run);
  g_auto (CliResult) r = { 0 };
  RUN (&r, NULL, "certificate", run_text, "--out", out, "--json");
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonNode) summary = parse (r.out);
  g_assert_true (json_object_get_null_member (json_node_get_object (summary), "number"));
  g_autofree char *base = g_strdup_printf ("verification-report-run-%s", run_text);
  g_autofree char *name = g_strconcat (base, ".json", NULL);
  g_autofree char *path = g_build_filename (out, name, NULL);
  g_autoptr (JsonNode) doc = parse_file (path);
  JsonObject *o = json_node_get_object (doc);
  g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "verification-report");
  g_assert_true (json_object_get_null_member (o, "number"));
  g_autofree char *dcc_name = g_strconcat (base, ".dcc.xml", NULL);
  g_autofree char *dcc = g_build_filename (out, dcc_name, NULL);
  g_assert_false (g_file_test (dcc, G_FILE_TEST_EXISTS));
  g_assert_cmpint (sql_int ("SELECT count(*) FROM certificates"), ==, before);

  /* a run that did not complete: nothing */
  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_store_open (db, &error);
  g_assert_no_error (error);
  NbStoreRunParams p = {
    .pen_serial = "FAILED-1", .profile_id = "service-quick", .profile_version = 1, .rule = "simple"
  };
  gint64 failed = nb_store_begin_run (store, &p, &error);
  g_assert_no_error (error);
  g_assert_true (
      nb_store_close_run (store, failed, NB_RUN_FAILED, NULL, "device lost", NULL, &error));
  nb_store_close (g_steal_pointer (&store));
  g_autofree char *failed_text = g_strdup_printf ("%" G_GINT64_FORMAT, failed);
  g_auto (CliResult) f = { 0 };
  RUN (&f, NULL, "certificate", failed_text, "--out", out);
  g_assert_cmpint (f.status, ==, 2);
  g_assert_nonnull (strstr (f.err, "did not complete"));
  g_assert_cmpint (sql_int ("SELECT count(*) FROM certificates"), ==, before);
}

/* Twelve processes at once, two for each of six runs: each run gets one certificate, both of
 * its processes name it, and the numbers still follow each other. */
static void
test_concurrent (void)
{
  setup_lab_and_users ();
  g_autofree char *out = g_build_filename (dir, "concurrent", NULL);
  gint64 before = sql_int ("SELECT count(*) FROM certificates");
  enum
  {
    RUNS = 6
  };
  char *run_text[RUNS];
  GSubprocess *procs[2 * RUNS];
  for (int i = 0; i < RUNS; i++)
    {
      g_autofree char *serial = g_strdup_printf ("CONC-%d", i);
      run_text[i] = g_strdup_printf ("%" G_GINT64_FORMAT, calibrate (serial, FALSE));
    }
  for (int i = 0; i < 2 * RUNS; i++)
    {
      const char *const args[]
          = { "certificate", run_text[i % RUNS], "--out", out, "--json", NULL };
      procs[i] = spawn (args, NULL, NULL, NULL);
    }
  char *numbers[2 * RUNS];
  for (int i = 0; i < 2 * RUNS; i++)
    {
      g_auto (CliResult) r = { 0 };
      cli_finish (&r, procs[i]);
      g_object_unref (procs[i]);
      if (r.status != 0)
        g_error ("process %d: exit %d: %s", i, r.status, r.err);
      g_autoptr (JsonNode) s = parse (r.out);
      numbers[i] = g_strdup (json_object_get_string_member (json_node_get_object (s), "number"));
    }
  for (int i = 0; i < RUNS; i++)
    {
      g_assert_cmpstr (numbers[i], ==, numbers[i + RUNS]);
      for (int j = 0; j < i; j++)
        g_assert_cmpstr (numbers[i], !=, numbers[j]);
    }
  g_assert_cmpint (sql_int ("SELECT count(*) FROM certificates"), ==, before + RUNS);
  g_assert_cmpint (sql_int ("SELECT max(seq) FROM certificates"), ==, before + RUNS);
  for (int i = 0; i < 2 * RUNS; i++)
    g_free (numbers[i]);
  for (int i = 0; i < RUNS; i++)
    g_free (run_text[i]);
}

/* Reads what the terminal shows until @fd closes or @seconds pass. */
static void
read_pty (int fd, GString *seen, double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  while (g_get_monotonic_time () < end)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      if (poll (&pfd, 1, 50) <= 0)
        continue;
      char buf[256];
      ssize_t n = read (fd, buf, sizeof buf);
      if (n <= 0)
        return;
      g_string_append_len (seen, buf, n);
    }
}

/* On a terminal the password is asked twice and never echoed: what the terminal shows holds the
 * prompts and not the password; the user can then sign with it. */
static void
test_password_tty (void)
{
  setup_lab_and_users ();
  int master = -1;
  pid_t pid = forkpty (&master, NULL, NULL, NULL);
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      execl (g_getenv ("NB_CLI"), "needlebench-cli", "user", "add", "tty-user", "--role",
             "operator", "--db", db, (char *) NULL);
      _exit (127);
    }
  g_autoptr (GString) seen = g_string_new (NULL);
  read_pty (master, seen, 2.0);
  g_assert_nonnull (strstr (seen->str, "New password:"));
  const char line[] = "typed on a terminal\n";
  g_assert_cmpint (write (master, line, strlen (line)), ==, (gssize) strlen (line));
  read_pty (master, seen, 1.0);
  g_assert_nonnull (strstr (seen->str, "Again:"));
  g_assert_cmpint (write (master, line, strlen (line)), ==, (gssize) strlen (line));
  read_pty (master, seen, 5.0);
  int status = 0;
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  close (master);
  g_test_message ("terminal: %s", seen->str);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_nonnull (strstr (seen->str, "added"));
  g_assert_null (strstr (seen->str, "typed on"));
  g_assert_cmpint (sql_int ("SELECT count(*) FROM users WHERE name = 'tty-user'"), ==, 1);
  /* the password typed is the one stored */
  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_store_open (db, &error);
  g_assert_no_error (error);
  g_autoptr (NbStoreUser) u = nb_store_get_user (store, "tty-user", &error);
  g_assert_no_error (error);
  g_assert_true (nb_store_user_verify_password (u, "typed on a terminal", &error));
  g_assert_no_error (error);
}

/* Certificates issued in child processes killed with SIGKILL at random moments: half of them
 * sleep inside the numbering transaction (the store's test hook) so that the kill often lands
 * between the number and the commit. Afterwards the numbers are exactly 1..N, each with its
 * first record, and the runs whose child died before the commit get the next numbers. */
static void
test_kill (void)
{
  setup_lab_and_users ();
  g_autofree char *out = g_build_filename (dir, "kill", NULL);
  const int iterations = 30;
  int before_commit = 0, after_commit = 0, completed = 0;
  g_autoptr (GArray) runs = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (int i = 0; i < iterations; i++)
    {
      g_autofree char *serial = g_strdup_printf ("KILL-%d", i);
      gint64 run = calibrate (serial, FALSE);
      g_array_append_val (runs, run);
      g_autofree char *run_text = g_strdup_printf ("%" G_GINT64_FORMAT, run);
      /* two of three children sleep twice inside the transaction (after the number, before
       * the commit); the kill comes at any moment from the start to well after */
      g_autofree char *delay = g_strdup_printf ("%d", g_test_rand_int_range (20, 200));
      const char *const args[] = { "certificate", run_text, "--out", out, NULL };
      gboolean hooked = g_test_rand_int_range (0, 3) != 0;
      g_autoptr (GSubprocess) p
          = spawn (args, NULL, hooked ? "NB_TEST_CERTIFICATE_DELAY_MS" : NULL, delay);
      g_usleep ((gulong) g_test_rand_int_range (0, 400) * 1000);
      g_subprocess_send_signal (p, SIGKILL);
      g_autoptr (GError) error = NULL;
      g_assert_true (g_subprocess_wait (p, NULL, &error));
      g_autofree char *sql = g_strdup_printf (
          "SELECT count(*) FROM certificates WHERE run_id = %" G_GINT64_FORMAT, run);
      gint64 has = sql_int (sql);
      g_assert_cmpint (has, <=, 1);
      if (!g_subprocess_get_if_signaled (p))
        {
          g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 0);
          g_assert_cmpint (has, ==, 1);
          completed++;
        }
      else if (has)
        after_commit++;
      else
        before_commit++;
    }
  g_test_message ("killed before the commit %d, after it %d; completed %d", before_commit,
                  after_commit, completed);
  /* the test is only worth something if kills landed before the commit */
  g_assert_cmpint (before_commit, >, 0);
  /* numbers without a gap or a duplicate, and every number with its first record */
  gint64 n = sql_int ("SELECT count(*) FROM certificates");
  g_assert_cmpint (sql_int ("SELECT count(DISTINCT seq) FROM certificates"), ==, n);
  g_assert_cmpint (sql_int ("SELECT coalesce(max(seq), 0) FROM certificates"), ==, n);
  g_assert_cmpint (sql_int ("SELECT coalesce(min(seq), 1) FROM certificates"), ==, 1);
  g_assert_cmpint (sql_int ("SELECT count(*) FROM certificates c WHERE NOT EXISTS (SELECT 1"
                            " FROM certificate_records r WHERE r.certificate_id = c.id"
                            " AND r.revision = 1 AND r.status = 'draft')"),
                   ==, 0);
  g_assert_cmpint (sql_int ("SELECT count(*) FROM certificates c WHERE number <> 'TLAB-' || year"
                            " || '-' || printf('%06d', seq)"),
                   ==, 0);
  g_assert_cmpint (sql_int ("SELECT count(*) FROM audit WHERE action = 'certificate.create'"), ==,
                   n);
  g_assert_cmpint (sql_int ("SELECT count(*) FROM (SELECT c.run_id FROM certificates c"
                            " JOIN certificate_records r ON r.id = (SELECT max(id)"
                            " FROM certificate_records x WHERE x.certificate_id = c.id)"
                            " WHERE r.status <> 'voided' GROUP BY c.run_id HAVING count(*) > 1)"),
                   ==, 0);
  /* the runs left without a certificate get the next numbers, in order */
  gint64 next = n + 1;
  for (guint i = 0; i < runs->len; i++)
    {
      gint64 run = g_array_index (runs, gint64, i);
      g_autofree char *sql = g_strdup_printf (
          "SELECT count(*) FROM certificates WHERE run_id = %" G_GINT64_FORMAT, run);
      if (sql_int (sql) > 0)
        continue;
      g_autofree char *run_text = g_strdup_printf ("%" G_GINT64_FORMAT, run);
      g_auto (CliResult) r = { 0 };
      RUN (&r, NULL, "certificate", run_text, "--out", out, "--json");
      g_assert_cmpint (r.status, ==, 0);
      g_autoptr (JsonNode) s = parse (r.out);
      g_autofree char *want = number ((int) next++);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (s), "number"), ==,
                       want);
    }
  g_assert_cmpint (sql_int ("SELECT count(*) FROM certificates"), ==, next - 1);
  g_assert_cmpint (sql_int ("SELECT max(seq) FROM certificates"), ==, next - 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (nb_store_check_integrity (store, &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("nb-certificate-XXXXXX", NULL);
  g_assert_nonnull (dir);
  db = g_build_filename (dir, "nb.db", NULL);
  /* the laboratory key and any default path land in the temporary home */
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *config = g_build_filename (dir, "config", NULL);
  g_setenv ("HOME", dir, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  year = g_date_time_get_year (now);
  {
    g_auto (CliResult) r = { 0 };
    RUN (&r, NULL, "standards", "add", "--serial", FIXTURE_SERIAL, "--certificate", "CAL-1",
         "--uncertainty-mm", "0.0010", "--k", "2", "--due", "2099-12-31");
    g_assert_cmpint (r.status, ==, 0);
  }
  g_test_add_func ("/certificate-cli/lab-and-users", test_lab_and_users);
  g_test_add_func ("/certificate-cli/flow", test_flow);
  g_test_add_func ("/certificate-cli/not-certified", test_not_certified);
  g_test_add_func ("/certificate-cli/password-tty", test_password_tty);
  g_test_add_func ("/certificate-cli/concurrent", test_concurrent);
  g_test_add_func ("/certificate-cli/kill", test_kill);
  int rc = g_test_run ();
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", dir);
  return rc;
}
