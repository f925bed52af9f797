/* nb-store-users.c: laboratory settings and users (see nb-store-certificates.h). */
#include "nb-store-certificates.h"

#include <sodium.h>
#include <string.h>

#include "nb-audit-rows.h"
#include "nb-audit.h"
#include "nb-store-private.h"
#include "nb-store-standards.h"

static char *
column_text (NbStmt *stmt, int col)
{
  return g_strdup ((const char *) nb_stmt_column_text (stmt, col));
}

/* libsodium must be initialised once before use; it is thread-safe to call again. */
static gboolean
sodium_ready (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_FAILED, "libsodium cannot start");
      return FALSE;
    }
  return TRUE;
}

/* --- laboratory settings --- */

gboolean
nb_store_lab_check_prefix (const char *what, const char *prefix, GError **error)
{
  gsize n = prefix ? strlen (prefix) : 0;
  gboolean ok = n >= 1 && n <= NB_LAB_PREFIX_MAX;
  for (gsize i = 0; ok && i < n; i++)
    ok = g_ascii_isdigit (prefix[i]) || (prefix[i] >= 'A' && prefix[i] <= 'Z');
  if (!ok)
    g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                 "%s: a certificate number prefix is 1 to %d characters of A-Z and 0-9", what,
                 NB_LAB_PREFIX_MAX);
  return ok;
}

#define LAB_COLUMNS "SELECT id, name, address, location, prefix, set_at, set_by FROM lab_settings"

static NbStoreLab *
lab_from_row (NbStmt *stmt)
{
  NbStoreLab *lab = g_new0 (NbStoreLab, 1);
  lab->id = nb_stmt_column_int64 (stmt, 0);
  lab->name = column_text (stmt, 1);
  lab->address = column_text (stmt, 2);
  lab->location = column_text (stmt, 3);
  lab->prefix = column_text (stmt, 4);
  lab->set_at = nb_stmt_column_int64 (stmt, 5);
  lab->set_by = column_text (stmt, 6);
  return lab;
}

void
nb_store_lab_free (NbStoreLab *lab)
{
  if (lab == NULL)
    return;
  g_free (lab->name);
  g_free (lab->address);
  g_free (lab->location);
  g_free (lab->prefix);
  g_free (lab->set_by);
  g_free (lab);
}

NbStoreLab *
nb_store_get_lab (NbStore *store, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store, LAB_COLUMNS " ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  int rc = nb_stmt_step (stmt);
  NbStoreLab *lab = rc == NB_DB_ROW ? lab_from_row (stmt) : NULL;
  nb_stmt_reset (stmt);
  if (rc == NB_DB_DONE)
    g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND,
                 "No laboratory is set in %s: set it with `needlebench-cli lab set --name NAME "
                 "--address ADDRESS`",
                 store->path);
  else if (rc != NB_DB_ROW)
    nb_store_set_error (store, error, rc, "Reading the laboratory settings from");
  return lab;
}

GPtrArray *
nb_store_list_lab (NbStore *store, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store, LAB_COLUMNS " ORDER BY id DESC", error);
  if (stmt == NULL)
    return NULL;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_store_lab_free);
  int rc;
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    g_ptr_array_add (list, lab_from_row (stmt));
  nb_stmt_reset (stmt);
  if (rc != NB_DB_DONE)
    {
      nb_store_set_error (store, error, rc, "Reading the laboratory settings from");
      g_ptr_array_unref (list);
      return NULL;
    }
  return list;
}

gint64
nb_store_set_lab (NbStore *store, const NbStoreLabParams *p, GError **error)
{
  g_return_val_if_fail (p != NULL, 0);
  if (!nb_store_standard_check_text ("name", p->name, TRUE, NB_LAB_TEXT_MAX, error)
      || !nb_store_standard_check_text ("address", p->address, TRUE, NB_LAB_TEXT_MAX, error)
      || !nb_store_standard_check_text ("location", p->location, FALSE, NB_LAB_TEXT_MAX, error)
      || !nb_store_standard_check_text ("set by", p->set_by, FALSE, NB_USER_NAME_MAX, error)
      || (p->prefix != NULL && !nb_store_lab_check_prefix ("prefix", p->prefix, error)))
    return 0;
  const char *actor = p->set_by ? p->set_by : g_get_user_name ();
  g_autoptr (NbStoreLab) previous = NULL;
  g_autofree char *detail = NULL, *covers = NULL;
  const char *prefix = p->prefix;

  if (!nb_store_begin (store, error))
    return 0;
  if (prefix == NULL)
    {
      g_autoptr (GError) local = NULL;
      previous = nb_store_get_lab (store, &local);
      if (previous == NULL && !g_error_matches (local, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          goto fail;
        }
      prefix = previous ? previous->prefix : NB_LAB_DEFAULT_PREFIX;
    }
  NbStmt *stmt = nb_store_stmt (store,
                                "INSERT INTO lab_settings (name, address, location, prefix,"
                                " set_at, set_by) VALUES (?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    goto fail;
  nb_store_bind_text (stmt, 1, p->name);
  nb_store_bind_text (stmt, 2, p->address);
  nb_store_bind_text (stmt, 3, p->location);
  nb_store_bind_text (stmt, 4, prefix);
  nb_stmt_bind_int64 (stmt, 5, g_get_real_time ());
  nb_store_bind_text (stmt, 6, actor);
  if (!nb_store_step_done (store, stmt, "Recording the laboratory settings in", error))
    goto fail;
  gint64 id = nb_db_last_insert_id (store->db);
  detail = g_strdup_printf ("lab=%" G_GINT64_FORMAT " name=%s address=%s location=%s prefix=%s", id,
                            p->name, p->address, p->location ? p->location : "", prefix);
  covers = nb_audit_covers_range ("lab_settings", id, id);
  if (!nb_audit_append_rows (store, actor, "lab.set", "lab", detail, covers, NB_AUDIT_CHECKPOINT,
                             error)
      || !nb_store_commit (store, error))
    goto fail;
  return id;

fail:
  nb_store_rollback (store);
  return 0;
}

/* --- users --- */

const char *
nb_user_role_to_string (NbUserRole role)
{
  switch (role)
    {
    case NB_USER_OPERATOR: return "operator";
    case NB_USER_TECHNICIAN: return "technician";
    case NB_USER_APPROVER: return "approver";
    default: return "unknown";
    }
}

gboolean
nb_user_role_from_string (const char *name, NbUserRole *role)
{
  for (NbUserRole r = NB_USER_OPERATOR; r <= NB_USER_APPROVER; r++)
    if (g_strcmp0 (name, nb_user_role_to_string (r)) == 0)
      {
        if (role != NULL)
          *role = r;
        return TRUE;
      }
  return FALSE;
}

gboolean
nb_store_check_password (const char *password, GError **error)
{
  gsize n = password ? strlen (password) : 0;
  if (n < NB_PASSWORD_MIN || n > NB_PASSWORD_MAX)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "password: must be %d to %d bytes long", NB_PASSWORD_MIN, NB_PASSWORD_MAX);
      return FALSE;
    }
  if (!g_utf8_validate (password, -1, NULL))
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID, "password: not valid UTF-8");
      return FALSE;
    }
  for (const char *c = password; *c; c = g_utf8_next_char (c))
    if (g_unichar_iscntrl (g_utf8_get_char (c)))
      {
        g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                     "password: contains a control character");
        return FALSE;
      }
  return TRUE;
}

/* Argon2id (RFC 9106) with libsodium's interactive limits: about 64 MiB and a fraction of a
 * second per guess, a cost an attacker with the database pays on every try. */
static char *
hash_password (const char *password, GError **error)
{
  if (!sodium_ready (error))
    return NULL;
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg (out, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13)
      != 0)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_FAILED,
                   "hashing the password failed (out of memory)");
      return NULL;
    }
  return g_strdup (out);
}

gboolean
nb_store_user_verify_password (const NbStoreUser *user, const char *password, GError **error)
{
  if (!sodium_ready (error))
    return FALSE;
  if (password == NULL || user->password_hash == NULL
      || crypto_pwhash_str_verify (user->password_hash, password, strlen (password)) != 0)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_DENIED, "wrong password for user %s",
                   user->name);
      return FALSE;
    }
  return TRUE;
}

#define USER_COLUMNS                                                                               \
  "SELECT id, name, display_name, role, password_hash, active, changed_at, changed_by,"            \
  " (SELECT min(changed_at) FROM users f WHERE f.name = u.name) FROM users u"

static NbStoreUser *
user_from_row (NbStmt *stmt)
{
  NbStoreUser *u = g_new0 (NbStoreUser, 1);
  u->id = nb_stmt_column_int64 (stmt, 0);
  u->name = column_text (stmt, 1);
  u->display_name = column_text (stmt, 2);
  if (!nb_user_role_from_string ((const char *) nb_stmt_column_text (stmt, 3), &u->role))
    u->role = NB_USER_OPERATOR; /* the schema's CHECK allows only the three */
  u->password_hash = column_text (stmt, 4);
  u->active = nb_stmt_column_int (stmt, 5) != 0;
  u->changed_at = nb_stmt_column_int64 (stmt, 6);
  u->changed_by = column_text (stmt, 7);
  u->created_at = nb_stmt_column_int64 (stmt, 8);
  return u;
}

void
nb_store_user_free (NbStoreUser *user)
{
  if (user == NULL)
    return;
  g_free (user->name);
  g_free (user->display_name);
  if (user->password_hash != NULL)
    sodium_memzero (user->password_hash, strlen (user->password_hash));
  g_free (user->password_hash);
  g_free (user->changed_by);
  g_free (user);
}

NbStoreUser *
nb_store_get_user (NbStore *store, const char *name, GError **error)
{
  g_return_val_if_fail (name != NULL, NULL);
  NbStmt *stmt
      = nb_store_stmt (store, USER_COLUMNS " WHERE name = ? ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  nb_store_bind_text (stmt, 1, name);
  int rc = nb_stmt_step (stmt);
  NbStoreUser *u = rc == NB_DB_ROW ? user_from_row (stmt) : NULL;
  nb_stmt_reset (stmt);
  if (rc == NB_DB_DONE)
    g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND, "No user %s in %s", name,
                 store->path);
  else if (rc != NB_DB_ROW)
    nb_store_set_error (store, error, rc, "Reading a user from");
  return u;
}

GPtrArray *
nb_store_list_users (NbStore *store, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store,
                                USER_COLUMNS
                                " WHERE id = (SELECT max(id) FROM users n WHERE n.name = u.name)"
                                " ORDER BY name",
                                error);
  if (stmt == NULL)
    return NULL;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_store_user_free);
  int rc;
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    g_ptr_array_add (list, user_from_row (stmt));
  nb_stmt_reset (stmt);
  if (rc != NB_DB_DONE)
    {
      nb_store_set_error (store, error, rc, "Reading the users from");
      g_ptr_array_unref (list);
      return NULL;
    }
  return list;
}

static gint64
insert_user (NbStore *store, const NbStoreUser *u, const char *actor, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store,
                                "INSERT INTO users (name, display_name, role, password_hash,"
                                " active, changed_at, changed_by)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return 0;
  nb_store_bind_text (stmt, 1, u->name);
  nb_store_bind_text (stmt, 2, u->display_name);
  nb_store_bind_text (stmt, 3, nb_user_role_to_string (u->role));
  nb_store_bind_text (stmt, 4, u->password_hash);
  nb_stmt_bind_int (stmt, 5, u->active ? 1 : 0);
  nb_stmt_bind_int64 (stmt, 6, g_get_real_time ());
  nb_store_bind_text (stmt, 7, actor);
  if (!nb_store_step_done (store, stmt, "Recording a user in", error))
    return 0;
  return nb_db_last_insert_id (store->db);
}

/* The audit detail of a user record: never the hash (the trail is printed and exported). */
static char *
user_detail (gint64 id, const NbStoreUser *u, gboolean password_changed)
{
  return g_strdup_printf ("user=%" G_GINT64_FORMAT " display_name=%s role=%s active=%d%s", id,
                          u->display_name, nb_user_role_to_string (u->role), u->active ? 1 : 0,
                          password_changed ? " password=changed" : "");
}

gint64
nb_store_add_user (NbStore *store, const char *name, const char *display_name, NbUserRole role,
                   const char *password, const char *actor, GError **error)
{
  if (!nb_store_standard_check_text ("user name", name, TRUE, NB_USER_NAME_MAX, error)
      || !nb_store_standard_check_text ("display name", display_name, FALSE, NB_USER_NAME_MAX,
                                        error)
      || !nb_store_standard_check_text ("added by", actor, FALSE, NB_USER_NAME_MAX, error)
      || !nb_store_check_password (password, error))
    return 0;
  if (!nb_user_role_from_string (nb_user_role_to_string (role), NULL))
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID, "role: unknown");
      return 0;
    }
  /* hashed before the write lock is taken: it takes a while and needs no database */
  g_autofree char *hash = hash_password (password, error);
  if (hash == NULL)
    return 0;
  if (actor == NULL)
    actor = g_get_user_name ();
  NbStoreUser u = {
    .name = (char *) name,
    .display_name = (char *) (display_name ? display_name : name),
    .role = role,
    .password_hash = hash,
    .active = TRUE,
  };
  g_autofree char *subject = g_strdup_printf ("user:%s", name), *detail = NULL;
  g_autofree char *covers = NULL;
  g_autoptr (NbStoreUser) existing = NULL;
  gint64 id = 0;

  if (!nb_store_begin (store, error))
    return 0;
  g_autoptr (GError) local = NULL;
  existing = nb_store_get_user (store, name, &local);
  if (existing != NULL)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_EXISTS,
                   "user %s exists already (change it with `needlebench-cli user set`)", name);
      goto fail;
    }
  if (!g_error_matches (local, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      goto fail;
    }
  id = insert_user (store, &u, actor, error);
  if (id == 0)
    goto fail;
  detail = user_detail (id, &u, FALSE);
  covers = nb_audit_covers_range ("users", id, id);
  if (!nb_audit_append_rows (store, actor, "user.add", subject, detail, covers, NB_AUDIT_CHECKPOINT,
                             error)
      || !nb_store_commit (store, error))
    goto fail;
  return id;

fail:
  nb_store_rollback (store);
  return 0;
}

gint64
nb_store_change_user (NbStore *store, const char *name, const NbStoreUserChange *change,
                      const char *actor, GError **error)
{
  g_return_val_if_fail (name != NULL && change != NULL, 0);
  if (!nb_store_standard_check_text ("display name", change->display_name, FALSE, NB_USER_NAME_MAX,
                                     error)
      || !nb_store_standard_check_text ("changed by", actor, FALSE, NB_USER_NAME_MAX, error)
      || (change->password != NULL && !nb_store_check_password (change->password, error)))
    return 0;
  if (change->set_role && !nb_user_role_from_string (nb_user_role_to_string (change->role), NULL))
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID, "role: unknown");
      return 0;
    }
  g_autofree char *hash = NULL;
  if (change->password != NULL && (hash = hash_password (change->password, error)) == NULL)
    return 0;
  if (actor == NULL)
    actor = g_get_user_name ();
  g_autofree char *subject = g_strdup_printf ("user:%s", name), *detail = NULL;
  g_autofree char *covers = NULL;
  g_autoptr (NbStoreUser) current = NULL;
  gint64 id = 0;

  if (!nb_store_begin (store, error))
    return 0;
  /* read inside the write lock: the change applies to the record in force when written */
  current = nb_store_get_user (store, name, error);
  if (current == NULL)
    goto fail;
  NbStoreUser u = *current;
  if (change->display_name != NULL)
    u.display_name = (char *) change->display_name;
  if (change->set_role)
    u.role = change->role;
  if (hash != NULL)
    u.password_hash = hash;
  if (change->set_active)
    u.active = change->active;
  id = insert_user (store, &u, actor, error);
  if (id == 0)
    goto fail;
  detail = user_detail (id, &u, hash != NULL);
  covers = nb_audit_covers_range ("users", id, id);
  if (!nb_audit_append_rows (store, actor, "user.change", subject, detail, covers,
                             NB_AUDIT_CHECKPOINT, error)
      || !nb_store_commit (store, error))
    goto fail;
  return id;

fail:
  nb_store_rollback (store);
  return 0;
}
