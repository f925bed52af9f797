/* test-store-voids.c: voiding sessions and runs (nb-store-voids.h). A closed session and a
 * complete run are voided with a reason, who and when, read back by nb_store_get_void (); the
 * reason is required and checked; a second void, a session still recording, a run still running
 * and an unknown id are refused; the triggers refuse UPDATE and DELETE of a void, a duplicate and
 * a void of an open record even to raw SQL; a voided run gets no certificate; each void has its
 * audit entry covering the row, and the chain and the whole verify report stay clean. */
#include <string.h>

#include "nb-audit-verify.h"
#include "nb-audit.h"
#include "nb-lab-key.h"
#include "nb-store-certificates.h"
#include "nb-store-private.h"
#include "nb-store-runs.h"
#include "nb-store-standards.h"
#include "nb-store-voids.h"
#include "store-test-util.h"

typedef struct
{
  char *dir;
  char *path;
  NbLabKey *key;
  NbStore *store;
  gint64 standard;
  gint64 closed_session, open_session;
  gint64 complete_run, running_run;
} Fixture;

static gint64
make_session (NbStore *store, gboolean close)
{
  g_autoptr (GError) error = NULL;
  NbStoreSessionParams sp = {
    .pen_serial = "VOID-1", .pen_firmware = "1.0", .operator_name = "alice", .sample_rate_hz = 20000
  };
  gint64 id = nb_store_begin_session (store, &sp, &error);
  g_assert_no_error (error);
  if (close)
    g_assert_true (nb_store_close_session (store, id, NB_SESSION_COMPLETE, NULL, &error));
  g_assert_no_error (error);
  return id;
}

static gint64
make_run (Fixture *f, gboolean close)
{
  g_autoptr (GError) error = NULL;
  NbStoreRunParams p = { .pen_serial = "PEN-1",
                         .fixture_serial = "FIX-1",
                         .standard_id = f->standard,
                         .profile_id = "service-quick",
                         .profile_version = 1,
                         .rule = "simple",
                         .traceable = TRUE,
                         .operator_name = "alice" };
  gint64 id = nb_store_begin_run (f->store, &p, &error);
  g_assert_no_error (error);
  if (close)
    g_assert_true (
        nb_store_close_run (f->store, id, NB_RUN_COMPLETE, "pass", NULL, "{\"run\":1}", &error));
  g_assert_no_error (error);
  return id;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint8 seed[NB_LAB_KEY_SEED_BYTES];
  memset (seed, 7, sizeof seed);
  f->key = nb_lab_key_new_from_seed (seed, &error);
  g_assert_no_error (error);
  f->dir = nb_test_tmpdir_new ();
  f->path = nb_test_store_location (f->dir, "voids.db");
  f->store = nb_store_open (f->path, &error);
  g_assert_no_error (error);
  nb_store_set_lab_key (f->store, f->key);
  NbStoreStandardParams sp = { .serial = "FIX-1",
                               .certificate = "CAL-1",
                               .uncertainty_mm = 0.001,
                               .k = 2,
                               .due = "2099-12-31",
                               .added_by = "alice" };
  f->standard = nb_store_add_standard (f->store, &sp, &error);
  g_assert_no_error (error);
  f->closed_session = make_session (f->store, TRUE);
  f->open_session = make_session (f->store, FALSE);
  f->complete_run = make_run (f, TRUE);
  f->running_run = make_run (f, FALSE);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  nb_store_close (f->store);
  nb_lab_key_free (f->key);
  g_free (f->path);
  nb_test_tmpdir_free (f->dir);
  nb_test_store_cleanup ();
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

/* raw SQL as anyone with the database: returns the error message, NULL when it was accepted */
static char *
raw_sql (NbStore *store, const char *sql)
{
  g_autoptr (GError) error = NULL;
  if (nb_store_exec (store, sql, &error))
    return NULL;
  return g_strdup (error->message);
}

/* TRUE if @msg names @word in any case: the backends differ (SQLite "UNIQUE constraint failed",
 * PostgreSQL "violates unique constraint") */
static gboolean
mentions (const char *msg, const char *word)
{
  g_autofree char *lower = g_ascii_strdown (msg, -1);
  return strstr (lower, word) != NULL;
}

/* No finding at all with the laboratory key: schema (the voids table and its triggers are what
 * schema 8 creates), chain, signatures, contents, orphans. */
static void
assert_verify_clean (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  gint64 n = 0, bad = 0;
  g_assert_true (nb_audit_verify (f->store, &n, &bad, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bad, ==, 0);
  g_autoptr (NbAuditReport) report = nb_audit_verify_report (f->store, f->key, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < report->findings->len; i++)
    {
      const NbAuditFinding *finding = report->findings->pdata[i];
      g_error ("audit finding (%s): %s", nb_audit_finding_kind_to_string (finding->kind),
               finding->message);
    }
  g_assert_cmpint (report->first_broken, ==, 0);
  g_assert_cmpint (report->signed_upto, ==, report->entries);
}

/* the audit entry of void @void_id: its action, subject and coverage of exactly that row */
static void
assert_audited (Fixture *f, gint64 void_id, const char *action, const char *subject)
{
  NbStmt *stmt = nb_store_stmt (
      f->store, "SELECT action, subject, actor, covers FROM audit ORDER BY id DESC LIMIT 1", NULL);
  g_assert_nonnull (stmt);
  g_assert_cmpint (nb_stmt_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) nb_stmt_column_text (stmt, 0), ==, action);
  g_assert_cmpstr ((const char *) nb_stmt_column_text (stmt, 1), ==, subject);
  g_assert_cmpstr ((const char *) nb_stmt_column_text (stmt, 2), ==, "bob");
  g_autofree char *prefix
      = g_strdup_printf ("voids:%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT ":", void_id, void_id);
  const char *covers = (const char *) nb_stmt_column_text (stmt, 3);
  g_assert_true (g_str_has_prefix (covers, prefix));
  g_assert_cmpuint (strlen (covers), ==, strlen (prefix) + 64);
  nb_stmt_reset (stmt);
}

static void
test_void_session (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_assert_null (nb_store_get_void (f->store, NB_STORE_VOID_SESSION, f->closed_session, &error));
  g_assert_no_error (error);
  gint64 before = g_get_real_time ();
  gint64 id
      = nb_store_void_session (f->store, f->closed_session, "recorded by mistake", "bob", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_autoptr (NbStoreVoid) v
      = nb_store_get_void (f->store, NB_STORE_VOID_SESSION, f->closed_session, &error);
  g_assert_no_error (error);
  g_assert_nonnull (v);
  g_assert_cmpint (v->id, ==, id);
  g_assert_cmpint (v->kind, ==, NB_STORE_VOID_SESSION);
  g_assert_cmpint (v->record_id, ==, f->closed_session);
  g_assert_cmpstr (v->reason, ==, "recorded by mistake");
  g_assert_cmpstr (v->by, ==, "bob");
  g_assert_cmpint (v->at, >=, before);
  g_assert_cmpint (v->at, <=, g_get_real_time ());
  /* a run with the same id is not voided by it */
  g_assert_null (nb_store_get_void (f->store, NB_STORE_VOID_RUN, f->closed_session, &error));
  g_assert_no_error (error);
  /* the session itself is unchanged */
  g_autoptr (NbStoreSession) s = nb_store_get_session (f->store, f->closed_session, &error);
  g_assert_no_error (error);
  g_assert_cmpint (s->status, ==, NB_SESSION_COMPLETE);
  g_autofree char *subject = g_strdup_printf ("session:%" G_GINT64_FORMAT, f->closed_session);
  assert_audited (f, id, "session.void", subject);

  /* twice: refused, naming the first void */
  g_assert_cmpint (nb_store_void_session (f->store, f->closed_session, "again", "bob", &error), ==,
                   0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "already voided"));
  g_assert_nonnull (strstr (error->message, "recorded by mistake"));
  g_clear_error (&error);
  /* still recording: refused */
  g_assert_cmpint (nb_store_void_session (f->store, f->open_session, "oops", "bob", &error), ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "recording"));
  g_clear_error (&error);
  /* unknown */
  g_assert_cmpint (nb_store_void_session (f->store, 9999, "oops", "bob", &error), ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM voids"), ==, 1);
  assert_verify_clean (f);
}

static char *
build_doc (const char *number, char **content_sha256, gpointer user_data, GError **error)
{
  char *doc = g_strdup_printf ("{\"number\":\"%s\"}", number);
  *content_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, doc, -1);
  return doc;
}

static void
test_void_run (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 id
      = nb_store_void_run (f->store, f->complete_run, "calibrated the wrong pen", "bob", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_autoptr (NbStoreVoid) v
      = nb_store_get_void (f->store, NB_STORE_VOID_RUN, f->complete_run, &error);
  g_assert_no_error (error);
  g_assert_nonnull (v);
  g_assert_cmpint (v->kind, ==, NB_STORE_VOID_RUN);
  g_assert_cmpstr (v->reason, ==, "calibrated the wrong pen");
  g_autofree char *subject = g_strdup_printf ("run:%" G_GINT64_FORMAT, f->complete_run);
  assert_audited (f, id, "run.void", subject);

  g_assert_cmpint (nb_store_void_run (f->store, f->complete_run, "again", "bob", &error), ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (nb_store_void_run (f->store, f->running_run, "oops", "bob", &error), ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "running"));
  g_clear_error (&error);

  /* a voided run gets no certificate */
  NbStoreLabParams lab
      = { .name = "Lab", .address = "1 Example Street", .prefix = "LAB", .set_by = "alice" };
  g_assert_cmpint (nb_store_set_lab (f->store, &lab, &error), >, 0);
  g_assert_no_error (error);
  g_assert_null (
      nb_store_create_certificate (f->store, f->complete_run, build_doc, NULL, "bob", &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "voided"));
  g_assert_nonnull (strstr (error->message, "calibrated the wrong pen"));
  g_clear_error (&error);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM certificates"), ==, 0);
  assert_verify_clean (f);
}

static void
test_reason_required (Fixture *f, gconstpointer data)
{
  const char *bad[]
      = { NULL, "", " leading space", "trailing space ", "escape \x1b[2J", "line\nbreak" };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_cmpint (nb_store_void_session (f->store, f->closed_session, bad[i], "bob", &error),
                       ==, 0);
      g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
      g_clear_error (&error);
      g_assert_cmpint (nb_store_void_run (f->store, f->complete_run, bad[i], "bob", &error), ==, 0);
      g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
    }
  g_autofree char *long_reason = g_strnfill (NB_STORE_VOID_REASON_MAX + 1, 'x');
  g_autoptr (GError) error = NULL;
  g_assert_cmpint (nb_store_void_run (f->store, f->complete_run, long_reason, "bob", &error), ==,
                   0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM voids"), ==, 0);
}

/* the schema keeps the promise whoever writes: append-only, one void a record, closed records
 * only, and no certificate row for a voided run */
static void
test_triggers (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_assert_cmpint (nb_store_void_session (f->store, f->closed_session, "mistake", "bob", &error), >,
                   0);
  g_assert_cmpint (nb_store_void_run (f->store, f->complete_run, "wrong pen", "bob", &error), >, 0);
  g_assert_no_error (error);
  g_autofree char *upd = raw_sql (f->store, "UPDATE voids SET reason = 'forged'");
  g_assert_nonnull (upd);
  g_assert_nonnull (strstr (upd, "append-only: UPDATE rejected"));
  g_autofree char *del = raw_sql (f->store, "DELETE FROM voids");
  g_assert_nonnull (del);
  g_assert_nonnull (strstr (del, "append-only: DELETE rejected"));
  g_autofree char *dup = g_strdup_printf ("INSERT INTO voids (kind, record_id, reason, at, by)"
                                          " VALUES ('session', %" G_GINT64_FORMAT ", 'x', 1, 'y')",
                                          f->closed_session);
  g_autofree char *dup_err = raw_sql (f->store, dup);
  g_assert_nonnull (dup_err);
  g_assert_true (mentions (dup_err, "unique"));
  g_autofree char *open = g_strdup_printf ("INSERT INTO voids (kind, record_id, reason, at, by)"
                                           " VALUES ('session', %" G_GINT64_FORMAT ", 'x', 1, 'y')",
                                           f->open_session);
  g_autofree char *open_err = raw_sql (f->store, open);
  g_assert_nonnull (open_err);
  g_assert_nonnull (strstr (open_err, "only a closed session or run"));
  g_autofree char *running = g_strdup_printf ("INSERT INTO voids (kind, record_id, reason, at, by)"
                                              " VALUES ('run', %" G_GINT64_FORMAT ", 'x', 1, 'y')",
                                              f->running_run);
  g_autofree char *running_err = raw_sql (f->store, running);
  g_assert_nonnull (running_err);
  g_assert_nonnull (strstr (running_err, "only a closed session or run"));
  g_autofree char *missing_err = raw_sql (
      f->store, "INSERT INTO voids (kind, record_id, reason, at, by) VALUES ('run', 999, 'x', 1,"
                " 'y')");
  g_assert_nonnull (missing_err);
  gint64 other = make_session (f->store, TRUE);
  g_autofree char *empty = g_strdup_printf ("INSERT INTO voids (kind, record_id, reason, at, by)"
                                            " VALUES ('session', %" G_GINT64_FORMAT ", '', 1, 'y')",
                                            other);
  g_autofree char *empty_err = raw_sql (f->store, empty);
  g_assert_nonnull (empty_err);
  g_assert_true (mentions (empty_err, "check"));
  g_autofree char *cert = g_strdup_printf (
      "INSERT INTO certificates (number, prefix, year, seq, run_id, kind,"
      " created_at, created_by) VALUES ('LAB-2026-000001', 'LAB', 2026, 1, %" G_GINT64_FORMAT
      ", 'calibration-certificate', 1, 'x')",
      f->complete_run);
  g_autofree char *cert_err = raw_sql (f->store, cert);
  g_assert_nonnull (cert_err);
  g_assert_nonnull (strstr (cert_err, "the run was voided"));
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM voids"), ==, 2);
  assert_verify_clean (f);
  /* reopened: the schema check on open accepts the schema (8 and later) as written */
  nb_store_close (f->store);
  f->store = nb_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nb_store_get_schema_version (f->store), ==,
                   nb_store_get_latest_schema_version ());
  g_assert_cmpint (nb_store_get_schema_version (f->store), >=, 8);
  nb_store_set_lab_key (f->store, f->key);
  assert_verify_clean (f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/store/voids/session", Fixture, NULL, fixture_set_up, test_void_session,
              fixture_tear_down);
  g_test_add ("/store/voids/run", Fixture, NULL, fixture_set_up, test_void_run, fixture_tear_down);
  g_test_add ("/store/voids/reason-required", Fixture, NULL, fixture_set_up, test_reason_required,
              fixture_tear_down);
  g_test_add ("/store/voids/triggers", Fixture, NULL, fixture_set_up, test_triggers,
              fixture_tear_down);
  return nb_test_run ();
}
