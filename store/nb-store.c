/* nb-store.c: opening the database (the file checks are in nb-store-file.c; connection settings,
 * migration), error mapping and the small SQL helpers the other store files share. */
#include "nb-store-pg.h"

#include <sys/stat.h>

GQuark
nb_store_error_quark (void)
{
  return g_quark_from_static_string ("nb-store-error-quark");
}

G_LOCK_DEFINE_STATIC (connect_sql);
static char *connect_sql; /* test hook */

void
nb_store_test_set_connect_sql (const char *sql)
{
  G_LOCK (connect_sql);
  g_free (connect_sql);
  connect_sql = g_strdup (sql);
  G_UNLOCK (connect_sql);
}

char *
nb_store_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "needlebench", "needlebench.db", NULL);
}

NbStoreError
nb_store_error_from_rc (int rc)
{
  if (rc == NB_DB_OFFLINE)
    return NB_STORE_ERROR_OFFLINE;
  switch (rc & 0xff)
    {
    case SQLITE_FULL: return NB_STORE_ERROR_FULL;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH: return NB_STORE_ERROR_READ_ONLY;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return NB_STORE_ERROR_CORRUPT;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL: return NB_STORE_ERROR_IO;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return NB_STORE_ERROR_BUSY;
    case SQLITE_CONSTRAINT: return NB_STORE_ERROR_CONSTRAINT;
    case SQLITE_NOTFOUND: return NB_STORE_ERROR_NOT_FOUND;
    default: return NB_STORE_ERROR_FAILED;
    }
}

void
nb_store_set_error (NbStore *store, GError **error, int rc, const char *what)
{
  NbStoreError code = nb_store_error_from_rc (rc);
  const char *msg = rc == NB_DB_OFFLINE ? "the connection to the database server is lost"
                    : store->db != NULL ? nb_db_errmsg (store->db)
                                        : sqlite3_errstr (rc);
  const char *hint = "";

  switch (code)
    {
    case NB_STORE_ERROR_READ_ONLY:
      hint = "; the database file or its directory is read-only: check their permissions or "
             "choose another database path";
      break;
    case NB_STORE_ERROR_FULL:
      hint = "; the disk is full: data committed before this point is kept";
      break;
    case NB_STORE_ERROR_CORRUPT:
      hint = "; the file is damaged or not a NeedleBench database";
      break;
    case NB_STORE_ERROR_BUSY: hint = "; another program keeps the database locked"; break;
    default: break;
    }
  if (store->db != NULL && nb_db_backend (store->db) == NB_DB_POSTGRES)
    {
      /* the hints are about a SQLite file; the server's message says what happened */
      g_set_error (error, NB_STORE_ERROR, code, "%s %s: %s", what, store->path, msg);
      return;
    }
  g_set_error (error, NB_STORE_ERROR, code, "%s %s: %s (SQLite %d)%s", what, store->path, msg, rc,
               hint);
}

NbStmt *
nb_store_stmt (NbStore *store, const char *sql, GError **error)
{
  NbStmt *stmt = g_hash_table_lookup (store->stmts, sql);
  int rc;

  if (stmt != NULL)
    {
      nb_stmt_reset (stmt);
      nb_stmt_clear_bindings (stmt);
      return stmt;
    }
  stmt = nb_db_prepare (store->db, sql, TRUE, &rc);
  if (stmt == NULL)
    {
      nb_store_set_error (store, error, rc, "Preparing SQL on");
      return NULL;
    }
  g_hash_table_insert (store->stmts, (gpointer) sql, stmt);
  return stmt;
}

gboolean
nb_store_exec (NbStore *store, const char *sql, GError **error)
{
  int rc = nb_db_exec (store->db, sql);
  if (rc != NB_DB_OK)
    {
      nb_store_set_error (store, error, rc, "Writing to");
      return FALSE;
    }
  return TRUE;
}

gboolean
nb_store_step_done (NbStore *store, NbStmt *stmt, const char *what, GError **error)
{
  int rc = nb_stmt_step (stmt);
  if (rc != NB_DB_DONE && rc != NB_DB_ROW)
    {
      nb_store_set_error (store, error, rc, what);
      nb_stmt_reset (stmt);
      return FALSE;
    }
  nb_stmt_reset (stmt);
  return TRUE;
}

void
nb_store_bind_text (NbStmt *stmt, int col, const char *text)
{
  if (text == NULL)
    nb_stmt_bind_null (stmt, col);
  else
    nb_stmt_bind_text (stmt, col, text, -1);
}

gboolean
nb_store_begin (NbStore *store, GError **error)
{
  int rc = nb_db_begin_write (store->db);
  if (rc != NB_DB_OK)
    {
      nb_store_set_error (store, error, rc, "Starting a transaction on");
      return FALSE;
    }
  return TRUE;
}

gboolean
nb_store_commit (NbStore *store, GError **error)
{
  /* committing into a file no longer at the path would lose the data silently */
  if (!nb_store_check_identity (store, error))
    return FALSE;
  /* the rows the recorder wrote get their audit entry in the same transaction */
  if (!nb_store_audit_pending (store, error))
    return FALSE;
  NbStmt *stmt = nb_store_stmt (store, "COMMIT", error);
  if (stmt == NULL || !nb_store_step_done (store, stmt, "Committing to", error))
    return FALSE;
  if (!store->read_only && (store->wal_ino == 0 || store->shm_ino == 0)
      && nb_db_backend (store->db) == NB_DB_SQLITE)
    nb_store_file_remember_log (store);
  return TRUE;
}

void
nb_store_rollback (NbStore *store)
{
  nb_store_pending_clear (store);
  if (!nb_db_get_autocommit (store->db))
    nb_db_exec (store->db, "ROLLBACK");
}

/* open_connection: sqlite3_open_v2 of @store->path; @immutable opens the file read-only without
 * WAL shared memory or locks, for archives in a directory or on a mount that cannot be written
 * (SQLite otherwise needs to create <db>-shm there even to read). */
static gboolean
open_connection (NbStore *store, gboolean immutable, GError **error)
{
  g_hash_table_remove_all (store->stmts);
  g_clear_pointer (&store->db, nb_db_close);
  int flags
      = (store->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
  g_autofree char *uri = NULL;
  if (immutable)
    {
      g_autofree char *escaped = g_uri_escape_string (store->path, "/", FALSE);
      uri = g_strdup_printf ("file:%s?mode=ro&immutable=1", escaped);
      flags |= SQLITE_OPEN_URI;
    }
  sqlite3 *handle = NULL;
  int rc = sqlite3_open_v2 (uri != NULL ? uri : store->path, &handle, flags, NULL);
  if (handle == NULL)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_IO, "Cannot open %s: out of memory",
                   store->path);
      return FALSE;
    }
  store->db = nb_db_wrap_sqlite (handle);
  if (rc != SQLITE_OK)
    {
      nb_store_set_error (store, error, rc, "Cannot open");
      return FALSE;
    }
  store->immutable = immutable;
  sqlite3_extended_result_codes (handle, 1);
  sqlite3_busy_timeout (handle, 5000);
  return TRUE;
}

static void
finalize_stmt (gpointer stmt)
{
  nb_stmt_finalize (stmt);
}

/* open_pg: the rest of open_internal () for a postgresql:// URI: the server keeps the database,
 * so there is no file to check, no WAL and no pragma; the schema check and the migration are the
 * same as on SQLite. */
static NbStore *
open_pg (NbStore *owned, int target_version, GError **error)
{
  g_autoptr (NbStore) store = owned;

  if (!nb_store_pg_connect (store, error))
    return NULL;
  G_LOCK (connect_sql);
  g_autofree char *hook = g_strdup (connect_sql);
  G_UNLOCK (connect_sql);
  if (hook != NULL && !nb_store_exec (store, hook, error))
    return NULL;
  if (!store->read_only)
    {
      int version = nb_store_pg_schema_version (store, error);
      if (version < 0 || (version > 0 && !nb_store_schema_check (store, version, error)))
        return NULL;
    }
  if (!nb_store_pg_migrate (store, target_version, error))
    return NULL;
  return g_steal_pointer (&store);
}

static NbStore *
open_internal (const char *path, NbStoreOpenFlags flags, int target_version, GError **error)
{
  g_autoptr (NbStore) store = g_new0 (NbStore, 1);
  gboolean read_only = (flags & NB_STORE_OPEN_READ_ONLY) != 0;

  store->path = path != NULL ? g_strdup (path) : nb_store_get_default_path ();
  store->read_only = read_only;
  store->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_stmt);

  if (nb_db_is_uri (store->path))
    return open_pg (g_steal_pointer (&store), target_version, error);

  if (read_only)
    {
      struct stat st;
      gboolean exists;
      if (!nb_store_file_check_regular (store->path, &st, &exists, error))
        return NULL;
    }
  else if (!nb_store_file_create (store->path, error))
    return NULL;

  if (!open_connection (store, FALSE, error))
    return NULL;

  /* SQLite silently falls back to read-only when the file is not writable */
  if (!read_only && sqlite3_db_readonly (nb_db_sqlite_handle (store->db), "main") == 1)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_READ_ONLY,
                   "The database %s is read-only (file or directory not writable): cannot record "
                   "to it; check its permissions or choose another database path",
                   store->path);
      return NULL;
    }

  /* the first statement reads the header: "not a database" shows up here */
  GError *local = NULL;
  if (!nb_store_exec (store, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL", &local))
    {
      /* reading a WAL database needs <db>-shm, which cannot be created in a read-only directory
       * or mount; without a pending log the main file alone is the whole database */
      if (!read_only
          || (local->code != NB_STORE_ERROR_READ_ONLY && local->code != NB_STORE_ERROR_IO)
          || !nb_store_file_wal_is_empty (store->path))
        {
          g_propagate_error (error, local);
          return NULL;
        }
      g_debug ("Opening %s as immutable: %s", store->path, local->message);
      g_clear_error (&local);
      if (!open_connection (store, TRUE, error)
          || !nb_store_exec (store, "PRAGMA foreign_keys = ON", error))
        return NULL;
    }
  if (!nb_store_file_remember (store, error))
    return NULL;
  if (!read_only)
    {
      NbStmt *stmt = nb_store_stmt (store, "PRAGMA journal_mode = WAL", error);
      if (stmt == NULL)
        return NULL;
      /* switching a new file to WAL needs it to itself: another connection creating it at the
       * same moment makes SQLite answer BUSY at once (its busy handler is not used here), so
       * try again for up to the usual busy timeout */
      int rc;
      for (int tries = 0;; tries++)
        {
          rc = nb_stmt_step (stmt);
          if ((rc & 0xff) != SQLITE_BUSY || tries >= 500)
            break;
          nb_stmt_reset (stmt);
          g_usleep (10 * G_TIME_SPAN_MILLISECOND);
        }
      gboolean wal
          = rc == NB_DB_ROW
            && g_ascii_strcasecmp ((const char *) nb_stmt_column_text (stmt, 0), "wal") == 0;
      nb_stmt_reset (stmt);
      if (rc != NB_DB_ROW)
        {
          nb_store_set_error (store, error, rc, "Cannot switch to WAL mode on");
          return NULL;
        }
      if (!wal)
        {
          g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_IO,
                       "Cannot switch %s to WAL mode (file system without shared memory?)",
                       store->path);
          return NULL;
        }
      /* SQLite creates them with the database's mode, but older ones may be looser */
      g_autofree char *wal_path = g_strconcat (store->path, "-wal", NULL);
      g_autofree char *shm_path = g_strconcat (store->path, "-shm", NULL);
      nb_store_file_tighten_mode (wal_path);
      nb_store_file_tighten_mode (shm_path);
      nb_store_file_remember_log (store);
    }

  G_LOCK (connect_sql);
  g_autofree char *hook = g_strdup (connect_sql);
  G_UNLOCK (connect_sql);
  if (hook != NULL && !nb_store_exec (store, hook, error))
    return NULL;

  /* before anything is written: a database whose triggers were dropped or altered would take
   * records its append-only promise no longer holds for */
  if (!read_only)
    {
      /* the version and the tables are read in one snapshot: another process creating or
       * migrating the same file meanwhile would otherwise show tables of a later version than
       * the one read ("unexpected table", "altered") */
      if (!nb_store_exec (store, "BEGIN", error))
        return NULL;
      int version = nb_store_get_schema_version (store);
      if (version < 0)
        {
          nb_store_rollback (store);
          g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT,
                       "Cannot read the schema version of %s", store->path);
          return NULL;
        }
      gboolean intact = nb_store_schema_check (store, version, error);
      nb_store_rollback (store);
      if (!intact)
        return NULL;
    }

  if (!nb_store_schema_migrate (store, target_version, error))
    return NULL;

  return g_steal_pointer (&store);
}

NbStore *
nb_store_open_full (const char *path, NbStoreOpenFlags flags, GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return open_internal (path, flags, nb_store_schema_latest (), error);
}

NbStore *
nb_store_open (const char *path, GError **error)
{
  return nb_store_open_full (path, NB_STORE_OPEN_DEFAULT, error);
}

NbStore *
nb_store_test_open_at_version (const char *path, int version, GError **error)
{
  return open_internal (path, NB_STORE_OPEN_DEFAULT, version, error);
}

void
nb_store_close (NbStore *store)
{
  if (store == NULL)
    return;
  nb_store_release_run_locks (store);
  if (store->lab_key_owned)
    nb_lab_key_free (store->lab_key);
  g_clear_pointer (&store->stmts, g_hash_table_unref);
  nb_db_close (store->db);
  g_free (store->path);
  g_free (store);
}

const char *
nb_store_get_path (NbStore *store)
{
  return store->path;
}

int
nb_store_get_schema_version (NbStore *store)
{
  if (nb_db_backend (store->db) == NB_DB_POSTGRES)
    return nb_store_pg_schema_version (store, NULL);
  NbStmt *stmt = nb_store_stmt (store, "PRAGMA user_version", NULL);
  if (stmt == NULL || nb_stmt_step (stmt) != NB_DB_ROW)
    return -1;
  int v = nb_stmt_column_int (stmt, 0);
  nb_stmt_reset (stmt);
  return v;
}

int
nb_store_get_latest_schema_version (void)
{
  return nb_store_schema_latest ();
}

gboolean
nb_store_check_integrity (NbStore *store, GError **error)
{
  /* the server checks its pages itself (checksums, WAL); what NeedleBench can check is its
   * schema */
  if (nb_db_backend (store->db) == NB_DB_POSTGRES)
    return nb_store_schema_check (store, store->schema_version, error);
  NbStmt *stmt = nb_store_stmt (store, "PRAGMA integrity_check", error);
  if (stmt == NULL)
    return FALSE;
  int rc = nb_stmt_step (stmt);
  if (rc != NB_DB_ROW)
    {
      nb_store_set_error (store, error, rc, "Checking");
      nb_stmt_reset (stmt);
      return FALSE;
    }
  const char *result = (const char *) nb_stmt_column_text (stmt, 0);
  gboolean ok = g_strcmp0 (result, "ok") == 0;
  if (!ok)
    g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT,
                 "Database %s failed its integrity check: %s", store->path, result);
  nb_stmt_reset (stmt);
  return ok;
}

const char *
nb_session_status_to_string (NbSessionStatus status)
{
  switch (status)
    {
    case NB_SESSION_RECORDING: return "recording";
    case NB_SESSION_COMPLETE: return "complete";
    case NB_SESSION_ABORTED: return "aborted";
    case NB_SESSION_INTERRUPTED: return "interrupted";
    default: return "unknown";
    }
}
