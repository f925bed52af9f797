/* nb-fleet-link.c: store and forward between a bench's SQLite file and its fleet's server
 * (nb-fleet-link.h). */
#include "nb-fleet-link.h"

#include <libpq-fe.h>
#include <string.h>

#include "nb-db.h"
#include "nb-store-sync.h"
#include "nb-store.h"

const char *
nb_fleet_sync_state_to_string (NbFleetSyncState state)
{
  switch (state)
    {
    case NB_FLEET_SYNC_LOCAL: return "local";
    case NB_FLEET_SYNC_SYNCED: return "synced";
    case NB_FLEET_SYNC_OFFLINE: return "offline";
    case NB_FLEET_SYNC_FAILED: return "failed";
    default: return "failed";
    }
}

void
nb_fleet_sync_result_clear (NbFleetSyncResult *result)
{
  g_clear_pointer (&result->message, g_free);
  *result = (NbFleetSyncResult){ .state = NB_FLEET_SYNC_LOCAL, .waiting = -1 };
}

gboolean
nb_fleet_is_server (const char *db)
{
  return nb_db_is_uri (db);
}

gboolean
nb_fleet_check_uri (const char *uri, GError **error)
{
  if (!nb_fleet_is_server (uri))
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "not a server address: one starts with postgresql://");
      return FALSE;
    }
  char *parse_error = NULL;
  PQconninfoOption *options = PQconninfoParse (uri, &parse_error);
  if (options == NULL)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID, "%s",
                   parse_error ? g_strstrip (parse_error) : "out of memory");
      PQfreemem (parse_error);
      return FALSE;
    }
  gboolean password = FALSE;
  for (PQconninfoOption *o = options; o->keyword; o++)
    password |= strcmp (o->keyword, "password") == 0 && o->val != NULL;
  PQconninfoFree (options);
  if (password)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_DENIED,
                   "the address carries a password: give it through ~/.pgpass, PGPASSFILE or a "
                   "service file instead");
      return FALSE;
    }
  return TRUE;
}

char *
nb_fleet_acquisition_path (const char *db, const char *local_db)
{
  const char *path = nb_fleet_is_server (db) ? local_db : db;
  return path ? g_strdup (path) : nb_store_get_default_path ();
}

char *
nb_fleet_bounded_uri (const char *uri, guint timeout_s)
{
  if (strstr (uri, "connect_timeout=") != NULL)
    return g_strdup (uri);
  return g_strdup_printf ("%s%cconnect_timeout=%u", uri, strchr (uri, '?') ? '&' : '?', timeout_s);
}

/* An error that means the server is not there (now): the records wait for it. Anything else
 * (a server of a newer schema, a password in the URI, a refused row) needs a person. */
static gboolean
is_offline (const GError *error)
{
  return g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_OFFLINE)
         || g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_IO)
         || g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_BUSY);
}

gint64
nb_fleet_count_waiting (const char *local_path, GError **error)
{
  /* opening would create an empty database: a bench that never recorded has nothing waiting */
  if (!g_file_test (local_path, G_FILE_TEST_EXISTS))
    return 0;
  g_autoptr (NbStore) local = nb_store_open (local_path, error);
  if (local == NULL)
    return -1;
  return nb_store_sync_count_waiting (local, NULL, error);
}

static void
set_failure (NbFleetSyncResult *result, const GError *error, const char *local_path)
{
  result->state = is_offline (error) ? NB_FLEET_SYNC_OFFLINE : NB_FLEET_SYNC_FAILED;
  g_free (result->message);
  result->message = g_strdup (error->message);
  g_autoptr (GError) count_error = NULL;
  result->waiting = nb_fleet_count_waiting (local_path, &count_error);
  if (result->waiting < 0)
    g_warning ("counting the records waiting in %s: %s", local_path, count_error->message);
}

void
nb_fleet_sync (const char *uri, const char *local_path, NbFleetRecord *records, guint n_records,
               NbFleetSyncResult *result)
{
  *result = (NbFleetSyncResult){ .state = NB_FLEET_SYNC_LOCAL, .waiting = -1 };
  for (guint i = 0; i < n_records; i++)
    records[i].server_id = 0;
  if (!nb_fleet_is_server (uri))
    return;
  g_autoptr (GError) error = NULL;
  g_autofree char *bounded = nb_fleet_bounded_uri (uri, NB_FLEET_CONNECT_TIMEOUT_S);
  g_autoptr (NbStore) server = nb_store_open (bounded, &error);
  if (server == NULL)
    {
      set_failure (result, error, local_path);
      return;
    }
  if (!g_file_test (local_path, G_FILE_TEST_EXISTS))
    {
      /* nothing recorded on this bench yet, and the server answers */
      result->state = NB_FLEET_SYNC_SYNCED;
      result->waiting = 0;
      return;
    }
  g_autoptr (NbStore) local = nb_store_open (local_path, &error);
  if (local == NULL)
    {
      result->state = NB_FLEET_SYNC_FAILED;
      result->message = g_strdup (error->message);
      return;
    }
  NbStoreSyncReport report = { 0 };
  gboolean ok = nb_store_sync (local, server, &report, &error);
  result->copied = report.copied;
  result->open = report.waiting;
  if (!ok)
    {
      nb_store_sync_report_clear (&report);
      set_failure (result, error, local_path);
      return;
    }
  result->state = NB_FLEET_SYNC_SYNCED;
  result->waiting = report.pending;
  g_autofree char *origin
      = report.origin ? g_strdup (report.origin) : nb_store_get_identity (local, &error);
  nb_store_sync_report_clear (&report);
  for (guint i = 0; origin && i < n_records; i++)
    {
      g_autoptr (GError) id_error = NULL;
      gint64 id = nb_store_sync_target_id (server, origin, records[i].table, records[i].local_id,
                                           &id_error);
      if (id < 0)
        g_warning ("the server's id of %s %" G_GINT64_FORMAT ": %s", records[i].table,
                   records[i].local_id, id_error->message);
      records[i].server_id = MAX (id, 0);
    }
}
