/* nb-store-open-pg.c: opening a store on a PostgreSQL server (nb-store-pg.h): the connection,
 * the schema version and the migrations. No file checks, WAL or pragmas: the server keeps the
 * database. */
#include "nb-store-pg.h"

gboolean
nb_store_pg_connect (NbStore *store, GError **error)
{
  int rc = NB_DB_OK;
  g_autofree char *message = NULL;

  g_hash_table_remove_all (store->stmts);
  g_clear_pointer (&store->db, nb_db_close);
  store->db = nb_db_open_pg (store->path, &rc, &message);
  if (store->db == NULL)
    {
      const char *why = message != NULL ? message : "out of memory";
      /* the URI itself is not repeated: it is the one holding the password */
      if (rc == SQLITE_AUTH)
        g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_DENIED, "Cannot open the database: %s",
                     why);
      /* the server answered, but said no: libpq gives no SQLSTATE for a failed connection, so
       * its (English) message tells */
      else if (rc == NB_DB_OFFLINE
               && (strstr (why, "authentication") != NULL || strstr (why, "password") != NULL
                   || strstr (why, "role \"") != NULL || strstr (why, "pg_hba.conf") != NULL
                   || strstr (why, "permission denied") != NULL))
        g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_DENIED,
                     "The database server %s refused the credentials: %s; give them through "
                     "~/.pgpass, PGPASSFILE, a service file (PGSERVICEFILE) or PGUSER/PGPASSWORD",
                     store->path, why);
      else if (rc == NB_DB_OFFLINE && strstr (why, "database \"") != NULL
               && strstr (why, "does not exist") != NULL)
        g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND,
                     "The database server %s has no such database: %s; create it first "
                     "(createdb), NeedleBench creates its tables",
                     store->path, why);
      else if (rc == NB_DB_OFFLINE)
        g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_OFFLINE,
                     "Cannot reach the database server %s: %s", store->path, why);
      else
        g_set_error (error, NB_STORE_ERROR, nb_store_error_from_rc (rc),
                     "Cannot open the database %s: %s", store->path, why);
      return FALSE;
    }
  if (store->read_only && !nb_store_exec (store, "SET default_transaction_read_only = on", error))
    return FALSE;
  return TRUE;
}

int
nb_store_pg_schema_version (NbStore *store, GError **error)
{
  NbStmt *stmt = nb_store_stmt (
      store, "SELECT to_regclass('schema_version') IS NOT NULL, to_regclass('audit') IS NOT NULL",
      error);
  if (stmt == NULL)
    return -1;
  int rc = nb_stmt_step (stmt);
  gboolean has_version = rc == NB_DB_ROW && nb_stmt_column_int (stmt, 0) != 0;
  gboolean has_tables = rc == NB_DB_ROW && nb_stmt_column_int (stmt, 1) != 0;
  nb_stmt_reset (stmt);
  if (rc != NB_DB_ROW)
    {
      nb_store_set_error (store, error, rc, "Reading the schema version of");
      return -1;
    }
  if (!has_version)
    {
      if (!has_tables)
        return 0;
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT,
                   "Database %s has NeedleBench tables but no schema_version: it was damaged or "
                   "not made by NeedleBench",
                   store->path);
      return -1;
    }
  stmt = nb_store_stmt (store, "SELECT max(version) FROM schema_version", error);
  if (stmt == NULL)
    return -1;
  rc = nb_stmt_step (stmt);
  int version = rc == NB_DB_ROW && nb_stmt_column_type (stmt, 0) != NB_DB_NULL
                    ? nb_stmt_column_int (stmt, 0)
                    : -1;
  nb_stmt_reset (stmt);
  if (rc != NB_DB_ROW)
    nb_store_set_error (store, error, rc, "Reading the schema version of");
  else if (version < 0)
    g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT,
                 "Database %s has an empty schema_version", store->path);
  return version;
}

gboolean
nb_store_pg_migrate (NbStore *store, int target, GError **error)
{
  int latest = nb_store_pg_schema_latest ();
  for (;;)
    {
      int version = nb_store_pg_schema_version (store, error);
      if (version < 0)
        return FALSE;
      if (version > latest)
        {
          g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_SCHEMA,
                       "Database %s has schema version %d, newer than this NeedleBench "
                       "understands (%d); use a newer NeedleBench",
                       store->path, version, latest);
          return FALSE;
        }
      if (version >= target && version > 0)
        {
          store->schema_version = version;
          return TRUE;
        }
      if (store->read_only)
        {
          if (version == 0)
            g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_READ_ONLY,
                         "Database %s is empty (no NeedleBench schema) and is opened read-only",
                         store->path);
          else
            g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_READ_ONLY,
                         "Database %s needs an upgrade from schema %d but is opened read-only",
                         store->path, version);
          return FALSE;
        }
      int to = 0;
      const char *sql = nb_store_pg_step_sql (version, &to);
      if (sql == NULL || (version == 0 && target < to))
        {
          g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_SCHEMA,
                       "Database %s: no PostgreSQL migration from schema %d to %d (a PostgreSQL "
                       "store starts at schema %d)",
                       store->path, version, target, to);
          return FALSE;
        }

      if (!nb_store_begin (store, error))
        return FALSE;
      /* re-read under the writer lock: another bench may have created or migrated it */
      int locked = nb_store_pg_schema_version (store, error);
      if (locked < 0)
        goto fail;
      if (locked == version)
        {
          if (!nb_store_exec (store, sql, error))
            {
              g_prefix_error (error, "Migrating %s to schema %d: ", store->path, to);
              if (error != NULL && *error != NULL && (*error)->code == NB_STORE_ERROR_FAILED)
                (*error)->code = NB_STORE_ERROR_SCHEMA;
              goto fail;
            }
          if (version > 0)
            {
              g_autofree char *bump
                  = g_strdup_printf ("UPDATE schema_version SET version = %d", to);
              if (!nb_store_exec (store, bump, error))
                goto fail;
            }
          store->schema_version = to;
        }
      if (!nb_store_commit (store, error))
        goto fail;
      continue;
    fail:
      nb_store_rollback (store);
      store->schema_version = 0;
      return FALSE;
    }
}
