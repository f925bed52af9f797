/* nb-fake-serial.h: a fake USB-serial adapter for libserialport: /dev/ttyUSB0 in a umockdev
 * testbed with the sysfs parents of a USB-serial device (idVendor, idProduct, serial, busnum,
 * devnum), its modem-control ioctls answered, and the simulated pen served from a thread on the
 * pty master. Must run under umockdev-wrapper. */
#pragma once

#include <glib.h>
#include <umockdev.h>

G_BEGIN_DECLS

typedef struct _NbFakeSerial NbFakeSerial;

#define NB_FAKE_SERIAL_DEVNODE "/dev/ttyUSB0"
#define NB_FAKE_SERIAL_VID 0x0403
#define NB_FAKE_SERIAL_PID 0x6001
#define NB_FAKE_SERIAL_USB_SERIAL "FTNB0042"

/* nb_fake_serial_new: (transfer full) the testbed with the adapter, a pen (@sim_spec) behind it.
 * The adapter has a generic USB-serial ID (NB_FAKE_SERIAL_VID:PID, not a pen's). */
NbFakeSerial *nb_fake_serial_new (const char *sim_spec, GError **error);
/* nb_fake_serial_new_with_id: the same with the adapter's USB ID @vid:@pid (a CDC-ACM pen has the
 * pen's own ID). */
NbFakeSerial *nb_fake_serial_new_with_id (const char *sim_spec, guint16 vid, guint16 pid,
                                          GError **error);
void nb_fake_serial_free (NbFakeSerial *fake);

/* nb_fake_serial_unplug: the adapter goes away: the pen stops, the device leaves the testbed
 * (a "remove" uevent) and its pty is hung up. */
void nb_fake_serial_unplug (NbFakeSerial *fake);

/* How many TIOCMGET requests the port got: libserialport's sp_open issues one, the pty path of
 * the serial transport none, so this tells which path opened the port. */
guint nb_fake_serial_get_modem_ioctls (NbFakeSerial *fake);

/* nb_fake_serial_get_testbed: (transfer none) the testbed, to add more devices to it. */
UMockdevTestbed *nb_fake_serial_get_testbed (NbFakeSerial *fake);

/* How many ioctl requests of any kind the port got, from this process or a child: opening the
 * port through libserialport issues several, so 0 new ones means nobody opened it. */
guint nb_fake_serial_get_ioctls (NbFakeSerial *fake);

G_END_DECLS
