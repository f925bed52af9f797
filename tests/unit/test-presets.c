/* test-presets.c: the treatment presets come from the shipped profiles, and map onto pen settings.
 */
#include "nb-presets.h"

#include <string.h>

static GPtrArray *
load_shipped (void)
{
  g_autoptr (GError) error = NULL;
  g_assert_nonnull (g_getenv ("NB_PROFILES_PATH"));
  GPtrArray *presets = nb_presets_load (NULL, &error);
  g_assert_no_error (error);
  return presets;
}

static const NbPreset *
find (GPtrArray *presets, const char *area_id, NbSkin skin)
{
  for (guint i = 0; i < presets->len; i++)
    {
      const NbPreset *p = presets->pdata[i];
      if (g_str_equal (p->area_id, area_id) && p->skin == skin)
        return p;
    }
  g_assert_not_reached ();
}

static void
test_shipped_table (void)
{
  g_autoptr (GPtrArray) presets = load_shipped ();
  /* domain.md: seven areas from the guide, thin and thick each, plus the scalp from the studies,
   * which do not separate skin thickness (one profile, skin "any"). The bench profiles
   * (factory-full, service-quick) are no treatment: no preset. */
  g_assert_cmpuint (presets->len, ==, 15);
  const NbPreset *cheek = find (presets, "cheek-chin", NB_SKIN_THICK);
  g_assert_cmpstr (cheek->profile_id, ==, "cheek-chin-thick");
  g_assert_cmpfloat_with_epsilon (cheek->min_mm, 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (cheek->max_mm, 2.0, 1e-9);
  /* A range keeps its tolerance at both ends: a pen set at 2.00 mm scatters both sides of it. */
  g_assert_cmpfloat_with_epsilon (cheek->band_lo_mm, 0.85, 1e-9);
  g_assert_cmpfloat_with_epsilon (cheek->band_hi_mm, 2.15, 1e-9);
  g_assert_cmpfloat_with_epsilon (cheek->tolerance_mm, 0.15, 1e-9);
  g_assert_cmpfloat_with_epsilon (cheek->rate_tolerance_pct, 5, 1e-9);
  g_assert_cmpint (cheek->profile_version, ==, 1);
  g_autofree char *label = nb_preset_dup_label (cheek);
  g_assert_cmpstr (label, ==, "Cheek, chin, thick skin (1.00–2.00 mm)");

  /* A single depth is target ± its tolerance, not a zero-width band. */
  const NbPreset *eyes = find (presets, "eyes", NB_SKIN_THIN);
  g_assert_cmpfloat_with_epsilon (eyes->min_mm, 0.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (eyes->max_mm, 0.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (eyes->band_lo_mm, 0.10, 1e-9);
  g_assert_cmpfloat_with_epsilon (eyes->band_hi_mm, 0.40, 1e-9);
  g_autofree char *eyes_label = nb_preset_dup_label (eyes);
  g_assert_cmpstr (eyes_label, ==, "Around the eyes, thin skin (0.25 ± 0.15 mm)");

  const NbPreset *scalp = find (presets, "scalp", NB_SKIN_ANY);
  g_assert_cmpfloat_with_epsilon (scalp->min_mm, 0.6, 1e-9);
  g_assert_cmpfloat_with_epsilon (scalp->max_mm, 1.5, 1e-9);

  /* domain.md's order, thin before thick: the Live page's list (its test picks entry 9, "Cheek,
   * chin, thin skin", after "No treatment preset"). */
  static const char *const order[]
      = { "eyes-thin",          "eyes-thick",           "nose-thin",
          "nose-thick",         "upper-lip-thin",       "upper-lip-thick",
          "forehead-thin",      "forehead-thick",       "cheek-chin-thin",
          "cheek-chin-thick",   "facial-scarring-thin", "facial-scarring-thick",
          "stretch-marks-thin", "stretch-marks-thick",  "scalp" };
  for (guint i = 0; i < presets->len; i++)
    g_assert_cmpstr (((NbPreset *) presets->pdata[i])->profile_id, ==, order[i]);
}

static void
test_areas (void)
{
  /* The Live page's two controls: the areas in domain.md's order, then the skins of one area. */
  g_autoptr (GPtrArray) presets = load_shipped ();
  g_auto (GStrv) areas = nb_presets_dup_areas (presets);
  static const char *const want[]
      = { "eyes",          "nose",  "upper-lip", "forehead", "cheek-chin", "facial-scarring",
          "stretch-marks", "scalp", NULL };
  g_assert_cmpstrv (areas, want);

  g_autoptr (GPtrArray) nose = nb_presets_for_area (presets, "nose");
  g_assert_cmpuint (nose->len, ==, 2);
  g_assert_cmpint (((NbPreset *) nose->pdata[0])->skin, ==, NB_SKIN_THIN);
  g_assert_cmpint (((NbPreset *) nose->pdata[1])->skin, ==, NB_SKIN_THICK);
  g_autoptr (GPtrArray) scalp = nb_presets_for_area (presets, "scalp");
  g_assert_cmpuint (scalp->len, ==, 1);
  g_assert_cmpint (((NbPreset *) scalp->pdata[0])->skin, ==, NB_SKIN_ANY);
  g_autoptr (GPtrArray) none = nb_presets_for_area (presets, "elbow");
  g_assert_cmpuint (none->len, ==, 0);

  const NbPreset *p = nb_presets_find (presets, "upper-lip", NB_SKIN_THICK);
  g_assert_cmpstr (p->profile_id, ==, "upper-lip-thick");
  g_assert_true (nb_presets_find_profile (presets, "upper-lip-thick") == p);
  g_assert_null (nb_presets_find (presets, "scalp", NB_SKIN_THIN));
  g_assert_null (nb_presets_find_profile (presets, "factory-full"));
  g_autofree char *targets = nb_preset_dup_targets_label (p);
  g_assert_cmpstr (targets, ==, "0.25–0.75 mm");
}

static void
test_pen_depth (void)
{
  g_autoptr (GPtrArray) presets = load_shipped ();
  g_autoptr (GError) error = NULL;
  double depth = -1;

  /* Midpoint 1.5 on a 0.1 mm pen. */
  g_assert_true (
      nb_preset_pen_depth (find (presets, "cheek-chin", NB_SKIN_THICK), 0, 3, 0.1, &depth, &error));
  g_assert_cmpfloat_with_epsilon (depth, 1.5, 1e-9);
  /* Midpoint 0.375 on a 0.25 mm pen is half-way: rounding half away from zero gives 0.5, which is
   * inside 0.25..0.5. */
  g_assert_true (
      nb_preset_pen_depth (find (presets, "eyes", NB_SKIN_THICK), 0, 2.5, 0.25, &depth, &error));
  g_assert_cmpfloat_with_epsilon (depth, 0.5, 1e-9);
  /* 0.25 exactly on a 0.1 mm pen has no setting inside: nearest the middle (0.3 by rounding). */
  g_assert_true (
      nb_preset_pen_depth (find (presets, "nose", NB_SKIN_THIN), 0, 3, 0.1, &depth, &error));
  g_assert_cmpfloat_with_epsilon (depth, 0.3, 1e-9);
  /* Forehead, thick skin: midpoint 0.625 on a 0.25 mm pen, half-way again: 0.75. */
  g_assert_true (nb_preset_pen_depth (find (presets, "forehead", NB_SKIN_THICK), 0, 2.5, 0.25,
                                      &depth, &error));
  g_assert_cmpfloat_with_epsilon (depth, 0.75, 1e-9);
  g_assert_no_error (error);
}

static void
test_out_of_range (void)
{
  g_autoptr (GPtrArray) presets = load_shipped ();
  g_autoptr (GError) error = NULL;
  double depth = -1;
  /* An Exceed-like pen (0 to 1.9 mm) cannot do 1.5–2.0 mm. */
  g_assert_false (nb_preset_pen_depth (find (presets, "stretch-marks", NB_SKIN_THIN), 0, 1.9, 0.1,
                                       &depth, &error));
  g_assert_error (error, NB_PRESETS_ERROR, NB_PRESETS_ERROR_OUT_OF_RANGE);
  g_assert_nonnull (g_strstr_len (error->message, -1, "outside this pen's range of 0.00–1.90 mm"));
  g_assert_cmpfloat (depth, ==, -1);
}

static NbProfile *
profile_from (const char *points)
{
  g_autofree char *json = g_strdup_printf (
      "{\"format\": 1, \"id\": \"t\", \"title\": \"T\", \"version\": 1, \"area\": \"nose\","
      " \"skin\": \"thin\", \"fitzpatrick\": {\"indicated\": [\"I\"]}, \"points\": %s,"
      " \"rates_hz\": [100], \"rate_tolerance_pct\": 5, \"strokes_per_point\": 10,"
      " \"settle_s\": 1, \"rule\": \"simple\", \"interval_days\": 365, \"environment\":"
      " {\"temperature_c\": {\"min\": 18, \"max\": 28}, \"humidity_pct\": {\"min\": 20,"
      " \"max\": 80}}, \"rationale\": \"test\"}",
      points);
  g_autoptr (GError) error = NULL;
  NbProfile *p = nb_profile_load_data (json, -1, "t.json", &error);
  g_assert_no_error (error);
  return p;
}

static void
test_band_from_tolerance (void)
{
  /* A profile's own tolerance for its single point sets the band; a bench profile (no area) gives
   * no preset; a band never goes below 0 mm. */
  g_autoptr (GPtrArray) profiles
      = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_profile_free);
  g_ptr_array_add (profiles, profile_from ("[{\"depth_mm\": 0.25, \"tolerance_mm\": 0.1}]"));
  g_ptr_array_add (profiles, profile_from ("[{\"depth_mm\": 0.1, \"tolerance_mm\": 0.2}]"));
  NbProfile *bench = profile_from ("[{\"depth_mm\": 1}]");
  g_clear_pointer (&bench->area, g_free);
  g_ptr_array_add (profiles, bench);
  g_autoptr (GPtrArray) presets = nb_presets_from_profiles (profiles);
  g_assert_cmpuint (presets->len, ==, 2);
  const NbPreset *p = presets->pdata[0];
  g_assert_cmpfloat_with_epsilon (p->band_lo_mm, 0.15, 1e-9);
  g_assert_cmpfloat_with_epsilon (p->band_hi_mm, 0.35, 1e-9);
  g_autofree char *label = nb_preset_dup_label (p);
  g_assert_cmpstr (label, ==, "Nose, thin skin (0.25 ± 0.10 mm)");
  p = presets->pdata[1];
  g_assert_cmpfloat (p->band_lo_mm, ==, 0);
  g_assert_cmpfloat_with_epsilon (p->band_hi_mm, 0.3, 1e-9);
}

static void
test_load_error (void)
{
  /* No profiles, no presets: the error says where it looked. */
  const char *const dirs[] = { "/nonexistent/needlebench-profiles", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) presets = nb_presets_load (dirs, &error);
  g_assert_null (presets);
  g_assert_error (error, NB_PROFILE_ERROR, NB_PROFILE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/needlebench-profiles"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/presets/shipped-table", test_shipped_table);
  g_test_add_func ("/presets/areas", test_areas);
  g_test_add_func ("/presets/pen-depth", test_pen_depth);
  g_test_add_func ("/presets/out-of-range", test_out_of_range);
  g_test_add_func ("/presets/band-from-tolerance", test_band_from_tolerance);
  g_test_add_func ("/presets/load-error", test_load_error);
  return g_test_run ();
}
