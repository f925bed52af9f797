/* nb-store-sync-rows.c: copying rows from one database to another, value by value, and the
 * audit entry of the target that covers what a record's copy inserted. */
#include "nb-audit-rows.h"
#include "nb-audit.h"
#include "nb-store-sync-private.h"

static gint64 fail_after = -1;

void
nb_store_sync_test_fail_after (gint64 n)
{
  fail_after = n;
}

gboolean
nb_sync_fail_point (GError **error)
{
  if (fail_after < 0)
    return FALSE;
  if (fail_after-- > 0)
    return FALSE;
  g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_OFFLINE,
               "the connection to the database server is lost (injected by a test)");
  return TRUE;
}

void
nb_sync_bind_copy (NbStmt *dst, int dcol, NbStmt *src, int scol)
{
  static const guint8 empty[1] = { 0 };
  switch (nb_stmt_column_type (src, scol))
    {
    case NB_DB_INTEGER: nb_stmt_bind_int64 (dst, dcol, nb_stmt_column_int64 (src, scol)); break;
    case NB_DB_FLOAT: nb_stmt_bind_double (dst, dcol, nb_stmt_column_double (src, scol)); break;
    case NB_DB_TEXT:
      nb_stmt_bind_text (dst, dcol, (const char *) nb_stmt_column_text (src, scol),
                         nb_stmt_column_bytes (src, scol));
      break;
    case NB_DB_BLOB:
      {
        /* an empty blob has no pointer, and a NULL pointer would bind SQL NULL */
        int n = nb_stmt_column_bytes (src, scol);
        const void *data = n > 0 ? nb_stmt_column_blob (src, scol) : empty;
        nb_stmt_bind_blob (dst, dcol, data, n);
        break;
      }
    default: nb_stmt_bind_null (dst, dcol); break;
    }
}

void
nb_sync_range_add (NbSyncRange *range, gint64 key)
{
  if (range->first == 0 || key < range->first)
    range->first = key;
  if (key > range->last)
    range->last = key;
}

void
nb_sync_covers_append (GString *covers, const char *table, const NbSyncRange *range)
{
  if (range->first == 0)
    return;
  g_autofree char *r = nb_audit_covers_range (table, range->first, range->last);
  if (covers->len > 0)
    g_string_append_c (covers, ' ');
  g_string_append (covers, r);
}

gboolean
nb_sync_copy_children (NbSync *sync, const NbSyncChild *child, gint64 source_parent,
                       gint64 target_parent, NbSyncRange *range, GHashTable *ids, GError **error)
{
  NbStmt *sel = nb_store_stmt (sync->from, child->select_sql, error);
  if (sel == NULL)
    return FALSE;
  nb_stmt_bind_int64 (sel, 1, source_parent);
  int rc;
  while ((rc = nb_stmt_step (sel)) == NB_DB_ROW)
    {
      NbStmt *ins = nb_store_stmt (sync->to, child->insert_sql, error);
      if (ins == NULL)
        {
          nb_stmt_reset (sel);
          return FALSE;
        }
      for (int c = 1; c <= child->n_columns; c++)
        if (c == child->parent_col)
          nb_stmt_bind_int64 (ins, c, target_parent);
        else
          nb_sync_bind_copy (ins, c, sel, c);
      g_autofree char *what = g_strdup_printf ("Copying %s into", child->table);
      if (!nb_store_step_done (sync->to, ins, what, error))
        {
          nb_stmt_reset (sel);
          return FALSE;
        }
      gint64 rowid = nb_db_last_insert_id (sync->to->db);
      nb_sync_range_add (range, child->key_is_parent ? target_parent : rowid);
      if (ids != NULL)
        g_hash_table_insert (ids, g_memdup2 (&(gint64){ nb_stmt_column_int64 (sel, 0) }, 8),
                             g_memdup2 (&rowid, 8));
    }
  nb_stmt_reset (sel);
  if (rc != NB_DB_DONE)
    {
      nb_store_set_error (sync->from, error, rc, "Reading the rows to copy from");
      return FALSE;
    }
  return TRUE;
}

gboolean
nb_sync_audit (NbSync *sync, const char *subject, const char *table, gint64 source_id,
               const char *covers, GError **error)
{
  g_autofree char *detail
      = g_strdup_printf ("copied from %s (%s %" G_GINT64_FORMAT "), source audit head %s",
                         sync->origin, table, source_id, sync->source_head);
  return nb_audit_append_rows (sync->to, NULL, "sync.import", subject, detail, covers,
                               NB_AUDIT_CHECKPOINT, error);
}
