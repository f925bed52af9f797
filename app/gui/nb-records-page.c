/* nb-records-page.c: the Records page's widgets: search, list, replay charts, export. */
#include "nb-records-page.h"

#include <glib/gi18n.h>
#include <math.h>

#include "nb-chart-nav.h"
#include "nb-chart.h"
#include "nb-fleet-view.h"
#include "nb-runs-view.h"

struct _NbRecordsPage
{
  GtkBox parent_instance;
  GtkSearchEntry *serial_entry;
  GtkEntry *operator_entry, *day_entry;
  GtkLabel *search_error;
  GtkListBox *session_list;
  GtkStack *detail_stack;
  GtkLabel *title_label, *status_label, *subtitle_label, *stats_label;
  NbChart *strip_chart, *depth_chart;
  GtkStack *kind_stack;
  NbRunsView *runs_view;

  NbRecords *records;
  NbReplay *replay;
  GCancellable *loading;
  NbChartAxis *strip_x, *strip_y, *depth_x, *depth_y;
  GSettings *settings; /* "units"; NULL where the schema is not installed */
  NbRecordsOpener opener;
  gpointer opener_data;
  AdwToast *export_toast; /* weak: the overlay owns it */
  NbChartSeries *trace, *depth_points, *target, *band;
};

G_DEFINE_FINAL_TYPE (NbRecordsPage, nb_records_page, GTK_TYPE_BOX)

enum
{
  SIGNAL_MESSAGE,
  SIGNAL_EXPORTED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static char *
format_time (gint64 us)
{
  if (us == 0)
    return g_strdup ("–");
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_local (us / G_USEC_PER_SEC);
  return dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
}

static GtkWidget *
create_session_row (gpointer item, gpointer user_data)
{
  const NbStoreSession *s = nb_session_item_get_session (item);
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = s->name && *s->name
                               ? g_markup_escape_text (s->name, -1)
                               : g_strdup_printf ("Session %" G_GINT64_FORMAT, s->id);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_autofree char *when = format_time (s->started_at);
  g_autofree char *subtitle
      = g_markup_printf_escaped ("%s · %s · %s", when, s->pen_serial ? s->pen_serial : _ ("no pen"),
                                 s->operator_name ? s->operator_name : "?");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  const char *mark = nb_session_status_mark (s->status);
  if (mark)
    {
      /* Icon and word: a session that did not end normally must stand out in the list. */
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (box, "warning");
      gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      GtkWidget *label = gtk_label_new (mark);
      gtk_widget_add_css_class (label, "caption-heading");
      gtk_box_append (GTK_BOX (box), label);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
      g_object_set_data (G_OBJECT (row), "nb-status-mark", label);
    }
  g_object_set_data_full (G_OBJECT (row), "nb-session-item", g_object_ref (item), g_object_unref);
  return row;
}

static void
show_replay (NbRecordsPage *self)
{
  NbReplay *r = self->replay;
  const NbStoreSession *s = r->session;
  g_autofree char *title = s->name && *s->name
                               ? g_strdup (s->name)
                               : g_strdup_printf ("Session %" G_GINT64_FORMAT, s->id);
  gtk_label_set_label (self->title_label, title);
  g_autofree char *start = format_time (s->started_at);
  g_autofree char *end = format_time (s->ended_at);
  /* How it ended is the status line's (below the title), not repeated here. */
  g_autofree char *sub = g_strdup_printf (
      _ ("#%" G_GINT64_FORMAT " · pen %s (%s) · operator %s · %s to %s%s%s"), s->id,
      s->pen_serial ? s->pen_serial : _ ("none"), s->pen_model ? s->pen_model : "?",
      s->operator_name ? s->operator_name : "?", start, end, s->note ? "\n" : "",
      s->note ? s->note : "");
  gtk_label_set_label (self->subtitle_label, sub);
  const char *mark = nb_session_status_mark (s->status);
  g_autofree char *status
      = mark ? g_strdup_printf ("%s%s%s", mark, s->error ? ": " : "", s->error ? s->error : "")
             : NULL;
  gtk_label_set_label (self->status_label, status ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL);

  NbUnits units = nb_units_from_settings (self->settings);
  nb_units_label_axis (units, self->strip_y, _ ("tip position"));
  nb_units_label_axis (units, self->depth_y, _ ("depth"));
  g_autofree char *stats = nb_replay_describe (r, units);
  gtk_label_set_label (self->stats_label, stats);

  double sr = MAX (s->sample_rate_hz, 1);
  nb_chart_series_set_decimator (self->trace, r->decimator, sr, 0.001);
  nb_chart_axis_set_range (self->strip_x, 0, MAX (r->end_index, 1) / sr);
  NbMinMax mm;
  nb_decimator_envelope (r->decimator, r->first_index, MAX (r->end_index, r->first_index + 1), &mm,
                         1);
  if (!nb_min_max_is_empty (mm))
    nb_chart_axis_set_range (self->strip_y, floor ((mm.min / 1000.0 - 0.1) / 0.5) * 0.5,
                             ceil ((mm.max / 1000.0 + 0.1) / 0.5) * 0.5);

  nb_chart_series_clear (self->depth_points);
  nb_chart_series_set_max_points (self->depth_points, MAX (r->strokes->len, 1));
  guint64 last = 1;
  for (guint i = 0; i < r->strokes->len; i++)
    {
      const NbStoreStroke *st = &g_array_index (r->strokes, NbStoreStroke, i);
      nb_chart_series_add_point (self->depth_points, (double) st->index, st->depth_mm);
      last = MAX (last, st->index);
    }
  /* From the session's first stroke (0), as the time axis from its start. */
  nb_chart_axis_set_range (self->depth_x, 0, last);
  nb_chart_series_set_y (self->target, s->depth_mm, s->depth_mm);
  double lo = r->depth_mm.n ? MIN (r->depth_mm.min, s->depth_mm) : s->depth_mm;
  double hi = r->depth_mm.n ? MAX (r->depth_mm.max, s->depth_mm) : s->depth_mm;
  /* the band the session was judged against, when it had a target (schema 9) */
  nb_chart_series_set_visible (self->band, s->has_target);
  if (s->has_target)
    {
      nb_chart_series_set_y (self->band, s->band_lo_mm, s->band_hi_mm);
      lo = MIN (lo, s->band_lo_mm);
      hi = MAX (hi, s->band_hi_mm);
    }
  nb_chart_axis_set_range (self->depth_y, MAX (lo - 0.25, 0), hi + 0.25);
  gtk_stack_set_visible_child_name (self->detail_stack, "session");
}

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NbRecordsPage *self = user_data;
  g_autoptr (GError) error = NULL;
  NbReplay *r = nb_records_load_finish (NB_RECORDS (source), result, &error);
  if (r)
    {
      g_clear_object (&self->loading);
      /* The charts borrow the decimator: point them at the new one before freeing the old. */
      NbReplay *old = self->replay;
      self->replay = r;
      show_replay (self);
      nb_chart_nav_set_extent_to_view (self->strip_chart);
      nb_chart_nav_set_extent_to_view (self->depth_chart);
      nb_replay_free (old);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_object (&self->loading);
      g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, error->message);
    }
  g_object_unref (self);
}

static void
load (NbRecordsPage *self, gint64 id)
{
  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();
  nb_records_load_async (self->records, id, self->loading, on_loaded, g_object_ref (self));
}

static void
on_row_selected (GtkListBox *box, GtkListBoxRow *row, NbRecordsPage *self)
{
  NbSessionItem *item = row ? g_object_get_data (G_OBJECT (row), "nb-session-item") : NULL;
  if (item)
    load (self, nb_session_item_get_session (item)->id);
}

static void
clear_detail (NbRecordsPage *self)
{
  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  /* The charts borrow the replay's decimator: let go of it first. */
  nb_chart_series_set_decimator (self->trace, NULL, 1, 0.001);
  nb_chart_series_clear (self->depth_points);
  g_clear_pointer (&self->replay, nb_replay_free);
  gtk_stack_set_visible_child_name (self->detail_stack, "empty");
}

/* A day the search cannot read is flagged in its own field, where it was typed. */
static void
show_day_error (NbRecordsPage *self, const char *text)
{
  gtk_entry_set_icon_from_icon_name (self->day_entry, GTK_ENTRY_ICON_SECONDARY,
                                     text ? "dialog-error-symbolic" : NULL);
  gtk_entry_set_icon_tooltip_text (self->day_entry, GTK_ENTRY_ICON_SECONDARY, text);
  if (text)
    gtk_widget_add_css_class (GTK_WIDGET (self->day_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->day_entry), "error");
}

static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NbRecordsPage *self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean ok = nb_records_refresh_finish (NB_RECORDS (source), result, &error);
  /* A newer search is on its way, or the page is gone: nothing to show. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->search_error == NULL)
    {
      g_object_unref (self);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->search_error), !ok);
  if (!ok)
    gtk_label_set_label (self->search_error, error->message);
  show_day_error (self, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT)
                            ? error->message
                            : NULL);
  /* The session shown is no longer among those listed (or nothing matched): do not leave a
   * detail that the search excludes. */
  if (ok && self->replay && nb_records_find (self->records, self->replay->session->id) == NULL)
    clear_detail (self);
  g_object_unref (self);
}

void
nb_records_page_set_units (NbRecordsPage *self, NbUnits units)
{
  nb_units_label_axis (units, self->strip_y, _("tip position"));
  nb_units_label_axis (units, self->depth_y, _("depth"));
}

void
nb_records_page_refresh (NbRecordsPage *self)
{
  nb_records_refresh_async (
      self->records, gtk_editable_get_text (GTK_EDITABLE (self->serial_entry)),
      gtk_editable_get_text (GTK_EDITABLE (self->operator_entry)),
      gtk_editable_get_text (GTK_EDITABLE (self->day_entry)), on_refreshed, g_object_ref (self));
  nb_runs_view_refresh (self->runs_view);
}

void
nb_records_page_set_search (NbRecordsPage *self, const char *serial, const char *operator_name,
                            const char *day)
{
  /* The serial field lists on "search-changed" (after a delay); list at once instead. */
  gtk_editable_set_text (GTK_EDITABLE (self->serial_entry), serial ? serial : "");
  gtk_editable_set_text (GTK_EDITABLE (self->operator_entry), operator_name ? operator_name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->day_entry), day ? day : "");
  nb_records_page_refresh (self);
}

void
nb_records_page_set_store_path (NbRecordsPage *self, const char *store_path)
{
  nb_records_set_store_path (self->records, store_path);
  nb_run_records_set_store_path (nb_runs_view_get_records (self->runs_view), store_path);
  nb_records_page_refresh (self);
}

NbRunsView *
nb_records_page_get_runs_view (NbRecordsPage *self)
{
  return self->runs_view;
}

void
nb_records_page_show_kind (NbRecordsPage *self, gboolean runs)
{
  gtk_stack_set_visible_child_name (self->kind_stack, runs ? "runs" : "sessions");
}

NbRecords *
nb_records_page_get_records (NbRecordsPage *self)
{
  return self->records;
}

gboolean
nb_records_page_open (NbRecordsPage *self, gint64 session_id)
{
  GListModel *model = nb_records_get_model (self->records);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (NbSessionItem) item = g_list_model_get_item (model, i);
      if (nb_session_item_get_session (item)->id == session_id)
        {
          gtk_list_box_select_row (self->session_list,
                                   gtk_list_box_get_row_at_index (self->session_list, i));
          return TRUE;
        }
    }
  return FALSE;
}

const char *
nb_records_page_get_search_error (NbRecordsPage *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->search_error))
             ? gtk_label_get_label (self->search_error)
             : NULL;
}

static gboolean
detail_shown (NbRecordsPage *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->detail_stack), "session") == 0;
}

const char *
nb_records_page_get_stats_text (NbRecordsPage *self)
{
  return detail_shown (self) ? gtk_label_get_label (self->stats_label) : NULL;
}

const char *
nb_records_page_get_status_text (NbRecordsPage *self)
{
  return detail_shown (self) && gtk_widget_get_visible (GTK_WIDGET (self->status_label))
             ? gtk_label_get_label (self->status_label)
             : NULL;
}

gint64
nb_records_page_get_shown_session (NbRecordsPage *self)
{
  return self->replay && self->loading == NULL ? self->replay->session->id : 0;
}

/* --- export --------------------------------------------------------------------------------- */

typedef struct
{
  NbRecordsPage *page;
  char *path;
} Export;

static void
open_with_default_app (GtkWidget *page, const char *uri, gpointer data)
{
  GtkRoot *root = gtk_widget_get_root (page);
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

void
nb_records_page_set_opener (NbRecordsPage *self, NbRecordsOpener opener, gpointer data)
{
  self->opener = opener ? opener : open_with_default_app;
  self->opener_data = opener ? data : NULL;
}

AdwToast *
nb_records_page_get_export_toast (NbRecordsPage *self)
{
  return self->export_toast;
}

static void
on_open_clicked (AdwToast *toast, NbRecordsPage *self)
{
  const char *uri = g_object_get_data (G_OBJECT (toast), "nb-uri");
  self->opener (GTK_WIDGET (self), uri, self->opener_data);
}

/* "Exported" with a button that opens the file: the operator usually wants to look at it. */
static void
say_exported (NbRecordsPage *self, const char *path)
{
  g_signal_emit (self, signals[SIGNAL_EXPORTED], 0, path);
  g_autofree char *text = g_strdup_printf (_ ("Exported to %s"), path);
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, text);
      return;
    }
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autofree char *markup = g_markup_escape_text (text, -1); /* a path may hold '&' or '<' */
  AdwToast *toast = adw_toast_new (markup);
  adw_toast_set_timeout (toast, 5);
  adw_toast_set_button_label (toast, _ ("Open"));
  g_object_set_data_full (G_OBJECT (toast), "nb-uri", g_file_get_uri (file), g_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_open_clicked), self, 0);
  g_set_weak_pointer (&self->export_toast, toast);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

static void
on_exported (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Export *e = user_data;
  g_autoptr (GError) error = NULL;
  if (!nb_records_export_finish (NB_RECORDS (source), result, &error))
    g_signal_emit (e->page, signals[SIGNAL_MESSAGE], 0, error->message);
  else
    say_exported (e->page, e->path);
  g_object_unref (e->page);
  g_free (e->path);
  g_free (e);
}

void
nb_records_page_export (NbRecordsPage *self, gboolean json, const char *path)
{
  g_return_if_fail (self->replay != NULL);
  Export *e = g_new0 (Export, 1);
  e->page = g_object_ref (self);
  e->path = g_strdup (path);
  nb_records_export_async (self->records, self->replay->session->id, json, path, on_exported, e);
}

static void
on_export_response (GtkNativeDialog *dialog, int response, NbRecordsPage *self)
{
  gboolean json = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "nb-json"));
  if (response == GTK_RESPONSE_ACCEPT && self->replay)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      if (path == NULL)
        g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, "Export needs a local file");
      else
        nb_records_page_export (self, json, path);
    }
  g_object_unref (dialog);
}

static void export(GtkWidget *widget, const char *action, GVariant *param)
{
  NbRecordsPage *self = NB_RECORDS_PAGE (widget);
  if (self->replay == NULL)
    return;
  gboolean json = g_str_equal (g_variant_get_string (param, NULL), "json");
  GtkRoot *root = gtk_widget_get_root (widget);
  /* GTK 4.8 has no GtkFileDialog; the native chooser is the portal-friendly one. */
  GtkFileChooserNative *dialog
      = gtk_file_chooser_native_new (json ? "Export Session as JSON" : "Export Session as CSV",
                                     GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                     GTK_FILE_CHOOSER_ACTION_SAVE, "_Export", "_Cancel");
  g_autofree char *name = g_strdup_printf ("session-%" G_GINT64_FORMAT ".%s",
                                           self->replay->session->id, json ? "json" : "csv");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_autofree char *folder = nb_records_export_folder ();
  g_autoptr (GFile) start = g_file_new_for_path (folder);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), start, NULL);
  g_object_set_data (G_OBJECT (dialog), "nb-json", GINT_TO_POINTER (json));
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* The keys move the chart that has the focus, else the session's trace. */
static void
navigate (GtkWidget *widget, const char *action, GVariant *param)
{
  NbRecordsPage *self = NB_RECORDS_PAGE (widget);
  NbChart *chart = gtk_widget_has_focus (GTK_WIDGET (self->depth_chart)) ? self->depth_chart
                                                                         : self->strip_chart;
  nb_chart_nav_move (chart, g_variant_get_int32 (param));
}

/* --- GObject -------------------------------------------------------------------------------- */

/* The application's settings, or NULL where its schema is not installed (headless tests). */
static GSettings *
units_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema
      = source ? g_settings_schema_source_lookup (source, "org.needlebench.NeedleBench", TRUE)
               : NULL;
  return schema && g_settings_schema_has_key (schema, "units")
             ? g_settings_new ("org.needlebench.NeedleBench")
             : NULL;
}

static void
on_units_changed (NbRecordsPage *self)
{
  if (self->replay && self->loading == NULL)
    show_replay (self);
}

static void
nb_records_page_dispose (GObject *object)
{
  NbRecordsPage *self = NB_RECORDS_PAGE (object);
  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), NB_TYPE_RECORDS_PAGE);
  g_clear_object (&self->trace);
  g_clear_object (&self->depth_points);
  g_clear_object (&self->target);
  g_clear_object (&self->band);
  g_clear_object (&self->strip_x);
  g_clear_object (&self->strip_y);
  g_clear_object (&self->depth_x);
  g_clear_object (&self->depth_y);
  g_clear_pointer (&self->replay, nb_replay_free);
  g_clear_object (&self->records);
  g_clear_object (&self->settings);
  g_clear_weak_pointer (&self->export_toast);
  G_OBJECT_CLASS (nb_records_page_parent_class)->dispose (object);
}

static void
nb_records_page_class_init (NbRecordsPageClass *klass)
{
  GObjectClass *oc = G_OBJECT_CLASS (klass);
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  oc->dispose = nb_records_page_dispose;
  signals[SIGNAL_MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_EXPORTED] = g_signal_new ("exported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  g_type_ensure (NB_TYPE_CHART);
  g_type_ensure (NB_TYPE_RUNS_VIEW);
  g_type_ensure (NB_TYPE_FLEET_VIEW);
  gtk_widget_class_set_template_from_resource (wc,
                                               "/org/needlebench/NeedleBench/nb-records-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (wc, NbRecordsPage, name)
  CHILD (serial_entry);
  CHILD (operator_entry);
  CHILD (day_entry);
  CHILD (search_error);
  CHILD (session_list);
  CHILD (detail_stack);
  CHILD (title_label);
  CHILD (status_label);
  CHILD (subtitle_label);
  CHILD (stats_label);
  CHILD (strip_chart);
  CHILD (depth_chart);
  CHILD (kind_stack);
  CHILD (runs_view);
#undef CHILD
  gtk_widget_class_install_action (wc, "records.export", "s", export);
  gtk_widget_class_install_action (wc, "records.navigate", "i", navigate);
}

static void
nb_records_page_init (NbRecordsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->records = nb_records_new (NULL);
  self->opener = open_with_default_app;
  self->settings = units_settings ();
  if (self->settings)
    g_signal_connect_swapped (self->settings, "changed::units", G_CALLBACK (on_units_changed),
                              self);
  gtk_list_box_bind_model (self->session_list, nb_records_get_model (self->records),
                           create_session_row, self, NULL);
  g_signal_connect (self->session_list, "row-selected", G_CALLBACK (on_row_selected), self);
  g_signal_connect_swapped (self->serial_entry, "search-changed",
                            G_CALLBACK (nb_records_page_refresh), self);
  g_signal_connect_swapped (self->operator_entry, "activate", G_CALLBACK (nb_records_page_refresh),
                            self);
  g_signal_connect_swapped (self->day_entry, "activate", G_CALLBACK (nb_records_page_refresh),
                            self);

  self->strip_x = nb_chart_axis_new (_ ("time from the start, s"), 0, 1);
  self->strip_y = nb_chart_axis_new (_ ("tip position, mm"), -1.5, 1.5);
  self->trace = nb_chart_series_new (NB_CHART_SERIES_ENVELOPE, "#3584e4");
  nb_chart_set_axes (self->strip_chart, self->strip_x, self->strip_y);
  nb_chart_add_series (self->strip_chart, self->trace);
  nb_chart_set_title (
      self->strip_chart,
      _ ("Needle tip, whole session (wheel or +/−: zoom; shift+wheel or arrows: scroll)"));
  self->depth_x = nb_chart_axis_new (_ ("stroke from the start"), 0, 1);
  self->depth_y = nb_chart_axis_new (_ ("depth, mm"), 0, 1);
  self->target = nb_chart_series_new (NB_CHART_SERIES_HLINE, "#e66100");
  self->depth_points = nb_chart_series_new (NB_CHART_SERIES_POINTS, "#1c71d8");
  self->band = nb_chart_series_new (NB_CHART_SERIES_BAND, "#2ec27e");
  nb_chart_set_axes (self->depth_chart, self->depth_x, self->depth_y);
  nb_chart_add_series (self->depth_chart, self->band);
  nb_chart_add_series (self->depth_chart, self->depth_points);
  nb_chart_add_series (self->depth_chart, self->target);
  nb_chart_set_title (self->depth_chart, "Depth per stroke and set depth");
  nb_chart_nav_add_keys (GTK_WIDGET (self), "records.navigate");
}
