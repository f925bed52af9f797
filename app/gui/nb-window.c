/* nb-window.c: window shell, wiring pages to each other and to the settings. */
#include <inttypes.h>
#include <glib/gi18n.h>
#include "nb-window.h"

#include "nb-application.h"
#include "nb-fleet-indicator.h"

struct _NbWindow
{
  AdwApplicationWindow parent_instance;
  AdwToastOverlay *toast_overlay;
  AdwViewStack *stack;
  GtkRevealer *banner_revealer;
  GtkLabel *banner_label;
  NbLivePage *live_page;
  NbRecordsPage *records_page;
  NbCalibrationPage *calibration_page;
  NbCertificatesPage *certificates_page;
  AdwHeaderBar *header_bar;
  NbFleetStatus *fleet_status; /* the shared database's link (server-uri) */
  NbFleetIndicator *fleet_indicator;
  GSettings *settings;
  AdwToast *last_toast; /* weak: the overlay owns toasts */
  GApplication *held;   /* held while the pen is stopped before the window closes */
  gboolean stopping;
  guint calibration_timeout;
};

G_DEFINE_FINAL_TYPE (NbWindow, nb_window, ADW_TYPE_APPLICATION_WINDOW)

void
nb_window_toast (NbWindow *self, const char *text)
{
  AdwToast *toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 5);
  g_set_weak_pointer (&self->last_toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

gboolean
nb_window_has_toast (NbWindow *self)
{
  return self->last_toast != NULL;
}

/* A lost pen, and a pen that stopped its motor by itself: the banner, not a toast, since a toast
 * goes after 5 s and the operator, looking at the pen rather than the screen, must still learn why
 * the needle stopped. It stays until dismissed or another pen is connected. */
static void
show_banner (NbLivePage *page, const char *text, NbWindow *self)
{
  gtk_label_set_label (self->banner_label, text);
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
}

static void
on_connected (NbLivePage *page, NbWindow *self)
{
  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
}

static void
on_recording_finished (NbLivePage *page, gint64 id, const char *error, NbWindow *self)
{
  nb_records_page_refresh (self->records_page);
  nb_fleet_status_sync_now (self->fleet_status);
  g_autofree char *text
      = error ? g_strdup_printf (_ ("Session %" PRId64 " kept, aborted: %s"), id, error)
              : g_strdup_printf (_ ("Session %" PRId64 " recorded"), id);
  nb_window_toast (self, text);
}

static void
on_run_stored (NbCalibrationPage *page, gint64 run_id, NbWindow *self)
{
  nb_records_page_refresh (self->records_page);
  nb_fleet_status_sync_now (self->fleet_status);
}

/* The Records page reads the server when there is one: what a sync sent is there now. */
static void
on_records_sent (NbFleetStatus *status, gint64 copied, NbWindow *self)
{
  nb_records_page_refresh (self->records_page);
}

static void
on_message (GtkWidget *page, const char *text, NbWindow *self)
{
  nb_window_toast (self, text);
}

/* The Live page follows the setting itself; the Records page's charts are told. */
static void
on_units_changed (GSettings *settings, const char *key, NbWindow *self)
{
  nb_records_page_set_units (self->records_page, nb_units_from_settings (settings));
}

static void
on_database_path_changed (GSettings *settings, const char *key, NbWindow *self)
{
  g_autofree char *path = g_settings_get_string (settings, "database-path");
  /* with a shared database the Records page shows the fleet's records: the bench's own are
   * copied there after each run (NbFleetStatus); while the server cannot be reached, the
   * bench's own, which hold everything recorded here (the header bar says offline) */
  const char *server = nb_fleet_status_get_server (self->fleet_status);
  gboolean offline = nb_fleet_status_get_state (self->fleet_status) == NB_FLEET_SYNC_OFFLINE;
  nb_records_page_set_store_path (self->records_page, server && !offline ? server : path);
  /* and its certificates are issued there (nb-certificate-place.h) */
  nb_certificates_page_set_store_path (self->certificates_page, server ? server : path);
}

/* offline, the Records page falls back to the bench's own file; back online, the server */
static void
on_fleet_state (NbFleetStatus *status, GParamSpec *pspec, NbWindow *self)
{
  on_database_path_changed (self->settings, "server-uri", self);
}

/* The Certificates page reads the store again whenever it is shown: certificates are signed
 * and issued in the calibration wizard's window. */
static void
on_page_shown (AdwViewStack *stack, GParamSpec *pspec, NbWindow *self)
{
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (stack), "certificates") == 0)
    nb_certificates_page_refresh (self->certificates_page);
}

/* win.show-page ("live", "records", "calibration", "certificates"): Alt+1…4; a GAction on the
 * window so the application's accelerators and the shortcuts window know it. */
static void
show_page_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  nb_window_show_page (data, g_variant_get_string (param, NULL));
}

static void
dismiss_banner (GtkWidget *widget, const char *action, GVariant *param)
{
  gtk_revealer_set_reveal_child (NB_WINDOW (widget)->banner_revealer, FALSE);
}

/* Says what quitting could not do: on stderr, and as a notification, since the window is gone. */
static void
report_quit_problem (NbWindow *self, const char *problem)
{
  g_autofree char *text = g_strdup_printf (
      _ ("NeedleBench closed before it could finish: %s. Check that the needle has stopped."),
      problem);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  if (NB_IS_APPLICATION (app))
    nb_application_report (NB_APPLICATION (app), _ ("The pen may still be running"), text);
  else
    g_printerr ("needlebench: %s\n", text);
}

static void
on_shutdown_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NbWindow *self = user_data;
  g_autoptr (GError) error = NULL;
  if (!nb_live_page_shutdown_finish (NB_LIVE_PAGE (source), result, &error))
    report_quit_problem (self, error->message);
  gtk_window_destroy (GTK_WINDOW (self));
  if (self->held)
    g_application_release (self->held);
  g_clear_object (&self->held);
  g_object_unref (self);
}

/* How long closing waits for a calibration to stop its pen before going on without it. */
#define CALIBRATION_STOP_TIMEOUT_S 5

/* The calibration has stopped (cancelled: the procedure stopped the motor and kept the pen's
 * table), or did not within the time limit: close on, the normal way. */
static void
calibration_stopped (NbWindow *self, gboolean in_time)
{
  NbCalibration *cal = nb_calibration_page_get_calibration (self->calibration_page);
  g_signal_handlers_disconnect_by_data (cal, self);
  g_clear_handle_id (&self->calibration_timeout, g_source_remove);
  if (!in_time)
    report_quit_problem (self, _ ("the calibration did not stop within 5 s"));
  self->stopping = FALSE;
  g_autoptr (GApplication) held = g_steal_pointer (&self->held);
  gtk_window_close (GTK_WINDOW (self));
  if (held)
    g_application_release (held);
}

static void
on_calibration_finished (NbCalibration *cal, NbWindow *self)
{
  calibration_stopped (self, TRUE);
}

static gboolean
on_calibration_timeout (gpointer data)
{
  NbWindow *self = data;
  self->calibration_timeout = 0;
  calibration_stopped (self, FALSE);
  return G_SOURCE_REMOVE;
}

/* A calibration running: cancel it and keep the window (and the application) until the
 * procedure has stopped the motor; then the window closes as it would have. */
static gboolean
stop_calibration (NbWindow *self)
{
  NbCalibration *cal = nb_calibration_page_get_calibration (self->calibration_page);
  if (!nb_calibration_is_running (cal))
    return FALSE;
  self->stopping = TRUE;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  if (app)
    {
      self->held = g_object_ref (G_APPLICATION (app));
      g_application_hold (self->held);
    }
  gtk_label_set_label (self->banner_label,
                       _ ("Cancelling the calibration: stopping the pen before quitting…"));
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
  g_signal_connect (cal, "finished", G_CALLBACK (on_calibration_finished), self);
  self->calibration_timeout
      = g_timeout_add_seconds (CALIBRATION_STOP_TIMEOUT_S, on_calibration_timeout, self);
  nb_calibration_cancel (cal);
  return TRUE;
}

static gboolean
nb_window_close_request (GtkWindow *window)
{
  NbWindow *self = NB_WINDOW (window);
  if (self->stopping)
    return TRUE; /* already stopping the pen: the window closes when that is done */
  if (stop_calibration (self))
    return TRUE;
  int w, h;
  gtk_window_get_default_size (window, &w, &h);
  g_settings_set_int (self->settings, "window-width", w);
  g_settings_set_int (self->settings, "window-height", h);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!nb_live_page_has_pen (self->live_page))
    {
      nb_live_page_shutdown (self->live_page);
      return GTK_WINDOW_CLASS (nb_window_parent_class)->close_request (window);
    }
  /* A pen is connected or a recording open: the window stays, saying why, and the application
   * is held (it would quit with its last window) until the pen has confirmed MOTOR_STOP and the
   * session is closed, or the time limit passed. */
  self->stopping = TRUE;
  GtkApplication *app = gtk_window_get_application (window);
  if (app)
    {
      self->held = g_object_ref (G_APPLICATION (app));
      g_application_hold (self->held);
    }
  gtk_label_set_label (self->banner_label,
                       _ ("Stopping the pen and closing the recording before quitting…"));
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.dismiss-banner", FALSE);
  nb_live_page_shutdown_async (self->live_page, "the application was closed while recording",
                               on_shutdown_done, g_object_ref (self));
  return TRUE;
}

gboolean
nb_window_is_stopping (NbWindow *self)
{
  return self->stopping;
}

static void
nb_window_dispose (GObject *object)
{
  NbWindow *self = NB_WINDOW (object);
  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_weak_pointer (&self->last_toast);
  g_clear_handle_id (&self->calibration_timeout, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), NB_TYPE_WINDOW);
  g_clear_object (&self->settings);
  if (self->fleet_status) /* a sync under way keeps it until it ends: no more after that */
    nb_fleet_status_set_retry_interval (self->fleet_status, 0);
  g_clear_object (&self->fleet_status);
  G_OBJECT_CLASS (nb_window_parent_class)->dispose (object);
}

static void
nb_window_class_init (NbWindowClass *klass)
{
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = nb_window_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = nb_window_close_request;
  g_type_ensure (NB_TYPE_LIVE_PAGE);
  g_type_ensure (NB_TYPE_RECORDS_PAGE);
  g_type_ensure (NB_TYPE_CALIBRATION_PAGE);
  g_type_ensure (NB_TYPE_CERTIFICATES_PAGE);
  gtk_widget_class_set_template_from_resource (wc, "/org/needlebench/NeedleBench/nb-window.ui");
  gtk_widget_class_bind_template_child (wc, NbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (wc, NbWindow, stack);
  gtk_widget_class_bind_template_child (wc, NbWindow, banner_revealer);
  gtk_widget_class_bind_template_child (wc, NbWindow, banner_label);
  gtk_widget_class_bind_template_child (wc, NbWindow, header_bar);
  gtk_widget_class_bind_template_child (wc, NbWindow, live_page);
  gtk_widget_class_bind_template_child (wc, NbWindow, records_page);
  gtk_widget_class_bind_template_child (wc, NbWindow, calibration_page);
  gtk_widget_class_bind_template_child (wc, NbWindow, certificates_page);
  gtk_widget_class_install_action (wc, "window.dismiss-banner", NULL, dismiss_banner);
}

static void
nb_window_init (NbWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (NB_SETTINGS_SCHEMA);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  self->fleet_status = nb_fleet_status_new (self->settings);
  self->fleet_indicator = NB_FLEET_INDICATOR (nb_fleet_indicator_new (self->fleet_status));
  adw_header_bar_pack_start (self->header_bar, GTK_WIDGET (self->fleet_indicator));
  g_signal_connect_object (self->fleet_status, "notify::state", G_CALLBACK (on_fleet_state), self,
                           G_CONNECT_DEFAULT);
  g_signal_connect_object (self->fleet_status, "records-sent", G_CALLBACK (on_records_sent), self,
                           0);
  g_signal_connect (self->live_page, "lost", G_CALLBACK (show_banner), self);
  g_signal_connect (self->live_page, "pen-stopped", G_CALLBACK (show_banner), self);
  g_signal_connect (self->live_page, "connected", G_CALLBACK (on_connected), self);
  g_signal_connect (self->live_page, "recording-finished", G_CALLBACK (on_recording_finished),
                    self);
  g_signal_connect (self->live_page, "message", G_CALLBACK (on_message), self);
  g_signal_connect (self->records_page, "message", G_CALLBACK (on_message), self);
  g_signal_connect (self->calibration_page, "message", G_CALLBACK (on_message), self);
  g_signal_connect (self->calibration_page, "run-stored", G_CALLBACK (on_run_stored), self);
  g_signal_connect (self->settings, "changed::database-path", G_CALLBACK (on_database_path_changed),
                    self);
  g_signal_connect (self->settings, "changed::server-uri", G_CALLBACK (on_database_path_changed),
                    self);
  on_database_path_changed (self->settings, "database-path", self);
  g_signal_connect (self->stack, "notify::visible-child-name", G_CALLBACK (on_page_shown), self);
  static const GActionEntry entries[] = {
    { .name = "show-page", .activate = show_page_action, .parameter_type = "s" },
  };
  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  nb_live_page_setup (self->live_page, self->settings);
  g_signal_connect (self->settings, "changed::units", G_CALLBACK (on_units_changed), self);
  on_units_changed (self->settings, "units", self);
  nb_calibration_page_setup (self->calibration_page, self->settings, self->live_page);
}

NbWindow *
nb_window_new (GtkApplication *app)
{
  return g_object_new (NB_TYPE_WINDOW, "application", app, NULL);
}

GSettings *
nb_window_get_settings (NbWindow *self)
{
  return self->settings;
}

NbLivePage *
nb_window_get_live_page (NbWindow *self)
{
  return self->live_page;
}

NbRecordsPage *
nb_window_get_records_page (NbWindow *self)
{
  return self->records_page;
}

NbCalibrationPage *
nb_window_get_calibration_page (NbWindow *self)
{
  return self->calibration_page;
}

NbFleetStatus *
nb_window_get_fleet_status (NbWindow *self)
{
  return self->fleet_status;
}

NbFleetIndicator *
nb_window_get_fleet_indicator (NbWindow *self)
{
  return self->fleet_indicator;
}

NbCertificatesPage *
nb_window_get_certificates_page (NbWindow *self)
{
  return self->certificates_page;
}

void
nb_window_show_page (NbWindow *self, const char *name)
{
  adw_view_stack_set_visible_child_name (self->stack, name);
}

gboolean
nb_window_is_banner_shown (NbWindow *self)
{
  return gtk_revealer_get_reveal_child (self->banner_revealer);
}

const char *
nb_window_get_banner_text (NbWindow *self)
{
  return gtk_label_get_label (self->banner_label);
}
