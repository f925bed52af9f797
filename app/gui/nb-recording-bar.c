/* nb-recording-bar.c: the recording indicator (elapsed time, strokes recorded). */
#include "nb-recording-bar.h"

#include <glib/gi18n.h>

struct _NbRecordingBar
{
  GtkBox parent_instance;
  GtkLabel *label, *warning;
  NbRun *run;
};

G_DEFINE_FINAL_TYPE (NbRecordingBar, nb_recording_bar, GTK_TYPE_BOX)

static void
update (NbRecordingBar *self)
{
  gboolean on = self->run && nb_run_is_recording (self->run);
  gtk_widget_set_visible (GTK_WIDGET (self), on);
  if (!on)
    return;
  guint s = (guint) nb_run_get_recording_elapsed_s (self->run);
  guint64 n = nb_run_get_recorded_strokes (self->run);
  g_autofree char *strokes = g_strdup_printf (
      ngettext ("%" G_GUINT64_FORMAT " stroke", "%" G_GUINT64_FORMAT " strokes", (gulong) n), n);
  g_autofree char *text = g_strdup_printf (_ ("Recording · %u:%02u · %s"), s / 60, s % 60, strokes);
  if (g_strcmp0 (text, gtk_label_get_label (self->label)) != 0)
    gtk_label_set_label (self->label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->warning), !nb_run_is_motor_running (self->run));
}

void
nb_recording_bar_set_run (NbRecordingBar *self, NbRun *run)
{
  if (self->run)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_set_object (&self->run, run);
  if (run)
    {
      /* "updated" comes every NB_RUN_UPDATE_MS: often enough for a clock in seconds. */
      g_signal_connect_swapped (run, "updated", G_CALLBACK (update), self);
      g_signal_connect_swapped (run, "notify::recording", G_CALLBACK (update), self);
      g_signal_connect_swapped (run, "notify::motor-running", G_CALLBACK (update), self);
    }
  update (self);
}

const char *
nb_recording_bar_get_text (NbRecordingBar *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self)) ? gtk_label_get_label (self->label) : NULL;
}

const char *
nb_recording_bar_get_warning (NbRecordingBar *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self))
                 && gtk_widget_get_visible (GTK_WIDGET (self->warning))
             ? gtk_label_get_label (self->warning)
             : NULL;
}

GtkWidget *
nb_recording_bar_new (void)
{
  return g_object_new (NB_TYPE_RECORDING_BAR, NULL);
}

static void
nb_recording_bar_dispose (GObject *object)
{
  nb_recording_bar_set_run (NB_RECORDING_BAR (object), NULL);
  G_OBJECT_CLASS (nb_recording_bar_parent_class)->dispose (object);
}

static void
nb_recording_bar_class_init (NbRecordingBarClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = nb_recording_bar_dispose;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "recordingbar");
}

static void
nb_recording_bar_init (NbRecordingBar *self)
{
  GtkBox *box = GTK_BOX (self);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (box, 8);
  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
  gtk_widget_add_css_class (GTK_WIDGET (self), "recording-bar");
  GtkWidget *dot = gtk_image_new_from_icon_name ("media-record-symbolic");
  gtk_widget_add_css_class (dot, "error");
  gtk_widget_set_margin_start (dot, 10);
  gtk_box_append (box, dot);
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->label), "heading");
  gtk_widget_add_css_class (GTK_WIDGET (self->label), "numeric");
  gtk_widget_set_margin_top (GTK_WIDGET (self->label), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->label), 6);
  gtk_box_append (box, GTK_WIDGET (self->label));
  self->warning = GTK_LABEL (
      gtk_label_new (_ ("The motor is off: no strokes are recorded until you start it.")));
  gtk_label_set_wrap (self->warning, TRUE);
  gtk_label_set_xalign (self->warning, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->warning), "warning");
  gtk_widget_set_margin_end (GTK_WIDGET (self->warning), 10);
  gtk_box_append (box, GTK_WIDGET (self->warning));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
