/* nb-store.c: opening the database (file creation with mode 0600, connection settings,
 * migration), error mapping and the small SQL helpers the other store files share. */
#include "nb-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

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
  const char *msg = store->db != NULL ? sqlite3_errmsg (store->db) : sqlite3_errstr (rc);
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
  g_set_error (error, NB_STORE_ERROR, code, "%s %s: %s (SQLite %d)%s", what, store->path, msg, rc,
               hint);
}

sqlite3_stmt *
nb_store_stmt (NbStore *store, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (store->stmts, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  int rc = sqlite3_prepare_v3 (store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
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
  char *errmsg = NULL;
  int rc = sqlite3_exec (store->db, sql, NULL, NULL, &errmsg);
  if (rc != SQLITE_OK)
    {
      nb_store_set_error (store, error, rc, "Writing to");
      sqlite3_free (errmsg);
      return FALSE;
    }
  return TRUE;
}

gboolean
nb_store_step_done (NbStore *store, sqlite3_stmt *stmt, const char *what, GError **error)
{
  int rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      nb_store_set_error (store, error, rc, what);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

void
nb_store_bind_text (sqlite3_stmt *stmt, int col, const char *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_text (stmt, col, text, -1, SQLITE_STATIC);
}

gboolean
nb_store_begin (NbStore *store, GError **error)
{
  sqlite3_stmt *stmt = nb_store_stmt (store, "BEGIN IMMEDIATE", error);
  return stmt != NULL && nb_store_step_done (store, stmt, "Starting a transaction on", error);
}

gboolean
nb_store_commit (NbStore *store, GError **error)
{
  /* committing into a file no longer at the path would lose the data silently */
  if (!nb_store_check_identity (store, error))
    return FALSE;
  sqlite3_stmt *stmt = nb_store_stmt (store, "COMMIT", error);
  return stmt != NULL && nb_store_step_done (store, stmt, "Committing to", error);
}

void
nb_store_rollback (NbStore *store)
{
  if (!sqlite3_get_autocommit (store->db))
    sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Creates @dir and missing parents with mode 0700, whatever the umask (with umask 0277 a plain
 * mkdir would give 0500 and nothing could be created inside). */
static int
make_dirs (const char *dir)
{
  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    return 0;
  g_autofree char *parent = g_path_get_dirname (dir);
  if (g_strcmp0 (parent, dir) != 0 && make_dirs (parent) != 0)
    return -1;
  if (g_mkdir (dir, 0700) != 0 && errno != EEXIST)
    return -1;
  return g_chmod (dir, 0700);
}

static NbStoreError
error_from_errno (int err)
{
  return err == EACCES || err == EROFS || err == EPERM ? NB_STORE_ERROR_READ_ONLY
         : err == ENOSPC || err == EDQUOT              ? NB_STORE_ERROR_FULL
                                                       : NB_STORE_ERROR_IO;
}

/* check_regular: FALSE with NB_STORE_ERROR_NOT_REGULAR if @path exists and is not a regular file
 * (stat, so a symlink to a database is fine): SQLite would block forever opening a FIFO, and a
 * device or directory is no database. Only stat is used: opening and closing a descriptor of
 * the database file would drop the POSIX locks of every SQLite connection of this process.
 * @st receives the file's status; *@exists whether it exists. */
static gboolean
check_regular (const char *path, struct stat *st, gboolean *exists, GError **error)
{
  *exists = FALSE;
  if (stat (path, st) != 0)
    {
      int saved = errno;
      if (saved == ENOENT)
        return TRUE;
      g_set_error (error, NB_STORE_ERROR, error_from_errno (saved),
                   "Cannot open the database %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  *exists = TRUE;
  if (!S_ISREG (st->st_mode))
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_REGULAR,
                   "The database %s is not a regular file (%s); choose a database file", path,
                   S_ISDIR (st->st_mode)    ? "a directory"
                   : S_ISFIFO (st->st_mode) ? "a FIFO"
                   : S_ISSOCK (st->st_mode) ? "a socket"
                                            : "a device");
      return FALSE;
    }
  return TRUE;
}

/* tighten_mode: makes @path 0600 if it is a regular file with group or other bits (records are
 * personal data; a file copied in or created by an older version may be 0644). Failing (not
 * the owner) is not fatal: the file stays as its owner made it. */
static void
tighten_mode (const char *path)
{
  struct stat st;
  if (lstat (path, &st) == 0 && S_ISREG (st.st_mode) && (st.st_mode & 0177) != 0
      && chmod (path, 0600) != 0)
    g_debug ("Cannot make %s private: %s", path, g_strerror (errno));
}

/* Creates @path with mode 0600 (whatever the umask) if it does not exist, and its directory
 * with 0700; an existing file must be a regular file and is made 0600. */
static gboolean
create_db_file (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int saved;
  struct stat st;
  gboolean exists;

  if (!check_regular (path, &st, &exists, error))
    return FALSE;
  if (exists)
    {
      tighten_mode (path);
      return TRUE;
    }
  if (make_dirs (dir) != 0)
    {
      saved = errno;
      goto fail;
    }
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      if (errno == EEXIST)
        return check_regular (path, &st, &exists, error);
      saved = errno;
      goto fail;
    }
  /* the umask may have taken bits away (e.g. 0277 -> 0400); set exactly 0600 */
  if (fchmod (fd, 0600) != 0)
    {
      saved = errno;
      close (fd);
      goto fail;
    }
  close (fd);
  return TRUE;

fail:
  g_set_error (error, NB_STORE_ERROR, error_from_errno (saved), "Cannot create the database %s: %s",
               path, g_strerror (saved));
  return FALSE;
}

/* remember_identity: the file now open at @store->path, compared at each commit. Between the
 * stat and SQLite's open the file could be swapped; the first commit would then notice. */
static gboolean
remember_identity (NbStore *store, GError **error)
{
  struct stat st;
  gboolean exists;
  if (!check_regular (store->path, &st, &exists, error))
    return FALSE;
  if (!exists)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_IO, "The database %s does not exist",
                   store->path);
      return FALSE;
    }
  store->dev = st.st_dev;
  store->ino = st.st_ino;
  return TRUE;
}

gboolean
nb_store_check_identity (NbStore *store, GError **error)
{
  struct stat st;
  if (stat (store->path, &st) == 0 && st.st_dev == store->dev && st.st_ino == store->ino)
    return TRUE;
  g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_IO,
               "The database file was deleted or replaced while recording (%s): what was written "
               "since is not in the database at that path",
               store->path);
  return FALSE;
}

/* wal_is_empty: TRUE if @path has no write-ahead log with content, so that reading the main file
 * alone (immutable) sees every committed transaction. */
static gboolean
wal_is_empty (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  struct stat st;
  return lstat (wal, &st) != 0 || (S_ISREG (st.st_mode) && st.st_size == 0);
}

/* open_connection: sqlite3_open_v2 of @store->path; @immutable opens the file read-only without
 * WAL shared memory or locks, for archives in a directory or on a mount that cannot be written
 * (SQLite otherwise needs to create <db>-shm there even to read). */
static gboolean
open_connection (NbStore *store, gboolean immutable, GError **error)
{
  g_clear_pointer (&store->db, sqlite3_close_v2);
  g_hash_table_remove_all (store->stmts);
  int flags
      = (store->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
  g_autofree char *uri = NULL;
  if (immutable)
    {
      g_autofree char *escaped = g_uri_escape_string (store->path, "/", FALSE);
      uri = g_strdup_printf ("file:%s?mode=ro&immutable=1", escaped);
      flags |= SQLITE_OPEN_URI;
    }
  int rc = sqlite3_open_v2 (uri != NULL ? uri : store->path, &store->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      if (store->db == NULL)
        {
          g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_IO, "Cannot open %s: out of memory",
                       store->path);
          return FALSE;
        }
      nb_store_set_error (store, error, rc, "Cannot open");
      return FALSE;
    }
  store->immutable = immutable;
  sqlite3_extended_result_codes (store->db, 1);
  sqlite3_busy_timeout (store->db, 5000);
  return TRUE;
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static NbStore *
open_internal (const char *path, NbStoreOpenFlags flags, int target_version, GError **error)
{
  g_autoptr (NbStore) store = g_new0 (NbStore, 1);
  gboolean read_only = (flags & NB_STORE_OPEN_READ_ONLY) != 0;

  store->path = path != NULL ? g_strdup (path) : nb_store_get_default_path ();
  store->read_only = read_only;
  store->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_stmt);

  if (read_only)
    {
      struct stat st;
      gboolean exists;
      if (!check_regular (store->path, &st, &exists, error))
        return NULL;
    }
  else if (!create_db_file (store->path, error))
    return NULL;

  if (!open_connection (store, FALSE, error))
    return NULL;

  /* SQLite silently falls back to read-only when the file is not writable */
  if (!read_only && sqlite3_db_readonly (store->db, "main") == 1)
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
          || !wal_is_empty (store->path))
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
  if (!remember_identity (store, error))
    return NULL;
  if (!read_only)
    {
      sqlite3_stmt *stmt = nb_store_stmt (store, "PRAGMA journal_mode = WAL", error);
      if (stmt == NULL)
        return NULL;
      int rc = sqlite3_step (stmt);
      gboolean wal
          = rc == SQLITE_ROW
            && g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
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
      tighten_mode (wal_path);
      tighten_mode (shm_path);
    }

  G_LOCK (connect_sql);
  g_autofree char *hook = g_strdup (connect_sql);
  G_UNLOCK (connect_sql);
  if (hook != NULL && !nb_store_exec (store, hook, error))
    return NULL;

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
  g_clear_pointer (&store->stmts, g_hash_table_unref);
  if (store->db != NULL)
    sqlite3_close_v2 (store->db);
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
  sqlite3_stmt *stmt = nb_store_stmt (store, "PRAGMA user_version", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  int v = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
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
  sqlite3_stmt *stmt = nb_store_stmt (store, "PRAGMA integrity_check", error);
  if (stmt == NULL)
    return FALSE;
  int rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      nb_store_set_error (store, error, rc, "Checking");
      sqlite3_reset (stmt);
      return FALSE;
    }
  const char *result = (const char *) sqlite3_column_text (stmt, 0);
  gboolean ok = g_strcmp0 (result, "ok") == 0;
  if (!ok)
    g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT,
                 "Database %s failed its integrity check: %s", store->path, result);
  sqlite3_reset (stmt);
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
