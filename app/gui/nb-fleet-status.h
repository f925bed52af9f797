/* nb-fleet-status.h: the bench's link to its fleet's shared database as the app sees it (the
 * "server-uri" setting): after each recording or calibration, and every NB_FLEET_STATUS_RETRY_S
 * seconds, the records of the bench's own file (the "database-path" setting) are copied to the
 * server in a worker thread (nb_fleet_sync (), store/nb-fleet-link.h), never on the main thread;
 * the outcome (online, offline with the records waiting, failed) is this model's properties,
 * which NbFleetIndicator shows. Without a server it stays NB_FLEET_SYNC_LOCAL and does nothing. */
#pragma once

#include <gio/gio.h>

#include "nb-fleet-link.h"

G_BEGIN_DECLS

#define NB_FLEET_STATUS_RETRY_S 30

#define NB_TYPE_FLEET_STATUS (nb_fleet_status_get_type ())
G_DECLARE_FINAL_TYPE (NbFleetStatus, nb_fleet_status, NB, FLEET_STATUS, GObject)

/* nb_fleet_status_new: (transfer full) follows "server-uri" and "database-path" of @settings. */
NbFleetStatus *nb_fleet_status_new (GSettings *settings);

/* nb_fleet_status_sync_now: copies what waits now (after a run), in the worker thread; while a
 * copy is under way, one more follows it. Does nothing without a server. */
void nb_fleet_status_sync_now (NbFleetStatus *self);

/* The server (NULL: none set, or one the setting names wrongly), the outcome of the last sync
 * (NB_FLEET_SYNC_LOCAL before the first one ends), the rows waiting in the bench's file (-1:
 * unknown), why it is offline or failed (English, from the store; NULL otherwise), and whether a
 * sync is under way. Each is a property of the same name ("server", "state", "waiting",
 * "message", "syncing") that notifies on change. */
const char *nb_fleet_status_get_server (NbFleetStatus *self);
NbFleetSyncState nb_fleet_status_get_state (NbFleetStatus *self);
gint64 nb_fleet_status_get_waiting (NbFleetStatus *self);
const char *nb_fleet_status_get_message (NbFleetStatus *self);
gboolean nb_fleet_status_is_syncing (NbFleetStatus *self);

/* Signal "records-sent" (gint64 copied): a sync copied @copied records to the server (the
 * Records page, which reads the server, shows them from now on). */

/* nb_fleet_status_set_retry_interval: seconds between syncs (tests); 0 turns the timer off. */
void nb_fleet_status_set_retry_interval (NbFleetStatus *self, guint seconds);

G_END_DECLS
