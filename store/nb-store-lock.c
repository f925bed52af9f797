/* nb-store-lock.c: marks sessions as live while a recorder writes them, so that a session left
 * 'recording' by a crashed process can be told apart from one being recorded right now.
 * A recorder holds an open-file-description lock (F_OFD_SETLK) on byte <session id> of the file
 * "<db>-recording"; the kernel drops it when the process dies, however it dies. OFD locks also
 * conflict within one process, so a GUI listing sessions sees its own recorder's lock. */
#include "nb-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static char *
lock_path (const char *db_path)
{
  return g_strconcat (db_path, "-recording", NULL);
}

int
nb_store_lock_session (const char *db_path, gint64 session_id, GError **error)
{
  g_autofree char *path = lock_path (db_path);
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, NB_STORE_ERROR,
                   saved == EACCES || saved == EROFS ? NB_STORE_ERROR_READ_ONLY : NB_STORE_ERROR_IO,
                   "Cannot create the lock file %s: %s", path, g_strerror (saved));
      return -1;
    }
  struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = session_id, .l_len = 1 };
  if (fcntl (fd, F_OFD_SETLK, &fl) != 0)
    {
      int saved = errno;
      close (fd);
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_BUSY,
                   "Cannot lock session %" G_GINT64_FORMAT " in %s: %s", session_id, path,
                   g_strerror (saved));
      return -1;
    }
  return fd;
}

void
nb_store_unlock_session (int fd)
{
  if (fd >= 0)
    close (fd); /* closing the last descriptor releases the OFD lock */
}

gboolean
nb_store_session_is_live (const char *db_path, gint64 session_id)
{
  g_autofree char *path = lock_path (db_path);
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = session_id, .l_len = 1 };
  gboolean live = fcntl (fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
  close (fd);
  return live;
}
