/* nb-usb-transport.h: pens on USB through libusb-1.0: a vendor-specific interface whose bulk OUT
 * and bulk IN endpoints carry the same byte stream as the serial link (docs/protocol.md, 9). */
#pragma once

#include "nb-transport.h"

G_BEGIN_DECLS

/* nb_usb_transport_open: (transfer full) opens the first pen matching @uri (`usb`, `usb:VID:PID`,
 * `usb:VID:PID:SERIAL`), claims its interface and starts reading. NB_DEVICE_ERROR_NOT_FOUND when
 * no pen matches, _BUSY when another program holds it, _OPEN_FAILED (naming the udev rules) when
 * access is denied. */
G_GNUC_WARN_UNUSED_RESULT
NbTransport *nb_usb_transport_open (const NbDeviceUri *uri, GError **error);

/* nb_usb_transport_enumerate: appends an NbPortInfo for every USB device in the ID table. */
void nb_usb_transport_enumerate (GPtrArray *ports);

G_END_DECLS
