/* nb-calibration-page.c: the Calibration wizard's widgets over NbCalibration. */
#include "nb-calibration-page.h"

#include <math.h>
#include <stdlib.h>

#include "nb-calibration-view.h"
#include "nb-chart.h"
#include "nb-discovery.h"

/* The strokes of one point fit on the chart with room to spare. */
#define STROKE_CHART_MIN 10

static const char *const step_titles[NB_CALIBRATION_N_STEPS]
    = { "1 Station", "2 Pre-checks", "3 As Found", "4 Adjust", "5 As Left", "6 Result" };
static const char *const step_pages[NB_CALIBRATION_N_STEPS]
    = { "station", "pre-checks", "measure", "adjust", "measure", "result" };

/* The checks listed on the pre-checks step, with the state that performs each. */
static const struct
{
  NbProcedureState state;
  const char *title;
} checks[] = {
  { NB_PROCEDURE_IDENTIFY, "Identify the pen and the fixture" },
  { NB_PROCEDURE_PRE_CHECKS, "Reference standard, cartridge, profile range, environment" },
  { NB_PROCEDURE_WARM_UP, "Warm-up: motor on, strokes seen on both streams" },
};

struct _NbCalibrationPage
{
  GtkBox parent_instance;
  NbCalibration *cal;
  GSettings *settings;
  NbLivePage *live;                   /* weak: the window owns both pages */
  GListModel *devices;                /* the Live page's pen list (NbPenItem) */
  GPtrArray *pen_uris, *fixture_uris; /* the combo rows' URIs, by position */
  GPtrArray *areas;                   /* area ids ("" = bench profiles by id), by position */
  gboolean updating;
  guint reached; /* the last step reached */

  GtkBox *step_bar;
  GtkToggleButton *step_buttons[NB_CALIBRATION_N_STEPS];
  GtkStack *stack;
  AdwPreferencesPage *station_page;
  AdwComboRow *pen_row, *fixture_row, *area_row, *skin_row, *type_row, *rule_row;
  AdwEntryRow *pen_uri_row, *fixture_uri_row, *operator_row;
  AdwActionRow *profile_row;
  GtkSwitch *adjust_switch;
  AdwPreferencesGroup *checks_group, *standard_group;
  AdwActionRow *check_rows[G_N_ELEMENTS (checks)];
  GtkImage *check_icons[G_N_ELEMENTS (checks)];
  AdwEntryRow *std_serial_row, *std_model_row, *std_certificate_row, *std_u_row, *std_k_row,
      *std_due_row;
  GtkLabel *point_label, *adjust_label, *adjust_steps_label, *verdict_label, *result_label,
      *trace_label, *status_label;
  GtkProgressBar *point_progress;
  NbChart *stroke_chart;
  NbChartAxis *stroke_x, *stroke_y;
  NbChartSeries *stroke_points, *stroke_band, *stroke_target;
  GtkGrid *found_grid, *table_grid, *result_grid;
  GtkButton *cancel_button, *start_button, *new_button;
};

G_DEFINE_FINAL_TYPE (NbCalibrationPage, nb_calibration_page, GTK_TYPE_BOX)

enum
{
  SIGNAL_MESSAGE,
  SIGNAL_RUN_STORED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
message (NbCalibrationPage *self, const char *text)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, text);
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
}

static void
on_step_changed (NbCalibration *cal, NbCalibrationPage *self)
{
  NbCalibrationStep step = nb_calibration_get_step (cal);
  self->reached = step == NB_CALIBRATION_STEP_STATION ? 0 : MAX (self->reached, step);
  nb_calibration_page_show_step (self, step);
  update_controls (self);
}

/* --- station --------------------------------------------------------------------------------- */

static void
set_combo_strings (AdwComboRow *row, GPtrArray *labels, guint selected)
{
  g_ptr_array_add (labels, NULL);
  g_autoptr (GtkStringList) list = gtk_string_list_new ((const char *const *) labels->pdata);
  adw_combo_row_set_model (row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (row, selected);
}

static guint
index_of (GPtrArray *uris, const char *uri)
{
  for (guint i = 0; uri && i < uris->len; i++)
    if (g_strcmp0 (g_ptr_array_index (uris, i), uri) == 0)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

/* The pens and fixtures the Live page's list knows, told apart by their kind (a fixture answers
 * IDENTIFY with the REFERENCE capability), after the simulated station that is always there. */
static void
fill_devices (NbCalibrationPage *self)
{
  self->updating = TRUE;
  g_autoptr (GPtrArray) pens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) fixtures = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_set_size (self->pen_uris, 0);
  g_ptr_array_set_size (self->fixture_uris, 0);
  g_ptr_array_add (pens, g_strdup ("Simulated pen (sim:)"));
  g_ptr_array_add (self->pen_uris, g_strdup (NB_CALIBRATION_SIM_PEN));
  g_ptr_array_add (fixtures, g_strdup ("Simulated fixture (sim-fixture:)"));
  g_ptr_array_add (self->fixture_uris, g_strdup (NB_CALIBRATION_SIM_FIXTURE));
  guint n = self->devices ? g_list_model_get_n_items (self->devices) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (NbPenItem) item = g_list_model_get_item (self->devices, i);
      const char *uri = nb_pen_item_get_uri (item);
      if (g_str_equal (uri, "sim") || g_str_equal (uri, NB_CALIBRATION_SIM_PEN))
        continue;
      gboolean fixture = g_strcmp0 (nb_pen_item_get_kind (item), "fixture") == 0;
      char *label
          = g_strdup_printf ("%s %s · %s (%s)", fixture ? "Fixture" : "Pen",
                             nb_pen_item_get_model (item), nb_pen_item_get_serial (item), uri);
      g_ptr_array_add (fixture ? fixtures : pens, label);
      g_ptr_array_add (fixture ? self->fixture_uris : self->pen_uris, g_strdup (uri));
    }
  g_ptr_array_add (fixtures, g_strdup ("None: the pen's own sensor (self-check, not traceable)"));
  g_ptr_array_add (self->fixture_uris, g_strdup (""));
  const char *pen_uri = gtk_editable_get_text (GTK_EDITABLE (self->pen_uri_row));
  const char *fix_uri = gtk_editable_get_text (GTK_EDITABLE (self->fixture_uri_row));
  guint p = index_of (self->pen_uris, pen_uri), f = index_of (self->fixture_uris, fix_uri);
  set_combo_strings (self->pen_row, pens, p == GTK_INVALID_LIST_POSITION ? 0 : p);
  set_combo_strings (self->fixture_row, fixtures, f == GTK_INVALID_LIST_POSITION ? 0 : f);
  self->updating = FALSE;
}

static void
on_devices_changed (GListModel *model, guint pos, guint removed, guint added,
                    NbCalibrationPage *self)
{
  fill_devices (self);
}

static void
on_device_selected (AdwComboRow *row, GParamSpec *pspec, NbCalibrationPage *self)
{
  if (self->updating)
    return;
  guint i = adw_combo_row_get_selected (row);
  GPtrArray *uris = row == self->pen_row ? self->pen_uris : self->fixture_uris;
  AdwEntryRow *entry = row == self->pen_row ? self->pen_uri_row : self->fixture_uri_row;
  if (i < uris->len)
    gtk_editable_set_text (GTK_EDITABLE (entry), g_ptr_array_index (uris, i));
}

static const NbProfile *
profile_for (NbCalibrationPage *self, guint area_index, guint skin_index)
{
  GPtrArray *profiles = nb_calibration_get_profiles (self->cal);
  if (area_index >= self->areas->len)
    return NULL;
  const char *area = g_ptr_array_index (self->areas, area_index);
  if (g_str_has_prefix (area, "bench:"))
    return nb_profiles_find (profiles, area + strlen ("bench:"));
  const NbProfile *any = NULL;
  for (guint i = 0; i < profiles->len; i++)
    {
      const NbProfile *p = g_ptr_array_index (profiles, i);
      if (g_strcmp0 (p->area, area) != 0)
        continue;
      if (any == NULL || p->skin == (skin_index == 0 ? NB_SKIN_THIN : NB_SKIN_THICK))
        any = p;
    }
  return any;
}

static void
show_profile (NbCalibrationPage *self)
{
  const NbProfile *p = nb_calibration_get_profile (self->cal);
  if (p == NULL)
    return;
  g_autoptr (GString) s = g_string_new (NULL);
  for (guint i = 0; i < p->n_points; i++)
    g_string_append_printf (s, "%s%.2f", i ? ", " : "", p->points[i].depth_mm);
  g_string_append (s, " mm at ");
  for (guint i = 0; i < p->n_rates; i++)
    g_string_append_printf (s, "%s%.0f", i ? ", " : "", p->rates_hz[i]);
  g_string_append_printf (s, " Hz, ±%.2f mm, %u strokes a point", p->points[0].tolerance_mm,
                          p->strokes_per_point);
  g_autofree char *sub = g_markup_escape_text (s->str, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->profile_row), p->title);
  adw_action_row_set_subtitle (self->profile_row, sub);
  g_autofree char *cap
      = nb_calibration_describe_cap (p, nb_calibration_get_fitzpatrick (self->cal));
  g_autofree char *cap_markup = g_markup_escape_text (cap, -1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->type_row), cap_markup);
  /* A thickness choice only where the area has both. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->skin_row), p->skin != NB_SKIN_ANY);
  g_autofree char *rule
      = g_strdup_printf ("The profile's (%s)", nb_profile_rule_to_string (p->rule));
  GListModel *rules = adw_combo_row_get_model (self->rule_row);
  if (GTK_IS_STRING_LIST (rules))
    {
      self->updating = TRUE;
      guint sel = adw_combo_row_get_selected (self->rule_row);
      gtk_string_list_splice (GTK_STRING_LIST (rules), 0, 1, (const char *const[]){ rule, NULL });
      adw_combo_row_set_selected (self->rule_row, sel);
      self->updating = FALSE;
    }
}

static void
on_profile_choice (GObject *row, GParamSpec *pspec, NbCalibrationPage *self)
{
  if (self->updating)
    return;
  const NbProfile *p = profile_for (self, adw_combo_row_get_selected (self->area_row),
                                    adw_combo_row_get_selected (self->skin_row));
  if (p)
    (void) nb_calibration_set_profile (self->cal, p->id);
  nb_calibration_set_fitzpatrick (self->cal, adw_combo_row_get_selected (self->type_row) + 1);
  show_profile (self);
}

static void
select_profile (NbCalibrationPage *self, const NbProfile *p)
{
  self->updating = TRUE;
  for (guint i = 0; i < self->areas->len; i++)
    {
      const char *a = g_ptr_array_index (self->areas, i);
      if ((p->area && g_str_equal (a, p->area))
          || (!p->area && g_str_has_prefix (a, "bench:") && g_str_equal (a + 6, p->id)))
        adw_combo_row_set_selected (self->area_row, i);
    }
  if (p->skin != NB_SKIN_ANY)
    adw_combo_row_set_selected (self->skin_row, p->skin == NB_SKIN_THIN ? 0 : 1);
  self->updating = FALSE;
  show_profile (self);
}

static void
fill_profiles (NbCalibrationPage *self)
{
  GPtrArray *profiles = nb_calibration_get_profiles (self->cal);
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_set_size (self->areas, 0);
  for (guint i = 0; i < profiles->len; i++)
    {
      const NbProfile *p = g_ptr_array_index (profiles, i);
      char *key = p->area ? g_strdup (p->area) : g_strdup_printf ("bench:%s", p->id);
      if (index_of (self->areas, key) != GTK_INVALID_LIST_POSITION)
        {
          g_free (key);
          continue;
        }
      g_ptr_array_add (self->areas, key);
      const char *name = p->area ? nb_profile_area_name (p->area) : NULL;
      g_ptr_array_add (labels, p->area ? g_strdup (name ? name : p->area)
                                       : g_strdup_printf ("Bench: %s", p->title));
    }
  self->updating = TRUE;
  set_combo_strings (self->area_row, labels, 0);
  self->updating = FALSE;
  const NbProfile *p = nb_calibration_get_profile (self->cal);
  if (p)
    select_profile (self, p);
}

gboolean
nb_calibration_page_choose (NbCalibrationPage *self, const char *pen_uri, const char *fixture_uri,
                            const char *profile_id, guint type)
{
  gtk_editable_set_text (GTK_EDITABLE (self->pen_uri_row), pen_uri ? pen_uri : "");
  gtk_editable_set_text (GTK_EDITABLE (self->fixture_uri_row), fixture_uri ? fixture_uri : "");
  adw_combo_row_set_selected (self->type_row, CLAMP (type, 1, 6) - 1);
  if (!nb_calibration_set_profile (self->cal, profile_id))
    return FALSE;
  select_profile (self, nb_calibration_get_profile (self->cal));
  return TRUE;
}

const char *
nb_calibration_page_get_cap_text (NbCalibrationPage *self)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (self->type_row));
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
      set_status (self, "The Live page is recording this pen: stop the recording first.");
      message (self, "Calibration refused: the Live page is recording this pen. Stop the "
                     "recording first.");
      return FALSE;
    }
  gtk_widget_activate_action (GTK_WIDGET (self->live), "live.disconnect", NULL);
  message (self, "The pen was disconnected from the Live page: a calibration needs it alone.");
  return TRUE;
}

static void
clear_run_views (NbCalibrationPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      gtk_image_set_from_icon_name (self->check_icons[i], "content-loading-symbolic");
      adw_action_row_set_subtitle (self->check_rows[i], "waiting");
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
  set_status (self, "Identifying the pen and the fixture…");
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
  set_status (self, "Cancelling: stopping the motor…");
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
    case NB_PROCEDURE_IDENTIFY: return "Identifying the pen and the fixture";
    case NB_PROCEDURE_PRE_CHECKS: return "Pre-checks";
    case NB_PROCEDURE_WARM_UP: return "Warming up";
    case NB_PROCEDURE_AS_FOUND: return "Measuring as found";
    case NB_PROCEDURE_DECIDE_AS_FOUND: return "As found";
    case NB_PROCEDURE_ADJUST: return "Fitting a correction";
    case NB_PROCEDURE_WRITE: return "Writing and verifying the table";
    case NB_PROCEDURE_AS_LEFT: return "Measuring as left";
    case NB_PROCEDURE_DECIDE_AS_LEFT: return "As left";
    case NB_PROCEDURE_DONE: return "Done";
    case NB_PROCEDURE_FAILED: return "Failed";
    case NB_PROCEDURE_CANCELLED:
    default: return "Cancelled";
    }
}

static void
on_state_changed (NbCalibration *cal, guint state, const char *detail, NbCalibrationPage *self)
{
  int c = check_of (state);
  /* Every check before the one entered has passed. */
  for (int i = 0; i < (c < 0 ? (int) G_N_ELEMENTS (checks) : c); i++)
    if (state != NB_PROCEDURE_FAILED && state != NB_PROCEDURE_CANCELLED)
      gtk_image_set_from_icon_name (self->check_icons[i], "emblem-ok-symbolic");
  if (c >= 0)
    {
      gtk_image_set_from_icon_name (self->check_icons[c], "media-playback-start-symbolic");
      adw_action_row_set_subtitle (self->check_rows[c], detail ? detail : "running");
    }
  const char *name = state_title (state);
  g_autofree char *status = detail ? g_strdup_printf ("%s: %s", name, detail) : g_strdup (name);
  set_status (self, status);
  if (state == NB_PROCEDURE_ADJUST || state == NB_PROCEDURE_WRITE
      || state == NB_PROCEDURE_DECIDE_AS_FOUND)
    {
      const char *now = gtk_label_get_label (self->adjust_steps_label);
      g_autofree char *lines = g_strdup_printf ("%s%s• %s", now, *now ? "\n" : "", status);
      gtk_label_set_label (self->adjust_steps_label, lines);
      gtk_label_set_label (self->adjust_label, state == NB_PROCEDURE_WRITE
                                                   ? "Writing the new table and verifying it"
                                                   : "Fitting a correction to the as-found points");
    }
}

static void
on_point_started (NbCalibration *cal, NbCalibrationPage *self)
{
  NbRunPhase phase;
  guint index, total;
  double depth, rate;
  if (!nb_calibration_get_current_point (cal, &phase, &index, &total, &depth, &rate))
    return;
  g_autofree char *text = g_strdup_printf ("%s · point %u of %u · %.2f mm at %.0f Hz",
                                           phase == NB_RUN_PHASE_AS_LEFT ? "As left" : "As found",
                                           index + 1, total, depth, rate);
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
          text, "Overall: %s (%s, %s rule)", nb_calibration_verdict_label (r->verdict),
          r->as_left ? "as left" : "as found", nb_decision_rule_to_string (r->rule));
      if (r->as_found && r->as_left)
        g_string_append_printf (text, "; as found it was %s",
                                nb_calibration_verdict_label (r->as_found->verdict));
      g_string_append (text, r->adjusted ? ". New table written, committed and verified."
                             : r->adjust ? ". No new table was written."
                                         : ". As-found only: the pen's table was not touched.");
    }
  else
    {
      gboolean cancelled = state == NB_PROCEDURE_CANCELLED;
      gtk_label_set_label (self->verdict_label, cancelled ? "CANCELLED" : "FAILED");
      gtk_widget_add_css_class (verdict, nb_calibration_verdict_css (NB_VERDICT_FAIL));
      g_string_append (text, error ? error->message : "The run did not finish.");
      /* What the procedure guarantees: the motor stopped and, unless the new table was verified
       * in the pen, the pen kept its previous one. */
      g_string_append (text, r && r->adjusted
                                 ? " The motor is stopped; the new table had been written and "
                                   "verified before the run ended."
                                 : " The motor is stopped and the pen keeps its previous "
                                   "calibration table.");
    }
  if (r && r->run_id > 0)
    g_string_append_printf (text, "\nRun %" G_GINT64_FORMAT " · pen %s · profile %s", r->run_id,
                            r->pen_serial ? r->pen_serial : "?", r->profile_id);
  gtk_label_set_label (self->result_label, text->str);
  g_autofree char *trace = NULL;
  if (r && !r->traceable)
    trace = g_strdup ("not traceable: pen self-check");
  else if (r && r->standard_certificate)
    trace = g_strdup_printf ("Traced to fixture %s, certificate %s (U = %.4f mm, k = %.2f, due %s)",
                             r->fixture_serial, r->standard_certificate, r->standard_U_mm,
                             r->standard_k, r->standard_due ? r->standard_due : "?");
  gtk_label_set_label (self->trace_label, trace ? trace : "");
  gtk_widget_set_visible (GTK_WIDGET (self->trace_label), trace != NULL);
  nb_cal_fill_result (self->result_grid, r);
  nb_cal_fill_tables (self->table_grid, r);
  if (r && r->adjust && r->adjusted)
    gtk_label_set_label (self->adjust_label, "Written, committed, read back and verified");
  else if (r && !r->adjust)
    gtk_label_set_label (self->adjust_label, "Not adjusted: as-found only");
  else
    gtk_label_set_label (self->adjust_label, "No new table was written");
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
      set_status (self, "No valid reference standard for the fixture: record it below.");
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
  message (self, "Reference standard recorded: retrying the calibration.");
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
      set_status (self, "U and k must be numbers (a dot for decimals).");
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
  if (live)
    {
      self->devices = g_object_ref (nb_pen_list_get_model (nb_live_page_get_pen_list (live)));
      g_signal_connect (self->devices, "items-changed", G_CALLBACK (on_devices_changed), self);
    }
  fill_devices (self);
  g_autoptr (GError) error = NULL;
  if (!nb_calibration_load_profiles (self->cal, NULL, &error))
    {
      set_status (self, error->message);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "calibration.start", FALSE);
      return;
    }
  fill_profiles (self);
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
#undef CHILD
  gtk_widget_class_install_action (wc, "calibration.start", NULL, action_start);
  gtk_widget_class_install_action (wc, "calibration.cancel", NULL, action_cancel);
  gtk_widget_class_install_action (wc, "calibration.new", NULL, action_new);
  gtk_widget_class_install_action (wc, "calibration.record-standard", NULL, action_record_standard);
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
  self->stroke_x = nb_chart_axis_new ("stroke", 0, 30);
  self->stroke_y = nb_chart_axis_new ("depth (mm)", 0, 3);
  self->stroke_band = nb_chart_series_new (NB_CHART_SERIES_BAND, "rgba(46,194,126,0.18)");
  self->stroke_target = nb_chart_series_new (NB_CHART_SERIES_HLINE, "#26a269");
  self->stroke_points = nb_chart_series_new (NB_CHART_SERIES_POINTS, "#1c71d8");
  nb_chart_set_axes (self->stroke_chart, self->stroke_x, self->stroke_y);
  nb_chart_add_series (self->stroke_chart, self->stroke_band);
  nb_chart_add_series (self->stroke_chart, self->stroke_target);
  nb_chart_add_series (self->stroke_chart, self->stroke_points);
  nb_chart_set_title (self->stroke_chart,
                      "This point's strokes as the reference sees them, target and tolerance");
}

static void
init_choices (NbCalibrationPage *self)
{
  g_autoptr (GPtrArray) skins = g_ptr_array_new ();
  g_ptr_array_add (skins, "Thin");
  g_ptr_array_add (skins, "Thick");
  set_combo_strings (self->skin_row, skins, 1);
  g_autoptr (GPtrArray) types = g_ptr_array_new_with_free_func (g_free);
  for (guint t = 1; t <= 6; t++)
    g_ptr_array_add (types, g_strdup_printf ("Type %s", nb_fitzpatrick_to_string (t)));
  set_combo_strings (self->type_row, types, 0);
  g_autoptr (GPtrArray) rules = g_ptr_array_new ();
  g_ptr_array_add (rules, "The profile's");
  g_ptr_array_add (rules, "Simple acceptance");
  g_ptr_array_add (rules, "Guarded acceptance (w = U)");
  g_ptr_array_add (rules, "Non-binary (pass, conditional pass, conditional fail, fail)");
  set_combo_strings (self->rule_row, rules, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->pen_uri_row), NB_CALIBRATION_SIM_PEN);
  gtk_editable_set_text (GTK_EDITABLE (self->fixture_uri_row), NB_CALIBRATION_SIM_FIXTURE);
  g_signal_connect (self->pen_row, "notify::selected", G_CALLBACK (on_device_selected), self);
  g_signal_connect (self->fixture_row, "notify::selected", G_CALLBACK (on_device_selected), self);
  g_signal_connect (self->area_row, "notify::selected", G_CALLBACK (on_profile_choice), self);
  g_signal_connect (self->skin_row, "notify::selected", G_CALLBACK (on_profile_choice), self);
  g_signal_connect (self->type_row, "notify::selected", G_CALLBACK (on_profile_choice), self);
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
      GtkWidget *b = gtk_toggle_button_new_with_label (step_titles[i]);
      gtk_accessible_update_property (GTK_ACCESSIBLE (b), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      step_titles[i] + 2, -1);
      g_signal_connect (b, "clicked", G_CALLBACK (on_step_clicked), self);
      gtk_box_append (self->step_bar, b);
      self->step_buttons[i] = GTK_TOGGLE_BUTTON (b);
    }
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      self->check_rows[i] = ADW_ACTION_ROW (adw_action_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->check_rows[i]), checks[i].title);
      adw_action_row_set_subtitle_lines (self->check_rows[i], 4);
      self->check_icons[i] = GTK_IMAGE (gtk_image_new ());
      adw_action_row_add_prefix (self->check_rows[i], GTK_WIDGET (self->check_icons[i]));
      adw_preferences_group_add (self->checks_group, GTK_WIDGET (self->check_rows[i]));
    }
  init_chart (self);
  init_choices (self);
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
