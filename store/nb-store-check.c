/* nb-store-check.c: the schema check on open. The append-only promise of the records lives in
 * SQL triggers, which anyone with the file can drop or rewrite; so every open compares the
 * database's tables and triggers (their stored SQL text in sqlite_master) with those the
 * migrations create at the same schema version, built once per process in an in-memory
 * database. */
#include "nb-store-pg.h"

#define SCHEMA_SQL                                                                                 \
  "SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'trigger')"                   \
  " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name"

G_LOCK_DEFINE_STATIC (expected);
static GHashTable *expected; /* version -> GHashTable "type name" -> sql */

static GHashTable *
read_schema (sqlite3 *db, GError **error)
{
  g_autoptr (GHashTable) objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, SCHEMA_SQL, -1, &stmt, NULL);
  while (stmt != NULL && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (
        objects,
        g_strdup_printf ("%s %s", sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1)),
        g_strdup ((const char *) sqlite3_column_text (stmt, 2)));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, NB_STORE_ERROR, nb_store_error_from_rc (rc),
                   "Reading the schema: %s (SQLite %d)", sqlite3_errmsg (db), rc);
      return NULL;
    }
  return g_steal_pointer (&objects);
}

/* The tables and triggers a fresh database has at @version. */
static GHashTable *
expected_schema (int version, GError **error)
{
  G_LOCK (expected);
  if (expected == NULL)
    expected = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                      (GDestroyNotify) g_hash_table_unref);
  GHashTable *objects = g_hash_table_lookup (expected, GINT_TO_POINTER (version));
  if (objects != NULL)
    {
      g_hash_table_ref (objects);
      G_UNLOCK (expected);
      return objects;
    }
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2 (":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL);
  for (int step = 1; rc == SQLITE_OK && step <= version; step++)
    {
      const char *sql = nb_store_schema_step_sql (step);
      rc = sql != NULL ? sqlite3_exec (db, sql, NULL, NULL, NULL) : SQLITE_ERROR;
    }
  if (rc == SQLITE_OK)
    objects = read_schema (db, error);
  else
    g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_SCHEMA,
                 "Cannot build the expected schema %d: %s", version,
                 db ? sqlite3_errmsg (db) : "out of memory");
  sqlite3_close (db);
  if (objects != NULL)
    g_hash_table_insert (expected, GINT_TO_POINTER (version), g_hash_table_ref (objects));
  G_UNLOCK (expected);
  return objects;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* (transfer container) @objects' keys in @order, so that findings come in the same order on
 * every run */
static GPtrArray *
sorted_keys (GHashTable *objects, GCompareFunc order)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;
  g_hash_table_iter_init (&iter, objects);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, order != NULL ? order : compare_names);
  return keys;
}

GPtrArray *
nb_store_schema_compare (GHashTable *want, GHashTable *have, GHashTable *disabled, int version,
                         GCompareFunc order)
{
  g_autoptr (GPtrArray) findings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) names = sorted_keys (want, order);
  for (guint i = 0; i < names->len; i++)
    {
      const char *key = names->pdata[i];
      const char *sql = g_hash_table_lookup (have, key);
      if (!g_hash_table_contains (have, key))
        g_ptr_array_add (findings, g_strdup_printf ("%s is missing (dropped)", key));
      else if (g_strcmp0 (sql, g_hash_table_lookup (want, key)) != 0)
        g_ptr_array_add (findings, g_strdup_printf ("%s was altered (its SQL is not the one "
                                                    "schema %d creates)",
                                                    key, version));
      else if (disabled != NULL && g_hash_table_contains (disabled, key))
        g_ptr_array_add (findings,
                         g_strdup_printf ("%s is disabled (%s)", key,
                                          (const char *) g_hash_table_lookup (disabled, key)));
    }
  g_autoptr (GPtrArray) extra = sorted_keys (have, order);
  for (guint i = 0; i < extra->len; i++)
    if (!g_hash_table_contains (want, extra->pdata[i]))
      g_ptr_array_add (findings, g_strdup_printf ("unexpected %s (not created by NeedleBench)",
                                                  (const char *) extra->pdata[i]));
  return g_steal_pointer (&findings);
}

GPtrArray *
nb_store_schema_findings (NbStore *store, int version, GError **error)
{
  if (nb_db_backend (store->db) == NB_DB_POSTGRES)
    return nb_store_pg_schema_findings (store, version, error);
  if (version > nb_store_schema_latest ())
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_SCHEMA,
                   "Database %s has schema version %d, newer than this NeedleBench understands",
                   store->path, version);
      return NULL;
    }
  g_autoptr (GHashTable) want = expected_schema (version, error);
  if (want == NULL)
    return NULL;
  g_autoptr (GHashTable) have = read_schema (nb_db_sqlite_handle (store->db), error);
  if (have == NULL)
    {
      g_prefix_error (error, "%s: ", store->path);
      return NULL;
    }
  return nb_store_schema_compare (want, have, NULL, version, NULL);
}

gboolean
nb_store_schema_check (NbStore *store, int version, GError **error)
{
  g_autoptr (GPtrArray) findings = nb_store_schema_findings (store, version, error);
  if (findings == NULL)
    return FALSE;
  if (findings->len == 0)
    return TRUE;
  g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT,
               "Database %s: %s%s; its records are no longer protected, so it is refused for "
               "writing (open it read-only to investigate: needlebench-cli audit verify)",
               store->path, (const char *) findings->pdata[0],
               findings->len > 1 ? " (and more)" : "");
  return FALSE;
}
