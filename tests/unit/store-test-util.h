/* store-test-util.h: temporary directories for the store tests. */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

/* Removes @path and everything under it. */
static inline void
nb_test_rm_rf (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      const char *name;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          nb_test_rm_rf (child);
        }
      g_dir_close (dir);
      g_chmod (path, 0700);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* A fresh temporary directory, removed by nb_test_tmpdir_free (). */
static inline char *
nb_test_tmpdir_new (void)
{
  GError *error = NULL;
  char *dir = g_dir_make_tmp ("nb-store-test-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static inline void
nb_test_tmpdir_free (char *dir)
{
  nb_test_rm_rf (dir);
  g_free (dir);
}
