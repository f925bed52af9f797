/* test-db-migrate.c: `needlebench-cli db migrate | sync | status` end to end, SQLite into SQLite.
 * Two benches make real records with the real CLI (a calibration of a simulated station, two
 * recorded sessions, one of them with a preset and voided); bench A is migrated into a third
 * database and verified, twice (the second copies nothing); bench B follows into the same
 * database (its pen S1 is A's pen S1, its ids are new ones); the target's audit trail verifies;
 * a row changed in the target afterwards is found by the verification (exit 1); a copy that
 * fails after three records (the server lost, injected) leaves whole records, and `db sync`
 * completes it.
 *
 * With NB_PG_URI set (suite pg, under tests/pg/pg-run.sh) the databases copied into are
 * PostgreSQL databases of the throw-away server instead of SQLite files. */
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "cli-harness.h"
#include "nb-audit-verify.h"
#include "nb-run-result.h"
#include "nb-store-sync-private.h"

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

#define IDEAL "nonlinearity=0,drift=0,rate-loss=0,rate-error=0,time-scale=20"
#define PROFILE "cheek-chin-thick"

static char *dir;
static const char *pg_uri; /* NB_PG_URI, NULL: the targets are SQLite files */

static gboolean
is_uri (const char *db)
{
  return g_str_has_prefix (db, "postgresql://");
}

static PGresult *
pg_exec (const char *uri, const char *sql, ExecStatusType want)
{
  PGconn *conn = PQconnectdb (uri);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  PGresult *res = PQexec (conn, sql);
  if (PQresultStatus (res) != want)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  PQfinish (conn);
  return res;
}

/* The database copied into, @name: a file in the test's directory, or a new database of the
 * PostgreSQL server. */
static char *
target (const char *name)
{
  if (pg_uri == NULL)
    return g_build_filename (dir, name, NULL);
  g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", name);
  PQclear (pg_exec (pg_uri, create, PGRES_COMMAND_OK));
  const char *q = strchr (pg_uri, '?');
  g_assert_nonnull (q);
  return g_strdup_printf ("postgresql:///%s%s", name, q);
}

static void run_expect (CliResult *r, int expected, const char *first, ...) G_GNUC_NULL_TERMINATED;

static void
run_expect (CliResult *r, int expected, const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  va_list ap;
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  cli_runv (r, (const char *const *) argv->pdata);
  if (r->status != expected)
    g_error ("%s %s exited %d, not %d:\n%s%s", first, (const char *) argv->pdata[1], r->status,
             expected, r->out, r->err);
}

static char *
path (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

/* A bench: a reference standard, a calibration of pen S1 on it, a session of S1 with a preset,
 * a session of @second_pen, and (@void_first) the first session voided. */
static void
make_bench (const char *db, const char *fixture, const char *second_pen, gboolean void_first)
{
  g_auto (CliResult) a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 }, e = { 0 };
  run_expect (&a, 0, "standards", "add", "--serial", fixture, "--certificate", "CAL-1",
              "--uncertainty-mm", "0.0010", "--k", "2", "--due", "2099-12-31", "--db", db, NULL);
  g_autofree char *station = g_strdup_printf ("sim-fixture:pen=S1,serial=%s", fixture);
  run_expect (&b, 0, "calibrate", "--profile", PROFILE, "--no-adjust", "-d",
              "sim:serial=S1,depth-offset=0,depth-gain=1," IDEAL, "--fixture", station, "--db", db,
              NULL);
  run_expect (&c, 0, "record", "-d", "sim:serial=S1,time-scale=20", "--depth", "1.0", "--rate",
              "100", "--preset", PROFILE, "--seconds", "1", "--db", db, NULL);
  g_autofree char *sim = g_strdup_printf ("sim:serial=%s,time-scale=20", second_pen);
  run_expect (&d, 0, "record", "-d", sim, "--depth", "1.5", "--rate", "120", "--seconds", "1",
              "--db", db, NULL);
  if (void_first)
    run_expect (&e, 0, "session", "void", "1", "--reason", "wrong needle", "--db", db, NULL);
}

static gint64
count (const char *db, const char *sql)
{
  if (is_uri (db))
    {
      PGresult *res = pg_exec (db, sql, PGRES_TUPLES_OK);
      gint64 n = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
      PQclear (res);
      return n;
    }
  sqlite3 *h = NULL;
  g_assert_cmpint (sqlite3_open_v2 (db, &h, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_stmt *stmt = NULL;
  g_assert_cmpint (sqlite3_prepare_v2 (h, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  gint64 n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (h);
  return n;
}

static gint64
table_rows (JsonObject *o, const char *table)
{
  JsonObject *tables = json_object_get_object_member (o, "tables");
  g_assert_true (json_object_has_member (tables, table));
  return json_object_get_int_member (tables, table);
}

/* the audit trail of @db: no finding but the missing public key, at least @min_rows rows
 * checked */
static void
assert_audit_clean (const char *db, gint64 min_rows)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_store_open (db, &error);
  g_assert_no_error (error);
  g_autoptr (NbAuditReport) report = nb_audit_verify_report (store, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < report->findings->len; i++)
    {
      const NbAuditFinding *f = report->findings->pdata[i];
      g_test_message ("%s", f->message);
      g_assert_cmpint (f->kind, ==, NB_AUDIT_FINDING_UNSIGNED);
    }
  g_assert_cmpint (report->rows, >=, min_rows);
}

static void
tamper (const char *db)
{
  if (is_uri (db))
    {
      PQclear (pg_exec (db,
                        "SET session_replication_role = replica;"
                        " UPDATE strokes SET depth_mm = depth_mm + 0.25"
                        " WHERE rowid = (SELECT min(rowid) + 6 FROM strokes)",
                        PGRES_COMMAND_OK));
      return;
    }
  sqlite3 *h = NULL;
  g_assert_cmpint (sqlite3_open (db, &h), ==, SQLITE_OK);
  sqlite3_stmt *stmt = NULL;
  g_assert_cmpint (sqlite3_prepare_v2 (h,
                                       "SELECT sql FROM sqlite_master WHERE type = 'trigger'"
                                       " AND name = 'strokes_no_update'",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_autofree char *trigger = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_autofree char *sql = g_strdup_printf ("DROP TRIGGER strokes_no_update;"
                                          "UPDATE strokes SET depth_mm = depth_mm + 0.25"
                                          " WHERE rowid = (SELECT min(rowid) + 6 FROM strokes);%s;",
                                          trigger);
  g_assert_cmpint (sqlite3_exec (h, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (h);
}

static void
test_migrate (void)
{
  g_autofree char *a = path ("bench-a.db"), *b = path ("bench-b.db"), *srv = target ("server_a");
  g_test_message ("copying into %s", srv);
  make_bench (a, "FIX-1", "S2", TRUE);
  make_bench (b, "FIX-2", "S3", FALSE);

  g_auto (CliResult) m1 = { 0 };
  run_expect (&m1, 0, "db", "migrate", "--from", a, "--to", srv, "--json", NULL);
  g_autoptr (JsonParser) p1 = NULL;
  JsonObject *o = cli_json_object (&m1, &p1);
  g_assert_true (json_object_get_boolean_member (o, "verified"));
  /* pens S1, S2 and their firmware, the standard, two sessions, the run, the void */
  g_assert_cmpint (json_object_get_int_member (o, "copied"), ==, 9);
  g_assert_cmpint (json_object_get_int_member (o, "pending"), ==, 0);
  g_assert_cmpint (table_rows (o, "sessions"), ==, 2);
  g_assert_cmpint (table_rows (o, "runs"), ==, 1);
  g_assert_cmpint (table_rows (o, "voids"), ==, 1);
  g_assert_cmpint (table_rows (o, "session_targets"), ==, 1);
  g_assert_cmpint (table_rows (o, "run_points"), ==, count (a, "SELECT count(*) FROM run_points"));
  g_assert_cmpint (table_rows (o, "run_strokes"), ==,
                   count (a, "SELECT count(*) FROM run_strokes"));
  g_assert_cmpint (table_rows (o, "strokes"), ==, count (a, "SELECT count(*) FROM strokes"));
  g_assert_cmpint (table_rows (o, "batches"), ==, count (a, "SELECT count(*) FROM batches"));
  g_assert_cmpint (count (a, "SELECT count(*) FROM strokes"), >, 100);
  g_assert_cmpint (count (srv, "SELECT count(*) FROM strokes"), ==,
                   count (a, "SELECT count(*) FROM strokes"));
  g_assert_cmpint (count (srv, "SELECT count(*) FROM audit WHERE action = 'sync.import'"), ==, 7);
  /* the source knows what it sent */
  g_assert_cmpint (count (a, "SELECT count(*) FROM sync_sent"), ==, 9);
  assert_audit_clean (srv, 400);

  /* twice: nothing copied, still verified */
  g_auto (CliResult) m2 = { 0 };
  run_expect (&m2, 0, "db", "migrate", "--from", a, "--to", srv, "--json", NULL);
  g_autoptr (JsonParser) p2 = NULL;
  o = cli_json_object (&m2, &p2);
  g_assert_cmpint (json_object_get_int_member (o, "copied"), ==, 0);
  g_assert_true (json_object_get_boolean_member (o, "verified"));
  g_assert_cmpint (count (srv, "SELECT count(*) FROM sessions"), ==, 2);
  g_assert_cmpint (count (srv, "SELECT count(*) FROM audit"), ==,
                   count (srv, "SELECT max(id) FROM audit"));

  /* the second bench: S1 is the same pen, everything else new rows with ids of their own */
  g_auto (CliResult) m3 = { 0 };
  run_expect (&m3, 0, "db", "migrate", "--from", b, "--to", srv, NULL);
  g_assert_nonnull (strstr (m3.out, "verified"));
  g_assert_cmpint (count (srv, "SELECT count(*) FROM pens"), ==, 3);
  g_assert_cmpint (count (srv, "SELECT count(*) FROM pens WHERE serial = 'S1'"), ==, 1);
  /* B saw S1 last: the shared pen's last sighting is B's */
  g_assert_cmpint (count (b, "SELECT last_seen FROM pens WHERE serial = 'S1'"), >,
                   count (a, "SELECT last_seen FROM pens WHERE serial = 'S1'"));
  g_assert_cmpint (count (srv, "SELECT last_seen FROM pens WHERE serial = 'S1'"), ==,
                   count (b, "SELECT last_seen FROM pens WHERE serial = 'S1'"));
  g_assert_cmpint (count (srv, "SELECT count(*) FROM sessions"), ==, 4);
  g_assert_cmpint (count (srv, "SELECT count(*) FROM sessions s JOIN pens p ON p.id = s.pen_id"
                               " WHERE p.serial = 'S1'"),
                   ==, 2);
  g_assert_cmpint (count (srv, "SELECT count(*) FROM runs"), ==, 2);
  g_assert_cmpint (count (srv, "SELECT count(DISTINCT origin) FROM sync_map"), ==, 2);
  g_assert_cmpint (count (srv, "SELECT target_id FROM sync_map WHERE tbl = 'runs' AND origin ="
                               " (SELECT origin FROM sync_map ORDER BY at DESC LIMIT 1)"),
                   ==, 2);
  /* B's run used B's standard, copied as a row of its own */
  g_assert_cmpint (count (srv, "SELECT count(*) FROM runs r JOIN standards s"
                               " ON s.id = r.standard_id WHERE s.serial = r.fixture_serial"),
                   ==, 2);
  assert_audit_clean (srv, 800);
  /* B's run, run 2 there, has its document read back under its id there (certificates and
   * `run show` name it) */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (NbStore) store = nb_store_open (srv, &error);
    g_assert_no_error (error);
    g_autoptr (JsonNode) doc = nb_run_result_load_json (store, 2, FALSE, &error);
    g_assert_no_error (error);
    JsonObject *d = json_node_get_object (doc);
    g_assert_cmpint (json_object_get_int_member (d, "run"), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (d, "fixture"), ==, "FIX-2");
  }
  /* A is still verified after B came in */
  g_auto (CliResult) m4 = { 0 };
  run_expect (&m4, 0, "db", "migrate", "--from", a, "--to", srv, NULL);

  /* a stroke changed in the target behind the API's back (its trigger dropped and put back;
   * on PostgreSQL with the triggers off for the session) */
  tamper (srv);
  g_auto (CliResult) m5 = { 0 };
  run_expect (&m5, 1, "db", "migrate", "--from", a, "--to", srv, "--json", NULL);
  g_autoptr (JsonParser) p5 = NULL;
  o = cli_json_object (&m5, &p5);
  g_assert_false (json_object_get_boolean_member (o, "verified"));
  g_assert_nonnull (strstr (json_object_get_string_member (o, "difference"), "strokes"));
  g_assert_nonnull (strstr (m5.err, "does not verify"));
}

/* the copy fails inside the 4th record's transaction (as a lost server would): whole records
 * stay, the audit trail of the target verifies, the bench knows what waits, and `db sync`
 * completes the copy */
static void
test_interrupted (void)
{
  g_autofree char *a = path ("bench-c.db"), *srv = target ("server_c");
  make_bench (a, "FIX-3", "S4", TRUE);
  g_autoptr (GError) error = NULL;
  {
    g_autoptr (NbStore) from = nb_store_open (a, &error);
    g_assert_no_error (error);
    g_autoptr (NbStore) to = nb_store_open (srv, &error);
    g_assert_no_error (error);
    g_assert_cmpint (nb_store_sync_count_waiting (from, NULL, &error), ==, 9);
    NbStoreSyncReport report = { 0 };
    nb_store_sync_test_fail_after (3);
    g_assert_false (nb_store_sync (from, to, &report, &error));
    nb_store_sync_test_fail_after (-1);
    g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_OFFLINE);
    g_clear_error (&error);
    /* pens S1 (+ firmware), S4 (+ firmware): 4 rows in 2 records; the standard; then the
     * first session failed */
    g_assert_cmpint (report.copied, ==, 5);
    g_assert_cmpint (report.pending, ==, 4);
    g_assert_cmpint (nb_store_sync_count_waiting (from, report.target, &error), ==, 4);
    g_assert_false (nb_store_sync_verify (from, to, &error));
    g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT);
    g_clear_error (&error);
    nb_store_sync_report_clear (&report);
  }
  g_assert_cmpint (count (srv, "SELECT count(*) FROM sessions"), ==, 0);
  g_assert_cmpint (count (srv, "SELECT count(*) FROM strokes"), ==, 0);
  g_assert_cmpint (count (srv, "SELECT count(*) FROM standards"), ==, 1);
  assert_audit_clean (srv, 5);

  g_auto (CliResult) st = { 0 };
  run_expect (&st, 0, "db", "status", "--local-db", a, "--db", srv, "--json", NULL);
  g_autoptr (JsonParser) p0 = NULL;
  JsonObject *o = cli_json_object (&st, &p0);
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "online");
  g_assert_cmpint (json_object_get_int_member (o, "waiting"), ==, 4);

  g_auto (CliResult) s = { 0 };
  run_expect (&s, 0, "db", "sync", "--local-db", a, "--db", srv, "--json", NULL);
  g_autoptr (JsonParser) p1 = NULL;
  o = cli_json_object (&s, &p1);
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "synced");
  g_assert_cmpint (json_object_get_int_member (o, "copied"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (o, "pending"), ==, 0);
  g_assert_cmpint (count (a, "SELECT count(*) FROM sync_sent"), ==, 9);
  g_auto (CliResult) m = { 0 };
  run_expect (&m, 0, "db", "migrate", "--from", a, "--to", srv, "--json", NULL);
  g_autoptr (JsonParser) p2 = NULL;
  o = cli_json_object (&m, &p2);
  g_assert_cmpint (json_object_get_int_member (o, "copied"), ==, 0);
  g_assert_true (json_object_get_boolean_member (o, "verified"));
  g_assert_cmpint (count (srv, "SELECT count(*) FROM sessions WHERE status = 'recording'"), ==, 0);
  assert_audit_clean (srv, 400);
}

/* two copies of one bench at once (the app's background sync and `db sync`): each record is
 * copied once, the other copy finds it there inside the writer lock */
static void
test_concurrent (void)
{
  g_autofree char *a = path ("bench-e.db"), *srv = target ("server_e");
  make_bench (a, "FIX-5", "S5", TRUE);
  /* the target exists (as a fleet's server does) before the two copies start */
  g_auto (CliResult) st = { 0 };
  run_expect (&st, 0, "db", "status", "--local-db", a, "--db", srv, NULL);
  GSubprocess *p1 = cli_start ("db", "sync", "--local-db", a, "--db", srv, "--json", NULL);
  GSubprocess *p2 = cli_start ("db", "sync", "--local-db", a, "--db", srv, "--json", NULL);
  g_auto (CliResult) r1 = { 0 }, r2 = { 0 }, m = { 0 };
  cli_finish (&r1, p1);
  cli_finish (&r2, p2);
  g_test_message ("%s%s%s%s", r1.out, r1.err, r2.out, r2.err);
  g_assert_cmpint (r1.status, ==, 0);
  g_assert_cmpint (r2.status, ==, 0);
  g_autoptr (JsonParser) j1 = NULL, j2 = NULL;
  JsonObject *o1 = cli_json_object (&r1, &j1), *o2 = cli_json_object (&r2, &j2);
  g_assert_cmpint (
      json_object_get_int_member (o1, "copied") + json_object_get_int_member (o2, "copied"), ==, 9);
  g_assert_cmpint (count (srv, "SELECT count(*) FROM sessions"), ==, 2);
  g_assert_cmpint (count (srv, "SELECT count(*) FROM runs"), ==, 1);
  g_assert_cmpint (count (srv, "SELECT count(*) FROM sync_map"), ==, 9);
  g_assert_cmpint (count (a, "SELECT count(*) FROM sync_sent"), ==, 9);
  run_expect (&m, 0, "db", "migrate", "--from", a, "--to", srv, NULL);
  assert_audit_clean (srv, 400);
}

/* a server that cannot be reached: exit 5, distinct from usage (2), data (4) and a copy that
 * does not verify (1); the bench's records still counted as waiting */
static void
test_offline (void)
{
  g_autofree char *a = path ("bench-d.db");
  const char *gone = "postgresql:///nbtest?host=/nonexistent-nb-socket-dir&port=5";
  g_auto (CliResult) rec = { 0 }, st = { 0 }, sy = { 0 }, mi = { 0 };
  run_expect (&rec, 0, "record", "-d", "sim:serial=S9,time-scale=20", "--depth", "1.0", "--rate",
              "100", "--seconds", "1", "--db", a, NULL);
  run_expect (&st, 5, "db", "status", "--local-db", a, "--db", gone, "--json", NULL);
  g_autoptr (JsonParser) p0 = NULL;
  JsonObject *o = cli_json_object (&st, &p0);
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "offline");
  /* pen S9, its firmware row, the session */
  g_assert_cmpint (json_object_get_int_member (o, "waiting"), ==, 3);
  run_expect (&sy, 5, "db", "sync", "--local-db", a, "--db", gone, "--json", NULL);
  g_autoptr (JsonParser) p1 = NULL;
  o = cli_json_object (&sy, &p1);
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "offline");
  g_assert_cmpint (json_object_get_int_member (o, "waiting"), ==, 3);
  run_expect (&mi, 5, "db", "migrate", "--from", a, "--to", gone, NULL);
}

/* usage errors exit 2, a missing source 4 */
static void
test_usage (void)
{
  g_autofree char *missing = path ("none.db"), *srv = path ("usage.db");
  g_auto (CliResult) a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };
  run_expect (&a, 2, "db", NULL);
  run_expect (&b, 2, "db", "migrate", "--from", missing, NULL);
  run_expect (&c, 4, "db", "migrate", "--from", missing, "--to", srv, NULL);
  run_expect (&d, 2, "db", "sync", "--local-db", missing, NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  pg_uri = g_getenv ("NB_PG_URI");
  dir = g_dir_make_tmp ("nb-db-migrate-XXXXXX", NULL);
  g_autofree char *data = path ("data"), *config = path ("config");
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_test_add_func ("/db/migrate", test_migrate);
  g_test_add_func ("/db/interrupted", test_interrupted);
  g_test_add_func ("/db/concurrent", test_concurrent);
  g_test_add_func ("/db/offline", test_offline);
  g_test_add_func ("/db/usage", test_usage);
  int rc = g_test_run ();
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);
  if (rc == 0 && system (rm) != 0)
    g_printerr ("could not remove %s\n", dir);
  return rc;
}
