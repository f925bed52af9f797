/* test-calmath-stats.c: per-point statistics (depth and rate) and Cpk, against values that
 * follow by hand from the definitions (domain.md: s = sqrt (Σ (x − mean)² / (n − 1)),
 * u = s / √n; Cpk = min (USL − mean, mean − LSL) / 3s). */
#include <math.h>
#include <string.h>

#include "nb-calibration-error.h"
#include "nb-cpk.h"
#include "nb-point-stats.h"

static void
test_depth_point (void)
{
  /* 0.48, 0.50, 0.52, 0.50 mm at target 0.50: mean 0.50, Σd² = 0.0008, s² = 0.0008/3,
   * u = s/2, ν = 3. */
  const double x[] = { 0.48, 0.50, 0.52, 0.50 };
  NbPointStats st;
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_point_stats_compute (x, 4, 0.5, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (st.n, ==, 4);
  g_assert_cmpfloat_with_epsilon (st.mean, 0.50, 1e-15);
  g_assert_cmpfloat_with_epsilon (st.sd, sqrt (0.0008 / 3.0), 1e-15);
  g_assert_cmpfloat_with_epsilon (st.u_a, sqrt (0.0008 / 3.0) / 2.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (st.error, 0.0, 1e-15);
  g_assert_cmpfloat (st.nu_a, ==, 3.0);
  g_assert_true (isnan (st.error_pct));

  const double deep[] = { 1.10, 1.14, 1.12 };
  g_assert_true (nb_point_stats_compute (deep, 3, 1.0, &st, &error));
  g_assert_cmpfloat_with_epsilon (st.error, 0.12, 1e-14);
  g_assert_cmpfloat_with_epsilon (st.sd, 0.02, 1e-14);
}

static void
test_large_offset (void)
{
  /* 1e9 + {4, 7, 13, 16}: mean 1e9 + 10, deviations ±6, ±3, s² = 90 / 3 = 30 exactly. The
   * one-pass Σx² − (Σx)²/n formula returns garbage here (it subtracts two numbers near 4e18). */
  const double x[] = { 1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16 };
  NbPointStats st;
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_point_stats_compute (x, 4, 1e9, &st, &error));
  g_assert_cmpfloat (st.mean, ==, 1e9 + 10);
  g_assert_cmpfloat_with_epsilon (st.sd, sqrt (30.0), 1e-12);
  g_assert_cmpfloat_with_epsilon (st.error, 10.0, 1e-12);
}

static void
test_rate_point (void)
{
  /* 118, 120, 122 Hz at 120 Hz: mean 120, s = 2, error 0 %; 121, 123, 125 at 120: error 3 Hz =
   * 2.5 %, u = 2/√3 Hz = 100·(2/√3)/120 %. */
  const double hz[] = { 121.0, 123.0, 125.0 };
  NbPointStats st;
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_point_stats_compute_rate (hz, 3, 120.0, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (st.mean, 123.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (st.sd, 2.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (st.error, 3.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (st.error_pct, 2.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (st.u_a_pct, 100.0 * (2.0 / sqrt (3.0)) / 120.0, 1e-12);

  g_assert_false (nb_point_stats_compute_rate (hz, 3, 0.0, &st, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID);
}

static void
test_invalid (void)
{
  const double one[] = { 0.5 };
  const double bad[] = { 0.5, NAN, 0.5 };
  NbPointStats st;
  g_autoptr (GError) error = NULL;
  g_assert_false (nb_point_stats_compute (one, 1, 0.5, &st, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_TOO_FEW);
  g_clear_error (&error);
  g_assert_false (nb_point_stats_compute (bad, 3, 0.5, &st, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "reading 2"));
  g_clear_error (&error);
  g_assert_false (nb_point_stats_compute (one, 1, INFINITY, &st, &error));
  g_assert_nonnull (error);
}

/* 25 strokes: 12 at 0.9 mm, 12 at 1.1 mm, 1 at 1.0 mm → mean 1.0 mm, Σd² = 24 · 0.01 = 0.24,
 * s² = 0.24 / 24 = 0.01, s = 0.1 mm. */
static void
fill_25 (double *x)
{
  for (guint i = 0; i < 12; i++)
    {
      x[2 * i] = 0.9;
      x[2 * i + 1] = 1.1;
    }
  x[24] = 1.0;
}

static void
test_cpk (void)
{
  double x[25];
  fill_25 (x);
  NbPointStats st;
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_point_stats_compute (x, 25, 1.0, &st, &error));
  g_assert_cmpfloat_with_epsilon (st.sd, 0.1, 1e-14);

  double cpk = 0;
  /* Limits 0.85 … 1.45: distances 0.15 (lower) and 0.45; Cpk = 0.15 / 0.3 = 0.5. */
  g_assert_true (nb_cpk (st.n, st.mean, st.sd, 0.85, 1.45, &cpk, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (cpk, 0.5, 1e-12);
  /* Centred ±0.6 mm: Cpk = Cp = 0.6 / 0.3 = 2. */
  g_assert_true (nb_cpk (st.n, st.mean, st.sd, 0.4, 1.6, &cpk, &error));
  g_assert_cmpfloat_with_epsilon (cpk, 2.0, 1e-12);
  /* Mean outside the limits: negative, (0.95 − 1.0) / 0.3. */
  g_assert_true (nb_cpk (st.n, st.mean, st.sd, 0.5, 0.95, &cpk, &error));
  g_assert_cmpfloat_with_epsilon (cpk, -0.05 / 0.3, 1e-12);
  /* One-sided: only an upper limit. */
  g_assert_true (nb_cpk (st.n, st.mean, st.sd, -INFINITY, 1.3, &cpk, &error));
  g_assert_cmpfloat_with_epsilon (cpk, 1.0, 1e-12);

  /* 24 strokes are too few; no scatter has no finite index. */
  g_assert_false (nb_cpk (24, 1.0, 0.1, 0.85, 1.45, &cpk, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_TOO_FEW);
  g_clear_error (&error);
  g_assert_false (nb_cpk (25, 1.0, 0.0, 0.85, 1.45, &cpk, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_DEGENERATE);
  g_clear_error (&error);
  g_assert_false (nb_cpk (25, 1.0, 0.1, 1.45, 0.85, &cpk, &error));
  g_assert_error (error, NB_CALIBRATION_ERROR, NB_CALIBRATION_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/calmath/stats/depth-point", test_depth_point);
  g_test_add_func ("/calmath/stats/large-offset", test_large_offset);
  g_test_add_func ("/calmath/stats/rate-point", test_rate_point);
  g_test_add_func ("/calmath/stats/invalid", test_invalid);
  g_test_add_func ("/calmath/stats/cpk", test_cpk);
  return g_test_run ();
}
