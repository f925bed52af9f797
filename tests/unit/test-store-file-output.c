/* test-store-file-output.c: NbFileOutput never writes through or replaces anything but a plain
 * regular file, creates files 0600, writes "-" to standard output and leaves no temporary file
 * behind when a write fails. */
#include "nb-file-output.h"
#include "store-test-util.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static gboolean
write_text (const char *path, NbFileOutputFlags flags, const char *text, GError **error)
{
  g_autoptr (NbFileOutput) out = nb_file_output_open (path, flags, error);
  if (out == NULL)
    return FALSE;
  fputs (text, nb_file_output_get_stream (out));
  return nb_file_output_commit (g_steal_pointer (&out), error);
}

static char *
read_text (const char *path)
{
  char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* count_entries: files in @dir, to see that no temporary file was left behind */
static guint
count_entries (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  guint n = 0;
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_create_mode (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "out.csv", NULL);
  g_autoptr (GError) error = NULL;

  mode_t old = umask (0); /* a permissive umask must not widen the mode */
  g_assert_true (write_text (path, NB_FILE_OUTPUT_DEFAULT, "a,b\r\n", &error));
  umask (old);
  g_assert_no_error (error);
  struct stat st;
  g_assert_cmpint (lstat (path, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_autofree char *text = read_text (path);
  g_assert_cmpstr (text, ==, "a,b\r\n");
  g_assert_cmpuint (count_entries (dir), ==, 1);
  nb_test_rm_rf (dir);
}

static void
test_existing_refused (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "out.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_set_contents (path, "precious", -1, NULL));

  g_assert_false (write_text (path, NB_FILE_OUTPUT_DEFAULT, "new", &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_autofree char *kept = read_text (path);
  g_assert_cmpstr (kept, ==, "precious");

  g_assert_true (write_text (path, NB_FILE_OUTPUT_FORCE, "new", &error));
  g_assert_no_error (error);
  g_autofree char *replaced = read_text (path);
  g_assert_cmpstr (replaced, ==, "new");
  g_assert_cmpuint (count_entries (dir), ==, 1);
  nb_test_rm_rf (dir);
}

/* A file appearing between open and commit is not replaced (RENAME_NOREPLACE). */
static void
test_appeared_meanwhile (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "out.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (NbFileOutput) out = nb_file_output_open (path, NB_FILE_OUTPUT_DEFAULT, &error);
  g_assert_no_error (error);
  fputs ("new", nb_file_output_get_stream (out));
  g_assert_true (g_file_set_contents (path, "other", -1, NULL));
  g_assert_false (nb_file_output_commit (g_steal_pointer (&out), &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_EXISTS);
  g_autofree char *kept = read_text (path);
  g_assert_cmpstr (kept, ==, "other");
  g_assert_cmpuint (count_entries (dir), ==, 1);
  nb_test_rm_rf (dir);
}

/* check_refused: writing @path fails with NOT_REGULAR with or without FORCE, and @path's lstat
 * (type, inode, size) is the same afterwards. */
static void
check_refused (const char *path)
{
  struct stat before, after;
  g_assert_cmpint (lstat (path, &before), ==, 0);
  for (int force = 0; force <= 1; force++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (
          write_text (path, force ? NB_FILE_OUTPUT_FORCE : NB_FILE_OUTPUT_DEFAULT, "x", &error));
      g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_REGULAR);
      g_test_message ("%s: %s", path, error->message);
    }
  g_assert_cmpint (lstat (path, &after), ==, 0);
  g_assert_cmpuint (after.st_ino, ==, before.st_ino);
  g_assert_cmpuint (after.st_mode, ==, before.st_mode);
  g_assert_cmpint (after.st_size, ==, before.st_size);
}

static void
test_not_regular_refused (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *target = g_build_filename (dir, "target", NULL);
  g_autofree char *slink = g_build_filename (dir, "link", NULL);
  g_autofree char *hard = g_build_filename (dir, "hard", NULL);
  g_autofree char *subdir = g_build_filename (dir, "subdir", NULL);

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_true (g_file_set_contents (target, "target", -1, NULL));
  g_assert_cmpint (symlink (target, slink), ==, 0);
  g_assert_cmpint (link (target, hard), ==, 0);
  g_assert_cmpint (g_mkdir (subdir, 0700), ==, 0);

  check_refused (fifo);
  check_refused (slink);
  check_refused (hard);
  check_refused (target); /* the other name of the hard link */
  check_refused (subdir);
  g_autofree char *text = read_text (target);
  g_assert_cmpstr (text, ==, "target");
  /* a device node: /dev/null is always there; refused before anything is created */
  check_refused ("/dev/null");
  g_assert_cmpuint (count_entries (dir), ==, 5);
  nb_test_rm_rf (dir);
}

static void
test_stdout (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (GError) error = NULL;
      g_assert_true (write_text ("-", NB_FILE_OUTPUT_DEFAULT, "to stdout\n", &error));
      g_assert_no_error (error);
      /* standard output is not closed */
      g_assert_cmpint (fputs ("still open\n", stdout), >=, 0);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("to stdout\nstill open\n");
}

/* A write failing halfway (file size limit: EFBIG, as a full disk would give ENOSPC) removes the
 * temporary file and creates nothing. */
static void
test_failed_write_leaves_nothing (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "out.csv", NULL);
  g_autoptr (GError) error = NULL;

  struct rlimit old;
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old), ==, 0);
  void (*old_handler) (int) = signal (SIGXFSZ, SIG_IGN);
  struct rlimit small = { 4096, old.rlim_max };
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &small), ==, 0);

  g_autoptr (NbFileOutput) out = nb_file_output_open (path, NB_FILE_OUTPUT_DEFAULT, &error);
  g_assert_no_error (error);
  FILE *fp = nb_file_output_get_stream (out);
  for (int i = 0; i < 10000; i++)
    fprintf (fp, "%d,%d\r\n", i, i * 7);
  gboolean ok = nb_file_output_commit (g_steal_pointer (&out), &error);

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old), ==, 0);
  signal (SIGXFSZ, old_handler);
  g_assert_false (ok);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_IO);
  g_test_message ("%s", error->message);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_entries (dir), ==, 0);

  /* and an abandoned output (an error while producing the data) is removed too */
  out = nb_file_output_open (path, NB_FILE_OUTPUT_DEFAULT, NULL);
  g_assert_nonnull (out);
  fputs ("partial", nb_file_output_get_stream (out));
  g_assert_cmpuint (count_entries (dir), ==, 1);
  g_clear_pointer (&out, nb_file_output_abort);
  g_assert_cmpuint (count_entries (dir), ==, 0);
  nb_test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/file-output/create-mode", test_create_mode);
  g_test_add_func ("/file-output/existing-refused", test_existing_refused);
  g_test_add_func ("/file-output/appeared-meanwhile", test_appeared_meanwhile);
  g_test_add_func ("/file-output/not-regular-refused", test_not_regular_refused);
  g_test_add_func ("/file-output/stdout", test_stdout);
  g_test_add_func ("/file-output/failed-write", test_failed_write_leaves_nothing);
  return g_test_run ();
}
