/* store-test-util.h: temporary directories for the store tests, the backend they run against
 * (store-test-util.c: SQLite, or PostgreSQL with NB_TEST_BACKEND=pg), and the fixtures shared by
 * the files of the test-store program (defined in test-store.c). */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

#include "nb-recorder.h"
#include "nb-store.h"

/* The backend (store-test-util.c; programs that use these link it and libpq). */

/* nb_test_backend_is_pg: TRUE when NB_TEST_BACKEND=pg (then NB_PG_URI must be set, by
 * tests/pg/pg-run.sh; without it the program aborts rather than test SQLite instead) */
gboolean nb_test_backend_is_pg (void);
/* nb_test_store_location: (transfer full) where a test keeps a fresh store: @dir/@name on SQLite,
 * on PostgreSQL the URI of a new empty database (CREATE DATABASE through a superuser connection
 * to NB_PG_URI), dropped by nb_test_store_cleanup () */
char *nb_test_store_location (const char *dir, const char *name);
/* nb_test_store_cleanup: drops the PostgreSQL databases made so far (nothing on SQLite); fixture
 * teardowns call it, nb_test_add_func () tests have it called after them */
void nb_test_store_cleanup (void);
/* nb_test_add_func: g_test_add_func () on both backends, with nb_test_store_cleanup () after */
void nb_test_add_func (const char *path, GTestFunc func);
/* nb_test_add_sqlite_only: a test of the SQLite file itself (file modes, WAL, pragmas, old
 * schema versions): registered on SQLite only; on PostgreSQL it is listed with @why by
 * nb_test_run () so nothing goes missing silently */
void nb_test_add_sqlite_only (const char *path, GTestFunc func, const char *why);
/* nb_test_note_sqlite_only: lists @path as SQLite-only (for tests registered with g_test_add) */
void nb_test_note_sqlite_only (const char *path, const char *why);
/* NB_TEST_ADD_SQLITE_ONLY: g_test_add () on SQLite only, listed on PostgreSQL */
#define NB_TEST_ADD_SQLITE_ONLY(path, Fixture, data, setup, test, teardown, why)                   \
  G_STMT_START                                                                                     \
  {                                                                                                \
    if (nb_test_backend_is_pg ())                                                                  \
      nb_test_note_sqlite_only (path, why);                                                        \
    else                                                                                           \
      g_test_add (path, Fixture, data, setup, test, teardown);                                     \
  }                                                                                                \
  G_STMT_END
/* nb_test_run: g_test_run () after printing (TAP comments) the backend and the SQLite-only
 * tests left out on PostgreSQL; drops what is left of the test databases */
int nb_test_run (void);
/* nb_test_tamper: runs @sql on @table behind the schema's back, as someone with the database
 * file (SQLite: the table's triggers dropped) or its superuser (PostgreSQL: ALTER TABLE ...
 * DISABLE TRIGGER ALL for the change) would */
gboolean nb_test_tamper (NbStore *store, const char *table, const char *sql, GError **error);
/* NB_TEST_BLOB_00: an SQL literal of the one-byte blob 00 on the backend at hand */
#define NB_TEST_BLOB_00 (nb_test_backend_is_pg () ? "'\\x00'::bytea" : "x'00'")
/* nb_test_has_index: TRUE if the store's database has an index @name */
gboolean nb_test_has_index (NbStore *store, const char *name);

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
