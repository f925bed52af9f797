/* nb-file-output.c: safe output files (see nb-file-output.h). */
#include "nb-file-output.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct _NbFileOutput
{
  char *path; /* target as given */
  char *tmp;  /* temporary file in the target's directory; NULL for standard output */
  FILE *fp;
  NbFileOutputFlags flags;
};

static NbStoreError
error_from_errno (int err)
{
  switch (err)
    {
    case ENOSPC:
    case EDQUOT: return NB_STORE_ERROR_FULL;
    case EACCES:
    case EPERM:
    case EROFS: return NB_STORE_ERROR_READ_ONLY;
    case EEXIST: return NB_STORE_ERROR_EXISTS;
    default: return NB_STORE_ERROR_IO;
    }
}

/* check_target: FALSE with an error if @path must not be written (see the header). lstat, not
 * stat: a symlink is refused itself, whatever it points to. */
static gboolean
check_target (const char *path, gboolean force, GError **error)
{
  struct stat st;
  if (lstat (path, &st) != 0)
    {
      int saved = errno;
      if (saved == ENOENT)
        return TRUE;
      g_set_error (error, NB_STORE_ERROR, error_from_errno (saved), "Cannot check %s: %s", path,
                   g_strerror (saved));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_REGULAR,
                   "%s exists and is not a regular file (%s); refusing to replace it", path,
                   S_ISLNK (st.st_mode)    ? "a symbolic link"
                   : S_ISDIR (st.st_mode)  ? "a directory"
                   : S_ISFIFO (st.st_mode) ? "a FIFO"
                   : S_ISSOCK (st.st_mode) ? "a socket"
                                           : "a device");
      return FALSE;
    }
  /* writing over one name of a hard-linked file would silently change (or, by rename, split
   * from) the other names */
  if (st.st_nlink > 1)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_REGULAR,
                   "%s has %lu hard links; refusing to replace it", path,
                   (unsigned long) st.st_nlink);
      return FALSE;
    }
  if (!force)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_EXISTS,
                   "%s already exists (use --force to replace it)", path);
      return FALSE;
    }
  return TRUE;
}

static void
free_output (NbFileOutput *out)
{
  g_free (out->path);
  g_free (out->tmp);
  g_free (out);
}

NbFileOutput *
nb_file_output_open (const char *path, NbFileOutputFlags flags, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  NbFileOutput *out = g_new0 (NbFileOutput, 1);
  out->path = g_strdup (path);
  out->flags = flags;
  if (strcmp (path, "-") == 0)
    {
      out->fp = stdout;
      return out;
    }
  if (path[0] == '\0' || !check_target (path, (flags & NB_FILE_OUTPUT_FORCE) != 0, error))
    {
      if (path[0] == '\0')
        g_set_error_literal (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                             "The output file name is empty");
      free_output (out);
      return NULL;
    }

  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  out->tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  int fd = g_mkstemp_full (out->tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, NB_STORE_ERROR, error_from_errno (saved),
                   "Cannot create a file in %s: %s", dir, g_strerror (saved));
      free_output (out);
      return NULL;
    }
  /* mkstemp's mode is filtered by the umask; 0600 whatever the umask is */
  if (fchmod (fd, 0600) != 0 || (out->fp = fdopen (fd, "w")) == NULL)
    {
      int saved = errno;
      close (fd);
      g_unlink (out->tmp);
      g_set_error (error, NB_STORE_ERROR, error_from_errno (saved), "Cannot write %s: %s", out->tmp,
                   g_strerror (saved));
      free_output (out);
      return NULL;
    }
  return out;
}

FILE *
nb_file_output_get_stream (NbFileOutput *out)
{
  g_return_val_if_fail (out != NULL, NULL);
  return out->fp;
}

/* move_into_place: without FORCE, never replaces what appeared at the target since open. */
static int
move_into_place (NbFileOutput *out)
{
  if (out->flags & NB_FILE_OUTPUT_FORCE)
    return rename (out->tmp, out->path) == 0 ? 0 : errno;

  if (renameat2 (AT_FDCWD, out->tmp, AT_FDCWD, out->path, RENAME_NOREPLACE) == 0)
    return 0;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
    return errno;
  /* a file system without RENAME_NOREPLACE: link() never replaces either */
  if (link (out->tmp, out->path) != 0)
    return errno;
  g_unlink (out->tmp);
  return 0;
}

/* sync_dir: makes the rename durable; a failure only loses durability, not data written. */
static void
sync_dir (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0)
    {
      (void) fsync (fd);
      close (fd);
    }
}

gboolean
nb_file_output_commit (NbFileOutput *out, GError **error)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (out->tmp == NULL) /* standard output */
    {
      gboolean ok = fflush (out->fp) == 0 && !ferror (out->fp);
      int saved = errno;
      free_output (out);
      if (!ok)
        g_set_error (error, NB_STORE_ERROR, error_from_errno (saved),
                     "Cannot write to standard output: %s", g_strerror (saved));
      return ok;
    }

  int saved = 0;
  if (fflush (out->fp) != 0 || ferror (out->fp) || fsync (fileno (out->fp)) != 0)
    saved = errno ? errno : EIO;
  if (fclose (out->fp) != 0 && saved == 0)
    saved = errno;
  out->fp = NULL;
  if (saved != 0)
    {
      g_set_error (error, NB_STORE_ERROR, error_from_errno (saved), "Cannot write %s: %s",
                   out->path, g_strerror (saved));
      nb_file_output_abort (out);
      return FALSE;
    }

  /* with FORCE, the target may have been swapped for a link or device since open */
  if ((out->flags & NB_FILE_OUTPUT_FORCE) && !check_target (out->path, TRUE, error))
    {
      nb_file_output_abort (out);
      return FALSE;
    }
  saved = move_into_place (out);
  if (saved != 0)
    {
      if (saved == EEXIST)
        g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_EXISTS,
                     "%s was created by someone else while writing; not replaced", out->path);
      else
        g_set_error (error, NB_STORE_ERROR, error_from_errno (saved), "Cannot create %s: %s",
                     out->path, g_strerror (saved));
      nb_file_output_abort (out);
      return FALSE;
    }
  sync_dir (out->path);
  g_clear_pointer (&out->tmp, g_free);
  free_output (out);
  return TRUE;
}

void
nb_file_output_abort (NbFileOutput *out)
{
  if (out == NULL)
    return;
  if (out->tmp != NULL)
    {
      if (out->fp != NULL)
        fclose (out->fp);
      g_unlink (out->tmp);
    }
  else if (out->fp != NULL)
    fflush (out->fp); /* standard output: never closed */
  free_output (out);
}
