/* test-presets.c: the treatment presets table loads, and presets map onto pen settings. */
#include "nb-presets.h"

static GPtrArray *
load_shipped (void)
{
  g_autoptr (GError) error = NULL;
  const char *path = g_getenv ("NB_PRESETS_FILE");
  g_assert_nonnull (path);
  GPtrArray *presets = nb_presets_load_file (path, &error);
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
  /* domain.md: seven areas from the guide plus the scalp from the studies, thin and thick each. */
  g_assert_cmpuint (presets->len, ==, 16);
  const NbPreset *cheek = find (presets, "cheek-chin", NB_SKIN_THICK);
  g_assert_cmpfloat_with_epsilon (cheek->min_mm, 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (cheek->max_mm, 2.0, 1e-9);
  const NbPreset *eyes = find (presets, "eyes", NB_SKIN_THIN);
  g_assert_cmpfloat_with_epsilon (eyes->max_mm, 0.25, 1e-9);
  g_autofree char *label = nb_preset_dup_label (cheek);
  g_assert_cmpstr (label, ==, "Cheek, chin, thick skin (1.00–2.00 mm)");
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

static void
test_invalid (void)
{
  static const char *bad[] = {
    "not json",
    "{}",
    "{\"areas\": [1]}",
    "{\"areas\": [{\"id\": \"x\", \"name\": \"X\"}]}",
    "{\"areas\": [{\"id\": \"x\", \"name\": \"X\", \"thin\": {\"min_mm\": 1, \"max_mm\": 0.5},"
    " \"thick\": {\"min_mm\": 1, \"max_mm\": 2}}]}",
    "{\"areas\": [{\"id\": \"x\", \"name\": \"X\", \"thin\": {\"min_mm\": \"1\", \"max_mm\": 2},"
    " \"thick\": {\"min_mm\": 1, \"max_mm\": 2}}]}",
    "{\"areas\": [{\"id\": \"x\", \"name\": \"X\", \"thin\": {\"min_mm\": 1, \"max_mm\": 2000},"
    " \"thick\": {\"min_mm\": 1, \"max_mm\": 2}}]}",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) presets = nb_presets_load_data (bad[i], -1, &error);
      g_assert_null (presets);
      g_assert_nonnull (error);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/presets/shipped-table", test_shipped_table);
  g_test_add_func ("/presets/pen-depth", test_pen_depth);
  g_test_add_func ("/presets/out-of-range", test_out_of_range);
  g_test_add_func ("/presets/invalid", test_invalid);
  return g_test_run ();
}
