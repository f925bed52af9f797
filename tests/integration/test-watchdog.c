/* test-watchdog.c: a host that dies cannot stop the pen's motor, so the pen does (protocol.md
 * §3.1). needlebench-sim on a pty, `needlebench-cli stream` driving it, kill -9 of the CLI while
 * the motor runs: the pen's watchdog stops the motor within 2.5 s of the kill.
 *
 * The pen's state is watched through its status file, not by requests: every request re-arms the
 * watchdog, so polling GET_STATUS from the moment of the kill would keep the motor running (as it
 * must). Once the file says the motor stopped, a new host confirms it with GET_STATUS. */
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli-harness.h"
#include "nb-device.h"

static gboolean
status_says (const char *path, const char *what)
{
  g_autofree char *text = NULL;
  return g_file_get_contents (path, &text, NULL, NULL) && strstr (text, what) != NULL;
}

/* Polls the status file every 5 ms until it contains @what; returns the wait in seconds or -1. */
static double
wait_status (const char *path, const char *what, double timeout_s)
{
  gint64 t0 = g_get_monotonic_time ();
  while ((g_get_monotonic_time () - t0) / 1e6 < timeout_s)
    {
      if (status_says (path, what))
        return (g_get_monotonic_time () - t0) / 1e6;
      g_usleep (5000);
    }
  return -1;
}

static void
test_kill9 (void)
{
  g_autofree char *dir = g_dir_make_tmp ("nb-watchdog-XXXXXX", NULL);
  g_autofree char *status = g_build_filename (dir, "status", NULL);
  g_autofree char *pty = NULL;
  GSubprocess *sim = sim_start (&pty, "--status-file", status, NULL);
  g_assert_cmpfloat (wait_status (status, "motor=0", 5), >=, 0);

  g_autofree char *uri = g_strdup_printf ("serial:%s", pty);
  const char *cli = g_getenv ("NB_CLI");
  g_assert_nonnull (cli);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) host = g_subprocess_new (
      G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error, cli, "stream",
      "-d", uri, "--depth", "1", "--rate", "100", "--seconds", "20", NULL);
  g_assert_no_error (error);
  g_assert_cmpfloat (wait_status (status, "motor=1", 10), >=, 0);
  g_usleep (G_USEC_PER_SEC); /* the run is under way, with its keepalive */
  g_assert_true (status_says (status, "motor=1"));

  gint64 killed = g_get_monotonic_time ();
  g_subprocess_force_exit (host); /* SIGKILL: nothing of the host's runs after this */
  g_assert_true (g_subprocess_wait (host, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (host));
  g_assert_cmpint (g_subprocess_get_term_sig (host), ==, SIGKILL);

  g_assert_cmpfloat (wait_status (status, "motor=0", 5), >=, 0);
  double stopped_s = (g_get_monotonic_time () - killed) / 1e6;
  if (g_test_verbose ())
    g_printerr ("motor stopped %.3f s after kill -9\n", stopped_s);
  g_assert_cmpfloat (stopped_s, <=, 2.5);

  /* a new host sees the motor off (and the stream still on: the watchdog only stops the motor) */
  g_autoptr (NbDevice) dev = nb_device_open (uri, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (nb_device_get_identity (dev)->capabilities & NB_CAP_WATCHDOG);
  NbStatus st;
  g_assert_true (nb_device_get_status (dev, &st, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (st.flags & NB_STATUS_MOTOR_RUNNING);
  g_assert_false (st.flags & NB_STATUS_MOTOR_FAULT);
  nb_device_close (dev);

  sim_stop (sim);
  g_unlink (status);
  g_rmdir (dir);
}

/* A host that freezes (SIGSTOP: a stalled machine, a debugger) is quiet too: the pen stops the
 * motor, and the host, once it runs again, ends the run saying why (exit 3), not as a success. */
static void
test_frozen_host (void)
{
  g_autofree char *dir = g_dir_make_tmp ("nb-watchdog-XXXXXX", NULL);
  g_autofree char *status = g_build_filename (dir, "status", NULL);
  g_autofree char *pty = NULL;
  GSubprocess *sim = sim_start (&pty, "--status-file", status, NULL);
  g_assert_cmpfloat (wait_status (status, "motor=0", 5), >=, 0);

  g_autofree char *uri = g_strdup_printf ("serial:%s", pty);
  GSubprocess *host = cli_start ("stream", "-d", uri, "--depth", "1", "--rate", "100", "--seconds",
                                 "20", "--json", NULL);
  g_assert_cmpfloat (wait_status (status, "motor=1", 10), >=, 0);
  g_usleep (G_USEC_PER_SEC / 2);

  gint64 frozen = g_get_monotonic_time ();
  kill (atoi (g_subprocess_get_identifier (host)), SIGSTOP);
  g_assert_cmpfloat (wait_status (status, "motor=0", 5), >=, 0);
  double stopped_s = (g_get_monotonic_time () - frozen) / 1e6;
  g_assert_cmpfloat (stopped_s, >=, 1.4); /* 2 s after the last request, sent <= 0.5 s before */
  g_assert_cmpfloat (stopped_s, <=, 2.5);
  kill (atoi (g_subprocess_get_identifier (host)), SIGCONT);

  CliResult r = { 0 };
  cli_finish (&r, host);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_nonnull (strstr (r.err, "the pen stopped its motor"));
  g_assert_nonnull (strstr (r.err, "watchdog"));
  g_assert_true (status_says (status, "motor=0"));
  cli_result_clear (&r);

  sim_stop (sim);
  g_unlink (status);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/watchdog/kill-9", test_kill9);
  g_test_add_func ("/watchdog/frozen-host", test_frozen_host);
  return g_test_run ();
}
