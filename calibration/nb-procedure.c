/* nb-procedure.c: the state machine of a calibration run (nb-procedure.h): each state a named
 * function returning the next, every transition reported and stored. The station's links are in
 * nb-procedure-station.c, the points in nb-procedure-measure.c, the record in
 * nb-procedure-record.c, the correction in nb-adjust.c. */
#include "nb-procedure.h"

#include <math.h>

#include "nb-c-locale.h"
#include "nb-procedure-private.h"

/* The pen's own telemetry is in whole µm (docs/protocol.md §5): a self-check's resolution. */
#define PEN_TELEMETRY_RESOLUTION_MM 0.001
/* The linear correction stands while its largest residual is within this fraction of the
 * smallest tolerance; beyond, the pen is corrected point by point (docs/calibration-method.md). */
#define PER_POINT_RESIDUAL_FRACTION 0.25

const char *
nb_procedure_state_to_string (NbProcedureState state)
{
  static const char *const names[] = {
    [NB_PROCEDURE_IDENTIFY] = "identify",
    [NB_PROCEDURE_PRE_CHECKS] = "pre-checks",
    [NB_PROCEDURE_WARM_UP] = "warm-up",
    [NB_PROCEDURE_AS_FOUND] = "as-found",
    [NB_PROCEDURE_DECIDE_AS_FOUND] = "decide-as-found",
    [NB_PROCEDURE_ADJUST] = "adjust",
    [NB_PROCEDURE_WRITE] = "write",
    [NB_PROCEDURE_AS_LEFT] = "as-left",
    [NB_PROCEDURE_DECIDE_AS_LEFT] = "decide-as-left",
    [NB_PROCEDURE_DONE] = "done",
    [NB_PROCEDURE_FAILED] = "failed",
    [NB_PROCEDURE_CANCELLED] = "cancelled",
  };
  return (guint) state < G_N_ELEMENTS (names) ? names[state] : "unknown";
}

double
nb_procedure_physical_time_s (const NbProfile *profile, gboolean no_adjust)
{
  double t = 0;
  for (guint i = 0; i < profile->n_points; i++)
    for (guint j = 0; j < profile->n_rates; j++)
      t += profile->settle_s + profile->strokes_per_point / profile->rates_hz[j];
  return no_adjust ? t : 2 * t;
}

static NbDecisionRule
rule_of_profile (NbProfileRule rule)
{
  switch (rule)
    {
    case NB_PROFILE_RULE_GUARDED: return NB_DECISION_GUARDED;
    case NB_PROFILE_RULE_NONBINARY: return NB_DECISION_NONBINARY;
    case NB_PROFILE_RULE_SIMPLE:
    default: return NB_DECISION_SIMPLE;
    }
}

/* A state that fails keeps its error for the run and says where the run goes. */
static NbProcedureState
fail (NbProc *p, GError *error)
{
  if (p->error == NULL)
    p->error = error;
  else
    g_error_free (error);
  return g_error_matches (p->error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? NB_PROCEDURE_CANCELLED
                                                                      : NB_PROCEDURE_FAILED;
}

static void
set_detail (NbProc *p, char *detail)
{
  g_free (p->detail);
  p->detail = detail;
}

/* --- the states --- */

static NbProcedureState
state_identify (NbProc *p)
{
  const NbProcedureOptions *o = p->options;
  NbRunResult *r = p->result;
  GError *error = NULL;

  p->pen = nb_device_open (o->pen_uri, p->cancellable, &error);
  if (p->pen == NULL)
    return fail (p, error);
  if (!o->reference_pen)
    {
      p->fixture = nb_device_open (o->fixture_uri, p->cancellable, &error);
      if (p->fixture == NULL)
        return fail (p, error);
    }
  const NbIdentity *pen = nb_device_get_identity (p->pen);
  r->pen_serial = g_strdup (pen->serial);
  r->pen_model = g_strdup (pen->model);
  r->pen_firmware = g_strdup (pen->firmware);
  if (p->fixture)
    {
      const NbIdentity *fix = nb_device_get_identity (p->fixture);
      r->fixture_serial = g_strdup (fix->serial);
      r->fixture_model = g_strdup (fix->model);
    }
  if (p->callbacks && p->callbacks->identified)
    p->callbacks->identified (r->pen_serial, r->fixture_serial, p->user_data);
  if (pen->capabilities & NB_CAP_CALIBRATION)
    {
      if (!nb_device_read_calibration (p->pen, &r->table_before, p->cancellable, &error))
        return fail (p, error);
      r->has_table_before = TRUE;
    }
  if (p->fixture)
    {
      /* The run names the standard it is traced to from its first record; whether that one is
       * in force and not past due is a pre-check, so that a refusal is stored as a failed run.
       * A fixture with no certificate on record at all begins an untraceable run, which then
       * fails its pre-checks. */
      g_autoptr (NbStoreStandard) std = nb_store_get_standard (p->store, r->fixture_serial, &error);
      if (std && std->certificate)
        p->standard_id = std->id;
      else if (std == NULL && !g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND))
        return fail (p, error);
      g_clear_error (&error);
      if (p->standard_id == 0)
        r->traceable = FALSE;
    }
  if (!nb_proc_record_begin (p, &error))
    return fail (p, error);

  g_autofree char *detail
      = p->fixture
            ? g_strdup_printf ("pen %s (%s), fixture %s (%s)", pen->serial, pen->model,
                               r->fixture_serial, r->fixture_model)
            : g_strdup_printf ("pen %s (%s), self-check: not traceable", pen->serial, pen->model);
  if (!nb_store_add_run_transition (p->store, r->run_id, "identify", detail, &error)
      || (r->has_table_before && !nb_proc_record_table (p, "before", &r->table_before, &error)))
    return fail (p, error);

  if (pen->capabilities & NB_CAP_REFERENCE)
    return fail (p, g_error_new (NB_PROCEDURE_ERROR, NB_PROCEDURE_ERROR_NOT_REFERENCE,
                                 "%s is a reference fixture, not a pen", o->pen_uri));
  if (p->fixture && !(nb_device_get_identity (p->fixture)->capabilities & NB_CAP_REFERENCE))
    return fail (p, g_error_new (NB_PROCEDURE_ERROR, NB_PROCEDURE_ERROR_NOT_REFERENCE,
                                 "%s (%s) is not a reference fixture: it lacks the REFERENCE "
                                 "capability",
                                 o->fixture_uri, r->fixture_serial));
  return NB_PROCEDURE_PRE_CHECKS;
}

static NbProcedureState pre_check_error (NbProc *p, const char *format, ...) G_GNUC_PRINTF (2, 3);

static NbProcedureState
pre_check_error (NbProc *p, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  /* stored with the run: the same figures in every locale */
  g_autofree char *message = nb_c_strdup_vprintf (format, ap);
  va_end (ap);
  return fail (p, g_error_new_literal (NB_PROCEDURE_ERROR, NB_PROCEDURE_ERROR_PRE_CHECK, message));
}

/* Every depth and rate of the profile within the pen's settings and the fixture's range. */
static NbProcedureState
check_profile_range (NbProc *p)
{
  const NbProfile *prof = p->profile;
  const NbIdentity *pen = nb_device_get_identity (p->pen);
  const NbIdentity *fix = p->fixture ? nb_device_get_identity (p->fixture) : NULL;
  for (guint i = 0; i < prof->n_points; i++)
    {
      double um = prof->points[i].depth_mm * 1000.0;
      long rounded = lround (um);
      if (rounded < (long) pen->depth_min_um || rounded > (long) pen->depth_max_um
          || fabs (um - rounded) > 1e-6
          || (rounded - (long) pen->depth_min_um) % MAX (pen->depth_step_um, 1u) != 0)
        return pre_check_error (p,
                                "profile %s: %.3f mm is not a depth %s can be set to (%.3f to "
                                "%.3f mm in steps of %.3f mm)",
                                prof->id, prof->points[i].depth_mm, pen->serial,
                                pen->depth_min_um / 1000.0, pen->depth_max_um / 1000.0,
                                pen->depth_step_um / 1000.0);
      if (fix && (um < fix->depth_min_um || um > fix->depth_max_um))
        return pre_check_error (p,
                                "profile %s: %.3f mm is outside fixture %s's measuring range "
                                "(%.3f to %.3f mm)",
                                prof->id, prof->points[i].depth_mm, fix->serial,
                                fix->depth_min_um / 1000.0, fix->depth_max_um / 1000.0);
    }
  for (guint j = 0; j < prof->n_rates; j++)
    {
      double mhz = prof->rates_hz[j] * 1000.0;
      if (mhz < pen->rate_min_mhz || mhz > pen->rate_max_mhz)
        return pre_check_error (p, "profile %s: %.1f Hz is outside %s's rates (%.1f to %.1f Hz)",
                                prof->id, prof->rates_hz[j], pen->serial,
                                pen->rate_min_mhz / 1000.0, pen->rate_max_mhz / 1000.0);
      if (fix && (mhz < fix->rate_min_mhz || mhz > fix->rate_max_mhz))
        return pre_check_error (p,
                                "profile %s: fixture %s does not resolve strokes at %.1f Hz "
                                "(%.1f to %.1f Hz)",
                                prof->id, fix->serial, prof->rates_hz[j],
                                fix->rate_min_mhz / 1000.0, fix->rate_max_mhz / 1000.0);
    }
  return NB_PROCEDURE_WARM_UP;
}

static gboolean
in_range (double v, const NbProfileRange *r)
{
  return !isfinite (v) || (v >= r->min && v <= r->max);
}

static NbProcedureState
state_pre_checks (NbProc *p)
{
  const NbProcedureOptions *o = p->options;
  NbRunResult *r = p->result;
  const NbIdentity *pen = nb_device_get_identity (p->pen);
  GError *error = NULL;

  if (p->fixture)
    {
      /* the store's own error, unchanged: it names the command that fixes it */
      if (!nb_store_standard_check (p->store, r->fixture_serial, NULL, &p->standard, &error))
        return fail (p, error);
      r->standard_certificate = g_strdup (p->standard->certificate);
      r->standard_U_mm = p->standard->uncertainty_mm;
      r->standard_k = p->standard->k;
      r->standard_due = g_strdup (p->standard->due);
      p->resolution_mm = MAX (nb_device_get_identity (p->fixture)->depth_step_um, 1u) / 1000.0;
    }
  else
    p->resolution_mm = PEN_TELEMETRY_RESOLUTION_MM;

  if (r->adjust && !(pen->capabilities & NB_CAP_CALIBRATION))
    return pre_check_error (p, "%s has no calibration table to adjust (use --no-adjust)",
                            pen->serial);
  if (pen->capabilities & NB_CAP_CARTRIDGE_SENSE)
    {
      NbStatus st;
      if (!nb_device_get_status (p->pen, &st, p->cancellable, &error))
        return fail (p, error);
      if (!(st.flags & NB_STATUS_CARTRIDGE))
        return fail (p, g_error_new (NB_PROCEDURE_ERROR, NB_PROCEDURE_ERROR_NO_CARTRIDGE,
                                     "%s has no cartridge in: insert one and start again",
                                     pen->serial));
    }
  if (!in_range (o->temperature_c, &p->profile->temperature_c))
    return pre_check_error (p, "temperature %.1f °C is outside profile %s's %.0f to %.0f °C",
                            o->temperature_c, p->profile->id, p->profile->temperature_c.min,
                            p->profile->temperature_c.max);
  if (!in_range (o->humidity_pct, &p->profile->humidity_pct))
    return pre_check_error (p, "humidity %.0f %% is outside profile %s's %.0f to %.0f %%",
                            o->humidity_pct, p->profile->id, p->profile->humidity_pct.min,
                            p->profile->humidity_pct.max);
  NbProcedureState next = check_profile_range (p);
  if (next == NB_PROCEDURE_WARM_UP)
    set_detail (p, p->standard ? g_strdup_printf ("traced to certificate %s, due %s",
                                                  p->standard->certificate, p->standard->due)
                               : g_strdup ("self-check: no reference standard"));
  return next;
}

static NbProcedureState
state_warm_up (NbProc *p)
{
  GError *error = NULL;
  if (!nb_proc_warm_up (p, &error))
    return fail (p, error);
  return NB_PROCEDURE_AS_FOUND;
}

static NbProcedureState
measure (NbProc *p, NbRunPhase phase, NbRunPhaseResult **slot, NbProcedureState next)
{
  GError *error = NULL;
  *slot = nb_run_phase_result_new ();
  if (!nb_proc_measure_phase (p, phase, *slot, &error))
    return fail (p, error);
  set_detail (p, g_strdup_printf ("%s: %s", nb_run_phase_to_string (phase),
                                  nb_verdict_to_string ((*slot)->verdict)));
  return next;
}

static NbProcedureState
state_as_found (NbProc *p)
{
  return measure (p, NB_RUN_PHASE_AS_FOUND, &p->result->as_found, NB_PROCEDURE_DECIDE_AS_FOUND);
}

static NbProcedureState
state_decide_as_found (NbProc *p)
{
  NbVerdict v = p->result->as_found->verdict;
  if (!p->result->adjust)
    {
      set_detail (p, g_strdup_printf ("as found %s; as-found only (no adjustment asked for)",
                                      nb_verdict_to_string (v)));
      return NB_PROCEDURE_DONE;
    }
  if (v == NB_VERDICT_PASS)
    {
      /* In tolerance with its uncertainty: a new table would only move it within the noise. */
      set_detail (p, g_strdup ("as found pass: no adjustment needed"));
      return NB_PROCEDURE_DONE;
    }
  set_detail (p, g_strdup_printf ("as found %s: adjusting", nb_verdict_to_string (v)));
  return NB_PROCEDURE_ADJUST;
}

static NbProcedureState
state_adjust (NbProc *p)
{
  NbRunResult *r = p->result;
  const NbIdentity *pen = nb_device_get_identity (p->pen);
  GPtrArray *depth = r->as_found->depth, *rate = r->as_found->rate;
  g_autofree NbAdjustDepthPoint *dp = g_new (NbAdjustDepthPoint, MAX (depth->len, 1));
  g_autofree NbAdjustRatePoint *rp = g_new (NbAdjustRatePoint, MAX (rate->len, 1));
  for (guint i = 0; i < depth->len; i++)
    {
      const NbRunPoint *pt = depth->pdata[i];
      dp[i] = (NbAdjustDepthPoint){ pt->depth_mm, pt->result.stats.mean };
    }
  for (guint i = 0; i < rate->len; i++)
    {
      const NbRunPoint *pt = rate->pdata[i];
      rp[i] = (NbAdjustRatePoint){ pt->rate_hz, pt->result.stats.mean };
    }
  double smallest = INFINITY;
  for (guint i = 0; i < p->profile->n_points; i++)
    smallest = MIN (smallest, p->profile->points[i].tolerance_mm);

  GError *error = NULL;
  NbAdjustment *adj = &p->adjustment;
  g_autofree char *certificate = g_strdup_printf ("RUN-%" G_GINT64_FORMAT, r->run_id);
  if (!nb_adjust_fit (&r->table_before, dp, depth->len, rp, rate->len, pen->depth_min_um,
                      pen->depth_max_um, PER_POINT_RESIDUAL_FRACTION * smallest, adj, &error)
      || !nb_adjust_to_table (adj, (guint64) (g_get_real_time () / G_USEC_PER_SEC), certificate,
                              &p->new_table, &error))
    return fail (p, error);
  set_detail (p, nb_c_strdup_printf ("%s correction of delivered = %.4f mm + %.5f × commanded "
                                     "(largest residual %.4f mm, limit %.4f mm): %u points, "
                                     "rate %+d ppm",
                                     nb_adjust_method_to_string (adj->method), adj->a, adj->b,
                                     adj->max_residual_mm, adj->threshold_mm, adj->n_points,
                                     p->new_table.rate_correction_ppm));
  return NB_PROCEDURE_WRITE;
}

static NbProcedureState
state_write (NbProc *p)
{
  NbRunResult *r = p->result;
  GError *error = NULL;
  /* CAL_WRITE, CAL_COMMIT, CAL_READ and the byte comparison; a reset on the way leaves the old
   * table in force (protocol §7) and ends the run. */
  if (!nb_device_write_calibration (p->pen, &p->new_table, p->cancellable, &error))
    return fail (p, error);
  r->table_after = p->new_table;
  r->has_table_after = TRUE;
  r->adjusted = TRUE;
  /* As-left's first setting marks where the new table is in force; it settles while the table
   * and the transitions are stored. */
  p->have_setting = FALSE;
  if (!nb_proc_set (p, p->profile->points[0].depth_mm, p->profile->rates_hz[0], &error)
      || !nb_proc_record_table (p, "after", &r->table_after, &error))
    return fail (p, error);
  set_detail (p, g_strdup_printf ("table %s written, committed and read back identical",
                                  r->table_after.certificate));
  return NB_PROCEDURE_AS_LEFT;
}

static NbProcedureState
state_as_left (NbProc *p)
{
  return measure (p, NB_RUN_PHASE_AS_LEFT, &p->result->as_left, NB_PROCEDURE_DECIDE_AS_LEFT);
}

static NbProcedureState
state_decide_as_left (NbProc *p)
{
  set_detail (p,
              g_strdup_printf ("as left %s", nb_verdict_to_string (p->result->as_left->verdict)));
  return NB_PROCEDURE_DONE;
}

typedef NbProcedureState (*StateFunc) (NbProc *p);

static const StateFunc state_funcs[] = {
  [NB_PROCEDURE_IDENTIFY] = state_identify,
  [NB_PROCEDURE_PRE_CHECKS] = state_pre_checks,
  [NB_PROCEDURE_WARM_UP] = state_warm_up,
  [NB_PROCEDURE_AS_FOUND] = state_as_found,
  [NB_PROCEDURE_DECIDE_AS_FOUND] = state_decide_as_found,
  [NB_PROCEDURE_ADJUST] = state_adjust,
  [NB_PROCEDURE_WRITE] = state_write,
  [NB_PROCEDURE_AS_LEFT] = state_as_left,
  [NB_PROCEDURE_DECIDE_AS_LEFT] = state_decide_as_left,
};

static gboolean
is_final (NbProcedureState state)
{
  return state == NB_PROCEDURE_DONE || state == NB_PROCEDURE_FAILED
         || state == NB_PROCEDURE_CANCELLED;
}

/* The end of every run: the motor off (confirmed) and the streams off whatever happened, then
 * the final transition and the record closed. */
static void
finish (NbProc *p, NbProcedureState state)
{
  NbRunResult *r = p->result;
  g_autoptr (GError) stop_error = NULL;
  if (!nb_proc_stop (p, &stop_error))
    {
      if (state == NB_PROCEDURE_DONE)
        state = fail (p, g_steal_pointer (&stop_error));
      else
        {
          /* the cause stays first, its domain and code too (the CLI's exit status) */
          GError *cause = p->error;
          p->error = g_error_new (cause->domain, cause->code, "%s (and %s)", cause->message,
                                  stop_error->message);
          g_error_free (cause);
        }
    }
  nb_proc_streams_clear (p);
  r->ended_at = g_get_real_time ();
  const char *detail;
  g_autofree char *done_detail = NULL;
  if (state == NB_PROCEDURE_DONE)
    {
      r->status = NB_RUN_COMPLETE;
      r->has_verdict = TRUE;
      r->verdict = r->as_left ? r->as_left->verdict : r->as_found->verdict;
      done_detail = g_strdup_printf ("%s; motor off",
                                     p->detail ? p->detail : nb_verdict_to_string (r->verdict));
      detail = done_detail;
    }
  else
    {
      r->status = state == NB_PROCEDURE_CANCELLED ? NB_RUN_CANCELLED : NB_RUN_FAILED;
      r->error = g_strdup (p->error->message);
      detail = r->error;
    }
  g_autoptr (GError) store_error = NULL;
  if (!nb_proc_record_transition (p, state, detail, &store_error)
      || !nb_proc_record_close (p, &store_error))
    {
      /* the pen is safe; the record is what failed: say so, keep the first cause */
      g_warning ("run %" G_GINT64_FORMAT ": cannot store its end: %s", r->run_id,
                 store_error->message);
      if (p->error == NULL)
        {
          p->error = g_steal_pointer (&store_error);
          r->status = NB_RUN_FAILED;
          r->error = g_strdup (p->error->message);
        }
    }
}

static gboolean
check_options (const NbProcedureOptions *o, GError **error)
{
  const char *missing = o == NULL                                     ? "options"
                        : o->pen_uri == NULL                          ? "the pen"
                        : o->profile == NULL                          ? "the profile"
                        : !o->reference_pen && o->fixture_uri == NULL ? "the fixture"
                                                                      : NULL;
  if (missing == NULL)
    return TRUE;
  g_set_error (error, NB_PROCEDURE_ERROR, NB_PROCEDURE_ERROR_PRE_CHECK, "a calibration needs %s",
               missing);
  return FALSE;
}

static gboolean
on_cancelled (GCancellable *cancellable, gpointer data)
{
  /* only wakes the context: nb_proc_check sees the cancellable */
  return G_SOURCE_REMOVE;
}

NbRunResult *
nb_procedure_run (const NbProcedureOptions *options, const NbProcedureCallbacks *callbacks,
                  gpointer user_data, GCancellable *cancellable, GError **error)
{
  if (!check_options (options, error))
    return NULL;
  g_autofree char *store_path
      = options->store_path ? g_strdup (options->store_path) : nb_store_get_default_path ();
  NbProc proc = {
    .options = options,
    .profile = options->profile,
    .callbacks = callbacks,
    .user_data = user_data,
    .cancellable = cancellable,
    .context = g_main_context_new (),
    .rule = options->rule_given ? options->rule : rule_of_profile (options->profile->rule),
  };
  NbProc *p = &proc;
  g_main_context_push_thread_default (p->context);
  if (cancellable)
    {
      p->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (p->cancel_source, G_SOURCE_FUNC (on_cancelled), NULL, NULL);
      g_source_attach (p->cancel_source, p->context);
    }

  NbRunResult *r = NULL;
  p->store = nb_store_open (store_path, &p->error);
  if (p->store)
    {
      r = p->result = nb_run_result_new ();
      r->profile_id = g_strdup (p->profile->id);
      r->profile_version = p->profile->version;
      /* fixed before anything is measured, and stored with the run */
      r->rule = p->rule;
      r->traceable = !options->reference_pen;
      r->adjust = !options->no_adjust;
      r->operator_name
          = g_strdup (options->operator_name ? options->operator_name : g_get_user_name ());
      r->started_at = g_get_real_time ();
      r->status = NB_RUN_RUNNING;
      if (callbacks && callbacks->state)
        callbacks->state (NB_PROCEDURE_IDENTIFY, NULL, user_data);
      NbProcedureState state = state_identify (p);
      if (r->run_id == 0)
        g_clear_pointer (&p->result, nb_run_result_free); /* no run began */
      else
        {
          while (!is_final (state))
            {
              g_autoptr (GError) store_error = NULL;
              if (!nb_proc_record_transition (p, state, p->detail, &store_error))
                {
                  g_prefix_error (&store_error, "storing the run: ");
                  state = fail (p, g_steal_pointer (&store_error));
                  break;
                }
              g_clear_pointer (&p->detail, g_free);
              state = state_funcs[state](p);
            }
          finish (p, state);
        }
    }

  if (p->fixture)
    nb_device_close (p->fixture);
  if (p->pen)
    nb_device_close (p->pen);
  g_clear_object (&p->fixture);
  g_clear_object (&p->pen);
  /* deliveries queued before the close hold references: let them go */
  while (g_main_context_iteration (p->context, FALSE))
    ;
  g_clear_pointer (&p->standard, nb_store_standard_free);
  g_clear_pointer (&p->detail, g_free);
  nb_store_close (p->store);
  if (p->cancel_source)
    {
      g_source_destroy (p->cancel_source);
      g_source_unref (p->cancel_source);
    }
  g_clear_error (&p->async_error);
  g_main_context_pop_thread_default (p->context);
  g_main_context_unref (p->context);
  if (p->error)
    g_propagate_error (error, p->error);
  return p->result;
}
