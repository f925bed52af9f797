/* nb-pen-list.h: the pens present, as a GListModel of NbPenItem that follows an NbDeviceMonitor:
 * a pen is appended on the monitor's "added" and removed on its "removed", so pens show and go as
 * they are plugged in and out (USB at once through libusb hotplug, serial ports within the
 * monitor's 1 s poll; the simulated pen is always there). Items keep their identity (by URI), so
 * a selection survives other pens coming and going. */
#pragma once

#include <gio/gio.h>

#include "nb-device-monitor.h"
#include "nb-discovery.h"

G_BEGIN_DECLS

/* What the Live page has to do with a listed pen. */
typedef enum
{
  NB_PEN_LINK_NONE,      /* not connected */
  NB_PEN_LINK_CONNECTED, /* the pen in use */
  NB_PEN_LINK_LOST,      /* the pen in use until its link was lost; its last data is shown */
} NbPenLink;

#define NB_TYPE_PEN_ITEM (nb_pen_item_get_type ())
G_DECLARE_FINAL_TYPE (NbPenItem, nb_pen_item, NB, PEN_ITEM, GObject)

const char *nb_pen_item_get_uri (NbPenItem *item);
const char *nb_pen_item_get_model (NbPenItem *item);
const char *nb_pen_item_get_serial (NbPenItem *item);
const char *nb_pen_item_get_firmware (NbPenItem *item);
const char *nb_pen_item_get_transport (NbPenItem *item);
const char *nb_pen_item_get_port (NbPenItem *item);
/* nb_pen_item_get_kind: "fixture" for a reference fixture (IDENTITY with the REFERENCE
 * capability), "pen" otherwise (nb_pen_info_kind). */
const char *nb_pen_item_get_kind (NbPenItem *item);
/* nb_pen_item_get_link: the item's "link" property (an NbPenLink, notified as it changes). */
NbPenLink nb_pen_item_get_link (NbPenItem *item);

#define NB_TYPE_PEN_LIST (nb_pen_list_get_type ())
G_DECLARE_FINAL_TYPE (NbPenList, nb_pen_list, NB, PEN_LIST, GObject)

NbPenList *nb_pen_list_new (void);
/* nb_pen_list_get_model: (transfer none) a GListModel of NbPenItem. */
GListModel *nb_pen_list_get_model (NbPenList *list);
/* nb_pen_list_start / _stop: start creates the device monitor (which reports the pens present,
 * then arrivals and departures) and follows it; stop drops it, keeping the items listed. Besides
 * a pen's own ports, the monitor probes the serial ports of the "probe-ports" setting (followed
 * as it changes) when the application's schema is installed. */
void nb_pen_list_start (NbPenList *list);
void nb_pen_list_stop (NbPenList *list);
/* nb_pen_list_set_busy: a pen in use is not probed by the monitor (a second open would disturb
 * it, or be refused and misread) and is kept in the list while in use, even if the monitor does
 * not report it or reports it removed (e.g. a URI given on the command line with sim options).
 * When released (@uri NULL or another), it goes if the monitor does not report it. */
void nb_pen_list_set_busy (NbPenList *list, const char *uri, const NbPenInfo *info);
/* nb_pen_list_set_busy also marks @uri's item NB_PEN_LINK_CONNECTED (the others _NONE).
 * nb_pen_list_set_lost: the pen in use at @uri lost its link: released to the monitor as with
 * set_busy (NULL), but its item stays listed, marked NB_PEN_LINK_LOST, until the next set_busy. */
void nb_pen_list_set_lost (NbPenList *list, const char *uri);
/* nb_pen_list_get_monitor: (transfer none) the monitor followed, NULL when stopped. */
NbDeviceMonitor *nb_pen_list_get_monitor (NbPenList *list);
/* nb_pen_list_find: (transfer none) the item for @uri or NULL; its position in @position. */
NbPenItem *nb_pen_list_find (NbPenList *list, const char *uri, guint *position);

/* Signals: "refreshed" (): the list changed (a pen added or removed). */

G_END_DECLS
