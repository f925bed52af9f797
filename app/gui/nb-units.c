/* nb-units.c: depths as the operator chose to see them. printf's %f follows LC_NUMERIC, which
 * the app leaves at the user's locale: the UI shows 0,295 mm in German. */
#include "nb-units.h"

#include <math.h>

NbUnits
nb_units_from_settings (GSettings *settings)
{
  if (settings == NULL)
    return NB_UNITS_MM;
  return g_settings_get_enum (settings, "units") == 1 ? NB_UNITS_UM : NB_UNITS_MM;
}

const char *
nb_units_symbol (NbUnits units)
{
  return units == NB_UNITS_UM ? "µm" : "mm";
}

guint
nb_units_digits (NbUnits units)
{
  return units == NB_UNITS_UM ? 0 : 3;
}

double
nb_units_from_mm (NbUnits units, double mm)
{
  return units == NB_UNITS_UM ? mm * 1000.0 : mm;
}

double
nb_units_to_mm (NbUnits units, double shown)
{
  return units == NB_UNITS_UM ? shown / 1000.0 : shown;
}

char *
nb_units_format_number (NbUnits units, double mm)
{
  if (isnan (mm))
    return g_strdup ("–");
  return g_strdup_printf ("%.*f", (int) nb_units_digits (units), nb_units_from_mm (units, mm));
}

char *
nb_units_format_depth (NbUnits units, double mm)
{
  if (isnan (mm))
    return g_strdup ("–");
  g_autofree char *number = nb_units_format_number (units, mm);
  return g_strdup_printf ("%s %s", number, nb_units_symbol (units));
}

void
nb_units_label_axis (NbUnits units, NbChartAxis *axis, const char *quantity)
{
  g_autofree char *label = g_strdup_printf ("%s, %s", quantity, nb_units_symbol (units));
  nb_chart_axis_set_unit (axis, label, nb_units_from_mm (units, 1.0));
}

char *
nb_units_format_range (NbUnits units, double lo_mm, double hi_mm, double tolerance_mm)
{
  int digits = units == NB_UNITS_UM ? 0 : 2;
  const char *symbol = nb_units_symbol (units);
  if (fabs (hi_mm - lo_mm) < 1e-9 && tolerance_mm > 0)
    return g_strdup_printf ("%.*f ± %.*f %s", digits, nb_units_from_mm (units, lo_mm), digits,
                            nb_units_from_mm (units, tolerance_mm), symbol);
  return g_strdup_printf ("%.*f–%.*f %s", digits, nb_units_from_mm (units, lo_mm), digits,
                          nb_units_from_mm (units, hi_mm), symbol);
}
