/* test-live-verdict.c: the Live page's verdict (nb-live-verdict.h) on the shipped presets. */
#include "nb-live-verdict.h"

#include <math.h>

static GPtrArray *
load_shipped (void)
{
  g_autoptr (GError) error = NULL;
  g_assert_nonnull (g_getenv ("NB_PROFILES_PATH"));
  GPtrArray *presets = nb_presets_load (NULL, &error);
  g_assert_no_error (error);
  return presets;
}

static void
test_issue_example (void)
{
  /* Issue 12: 0.295 mm against the 0.25 mm target of the eyes, thin skin, showed nothing. It is
   * +0.045 mm, inside ±0.15 mm. */
  g_autoptr (GPtrArray) presets = load_shipped ();
  const NbPreset *eyes = nb_presets_find (presets, "eyes", NB_SKIN_THIN);
  g_assert_nonnull (eyes);
  NbLiveTarget t;
  nb_live_target_for_preset (&t, eyes, 0.25, 100);
  g_assert_cmpfloat_with_epsilon (t.tolerance_mm, 0.15, 1e-12);
  g_assert_cmpfloat_with_epsilon (t.band_lo_mm, 0.10, 1e-12);
  g_assert_cmpfloat_with_epsilon (t.band_hi_mm, 0.40, 1e-12);
  g_assert_cmpfloat_with_epsilon (t.rate_tolerance_hz, 5.0, 1e-12); /* 5 % of 100 Hz */

  NbLiveVerdict v;
  nb_live_verdict_init (&v);
  nb_live_verdict_set_target (&v, &t);
  NbLiveJudgement j = nb_live_verdict_judge_depth (&v, 0.295);
  g_assert_cmpint (j.verdict, ==, NB_LIVE_CHECK_IN);
  g_assert_cmpfloat_with_epsilon (j.deviation, 0.045, 1e-12);
  g_autofree char *text = nb_live_judgement_dup_depth_text (&j);
  g_assert_cmpstr (text, ==, "In tolerance: +0.045 mm");

  /* 0.445 mm is 0.195 mm too deep: out by 0.045 mm beyond the limit. */
  j = nb_live_verdict_judge_depth (&v, 0.445);
  g_assert_cmpint (j.verdict, ==, NB_LIVE_CHECK_HIGH);
  g_autofree char *deep = nb_live_judgement_dup_depth_text (&j);
  g_assert_cmpstr (deep, ==, "Too deep: +0.195 mm");
  j = nb_live_verdict_judge_depth (&v, 0.08);
  g_assert_cmpint (j.verdict, ==, NB_LIVE_CHECK_LOW);
  g_autofree char *shallow = nb_live_judgement_dup_depth_text (&j);
  g_assert_cmpstr (shallow, ==, "Too shallow: -0.170 mm");
  /* At the limit, to the µm: in. */
  g_assert_cmpint (nb_live_verdict_judge_depth (&v, 0.4).verdict, ==, NB_LIVE_CHECK_IN);
  g_assert_cmpint (nb_live_verdict_judge_depth (&v, 0.4011).verdict, ==, NB_LIVE_CHECK_HIGH);
  g_assert_cmpint (nb_live_verdict_judge_depth (&v, NAN).verdict, ==, NB_LIVE_CHECK_NONE);

  /* The rate: 100 Hz ± 5 Hz. */
  j = nb_live_verdict_judge_rate (&v, 103.2);
  g_assert_cmpint (j.verdict, ==, NB_LIVE_CHECK_IN);
  g_assert_cmpfloat_with_epsilon (j.deviation, 3.2, 1e-9);
  g_assert_cmpint (nb_live_verdict_judge_rate (&v, 105.2).verdict, ==, NB_LIVE_CHECK_HIGH);
  g_assert_cmpint (nb_live_verdict_judge_rate (&v, 94.9).verdict, ==, NB_LIVE_CHECK_LOW);
}

static void
test_share (void)
{
  g_autoptr (GPtrArray) presets = load_shipped ();
  NbLiveTarget t;
  nb_live_target_for_preset (&t, nb_presets_find (presets, "nose", NB_SKIN_THIN), 0.25, 120);
  NbLiveVerdict v;
  nb_live_verdict_init (&v);
  /* Without a target nothing is judged or counted. */
  g_assert_cmpint (nb_live_verdict_add_stroke (&v, 0.25), ==, NB_LIVE_CHECK_NONE);
  g_assert_true (isnan (nb_live_verdict_share (&v)));
  nb_live_verdict_set_target (&v, &t);

  /* 412 strokes: 358 in 0.10–0.40 mm, 30 deeper, 24 shallower: 86.9 %. */
  for (guint i = 0; i < 412; i++)
    {
      double d = i < 358 ? 0.10 + 0.30 * i / 357.0 : (i < 388 ? 0.41 + i * 1e-4 : 0.05);
      NbLiveCheck want
          = i < 358 ? NB_LIVE_CHECK_IN : (i < 388 ? NB_LIVE_CHECK_HIGH : NB_LIVE_CHECK_LOW);
      g_assert_cmpint (nb_live_verdict_add_stroke (&v, d), ==, want);
    }
  g_assert_cmpuint (v.strokes, ==, 412);
  g_assert_cmpuint (v.in_band, ==, 358);
  g_assert_cmpuint (v.too_deep, ==, 30);
  g_assert_cmpuint (v.too_shallow, ==, 24);
  g_assert_cmpfloat_with_epsilon (nb_live_verdict_share (&v), 358.0 / 412.0, 1e-12);
  /* The newest 100: strokes 312–411, of which 312–357 (46) in the band. */
  guint n = 0;
  g_assert_cmpfloat_with_epsilon (nb_live_verdict_recent_share (&v, &n), 0.46, 1e-12);
  g_assert_cmpuint (n, ==, 100);

  /* A new target starts afresh. */
  nb_live_target_custom (&t, 1.0, 0.15);
  nb_live_verdict_set_target (&v, &t);
  g_assert_cmpuint (v.strokes, ==, 0);
  g_assert_true (isnan (nb_live_verdict_recent_share (&v, &n)));
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpint (nb_live_verdict_add_stroke (&v, 1.1), ==, NB_LIVE_CHECK_IN);
  g_assert_cmpint (nb_live_verdict_add_stroke (&v, 1.16), ==, NB_LIVE_CHECK_HIGH);
  g_assert_cmpfloat_with_epsilon (nb_live_verdict_share (&v), 0.5, 1e-12);
  /* A custom target has no rate tolerance: the rate is not judged. */
  g_assert_cmpint (nb_live_verdict_judge_rate (&v, 140).verdict, ==, NB_LIVE_CHECK_NONE);
}

static void
test_range_preset (void)
{
  /* A range: the band is the shallowest target − tolerance to the deepest + tolerance; the mean
   * is judged against the pen's setting ± tolerance. */
  g_autoptr (GPtrArray) presets = load_shipped ();
  const NbPreset *cheek = nb_presets_find (presets, "cheek-chin", NB_SKIN_THIN);
  NbLiveTarget t;
  nb_live_target_for_preset (&t, cheek, 0.75, 100);
  g_assert_cmpfloat_with_epsilon (t.band_lo_mm, 0.35, 1e-12);
  g_assert_cmpfloat_with_epsilon (t.band_hi_mm, 1.15, 1e-12);
  NbLiveVerdict v;
  nb_live_verdict_init (&v);
  nb_live_verdict_set_target (&v, &t);
  g_assert_cmpint (nb_live_verdict_add_stroke (&v, 0.55), ==, NB_LIVE_CHECK_IN);
  NbLiveJudgement j = nb_live_verdict_judge_depth (&v, 0.55);
  g_assert_cmpint (j.verdict, ==, NB_LIVE_CHECK_LOW);
  g_autofree char *text = nb_live_judgement_dup_depth_text (&j);
  g_assert_cmpstr (text, ==, "Too shallow: -0.200 mm");
  g_assert_cmpstr (nb_live_check_css_class (j.verdict), ==, "verdict-low");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/live-verdict/issue-example", test_issue_example);
  g_test_add_func ("/live-verdict/share", test_share);
  g_test_add_func ("/live-verdict/range-preset", test_range_preset);
  return g_test_run ();
}
