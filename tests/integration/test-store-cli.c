/* test-store-cli.c: the database's file safety end to end through needlebench-cli: a database
 * deleted while `record` runs stops it with exit 4; a database path that is a FIFO fails at once;
 * `sessions` and `export -o -` read an archive in a directory the user cannot write and on a
 * read-only mount. */
#include <errno.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli-harness.h"

/* A skip is said on stderr too: meson counts a program with skipped cases as OK, and the reason
 * must not hide in its TAP output. */
static void
loud_skip (const char *why)
{
  g_printerr ("SKIPPED %s: %s\n", g_test_get_path (), why);
  g_test_skip (why);
}

static void
rm_rf (const char *dir)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (cmd), ==, 0);
}

static char *
record_archive (const char *dir)
{
  char *db = g_build_filename (dir, "archive.db", NULL);
  CliResult r = { 0 };
  cli_run (&r, "record", "-d", "sim:time-scale=4", "--depth", "0.5", "--rate", "100", "--seconds",
           "1", "--db", db, "--name", "archived", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  return db;
}

static void
test_deleted_while_recording (void)
{
  g_autofree char *dir = g_dir_make_tmp ("nb-gone-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "nb.db", NULL);
  const char *argv[]
      = { g_getenv ("NB_CLI"), "record", "-d",   "sim", "--depth", "1", "--rate", "100",
          "--seconds",         "4",      "--db", db,    NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) p = g_subprocess_newv (
      argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 100 && !g_file_test (db, G_FILE_TEST_EXISTS); i++)
    g_usleep (20000);
  g_usleep (1000 * 1000); /* a second recorded and committed */
  g_assert_cmpint (g_unlink (db), ==, 0);
  g_autofree char *err = NULL;
  g_assert_true (g_subprocess_communicate_utf8 (p, NULL, NULL, NULL, &err, &error));
  g_assert_no_error (error);
  g_test_message ("%s", err);
  g_assert_true (g_subprocess_get_if_exited (p));
  g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 4);
  g_assert_nonnull (strstr (err, "deleted or replaced"));
  rm_rf (dir);
}

static void
test_fifo (void)
{
  g_autofree char *dir = g_dir_make_tmp ("nb-fifo-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "nb.db", NULL);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  CliResult r = { 0 };
  cli_run (&r, "sessions", "--db", fifo, NULL); /* blocked forever before the fix */
  g_assert_cmpint (r.status, ==, 4);
  g_assert_cmpfloat (r.seconds, <, 5);
  g_assert_nonnull (strstr (r.err, "not a regular file"));
  cli_result_clear (&r);
  cli_run (&r, "export", "1", "--db", fifo, "-o", "-", NULL);
  g_assert_cmpint (r.status, ==, 4);
  g_assert_nonnull (strstr (r.err, "not a regular file"));
  cli_result_clear (&r);
  rm_rf (dir);
}

/* How the reading commands are run: as nobody, or as root in a mount namespace where the
 * archive's directory is a read-only bind mount. */
typedef enum
{
  AS_NOBODY,
  ON_READ_ONLY_MOUNT,
} ReadMode;

typedef struct
{
  ReadMode mode;
  const char *dir;
  const char *cli; /* the needlebench-cli to run */
} Setup;

static void
child_setup (gpointer data)
{
  const Setup *s = data;
  if (s->mode == AS_NOBODY)
    {
      if (setgid (65534) != 0 || setuid (65534) != 0)
        _exit (90);
      return;
    }
  if (unshare (CLONE_NEWNS) != 0 || mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0
      || mount (s->dir, s->dir, NULL, MS_BIND, NULL) != 0
      || mount (NULL, s->dir, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) != 0)
    _exit (91);
}

static int
run_reader (const Setup *setup, char **out, char **err, const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) setup->cli);
  va_list ap;
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, child_setup,
                               (gpointer) setup, out, err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
check_archive_readable (ReadMode mode)
{
  if (geteuid () != 0)
    {
      loud_skip ("needs root (to drop to nobody or to mount)");
      return;
    }
  g_autofree char *dir = g_dir_make_tmp ("nb-archive-XXXXXX", NULL);
  g_autofree char *db = record_archive (dir);
  /* nobody may not reach the build tree (a checkout in a 0700 directory): it runs a copy of the
   * CLI from a directory of its own (the CLI links no library of the build tree) */
  g_autofree char *bin_dir = g_dir_make_tmp ("nb-cli-XXXXXX", NULL);
  g_autofree char *cli = g_build_filename (bin_dir, "needlebench-cli", NULL);
  g_assert_cmpint (g_chmod (bin_dir, 0755), ==, 0);
  g_autoptr (GFile) from = g_file_new_for_path (g_getenv ("NB_CLI"));
  g_autoptr (GFile) to = g_file_new_for_path (cli);
  g_autoptr (GError) copy_error = NULL;
  g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &copy_error));
  g_assert_no_error (copy_error);
  g_assert_cmpint (g_chmod (cli, 0755), ==, 0);
  Setup setup = { mode, dir, cli };
  if (mode == AS_NOBODY)
    {
      /* nobody may read the file but not write the directory; the CLI must be reachable */
      g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
      g_assert_cmpint (chown (db, 65534, 65534), ==, 0);
    }

  g_autofree char *out = NULL, *err = NULL;
  int status = run_reader (&setup, &out, &err, "sessions", "--db", db, "--json", NULL);
  if (status == 90 || status == 91)
    {
      loud_skip (status == 90 ? "cannot change user" : "cannot make a read-only mount here");
      rm_rf (dir);
      rm_rf (bin_dir);
      return;
    }
  g_test_message ("sessions: %s%s", out, err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "\"archived\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_reader (&setup, &out, &err, "export", "1", "--db", db, "-o", "-", NULL);
  g_test_message ("export: %s", err);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (
      out, "index,time_s,depth_mm,period_ms,entry_speed_mm_s,target_mm,tolerance_mm,band_lo_mm,"
           "band_hi_mm,band\r\n"));
  g_assert_cmpuint (strlen (out), >, 60);
  /* nothing was written next to the archive */
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  rm_rf (dir);
  rm_rf (bin_dir);
}

static void
test_read_only_directory (void)
{
  check_archive_readable (AS_NOBODY);
}

static void
test_read_only_mount (void)
{
  check_archive_readable (ON_READ_ONLY_MOUNT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store-cli/deleted-while-recording", test_deleted_while_recording);
  g_test_add_func ("/store-cli/fifo", test_fifo);
  g_test_add_func ("/store-cli/read-only-directory", test_read_only_directory);
  g_test_add_func ("/store-cli/read-only-mount", test_read_only_mount);
  return g_test_run ();
}
