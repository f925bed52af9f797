/* store-test-util.h: temporary directories for the store tests, and the fixtures shared by the
 * files of the test-store program (defined in test-store.c). */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

#include "nb-recorder.h"

/* a note that needs CSV and JSON quoting */
#define NOTE "Test \"quoted\", with commas,\nnew lines\r\nand a trailing quote\""

/* default_params: a recorder on @path for pen NB-0042, operator alice, 20 kHz, 100 ms commits */
NbRecorderParams default_params (const char *path);
/* make_stroke: stroke @i of the fixture session (some without an entry speed) */
NbStoreStroke make_stroke (guint64 i);
/* record_session: records @n_strokes strokes, @n_batches batches of 100 samples (sample k is
 * k % 3001 - 1500) and two events; returns the session id */
gint64 record_session (const char *path, guint n_strokes, guint n_batches);
/* check_mode: asserts @path's permission bits are @mode */
void check_mode (const char *path, guint mode);

/* each file of test-store registers its tests */
void test_store_add_schema_tests (void);
void test_store_add_recorder_tests (void);
void test_store_add_audit_tests (void);
void test_store_add_export_tests (void);
void test_store_add_target_tests (void);

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
