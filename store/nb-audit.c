/* nb-audit.c: appending to and verifying the hash-chained audit trail. */
#include "nb-audit.h"
#include "nb-store-private.h"

/* Each field goes in as "<length>:<bytes>;" (NULL as "-;") so that no two different rows can
 * produce the same byte stream. */
static void
hash_field (GChecksum *sum, const char *s)
{
  if (s == NULL)
    {
      g_checksum_update (sum, (const guchar *) "-;", 2);
      return;
    }
  size_t len = strlen (s);
  char prefix[32];
  int n = g_snprintf (prefix, sizeof prefix, "%zu:", len);
  g_checksum_update (sum, (const guchar *) prefix, n);
  g_checksum_update (sum, (const guchar *) s, len);
  g_checksum_update (sum, (const guchar *) ";", 1);
}

char *
nb_audit_hash (const char *prev_hash, gint64 id, gint64 at, const char *actor, const char *action,
               const char *subject, const char *detail)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  char num[32];

  hash_field (sum, prev_hash);
  g_snprintf (num, sizeof num, "%" G_GINT64_FORMAT, id);
  hash_field (sum, num);
  g_snprintf (num, sizeof num, "%" G_GINT64_FORMAT, at);
  hash_field (sum, num);
  hash_field (sum, actor);
  hash_field (sum, action);
  hash_field (sum, subject);
  hash_field (sum, detail);
  return g_strdup (g_checksum_get_string (sum));
}

static gboolean
append_locked (NbStore *store, const char *actor, const char *action, const char *subject,
               const char *detail, GError **error)
{
  sqlite3_stmt *last
      = nb_store_stmt (store, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", error);
  if (last == NULL)
    return FALSE;
  int rc = sqlite3_step (last);
  gint64 id = 1;
  g_autofree char *prev = NULL;
  if (rc == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (last, 0) + 1;
      prev = g_strdup ((const char *) sqlite3_column_text (last, 1));
    }
  else if (rc == SQLITE_DONE)
    prev = g_strdup (NB_AUDIT_GENESIS);
  else
    {
      nb_store_set_error (store, error, rc, "Reading the audit trail of");
      sqlite3_reset (last);
      return FALSE;
    }
  sqlite3_reset (last);

  gint64 at = g_get_real_time ();
  g_autofree char *hash = nb_audit_hash (prev, id, at, actor, action, subject, detail);
  sqlite3_stmt *ins = nb_store_stmt (store,
                                     "INSERT INTO audit (id, at, actor, action, subject, detail,"
                                     " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                     error);
  if (ins == NULL)
    return FALSE;
  sqlite3_bind_int64 (ins, 1, id);
  sqlite3_bind_int64 (ins, 2, at);
  nb_store_bind_text (ins, 3, actor);
  nb_store_bind_text (ins, 4, action);
  nb_store_bind_text (ins, 5, subject);
  nb_store_bind_text (ins, 6, detail);
  nb_store_bind_text (ins, 7, prev);
  nb_store_bind_text (ins, 8, hash);
  return nb_store_step_done (store, ins, "Writing the audit trail of", error);
}

gboolean
nb_audit_append (NbStore *store, const char *actor, const char *action, const char *subject,
                 const char *detail, GError **error)
{
  g_return_val_if_fail (action != NULL, FALSE);
  if (actor == NULL)
    actor = g_get_user_name ();

  if (!sqlite3_get_autocommit (store->db))
    return append_locked (store, actor, action, subject, detail, error);

  if (!nb_store_begin (store, error))
    return FALSE;
  if (!append_locked (store, actor, action, subject, detail, error)
      || !nb_store_commit (store, error))
    {
      nb_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

gboolean
nb_audit_verify (NbStore *store, gint64 *n_rows, gint64 *bad_id, GError **error)
{
  sqlite3_stmt *stmt = nb_store_stmt (store,
                                      "SELECT id, at, actor, action, subject, detail, prev_hash,"
                                      " hash FROM audit ORDER BY id",
                                      error);
  if (stmt == NULL)
    return FALSE;

  g_autofree char *prev = g_strdup (NB_AUDIT_GENESIS);
  gint64 count = 0, expected_id = 1;
  int rc;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *why = NULL;
      const char *stored_prev = (const char *) sqlite3_column_text (stmt, 6);
      const char *stored_hash = (const char *) sqlite3_column_text (stmt, 7);
      g_autofree char *hash = nb_audit_hash (prev, id, sqlite3_column_int64 (stmt, 1),
                                             (const char *) sqlite3_column_text (stmt, 2),
                                             (const char *) sqlite3_column_text (stmt, 3),
                                             (const char *) sqlite3_column_text (stmt, 4),
                                             (const char *) sqlite3_column_text (stmt, 5));
      if (id != expected_id)
        why = "row ids are not consecutive (a row was removed or inserted)";
      else if (g_strcmp0 (stored_prev, prev) != 0)
        why = "prev_hash does not match the previous row (a row was removed or inserted)";
      else if (g_strcmp0 (stored_hash, hash) != 0)
        why = "hash does not match the row's contents (the row was altered)";
      if (why != NULL)
        {
          sqlite3_reset (stmt);
          if (bad_id != NULL)
            *bad_id = id;
          if (n_rows != NULL)
            *n_rows = count;
          g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT,
                       "Audit trail of %s is broken at row %" G_GINT64_FORMAT ": %s", store->path,
                       id, why);
          return FALSE;
        }
      g_free (prev);
      prev = g_strdup (stored_hash);
      count++;
      expected_id++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      nb_store_set_error (store, error, rc, "Reading the audit trail of");
      return FALSE;
    }
  if (n_rows != NULL)
    *n_rows = count;
  return TRUE;
}
