/* nb-certificate-place.c: the run's place for its certificate (nb-certificate-place.h). */
#include <glib/gi18n.h>

#include "nb-certificate-place.h"
#include "nb-fleet-link.h"
#include "nb-store.h"

typedef struct
{
  char *server;
  char *local_path;
  gint64 run_id;
} Place;

static void
place_free (Place *p)
{
  g_free (p->server);
  g_free (p->local_path);
  g_free (p);
}

static void
place_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Place *p = data;
  g_autofree char *local = nb_fleet_acquisition_path (p->server, p->local_path);
  NbFleetRecord run = { .table = "runs", .local_id = p->run_id };
  g_auto (NbFleetSyncResult) result = { 0 };

  nb_fleet_sync (p->server, local, &run, 1, &result);
  if (run.server_id > 0)
    return g_task_return_int (task, run.server_id);
  const char *why = result.message != NULL ? result.message : "";
  if (result.state == NB_FLEET_SYNC_OFFLINE)
    g_task_return_new_error (task, NB_STORE_ERROR, NB_STORE_ERROR_OFFLINE,
                             _ ("The certificate is issued in the shared database, so that its "
                                "number follows on from every bench's, and the server cannot be "
                                "reached: %s. The run is kept on this bench and sent when the "
                                "server is back; issue the certificate then."),
                             why);
  else
    g_task_return_new_error (task, NB_STORE_ERROR, NB_STORE_ERROR_FAILED,
                             _ ("The run could not be copied into the shared database, where its "
                                "certificate is issued: %s"),
                             *why ? why : _ ("the run is not there"));
}

void
nb_certificate_place_async (const char *server, const char *local_path, gint64 local_run_id,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  Place *p = g_new0 (Place, 1);
  p->server = g_strdup (server);
  p->local_path = local_path != NULL && *local_path != '\0' ? g_strdup (local_path) : NULL;
  p->run_id = local_run_id;
  g_autoptr (GTask) task = g_task_new (NULL, NULL, callback, user_data);
  g_task_set_source_tag (task, nb_certificate_place_async);
  g_task_set_task_data (task, p, (GDestroyNotify) place_free);
  g_task_run_in_thread (task, place_worker);
}

gint64
nb_certificate_place_finish (GAsyncResult *result, GError **error)
{
  gssize id = g_task_propagate_int (G_TASK (result), error);
  return id > 0 ? (gint64) id : 0;
}
