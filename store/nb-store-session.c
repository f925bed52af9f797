/* nb-store-session.c: writing sessions, pens, strokes, sample batches and events. */
#include "nb-audit.h"
#include "nb-audit-rows.h"
#include "nb-c-locale.h"
#include "nb-store-private.h"
#include "nb-sample-codec.h"

#include <math.h>

/* Upserts the pen and, if its firmware differs from the last one recorded, appends to the
 * firmware history. Returns the pen id or 0. Inside a transaction. */
static gint64
record_pen (NbStore *store, const NbStoreSessionParams *p, gint64 now, const char *actor,
            GError **error)
{
  NbStmt *stmt = nb_store_stmt (store,
                                "INSERT INTO pens (serial, model, first_seen, last_seen)"
                                " VALUES (?1, ?2, ?3, ?3) ON CONFLICT (serial) DO UPDATE"
                                " SET last_seen = excluded.last_seen,"
                                " model = coalesce(excluded.model, pens.model)",
                                error);
  if (stmt == NULL)
    return 0;
  nb_store_bind_text (stmt, 1, p->pen_serial);
  nb_store_bind_text (stmt, 2, p->pen_model);
  nb_stmt_bind_int64 (stmt, 3, now);
  if (!nb_store_step_done (store, stmt, "Recording the pen in", error))
    return 0;

  stmt = nb_store_stmt (store, "SELECT id FROM pens WHERE serial = ?", error);
  if (stmt == NULL)
    return 0;
  nb_store_bind_text (stmt, 1, p->pen_serial);
  int rc = nb_stmt_step (stmt);
  gint64 pen_id = rc == NB_DB_ROW ? nb_stmt_column_int64 (stmt, 0) : 0;
  nb_stmt_reset (stmt);
  if (pen_id == 0)
    {
      nb_store_set_error (store, error, rc, "Reading the pen from");
      return 0;
    }
  if (p->pen_firmware == NULL)
    return pen_id;

  stmt = nb_store_stmt (store,
                        "SELECT firmware FROM pen_firmware WHERE pen_id = ?"
                        " ORDER BY id DESC LIMIT 1",
                        error);
  if (stmt == NULL)
    return 0;
  nb_stmt_bind_int64 (stmt, 1, pen_id);
  rc = nb_stmt_step (stmt);
  gboolean same = rc == NB_DB_ROW
                  && g_strcmp0 ((const char *) nb_stmt_column_text (stmt, 0), p->pen_firmware) == 0;
  nb_stmt_reset (stmt);
  if (rc != NB_DB_ROW && rc != NB_DB_DONE)
    {
      nb_store_set_error (store, error, rc, "Reading the firmware history from");
      return 0;
    }
  if (same)
    return pen_id;

  stmt = nb_store_stmt (
      store, "INSERT INTO pen_firmware (pen_id, firmware, seen_at) VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  nb_stmt_bind_int64 (stmt, 1, pen_id);
  nb_store_bind_text (stmt, 2, p->pen_firmware);
  nb_stmt_bind_int64 (stmt, 3, now);
  if (!nb_store_step_done (store, stmt, "Recording the firmware in", error))
    return 0;
  g_autofree char *subject = g_strdup_printf ("pen:%s", p->pen_serial);
  g_autofree char *detail = g_strdup_printf ("firmware=%s", p->pen_firmware);
  g_autofree char *covers = nb_audit_covers_range ("pen_firmware", nb_db_last_insert_id (store->db),
                                                   nb_db_last_insert_id (store->db));
  if (!nb_audit_append_rows (store, actor, "pen.firmware", subject, detail, covers,
                             NB_AUDIT_DEFAULT, error))
    return 0;
  return pen_id;
}

/* The session's target row (schema 9), inside the session's transaction. */
static gboolean
insert_target (NbStore *store, gint64 id, const NbStoreSessionParams *p, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store,
                                "INSERT INTO session_targets (session_id, profile_id,"
                                " profile_version, target_mm, tolerance_mm, band_lo_mm,"
                                " band_hi_mm, rate_tolerance_hz)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  nb_stmt_bind_int64 (stmt, 1, id);
  nb_store_bind_text (stmt, 2, p->profile_id);
  if (p->profile_id != NULL && p->profile_version > 0)
    nb_stmt_bind_int64 (stmt, 3, p->profile_version);
  nb_stmt_bind_double (stmt, 4, p->target_mm);
  nb_stmt_bind_double (stmt, 5, p->tolerance_mm);
  nb_stmt_bind_double (stmt, 6, p->band_lo_mm);
  nb_stmt_bind_double (stmt, 7, p->band_hi_mm);
  if (p->rate_tolerance_hz > 0)
    nb_stmt_bind_double (stmt, 8, p->rate_tolerance_hz);
  return nb_store_step_done (store, stmt, "Recording the session's target in", error);
}

gint64
nb_store_begin_session (NbStore *store, const NbStoreSessionParams *p, GError **error)
{
  g_return_val_if_fail (p != NULL, 0);
  if (!(p->sample_rate_hz > 0))
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "A session needs a positive sample rate (got %g)", p->sample_rate_hz);
      return 0;
    }
  gboolean has_target = p->tolerance_mm > 0;
  if (has_target
      && !(isfinite (p->target_mm) && p->target_mm >= 0 && isfinite (p->tolerance_mm)
           && isfinite (p->band_lo_mm) && p->band_lo_mm >= 0 && isfinite (p->band_hi_mm)
           && p->band_hi_mm >= p->band_lo_mm && isfinite (p->rate_tolerance_hz)
           && p->rate_tolerance_hz >= 0))
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "A session's target needs a depth, a tolerance and a band of 0 mm or more "
                   "(got %g ± %g mm, band %g–%g mm, rate ± %g Hz)",
                   p->target_mm, p->tolerance_mm, p->band_lo_mm, p->band_hi_mm,
                   p->rate_tolerance_hz);
      return 0;
    }
  const char *actor = p->operator_name != NULL ? p->operator_name : g_get_user_name ();
  gint64 now = g_get_real_time ();
  gint64 pen_id = 0, id = 0;
  g_autofree char *subject = NULL, *detail = NULL, *covers = NULL;

  if (!nb_store_begin (store, error))
    return 0;
  if (p->pen_serial != NULL && (pen_id = record_pen (store, p, now, actor, error)) == 0)
    goto fail;

  NbStmt *stmt = nb_store_stmt (store,
                                "INSERT INTO sessions (pen_id, uri, operator, name, note,"
                                " depth_mm, rate_hz, sample_rate_hz, started_at, status)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'recording')",
                                error);
  if (stmt == NULL)
    goto fail;
  if (pen_id != 0)
    nb_stmt_bind_int64 (stmt, 1, pen_id);
  nb_store_bind_text (stmt, 2, p->uri);
  nb_store_bind_text (stmt, 3, p->operator_name);
  nb_store_bind_text (stmt, 4, p->name);
  nb_store_bind_text (stmt, 5, p->note);
  nb_stmt_bind_double (stmt, 6, p->depth_mm);
  nb_stmt_bind_double (stmt, 7, p->rate_hz);
  nb_stmt_bind_double (stmt, 8, p->sample_rate_hz);
  nb_stmt_bind_int64 (stmt, 9, now);
  if (!nb_store_step_done (store, stmt, "Creating a session in", error))
    goto fail;
  id = nb_db_last_insert_id (store->db);
  if (has_target && !insert_target (store, id, p, error))
    goto fail;

  subject = g_strdup_printf ("session:%" G_GINT64_FORMAT, id);
  /* the audit trail is data: the same figures whatever the recording program's locale */
  detail = nb_c_strdup_printf ("pen=%s uri=%s name=%s depth_mm=%g rate_hz=%g "
                               "sample_rate_hz=%g",
                               p->pen_serial ? p->pen_serial : "", p->uri ? p->uri : "",
                               p->name ? p->name : "", p->depth_mm, p->rate_hz, p->sample_rate_hz);
  if (has_target)
    {
      char *full = nb_c_strdup_printf ("%s profile=%s target_mm=%g tolerance_mm=%g band_mm=%g-%g "
                                       "rate_tolerance_hz=%g",
                                       detail, p->profile_id ? p->profile_id : "", p->target_mm,
                                       p->tolerance_mm, p->band_lo_mm, p->band_hi_mm,
                                       p->rate_tolerance_hz);
      g_free (detail);
      detail = full;
    }
  /* the pen row (its last_seen just changed) and the target are covered with the session */
  covers = nb_audit_covers_range ("sessions", id, id);
  if (pen_id != 0)
    {
      char *more = g_strdup_printf ("%s pens:%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, covers,
                                    pen_id, pen_id);
      g_free (covers);
      covers = more;
    }
  if (has_target)
    {
      char *more = g_strdup_printf ("%s session_targets:%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT,
                                    covers, id, id);
      g_free (covers);
      covers = more;
    }
  if (!nb_audit_append_rows (store, actor, "session.start", subject, detail, covers,
                             NB_AUDIT_DEFAULT, error)
      || !nb_store_commit (store, error))
    goto fail;
  return id;

fail:
  nb_store_rollback (store);
  return 0;
}

/* --- the session's bulk rows: one audit entry a transaction --- */

void
nb_store_pending_clear (NbStore *store)
{
  store->pending_session = 0;
  for (int i = 0; i < NB_STORE_PENDING_N; i++)
    store->pending_first[i] = store->pending_last[i] = 0;
}

static void
pending_add (NbStore *store, int which, gint64 session_id)
{
  gint64 rowid = nb_db_last_insert_id (store->db);
  if (store->pending_session == 0)
    store->pending_session = session_id;
  if (store->pending_first[which] == 0)
    store->pending_first[which] = rowid;
  store->pending_last[which] = rowid;
}

gboolean
nb_store_audit_pending (NbStore *store, GError **error)
{
  static const char *const names[NB_STORE_PENDING_N] = { "strokes", "batches", "events" };
  if (store->pending_session == 0)
    return TRUE;
  g_autoptr (GString) covers = g_string_new (NULL);
  g_autoptr (GString) detail = g_string_new (NULL);
  for (int i = 0; i < NB_STORE_PENDING_N; i++)
    if (store->pending_first[i] != 0)
      {
        /* one writer at a time: the rows of one table in one transaction have consecutive
         * rowids (no AUTOINCREMENT gap, nothing deleted) */
        g_string_append_printf (covers, "%s%s:%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT,
                                covers->len ? " " : "", names[i], store->pending_first[i],
                                store->pending_last[i]);
        g_string_append_printf (detail, "%s%s=%" G_GINT64_FORMAT, detail->len ? " " : "", names[i],
                                store->pending_last[i] - store->pending_first[i] + 1);
      }
  gint64 session_id = store->pending_session;
  nb_store_pending_clear (store);
  g_autofree char *subject = g_strdup_printf ("session:%" G_GINT64_FORMAT, session_id);
  g_autofree char *actor = NULL;
  NbStmt *stmt = nb_store_stmt (store, "SELECT operator FROM sessions WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  nb_stmt_bind_int64 (stmt, 1, session_id);
  if (nb_stmt_step (stmt) == NB_DB_ROW)
    actor = g_strdup ((const char *) nb_stmt_column_text (stmt, 0));
  nb_stmt_reset (stmt);
  return nb_audit_append_rows (store, actor, "session.data", subject, detail->str, covers->str,
                               NB_AUDIT_DEFAULT, error);
}

/* insert_row: steps @stmt (an insert into the session table @which), in its own transaction
 * when none is open, so that the row is audited at commit either way. */
static gboolean
insert_row (NbStore *store, NbStmt *stmt, int which, gint64 session_id, const char *what,
            GError **error)
{
  gboolean own_tx = nb_db_get_autocommit (store->db);
  if (own_tx && !nb_store_begin (store, error))
    return FALSE;
  if (!nb_store_step_done (store, stmt, what, error))
    goto fail;
  if (store->schema_version >= NB_STORE_SCHEMA_AUDIT)
    pending_add (store, which, session_id);
  if (own_tx && !nb_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  if (own_tx)
    nb_store_rollback (store);
  return FALSE;
}

gboolean
nb_store_add_stroke (NbStore *store, gint64 session_id, const NbStoreStroke *s, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store,
                                "INSERT INTO strokes (session_id, idx, peak_sample, time_s,"
                                " depth_mm, period_s, entry_speed_mm_s)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  nb_stmt_bind_int64 (stmt, 1, session_id);
  nb_stmt_bind_int64 (stmt, 2, (gint64) s->index);
  nb_stmt_bind_int64 (stmt, 3, (gint64) s->peak_sample);
  nb_stmt_bind_double (stmt, 4, s->time_s);
  nb_stmt_bind_double (stmt, 5, s->depth_mm);
  nb_stmt_bind_double (stmt, 6, s->period_s);
  if (isfinite (s->entry_speed_mm_s))
    nb_stmt_bind_double (stmt, 7, s->entry_speed_mm_s);
  else
    nb_stmt_bind_null (stmt, 7);
  return insert_row (store, stmt, NB_STORE_PENDING_STROKES, session_id, "Writing a stroke to",
                     error);
}

gboolean
nb_store_add_batch (NbStore *store, gint64 session_id, guint64 first_index,
                    const gint16 *samples_um, guint n, GError **error)
{
  if (n == 0)
    return TRUE; /* nothing to store */
  NbStmt *stmt
      = nb_store_stmt (store,
                       "INSERT INTO batches (session_id, first_index, count, samples, codec)"
                       " VALUES (?, ?, ?, ?, ?)",
                       error);
  if (stmt == NULL)
    return FALSE;
  NbSampleCodec codec;
  g_autoptr (GBytes) blob = nb_sample_encode (samples_um, n, &codec);
  gsize len;
  const void *data = g_bytes_get_data (blob, &len);
  nb_stmt_bind_int64 (stmt, 1, session_id);
  nb_stmt_bind_int64 (stmt, 2, (gint64) first_index);
  nb_stmt_bind_int (stmt, 3, (int) n);
  nb_stmt_bind_blob (stmt, 4, data, (int) len);
  nb_stmt_bind_int (stmt, 5, codec);
  gboolean ok
      = insert_row (store, stmt, NB_STORE_PENDING_BATCHES, session_id, "Writing samples to", error);
  nb_stmt_clear_bindings (stmt); /* the blob is freed on return */
  return ok;
}

gboolean
nb_store_add_event (NbStore *store, gint64 session_id, guint64 sample_index, int code,
                    const char *name, const char *detail, gint64 at, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store,
                                "INSERT INTO events (session_id, sample_index, code, name,"
                                " detail, at) VALUES (?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  nb_stmt_bind_int64 (stmt, 1, session_id);
  nb_stmt_bind_int64 (stmt, 2, (gint64) sample_index);
  nb_stmt_bind_int (stmt, 3, code);
  nb_store_bind_text (stmt, 4, name);
  nb_store_bind_text (stmt, 5, detail);
  nb_stmt_bind_int64 (stmt, 6, at);
  return insert_row (store, stmt, NB_STORE_PENDING_EVENTS, session_id, "Writing an event to",
                     error);
}

gboolean
nb_store_close_session (NbStore *store, gint64 session_id, NbSessionStatus status,
                        const char *error_text, GError **error)
{
  if (status != NB_SESSION_COMPLETE && status != NB_SESSION_ABORTED)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "A session can only be closed as complete or aborted");
      return FALSE;
    }
  gboolean own_tx = nb_db_get_autocommit (store->db);
  g_autofree char *actor = NULL, *detail = NULL, *subject = NULL, *covers = NULL;
  if (own_tx && !nb_store_begin (store, error))
    return FALSE;
  /* the rows written so far in this transaction get their entry before the close's */
  if (!nb_store_audit_pending (store, error))
    goto fail;

  NbStmt *stmt = nb_store_stmt (store,
                                "UPDATE sessions SET ended_at = ?, status = ?, error = ?"
                                " WHERE id = ? AND status = 'recording'",
                                error);
  if (stmt == NULL)
    goto fail;
  nb_stmt_bind_int64 (stmt, 1, g_get_real_time ());
  nb_store_bind_text (stmt, 2, nb_session_status_to_string (status));
  nb_store_bind_text (stmt, 3, error_text);
  nb_stmt_bind_int64 (stmt, 4, session_id);
  if (!nb_store_step_done (store, stmt, "Closing the session in", error))
    goto fail;
  if (nb_db_changes (store->db) != 1)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND,
                   "No recording session %" G_GINT64_FORMAT " in %s", session_id, store->path);
      goto fail;
    }

  stmt = nb_store_stmt (store,
                        "SELECT s.operator,"
                        " (SELECT count(*) FROM strokes WHERE session_id = s.id),"
                        " (SELECT coalesce(sum(count), 0) FROM batches WHERE session_id = s.id),"
                        " (SELECT count(*) FROM events WHERE session_id = s.id)"
                        " FROM sessions s WHERE s.id = ?",
                        error);
  if (stmt == NULL)
    goto fail;
  nb_stmt_bind_int64 (stmt, 1, session_id);
  int rc = nb_stmt_step (stmt);
  if (rc != NB_DB_ROW)
    {
      nb_store_set_error (store, error, rc, "Counting the session's rows in");
      nb_stmt_reset (stmt);
      goto fail;
    }
  actor = g_strdup ((const char *) nb_stmt_column_text (stmt, 0));
  detail = g_strdup_printf (
      "status=%s strokes=%" G_GINT64_FORMAT " samples=%" G_GINT64_FORMAT " events=%" G_GINT64_FORMAT
      "%s%s",
      nb_session_status_to_string (status), (gint64) nb_stmt_column_int64 (stmt, 1),
      (gint64) nb_stmt_column_int64 (stmt, 2), (gint64) nb_stmt_column_int64 (stmt, 3),
      error_text ? " error=" : "", error_text ? error_text : "");
  nb_stmt_reset (stmt);
  subject = g_strdup_printf ("session:%" G_GINT64_FORMAT, session_id);
  covers = nb_audit_covers_range ("sessions", session_id, session_id);
  if (!nb_audit_append_rows (store, actor, "session.close", subject, detail, covers,
                             NB_AUDIT_CHECKPOINT, error))
    goto fail;
  if (own_tx && !nb_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  if (own_tx)
    nb_store_rollback (store);
  return FALSE;
}
