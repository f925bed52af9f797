/* nb-usb-ids.h: the one table of USB IDs that NeedleBench drives. The driver matches on it and
 * data/nb-udev-rules-gen.c generates the udev rules from it: add a pen here and nowhere else.
 *
 * NB_USB_IDS (X) expands X (vid, pid, name) once per entry. */
#pragma once

/* pid.codes test VID 0x1209, PID 0x0001: the development ID until the pen has its own. */
#define NB_USB_IDS(X) X (0x1209, 0x0001, "NeedleBench development pen")

/* The pen's interface: vendor-specific class, one bulk OUT and one bulk IN endpoint. */
#define NB_USB_INTERFACE_CLASS 0xff
