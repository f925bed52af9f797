/* nb-store-sync-pens.c: copying pens with their firmware history, and reference standards.
 *
 * A pen is known by its serial everywhere: a pen the target has already (another bench measured
 * it) is the same pen, and only firmware rows it does not have yet are added (and its last
 * sighting brought forward when this bench saw it later). sync_map records
 * only the rows a copy inserted (its UNIQUE (tbl, target_id) gives each target row one origin),
 * so a pen found by serial is looked up by serial again at every copy.
 *
 * A reference standard row is the same row in the target when serial, added_at and added_by
 * match (another bench copied it, or it was entered there); else it is appended. */
#include "nb-audit-rows.h"
#include "nb-store-sync-private.h"

static const NbSyncChild firmware_child = {
  "pen_firmware",
  "SELECT id, pen_id, firmware, seen_at FROM pen_firmware WHERE id = ?1",
  "INSERT INTO pen_firmware (pen_id, firmware, seen_at) VALUES (?1, ?2, ?3)",
  3,
  1,
  FALSE,
};

/* The target's pen with @serial, inserting it from the source's row @source_id if it has none
 * (*@inserted then TRUE). 0 with @error. */
static gint64
target_pen (NbSync *sync, gint64 source_id, gboolean *inserted, GError **error)
{
  *inserted = FALSE;
  NbStmt *sel = nb_store_stmt (
      sync->from, "SELECT serial, model, first_seen, last_seen FROM pens WHERE id = ?1", error);
  if (sel == NULL)
    return 0;
  nb_stmt_bind_int64 (sel, 1, source_id);
  int rc = nb_stmt_step (sel);
  if (rc != NB_DB_ROW)
    {
      nb_store_set_error (sync->from, error, rc, "Reading a pen from");
      nb_stmt_reset (sel);
      return 0;
    }
  NbStmt *find = nb_store_stmt (sync->to, "SELECT id FROM pens WHERE serial = ?1", error);
  if (find == NULL)
    {
      nb_stmt_reset (sel);
      return 0;
    }
  nb_sync_bind_copy (find, 1, sel, 0);
  rc = nb_stmt_step (find);
  gint64 id = rc == NB_DB_ROW ? nb_stmt_column_int64 (find, 0) : 0;
  nb_stmt_reset (find);
  if (rc == NB_DB_DONE)
    {
      NbStmt *ins = nb_store_stmt (sync->to,
                                   "INSERT INTO pens (serial, model, first_seen, last_seen)"
                                   " VALUES (?1, ?2, ?3, ?4)",
                                   error);
      if (ins != NULL)
        {
          for (int c = 1; c <= 4; c++)
            nb_sync_bind_copy (ins, c, sel, c - 1);
          if (nb_store_step_done (sync->to, ins, "Copying a pen into", error))
            {
              id = nb_db_last_insert_id (sync->to->db);
              *inserted = TRUE;
            }
        }
    }
  else if (rc != NB_DB_ROW)
    nb_store_set_error (sync->to, error, rc, "Looking up a pen in");
  nb_stmt_reset (sel);
  return id;
}

/* A pen the target has, seen by this bench later than the target knows: its last_seen (and
 * model, when the bench knows one) are brought forward, the only change the schema allows a pen
 * row, and *@newer says so (the audit entry then covers the row again). */
static gboolean
seen_later (NbSync *sync, gint64 source_id, gint64 pen, gboolean *newer, GError **error)
{
  *newer = FALSE;
  NbStmt *src
      = nb_store_stmt (sync->from, "SELECT last_seen, model FROM pens WHERE id = ?1", error);
  NbStmt *dst
      = src ? nb_store_stmt (sync->to, "SELECT last_seen FROM pens WHERE id = ?1", error) : NULL;
  if (dst == NULL)
    return FALSE;
  nb_stmt_bind_int64 (src, 1, source_id);
  nb_stmt_bind_int64 (dst, 1, pen);
  int rs = nb_stmt_step (src), rd = nb_stmt_step (dst);
  gboolean later = rs == NB_DB_ROW && rd == NB_DB_ROW
                   && nb_stmt_column_int64 (src, 0) > nb_stmt_column_int64 (dst, 0);
  nb_stmt_reset (dst);
  if (rs != NB_DB_ROW || rd != NB_DB_ROW)
    {
      nb_stmt_reset (src);
      if (rs != NB_DB_ROW)
        nb_store_set_error (sync->from, error, rs, "Reading a pen from");
      else
        nb_store_set_error (sync->to, error, rd, "Reading a pen from");
      return FALSE;
    }
  gboolean ok = TRUE;
  if (later)
    {
      NbStmt *up = nb_store_stmt (sync->to,
                                  "UPDATE pens SET last_seen = ?2, model = coalesce(?3, model)"
                                  " WHERE id = ?1",
                                  error);
      ok = up != NULL;
      if (ok)
        {
          nb_stmt_bind_int64 (up, 1, pen);
          nb_sync_bind_copy (up, 2, src, 0);
          nb_sync_bind_copy (up, 3, src, 1);
          ok = nb_store_step_done (sync->to, up, "Bringing a pen's last sighting forward in",
                                   error);
        }
      *newer = ok;
    }
  nb_stmt_reset (src);
  return ok;
}

/* One pen and the firmware rows of it the target does not have, in one target transaction. */
static gboolean
sync_pen (NbSync *sync, gint64 source_id, GHashTable *firmware_mapped, GError **error)
{
  g_autoptr (GArray) firmware = nb_sync_ids (
      sync->from, "SELECT id FROM pen_firmware WHERE pen_id = ?1 ORDER BY id", source_id, error);
  if (firmware == NULL || !nb_store_begin (sync->to, error))
    return FALSE;
  gboolean inserted = FALSE;
  gint64 copied = 0;
  g_autoptr (GArray) sent = g_array_new (FALSE, FALSE, sizeof (gint64) * 2);
  NbSyncRange pens = { 0, 0 }, rows = { 0, 0 };
  gint64 pen = target_pen (sync, source_id, &inserted, error);
  if (pen == 0 || (inserted && !nb_sync_map_add (sync, "pens", source_id, pen, error)))
    goto fail;
  gboolean newer = FALSE;
  if (!inserted && !seen_later (sync, source_id, pen, &newer, error))
    goto fail;
  if (inserted || newer)
    nb_sync_range_add (&pens, pen);
  for (guint i = 0; i < firmware->len; i++)
    {
      gint64 fw = g_array_index (firmware, gint64, i);
      const gint64 *mapped = g_hash_table_lookup (firmware_mapped, &fw);
      gint64 have = mapped != NULL ? *mapped : nb_sync_map_lookup (sync, "pen_firmware", fw, error);
      if (have < 0)
        goto fail;
      if (have == 0)
        {
          g_autoptr (GHashTable) ids
              = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
          if (!nb_sync_copy_children (sync, &firmware_child, fw, pen, &rows, ids, error))
            goto fail;
          gint64 *row = g_hash_table_lookup (ids, &fw);
          have = row != NULL ? *row : 0;
          if (have == 0 || !nb_sync_map_add (sync, "pen_firmware", fw, have, error))
            goto fail;
          copied++;
        }
      gint64 pair[2] = { fw, have };
      g_array_append_vals (sent, pair, 1);
    }
  if (pens.first != 0 || rows.first != 0)
    {
      g_autoptr (GString) covers = g_string_new (NULL);
      nb_sync_covers_append (covers, "pens", &pens);
      nb_sync_covers_append (covers, "pen_firmware", &rows);
      g_autofree char *subject = g_strdup_printf ("pen %" G_GINT64_FORMAT, pen);
      if (!nb_sync_audit (sync, subject, "pens", source_id, covers->str, error))
        goto fail;
    }
  if (nb_sync_fail_point (error) || !nb_store_commit (sync->to, error))
    goto fail;
  if (sync->report != NULL)
    {
      sync->report->copied += copied + (inserted ? 1 : 0);
      sync->report->present += inserted ? 0 : 1;
    }
  if (!nb_sync_sent_add (sync, "pens", source_id, pen, error))
    return FALSE;
  for (guint i = 0; i < sent->len; i++)
    {
      const gint64 *pair = (const gint64 *) (sent->data + i * sizeof (gint64) * 2);
      if (!nb_sync_sent_add (sync, "pen_firmware", pair[0], pair[1], error))
        return FALSE;
    }
  return TRUE;
fail:
  nb_store_rollback (sync->to);
  return FALSE;
}

gboolean
nb_sync_pens (NbSync *sync, GError **error)
{
  g_autoptr (GArray) pens = nb_sync_ids (sync->from, "SELECT id FROM pens ORDER BY id", -1, error);
  g_autoptr (GHashTable) firmware = pens ? nb_sync_mapped (sync, "pen_firmware", error) : NULL;
  if (firmware == NULL)
    return FALSE;
  for (guint i = 0; i < pens->len; i++)
    if (!sync_pen (sync, g_array_index (pens, gint64, i), firmware, error))
      return FALSE;
  return TRUE;
}

/* --- reference standards --- */

static gint64
copy_standard (NbSync *sync, gint64 source_id, gboolean *inserted, GError **error)
{
  *inserted = FALSE;
  NbStmt *sel = nb_store_stmt (sync->from,
                               "SELECT serial, model, certificate, uncertainty_mm, k, due,"
                               " withdrawn, added_at, added_by FROM standards WHERE id = ?1",
                               error);
  if (sel == NULL)
    return 0;
  nb_stmt_bind_int64 (sel, 1, source_id);
  int rc = nb_stmt_step (sel);
  if (rc != NB_DB_ROW)
    {
      nb_store_set_error (sync->from, error, rc, "Reading a reference standard from");
      nb_stmt_reset (sel);
      return 0;
    }
  gint64 id = 0;
  NbStmt *find = nb_store_stmt (sync->to,
                                "SELECT id FROM standards WHERE serial = ?1 AND added_at = ?2"
                                " AND added_by = ?3 ORDER BY id LIMIT 1",
                                error);
  if (find == NULL)
    goto out;
  nb_sync_bind_copy (find, 1, sel, 0);
  nb_sync_bind_copy (find, 2, sel, 7);
  nb_sync_bind_copy (find, 3, sel, 8);
  rc = nb_stmt_step (find);
  id = rc == NB_DB_ROW ? nb_stmt_column_int64 (find, 0) : 0;
  nb_stmt_reset (find);
  if (rc != NB_DB_ROW && rc != NB_DB_DONE)
    {
      nb_store_set_error (sync->to, error, rc, "Looking up a reference standard in");
      goto out;
    }
  if (id == 0)
    {
      NbStmt *ins = nb_store_stmt (sync->to,
                                   "INSERT INTO standards (serial, model, certificate,"
                                   " uncertainty_mm, k, due, withdrawn, added_at, added_by)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                   error);
      if (ins == NULL)
        goto out;
      for (int c = 1; c <= 9; c++)
        nb_sync_bind_copy (ins, c, sel, c - 1);
      if (!nb_store_step_done (sync->to, ins, "Copying a reference standard into", error))
        goto out;
      id = nb_db_last_insert_id (sync->to->db);
      *inserted = TRUE;
      g_autofree char *covers = nb_audit_covers_range ("standards", id, id);
      g_autofree char *subject = g_strdup_printf ("standard %" G_GINT64_FORMAT, id);
      if (!nb_sync_audit (sync, subject, "standards", source_id, covers, error))
        id = 0;
    }
out:
  nb_stmt_reset (sel);
  return id;
}

gboolean
nb_sync_standards (NbSync *sync, GError **error)
{
  return nb_sync_table (sync, "standards", "SELECT id FROM standards ORDER BY id", copy_standard,
                        error);
}
