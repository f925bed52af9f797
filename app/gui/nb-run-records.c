/* nb-run-records.c: calibration runs listed and loaded in worker threads. */
#include <glib/gi18n.h>
#include "nb-run-records.h"

#include "nb-run-result.h"
#include "nb-fleet-link.h"

struct _NbRunItem
{
  GObject parent_instance;
  NbStoreRun *run;
};

G_DEFINE_FINAL_TYPE (NbRunItem, nb_run_item, G_TYPE_OBJECT)

static void
nb_run_item_finalize (GObject *object)
{
  g_clear_pointer (&NB_RUN_ITEM (object)->run, nb_store_run_free);
  G_OBJECT_CLASS (nb_run_item_parent_class)->finalize (object);
}

static void
nb_run_item_class_init (NbRunItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nb_run_item_finalize;
}

static void
nb_run_item_init (NbRunItem *self)
{
}

const NbStoreRun *
nb_run_item_get_run (NbRunItem *item)
{
  return item->run;
}

struct _NbRunRecords
{
  GObject parent_instance;
  GListStore *store;
  char *store_path;
  guint generation, pending;
};

G_DEFINE_FINAL_TYPE (NbRunRecords, nb_run_records, G_TYPE_OBJECT)

static void
nb_run_records_finalize (GObject *object)
{
  NbRunRecords *self = NB_RUN_RECORDS (object);
  g_free (self->store_path);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (nb_run_records_parent_class)->finalize (object);
}

static void
nb_run_records_class_init (NbRunRecordsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nb_run_records_finalize;
}

static void
nb_run_records_init (NbRunRecords *self)
{
  self->store = g_list_store_new (NB_TYPE_RUN_ITEM);
}

void
nb_run_records_set_store_path (NbRunRecords *self, const char *store_path)
{
  g_free (self->store_path);
  self->store_path
      = store_path && *store_path ? g_strdup (store_path) : nb_store_get_default_path ();
}

NbRunRecords *
nb_run_records_new (const char *store_path)
{
  NbRunRecords *self = g_object_new (NB_TYPE_RUN_RECORDS, NULL);
  nb_run_records_set_store_path (self, store_path);
  return self;
}

GListModel *
nb_run_records_get_model (NbRunRecords *self)
{
  return G_LIST_MODEL (self->store);
}

gboolean
nb_run_records_is_refreshing (NbRunRecords *self)
{
  return self->pending > 0;
}

NbRunItem *
nb_run_records_find (NbRunRecords *self, gint64 run_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (NbRunItem) item = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      if (item->run->id == run_id)
        return item;
    }
  return NULL;
}

typedef struct
{
  char *path;
  guint generation;
  gint64 run_id;
} Job;

static void
job_free (Job *j)
{
  g_free (j->path);
  g_free (j);
}

/* Its own read-only connection: a writer holding the database (a calibration storing its points)
 * is waited for here, not in the window. */
static void
list_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *j = task_data;
  GError *error = NULL;
  /* Nothing stored yet: an empty list, and no database created by looking. */
  if (!nb_fleet_is_server (j->path) && !g_file_test (j->path, G_FILE_TEST_EXISTS))
    {
      g_task_return_pointer (task, g_ptr_array_new (), (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  g_autoptr (NbStore) store = nb_store_open_full (j->path, NB_STORE_OPEN_READ_ONLY, &error);
  GPtrArray *runs = store ? nb_store_list_runs (store, &error) : NULL;
  if (runs)
    g_task_return_pointer (task, runs, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

void
nb_run_records_refresh_async (NbRunRecords *self, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, nb_run_records_refresh_async);
  Job *j = g_new0 (Job, 1);
  j->path = g_strdup (self->store_path);
  j->generation = ++self->generation;
  g_task_set_task_data (task, j, (GDestroyNotify) job_free);
  self->pending++;
  g_task_run_in_thread (task, list_thread);
}

gboolean
nb_run_records_refresh_finish (NbRunRecords *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  Job *j = g_task_get_task_data (G_TASK (result));
  self->pending--;
  g_autoptr (GPtrArray) runs = g_task_propagate_pointer (G_TASK (result), error);
  if (runs == NULL)
    return FALSE;
  if (j->generation != self->generation)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _ ("a newer listing replaced it"));
      return FALSE;
    }
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  gsize n_runs = 0;
  g_autofree NbStoreRun **list = (NbStoreRun **) g_ptr_array_steal (runs, &n_runs);
  for (gsize i = 0; i < n_runs; i++)
    {
      NbRunItem *item = g_object_new (NB_TYPE_RUN_ITEM, NULL);
      item->run = list[i]; /* now the item's */
      g_ptr_array_add (items, item);
    }
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  g_list_store_splice (self->store, 0, n, items->pdata, items->len);
  return TRUE;
}

static void
load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *j = task_data;
  GError *error = NULL;
  g_autoptr (NbStore) store = nb_store_open_full (j->path, NB_STORE_OPEN_READ_ONLY, &error);
  JsonNode *doc = store ? nb_run_result_load_json (store, j->run_id, FALSE, &error) : NULL;
  if (doc)
    g_task_return_pointer (task, doc, (GDestroyNotify) json_node_unref);
  else
    g_task_return_error (task, error);
}

void
nb_run_records_load_async (NbRunRecords *self, gint64 run_id, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  Job *j = g_new0 (Job, 1);
  j->path = g_strdup (self->store_path);
  j->run_id = run_id;
  g_task_set_task_data (task, j, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, load_thread);
}

JsonNode *
nb_run_records_load_finish (NbRunRecords *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
