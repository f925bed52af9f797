/* test-store-audit.c: the audit trail: its hash chain detects tampering. Part of the test-store
 * program (see test-store.c). */
#include "nb-audit.h"
#include "nb-export.h"
#include "nb-recorder.h"
#include "nb-store-private.h"
#include "store-test-util.h"

static void
test_audit_tamper (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "audit.db", NULL);
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
  g_assert_true (nb_store_exec (store, "DROP TRIGGER audit_no_update", &error));
  g_assert_true (
      nb_store_exec (store, "UPDATE audit SET detail = 'strokes=0' WHERE id = 3", &error));
  g_assert_false (nb_audit_verify (store, &n, &bad, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_cmpint (bad, ==, 3);
  g_assert_cmpint (n, ==, 2);

  /* even recomputing that row's hash is caught at the next row */
  sqlite3_stmt *stmt = nb_store_stmt (
      store, "SELECT prev_hash, at, actor, action, subject, detail, covers FROM audit WHERE id = 3",
      NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_autofree char *h = nb_audit_hash_full (
      (const char *) sqlite3_column_text (stmt, 0), 3, sqlite3_column_int64 (stmt, 1),
      (const char *) sqlite3_column_text (stmt, 2), (const char *) sqlite3_column_text (stmt, 3),
      (const char *) sqlite3_column_text (stmt, 4), (const char *) sqlite3_column_text (stmt, 5),
      (const char *) sqlite3_column_text (stmt, 6));
  sqlite3_reset (stmt);
  g_autofree char *sql = g_strdup_printf ("UPDATE audit SET hash = '%s' WHERE id = 3", h);
  g_assert_true (nb_store_exec (store, sql, &error));
  g_assert_false (nb_audit_verify (store, NULL, &bad, &error));
  g_clear_error (&error);
  g_assert_cmpint (bad, ==, 4);

  /* a deleted row */
  g_autofree char *path2 = g_build_filename (dir, "audit2.db", NULL);
  record_session (path2, 1, 1);
  g_autoptr (NbStore) store2 = nb_store_open (path2, &error);
  g_assert_true (nb_store_exec (store2, "DROP TRIGGER audit_no_delete", &error));
  g_assert_true (nb_store_exec (store2, "DELETE FROM audit WHERE id = 2", &error));
  g_assert_false (nb_audit_verify (store2, NULL, &bad, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_cmpint (bad, ==, 3);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

void
test_store_add_audit_tests (void)
{
  g_test_add_func ("/store/audit-tamper", test_audit_tamper);
}
