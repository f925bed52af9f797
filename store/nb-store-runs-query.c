/* nb-store-runs-query.c: reading calibration runs back (see nb-store-runs.h). */
#include "nb-store-runs.h"

#include <math.h>

#include "nb-store-private.h"

#define RUN_COLUMNS                                                                                \
  "SELECT id, pen_serial, pen_model, pen_firmware, fixture_serial, fixture_model, standard_id,"    \
  " profile_id, profile_version, rule, traceable, adjust, operator, started_at, ended_at, status," \
  " verdict, error, pen_uri, fixture_uri"
/* the light columns, then result_json, profile_json, environment_json for one run */
#define RUN_FROM " FROM runs"

static char *
col_strdup (NbStmt *stmt, int col)
{
  return g_strdup ((const char *) nb_stmt_column_text (stmt, col));
}

/* NULL reads back as NaN */
static double
col_double (NbStmt *stmt, int col)
{
  return nb_stmt_column_type (stmt, col) == NB_DB_NULL ? NAN : nb_stmt_column_double (stmt, col);
}

static NbStoreRun *
run_from_row (NbStore *store, NbStmt *stmt, gboolean full)
{
  NbStoreRun *r = g_new0 (NbStoreRun, 1);
  r->id = nb_stmt_column_int64 (stmt, 0);
  r->pen_serial = col_strdup (stmt, 1);
  r->pen_model = col_strdup (stmt, 2);
  r->pen_firmware = col_strdup (stmt, 3);
  r->fixture_serial = col_strdup (stmt, 4);
  r->fixture_model = col_strdup (stmt, 5);
  r->standard_id = nb_stmt_column_int64 (stmt, 6);
  r->profile_id = col_strdup (stmt, 7);
  r->profile_version = nb_stmt_column_int64 (stmt, 8);
  r->rule = col_strdup (stmt, 9);
  r->traceable = nb_stmt_column_int (stmt, 10) != 0;
  r->adjust = nb_stmt_column_int (stmt, 11) != 0;
  r->operator_name = col_strdup (stmt, 12);
  r->started_at = nb_stmt_column_int64 (stmt, 13);
  r->ended_at = nb_stmt_column_int64 (stmt, 14);
  const char *status = (const char *) nb_stmt_column_text (stmt, 15);
  if (!nb_run_status_from_string (status, &r->status) || r->status == NB_RUN_INTERRUPTED)
    r->status = NB_RUN_FAILED; /* the schema's CHECK allows no other value */
  if (r->status == NB_RUN_RUNNING && !nb_store_live_is_held (store, TRUE, r->id))
    r->status = NB_RUN_INTERRUPTED;
  r->verdict = col_strdup (stmt, 16);
  r->error = col_strdup (stmt, 17);
  r->pen_uri = col_strdup (stmt, 18);
  r->fixture_uri = col_strdup (stmt, 19);
  if (full)
    {
      r->result_json = col_strdup (stmt, 20);
      r->profile_json = col_strdup (stmt, 21);
      r->environment_json = col_strdup (stmt, 22);
    }
  return r;
}

void
nb_store_run_free (NbStoreRun *run)
{
  if (run == NULL)
    return;
  g_free (run->pen_serial);
  g_free (run->pen_model);
  g_free (run->pen_firmware);
  g_free (run->fixture_serial);
  g_free (run->fixture_model);
  g_free (run->profile_id);
  g_free (run->rule);
  g_free (run->operator_name);
  g_free (run->verdict);
  g_free (run->error);
  g_free (run->result_json);
  g_free (run->pen_uri);
  g_free (run->fixture_uri);
  g_free (run->profile_json);
  g_free (run->environment_json);
  g_free (run);
}

GPtrArray *
nb_store_list_runs (NbStore *store, GError **error)
{
  NbStmt *stmt
      = nb_store_stmt (store, RUN_COLUMNS RUN_FROM " ORDER BY started_at DESC, id DESC", error);
  if (stmt == NULL)
    return NULL;
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_store_run_free);
  int rc;
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    g_ptr_array_add (list, run_from_row (store, stmt, FALSE));
  nb_stmt_reset (stmt);
  if (rc != NB_DB_DONE)
    {
      nb_store_set_error (store, error, rc, "Listing the calibration runs of");
      return NULL;
    }
  return g_steal_pointer (&list);
}

NbStoreRun *
nb_store_get_run (NbStore *store, gint64 run_id, GError **error)
{
  NbStmt *stmt = nb_store_stmt (
      store, RUN_COLUMNS ", result_json, profile_json, environment_json" RUN_FROM " WHERE id = ?",
      error);
  if (stmt == NULL)
    return NULL;
  nb_stmt_bind_int64 (stmt, 1, run_id);
  int rc = nb_stmt_step (stmt);
  NbStoreRun *r = rc == NB_DB_ROW ? run_from_row (store, stmt, TRUE) : NULL;
  nb_stmt_reset (stmt);
  if (rc == NB_DB_DONE)
    g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND,
                 "No calibration run %" G_GINT64_FORMAT " in %s", run_id, store->path);
  else if (rc != NB_DB_ROW)
    nb_store_set_error (store, error, rc, "Reading a calibration run from");
  return r;
}

/* run_exists: FALSE with NB_STORE_ERROR_NOT_FOUND when there is no run @run_id */
static gboolean
run_exists (NbStore *store, gint64 run_id, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store, "SELECT 1 FROM runs WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  nb_stmt_bind_int64 (stmt, 1, run_id);
  int rc = nb_stmt_step (stmt);
  nb_stmt_reset (stmt);
  if (rc == NB_DB_DONE)
    g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND,
                 "No calibration run %" G_GINT64_FORMAT " in %s", run_id, store->path);
  else if (rc != NB_DB_ROW)
    nb_store_set_error (store, error, rc, "Reading a calibration run from");
  return rc == NB_DB_ROW;
}

gboolean
nb_store_foreach_run_point (NbStore *store, gint64 run_id, NbStoreRunPointFunc func,
                            gpointer user_data, GError **error)
{
  if (!run_exists (store, run_id, error))
    return FALSE;
  /* a prepared statement of its own: the callback may read the point's strokes */
  NbStmt *stmt = NULL;
  int rc;
  stmt = nb_db_prepare (store->db,
                        "SELECT id, phase, quantity, seq, target, depth_mm, rate_hz, n,"
                        " mean, sd, error, u, expanded, k, nu_eff, verdict, pfa, pen_mean"
                        " FROM run_points WHERE run_id = ? ORDER BY id",
                        FALSE, &rc);
  if (stmt == NULL)
    {
      nb_store_set_error (store, error, rc, "Preparing SQL on");
      return FALSE;
    }
  nb_stmt_bind_int64 (stmt, 1, run_id);
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    {
      NbStoreRunPoint p = { 0 };
      gint64 id = nb_stmt_column_int64 (stmt, 0);
      p.phase = g_strcmp0 ((const char *) nb_stmt_column_text (stmt, 1), "as-left") == 0
                    ? NB_RUN_PHASE_AS_LEFT
                    : NB_RUN_PHASE_AS_FOUND;
      p.quantity = g_strcmp0 ((const char *) nb_stmt_column_text (stmt, 2), "rate") == 0
                       ? NB_RUN_QUANTITY_RATE
                       : NB_RUN_QUANTITY_DEPTH;
      p.seq = (guint) nb_stmt_column_int64 (stmt, 3);
      p.target = col_double (stmt, 4);
      p.depth_mm = col_double (stmt, 5);
      p.rate_hz = col_double (stmt, 6);
      p.n = (guint) nb_stmt_column_int64 (stmt, 7);
      p.mean = col_double (stmt, 8);
      p.sd = col_double (stmt, 9);
      p.error = col_double (stmt, 10);
      p.u = col_double (stmt, 11);
      p.U = col_double (stmt, 12);
      p.k = col_double (stmt, 13);
      p.nu_eff = col_double (stmt, 14);
      if (isnan (p.nu_eff) && !isnan (p.u))
        p.nu_eff = INFINITY; /* how an infinite ν_eff is stored */
      p.verdict = (const char *) nb_stmt_column_text (stmt, 15);
      p.pfa = col_double (stmt, 16);
      p.pen_mean = col_double (stmt, 17);
      if (!func (id, &p, user_data))
        {
          rc = NB_DB_DONE;
          break;
        }
    }
  if (rc != NB_DB_DONE)
    nb_store_set_error (store, error, rc, "Reading a run's points from");
  nb_stmt_finalize (stmt);
  return rc == NB_DB_DONE;
}

gboolean
nb_store_foreach_run_transition (NbStore *store, gint64 run_id, NbStoreRunTransitionFunc func,
                                 gpointer user_data, GError **error)
{
  if (!run_exists (store, run_id, error))
    return FALSE;
  NbStmt *stmt = NULL;
  int rc;
  stmt = nb_db_prepare (store->db,
                        "SELECT at, state, detail FROM run_transitions WHERE run_id = ?"
                        " ORDER BY id",
                        FALSE, &rc);
  if (stmt == NULL)
    {
      nb_store_set_error (store, error, rc, "Preparing SQL on");
      return FALSE;
    }
  nb_stmt_bind_int64 (stmt, 1, run_id);
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    if (!func (nb_stmt_column_int64 (stmt, 0), (const char *) nb_stmt_column_text (stmt, 1),
               (const char *) nb_stmt_column_text (stmt, 2), user_data))
      {
        rc = NB_DB_DONE;
        break;
      }
  if (rc != NB_DB_DONE)
    nb_store_set_error (store, error, rc, "Reading a run's transitions from");
  nb_stmt_finalize (stmt);
  return rc == NB_DB_DONE;
}

GArray *
nb_store_get_run_strokes (NbStore *store, gint64 point_id, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store, "SELECT 1 FROM run_points WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  nb_stmt_bind_int64 (stmt, 1, point_id);
  int rc = nb_stmt_step (stmt);
  nb_stmt_reset (stmt);
  if (rc != NB_DB_ROW)
    {
      if (rc == NB_DB_DONE)
        g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND,
                     "No calibration point %" G_GINT64_FORMAT " in %s", point_id, store->path);
      else
        nb_store_set_error (store, error, rc, "Reading a run's point from");
      return NULL;
    }
  stmt = nb_store_stmt (
      store, "SELECT reference, pen FROM run_strokes WHERE point_id = ? ORDER BY idx", error);
  if (stmt == NULL)
    return NULL;
  nb_stmt_bind_int64 (stmt, 1, point_id);
  g_autoptr (GArray) strokes = g_array_new (FALSE, FALSE, sizeof (NbStoreRunStroke));
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    {
      NbStoreRunStroke s = { col_double (stmt, 0), col_double (stmt, 1) };
      g_array_append_val (strokes, s);
    }
  nb_stmt_reset (stmt);
  if (rc != NB_DB_DONE)
    {
      nb_store_set_error (store, error, rc, "Reading a run's raw readings from");
      return NULL;
    }
  return g_steal_pointer (&strokes);
}

GBytes *
nb_store_get_run_table (NbStore *store, gint64 run_id, const char *which, GError **error)
{
  if (!run_exists (store, run_id, error))
    return NULL;
  NbStmt *stmt
      = nb_store_stmt (store, "SELECT data FROM run_tables WHERE run_id = ? AND which = ?", error);
  if (stmt == NULL)
    return NULL;
  nb_stmt_bind_int64 (stmt, 1, run_id);
  nb_store_bind_text (stmt, 2, which);
  int rc = nb_stmt_step (stmt);
  GBytes *bytes = NULL;
  if (rc == NB_DB_ROW)
    bytes = g_bytes_new (nb_stmt_column_blob (stmt, 0), (gsize) nb_stmt_column_bytes (stmt, 0));
  nb_stmt_reset (stmt);
  if (rc == NB_DB_DONE)
    g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND,
                 "Calibration run %" G_GINT64_FORMAT " has no table “%s”", run_id,
                 which ? which : "");
  else if (rc != NB_DB_ROW)
    nb_store_set_error (store, error, rc, "Reading a run's calibration table from");
  return bytes;
}
