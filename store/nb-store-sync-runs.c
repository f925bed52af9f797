/* nb-store-sync-runs.c: copying a closed calibration run with its rows, and the voids of copied
 * sessions and runs. As for sessions (nb-store-sync-records.c), a run is inserted running, takes
 * its rows, and is closed with the source's ending in the same transaction. Its reference
 * standard is the target's copy of the source's (standards are copied before runs). */
#include "nb-audit-rows.h"
#include "nb-store-sync-private.h"

static const NbSyncChild transitions_child = {
  "run_transitions",
  "SELECT id, run_id, at, state, detail FROM run_transitions WHERE run_id = ?1 ORDER BY id",
  "INSERT INTO run_transitions (run_id, at, state, detail) VALUES (?1, ?2, ?3, ?4)",
  4,
  1,
  FALSE,
};

static const NbSyncChild points_child = {
  "run_points",
  "SELECT id, run_id, phase, quantity, seq, target, depth_mm, rate_hz, n, mean, sd, error, u,"
  " expanded, k, nu_eff, verdict, pfa, pen_mean FROM run_points WHERE run_id = ?1 ORDER BY id",
  "INSERT INTO run_points (run_id, phase, quantity, seq, target, depth_mm, rate_hz, n, mean, sd,"
  " error, u, expanded, k, nu_eff, verdict, pfa, pen_mean)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
  18,
  1,
  FALSE,
};

static const NbSyncChild strokes_child = {
  "run_strokes",
  "SELECT point_id, point_id, idx, reference, pen FROM run_strokes WHERE point_id = ?1"
  " ORDER BY idx",
  "INSERT INTO run_strokes (point_id, idx, reference, pen) VALUES (?1, ?2, ?3, ?4)",
  4,
  1,
  TRUE,
};

static const NbSyncChild tables_child = {
  "run_tables",
  "SELECT rowid, run_id, which, at, data FROM run_tables WHERE run_id = ?1 ORDER BY rowid",
  "INSERT INTO run_tables (run_id, which, at, data) VALUES (?1, ?2, ?3, ?4)",
  4,
  1,
  FALSE,
};

/* The run's columns: 0..16 are inserted (standard_id is 8), 17..21 close it. */
#define RUN_INSERTED 17

static gint64
copy_run_row (NbSync *sync, NbStmt *sel, gint64 source_id, GError **error)
{
  gint64 standard = 0;
  if (nb_stmt_column_type (sel, 7) != NB_DB_NULL)
    {
      gint64 source_standard = nb_stmt_column_int64 (sel, 7);
      standard = nb_sync_map_lookup (sync, "standards", source_standard, error);
      if (standard < 0)
        return 0;
      if (standard == 0)
        {
          /* copied before runs: found by its natural key when another bench brought it */
          NbStmt *s = nb_store_stmt (sync->from,
                                     "SELECT serial, added_at, added_by FROM standards"
                                     " WHERE id = ?1",
                                     error);
          NbStmt *t = s ? nb_store_stmt (sync->to,
                                         "SELECT id FROM standards WHERE serial = ?1"
                                         " AND added_at = ?2 AND added_by = ?3 ORDER BY id LIMIT 1",
                                         error)
                        : NULL;
          if (t == NULL)
            return 0;
          nb_stmt_bind_int64 (s, 1, source_standard);
          if (nb_stmt_step (s) == NB_DB_ROW)
            {
              for (int c = 1; c <= 3; c++)
                nb_sync_bind_copy (t, c, s, c - 1);
              if (nb_stmt_step (t) == NB_DB_ROW)
                standard = nb_stmt_column_int64 (t, 0);
              nb_stmt_reset (t);
            }
          nb_stmt_reset (s);
          if (standard == 0)
            {
              g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND,
                           "The reference standard of run %" G_GINT64_FORMAT " is not in %s",
                           source_id, sync->to->path);
              return 0;
            }
        }
    }
  NbStmt *ins = nb_store_stmt (sync->to,
                               "INSERT INTO runs (pen_serial, pen_model, pen_firmware, pen_uri,"
                               " fixture_serial, fixture_model, fixture_uri, standard_id,"
                               " profile_id, profile_version, profile_json, rule, traceable,"
                               " adjust, operator, environment_json, started_at, status)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
                               " ?14, ?15, ?16, ?17, 'running')",
                               error);
  if (ins == NULL)
    return 0;
  for (int c = 0; c < RUN_INSERTED; c++)
    if (c == 7 && standard != 0)
      nb_stmt_bind_int64 (ins, c + 1, standard);
    else
      nb_sync_bind_copy (ins, c + 1, sel, c);
  if (!nb_store_step_done (sync->to, ins, "Copying a run into", error))
    return 0;
  gint64 target = nb_db_last_insert_id (sync->to->db);
  g_autoptr (GString) covers = g_string_new (NULL);
  NbSyncRange self = { target, target }, transitions = { 0, 0 }, points = { 0, 0 },
              strokes = { 0, 0 }, tables = { 0, 0 };
  g_autoptr (GHashTable) point_ids
      = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  if (!nb_sync_copy_children (sync, &transitions_child, source_id, target, &transitions, NULL,
                              error)
      || !nb_sync_copy_children (sync, &points_child, source_id, target, &points, point_ids, error))
    return 0;
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, point_ids);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!nb_sync_copy_children (sync, &strokes_child, *(gint64 *) key, *(gint64 *) value, &strokes,
                                NULL, error))
      return 0;
  if (!nb_sync_copy_children (sync, &tables_child, source_id, target, &tables, NULL, error))
    return 0;
  NbStmt *close = nb_store_stmt (sync->to,
                                 "UPDATE runs SET status = ?2, ended_at = ?3, verdict = ?4,"
                                 " error = ?5, result_json = ?6 WHERE id = ?1",
                                 error);
  if (close == NULL)
    return 0;
  nb_stmt_bind_int64 (close, 1, target);
  for (int c = 2; c <= 6; c++)
    nb_sync_bind_copy (close, c, sel, RUN_INSERTED + c - 2);
  if (!nb_store_step_done (sync->to, close, "Closing a copied run in", error))
    return 0;
  nb_sync_covers_append (covers, "runs", &self);
  nb_sync_covers_append (covers, "run_transitions", &transitions);
  nb_sync_covers_append (covers, "run_points", &points);
  nb_sync_covers_append (covers, "run_strokes", &strokes);
  nb_sync_covers_append (covers, "run_tables", &tables);
  g_autofree char *subject = g_strdup_printf ("run %" G_GINT64_FORMAT, target);
  return nb_sync_audit (sync, subject, "runs", source_id, covers->str, error) ? target : 0;
}

static gint64
copy_run (NbSync *sync, gint64 source_id, gboolean *inserted, GError **error)
{
  return nb_sync_copy_selected (sync,
                                "SELECT pen_serial, pen_model, pen_firmware, pen_uri,"
                                " fixture_serial, fixture_model, fixture_uri, standard_id,"
                                " profile_id, profile_version, profile_json, rule, traceable,"
                                " adjust, operator, environment_json, started_at,"
                                " status, ended_at, verdict, error, result_json"
                                " FROM runs WHERE id = ?1 AND status <> 'running'",
                                source_id, "Reading a closed run from", copy_run_row, inserted,
                                error);
}

gboolean
nb_sync_runs (NbSync *sync, GError **error)
{
  return nb_sync_table (sync, "runs", "SELECT id FROM runs WHERE status <> 'running' ORDER BY id",
                        copy_run, error);
}

/* A void travels once the record it voids is in the target; until then it waits. */
static gint64
copy_void_row (NbSync *sync, NbStmt *sel, gint64 source_id, GError **error)
{
  const char *kind = (const char *) nb_stmt_column_text (sel, 0);
  gint64 record = nb_sync_map_lookup (sync, g_strcmp0 (kind, "run") == 0 ? "runs" : "sessions",
                                      nb_stmt_column_int64 (sel, 1), error);
  if (record <= 0)
    {
      if (record == 0)
        g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND,
                     "The record of void %" G_GINT64_FORMAT " is not in %s", source_id,
                     sync->to->path);
      return 0;
    }
  NbStmt *ins = nb_store_stmt (sync->to,
                               "INSERT INTO voids (kind, record_id, reason, at, by)"
                               " VALUES (?1, ?2, ?3, ?4, ?5)",
                               error);
  if (ins == NULL)
    return 0;
  for (int c = 1; c <= 5; c++)
    if (c == 2)
      nb_stmt_bind_int64 (ins, c, record);
    else
      nb_sync_bind_copy (ins, c, sel, c - 1);
  if (!nb_store_step_done (sync->to, ins, "Copying a void into", error))
    return 0;
  gint64 target = nb_db_last_insert_id (sync->to->db);
  g_autofree char *covers = nb_audit_covers_range ("voids", target, target);
  g_autofree char *subject = g_strdup_printf ("void %" G_GINT64_FORMAT, target);
  return nb_sync_audit (sync, subject, "voids", source_id, covers, error) ? target : 0;
}

static gint64
copy_void (NbSync *sync, gint64 source_id, gboolean *inserted, GError **error)
{
  return nb_sync_copy_selected (sync,
                                "SELECT kind, record_id, reason, at, by FROM voids WHERE id = ?1",
                                source_id, "Reading a void from", copy_void_row, inserted, error);
}

gboolean
nb_sync_voids (NbSync *sync, GError **error)
{
  /* only the voids whose record is closed in the source: its copy precedes them */
  return nb_sync_table (sync, "voids",
                        "SELECT v.id FROM voids v WHERE (v.kind = 'session' AND EXISTS"
                        " (SELECT 1 FROM sessions s WHERE s.id = v.record_id"
                        " AND s.status <> 'recording')) OR (v.kind = 'run' AND EXISTS"
                        " (SELECT 1 FROM runs r WHERE r.id = v.record_id"
                        " AND r.status <> 'running')) ORDER BY v.id",
                        copy_void, error);
}
