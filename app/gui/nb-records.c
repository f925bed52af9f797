/* nb-records.c: listing, loading and exporting recorded sessions. */
#include <inttypes.h>
#include "nb-records.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "nb-export.h"
#include "nb-fleet-link.h"

struct _NbSessionItem
{
  GObject parent_instance;
  NbStoreSession *session;
};

G_DEFINE_FINAL_TYPE (NbSessionItem, nb_session_item, G_TYPE_OBJECT)

static void
nb_session_item_finalize (GObject *object)
{
  nb_store_session_free (NB_SESSION_ITEM (object)->session);
  G_OBJECT_CLASS (nb_session_item_parent_class)->finalize (object);
}

static void
nb_session_item_class_init (NbSessionItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nb_session_item_finalize;
}

static void
nb_session_item_init (NbSessionItem *self)
{
}

const NbStoreSession *
nb_session_item_get_session (NbSessionItem *item)
{
  return item->session;
}

void
nb_replay_free (NbReplay *replay)
{
  if (replay == NULL)
    return;
  nb_store_session_free (replay->session);
  nb_decimator_free (replay->decimator);
  if (replay->strokes)
    g_array_unref (replay->strokes);
  g_free (replay);
}

char *
nb_replay_describe (const NbReplay *r, NbUnits units)
{
  const NbStoreSession *s = r->session;
  double seconds = (r->end_index - r->first_index) / MAX (s->sample_rate_hz, 1);
  g_autofree char *set = nb_units_format_depth (units, s->depth_mm);
  if (r->strokes->len == 0 || r->depth_mm.n == 0)
    /* Recorded with the motor off: nothing to average. */
    return g_strdup_printf (_ ("Set %s at %.0f Hz · no strokes in %.1f s"), set, s->rate_hz,
                            seconds);
  g_autofree char *mean = nb_units_format_depth (units, r->depth_mm.mean);
  g_autofree char *sd = r->depth_mm.n > 1
                            ? nb_units_format_depth (units, nb_stats_sd (&r->depth_mm))
                            : g_strdup ("–");
  g_autofree char *min = nb_units_format_number (units, r->depth_mm.min);
  g_autofree char *max = nb_units_format_depth (units, r->depth_mm.max);
  g_autofree char *rate
      = r->period_s.n ? g_strdup_printf (_ ("%.2f Hz"), 1.0 / r->period_s.mean) : g_strdup ("–");
  g_autofree char *speed = r->entry_speed_mm_s.n
                               ? g_strdup_printf (_ ("%.0f mm/s"), r->entry_speed_mm_s.mean)
                               : g_strdup ("–");
  return g_strdup_printf (_ ("Set %s at %.0f Hz · %u strokes in %.1f s · depth %s ± %s (min %s, "
                             "max %s) · rate %s · entry speed %s"),
                          set, s->rate_hz, r->strokes->len, seconds, mean, sd, min, max, rate,
                          speed);
}

const char *
nb_session_status_mark (NbSessionStatus status)
{
  switch (status)
    {
    case NB_SESSION_ABORTED: return _ ("Aborted");
    case NB_SESSION_INTERRUPTED: return _ ("Interrupted");
    case NB_SESSION_RECORDING: return _ ("Recording");
    case NB_SESSION_COMPLETE:
    default: return NULL;
    }
}

char *
nb_records_export_folder (void)
{
  const char *docs = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  if (docs && g_file_test (docs, G_FILE_TEST_IS_DIR))
    return g_strdup (docs);
  return g_strdup (g_get_home_dir ());
}

struct _NbRecords
{
  GObject parent_instance;
  char *store_path;
  GListStore *store;
  guint generation; /* of the newest refresh */
  guint pending;    /* refreshes in worker threads */
};

G_DEFINE_FINAL_TYPE (NbRecords, nb_records, G_TYPE_OBJECT)

static void
nb_records_finalize (GObject *object)
{
  NbRecords *self = NB_RECORDS (object);
  g_free (self->store_path);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (nb_records_parent_class)->finalize (object);
}

static void
nb_records_class_init (NbRecordsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nb_records_finalize;
}

static void
nb_records_init (NbRecords *self)
{
  self->store = g_list_store_new (NB_TYPE_SESSION_ITEM);
}

void
nb_records_set_store_path (NbRecords *self, const char *store_path)
{
  g_free (self->store_path);
  self->store_path
      = store_path && *store_path ? g_strdup (store_path) : nb_store_get_default_path ();
}

NbRecords *
nb_records_new (const char *store_path)
{
  NbRecords *self = g_object_new (NB_TYPE_RECORDS, NULL);
  nb_records_set_store_path (self, store_path);
  return self;
}

const char *
nb_records_get_store_path (NbRecords *self)
{
  return self->store_path;
}

GListModel *
nb_records_get_model (NbRecords *self)
{
  return G_LIST_MODEL (self->store);
}

static gboolean
parse_day (const char *day, gint64 *from, gint64 *to, GError **error)
{
  int y, m, d;
  char end;
  g_autoptr (GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr (GDateTime) start = NULL;
  if (sscanf (day, "%d-%d-%d%c", &y, &m, &d, &end) == 3)
    start = g_date_time_new (tz, y, m, d, 0, 0, 0);
  if (start == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not a date (YYYY-MM-DD)"), day);
      return FALSE;
    }
  g_autoptr (GDateTime) next = g_date_time_add_days (start, 1);
  *from = g_date_time_to_unix (start) * G_USEC_PER_SEC;
  *to = g_date_time_to_unix (next) * G_USEC_PER_SEC;
  return TRUE;
}

/* --- listing ------------------------------------------------------------------------------ */

typedef struct
{
  char *path;
  char *serial, *operator_name;
  gint64 from, to;
  guint generation;
  gboolean ran; /* went to the worker (a bad date does not) */
} ListData;

static void
list_data_free (ListData *ld)
{
  g_free (ld->path);
  g_free (ld->serial);
  g_free (ld->operator_name);
  g_free (ld);
}

/* Opens its own read-only connection: a writer holding the database waits here, not in the
 * window. */
static void
list_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ListData *ld = task_data;
  GError *error = NULL;
  /* Nothing recorded yet on this machine: an empty list, and no database created by looking. */
  if (!nb_fleet_is_server (ld->path) && !g_file_test (ld->path, G_FILE_TEST_EXISTS))
    {
      g_task_return_pointer (task, g_ptr_array_new (), (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  NbStoreSessionFilter filter = {
    .pen_serial = ld->serial,
    .operator_name = ld->operator_name,
    .from = ld->from,
    .to = ld->to,
  };
  g_autoptr (NbStore) store = nb_store_open_full (ld->path, NB_STORE_OPEN_READ_ONLY, &error);
  GPtrArray *sessions = store ? nb_store_list_sessions (store, &filter, &error) : NULL;
  if (sessions)
    g_task_return_pointer (task, sessions, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

void
nb_records_refresh_async (NbRecords *self, const char *serial, const char *operator_name,
                          const char *day, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, nb_records_refresh_async);
  ListData *ld = g_new0 (ListData, 1);
  ld->path = g_strdup (self->store_path);
  ld->serial = serial && *serial ? g_strdup (serial) : NULL;
  ld->operator_name = operator_name && *operator_name ? g_strdup (operator_name) : NULL;
  /* A newer refresh makes this one stale: its result is dropped, not shown over the newer. */
  ld->generation = ++self->generation;
  g_task_set_task_data (task, ld, (GDestroyNotify) list_data_free);
  GError *error = NULL;
  if (day && *day && !parse_day (day, &ld->from, &ld->to, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  ld->ran = TRUE;
  self->pending++;
  g_task_run_in_thread (task, list_thread);
}

gboolean
nb_records_refresh_finish (NbRecords *self, GAsyncResult *result, GError **error)
{
  GTask *task = G_TASK (result);
  ListData *ld = g_task_get_task_data (task);
  if (ld->ran)
    self->pending--;
  g_autoptr (GPtrArray) sessions = g_task_propagate_pointer (task, error);
  if (sessions == NULL)
    return FALSE;
  if (ld->generation != self->generation)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("a newer search replaced this one"));
      return FALSE;
    }
  g_ptr_array_set_free_func (sessions, NULL);
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < sessions->len; i++)
    {
      NbSessionItem *item = g_object_new (NB_TYPE_SESSION_ITEM, NULL);
      item->session = sessions->pdata[i];
      g_ptr_array_add (items, item);
    }
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       items->pdata, items->len);
  return TRUE;
}

gboolean
nb_records_is_refreshing (NbRecords *self)
{
  return self->pending > 0;
}

NbSessionItem *
nb_records_find (NbRecords *self, gint64 session_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (NbSessionItem) item = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      if (item->session->id == session_id)
        return item;
    }
  return NULL;
}

/* --- loading ------------------------------------------------------------------------------- */

typedef struct
{
  char *path;
  gint64 session_id;
} LoadData;

static void
load_data_free (LoadData *ld)
{
  g_free (ld->path);
  g_free (ld);
}

static gboolean
add_batch (guint64 first_index, const gint16 *samples, guint n, gpointer data)
{
  NbReplay *r = data;
  if (r->origin_index == G_MAXUINT64)
    r->origin_index = first_index;
  if (first_index < r->origin_index)
    return TRUE; /* batches come in order; one from before the first would have no place */
  first_index -= r->origin_index;
  r->first_index = MIN (r->first_index, first_index);
  nb_decimator_push (r->decimator, first_index, samples, n);
  r->end_index = first_index + n;
  return TRUE;
}

static gboolean
add_stroke (const NbStoreStroke *s, gpointer data)
{
  NbReplay *r = data;
  NbStoreStroke row = *s;
  if (r->strokes->len == 0)
    r->first_stroke = s->index;
  row.index -= MIN (r->first_stroke, row.index);
  guint64 origin = r->origin_index == G_MAXUINT64 ? 0 : r->origin_index;
  row.peak_sample -= MIN (origin, row.peak_sample);
  row.time_s -= origin / MAX (r->session->sample_rate_hz, 1);
  g_array_append_val (r->strokes, row);
  nb_stats_add (&r->depth_mm, s->depth_mm);
  if (s->period_s > 0)
    nb_stats_add (&r->period_s, s->period_s);
  if (s->entry_speed_mm_s == s->entry_speed_mm_s) /* not NAN */
    nb_stats_add (&r->entry_speed_mm_s, s->entry_speed_mm_s);
  return TRUE;
}

static void
load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LoadData *ld = task_data;
  GError *error = NULL;
  g_autoptr (NbReplay) r = g_new0 (NbReplay, 1);
  g_autoptr (NbStore) store = nb_store_open_full (ld->path, NB_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL || (r->session = nb_store_get_session (store, ld->session_id, &error)) == NULL)
    goto fail;
  gint64 samples = nb_store_count_samples (store, ld->session_id, &error);
  if (samples < 0)
    goto fail;
  double rate = r->session->sample_rate_hz > 0 ? r->session->sample_rate_hz : 20000;
  gint64 cap = (gint64) (rate * NB_RECORDS_MAX_REPLAY_S);
  r->decimator = nb_decimator_new ((guint) CLAMP (samples, 1, cap));
  r->strokes = g_array_new (FALSE, FALSE, sizeof (NbStoreStroke));
  r->first_index = G_MAXUINT64;
  r->origin_index = G_MAXUINT64;
  nb_stats_init (&r->depth_mm);
  nb_stats_init (&r->period_s);
  nb_stats_init (&r->entry_speed_mm_s);
  if (!nb_store_foreach_batch (store, ld->session_id, add_batch, r, &error)
      || !nb_store_foreach_stroke (store, ld->session_id, add_stroke, r, &error))
    goto fail;
  if (r->first_index == G_MAXUINT64)
    r->first_index = 0;
  if (r->origin_index == G_MAXUINT64)
    r->origin_index = 0;
  g_task_return_pointer (task, g_steal_pointer (&r), (GDestroyNotify) nb_replay_free);
  return;
fail:
  g_prefix_error (&error, _ ("loading session %" PRId64 ": "), ld->session_id);
  g_task_return_error (task, error);
}

void
nb_records_load_async (NbRecords *self, gint64 session_id, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, nb_records_load_async);
  LoadData *ld = g_new0 (LoadData, 1);
  ld->path = g_strdup (self->store_path);
  ld->session_id = session_id;
  g_task_set_task_data (task, ld, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

NbReplay *
nb_records_load_finish (NbRecords *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- export ------------------------------------------------------------------------------- */

typedef struct
{
  char *store_path, *path;
  gint64 session_id;
  gboolean json;
} ExportData;

static void
export_data_free (ExportData *ed)
{
  g_free (ed->store_path);
  g_free (ed->path);
  g_free (ed);
}

static void
export_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ExportData *ed = task_data;
  GError *error = NULL;
  g_autoptr (NbStore) store = nb_store_open_full (ed->store_path, NB_STORE_OPEN_READ_ONLY, &error);
  /* FORCE: the save dialog has already asked before replacing a file. */
  if (store
      && nb_export_session (store, ed->session_id, ed->json ? NB_EXPORT_JSON : NB_EXPORT_CSV, FALSE,
                            ed->path, NB_EXPORT_FORCE, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
nb_records_export_async (NbRecords *self, gint64 session_id, gboolean json, const char *path,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, nb_records_export_async);
  ExportData *ed = g_new0 (ExportData, 1);
  ed->store_path = g_strdup (self->store_path);
  ed->path = g_strdup (path);
  ed->session_id = session_id;
  ed->json = json;
  g_task_set_task_data (task, ed, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
nb_records_export_finish (NbRecords *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
