/* nb-depth-spin.c: the output/input signals of a spin button convert between the adjustment's
 * millimetres and the operator's unit. */
#include "nb-depth-spin.h"

#include <math.h>
#include <stdlib.h>

#include "nb-units.h"

#define UNITS_KEY "nb-depth-spin-units"
#define LABEL_KEY "nb-depth-spin-label"

static NbUnits
spin_units (GtkSpinButton *spin)
{
  return (NbUnits) GPOINTER_TO_INT (g_object_get_data (G_OBJECT (spin), UNITS_KEY));
}

static gboolean
on_output (GtkSpinButton *spin, gpointer data)
{
  double mm = gtk_adjustment_get_value (gtk_spin_button_get_adjustment (spin));
  NbUnits units = spin_units (spin);
  /* Millimetres with the spin's digits (the pen's step); micrometres are whole. */
  int digits = units == NB_UNITS_UM ? 0 : (int) gtk_spin_button_get_digits (spin);
  g_autofree char *text = g_strdup_printf ("%.*f", digits, nb_units_from_mm (units, mm));
  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static int
on_input (GtkSpinButton *spin, double *new_value, gpointer data)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  char *end = NULL;
  /* The locale's decimal separator, as the text was shown. */
  double shown = strtod (text, &end);
  if (end == text || !isfinite (shown))
    return GTK_INPUT_ERROR;
  *new_value = nb_units_to_mm (spin_units (spin), shown);
  return TRUE;
}

static void
apply (GtkSpinButton *spin, NbUnits units)
{
  g_object_set_data (G_OBJECT (spin), UNITS_KEY, GINT_TO_POINTER (units));
  GtkLabel *label = g_object_get_data (G_OBJECT (spin), LABEL_KEY);
  if (label)
    gtk_label_set_label (label, nb_units_symbol (units));
  on_output (spin, NULL);
}

static void
on_units_changed (GSettings *settings, const char *key, GtkSpinButton *spin)
{
  apply (spin, nb_units_from_settings (settings));
}

void
nb_depth_spin_attach (GtkSpinButton *spin, GtkLabel *unit_label, GSettings *settings)
{
  g_return_if_fail (GTK_IS_SPIN_BUTTON (spin));
  g_object_set_data (G_OBJECT (spin), LABEL_KEY, unit_label);
  if (g_object_get_data (G_OBJECT (spin), "nb-depth-spin-attached") == NULL)
    {
      g_object_set_data (G_OBJECT (spin), "nb-depth-spin-attached", GINT_TO_POINTER (1));
      g_signal_connect (spin, "output", G_CALLBACK (on_output), NULL);
      g_signal_connect (spin, "input", G_CALLBACK (on_input), NULL);
    }
  if (settings)
    g_signal_connect_object (settings, "changed::units", G_CALLBACK (on_units_changed), spin, 0);
  apply (spin, nb_units_from_settings (settings));
}
