/* nb-audit-rows.c: the covered tables and the content hash of their rows (nb-audit-rows.h). */
#include "nb-audit-rows.h"
#include "nb-store-private.h"

#include <stdlib.h>
#include <string.h>

/* The columns are listed, not "*": a column added by a later migration must not change the hash
 * of the rows written before it. The SQL is built here as literals: nb_store_stmt () caches
 * statements by their text's address. */
#define TABLE(name, key, columns, order, closable)                                                 \
  {                                                                                                \
    name, "SELECT " columns " FROM " name " WHERE " key " BETWEEN ?1 AND ?2 ORDER BY " order,      \
        "SELECT DISTINCT " key " FROM " name " ORDER BY " key,                                     \
        "SELECT min(" key "), max(" key ") FROM " name, closable                                   \
  }

static const NbAuditTable tables[] = {
  TABLE ("pens", "rowid", "id, serial, model, first_seen, last_seen", "rowid", TRUE),
  TABLE ("pen_firmware", "rowid", "id, pen_id, firmware, seen_at", "rowid", FALSE),
  TABLE ("sessions", "rowid",
         "id, pen_id, uri, operator, name, note, depth_mm, rate_hz, sample_rate_hz, started_at,"
         " ended_at, status, error",
         "rowid", TRUE),
  TABLE ("strokes", "rowid",
         "session_id, idx, peak_sample, time_s, depth_mm, period_s, entry_speed_mm_s", "rowid",
         FALSE),
  TABLE ("batches", "rowid", "session_id, first_index, count, samples, codec", "rowid", FALSE),
  TABLE ("events", "rowid", "id, session_id, sample_index, code, name, detail, at", "rowid", FALSE),
  TABLE ("standards", "rowid",
         "id, serial, model, certificate, uncertainty_mm, k, due, withdrawn, added_at, added_by",
         "rowid", FALSE),
  TABLE ("runs", "rowid",
         "id, pen_serial, pen_model, pen_firmware, pen_uri, fixture_serial, fixture_model,"
         " fixture_uri, standard_id, profile_id, profile_version, profile_json, rule, traceable,"
         " adjust, operator, environment_json, started_at, ended_at, status, verdict, error,"
         " result_json",
         "rowid", TRUE),
  TABLE ("run_transitions", "rowid", "id, run_id, at, state, detail", "rowid", FALSE),
  TABLE ("run_points", "rowid",
         "id, run_id, phase, quantity, seq, target, depth_mm, rate_hz, n, mean, sd, error, u,"
         " expanded, k, nu_eff, verdict, pfa, pen_mean",
         "rowid", FALSE),
  TABLE ("run_strokes", "point_id", "point_id, idx, reference, pen", "point_id, idx", FALSE),
  TABLE ("run_tables", "rowid", "run_id, which, at, data", "rowid", FALSE),
  /* schema 6: the laboratory, its users, certificates and their signatures */
  TABLE ("lab_settings", "rowid", "id, name, address, location, prefix, set_at, set_by", "rowid",
         FALSE),
  TABLE ("users", "rowid",
         "id, name, display_name, role, password_hash, active, changed_at, changed_by", "rowid",
         FALSE),
  TABLE ("certificates", "rowid",
         "id, number, prefix, year, seq, run_id, kind, created_at,"
         " created_by",
         "rowid", FALSE),
  TABLE ("certificate_records", "rowid",
         "id, certificate_id, revision, supersedes, status, reason, content_sha256, document,"
         " issued_at, at, by",
         "rowid", FALSE),
  TABLE ("certificate_signatures", "rowid",
         "id, certificate_id, record_id, content_sha256, user_id, user_name, display_name, role,"
         " meaning, at",
         "rowid", FALSE),
  /* schema 8: voided sessions and runs */
  TABLE ("voids", "rowid", "id, kind, record_id, reason, at, by", "rowid", FALSE),
  /* schema 9: what a session was measured against (its rowid is the session's id) */
  TABLE ("session_targets", "rowid",
         "session_id, profile_id, profile_version, target_mm, tolerance_mm, band_lo_mm,"
         " band_hi_mm, rate_tolerance_hz",
         "rowid", FALSE),
};

const NbAuditTable *
nb_audit_tables (gsize *n)
{
  *n = G_N_ELEMENTS (tables);
  return tables;
}

const NbAuditTable *
nb_audit_table_lookup (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (tables); i++)
    if (g_strcmp0 (tables[i].name, name) == 0)
      return &tables[i];
  return NULL;
}

void
nb_audit_range_free (NbAuditRange *range)
{
  if (range == NULL)
    return;
  g_free (range->sha256);
  g_free (range);
}

static gboolean
parse_int (const char *text, gint64 *value)
{
  if (text == NULL || !g_ascii_isdigit (text[0]))
    return FALSE;
  guint64 v;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &v, NULL))
    return FALSE;
  *value = (gint64) v;
  return TRUE;
}

static gboolean
is_sha256 (const char *text)
{
  if (strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

GPtrArray *
nb_audit_covers_parse (const char *covers, GError **error)
{
  g_autoptr (GPtrArray) ranges
      = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_audit_range_free);
  if (covers == NULL)
    return g_steal_pointer (&ranges);
  g_auto (GStrv) tokens = g_strsplit (covers, " ", -1);
  for (char **t = tokens; *t != NULL; t++)
    {
      if (**t == '\0')
        continue;
      g_auto (GStrv) parts = g_strsplit (*t, ":", 3);
      g_auto (GStrv) bounds = parts[0] && parts[1] ? g_strsplit (parts[1], "-", 2) : NULL;
      const NbAuditTable *table = parts[0] ? nb_audit_table_lookup (parts[0]) : NULL;
      NbAuditRange range = { table, 0, 0, NULL };
      if (table == NULL || bounds == NULL || bounds[0] == NULL || bounds[1] == NULL
          || !parse_int (bounds[0], &range.first) || !parse_int (bounds[1], &range.last)
          || range.first > range.last || (parts[2] != NULL && !is_sha256 (parts[2])))
        {
          g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                       "audit coverage: “%s” is not TABLE:FIRST-LAST[:SHA256] of a covered table",
                       *t);
          return NULL;
        }
      NbAuditRange *r = g_memdup2 (&range, sizeof range);
      r->sha256 = g_strdup (parts[2]);
      g_ptr_array_add (ranges, r);
    }
  return g_steal_pointer (&ranges);
}

/* One value as a type tag and its bytes: integers and reals as their 8 bytes little-endian
 * (exact, and cheap enough for the recorder's commits), text and blobs length-prefixed, so that
 * no two different rows hash alike. */
/* The bytes to hash go through a buffer: a stroke row is seven 9-byte values, and one checksum
 * update per few rows instead of one per value is what keeps the recorder's commits cheap. The
 * stream hashed is the same either way. */
typedef struct
{
  GChecksum *sum;
  gsize len;
  guchar buf[4096];
} Hasher;

static void
put (Hasher *h, const void *data, gsize n)
{
  if (h->len + n > sizeof h->buf)
    {
      g_checksum_update (h->sum, h->buf, h->len);
      h->len = 0;
      if (n > sizeof h->buf)
        {
          g_checksum_update (h->sum, data, n);
          return;
        }
    }
  memcpy (h->buf + h->len, data, n);
  h->len += n;
}

static void
put_tagged (Hasher *h, char tag, guint64 value)
{
  guchar head[9];
  head[0] = (guchar) tag;
  value = GUINT64_TO_LE (value);
  memcpy (head + 1, &value, 8);
  put (h, head, 9);
}

static void
hash_value (Hasher *h, NbStmt *stmt, int col)
{
  int type = nb_stmt_column_type (stmt, col);
  switch (type)
    {
    case NB_DB_INTEGER: put_tagged (h, 'i', (guint64) nb_stmt_column_int64 (stmt, col)); return;
    case NB_DB_FLOAT:
      {
        double d = nb_stmt_column_double (stmt, col);
        guint64 bits;
        memcpy (&bits, &d, 8);
        put_tagged (h, 'r', bits);
        return;
      }
    case NB_DB_TEXT:
    case NB_DB_BLOB:
      {
        const void *data = type == NB_DB_TEXT ? (const void *) nb_stmt_column_text (stmt, col)
                                              : nb_stmt_column_blob (stmt, col);
        int n = nb_stmt_column_bytes (stmt, col);
        put_tagged (h, type == NB_DB_TEXT ? 't' : 'b', (guint64) n);
        if (data != NULL && n > 0)
          put (h, data, (gsize) n);
        return;
      }
    default: put (h, "n", 1); return;
    }
}

char *
nb_audit_rows_sha256 (NbStore *store, const NbAuditTable *table, gint64 first, gint64 last,
                      gint64 *n_rows, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store, table->select_sql, error);
  if (stmt == NULL)
    return NULL;
  nb_stmt_bind_int64 (stmt, 1, first);
  nb_stmt_bind_int64 (stmt, 2, last);
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  Hasher *h = g_new (Hasher, 1);
  h->sum = sum;
  h->len = 0;
  put (h, table->name, strlen (table->name));
  put (h, "\n", 1);
  gint64 rows = 0;
  int rc;
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    {
      int n = nb_stmt_column_count (stmt);
      for (int i = 0; i < n; i++)
        hash_value (h, stmt, i);
      put (h, "\n", 1);
      rows++;
    }
  g_checksum_update (sum, h->buf, h->len);
  g_free (h);
  nb_stmt_reset (stmt);
  if (rc != NB_DB_DONE)
    {
      nb_store_set_error (store, error, rc, "Reading the audited rows of");
      return NULL;
    }
  if (n_rows != NULL)
    *n_rows = rows;
  return g_strdup (g_checksum_get_string (sum));
}

char *
nb_audit_covers_seal (NbStore *store, const char *covers, GError **error)
{
  g_autoptr (GPtrArray) ranges = nb_audit_covers_parse (covers, error);
  if (ranges == NULL)
    return NULL;
  if (ranges->len == 0)
    return g_strdup ("");
  g_autoptr (GString) out = g_string_new (NULL);
  for (guint i = 0; i < ranges->len; i++)
    {
      NbAuditRange *r = ranges->pdata[i];
      g_autofree char *sha = nb_audit_rows_sha256 (store, r->table, r->first, r->last, NULL, error);
      if (sha == NULL)
        return NULL;
      g_string_append_printf (out, "%s%s:%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT ":%s",
                              i ? " " : "", r->table->name, r->first, r->last, sha);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
nb_audit_covers_range (const char *table, gint64 first, gint64 last)
{
  return g_strdup_printf ("%s:%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, table, first, last);
}
