/* nb-discovery.h: finds pens: every port a transport enumerates that answers IDENTIFY within a
 * short timeout, plus the simulated pen. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char *uri;
  char *transport; /* "sim", "serial", "usb" */
  char *model;     /* from IDENTIFY (validated) */
  char *serial;
  char *firmware;
  char *port; /* the OS's description of the port */
  guint16 usb_vid, usb_pid;
  char *usb_serial;
} NbPenInfo;

void nb_pen_info_free (NbPenInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbPenInfo, nb_pen_info_free)

#define NB_DISCOVERY_PROBE_TIMEOUT_MS 200

/* nb_discover_pens: (transfer full) (element-type NbPenInfo) the pens present now. Ports that do
 * not answer are skipped silently: most serial ports are not pens. */
GPtrArray *nb_discover_pens (gboolean include_sim, GCancellable *cancellable);

/* nb_pen_info_probe: (transfer full) opens @uri briefly and returns what it says, or NULL. */
NbPenInfo *nb_pen_info_probe (const char *uri, const char *transport, GCancellable *cancellable,
                              GError **error);

G_END_DECLS
