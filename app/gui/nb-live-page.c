/* nb-live-page.c: the Live page's widgets, actions and chart feeding. */
#include "nb-live-page.h"

#include <glib/gi18n.h>
#include <math.h>

#include "nb-chart.h"
#include "nb-depth-spin.h"
#include "nb-live-strip.h"
#include "nb-pen-details.h"
#include "nb-pen-row.h"
#include "nb-presets.h"
#include "nb-readouts.h"
#include "nb-recording-bar.h"

#define DEPTH_CHART_STROKES 300

struct _NbLivePage
{
  GtkBox parent_instance;

  GtkListBox *pen_list;
  NbPenDetails *pen_details;
  GtkStack *main_stack;
  GtkSpinButton *depth_spin, *rate_spin;
  GtkLabel *depth_unit_label;
  GtkAdjustment *depth_adjustment, *rate_adjustment;
  GtkDropDown *preset_dropdown;
  GtkButton *motor_button, *record_button;
  GtkEntry *name_entry, *note_entry;
  NbReadouts *readouts;
  NbRecordingBar *recording_bar;
  NbChart *strip_chart, *depth_chart;

  GSettings *settings;
  NbPenList *pens;
  NbRun *run;
  GCancellable *connecting; /* the open in flight, NULL when none */

  NbLiveStrip strip;
  NbChartAxis *depth_x, *depth_y;
  NbChartSeries *depth_points, *band, *target;

  GPtrArray *presets; /* NbPreset */
  const NbPreset *preset;
  guint preset_index;
  gboolean updating; /* set while the page itself changes a control: not an operator's input */
};

G_DEFINE_FINAL_TYPE (NbLivePage, nb_live_page, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_PAUSED,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

enum
{
  SIGNAL_CONNECTED,
  SIGNAL_LOST,
  SIGNAL_RECORDING_FINISHED,
  SIGNAL_MESSAGE,
  SIGNAL_PEN_STOPPED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
message (NbLivePage *self, const char *text)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, text);
}

static gboolean
connected (NbLivePage *self)
{
  return self->run && nb_run_is_connected (self->run);
}

static void update_follow (NbLivePage *self);

static void
update_actions (NbLivePage *self)
{
  update_follow (self);
  GtkWidget *w = GTK_WIDGET (self);
  gboolean on = connected (self);
  if (self->pen_list == NULL)
    return; /* disposed: a request finishing late has nothing to update */
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->pen_list);
  /* Connecting again to the pen in use would restart its link and clear the charts. */
  gtk_widget_action_set_enabled (w, "live.connect",
                                 self->connecting == NULL && row && !nb_pen_row_is_connected (row));
  gtk_widget_action_set_enabled (w, "live.disconnect", self->run != NULL); /* lost: dismiss */
  gtk_widget_action_set_enabled (w, "live.toggle-motor", on);
  gtk_widget_action_set_enabled (w, "live.toggle-record", on);
  gtk_widget_set_sensitive (GTK_WIDGET (self->depth_spin), on);
  gtk_widget_set_sensitive (GTK_WIDGET (self->rate_spin), on);
  gtk_widget_set_sensitive (GTK_WIDGET (self->preset_dropdown), on);

  gboolean motor = self->run && nb_run_is_motor_running (self->run);
  gtk_button_set_label (self->motor_button, motor ? "Stop _Motor" : "Start _Motor");
  if (motor)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->motor_button), "suggested-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->motor_button), "destructive-action");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->motor_button), "destructive-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->motor_button), "suggested-action");
    }
  gboolean rec = self->run && nb_run_is_recording (self->run);
  gboolean starting = self->run && nb_run_is_starting_recording (self->run);
  gtk_button_set_label (self->record_button,
                        rec ? "Stop _Recording" : (starting ? "Starting…" : "_Record"));
  if (rec)
    gtk_widget_add_css_class (GTK_WIDGET (self->record_button), "destructive-action");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->record_button), "destructive-action");
}

/* --- details of the selected pen ------------------------------------------------------------ */

static void
show_details (NbLivePage *self)
{
  if (self->pen_list == NULL)
    return;
  NbPenItem *item = nb_pen_row_get_item (gtk_list_box_get_selected_row (self->pen_list));
  nb_pen_details_show (self->pen_details, item, self->run);
  update_actions (self);
}

static void
select_uri (NbLivePage *self, const char *uri)
{
  guint pos;
  if (nb_pen_list_find (self->pens, uri, &pos))
    gtk_list_box_select_row (self->pen_list, gtk_list_box_get_row_at_index (self->pen_list, pos));
}

static void
on_pens_refreshed (NbPenList *pens, NbLivePage *self)
{
  /* Select something so that Connect works at once; keep the operator's choice otherwise. */
  if (gtk_list_box_get_selected_row (self->pen_list) == NULL)
    gtk_list_box_select_row (self->pen_list, gtk_list_box_get_row_at_index (self->pen_list, 0));
  show_details (self);
}

/* --- readouts and charts -------------------------------------------------------------------- */

static void
on_updated (NbRun *run, NbLivePage *self)
{
  nb_readouts_show (self->readouts, run, nb_units_from_settings (self->settings) == NB_UNITS_UM);
  nb_live_strip_fit_y (&self->strip, run);
}

static void
update_band (NbLivePage *self)
{
  double target = self->run ? nb_run_get_set_depth (self->run) : 0;
  double lo = self->preset ? self->preset->band_lo_mm : target - NB_LIVE_DEFAULT_TOLERANCE_MM;
  double hi = self->preset ? self->preset->band_hi_mm : target + NB_LIVE_DEFAULT_TOLERANCE_MM;
  nb_chart_series_set_y (self->band, lo, hi);
  nb_chart_series_set_y (self->target, target, target);
  nb_chart_axis_set_range (self->depth_y, MAX (MIN (lo, target) - 0.25, 0),
                           MAX (hi, target) + 0.25);
}

static void
on_stroke (NbRun *run, const NbStroke *stroke, NbLivePage *self)
{
  nb_chart_series_add_point (self->depth_points, (double) stroke->index, stroke->depth_mm);
  double last = (double) stroke->index;
  nb_chart_axis_set_range (self->depth_x, MAX (last - DEPTH_CHART_STROKES, 0),
                           MAX (last + 5, DEPTH_CHART_STROKES / 10.0));
}

static void
update_follow (NbLivePage *self)
{
  nb_live_strip_set_following (&self->strip, self->run,
                               self->run && nb_run_is_motor_running (self->run));
}

static void
on_view_changed (NbChart *chart, NbLivePage *self)
{
  if (nb_live_strip_view_changed (&self->strip))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PAUSED]);
}

/* --- controls ------------------------------------------------------------------------------- */

static void
on_request_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NbLivePage *self = user_data;
  g_autoptr (GError) error = NULL;
  if (!nb_run_request_finish (NB_RUN (source), result, &error))
    message (self, error->message);
  update_actions (self);
  g_object_unref (self);
}

static void
on_depth_changed (GtkSpinButton *spin, NbLivePage *self)
{
  if (self->updating || !connected (self))
    return;
  nb_run_set_depth_async (self->run, gtk_spin_button_get_value (spin), on_request_done,
                          g_object_ref (self));
}

static void
on_rate_changed (GtkSpinButton *spin, NbLivePage *self)
{
  if (self->updating || !connected (self))
    return;
  nb_run_set_rate_async (self->run, gtk_spin_button_get_value (spin), on_request_done,
                         g_object_ref (self));
}

void
nb_live_page_set_depth (NbLivePage *self, double depth_mm)
{
  gtk_spin_button_set_value (self->depth_spin, depth_mm);
}

gboolean
nb_live_page_choose_preset (NbLivePage *self, guint index)
{
  gtk_drop_down_set_selected (self->preset_dropdown, index);
  return self->preset_index == index;
}

static void
on_preset_selected (GtkDropDown *dropdown, GParamSpec *pspec, NbLivePage *self)
{
  if (self->updating)
    return;
  guint index = gtk_drop_down_get_selected (dropdown);
  const NbPreset *preset
      = index > 0 && index <= self->presets->len ? self->presets->pdata[index - 1] : NULL;
  if (preset && self->run)
    {
      const NbIdentity *id = nb_run_get_identity (self->run);
      double depth;
      g_autoptr (GError) error = NULL;
      if (!nb_preset_pen_depth (preset, id->depth_min_um / 1000.0, id->depth_max_um / 1000.0,
                                id->depth_step_um / 1000.0, &depth, &error))
        {
          g_autofree char *text = g_strdup_printf ("Preset refused: %s", error->message);
          message (self, text);
          self->updating = TRUE;
          gtk_drop_down_set_selected (dropdown, self->preset_index);
          self->updating = FALSE;
          return;
        }
      self->preset = preset;
      self->preset_index = index;
      nb_live_page_set_depth (self, depth);
    }
  else
    {
      self->preset = NULL;
      self->preset_index = 0;
    }
  update_band (self);
}

static void
toggle_motor (GtkWidget *widget, const char *action, GVariant *param)
{
  NbLivePage *self = NB_LIVE_PAGE (widget);
  if (!connected (self))
    return;
  nb_run_set_motor_async (self->run, !nb_run_is_motor_running (self->run), on_request_done,
                          g_object_ref (self));
}

static void
on_recording_started (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NbLivePage *self = user_data;
  g_autoptr (GError) error = NULL;
  if (!nb_run_start_recording_finish (NB_RUN (source), result, &error))
    message (self, error->message);
  update_actions (self);
  g_object_unref (self);
}

static void
toggle_record (GtkWidget *widget, const char *action, GVariant *param)
{
  NbLivePage *self = NB_LIVE_PAGE (widget);
  if (self->run == NULL || nb_run_is_starting_recording (self->run))
    return;
  if (nb_run_is_recording (self->run))
    {
      nb_run_stop_recording (self->run);
      return;
    }
  g_autofree char *path
      = self->settings ? g_settings_get_string (self->settings, "database-path") : NULL;
  g_autofree char *op
      = self->settings ? g_settings_get_string (self->settings, "default-operator") : NULL;
  if (op == NULL || *op == '\0')
    {
      g_free (op);
      op = g_strdup (g_get_user_name ());
    }
  /* The session is created in a worker: a database busy with another writer must not freeze
   * the window. The button says so meanwhile. */
  nb_run_start_recording_async (self->run, path, op,
                                gtk_editable_get_text (GTK_EDITABLE (self->name_entry)),
                                gtk_editable_get_text (GTK_EDITABLE (self->note_entry)),
                                on_recording_started, g_object_ref (self));
  update_actions (self);
}

void
nb_live_page_set_session_name (NbLivePage *self, const char *name, const char *note)
{
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name ? name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), note ? note : "");
}

static void
zoom_in (GtkWidget *widget, const char *action, GVariant *param)
{
  nb_live_strip_zoom (&NB_LIVE_PAGE (widget)->strip, 0.5);
}

static void
zoom_out (GtkWidget *widget, const char *action, GVariant *param)
{
  nb_live_strip_zoom (&NB_LIVE_PAGE (widget)->strip, 2);
}

/* --- connecting ----------------------------------------------------------------------------- */

static void
on_run_lost (NbRun *run, const char *text, NbLivePage *self)
{
  nb_pen_list_set_lost (self->pens, nb_device_get_uri (nb_run_get_device (run)));
  update_actions (self);
  g_signal_emit (self, signals[SIGNAL_LOST], 0, text);
}

static void
on_run_pen_stopped (NbRun *run, guint code, guint detail, const char *text, NbLivePage *self)
{
  update_actions (self); /* the motor button already says Start: "motor-running" went FALSE */
  g_signal_emit (self, signals[SIGNAL_PEN_STOPPED], 0, text);
}

static void
on_run_recording_finished (NbRun *run, gint64 id, const char *error, NbLivePage *self)
{
  nb_live_page_set_session_name (self, NULL, NULL); /* the next session is another one */
  update_actions (self);
  g_signal_emit (self, signals[SIGNAL_RECORDING_FINISHED], 0, id, error);
}

static void
on_run_notify (NbRun *run, GParamSpec *pspec, NbLivePage *self)
{
  update_actions (self);
  if (g_str_equal (pspec->name, "set-depth-mm"))
    update_band (self);
}

static void
drop_run (NbLivePage *self)
{
  if (self->run == NULL)
    return;
  /* The trace borrows the run's decimator, which goes with the run. */
  nb_live_strip_show_run (&self->strip, NULL);
  nb_recording_bar_set_run (self->recording_bar, NULL);
  g_signal_handlers_disconnect_by_data (self->run, self);
  nb_run_close (self->run);
  g_clear_object (&self->run);
  nb_pen_list_set_busy (self->pens, NULL, NULL);
}

static void
set_adjustment (GtkAdjustment *adj, double lower, double upper, double step, double value)
{
  gtk_adjustment_configure (adj, CLAMP (value, lower, upper), lower, upper, step, step * 5, 0);
}

static void
adopt_run (NbLivePage *self, NbRun *run)
{
  drop_run (self);
  self->run = run;
  const NbIdentity *id = nb_run_get_identity (run);

  /* Limit the controls to what this pen can do, in its steps. */
  self->updating = TRUE;
  double step = id->depth_step_um > 0 ? id->depth_step_um / 1000.0 : 0.01;
  set_adjustment (self->depth_adjustment, id->depth_min_um / 1000.0, id->depth_max_um / 1000.0,
                  step, nb_run_get_set_depth (run));
  gtk_spin_button_set_digits (self->depth_spin,
                              step >= 0.1 - 1e-9 ? (step >= 0.25 - 1e-9 ? 2 : 1) : 2);
  set_adjustment (self->rate_adjustment, id->rate_min_mhz / 1000.0, id->rate_max_mhz / 1000.0, 1,
                  nb_run_get_set_rate (run));
  gtk_drop_down_set_selected (self->preset_dropdown, 0);
  self->preset = NULL;
  self->preset_index = 0;
  self->updating = FALSE;

  nb_live_strip_show_run (&self->strip, run);
  nb_recording_bar_set_run (self->recording_bar, run);
  nb_chart_series_clear (self->depth_points);
  nb_chart_axis_set_range (self->depth_x, 0, DEPTH_CHART_STROKES);
  self->strip.paused = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PAUSED]);
  update_band (self);

  g_signal_connect (run, "updated", G_CALLBACK (on_updated), self);
  g_signal_connect (run, "stroke", G_CALLBACK (on_stroke), self);
  g_signal_connect (run, "lost", G_CALLBACK (on_run_lost), self);
  g_signal_connect (run, "pen-stopped", G_CALLBACK (on_run_pen_stopped), self);
  g_signal_connect (run, "recording-finished", G_CALLBACK (on_run_recording_finished), self);
  g_signal_connect (run, "notify", G_CALLBACK (on_run_notify), self);

  const char *uri = nb_device_get_uri (nb_run_get_device (run));
  NbPenInfo info = {
    .uri = (char *) uri,
    .transport = (char *) (g_str_has_prefix (uri, "sim") ? "sim" : "serial"),
    .model = (char *) id->model,
    .serial = (char *) id->serial,
    .firmware = (char *) id->firmware,
    .capabilities = id->capabilities,
  };
  nb_pen_list_set_busy (self->pens, uri, &info);
  select_uri (self, uri);
  gtk_stack_set_visible_child_name (self->main_stack, "live");
  show_details (self);
  g_signal_emit (self, signals[SIGNAL_CONNECTED], 0);
}

static void
on_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NbLivePage *self = user_data;
  g_autoptr (GError) error = NULL;
  NbRun *run = nb_run_open_finish (result, &error);
  g_clear_object (&self->connecting);
  if (run)
    adopt_run (self, run);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    message (self, error->message);
  update_actions (self);
  g_object_unref (self);
}

void
nb_live_page_connect_uri (NbLivePage *self, const char *uri)
{
  if (connected (self) && g_str_equal (uri, nb_device_get_uri (nb_run_get_device (self->run))))
    return; /* already this pen's: opening it again would restart the link, clear the charts */
  if (self->connecting)
    g_cancellable_cancel (self->connecting);
  g_clear_object (&self->connecting);
  drop_run (self);
  self->connecting = g_cancellable_new ();
  nb_run_open_async (uri, self->connecting, on_opened, g_object_ref (self));
  update_actions (self);
}

static void
connect_selected (GtkWidget *widget, const char *action, GVariant *param)
{
  NbLivePage *self = NB_LIVE_PAGE (widget);
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->pen_list);
  NbPenItem *item = nb_pen_row_get_item (row);
  if (item && !nb_pen_row_is_connected (row))
    nb_live_page_connect_uri (self, nb_pen_item_get_uri (item));
}

static void
disconnect (GtkWidget *widget, const char *action, GVariant *param)
{
  NbLivePage *self = NB_LIVE_PAGE (widget);
  drop_run (self);
  gtk_stack_set_visible_child_name (self->main_stack, "empty");
  show_details (self);
}

/* --- public --------------------------------------------------------------------------------- */

/* Every depth on the page in the operator's unit (the readouts take it per update). */
static void
apply_units (NbLivePage *self)
{
  NbUnits units = nb_units_from_settings (self->settings);
  nb_live_strip_set_units (&self->strip, units);
  nb_units_label_axis (units, self->depth_y, _ ("depth"));
  if (self->run)
    nb_readouts_show (self->readouts, self->run, units == NB_UNITS_UM);
}

void
nb_live_page_setup (NbLivePage *self, GSettings *settings)
{
  g_set_object (&self->settings, settings);
  nb_depth_spin_attach (self->depth_spin, self->depth_unit_label, settings);
  g_signal_connect_object (settings, "changed::units", G_CALLBACK (apply_units), self,
                           G_CONNECT_SWAPPED);
  apply_units (self);
  nb_pen_list_start (self->pens);
}

NbRun *
nb_live_page_get_run (NbLivePage *self)
{
  return self->run;
}

NbPenList *
nb_live_page_get_pen_list (NbLivePage *self)
{
  return self->pens;
}

NbChart *
nb_live_page_get_strip_chart (NbLivePage *self)
{
  return self->strip_chart;
}

void
nb_live_page_shutdown (NbLivePage *self)
{
  if (self->connecting)
    g_cancellable_cancel (self->connecting);
  drop_run (self);
  nb_pen_list_stop (self->pens);
}

gboolean
nb_live_page_has_pen (NbLivePage *self)
{
  return self->run && (nb_run_is_connected (self->run) || nb_run_is_recording (self->run));
}

static void
on_run_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  if (nb_run_close_finish (NB_RUN (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  g_object_unref (task);
}

void
nb_live_page_shutdown_async (NbLivePage *self, const char *reason, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, nb_live_page_shutdown_async);
  if (self->connecting)
    g_cancellable_cancel (self->connecting);
  nb_pen_list_stop (self->pens);
  if (self->run == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  /* As drop_run, but waiting for the pen and the store. The run stays alive in its tasks. */
  g_autoptr (NbRun) run = g_steal_pointer (&self->run);
  nb_live_strip_show_run (&self->strip, NULL);
  nb_recording_bar_set_run (self->recording_bar, NULL);
  g_signal_handlers_disconnect_by_data (run, self);
  nb_pen_list_set_busy (self->pens, NULL, NULL);
  nb_run_close_async (run, reason, NB_RUN_CLOSE_TIMEOUT_MS, on_run_closed, task);
  update_actions (self);
}

gboolean
nb_live_page_shutdown_finish (NbLivePage *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- GObject -------------------------------------------------------------------------------- */

static void
load_presets (NbLivePage *self)
{
  g_autoptr (GError) error = NULL;
  /* The calibration profiles (a dozen small files): the CLI reads the same ones. */
  GPtrArray *presets = nb_presets_load (NULL, &error);
  if (presets == NULL)
    {
      g_warning ("treatment presets: %s", error->message);
      presets = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_preset_free);
    }
  self->presets = presets;
  GtkStringList *labels = gtk_string_list_new (NULL);
  gtk_string_list_append (labels, "No treatment preset (±0.15 mm)");
  for (guint i = 0; i < presets->len; i++)
    {
      g_autofree char *label = nb_preset_dup_label (presets->pdata[i]);
      gtk_string_list_append (labels, label);
    }
  gtk_drop_down_set_model (self->preset_dropdown, G_LIST_MODEL (labels));
  g_object_unref (labels);
}

static void
setup_charts (NbLivePage *self)
{
  nb_live_strip_init (&self->strip, self->strip_chart, NB_LIVE_WINDOW_S);
  g_signal_connect_swapped (self, "notify::paused", G_CALLBACK (nb_live_strip_update_title),
                            &self->strip);
  g_signal_connect (self->strip_chart, "view-changed", G_CALLBACK (on_view_changed), self);
  g_signal_connect_swapped (self, "notify::paused", G_CALLBACK (update_follow), self);

  self->depth_x = nb_chart_axis_new (_ ("stroke"), 0, DEPTH_CHART_STROKES);
  self->depth_y = nb_chart_axis_new (_ ("depth, mm"), 0, 1);
  self->band = nb_chart_series_new (NB_CHART_SERIES_BAND, "#2ec27e");
  self->target = nb_chart_series_new (NB_CHART_SERIES_HLINE, "#e66100");
  self->depth_points = nb_chart_series_new (NB_CHART_SERIES_POINTS, "#1c71d8");
  nb_chart_series_set_max_points (self->depth_points, DEPTH_CHART_STROKES * 4);
  nb_chart_set_max_fps (self->depth_chart, 10); /* a point a stroke: 10 frames show them all */
  nb_chart_set_axes (self->depth_chart, self->depth_x, self->depth_y);
  /* The target on top of the strokes: it is the reference the eye compares them with. */
  nb_chart_add_series (self->depth_chart, self->band);
  nb_chart_add_series (self->depth_chart, self->depth_points);
  nb_chart_add_series (self->depth_chart, self->target);
  nb_chart_set_title (self->depth_chart, "Depth per stroke, target and tolerance band");
}

static void
nb_live_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_PAUSED)
    g_value_set_boolean (value, NB_LIVE_PAGE (object)->strip.paused);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
nb_live_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  NbLivePage *self = NB_LIVE_PAGE (object);
  if (prop_id == PROP_PAUSED)
    {
      if (self->strip.paused != g_value_get_boolean (value))
        {
          self->strip.paused = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
nb_live_page_dispose (GObject *object)
{
  NbLivePage *self = NB_LIVE_PAGE (object);
  if (self->pens)
    {
      nb_live_page_shutdown (self);
      g_signal_handlers_disconnect_by_data (self->pens, self);
    }
  g_clear_object (&self->connecting);
  g_clear_object (&self->pens);
  g_clear_object (&self->settings);
  nb_live_strip_clear (&self->strip);
  g_clear_object (&self->depth_x);
  g_clear_object (&self->depth_y);
  g_clear_object (&self->depth_points);
  g_clear_object (&self->band);
  g_clear_object (&self->target);
  g_clear_pointer (&self->presets, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), NB_TYPE_LIVE_PAGE);
  G_OBJECT_CLASS (nb_live_page_parent_class)->dispose (object);
}

static void
nb_live_page_class_init (NbLivePageClass *klass)
{
  GObjectClass *oc = G_OBJECT_CLASS (klass);
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  oc->get_property = nb_live_page_get_property;
  oc->set_property = nb_live_page_set_property;
  oc->dispose = nb_live_page_dispose;

  props[PROP_PAUSED]
      = g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (oc, N_PROPS, props);
  signals[SIGNAL_CONNECTED] = g_signal_new ("connected", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_LOST] = g_signal_new ("lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_RECORDING_FINISHED]
      = g_signal_new ("recording-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  signals[SIGNAL_MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_PEN_STOPPED]
      = g_signal_new ("pen-stopped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (NB_TYPE_CHART);
  g_type_ensure (NB_TYPE_PEN_DETAILS);
  g_type_ensure (NB_TYPE_READOUTS);
  gtk_widget_class_set_template_from_resource (wc, "/org/needlebench/NeedleBench/nb-live-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (wc, NbLivePage, name)
  CHILD (pen_list);
  CHILD (pen_details);
  CHILD (main_stack);
  CHILD (depth_spin);
  CHILD (depth_unit_label);
  CHILD (rate_spin);
  CHILD (depth_adjustment);
  CHILD (rate_adjustment);
  CHILD (preset_dropdown);
  CHILD (motor_button);
  CHILD (record_button);
  CHILD (name_entry);
  CHILD (note_entry);
  CHILD (readouts);
  CHILD (strip_chart);
  CHILD (depth_chart);
#undef CHILD

  gtk_widget_class_install_action (wc, "live.connect", NULL, connect_selected);
  gtk_widget_class_install_action (wc, "live.disconnect", NULL, disconnect);
  gtk_widget_class_install_action (wc, "live.toggle-motor", NULL, toggle_motor);
  gtk_widget_class_install_action (wc, "live.toggle-record", NULL, toggle_record);
  gtk_widget_class_install_action (wc, "live.zoom-in", NULL, zoom_in);
  gtk_widget_class_install_action (wc, "live.zoom-out", NULL, zoom_out);
  gtk_widget_class_install_property_action (wc, "live.paused", "paused");
}

static void
add_shortcut (GtkShortcutController *c, guint key, GdkModifierType mods, const char *action)
{
  gtk_shortcut_controller_add_shortcut (
      c, gtk_shortcut_new (gtk_keyval_trigger_new (key, mods), gtk_named_action_new (action)));
}

static void
nb_live_page_init (NbLivePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->pens = nb_pen_list_new ();
  gtk_list_box_bind_model (self->pen_list, nb_pen_list_get_model (self->pens), nb_pen_row_create,
                           NULL, NULL);
  /* Above the readouts, wherever the layout puts them: seen while looking at the figures. */
  self->recording_bar = NB_RECORDING_BAR (nb_recording_bar_new ());
  gtk_widget_insert_before (GTK_WIDGET (self->recording_bar),
                            gtk_widget_get_parent (GTK_WIDGET (self->readouts)),
                            GTK_WIDGET (self->readouts));
  g_signal_connect (self->pens, "refreshed", G_CALLBACK (on_pens_refreshed), self);
  g_signal_connect_swapped (self->pen_list, "row-selected", G_CALLBACK (show_details), self);
  g_signal_connect (self->depth_spin, "value-changed", G_CALLBACK (on_depth_changed), self);
  g_signal_connect (self->rate_spin, "value-changed", G_CALLBACK (on_rate_changed), self);
  gtk_spin_button_set_snap_to_ticks (self->depth_spin, TRUE);
  load_presets (self);
  g_signal_connect (self->preset_dropdown, "notify::selected", G_CALLBACK (on_preset_selected),
                    self);
  setup_charts (self);

  /* Global scope: the shortcuts work wherever the focus is in the window. */
  GtkEventController *c = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (c), GTK_SHORTCUT_SCOPE_GLOBAL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (c), GDK_KEY_space, GDK_CONTROL_MASK, "live.toggle-motor");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (c), GDK_KEY_r, GDK_CONTROL_MASK, "live.toggle-record");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (c), GDK_KEY_p, GDK_CONTROL_MASK, "live.paused");
  gtk_widget_add_controller (GTK_WIDGET (self), c);
  update_actions (self);
}
