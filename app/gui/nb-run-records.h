/* nb-run-records.h: the calibration runs for the Records page: a GListModel of NbRunItem from the
 * store (nb_store_list_runs, newest first), and the loading of one run's result document
 * (nb_run_result_load_json), each in a worker thread with its own read-only connection. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "nb-store-runs.h"

G_BEGIN_DECLS

#define NB_TYPE_RUN_ITEM (nb_run_item_get_type ())
G_DECLARE_FINAL_TYPE (NbRunItem, nb_run_item, NB, RUN_ITEM, GObject)

/* (transfer none) the run as listed (result_json NULL) */
const NbStoreRun *nb_run_item_get_run (NbRunItem *item);

#define NB_TYPE_RUN_RECORDS (nb_run_records_get_type ())
G_DECLARE_FINAL_TYPE (NbRunRecords, nb_run_records, NB, RUN_RECORDS, GObject)

/* nb_run_records_new: runs of the store at @store_path (NULL or "": the default path). */
NbRunRecords *nb_run_records_new (const char *store_path);
void nb_run_records_set_store_path (NbRunRecords *records, const char *store_path);
/* (transfer none) a GListModel of NbRunItem, newest first */
GListModel *nb_run_records_get_model (NbRunRecords *records);

/* nb_run_records_refresh_async: lists the runs again in a worker; the finish (main thread)
 * replaces the items. No database yet is an empty list. A newer refresh makes an older one finish
 * with G_IO_ERROR_CANCELLED. */
void nb_run_records_refresh_async (NbRunRecords *records, GAsyncReadyCallback callback,
                                   gpointer user_data);
gboolean nb_run_records_refresh_finish (NbRunRecords *records, GAsyncResult *result,
                                        GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean nb_run_records_is_refreshing (NbRunRecords *records);
/* (transfer none) the listed item of @run_id, or NULL */
NbRunItem *nb_run_records_find (NbRunRecords *records, gint64 run_id);

/* nb_run_records_load_async: run @run_id's result document (nb_run_result_load_json, not raw),
 * in a worker. The finish gives it (transfer full). */
void nb_run_records_load_async (NbRunRecords *records, gint64 run_id, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
JsonNode *nb_run_records_load_finish (NbRunRecords *records, GAsyncResult *result,
                                      GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
