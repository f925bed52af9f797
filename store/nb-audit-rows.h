/* nb-audit-rows.h: which record tables the audit trail covers, and the content hash of a range
 * of their rows. An audit entry's `covers` column is a space-separated list of
 * "TABLE:FIRST-LAST:SHA256" ranges: the rows of TABLE whose key (the rowid; run_strokes: the
 * point id) is in FIRST..LAST, and the SHA-256 of their content (nb_audit_rows_sha256 ()).
 * `audit verify` recomputes each range's hash from the rows and looks for rows in no range. */
#pragma once

#include "nb-store.h"

G_BEGIN_DECLS

typedef struct
{
  const char *name;       /* the table */
  const char *select_sql; /* its hashed columns, ?1 <= key <= ?2, in a fixed order */
  const char *keys_sql;   /* every key in the table, ascending */
  const char *bounds_sql; /* the smallest and largest key */
  gboolean closable;      /* a row changes once more (to close it): the newest entry covering it
                           * holds its hash, older ones are superseded */
} NbAuditTable;

/* nb_audit_tables: the covered tables (static; @n receives their number). A table the database
 * does not have (an older schema) is skipped by the callers. */
const NbAuditTable *nb_audit_tables (gsize *n);

/* nb_audit_table_lookup: the covered table @name, or NULL. */
const NbAuditTable *nb_audit_table_lookup (const char *name);

/* One range of an entry's covers. */
typedef struct
{
  const NbAuditTable *table;
  gint64 first, last;
  char *sha256; /* NULL before sealing */
} NbAuditRange;

void nb_audit_range_free (NbAuditRange *range);

/* nb_audit_covers_parse: (transfer full) (element-type NbAuditRange) the ranges of @covers
 * ("TABLE:FIRST-LAST" or "TABLE:FIRST-LAST:SHA256", space-separated; NULL or "" = none); FALSE
 * and NULL with NB_STORE_ERROR_INVALID for a malformed list or a table not covered. */
GPtrArray *nb_audit_covers_parse (const char *covers, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_audit_rows_sha256: (transfer full) the hex SHA-256 of the rows of @table with keys in
 * @first..@last as they are now: the table name and a newline, then per row each column in a
 * fixed order as a type letter (i, r, t, b, n for NULL) followed, but for NULL, by 8 bytes
 * little-endian (the integer, the IEEE 754 bits of the real, the length of the text or blob)
 * and the text or blob's bytes; a newline ends each row.
 * @n_rows (may be NULL) receives how many rows there were. */
char *nb_audit_rows_sha256 (NbStore *store, const NbAuditTable *table, gint64 first, gint64 last,
                            gint64 *n_rows, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_audit_covers_seal: (transfer full) @covers ("TABLE:FIRST-LAST ...") with each range's hash
 * appended, as stored ("" for none); NULL with @error. */
char *nb_audit_covers_seal (NbStore *store, const char *covers,
                            GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_audit_covers_range: (transfer full) "TABLE:FIRST-LAST" for building a covers list. */
char *nb_audit_covers_range (const char *table, gint64 first, gint64 last);

G_END_DECLS
