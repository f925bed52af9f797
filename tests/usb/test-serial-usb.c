/* test-serial-usb.c: the libserialport path of the serial transport against a fake USB-serial
 * adapter (nb-fake-serial.c): enumeration with VID/PID/serial, open through libserialport, the
 * device API and needlebench-cli list and stream. Runs under umockdev-wrapper. */
#include <json-glib/json-glib.h>
#include <math.h>
#include <umockdev.h>

#include "nb-device.h"
#include "nb-device-monitor.h"
#include "nb-fake-serial.h"
#include "nb-transport.h"
#include "nb-sim-transport.h"

#define SPEC "depth-offset=0,depth-gain=1,rate-error=0,serial=NB-SER-0007"
#define URI "serial:" NB_FAKE_SERIAL_DEVNODE

static NbFakeSerial *fake;

static void
test_enumerate (void)
{
  g_autoptr (GPtrArray) ports = nb_transport_enumerate ();
  gboolean seen = FALSE;
  for (guint i = 0; i < ports->len; i++)
    {
      NbPortInfo *p = g_ptr_array_index (ports, i);
      if (!g_str_equal (p->uri, URI))
        continue;
      g_assert_cmpuint (p->usb_vid, ==, NB_FAKE_SERIAL_VID);
      g_assert_cmpuint (p->usb_pid, ==, NB_FAKE_SERIAL_PID);
      g_assert_cmpstr (p->usb_serial, ==, NB_FAKE_SERIAL_USB_SERIAL);
      seen = TRUE;
    }
  g_assert_true (seen);
}

static void
test_device (void)
{
  guint before = nb_fake_serial_get_modem_ioctls (fake);
  g_autoptr (GError) error = NULL;
  g_autoptr (NbDevice) dev = nb_device_open (URI, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (nb_device_get_identity (dev)->serial, ==, "NB-SER-0007");
  /* Opened by libserialport (sp_open asks for the modem lines), not by the pty shortcut. */
  g_assert_cmpuint (nb_fake_serial_get_modem_ioctls (fake), >, before);
  NbStatus status;
  g_assert_true (nb_device_get_status (dev, &status, NULL, &error));
  g_assert_no_error (error);
}

static char *
run_cli (const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) g_getenv ("NB_CLI"));
  for (int i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &status, &error));
  if (err && *err)
    g_test_message ("stderr: %s", err);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  return out;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr (JsonParser) p = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (json_parser_load_from_data (p, text, -1, &error));
  return json_node_copy (json_parser_get_root (p));
}

static void
test_cli_list (void)
{
  const char *args[] = { "list", "--no-sim", "--json", NULL };
  g_autofree char *out = run_cli (args);
  g_autoptr (JsonNode) root = parse_json (out);
  JsonArray *a = json_node_get_array (root);
  gboolean seen = FALSE;
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);
      if (!g_str_equal (json_object_get_string_member (o, "uri"), URI))
        continue;
      g_assert_cmpstr (json_object_get_string_member (o, "serial"), ==, "NB-SER-0007");
      g_assert_cmpstr (json_object_get_string_member (o, "usb_id"), ==, "0403:6001");
      g_assert_cmpstr (json_object_get_string_member (o, "usb_serial"), ==,
                       NB_FAKE_SERIAL_USB_SERIAL);
      seen = TRUE;
    }
  g_assert_true (seen);
}

static void
test_cli_stream (void)
{
  const char *args[]
      = { "stream", "-d", URI, "--depth", "1", "--rate", "100", "--seconds", "2", "--json", NULL };
  g_autofree char *out = run_cli (args);
  g_autoptr (JsonNode) root = parse_json (out);
  JsonObject *o = json_node_get_object (root);
  double depth = json_object_get_double_member (o, "depth_mean_mm");
  g_test_message ("CLI stream over libserialport: depth %.4f mm, %" G_GINT64_FORMAT " strokes",
                  depth, json_object_get_int_member (o, "strokes"));
  g_assert_cmpfloat (fabs (depth - 1.0), <=, 0.01);
  g_assert_cmpint (json_object_get_int_member (o, "gaps"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "strokes"), >=, 190);
}

static void
on_added (NbDeviceMonitor *mon, const NbPenInfo *pen, GMainLoop *loop)
{
  if (g_str_equal (pen->uri, URI))
    {
      g_assert_cmpstr (pen->transport, ==, "serial");
      g_assert_cmpstr (pen->serial, ==, "NB-SER-0007");
      g_assert_cmpstr (pen->usb_serial, ==, NB_FAKE_SERIAL_USB_SERIAL);
      g_main_loop_quit (loop);
    }
}

static gboolean
quit_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
test_monitor (void)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (NbDeviceMonitor) mon = nb_device_monitor_new (FALSE);
  g_signal_connect (mon, "added", G_CALLBACK (on_added), loop);
  guint guard = g_timeout_add (5000, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (guard);
  g_autoptr (GPtrArray) pens = nb_device_monitor_get_pens (mon);
  gboolean seen = FALSE;
  for (guint i = 0; i < pens->len; i++)
    seen |= g_str_equal (((NbPenInfo *) g_ptr_array_index (pens, i))->uri, URI);
  g_assert_true (seen);
}

static gboolean
monitor_has (NbDeviceMonitor *mon, const char *uri)
{
  g_autoptr (GPtrArray) pens = nb_device_monitor_get_pens (mon);
  for (guint i = 0; i < pens->len; i++)
    if (g_str_equal (((NbPenInfo *) g_ptr_array_index (pens, i))->uri, uri))
      return TRUE;
  return FALSE;
}

static gboolean
pump_until (NbDeviceMonitor *mon, const char *uri, double timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);
  while (!monitor_has (mon, uri) && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return monitor_has (mon, uri);
}

/* The port of the pen in use is not probed (the probe would be refused by the lock, after
 * libserialport has already toggled the modem lines); once released it is probed and reported. */
static void
test_monitor_busy (void)
{
  g_autoptr (GError) error = NULL;
  NbDevice *dev = nb_device_open (URI, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (NbDeviceMonitor) mon = nb_device_monitor_new (TRUE);
  nb_device_monitor_set_busy (mon, URI);
  g_assert_true (pump_until (mon, "sim", 5)); /* the first scan is done */
  guint ioctls = nb_fake_serial_get_modem_ioctls (fake);
  g_assert_false (pump_until (mon, URI, 2.5 * NB_DEVICE_MONITOR_POLL_MS / 1000.0));
  g_assert_cmpuint (nb_fake_serial_get_modem_ioctls (fake), ==, ioctls);
  NbStatus status;
  g_assert_true (nb_device_get_status (dev, &status, NULL, &error));
  g_assert_no_error (error);

  nb_device_close (dev);
  g_object_unref (dev);
  nb_device_monitor_set_busy (mon, NULL);
  g_assert_true (pump_until (mon, URI, 5));
}

typedef struct
{
  GMainLoop *loop;
  GError *lost;
  gint64 lost_at;
} Lost;

static void
on_lost (NbDevice *dev, const GError *error, Lost *l)
{
  l->lost = g_error_copy (error);
  l->lost_at = g_get_monotonic_time ();
  g_main_loop_quit (l->loop);
}

/* Last: the adapter is pulled mid-stream. */
static void
test_unplug (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NbDevice) dev = nb_device_open (URI, NULL, &error);
  g_assert_no_error (error);
  Lost l = { g_main_loop_new (NULL, FALSE) };
  g_signal_connect (dev, "lost", G_CALLBACK (on_lost), &l);
  g_assert_true (nb_device_stream_start (dev, NULL, &error));
  g_timeout_add (300, quit_cb, l.loop);
  g_main_loop_run (l.loop);
  gint64 t0 = g_get_monotonic_time ();
  nb_fake_serial_unplug (fake);
  guint guard = g_timeout_add (5000, quit_cb, l.loop);
  g_main_loop_run (l.loop);
  g_assert_nonnull (l.lost);
  g_source_remove (guard);
  g_test_message ("unplug reported after %.0f ms: %s", (l.lost_at - t0) / 1000.0, l.lost->message);
  g_assert_error (l.lost, NB_DEVICE_ERROR, NB_DEVICE_ERROR_DISCONNECTED);
  /* Under a second: the hang-up itself, not the device's 1.5 s silent-link watchdog. */
  g_assert_cmpint (l.lost_at - t0, <, G_USEC_PER_SEC);
  gint64 c0 = g_get_monotonic_time ();
  nb_device_close (dev);
  g_assert_cmpint (g_get_monotonic_time () - c0, <, 2 * G_USEC_PER_SEC);
  g_error_free (l.lost);
  g_main_loop_unref (l.loop);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  nb_sim_transport_register ();
  g_autoptr (GError) error = NULL;
  fake = nb_fake_serial_new (SPEC, &error);
  g_assert_no_error (error);
  if (!umockdev_in_mock_environment ())
    {
      g_printerr ("test-serial-usb: NOT under umockdev-wrapper: run 'umockdev-wrapper %s'\n",
                  argv[0]);
      return 1;
    }
  g_test_add_func ("/serial-usb/enumerate", test_enumerate);
  g_test_add_func ("/serial-usb/device", test_device);
  g_test_add_func ("/serial-usb/cli-list", test_cli_list);
  g_test_add_func ("/serial-usb/cli-stream", test_cli_stream);
  g_test_add_func ("/serial-usb/monitor", test_monitor);
  g_test_add_func ("/serial-usb/monitor-busy", test_monitor_busy);
  g_test_add_func ("/serial-usb/unplug", test_unplug);
  int rc = g_test_run ();
  nb_fake_serial_free (fake);
  return rc;
}
