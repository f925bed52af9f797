/* test-udev-rules: the generated udev rules (argv[1]) carry every ID of the driver's table with
 * uaccess and mode 0660. */
#include <glib.h>
#include <string.h>

#include "nb-usb-ids.h"

static char *rules_text;

static void
check_id (guint vid, guint pid, const char *name)
{
  g_autofree char *want
      = g_strdup_printf ("ATTR{idVendor}==\"%04x\", ATTR{idProduct}==\"%04x\"", vid, pid);
  g_auto (GStrv) lines = g_strsplit (rules_text, "\n", -1);
  gboolean found = FALSE;
  for (int i = 0; lines[i]; i++)
    if (strstr (lines[i], want))
      {
        g_assert_nonnull (strstr (lines[i], "SUBSYSTEM==\"usb\""));
        g_assert_nonnull (strstr (lines[i], "TAG+=\"uaccess\""));
        g_assert_nonnull (strstr (lines[i], "MODE=\"0660\""));
        found = TRUE;
      }
  if (!found)
    g_error ("%s (%04x:%04x) is missing from the udev rules", name, vid, pid);
}

#define CHECK(vid, pid, name) check_id (vid, pid, name);

static void
test_ids (void)
{
  NB_USB_IDS (CHECK)
  g_assert_nonnull (strstr (rules_text, "ATTR{idVendor}==\"1209\", ATTR{idProduct}==\"0001\""));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    g_error ("usage: test-udev-rules RULES-FILE");
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (argv[1], &rules_text, NULL, &error))
    g_error ("%s", error->message);
  g_test_add_func ("/udev-rules/ids", test_ids);
  int rc = g_test_run ();
  g_free (rules_text);
  return rc;
}
