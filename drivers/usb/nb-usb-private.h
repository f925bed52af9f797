/* nb-usb-private.h: what the USB transport's files share: the ID table lookup, libusb error
 * mapping and the reading of untrusted string descriptors. */
#pragma once

#include <libusb.h>

#include "nb-device-error.h"
#include "nb-device-uri.h"

G_BEGIN_DECLS

/* Interface, endpoints and packet size of a pen's data interface. */
typedef struct
{
  int interface;
  guint8 ep_in, ep_out;
  guint16 max_packet;
} NbUsbEndpoints;

/* nb_usb_id_known: TRUE when @vid:@pid is in nb-usb-ids.h. */
gboolean nb_usb_id_known (guint16 vid, guint16 pid);

/* nb_usb_id_matches: TRUE when a device with @desc is wanted by @uri (VID/PID; not the serial). */
gboolean nb_usb_id_matches (const struct libusb_device_descriptor *desc, const NbDeviceUri *uri);

/* nb_usb_find_endpoints: the first vendor-class interface with one bulk IN and one bulk OUT. */
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_usb_find_endpoints (libusb_device *dev, NbUsbEndpoints *ep, GError **error);

/* nb_usb_read_serial: (transfer full) the serial-number string of @handle, validated (UTF-8, no
 * control characters), or NULL when it has none or it is not valid. */
char *nb_usb_read_serial (libusb_device_handle *handle,
                          const struct libusb_device_descriptor *desc);

/* nb_usb_sanitize_string: (transfer full) @text without control characters, or NULL when it is
 * not valid UTF-8. Device strings are untrusted. */
char *nb_usb_sanitize_string (const char *text, gssize len);

/* nb_usb_set_error: sets @error from a libusb error code, with a hint for the common causes. */
void nb_usb_set_error (GError **error, int rc, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

/* nb_usb_error_code: the NbDeviceError for a libusb error code. */
NbDeviceError nb_usb_error_code (int rc);

G_END_DECLS
