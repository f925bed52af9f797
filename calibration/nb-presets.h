/* nb-presets.h: treatment presets (data/treatment-presets.json): the needle depth range for a
 * treatment area and skin thickness, and the pen setting that serves it. Headless, so that the
 * GUI and the calibration profiles read the same table the same way. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NB_PRESETS_ERROR (nb_presets_error_quark ())

typedef enum
{
  NB_PRESETS_ERROR_INVALID,      /* the file is not a valid presets table */
  NB_PRESETS_ERROR_OUT_OF_RANGE, /* the preset's range is not within the pen's range */
} NbPresetsError;

GQuark nb_presets_error_quark (void);

typedef enum
{
  NB_SKIN_THIN,
  NB_SKIN_THICK,
} NbSkin;

typedef struct
{
  char *area_id; /* "cheek-chin" */
  char *area;    /* "Cheek, chin" */
  NbSkin skin;
  double min_mm;
  double max_mm;
} NbPreset;

void nb_preset_free (NbPreset *preset);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbPreset, nb_preset_free)

const char *nb_skin_to_string (NbSkin skin); /* "thin", "thick" */

/* nb_preset_dup_label: (transfer full) "Cheek, chin, thick skin (1.00–2.00 mm)". */
char *nb_preset_dup_label (const NbPreset *preset);

/* nb_presets_load_data / _file: (transfer full) (element-type NbPreset) every area's thin and
 * thick presets, in file order. Rejects a range that is negative, above 10 mm or reversed. */
GPtrArray *nb_presets_load_data (const char *data, gssize length,
                                 GError **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray *nb_presets_load_file (const char *path, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_preset_pen_depth: the pen setting for @preset on a pen that takes depths from @pen_min_mm to
 * @pen_max_mm in @pen_step_mm steps: the setting nearest the middle of the preset's range that is
 * inside the range (or nearest the middle when no setting is inside). Fails with
 * NB_PRESETS_ERROR_OUT_OF_RANGE, saying why, when the range is not within the pen's. */
gboolean nb_preset_pen_depth (const NbPreset *preset, double pen_min_mm, double pen_max_mm,
                              double pen_step_mm, double *depth_mm,
                              GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
