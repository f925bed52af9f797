/* nb-audit.h: the append-only, hash-chained audit trail (21 CFR Part 11 §11.10(e)).
 * Each row's hash is SHA-256 over the previous row's hash and this row's fields, so altering,
 * removing or inserting a row anywhere but at the end breaks the chain.
 *
 * Coverage: an entry names the record rows it wrote in `covers` ("TABLE:FIRST-LAST:SHA256 ...",
 * see nb-audit-rows.h), with the SHA-256 of those rows' contents, so that `audit verify` finds
 * rows that no entry covers (inserted behind the API's back) and rows whose content changed.
 *
 * Checkpoints: a plain SHA-256 chain can be recomputed by anyone who has the file. Every
 * NB_AUDIT_CHECKPOINT_EVERY entries, and at every entry appended with NB_AUDIT_CHECKPOINT (the
 * close of a session or run, a reference standard, nb_audit_append ()), the chain head "ID|HASH"
 * is signed with the laboratory's Ed25519 key (nb-lab-key.h) into audit_checkpoints. A chain
 * recomputed after tampering then differs from the signed hash at the first checkpoint after the
 * change, and a forged checkpoint does not verify with the laboratory's public key. Without a
 * key (none at nb_lab_key_default_path (), or nb_store_set_lab_key (store, NULL)) no checkpoint
 * is written, and verification reports the entries after the last checkpoint as unsigned. */
#pragma once

#include "nb-store.h"

G_BEGIN_DECLS

/* The prev_hash of the first row: 64 zeros. */
#define NB_AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* A checkpoint is written at least every this many entries (the recorder appends one entry a
 * commit, every 500 ms: a checkpoint every ~30 s of recording). */
#define NB_AUDIT_CHECKPOINT_EVERY 64

typedef enum
{
  NB_AUDIT_DEFAULT = 0,
  NB_AUDIT_CHECKPOINT = 1 << 0, /* sign the chain head after this entry */
} NbAuditFlags;

/* nb_audit_append: appends one entry at the current time and signs a checkpoint after it.
 * @actor NULL = login name. Runs in the caller's write transaction if one is open (it must be
 * IMMEDIATE), else in its own. The entry covers no row: use nb_audit_append_rows () for an
 * entry about rows that were written. */
gboolean nb_audit_append (NbStore *store, const char *actor, const char *action,
                          const char *subject, const char *detail,
                          GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_audit_append_rows: as nb_audit_append () for an entry that covers rows written in the
 * current transaction: @covers lists them as "TABLE:FIRST-LAST" ranges separated by spaces
 * (keys as in nb-audit-rows.h; NULL or "" = none); each range gets the SHA-256 of the rows'
 * content as they are now, read back inside the transaction. @flags: NB_AUDIT_CHECKPOINT. */
gboolean nb_audit_append_rows (NbStore *store, const char *actor, const char *action,
                               const char *subject, const char *detail, const char *covers,
                               NbAuditFlags flags, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_audit_append_row: nb_audit_append_rows () for an entry about one row, @id of @table, with
 * a checkpoint (for records written one at a time: settings, users, certificates). */
gboolean nb_audit_append_row (NbStore *store, const char *actor, const char *action,
                              const char *subject, const char *detail, const char *table, gint64 id,
                              GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_audit_baseline: inside the migration to schema 7, one entry ("audit.baseline") covering
 * every row the covered tables already hold, as found: rows written before coverage existed are
 * vouched for from the upgrade on, not as written. No entry when there are none. */
gboolean nb_audit_baseline (NbStore *store, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_audit_verify: recomputes the whole chain (not the coverage or the signatures: see
 * nb-audit-verify.h). TRUE if intact; else FALSE with NB_STORE_ERROR_CORRUPT naming the first
 * bad row (also in @bad_id if not NULL). @n_rows (may be NULL) receives the number of rows
 * checked. */
gboolean nb_audit_verify (NbStore *store, gint64 *n_rows, gint64 *bad_id,
                          GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_audit_hash: (transfer full) the hex SHA-256 of a row without coverage (as written before
 * schema 6, and by nb_audit_append ()), as stored in audit.hash. */
char *nb_audit_hash (const char *prev_hash, gint64 id, gint64 at, const char *actor,
                     const char *action, const char *subject,
                     const char *detail) G_GNUC_WARN_UNUSED_RESULT;

/* nb_audit_hash_full: (transfer full) the hex SHA-256 of a row; @covers NULL gives
 * nb_audit_hash (), so rows written before coverage existed keep their hashes. */
char *nb_audit_hash_full (const char *prev_hash, gint64 id, gint64 at, const char *actor,
                          const char *action, const char *subject, const char *detail,
                          const char *covers) G_GNUC_WARN_UNUSED_RESULT;

/* nb_audit_checkpoint_message: (transfer full) the text a checkpoint signs: "ID|HASH". */
char *nb_audit_checkpoint_message (gint64 audit_id, const char *hash) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
