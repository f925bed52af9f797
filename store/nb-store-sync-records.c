/* nb-store-sync-records.c: copying a closed session or run with its rows, and voids.
 *
 * The target's triggers let a session take rows only while it records and a run while it runs,
 * and a session or run be inserted only open: so a record is inserted open, its rows after it,
 * and closed last with the source's ending (status, ended_at, error, verdict, result), all in
 * one transaction: no other connection ever sees it open. */
#include "nb-audit-rows.h"
#include "nb-store-sync-private.h"

static const NbSyncChild session_children[] = {
  { "session_targets",
    "SELECT session_id, session_id, profile_id, profile_version, target_mm, tolerance_mm,"
    " band_lo_mm, band_hi_mm, rate_tolerance_hz FROM session_targets WHERE session_id = ?1",
    "INSERT INTO session_targets (session_id, profile_id, profile_version, target_mm,"
    " tolerance_mm, band_lo_mm, band_hi_mm, rate_tolerance_hz)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    8, 1, TRUE },
  { "strokes",
    "SELECT rowid, session_id, idx, peak_sample, time_s, depth_mm, period_s, entry_speed_mm_s"
    " FROM strokes WHERE session_id = ?1 ORDER BY rowid",
    "INSERT INTO strokes (session_id, idx, peak_sample, time_s, depth_mm, period_s,"
    " entry_speed_mm_s) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    7, 1, FALSE },
  { "batches",
    "SELECT rowid, session_id, first_index, count, samples, codec FROM batches"
    " WHERE session_id = ?1 ORDER BY rowid",
    "INSERT INTO batches (session_id, first_index, count, samples, codec)"
    " VALUES (?1, ?2, ?3, ?4, ?5)",
    5, 1, FALSE },
  { "events",
    "SELECT id, session_id, sample_index, code, name, detail, at FROM events"
    " WHERE session_id = ?1 ORDER BY id",
    "INSERT INTO events (session_id, sample_index, code, name, detail, at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    6, 1, FALSE },
};

/* The pen of a source session in the target: pens are copied first, by serial. */
static gboolean
target_pen_of (NbSync *sync, NbStmt *sel, int col, gint64 *pen, GError **error)
{
  *pen = 0;
  if (nb_stmt_column_type (sel, col) == NB_DB_NULL)
    return TRUE;
  NbStmt *find = nb_store_stmt (sync->from, "SELECT serial FROM pens WHERE id = ?1", error);
  if (find == NULL)
    return FALSE;
  nb_stmt_bind_int64 (find, 1, nb_stmt_column_int64 (sel, col));
  int rc = nb_stmt_step (find);
  g_autofree char *serial
      = rc == NB_DB_ROW ? g_strdup ((const char *) nb_stmt_column_text (find, 0)) : NULL;
  nb_stmt_reset (find);
  NbStmt *there
      = serial ? nb_store_stmt (sync->to, "SELECT id FROM pens WHERE serial = ?1", error) : NULL;
  if (there != NULL)
    {
      nb_store_bind_text (there, 1, serial);
      if (nb_stmt_step (there) == NB_DB_ROW)
        *pen = nb_stmt_column_int64 (there, 0);
      nb_stmt_reset (there);
    }
  if (*pen == 0 && (error == NULL || *error == NULL))
    g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND,
                 "The pen of a session to copy is not in %s", sync->to->path);
  return *pen != 0;
}

static gint64
copy_session_row (NbSync *sync, NbStmt *sel, gint64 source_id, GError **error)
{
  gint64 pen = 0;
  if (!target_pen_of (sync, sel, 0, &pen, error))
    return 0;
  NbStmt *ins = nb_store_stmt (sync->to,
                               "INSERT INTO sessions (pen_id, uri, operator, name, note, depth_mm,"
                               " rate_hz, sample_rate_hz, started_at, status)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'recording')",
                               error);
  if (ins == NULL)
    return 0;
  if (pen != 0)
    nb_stmt_bind_int64 (ins, 1, pen);
  else
    nb_stmt_bind_null (ins, 1);
  for (int c = 2; c <= 9; c++)
    nb_sync_bind_copy (ins, c, sel, c - 1);
  if (!nb_store_step_done (sync->to, ins, "Copying a session into", error))
    return 0;
  gint64 target = nb_db_last_insert_id (sync->to->db);
  g_autoptr (GString) covers = g_string_new (NULL);
  NbSyncRange self = { target, target };
  nb_sync_covers_append (covers, "sessions", &self);
  for (gsize i = 0; i < G_N_ELEMENTS (session_children); i++)
    {
      NbSyncRange range = { 0, 0 };
      if (!nb_sync_copy_children (sync, &session_children[i], source_id, target, &range, NULL,
                                  error))
        return 0;
      nb_sync_covers_append (covers, session_children[i].table, &range);
    }
  NbStmt *close = nb_store_stmt (
      sync->to, "UPDATE sessions SET status = ?2, ended_at = ?3, error = ?4 WHERE id = ?1", error);
  if (close == NULL)
    return 0;
  nb_stmt_bind_int64 (close, 1, target);
  for (int c = 2; c <= 4; c++)
    nb_sync_bind_copy (close, c, sel, c + 7);
  if (!nb_store_step_done (sync->to, close, "Closing a copied session in", error))
    return 0;
  g_autofree char *subject = g_strdup_printf ("session %" G_GINT64_FORMAT, target);
  return nb_sync_audit (sync, subject, "sessions", source_id, covers->str, error) ? target : 0;
}

static gint64
copy_session (NbSync *sync, gint64 source_id, gboolean *inserted, GError **error)
{
  return nb_sync_copy_selected (sync,
                                "SELECT pen_id, uri, operator, name, note, depth_mm, rate_hz,"
                                " sample_rate_hz, started_at, status, ended_at, error"
                                " FROM sessions WHERE id = ?1 AND status <> 'recording'",
                                source_id, "Reading a closed session from", copy_session_row,
                                inserted, error);
}

gboolean
nb_sync_sessions (NbSync *sync, GError **error)
{
  return nb_sync_table (sync, "sessions",
                        "SELECT id FROM sessions WHERE status <> 'recording' ORDER BY id",
                        copy_session, error);
}
