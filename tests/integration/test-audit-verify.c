/* test-audit-verify.c: `needlebench-cli audit verify` against an attacker with the database file.
 * A database holds a recorded session (`record` on an in-process simulated pen at time-scale 20)
 * and a calibration run (`standards add`, `calibrate`), with the laboratory key in place: it
 * verifies clean (exit 0). Then each tamper, in a fresh copy, with the sqlite3 C API as an
 * attacker would (dropping a trigger and putting it back exactly as it was where the tamper needs
 * it): a stroke's depth, a point's result, a reference standard, a certificate (`lab set`,
 * `certificate`: a draft) and its stored document, an audit entry's detail, a
 * session inserted behind the API (as 'complete': refused; as 'recording' then closed: orphans),
 * a dropped trigger (also refused for writing on open), and the whole chain recomputed with
 * SHA-256 like the 20-line script of the issue, checkpoints included → exit 1 naming the entry,
 * table and rows. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "cli-harness.h"
#include "nb-audit-rows.h"
#include "nb-audit.h"
#include "nb-lab-key.h"
#include "nb-store.h"

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

#define GOOD                                                                                       \
  "depth-offset=0,depth-gain=1,nonlinearity=0,drift=0,rate-loss=0,rate-error=0,time-scale=20"

static char *tmp_dir;
static char *base_db;

static void
copy_file (const char *from, const char *to)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  if (!g_file_test (from, G_FILE_TEST_EXISTS))
    return;
  g_assert_true (g_file_get_contents (from, &data, &len, NULL));
  g_assert_true (g_file_set_contents (to, data, (gssize) len, NULL));
  g_assert_cmpint (g_chmod (to, 0600), ==, 0);
}

/* a fresh copy of the clean database (and its log, if the recorder left one) */
static char *
copy_db (const char *name)
{
  char *path = g_build_filename (tmp_dir, name, NULL);
  copy_file (base_db, path);
  g_autofree char *wal_from = g_strconcat (base_db, "-wal", NULL);
  g_autofree char *wal_to = g_strconcat (path, "-wal", NULL);
  copy_file (wal_from, wal_to);
  return path;
}

static sqlite3 *
open_raw (const char *path)
{
  sqlite3 *db = NULL;
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  return db;
}

static void
exec_ok (sqlite3 *db, const char *sql)
{
  char *msg = NULL;
  int rc = sqlite3_exec (db, sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
}

static gint64
query_int (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  gint64 v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return v;
}

static char *
query_text (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  char *v = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return v;
}

/* behind_trigger: runs @sql with trigger @trigger dropped, then puts the trigger back with the
 * very SQL text it had, so that the schema looks untouched */
static void
behind_trigger (sqlite3 *db, const char *trigger, const char *sql)
{
  g_autofree char *q = g_strdup_printf (
      "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = '%s'", trigger);
  g_autofree char *create = query_text (db, q);
  g_autofree char *drop = g_strdup_printf ("DROP TRIGGER %s", trigger);
  exec_ok (db, drop);
  exec_ok (db, sql);
  exec_ok (db, create);
}

/* verify: `audit verify --json --db PATH`; returns the exit code and the parsed findings */
static int
verify (const char *path, JsonParser **parser, JsonObject **root)
{
  g_auto (CliResult) r = { 0 };
  cli_run (&r, "audit", "verify", "--json", "--db", path, NULL);
  g_test_message ("audit verify %s: exit %d\n%s%s", path, r.status, r.out, r.err);
  if (r.status == 0 || r.status == 1)
    *root = cli_json_object (&r, parser);
  return r.status;
}

/* has_finding: whether @root has a finding of @kind on @table (NULL: any) covering row @row (0:
 * any) or about entry @entry (0: any), whose message contains @text (NULL: any) */
static gboolean
has_finding (JsonObject *root, const char *kind, const char *table, gint64 row, gint64 entry,
             const char *text)
{
  JsonArray *findings = json_object_get_array_member (root, "findings");
  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *f = json_array_get_object_element (findings, i);
      if (g_strcmp0 (json_object_get_string_member (f, "kind"), kind) != 0)
        continue;
      if (table != NULL
          && g_strcmp0 (json_object_get_string_member_with_default (f, "table", NULL), table) != 0)
        continue;
      if (row != 0
          && (json_object_get_int_member_with_default (f, "first", 0) > row
              || json_object_get_int_member_with_default (f, "last", 0) < row))
        continue;
      if (entry != 0 && json_object_get_int_member_with_default (f, "entry", 0) != entry)
        continue;
      if (text != NULL && strstr (json_object_get_string_member (f, "message"), text) == NULL)
        continue;
      return TRUE;
    }
  return FALSE;
}

static guint
n_findings (JsonObject *root)
{
  return json_array_get_length (json_object_get_array_member (root, "findings"));
}

static void
test_clean (void)
{
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = NULL;
  g_assert_cmpint (verify (base_db, &parser, &root), ==, 0);
  g_assert_true (json_object_get_boolean_member (root, "clean"));
  g_assert_cmpuint (n_findings (root), ==, 0);
  gint64 entries = json_object_get_int_member (root, "entries");
  g_assert_cmpint (entries, >, 10);
  /* a session close and a run close at least, and the last entry is signed */
  g_assert_cmpint (json_object_get_int_member (root, "checkpoints"), >=, 2);
  g_assert_cmpint (json_object_get_int_member (root, "signed_up_to"), ==, entries);
  g_assert_cmpint (json_object_get_int_member (root, "rows_checked"), >, 100);
  g_assert_true (json_object_get_null_member (root, "first_broken_entry"));
}

static void
test_no_key (void)
{
  /* another laboratory's public key: no checkpoint verifies */
  g_autofree char *other = g_build_filename (tmp_dir, "other.pub", NULL);
  guint8 seed[NB_LAB_KEY_SEED_BYTES] = { 7 };
  g_autoptr (NbLabKey) key = nb_lab_key_new_from_seed (seed, NULL);
  g_assert_true (nb_lab_key_write_public (key, other, NULL));
  g_auto (CliResult) r = { 0 };
  cli_run (&r, "audit", "verify", "--db", base_db, "--key", other, NULL);
  g_test_message ("%s%s", r.out, r.err);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.out, "not the laboratory key"));
  g_assert_nonnull (strstr (r.out, "no signed checkpoint after entry 0"));

  /* usage and unreadable files */
  g_auto (CliResult) u = { 0 };
  cli_run (&u, "audit", "verify", "--db", base_db, "extra", NULL);
  g_assert_cmpint (u.status, ==, 2);
  g_autofree char *missing = g_build_filename (tmp_dir, "missing.db", NULL);
  g_auto (CliResult) m = { 0 };
  cli_run (&m, "audit", "verify", "--db", missing, NULL);
  g_assert_cmpint (m.status, ==, 4);
}

static void
test_stroke_changed (void)
{
  g_autofree char *path = copy_db ("stroke.db");
  sqlite3 *db = open_raw (path);
  gint64 row = query_int (db, "SELECT min(rowid) + 5 FROM strokes");
  g_autofree char *sql = g_strdup_printf (
      "UPDATE strokes SET depth_mm = depth_mm + 0.05 WHERE rowid = %" G_GINT64_FORMAT, row);
  behind_trigger (db, "strokes_no_update", sql);
  sqlite3_close (db);

  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = NULL;
  g_assert_cmpint (verify (path, &parser, &root), ==, 1);
  g_assert_true (has_finding (root, "content", "strokes", row, 0, "changed since audit entry"));
  g_assert_false (has_finding (root, "schema", NULL, 0, 0, NULL)); /* the trigger is back */
  g_assert_false (has_finding (root, "chain", NULL, 0, 0, NULL));
}

static void
test_point_changed (void)
{
  g_autofree char *path = copy_db ("point.db");
  sqlite3 *db = open_raw (path);
  gint64 point = query_int (db, "SELECT max(id) FROM run_points");
  g_autofree char *sql = g_strdup_printf (
      "UPDATE run_points SET error = 0, verdict = 'pass' WHERE id = %" G_GINT64_FORMAT, point);
  behind_trigger (db, "run_points_no_update", sql);
  sqlite3_close (db);

  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = NULL;
  g_assert_cmpint (verify (path, &parser, &root), ==, 1);
  g_assert_true (has_finding (root, "content", "run_points", point, 0, NULL));
  g_assert_cmpuint (n_findings (root), ==, 1);
}

static void
test_standard_changed (void)
{
  g_autofree char *path = copy_db ("standard.db");
  sqlite3 *db = open_raw (path);
  behind_trigger (db, "standards_no_update", "UPDATE standards SET uncertainty_mm = 0.0001");
  sqlite3_close (db);

  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = NULL;
  g_assert_cmpint (verify (path, &parser, &root), ==, 1);
  g_assert_true (has_finding (root, "content", "standards", 1, 0, "standards row 1 changed"));
}

static void
test_certificate_changed (void)
{
  g_autofree char *path = copy_db ("certificate.db");
  sqlite3 *db = open_raw (path);
  gint64 record = query_int (db, "SELECT max(id) FROM certificate_records");
  /* the stored document names another laboratory; the row's own content_sha256 column kept */
  behind_trigger (db, "certificate_records_no_update",
                  "UPDATE certificate_records SET document = replace(document, 'Audit Lab',"
                  " 'Other Lab')");
  g_assert_cmpint (
      query_int (db, "SELECT count(*) FROM certificate_records WHERE document LIKE '%Other Lab%'"),
      >=, 1);
  sqlite3_close (db);

  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = NULL;
  g_assert_cmpint (verify (path, &parser, &root), ==, 1);
  g_assert_true (has_finding (root, "content", "certificate_records", record, 0, NULL));
  g_assert_cmpuint (n_findings (root), ==, 1);

  /* a certificate row: its number */
  g_autofree char *path2 = copy_db ("certificate2.db");
  db = open_raw (path2);
  behind_trigger (db, "certificates_no_update",
                  "UPDATE certificates SET created_by = 'mallory' WHERE id = 1");
  sqlite3_close (db);
  g_autoptr (JsonParser) parser2 = NULL;
  g_assert_cmpint (verify (path2, &parser2, &root), ==, 1);
  g_assert_true (has_finding (root, "content", "certificates", 1, 0, "certificates row 1 changed"));
}

static void
test_audit_changed (void)
{
  g_autofree char *path = copy_db ("audit.db");
  sqlite3 *db = open_raw (path);
  behind_trigger (db, "audit_no_update", "UPDATE audit SET detail = 'strokes=0' WHERE id = 3");
  sqlite3_close (db);

  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = NULL;
  g_assert_cmpint (verify (path, &parser, &root), ==, 1);
  g_assert_cmpint (json_object_get_int_member (root, "first_broken_entry"), ==, 3);
  g_assert_true (has_finding (root, "chain", NULL, 0, 3, "broken at entry 3"));
}

static void
test_forged_session (void)
{
  g_autofree char *path = copy_db ("forged.db");
  sqlite3 *db = open_raw (path);
  /* inserted already complete: refused without dropping a trigger */
  char *msg = NULL;
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO sessions (operator, sample_rate_hz, started_at,"
                                 " ended_at, status) VALUES ('mallory', 20000, 1, 2, 'complete')",
                                 NULL, NULL, &msg),
                   !=, SQLITE_OK);
  g_assert_nonnull (strstr (msg, "a session starts recording"));
  sqlite3_free (msg);

  /* inserted recording, given strokes and closed: every statement the triggers allow, and every
   * row an orphan */
  exec_ok (db, "INSERT INTO sessions (operator, sample_rate_hz, started_at)"
               " VALUES ('mallory', 20000, 1)");
  gint64 session = sqlite3_last_insert_rowid (db);
  g_autofree char *strokes = g_strdup_printf (
      "INSERT INTO strokes (session_id, idx, peak_sample, time_s, depth_mm, period_s)"
      " VALUES (%1$" G_GINT64_FORMAT ", 0, 10, 0.01, 0.5, 0), (%1$" G_GINT64_FORMAT
      ", 1, 210, 0.02, 0.5, 0.01), (%1$" G_GINT64_FORMAT ", 2, 410, 0.03, 0.5, 0.01)",
      session);
  exec_ok (db, strokes);
  gint64 last_stroke = sqlite3_last_insert_rowid (db);
  g_autofree char *close = g_strdup_printf (
      "UPDATE sessions SET status = 'complete', ended_at = 2 WHERE id = %" G_GINT64_FORMAT,
      session);
  exec_ok (db, close);
  sqlite3_close (db);

  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = NULL;
  g_assert_cmpint (verify (path, &parser, &root), ==, 1);
  g_assert_true (has_finding (root, "orphan", "sessions", session, 0, NULL));
  for (gint64 row = last_stroke - 2; row <= last_stroke; row++)
    g_assert_true (has_finding (root, "orphan", "strokes", row, 0, NULL));
  g_assert_cmpuint (n_findings (root), ==, 2); /* nothing else is wrong */

  /* the trigger dropped to insert it complete: the schema finding too */
  g_autofree char *path2 = copy_db ("forged2.db");
  db = open_raw (path2);
  exec_ok (db, "DROP TRIGGER sessions_start_recording");
  exec_ok (db, "INSERT INTO sessions (operator, sample_rate_hz, started_at, ended_at, status)"
               " VALUES ('mallory', 20000, 1, 2, 'complete')");
  session = sqlite3_last_insert_rowid (db);
  sqlite3_close (db);
  g_autoptr (JsonParser) parser2 = NULL;
  g_assert_cmpint (verify (path2, &parser2, &root), ==, 1);
  g_assert_true (has_finding (root, "orphan", "sessions", session, 0, NULL));
  g_assert_true (has_finding (root, "schema", NULL, 0, 0, "sessions_start_recording is missing"));
}

static void
test_trigger_dropped (void)
{
  g_autofree char *path = copy_db ("dropped.db");
  sqlite3 *db = open_raw (path);
  exec_ok (db, "DROP TRIGGER strokes_no_delete");
  sqlite3_close (db);

  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = NULL;
  g_assert_cmpint (verify (path, &parser, &root), ==, 1);
  g_assert_true (has_finding (root, "schema", NULL, 0, 0, "trigger strokes_no_delete is missing"));
  g_assert_cmpuint (n_findings (root), ==, 1);

  /* refused for writing, naming the trigger; readable to investigate */
  GError *error = NULL;
  NbStore *store = nb_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "strokes_no_delete"));
  g_clear_error (&error);
  store = nb_store_open_full (path, NB_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  nb_store_close (store);

  /* altered (same name, weaker body) is as bad as dropped */
  g_autofree char *path2 = copy_db ("altered.db");
  db = open_raw (path2);
  exec_ok (db, "DROP TRIGGER run_points_no_update");
  exec_ok (db, "CREATE TRIGGER run_points_no_update BEFORE UPDATE ON run_points"
               "  WHEN NEW.run_id <> OLD.run_id BEGIN SELECT RAISE(ABORT, 'no'); END");
  sqlite3_close (db);
  g_autoptr (JsonParser) parser2 = NULL;
  g_assert_cmpint (verify (path2, &parser2, &root), ==, 1);
  g_assert_true (has_finding (root, "schema", NULL, 0, 0, "run_points_no_update was altered"));
  store = nb_store_open (path2, &error);
  g_assert_null (store);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "run_points_no_update"));
  g_clear_error (&error);
}

/* The attacker's script: after changing a stroke, recompute the content hash of the entry that
 * covers it and then every entry's hash from there on with plain SHA-256 (the code is public);
 * with @checkpoints, also write the new hashes into the checkpoints (their signatures cannot be
 * redone without the laboratory's secret key). */
static gint64
recompute_chain (const char *path, gboolean checkpoints)
{
  sqlite3 *db = open_raw (path);
  gint64 row = query_int (db, "SELECT min(rowid) + 7 FROM strokes");
  g_autofree char *sql
      = g_strdup_printf ("UPDATE strokes SET depth_mm = 0.25 WHERE rowid = %" G_GINT64_FORMAT, row);
  behind_trigger (db, "strokes_no_update", sql);

  /* the entry covering the stroke, and its coverage resealed (the library's own row hash) */
  g_autofree char *find = g_strdup_printf (
      "SELECT id FROM audit WHERE action = 'session.data' AND covers LIKE '%%strokes:%%'"
      " AND CAST(substr(covers, instr(covers, 'strokes:') + 8) AS INTEGER) <= %" G_GINT64_FORMAT
      " ORDER BY id DESC LIMIT 1",
      row);
  gint64 entry = query_int (db, find);
  g_autofree char *q
      = g_strdup_printf ("SELECT covers FROM audit WHERE id = %" G_GINT64_FORMAT, entry);
  g_autofree char *covers = query_text (db, q);
  g_autoptr (GString) bare = g_string_new (NULL);
  g_auto (GStrv) ranges = g_strsplit (covers, " ", -1);
  for (char **r = ranges; *r; r++)
    {
      char *colon = strrchr (*r, ':');
      g_string_append_printf (bare, "%s%.*s", bare->len ? " " : "", (int) (colon - *r), *r);
    }
  GError *error = NULL;
  NbStore *store = nb_store_open_full (path, NB_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_autofree char *resealed = nb_audit_covers_seal (store, bare->str, &error);
  g_assert_no_error (error);
  nb_store_close (store);
  g_assert_cmpstr (resealed, !=, covers);

  /* the 20-line script: every hash from that entry on */
  g_autofree char *create = query_text (
      db, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_no_update'");
  exec_ok (db, "DROP TRIGGER audit_no_update");
  sqlite3_stmt *upd = NULL;
  g_assert_cmpint (
      sqlite3_prepare_v2 (db, "UPDATE audit SET covers = ? WHERE id = ?", -1, &upd, NULL), ==,
      SQLITE_OK);
  sqlite3_bind_text (upd, 1, resealed, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (upd, 2, entry);
  g_assert_cmpint (sqlite3_step (upd), ==, SQLITE_DONE);
  sqlite3_finalize (upd);
  g_autofree char *qprev
      = g_strdup_printf ("SELECT prev_hash FROM audit WHERE id = %" G_GINT64_FORMAT, entry);
  g_autofree char *prev = query_text (db, qprev);
  sqlite3_stmt *sel = NULL;
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT id, at, actor, action, subject, detail, covers"
                                       " FROM audit WHERE id >= ? ORDER BY id",
                                       -1, &sel, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?",
                                       -1, &upd, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_int64 (sel, 1, entry);
  while (sqlite3_step (sel) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (sel, 0);
      char *hash = nb_audit_hash_full (
          prev, id, sqlite3_column_int64 (sel, 1), (const char *) sqlite3_column_text (sel, 2),
          (const char *) sqlite3_column_text (sel, 3), (const char *) sqlite3_column_text (sel, 4),
          (const char *) sqlite3_column_text (sel, 5), (const char *) sqlite3_column_text (sel, 6));
      sqlite3_bind_text (upd, 1, prev, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (upd, 2, hash, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (upd, 3, id);
      g_assert_cmpint (sqlite3_step (upd), ==, SQLITE_DONE);
      sqlite3_reset (upd);
      g_free (prev);
      prev = hash;
    }
  sqlite3_finalize (sel);
  sqlite3_finalize (upd);
  exec_ok (db, create);
  if (checkpoints)
    behind_trigger (db, "audit_checkpoints_no_update",
                    "UPDATE audit_checkpoints SET hash ="
                    " (SELECT hash FROM audit WHERE audit.id = audit_checkpoints.audit_id)");
  sqlite3_close (db);
  return entry;
}

static void
test_chain_recomputed (void)
{
  for (int checkpoints = 0; checkpoints <= 1; checkpoints++)
    {
      g_autofree char *name = g_strdup_printf ("recomputed-%d.db", checkpoints);
      g_autofree char *path = copy_db (name);
      gint64 entry = recompute_chain (path, checkpoints);

      g_autoptr (JsonParser) parser = NULL;
      JsonObject *root = NULL;
      g_assert_cmpint (verify (path, &parser, &root), ==, 1);
      /* the chain and the rows agree with each other again ... */
      g_assert_false (has_finding (root, "chain", NULL, 0, 0, NULL));
      g_assert_false (has_finding (root, "content", NULL, 0, 0, NULL));
      g_assert_false (has_finding (root, "schema", NULL, 0, 0, NULL));
      /* ... but not with what the laboratory signed: the first checkpoint after the change */
      g_assert_true (
          has_finding (root, "checkpoint", NULL, 0, 0,
                       checkpoints ? "does not verify" : "not the one the laboratory signed"));
      JsonArray *findings = json_object_get_array_member (root, "findings");
      JsonObject *first = json_array_get_object_element (findings, 0);
      g_assert_cmpstr (json_object_get_string_member (first, "kind"), ==, "checkpoint");
      g_assert_cmpint (json_object_get_int_member (first, "entry"), >=, entry);
      g_assert_true (has_finding (root, "unsigned", NULL, 0, 0, "no signed checkpoint after"));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("nb-audit-verify-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  /* the laboratory key lives in the data directory; the CLI inherits it */
  g_autofree char *xdg = g_build_filename (tmp_dir, "xdg", NULL);
  g_setenv ("XDG_DATA_HOME", xdg, TRUE);
  g_autofree char *key_path = nb_lab_key_default_path ();
  GError *error = NULL;
  NbLabKey *key = nb_lab_key_load_or_create (key_path, &error);
  g_assert_no_error (error);
  nb_lab_key_free (key);

  base_db = g_build_filename (tmp_dir, "nb.db", NULL);
  {
    g_auto (CliResult) r = { 0 };
    cli_run (&r, "record", "-d", "sim:time-scale=20", "--depth", "0.5", "--rate", "100",
             "--seconds", "3", "--db", base_db, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_auto (CliResult) s = { 0 };
    cli_run (&s, "standards", "add", "--serial", "NB-FIX-SIM-0001", "--certificate", "CAL-1",
             "--uncertainty-mm", "0.0010", "--k", "2", "--due", "2099-12-31", "--db", base_db,
             NULL);
    g_assert_cmpint (s.status, ==, 0);
    g_auto (CliResult) c = { 0 };
    cli_run (&c, "calibrate", "-d", "sim:serial=AUDIT-1," GOOD, "--fixture",
             "sim-fixture:pen=AUDIT-1", "--profile", "cheek-chin-thick", "--db", base_db, NULL);
    g_test_message ("calibrate: exit %d\n%s%s", c.status, c.out, c.err);
    g_assert_cmpint (c.status, ==, 0);
    /* the run's (draft) certificate */
    g_auto (CliResult) l = { 0 };
    cli_run (&l, "lab", "set", "--name", "Audit Lab", "--address", "1 Test Street", "--db", base_db,
             NULL);
    g_assert_cmpint (l.status, ==, 0);
    g_autofree char *out = g_build_filename (tmp_dir, "certificates", NULL);
    g_auto (CliResult) cert = { 0 };
    cli_run (&cert, "certificate", "1", "--out", out, "--db", base_db, NULL);
    g_test_message ("certificate: exit %d\n%s%s", cert.status, cert.out, cert.err);
    g_assert_cmpint (cert.status, ==, 0);
  }

  g_test_add_func ("/audit-verify/clean", test_clean);
  g_test_add_func ("/audit-verify/no-key", test_no_key);
  g_test_add_func ("/audit-verify/stroke-changed", test_stroke_changed);
  g_test_add_func ("/audit-verify/point-changed", test_point_changed);
  g_test_add_func ("/audit-verify/standard-changed", test_standard_changed);
  g_test_add_func ("/audit-verify/certificate-changed", test_certificate_changed);
  g_test_add_func ("/audit-verify/audit-changed", test_audit_changed);
  g_test_add_func ("/audit-verify/forged-session", test_forged_session);
  g_test_add_func ("/audit-verify/trigger-dropped", test_trigger_dropped);
  g_test_add_func ("/audit-verify/chain-recomputed", test_chain_recomputed);
  int rc = g_test_run ();

  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", tmp_dir);
  g_free (base_db);
  g_free (tmp_dir);
  return rc;
}
