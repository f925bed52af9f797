/* nb-fleet-load.c: the runs the fleet statistics read (nb-fleet-stats.h), from the store's run
 * records and each run's result document (docs/cli.md, "The result document"). Read-only: it
 * uses the store's existing queries, so it works on any database the CLI can open. */
#include "nb-fleet-stats.h"

#include <math.h>

#include "nb-run-result.h"
#include "nb-store-runs.h"
#include "nb-store-voids.h"

static gboolean
verdict_from_string (const char *name, NbVerdict *verdict)
{
  for (NbVerdict v = NB_VERDICT_PASS; v <= NB_VERDICT_FAIL; v++)
    if (g_strcmp0 (name, nb_verdict_to_string (v)) == 0)
      {
        *verdict = v;
        return TRUE;
      }
  return FALSE;
}

/* a number member (an integer in a hand-written document too); NaN when null or missing */
static double
number (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  if (n == NULL || JSON_NODE_TYPE (n) != JSON_NODE_VALUE)
    return NAN;
  GType t = json_node_get_value_type (n);
  if (t == G_TYPE_INT64)
    return (double) json_node_get_int (n);
  if (t == G_TYPE_DOUBLE)
    return json_node_get_double (n);
  return NAN;
}

static JsonObject *
object (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
array (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static const char *
string (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  return n && json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n) : NULL;
}

/* the document's limits are absolute and rounded to 0.1 µm: so are the error limits made here */
static double
limit_as_error (double limit, double target, double open)
{
  if (isnan (limit))
    return open;
  return round ((limit - target) * 1e4) / 1e4;
}

/* reads one phase entry; FALSE when it is missing or null (not measured) */
static gboolean
read_entry (JsonObject *e, double *error_mm, double *U_mm, NbVerdict *verdict, GError **error)
{
  if (e == NULL)
    return FALSE;
  *error_mm = number (e, "error_mm");
  *U_mm = number (e, "U_mm");
  if (!verdict_from_string (string (e, "verdict"), verdict))
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT, "a point has no verdict");
      return FALSE;
    }
  return TRUE;
}

static void
worst (gboolean *has, NbVerdict *acc, NbVerdict v)
{
  *acc = *has ? nb_verdict_worst (*acc, v) : v;
  *has = TRUE;
}

NbFleetRun *
nb_fleet_run_from_json (JsonObject *doc, gint64 run_id, gint64 started_at, GError **error)
{
  const char *serial = string (doc, "serial");
  JsonArray *points = array (doc, "points");
  if (serial == NULL || points == NULL)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT,
                   "the result document of run %" G_GINT64_FORMAT " has no %s", run_id,
                   serial == NULL ? "serial" : "points");
      return NULL;
    }
  g_autoptr (NbFleetRun) run = nb_fleet_run_new (
      run_id, serial, string (object (doc, "pen"), "model"), string (doc, "profile"), started_at);
  for (guint i = 0; i < json_array_get_length (points); i++)
    {
      JsonObject *po = json_array_get_object_element (points, i);
      NbFleetPoint p = { 0 };
      p.target_mm = number (po, "target_mm");
      p.rate_hz = number (po, "rate_hz");
      JsonObject *af = object (po, "as_found"), *al = object (po, "as_left");
      JsonObject *tol = object (af ? af : al, "tolerance");
      p.tol_lower_mm = limit_as_error (number (tol, "lower"), p.target_mm, -INFINITY);
      p.tol_upper_mm = limit_as_error (number (tol, "upper"), p.target_mm, INFINITY);
      g_autoptr (GError) local = NULL;
      p.has_found = read_entry (af, &p.found_error_mm, &p.found_U_mm, &p.found_verdict, &local);
      if (local == NULL)
        p.has_left = read_entry (al, &p.left_error_mm, &p.left_U_mm, &p.left_verdict, &local);
      if (local != NULL || isnan (p.target_mm))
        {
          g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT,
                       "the result document of run %" G_GINT64_FORMAT ", point %u: %s", run_id,
                       i + 1, local ? local->message : "no target_mm");
          return NULL;
        }
      if (p.has_found)
        worst (&run->has_found_verdict, &run->found_verdict, p.found_verdict);
      if (p.has_left)
        worst (&run->has_left_verdict, &run->left_verdict, p.left_verdict);
      g_array_append_val (run->points, p);
    }
  /* a rate point decides a phase's verdict too (first-pass yield), though it has no depth */
  JsonArray *rates = array (doc, "rate_points");
  for (guint i = 0; rates != NULL && i < json_array_get_length (rates); i++)
    {
      JsonObject *ro = json_array_get_object_element (rates, i);
      NbVerdict v;
      if (verdict_from_string (string (object (ro, "as_found"), "verdict"), &v))
        worst (&run->has_found_verdict, &run->found_verdict, v);
      if (verdict_from_string (string (object (ro, "as_left"), "verdict"), &v))
        worst (&run->has_left_verdict, &run->left_verdict, v);
    }
  return g_steal_pointer (&run);
}

static gboolean
selected (const NbStoreRun *r, const NbFleetFilter *f)
{
  if (r->status != NB_RUN_COMPLETE || !r->traceable)
    return FALSE; /* a self-check or a run without a verdict calibrated nothing */
  if (f == NULL)
    return TRUE;
  if (f->model != NULL && g_strcmp0 (r->pen_model, f->model) != 0)
    return FALSE;
  if (f->pen != NULL && g_strcmp0 (r->pen_serial, f->pen) != 0)
    return FALSE;
  if (f->batch_prefix != NULL && !g_str_has_prefix (r->pen_serial, f->batch_prefix))
    return FALSE;
  return TRUE;
}

GPtrArray *
nb_fleet_load_runs (NbStore *store, const NbFleetFilter *filter, GError **error)
{
  g_autoptr (GPtrArray) list = nb_store_list_runs (store, error);
  if (list == NULL)
    return NULL;
  g_autoptr (GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_fleet_run_free);
  /* the list is newest first: walk it backwards for oldest first */
  for (guint i = list->len; i-- > 0;)
    {
      NbStoreRun *r = g_ptr_array_index (list, i);
      if (!selected (r, filter))
        continue;
      g_autoptr (GError) local = NULL;
      g_autoptr (NbStoreVoid) voided = nb_store_get_void (store, NB_STORE_VOID_RUN, r->id, &local);
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      if (voided != NULL)
        continue; /* made in error: it says nothing about the pen */
      g_autoptr (JsonNode) doc = nb_run_result_load_json (store, r->id, FALSE, error);
      if (doc == NULL)
        return NULL;
      NbFleetRun *fr
          = nb_fleet_run_from_json (json_node_get_object (doc), r->id, r->started_at, error);
      if (fr == NULL)
        return NULL;
      /* the record's model and serial are what the run was filtered by */
      g_free (fr->model);
      fr->model = g_strdup (r->pen_model);
      g_ptr_array_add (runs, fr);
    }
  return g_steal_pointer (&runs);
}
