/* nb-pen-details.c: the selected pen's details, as labels. */
#include <glib/gi18n.h>
#include "nb-pen-details.h"

struct _NbPenDetails
{
  GtkGrid parent_instance;
  GtkLabel *model_label, *serial_label, *firmware_label, *calibration_label, *port_label;
};

G_DEFINE_FINAL_TYPE (NbPenDetails, nb_pen_details, GTK_TYPE_GRID)

/* What the connected pen's calibration table says, or NULL when @run is not @item's pen. */
static char *
describe_calibration (NbPenItem *item, NbRun *run)
{
  if (item == NULL || run == NULL
      || !g_str_equal (nb_pen_item_get_uri (item), nb_device_get_uri (nb_run_get_device (run))))
    return NULL;
  const NbCalTable *t = nb_run_get_calibration (run);
  if (t == NULL)
    return g_strdup (_ ("not available"));
  if (t->calibrated_at == 0)
    return g_strdup (_ ("never (factory table)"));
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_local ((gint64) t->calibrated_at);
  g_autofree char *date = dt ? g_date_time_format (dt, "%Y-%m-%d") : g_strdup ("?");
  return t->certificate[0] ? g_strdup_printf ("%s (%s)", date, t->certificate)
                           : g_steal_pointer (&date);
}

void
nb_pen_details_show (NbPenDetails *self, NbPenItem *item, NbRun *run)
{
  const char *none = "–";
  gtk_label_set_label (self->model_label, item ? nb_pen_item_get_model (item) : none);
  gtk_label_set_label (self->serial_label, item ? nb_pen_item_get_serial (item) : none);
  gtk_label_set_label (self->firmware_label, item ? nb_pen_item_get_firmware (item) : none);
  gtk_label_set_label (self->port_label, item && nb_pen_item_get_port (item)
                                             ? nb_pen_item_get_port (item)
                                             : (item ? nb_pen_item_get_uri (item) : none));
  g_autofree char *cal = describe_calibration (item, run);
  gtk_label_set_label (self->calibration_label, cal ? cal : (item ? _ ("connect to read") : none));
  /* The labels are ellipsized to keep the sidebar narrow; the whole text is in the tooltip. */
  GtkLabel *labels[] = { self->model_label, self->serial_label, self->firmware_label,
                         self->calibration_label, self->port_label };
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    gtk_widget_set_tooltip_text (GTK_WIDGET (labels[i]), gtk_label_get_label (labels[i]));
}

const char *
nb_pen_details_get_calibration (NbPenDetails *self)
{
  return gtk_label_get_label (self->calibration_label);
}

static void
nb_pen_details_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), NB_TYPE_PEN_DETAILS);
  G_OBJECT_CLASS (nb_pen_details_parent_class)->dispose (object);
}

static void
nb_pen_details_class_init (NbPenDetailsClass *klass)
{
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = nb_pen_details_dispose;
  gtk_widget_class_set_template_from_resource (wc,
                                               "/org/needlebench/NeedleBench/nb-pen-details.ui");
  gtk_widget_class_bind_template_child (wc, NbPenDetails, model_label);
  gtk_widget_class_bind_template_child (wc, NbPenDetails, serial_label);
  gtk_widget_class_bind_template_child (wc, NbPenDetails, firmware_label);
  gtk_widget_class_bind_template_child (wc, NbPenDetails, calibration_label);
  gtk_widget_class_bind_template_child (wc, NbPenDetails, port_label);
}

static void
nb_pen_details_init (NbPenDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
