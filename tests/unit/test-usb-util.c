/* test-usb-util: the USB transport's pure helpers: untrusted device strings, the ID table and
 * libusb errors turned into NeedleBench errors with the right hints. */
#include <glib.h>
#include <string.h>

#include "usb/nb-usb-private.h"

static void
test_sanitize (void)
{
  g_autofree char *plain = nb_usb_sanitize_string ("NB-0042", -1);
  g_assert_cmpstr (plain, ==, "NB-0042");
  g_autofree char *ctrl = nb_usb_sanitize_string ("NB\x1b[31m-42\n\t", -1);
  g_assert_cmpstr (ctrl, ==, "NB[31m-42");
  g_autofree char *utf8 = nb_usb_sanitize_string ("Stift \xc3\xa9", -1);
  g_assert_cmpstr (utf8, ==, "Stift é");
  g_assert_null (nb_usb_sanitize_string ("bad \xff\xfe", -1));
  g_assert_null (nb_usb_sanitize_string ("\xc3", -1)); /* truncated sequence */
  g_autofree char *len = nb_usb_sanitize_string ("ABCDEF", 3);
  g_assert_cmpstr (len, ==, "ABC");
}

static void
test_ids (void)
{
  g_assert_true (nb_usb_id_known (0x1209, 0x0001));
  g_assert_false (nb_usb_id_known (0x1209, 0x0002));
  NbDeviceUri any = { .kind = NB_URI_USB };
  NbDeviceUri other = { .kind = NB_URI_USB, .vid = 0x1234, .pid = 0x5678 };
  struct libusb_device_descriptor pen = { .idVendor = 0x1209, .idProduct = 0x0001 };
  struct libusb_device_descriptor mouse = { .idVendor = 0x046d, .idProduct = 0xc077 };
  g_assert_true (nb_usb_id_matches (&pen, &any));
  g_assert_false (nb_usb_id_matches (&mouse, &any));
  g_assert_false (nb_usb_id_matches (&pen, &other)); /* an explicit ID is matched as given */
}

static void
test_errors (void)
{
  g_autoptr (GError) access = NULL;
  nb_usb_set_error (&access, LIBUSB_ERROR_ACCESS, "opening %s", "usb:1209:0001");
  g_assert_error (access, NB_DEVICE_ERROR, NB_DEVICE_ERROR_OPEN_FAILED);
  g_assert_nonnull (strstr (access->message, "udev rules"));
  g_assert_nonnull (strstr (access->message, "opening usb:1209:0001"));

  g_autoptr (GError) busy = NULL;
  nb_usb_set_error (&busy, LIBUSB_ERROR_BUSY, "claiming");
  g_assert_error (busy, NB_DEVICE_ERROR, NB_DEVICE_ERROR_BUSY);
  g_assert_nonnull (strstr (busy->message, "another program"));

  g_assert_cmpint (nb_usb_error_code (LIBUSB_ERROR_NO_DEVICE), ==, NB_DEVICE_ERROR_DISCONNECTED);
  g_assert_cmpint (nb_usb_error_code (LIBUSB_ERROR_TIMEOUT), ==, NB_DEVICE_ERROR_TIMEOUT);
  g_assert_cmpint (nb_usb_error_code (LIBUSB_ERROR_IO), ==, NB_DEVICE_ERROR_IO);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/usb-util/sanitize", test_sanitize);
  g_test_add_func ("/usb-util/ids", test_ids);
  g_test_add_func ("/usb-util/errors", test_errors);
  return g_test_run ();
}
