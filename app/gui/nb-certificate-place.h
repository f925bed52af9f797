/* nb-certificate-place.h: where the app issues a run's certificate. A lone bench issues it in
 * its own database; a bench of a fleet (the server-uri setting) issues it in the shared
 * database, where certificate numbers are allocated gap-free across every bench: the run is
 * copied there first (store and forward, nb-fleet-link.h) and the certificate names the
 * server's run. Done in a worker thread (it talks to the server). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* nb_certificate_place_async: copies the closed records of the bench's file @local_path (NULL:
 * the default) into @server and finds the id there of the bench's run @local_run_id. */
void nb_certificate_place_async (const char *server, const char *local_path, gint64 local_run_id,
                                 GAsyncReadyCallback callback, gpointer user_data);

/* nb_certificate_place_finish: the server's id of the run, or 0 with @error: the server cannot
 * be reached or refused the copy (the run waits in the bench's file; the message says so). */
gint64 nb_certificate_place_finish (GAsyncResult *result, GError **error);

G_END_DECLS
