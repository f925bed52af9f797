/* nb-recorder.c: the queue and the writer thread behind NbRecorder. */
#include "nb-recorder.h"
#include "nb-store-private.h"

#include <string.h>

#define DEFAULT_COMMIT_INTERVAL_MS 500
#define DEFAULT_MAX_BACKLOG (64 * 1024 * 1024)
#define WAKE_BACKLOG (256 * 1024)    /* wake the writer early past this much queued data */
#define POLL_INTERVAL_US (50 * 1000) /* otherwise it looks at the queue this often */
/* Contiguous batches are stored as one row of up to this many samples (0.8 s at 20 kHz): the
 * compressor needs runs longer than one 100-sample batch to get near the noise's entropy, and
 * each row costs ~30 bytes of table and index. Rows never span a commit. */
#define GROUP_MAX_SAMPLES 16384

typedef enum
{
  ITEM_BATCH,
  ITEM_STROKE,
  ITEM_EVENT,
} ItemKind;

typedef struct Item Item;
struct Item
{
  Item *next;
  ItemKind kind;
  gsize size; /* bytes counted in the backlog */
  union
  {
    struct
    {
      guint64 first_index;
      guint n;
    } batch;
    NbStoreStroke stroke;
    struct
    {
      guint64 sample_index;
      int code;
      gint64 at;
      char *name;
      char *detail;
    } event;
  } u;
  gint16 samples[]; /* ITEM_BATCH */
};

struct _NbRecorder
{
  char *path;
  NbStoreSessionParams session; /* strings owned */
  gint64 commit_interval_us;
  gsize max_backlog;
  NbRecorderCommitFunc commit_func;
  gpointer commit_data;
  GThread *thread;

  GMutex lock; /* protects everything below */
  GCond cond;
  Item *head, *tail;
  gsize backlog;
  gboolean started;   /* writer has created the session (or failed to) */
  gboolean finishing; /* finish requested */
  gboolean finished;  /* finish called */
  NbSessionStatus finish_status;
  char *finish_text;
  GError *error; /* what stopped the recording */
  gint failed;   /* atomic mirror of error != NULL */
  NbRecorderStats stats;
};

static void
item_free (Item *it)
{
  if (it->kind == ITEM_EVENT)
    {
      g_free (it->u.event.name);
      g_free (it->u.event.detail);
    }
  g_free (it);
}

static void
free_items (Item *it)
{
  while (it != NULL)
    {
      Item *next = it->next;
      item_free (it);
      it = next;
    }
}

/* Records @err (taking it) as the reason recording stopped, unless one is already there. */
static void
fail_locked (NbRecorder *rec, GError *err)
{
  if (rec->error == NULL)
    {
      rec->error = err;
      g_atomic_int_set (&rec->failed, 1);
    }
  else if (err != NULL)
    g_error_free (err);
  free_items (rec->head);
  rec->head = rec->tail = NULL;
  rec->backlog = 0;
  g_cond_broadcast (&rec->cond);
}

/* Samples of contiguous batches waiting to be written as one row. */
typedef struct
{
  GArray *samples; /* gint16 */
  guint64 first_index;
} Group;

static gboolean
group_flush (NbStore *store, gint64 session_id, Group *g, GError **error)
{
  if (g->samples->len == 0)
    return TRUE;
  gboolean ok
      = nb_store_add_batch (store, session_id, g->first_index,
                            (const gint16 *) (gpointer) g->samples->data, g->samples->len, error);
  g_array_set_size (g->samples, 0);
  return ok;
}

static gboolean
group_add (NbStore *store, gint64 session_id, Group *g, const Item *it, GError **error)
{
  if (g->samples->len > 0
      && (it->u.batch.first_index != g->first_index + g->samples->len
          || g->samples->len + it->u.batch.n > GROUP_MAX_SAMPLES)
      && !group_flush (store, session_id, g, error))
    return FALSE;
  if (g->samples->len == 0)
    g->first_index = it->u.batch.first_index;
  g_array_append_vals (g->samples, it->samples, it->u.batch.n);
  return TRUE;
}

static gboolean
insert_item (NbStore *store, gint64 session_id, Group *group, const Item *it, GError **error)
{
  switch (it->kind)
    {
    case ITEM_BATCH: return group_add (store, session_id, group, it, error);
    case ITEM_STROKE: return nb_store_add_stroke (store, session_id, &it->u.stroke, error);
    case ITEM_EVENT:
      return nb_store_add_event (store, session_id, it->u.event.sample_index, it->u.event.code,
                                 it->u.event.name, it->u.event.detail, it->u.event.at, error);
    default: g_assert_not_reached ();
    }
}

static gpointer
writer_thread (gpointer data)
{
  NbRecorder *rec = data;
  GError *err = NULL;
  g_autoptr (NbStore) store = nb_store_open (rec->path, &err);
  g_autofree char *db_path = store != NULL ? g_strdup (nb_store_get_path (store)) : NULL;
  gint64 session_id = 0;
  int lock_fd = -1;

  if (store != NULL)
    session_id = nb_store_begin_session (store, &rec->session, &err);
  if (session_id != 0)
    lock_fd = nb_store_live_lock (store, FALSE, session_id, NULL);

  g_mutex_lock (&rec->lock);
  rec->started = TRUE;
  rec->stats.session_id = session_id;
  if (session_id == 0)
    fail_locked (rec, err);
  g_cond_broadcast (&rec->cond);
  g_mutex_unlock (&rec->lock);
  if (session_id == 0)
    return NULL;

  NbRecorderStats pending = { 0 };
  pending.last_stroke_index = -1;
  gboolean tx_open = FALSE, failed = FALSE, closed = FALSE;
  g_autoptr (GArray) group_samples = g_array_new (FALSE, FALSE, sizeof (gint16));
  Group group = { group_samples, 0 };
  gint64 tx_start = 0;

  for (;;)
    {
      g_mutex_lock (&rec->lock);
      for (;;)
        {
          gint64 now = g_get_monotonic_time ();
          if (rec->finishing || (rec->error != NULL && !closed) || rec->backlog >= WAKE_BACKLOG)
            break;
          if (tx_open && now >= tx_start + rec->commit_interval_us)
            break;
          gint64 deadline = now + POLL_INTERVAL_US;
          if (tx_open && tx_start + rec->commit_interval_us < deadline)
            deadline = tx_start + rec->commit_interval_us;
          if (!g_cond_wait_until (&rec->cond, &rec->lock, deadline))
            break; /* timed out: look at the queue */
        }
      Item *items = rec->head;
      rec->head = rec->tail = NULL;
      rec->backlog = 0;
      gboolean finishing = rec->finishing;
      gboolean stopped = rec->error != NULL;
      g_mutex_unlock (&rec->lock);

      for (Item *it = items; it != NULL && !failed && !stopped; it = it->next)
        {
          if (!tx_open)
            {
              if (!nb_store_begin (store, &err))
                {
                  failed = TRUE;
                  break;
                }
              tx_open = TRUE;
              tx_start = g_get_monotonic_time ();
            }
          if (!insert_item (store, session_id, &group, it, &err))
            {
              failed = TRUE;
              break;
            }
          switch (it->kind)
            {
            case ITEM_BATCH:
              pending.batches++;
              pending.samples += it->u.batch.n;
              break;
            case ITEM_STROKE:
              pending.strokes++;
              if ((gint64) it->u.stroke.index > pending.last_stroke_index)
                pending.last_stroke_index = (gint64) it->u.stroke.index;
              break;
            case ITEM_EVENT: pending.events++; break;
            default: break;
            }
        }
      free_items (items);

      if (!failed && tx_open
          && (finishing || stopped
              || g_get_monotonic_time () >= tx_start + rec->commit_interval_us))
        {
          if (group_flush (store, session_id, &group, &err) && nb_store_commit (store, &err))
            {
              NbRecorderStats snapshot;
              tx_open = FALSE;
              g_mutex_lock (&rec->lock);
              rec->stats.commits++;
              rec->stats.strokes += pending.strokes;
              rec->stats.batches += pending.batches;
              rec->stats.samples += pending.samples;
              rec->stats.events += pending.events;
              rec->stats.last_stroke_index
                  = MAX (rec->stats.last_stroke_index, pending.last_stroke_index);
              snapshot = rec->stats;
              g_mutex_unlock (&rec->lock);
              memset (&pending, 0, sizeof pending);
              pending.last_stroke_index = -1;
              if (rec->commit_func != NULL)
                rec->commit_func (&snapshot, rec->commit_data);
            }
          else
            failed = TRUE;
        }

      if (failed)
        {
          /* the open transaction is lost; everything committed before stays */
          nb_store_rollback (store);
          g_array_set_size (group.samples, 0);
          tx_open = FALSE;
          if (!nb_store_check_identity (store, NULL))
            {
              /* the file at the path is another one, or none: write nothing more, and take
               * this connection's log away before that file's users read it as theirs (done
               * before the failure is reported, so that the caller sees it done) */
              g_clear_pointer (&store, nb_store_abandon);
              closed = TRUE;
            }
          g_mutex_lock (&rec->lock);
          fail_locked (rec, err);
          err = NULL;
          g_mutex_unlock (&rec->lock);
          failed = FALSE; /* handled; rec->error now stops all further writing */
          stopped = TRUE;
        }

      if (stopped && !closed)
        {
          /* mark the session aborted with the reason, if the database still lets us */
          g_mutex_lock (&rec->lock);
          g_autofree char *why = g_strdup (rec->error->message);
          g_mutex_unlock (&rec->lock);
          if (!nb_store_close_session (store, session_id, NB_SESSION_ABORTED, why, NULL))
            nb_store_rollback (store);
          closed = TRUE;
        }

      if (finishing)
        break;
    }

  if (!closed)
    {
      g_mutex_lock (&rec->lock);
      NbSessionStatus status = rec->finish_status;
      g_autofree char *text = g_strdup (rec->finish_text);
      g_mutex_unlock (&rec->lock);
      if (!nb_store_close_session (store, session_id, status, text, &err))
        {
          g_mutex_lock (&rec->lock);
          fail_locked (rec, err);
          g_mutex_unlock (&rec->lock);
        }
    }
  nb_store_live_unlock (store, db_path, FALSE, session_id, lock_fd);
  return NULL;
}

NbRecorder *
nb_recorder_new (const NbRecorderParams *params, GError **error)
{
  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (params->commit_interval_ms <= 1000, NULL);

  NbRecorder *rec = g_new0 (NbRecorder, 1);
  rec->path
      = params->store_path != NULL ? g_strdup (params->store_path) : nb_store_get_default_path ();
  rec->session = params->session;
  rec->session.pen_serial = g_strdup (params->session.pen_serial);
  rec->session.pen_model = g_strdup (params->session.pen_model);
  rec->session.pen_firmware = g_strdup (params->session.pen_firmware);
  rec->session.uri = g_strdup (params->session.uri);
  rec->session.operator_name = g_strdup (params->session.operator_name);
  rec->session.name = g_strdup (params->session.name);
  rec->session.note = g_strdup (params->session.note);
  rec->session.profile_id = g_strdup (params->session.profile_id);
  rec->commit_interval_us = (gint64) (params->commit_interval_ms ? params->commit_interval_ms
                                                                 : DEFAULT_COMMIT_INTERVAL_MS)
                            * 1000;
  rec->max_backlog = params->max_backlog_bytes ? params->max_backlog_bytes : DEFAULT_MAX_BACKLOG;
  rec->commit_func = params->commit_func;
  rec->commit_data = params->commit_data;
  rec->stats.last_stroke_index = -1;
  g_mutex_init (&rec->lock);
  g_cond_init (&rec->cond);

  rec->thread = g_thread_new ("nb-recorder", writer_thread, rec);
  g_mutex_lock (&rec->lock);
  while (!rec->started)
    g_cond_wait (&rec->cond, &rec->lock);
  gboolean ok = rec->stats.session_id != 0;
  if (!ok)
    g_propagate_error (error, g_error_copy (rec->error));
  g_mutex_unlock (&rec->lock);
  if (!ok)
    {
      rec->finished = TRUE;
      nb_recorder_free (rec);
      return NULL;
    }
  return rec;
}

gint64
nb_recorder_get_session_id (NbRecorder *rec)
{
  return rec->stats.session_id; /* set before nb_recorder_new () returned, never changes */
}

/* Appends @it to the queue, or frees it and reports why not. */
static gboolean
enqueue (NbRecorder *rec, Item *it, GError **error)
{
  g_mutex_lock (&rec->lock);
  if (rec->finished)
    {
      g_mutex_unlock (&rec->lock);
      item_free (it);
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "The recording has already been finished");
      return FALSE;
    }
  if (rec->error == NULL && rec->backlog + it->size > rec->max_backlog)
    fail_locked (rec, g_error_new (NB_STORE_ERROR, NB_STORE_ERROR_OVERFLOW,
                                   "Recording to %s stopped: the disk cannot keep up (more than "
                                   "%" G_GSIZE_FORMAT " bytes waiting to be written)",
                                   rec->path, rec->max_backlog));
  if (rec->error != NULL)
    {
      g_propagate_error (error, g_error_copy (rec->error));
      g_mutex_unlock (&rec->lock);
      item_free (it);
      return FALSE;
    }
  if (rec->tail != NULL)
    rec->tail->next = it;
  else
    rec->head = it;
  rec->tail = it;
  gsize before = rec->backlog;
  rec->backlog += it->size;
  if (before < WAKE_BACKLOG && rec->backlog >= WAKE_BACKLOG)
    g_cond_signal (&rec->cond);
  g_mutex_unlock (&rec->lock);
  return TRUE;
}

gboolean
nb_recorder_add_batch (NbRecorder *rec, guint64 first_index, const gint16 *samples_um, guint n,
                       GError **error)
{
  g_return_val_if_fail (rec != NULL && (samples_um != NULL || n == 0), FALSE);
  Item *it = g_malloc (sizeof (Item) + n * sizeof (gint16));
  it->next = NULL;
  it->kind = ITEM_BATCH;
  it->size = sizeof (Item) + n * sizeof (gint16);
  it->u.batch.first_index = first_index;
  it->u.batch.n = n;
  if (n > 0)
    memcpy (it->samples, samples_um, n * sizeof (gint16));
  return enqueue (rec, it, error);
}

gboolean
nb_recorder_add_stroke (NbRecorder *rec, const NbStoreStroke *stroke, GError **error)
{
  g_return_val_if_fail (rec != NULL && stroke != NULL, FALSE);
  Item *it = g_new0 (Item, 1);
  it->kind = ITEM_STROKE;
  it->size = sizeof (Item);
  it->u.stroke = *stroke;
  return enqueue (rec, it, error);
}

gboolean
nb_recorder_add_event (NbRecorder *rec, guint64 sample_index, int code, const char *name,
                       const char *detail, GError **error)
{
  g_return_val_if_fail (rec != NULL, FALSE);
  Item *it = g_new0 (Item, 1);
  it->kind = ITEM_EVENT;
  it->u.event.sample_index = sample_index;
  it->u.event.code = code;
  it->u.event.at = g_get_real_time ();
  it->u.event.name = g_strdup (name);
  it->u.event.detail = g_strdup (detail);
  it->size = sizeof (Item) + (name ? strlen (name) : 0) + (detail ? strlen (detail) : 0);
  return enqueue (rec, it, error);
}

gboolean
nb_recorder_finish (NbRecorder *rec, NbSessionStatus status, const char *error_text, GError **error)
{
  g_return_val_if_fail (rec != NULL, FALSE);
  g_return_val_if_fail (status == NB_SESSION_COMPLETE || status == NB_SESSION_ABORTED, FALSE);

  g_mutex_lock (&rec->lock);
  if (rec->finished)
    {
      g_mutex_unlock (&rec->lock);
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "The recording has already been finished");
      return FALSE;
    }
  rec->finished = TRUE;
  rec->finishing = TRUE;
  rec->finish_status = status;
  rec->finish_text = g_strdup (error_text);
  g_cond_broadcast (&rec->cond);
  g_mutex_unlock (&rec->lock);

  g_thread_join (g_steal_pointer (&rec->thread));

  if (rec->error != NULL)
    {
      g_propagate_error (error, g_error_copy (rec->error));
      return FALSE;
    }
  return TRUE;
}

gboolean
nb_recorder_has_failed (NbRecorder *rec)
{
  return g_atomic_int_get (&rec->failed) != 0;
}

GError *
nb_recorder_get_error (NbRecorder *rec)
{
  g_mutex_lock (&rec->lock);
  GError *copy = rec->error != NULL ? g_error_copy (rec->error) : NULL;
  g_mutex_unlock (&rec->lock);
  return copy;
}

void
nb_recorder_get_stats (NbRecorder *rec, NbRecorderStats *stats)
{
  g_mutex_lock (&rec->lock);
  *stats = rec->stats;
  g_mutex_unlock (&rec->lock);
}

gsize
nb_recorder_get_backlog (NbRecorder *rec)
{
  g_mutex_lock (&rec->lock);
  gsize b = rec->backlog;
  g_mutex_unlock (&rec->lock);
  return b;
}

void
nb_recorder_free (NbRecorder *rec)
{
  if (rec == NULL)
    return;
  if (!rec->finished)
    {
      if (!nb_recorder_finish (rec, NB_SESSION_ABORTED, "recorder freed without finishing", NULL))
        { /* the error was already reported by add or is in the session row */
        }
    }
  if (rec->thread != NULL)
    g_thread_join (rec->thread);
  free_items (rec->head);
  g_free (rec->path);
  g_free ((char *) rec->session.pen_serial);
  g_free ((char *) rec->session.pen_model);
  g_free ((char *) rec->session.pen_firmware);
  g_free ((char *) rec->session.uri);
  g_free ((char *) rec->session.operator_name);
  g_free ((char *) rec->session.name);
  g_free ((char *) rec->session.note);
  g_free ((char *) rec->session.profile_id);
  g_free (rec->finish_text);
  g_clear_error (&rec->error);
  g_mutex_clear (&rec->lock);
  g_cond_clear (&rec->cond);
  g_free (rec);
}
