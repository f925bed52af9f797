/* test-store-schema.c: schema, migrations, file mode and the append-only triggers. Part of the
 * test-store program (see test-store.c). */
#include "nb-audit-verify.h"
#include "nb-audit.h"
#include "nb-export.h"
#include "nb-recorder.h"
#include "nb-store-private.h"
#include "store-test-util.h"

#include <string.h>
#include <sys/stat.h>

static void
test_file_mode (void)
{
  static const mode_t masks[] = { 0, 022, 0277 };
  for (guint i = 0; i < G_N_ELEMENTS (masks); i++)
    {
      g_autofree char *dir = nb_test_tmpdir_new ();
      g_autofree char *sub = g_build_filename (dir, "data", NULL);
      g_autofree char *path = g_build_filename (sub, "mode.db", NULL);
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      GError *error = NULL;
      mode_t old = umask (masks[i]);
      NbStore *store = nb_store_open (path, &error);
      umask (old);
      g_assert_no_error (error);
      g_assert_true (nb_audit_append (store, "test", "test.write", NULL, NULL, &error));
      check_mode (path, 0600);
      check_mode (wal, 0600);
      check_mode (sub, 0700);
      nb_store_close (store);
      nb_test_tmpdir_free (g_steal_pointer (&dir));
    }
}

static void
test_default_path (void)
{
  g_autofree char *path = nb_store_get_default_path ();
  g_autofree char *want
      = g_build_filename (g_get_user_data_dir (), "needlebench", "needlebench.db", NULL);
  g_assert_cmpstr (path, ==, want);
  g_assert_cmpstr (g_quark_to_string (NB_STORE_ERROR), ==, "nb-store-error-quark");
}

/* schema 10: every database has an identity of its own, fixed from its creation (or its
 * migration to 10) */
static void
test_identity (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *a = nb_test_store_location (dir, "a.db");
  g_autofree char *b = nb_test_store_location (dir, "b.db");
  GError *error = NULL;

  NbStore *store = nb_store_open (a, &error);
  g_assert_no_error (error);
  g_autofree char *id_a = nb_store_get_identity (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (id_a), ==, 32);
  g_assert_true (strspn (id_a, "0123456789abcdef") == 32);
  g_assert_false (nb_store_exec (store, "UPDATE store_identity SET uuid = '0'", &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (nb_store_exec (store,
                                 "INSERT INTO store_identity VALUES (2, '"
                                 "0123456789abcdef0123456789abcdef', 0)",
                                 &error));
  g_clear_error (&error);
  nb_store_close (store);
  store = nb_store_open (a, &error);
  g_autofree char *again = nb_store_get_identity (store, &error);
  g_assert_cmpstr (again, ==, id_a);
  nb_store_close (store);

  store = nb_store_open (b, &error);
  g_autofree char *id_b = nb_store_get_identity (store, &error);
  g_assert_cmpstr (id_b, !=, id_a);
  nb_store_close (store);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

/* a database from before schema 10 gets an identity when it is brought forward */
static void
test_identity_migrated (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *old = nb_test_store_location (dir, "v9.db");
  GError *error = NULL;
  NbStore *store = nb_store_test_open_at_version (old, 9, &error);
  g_assert_no_error (error);
  g_assert_null (nb_store_get_identity (store, &error));
  g_clear_error (&error);
  nb_store_close (store);
  store = nb_store_open (old, &error);
  g_assert_no_error (error);
  g_autofree char *id_old = nb_store_get_identity (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (id_old), ==, 32);
  nb_store_close (store);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_migrations (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *empty = g_build_filename (dir, "empty.db", NULL);
  g_autofree char *old = nb_test_store_location (dir, "v1.db");
  GError *error = NULL;

  /* an existing empty file is a database at version 0 */
  g_assert_true (g_file_set_contents (empty, "", 0, &error));
  NbStore *store = nb_store_open (empty, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nb_store_get_schema_version (store), ==, nb_store_get_latest_schema_version ());
  g_assert_cmpint (nb_store_get_latest_schema_version (), >=, 2);
  g_assert_true (nb_test_has_index (store, "sessions_started"));
  nb_store_close (store);

  /* a version 1 database with data is brought forward, keeping the data */
  store = nb_store_test_open_at_version (old, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nb_store_get_schema_version (store), ==, 1);
  g_assert_false (nb_test_has_index (store, "sessions_started"));
  NbStoreSessionParams sp = { .pen_serial = "OLD-1", .note = "from v1", .sample_rate_hz = 20000 };
  gint64 id = nb_store_begin_session (store, &sp, &error);
  g_assert_no_error (error);
  NbStoreStroke st = make_stroke (0);
  g_assert_true (nb_store_add_stroke (store, id, &st, &error));
  g_assert_true (nb_store_close_session (store, id, NB_SESSION_COMPLETE, NULL, &error));
  nb_store_close (store);

  store = nb_store_open (old, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nb_store_get_schema_version (store), ==, nb_store_get_latest_schema_version ());
  g_assert_true (nb_test_has_index (store, "sessions_started"));
  g_autoptr (NbStoreSession) s = nb_store_get_session (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s->note, ==, "from v1");
  g_assert_cmpint (nb_store_count_strokes (store, id, &error), ==, 1);
  g_assert_true (nb_audit_verify (store, NULL, NULL, &error));
  /* the rows written before audit coverage are covered as found at the upgrade: no orphans */
  {
    g_autoptr (NbAuditReport) report = nb_audit_verify_report (store, NULL, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < report->findings->len; i++)
      {
        const NbAuditFinding *f = report->findings->pdata[i];
        g_test_message ("%s", f->message);
        g_assert_cmpint (f->kind, ==, NB_AUDIT_FINDING_UNSIGNED); /* no key in this test */
      }
    g_assert_cmpint (report->rows, >=, 3); /* the pen, the session, the stroke */
  }

  /* a database from the future is refused */
  g_assert_true (nb_store_exec (store, "PRAGMA user_version = 99", &error));
  nb_store_close (store);
  store = nb_store_open (old, &error);
  g_assert_null (store);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_SCHEMA);
  g_test_message ("newer schema: %s", error->message);
  g_clear_error (&error);

  /* not a database */
  g_autofree char *junk = g_build_filename (dir, "junk.db", NULL);
  g_assert_true (g_file_set_contents (junk,
                                      "this is not an SQLite database, not at all, no; "
                                      "it is much longer than one header though......",
                                      -1, &error));
  store = nb_store_open (junk, &error);
  g_assert_null (store);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
expect_rejected (NbStore *store, const char *sql)
{
  GError *error = NULL;
  g_assert_false (nb_store_exec (store, sql, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT);
  g_test_message ("%s -> %s", sql, error->message);
  g_clear_error (&error);
}

static void
test_append_only (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "ao.db");
  GError *error = NULL;
  gint64 id = record_session (path, 10, 10);
  g_autoptr (NbStore) store = nb_store_open (path, &error);
  g_assert_no_error (error);

  expect_rejected (store, "UPDATE strokes SET depth_mm = 9");
  expect_rejected (store, "DELETE FROM strokes");
  expect_rejected (store, nb_test_backend_is_pg () ? "UPDATE batches SET samples = '\\x0000'"
                                                   : "UPDATE batches SET samples = x'0000'");
  expect_rejected (store, "DELETE FROM batches");
  expect_rejected (store, "UPDATE events SET detail = 'x'");
  expect_rejected (store, "DELETE FROM events");
  expect_rejected (store, "UPDATE audit SET actor = 'mallory'");
  expect_rejected (store, "DELETE FROM audit");
  expect_rejected (store, "DELETE FROM pen_firmware");
  expect_rejected (store, "DELETE FROM pens");
  expect_rejected (store, "DELETE FROM sessions");
  /* closed sessions are frozen and take no more data */
  expect_rejected (store, "UPDATE sessions SET status = 'aborted', ended_at = 1");
  expect_rejected (store, "UPDATE sessions SET note = 'rewritten'");
  NbStoreStroke st = make_stroke (1000);
  g_assert_false (nb_store_add_stroke (store, id, &st, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (nb_store_close_session (store, id, NB_SESSION_COMPLETE, NULL, &error));
  g_clear_error (&error);

  /* a recording session may only be closed, not edited */
  NbStoreSessionParams sp = { .note = "open", .sample_rate_hz = 20000 };
  gint64 open_id = nb_store_begin_session (store, &sp, &error);
  g_assert_no_error (error);
  expect_rejected (store, "UPDATE sessions SET note = 'rewritten' WHERE status = 'recording'");
  expect_rejected (store, "UPDATE sessions SET operator = 'x', status = 'complete', ended_at = 5"
                          " WHERE status = 'recording'");
  g_assert_true (nb_store_close_session (store, open_id, NB_SESSION_COMPLETE, NULL, &error));
  g_assert_no_error (error);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

static gpointer
open_and_close (gpointer path)
{
  GError *error = NULL;
  NbStore *store = nb_store_open (path, &error);
  nb_store_close (store);
  return error;
}

/* several processes (here connections in threads) opening one new file at once: one creates and
 * migrates it, the others wait or check the schema of a consistent version, and none refuses it
 * (the version and the tables used to be read apart: "unexpected table", "audit was altered") */
static void
test_concurrent_create (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  for (int round = 0; round < 20; round++)
    {
      g_autofree char *name = g_strdup_printf ("new-%d.db", round);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GThread *threads[6];
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        threads[i] = g_thread_new ("open", open_and_close, path);
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        {
          GError *error = g_thread_join (threads[i]);
          g_assert_no_error (error);
        }
    }
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

void
test_store_add_schema_tests (void)
{
  nb_test_add_sqlite_only ("/store/concurrent-create", test_concurrent_create,
                           "one new SQLite file opened by several connections at once");
  nb_test_add_func ("/store/identity", test_identity);
  nb_test_add_sqlite_only ("/store/identity-migrated", test_identity_migrated,
                           "a SQLite file of schema 9 brought forward");
  nb_test_add_sqlite_only ("/store/file-mode", test_file_mode, "the file's and WAL's mode");
  nb_test_add_func ("/store/default-path", test_default_path);
  nb_test_add_sqlite_only ("/store/migrations", test_migrations,
                           "empty, old (schema 1), newer (user_version) and junk SQLite files");
  nb_test_add_func ("/store/append-only", test_append_only);
}
