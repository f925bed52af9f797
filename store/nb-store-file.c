/* nb-store-file.c: the database file itself, apart from SQL: refusing paths that are not regular
 * files, creating it (and its directory) private, tightening loose modes, noticing it deleted or
 * replaced, and cleaning up after a connection whose file went away. */
#include "nb-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* nb_store_file_check_regular: FALSE with NB_STORE_ERROR_NOT_REGULAR if @path exists and is not a
 * regular file (stat, so a symlink to a database is fine): SQLite would block forever opening a
 * FIFO, and a device or directory is no database. Only stat is used: opening and closing a
 * descriptor of the database file would drop the POSIX locks of every SQLite connection of this
 * process.
 * @st receives the file's status; *@exists whether it exists. */
gboolean
nb_store_file_check_regular (const char *path, struct stat *st, gboolean *exists, GError **error)
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

/* nb_store_file_tighten_mode: makes @path 0600 if it is a regular file with group or other bits
 * (records are personal data; a file copied in or created by an older version may be 0644). Failing
 * (not the owner) is not fatal: the file stays as its owner made it. */
void
nb_store_file_tighten_mode (const char *path)
{
  struct stat st;
  if (lstat (path, &st) == 0 && S_ISREG (st.st_mode) && (st.st_mode & 0177) != 0
      && chmod (path, 0600) != 0)
    g_debug ("Cannot make %s private: %s", path, g_strerror (errno));
}

/* Creates @path with mode 0600 (whatever the umask) if it does not exist, and its directory
 * with 0700; an existing file must be a regular file and is made 0600. */
gboolean
nb_store_file_create (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int saved;
  struct stat st;
  gboolean exists;

  if (!nb_store_file_check_regular (path, &st, &exists, error))
    return FALSE;
  if (exists)
    {
      nb_store_file_tighten_mode (path);
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
        return nb_store_file_check_regular (path, &st, &exists, error);
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

/* nb_store_file_remember_log: the -wal and -shm files of this connection, as they are at the path
 * once they exist (SQLite creates them at the first transaction in WAL mode), for
 * nb_store_abandon (). */
void
nb_store_file_remember_log (NbStore *store)
{
  g_autofree char *wal_path = g_strconcat (store->path, "-wal", NULL);
  g_autofree char *shm_path = g_strconcat (store->path, "-shm", NULL);
  struct stat st;
  if (store->wal_ino == 0 && lstat (wal_path, &st) == 0)
    {
      store->wal_dev = st.st_dev;
      store->wal_ino = st.st_ino;
    }
  if (store->shm_ino == 0 && lstat (shm_path, &st) == 0)
    {
      store->shm_dev = st.st_dev;
      store->shm_ino = st.st_ino;
    }
}

/* nb_store_file_remember: the file now open at @store->path, compared at each commit. Between the
 * stat and SQLite's open the file could be swapped; the first commit would then notice. */
gboolean
nb_store_file_remember (NbStore *store, GError **error)
{
  struct stat st;
  gboolean exists;
  if (!nb_store_file_check_regular (store->path, &st, &exists, error))
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
  if (store->db != NULL && nb_db_backend (store->db) == NB_DB_POSTGRES)
    return TRUE; /* the server keeps the database: there is no file to be replaced */
  if (stat (store->path, &st) == 0 && st.st_dev == store->dev && st.st_ino == store->ino)
    return TRUE;
  g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_IO,
               "The database file was deleted or replaced while recording (%s): what was written "
               "since is not in the database at that path",
               store->path);
  return FALSE;
}

/* nb_store_file_wal_is_empty: TRUE if @path has no write-ahead log with content, so that reading
 * the main file alone (immutable) sees every committed transaction. */
gboolean
nb_store_file_wal_is_empty (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  struct stat st;
  return lstat (wal, &st) != 0 || (S_ISREG (st.st_mode) && st.st_size == 0);
}
/* unlink_if_same: removes @path if it is still the file @dev/@ino. */
static void
unlink_if_same (const char *path, dev_t dev, ino_t ino)
{
  struct stat st;
  if (ino != 0 && lstat (path, &st) == 0 && st.st_dev == dev && st.st_ino == ino)
    g_unlink (path);
}

void
nb_store_abandon (NbStore *store)
{
  if (store == NULL)
    return;
  g_autofree char *wal_path = g_strconcat (store->path, "-wal", NULL);
  g_autofree char *shm_path = g_strconcat (store->path, "-shm", NULL);
  dev_t wal_dev = store->wal_dev, shm_dev = store->shm_dev;
  ino_t wal_ino = store->wal_ino, shm_ino = store->shm_ino;
  nb_store_close (store);
  unlink_if_same (wal_path, wal_dev, wal_ino);
  unlink_if_same (shm_path, shm_dev, shm_ino);
}
