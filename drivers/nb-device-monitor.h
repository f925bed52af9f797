/* nb-device-monitor.h: reports pens arriving and leaving, on every transport: USB (libusb
 * hotplug, plus a poll where the platform has none), serial ports (the port list, polled every
 * second and diffed; only a pen's ports are opened, see nb-discovery.h) and the simulated pen
 * (always present). Signals are emitted on the GMainContext that was thread-default when the
 * monitor was created. */
#pragma once

#include <gio/gio.h>

#include "nb-discovery.h"

G_BEGIN_DECLS

#define NB_TYPE_DEVICE_MONITOR (nb_device_monitor_get_type ())
G_DECLARE_FINAL_TYPE (NbDeviceMonitor, nb_device_monitor, NB, DEVICE_MONITOR, GObject)

#define NB_DEVICE_MONITOR_POLL_MS 1000

/* nb_device_monitor_new: (transfer full) starts watching. The pens present at start are reported
 * as "added" from the main loop, like later arrivals. @include_sim adds the simulated pen. Only
 * ports of the pen ID table are opened (see nb-discovery.h). */
NbDeviceMonitor *nb_device_monitor_new (gboolean include_sim);

/* nb_device_monitor_new_full: (transfer full) as nb_device_monitor_new, also probing the serial
 * ports @options names (or every port with probe_all). @options is copied. */
NbDeviceMonitor *nb_device_monitor_new_full (const NbDiscoveryOptions *options);

/* nb_device_monitor_set_probe_ports: replaces the named ports (NULL: none) and rescans; the
 * ports newly named are probed. A pen found on a port no longer named stays until it goes away.
 * Call from the monitor's context. */
void nb_device_monitor_set_probe_ports (NbDeviceMonitor *monitor, const char *const *ports);

/* nb_device_monitor_get_pens: (transfer container) (element-type NbPenInfo) the pens known now;
 * the elements belong to the monitor. */
GPtrArray *nb_device_monitor_get_pens (NbDeviceMonitor *monitor);

/* nb_device_monitor_set_busy: @uri (or NULL) is open in this process, so scans do not probe it
 * (a second open would disturb the pen, or be refused and misread as "not a pen"). A pen already
 * known stays known while busy, and is still removed if its port goes away. When released, a
 * port that was classified as "not a pen" is probed again. Call from the monitor's context. */
void nb_device_monitor_set_busy (NbDeviceMonitor *monitor, const char *uri);

/* Signals:
 *   "added"   (const NbPenInfo *pen): a pen arrived (model, serial when it answered IDENTIFY)
 *   "removed" (const NbPenInfo *pen): it left; the same info as when it was added */

G_END_DECLS
