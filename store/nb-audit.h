/* nb-audit.h: the append-only, hash-chained audit trail (21 CFR Part 11 §11.10(e)).
 * Each row's hash is SHA-256 over the previous row's hash and this row's fields, so altering,
 * removing or inserting a row anywhere but at the end breaks the chain. Truncating the newest
 * rows is not detectable by the chain alone: compare nb_audit_verify ()'s @n_rows and last hash
 * with a copy kept elsewhere (e.g. printed in reports). */
#pragma once

#include "nb-store.h"

G_BEGIN_DECLS

/* The prev_hash of the first row: 64 zeros. */
#define NB_AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* nb_audit_append: appends one entry at the current time. @actor NULL = login name. Runs in the
 * caller's write transaction if one is open (it must be IMMEDIATE), else in its own. */
gboolean nb_audit_append (NbStore *store, const char *actor, const char *action,
                          const char *subject, const char *detail,
                          GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_audit_verify: recomputes the whole chain. TRUE if intact; else FALSE with
 * NB_STORE_ERROR_CORRUPT naming the first bad row (also in @bad_id if not NULL).
 * @n_rows (may be NULL) receives the number of rows checked. */
gboolean nb_audit_verify (NbStore *store, gint64 *n_rows, gint64 *bad_id,
                          GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_audit_hash: (transfer full) the hex SHA-256 of a row, as stored in audit.hash. */
char *nb_audit_hash (const char *prev_hash, gint64 id, gint64 at, const char *actor,
                     const char *action, const char *subject,
                     const char *detail) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
