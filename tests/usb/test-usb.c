/* test-usb.c: the real USB driver (libusb) and needlebench-cli against a fake USB pen
 * (nb-fake-usb.c). Runs under umockdev-wrapper; the CLI runs as a child process that inherits the
 * preload and the testbed, and its usbdevfs ioctls are answered by this process. */
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <umockdev.h>

#include "nb-device.h"
#include "nb-device-monitor.h"
#include "nb-discovery.h"
#include "nb-fake-usb.h"
#include "nb-transport.h"
#include <sys/ioctl.h>
#include <linux/usbdevice_fs.h>

#define SPEC "depth-offset=0,depth-gain=1,rate-error=0,serial=NB-USB-0042"
#define URI "usb:1209:0001"

typedef struct
{
  NbFakeUsb *fake;
} Fixture;

static void
setup (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  fx->fake = nb_fake_usb_new (SPEC, &error);
  g_assert_no_error (error);
  nb_fake_usb_plug (fx->fake, NULL);
}

static void
teardown (Fixture *fx, gconstpointer data)
{
  nb_fake_usb_free (fx->fake);
}

static void
test_identify (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NbDevice) dev = nb_device_open (URI, NULL, &error);
  g_assert_no_error (error);
  const NbIdentity *id = nb_device_get_identity (dev);
  g_assert_cmpstr (id->serial, ==, "NB-USB-0042");
  g_assert_cmpuint (id->sample_rate_hz, ==, 20000);
  NbIdentity again;
  g_assert_true (nb_device_identify (dev, &again, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (again.model, ==, id->model);

  /* By serial, and the first pen. */
  nb_device_close (dev);
  g_clear_object (&dev);
  dev = nb_device_open (URI ":NB-USB-0042", NULL, &error);
  g_assert_no_error (error);
  nb_device_close (dev);
  g_clear_object (&dev);
  dev = nb_device_open ("usb", NULL, &error);
  g_assert_no_error (error);
}

static void
test_wrong_serial (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NbDevice) dev = nb_device_open (URI ":NOPE", NULL, &error);
  g_assert_null (dev);
  g_assert_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_NOT_FOUND);
}

static void
test_busy (Fixture *fx, gconstpointer data)
{
  nb_fake_usb_set_busy (fx->fake, TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (NbDevice) dev = nb_device_open (URI, NULL, &error);
  g_assert_null (dev);
  g_assert_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "another program"));
}

static void
test_discover (Fixture *fx, gconstpointer data)
{
  const NbDiscoveryOptions options = { 0 }; /* a pen's USB ID is probed with no option */
  g_autoptr (GPtrArray) pens = nb_discover_pens (&options, NULL);
  gboolean seen = FALSE;
  for (guint i = 0; i < pens->len; i++)
    {
      NbPenInfo *p = g_ptr_array_index (pens, i);
      if (g_str_equal (p->transport, "usb"))
        {
          g_assert_cmpstr (p->uri, ==, URI ":NB-USB-0042");
          g_assert_cmpstr (p->usb_serial, ==, "NB-USB-0042");
          g_assert_cmpuint (p->usb_vid, ==, 0x1209);
          g_assert_cmpuint (p->usb_pid, ==, 0x0001);
          g_assert_cmpint (p->state, ==, NB_PEN_STATE_PEN);
          seen = TRUE;
        }
    }
  g_assert_true (seen);
}

typedef struct
{
  GMainLoop *loop;
  guint64 batches;
  gint16 max_um;
  GError *lost;
  gint64 lost_at_us;
} Stream;

static void
on_batch (NbDevice *dev, const NbTelemetryBatch *b, Stream *s)
{
  s->batches++;
  for (guint i = 0; i < b->count; i++)
    s->max_um = MAX (s->max_um, b->samples[i]);
}

static void
on_lost (NbDevice *dev, const GError *error, Stream *s)
{
  s->lost = g_error_copy (error);
  s->lost_at_us = g_get_monotonic_time ();
  g_main_loop_quit (s->loop);
}

static gboolean
quit_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static NbDevice *
start_stream (Stream *s)
{
  g_autoptr (GError) error = NULL;
  NbDevice *dev = nb_device_open (URI, NULL, &error);
  g_assert_no_error (error);
  s->loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (dev, "telemetry", G_CALLBACK (on_batch), s);
  g_signal_connect (dev, "lost", G_CALLBACK (on_lost), s);
  g_assert_true (nb_device_set_depth (dev, 1.0, NULL, &error));
  g_assert_true (nb_device_set_rate (dev, 100.0, NULL, &error));
  g_assert_true (nb_device_stream_start (dev, NULL, &error));
  g_assert_true (nb_device_motor_start (dev, NULL, &error));
  g_assert_no_error (error);
  return dev;
}

static void
test_stream (Fixture *fx, gconstpointer data)
{
  Stream s = { 0 };
  g_autoptr (NbDevice) dev = start_stream (&s);
  g_timeout_add (2000, quit_cb, s.loop);
  g_main_loop_run (s.loop);
  g_assert_no_error (s.lost);
  NbDeviceStats st;
  nb_device_get_stats (dev, &st);
  g_assert_cmpuint (st.gaps, ==, 0);
  g_assert_cmpuint (st.crc_errors + st.framing_errors, ==, 0);
  g_assert_cmpuint (st.samples, >, 30000); /* 2 s at 20 kHz, less start-up */
  g_assert_cmpint (s.max_um, >, 980);
  g_assert_cmpint (s.max_um, <, 1040);
  g_test_message ("%" G_GUINT64_FORMAT " samples in 2 s, peak %d µm", st.samples, s.max_um);
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_device_motor_stop (dev, NULL, &error));
  g_assert_true (nb_device_stream_stop (dev, NULL, &error));
  nb_device_close (dev);
  g_main_loop_unref (s.loop);
}

static void
test_stall (Fixture *fx, gconstpointer data)
{
  Stream s = { 0 };
  g_autoptr (NbDevice) dev = start_stream (&s);
  g_timeout_add (300, quit_cb, s.loop);
  g_main_loop_run (s.loop);
  nb_fake_usb_set_stall_once (fx->fake);
  g_timeout_add (500, quit_cb, s.loop);
  g_main_loop_run (s.loop);
  g_assert_no_error (s.lost);
  g_assert_cmpuint (nb_fake_usb_get_clear_halts (fx->fake), ==, 1);
  guint64 before = s.batches;
  g_timeout_add (300, quit_cb, s.loop);
  g_main_loop_run (s.loop);
  g_assert_cmpuint (s.batches, >, before); /* still streaming after the halt was cleared */
  nb_device_close (dev);
  g_main_loop_unref (s.loop);
}

/* Short transfers, ZLPs and the queue of IN transfers (docs/protocol.md, 9.3). */
static void
test_packets (Fixture *fx, gconstpointer data)
{
  Stream s = { 0 };
  g_autoptr (NbDevice) dev = start_stream (&s);
  g_timeout_add (200, quit_cb, s.loop);
  g_main_loop_run (s.loop);
  g_assert_cmpuint (nb_fake_usb_get_max_in_flight (fx->fake), ==, 4);
  nb_fake_usb_send_zlps (fx->fake, 3);
  g_timeout_add (300, quit_cb, s.loop);
  g_main_loop_run (s.loop);
  g_assert_no_error (s.lost);
  NbDeviceStats st;
  nb_device_get_stats (dev, &st);
  g_assert_cmpuint (st.gaps + st.crc_errors + st.framing_errors, ==, 0);
  nb_device_close (dev);
  g_main_loop_unref (s.loop);

  /* A write that ends on a packet boundary (512 bytes at high speed) asks for a ZLP. */
  g_autoptr (GError) error = NULL;
  g_autoptr (NbDeviceUri) uri = nb_device_uri_parse (URI, &error);
  g_autoptr (NbTransport) t = nb_transport_open (uri, &error);
  g_assert_no_error (error);
  guint8 block[1024];
  memset (block, 0x55, sizeof block);
  int length = 0;
  g_assert_true (nb_transport_write (t, block, 512, &error));
  g_assert_cmphex (nb_fake_usb_get_last_out (fx->fake, &length) & USBDEVFS_URB_ZERO_PACKET, ==,
                   USBDEVFS_URB_ZERO_PACKET);
  g_assert_cmpint (length, ==, 512);
  g_assert_true (nb_transport_write (t, block, 300, &error));
  g_assert_cmphex (nb_fake_usb_get_last_out (fx->fake, &length) & USBDEVFS_URB_ZERO_PACKET, ==, 0);
  g_assert_true (nb_transport_write (t, block, 1024, &error));
  g_assert_cmphex (nb_fake_usb_get_last_out (fx->fake, &length) & USBDEVFS_URB_ZERO_PACKET, ==,
                   USBDEVFS_URB_ZERO_PACKET);
  g_assert_no_error (error);
}

static void
test_unplug (Fixture *fx, gconstpointer data)
{
  Stream s = { 0 };
  g_autoptr (NbDevice) dev = start_stream (&s);
  g_timeout_add (500, quit_cb, s.loop);
  g_main_loop_run (s.loop);
  g_assert_cmpuint (s.batches, >, 0);

  gint64 t0 = g_get_monotonic_time ();
  nb_fake_usb_unplug (fx->fake);
  guint guard = g_timeout_add (5000, quit_cb, s.loop);
  g_main_loop_run (s.loop);
  g_assert_nonnull (s.lost);
  g_source_remove (guard);
  g_assert_error (s.lost, NB_DEVICE_ERROR, NB_DEVICE_ERROR_DISCONNECTED);
  g_test_message ("unplug reported after %.0f ms: %s", (s.lost_at_us - t0) / 1000.0,
                  s.lost->message);
  g_assert_cmpint (s.lost_at_us - t0, <, 2 * G_USEC_PER_SEC);
  g_autoptr (GError) error = NULL;
  g_assert_false (nb_device_ping (dev, NULL, &error));
  g_assert_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_DISCONNECTED);
  gint64 c0 = g_get_monotonic_time ();
  nb_device_close (dev);
  g_assert_cmpint (g_get_monotonic_time () - c0, <, 2 * G_USEC_PER_SEC);
  g_error_free (s.lost);
  g_main_loop_unref (s.loop);
}

typedef struct
{
  GMainLoop *loop;
  GPtrArray *events; /* "added usb:..." */
} Watch;

static void
on_monitor (NbDeviceMonitor *mon, const NbPenInfo *pen, Watch *w, const char *what)
{
  if (!g_str_equal (pen->transport, "usb"))
    return;
  g_ptr_array_add (w->events, g_strdup_printf ("%s %s %s", what, pen->uri, pen->serial));
  g_main_loop_quit (w->loop);
}

static void
on_added (NbDeviceMonitor *mon, const NbPenInfo *pen, Watch *w)
{
  on_monitor (mon, pen, w, "added");
}

static void
on_removed (NbDeviceMonitor *mon, const NbPenInfo *pen, Watch *w)
{
  on_monitor (mon, pen, w, "removed");
}

/* Waits for the next USB event; returns how long it took. */
static gint64
wait_event (Watch *w, guint n_before)
{
  gint64 t0 = g_get_monotonic_time ();
  guint guard = g_timeout_add (5000, quit_cb, w->loop);
  while (w->events->len == n_before && g_get_monotonic_time () - t0 < 5 * G_USEC_PER_SEC)
    g_main_loop_run (w->loop);
  g_source_remove (guard);
  g_assert_cmpuint (w->events->len, ==, n_before + 1);
  return g_get_monotonic_time () - t0;
}

static void
test_hotplug (Fixture *fx, gconstpointer data)
{
  Watch w = { g_main_loop_new (NULL, FALSE), g_ptr_array_new_with_free_func (g_free) };
  g_autoptr (NbDeviceMonitor) mon = nb_device_monitor_new (FALSE);
  g_signal_connect (mon, "added", G_CALLBACK (on_added), &w);
  g_signal_connect (mon, "removed", G_CALLBACK (on_removed), &w);

  wait_event (&w, 0); /* present at start */
  g_assert_cmpstr (g_ptr_array_index (w.events, 0), ==, "added " URI ":NB-USB-0042 NB-USB-0042");

  nb_fake_usb_unplug (fx->fake);
  gint64 dt = wait_event (&w, 1);
  g_assert_cmpstr (g_ptr_array_index (w.events, 1), ==, "removed " URI ":NB-USB-0042 NB-USB-0042");
  g_test_message ("removal seen after %.0f ms", dt / 1000.0);
  g_assert_cmpint (dt, <, 2 * G_USEC_PER_SEC);

  nb_fake_usb_plug (fx->fake, "NB-USB-0043");
  dt = wait_event (&w, 2);
  g_assert_cmpstr (g_ptr_array_index (w.events, 2), ==, "added " URI ":NB-USB-0043 NB-USB-0043");
  g_test_message ("arrival seen after %.0f ms", dt / 1000.0);
  g_assert_cmpint (dt, <, 2 * G_USEC_PER_SEC);

  g_clear_object (&mon);
  g_ptr_array_unref (w.events);
  g_main_loop_unref (w.loop);
}

static void
check_identify (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NbDevice) dev = nb_device_open (URI, NULL, &error);
  g_assert_no_error (error);
  const NbIdentity *id = nb_device_get_identity (dev);
  g_assert_cmpstr (id->serial, ==, "NB-USB-0042");
  g_assert_cmpstr (id->model, ==, "NB-Pen 3 (simulated)");
  g_assert_cmpuint (id->sample_rate_hz, ==, 20000);
  nb_device_close (dev);
}

/* Records the driver's identify exchange in umockdev's ioctl format, then replays the file. Set
 * NB_USB_RECORD_TO to keep the recording (that is how tests/usb/data/identify.ioctl was made). */
static void
test_record_replay (Fixture *fx, gconstpointer data)
{
  g_autofree char *tmp = NULL;
  const char *path = g_getenv ("NB_USB_RECORD_TO");
  if (path == NULL)
    {
      int fd = g_file_open_tmp ("nb-usb-XXXXXX.ioctl", &tmp, NULL);
      g_assert_cmpint (fd, >=, 0);
      close (fd);
      path = tmp;
    }
  nb_fake_usb_record (fx->fake, path);
  check_identify ();
  nb_fake_usb_record (fx->fake, NULL);

  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "@DEV " NB_FAKE_USB_DEVNODE));
  g_assert_nonnull (strstr (text, "\nUSBDEVFS_REAPURB 0 3 1 0 "));   /* a bulk OUT request */
  g_assert_nonnull (strstr (text, "\nUSBDEVFS_REAPURB 0 3 129 0 ")); /* bulk IN data */

  nb_fake_usb_free (fx->fake);
  g_autoptr (GError) error = NULL;
  fx->fake = nb_fake_usb_new_replay (path, &error);
  g_assert_no_error (error);
  nb_fake_usb_plug (fx->fake, NULL);
  check_identify ();
  if (tmp)
    g_unlink (tmp);
}

/* Replays the committed recording: traffic captured once stays a test. */
static void
test_replay_file (Fixture *fx, gconstpointer data)
{
  nb_fake_usb_free (fx->fake);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "identify.ioctl", NULL);
  g_autoptr (GError) error = NULL;
  fx->fake = nb_fake_usb_new_replay (path, &error);
  g_assert_no_error (error);
  nb_fake_usb_plug (fx->fake, NULL);
  check_identify ();
}

/* Runs needlebench-cli (path in NB_CLI) with @argv; returns its stdout and exit status. */
static char *
run_cli (const char *const *args, int *status)
{
  const char *cli = g_getenv ("NB_CLI");
  g_assert_nonnull (cli);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) cli);
  for (int i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  char *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, status, &error));
  g_assert_no_error (error);
  if (err && *err)
    g_test_message ("needlebench-cli %s: stderr: %s", args[0], err);
  g_free (err);
  return out;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr (JsonParser) p = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (json_parser_load_from_data (p, text, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (p));
}

static void
test_cli_list (Fixture *fx, gconstpointer data)
{
  int status = 0;
  const char *args[] = { "list", "--no-sim", "--json", NULL };
  g_autofree char *out = run_cli (args, &status);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_autoptr (JsonNode) root = parse_json (out);
  JsonArray *a = json_node_get_array (root);
  gboolean seen = FALSE;
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);
      if (g_str_equal (json_object_get_string_member (o, "transport"), "usb"))
        {
          g_assert_cmpstr (json_object_get_string_member (o, "usb_serial"), ==, "NB-USB-0042");
          g_assert_cmpstr (json_object_get_string_member (o, "usb_id"), ==, "1209:0001");
          g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "pen");
          g_assert_true (json_object_get_boolean_member (o, "probed"));
          seen = TRUE;
        }
    }
  g_assert_true (seen);
}

static void
test_cli_info (Fixture *fx, gconstpointer data)
{
  int status = 0;
  const char *args[] = { "info", "-d", URI, "--json", NULL };
  g_autofree char *out = run_cli (args, &status);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_autoptr (JsonNode) root = parse_json (out);
  JsonObject *o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "serial"), ==, "NB-USB-0042");
  g_assert_cmpint (json_object_get_int_member (o, "sample_rate_hz"), ==, 20000);
}

static void
test_cli_stream (Fixture *fx, gconstpointer data)
{
  int status = 0;
  const char *args[]
      = { "stream", "-d", URI, "--depth", "1", "--rate", "100", "--seconds", "2", "--json", NULL };
  g_autofree char *out = run_cli (args, &status);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_autoptr (JsonNode) root = parse_json (out);
  JsonObject *o = json_node_get_object (root);
  double depth = json_object_get_double_member (o, "depth_mean_mm");
  g_test_message ("CLI stream over USB: depth %.4f mm, %" G_GINT64_FORMAT " strokes", depth,
                  json_object_get_int_member (o, "strokes"));
  g_assert_cmpfloat (fabs (depth - 1.0), <=, 0.01);
  g_assert_cmpint (json_object_get_int_member (o, "gaps"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "strokes"), >=, 190);
}

static void
test_cli_monitor (Fixture *fx, gconstpointer data)
{
  const char *cli = g_getenv ("NB_CLI");
  const char *argv[] = { cli, "monitor", "--json", "--no-sim", "--seconds", "4", NULL };
  g_autoptr (GError) error = NULL;
  GPid pid;
  int out_fd;
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);
  g_usleep (1500 * 1000);
  nb_fake_usb_unplug (fx->fake);
  g_usleep (1200 * 1000);
  nb_fake_usb_plug (fx->fake, NULL);
  int status = 0;
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_autoptr (GIOChannel) ch = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (ch, TRUE);
  g_autofree char *out = NULL;
  g_io_channel_read_to_end (ch, &out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("monitor output:\n%s", out);
  g_auto (GStrv) lines = g_strsplit (g_strstrip (out), "\n", -1);
  const char *want[] = { "added", "removed", "added" };
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  for (int i = 0; i < 3; i++)
    {
      g_autoptr (JsonNode) node = parse_json (lines[i]);
      JsonObject *o = json_node_get_object (node);
      g_assert_cmpstr (json_object_get_string_member (o, "event"), ==, want[i]);
      g_assert_cmpstr (json_object_get_string_member (o, "uri"), ==, URI ":NB-USB-0042");
      g_assert_cmpstr (json_object_get_string_member (o, "transport"), ==, "usb");
      g_assert_cmpstr (json_object_get_string_member (o, "serial"), ==, "NB-USB-0042");
    }
  g_autoptr (JsonNode) first = parse_json (lines[0]);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (first), "model"), ==,
                   "NB-Pen 3 (simulated)");
}

static void
test_cli_busy (Fixture *fx, gconstpointer data)
{
  nb_fake_usb_set_busy (fx->fake, TRUE);
  int status = 0;
  const char *args[] = { "info", "-d", URI, NULL };
  g_autofree char *out = run_cli (args, &status);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 3);

  /* Still listed, with the reason it cannot be used. */
  const char *list[] = { "list", "--no-sim", "--json", NULL };
  g_autofree char *listed = run_cli (list, &status);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_autoptr (JsonNode) root = parse_json (listed);
  JsonArray *a = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (a), ==, 1);
  JsonObject *o = json_array_get_object_element (a, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "uri"), ==, URI ":NB-USB-0042");
  g_assert_nonnull (strstr (json_object_get_string_member (o, "port"), "another program"));
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "unavailable");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* umockdev_in_mock_environment is only meaningful once a testbed exists (it caches). */
  g_autoptr (UMockdevTestbed) probe = umockdev_testbed_new ();
  if (!umockdev_in_mock_environment ())
    {
      g_printerr ("test-usb: NOT under umockdev-wrapper (no preload): run it through meson, or "
                  "as 'umockdev-wrapper %s'\n",
                  argv[0]);
      return 1;
    }
  g_clear_object (&probe);
#define ADD(name, fn) g_test_add ("/usb/" name, Fixture, NULL, setup, fn, teardown)
  ADD ("identify", test_identify);
  ADD ("wrong-serial", test_wrong_serial);
  ADD ("busy", test_busy);
  ADD ("discover", test_discover);
  ADD ("stream", test_stream);
  ADD ("stall", test_stall);
  ADD ("packets", test_packets);
  ADD ("unplug", test_unplug);
  ADD ("hotplug", test_hotplug);
  ADD ("record-replay", test_record_replay);
  ADD ("replay-file", test_replay_file);
  ADD ("cli/list", test_cli_list);
  ADD ("cli/info", test_cli_info);
  ADD ("cli/stream", test_cli_stream);
  ADD ("cli/busy", test_cli_busy);
  ADD ("cli/monitor", test_cli_monitor);
  return g_test_run ();
}
