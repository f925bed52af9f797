/* nb-target-picker.h: the Live page's two treatment controls: the area ("None": a custom target,
 * the depth setting ± the default tolerance) and the skin thickness, listing only the thicknesses
 * that area has. Loads the presets (nb-presets.h) and maps a choice onto the connected pen's
 * settings: a preset the pen cannot do is refused (the controls go back, "message" says why). */
#pragma once

#include <gtk/gtk.h>

#include "nb-presets.h"
#include "nb-units.h"

G_BEGIN_DECLS

#define NB_TYPE_TARGET_PICKER (nb_target_picker_get_type ())
G_DECLARE_FINAL_TYPE (NbTargetPicker, nb_target_picker, NB, TARGET_PICKER, GtkBox)

/* nb_target_picker_set_pen: the depths the connected pen takes, for mapping a preset onto it;
 * also goes back to "None" (a new pen starts without a preset). */
void nb_target_picker_set_pen (NbTargetPicker *picker, double min_mm, double max_mm,
                               double step_mm);
/* nb_target_picker_set_units: the depths of the skin list in @units (nb-units.h). */
void nb_target_picker_set_units (NbTargetPicker *picker, NbUnits units);
/* nb_target_picker_get_preset: (transfer none) the preset chosen, NULL for "None". */
const NbPreset *nb_target_picker_get_preset (NbTargetPicker *picker);
/* nb_target_picker_get_depth: the pen setting for the chosen preset (valid after "changed" with a
 * preset). */
double nb_target_picker_get_depth (NbTargetPicker *picker);
/* nb_target_picker_choose: as if the operator chose @area_id (NULL: "None") and @skin; FALSE when
 * there is no such preset or the pen refused it. */
gboolean nb_target_picker_choose (NbTargetPicker *picker, const char *area_id, NbSkin skin);

/* Signals:
 *   "changed" (): another preset (or "None") is in force
 *   "message" (const char *text): a choice the pen cannot do, refused */

G_END_DECLS
