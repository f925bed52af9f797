/* nb-presets.h: the treatment presets of the Live page, derived from the treatment profiles
 * (nb-profile.h, data/profiles/): one table for both. A preset is a treatment area and skin
 * thickness, its target depths, the tolerance band drawn around them and the pen setting that
 * serves it. Headless, so that it is tested without a display. */
#pragma once

#include <glib.h>

#include "nb-profile.h"

G_BEGIN_DECLS

#define NB_PRESETS_ERROR (nb_presets_error_quark ())

typedef enum
{
  NB_PRESETS_ERROR_OUT_OF_RANGE, /* the preset's targets are not within the pen's range */
} NbPresetsError;

GQuark nb_presets_error_quark (void);

typedef struct
{
  char *profile_id; /* "cheek-chin-thick" */
  gint64 profile_version;
  char *area_id; /* "cheek-chin" */
  char *area;    /* "Cheek, chin" */
  NbSkin skin;
  double min_mm;             /* the profile's shallowest target */
  double max_mm;             /* its deepest target */
  double tolerance_mm;       /* ± of a target: the tightest of the profile's points */
  double rate_tolerance_pct; /* ± of the rate, % of the setting */
  /* Where a stroke may land: within the tolerance of one of the targets, so from the shallowest
   * target − tolerance to the deepest + tolerance, never below 0 mm. A single target is target ±
   * its tolerance (a zero-width band would mark every stroke out of tolerance); a range keeps its
   * tolerance at both ends (a pen set at the end of the range is not out of band for its
   * scatter). */
  double band_lo_mm;
  double band_hi_mm;
} NbPreset;

void nb_preset_free (NbPreset *preset);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbPreset, nb_preset_free)

/* nb_preset_dup_label: (transfer full) "Cheek, chin, thick skin (1.00–2.00 mm)", or for a single
 * target "Nose, thin skin (0.25 ± 0.15 mm)". */
char *nb_preset_dup_label (const NbPreset *preset);

/* nb_presets_from_profiles: (transfer full) (element-type NbPreset) a preset for each treatment
 * profile (one with an area) of @profiles, in their order (nb_profiles_load_all's). */
GPtrArray *nb_presets_from_profiles (GPtrArray *profiles);

/* nb_presets_load: (transfer full) (element-type NbPreset) the presets of the profiles in @dirs
 * (NULL: nb_profiles_search_path ()). Fails as nb_profiles_load_all does. */
GPtrArray *nb_presets_load (const char *const *dirs, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_presets_dup_areas: (transfer full) the treatment area ids of @presets, each once, in the
 * presets' order (domain.md's). The area control of the Live page lists these. */
GStrv nb_presets_dup_areas (GPtrArray *presets);

/* nb_presets_for_area: (transfer container) (element-type NbPreset) the presets of @area_id, thin
 * skin before thick (one preset of skin "any" for an area that does not depend on it). The skin
 * control of the Live page lists these. Empty for an unknown area. */
GPtrArray *nb_presets_for_area (GPtrArray *presets, const char *area_id);

/* nb_presets_find: the preset of @area_id and @skin, or NULL. nb_presets_find_profile: the preset
 * made from profile @profile_id, or NULL. */
const NbPreset *nb_presets_find (GPtrArray *presets, const char *area_id, NbSkin skin);
const NbPreset *nb_presets_find_profile (GPtrArray *presets, const char *profile_id);

/* nb_preset_dup_targets_label: (transfer full) "1.00–2.00 mm" or "0.25 ± 0.15 mm". */
char *nb_preset_dup_targets_label (const NbPreset *preset);

/* nb_preset_pen_depth: the pen setting for @preset on a pen that takes depths from @pen_min_mm to
 * @pen_max_mm in @pen_step_mm steps: the setting nearest the middle of the preset's targets that
 * is within them (or nearest the middle when no setting is). Fails with
 * NB_PRESETS_ERROR_OUT_OF_RANGE, saying why, when the targets are not within the pen's range. */
gboolean nb_preset_pen_depth (const NbPreset *preset, double pen_min_mm, double pen_max_mm,
                              double pen_step_mm, double *depth_mm,
                              GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
