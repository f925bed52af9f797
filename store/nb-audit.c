/* nb-audit.c: appending to and verifying the hash-chained audit trail, and signing its
 * checkpoints with the laboratory key. */
#include "nb-audit.h"
#include "nb-audit-rows.h"
#include "nb-lab-key.h"
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
nb_audit_hash_full (const char *prev_hash, gint64 id, gint64 at, const char *actor,
                    const char *action, const char *subject, const char *detail, const char *covers)
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
  /* only when present: the rows written before schema 6 keep their hashes */
  if (covers != NULL)
    hash_field (sum, covers);
  return g_strdup (g_checksum_get_string (sum));
}

char *
nb_audit_hash (const char *prev_hash, gint64 id, gint64 at, const char *actor, const char *action,
               const char *subject, const char *detail)
{
  return nb_audit_hash_full (prev_hash, id, at, actor, action, subject, detail, NULL);
}

char *
nb_audit_checkpoint_message (gint64 audit_id, const char *hash)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "|%s", audit_id, hash);
}

/* --- the laboratory key --- */

void
nb_store_set_lab_key (NbStore *store, NbLabKey *key)
{
  if (store->lab_key_owned)
    nb_lab_key_free (store->lab_key);
  store->lab_key = key;
  store->lab_key_owned = FALSE;
  store->lab_key_known = TRUE;
}

/* The key that signs checkpoints: the one set, else the laboratory's at its default path if it
 * exists and can sign. Never created here: a database copied to another machine must not start
 * signing with a key of its own. Looked up once per connection. */
static NbLabKey *
lab_key (NbStore *store)
{
  if (store->lab_key_known)
    return store->lab_key;
  store->lab_key_known = TRUE;
  g_autofree char *path = nb_lab_key_default_path ();
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  g_autoptr (GError) local = NULL;
  NbLabKey *key = nb_lab_key_load_or_create (path, &local);
  if (key == NULL)
    {
      g_warning ("The laboratory key %s cannot be used (%s): the audit trail gets no signed "
                 "checkpoints",
                 path, local->message);
      return NULL;
    }
  store->lab_key = key;
  store->lab_key_owned = TRUE;
  return key;
}

static gboolean
write_checkpoint (NbStore *store, gint64 id, const char *hash, GError **error)
{
  NbLabKey *key = lab_key (store);
  if (key == NULL || !nb_lab_key_has_secret (key))
    return TRUE; /* reported by `audit verify` as entries without a signed checkpoint */
  g_autofree char *message = nb_audit_checkpoint_message (id, hash);
  g_autofree char *signature = nb_lab_key_sign (key, message, strlen (message));
  g_autofree char *key_id = nb_lab_key_id (key);
  NbStmt *ins = nb_store_stmt (store,
                               "INSERT INTO audit_checkpoints (audit_id, hash, key_id,"
                               " signature, at) VALUES (?, ?, ?, ?, ?)",
                               error);
  if (ins == NULL)
    return FALSE;
  nb_stmt_bind_int64 (ins, 1, id);
  nb_store_bind_text (ins, 2, hash);
  nb_store_bind_text (ins, 3, key_id);
  nb_store_bind_text (ins, 4, signature);
  nb_stmt_bind_int64 (ins, 5, g_get_real_time ());
  return nb_store_step_done (store, ins, "Signing the audit trail of", error);
}

/* --- appending --- */

/* append_v1: an entry as written before schema 7 (no coverage, no checkpoint): only for a
 * database opened at an older version by nb_store_test_open_at_version (). */
static gboolean
append_v1 (NbStore *store, const char *actor, const char *action, const char *subject,
           const char *detail, GError **error)
{
  NbStmt *last
      = nb_store_stmt (store, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", error);
  if (last == NULL)
    return FALSE;
  int rc = nb_stmt_step (last);
  gint64 id = rc == NB_DB_ROW ? nb_stmt_column_int64 (last, 0) + 1 : 1;
  g_autofree char *prev = g_strdup (rc == NB_DB_ROW ? (const char *) nb_stmt_column_text (last, 1)
                                                    : NB_AUDIT_GENESIS);
  nb_stmt_reset (last);
  if (rc != NB_DB_ROW && rc != NB_DB_DONE)
    {
      nb_store_set_error (store, error, rc, "Reading the audit trail of");
      return FALSE;
    }
  gint64 at = g_get_real_time ();
  g_autofree char *hash = nb_audit_hash (prev, id, at, actor, action, subject, detail);
  NbStmt *ins = nb_store_stmt (store,
                               "INSERT INTO audit (id, at, actor, action, subject, detail,"
                               " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               error);
  if (ins == NULL)
    return FALSE;
  nb_stmt_bind_int64 (ins, 1, id);
  nb_stmt_bind_int64 (ins, 2, at);
  nb_store_bind_text (ins, 3, actor);
  nb_store_bind_text (ins, 4, action);
  nb_store_bind_text (ins, 5, subject);
  nb_store_bind_text (ins, 6, detail);
  nb_store_bind_text (ins, 7, prev);
  nb_store_bind_text (ins, 8, hash);
  return nb_store_step_done (store, ins, "Writing the audit trail of", error);
}

static gboolean
append_locked (NbStore *store, const char *actor, const char *action, const char *subject,
               const char *detail, const char *covers, NbAuditFlags flags, GError **error)
{
  g_autofree char *sealed = NULL;
  if (store->schema_version < NB_STORE_SCHEMA_AUDIT)
    return append_v1 (store, actor, action, subject, detail, error);
  if (covers != NULL && *covers != '\0')
    {
      sealed = nb_audit_covers_seal (store, covers, error);
      if (sealed == NULL)
        return FALSE;
      if (*sealed == '\0')
        g_clear_pointer (&sealed, g_free);
    }

  NbStmt *last
      = nb_store_stmt (store, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", error);
  if (last == NULL)
    return FALSE;
  int rc = nb_stmt_step (last);
  gint64 id = 1;
  g_autofree char *prev = NULL;
  if (rc == NB_DB_ROW)
    {
      id = nb_stmt_column_int64 (last, 0) + 1;
      prev = g_strdup ((const char *) nb_stmt_column_text (last, 1));
    }
  else if (rc == NB_DB_DONE)
    prev = g_strdup (NB_AUDIT_GENESIS);
  else
    {
      nb_store_set_error (store, error, rc, "Reading the audit trail of");
      nb_stmt_reset (last);
      return FALSE;
    }
  nb_stmt_reset (last);

  gint64 at = g_get_real_time ();
  g_autofree char *hash = nb_audit_hash_full (prev, id, at, actor, action, subject, detail, sealed);
  NbStmt *ins = nb_store_stmt (store,
                               "INSERT INTO audit (id, at, actor, action, subject, detail,"
                               " prev_hash, hash, covers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               error);
  if (ins == NULL)
    return FALSE;
  nb_stmt_bind_int64 (ins, 1, id);
  nb_stmt_bind_int64 (ins, 2, at);
  nb_store_bind_text (ins, 3, actor);
  nb_store_bind_text (ins, 4, action);
  nb_store_bind_text (ins, 5, subject);
  nb_store_bind_text (ins, 6, detail);
  nb_store_bind_text (ins, 7, prev);
  nb_store_bind_text (ins, 8, hash);
  nb_store_bind_text (ins, 9, sealed);
  if (!nb_store_step_done (store, ins, "Writing the audit trail of", error))
    return FALSE;
  if ((flags & NB_AUDIT_CHECKPOINT) || id % NB_AUDIT_CHECKPOINT_EVERY == 0)
    return write_checkpoint (store, id, hash, error);
  return TRUE;
}

gboolean
nb_audit_append_rows (NbStore *store, const char *actor, const char *action, const char *subject,
                      const char *detail, const char *covers, NbAuditFlags flags, GError **error)
{
  g_return_val_if_fail (action != NULL, FALSE);
  if (actor == NULL)
    actor = g_get_user_name ();

  if (!nb_db_get_autocommit (store->db))
    return append_locked (store, actor, action, subject, detail, covers, flags, error);

  if (!nb_store_begin (store, error))
    return FALSE;
  if (!append_locked (store, actor, action, subject, detail, covers, flags, error)
      || !nb_store_commit (store, error))
    {
      nb_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

gboolean
nb_audit_append (NbStore *store, const char *actor, const char *action, const char *subject,
                 const char *detail, GError **error)
{
  return nb_audit_append_rows (store, actor, action, subject, detail, NULL, NB_AUDIT_CHECKPOINT,
                               error);
}

gboolean
nb_audit_append_row (NbStore *store, const char *actor, const char *action, const char *subject,
                     const char *detail, const char *table, gint64 id, GError **error)
{
  char covers[128];
  g_snprintf (covers, sizeof covers, "%s:%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, table, id, id);
  return nb_audit_append_rows (store, actor, action, subject, detail, covers, NB_AUDIT_CHECKPOINT,
                               error);
}

gboolean
nb_audit_baseline (NbStore *store, GError **error)
{
  gsize n;
  const NbAuditTable *tables = nb_audit_tables (&n);
  g_autoptr (GString) covers = g_string_new (NULL);
  for (gsize i = 0; i < n; i++)
    {
      NbStmt *exists = nb_store_stmt (
          store,
          nb_db_backend (store->db) == NB_DB_POSTGRES
              ? "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
                " AND tablename = ?"
              : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
          error);
      if (exists == NULL)
        return FALSE;
      nb_store_bind_text (exists, 1, tables[i].name);
      gboolean present = nb_stmt_step (exists) == NB_DB_ROW && nb_stmt_column_int (exists, 0) > 0;
      nb_stmt_reset (exists);
      if (!present)
        continue;
      NbStmt *bounds = nb_store_stmt (store, tables[i].bounds_sql, error);
      if (bounds == NULL)
        return FALSE;
      int rc = nb_stmt_step (bounds);
      if (rc == NB_DB_ROW && nb_stmt_column_type (bounds, 0) != NB_DB_NULL)
        g_string_append_printf (covers, "%s%s:%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT,
                                covers->len ? " " : "", tables[i].name,
                                (gint64) nb_stmt_column_int64 (bounds, 0),
                                (gint64) nb_stmt_column_int64 (bounds, 1));
      nb_stmt_reset (bounds);
      if (rc != NB_DB_ROW)
        {
          nb_store_set_error (store, error, rc, "Reading the records of");
          return FALSE;
        }
    }
  if (covers->len == 0)
    return TRUE;
  return nb_audit_append_rows (store, NULL, "audit.baseline", NULL,
                               "rows written before audit coverage (schema 7), as found at the "
                               "upgrade",
                               covers->str, NB_AUDIT_CHECKPOINT, error);
}

gboolean
nb_audit_verify (NbStore *store, gint64 *n_rows, gint64 *bad_id, GError **error)
{
  NbStmt *stmt
      = store->schema_version >= NB_STORE_SCHEMA_AUDIT
            ? nb_store_stmt (store,
                             "SELECT id, at, actor, action, subject, detail, prev_hash, hash,"
                             " covers FROM audit ORDER BY id",
                             error)
            : nb_store_stmt (store,
                             "SELECT id, at, actor, action, subject, detail, prev_hash, hash,"
                             " NULL FROM audit ORDER BY id",
                             error);
  if (stmt == NULL)
    return FALSE;

  g_autofree char *prev = g_strdup (NB_AUDIT_GENESIS);
  gint64 count = 0, expected_id = 1;
  int rc;
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    {
      gint64 id = nb_stmt_column_int64 (stmt, 0);
      const char *why = NULL;
      const char *stored_prev = (const char *) nb_stmt_column_text (stmt, 6);
      const char *stored_hash = (const char *) nb_stmt_column_text (stmt, 7);
      g_autofree char *hash = nb_audit_hash_full (prev, id, nb_stmt_column_int64 (stmt, 1),
                                                  (const char *) nb_stmt_column_text (stmt, 2),
                                                  (const char *) nb_stmt_column_text (stmt, 3),
                                                  (const char *) nb_stmt_column_text (stmt, 4),
                                                  (const char *) nb_stmt_column_text (stmt, 5),
                                                  (const char *) nb_stmt_column_text (stmt, 8));
      if (id != expected_id)
        why = "row ids are not consecutive (a row was removed or inserted)";
      else if (g_strcmp0 (stored_prev, prev) != 0)
        why = "prev_hash does not match the previous row (a row was removed or inserted)";
      else if (g_strcmp0 (stored_hash, hash) != 0)
        why = "hash does not match the row's contents (the row was altered)";
      if (why != NULL)
        {
          nb_stmt_reset (stmt);
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
  nb_stmt_reset (stmt);
  if (rc != NB_DB_DONE)
    {
      nb_store_set_error (store, error, rc, "Reading the audit trail of");
      return FALSE;
    }
  if (n_rows != NULL)
    *n_rows = count;
  return TRUE;
}
