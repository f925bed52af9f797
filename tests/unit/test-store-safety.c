/* test-store-safety.c: the database file itself: paths that are not regular files are refused
 * at once, the database and its -wal/-shm are private (0600) even when they were not, live-session
 * markers do not pile up, read-only archives can be read, and a database deleted or replaced
 * under a running recorder stops it. */
#include "nb-export.h"
#include "nb-recorder.h"
#include "nb-store-private.h"
#include "store-test-util.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A skip is said on stderr too: meson counts a program with skipped cases as OK, and the reason
 * must not hide in its TAP output. */
static void
loud_skip (const char *why)
{
  g_printerr ("SKIPPED %s: %s\n", g_test_get_path (), why);
  g_test_skip (why);
}

static NbRecorderParams
params_for (const char *path)
{
  NbRecorderParams p = {
    .store_path = path,
    .session = { .pen_serial = "NB-0007",
                 .name = "safety",
                 .depth_mm = 1.0,
                 .rate_hz = 100,
                 .sample_rate_hz = 20000 },
    .commit_interval_ms = 20,
  };
  return p;
}

static void
add_batch (NbRecorder *rec, guint64 first)
{
  gint16 samples[100];
  for (guint i = 0; i < 100; i++)
    samples[i] = (gint16) (first + i);
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_recorder_add_batch (rec, first, samples, 100, &error));
  g_assert_no_error (error);
}

static gint64
record_named (const char *path, const char *name, guint batches)
{
  NbRecorderParams p = params_for (path);
  p.session.name = name;
  g_autoptr (GError) error = NULL;
  g_autoptr (NbRecorder) rec = nb_recorder_new (&p, &error);
  g_assert_no_error (error);
  for (guint b = 0; b < batches; b++)
    add_batch (rec, b * 100);
  NbStoreStroke st = { .index = 0, .time_s = 0.001, .depth_mm = 1.0, .entry_speed_mm_s = 400 };
  g_assert_true (nb_recorder_add_stroke (rec, &st, &error));
  gint64 id = nb_recorder_get_session_id (rec);
  g_assert_true (nb_recorder_finish (rec, NB_SESSION_COMPLETE, NULL, &error));
  g_assert_no_error (error);
  return id;
}

static gint64
record_one (const char *path)
{
  return record_named (path, "safety", 1);
}

static void
check_refused (const char *path)
{
  for (int ro = 0; ro <= 1; ro++)
    {
      g_autoptr (GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      NbStore *store
          = nb_store_open_full (path, ro ? NB_STORE_OPEN_READ_ONLY : NB_STORE_OPEN_DEFAULT, &error);
      g_assert_null (store);
      g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_REGULAR);
      g_assert_nonnull (strstr (error->message, "not a regular file"));
      g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
      g_test_message ("%s", error->message);
    }
}

static void
test_not_regular (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *fifo = g_build_filename (dir, "fifo.db", NULL);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  check_refused (fifo); /* without the check, sqlite3_open blocks here forever */
  check_refused (dir);
  check_refused ("/dev/null");
  struct stat st;
  g_assert_cmpint (lstat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
  g_assert_cmpint (lstat ("/dev/null", &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));
  g_autofree char *wal = g_strconcat (fifo, "-wal", NULL);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
check_perm (const char *path, mode_t want)
{
  struct stat st;
  g_assert_cmpint (lstat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, want);
}

static void
test_loose_modes_tightened (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "loose.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr (GError) error = NULL;

  /* a database (and, while it is open, its -wal and -shm) left 0644 by an older version or a
   * copy */
  NbStore *first = nb_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_assert_cmpint (g_chmod (wal, 0644), ==, 0);
  g_assert_cmpint (g_chmod (shm, 0666), ==, 0);
  NbStore *second = nb_store_open (path, &error);
  g_assert_no_error (error);
  check_perm (path, 0600);
  check_perm (wal, 0600);
  check_perm (shm, 0600);
  nb_store_close (second);
  nb_store_close (first);

  /* reopened after a clean close: SQLite creates the new -wal/-shm with the database's mode */
  g_assert_cmpint (g_chmod (path, 0664), ==, 0);
  mode_t old = umask (0);
  NbStore *third = nb_store_open (path, &error);
  umask (old);
  g_assert_no_error (error);
  check_perm (path, 0600);
  check_perm (wal, 0600);
  check_perm (shm, 0600);
  nb_store_close (third);

  /* reading only changes nothing */
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  NbStore *reader = nb_store_open_full (path, NB_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  check_perm (path, 0640);
  nb_store_close (reader);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_markers_removed (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "m.db", NULL);
  g_autofree char *marker = g_strconcat (path, "-recording", NULL);
  g_autoptr (GError) error = NULL;

  for (int i = 0; i < 3; i++)
    record_one (path);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));

  /* two recorders at once: the marker stays until the last one finishes */
  NbRecorderParams p = params_for (path);
  NbRecorder *a = nb_recorder_new (&p, &error);
  g_assert_no_error (error);
  NbRecorder *b = nb_recorder_new (&p, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));
  check_perm (marker, 0600);
  gint64 id_b = nb_recorder_get_session_id (b);
  g_assert_true (nb_recorder_finish (a, NB_SESSION_COMPLETE, NULL, &error));
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_assert_true (nb_store_session_is_live (path, id_b));
  g_assert_true (nb_recorder_finish (b, NB_SESSION_COMPLETE, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  nb_recorder_free (a);
  nb_recorder_free (b);

  /* a recorder that starts while another stops still gets a marker at the path */
  for (int i = 0; i < 20; i++)
    {
      NbRecorder *x = nb_recorder_new (&p, &error);
      g_assert_no_error (error);
      NbRecorder *y = nb_recorder_new (&p, &error);
      g_assert_no_error (error);
      gint64 id_y = nb_recorder_get_session_id (y);
      g_assert_true (nb_recorder_finish (x, NB_SESSION_COMPLETE, NULL, &error));
      g_assert_true (nb_store_session_is_live (path, id_y));
      g_assert_true (nb_recorder_finish (y, NB_SESSION_COMPLETE, NULL, &error));
      nb_recorder_free (x);
      nb_recorder_free (y);
    }
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

/* Reading an archive whose directory the user cannot write: as root nothing is read-only, so
 * the child drops to nobody (65534) over a directory owned by root. */
static void
test_read_only_directory (void)
{
  if (g_test_subprocess ())
    {
      const char *path = g_getenv ("NB_TEST_ARCHIVE");
      g_assert_cmpint (setgid (65534), ==, 0);
      g_assert_cmpint (setuid (65534), ==, 0);
      g_autofree char *dir = g_path_get_dirname (path);
      g_assert_cmpint (access (dir, W_OK), !=, 0);
      g_autoptr (GError) error = NULL;

      /* recording there is refused clearly */
      NbStore *rw = nb_store_open (path, &error);
      g_assert_null (rw);
      g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_READ_ONLY);
      g_clear_error (&error);

      g_autoptr (NbStore) store = nb_store_open_full (path, NB_STORE_OPEN_READ_ONLY, &error);
      g_assert_no_error (error);
      g_autoptr (GPtrArray) sessions = nb_store_list_sessions (store, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (sessions->len, ==, 1);
      NbStoreSession *s = g_ptr_array_index (sessions, 0);
      g_assert_cmpint (s->status, ==, NB_SESSION_COMPLETE);
      g_assert_cmpint (nb_store_count_samples (store, s->id, NULL), ==, 100);
      g_assert_true (
          nb_export_session (store, s->id, NB_EXPORT_CSV, FALSE, "-", NB_EXPORT_DEFAULT, &error));
      g_assert_no_error (error);
      return;
    }
  if (geteuid () != 0)
    {
      loud_skip ("needs root to set up a directory owned by another user");
      return;
    }
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *sub = g_build_filename (dir, "archive", NULL);
  g_autofree char *path = g_build_filename (sub, "a.db", NULL);
  record_one (path);
  /* no -wal/-shm left after a clean close; nobody owns the file but not the directory */
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (sub, 0755), ==, 0);
  g_assert_cmpint (chown (path, 65534, 65534), ==, 0);
  g_setenv ("NB_TEST_ARCHIVE", path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("index,time_s,depth_mm,period_ms,entry_speed_mm_s,target_mm,"
                             "tolerance_mm,band_lo_mm,band_hi_mm,band\r\n"
                             "0,0.00100,1.0000,,400.0,,,,,\r\n");
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

/* check_other_intact: the database at @path is the one named "other", intact, with only its own
 * session and its 200 samples. */
static void
check_other_intact (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_store_open_full (path, NB_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (nb_store_check_integrity (store, &error));
  g_autoptr (GPtrArray) sessions = nb_store_list_sessions (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sessions->len, ==, 1);
  NbStoreSession *s = g_ptr_array_index (sessions, 0);
  g_assert_cmpstr (s->name, ==, "other");
  g_assert_cmpint (s->status, ==, NB_SESSION_COMPLETE);
  g_assert_cmpint (nb_store_count_samples (store, s->id, NULL), ==, 200);
}

/* The database removed (unlink) or replaced (rename over it) while recording: the next commit
 * fails and the recording stops with an I/O error. */
static void
check_swapped_under_recorder (gboolean replace)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "gone.db", NULL);
  g_autofree char *other = g_build_filename (dir, "other.db", NULL);
  g_autoptr (GError) error = NULL;
  if (replace)
    record_named (other, "other", 2);

  NbRecorderParams p = params_for (path);
  g_autoptr (NbRecorder) rec = nb_recorder_new (&p, &error);
  g_assert_no_error (error);
  add_batch (rec, 0);
  NbRecorderStats stats;
  for (int i = 0; i < 500; i++)
    {
      nb_recorder_get_stats (rec, &stats);
      if (stats.samples == 100)
        break;
      g_usleep (10000);
    }
  g_assert_cmpuint (stats.samples, ==, 100);

  if (replace)
    g_assert_cmpint (g_rename (other, path), ==, 0);
  else
    g_assert_cmpint (g_unlink (path), ==, 0);
  add_batch (rec, 100);
  for (int i = 0; i < 500 && !nb_recorder_has_failed (rec); i++)
    g_usleep (10000);
  g_assert_true (nb_recorder_has_failed (rec));
  if (replace)
    check_other_intact (path); /* the recorder's log is not laid over it, even before finish */
  g_assert_false (nb_recorder_finish (rec, NB_SESSION_COMPLETE, NULL, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "deleted or replaced"));
  g_test_message ("%s", error->message);
  if (replace)
    check_other_intact (path);
  else
    {
      /* nothing recreated there, and no stray log left next to it either */
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
    }
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_deleted_while_recording (void)
{
  check_swapped_under_recorder (FALSE);
}

static void
test_replaced_while_recording (void)
{
  check_swapped_under_recorder (TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store-safety/not-regular", test_not_regular);
  g_test_add_func ("/store-safety/loose-modes-tightened", test_loose_modes_tightened);
  g_test_add_func ("/store-safety/markers-removed", test_markers_removed);
  g_test_add_func ("/store-safety/read-only-directory", test_read_only_directory);
  g_test_add_func ("/store-safety/deleted-while-recording", test_deleted_while_recording);
  g_test_add_func ("/store-safety/replaced-while-recording", test_replaced_while_recording);
  return g_test_run ();
}
