/* nb-device-uri.h: device URIs: `sim`, `sim:key=value,...`, `sim-fixture[:key=value,...]` (a
 * simulated reference fixture mounted on an in-process simulated pen), `serial:PATH[?baud=N]`,
 * `usb`, `usb:VID:PID[:SERIAL]` (hex IDs). Plain struct. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  NB_URI_SIM,
  NB_URI_SERIAL,
  NB_URI_USB,
  NB_URI_SIM_FIXTURE,
} NbUriKind;

typedef struct
{
  NbUriKind kind;
  char *text;       /* the URI as given */
  char *sim_spec;   /* sim, sim-fixture: the key=value list, "" if none */
  char *path;       /* serial: the port path */
  guint baud;       /* serial: 921600 unless given */
  guint16 vid, pid; /* usb: 0 = any */
  char *usb_serial; /* usb: NULL = any */
} NbDeviceUri;

/* nb_device_uri_parse: (transfer full) parses @text; NB_DEVICE_ERROR_INVALID_URI with a message
 * naming the problem. */
G_GNUC_WARN_UNUSED_RESULT
NbDeviceUri *nb_device_uri_parse (const char *text, GError **error);
void nb_device_uri_free (NbDeviceUri *uri);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbDeviceUri, nb_device_uri_free)

G_END_DECLS
