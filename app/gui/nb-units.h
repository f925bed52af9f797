/* nb-units.h: how the app shows a depth: millimetres or micrometres (the "units" setting), with
 * the precision the measurement has (1 µm: 0.001 mm or 1 µm), numbers in the user's locale.
 * Every depth the app shows or takes in (readouts, inputs, chart axes, presets, records) goes
 * through here, so the preference applies everywhere. Files and JSON never use this. */
#pragma once

#include <gio/gio.h>

#include "nb-chart-axis.h"

G_BEGIN_DECLS

typedef enum
{
  NB_UNITS_MM = 0,
  NB_UNITS_UM = 1,
} NbUnits;

/* nb_units_from_settings: the "units" key of @settings; NB_UNITS_MM when @settings is NULL. */
NbUnits nb_units_from_settings (GSettings *settings);
/* nb_units_symbol: "mm" or "µm". */
const char *nb_units_symbol (NbUnits units);
/* nb_units_digits: decimals shown for a depth in @units (3 for mm, 0 for µm). */
guint nb_units_digits (NbUnits units);
/* nb_units_from_mm / nb_units_to_mm: a depth in millimetres as shown in @units, and back. */
double nb_units_from_mm (NbUnits units, double mm);
double nb_units_to_mm (NbUnits units, double shown);
/* nb_units_format_depth: (transfer full) "0.295 mm" / "295 µm"; "–" for NaN. */
char *nb_units_format_depth (NbUnits units, double mm);
/* nb_units_format_number: (transfer full) @mm in @units without the symbol ("0.295", "295"). */
char *nb_units_format_number (NbUnits units, double mm);
/* nb_units_format_range: (transfer full) a depth range for a preset or band: "0.50–1.00 mm" /
 * "500–1000 µm" (presets are set to 0.01 mm), or "0.25 ± 0.15 mm" when @lo_mm equals @hi_mm and
 * @tolerance_mm is given (> 0). */
char *nb_units_format_range (NbUnits units, double lo_mm, double hi_mm, double tolerance_mm);
/* nb_units_label_axis: @axis (drawn in mm) labelled "@quantity, µm" and its ticks in @units. */
void nb_units_label_axis (NbUnits units, NbChartAxis *axis, const char *quantity);

G_END_DECLS
