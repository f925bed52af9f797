/* nb-usb-hotplug.h: libusb hotplug notifications (arrival and departure of any USB device) from
 * a libusb context of its own, with one event thread. The callback runs in that thread. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _NbUsbHotplug NbUsbHotplug;

typedef void (*NbUsbHotplugFunc) (gboolean arrived, guint16 vid, guint16 pid, gpointer data);

/* nb_usb_hotplug_new: (transfer full) starts watching; NULL with @error set when libusb has no
 * hotplug support on this platform (then poll instead). */
NbUsbHotplug *nb_usb_hotplug_new (NbUsbHotplugFunc func, gpointer data, GError **error);
/* nb_usb_hotplug_free: stops the thread; no callback runs after it returns. */
void nb_usb_hotplug_free (NbUsbHotplug *hp);

G_END_DECLS
