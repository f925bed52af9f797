/* nb-store-runs.c: writing calibration runs (see nb-store-runs.h); reading them back is in
 * nb-store-runs-query.c. Every write is one IMMEDIATE transaction with its audit entry; the
 * schema's triggers (nb-store-schema.c, version 5) keep the records append-only. */
#include "nb-store-runs.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "nb-audit.h"
#include "nb-audit-rows.h"
#include "nb-store-private.h"
#include "nb-store-standards.h"

#define TEXT_MAX 64
#define URI_MAX 1024

static const char *const rules[] = { "simple", "guarded", "nonbinary", NULL };
static const char *const verdicts[]
    = { "pass", "conditional-pass", "conditional-fail", "fail", NULL };

const char *
nb_run_status_to_string (NbRunStatus status)
{
  switch (status)
    {
    case NB_RUN_RUNNING: return "running";
    case NB_RUN_COMPLETE: return "complete";
    case NB_RUN_FAILED: return "failed";
    case NB_RUN_CANCELLED: return "cancelled";
    case NB_RUN_INTERRUPTED: return "interrupted";
    default: return "unknown";
    }
}

gboolean
nb_run_status_from_string (const char *name, NbRunStatus *status)
{
  for (int s = NB_RUN_RUNNING; s <= NB_RUN_INTERRUPTED; s++)
    if (g_strcmp0 (name, nb_run_status_to_string (s)) == 0)
      {
        *status = s;
        return TRUE;
      }
  return FALSE;
}

const char *
nb_run_phase_to_string (NbRunPhase phase)
{
  return phase == NB_RUN_PHASE_AS_LEFT ? "as-left" : "as-found";
}

const char *
nb_run_quantity_to_string (NbRunQuantity quantity)
{
  return quantity == NB_RUN_QUANTITY_RATE ? "rate" : "depth";
}

/* --- validation --- */

static gboolean
check_name (const char *what, const char *value, const char *const *known, gboolean required,
            GError **error)
{
  if (value == NULL && !required)
    return TRUE;
  if (value != NULL && g_strv_contains (known, value))
    return TRUE;
  g_autofree char *list = g_strjoinv (", ", (char **) known);
  g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID, "%s: must be one of %s", what, list);
  return FALSE;
}

/* Free text (an error, a detail): only valid UTF-8 is asked for, it may span lines. */
static gboolean
check_utf8 (const char *what, const char *text, GError **error)
{
  if (text == NULL || g_utf8_validate (text, -1, NULL))
    return TRUE;
  g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID, "%s: is not valid UTF-8", what);
  return FALSE;
}

static gboolean
check_json (const char *what, const char *text, GError **error)
{
  if (text == NULL)
    return TRUE;
  if (!check_utf8 (what, text, error))
    return FALSE;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  if (json_parser_load_from_data (parser, text, -1, &local))
    return TRUE;
  g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID, "%s: is not JSON: %s", what,
               local->message);
  return FALSE;
}

/* @value is finite, or NaN when @nan_ok */
static gboolean
check_number (const char *what, double value, gboolean nan_ok, GError **error)
{
  if (isfinite (value) || (nan_ok && isnan (value)))
    return TRUE;
  g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID, "%s: must be a finite number%s", what,
               nan_ok ? " or NaN" : "");
  return FALSE;
}

static gboolean
validate_params (const NbStoreRunParams *p, GError **error)
{
  if (!nb_store_standard_check_text ("pen serial", p->pen_serial, TRUE, TEXT_MAX, error)
      || !nb_store_standard_check_text ("pen model", p->pen_model, FALSE, TEXT_MAX, error)
      || !nb_store_standard_check_text ("pen firmware", p->pen_firmware, FALSE, TEXT_MAX, error)
      || !nb_store_standard_check_text ("pen URI", p->pen_uri, FALSE, URI_MAX, error)
      || !nb_store_standard_check_text ("fixture serial", p->fixture_serial, FALSE, TEXT_MAX, error)
      || !nb_store_standard_check_text ("fixture model", p->fixture_model, FALSE, TEXT_MAX, error)
      || !nb_store_standard_check_text ("fixture URI", p->fixture_uri, FALSE, URI_MAX, error)
      || !nb_store_standard_check_text ("profile id", p->profile_id, TRUE, TEXT_MAX, error)
      || !check_json ("profile JSON", p->profile_json, error)
      || !check_name ("rule", p->rule, rules, TRUE, error)
      || !nb_store_standard_check_text ("operator", p->operator_name, FALSE, TEXT_MAX, error)
      || !check_json ("environment JSON", p->environment_json, error))
    return FALSE;
  if (p->profile_version < 1)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "profile version: must be 1 or more (got %" G_GINT64_FORMAT ")",
                   p->profile_version);
      return FALSE;
    }
  if (p->standard_id < 0)
    {
      g_set_error_literal (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                           "standard id: must be a record id, or 0 for none");
      return FALSE;
    }
  /* a traceable result is traced to something: the fixture and its certificate */
  if (p->traceable && (p->fixture_serial == NULL || p->standard_id == 0))
    {
      g_set_error_literal (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                           p->fixture_serial == NULL
                               ? "fixture serial: a traceable run needs its fixture"
                               : "standard id: a traceable run needs its reference standard");
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_point (const NbStoreRunPoint *p, const NbStoreRunStroke *strokes, gsize n_strokes,
                GError **error)
{
  if (p->phase != NB_RUN_PHASE_AS_FOUND && p->phase != NB_RUN_PHASE_AS_LEFT)
    {
      g_set_error_literal (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                           "phase: must be as-found or as-left");
      return FALSE;
    }
  if (p->quantity != NB_RUN_QUANTITY_DEPTH && p->quantity != NB_RUN_QUANTITY_RATE)
    {
      g_set_error_literal (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                           "quantity: must be depth or rate");
      return FALSE;
    }
  if (!check_number ("target", p->target, FALSE, error)
      || !check_number ("depth_mm", p->depth_mm, TRUE, error)
      || !check_number ("rate_hz", p->rate_hz, TRUE, error)
      || !check_number ("mean", p->mean, TRUE, error) || !check_number ("sd", p->sd, TRUE, error)
      || !check_number ("error", p->error, TRUE, error) || !check_number ("u", p->u, TRUE, error)
      || !check_number ("U", p->U, TRUE, error) || !check_number ("k", p->k, TRUE, error)
      || !check_number ("pfa", p->pfa, TRUE, error)
      || !check_number ("pen_mean", p->pen_mean, TRUE, error)
      || !check_name ("verdict", p->verdict, verdicts, FALSE, error))
    return FALSE;
  /* NULL nu_eff means infinite, unless the point has no figures at all (u NaN) */
  if (!(p->nu_eff == INFINITY || isfinite (p->nu_eff) || (isnan (p->nu_eff) && isnan (p->u))))
    {
      g_set_error_literal (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                           "nu_eff: must be finite or INFINITY (NaN only when u is NaN)");
      return FALSE;
    }
  if (n_strokes != p->n || (n_strokes > 0 && strokes == NULL))
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "strokes: a point of n = %u needs its %u raw readings (got %" G_GSIZE_FORMAT ")",
                   p->n, p->n, n_strokes);
      return FALSE;
    }
  for (gsize i = 0; i < n_strokes; i++)
    {
      char what[64];
      g_snprintf (what, sizeof what, "stroke %" G_GSIZE_FORMAT " reference", i);
      if (!check_number (what, strokes[i].reference, FALSE, error))
        return FALSE;
      g_snprintf (what, sizeof what, "stroke %" G_GSIZE_FORMAT " pen", i);
      if (!check_number (what, strokes[i].pen, TRUE, error))
        return FALSE;
    }
  return TRUE;
}

/* --- helpers --- */

static void
bind_double_or_null (NbStmt *stmt, int col, double value)
{
  if (isfinite (value))
    nb_stmt_bind_double (stmt, col, value);
  else
    nb_stmt_bind_null (stmt, col);
}

static void
append_number (GString *s, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append (s, isnan (value) ? "nan" : g_ascii_formatd (buf, sizeof buf, "%.17g", value));
}

char *
nb_store_run_strokes_sha256 (const NbStoreRunStroke *strokes, gsize n_strokes)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GString) line = g_string_new (NULL);
  for (gsize i = 0; i < n_strokes; i++)
    {
      g_string_truncate (line, 0);
      append_number (line, strokes[i].reference);
      g_string_append_c (line, ' ');
      append_number (line, strokes[i].pen);
      g_string_append_c (line, '\n');
      g_checksum_update (sum, (const guchar *) line->str, (gssize) line->len);
    }
  return g_strdup (g_checksum_get_string (sum));
}

static char *
sha256_of (const void *data, gsize length)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, length);
}

/* open_run: inside the write transaction, checks that run @run_id exists and is running, and
 * gets its operator (the audit actor of what is added to it; transfer full). */
static gboolean
open_run (NbStore *store, gint64 run_id, char **actor, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store, "SELECT status, operator FROM runs WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  nb_stmt_bind_int64 (stmt, 1, run_id);
  int rc = nb_stmt_step (stmt);
  gboolean running
      = rc == NB_DB_ROW && g_strcmp0 ((const char *) nb_stmt_column_text (stmt, 0), "running") == 0;
  const char *op = rc == NB_DB_ROW ? (const char *) nb_stmt_column_text (stmt, 1) : NULL;
  *actor = g_strdup (op != NULL ? op : g_get_user_name ());
  nb_stmt_reset (stmt);
  if (rc == NB_DB_DONE)
    g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND,
                 "No calibration run %" G_GINT64_FORMAT " in %s", run_id, store->path);
  else if (rc != NB_DB_ROW)
    nb_store_set_error (store, error, rc, "Reading a calibration run from");
  else if (!running)
    g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT,
                 "Calibration run %" G_GINT64_FORMAT " is closed: its records cannot change",
                 run_id);
  return rc == NB_DB_ROW && running;
}

static char *
run_subject (gint64 run_id)
{
  return g_strdup_printf ("run:%" G_GINT64_FORMAT, run_id);
}

static void
remember_lock (NbStore *store, gint64 run_id, int fd)
{
  if (store->run_locks == NULL)
    store->run_locks = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_hash_table_insert (store->run_locks, g_memdup2 (&run_id, sizeof run_id), GINT_TO_POINTER (fd));
}

static void
release_lock (NbStore *store, gint64 run_id)
{
  gpointer fd;
  if (store->run_locks != NULL
      && g_hash_table_lookup_extended (store->run_locks, &run_id, NULL, &fd))
    {
      nb_store_live_unlock (store, store->path, TRUE, run_id, GPOINTER_TO_INT (fd));
      g_hash_table_remove (store->run_locks, &run_id);
    }
}

void
nb_store_release_run_locks (NbStore *store)
{
  if (store->run_locks == NULL)
    return;
  GHashTableIter iter;
  gpointer key, fd;
  g_hash_table_iter_init (&iter, store->run_locks);
  while (g_hash_table_iter_next (&iter, &key, &fd))
    nb_store_live_unlock (store, store->path, TRUE, *(gint64 *) key, GPOINTER_TO_INT (fd));
  g_clear_pointer (&store->run_locks, g_hash_table_unref);
}

/* --- writing --- */

gint64
nb_store_begin_run (NbStore *store, const NbStoreRunParams *p, GError **error)
{
  g_return_val_if_fail (p != NULL, 0);
  if (!validate_params (p, error))
    return 0;
  const char *actor = p->operator_name != NULL ? p->operator_name : g_get_user_name ();
  g_autofree char *subject = NULL, *detail = NULL, *covers = NULL;
  int fd = -1;
  gint64 id = 0;

  if (!nb_store_begin (store, error))
    return 0;
  NbStmt *stmt
      = nb_store_stmt (store,
                       "INSERT INTO runs (pen_serial, pen_model, pen_firmware, pen_uri,"
                       " fixture_serial, fixture_model, fixture_uri, standard_id, profile_id,"
                       " profile_version, profile_json, rule, traceable, adjust, operator,"
                       " environment_json, started_at, status)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running')",
                       error);
  if (stmt == NULL)
    goto fail;
  nb_store_bind_text (stmt, 1, p->pen_serial);
  nb_store_bind_text (stmt, 2, p->pen_model);
  nb_store_bind_text (stmt, 3, p->pen_firmware);
  nb_store_bind_text (stmt, 4, p->pen_uri);
  nb_store_bind_text (stmt, 5, p->fixture_serial);
  nb_store_bind_text (stmt, 6, p->fixture_model);
  nb_store_bind_text (stmt, 7, p->fixture_uri);
  if (p->standard_id != 0)
    nb_stmt_bind_int64 (stmt, 8, p->standard_id);
  nb_store_bind_text (stmt, 9, p->profile_id);
  nb_stmt_bind_int64 (stmt, 10, p->profile_version);
  nb_store_bind_text (stmt, 11, p->profile_json);
  nb_store_bind_text (stmt, 12, p->rule);
  nb_stmt_bind_int (stmt, 13, p->traceable ? 1 : 0);
  nb_stmt_bind_int (stmt, 14, p->adjust ? 1 : 0);
  nb_store_bind_text (stmt, 15, p->operator_name);
  nb_store_bind_text (stmt, 16, p->environment_json);
  nb_stmt_bind_int64 (stmt, 17, g_get_real_time ());
  if (!nb_store_step_done (store, stmt, "Creating a calibration run in", error))
    goto fail;
  id = nb_db_last_insert_id (store->db);

  subject = run_subject (id);
  detail = g_strdup_printf (
      "pen=%s fixture=%s standard=%" G_GINT64_FORMAT " profile=%s version=%" G_GINT64_FORMAT
      " rule=%s traceable=%d adjust=%d",
      p->pen_serial, p->fixture_serial ? p->fixture_serial : "", p->standard_id, p->profile_id,
      p->profile_version, p->rule, p->traceable ? 1 : 0, p->adjust ? 1 : 0);
  covers = nb_audit_covers_range ("runs", id, id);
  if (!nb_audit_append_rows (store, actor, "run.begin", subject, detail, covers, NB_AUDIT_DEFAULT,
                             error))
    goto fail;
  /* locked before the row is visible to anyone, so it never reads as interrupted while alive */
  fd = nb_store_live_lock (store, TRUE, id, error);
  if (fd < 0 || !nb_store_commit (store, error))
    goto fail;
  remember_lock (store, id, fd);
  return id;

fail:
  nb_store_rollback (store);
  nb_store_live_unlock (store, store->path, TRUE, id, fd);
  return 0;
}

gboolean
nb_store_add_run_transition (NbStore *store, gint64 run_id, const char *state, const char *detail,
                             GError **error)
{
  if (!nb_store_standard_check_text ("state", state, TRUE, TEXT_MAX, error)
      || !check_utf8 ("detail", detail, error))
    return FALSE;
  g_autofree char *actor = NULL, *subject = run_subject (run_id), *audit = NULL;
  g_autofree char *covers = NULL;
  if (!nb_store_begin (store, error))
    return FALSE;
  if (!open_run (store, run_id, &actor, error))
    goto fail;
  NbStmt *stmt = nb_store_stmt (
      store, "INSERT INTO run_transitions (run_id, at, state, detail) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  nb_stmt_bind_int64 (stmt, 1, run_id);
  nb_stmt_bind_int64 (stmt, 2, g_get_real_time ());
  nb_store_bind_text (stmt, 3, state);
  nb_store_bind_text (stmt, 4, detail);
  if (!nb_store_step_done (store, stmt, "Recording a run's transition in", error))
    goto fail;
  audit = g_strdup_printf ("state=%s", state);
  gint64 tid = nb_db_last_insert_id (store->db);
  covers = nb_audit_covers_range ("run_transitions", tid, tid);
  if (!nb_audit_append_rows (store, actor, "run.transition", subject, audit, covers,
                             NB_AUDIT_DEFAULT, error)
      || !nb_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  nb_store_rollback (store);
  return FALSE;
}

static gboolean
insert_strokes (NbStore *store, gint64 point_id, const NbStoreRunStroke *strokes, gsize n,
                GError **error)
{
  NbStmt *stmt = nb_store_stmt (
      store, "INSERT INTO run_strokes (point_id, idx, reference, pen) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      nb_stmt_bind_int64 (stmt, 1, point_id);
      nb_stmt_bind_int64 (stmt, 2, (gint64) i);
      nb_stmt_bind_double (stmt, 3, strokes[i].reference);
      bind_double_or_null (stmt, 4, strokes[i].pen);
      if (!nb_store_step_done (store, stmt, "Writing a run's raw readings to", error))
        return FALSE;
    }
  return TRUE;
}

gint64
nb_store_add_run_point (NbStore *store, gint64 run_id, const NbStoreRunPoint *p,
                        const NbStoreRunStroke *strokes, gsize n_strokes, GError **error)
{
  g_return_val_if_fail (p != NULL, 0);
  if (!validate_point (p, strokes, n_strokes, error))
    return 0;
  g_autofree char *actor = NULL, *subject = run_subject (run_id), *detail = NULL;
  g_autofree char *covers = NULL;
  g_autofree char *sha = nb_store_run_strokes_sha256 (strokes, n_strokes);
  gint64 id = 0;

  if (!nb_store_begin (store, error))
    return 0;
  if (!open_run (store, run_id, &actor, error))
    goto fail;
  NbStmt *stmt
      = nb_store_stmt (store,
                       "INSERT INTO run_points (run_id, phase, quantity, seq, target, depth_mm,"
                       " rate_hz, n, mean, sd, error, u, expanded, k, nu_eff, verdict, pfa,"
                       " pen_mean) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       error);
  if (stmt == NULL)
    goto fail;
  nb_stmt_bind_int64 (stmt, 1, run_id);
  nb_store_bind_text (stmt, 2, nb_run_phase_to_string (p->phase));
  nb_store_bind_text (stmt, 3, nb_run_quantity_to_string (p->quantity));
  nb_stmt_bind_int64 (stmt, 4, p->seq);
  nb_stmt_bind_double (stmt, 5, p->target);
  bind_double_or_null (stmt, 6, p->depth_mm);
  bind_double_or_null (stmt, 7, p->rate_hz);
  nb_stmt_bind_int64 (stmt, 8, p->n);
  bind_double_or_null (stmt, 9, p->mean);
  bind_double_or_null (stmt, 10, p->sd);
  bind_double_or_null (stmt, 11, p->error);
  bind_double_or_null (stmt, 12, p->u);
  bind_double_or_null (stmt, 13, p->U);
  bind_double_or_null (stmt, 14, p->k);
  bind_double_or_null (stmt, 15, p->nu_eff);
  nb_store_bind_text (stmt, 16, p->verdict);
  bind_double_or_null (stmt, 17, p->pfa);
  bind_double_or_null (stmt, 18, p->pen_mean);
  if (!nb_store_step_done (store, stmt, "Writing a run's point to", error))
    goto fail;
  id = nb_db_last_insert_id (store->db);
  if (!insert_strokes (store, id, strokes, n_strokes, error))
    goto fail;

  char target[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (target, sizeof target, "%.17g", p->target);
  detail = g_strdup_printf ("point=%" G_GINT64_FORMAT " phase=%s quantity=%s seq=%u target=%s "
                            "n=%u verdict=%s sha256=%s",
                            id, nb_run_phase_to_string (p->phase),
                            nb_run_quantity_to_string (p->quantity), p->seq, target, p->n,
                            p->verdict ? p->verdict : "", sha);
  /* the raw readings are covered by their point's id (run_strokes has no rowid) */
  covers = g_strdup_printf ("run_points:%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT
                            " run_strokes:%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT,
                            id, id, id, id);
  if (!nb_audit_append_rows (store, actor, "run.point", subject, detail, covers, NB_AUDIT_DEFAULT,
                             error)
      || !nb_store_commit (store, error))
    goto fail;
  return id;

fail:
  nb_store_rollback (store);
  return 0;
}

gboolean
nb_store_add_run_table (NbStore *store, gint64 run_id, const char *which, const guint8 *table,
                        gsize length, GError **error)
{
  static const char *const whiches[] = { "before", "after", NULL };
  if (!check_name ("which", which, whiches, TRUE, error))
    return FALSE;
  if (table == NULL || length == 0 || length > G_MAXINT)
    {
      g_set_error_literal (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                           "table: the encoded table is empty");
      return FALSE;
    }
  g_autofree char *actor = NULL, *subject = run_subject (run_id), *detail = NULL;
  g_autofree char *covers = NULL;
  g_autofree char *sha = sha256_of (table, length);
  if (!nb_store_begin (store, error))
    return FALSE;
  if (!open_run (store, run_id, &actor, error))
    goto fail;
  NbStmt *stmt = nb_store_stmt (
      store, "INSERT INTO run_tables (run_id, which, at, data) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  nb_stmt_bind_int64 (stmt, 1, run_id);
  nb_store_bind_text (stmt, 2, which);
  nb_stmt_bind_int64 (stmt, 3, g_get_real_time ());
  nb_stmt_bind_blob (stmt, 4, table, (int) length);
  gboolean ok = nb_store_step_done (store, stmt, "Writing a run's calibration table to", error);
  nb_stmt_clear_bindings (stmt); /* the caller's buffer */
  if (!ok)
    goto fail;
  gint64 rowid = nb_db_last_insert_id (store->db);
  covers = nb_audit_covers_range ("run_tables", rowid, rowid);
  detail = g_strdup_printf ("which=%s length=%" G_GSIZE_FORMAT " sha256=%s", which, length, sha);
  if (!nb_audit_append_rows (store, actor, "run.table", subject, detail, covers, NB_AUDIT_DEFAULT,
                             error)
      || !nb_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  nb_store_rollback (store);
  return FALSE;
}

gboolean
nb_store_close_run (NbStore *store, gint64 run_id, NbRunStatus status, const char *verdict,
                    const char *error_text, const char *result_json, GError **error)
{
  if (status != NB_RUN_COMPLETE && status != NB_RUN_FAILED && status != NB_RUN_CANCELLED)
    {
      g_set_error_literal (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                           "status: a run closes as complete, failed or cancelled");
      return FALSE;
    }
  if (!check_name ("verdict", verdict, verdicts, FALSE, error)
      || !check_utf8 ("error", error_text, error)
      || !check_json ("result JSON", result_json, error))
    return FALSE;
  g_autofree char *actor = NULL, *subject = run_subject (run_id), *detail = NULL;
  g_autofree char *covers = NULL;
  g_autofree char *sha
      = result_json != NULL ? sha256_of (result_json, strlen (result_json)) : g_strdup ("");

  if (!nb_store_begin (store, error))
    return FALSE;
  if (!open_run (store, run_id, &actor, error))
    goto fail;
  NbStmt *stmt = nb_store_stmt (store,
                                "UPDATE runs SET status = ?, ended_at = ?, verdict = ?,"
                                " error = ?, result_json = ? WHERE id = ?",
                                error);
  if (stmt == NULL)
    goto fail;
  nb_store_bind_text (stmt, 1, nb_run_status_to_string (status));
  nb_stmt_bind_int64 (stmt, 2, g_get_real_time ());
  nb_store_bind_text (stmt, 3, verdict);
  nb_store_bind_text (stmt, 4, error_text);
  nb_store_bind_text (stmt, 5, result_json);
  nb_stmt_bind_int64 (stmt, 6, run_id);
  if (!nb_store_step_done (store, stmt, "Closing a calibration run in", error))
    goto fail;
  detail = g_strdup_printf ("status=%s verdict=%s sha256=%s", nb_run_status_to_string (status),
                            verdict ? verdict : "", sha);
  covers = nb_audit_covers_range ("runs", run_id, run_id);
  if (!nb_audit_append_rows (store, actor, "run.close", subject, detail, covers,
                             NB_AUDIT_CHECKPOINT, error)
      || !nb_store_commit (store, error))
    goto fail;
  release_lock (store, run_id);
  return TRUE;

fail:
  nb_store_rollback (store);
  return FALSE;
}
