/* nb-store-voids.c: voids of sessions and runs (see nb-store-voids.h). The checks here give the
 * user a message that names the problem; the schema's UNIQUE and triggers (schema 8) refuse the
 * same rows whoever writes them. */
#include "nb-store-voids.h"

#include "nb-audit.h"
#include "nb-store-certificates.h"
#include "nb-store-private.h"
#include "nb-store-standards.h"

const char *
nb_store_void_kind_to_string (NbStoreVoidKind kind)
{
  return kind == NB_STORE_VOID_RUN ? "run" : "session";
}

void
nb_store_void_free (NbStoreVoid *v)
{
  if (v == NULL)
    return;
  g_free (v->reason);
  g_free (v->by);
  g_free (v);
}

NbStoreVoid *
nb_store_get_void (NbStore *store, NbStoreVoidKind kind, gint64 id, GError **error)
{
  NbStmt *stmt = nb_store_stmt (
      store, "SELECT id, reason, by, at FROM voids WHERE kind = ? AND record_id = ?", error);
  if (stmt == NULL)
    return NULL;
  nb_store_bind_text (stmt, 1, nb_store_void_kind_to_string (kind));
  nb_stmt_bind_int64 (stmt, 2, id);
  int rc = nb_stmt_step (stmt);
  NbStoreVoid *v = NULL;
  if (rc == NB_DB_ROW)
    {
      v = g_new0 (NbStoreVoid, 1);
      v->id = nb_stmt_column_int64 (stmt, 0);
      v->kind = kind;
      v->record_id = id;
      v->reason = g_strdup ((const char *) nb_stmt_column_text (stmt, 1));
      v->by = g_strdup ((const char *) nb_stmt_column_text (stmt, 2));
      v->at = nb_stmt_column_int64 (stmt, 3);
    }
  else if (rc != NB_DB_DONE)
    nb_store_set_error (store, error, rc, "Reading a void from");
  nb_stmt_reset (stmt);
  return v;
}

/* Inside the transaction: FALSE with @error unless the record exists, is closed and is not
 * voided yet. */
static gboolean
check_record (NbStore *store, NbStoreVoidKind kind, gint64 id, GError **error)
{
  const char *what = nb_store_void_kind_to_string (kind);
  NbStmt *stmt
      = nb_store_stmt (store,
                       kind == NB_STORE_VOID_RUN ? "SELECT status FROM runs WHERE id = ?"
                                                 : "SELECT status FROM sessions WHERE id = ?",
                       error);
  if (stmt == NULL)
    return FALSE;
  nb_stmt_bind_int64 (stmt, 1, id);
  int rc = nb_stmt_step (stmt);
  g_autofree char *status
      = rc == NB_DB_ROW ? g_strdup ((const char *) nb_stmt_column_text (stmt, 0)) : NULL;
  nb_stmt_reset (stmt);
  if (rc == NB_DB_DONE)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND,
                   "No %s %" G_GINT64_FORMAT " in %s", what, id, store->path);
      return FALSE;
    }
  if (rc != NB_DB_ROW)
    {
      nb_store_set_error (store, error, rc, "Reading the record to void from");
      return FALSE;
    }
  /* a record left open by a process that died reads the same: it was never closed */
  if (g_strcmp0 (status, kind == NB_STORE_VOID_RUN ? "running" : "recording") == 0)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "%s %" G_GINT64_FORMAT " is still %s (or was interrupted): only a closed %s "
                   "can be voided",
                   what, id, status, what);
      return FALSE;
    }
  g_autoptr (GError) local = NULL;
  g_autoptr (NbStoreVoid) v = nb_store_get_void (store, kind, id, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (v != NULL)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "%s %" G_GINT64_FORMAT " is already voided (by %s: %s)", what, id, v->by,
                   v->reason);
      return FALSE;
    }
  return TRUE;
}

static gint64
void_record (NbStore *store, NbStoreVoidKind kind, gint64 id, const char *reason, const char *actor,
             GError **error)
{
  if (!nb_store_standard_check_text ("reason", reason, TRUE, NB_STORE_VOID_REASON_MAX, error)
      || !nb_store_standard_check_text ("voided by", actor, FALSE, NB_USER_NAME_MAX, error))
    return 0;
  if (actor == NULL)
    actor = g_get_user_name ();
  const char *what = nb_store_void_kind_to_string (kind);
  g_autofree char *subject = g_strdup_printf ("%s:%" G_GINT64_FORMAT, what, id);
  g_autofree char *action = g_strdup_printf ("%s.void", what);
  g_autofree char *detail = NULL;
  gint64 void_id = 0;

  /* IMMEDIATE: the record's state is read and the void written under one write lock */
  if (!nb_store_begin (store, error))
    return 0;
  if (!check_record (store, kind, id, error))
    goto fail;
  NbStmt *stmt = nb_store_stmt (
      store, "INSERT INTO voids (kind, record_id, reason, at, by) VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  nb_store_bind_text (stmt, 1, what);
  nb_stmt_bind_int64 (stmt, 2, id);
  nb_store_bind_text (stmt, 3, reason);
  nb_stmt_bind_int64 (stmt, 4, g_get_real_time ());
  nb_store_bind_text (stmt, 5, actor);
  if (!nb_store_step_done (store, stmt, "Voiding a record in", error))
    goto fail;
  void_id = nb_db_last_insert_id (store->db);
  detail = g_strdup_printf ("void=%" G_GINT64_FORMAT " reason=%s", void_id, reason);
  if (!nb_audit_append_row (store, actor, action, subject, detail, "voids", void_id, error)
      || !nb_store_commit (store, error))
    goto fail;
  return void_id;

fail:
  nb_store_rollback (store);
  return 0;
}

gint64
nb_store_void_session (NbStore *store, gint64 id, const char *reason, const char *actor,
                       GError **error)
{
  return void_record (store, NB_STORE_VOID_SESSION, id, reason, actor, error);
}

gint64
nb_store_void_run (NbStore *store, gint64 id, const char *reason, const char *actor, GError **error)
{
  return void_record (store, NB_STORE_VOID_RUN, id, reason, actor, error);
}
