/* nb-preferences.c: binds each row to its key; GSettings writes as the user types. */
#include <glib/gi18n.h>

#include "nb-fleet-link.h"
#include "nb-preferences.h"
#include "nb-store.h"

struct _NbPreferences
{
  AdwPreferencesWindow parent_instance;
  AdwEntryRow *lab_name_row, *lab_address_row, *operator_row, *database_row, *probe_ports_row;
  AdwComboRow *rule_row, *units_row, *theme_row;
  AdwEntryRow *server_row;
  GtkLabel *server_error;
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (NbPreferences, nb_preferences, ADW_TYPE_PREFERENCES_WINDOW)

static const char *const rule_nicks[] = { "simple", "guarded", NULL };
static const char *const units_nicks[] = { "mm", "um", NULL };
static const char *const theme_nicks[] = { "system", "light", "dark", NULL };

/* An enum key is a nick string; a combo row's "selected" is its position in @nicks. */
static gboolean
nick_to_index (GValue *value, GVariant *variant, gpointer user_data)
{
  const char *const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);
  for (guint i = 0; nicks[i]; i++)
    if (g_str_equal (nicks[i], nick))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
index_to_nick (const GValue *value, const GVariantType *type, gpointer user_data)
{
  const char *const *nicks = user_data;
  guint i = g_value_get_uint (value);
  if (i >= g_strv_length ((char **) nicks))
    return NULL;
  return g_variant_new_string (nicks[i]);
}

static void
bind_combo (GSettings *settings, const char *key, AdwComboRow *row, const char *const *nicks)
{
  g_settings_bind_with_mapping (settings, key, row, "selected", G_SETTINGS_BIND_DEFAULT,
                                nick_to_index, index_to_nick, (gpointer) nicks, NULL);
}

/* "probe-ports" is written on Apply, not as the user types: a partial path such as /dev/tty
 * names another device, which the monitor would open. */
static void
on_probe_ports_apply (AdwEntryRow *row, GSettings *settings)
{
  g_auto (GStrv) words = g_strsplit_set (gtk_editable_get_text (GTK_EDITABLE (row)), " \t,", -1);
  g_autoptr (GStrvBuilder) ports = g_strv_builder_new ();
  for (guint i = 0; words[i]; i++)
    if (*words[i] != '\0')
      g_strv_builder_add (ports, words[i]);
  g_auto (GStrv) list = g_strv_builder_end (ports);
  g_settings_set_strv (settings, "probe-ports", (const char *const *) list);
}

/* "server-uri" is written on Apply, and only an address that names a server without a password:
 * a half-typed address would send the next run's copy nowhere, and a password kept in the
 * settings would be readable by every program of the session. */
static void
on_server_apply (AdwEntryRow *row, NbPreferences *self)
{
  g_autofree char *uri = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autoptr (GError) error = NULL;
  if (*uri != '\0' && !nb_fleet_check_uri (uri, &error))
    {
      g_autofree char *text
          = g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_DENIED)
                ? g_strdup (_ ("Not saved: the address carries a password. Put it in ~/.pgpass, "
                               "PGPASSFILE or a PostgreSQL service file instead."))
                : g_strdup_printf (_ ("Not saved: not a postgresql:// address (%s)."),
                                   error->message);
      gtk_label_set_label (self->server_error, text);
      gtk_widget_set_visible (GTK_WIDGET (self->server_error), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      text, -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->server_error), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
  g_settings_set_string (self->settings, "server-uri", uri);
}

static void
nb_preferences_dispose (GObject *object)
{
  g_clear_object (&NB_PREFERENCES (object)->settings);
  G_OBJECT_CLASS (nb_preferences_parent_class)->dispose (object);
}

static void
nb_preferences_class_init (NbPreferencesClass *klass)
{
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = nb_preferences_dispose;
  gtk_widget_class_set_template_from_resource (wc,
                                               "/org/needlebench/NeedleBench/nb-preferences.ui");
  gtk_widget_class_bind_template_child (wc, NbPreferences, lab_name_row);
  gtk_widget_class_bind_template_child (wc, NbPreferences, lab_address_row);
  gtk_widget_class_bind_template_child (wc, NbPreferences, operator_row);
  gtk_widget_class_bind_template_child (wc, NbPreferences, database_row);
  gtk_widget_class_bind_template_child (wc, NbPreferences, probe_ports_row);
  gtk_widget_class_bind_template_child (wc, NbPreferences, rule_row);
  gtk_widget_class_bind_template_child (wc, NbPreferences, units_row);
  gtk_widget_class_bind_template_child (wc, NbPreferences, theme_row);
  gtk_widget_class_bind_template_child (wc, NbPreferences, server_row);
  gtk_widget_class_bind_template_child (wc, NbPreferences, server_error);
}

static void
nb_preferences_init (NbPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

NbPreferences *
nb_preferences_new (GtkWindow *parent, GSettings *settings)
{
  NbPreferences *self
      = g_object_new (NB_TYPE_PREFERENCES, "transient-for", parent, "modal", TRUE, NULL);
  g_settings_bind (settings, "lab-name", self->lab_name_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "lab-address", self->lab_address_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "default-operator", self->operator_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "database-path", self->database_row, "text", G_SETTINGS_BIND_DEFAULT);
  bind_combo (settings, "decision-rule", self->rule_row, rule_nicks);
  bind_combo (settings, "units", self->units_row, units_nicks);
  bind_combo (settings, "theme", self->theme_row, theme_nicks);
  g_auto (GStrv) ports = g_settings_get_strv (settings, "probe-ports");
  g_autofree char *text = g_strjoinv (" ", ports);
  gtk_editable_set_text (GTK_EDITABLE (self->probe_ports_row), text);
  g_signal_connect_object (self->probe_ports_row, "apply", G_CALLBACK (on_probe_ports_apply),
                           settings, 0);
  self->settings = g_object_ref (settings);
  g_autofree char *server = g_settings_get_string (settings, "server-uri");
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
  g_signal_connect (self->server_row, "apply", G_CALLBACK (on_server_apply), self);
  return self;
}
