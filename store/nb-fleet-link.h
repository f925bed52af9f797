/* nb-fleet-link.h: a bench's link to its fleet's shared database (issue 13 §1, store and
 * forward). Acquisition (record, calibrate, the app's recording and calibration) never writes a
 * run into the server directly: it writes into the bench's own SQLite file exactly as a lone
 * bench does, and after each run nb_fleet_sync () copies the closed records into the server
 * (nb-store-sync.h). A server that is unreachable, or lost mid-copy, therefore never fails or
 * delays a run: the records wait in the local file, counted by nb_fleet_count_waiting () (which
 * needs no server), until the next sync.
 *
 * Headless and thread-agnostic: every call opens and closes its own stores, so the app calls it
 * from a worker thread and the CLI from its main thread. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How long a post-run sync waits for the server to answer a connection attempt (libpq's
 * connect_timeout, per address tried): the operator is waiting for the result of the run. */
#define NB_FLEET_CONNECT_TIMEOUT_S 3

typedef enum
{
  NB_FLEET_SYNC_LOCAL,   /* no server configured: the records stay in the bench's file */
  NB_FLEET_SYNC_SYNCED,  /* every closed record is in the server */
  NB_FLEET_SYNC_OFFLINE, /* the server could not be reached or was lost: records wait locally */
  NB_FLEET_SYNC_FAILED,  /* the server answered but refused the copy (message): records wait */
} NbFleetSyncState;

/* nb_fleet_sync_state_to_string: "local", "synced", "offline", "failed" (JSON values, never
 * translated). */
const char *nb_fleet_sync_state_to_string (NbFleetSyncState state);

typedef struct
{
  NbFleetSyncState state;
  /* counted in records as nb-store-sync.h counts them: a pen, a firmware row, a reference
   * standard, a session or run with all its rows, a void */
  gint64 waiting; /* closed records of the bench's file not in the server; -1 when unknown */
  gint64 open;    /* records left for a later sync because they are still open */
  gint64 copied;  /* records this sync copied */
  char *message;  /* why offline or failed (English, from the store), NULL otherwise */
} NbFleetSyncResult;

void nb_fleet_sync_result_clear (NbFleetSyncResult *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NbFleetSyncResult, nb_fleet_sync_result_clear)

/* A record whose id in the server the caller wants to know after the sync: @table is the store's
 * table ("runs", "sessions"), @local_id the id in the bench's file; nb_fleet_sync () sets
 * @server_id (0 when it is not in the server). */
typedef struct
{
  const char *table;
  gint64 local_id;
  gint64 server_id;
} NbFleetRecord;

/* nb_fleet_is_server: TRUE if @db (a --db value or the app's setting) names a PostgreSQL server
 * (postgresql:// or postgres://) rather than a SQLite file. */
gboolean nb_fleet_is_server (const char *db);

/* nb_fleet_check_uri: TRUE if @uri is a postgresql:// URI libpq can parse and it carries no
 * password (credentials come from libpq's environment, ~/.pgpass or a service file, never from a
 * setting or the command line); FALSE with NB_STORE_ERROR_INVALID (not such a URI, or one libpq
 * cannot parse) or NB_STORE_ERROR_DENIED (it carries a password). */
gboolean nb_fleet_check_uri (const char *uri, GError **error);

/* nb_fleet_acquisition_path: (transfer full) the SQLite file acquisition writes into: @db itself
 * when it is a file path, else @local_db; NULL for either means the default database path. */
char *nb_fleet_acquisition_path (const char *db, const char *local_db) G_GNUC_WARN_UNUSED_RESULT;

/* nb_fleet_bounded_uri: (transfer full) @uri with libpq's connect_timeout set to @timeout_s,
 * unless the URI sets one itself. */
char *nb_fleet_bounded_uri (const char *uri, guint timeout_s) G_GNUC_WARN_UNUSED_RESULT;

/* nb_fleet_sync: copies every closed record of the bench's file @local_path that is not yet in
 * the server @uri into it (connection attempts bounded by NB_FLEET_CONNECT_TIMEOUT_S), and fills
 * @result (cleared first) and the server_id of each of @records (@n_records may be 0). Never
 * fails: an unreachable server gives NB_FLEET_SYNC_OFFLINE with the rows waiting counted from
 * the local file alone. */
void nb_fleet_sync (const char *uri, const char *local_path, NbFleetRecord *records,
                    guint n_records, NbFleetSyncResult *result);

/* nb_fleet_count_waiting: the closed records of the bench's file @local_path never sent to a
 * server; works offline. 0 when the file does not exist yet; -1 with @error on failure. */
gint64 nb_fleet_count_waiting (const char *local_path, GError **error);

G_END_DECLS
