/* nb-store-identity.c: the database's own identity (schema 10, nb_store_get_identity ()). */
#include "nb-store-private.h"

char *
nb_store_get_identity (NbStore *store, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store, "SELECT uuid FROM store_identity WHERE id = 1", error);
  if (stmt == NULL)
    return NULL;
  int rc = nb_stmt_step (stmt);
  char *uuid = rc == NB_DB_ROW ? g_strdup ((const char *) nb_stmt_column_text (stmt, 0)) : NULL;
  nb_stmt_reset (stmt);
  if (uuid == NULL && rc == NB_DB_DONE)
    g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT,
                 "Database %s has no identity (schema 10 creates it)", store->path);
  else if (uuid == NULL)
    nb_store_set_error (store, error, rc, "Reading the identity of");
  return uuid;
}
