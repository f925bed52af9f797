/* nb-calibration-certificate.c: the Calibration page's certificate step: a window over the page
 * for the run just completed, in the bench's own database or, for a bench of a fleet, in the
 * shared database after the run was copied there (nb-certificate-place.h). */
#include <glib/gi18n.h>
#include "nb-calibration-page-private.h"

#include "nb-certificate-place.h"
#include "nb-fleet-link.h"

/* The certificate step: a window over this one for the run, in @path (the bench's file, or the
 * fleet's shared database) under @run_id there. */
static void
open_certificate_window (NbCalibrationPage *self, const char *path, gint64 run_id,
                         gboolean traceable)
{
  GtkWidget *widget = GTK_WIDGET (self);
  if (self->certificate_window)
    gtk_window_destroy (self->certificate_window);
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (widget));
  NbCertificateWindow *win = nb_certificate_window_new (parent, path, run_id, traceable);
  /* the preferences' laboratory, offered for the store's settings when it has none yet */
  if (self->settings)
    {
      g_autofree char *lab = g_settings_get_string (self->settings, "lab-name");
      g_autofree char *address = g_settings_get_string (self->settings, "lab-address");
      nb_certificate_window_fill_lab (win, lab, address);
    }
  g_set_weak_pointer (&self->certificate_window, GTK_WINDOW (win));
  gtk_window_present (GTK_WINDOW (win));
}

typedef struct
{
  NbCalibrationPage *self;
  char *server;
  gboolean traceable;
} Placing;

static void
on_placed (GObject *source, GAsyncResult *result, gpointer data)
{
  Placing *p = data;
  g_autoptr (GError) error = NULL;
  gint64 id = nb_certificate_place_finish (result, &error);
  if (id > 0 && gtk_widget_get_root (GTK_WIDGET (p->self)) != NULL)
    open_certificate_window (p->self, p->server, id, p->traceable);
  else if (id <= 0)
    nb_cal_page_message (p->self, error->message);
  g_object_unref (p->self);
  g_free (p->server);
  g_free (p);
}

/* The certificate step for the run just completed. A bench of a fleet issues it in the shared
 * database, where the numbers follow on across benches: the run is copied there first. */
void
nb_cal_page_action_certificate (GtkWidget *widget, const char *name, GVariant *param)
{
  NbCalibrationPage *self = NB_CALIBRATION_PAGE (widget);
  const NbRunResult *r = nb_calibration_get_result (self->cal);
  if (r == NULL || r->run_id <= 0)
    return;
  g_autofree char *path
      = self->settings ? g_settings_get_string (self->settings, "database-path") : NULL;
  g_autofree char *server
      = self->settings ? g_settings_get_string (self->settings, "server-uri") : NULL;
  if (server != NULL && nb_fleet_check_uri (server, NULL))
    {
      Placing *p = g_new0 (Placing, 1);
      p->self = g_object_ref (self);
      p->server = g_steal_pointer (&server);
      p->traceable = r->traceable;
      nb_cal_page_message (self, _ ("Sending the run to the shared database for its certificate…"));
      nb_certificate_place_async (p->server, path, r->run_id, on_placed, p);
      return;
    }
  open_certificate_window (self, path, r->run_id, r->traceable);
}

NbCertificateWindow *
nb_calibration_page_get_certificate_window (NbCalibrationPage *self)
{
  return self->certificate_window ? NB_CERTIFICATE_WINDOW (self->certificate_window) : NULL;
}

