/* test-store-crash.c: kill -9 a recording process; the database must pass integrity_check and
 * hold every stroke the child reported committed. */
#include "nb-audit.h"
#include "nb-store.h"
#include "store-test-util.h"

#include <gio/gio.h>
#include <stdlib.h>

/* strokes come back as 0, 1, 2, ... without holes */
static gboolean
check_sequence (const NbStoreStroke *s, gpointer data)
{
  gint64 *next = data;
  g_assert_cmpint ((gint64) s->index, ==, *next);
  (*next)++;
  return TRUE;
}

static void
test_kill_9 (void)
{
  const char *child = g_getenv ("NB_STORE_CRASH_CHILD");
  /* meson sets it; without it the crash test cannot run, and that must not pass quietly */
  if (child == NULL)
    g_error ("NB_STORE_CRASH_CHILD is not set: run this test through meson");
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "crash.db");
  GError *error = NULL;

  g_autoptr (GSubprocess) proc
      = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, child, path, NULL);
  g_assert_no_error (error);
  g_autoptr (GDataInputStream) in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));

  gint64 session = 0, last_index = -1;
  guint64 strokes = 0, samples = 0, commits = 0;
  gint64 kill_at = g_get_monotonic_time () + 1500 * 1000;
  gboolean killed = FALSE;
  gint64 t_session = 0, t_kill = 0;
  for (;;)
    {
      if (!killed && g_get_monotonic_time () >= kill_at)
        {
          g_subprocess_force_exit (proc); /* SIGKILL */
          t_kill = g_get_monotonic_time ();
          killed = TRUE;
        }
      /* lines arrive every 200 ms; after the kill the pipe drains to EOF */
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, &error);
      g_assert_no_error (error);
      if (line == NULL)
        break;
      if (g_str_has_prefix (line, "session "))
        {
          session = g_ascii_strtoll (line + 8, NULL, 10);
          t_session = g_get_monotonic_time ();
        }
      else if (g_str_has_prefix (line, "commit "))
        {
          char **f = g_strsplit (line + 7, " ", 3);
          strokes = g_ascii_strtoull (f[0], NULL, 10);
          last_index = g_ascii_strtoll (f[1], NULL, 10);
          samples = g_ascii_strtoull (f[2], NULL, 10);
          commits++;
          g_strfreev (f);
        }
    }
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_true (g_subprocess_get_if_signaled (proc));
  g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, SIGKILL);
  g_assert_cmpint (session, >, 0);
  g_assert_cmpuint (commits, >=, 3);
  g_test_message ("killed after %" G_GUINT64_FORMAT " commits: %" G_GUINT64_FORMAT
                  " strokes (last %" G_GINT64_FORMAT "), %" G_GUINT64_FORMAT " samples",
                  commits, strokes, last_index, samples);

  g_autoptr (NbStore) store = nb_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (nb_store_check_integrity (store, &error));
  g_assert_no_error (error);
  g_assert_true (nb_audit_verify (store, NULL, NULL, &error));
  gint64 n = nb_store_count_strokes (store, session, &error);
  g_assert_cmpint (n, >=, (gint64) strokes);
  g_assert_cmpint (nb_store_count_samples (store, session, &error), >=, (gint64) samples);
  g_assert_cmpint (last_index + 1, ==, (gint64) strokes);
  /* the child records in real time from just before it printed its session: what it had
   * produced when killed, minus one second, must be on disk */
  gint64 produced = (t_kill - t_session) * 20000 / G_USEC_PER_SEC;
  gint64 on_disk = nb_store_count_samples (store, session, &error);
  g_test_message ("produced about %" G_GINT64_FORMAT " samples, %" G_GINT64_FORMAT " on disk",
                  produced, on_disk);
  g_assert_cmpint (on_disk, >=, produced - 20000);

  /* strokes 0..last_index are all there, in order */
  gint64 next = 0;
  g_assert_true (nb_store_foreach_stroke (store, session, check_sequence, &next, &error));
  g_assert_cmpint (next, ==, n);
  g_assert_cmpint (next, >, last_index);

  g_autoptr (NbStoreSession) s = nb_store_get_session (store, session, &error);
  g_assert_no_error (error);
  g_assert_cmpint (s->status, ==, NB_SESSION_INTERRUPTED);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  nb_test_add_func ("/store/crash/kill-9", test_kill_9);
  return nb_test_run ();
}
