/* nb-application.c: app lifecycle, command line and app-wide actions. */
#include "nb-application.h"

#include <glib-unix.h>
#include <signal.h>

#include <glib/gi18n.h>

#include "nb-a11y.h"
#include "nb-config.h"
#include "nb-preferences.h"
#include "nb-window.h"

struct _NbApplication
{
  AdwApplication parent_instance;
  GSettings *settings;
  char *last_report;
  guint signal_ids[3];
  gboolean signalled;
};

G_DEFINE_FINAL_TYPE (NbApplication, nb_application, ADW_TYPE_APPLICATION)

GResource *nb_gui_get_resource (void);

void
nb_gui_init_resources (void)
{
  /* The resource registers itself through its constructor when linked in; this keeps the
   * linker from dropping it from the static library. */
  (void) nb_gui_get_resource ();
  /* The symbolic app icon is in the resource; the app adds it to the theme itself, a test
   * window without the app needs it added here. */
  GdkDisplay *display = gdk_display_get_default ();
  if (display)
    gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                      "/org/needlebench/NeedleBench/icons");
}

void
nb_gui_apply_theme (GSettings *settings)
{
  static const AdwColorScheme schemes[]
      = { ADW_COLOR_SCHEME_DEFAULT, ADW_COLOR_SCHEME_FORCE_LIGHT, ADW_COLOR_SCHEME_FORCE_DARK };
  int theme = g_settings_get_enum (settings, "theme");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      schemes[CLAMP (theme, 0, 2)]);
}

static NbWindow *
main_window (NbApplication *self)
{
  GtkWindow *w = gtk_application_get_active_window (GTK_APPLICATION (self));
  return NB_IS_WINDOW (w) ? NB_WINDOW (w) : NULL;
}

static void
nb_application_activate (GApplication *app)
{
  NbWindow *win = main_window (NB_APPLICATION (app));
  if (win == NULL)
    win = nb_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (win));
}

static int
nb_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("needlebench %s\n", NB_VERSION);
      return 0;
    }
  return -1; /* the rest goes to the running instance, if there is one */
}

/* Runs in the primary instance, for its own launch and for every later `needlebench [--device
 * URI]`, which hands its options over and exits with what this returns. */
static int
nb_application_command_line (GApplication *app, GApplicationCommandLine *cmdline)
{
  NbApplication *self = NB_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  g_autofree char *uri = NULL;
  g_variant_dict_lookup (options, "device", "s", &uri);
  g_application_activate (app);
  NbWindow *win = main_window (self);
  if (uri == NULL || win == NULL)
    return 0;
  NbLivePage *live = nb_window_get_live_page (win);
  NbRun *run = nb_live_page_get_run (live);
  if (run && (nb_run_is_recording (run) || nb_run_is_starting_recording (run)))
    {
      /* Switching pens would end the recording: leave that to the operator. */
      g_autofree char *text
          = g_strdup_printf ("Not opening %s: a recording is open; stop it first", uri);
      nb_window_toast (win, text);
      g_application_command_line_printerr (cmdline, "needlebench: %s\n", text);
      return 1;
    }
  nb_live_page_connect_uri (live, uri);
  return 0;
}

static void
on_theme_changed (GSettings *settings, const char *key, gpointer data)
{
  nb_gui_apply_theme (settings);
}

static void
preferences (GSimpleAction *action, GVariant *param, gpointer data)
{
  NbApplication *self = data;
  NbWindow *win = main_window (self);
  NbPreferences *prefs = nb_preferences_new (GTK_WINDOW (win), self->settings);
  gtk_window_set_application (GTK_WINDOW (prefs), GTK_APPLICATION (self));
  nb_a11y_name_search_entries (GTK_WIDGET (prefs), _ ("Search preferences"));
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
about (GSimpleAction *action, GVariant *param, gpointer data)
{
  NbApplication *self = data;
  GtkWidget *about = g_object_new (
      ADW_TYPE_ABOUT_WINDOW, "transient-for", main_window (self), "application-name", "NeedleBench",
      "application-icon", g_application_get_application_id (G_APPLICATION (self)), "version",
      NB_VERSION, "developer-name", "The NeedleBench developers", "license-type",
      GTK_LICENSE_GPL_3_0, "comments",
      "Telemetry, recording and calibration of electronic microneedling pens", NULL);
  gtk_window_present (GTK_WINDOW (about));
}

void
nb_application_report (NbApplication *self, const char *title, const char *text)
{
  g_printerr ("needlebench: %s\n", text);
  g_free (self->last_report);
  self->last_report = g_strdup (text);
  g_autoptr (GNotification) n = g_notification_new (title);
  g_notification_set_body (n, text);
  g_notification_set_priority (n, G_NOTIFICATION_PRIORITY_URGENT);
  g_application_send_notification (G_APPLICATION (self), "quit-problem", n);
}

const char *
nb_application_get_last_report (NbApplication *self)
{
  return self->last_report;
}

/* Closing the windows, not g_application_quit: the main window holds the application until its
 * pen has stopped, and g_application_quit would end the main loop under it. */
static void
quit (GSimpleAction *action, GVariant *param, gpointer data)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (data)));
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

/* SIGINT, SIGTERM, SIGHUP: quit as Ctrl+Q does, so the pen is stopped and the recording closed
 * first; a second signal cuts the wait short (MOTOR_STOP has been sent by then). */
static gboolean
on_signal (gpointer data)
{
  NbApplication *self = data;
  if (self->signalled)
    {
      g_printerr ("needlebench: quitting without waiting for the pen\n");
      g_application_quit (G_APPLICATION (self));
    }
  else
    g_action_group_activate_action (G_ACTION_GROUP (self), "quit", NULL);
  self->signalled = TRUE;
  return G_SOURCE_CONTINUE;
}

/* Every window's controls named right before it is shown (see nb-a11y.h). */
static void
on_window_added (GtkApplication *app, GtkWindow *window, gpointer data)
{
  nb_a11y_fix_names (GTK_WIDGET (window));
  /* GtkApplication has given an application window its shortcuts window by now. */
  nb_a11y_fix_help_overlay (window);
}

static void
nb_application_startup (GApplication *app)
{
  NbApplication *self = NB_APPLICATION (app);
  nb_gui_init_resources ();
  G_APPLICATION_CLASS (nb_application_parent_class)->startup (app);
  self->settings = g_settings_new ("org.needlebench.NeedleBench");
  g_signal_connect (self->settings, "changed::theme", G_CALLBACK (on_theme_changed), NULL);
  nb_gui_apply_theme (self->settings);

  static const GActionEntry entries[] = {
    { .name = "preferences", .activate = preferences },
    { .name = "about", .activate = about },
    { .name = "quit", .activate = quit },
  };
  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), NULL);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         (const char *[]){ "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit",
                                         (const char *[]){ "<Control>q", NULL });
  /* The pages in the switcher's order (the help overlay lists these by action). */
  static const char *const pages[][2] = { { "win.show-page::live", "<Alt>1" },
                                          { "win.show-page::records", "<Alt>2" },
                                          { "win.show-page::calibration", "<Alt>3" },
                                          { "win.show-page::certificates", "<Alt>4" } };
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), pages[i][0],
                                           (const char *[]){ pages[i][1], NULL });
  static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    self->signal_ids[i] = g_unix_signal_add (signals[i], on_signal, self);
}

static void
nb_application_shutdown (GApplication *app)
{
  NbApplication *self = NB_APPLICATION (app);
  for (guint i = 0; i < G_N_ELEMENTS (self->signal_ids); i++)
    g_clear_handle_id (&self->signal_ids[i], g_source_remove);
  G_APPLICATION_CLASS (nb_application_parent_class)->shutdown (app);
}

static void
nb_application_finalize (GObject *object)
{
  NbApplication *self = NB_APPLICATION (object);
  g_free (self->last_report);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (nb_application_parent_class)->finalize (object);
}

static void
nb_application_class_init (NbApplicationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nb_application_finalize;
  G_APPLICATION_CLASS (klass)->activate = nb_application_activate;
  G_APPLICATION_CLASS (klass)->startup = nb_application_startup;
  G_APPLICATION_CLASS (klass)->shutdown = nb_application_shutdown;
  G_APPLICATION_CLASS (klass)->handle_local_options = nb_application_handle_local_options;
  G_APPLICATION_CLASS (klass)->command_line = nb_application_command_line;
}

static void
nb_application_init (NbApplication *self)
{
  static const GOptionEntry options[] = {
    { "device", 'd', 0, G_OPTION_ARG_STRING, NULL,
      "Connect to this pen at start (sim, sim:key=value,..., serial:PATH, usb:...)", "URI" },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, "Print the version and exit", NULL },
    { NULL },
  };
  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

NbApplication *
nb_application_new (const char *app_id)
{
  /* One instance: a second launch hands its command line (--device) to the running one. */
  NbApplication *self = g_object_new (NB_TYPE_APPLICATION, "application-id", app_id, "flags",
                                      G_APPLICATION_HANDLES_COMMAND_LINE, NULL);
  /* The .Devel id must not move the resources (style.css, icons) elsewhere. */
  g_application_set_resource_base_path (G_APPLICATION (self), "/org/needlebench/NeedleBench");
  return self;
}
