/* nb-udev-rules-gen: prints the udev rules for every pen in drivers/usb/nb-usb-ids.h, so the
 * rules and the driver never disagree. Run by meson at build time: nb-udev-rules-gen > FILE. */
#include <stdio.h>

#include "nb-usb-ids.h"

#define RULE(vid, pid, name)                                                                       \
  printf ("# %s\n"                                                                                 \
          "SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", ATTR{idVendor}==\"%04x\", "           \
          "ATTR{idProduct}==\"%04x\", MODE=\"0660\", TAG+=\"uaccess\"\n",                          \
          name, vid, pid);

int
main (void)
{
  printf ("# 70-needlebench.rules: access to NeedleBench pens on USB without root.\n"
          "# Generated from drivers/usb/nb-usb-ids.h by nb-udev-rules-gen: do not edit.\n"
          "# TAG+=\"uaccess\" gives the user logged in at the seat access (it must sort before\n"
          "# 73-seat-late.rules); see docs/install-udev.md.\n\n");
  NB_USB_IDS (RULE)
  return ferror (stdout) ? 1 : 0;
}
