/* nb-procedure-record.c: the run's record in the store (store/nb-store-runs.h): begun once the
 * station is identified, then every transition, point (with its raw per-stroke readings) and
 * table as it happens, and closed with the result document, so a run that fails half-way is
 * stored as far as it got. */
#include <math.h>

#include "nb-procedure-private.h"

static gboolean
have_run (NbProc *p)
{
  return p->result != NULL && p->result->run_id != 0;
}

gboolean
nb_proc_record_begin (NbProc *p, GError **error)
{
  NbRunResult *r = p->result;
  const NbProcedureOptions *o = p->options;
  g_autoptr (JsonNode) profile = nb_profile_to_json (p->profile);
  g_autofree char *profile_json = json_to_string (profile, FALSE);
  g_autofree char *environment_json = NULL;
  if (isfinite (o->temperature_c) || isfinite (o->humidity_pct))
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "temperature_c");
      if (isfinite (o->temperature_c))
        json_builder_add_double_value (b, o->temperature_c);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "humidity_pct");
      if (isfinite (o->humidity_pct))
        json_builder_add_double_value (b, o->humidity_pct);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      g_autoptr (JsonNode) env = json_builder_get_root (b);
      environment_json = json_to_string (env, FALSE);
    }
  NbStoreRunParams params = {
    .pen_serial = r->pen_serial,
    .pen_model = r->pen_model,
    .pen_firmware = r->pen_firmware,
    .pen_uri = o->pen_uri,
    .fixture_serial = r->fixture_serial,
    .fixture_model = r->fixture_model,
    .fixture_uri = p->fixture ? o->fixture_uri : NULL,
    .standard_id = p->standard_id,
    .profile_id = r->profile_id,
    .profile_version = r->profile_version,
    .profile_json = profile_json,
    .rule = nb_decision_rule_to_string (r->rule),
    .traceable = r->traceable,
    .adjust = r->adjust,
    .operator_name = r->operator_name,
    .environment_json = environment_json,
  };
  r->run_id = nb_store_begin_run (p->store, &params, error);
  return r->run_id != 0;
}

gboolean
nb_proc_record_transition (NbProc *p, NbProcedureState state, const char *detail, GError **error)
{
  if (p->callbacks && p->callbacks->state)
    p->callbacks->state (state, detail, p->user_data);
  if (!have_run (p))
    return TRUE;
  return nb_store_add_run_transition (p->store, p->result->run_id,
                                      nb_procedure_state_to_string (state), detail, error);
}

gboolean
nb_proc_record_point (NbProc *p, NbRunPhase phase, NbRunQuantity quantity, guint seq,
                      const NbRunPoint *point, GError **error)
{
  if (!have_run (p))
    return TRUE;
  return nb_run_result_store_point (p->store, p->result->run_id, point, phase, quantity, seq, error)
         != 0;
}

gboolean
nb_proc_record_table (NbProc *p, const char *which, const NbCalTable *table, GError **error)
{
  if (!have_run (p))
    return TRUE;
  guint8 buf[NB_FRAME_MAX_PAYLOAD];
  gsize len = nb_cal_table_encode (table, buf);
  return nb_store_add_run_table (p->store, p->result->run_id, which, buf, len, error);
}

gboolean
nb_proc_record_close (NbProc *p, GError **error)
{
  if (!have_run (p))
    return TRUE;
  NbRunResult *r = p->result;
  g_autoptr (JsonNode) doc = nb_run_result_to_json (r, FALSE);
  g_autofree char *json = json_to_string (doc, FALSE);
  return nb_store_close_run (p->store, r->run_id, r->status,
                             r->has_verdict ? nb_verdict_to_string (r->verdict) : NULL, r->error,
                             json, error);
}
