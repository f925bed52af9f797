/* test-store-audit.c: the audit trail: its hash chain detects tampering. Part of the test-store
 * program (see test-store.c). */
#include "nb-audit-verify.h"
#include "nb-audit.h"
#include "nb-export.h"
#include "nb-recorder.h"
#include "nb-store-private.h"
#include "store-test-util.h"

static void
test_audit_tamper (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "audit.db");
  GError *error = NULL;
  record_session (path, 5, 5);
  g_autoptr (NbStore) store = nb_store_open (path, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 5; i++)
    g_assert_true (nb_audit_append (store, NULL, "test.entry", "t", "detail", &error));
  gint64 n = 0, bad = 0;
  g_assert_true (nb_audit_verify (store, &n, &bad, &error));
  g_assert_cmpint (n, ==, 9); /* firmware, start, the rows of one commit, close, 5 test entries */

  /* go behind the triggers' back */
  g_assert_true (nb_test_tamper (store, "audit",
                                 "UPDATE audit SET detail = 'strokes=0' WHERE id = 3", &error));
  g_assert_false (nb_audit_verify (store, &n, &bad, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_cmpint (bad, ==, 3);
  g_assert_cmpint (n, ==, 2);

  /* even recomputing that row's hash is caught at the next row */
  NbStmt *stmt = nb_store_stmt (
      store, "SELECT prev_hash, at, actor, action, subject, detail, covers FROM audit WHERE id = 3",
      NULL);
  g_assert_cmpint (nb_stmt_step (stmt), ==, SQLITE_ROW);
  g_autofree char *h = nb_audit_hash_full (
      (const char *) nb_stmt_column_text (stmt, 0), 3, nb_stmt_column_int64 (stmt, 1),
      (const char *) nb_stmt_column_text (stmt, 2), (const char *) nb_stmt_column_text (stmt, 3),
      (const char *) nb_stmt_column_text (stmt, 4), (const char *) nb_stmt_column_text (stmt, 5),
      (const char *) nb_stmt_column_text (stmt, 6));
  nb_stmt_reset (stmt);
  g_autofree char *sql = g_strdup_printf ("UPDATE audit SET hash = '%s' WHERE id = 3", h);
  g_assert_true (nb_test_tamper (store, "audit", sql, &error));
  g_assert_false (nb_audit_verify (store, NULL, &bad, &error));
  g_clear_error (&error);
  g_assert_cmpint (bad, ==, 4);

  /* a deleted row */
  g_autofree char *path2 = nb_test_store_location (dir, "audit2.db");
  record_session (path2, 1, 1);
  g_autoptr (NbStore) store2 = nb_store_open (path2, &error);
  g_assert_true (nb_test_tamper (store2, "audit", "DELETE FROM audit WHERE id = 2", &error));
  g_assert_false (nb_audit_verify (store2, NULL, &bad, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_cmpint (bad, ==, 3);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

static NbLabKey *
test_key (guint8 fill)
{
  guint8 seed[NB_LAB_KEY_SEED_BYTES];
  memset (seed, fill, sizeof seed);
  GError *error = NULL;
  NbLabKey *key = nb_lab_key_new_from_seed (seed, &error);
  g_assert_no_error (error);
  return key;
}

static gint64
count (NbStore *store, const char *sql)
{
  NbStmt *stmt = nb_store_stmt (store, sql, NULL);
  g_assert_nonnull (stmt);
  g_assert_cmpint (nb_stmt_step (stmt), ==, SQLITE_ROW);
  gint64 n = nb_stmt_column_int64 (stmt, 0);
  nb_stmt_reset (stmt);
  return n;
}

static gboolean
report_has (const NbAuditReport *r, NbAuditFindingKind kind, const char *text)
{
  for (guint i = 0; i < r->findings->len; i++)
    {
      const NbAuditFinding *f = r->findings->pdata[i];
      g_test_message ("finding: %s", f->message);
      if (f->kind == kind && strstr (f->message, text) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* Rows written through the API, in and out of a transaction, are all covered; checkpoints come
 * at closes and every NB_AUDIT_CHECKPOINT_EVERY entries, signed with the key set; none without
 * a key, which verify reports. */
static void
test_audit_coverage (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "cover.db");
  GError *error = NULL;
  g_autoptr (NbLabKey) key = test_key (1);
  g_autoptr (NbLabKey) other = test_key (2);
  g_autoptr (NbStore) store = nb_store_open (path, &error);
  g_assert_no_error (error);
  nb_store_set_lab_key (store, key);

  NbStoreSessionParams sp
      = { .pen_serial = "COV-1", .pen_firmware = "1.0", .sample_rate_hz = 20000 };
  gint64 id = nb_store_begin_session (store, &sp, &error);
  g_assert_no_error (error);
  g_assert_true (nb_store_begin (store, &error));
  for (guint i = 0; i < 10; i++)
    {
      NbStoreStroke st = make_stroke (i);
      g_assert_true (nb_store_add_stroke (store, id, &st, &error));
    }
  gint16 samples[100] = { 1, 2, 3 };
  g_assert_true (nb_store_add_batch (store, id, 0, samples, 100, &error));
  g_assert_true (nb_store_add_event (store, id, 5, 1, "note", NULL, 1, &error));
  g_assert_true (nb_store_commit (store, &error));
  /* one entry for the transaction's rows, naming each table's range */
  g_assert_cmpint (count (store, "SELECT count(*) FROM audit WHERE action = 'session.data'"), ==,
                   1);
  g_assert_cmpint (count (store, "SELECT count(*) FROM audit WHERE action = 'session.data'"
                                 " AND covers LIKE 'strokes:1-10:% batches:1-1:% events:1-1:%'"),
                   ==, 1);
  /* outside a transaction: its own entry */
  NbStoreStroke st = make_stroke (10);
  g_assert_true (nb_store_add_stroke (store, id, &st, &error));
  g_assert_cmpint (count (store, "SELECT count(*) FROM audit WHERE action = 'session.data'"), ==,
                   2);
  g_assert_true (nb_store_close_session (store, id, NB_SESSION_COMPLETE, NULL, &error));
  gint64 entries = count (store, "SELECT max(id) FROM audit");
  g_assert_cmpint (count (store, "SELECT max(audit_id) FROM audit_checkpoints"), ==, entries);

  g_autoptr (NbAuditReport) clean = nb_audit_verify_report (store, key, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clean->findings->len, ==, 0);
  g_assert_cmpint (clean->signed_upto, ==, entries);
  g_assert_cmpint (clean->rows, >=, 14); /* session, pen, firmware, 11 strokes, batch, event */

  /* a checkpoint every NB_AUDIT_CHECKPOINT_EVERY entries, even without a close */
  for (int i = 0; i < 2 * NB_AUDIT_CHECKPOINT_EVERY; i++)
    g_assert_true (nb_audit_append_rows (store, NULL, "test.bulk", NULL, NULL, NULL,
                                         NB_AUDIT_DEFAULT, &error));
  g_assert_cmpint (count (store, "SELECT count(*) FROM audit_checkpoints WHERE audit_id % 64 = 0"),
                   ==, 2);
  gint64 last_signed = count (store, "SELECT max(audit_id) FROM audit_checkpoints");
  g_assert_cmpint (last_signed % NB_AUDIT_CHECKPOINT_EVERY, ==, 0);

  /* without a key: nothing is signed, and verify says from where */
  nb_store_set_lab_key (store, NULL);
  g_assert_true (nb_audit_append (store, NULL, "test.unsigned", NULL, NULL, &error));
  g_assert_cmpint (count (store, "SELECT max(audit_id) FROM audit_checkpoints"), ==, last_signed);
  g_autoptr (NbAuditReport) unsigned_ = nb_audit_verify_report (store, key, &error);
  g_assert_no_error (error);
  g_autofree char *want
      = g_strdup_printf ("no signed checkpoint after entry %" G_GINT64_FORMAT, last_signed);
  g_assert_true (report_has (unsigned_, NB_AUDIT_FINDING_UNSIGNED, want));
  g_assert_cmpuint (unsigned_->findings->len, ==, 1);

  /* another laboratory's key verifies none of them; no key checks none */
  g_autoptr (NbAuditReport) wrong = nb_audit_verify_report (store, other, &error);
  g_assert_true (report_has (wrong, NB_AUDIT_FINDING_CHECKPOINT, "not the laboratory key"));
  g_autoptr (NbAuditReport) none = nb_audit_verify_report (store, NULL, &error);
  g_assert_true (report_has (none, NB_AUDIT_FINDING_UNSIGNED, "no laboratory public key"));
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

/* The recorder pays one audit entry a commit, not one a row. */
static void
test_audit_recorder_per_commit (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "rec.db");
  GError *error = NULL;
  NbRecorderParams p = default_params (path);
  p.commit_interval_ms = 20;
  g_autoptr (NbRecorder) rec = nb_recorder_new (&p, &error);
  g_assert_no_error (error);
  gint16 samples[100] = { 0 };
  for (guint i = 0; i < 200; i++)
    {
      NbStoreStroke s = make_stroke (i);
      g_assert_true (nb_recorder_add_stroke (rec, &s, &error));
      g_assert_true (nb_recorder_add_batch (rec, (guint64) i * 100, samples, 100, &error));
      if (i % 40 == 0)
        g_usleep (30 * 1000); /* let a few commits happen */
    }
  gint64 id = nb_recorder_get_session_id (rec);
  g_assert_true (nb_recorder_finish (rec, NB_SESSION_COMPLETE, NULL, &error));
  NbRecorderStats stats;
  nb_recorder_get_stats (rec, &stats);
  g_assert_cmpuint (stats.commits, >=, 2);

  g_autoptr (NbStore) store = nb_store_open_full (path, NB_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (store, "SELECT count(*) FROM audit WHERE action = 'session.data'"), ==,
                   (gint64) stats.commits);
  g_assert_cmpint (count (store, "SELECT count(*) FROM strokes"), ==, 200);
  g_autoptr (NbAuditReport) report = nb_audit_verify_report (store, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < report->findings->len; i++)
    g_assert_cmpint (((NbAuditFinding *) report->findings->pdata[i])->kind, ==,
                     NB_AUDIT_FINDING_UNSIGNED); /* no key here: covered, unchanged, unsigned */
  g_assert_cmpint (id, ==, 1);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

/* An extra trigger (one that could rewrite what is inserted) refuses writing as much as a
 * dropped one; reading still works. */
static void
test_audit_schema_on_open (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "schema.db");
  GError *error = NULL;
  NbStore *store = nb_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (nb_store_exec (
      store,
      nb_test_backend_is_pg ()
          ? "CREATE FUNCTION fudge () RETURNS trigger LANGUAGE plpgsql AS"
            " $$BEGIN RETURN NEW; END$$;"
            " CREATE TRIGGER strokes_fudge AFTER INSERT ON strokes"
            " FOR EACH ROW EXECUTE FUNCTION fudge ()"
          : "CREATE TRIGGER strokes_fudge AFTER INSERT ON strokes BEGIN SELECT 1; END",
      &error));
  nb_store_close (store);
  store = nb_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "unexpected trigger strokes_fudge"));
  g_clear_error (&error);
  store = nb_store_open_full (path, NB_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_autoptr (NbAuditReport) report = nb_audit_verify_report (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (report_has (report, NB_AUDIT_FINDING_SCHEMA, "strokes_fudge"));
  nb_store_close (store);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

void
test_store_add_audit_tests (void)
{
  nb_test_add_func ("/store/audit-tamper", test_audit_tamper);
  nb_test_add_func ("/store/audit-coverage", test_audit_coverage);
  nb_test_add_func ("/store/audit-recorder-per-commit", test_audit_recorder_per_commit);
  nb_test_add_func ("/store/audit-schema-on-open", test_audit_schema_on_open);
}
