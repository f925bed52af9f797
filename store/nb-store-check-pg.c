/* nb-store-check-pg.c: the schema check on PostgreSQL (nb-store-pg.h). */
#include "nb-store-pg.h"

GPtrArray *
nb_store_pg_schema_findings (NbStore *store, int version, GError **error)
{
  g_autoptr (GPtrArray) findings = g_ptr_array_new_with_free_func (g_free);
  NbStmt *stmt = nb_store_stmt (store,
                                "SELECT t.tgname, t.tgenabled FROM pg_trigger t"
                                " JOIN pg_class c ON c.oid = t.tgrelid"
                                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                                " WHERE n.nspname = current_schema()"
                                " AND NOT t.tgisinternal ORDER BY t.tgname",
                                error);
  (void) version;
  if (stmt == NULL)
    return NULL;
  int rc;
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    if (g_strcmp0 ((const char *) nb_stmt_column_text (stmt, 1), "O") != 0)
      g_ptr_array_add (findings, g_strdup_printf ("trigger %s is disabled",
                                                  (const char *) nb_stmt_column_text (stmt, 0)));
  nb_stmt_reset (stmt);
  if (rc != NB_DB_DONE)
    {
      nb_store_set_error (store, error, rc, "Reading the schema of");
      return NULL;
    }
  return g_steal_pointer (&findings);
}
