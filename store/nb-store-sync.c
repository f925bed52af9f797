/* nb-store-sync.c: nb_store_sync (), copying a bench's closed records into another database
 * (nb-store-sync.h), one record per target transaction, in dependency order: pens (with their
 * firmware history), reference standards, sessions, runs, voids.
 *
 * What is not copied, on purpose: laboratory settings, users, certificates and their records
 * and signatures. A certificate's number belongs to the database that allocated it (numbers are
 * gap-free per prefix and year in each database), so copying one could only renumber it, which
 * an issued certificate must never be, or take a number the target would allocate next; its
 * signatures name users of the source's user table. They stay in the bench's own database, the
 * archive that issued them, and the report counts them (kept). Users and the laboratory's
 * settings are administered in the shared database itself. */
#include "nb-store-sync-private.h"

#include "nb-audit.h"

gboolean
nb_sync_record (NbSync *sync, const char *table, gint64 source_id, NbSyncCopyFunc copy,
                GError **error)
{
  if (!nb_store_begin (sync->to, error))
    return FALSE;
  /* inside the writer lock: another process copying the same bench may have been quicker */
  gint64 target = nb_sync_map_lookup (sync, table, source_id, error);
  gboolean inserted = FALSE;
  if (target < 0)
    goto fail;
  if (target == 0)
    {
      target = copy (sync, source_id, &inserted, error);
      if (target == 0 || (inserted && !nb_sync_map_add (sync, table, source_id, target, error)))
        goto fail;
      if (nb_sync_fail_point (error))
        goto fail;
    }
  if (!nb_store_commit (sync->to, error))
    goto fail;
  if (sync->report != NULL)
    {
      if (inserted)
        sync->report->copied++;
      else
        sync->report->present++;
    }
  return nb_sync_sent_add (sync, table, source_id, target, error);
fail:
  nb_store_rollback (sync->to);
  return FALSE;
}

gint64
nb_sync_copy_selected (NbSync *sync, const char *select_sql, gint64 source_id, const char *what,
                       NbSyncRowFunc copy_row, gboolean *inserted, GError **error)
{
  *inserted = TRUE;
  NbStmt *sel = nb_store_stmt (sync->from, select_sql, error);
  if (sel == NULL)
    return 0;
  nb_stmt_bind_int64 (sel, 1, source_id);
  int rc = nb_stmt_step (sel);
  gint64 id = 0;
  if (rc == NB_DB_ROW)
    id = copy_row (sync, sel, source_id, error);
  else
    nb_store_set_error (sync->from, error, rc == NB_DB_DONE ? SQLITE_NOTFOUND : rc, what);
  nb_stmt_reset (sel);
  return id;
}

gboolean
nb_sync_table (NbSync *sync, const char *table, const char *ids_sql, NbSyncCopyFunc copy,
               GError **error)
{
  GArray *ids
      = sync->listed != NULL && !sync->listing ? g_hash_table_lookup (sync->listed, table) : NULL;
  g_autoptr (GArray) own = ids == NULL ? nb_sync_ids (sync->from, ids_sql, -1, error) : NULL;
  if (own == NULL && ids == NULL)
    return FALSE;
  if (sync->listing)
    {
      g_hash_table_insert (sync->listed, (gpointer) table, g_steal_pointer (&own));
      return TRUE;
    }
  if (ids == NULL)
    ids = own;
  g_autoptr (GHashTable) done = nb_sync_mapped (sync, table, error);
  if (done == NULL)
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      const gint64 *target = g_hash_table_lookup (done, &id);
      if (target != NULL)
        {
          if (sync->report != NULL)
            sync->report->present++;
          if (!nb_sync_sent_add (sync, table, id, *target, error))
            return FALSE;
          continue;
        }
      if (!nb_sync_record (sync, table, id, copy, error))
        return FALSE;
    }
  return TRUE;
}

/* "ID:HASH" of @store's last audit entry ("0:" and the genesis hash when it has none). */
static char *
audit_head (NbStore *store, GError **error)
{
  NbStmt *stmt
      = nb_store_stmt (store, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  int rc = nb_stmt_step (stmt);
  char *head = NULL;
  if (rc == NB_DB_ROW)
    head = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", nb_stmt_column_int64 (stmt, 0),
                            (const char *) nb_stmt_column_text (stmt, 1));
  else if (rc == NB_DB_DONE)
    head = g_strdup ("0:" NB_AUDIT_GENESIS);
  else
    nb_store_set_error (store, error, rc, "Reading the audit trail of");
  nb_stmt_reset (stmt);
  return head;
}

static gint64
count (NbStore *store, const char *sql, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store, sql, error);
  if (stmt == NULL)
    return -1;
  int rc = nb_stmt_step (stmt);
  gint64 n = rc == NB_DB_ROW ? nb_stmt_column_int64 (stmt, 0) : -1;
  nb_stmt_reset (stmt);
  if (n < 0)
    nb_store_set_error (store, error, rc, "Counting the records of");
  return n;
}

gboolean
nb_store_sync (NbStore *from, NbStore *to, NbStoreSyncReport *report, GError **error)
{
  g_return_val_if_fail (from != NULL && to != NULL, FALSE);
  NbStoreSyncReport local = { 0 };
  if (report == NULL)
    report = &local;
  nb_store_sync_report_clear (report);
  g_autofree char *head = NULL;
  report->origin = nb_store_get_identity (from, error);
  report->target = report->origin ? nb_store_get_identity (to, error) : NULL;
  if (report->target == NULL || (head = audit_head (from, error)) == NULL)
    {
      nb_store_sync_report_clear (&local);
      return FALSE;
    }
  if (g_str_equal (report->origin, report->target))
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "%s and %s are the same database (identity %s)", from->path, to->path,
                   report->origin);
      nb_store_sync_report_clear (&local);
      return FALSE;
    }
  if (to->read_only)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_READ_ONLY,
                   "Database %s is opened read-only: nothing can be copied into it", to->path);
      nb_store_sync_report_clear (&local);
      return FALSE;
    }
  g_autoptr (GHashTable) listed
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_array_unref);
  NbSync sync = { from, to, report->origin, report->target, head, report, listed, TRUE };
  gboolean ok = nb_sync_standards (&sync, error) && nb_sync_sessions (&sync, error)
                && nb_sync_runs (&sync, error) && nb_sync_voids (&sync, error);
  sync.listing = FALSE;
  ok = ok && nb_sync_pens (&sync, error) && nb_sync_standards (&sync, error)
       && nb_sync_sessions (&sync, error) && nb_sync_runs (&sync, error)
       && nb_sync_voids (&sync, error);
  /* what waits: open records, and (after a failure) the closed ones not copied yet */
  g_autoptr (GError) count_error = NULL;
  gint64 open = count (from,
                       "SELECT (SELECT count(*) FROM sessions WHERE status = 'recording')"
                       " + (SELECT count(*) FROM runs WHERE status = 'running')",
                       &count_error);
  report->waiting = MAX (open, 0);
  gint64 kept = count (from, "SELECT count(*) FROM certificates", &count_error);
  report->kept = MAX (kept, 0);
  if (!from->read_only)
    report->pending = MAX (nb_store_sync_count_waiting (from, report->target, &count_error), 0);
  else if (!ok)
    report->pending = -1; /* unknown: a read-only source keeps no record of what was sent */
  nb_store_sync_report_clear (&local);
  return ok;
}
