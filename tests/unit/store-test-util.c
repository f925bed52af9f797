/* store-test-util.c: the store tests' backend: a fresh SQLite path normally, a fresh PostgreSQL
 * database when the program runs with NB_TEST_BACKEND=pg (under tests/pg/pg-run.sh, which gives
 * NB_PG_URI), so the same tests run against both (issue 13 §3). See store-test-util.h. */
#include "store-test-util.h"

#include "nb-store-private.h"

#include <libpq-fe.h>
#include <string.h>
#include <unistd.h>

static PGconn *admin;      /* superuser connection to NB_PG_URI's database */
static GPtrArray *made;    /* names of the databases made for the running test */
static GPtrArray *skipped; /* "path: why" of the tests not registered on PostgreSQL */
static guint serial;

gboolean
nb_test_backend_is_pg (void)
{
  const char *backend = g_getenv ("NB_TEST_BACKEND");
  if (backend == NULL || *backend == '\0' || g_strcmp0 (backend, "sqlite") == 0)
    return FALSE;
  if (g_strcmp0 (backend, "pg") != 0)
    g_error ("NB_TEST_BACKEND=%s: expected sqlite or pg", backend);
  /* a PostgreSQL run without a server must fail, never fall back to SQLite quietly */
  if (g_getenv ("NB_PG_URI") == NULL)
    g_error ("NB_TEST_BACKEND=pg needs NB_PG_URI (run the test under tests/pg/pg-run.sh)");
  return TRUE;
}

static PGconn *
admin_conn (void)
{
  if (admin == NULL)
    {
      admin = PQconnectdb (g_getenv ("NB_PG_URI"));
      if (PQstatus (admin) != CONNECTION_OK)
        g_error ("cannot connect to NB_PG_URI: %s", PQerrorMessage (admin));
    }
  return admin;
}

static void
admin_exec (const char *sql)
{
  PGresult *res = PQexec (admin_conn (), sql);
  if (PQresultStatus (res) != PGRES_COMMAND_OK && PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (admin));
  PQclear (res);
}

/* NB_PG_URI with its database replaced by @db (libpq URIs: scheme://[authority]/db[?params]) */
static char *
uri_for (const char *db)
{
  const char *uri = g_getenv ("NB_PG_URI");
  const char *scheme_end = strstr (uri, "://");
  g_assert_nonnull (scheme_end);
  const char *authority = scheme_end + 3;
  const char *authority_end = authority + strcspn (authority, "/?");
  const char *query = strchr (authority, '?');
  return g_strdup_printf ("%.*s/%s%s", (int) (authority_end - uri), uri, db,
                          query != NULL ? query : "");
}

char *
nb_test_store_location (const char *dir, const char *name)
{
  if (!nb_test_backend_is_pg ())
    return g_build_filename (dir, name, NULL);
  /* the name is only for the reader of a failing test's log */
  g_autofree char *db = g_strdup_printf ("nbt_%d_%u", (int) getpid (), ++serial);
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s", db);
  admin_exec (sql);
  if (made == NULL)
    made = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (made, g_strdup (db));
  char *uri = uri_for (db);
  g_test_message ("%s -> %s", name, uri);
  return uri;
}

void
nb_test_store_cleanup (void)
{
  if (made == NULL)
    return;
  for (guint i = 0; i < made->len; i++)
    {
      /* FORCE: a test that failed half-way may have left a connection open */
      g_autofree char *sql
          = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", (char *) made->pdata[i]);
      admin_exec (sql);
    }
  g_ptr_array_set_size (made, 0);
}

static void
run_and_clean (gconstpointer data)
{
  ((GTestFunc) data) ();
  nb_test_store_cleanup ();
}

void
nb_test_add_func (const char *path, GTestFunc func)
{
  g_test_add_data_func (path, (gconstpointer) func, run_and_clean);
}

void
nb_test_note_sqlite_only (const char *path, const char *why)
{
  if (skipped == NULL)
    skipped = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (skipped, g_strdup_printf ("%s: %s", path, why));
}

void
nb_test_add_sqlite_only (const char *path, GTestFunc func, const char *why)
{
  if (nb_test_backend_is_pg ())
    nb_test_note_sqlite_only (path, why);
  else
    g_test_add_func (path, func);
}

int
nb_test_run (void)
{
  if (nb_test_backend_is_pg ())
    {
      /* TAP comments: the tests about the SQLite file itself are named, not silently gone */
      g_print ("# backend: PostgreSQL (%s)\n", g_getenv ("NB_PG_URI"));
      g_print ("# %u SQLite-only tests, not registered on PostgreSQL:\n",
               skipped != NULL ? skipped->len : 0);
      for (guint i = 0; skipped != NULL && i < skipped->len; i++)
        g_print ("#   %s\n", (char *) skipped->pdata[i]);
    }
  int status = g_test_run ();
  nb_test_store_cleanup ();
  g_clear_pointer (&made, g_ptr_array_unref);
  g_clear_pointer (&skipped, g_ptr_array_unref);
  g_clear_pointer (&admin, PQfinish);
  return status;
}

gboolean
nb_test_tamper (NbStore *store, const char *table, const char *sql, GError **error)
{
  if (nb_test_backend_is_pg ())
    {
      /* the superuser stands for someone with the file: the table's triggers (append-only
       * rules, foreign keys) are switched off for the change and on again after it */
      g_autofree char *off = g_strdup_printf ("ALTER TABLE %s DISABLE TRIGGER ALL", table);
      g_autofree char *on = g_strdup_printf ("ALTER TABLE %s ENABLE TRIGGER ALL", table);
      if (!nb_store_exec (store, off, error))
        return FALSE;
      gboolean ok = nb_store_exec (store, sql, error);
      if (!nb_store_exec (store, on, ok ? error : NULL))
        return FALSE;
      return ok;
    }
  /* SQLite: anyone with the file can drop the triggers; they are not put back, as a tamperer
   * would not either */
  g_autoptr (GPtrArray) triggers = g_ptr_array_new_with_free_func (g_free);
  NbStmt *stmt = nb_store_stmt (
      store, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", error);
  if (stmt == NULL)
    return FALSE;
  nb_stmt_bind_text (stmt, 1, table, -1);
  while (nb_stmt_step (stmt) == NB_DB_ROW)
    g_ptr_array_add (triggers, g_strdup ((const char *) nb_stmt_column_text (stmt, 0)));
  nb_stmt_reset (stmt);
  for (guint i = 0; i < triggers->len; i++)
    {
      g_autofree char *drop = g_strdup_printf ("DROP TRIGGER \"%s\"", (char *) triggers->pdata[i]);
      if (!nb_store_exec (store, drop, error))
        return FALSE;
    }
  return nb_store_exec (store, sql, error);
}

gboolean
nb_test_has_index (NbStore *store, const char *name)
{
  const char *sql = nb_test_backend_is_pg ()
                        ? "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND "
                          "indexname = ?"
                        : "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?";
  NbStmt *stmt = nb_store_stmt (store, sql, NULL);
  g_assert_nonnull (stmt);
  nb_stmt_bind_text (stmt, 1, name, -1);
  g_assert_cmpint (nb_stmt_step (stmt), ==, NB_DB_ROW);
  gboolean found = nb_stmt_column_int64 (stmt, 0) == 1;
  nb_stmt_reset (stmt);
  return found;
}
