/* nb-fake-usb.h: a fake USB pen for the real libusb driver: a umockdev testbed holding a device
 * with the pen's descriptors, and an ioctl handler that answers usbdevfs requests (bulk and
 * control URBs) by running the simulated pen's firmware (sim/nb-sim-pen.h). The process must run
 * under umockdev-wrapper (or with libumockdev-preload) for libusb to see it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _NbFakeUsb NbFakeUsb;

#define NB_FAKE_USB_DEVNODE "/dev/bus/usb/001/002"

/* nb_fake_usb_new: (transfer full) a testbed (no device in it yet) whose pen will use the
 * simulated-pen parameters @sim_spec ("depth-offset=0,..."; "" for defaults). */
NbFakeUsb *nb_fake_usb_new (const char *sim_spec, GError **error);
/* nb_fake_usb_new_replay: (transfer full) a device that replays the URBs of @ioctl_file (written
 * by nb_fake_usb_record) instead of running a pen: control requests by their setup packet, bulk
 * transfers in recorded order (an OUT transfer must match byte for byte). */
NbFakeUsb *nb_fake_usb_new_replay (const char *ioctl_file, GError **error);
void nb_fake_usb_free (NbFakeUsb *fake);

/* nb_fake_usb_plug: adds the device (a freshly reset pen) to the testbed; @serial is its USB
 * serial string. */
void nb_fake_usb_plug (NbFakeUsb *fake, const char *serial);
/* nb_fake_usb_unplug: removes it, as the kernel does: pending URBs complete with -ESHUTDOWN,
 * later ioctls fail with ENODEV. */
void nb_fake_usb_unplug (NbFakeUsb *fake);

/* nb_fake_usb_set_busy: CLAIMINTERFACE fails with EBUSY (another program holds the pen). */
void nb_fake_usb_set_busy (NbFakeUsb *fake, gboolean busy);
/* nb_fake_usb_set_fast: the pen's clock runs as fast as the host takes its bytes (benchmark). */
void nb_fake_usb_set_fast (NbFakeUsb *fake, gboolean fast);
/* nb_fake_usb_set_stall_once: the next bulk IN URB completes with -EPIPE (a stall). */
void nb_fake_usb_set_stall_once (NbFakeUsb *fake);
/* nb_fake_usb_send_zlps: the next @n bulk IN URBs complete with a zero-length packet. */
void nb_fake_usb_send_zlps (NbFakeUsb *fake, guint n);
/* The most bulk IN URBs that were queued at once. */
guint nb_fake_usb_get_max_in_flight (NbFakeUsb *fake);
/* The usbdevfs flags (USBDEVFS_URB_*) and length of the last bulk OUT URB. */
guint nb_fake_usb_get_last_out (NbFakeUsb *fake, int *length);
/* nb_fake_usb_record: writes every completed bulk and control URB to @path in umockdev's
 * usbdevfs ioctl-file format (see tests/usb/data/README). */
void nb_fake_usb_record (NbFakeUsb *fake, const char *path);

/* Counters. */
guint64 nb_fake_usb_get_bytes_to_host (NbFakeUsb *fake);
guint nb_fake_usb_get_clear_halts (NbFakeUsb *fake);
guint64 nb_fake_usb_get_dropped_batches (NbFakeUsb *fake);

/* nb_fake_usb_sys_path: the device's sysfs path in the testbed. */
const char *nb_fake_usb_sys_path (NbFakeUsb *fake);

G_END_DECLS
