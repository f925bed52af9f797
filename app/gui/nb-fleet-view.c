/* nb-fleet-view.c: the fleet statistics view: filters, states, content. */
#include "nb-fleet-view.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "nb-fleet-chart.h"
#include "nb-fleet-link.h"
#include "nb-fleet-sections.h"
#include "nb-window.h"

struct _NbFleetView
{
  GtkBox parent_instance;
  GSettings *settings; /* NULL without the app's schema (a test of the view alone) */
  char *store_path;    /* set by nb_fleet_view_set_store_path; NULL: the settings' */
  GtkEditable *model_entry, *batch_entry, *pen_entry, *since_entry;
  GtkStack *stack;
  GtkLabel *summary;
  GtkBox *content;
  AdwStatusPage *error_page;
  GCancellable *loading;
  NbFleetData *data;
  gboolean filling; /* nb_fleet_view_set_filters is changing the fields */
};

G_DEFINE_FINAL_TYPE (NbFleetView, nb_fleet_view, GTK_TYPE_BOX)

static NbUnits
units (NbFleetView *self)
{
  return nb_units_from_settings (self->settings);
}

static char *
store_path (NbFleetView *self)
{
  if (self->store_path)
    return g_strdup (self->store_path);
  if (self->settings == NULL)
    return NULL;
  /* with a fleet's shared database, the statistics of every bench: the server's */
  g_autofree char *server = g_settings_get_string (self->settings, "server-uri");
  if (nb_fleet_check_uri (server, NULL))
    return g_steal_pointer (&server);
  return g_settings_get_string (self->settings, "database-path");
}

static void
clear_content (NbFleetView *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->content))))
    gtk_box_remove (self->content, child);
}

static void
show_data (NbFleetView *self)
{
  clear_content (self);
  NbFleetData *d = self->data;
  if (d == NULL)
    return;
  if (d->database_empty)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  if (d->stats->runs == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }
  g_autofree char *summary = nb_fleet_text_summary (d->stats);
  const char *since = gtk_editable_get_text (self->since_entry);
  g_autofree char *text = *since ? g_strdup_printf (_ ("%s since %s (UTC)"), summary, since)
                                 : g_steal_pointer (&summary);
  gtk_label_set_label (self->summary, text);
  NbUnits u = units (self);
  for (guint i = 0; i < d->stats->groups->len; i++)
    gtk_box_append (self->content, nb_fleet_section_model (d, i, u));
  if (d->stats->pens->len > 0)
    {
      GtkWidget *head = gtk_label_new (_ ("Pens"));
      gtk_label_set_xalign (GTK_LABEL (head), 0);
      gtk_widget_add_css_class (head, "title-2");
      gtk_widget_set_margin_top (head, 12);
      gtk_box_append (self->content, head);
    }
  for (guint i = 0; i < d->stats->pens->len; i++)
    gtk_box_append (self->content, nb_fleet_section_pen (d, i, u));
  gtk_stack_set_visible_child_name (self->stack, "stats");
}

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (NbFleetView) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (NbFleetData) data = nb_fleet_data_load_finish (result, &error);
  /* a newer selection is on its way: this one is not shown */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->stack == NULL)
    return;
  g_clear_object (&self->loading);
  g_clear_pointer (&self->data, nb_fleet_data_unref);
  if (data == NULL)
    {
      clear_content (self);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  self->data = g_steal_pointer (&data);
  show_data (self);
}

void
nb_fleet_view_refresh (NbFleetView *self)
{
  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();
  NbFleetQuery q = {
    g_strdup (gtk_editable_get_text (self->model_entry)),
    g_strdup (gtk_editable_get_text (self->batch_entry)),
    g_strdup (gtk_editable_get_text (self->pen_entry)),
    g_strdup (gtk_editable_get_text (self->since_entry)),
  };
  g_autofree char *path = store_path (self);
  /* the figures shown stay until the new ones are there: no flicker on every key */
  if (self->data == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  nb_fleet_data_load_async (path, &q, self->loading, on_loaded, g_object_ref (self));
  nb_fleet_query_clear (&q);
}

void
nb_fleet_view_set_store_path (NbFleetView *self, const char *path)
{
  g_free (self->store_path);
  self->store_path = path && *path ? g_strdup (path) : NULL;
  nb_fleet_view_refresh (self);
}

void
nb_fleet_view_set_filters (NbFleetView *self, const char *model, const char *batch, const char *pen,
                           const char *since)
{
  self->filling = TRUE;
  gtk_editable_set_text (self->model_entry, model ? model : "");
  gtk_editable_set_text (self->batch_entry, batch ? batch : "");
  gtk_editable_set_text (self->pen_entry, pen ? pen : "");
  gtk_editable_set_text (self->since_entry, since ? since : "");
  self->filling = FALSE;
  nb_fleet_view_refresh (self);
}

gboolean
nb_fleet_view_is_loading (NbFleetView *self)
{
  return self->loading != NULL;
}

const char *
nb_fleet_view_get_state (NbFleetView *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

NbFleetData *
nb_fleet_view_get_data (NbFleetView *self)
{
  return self->data;
}

static void
collect (GtkWidget *w, GStrvBuilder *texts, GPtrArray *charts)
{
  if (!gtk_widget_get_visible (w))
    return;
  if (texts && GTK_IS_LABEL (w))
    g_strv_builder_add (texts, gtk_label_get_text (GTK_LABEL (w)));
  if (charts && GTK_IS_DRAWING_AREA (w) && nb_fleet_chart_get_description (w))
    g_ptr_array_add (charts, w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    collect (c, texts, charts);
}

GStrv
nb_fleet_view_get_texts (NbFleetView *self)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  collect (gtk_stack_get_visible_child (self->stack), b, NULL);
  return g_strv_builder_end (b);
}

GPtrArray *
nb_fleet_view_get_charts (NbFleetView *self)
{
  GPtrArray *charts = g_ptr_array_new ();
  collect (GTK_WIDGET (self->content), NULL, charts);
  return charts;
}

static void
on_filter_changed (NbFleetView *self)
{
  /* a day half typed is no error yet: it is read once complete, or on Enter */
  const char *since = gtk_editable_get_text (self->since_entry);
  gsize len = strlen (since);
  if (len > 0 && len < strlen ("YYYY-MM-DD"))
    return;
  if (!self->filling && gtk_widget_get_mapped (GTK_WIDGET (self)))
    nb_fleet_view_refresh (self);
}

static void
on_filter_activate (NbFleetView *self)
{
  if (!self->filling && gtk_widget_get_mapped (GTK_WIDGET (self)))
    nb_fleet_view_refresh (self);
}

static void
on_setting_changed (GSettings *settings, const char *key, NbFleetView *self)
{
  if (g_str_equal (key, "units"))
    show_data (self); /* the same figures in the other unit: nothing to load */
  else if ((g_str_equal (key, "database-path") || g_str_equal (key, "server-uri"))
           && self->store_path == NULL)
    {
      g_clear_pointer (&self->data, nb_fleet_data_unref);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        nb_fleet_view_refresh (self);
    }
}

static void
nb_fleet_view_dispose (GObject *object)
{
  NbFleetView *self = NB_FLEET_VIEW (object);
  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  self->stack = NULL;
  g_clear_pointer (&self->data, nb_fleet_data_unref);
  G_OBJECT_CLASS (nb_fleet_view_parent_class)->dispose (object);
}

static void
nb_fleet_view_finalize (GObject *object)
{
  g_free (NB_FLEET_VIEW (object)->store_path);
  G_OBJECT_CLASS (nb_fleet_view_parent_class)->finalize (object);
}

static void
nb_fleet_view_class_init (NbFleetViewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = nb_fleet_view_dispose;
  G_OBJECT_CLASS (klass)->finalize = nb_fleet_view_finalize;
}

static GtkEditable *
filter_entry (NbFleetView *self, GtkWidget *bar, const char *placeholder, const char *name,
              const char *tooltip)
{
  GtkWidget *e = gtk_search_entry_new ();
  g_object_set (e, "placeholder-text", placeholder, NULL);
  gtk_editable_set_width_chars (GTK_EDITABLE (e), 10);
  gtk_widget_set_hexpand (e, TRUE);
  gtk_widget_set_tooltip_text (e, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (e), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip, -1);
  g_signal_connect_swapped (e, "search-changed", G_CALLBACK (on_filter_changed), self);
  g_signal_connect_swapped (e, "activate", G_CALLBACK (on_filter_activate), self);
  gtk_box_append (GTK_BOX (bar), e);
  return GTK_EDITABLE (e);
}

static GtkWidget *
status_page (const char *icon, const char *title, const char *description)
{
  GtkWidget *p = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (p), icon);
  adw_status_page_set_title (ADW_STATUS_PAGE (p), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (p), description);
  gtk_widget_set_vexpand (p, TRUE);
  return p;
}

static void
nb_fleet_view_init (NbFleetView *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  GSettingsSchemaSource *src = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema
      = src ? g_settings_schema_source_lookup (src, NB_SETTINGS_SCHEMA, TRUE) : NULL;
  if (schema)
    {
      self->settings = g_settings_new (NB_SETTINGS_SCHEMA);
      g_signal_connect (self->settings, "changed", G_CALLBACK (on_setting_changed), self);
    }

  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_start (bar, 12);
  gtk_widget_set_margin_end (bar, 12);
  gtk_widget_set_margin_top (bar, 10);
  gtk_widget_set_margin_bottom (bar, 10);
  self->model_entry = filter_entry (self, bar, _ ("Model"), _ ("Pen model"),
                                    _ ("Only pens of this model (exactly as the pen gives it)"));
  self->batch_entry = filter_entry (self, bar, _ ("Batch"), _ ("Production batch"),
                                    _ ("Only pens whose serial starts with this prefix"));
  self->pen_entry
      = filter_entry (self, bar, _ ("Pen serial"), _ ("Pen serial"), _ ("Only this pen"));
  self->since_entry = filter_entry (self, bar, _ ("Since YYYY-MM-DD"), _ ("Since day"),
                                    _ ("Only calibrations from this day on (UTC)"));
  gtk_box_append (GTK_BOX (self), bar);
  gtk_box_append (GTK_BOX (self), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  /* Spinning only while on screen: a spinning spinner animates through the frame clock even on
   * a page that is not shown, and keeps the whole window repainting at 60 fps. */
  GtkWidget *spinner = gtk_spinner_new ();
  g_signal_connect (spinner, "map", G_CALLBACK (gtk_spinner_start), NULL);
  g_signal_connect (spinner, "unmap", G_CALLBACK (gtk_spinner_stop), NULL);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Loading the statistics"), -1);
  gtk_stack_add_named (self->stack, spinner, "loading");
  gtk_stack_add_named (self->stack,
                       status_page ("document-open-recent-symbolic",
                                    _ ("No calibrations recorded yet"),
                                    _ ("Fleet statistics appear here once a pen has been "
                                       "calibrated against a reference standard on this "
                                       "database.")),
                       "empty");
  gtk_stack_add_named (self->stack,
                       status_page ("edit-find-symbolic", _ ("No calibrations match"),
                                    _ ("No complete, traceable calibration matches the "
                                       "filters above.")),
                       "none");
  self->error_page = ADW_STATUS_PAGE (
      status_page ("dialog-warning-symbolic", _ ("Statistics cannot be shown"), NULL));
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->error_page), "error");

  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_margin_start (outer, 18);
  gtk_widget_set_margin_end (outer, 18);
  gtk_widget_set_margin_top (outer, 18);
  gtk_widget_set_margin_bottom (outer, 24);
  self->summary = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->summary, 0);
  gtk_label_set_wrap (self->summary, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->summary), "title-2");
  gtk_box_append (GTK_BOX (outer), GTK_WIDGET (self->summary));
  self->content = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 30));
  gtk_box_append (GTK_BOX (outer), GTK_WIDGET (self->content));
  GtkWidget *clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 1100);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), 900);
  adw_clamp_set_child (ADW_CLAMP (clamp), outer);
  GtkWidget *scroll = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), clamp);
  gtk_stack_add_named (self->stack, scroll, "stats");
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->stack));

  /* the records grow while the app runs: shown again, the figures are read again */
  g_signal_connect (self, "map", G_CALLBACK (nb_fleet_view_refresh), NULL);
}
