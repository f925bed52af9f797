/* nb-store-sync-map.c: which rows of which database are where: sync_map in the target of a copy,
 * sync_sent in its source (schema 10), and the counts read from them. */
#include "nb-store-sync-private.h"

/* The record tables whose rows are mapped one by one and counted as waiting: the children of a
 * session or run travel with it and are found through it. */
static const char *const record_tables[] = {
  "pens", "pen_firmware", "standards", "sessions", "runs", "voids",
};

gint64
nb_sync_map_lookup (NbSync *sync, const char *table, gint64 source_id, GError **error)
{
  NbStmt *stmt = nb_store_stmt (sync->to,
                                "SELECT target_id FROM sync_map WHERE origin = ?1 AND tbl = ?2"
                                " AND source_id = ?3",
                                error);
  if (stmt == NULL)
    return -1;
  nb_store_bind_text (stmt, 1, sync->origin);
  nb_store_bind_text (stmt, 2, table);
  nb_stmt_bind_int64 (stmt, 3, source_id);
  int rc = nb_stmt_step (stmt);
  gint64 id = rc == NB_DB_ROW ? nb_stmt_column_int64 (stmt, 0) : 0;
  nb_stmt_reset (stmt);
  if (rc != NB_DB_ROW && rc != NB_DB_DONE)
    {
      nb_store_set_error (sync->to, error, rc, "Reading the copied rows of");
      return -1;
    }
  return id;
}

gboolean
nb_sync_map_add (NbSync *sync, const char *table, gint64 source_id, gint64 target_id,
                 GError **error)
{
  NbStmt *stmt = nb_store_stmt (sync->to,
                                "INSERT INTO sync_map (origin, tbl, source_id, target_id, at)"
                                " VALUES (?1, ?2, ?3, ?4, ?5)",
                                error);
  if (stmt == NULL)
    return FALSE;
  nb_store_bind_text (stmt, 1, sync->origin);
  nb_store_bind_text (stmt, 2, table);
  nb_stmt_bind_int64 (stmt, 3, source_id);
  nb_stmt_bind_int64 (stmt, 4, target_id);
  nb_stmt_bind_int64 (stmt, 5, g_get_real_time ());
  return nb_store_step_done (sync->to, stmt, "Recording a copied row in", error);
}

GHashTable *
nb_sync_mapped (NbSync *sync, const char *table, GError **error)
{
  NbStmt *stmt = nb_store_stmt (
      sync->to, "SELECT source_id, target_id FROM sync_map WHERE origin = ?1 AND tbl = ?2", error);
  if (stmt == NULL)
    return NULL;
  nb_store_bind_text (stmt, 1, sync->origin);
  nb_store_bind_text (stmt, 2, table);
  g_autoptr (GHashTable) map = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  int rc;
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    g_hash_table_insert (map, g_memdup2 (&(gint64){ nb_stmt_column_int64 (stmt, 0) }, 8),
                         g_memdup2 (&(gint64){ nb_stmt_column_int64 (stmt, 1) }, 8));
  nb_stmt_reset (stmt);
  if (rc != NB_DB_DONE)
    {
      nb_store_set_error (sync->to, error, rc, "Reading the copied rows of");
      return NULL;
    }
  return g_steal_pointer (&map);
}

gboolean
nb_sync_sent_add (NbSync *sync, const char *table, gint64 source_id, gint64 target_id,
                  GError **error)
{
  /* a read-only source (db migrate from an archived file) keeps no record of what was sent:
   * the target's sync_map alone makes the copy idempotent */
  if (sync->from->read_only)
    return TRUE;
  if (!nb_store_begin (sync->from, error))
    return FALSE;
  NbStmt *have = nb_store_stmt (sync->from,
                                "SELECT 1 FROM sync_sent WHERE target = ?1 AND tbl = ?2"
                                " AND source_id = ?3",
                                error);
  if (have == NULL)
    goto fail;
  nb_store_bind_text (have, 1, sync->target);
  nb_store_bind_text (have, 2, table);
  nb_stmt_bind_int64 (have, 3, source_id);
  int rc = nb_stmt_step (have);
  nb_stmt_reset (have);
  if (rc != NB_DB_ROW && rc != NB_DB_DONE)
    {
      nb_store_set_error (sync->from, error, rc, "Reading the sent rows of");
      goto fail;
    }
  if (rc == NB_DB_DONE)
    {
      NbStmt *ins = nb_store_stmt (sync->from,
                                   "INSERT INTO sync_sent (target, tbl, source_id, target_id, at)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5)",
                                   error);
      if (ins == NULL)
        goto fail;
      nb_store_bind_text (ins, 1, sync->target);
      nb_store_bind_text (ins, 2, table);
      nb_stmt_bind_int64 (ins, 3, source_id);
      nb_stmt_bind_int64 (ins, 4, target_id);
      nb_stmt_bind_int64 (ins, 5, g_get_real_time ());
      if (!nb_store_step_done (sync->from, ins, "Recording a sent row in", error))
        goto fail;
    }
  if (nb_store_commit (sync->from, error))
    return TRUE;
fail:
  nb_store_rollback (sync->from);
  return FALSE;
}

GArray *
nb_sync_ids (NbStore *store, const char *sql, gint64 param, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store, sql, error);
  if (stmt == NULL)
    return NULL;
  if (param >= 0)
    nb_stmt_bind_int64 (stmt, 1, param);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    {
      gint64 id = nb_stmt_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  nb_stmt_reset (stmt);
  if (rc != NB_DB_DONE)
    {
      nb_store_set_error (store, error, rc, "Reading the records of");
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/* The closed rows of one record table; the statements are literals (nb_store_stmt () caches by
 * address). ?1 is the target's identity, NULL for "sent anywhere". */
static const char *
waiting_sql (const char *table)
{
#define WAITING(t, closed)                                                                         \
  "SELECT count(*) FROM " t " WHERE " closed " NOT EXISTS (SELECT 1 FROM sync_sent s"              \
  " WHERE s.tbl = '" t "' AND s.source_id = " t ".rowid AND (s.target = ?1 OR ?1 IS NULL))"
  if (g_str_equal (table, "sessions"))
    return WAITING ("sessions", "status <> 'recording' AND");
  if (g_str_equal (table, "runs"))
    return WAITING ("runs", "status <> 'running' AND");
  if (g_str_equal (table, "pens"))
    return WAITING ("pens", "");
  if (g_str_equal (table, "pen_firmware"))
    return WAITING ("pen_firmware", "");
  if (g_str_equal (table, "standards"))
    return WAITING ("standards", "");
  return WAITING ("voids", "");
#undef WAITING
}

gint64
nb_store_sync_count_waiting (NbStore *from, const char *target, GError **error)
{
  gint64 total = 0;
  for (gsize i = 0; i < G_N_ELEMENTS (record_tables); i++)
    {
      NbStmt *stmt = nb_store_stmt (from, waiting_sql (record_tables[i]), error);
      if (stmt == NULL)
        return -1;
      nb_store_bind_text (stmt, 1, target);
      int rc = nb_stmt_step (stmt);
      if (rc == NB_DB_ROW)
        total += nb_stmt_column_int64 (stmt, 0);
      nb_stmt_reset (stmt);
      if (rc != NB_DB_ROW)
        {
          nb_store_set_error (from, error, rc, "Counting the records waiting in");
          return -1;
        }
    }
  return total;
}

gint64
nb_store_sync_target_id (NbStore *to, const char *origin, const char *table, gint64 source_id,
                         GError **error)
{
  NbSync sync = { .to = to, .origin = (char *) origin };
  return nb_sync_map_lookup (&sync, table, source_id, error);
}

void
nb_store_sync_report_clear (NbStoreSyncReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->origin, g_free);
  g_clear_pointer (&report->target, g_free);
  report->copied = report->present = report->pending = report->waiting = 0;
  report->kept = 0;
}

gint64
nb_store_sync_source_id (NbStore *store, const char *table, gint64 target_id, GError **error)
{
  NbStmt *stmt = nb_store_stmt (
      store, "SELECT source_id FROM sync_map WHERE tbl = ?1 AND target_id = ?2", error);
  if (stmt == NULL)
    return -1;
  nb_store_bind_text (stmt, 1, table);
  nb_stmt_bind_int64 (stmt, 2, target_id);
  int rc = nb_stmt_step (stmt);
  gint64 source = rc == NB_DB_ROW ? nb_stmt_column_int64 (stmt, 0) : 0;
  nb_stmt_reset (stmt);
  if (rc != NB_DB_ROW && rc != NB_DB_DONE)
    {
      nb_store_set_error (store, error, rc, "Reading the copy map of");
      return -1;
    }
  return source;
}
