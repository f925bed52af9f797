/* nb-store-query.c: reading sessions, strokes, sample batches and events back. */
#include "nb-store-private.h"
#include "nb-sample-codec.h"

#include <math.h>
#include <string.h>

#define SESSION_COLUMNS                                                                            \
  "SELECT s.id, p.serial, p.model, s.uri, s.operator, s.name, s.note, s.depth_mm, s.rate_hz,"      \
  " s.sample_rate_hz, s.started_at, s.ended_at, s.status, s.error, t.session_id, t.profile_id,"    \
  " t.profile_version, t.target_mm, t.tolerance_mm, t.band_lo_mm, t.band_hi_mm,"                   \
  " t.rate_tolerance_hz"                                                                           \
  " FROM sessions s LEFT JOIN pens p ON p.id = s.pen_id"                                           \
  " LEFT JOIN session_targets t ON t.session_id = s.id"

static char *
col_strdup (NbStmt *stmt, int col)
{
  return g_strdup ((const char *) nb_stmt_column_text (stmt, col));
}

static NbStoreSession *
session_from_row (NbStore *store, NbStmt *stmt)
{
  NbStoreSession *s = g_new0 (NbStoreSession, 1);
  s->id = nb_stmt_column_int64 (stmt, 0);
  s->pen_serial = col_strdup (stmt, 1);
  s->pen_model = col_strdup (stmt, 2);
  s->uri = col_strdup (stmt, 3);
  s->operator_name = col_strdup (stmt, 4);
  s->name = col_strdup (stmt, 5);
  s->note = col_strdup (stmt, 6);
  s->depth_mm = nb_stmt_column_double (stmt, 7);
  s->rate_hz = nb_stmt_column_double (stmt, 8);
  s->sample_rate_hz = nb_stmt_column_double (stmt, 9);
  s->started_at = nb_stmt_column_int64 (stmt, 10);
  s->ended_at = nb_stmt_column_int64 (stmt, 11);
  const char *status = (const char *) nb_stmt_column_text (stmt, 12);
  if (g_strcmp0 (status, "complete") == 0)
    s->status = NB_SESSION_COMPLETE;
  else if (g_strcmp0 (status, "aborted") == 0)
    s->status = NB_SESSION_ABORTED;
  else
    s->status = nb_store_live_is_held (store, FALSE, s->id) ? NB_SESSION_RECORDING
                                                            : NB_SESSION_INTERRUPTED;
  s->error = col_strdup (stmt, 13);
  s->has_target = nb_stmt_column_type (stmt, 14) != NB_DB_NULL;
  s->profile_id = col_strdup (stmt, 15);
  s->profile_version = nb_stmt_column_int64 (stmt, 16);
  s->target_mm = s->has_target ? nb_stmt_column_double (stmt, 17) : NAN;
  s->tolerance_mm = s->has_target ? nb_stmt_column_double (stmt, 18) : NAN;
  s->band_lo_mm = s->has_target ? nb_stmt_column_double (stmt, 19) : NAN;
  s->band_hi_mm = s->has_target ? nb_stmt_column_double (stmt, 20) : NAN;
  s->rate_tolerance_hz = nb_stmt_column_double (stmt, 21); /* NULL reads 0: not judged */
  return s;
}

void
nb_store_session_free (NbStoreSession *s)
{
  if (s == NULL)
    return;
  g_free (s->pen_serial);
  g_free (s->pen_model);
  g_free (s->uri);
  g_free (s->operator_name);
  g_free (s->name);
  g_free (s->note);
  g_free (s->error);
  g_free (s->profile_id);
  g_free (s);
}

void
nb_store_event_free (NbStoreEvent *e)
{
  if (e == NULL)
    return;
  g_free (e->name);
  g_free (e->detail);
  g_free (e);
}

GPtrArray *
nb_store_list_sessions (NbStore *store, const NbStoreSessionFilter *filter, GError **error)
{
  /* one statement for all filters: a NULL parameter switches its condition off */
  NbStmt *stmt = nb_store_stmt (
      store,
      SESSION_COLUMNS /* typed use first: PostgreSQL infers a parameter's type from it */
      " WHERE (p.serial = ?1 OR ?1 IS NULL)"
      " AND (s.operator = ?2 OR ?2 IS NULL)"
      " AND (s.started_at >= ?3 OR ?3 IS NULL)"
      " AND (s.started_at < ?4 OR ?4 IS NULL)"
      " ORDER BY s.started_at DESC, s.id DESC",
      error);
  if (stmt == NULL)
    return NULL;
  if (filter != NULL)
    {
      nb_store_bind_text (stmt, 1, filter->pen_serial);
      nb_store_bind_text (stmt, 2, filter->operator_name);
      if (filter->from != 0)
        nb_stmt_bind_int64 (stmt, 3, filter->from);
      if (filter->to != 0)
        nb_stmt_bind_int64 (stmt, 4, filter->to);
    }
  g_autoptr (GPtrArray) list
      = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_store_session_free);
  int rc;
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    g_ptr_array_add (list, session_from_row (store, stmt));
  nb_stmt_reset (stmt);
  if (rc != NB_DB_DONE)
    {
      nb_store_set_error (store, error, rc, "Listing the sessions of");
      return NULL;
    }
  return g_steal_pointer (&list);
}

NbStoreSession *
nb_store_get_session (NbStore *store, gint64 session_id, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store, SESSION_COLUMNS " WHERE s.id = ?", error);
  if (stmt == NULL)
    return NULL;
  nb_stmt_bind_int64 (stmt, 1, session_id);
  int rc = nb_stmt_step (stmt);
  NbStoreSession *s = rc == NB_DB_ROW ? session_from_row (store, stmt) : NULL;
  nb_stmt_reset (stmt);
  if (rc == NB_DB_DONE)
    g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND,
                 "No session %" G_GINT64_FORMAT " in %s", session_id, store->path);
  else if (rc != NB_DB_ROW)
    nb_store_set_error (store, error, rc, "Reading a session from");
  return s;
}

gboolean
nb_store_foreach_stroke (NbStore *store, gint64 session_id, NbStoreStrokeFunc func,
                         gpointer user_data, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store,
                                "SELECT idx, peak_sample, time_s, depth_mm, period_s,"
                                " entry_speed_mm_s FROM strokes WHERE session_id = ?"
                                " ORDER BY idx",
                                error);
  if (stmt == NULL)
    return FALSE;
  nb_stmt_bind_int64 (stmt, 1, session_id);
  int rc;
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    {
      NbStoreStroke s = {
        .index = (guint64) nb_stmt_column_int64 (stmt, 0),
        .peak_sample = (guint64) nb_stmt_column_int64 (stmt, 1),
        .time_s = nb_stmt_column_double (stmt, 2),
        .depth_mm = nb_stmt_column_double (stmt, 3),
        .period_s = nb_stmt_column_double (stmt, 4),
        .entry_speed_mm_s
        = nb_stmt_column_type (stmt, 5) == NB_DB_NULL ? NAN : nb_stmt_column_double (stmt, 5),
      };
      if (!func (&s, user_data))
        {
          rc = NB_DB_DONE;
          break;
        }
    }
  nb_stmt_reset (stmt);
  if (rc != NB_DB_DONE)
    {
      nb_store_set_error (store, error, rc, "Reading strokes from");
      return FALSE;
    }
  return TRUE;
}

gboolean
nb_store_foreach_batch (NbStore *store, gint64 session_id, NbStoreBatchFunc func,
                        gpointer user_data, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store,
                                "SELECT first_index, count, samples, codec FROM batches"
                                " WHERE session_id = ? ORDER BY first_index",
                                error);
  if (stmt == NULL)
    return FALSE;
  nb_stmt_bind_int64 (stmt, 1, session_id);
  g_autofree gint16 *buf = NULL;
  gsize buf_len = 0;
  int rc;
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    {
      guint64 first = (guint64) nb_stmt_column_int64 (stmt, 0);
      int count = nb_stmt_column_int (stmt, 1);
      const void *blob = nb_stmt_column_blob (stmt, 2);
      int bytes = nb_stmt_column_bytes (stmt, 2);
      int codec = nb_stmt_column_int (stmt, 3);
      GError *local = NULL;
      /* a row holds at most a few seconds of samples; a huge count is damage, not data */
      if (count < 0 || count > (1 << 24))
        g_set_error (&local, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT, "bad sample count %d", count);
      else
        {
          if ((gsize) count > buf_len)
            {
              buf_len = count;
              buf = g_renew (gint16, buf, buf_len);
            }
          (void) !nb_sample_decode ((NbSampleCodec) codec, blob, bytes, buf, (guint) count, &local);
        }
      if (local != NULL)
        {
          nb_stmt_reset (stmt);
          g_propagate_prefixed_error (error, local,
                                      "Sample batch at %" G_GUINT64_FORMAT
                                      " of session %" G_GINT64_FORMAT " in %s (%d bytes for %d "
                                      "samples, codec %d): ",
                                      first, session_id, store->path, bytes, count, codec);
          return FALSE;
        }
      if (!func (first, buf, (guint) count, user_data))
        {
          rc = NB_DB_DONE;
          break;
        }
    }
  nb_stmt_reset (stmt);
  if (rc != NB_DB_DONE)
    {
      nb_store_set_error (store, error, rc, "Reading samples from");
      return FALSE;
    }
  return TRUE;
}

gboolean
nb_store_foreach_event (NbStore *store, gint64 session_id, NbStoreEventFunc func,
                        gpointer user_data, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store,
                                "SELECT sample_index, code, name, detail, at FROM events"
                                " WHERE session_id = ? ORDER BY sample_index, id",
                                error);
  if (stmt == NULL)
    return FALSE;
  nb_stmt_bind_int64 (stmt, 1, session_id);
  int rc;
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    {
      NbStoreEvent e = {
        .session_id = session_id,
        .sample_index = (guint64) nb_stmt_column_int64 (stmt, 0),
        .code = nb_stmt_column_int (stmt, 1),
        .name = (char *) nb_stmt_column_text (stmt, 2),
        .detail = (char *) nb_stmt_column_text (stmt, 3),
        .at = nb_stmt_column_int64 (stmt, 4),
      };
      if (!func (&e, user_data))
        {
          rc = NB_DB_DONE;
          break;
        }
    }
  nb_stmt_reset (stmt);
  if (rc != NB_DB_DONE)
    {
      nb_store_set_error (store, error, rc, "Reading events from");
      return FALSE;
    }
  return TRUE;
}

static gint64
count_query (NbStore *store, const char *sql, gint64 session_id, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store, sql, error);
  if (stmt == NULL)
    return -1;
  nb_stmt_bind_int64 (stmt, 1, session_id);
  int rc = nb_stmt_step (stmt);
  gint64 n = rc == NB_DB_ROW ? nb_stmt_column_int64 (stmt, 0) : -1;
  nb_stmt_reset (stmt);
  if (rc != NB_DB_ROW)
    nb_store_set_error (store, error, rc, "Counting rows in");
  return n;
}

gint64
nb_store_count_strokes (NbStore *store, gint64 session_id, GError **error)
{
  return count_query (store, "SELECT count(*) FROM strokes WHERE session_id = ?", session_id,
                      error);
}

gint64
nb_store_count_samples (NbStore *store, gint64 session_id, GError **error)
{
  return count_query (store, "SELECT coalesce(sum(count), 0) FROM batches WHERE session_id = ?",
                      session_id, error);
}
