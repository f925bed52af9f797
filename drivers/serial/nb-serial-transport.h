/* nb-serial-transport.h: serial ports (UART, USB-serial adapters, CDC-ACM) through libserialport,
 * and pseudo-terminals through plain termios. */
#pragma once

#include "nb-transport.h"

G_BEGIN_DECLS

/* nb_serial_transport_open: (transfer full) opens uri->path at uri->baud, 8N1, no flow control,
 * exclusively (a port another program holds gives NB_DEVICE_ERROR_BUSY). */
G_GNUC_WARN_UNUSED_RESULT
NbTransport *nb_serial_transport_open (const NbDeviceUri *uri, GError **error);

/* nb_serial_transport_enumerate: appends the system's serial ports to @ports (NbPortInfo). */
void nb_serial_transport_enumerate (GPtrArray *ports);

G_END_DECLS
