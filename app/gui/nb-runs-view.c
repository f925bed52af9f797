/* nb-runs-view.c: stored calibration runs, listed and shown. */
#include "nb-runs-view.h"

#include <adwaita.h>

#include "nb-calibration-view.h"
#include "nb-calibration.h"

struct _NbRunsView
{
  GtkBox parent_instance;
  NbRunRecords *records;
  GCancellable *loading;
  gint64 shown;
  GtkListBox *list;
  GtkStack *detail;
  GtkLabel *title, *subtitle, *verdict, *trace;
  GtkGrid *grid;
};

G_DEFINE_FINAL_TYPE (NbRunsView, nb_runs_view, GTK_TYPE_BOX)

static char *
format_time (gint64 us)
{
  if (us == 0)
    return g_strdup ("–");
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_local (us / G_USEC_PER_SEC);
  return dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M") : g_strdup ("?");
}

static const char *
outcome (const NbStoreRun *r)
{
  NbVerdict v;
  if (r->status == NB_RUN_COMPLETE && nb_cal_verdict_from_string (r->verdict, &v))
    return nb_cal_verdict_word (v);
  return nb_run_status_to_string (r->status);
}

static GtkWidget *
create_row (gpointer item, gpointer user_data)
{
  const NbStoreRun *r = nb_run_item_get_run (item);
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title
      = g_markup_printf_escaped ("Run %" G_GINT64_FORMAT " · %s", r->id, outcome (r));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_autofree char *when = format_time (r->started_at);
  g_autofree char *sub = g_markup_printf_escaped (
      "%s · %s · %s%s", when, r->pen_serial ? r->pen_serial : "?",
      r->profile_id ? r->profile_id : "?", r->fixture_serial ? "" : " · self-check");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub);
  g_object_set_data_full (G_OBJECT (row), "nb-run-item", g_object_ref (item), g_object_unref);
  return row;
}

static void
show (NbRunsView *self, const NbStoreRun *r, JsonNode *doc)
{
  JsonObject *o = doc && JSON_NODE_HOLDS_OBJECT (doc) ? json_node_get_object (doc) : NULL;
  g_autofree char *title = g_strdup_printf ("Run %" G_GINT64_FORMAT, r->id);
  gtk_label_set_label (self->title, title);
  g_autofree char *start = format_time (r->started_at);
  g_autofree char *sub = g_strdup_printf (
      "pen %s · profile %s · rule %s · operator %s · %s · %s%s%s", r->pen_serial, r->profile_id,
      r->rule ? r->rule : "?", r->operator_name ? r->operator_name : "?", start,
      nb_run_status_to_string (r->status), r->error ? ": " : "", r->error ? r->error : "");
  gtk_label_set_label (self->subtitle, sub);
  GtkWidget *v = GTK_WIDGET (self->verdict);
  for (NbVerdict x = NB_VERDICT_PASS; x <= NB_VERDICT_FAIL; x++)
    gtk_widget_remove_css_class (v, nb_calibration_verdict_css (x));
  NbVerdict verdict;
  gboolean has = r->status == NB_RUN_COMPLETE && nb_cal_verdict_from_string (r->verdict, &verdict);
  gtk_label_set_label (self->verdict, outcome (r));
  gtk_widget_add_css_class (v, nb_calibration_verdict_css (has ? verdict : NB_VERDICT_FAIL));
  g_autofree char *trace
      = r->traceable ? g_strdup_printf ("Fixture %s", r->fixture_serial)
                     : g_strdup (nb_run_not_traceable_reason (r->traceable, r->fixture_serial));
  gtk_label_set_label (self->trace, trace);
  nb_cal_fill_result_json (self->grid, o);
  gtk_stack_set_visible_child_name (self->detail, "run");
}

typedef struct
{
  NbRunsView *self;
  NbRunItem *item;
} Load;

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Load *l = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) doc = nb_run_records_load_finish (NB_RUN_RECORDS (source), result, &error);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      const NbStoreRun *r = nb_run_item_get_run (l->item);
      show (l->self, r, doc);
      if (error)
        gtk_label_set_label (l->self->trace, error->message);
      l->self->shown = r->id;
    }
  g_object_unref (l->self);
  g_object_unref (l->item);
  g_free (l);
}

static void
on_selected (GtkListBox *box, GtkListBoxRow *row, NbRunsView *self)
{
  NbRunItem *item = row ? g_object_get_data (G_OBJECT (row), "nb-run-item") : NULL;
  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->shown = 0;
  if (item == NULL)
    return;
  self->loading = g_cancellable_new ();
  Load *l = g_new0 (Load, 1);
  l->self = g_object_ref (self);
  l->item = g_object_ref (item);
  nb_run_records_load_async (self->records, nb_run_item_get_run (item)->id, self->loading,
                             on_loaded, l);
}

static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (NbRunsView) self = user_data;
  g_autoptr (GError) error = NULL;
  if (!nb_run_records_refresh_finish (NB_RUN_RECORDS (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    gtk_label_set_label (self->trace, error->message);
}

void
nb_runs_view_refresh (NbRunsView *self)
{
  nb_run_records_refresh_async (self->records, on_refreshed, g_object_ref (self));
}

void
nb_runs_view_set_store_path (NbRunsView *self, const char *store_path)
{
  nb_run_records_set_store_path (self->records, store_path);
  nb_runs_view_refresh (self);
}

NbRunRecords *
nb_runs_view_get_records (NbRunsView *self)
{
  return self->records;
}

gboolean
nb_runs_view_open (NbRunsView *self, gint64 run_id)
{
  guint n = g_list_model_get_n_items (nb_run_records_get_model (self->records));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (NbRunItem) item
          = g_list_model_get_item (nb_run_records_get_model (self->records), i);
      if (nb_run_item_get_run (item)->id == run_id)
        {
          gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, i));
          return TRUE;
        }
    }
  return FALSE;
}

gint64
nb_runs_view_get_shown_run (NbRunsView *self)
{
  return self->shown;
}

const char *
nb_runs_view_get_verdict_text (NbRunsView *self)
{
  return gtk_label_get_label (self->verdict);
}

GStrv
nb_runs_view_get_rows (NbRunsView *self)
{
  return nb_cal_grid_rows (self->grid);
}

static void
nb_runs_view_dispose (GObject *object)
{
  NbRunsView *self = NB_RUNS_VIEW (object);
  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_clear_object (&self->records);
  G_OBJECT_CLASS (nb_runs_view_parent_class)->dispose (object);
}

static void
nb_runs_view_class_init (NbRunsViewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = nb_runs_view_dispose;
}

static GtkWidget *
label (const char *css, float xalign)
{
  GtkWidget *l = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (l), xalign);
  gtk_label_set_wrap (GTK_LABEL (l), TRUE);
  gtk_label_set_selectable (GTK_LABEL (l), TRUE);
  gtk_widget_set_focusable (l, FALSE); /* copyable, not a Tab stop */
  /* The detail scrolls sideways in a narrow window (the table needs its columns): wrap the text
   * rather than widen it. */
  gtk_label_set_max_width_chars (GTK_LABEL (l), 60);
  if (css)
    gtk_widget_add_css_class (l, css);
  return l;
}

static void
nb_runs_view_init (NbRunsView *self)
{
  self->records = nb_run_records_new (NULL);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_HORIZONTAL);

  GtkWidget *scroll = gtk_scrolled_window_new ();
  gtk_widget_set_size_request (scroll, 260, -1);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Calibration runs", -1);
  GtkWidget *none = gtk_label_new ("No calibration runs");
  gtk_widget_add_css_class (none, "dim-label");
  gtk_widget_set_margin_top (none, 24);
  gtk_list_box_set_placeholder (self->list, none);
  gtk_list_box_bind_model (self->list, nb_run_records_get_model (self->records), create_row, NULL,
                           NULL);
  g_signal_connect (self->list, "row-selected", G_CALLBACK (on_selected), self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), GTK_WIDGET (self->list));
  gtk_box_append (GTK_BOX (self), scroll);
  gtk_box_append (GTK_BOX (self), gtk_separator_new (GTK_ORIENTATION_VERTICAL));

  self->detail = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->detail), TRUE);
  GtkWidget *empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "emblem-system-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), "No Run Selected");
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                   "Calibration runs are listed on the left, newest first. Runs "
                                   "are append-only, failed and cancelled ones included.");
  gtk_stack_add_named (self->detail, empty, "empty");

  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  self->title = GTK_LABEL (label ("title-2", 0));
  self->subtitle = GTK_LABEL (label ("dim-label", 0));
  self->verdict = GTK_LABEL (label ("verdict-big", 0.5f));
  gtk_widget_set_halign (GTK_WIDGET (self->verdict), GTK_ALIGN_START);
  self->trace = GTK_LABEL (label (NULL, 0));
  self->grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_column_spacing (self->grid, 18);
  gtk_grid_set_row_spacing (self->grid, 4);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->title));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->subtitle));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->verdict));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->trace));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->grid));
  GtkWidget *detail_scroll = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (detail_scroll), box);
  gtk_stack_add_named (self->detail, detail_scroll, "run");
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->detail));
}
