/* nb-store-sync-origin.c: see nb-store-sync-origin.h. */
#include "nb-store-sync-origin.h"

#include "nb-store-private.h"

gint64
nb_store_sync_source_id (NbStore *store, const char *table, gint64 target_id, GError **error)
{
  /* sync_map is UNIQUE (tbl, target_id): a row of the target was copied at most once */
  NbStmt *stmt = nb_store_stmt (
      store, "SELECT source_id FROM sync_map WHERE tbl = ?1 AND target_id = ?2", error);
  if (stmt == NULL)
    return -1;
  nb_store_bind_text (stmt, 1, table);
  nb_stmt_bind_int64 (stmt, 2, target_id);
  int rc = nb_stmt_step (stmt);
  gint64 id = rc == NB_DB_ROW ? nb_stmt_column_int64 (stmt, 0) : 0;
  nb_stmt_reset (stmt);
  if (rc != NB_DB_ROW && rc != NB_DB_DONE)
    {
      nb_store_set_error (store, error, rc, "Reading the copied rows of");
      return -1;
    }
  return id;
}
