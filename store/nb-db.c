/* nb-db.c: the store's database API (nb-db.h): the SQLite backend, and the dispatch to the
 * PostgreSQL backend in nb-db-pg.c. SQLite calls pass straight through. */
#include "nb-db-private.h"

#include <string.h>

gboolean
nb_db_is_uri (const char *location)
{
  return location != NULL
         && (g_str_has_prefix (location, "postgresql://")
             || g_str_has_prefix (location, "postgres://"));
}

NbDb *
nb_db_wrap_sqlite (sqlite3 *handle)
{
  NbDb *db = g_new0 (NbDb, 1);
  db->backend = NB_DB_SQLITE;
  db->sq = handle;
  return db;
}

void
nb_db_close (NbDb *db)
{
  if (db == NULL)
    return;
  if (db->backend == NB_DB_SQLITE)
    sqlite3_close_v2 (db->sq);
  else
    nb_db_pg_close (db->pg);
  g_free (db);
}

NbDbBackend
nb_db_backend (NbDb *db)
{
  return db->backend;
}

sqlite3 *
nb_db_sqlite_handle (NbDb *db)
{
  return db->backend == NB_DB_SQLITE ? db->sq : NULL;
}

const char *
nb_db_errmsg (NbDb *db)
{
  return db->backend == NB_DB_SQLITE ? sqlite3_errmsg (db->sq) : nb_db_pg_errmsg (db->pg);
}

int
nb_db_exec (NbDb *db, const char *sql)
{
  if (db->backend == NB_DB_SQLITE)
    return sqlite3_exec (db->sq, sql, NULL, NULL, NULL);
  return nb_db_pg_exec (db->pg, sql);
}

int
nb_db_session_exec (NbDb *db, const char *sql)
{
  if (db->backend == NB_DB_SQLITE)
    return sqlite3_exec (db->sq, sql, NULL, NULL, NULL);
  return nb_db_pg_session_exec (db->pg, sql);
}

int
nb_db_begin_write (NbDb *db)
{
  if (db->backend == NB_DB_SQLITE)
    return sqlite3_exec (db->sq, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  return nb_db_pg_begin_write (db->pg);
}

gboolean
nb_db_get_autocommit (NbDb *db)
{
  if (db->backend == NB_DB_SQLITE)
    return sqlite3_get_autocommit (db->sq) != 0;
  return nb_db_pg_get_autocommit (db->pg);
}

gint64
nb_db_last_insert_id (NbDb *db)
{
  if (db->backend == NB_DB_SQLITE)
    return sqlite3_last_insert_rowid (db->sq);
  return nb_db_pg_last_insert_id (db->pg);
}

gint64
nb_db_changes (NbDb *db)
{
  if (db->backend == NB_DB_SQLITE)
    return sqlite3_changes (db->sq);
  return nb_db_pg_changes (db->pg);
}

NbStmt *
nb_db_prepare (NbDb *db, const char *sql, gboolean persistent, int *rc_out)
{
  NbStmt *stmt = g_new0 (NbStmt, 1);
  int rc;

  stmt->db = db;
  if (db->backend == NB_DB_SQLITE)
    rc = sqlite3_prepare_v3 (db->sq, sql, -1, persistent ? SQLITE_PREPARE_PERSISTENT : 0, &stmt->sq,
                             NULL);
  else
    {
      stmt->pg = nb_db_pg_prepare (db->pg, sql, &rc);
      if (stmt->pg == NULL && rc == SQLITE_OK)
        rc = SQLITE_ERROR;
    }
  if (rc_out != NULL)
    *rc_out = rc;
  if (rc != SQLITE_OK || (stmt->sq == NULL && stmt->pg == NULL))
    {
      if (rc_out != NULL && rc == SQLITE_OK)
        *rc_out = SQLITE_ERROR; /* an empty statement */
      nb_stmt_finalize (stmt);
      return NULL;
    }
  return stmt;
}

void
nb_stmt_finalize (NbStmt *stmt)
{
  if (stmt == NULL)
    return;
  if (stmt->sq != NULL)
    sqlite3_finalize (stmt->sq);
  if (stmt->pg != NULL)
    nb_stmt_pg_finalize (stmt->pg);
  g_free (stmt);
}

int
nb_stmt_bind_int64 (NbStmt *stmt, int col, gint64 value)
{
  if (stmt->sq != NULL)
    return sqlite3_bind_int64 (stmt->sq, col, value);
  return nb_stmt_pg_bind (stmt->pg, col, NB_DB_INTEGER, &value, 0);
}

int
nb_stmt_bind_int (NbStmt *stmt, int col, int value)
{
  return nb_stmt_bind_int64 (stmt, col, value);
}

int
nb_stmt_bind_double (NbStmt *stmt, int col, double value)
{
  if (stmt->sq != NULL)
    return sqlite3_bind_double (stmt->sq, col, value);
  return nb_stmt_pg_bind (stmt->pg, col, NB_DB_FLOAT, &value, 0);
}

int
nb_stmt_bind_text (NbStmt *stmt, int col, const char *text, int len)
{
  if (text == NULL)
    return nb_stmt_bind_null (stmt, col);
  /* SQLITE_TRANSIENT: the store binds stack buffers (formatted figures) too */
  if (stmt->sq != NULL)
    return sqlite3_bind_text (stmt->sq, col, text, len, SQLITE_TRANSIENT);
  return nb_stmt_pg_bind (stmt->pg, col, NB_DB_TEXT, text, len < 0 ? (int) strlen (text) : len);
}

int
nb_stmt_bind_blob (NbStmt *stmt, int col, const void *data, int len)
{
  if (stmt->sq != NULL)
    return sqlite3_bind_blob (stmt->sq, col, data, len, SQLITE_TRANSIENT);
  return nb_stmt_pg_bind (stmt->pg, col, NB_DB_BLOB, data, len);
}

int
nb_stmt_bind_null (NbStmt *stmt, int col)
{
  if (stmt->sq != NULL)
    return sqlite3_bind_null (stmt->sq, col);
  return nb_stmt_pg_bind (stmt->pg, col, NB_DB_NULL, NULL, 0);
}

void
nb_stmt_clear_bindings (NbStmt *stmt)
{
  if (stmt->sq != NULL)
    sqlite3_clear_bindings (stmt->sq);
  else
    nb_stmt_pg_clear_bindings (stmt->pg);
}

int
nb_stmt_step (NbStmt *stmt)
{
  return stmt->sq != NULL ? sqlite3_step (stmt->sq) : nb_stmt_pg_step (stmt->pg);
}

int
nb_stmt_reset (NbStmt *stmt)
{
  return stmt->sq != NULL ? sqlite3_reset (stmt->sq) : nb_stmt_pg_reset (stmt->pg);
}

int
nb_stmt_column_count (NbStmt *stmt)
{
  return stmt->sq != NULL ? sqlite3_column_count (stmt->sq) : nb_stmt_pg_column_count (stmt->pg);
}

int
nb_stmt_column_type (NbStmt *stmt, int col)
{
  return stmt->sq != NULL ? sqlite3_column_type (stmt->sq, col)
                          : nb_stmt_pg_column_type (stmt->pg, col);
}

gint64
nb_stmt_column_int64 (NbStmt *stmt, int col)
{
  if (stmt->sq != NULL)
    return sqlite3_column_int64 (stmt->sq, col);
  const char *raw = nb_stmt_pg_column_raw (stmt->pg, col);
  if (raw == NULL)
    return 0;
  if (nb_stmt_pg_column_type (stmt->pg, col) == NB_DB_FLOAT)
    return (gint64) g_ascii_strtod (raw, NULL);
  return g_ascii_strtoll (raw, NULL, 10);
}

int
nb_stmt_column_int (NbStmt *stmt, int col)
{
  return (int) nb_stmt_column_int64 (stmt, col);
}

double
nb_stmt_column_double (NbStmt *stmt, int col)
{
  if (stmt->sq != NULL)
    return sqlite3_column_double (stmt->sq, col);
  const char *raw = nb_stmt_pg_column_raw (stmt->pg, col);
  return raw != NULL ? g_ascii_strtod (raw, NULL) : 0.0;
}

const unsigned char *
nb_stmt_column_text (NbStmt *stmt, int col)
{
  if (stmt->sq != NULL)
    return sqlite3_column_text (stmt->sq, col);
  return (const unsigned char *) nb_stmt_pg_column_raw (stmt->pg, col);
}

const void *
nb_stmt_column_blob (NbStmt *stmt, int col)
{
  return stmt->sq != NULL ? sqlite3_column_blob (stmt->sq, col)
                          : nb_stmt_pg_column_blob (stmt->pg, col);
}

int
nb_stmt_column_bytes (NbStmt *stmt, int col)
{
  return stmt->sq != NULL ? sqlite3_column_bytes (stmt->sq, col)
                          : nb_stmt_pg_column_bytes (stmt->pg, col);
}
