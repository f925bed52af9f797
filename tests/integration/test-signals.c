/* test-signals.c: a run interrupted by SIGINT, SIGTERM or SIGHUP leaves the pen stopped. For each
 * signal, `stream` and `record`, on a pen behind a pty (needlebench-sim) and on the in-process pen:
 * the CLI exits 128 + the signal, prints what it measured, the pen reports motor and stream off
 * afterwards, and a recording is closed as aborted with the reason. */
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli-harness.h"
#include "nb-device.h"

typedef struct
{
  int signum;
  const char *name;
  gboolean record;
  gboolean pty;
} Case;

/* The pen behind the pty, asked afterwards as a new host would. */
static void
assert_pty_pen_stopped (const char *uri)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NbDevice) dev = nb_device_open (uri, NULL, &error);
  g_assert_no_error (error);
  NbStatus st;
  g_assert_true (nb_device_get_status (dev, &st, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (st.flags & NB_STATUS_MOTOR_RUNNING, ==, 0);
  g_assert_cmpuint (st.flags & NB_STATUS_STREAMING, ==, 0);
  nb_device_close (dev);
}

/* The in-process pen died with the CLI; its status file says how it was left. */
static void
assert_status_file_stopped (const char *path)
{
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "motor=0 stream=0 depth_um=1000 rate_mhz=100000"));
}

static void
assert_session_aborted (const char *db, const char *name)
{
  CliResult r = { 0 };
  cli_run (&r, "sessions", "--db", db, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) p = json_parser_new ();
  g_assert_true (json_parser_load_from_data (p, r.out, -1, NULL));
  JsonArray *list = json_node_get_array (json_parser_get_root (p));
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  JsonObject *s = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (s, "status"), ==, "aborted");
  g_autofree char *reason = g_strdup_printf ("interrupted by %s", name);
  g_assert_cmpstr (json_object_get_string_member (s, "error"), ==, reason);
  /* what was measured before the signal is kept */
  g_assert_cmpint (json_object_get_int_member (s, "strokes"), >, 50);
  cli_result_clear (&r);
}

static void
test_signal (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *dir = g_dir_make_tmp ("nb-sig-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "nb.db", NULL);
  g_autofree char *status = g_build_filename (dir, "pen-status", NULL);
  g_autofree char *pty = NULL, *uri = NULL;
  GSubprocess *sim = NULL;
  if (c->pty)
    {
      sim = sim_start (&pty, "--seed", "3", NULL);
      uri = g_strdup_printf ("serial:%s", pty);
    }
  else
    {
      uri = g_strdup_printf ("sim:status-file=%s", status);
    }

  GSubprocess *cli;
  if (c->record)
    cli = cli_start ("record", "-d", uri, "--depth", "1", "--rate", "100", "--seconds", "20",
                     "--db", db, "--json", NULL);
  else
    cli = cli_start ("stream", "-d", uri, "--depth", "1", "--rate", "100", "--seconds", "20",
                     "--json", NULL);
  g_usleep (G_USEC_PER_SEC);
  gint64 sent = g_get_monotonic_time ();
  g_subprocess_send_signal (cli, c->signum);
  CliResult r = { 0 };
  cli_finish (&r, cli);
  g_object_unref (cli);
  double stop_s = (g_get_monotonic_time () - sent) / 1e6;

  g_assert_cmpint (r.status, ==, 128 + c->signum);
  /* stopping takes two acknowledged requests, not the rest of the 20 s */
  g_assert_cmpfloat (stop_s, <, 3.0);
  g_autofree char *line = g_strdup_printf ("needlebench-cli %s: interrupted by %s\n",
                                           c->record ? "record" : "stream", c->name);
  g_assert_cmpstr (r.err, ==, line);
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = cli_json_object (&r, &parser);
  g_assert_cmpstr (json_object_get_string_member (o, "aborted"), ==, c->name);
  g_assert_cmpint (json_object_get_int_member (o, "signal"), ==, c->signum);
  /* about 1 s of pen time was measured (the pen starts within the first half second) */
  g_assert_cmpint (json_object_get_int_member (o, "samples"), >, 10000);
  g_assert_cmpint (json_object_get_int_member (o, "strokes"), >, 50);
  cli_result_clear (&r);

  if (c->pty)
    assert_pty_pen_stopped (uri);
  else
    assert_status_file_stopped (status);
  if (c->record)
    assert_session_aborted (db, c->name);

  if (sim)
    sim_stop (sim);
  g_autofree char *cmd = g_strdup_printf ("rm -rf %s", dir);
  g_assert_cmpint (system (cmd), ==, 0);
}

/* A pen that stops answering: the stop would wait for its retries (and then the lost link); a
 * second SIGINT cuts that short at once, still with an exit of 130 and a word on the stop. */
static void
test_second_signal (void)
{
  g_autofree char *pty = NULL;
  /* the link freezes 1.5 s after the pen starts; the host calls it lost 1.5 s later */
  GSubprocess *sim = sim_start (&pty, "--stall", "1.5", NULL);
  g_autofree char *uri = g_strdup_printf ("serial:%s", pty);
  GSubprocess *cli = cli_start ("stream", "-d", uri, "--depth", "1", "--rate", "100", "--seconds",
                                "20", "--json", NULL);
  gint64 t0 = g_get_monotonic_time ();
  g_usleep (1700 * 1000);
  g_subprocess_send_signal (cli, SIGINT);
  g_usleep (300 * 1000);
  gint64 second = g_get_monotonic_time ();
  g_subprocess_send_signal (cli, SIGINT);
  CliResult r = { 0 };
  cli_finish (&r, cli);
  g_object_unref (cli);
  gint64 end = g_get_monotonic_time ();
  g_assert_cmpint (r.status, ==, 130);
  g_assert_cmpfloat ((end - second) / 1e6, <, 0.5);
  g_assert_cmpfloat ((end - t0) / 1e6, <, 2.8); /* before the link is called lost */
  g_assert_true (g_str_has_prefix (r.err,
                                   "needlebench-cli stream: interrupted by SIGINT; the pen did not "
                                   "confirm the stop: a second signal cut the wait short (one last "
                                   "MOTOR_STOP was sent)\n"));
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = cli_json_object (&r, &parser);
  g_assert_cmpstr (json_object_get_string_member (o, "aborted"), ==, "SIGINT");
  cli_result_clear (&r);
  sim_stop (sim);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  static const struct
  {
    int signum;
    const char *name;
  } sigs[] = { { SIGINT, "SIGINT" }, { SIGTERM, "SIGTERM" }, { SIGHUP, "SIGHUP" } };
  static Case cases[12];
  guint n = 0;
  for (guint s = 0; s < G_N_ELEMENTS (sigs); s++)
    for (int record = 0; record < 2; record++)
      for (int pty = 0; pty < 2; pty++)
        {
          Case *c = &cases[n++];
          *c = (Case){ sigs[s].signum, sigs[s].name, record, pty };
          g_autofree char *path
              = g_strdup_printf ("/signals/%s/%s/%s", record ? "record" : "stream",
                                 pty ? "pty" : "in-process", sigs[s].name);
          g_test_add_data_func (path, c, test_signal);
        }
  g_test_add_func ("/signals/second-signal-cuts-the-stop-short", test_second_signal);
  return g_test_run ();
}
