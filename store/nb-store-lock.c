/* nb-store-lock.c: marks sessions as live while a recorder writes them, so that a session left
 * 'recording' by a crashed process can be told apart from one being recorded right now.
 * A recorder holds an open-file-description lock (F_OFD_SETLK) on byte <session id> of the file
 * "<db>-recording"; the kernel drops it when the process dies, however it dies. OFD locks also
 * conflict within one process, so a GUI listing sessions sees its own recorder's lock.
 *
 * The last recorder to unlock removes the file (it can lock the whole file: nobody else holds a
 * byte), so markers do not pile up next to databases. A recorder that opened the file just
 * before it was removed notices that its descriptor is no longer the file at the path and opens
 * it again.
 *
 * Calibration runs use the same file: run <id> holds byte NB_STORE_RUN_LOCK_BASE + id. The schema
 * keeps session and run ids below that base (nb-store-schema.c, version 5), so the two ranges
 * never meet. */
#include "nb-store-pg.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static char *
lock_path (const char *db_path)
{
  return g_strconcat (db_path, "-recording", NULL);
}

/* same_file: TRUE if @fd is the file at @path. */
static gboolean
same_file (int fd, const char *path)
{
  struct stat a, b;
  return fstat (fd, &a) == 0 && stat (path, &b) == 0 && a.st_dev == b.st_dev
         && a.st_ino == b.st_ino;
}

/* lock_byte: an OFD write lock on byte @offset of <db>-recording; @what and @id name the record
 * in the message. */
static int
lock_byte (const char *db_path, gint64 offset, const char *what, gint64 id, GError **error)
{
  g_autofree char *path = lock_path (db_path);
  for (int attempt = 0;; attempt++)
    {
      int fd = open (path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd < 0)
        {
          int saved = errno;
          g_set_error (error, NB_STORE_ERROR,
                       saved == EACCES || saved == EROFS ? NB_STORE_ERROR_READ_ONLY
                                                         : NB_STORE_ERROR_IO,
                       "Cannot create the lock file %s: %s", path, g_strerror (saved));
          return -1;
        }
      struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = offset, .l_len = 1 };
      int rc = fcntl (fd, F_OFD_SETLK, &fl);
      int saved = errno;
      if (rc == 0 && same_file (fd, path))
        return fd;
      close (fd);
      /* EAGAIN: an unlocking recorder holds the whole file for a moment; rc == 0: the file was
       * removed between open and lock */
      if ((rc == 0 || saved == EAGAIN || saved == EACCES) && attempt < 200)
        {
          g_usleep (1000);
          continue;
        }
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_BUSY,
                   "Cannot lock %s %" G_GINT64_FORMAT " in %s: %s", what, id, path,
                   rc == 0 ? "the lock file keeps being replaced" : g_strerror (saved));
      return -1;
    }
}

int
nb_store_lock_session (const char *db_path, gint64 session_id, GError **error)
{
  return lock_byte (db_path, session_id, "session", session_id, error);
}

int
nb_store_lock_run (const char *db_path, gint64 run_id, GError **error)
{
  if (run_id <= 0 || run_id >= NB_STORE_RUN_LOCK_BASE)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "run id %" G_GINT64_FORMAT " is out of range", run_id);
      return -1;
    }
  return lock_byte (db_path, NB_STORE_RUN_LOCK_BASE + run_id, "run", run_id, error);
}

void
nb_store_unlock_session (const char *db_path, int fd)
{
  if (fd < 0)
    return;
  /* our own byte lock is the same open file description, so this only fails if another
   * recorder holds a session of this database */
  struct flock all = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
  if (fcntl (fd, F_OFD_SETLK, &all) == 0)
    {
      g_autofree char *path = lock_path (db_path);
      if (same_file (fd, path))
        unlink (path);
    }
  close (fd); /* closing the last descriptor releases the OFD lock */
}

static gboolean
byte_is_locked (const char *db_path, gint64 offset)
{
  g_autofree char *path = lock_path (db_path);
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = offset, .l_len = 1 };
  gboolean live = fcntl (fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
  close (fd);
  return live;
}

gboolean
nb_store_session_is_live (const char *db_path, gint64 session_id)
{
  if (nb_db_is_uri (db_path))
    return nb_store_pg_uri_is_locked (db_path, NB_STORE_PG_LOCK_SESSION, session_id);
  return byte_is_locked (db_path, session_id);
}

gboolean
nb_store_run_is_live (const char *db_path, gint64 run_id)
{
  if (nb_db_is_uri (db_path))
    return run_id > 0 && run_id < NB_STORE_RUN_LOCK_BASE
           && nb_store_pg_uri_is_locked (db_path, NB_STORE_PG_LOCK_RUN, run_id);
  return run_id > 0 && run_id < NB_STORE_RUN_LOCK_BASE
         && byte_is_locked (db_path, NB_STORE_RUN_LOCK_BASE + run_id);
}

static gboolean
on_pg (NbStore *store)
{
  return store != NULL && store->db != NULL && nb_db_backend (store->db) == NB_DB_POSTGRES;
}

int
nb_store_live_lock (NbStore *store, gboolean run, gint64 id, GError **error)
{
  if (!on_pg (store))
    return run ? nb_store_lock_run (store->path, id, error)
               : nb_store_lock_session (store->path, id, error);
  if (run && (id <= 0 || id >= NB_STORE_RUN_LOCK_BASE))
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "run id %" G_GINT64_FORMAT " is out of range", id);
      return -1;
    }
  return nb_store_pg_lock (store, run ? NB_STORE_PG_LOCK_RUN : NB_STORE_PG_LOCK_SESSION, id, error)
             ? 0
             : -1;
}

void
nb_store_live_unlock (NbStore *store, const char *db_path, gboolean run, gint64 id, int fd)
{
  if (fd < 0)
    return;
  if (on_pg (store))
    nb_store_pg_unlock (store, run ? NB_STORE_PG_LOCK_RUN : NB_STORE_PG_LOCK_SESSION, id);
  else if (db_path != NULL && !nb_db_is_uri (db_path))
    nb_store_unlock_session (db_path, fd);
}

gboolean
nb_store_live_is_held (NbStore *store, gboolean run, gint64 id)
{
  if (!on_pg (store))
    return run ? nb_store_run_is_live (store->path, id)
               : nb_store_session_is_live (store->path, id);
  if (run && (id <= 0 || id >= NB_STORE_RUN_LOCK_BASE))
    return FALSE;
  return nb_store_pg_is_locked (store->db, run ? NB_STORE_PG_LOCK_RUN : NB_STORE_PG_LOCK_SESSION,
                                id);
}
