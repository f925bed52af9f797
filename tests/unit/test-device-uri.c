/* test-device-uri.c: device URI parsing. */
#include "nb-device-error.h"
#include "nb-device-uri.h"

static void
test_valid (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NbDeviceUri) sim = nb_device_uri_parse ("sim", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sim->kind, ==, NB_URI_SIM);
  g_assert_cmpstr (sim->sim_spec, ==, "");

  g_autoptr (NbDeviceUri) sim2 = nb_device_uri_parse ("sim:serial=NB-0042,seed=7", &error);
  g_assert_cmpstr (sim2->sim_spec, ==, "serial=NB-0042,seed=7");

  /* a reference fixture on an in-process pen: its own kind, its keys kept for the sim */
  g_autoptr (NbDeviceUri) fix = nb_device_uri_parse ("sim-fixture", &error);
  g_assert_no_error (error);
  g_assert_cmpint (fix->kind, ==, NB_URI_SIM_FIXTURE);
  g_assert_cmpstr (fix->sim_spec, ==, "");
  g_autoptr (NbDeviceUri) fix2 = nb_device_uri_parse ("sim-fixture:pen=NB-0042,noise=0.2", &error);
  g_assert_no_error (error);
  g_assert_cmpint (fix2->kind, ==, NB_URI_SIM_FIXTURE);
  g_assert_cmpstr (fix2->sim_spec, ==, "pen=NB-0042,noise=0.2");

  g_autoptr (NbDeviceUri) ser = nb_device_uri_parse ("serial:/dev/ttyUSB0", &error);
  g_assert_cmpint (ser->kind, ==, NB_URI_SERIAL);
  g_assert_cmpstr (ser->path, ==, "/dev/ttyUSB0");
  g_assert_cmpuint (ser->baud, ==, 921600);

  g_autoptr (NbDeviceUri) ser2 = nb_device_uri_parse ("serial:/dev/pts/3?baud=115200", &error);
  g_assert_cmpstr (ser2->path, ==, "/dev/pts/3");
  g_assert_cmpuint (ser2->baud, ==, 115200);

  g_autoptr (NbDeviceUri) usb = nb_device_uri_parse ("usb", &error);
  g_assert_cmpint (usb->kind, ==, NB_URI_USB);
  g_assert_cmpuint (usb->vid, ==, 0);

  g_autoptr (NbDeviceUri) usb2 = nb_device_uri_parse ("usb:1209:0001:NB-0042", &error);
  g_assert_cmphex (usb2->vid, ==, 0x1209);
  g_assert_cmphex (usb2->pid, ==, 0x0001);
  g_assert_cmpstr (usb2->usb_serial, ==, "NB-0042");

  g_autoptr (NbDeviceUri) usb3 = nb_device_uri_parse ("usb:1209:0001", &error);
  g_assert_null (usb3->usb_serial);
}

static void
test_invalid (void)
{
  static const char *bad[] = {
    "",
    "tcp:1.2.3.4",
    "serial",
    "serial:",
    "serial:/dev/x?baud=abc",
    "serial:/dev/x?parity=odd",
    "usb:1209",
    "usb:xyz:0001",
    "usb:12345:0001",
    "usb:1209:0001:",
    "SIM",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (NbDeviceUri) uri = nb_device_uri_parse (bad[i], &error);
      g_assert_null (uri);
      g_assert_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_INVALID_URI);
      g_assert_nonnull (g_strstr_len (error->message, -1, bad[i]));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/device-uri/valid", test_valid);
  g_test_add_func ("/device-uri/invalid", test_invalid);
  return g_test_run ();
}
