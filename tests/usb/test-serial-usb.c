/* test-serial-usb.c: the libserialport path of the serial transport against a fake USB-serial
 * adapter (nb-fake-serial.c): enumeration with VID/PID/serial, open through libserialport, the
 * device API and needlebench-cli list and stream. Discovery and the monitor leave the generic
 * adapter shut unless it is named or every port is probed; an adapter with the pen's own USB ID
 * (a CDC-ACM pen) is probed by default. Runs under umockdev-wrapper. */
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <umockdev.h>

#include "nb-device.h"
#include "nb-device-monitor.h"
#include "nb-discovery.h"
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
      /* A generic adapter: only a pen if it answers, and only asked when the user says so. */
      g_assert_true (p->needs_probe);
      seen = TRUE;
    }
  g_assert_true (seen);
}

static const NbPenInfo *
find_entry (GPtrArray *entries, const char *uri)
{
  for (guint i = 0; i < entries->len; i++)
    {
      const NbPenInfo *p = g_ptr_array_index (entries, i);
      if (g_str_equal (p->uri, uri))
        return p;
    }
  return NULL;
}

/* Discovery lists the generic adapter without opening it: no ioctl reaches the port (libserialport
 * issues several on open), so DTR is never raised and no byte is written. */
static void
test_discover_not_probed (void)
{
  guint ioctls = nb_fake_serial_get_ioctls (fake);
  const NbDiscoveryOptions options = { .include_sim = TRUE };
  g_autoptr (GPtrArray) all = nb_discover_pens (&options, NULL);
  g_assert_cmpuint (nb_fake_serial_get_ioctls (fake), ==, ioctls);
  const NbPenInfo *p = find_entry (all, URI);
  g_assert_nonnull (p);
  g_assert_cmpint (p->state, ==, NB_PEN_STATE_NOT_PROBED);
  g_assert_false (nb_pen_info_is_pen (p));
  g_assert_cmpstr (p->serial, ==, "");
  g_assert_cmpstr (p->model, ==, "");
  g_assert_cmpuint (p->usb_vid, ==, NB_FAKE_SERIAL_VID);
  g_assert_cmpstr (p->usb_serial, ==, NB_FAKE_SERIAL_USB_SERIAL);
  const NbPenInfo *sim = find_entry (all, "sim");
  g_assert_nonnull (sim);
  g_assert_cmpint (sim->state, ==, NB_PEN_STATE_PEN);
}

/* Named (as a path or a serial: URI) or with probe-all, the adapter is probed and the pen found. */
static void
test_discover_named (void)
{
  const char *const by_path[] = { NB_FAKE_SERIAL_DEVNODE, NULL };
  const char *const by_uri[] = { URI, NULL };
  const NbDiscoveryOptions cases[] = {
    { .ports = by_path },
    { .ports = by_uri },
    { .probe_all = TRUE },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint ioctls = nb_fake_serial_get_ioctls (fake);
      g_autoptr (GPtrArray) all = nb_discover_pens (&cases[i], NULL);
      g_assert_cmpuint (nb_fake_serial_get_ioctls (fake), >, ioctls);
      const NbPenInfo *p = find_entry (all, URI);
      g_assert_nonnull (p);
      g_assert_cmpint (p->state, ==, NB_PEN_STATE_PEN);
      g_assert_cmpstr (p->serial, ==, "NB-SER-0007");
      g_assert_null (find_entry (all, "sim"));
    }
  /* A named port that is not there is said so. */
  const char *const missing[] = { "/dev/ttyNOPE7", NULL };
  const NbDiscoveryOptions options = { .ports = missing };
  g_autoptr (GPtrArray) all = nb_discover_pens (&options, NULL);
  const NbPenInfo *p = find_entry (all, "serial:/dev/ttyNOPE7");
  g_assert_nonnull (p);
  g_assert_cmpint (p->state, ==, NB_PEN_STATE_NO_ANSWER);
  g_assert_nonnull (strstr (p->port, "not found"));
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

static JsonObject *
find_object (JsonArray *a, const char *uri)
{
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);
      if (g_str_equal (json_object_get_string_member (o, "uri"), uri))
        return o;
    }
  return NULL;
}

/* `list` leaves the generic adapter shut and says so; the keys of a pen's entry are all there. */
static void
test_cli_list_not_probed (void)
{
  guint ioctls = nb_fake_serial_get_ioctls (fake);
  const char *args[] = { "list", "--no-sim", "--json", NULL };
  g_autofree char *out = run_cli (args);
  g_assert_cmpuint (nb_fake_serial_get_ioctls (fake), ==, ioctls);
  g_autoptr (JsonNode) root = parse_json (out);
  JsonObject *o = find_object (json_node_get_array (root), URI);
  g_assert_nonnull (o);
  g_assert_false (json_object_get_boolean_member (o, "probed"));
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "not probed");
  g_assert_cmpstr (json_object_get_string_member (o, "transport"), ==, "serial");
  g_assert_cmpstr (json_object_get_string_member (o, "serial"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (o, "model"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (o, "firmware"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (o, "usb_id"), ==, "0403:6001");

  const char *text_args[] = { "list", "--no-sim", NULL };
  g_autofree char *text = run_cli (text_args);
  g_assert_cmpuint (nb_fake_serial_get_ioctls (fake), ==, ioctls);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean seen = FALSE;
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], URI " "))
      {
        g_assert_nonnull (strstr (lines[i], "not probed"));
        seen = TRUE;
      }
  g_assert_true (seen);
}

static void
assert_cli_finds_pen (const char *const *args)
{
  guint ioctls = nb_fake_serial_get_ioctls (fake);
  g_autofree char *out = run_cli (args);
  g_assert_cmpuint (nb_fake_serial_get_ioctls (fake), >, ioctls);
  g_autoptr (JsonNode) root = parse_json (out);
  JsonObject *o = find_object (json_node_get_array (root), URI);
  g_assert_nonnull (o);
  g_assert_true (json_object_get_boolean_member (o, "probed"));
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "pen");
  g_assert_cmpstr (json_object_get_string_member (o, "serial"), ==, "NB-SER-0007");
  g_assert_cmpstr (json_object_get_string_member (o, "usb_id"), ==, "0403:6001");
  g_assert_cmpstr (json_object_get_string_member (o, "usb_serial"), ==, NB_FAKE_SERIAL_USB_SERIAL);
}

static void
test_cli_list (void)
{
  const char *named[] = { "list", "--no-sim", "--json", "--port", NB_FAKE_SERIAL_DEVNODE, NULL };
  assert_cli_finds_pen (named);
  const char *all[] = { "list", "--no-sim", "--json", "--probe-all", NULL };
  assert_cli_finds_pen (all);
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

static const char *const named_ports[] = { NB_FAKE_SERIAL_DEVNODE, NULL };

static void
test_monitor (void)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  const NbDiscoveryOptions options = { .ports = named_ports };
  g_autoptr (NbDeviceMonitor) mon = nb_device_monitor_new_full (&options);
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

/* The monitor never opens the generic adapter, over several polls; once the port is named it is
 * probed and the pen reported. */
static void
test_monitor_not_probed (void)
{
  guint ioctls = nb_fake_serial_get_ioctls (fake);
  g_autoptr (NbDeviceMonitor) mon = nb_device_monitor_new (TRUE);
  g_assert_true (pump_until (mon, "sim", 5)); /* the first scan is done */
  g_assert_false (pump_until (mon, URI, 2.5 * NB_DEVICE_MONITOR_POLL_MS / 1000.0));
  g_assert_cmpuint (nb_fake_serial_get_ioctls (fake), ==, ioctls);

  nb_device_monitor_set_probe_ports (mon, named_ports);
  g_assert_true (pump_until (mon, URI, 5));
  g_assert_cmpuint (nb_fake_serial_get_ioctls (fake), >, ioctls);
}

/* Named while the first scan (under no names) is still running: that scan's "not probed" verdict
 * must not stick. */
static void
test_monitor_named_during_scan (void)
{
  g_autoptr (NbDeviceMonitor) mon = nb_device_monitor_new (FALSE);
  nb_device_monitor_set_probe_ports (mon, named_ports);
  g_assert_true (pump_until (mon, URI, 5));
}

/* `monitor` likewise: nothing reported and nothing opened by default; --port reports the pen. */
static void
test_cli_monitor (void)
{
  guint ioctls = nb_fake_serial_get_ioctls (fake);
  const char *quiet[] = { "monitor", "--json", "--no-sim", "--seconds", "2.5", NULL };
  g_autofree char *none = run_cli (quiet);
  g_assert_cmpstr (none, ==, "");
  g_assert_cmpuint (nb_fake_serial_get_ioctls (fake), ==, ioctls);

  const char *named[]
      = { "monitor", "--json", "--no-sim", "--seconds", "2.5", "--port", NB_FAKE_SERIAL_DEVNODE,
          NULL };
  const char *all[] = { "monitor", "--json", "--no-sim", "--seconds", "2.5", "--probe-all", NULL };
  const char *const *runs[] = { named, all };
  for (gsize i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      guint before = nb_fake_serial_get_ioctls (fake);
      g_autofree char *out = run_cli (runs[i]);
      g_autoptr (JsonNode) root = parse_json (out);
      JsonObject *o = json_node_get_object (root);
      g_assert_cmpstr (json_object_get_string_member (o, "event"), ==, "added");
      g_assert_cmpstr (json_object_get_string_member (o, "uri"), ==, URI);
      g_assert_cmpstr (json_object_get_string_member (o, "serial"), ==, "NB-SER-0007");
      g_assert_cmpuint (nb_fake_serial_get_ioctls (fake), >, before);
    }
}

/* The port of the pen in use is not probed (the probe would be refused by the lock, after
 * libserialport has already toggled the modem lines); once released it is probed and reported. */
static void
test_monitor_busy (void)
{
  g_autoptr (GError) error = NULL;
  NbDevice *dev = nb_device_open (URI, NULL, &error);
  g_assert_no_error (error);
  const NbDiscoveryOptions options = { .include_sim = TRUE, .ports = named_ports };
  g_autoptr (NbDeviceMonitor) mon = nb_device_monitor_new_full (&options);
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

/* After unplug: an adapter with the pen's own USB ID (a CDC-ACM pen) is probed with no option,
 * by discovery, `list` and the monitor. */
static void
test_pen_id (void)
{
  g_autoptr (GError) error = NULL;
  nb_fake_serial_free (fake);
  fake = nb_fake_serial_new_with_id (SPEC, 0x1209, 0x0001, &error);
  g_assert_no_error (error);

  const NbDiscoveryOptions options = { 0 };
  g_autoptr (GPtrArray) all = nb_discover_pens (&options, NULL);
  const NbPenInfo *p = find_entry (all, URI);
  g_assert_nonnull (p);
  g_assert_cmpint (p->state, ==, NB_PEN_STATE_PEN);
  g_assert_cmpstr (p->serial, ==, "NB-SER-0007");
  g_assert_cmpuint (p->usb_vid, ==, 0x1209);
  g_assert_cmpuint (p->usb_pid, ==, 0x0001);

  const char *args[] = { "list", "--no-sim", "--json", NULL };
  g_autofree char *out = run_cli (args);
  g_autoptr (JsonNode) root = parse_json (out);
  JsonObject *o = find_object (json_node_get_array (root), URI);
  g_assert_nonnull (o);
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "pen");
  g_assert_cmpstr (json_object_get_string_member (o, "serial"), ==, "NB-SER-0007");
  g_assert_cmpstr (json_object_get_string_member (o, "usb_id"), ==, "1209:0001");

  g_autoptr (NbDeviceMonitor) mon = nb_device_monitor_new (FALSE);
  g_assert_true (pump_until (mon, URI, 5));
}

/* Built-in UARTs (serial8250): listing them opens none. libserialport's own listing opens each to
 * ask for its UART type (raising DTR); sysfs's "type" says the same: 4 is a 16550A, 0 is a port
 * with no UART, which is not listed. (Under umockdev the nodes are ptys, which fail that
 * ioctl, so an open-based listing would not list ttyS1 at all.) Last: it adds to the testbed. */
static void
test_uart_not_opened (void)
{
  g_autoptr (GError) error = NULL;
  UMockdevTestbed *tb = nb_fake_serial_get_testbed (fake);
  g_assert_true (umockdev_testbed_add_from_string (tb,
                                                   "P: /devices/platform/serial8250/tty/ttyS1\n"
                                                   "N: ttyS1\n"
                                                   "E: SUBSYSTEM=tty\n"
                                                   "E: DEVNAME=/dev/ttyS1\n"
                                                   "A: dev=4:65\\n\n"
                                                   "A: type=4\\n\n"
                                                   "\n"
                                                   "P: /devices/platform/serial8250/tty/ttyS2\n"
                                                   "N: ttyS2\n"
                                                   "E: SUBSYSTEM=tty\n"
                                                   "E: DEVNAME=/dev/ttyS2\n"
                                                   "A: dev=4:66\\n\n"
                                                   "A: type=0\\n\n",
                                                   &error));
  g_assert_no_error (error);
  const NbDiscoveryOptions options = { 0 };
  g_autoptr (GPtrArray) all = nb_discover_pens (&options, NULL);
  const NbPenInfo *p = find_entry (all, "serial:/dev/ttyS1");
  g_assert_nonnull (p);
  g_assert_cmpint (p->state, ==, NB_PEN_STATE_NOT_PROBED);
  g_assert_null (find_entry (all, "serial:/dev/ttyS2"));
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
  g_test_add_func ("/serial-usb/discover-not-probed", test_discover_not_probed);
  g_test_add_func ("/serial-usb/discover-named", test_discover_named);
  g_test_add_func ("/serial-usb/cli-list-not-probed", test_cli_list_not_probed);
  g_test_add_func ("/serial-usb/cli-list", test_cli_list);
  g_test_add_func ("/serial-usb/cli-stream", test_cli_stream);
  g_test_add_func ("/serial-usb/monitor", test_monitor);
  g_test_add_func ("/serial-usb/monitor-not-probed", test_monitor_not_probed);
  g_test_add_func ("/serial-usb/monitor-named-during-scan", test_monitor_named_during_scan);
  g_test_add_func ("/serial-usb/cli-monitor", test_cli_monitor);
  g_test_add_func ("/serial-usb/monitor-busy", test_monitor_busy);
  g_test_add_func ("/serial-usb/unplug", test_unplug);
  g_test_add_func ("/serial-usb/pen-id", test_pen_id);
  g_test_add_func ("/serial-usb/uart-not-opened", test_uart_not_opened);
  int rc = g_test_run ();
  nb_fake_serial_free (fake);
  return rc;
}
