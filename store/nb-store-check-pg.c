/* nb-store-check-pg.c: the schema check on PostgreSQL (nb-store-pg.h). As on SQLite, the
 * append-only promise lives in triggers that whoever administers the server can disable, drop
 * or rewrite; so the database's tables (columns, constraints), triggers (their definition and
 * whether they are enabled) and trigger functions (their source) are compared with those the
 * migrations create at its version. The expected ones are built once per process, on a
 * connection of their own, in a scratch schema inside a transaction that is rolled back: nothing
 * of it is ever committed, and the catalogs describe both alike. Only trigger functions are
 * compared (any other function can only act through a trigger, which is compared), and what an
 * extension installed is left out: a DBA's CREATE EXTENSION in the schema is no tampering. */
#include "nb-store-pg.h"

#include <string.h>

/* ?1: the schema. Each returns key, description. */
static const char *const catalog_sql[] = {
  "SELECT 'table ' || c.relname, string_agg(a.attname || ' ' || format_type(a.atttypid,"
  "  a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END"
  "  || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')"
  "  || CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END"
  "  || CASE WHEN a.attgenerated <> '' THEN ' generated' ELSE '' END, ', ' ORDER BY a.attnum)"
  "  || coalesce(' | ' || (SELECT string_agg(pg_get_constraintdef(k.oid), '; '"
  "    ORDER BY pg_get_constraintdef(k.oid)) FROM pg_constraint k WHERE k.conrelid = c.oid), '')"
  " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
  " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
  " LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum"
  " WHERE n.nspname = ?1 AND c.relkind IN ('r', 'p') AND NOT EXISTS (SELECT 1 FROM pg_depend e"
  "   WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')"
  " GROUP BY c.oid, c.relname",
  "SELECT 'trigger ' || t.tgname || ' on ' || c.relname, pg_get_triggerdef(t.oid, true)"
  " FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
  " JOIN pg_namespace n ON n.oid = c.relnamespace"
  " WHERE n.nspname = ?1 AND NOT t.tgisinternal",
  "SELECT 'function ' || p.proname, p.prosrc || ' | ' || pg_get_function_result(p.oid)"
  "  || ' | ' || pg_get_function_identity_arguments(p.oid) || ' | ' || p.prosecdef::text"
  "  || ' | ' || coalesce(array_to_string(p.proconfig, ','), '') || ' | '"
  "  || (SELECT lanname FROM pg_language WHERE oid = p.prolang)"
  " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ?1"
  " AND p.prorettype = 'trigger'::regtype",
};

static const char disabled_sql[]
    = "SELECT 'trigger ' || t.tgname || ' on ' || c.relname, 'tgenabled ' || t.tgenabled::text"
      " FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
      " JOIN pg_namespace n ON n.oid = c.relnamespace"
      " WHERE n.nspname = ?1 AND NOT t.tgisinternal AND t.tgenabled <> 'O'";

G_LOCK_DEFINE_STATIC (expected);
static GHashTable *expected; /* version -> GHashTable key -> description */

/* read_rows: key -> value of each row of @sql (with @nsp as ?1) into @into */
static gboolean
read_rows (NbDb *db, const char *sql, const char *nsp, GHashTable *into, GError **error)
{
  int rc;
  NbStmt *stmt = nb_db_prepare (db, sql, FALSE, &rc);
  if (stmt == NULL)
    goto fail;
  nb_stmt_bind_text (stmt, 1, nsp, -1);
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    g_hash_table_insert (into, g_strdup ((const char *) nb_stmt_column_text (stmt, 0)),
                         g_strdup ((const char *) nb_stmt_column_text (stmt, 1)));
  nb_stmt_finalize (stmt);
  if (rc == NB_DB_DONE)
    return TRUE;
fail:
  g_set_error (error, NB_STORE_ERROR, nb_store_error_from_rc (rc), "Reading the schema: %s",
               nb_db_errmsg (db));
  return FALSE;
}

static GHashTable *
read_catalog (NbDb *db, const char *nsp, GError **error)
{
  g_autoptr (GHashTable) objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (gsize i = 0; i < G_N_ELEMENTS (catalog_sql); i++)
    if (!read_rows (db, catalog_sql[i], nsp, objects, error))
      return NULL;
  return g_steal_pointer (&objects);
}

static gboolean
exec_db (NbDb *db, const char *sql, GError **error)
{
  int rc = nb_db_exec (db, sql);
  if (rc != NB_DB_OK)
    g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_SCHEMA, "%s", nb_db_errmsg (db));
  return rc == NB_DB_OK;
}

/* The objects the migrations create at @version, built on a connection of its own to @uri. */
static GHashTable *
expected_schema (const char *uri, int version, GError **error)
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
  int rc;
  g_autofree char *message = NULL;
  GError *local = NULL;
  NbDb *db = nb_db_open_pg (uri, &rc, &message);
  g_autofree char *nsp = g_strdup_printf ("nb_expected_%08x", g_random_int ());
  g_autofree char *setup = g_strdup_printf ("BEGIN READ WRITE; CREATE SCHEMA %s;"
                                            " SET LOCAL search_path = %s",
                                            nsp, nsp);
  if (db == NULL)
    g_set_error (&local, NB_STORE_ERROR, nb_store_error_from_rc (rc), "%s",
                 message != NULL ? message : "out of memory");
  gboolean ok = db != NULL && exec_db (db, setup, &local);
  int at = 0;
  while (ok && at < version)
    {
      const char *sql = nb_store_pg_step_sql (at, &at);
      if (sql == NULL || at > version)
        {
          g_set_error (&local, NB_STORE_ERROR, NB_STORE_ERROR_SCHEMA,
                       "no PostgreSQL schema at version %d", version);
          ok = FALSE;
        }
      else
        ok = exec_db (db, sql, &local);
    }
  if (ok)
    objects = read_catalog (db, nsp, &local);
  if (db != NULL)
    {
      nb_db_exec (db, "ROLLBACK");
      nb_db_close (db);
    }
  if (objects != NULL)
    g_hash_table_insert (expected, GINT_TO_POINTER (version), g_hash_table_ref (objects));
  else
    {
      /* e.g. permission denied for database: the role needs CREATE on it */
      g_prefix_error (&local,
                      "Cannot build the expected schema %d (in a scratch schema that is "
                      "rolled back: the role needs CREATE on the database, which its owner has): ",
                      version);
      g_propagate_error (error, local);
    }
  G_UNLOCK (expected);
  return objects;
}

/* triggers first: the first finding is the one the open error names, and a trigger is what
 * keeps the records append-only (an unexpected function is only harmful through one) */
static int
rank (const char *key)
{
  return g_str_has_prefix (key, "trigger ") ? 0 : g_str_has_prefix (key, "table ") ? 1 : 2;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  const char *x = *(const char *const *) a, *y = *(const char *const *) b;
  int d = rank (x) - rank (y);
  return d != 0 ? d : g_strcmp0 (x, y);
}

GPtrArray *
nb_store_pg_schema_findings (NbStore *store, int version, GError **error)
{
  if (version > nb_store_pg_schema_latest ())
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_SCHEMA,
                   "Database %s has schema version %d, newer than this NeedleBench understands "
                   "(%d); use a newer NeedleBench",
                   store->path, version, nb_store_pg_schema_latest ());
      return NULL;
    }
  g_autoptr (GHashTable) want = expected_schema (store->path, version, error);
  if (want == NULL)
    return NULL;
  int rc;
  NbStmt *stmt = nb_db_prepare (store->db, "SELECT current_schema()", FALSE, &rc);
  g_autofree char *nsp = NULL;
  if (stmt != NULL && (rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    nsp = g_strdup ((const char *) nb_stmt_column_text (stmt, 0));
  nb_stmt_finalize (stmt);
  if (nsp == NULL)
    {
      nb_store_set_error (store, error, rc, "Reading the schema of");
      return NULL;
    }
  g_autoptr (GHashTable) have = read_catalog (store->db, nsp, error);
  g_autoptr (GHashTable) disabled = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (have == NULL || !read_rows (store->db, disabled_sql, nsp, disabled, error))
    {
      g_prefix_error (error, "%s: ", store->path);
      return NULL;
    }

  return nb_store_schema_compare (want, have, disabled, version, compare_names);
}
