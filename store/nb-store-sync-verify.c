/* nb-store-sync-verify.c: nb_store_sync_verify (): is every closed record of a bench in the
 * target, with the same content? Rows are compared value by value; references between rows are
 * compared through what they name (a session's pen by its serial, a run's reference standard by
 * serial, added_at and added_by, a void's record through sync_map), so the target's own ids
 * never matter. */
#include "nb-audit-verify.h"
#include "nb-audit.h"
#include "nb-store-sync-private.h"

#include <string.h>

typedef struct
{
  NbSync sync;
  GArray *counts; /* NbStoreSyncCount */
} Verify;

static void
add_count (Verify *v, const char *table, gint64 n)
{
  for (guint i = 0; i < v->counts->len; i++)
    {
      NbStoreSyncCount *c = &g_array_index (v->counts, NbStoreSyncCount, i);
      if (g_str_equal (c->table, table))
        {
          c->rows += n;
          return;
        }
    }
  NbStoreSyncCount c = { table, n };
  g_array_append_val (v->counts, c);
}

static gboolean
same_value (NbStmt *a, NbStmt *b, int col)
{
  int ta = nb_stmt_column_type (a, col), tb = nb_stmt_column_type (b, col);
  if (ta == NB_DB_NULL || tb == NB_DB_NULL)
    return ta == tb;
  if ((ta == NB_DB_INTEGER || ta == NB_DB_FLOAT) && (tb == NB_DB_INTEGER || tb == NB_DB_FLOAT))
    {
      if (ta == NB_DB_INTEGER && tb == NB_DB_INTEGER)
        return nb_stmt_column_int64 (a, col) == nb_stmt_column_int64 (b, col);
      return nb_stmt_column_double (a, col) == nb_stmt_column_double (b, col);
    }
  if (ta != tb)
    return FALSE;
  int n = nb_stmt_column_bytes (a, col);
  if (n != nb_stmt_column_bytes (b, col))
    return FALSE;
  if (n == 0)
    return TRUE;
  const void *pa = ta == NB_DB_TEXT ? (const void *) nb_stmt_column_text (a, col)
                                    : nb_stmt_column_blob (a, col);
  const void *pb = ta == NB_DB_TEXT ? (const void *) nb_stmt_column_text (b, col)
                                    : nb_stmt_column_blob (b, col);
  return memcmp (pa, pb, n) == 0;
}

/* Runs @sql (parameter ?1) with @source_key on the source and @target_key on the target and
 * compares the rows in order, columns @first.. but @skip; @ids (may be NULL) gets the pairs of
 * column 0 (source -> target). */
static gboolean
compare (Verify *v, const char *table, const char *sql, gint64 source_key, gint64 target_key,
         int first, int skip, GArray *ids, GError **error)
{
  NbStmt *a = nb_store_stmt (v->sync.from, sql, error);
  NbStmt *b = a ? nb_store_stmt (v->sync.to, sql, error) : NULL;
  if (b == NULL)
    return FALSE;
  nb_stmt_bind_int64 (a, 1, source_key);
  nb_stmt_bind_int64 (b, 1, target_key);
  gint64 n = 0;
  gboolean ok = TRUE;
  for (;;)
    {
      int ra = nb_stmt_step (a), rb = nb_stmt_step (b);
      if (ra != NB_DB_ROW && ra != NB_DB_DONE)
        {
          nb_store_set_error (v->sync.from, error, ra, "Reading the records of");
          ok = FALSE;
          break;
        }
      if (rb != NB_DB_ROW && rb != NB_DB_DONE)
        {
          nb_store_set_error (v->sync.to, error, rb, "Reading the records of");
          ok = FALSE;
          break;
        }
      if (ra != rb)
        {
          g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT,
                       "%s of record %" G_GINT64_FORMAT " of %s: %s has %s rows than the copy "
                       "(%s) in %s",
                       table, source_key, v->sync.from->path, v->sync.from->path,
                       ra == NB_DB_ROW ? "more" : "fewer", v->sync.to->path, v->sync.to->path);
          ok = FALSE;
          break;
        }
      if (ra == NB_DB_DONE)
        break;
      for (int c = first; c < nb_stmt_column_count (a); c++)
        if (c != skip && !same_value (a, b, c))
          {
            g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT,
                         "%s row %" G_GINT64_FORMAT " of %s (of record %" G_GINT64_FORMAT
                         ") differs from its copy in %s (row %" G_GINT64_FORMAT "), column %d",
                         table, nb_stmt_column_int64 (a, 0), v->sync.from->path, source_key,
                         v->sync.to->path, nb_stmt_column_int64 (b, 0), c);
            ok = FALSE;
            break;
          }
      if (!ok)
        break;
      if (ids != NULL)
        {
          gint64 pair[2] = { nb_stmt_column_int64 (a, 0), nb_stmt_column_int64 (b, 0) };
          g_array_append_vals (ids, pair, 1);
        }
      n++;
    }
  nb_stmt_reset (a);
  nb_stmt_reset (b);
  if (ok)
    add_count (v, table, n);
  return ok;
}

/* The target id of a source record: sync_map, or for a pen its serial and for a reference
 * standard its natural key (rows the target had already). 0: not there. */
static gint64
target_of (Verify *v, const char *table, gint64 id, GError **error)
{
  gint64 target = nb_sync_map_lookup (&v->sync, table, id, error);
  if (target != 0)
    return target;
  const char *from_sql = NULL, *to_sql = NULL;
  if (g_str_equal (table, "pens"))
    {
      from_sql = "SELECT serial FROM pens WHERE id = ?1";
      to_sql = "SELECT id FROM pens WHERE serial = ?1";
    }
  else if (g_str_equal (table, "standards"))
    {
      from_sql = "SELECT serial, added_at, added_by FROM standards WHERE id = ?1";
      to_sql = "SELECT id FROM standards WHERE serial = ?1 AND added_at = ?2 AND added_by = ?3"
               " ORDER BY id LIMIT 1";
    }
  else
    return 0;
  NbStmt *s = nb_store_stmt (v->sync.from, from_sql, error);
  NbStmt *t = s ? nb_store_stmt (v->sync.to, to_sql, error) : NULL;
  if (t == NULL)
    return -1;
  nb_stmt_bind_int64 (s, 1, id);
  if (nb_stmt_step (s) == NB_DB_ROW)
    {
      for (int c = 0; c < nb_stmt_column_count (s); c++)
        nb_sync_bind_copy (t, c + 1, s, c);
      if (nb_stmt_step (t) == NB_DB_ROW)
        target = nb_stmt_column_int64 (t, 0);
      nb_stmt_reset (t);
    }
  nb_stmt_reset (s);
  return target;
}

/* One kind of record: each row @ids_sql lists must be in the target and @sql (by id, column 0
 * the id, not compared) must read the same there; @children (by the record's id) likewise. */
typedef struct
{
  const char *table;
  const char *ids_sql;
  const char *sql;
  const char *children[5]; /* SQL by parent id: column 0 a key, column 1 the parent (skipped) */
  const char *child_names[5];
} Kind;

static const Kind kinds[] = {
  { "pens", "SELECT id FROM pens ORDER BY id", "SELECT id, serial FROM pens WHERE id = ?1" },
  { "pen_firmware", "SELECT id FROM pen_firmware ORDER BY id",
    "SELECT f.id, p.serial, f.firmware, f.seen_at FROM pen_firmware f JOIN pens p"
    " ON p.id = f.pen_id WHERE f.id = ?1" },
  { "standards", "SELECT id FROM standards ORDER BY id",
    "SELECT id, serial, model, certificate, uncertainty_mm, k, due, withdrawn, added_at,"
    " added_by FROM standards WHERE id = ?1" },
  { "sessions",
    "SELECT id FROM sessions WHERE status <> 'recording' ORDER BY id",
    "SELECT s.id, p.serial, s.uri, s.operator, s.name, s.note, s.depth_mm, s.rate_hz,"
    " s.sample_rate_hz, s.started_at, s.ended_at, s.status, s.error FROM sessions s"
    " LEFT JOIN pens p ON p.id = s.pen_id WHERE s.id = ?1",
    { "SELECT session_id, session_id, profile_id, profile_version, target_mm, tolerance_mm,"
      " band_lo_mm, band_hi_mm, rate_tolerance_hz FROM session_targets WHERE session_id = ?1",
      "SELECT rowid, session_id, idx, peak_sample, time_s, depth_mm, period_s,"
      " entry_speed_mm_s FROM strokes WHERE session_id = ?1 ORDER BY rowid",
      "SELECT rowid, session_id, first_index, count, samples, codec FROM batches"
      " WHERE session_id = ?1 ORDER BY rowid",
      "SELECT id, session_id, sample_index, code, name, detail, at FROM events"
      " WHERE session_id = ?1 ORDER BY id" },
    { "session_targets", "strokes", "batches", "events" } },
  { "runs",
    "SELECT id FROM runs WHERE status <> 'running' ORDER BY id",
    "SELECT r.id, r.pen_serial, r.pen_model, r.pen_firmware, r.pen_uri, r.fixture_serial,"
    " r.fixture_model, r.fixture_uri, s.serial, s.added_at, s.added_by, r.profile_id,"
    " r.profile_version, r.profile_json, r.rule, r.traceable, r.adjust, r.operator,"
    " r.environment_json, r.started_at, r.ended_at, r.status, r.verdict, r.error, r.result_json"
    " FROM runs r LEFT JOIN standards s ON s.id = r.standard_id WHERE r.id = ?1",
    { "SELECT id, run_id, at, state, detail FROM run_transitions WHERE run_id = ?1 ORDER BY id",
      "SELECT rowid, run_id, which, at, data FROM run_tables WHERE run_id = ?1 ORDER BY rowid" },
    { "run_transitions", "run_tables" } },
  { "voids", "SELECT id FROM voids ORDER BY id",
    "SELECT id, kind, reason, at, by FROM voids WHERE id = ?1" },
};

static const char points_sql[]
    = "SELECT id, run_id, phase, quantity, seq, target, depth_mm, rate_hz, n, mean, sd, error, u,"
      " expanded, k, nu_eff, verdict, pfa, pen_mean FROM run_points WHERE run_id = ?1"
      " ORDER BY id";
static const char run_strokes_sql[]
    = "SELECT point_id, point_id, idx, reference, pen FROM run_strokes WHERE point_id = ?1"
      " ORDER BY idx";

/* A void's record is the target's copy of the source's. */
static gboolean
check_void_record (Verify *v, gint64 id, gint64 target, GError **error)
{
  NbStmt *s
      = nb_store_stmt (v->sync.from, "SELECT kind, record_id FROM voids WHERE id = ?1", error);
  NbStmt *t
      = s ? nb_store_stmt (v->sync.to, "SELECT record_id FROM voids WHERE id = ?1", error) : NULL;
  if (t == NULL)
    return FALSE;
  nb_stmt_bind_int64 (s, 1, id);
  nb_stmt_bind_int64 (t, 1, target);
  gint64 want = -1, have = -2;
  if (nb_stmt_step (s) == NB_DB_ROW)
    want = nb_sync_map_lookup (
        &v->sync,
        g_strcmp0 ((const char *) nb_stmt_column_text (s, 0), "run") == 0 ? "runs" : "sessions",
        nb_stmt_column_int64 (s, 1), NULL);
  if (nb_stmt_step (t) == NB_DB_ROW)
    have = nb_stmt_column_int64 (t, 0);
  nb_stmt_reset (s);
  nb_stmt_reset (t);
  if (want == have)
    return TRUE;
  g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT,
               "void %" G_GINT64_FORMAT " of %s: its copy in %s voids another record", id,
               v->sync.from->path, v->sync.to->path);
  return FALSE;
}

static gboolean
verify_kind (Verify *v, const Kind *k, GError **error)
{
  g_autoptr (GArray) ids = nb_sync_ids (v->sync.from, k->ids_sql, -1, error);
  if (ids == NULL)
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      gint64 target = target_of (v, k->table, id, error);
      if (target < 0)
        return FALSE;
      if (target == 0)
        {
          g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT,
                       "%s row %" G_GINT64_FORMAT " of %s is not in %s", k->table, id,
                       v->sync.from->path, v->sync.to->path);
          return FALSE;
        }
      if (!compare (v, k->table, k->sql, id, target, 1, -1, NULL, error))
        return FALSE;
      for (int c = 0; c < 5 && k->children[c] != NULL; c++)
        if (!compare (v, k->child_names[c], k->children[c], id, target, 2, -1, NULL, error))
          return FALSE;
      if (g_str_equal (k->table, "voids") && !check_void_record (v, id, target, error))
        return FALSE;
      if (g_str_equal (k->table, "runs"))
        {
          g_autoptr (GArray) points = g_array_new (FALSE, FALSE, sizeof (gint64) * 2);
          if (!compare (v, "run_points", points_sql, id, target, 2, -1, points, error))
            return FALSE;
          for (guint p = 0; p < points->len; p++)
            {
              const gint64 *pair = (const gint64 *) (points->data + p * sizeof (gint64) * 2);
              if (!compare (v, "run_strokes", run_strokes_sql, pair[0], pair[1], 2, -1, NULL,
                            error))
                return FALSE;
            }
        }
    }
  return TRUE;
}

/* The target's audit trail: chain, coverage and content; entries without a signed checkpoint
 * are no difference here (the copy signs when the target's connection has the laboratory key,
 * `audit verify` reports the rest). */
static gboolean
verify_target_audit (NbStore *to, GError **error)
{
  g_autoptr (NbAuditReport) report = nb_audit_verify_report (to, NULL, error);
  if (report == NULL)
    return FALSE;
  for (guint i = 0; i < report->findings->len; i++)
    {
      const NbAuditFinding *f = report->findings->pdata[i];
      if (f->kind == NB_AUDIT_FINDING_UNSIGNED)
        continue;
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT, "The audit trail of %s: %s",
                   nb_store_get_path (to), f->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
nb_store_sync_verify_counts (NbStore *from, NbStore *to, GArray **counts, GError **error)
{
  g_autofree char *origin = nb_store_get_identity (from, error);
  if (origin == NULL)
    return FALSE;
  g_autoptr (GArray) found = g_array_new (FALSE, FALSE, sizeof (NbStoreSyncCount));
  Verify v = { { from, to, origin, NULL, NULL, NULL, NULL, FALSE }, found };
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (!verify_kind (&v, &kinds[i], error))
      return FALSE;
  gint64 n_rows = 0;
  if (!nb_audit_verify (from, &n_rows, NULL, error))
    {
      g_prefix_error (error, "The audit trail of the source: ");
      return FALSE;
    }
  if (!verify_target_audit (to, error))
    return FALSE;
  if (counts != NULL)
    *counts = g_steal_pointer (&found);
  return TRUE;
}

gboolean
nb_store_sync_verify (NbStore *from, NbStore *to, GError **error)
{
  return nb_store_sync_verify_counts (from, to, NULL, error);
}
