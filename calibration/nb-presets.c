/* nb-presets.c: the treatment presets derived from the profiles, and a preset mapped onto a pen's
 * settings. */
#include "nb-presets.h"

#include <math.h>

G_DEFINE_QUARK (nb - presets - error - quark, nb_presets_error)

/* Depths are compared in µm so that 0.1 + 0.2 and 0.3 are the same setting. */
#define EPS_MM 1e-6

void
nb_preset_free (NbPreset *preset)
{
  if (preset == NULL)
    return;
  g_free (preset->profile_id);
  g_free (preset->area_id);
  g_free (preset->area);
  g_free (preset);
}

char *
nb_preset_dup_label (const NbPreset *preset)
{
  if (preset->max_mm - preset->min_mm < EPS_MM)
    return g_strdup_printf ("%s, %s skin (%.2f ± %.2f mm)", preset->area,
                            nb_skin_to_string (preset->skin), preset->min_mm,
                            preset->band_hi_mm - preset->min_mm);
  return g_strdup_printf ("%s, %s skin (%.2f–%.2f mm)", preset->area,
                          nb_skin_to_string (preset->skin), preset->min_mm, preset->max_mm);
}

GPtrArray *
nb_presets_from_profiles (GPtrArray *profiles)
{
  GPtrArray *presets = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_preset_free);
  for (guint i = 0; i < profiles->len; i++)
    {
      const NbProfile *profile = profiles->pdata[i];
      if (profile->area == NULL) /* a bench profile: no treatment */
        continue;
      const NbProfilePoint *first = &profile->points[0];
      const NbProfilePoint *last = &profile->points[profile->n_points - 1];
      NbPreset *p = g_new0 (NbPreset, 1);
      p->profile_id = g_strdup (profile->id);
      p->area_id = g_strdup (profile->area);
      p->area = g_strdup (nb_profile_area_name (profile->area));
      p->skin = profile->skin;
      p->min_mm = first->depth_mm;
      p->max_mm = last->depth_mm;
      gboolean single = profile->n_points == 1;
      p->band_lo_mm = single ? first->depth_mm - first->tolerance_mm : p->min_mm;
      p->band_hi_mm = single ? first->depth_mm + first->tolerance_mm : p->max_mm;
      p->band_lo_mm = MAX (p->band_lo_mm, 0);
      g_ptr_array_add (presets, p);
    }
  return presets;
}

GPtrArray *
nb_presets_load (const char *const *dirs, GError **error)
{
  g_autoptr (GPtrArray) profiles = nb_profiles_load_all (dirs, error);
  return profiles ? nb_presets_from_profiles (profiles) : NULL;
}

gboolean
nb_preset_pen_depth (const NbPreset *preset, double pen_min_mm, double pen_max_mm,
                     double pen_step_mm, double *depth_mm, GError **error)
{
  g_return_val_if_fail (preset != NULL && depth_mm != NULL, FALSE);

  if (preset->min_mm < pen_min_mm - EPS_MM || preset->max_mm > pen_max_mm + EPS_MM)
    {
      g_autofree char *label = nb_preset_dup_label (preset);
      g_set_error (error, NB_PRESETS_ERROR, NB_PRESETS_ERROR_OUT_OF_RANGE,
                   "%s is outside this pen's range of %.2f–%.2f mm", label, pen_min_mm, pen_max_mm);
      return FALSE;
    }
  double mid = (preset->min_mm + preset->max_mm) / 2;
  if (!(pen_step_mm > 0))
    {
      *depth_mm = mid;
      return TRUE;
    }
  /* Pen settings are pen_min + k·step. Prefer one inside the preset's range, nearest its middle. */
  double k = round ((mid - pen_min_mm) / pen_step_mm);
  double k_lo = ceil ((preset->min_mm - pen_min_mm) / pen_step_mm - EPS_MM);
  double k_hi = floor ((preset->max_mm - pen_min_mm) / pen_step_mm + EPS_MM);
  if (k_lo <= k_hi)
    k = CLAMP (k, k_lo, k_hi);
  double depth = pen_min_mm + k * pen_step_mm;
  *depth_mm = CLAMP (depth, pen_min_mm, pen_max_mm);
  return TRUE;
}
