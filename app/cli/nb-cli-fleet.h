/* nb-cli-fleet.h: what `record` and `calibrate` say about the copy of their records into the
 * fleet's server when --db is a postgresql:// URI (store and forward, store/nb-fleet-link.h). */
#pragma once

#include <json-glib/json-glib.h>

#include "nb-fleet-link.h"

G_BEGIN_DECLS

/* nb_cli_fleet_sync_json: (transfer full) the `sync` object of --json output: `state` ("synced",
 * "offline", "failed"), `server` (the URI), `waiting` (closed records still to be sent, null when
 * unknown), `id` (the record's id in the server, null when it is not there) and `error` (why it
 * is offline or failed, else null). */
JsonNode *nb_cli_fleet_sync_json (const char *server, const NbFleetSyncResult *result,
                                  gint64 server_id);

/* nb_cli_fleet_print: one line on stdout for a person: "Synced to SERVER as run N" (@what is
 * "run" or "session"), or that the server is offline and how many records wait. */
void nb_cli_fleet_print (const char *server, const NbFleetSyncResult *result, const char *what,
                         gint64 server_id);

G_END_DECLS
