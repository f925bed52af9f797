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
nb_preset_dup_targets_label (const NbPreset *preset)
{
  if (preset->max_mm - preset->min_mm < EPS_MM)
    return g_strdup_printf ("%.2f ± %.2f mm", preset->min_mm, preset->tolerance_mm);
  return g_strdup_printf ("%.2f–%.2f mm", preset->min_mm, preset->max_mm);
}

char *
nb_preset_dup_label (const NbPreset *preset)
{
  g_autofree char *targets = nb_preset_dup_targets_label (preset);
  return g_strdup_printf ("%s, %s skin (%s)", preset->area, nb_skin_to_string (preset->skin),
                          targets);
}

GStrv
nb_presets_dup_areas (GPtrArray *presets)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  const char *last = NULL;
  for (guint i = 0; i < presets->len; i++)
    {
      const NbPreset *p = presets->pdata[i];
      /* the presets come ordered by area: one area's presets are adjacent */
      if (last == NULL || !g_str_equal (last, p->area_id))
        g_strv_builder_add (b, p->area_id);
      last = p->area_id;
    }
  return g_strv_builder_end (b);
}

GPtrArray *
nb_presets_for_area (GPtrArray *presets, const char *area_id)
{
  GPtrArray *out = g_ptr_array_new ();
  for (guint i = 0; i < presets->len; i++)
    if (g_strcmp0 (((NbPreset *) presets->pdata[i])->area_id, area_id) == 0)
      g_ptr_array_add (out, presets->pdata[i]);
  return out;
}

const NbPreset *
nb_presets_find (GPtrArray *presets, const char *area_id, NbSkin skin)
{
  for (guint i = 0; i < presets->len; i++)
    {
      const NbPreset *p = presets->pdata[i];
      if (g_strcmp0 (p->area_id, area_id) == 0 && p->skin == skin)
        return p;
    }
  return NULL;
}

const NbPreset *
nb_presets_find_profile (GPtrArray *presets, const char *profile_id)
{
  for (guint i = 0; i < presets->len; i++)
    {
      const NbPreset *p = presets->pdata[i];
      if (g_strcmp0 (p->profile_id, profile_id) == 0)
        return p;
    }
  return NULL;
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
      p->profile_version = profile->version;
      p->area_id = g_strdup (profile->area);
      p->area = g_strdup (nb_profile_area_name (profile->area));
      p->skin = profile->skin;
      p->min_mm = first->depth_mm;
      p->max_mm = last->depth_mm;
      p->tolerance_mm = first->tolerance_mm;
      for (guint k = 1; k < profile->n_points; k++)
        p->tolerance_mm = MIN (p->tolerance_mm, profile->points[k].tolerance_mm);
      p->rate_tolerance_pct = profile->rate_tolerance_pct;
      p->band_lo_mm = MAX (first->depth_mm - first->tolerance_mm, 0);
      p->band_hi_mm = last->depth_mm + last->tolerance_mm;
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
