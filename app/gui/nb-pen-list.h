/* nb-pen-list.h: the pens present, as a GListModel of NbPenItem kept current by running
 * nb_discover_pens () in a worker thread every few seconds. Items keep their identity (by URI)
 * across refreshes, so a selection survives them. */
#pragma once

#include <gio/gio.h>

#include "nb-discovery.h"

G_BEGIN_DECLS

#define NB_TYPE_PEN_ITEM (nb_pen_item_get_type ())
G_DECLARE_FINAL_TYPE (NbPenItem, nb_pen_item, NB, PEN_ITEM, GObject)

const char *nb_pen_item_get_uri (NbPenItem *item);
const char *nb_pen_item_get_model (NbPenItem *item);
const char *nb_pen_item_get_serial (NbPenItem *item);
const char *nb_pen_item_get_firmware (NbPenItem *item);
const char *nb_pen_item_get_transport (NbPenItem *item);
const char *nb_pen_item_get_port (NbPenItem *item);

#define NB_TYPE_PEN_LIST (nb_pen_list_get_type ())
G_DECLARE_FINAL_TYPE (NbPenList, nb_pen_list, NB, PEN_LIST, GObject)

/* How often the pens are looked for: a pen plugged in shows within this. */
#define NB_PEN_LIST_REFRESH_S 3

NbPenList *nb_pen_list_new (void);
/* nb_pen_list_get_model: (transfer none) a GListModel of NbPenItem. */
GListModel *nb_pen_list_get_model (NbPenList *list);
/* nb_pen_list_start / _stop: refresh now and every NB_PEN_LIST_REFRESH_S; stop cancels. */
void nb_pen_list_start (NbPenList *list);
void nb_pen_list_stop (NbPenList *list);
/* nb_pen_list_set_busy_uri: a pen in use is not probed (a second open would disturb it) and is
 * kept in the list while in use, even if discovery does not report it (e.g. a URI given on the
 * command line with sim options). NULL when none. */
void nb_pen_list_set_busy (NbPenList *list, const char *uri, const NbPenInfo *info);
/* nb_pen_list_find: (transfer none) the item for @uri or NULL; its position in @position. */
NbPenItem *nb_pen_list_find (NbPenList *list, const char *uri, guint *position);

/* Signals: "refreshed" (): a discovery pass completed. */

G_END_DECLS
