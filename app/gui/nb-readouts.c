/* nb-readouts.c: the readout cards, formatted with the precision each figure has. */
#include "nb-readouts.h"

#include "nb-verdict-card.h"

#include <glib/gi18n.h>
#include <math.h>

struct _NbReadouts
{
  GtkBox parent_instance;
  GtkLabel *depth_value, *rate_value, *strokes_value, *speed_value, *gaps_value, *crc_value;
  GtkLabel *last_run_label;
  GtkWidget *depth_verdict_box, *rate_verdict_box;
  GtkImage *depth_verdict_icon, *rate_verdict_icon;
  GtkLabel *depth_verdict_label, *rate_verdict_label;
};

G_DEFINE_FINAL_TYPE (NbReadouts, nb_readouts, GTK_TYPE_BOX)

/* With the motor stopped the figures are the last run's: dimmed and captioned, so that nobody
 * reads a rate the pen is not making. */
static void
show_last_run (NbReadouts *self, gboolean last)
{
  gtk_widget_set_visible (GTK_WIDGET (self->last_run_label), last);
  GtkLabel *values[] = { self->depth_value, self->rate_value, self->strokes_value,
                         self->speed_value, self->gaps_value, self->crc_value };
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    if (last)
      gtk_widget_add_css_class (GTK_WIDGET (values[i]), "dim-label");
    else
      gtk_widget_remove_css_class (GTK_WIDGET (values[i]), "dim-label");
}

void
nb_readouts_show (NbReadouts *self, NbRun *run, gboolean micrometres)
{
  double mean, sd, rate, speed;
  guint64 strokes, gaps, crc;
  g_object_get (run, "depth-mean-mm", &mean, "depth-sd-mm", &sd, "rate-hz", &rate, "strokes",
                &strokes, "entry-speed-mm-s", &speed, "gaps", &gaps, "crc-errors", &crc, NULL);
  char buf[64];
  if (isnan (mean))
    g_strlcpy (buf, "–", sizeof buf);
  else if (micrometres)
    g_snprintf (buf, sizeof buf, "%.0f ± %.0f µm", mean * 1000, isnan (sd) ? 0 : sd * 1000);
  else
    g_snprintf (buf, sizeof buf, "%.3f ± %.3f mm", mean, isnan (sd) ? 0 : sd);
  gtk_label_set_label (self->depth_value, buf);
  if (isnan (rate))
    g_strlcpy (buf, "–", sizeof buf);
  else
    g_snprintf (buf, sizeof buf, "%.1f Hz", rate);
  gtk_label_set_label (self->rate_value, buf);
  g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, strokes);
  gtk_label_set_label (self->strokes_value, buf);
  if (isnan (speed))
    g_strlcpy (buf, "–", sizeof buf);
  else
    g_snprintf (buf, sizeof buf, "%.0f mm/s", speed);
  gtk_label_set_label (self->speed_value, buf);
  g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, gaps);
  gtk_label_set_label (self->gaps_value, buf);
  g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, crc);
  gtk_label_set_label (self->crc_value, buf);
  show_last_run (self, nb_run_is_last_run (run));
}

const char *
nb_readouts_get_last_run_text (NbReadouts *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->last_run_label))
             ? gtk_label_get_label (self->last_run_label)
             : NULL;
}

static void
show_check (GtkLabel *value, GtkWidget *box, GtkImage *icon, GtkLabel *label, NbLiveCheck check,
            const char *word)
{
  nb_live_check_set_css_class (GTK_WIDGET (value), check);
  gtk_widget_set_visible (box, check != NB_LIVE_CHECK_NONE);
  nb_live_check_set_icon (icon, check);
  gtk_label_set_label (label, check != NB_LIVE_CHECK_NONE ? word : "");
  nb_live_check_set_css_class (GTK_WIDGET (label), check);
}

void
nb_readouts_show_verdict (NbReadouts *self, NbLiveCheck depth, NbLiveCheck rate)
{
  const char *depth_word = depth == NB_LIVE_CHECK_IN    ? _ ("In tolerance")
                           : depth == NB_LIVE_CHECK_LOW ? _ ("Too shallow")
                                                        : _ ("Too deep");
  const char *rate_word = rate == NB_LIVE_CHECK_IN    ? _ ("In tolerance")
                          : rate == NB_LIVE_CHECK_LOW ? _ ("Too slow")
                                                      : _ ("Too fast");
  show_check (self->depth_value, self->depth_verdict_box, self->depth_verdict_icon,
              self->depth_verdict_label, depth, depth_word);
  show_check (self->rate_value, self->rate_verdict_box, self->rate_verdict_icon,
              self->rate_verdict_label, rate, rate_word);
}

const char *
nb_readouts_get_depth_verdict_text (NbReadouts *self)
{
  return gtk_label_get_label (self->depth_verdict_label);
}

const char *
nb_readouts_get_depth_text (NbReadouts *self)
{
  return gtk_label_get_label (self->depth_value);
}

static void
nb_readouts_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), NB_TYPE_READOUTS);
  G_OBJECT_CLASS (nb_readouts_parent_class)->dispose (object);
}

static void
nb_readouts_class_init (NbReadoutsClass *klass)
{
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = nb_readouts_dispose;
  gtk_widget_class_set_template_from_resource (wc, "/org/needlebench/NeedleBench/nb-readouts.ui");
  gtk_widget_class_bind_template_child (wc, NbReadouts, depth_value);
  gtk_widget_class_bind_template_child (wc, NbReadouts, rate_value);
  gtk_widget_class_bind_template_child (wc, NbReadouts, strokes_value);
  gtk_widget_class_bind_template_child (wc, NbReadouts, speed_value);
  gtk_widget_class_bind_template_child (wc, NbReadouts, gaps_value);
  gtk_widget_class_bind_template_child (wc, NbReadouts, crc_value);
  gtk_widget_class_bind_template_child (wc, NbReadouts, last_run_label);
  gtk_widget_class_bind_template_child (wc, NbReadouts, depth_verdict_box);
  gtk_widget_class_bind_template_child (wc, NbReadouts, rate_verdict_box);
  gtk_widget_class_bind_template_child (wc, NbReadouts, depth_verdict_icon);
  gtk_widget_class_bind_template_child (wc, NbReadouts, rate_verdict_icon);
  gtk_widget_class_bind_template_child (wc, NbReadouts, depth_verdict_label);
  gtk_widget_class_bind_template_child (wc, NbReadouts, rate_verdict_label);
}

static void
nb_readouts_init (NbReadouts *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
