/* nb-fleet-indicator.c: the fleet server's state in the header bar (nb-fleet-indicator.h). */
#include <glib/gi18n.h>
#include <inttypes.h>

#include "nb-fleet-indicator.h"

struct _NbFleetIndicator
{
  GtkBox parent_instance;
  NbFleetStatus *status;
  GtkImage *icon;
  GtkLabel *label;
  char *icon_name;
};

G_DEFINE_FINAL_TYPE (NbFleetIndicator, nb_fleet_indicator, GTK_TYPE_BOX)

static const char *const state_classes[] = { "success", "warning", "error", "dim-label" };

static void
set_look (NbFleetIndicator *self, const char *icon, const char *text, const char *css)
{
  g_free (self->icon_name);
  self->icon_name = g_strdup (icon);
  gtk_image_set_from_icon_name (self->icon, icon);
  gtk_label_set_label (self->label, text);
  for (gsize i = 0; i < G_N_ELEMENTS (state_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self), state_classes[i]);
  if (css)
    gtk_widget_add_css_class (GTK_WIDGET (self), css);
}

/* Words, not colour alone: the state is read by screen readers and by the colour-blind. */
static void
update (NbFleetIndicator *self)
{
  NbFleetStatus *st = self->status;
  const char *server = nb_fleet_status_get_server (st);
  gtk_widget_set_visible (GTK_WIDGET (self), server != NULL);
  if (server == NULL)
    return;
  gint64 waiting = MAX (nb_fleet_status_get_waiting (st), 0);
  g_autofree char *text = NULL;
  switch (nb_fleet_status_get_state (st))
    {
    case NB_FLEET_SYNC_SYNCED:
      text = waiting > 0 ? g_strdup_printf (
                 g_dngettext (GETTEXT_PACKAGE, "Server online: %" PRId64 " record waiting",
                              "Server online: %" PRId64 " records waiting", waiting),
                 waiting)
                         : g_strdup (_ ("Server online"));
      set_look (self, "network-server-symbolic", text, "success");
      break;
    case NB_FLEET_SYNC_OFFLINE:
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Offline: %" PRId64 " record waiting",
                                           "Offline: %" PRId64 " records waiting", waiting),
                              waiting);
      set_look (self, "network-offline-symbolic", text, "warning");
      break;
    case NB_FLEET_SYNC_FAILED:
      text
          = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Not synced: %" PRId64 " record waiting",
                                          "Not synced: %" PRId64 " records waiting", waiting),
                             waiting);
      set_look (self, "dialog-warning-symbolic", text, "error");
      break;
    case NB_FLEET_SYNC_LOCAL:
    default:
      set_look (self, "network-transmit-receive-symbolic", _ ("Connecting to the server…"),
                "dim-label");
      break;
    }
  const char *message = nb_fleet_status_get_message (st);
  g_autofree char *tooltip = message
                                 ? g_strdup_printf (_ ("Shared database %s\n%s"), server, message)
                                 : g_strdup_printf (_ ("Shared database %s"), server);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
  g_autofree char *name
      = g_strdup_printf (_ ("Shared database: %s"), gtk_label_get_label (self->label));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
on_notify (GObject *object, GParamSpec *pspec, NbFleetIndicator *self)
{
  update (self);
}

const char *
nb_fleet_indicator_get_text (NbFleetIndicator *self)
{
  return gtk_label_get_label (self->label);
}

const char *
nb_fleet_indicator_get_icon_name (NbFleetIndicator *self)
{
  return self->icon_name;
}

static void
nb_fleet_indicator_dispose (GObject *object)
{
  NbFleetIndicator *self = NB_FLEET_INDICATOR (object);
  if (self->status)
    g_signal_handlers_disconnect_by_data (self->status, self);
  g_clear_object (&self->status);
  G_OBJECT_CLASS (nb_fleet_indicator_parent_class)->dispose (object);
}

static void
nb_fleet_indicator_finalize (GObject *object)
{
  g_free (NB_FLEET_INDICATOR (object)->icon_name);
  G_OBJECT_CLASS (nb_fleet_indicator_parent_class)->finalize (object);
}

static void
nb_fleet_indicator_class_init (NbFleetIndicatorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = nb_fleet_indicator_dispose;
  G_OBJECT_CLASS (klass)->finalize = nb_fleet_indicator_finalize;
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
nb_fleet_indicator_init (NbFleetIndicator *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  self->icon = GTK_IMAGE (gtk_image_new ());
  self->label = GTK_LABEL (gtk_label_new (NULL));
  /* the words are the accessible name of the whole; the parts are not read twice */
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->label), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->icon));
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->label));
}

GtkWidget *
nb_fleet_indicator_new (NbFleetStatus *status)
{
  NbFleetIndicator *self = g_object_new (NB_TYPE_FLEET_INDICATOR, NULL);
  self->status = g_object_ref (status);
  g_signal_connect (status, "notify", G_CALLBACK (on_notify), self);
  update (self);
  return GTK_WIDGET (self);
}
