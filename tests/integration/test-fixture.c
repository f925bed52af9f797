/* test-fixture.c: a station (a simulated pen and the reference fixture mounted on it) seen
 * through the real host stack (NbDevice + NbAcquisition on both): the pen whose own sensor
 * flatters it (sensor-offset=-0.1 with depth-offset=0.1) reports 1.000 mm while the fixture sees
 * the 1.100 mm it delivers. In process (sim: + sim-fixture:) and over ptys (needlebench-sim
 * --fixture); the in-process registry's errors; `list --json` and `info --json` show the kind. */
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "cli-harness.h"
#include "nb-acquisition.h"
#include "nb-sim-transport.h"

/* A pen perfect but for the two errors under test, faster than real time. */
#define PEN_KEYS                                                                                   \
  "depth-offset=0.1,sensor-offset=-0.1,depth-gain=1,nonlinearity=0,drift=0,rate-error=0"

typedef struct
{
  GMainLoop *loop;
  NbAcquisition *pen;
  gboolean fixture_lost;
} Run;

static void
on_pen_stroke (NbAcquisition *acq, const NbStroke *stroke, Run *run)
{
  NbAcquisitionSummary s;
  nb_acquisition_get_summary (acq, &s);
  if (s.strokes >= 100)
    g_main_loop_quit (run->loop);
}

static gboolean
give_up (gpointer data)
{
  g_error ("no 100 strokes within 60 s");
  return G_SOURCE_REMOVE;
}

static NbDevice *
open_ok (const char *uri)
{
  g_autoptr (GError) error = NULL;
  NbDevice *dev = nb_device_open (uri, NULL, &error);
  g_assert_no_error (error);
  return dev;
}

/* Streams both at 1.0 mm / 100 Hz until the pen has 100 strokes; checks both means. */
static void
measure_station (NbDevice *pen, NbDevice *fixture)
{
  g_autoptr (GError) error = NULL;
  const NbIdentity *id = nb_device_get_identity (fixture);
  g_assert_true (id->capabilities & NB_CAP_REFERENCE);
  g_assert_false (nb_device_get_identity (pen)->capabilities & NB_CAP_REFERENCE);
  g_assert_cmpstr (id->serial, ==, "NB-FIX-SIM-0001");

  g_autoptr (NbAcquisition) pen_acq = nb_acquisition_new (pen);
  g_autoptr (NbAcquisition) fix_acq = nb_acquisition_new (fixture);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Run run = { .loop = loop, .pen = pen_acq };
  g_signal_connect (pen_acq, "stroke", G_CALLBACK (on_pen_stroke), &run);

  g_assert_true (nb_device_set_depth (pen, 1.0, NULL, &error));
  g_assert_true (nb_device_set_rate (pen, 100, NULL, &error));
  /* the fixture has no motor: MOTOR_START is refused as a request it does not implement */
  g_assert_false (nb_device_motor_start (fixture, NULL, &error));
  g_assert_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_NAK);
  g_clear_error (&error);
  g_assert_true (nb_device_stream_start (fixture, NULL, &error));
  g_assert_true (nb_device_stream_start (pen, NULL, &error));
  g_assert_true (nb_device_motor_start (pen, NULL, &error));
  guint timeout = g_timeout_add_seconds (60, give_up, NULL);
  g_main_loop_run (loop);
  g_source_remove (timeout);
  g_assert_true (nb_device_motor_stop (pen, NULL, &error));
  g_assert_true (nb_device_stream_stop (pen, NULL, &error));
  g_assert_true (nb_device_stream_stop (fixture, NULL, &error));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  NbAcquisitionSummary ps, fs;
  nb_acquisition_get_summary (pen_acq, &ps);
  nb_acquisition_get_summary (fix_acq, &fs);
  g_test_message ("pen %" G_GUINT64_FORMAT " strokes mean %.4f mm; fixture %" G_GUINT64_FORMAT
                  " strokes mean %.4f mm",
                  ps.strokes, ps.depth_mm.mean, fs.strokes, fs.depth_mm.mean);
  g_assert_cmpuint (ps.strokes, >=, 100);
  /* the fixture saw the same strokes (it streamed before the motor started and after it stopped) */
  g_assert_cmpuint (fs.strokes, >=, ps.strokes - 1);
  g_assert_cmpuint (fs.strokes, <=, ps.strokes + 1);
  g_assert_cmpfloat (fabs (ps.depth_mm.mean - 1.000), <, 0.01); /* what the pen says */
  g_assert_cmpfloat (fabs (fs.depth_mm.mean - 1.100), <, 0.01); /* what it delivers */
  g_assert_cmpfloat (fabs (nb_acquisition_summary_rate_hz (&fs) - 100), <, 1);
}

static void
test_in_process (void)
{
  g_autoptr (NbDevice) pen = open_ok ("sim:serial=NB-0042,time-scale=4," PEN_KEYS);
  g_autoptr (NbDevice) fixture = open_ok ("sim-fixture:pen=NB-0042");
  measure_station (pen, fixture);
  /* closed here, not at the last unref: a delivery still queued holds a reference, and the next
   * test needs the pen gone from the registry */
  nb_device_close (fixture);
  nb_device_close (pen);
}

static void
on_lost (NbDevice *dev, const GError *error, Run *run)
{
  run->fixture_lost = TRUE;
  g_main_loop_quit (run->loop);
}

static void
expect_open_error (const char *uri, int code, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NbDevice) dev = nb_device_open (uri, NULL, &error);
  g_assert_null (dev);
  g_assert_error (error, NB_DEVICE_ERROR, code);
  if (strstr (error->message, text) == NULL)
    g_error ("“%s” does not say “%s”", error->message, text);
}

static void
test_registry (void)
{
  expect_open_error ("sim-fixture:", NB_DEVICE_ERROR_NOT_FOUND, "no simulated pen is open");
  expect_open_error ("sim-fixture:noise=abc", NB_DEVICE_ERROR_INVALID_URI, "“noise”");
  {
    g_autoptr (NbDevice) pen = open_ok ("sim:serial=NB-0001");
    /* alone, `sim-fixture:` mounts on the only pen */
    g_autoptr (NbDevice) fixture = open_ok ("sim-fixture:serial=FX-9");
    g_assert_cmpstr (nb_device_get_identity (fixture)->serial, ==, "FX-9");
    expect_open_error ("sim-fixture:", NB_DEVICE_ERROR_BUSY, "already has a fixture");
    expect_open_error ("sim-fixture:pen=NB-0777", NB_DEVICE_ERROR_NOT_FOUND,
                       "no simulated pen with serial “NB-0777”");
    {
      g_autoptr (NbDevice) pen2 = open_ok ("sim:serial=NB-0002");
      expect_open_error ("sim-fixture:", NB_DEVICE_ERROR_NOT_FOUND, "name one with");
    }

    /* its pen closed, the fixture's link drops */
    g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
    Run run = { .loop = loop };
    g_signal_connect (fixture, "lost", G_CALLBACK (on_lost), &run);
    g_autoptr (GError) error = NULL;
    g_assert_true (nb_device_stream_start (fixture, NULL, &error));
    g_clear_object (&pen);
    guint timeout = g_timeout_add_seconds (10, give_up, NULL);
    g_main_loop_run (loop);
    g_source_remove (timeout);
    g_assert_true (run.fixture_lost);
  }
  /* a pen whose fixture was closed takes another */
  g_autoptr (NbDevice) pen = open_ok ("sim:serial=NB-0003");
  {
    g_autoptr (NbDevice) first = open_ok ("sim-fixture:pen=NB-0003");
  }
  g_autoptr (GError) error = NULL;
  g_autoptr (NbDevice) second = NULL;
  for (int i = 0; i < 100 && second == NULL; i++) /* the pen's thread sees the EOF within ms */
    {
      g_clear_error (&error);
      second = nb_device_open ("sim-fixture:pen=NB-0003", NULL, &error);
      if (second == NULL)
        g_usleep (10000);
    }
  g_assert_no_error (error);
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* needlebench-sim --fixture: two lines, the pen's pty then the fixture's. */
static GSubprocess *
start_station (char **pen_path, char **fixture_path)
{
  /* At real time, as a pen on a bench: faster, the simulated pen keeps every byte its host has
   * not read, and a host that falls behind (a sanitizer build) leaves the next one (list, below)
   * a backlog of stale telemetry to wade through before its IDENTITY answer. */
  const char *argv[] = { g_getenv ("NB_SIM"),
                         "--fixture",
                         "--depth-offset",
                         "0.1",
                         "--sensor-offset",
                         "-0.1",
                         "--depth-gain",
                         "1",
                         "--nonlinearity",
                         "0",
                         "--drift",
                         "0",
                         "--rate-error",
                         "0",
                         NULL };
  g_assert_nonnull (argv[0]);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocessLauncher) launcher
      = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* a failed assertion must not leave a station running */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  GSubprocess *p = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_autoptr (GDataInputStream) in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p));
  *pen_path = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  *fixture_path = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (*pen_path, "/dev/"));
  g_assert_true (g_str_has_prefix (*fixture_path, "/dev/"));
  g_assert_cmpstr (*pen_path, !=, *fixture_path);
  return p;
}

static void
test_ptys (void)
{
  g_autofree char *pen_path = NULL, *fixture_path = NULL;
  GSubprocess *sim = start_station (&pen_path, &fixture_path);
  g_autofree char *pen_uri = g_strconcat ("serial:", pen_path, NULL);
  g_autofree char *fixture_uri = g_strconcat ("serial:", fixture_path, NULL);
  {
    g_autoptr (NbDevice) pen = open_ok (pen_uri);
    g_autoptr (NbDevice) fixture = open_ok (fixture_uri);
    measure_station (pen, fixture);
  }

  /* list finds it with its kind; info names the capability. Discovery probes quickly (200 ms,
   * one retry): a sanitizer build's pen, just back from streaming, may miss one probe, so list is
   * asked up to three times for both answers. */
  CliResult r = { 0 };
  guint pens = 0, fixtures = 0;
  for (int attempt = 0; attempt < 3 && (pens == 0 || fixtures == 0); attempt++)
    {
      cli_result_clear (&r);
      cli_run (&r, "list", "--json", "--no-sim", "--port", pen_path, "--port", fixture_path, NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_assert_true (json_parser_load_from_data (parser, r.out, -1, NULL));
      JsonArray *rows = json_node_get_array (json_parser_get_root (parser));
      pens = fixtures = 0;
      for (guint i = 0; i < json_array_get_length (rows); i++)
        {
          JsonObject *o = json_array_get_object_element (rows, i);
          const char *uri = json_object_get_string_member (o, "uri");
          const char *kind = json_object_get_string_member (o, "kind");
          if (g_str_equal (uri, fixture_uri) && kind)
            {
              g_assert_cmpstr (kind, ==, "fixture");
              g_assert_cmpstr (json_object_get_string_member (o, "serial"), ==, "NB-FIX-SIM-0001");
              fixtures++;
            }
          else if (g_str_equal (uri, pen_uri) && kind)
            {
              g_assert_cmpstr (kind, ==, "pen");
              pens++;
            }
          else if (!json_object_get_boolean_member (o, "probed"))
            g_assert_null (kind);
        }
    }
  g_assert_cmpuint (pens, ==, 1);
  g_assert_cmpuint (fixtures, ==, 1);
  cli_result_clear (&r);

  /* monitor reports it as it reports a pen, with its kind */
  cli_run (&r, "monitor", "--json", "--no-sim", "--seconds", "1.5", "--port", fixture_path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_auto (GStrv) lines = g_strsplit (g_strstrip (r.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  g_autoptr (JsonParser) line_parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (line_parser, lines[0], -1, NULL));
  JsonObject *added = json_node_get_object (json_parser_get_root (line_parser));
  g_assert_cmpstr (json_object_get_string_member (added, "event"), ==, "added");
  g_assert_cmpstr (json_object_get_string_member (added, "uri"), ==, fixture_uri);
  g_assert_cmpstr (json_object_get_string_member (added, "kind"), ==, "fixture");
  cli_result_clear (&r);

  g_autoptr (JsonParser) info_parser = NULL;
  cli_run (&r, "info", "-d", fixture_uri, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  JsonObject *info = cli_json_object (&r, &info_parser);
  g_assert_cmpstr (json_object_get_string_member (info, "kind"), ==, "fixture");
  JsonArray *caps = json_object_get_array_member (info, "capabilities");
  g_assert_cmpuint (json_array_get_length (caps), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (caps, 0), ==, "reference");
  cli_result_clear (&r);
  cli_run (&r, "info", "-d", fixture_uri, NULL);
  g_assert_nonnull (strstr (r.out, "Kind:          fixture\n"));
  g_assert_nonnull (strstr (r.out, "Capabilities:  reference\n"));
  cli_result_clear (&r);
  sim_stop (sim);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  nb_sim_transport_register ();
  g_test_add_func ("/fixture/in-process", test_in_process);
  g_test_add_func ("/fixture/registry", test_registry);
  g_test_add_func ("/fixture/ptys", test_ptys);
  return g_test_run ();
}
