/* nb-calibration-page.c: the Calibration wizard's widgets over NbCalibration. */
#include <inttypes.h>
#include <glib/gi18n.h>
#include "nb-calibration-page-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nb-calibration-view.h"
#include "nb-chart.h"
#include "nb-discovery.h"

/* The strokes of one point fit on the chart with room to spare. */
#define STROKE_CHART_MIN 10

static const char *const step_titles[NB_CALIBRATION_N_STEPS]
    = { N_ ("1 Station"), N_ ("2 Pre-checks"), N_ ("3 As Found"),
        N_ ("4 Adjust"),  N_ ("5 As Left"),    N_ ("6 Result") };
static const char *const step_pages[NB_CALIBRATION_N_STEPS]
    = { "station", "pre-checks", "measure", "adjust", "measure", "result" };

/* The checks listed on the pre-checks step, with the state that performs each. */
static const struct
{
  NbProcedureState state;
  const char *title;
} checks[] = {
  { NB_PROCEDURE_IDENTIFY, N_ ("Identify the pen and the fixture") },
  { NB_PROCEDURE_PRE_CHECKS, N_ ("Reference standard, cartridge, profile range, environment") },
  { NB_PROCEDURE_WARM_UP, N_ ("Warm-up: motor on, strokes seen on both streams") },
};
G_STATIC_ASSERT (G_N_ELEMENTS (checks) == NB_CAL_PAGE_N_CHECKS);

G_DEFINE_FINAL_TYPE (NbCalibrationPage, nb_calibration_page, GTK_TYPE_BOX)

enum
{
  SIGNAL_MESSAGE,
  SIGNAL_RUN_STORED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

void
nb_cal_page_message (NbCalibrationPage *self, const char *text)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, text);
}

static void
message (NbCalibrationPage *self, const char *text)
{
  nb_cal_page_message (self, text);
}

static void
set_status (NbCalibrationPage *self, const char *text)
{
  gtk_label_set_label (self->status_label, text ? text : "");
}

/* --- steps ----------------------------------------------------------------------------------- */

void
nb_calibration_page_show_step (NbCalibrationPage *self, NbCalibrationStep step)
{
  gtk_stack_set_visible_child_name (self->stack, step_pages[step]);
  for (guint i = 0; i < NB_CALIBRATION_N_STEPS; i++)
    gtk_toggle_button_set_active (self->step_buttons[i], i == step);
}

static void
on_step_clicked (GtkButton *button, NbCalibrationPage *self)
{
  for (guint i = 0; i < NB_CALIBRATION_N_STEPS; i++)
    if (self->step_buttons[i] == GTK_TOGGLE_BUTTON (button))
      nb_calibration_page_show_step (self, i);
}

static void
update_controls (NbCalibrationPage *self)
{
  gboolean running = nb_calibration_is_running (self->cal);
  NbCalibrationStep step = nb_calibration_get_step (self->cal);
  for (guint i = 0; i < NB_CALIBRATION_N_STEPS; i++)
    gtk_widget_set_sensitive (GTK_WIDGET (self->step_buttons[i]), i <= self->reached);
  gtk_widget_set_sensitive (GTK_WIDGET (self->station_page), !running);
  GtkWidget *w = GTK_WIDGET (self);
  gtk_widget_action_set_enabled (w, "calibration.cancel", running);
  gtk_widget_action_set_enabled (w, "calibration.start", !running);
  gtk_widget_action_set_enabled (w, "calibration.new", !running && step != 0);
  gtk_widget_action_set_enabled (w, "calibration.record-standard",
                                 !running && nb_calibration_needs_standard (self->cal));
  gtk_widget_set_visible (GTK_WIDGET (self->start_button), !running && step == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->new_button), !running && step != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  /* a completed run (stored) gets a certificate, or a verification report for a self-check */
  const NbRunResult *r = nb_calibration_get_result (self->cal);
  gboolean done
      = !running && nb_calibration_get_state (self->cal) == NB_PROCEDURE_DONE && r && r->run_id > 0;
  gtk_widget_action_set_enabled (w, "calibration.certificate", done);
  gtk_widget_set_visible (GTK_WIDGET (self->certificate_button), done);
  if (done)
    gtk_button_set_label (self->certificate_button,
                          r->traceable ? _ ("_Certificate…") : _ ("_Verification Report…"));
}

static void
on_step_changed (NbCalibration *cal, NbCalibrationPage *self)
{
  NbCalibrationStep step = nb_calibration_get_step (cal);
  self->reached = step == NB_CALIBRATION_STEP_STATION ? 0 : MAX (self->reached, step);
  nb_calibration_page_show_step (self, step);
  update_controls (self);
}

/* --- the run --------------------------------------------------------------------------------- */

/* Two simulated URIs name the same pen: the in-process simulator has one pen per process for a
 * `sim-fixture:` to mount on. */
static gboolean
same_pen (const char *a, const char *b)
{
  if (g_str_has_prefix (a, "sim") && g_str_has_prefix (b, "sim") && !g_str_has_prefix (a, "sim-")
      && !g_str_has_prefix (b, "sim-"))
    return TRUE;
  return g_strcmp0 (a, b) == 0;
}

/* The station's pen must not be held by the Live page as well (two hosts would fight over its
 * motor and settings): a Live connection to it is closed, with a message; a recording on it is
 * not ended behind the operator's back: the calibration is refused until it is stopped. */
static gboolean
claim_pen (NbCalibrationPage *self, const char *pen_uri)
{
  NbRun *run = self->live ? nb_live_page_get_run (self->live) : NULL;
  if (run == NULL || !nb_live_page_has_pen (self->live))
    return TRUE;
  const char *live_uri = nb_device_get_uri (nb_run_get_device (run));
  if (!same_pen (live_uri, pen_uri))
    return TRUE;
  if (nb_run_is_recording (run) || nb_run_is_starting_recording (run))
    {
      set_status (self, _ ("The Live page is recording this pen: stop the recording first."));
      message (self, _ ("Calibration refused: the Live page is recording this pen. Stop the "
                        "recording first."));
      return FALSE;
    }
  gtk_widget_activate_action (GTK_WIDGET (self->live), "live.disconnect", NULL);
  message (self, _ ("The pen was disconnected from the Live page: a calibration needs it alone."));
  return TRUE;
}

static void
clear_run_views (NbCalibrationPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      gtk_image_set_from_icon_name (self->check_icons[i], "content-loading-symbolic");
      adw_action_row_set_subtitle (self->check_rows[i], _ ("waiting"));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->standard_group), FALSE);
  nb_cal_fill_points (self->found_grid, NULL);
  nb_cal_grid_clear (self->table_grid);
  nb_cal_grid_clear (self->result_grid);
  nb_chart_series_clear (self->stroke_points);
  gtk_label_set_label (self->point_label, "");
  gtk_label_set_label (self->adjust_label, "");
  gtk_label_set_label (self->adjust_steps_label, "");
  gtk_progress_bar_set_fraction (self->point_progress, 0);
}

static void
start (NbCalibrationPage *self)
{
  const char *pen = gtk_editable_get_text (GTK_EDITABLE (self->pen_uri_row));
  const char *fixture = gtk_editable_get_text (GTK_EDITABLE (self->fixture_uri_row));
  if (!claim_pen (self, pen))
    return;
  nb_calibration_set_station (self->cal, pen, fixture);
  nb_calibration_set_operator (self->cal,
                               gtk_editable_get_text (GTK_EDITABLE (self->operator_row)));
  guint rule = adw_combo_row_get_selected (self->rule_row);
  nb_calibration_set_rule (self->cal, rule > 0, rule > 0 ? (NbDecisionRule) (rule - 1) : 0);
  nb_calibration_set_adjust (self->cal, gtk_switch_get_active (self->adjust_switch));
  if (self->settings)
    {
      g_autofree char *path = g_settings_get_string (self->settings, "database-path");
      nb_calibration_set_store_path (self->cal, path);
    }
  clear_run_views (self);
  g_autoptr (GError) error = NULL;
  if (!nb_calibration_start (self->cal, &error))
    {
      set_status (self, error->message);
      message (self, error->message);
      return;
    }
  set_status (self, _ ("Identifying the pen and the fixture…"));
}

static void
action_start (GtkWidget *widget, const char *action, GVariant *param)
{
  start (NB_CALIBRATION_PAGE (widget));
}

static void
action_cancel (GtkWidget *widget, const char *action, GVariant *param)
{
  NbCalibrationPage *self = NB_CALIBRATION_PAGE (widget);
  set_status (self, _ ("Cancelling: stopping the motor…"));
  nb_calibration_cancel (self->cal);
}

static void
action_new (GtkWidget *widget, const char *action, GVariant *param)
{
  NbCalibrationPage *self = NB_CALIBRATION_PAGE (widget);
  nb_calibration_reset (self->cal);
  clear_run_views (self);
  set_status (self, NULL);
}

static int
check_of (NbProcedureState state)
{
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    if (checks[i].state == state)
      return (int) i;
  return -1;
}

static const char *
state_title (NbProcedureState state)
{
  switch (state)
    {
    case NB_PROCEDURE_IDENTIFY: return _ ("Identifying the pen and the fixture");
    case NB_PROCEDURE_PRE_CHECKS: return _ ("Pre-checks");
    case NB_PROCEDURE_WARM_UP: return _ ("Warming up");
    case NB_PROCEDURE_AS_FOUND: return _ ("Measuring as found");
    case NB_PROCEDURE_DECIDE_AS_FOUND: return _ ("As found");
    case NB_PROCEDURE_ADJUST: return _ ("Fitting a correction");
    case NB_PROCEDURE_WRITE: return _ ("Writing and verifying the table");
    case NB_PROCEDURE_AS_LEFT: return _ ("Measuring as left");
    case NB_PROCEDURE_DECIDE_AS_LEFT: return _ ("As left");
    case NB_PROCEDURE_DONE: return _ ("Done");
    case NB_PROCEDURE_FAILED: return _ ("Failed");
    case NB_PROCEDURE_CANCELLED:
    default: return _ ("Cancelled");
    }
}

static void
on_state_changed (NbCalibration *cal, guint state, const char *detail, NbCalibrationPage *self)
{
  int c = check_of (state);
  /* Every check before the one entered has passed. */
  for (int i = 0; i < (c < 0 ? (int) G_N_ELEMENTS (checks) : c); i++)
    if (state != NB_PROCEDURE_FAILED && state != NB_PROCEDURE_CANCELLED)
      {
        gtk_image_set_from_icon_name (self->check_icons[i], "emblem-ok-symbolic");
        if (g_strcmp0 (adw_action_row_get_subtitle (self->check_rows[i]), "running") == 0)
          adw_action_row_set_subtitle (self->check_rows[i], _ ("passed"));
      }
  if (c >= 0)
    {
      gtk_image_set_from_icon_name (self->check_icons[c], "media-playback-start-symbolic");
      adw_action_row_set_subtitle (self->check_rows[c], detail ? detail : _ ("running"));
    }
  const char *name = state_title (state);
  g_autofree char *status = detail ? g_strdup_printf ("%s: %s", name, detail) : g_strdup (name);
  set_status (self, status);
  /* The adjustment step lists what led to the new table and how it was verified. */
  const char *step = state == NB_PROCEDURE_DECIDE_AS_FOUND ? _ ("Decision")
                     : state == NB_PROCEDURE_ADJUST        ? _ ("Fit")
                     : state == NB_PROCEDURE_WRITE         ? _ ("Correction written")
                     : state == NB_PROCEDURE_AS_LEFT       ? _ ("Verified")
                                                           : NULL;
  if (step && detail)
    {
      const char *now = gtk_label_get_label (self->adjust_steps_label);
      g_autofree char *lines
          = g_strdup_printf ("%s%s• %s: %s", now, *now ? "\n" : "", step, detail);
      gtk_label_set_label (self->adjust_steps_label, lines);
    }
  if (state == NB_PROCEDURE_ADJUST || state == NB_PROCEDURE_WRITE)
    gtk_label_set_label (self->adjust_label,
                         state == NB_PROCEDURE_WRITE
                             ? _ ("Writing the new table and verifying it")
                             : _ ("Fitting a correction to the as-found points"));
}

static void
on_point_started (NbCalibration *cal, NbCalibrationPage *self)
{
  NbRunPhase phase;
  guint index, total;
  double depth, rate;
  if (!nb_calibration_get_current_point (cal, &phase, &index, &total, &depth, &rate))
    return;
  g_autofree char *text
      = g_strdup_printf (_ ("%s · point %u of %u · %.2f mm at %.0f Hz"),
                         phase == NB_RUN_PHASE_AS_LEFT ? _ ("As left") : _ ("As found"), index + 1,
                         total, depth, rate);
  gtk_label_set_label (self->point_label, text);
  gtk_progress_bar_set_fraction (self->point_progress, total ? (double) index / total : 0);
  nb_chart_series_clear (self->stroke_points);
  const NbProfile *p = nb_calibration_get_profile (cal);
  double tol = NB_PROFILE_DEFAULT_TOLERANCE_MM;
  for (guint i = 0; p && i < p->n_points; i++)
    if (fabs (p->points[i].depth_mm - depth) < 1e-9)
      tol = p->points[i].tolerance_mm;
  nb_chart_series_set_y (self->stroke_band, depth - tol, depth + tol);
  nb_chart_series_set_y (self->stroke_target, depth, depth);
  nb_chart_axis_set_range (self->stroke_y, depth - 3 * tol, depth + 3 * tol);
  guint n = p ? MAX (p->strokes_per_point, STROKE_CHART_MIN) : 30;
  nb_chart_axis_set_range (self->stroke_x, 0, n + 1);
}

static void
on_stroke (NbCalibration *cal, double depth_mm, NbCalibrationPage *self)
{
  GArray *strokes = nb_calibration_get_strokes (cal);
  nb_chart_series_add_point (self->stroke_points, strokes->len, depth_mm);
}

static void
fill_points (NbCalibrationPage *self)
{
  NbCalibration *cal = self->cal;
  GPtrArray *const phases[4] = { nb_calibration_get_points (cal, NB_RUN_PHASE_AS_FOUND),
                                 nb_calibration_get_rate_points (cal, NB_RUN_PHASE_AS_FOUND),
                                 nb_calibration_get_points (cal, NB_RUN_PHASE_AS_LEFT),
                                 nb_calibration_get_rate_points (cal, NB_RUN_PHASE_AS_LEFT) };
  nb_cal_fill_points (self->found_grid, phases);
}

static void
on_rate_done (NbCalibration *cal, guint phase, guint index, NbCalibrationPage *self)
{
  fill_points (self);
}

static void
on_point_done (NbCalibration *cal, guint phase, guint index, NbCalibrationPage *self)
{
  fill_points (self);
  NbRunPhase ph;
  guint total;
  if (nb_calibration_get_current_point (cal, &ph, NULL, &total, NULL, NULL) && total)
    gtk_progress_bar_set_fraction (self->point_progress, (double) (index + 1) / total);
}

/* @message as a sentence: errors read "calibration cancelled", the page says "Calibration
 * cancelled." */
static void
append_sentence (GString *text, const char *message)
{
  gsize at = text->len;
  g_string_append (text, message);
  if (g_ascii_islower (text->str[at]))
    text->str[at] = g_ascii_toupper (text->str[at]);
  if (text->len > at && !strchr (".!?", text->str[text->len - 1]))
    g_string_append_c (text, '.');
}

static void
show_result (NbCalibrationPage *self)
{
  const NbRunResult *r = nb_calibration_get_result (self->cal);
  const GError *error = nb_calibration_get_error (self->cal);
  NbProcedureState state = nb_calibration_get_state (self->cal);
  GtkWidget *verdict = GTK_WIDGET (self->verdict_label);
  for (NbVerdict v = NB_VERDICT_PASS; v <= NB_VERDICT_FAIL; v++)
    gtk_widget_remove_css_class (verdict, nb_calibration_verdict_css (v));
  g_autoptr (GString) text = g_string_new (NULL);
  if (r && r->has_verdict && state == NB_PROCEDURE_DONE)
    {
      gtk_label_set_label (self->verdict_label, nb_cal_verdict_word (r->verdict));
      gtk_widget_add_css_class (verdict, nb_calibration_verdict_css (r->verdict));
      g_string_append_printf (
          text, _ ("Overall: %s (%s, %s rule)"), nb_calibration_verdict_label (r->verdict),
          r->as_left ? _ ("as left") : _ ("as found"), nb_decision_rule_to_string (r->rule));
      if (r->as_found && r->as_left)
        g_string_append_printf (text, _ ("; as found it was %s"),
                                nb_calibration_verdict_label (r->as_found->verdict));
      g_string_append (text, r->adjusted ? _ (". New table written, committed and verified.")
                             : r->adjust ? _ (". No new table was written.")
                                         : _ (". As-found only: the pen's table was not touched."));
    }
  else
    {
      gboolean cancelled = state == NB_PROCEDURE_CANCELLED;
      gtk_label_set_label (self->verdict_label, cancelled ? _ ("CANCELLED") : _ ("FAILED"));
      gtk_widget_add_css_class (verdict, nb_calibration_verdict_css (NB_VERDICT_FAIL));
      append_sentence (text, error ? error->message : _ ("the run did not finish"));
      /* What the procedure guarantees: the motor stopped and, unless the new table was verified
       * in the pen, the pen kept its previous one. */
      g_string_append (text, r && r->adjusted
                                 ? _ (" The motor is stopped; the new table had been written and "
                                      "verified before the run ended.")
                                 : _ (" The motor is stopped and the pen keeps its previous "
                                      "calibration table."));
    }
  if (r && r->run_id > 0)
    g_string_append_printf (text, _ ("\nRun %" PRId64 " · pen %s · profile %s"), r->run_id,
                            r->pen_serial ? r->pen_serial : "?", r->profile_id);
  gtk_label_set_label (self->result_label, text->str);
  g_autofree char *trace = NULL;
  if (r && !r->traceable)
    trace = g_strdup (nb_run_not_traceable_reason (r->traceable, r->fixture_serial));
  else if (r && r->standard_certificate)
    trace = g_strdup_printf (
        _ ("Traced to fixture %s, certificate %s (U = %.4f mm, k = %.2f, due %s)"),
        r->fixture_serial, r->standard_certificate, r->standard_U_mm, r->standard_k,
        r->standard_due ? r->standard_due : "?");
  gtk_label_set_label (self->trace_label, trace ? trace : "");
  gtk_widget_set_visible (GTK_WIDGET (self->trace_label), trace != NULL);
  nb_cal_fill_result (self->result_grid, r);
  /* A run ended before its first point has no table to show. */
  gtk_widget_set_visible (GTK_WIDGET (self->result_grid),
                          r && r->as_found && r->as_found->depth->len > 0);
  nb_cal_fill_tables (self->table_grid, r);
  if (r && r->adjust && r->adjusted)
    gtk_label_set_label (self->adjust_label, _ ("Written, committed, read back and verified"));
  else if (r && !r->adjust)
    gtk_label_set_label (self->adjust_label, _ ("Not adjusted: as-found only"));
  else
    gtk_label_set_label (self->adjust_label, _ ("No new table was written"));
}

static void
on_finished (NbCalibration *cal, NbCalibrationPage *self)
{
  const GError *error = nb_calibration_get_error (cal);
  const NbRunResult *r = nb_calibration_get_result (cal);
  if (nb_calibration_needs_standard (cal))
    {
      /* The failed check, its reason, and the form that fixes it. */
      int c = check_of (NB_PROCEDURE_PRE_CHECKS);
      gtk_image_set_from_icon_name (self->check_icons[c], "dialog-error-symbolic");
      adw_action_row_set_subtitle (self->check_rows[c], error->message);
      const char *serial = nb_calibration_get_fixture_serial (cal);
      gtk_editable_set_text (GTK_EDITABLE (self->std_serial_row), serial ? serial : "");
      if (r && r->fixture_model)
        gtk_editable_set_text (GTK_EDITABLE (self->std_model_row), r->fixture_model);
      gtk_widget_set_visible (GTK_WIDGET (self->standard_group), TRUE);
      set_status (self, _ ("No valid reference standard for the fixture: record it below."));
    }
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
        if (g_str_equal (gtk_image_get_icon_name (self->check_icons[i]),
                         "media-playback-start-symbolic")
            && nb_calibration_get_state (cal) != NB_PROCEDURE_DONE)
          {
            gtk_image_set_from_icon_name (self->check_icons[i], "dialog-error-symbolic");
            if (error)
              adw_action_row_set_subtitle (self->check_rows[i], error->message);
          }
      show_result (self);
      set_status (self, gtk_label_get_label (self->verdict_label));
    }
  update_controls (self);
  if (r && r->run_id > 0)
    g_signal_emit (self, signals[SIGNAL_RUN_STORED], 0, r->run_id);
}

/* --- the standard form ----------------------------------------------------------------------- */

static void
on_standard_added (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (NbCalibrationPage) self = user_data;
  g_autoptr (GError) error = NULL;
  gint64 id = nb_calibration_add_standard_finish (NB_CALIBRATION (source), res, &error);
  gtk_widget_set_sensitive (GTK_WIDGET (self->standard_group), TRUE);
  if (id == 0)
    {
      set_status (self, error->message);
      message (self, error->message);
      update_controls (self);
      return;
    }
  message (self, _ ("Reference standard recorded: retrying the calibration."));
  start (self);
}

static void
action_record_standard (GtkWidget *widget, const char *action, GVariant *param)
{
  NbCalibrationPage *self = NB_CALIBRATION_PAGE (widget);
  const char *u = gtk_editable_get_text (GTK_EDITABLE (self->std_u_row));
  const char *k = gtk_editable_get_text (GTK_EDITABLE (self->std_k_row));
  char *end_u = NULL, *end_k = NULL;
  double uv = g_ascii_strtod (u, &end_u), kv = g_ascii_strtod (k, &end_k);
  if (*u == '\0' || *end_u != '\0' || *k == '\0' || *end_k != '\0')
    {
      set_status (self, _ ("U and k must be numbers (a dot for decimals)."));
      return;
    }
  const char *model = gtk_editable_get_text (GTK_EDITABLE (self->std_model_row));
  const NbStoreStandardParams params = {
    .serial = gtk_editable_get_text (GTK_EDITABLE (self->std_serial_row)),
    .model = *model ? model : NULL,
    .certificate = gtk_editable_get_text (GTK_EDITABLE (self->std_certificate_row)),
    .uncertainty_mm = uv,
    .k = kv,
    .due = gtk_editable_get_text (GTK_EDITABLE (self->std_due_row)),
  };
  /* The record is checked by the store (nb_store_add_standard): its message names the field. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->standard_group), FALSE);
  gtk_widget_action_set_enabled (widget, "calibration.record-standard", FALSE);
  nb_calibration_add_standard_async (self->cal, &params, NULL, on_standard_added,
                                     g_object_ref (self));
}

void
nb_calibration_page_fill_standard (NbCalibrationPage *self, const char *certificate,
                                   const char *u_mm, const char *k, const char *due)
{
  if (certificate)
    gtk_editable_set_text (GTK_EDITABLE (self->std_certificate_row), certificate);
  if (u_mm)
    gtk_editable_set_text (GTK_EDITABLE (self->std_u_row), u_mm);
  if (k)
    gtk_editable_set_text (GTK_EDITABLE (self->std_k_row), k);
  if (due)
    gtk_editable_set_text (GTK_EDITABLE (self->std_due_row), due);
}

const char *
nb_calibration_page_get_standard_serial (NbCalibrationPage *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->std_serial_row));
}

gboolean
nb_calibration_page_is_standard_form_shown (NbCalibrationPage *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->standard_group));
}

const char *
nb_calibration_page_get_verdict_text (NbCalibrationPage *self)
{
  return gtk_label_get_label (self->verdict_label);
}

const char *
nb_calibration_page_get_result_text (NbCalibrationPage *self)
{
  return gtk_label_get_label (self->result_label);
}

GStrv
nb_calibration_page_get_result_rows (NbCalibrationPage *self)
{
  return nb_cal_grid_rows (self->result_grid);
}

GStrv
nb_calibration_page_get_points_rows (NbCalibrationPage *self)
{
  return nb_cal_grid_rows (self->found_grid);
}

/* --- setup ----------------------------------------------------------------------------------- */

void
nb_calibration_page_setup (NbCalibrationPage *self, GSettings *settings, NbLivePage *live)
{
  g_set_object (&self->settings, settings);
  self->live = live;
  if (settings)
    {
      g_autofree char *op = g_settings_get_string (settings, "default-operator");
      gtk_editable_set_text (GTK_EDITABLE (self->operator_row), *op ? op : g_get_user_name ());
    }
  nb_cal_page_watch_devices (self, live ? nb_pen_list_get_model (nb_live_page_get_pen_list (live))
                                        : NULL);
  g_autoptr (GError) error = NULL;
  if (!nb_calibration_load_profiles (self->cal, NULL, &error))
    {
      set_status (self, error->message);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "calibration.start", FALSE);
      return;
    }
  nb_cal_page_fill_profiles (self);
}

NbCalibration *
nb_calibration_page_get_calibration (NbCalibrationPage *self)
{
  return self->cal;
}

static void
nb_calibration_page_dispose (GObject *object)
{
  NbCalibrationPage *self = NB_CALIBRATION_PAGE (object);
  if (self->cal)
    {
      g_signal_handlers_disconnect_by_data (self->cal, self);
      nb_calibration_cancel (self->cal);
    }
  if (self->devices)
    g_signal_handlers_disconnect_by_data (self->devices, self);
  g_clear_object (&self->devices);
  g_clear_object (&self->cal);
  g_clear_object (&self->settings);
  g_clear_weak_pointer (&self->certificate_window);
  g_clear_object (&self->stroke_x);
  g_clear_object (&self->stroke_y);
  g_clear_object (&self->stroke_points);
  g_clear_object (&self->stroke_band);
  g_clear_object (&self->stroke_target);
  g_clear_pointer (&self->pen_uris, g_ptr_array_unref);
  g_clear_pointer (&self->fixture_uris, g_ptr_array_unref);
  g_clear_pointer (&self->areas, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), NB_TYPE_CALIBRATION_PAGE);
  G_OBJECT_CLASS (nb_calibration_page_parent_class)->dispose (object);
}

static void
nb_calibration_page_class_init (NbCalibrationPageClass *klass)
{
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = nb_calibration_page_dispose;
  g_type_ensure (NB_TYPE_CHART);
  gtk_widget_class_set_template_from_resource (
      wc, "/org/needlebench/NeedleBench/nb-calibration-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (wc, NbCalibrationPage, name)
  CHILD (step_bar);
  CHILD (stack);
  CHILD (station_page);
  CHILD (pen_row);
  CHILD (fixture_row);
  CHILD (area_row);
  CHILD (skin_row);
  CHILD (type_row);
  CHILD (rule_row);
  CHILD (pen_uri_row);
  CHILD (fixture_uri_row);
  CHILD (operator_row);
  CHILD (profile_row);
  CHILD (adjust_switch);
  CHILD (checks_group);
  CHILD (standard_group);
  CHILD (std_serial_row);
  CHILD (std_model_row);
  CHILD (std_certificate_row);
  CHILD (std_u_row);
  CHILD (std_k_row);
  CHILD (std_due_row);
  CHILD (point_label);
  CHILD (adjust_label);
  CHILD (adjust_steps_label);
  CHILD (verdict_label);
  CHILD (result_label);
  CHILD (trace_label);
  CHILD (status_label);
  CHILD (point_progress);
  CHILD (stroke_chart);
  CHILD (found_grid);
  CHILD (table_grid);
  CHILD (result_grid);
  CHILD (cancel_button);
  CHILD (start_button);
  CHILD (new_button);
  CHILD (certificate_button);
#undef CHILD
  gtk_widget_class_install_action (wc, "calibration.start", NULL, action_start);
  gtk_widget_class_install_action (wc, "calibration.cancel", NULL, action_cancel);
  gtk_widget_class_install_action (wc, "calibration.new", NULL, action_new);
  gtk_widget_class_install_action (wc, "calibration.record-standard", NULL, action_record_standard);
  gtk_widget_class_install_action (wc, "calibration.certificate", NULL,
                                   nb_cal_page_action_certificate);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_Escape, 0, "calibration.cancel", NULL);
  signals[SIGNAL_MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_RUN_STORED]
      = g_signal_new ("run-stored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
init_chart (NbCalibrationPage *self)
{
  self->stroke_x = nb_chart_axis_new (_ ("stroke"), 0, 30);
  self->stroke_y = nb_chart_axis_new (_ ("depth (mm)"), 0, 3);
  self->stroke_band = nb_chart_series_new (NB_CHART_SERIES_BAND, "rgba(46,194,126,0.18)");
  self->stroke_target = nb_chart_series_new (NB_CHART_SERIES_HLINE, "#26a269");
  self->stroke_points = nb_chart_series_new (NB_CHART_SERIES_POINTS, "#1c71d8");
  nb_chart_set_axes (self->stroke_chart, self->stroke_x, self->stroke_y);
  nb_chart_add_series (self->stroke_chart, self->stroke_band);
  nb_chart_add_series (self->stroke_chart, self->stroke_target);
  nb_chart_add_series (self->stroke_chart, self->stroke_points);
  nb_chart_set_title (self->stroke_chart,
                      _ ("This point's strokes as the reference sees them, target and tolerance"));
}

static void
nb_calibration_page_init (NbCalibrationPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cal = nb_calibration_new ();
  self->pen_uris = g_ptr_array_new_with_free_func (g_free);
  self->fixture_uris = g_ptr_array_new_with_free_func (g_free);
  self->areas = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < NB_CALIBRATION_N_STEPS; i++)
    {
      GtkWidget *b = gtk_toggle_button_new_with_label (_ (step_titles[i]));
      gtk_accessible_update_property (GTK_ACCESSIBLE (b), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _ (step_titles[i]) + 2, -1);
      g_signal_connect (b, "clicked", G_CALLBACK (on_step_clicked), self);
      gtk_box_append (self->step_bar, b);
      self->step_buttons[i] = GTK_TOGGLE_BUTTON (b);
    }
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      self->check_rows[i] = ADW_ACTION_ROW (adw_action_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->check_rows[i]),
                                     _ (checks[i].title));
      adw_action_row_set_subtitle_lines (self->check_rows[i], 4);
      self->check_icons[i] = GTK_IMAGE (gtk_image_new ());
      adw_action_row_add_prefix (self->check_rows[i], GTK_WIDGET (self->check_icons[i]));
      adw_preferences_group_add (self->checks_group, GTK_WIDGET (self->check_rows[i]));
    }
  init_chart (self);
  /* Names for a screen reader where the widget has no text of its own. */
  static const struct
  {
    gsize offset;
    const char *name;
  } names[] = {
    { G_STRUCT_OFFSET (NbCalibrationPage, stroke_chart),
      N_ ("Strokes of the point being measured") },
    { G_STRUCT_OFFSET (NbCalibrationPage, found_grid), N_ ("Measured points and their verdicts") },
    { G_STRUCT_OFFSET (NbCalibrationPage, table_grid), N_ ("The pen's table before and after") },
    { G_STRUCT_OFFSET (NbCalibrationPage, result_grid),
      N_ ("Verdict per point, as found and as left") },
    { G_STRUCT_OFFSET (NbCalibrationPage, point_progress), N_ ("Progress through the points") },
    { G_STRUCT_OFFSET (NbCalibrationPage, step_bar), N_ ("Calibration steps") },
  };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    gtk_accessible_update_property (G_STRUCT_MEMBER (GtkAccessible *, self, names[i].offset),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, names[i].name, -1);
  nb_cal_page_init_choices (self);
  clear_run_views (self);
  g_signal_connect (self->cal, "step-changed", G_CALLBACK (on_step_changed), self);
  g_signal_connect (self->cal, "state-changed", G_CALLBACK (on_state_changed), self);
  g_signal_connect (self->cal, "point-started", G_CALLBACK (on_point_started), self);
  g_signal_connect (self->cal, "stroke", G_CALLBACK (on_stroke), self);
  g_signal_connect (self->cal, "point-done", G_CALLBACK (on_point_done), self);
  g_signal_connect (self->cal, "rate-done", G_CALLBACK (on_rate_done), self);
  g_signal_connect (self->cal, "finished", G_CALLBACK (on_finished), self);
  nb_calibration_page_show_step (self, NB_CALIBRATION_STEP_STATION);
  update_controls (self);
}
