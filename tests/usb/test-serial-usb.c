/* test-serial-usb.c: the libserialport path of the serial transport against a fake USB-serial
 * adapter (nb-fake-serial.c): enumeration with VID/PID/serial, open through libserialport, the
 * device API and needlebench-cli list and stream. Runs under umockdev-wrapper. */
#include <json-glib/json-glib.h>
#include <math.h>
#include <umockdev.h>

#include "nb-device.h"
#include "nb-fake-serial.h"
#include "nb-transport.h"

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
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
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
  const char *args[] = { "stream", "-d", URI, "--depth", "1", "--rate", "100", "--seconds", "2",
                         "--json", NULL };
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
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
  g_test_add_func ("/serial-usb/cli/list", test_cli_list);
  g_test_add_func ("/serial-usb/cli/stream", test_cli_stream);
  int rc = g_test_run ();
  nb_fake_serial_free (fake);
  return rc;
}
