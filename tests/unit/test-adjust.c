/* test-adjust.c: the correction fit (calibration/nb-adjust.c) on synthetic pens whose raw
 * response is known exactly: delivered = a + b · commanded, commanded = set + old table's
 * correction (docs/protocol.md §7). The as-found means are what such a pen delivers with its old
 * table; the new table applied must then deliver every depth as set. */
#include <math.h>

#include "nb-adjust.h"
#include "nb-procedure.h"

#define DEPTH_MIN_UM 0
#define DEPTH_MAX_UM 3000
#define STEP_UM 50

typedef struct
{
  double a, b;      /* linear raw response, mm */
  double bow_mm;    /* + bow · 4x(1 − x), x = commanded / 3 mm (the sim's nonlinearity) */
  double rate_gain; /* the motor's rate error: delivered rate = set · (1 + ppm) · gain */
} Pen;

static double
raw (const Pen *pen, double commanded_mm)
{
  double x = commanded_mm / 3.0;
  return pen->a + pen->b * commanded_mm + pen->bow_mm * 4 * x * (1 - x);
}

/* What the pen delivers at @set_mm with a table given as a correction function. */
static double
delivered_table (const Pen *pen, const NbCalTable *t, double set_mm)
{
  return raw (pen, set_mm + nb_cal_table_correction_um (t, set_mm * 1000) / 1000);
}

static double
delivered_exact (const Pen *pen, const NbAdjustment *adj, double set_mm)
{
  return raw (pen, set_mm + nb_adjust_correction_um (adj, set_mm * 1000) / 1000);
}

/* As-found means: the pen with @old in force at @depths (one rate). */
static void
as_found (const Pen *pen, const NbCalTable *old, const double *depths, guint n,
          NbAdjustDepthPoint *out)
{
  for (guint i = 0; i < n; i++)
    out[i] = (NbAdjustDepthPoint){ depths[i], delivered_table (pen, old, depths[i]) };
}

static void
old_table (NbCalTable *t)
{
  /* a previous calibration with a kink in it, and a rate correction */
  nb_cal_table_init_factory (t);
  t->n_points = 3;
  t->points[0] = (NbCalPoint){ 500, 30 };
  t->points[1] = (NbCalPoint){ 1500, -20 };
  t->points[2] = (NbCalPoint){ 2500, 10 };
  t->rate_correction_ppm = 5000;
}

/* Every settable depth is delivered as set: exactly with the unrounded correction, and within
 * half a µm (times the gain) with the table's whole µm. */
static void
check_every_depth (const Pen *pen, const NbAdjustment *adj, const NbCalTable *table)
{
  for (guint um = DEPTH_MIN_UM; um <= DEPTH_MAX_UM; um += STEP_UM)
    {
      double d = um / 1000.0;
      double exact = delivered_exact (pen, adj, d);
      if (fabs (exact - d) > 1e-9)
        g_error ("at %.3f mm the corrected pen delivers %.12f mm", d, exact);
      g_assert_cmpfloat (fabs (delivered_table (pen, table, d) - d), <=, 0.0005 * pen->b + 1e-12);
    }
}

static void
test_linear (gconstpointer data)
{
  gboolean with_old = GPOINTER_TO_INT (data);
  Pen pen = { .a = 0.12, .b = 1.04 };
  NbCalTable old;
  if (with_old)
    old_table (&old);
  else
    nb_cal_table_init_factory (&old);
  /* cheek-chin-thick's depths, and a set straddling the old table's kinks */
  const double depths[] = { 0.25, 1.0, 1.5, 2.0, 2.75 };
  NbAdjustDepthPoint pts[G_N_ELEMENTS (depths)];
  as_found (&pen, &old, depths, G_N_ELEMENTS (depths), pts);

  g_autoptr (GError) error = NULL;
  NbAdjustment adj;
  g_assert_true (nb_adjust_fit (&old, pts, G_N_ELEMENTS (pts), NULL, 0, DEPTH_MIN_UM, DEPTH_MAX_UM,
                                0.0375, &adj, &error));
  g_assert_no_error (error);
  g_assert_cmpint (adj.method, ==, NB_ADJUST_LINEAR);
  g_assert_cmpfloat (fabs (adj.a - 0.12), <, 1e-12);
  g_assert_cmpfloat (fabs (adj.b - 1.04), <, 1e-12);
  g_assert_cmpfloat (adj.max_residual_mm, <, 1e-12);
  g_assert_cmpuint (adj.n_points, ==, 2);
  g_assert_cmpfloat (adj.depth_um[0], ==, DEPTH_MIN_UM);
  g_assert_cmpfloat (adj.depth_um[1], ==, DEPTH_MAX_UM);
  /* no rate point measured: the old rate correction stays */
  g_assert_false (adj.has_rate);

  NbCalTable table;
  g_assert_true (nb_adjust_to_table (&adj, 1700000000, "RUN-7", &table, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (table.certificate, ==, "RUN-7");
  g_assert_cmpuint (table.calibrated_at, ==, 1700000000);
  g_assert_cmpint (table.rate_correction_ppm, ==, old.rate_correction_ppm);
  /* c(0) = −a/b, c(3) = (3 − a)/b − 3 */
  g_assert_cmpint (table.points[0].correction_um, ==, -115);
  g_assert_cmpint (table.points[1].correction_um, ==, -231);
  check_every_depth (&pen, &adj, &table);

  /* The new table's encoding is one a pen takes (§7 checks). */
  guint8 buf[NB_FRAME_MAX_PAYLOAD];
  gsize len = nb_cal_table_encode (&table, buf);
  NbCalTable back;
  g_assert_true (nb_cal_table_decode (buf, len, &back, &error));
  g_assert_true (nb_cal_table_equal (&back, &table));
}

/* Two points: the line through them, exactly (least squares would need a third). */
static void
test_two_points (void)
{
  Pen pen = { .a = -0.05, .b = 0.97 };
  NbCalTable old;
  old_table (&old);
  const double depths[] = { 0.5, 2.5 };
  NbAdjustDepthPoint pts[2];
  as_found (&pen, &old, depths, 2, pts);
  g_autoptr (GError) error = NULL;
  NbAdjustment adj;
  NbCalTable table;
  g_assert_true (
      nb_adjust_fit (&old, pts, 2, NULL, 0, DEPTH_MIN_UM, DEPTH_MAX_UM, 0.0375, &adj, &error));
  g_assert_cmpint (adj.method, ==, NB_ADJUST_LINEAR);
  g_assert_true (nb_adjust_to_table (&adj, 1, NULL, &table, &error));
  g_assert_no_error (error);
  check_every_depth (&pen, &adj, &table);
}

/* One depth (a thin-skin profile's single point, at two rates): an offset, constant. */
static void
test_offset (void)
{
  Pen pen = { .a = 0.08, .b = 1.0 };
  NbCalTable old;
  old_table (&old);
  const double depths[] = { 0.25, 0.25 };
  NbAdjustDepthPoint pts[2];
  as_found (&pen, &old, depths, 2, pts);
  g_autoptr (GError) error = NULL;
  NbAdjustment adj;
  g_assert_true (
      nb_adjust_fit (&old, pts, 2, NULL, 0, DEPTH_MIN_UM, DEPTH_MAX_UM, 0.0375, &adj, &error));
  g_assert_no_error (error);
  g_assert_cmpint (adj.method, ==, NB_ADJUST_OFFSET);
  g_assert_cmpuint (adj.n_points, ==, 1);
  g_assert_cmpfloat (adj.depth_um[0], ==, 250);
  /* a pen of gain 1 is corrected everywhere by its offset */
  NbCalTable table;
  g_assert_true (nb_adjust_to_table (&adj, 1, NULL, &table, &error));
  check_every_depth (&pen, &adj, &table);
}

/* A bowed pen: the line leaves residuals above the threshold, so each calibrated depth gets its
 * own point, and there the error shrinks to the second order of the bow. */
static void
test_per_point (void)
{
  Pen pen = { .a = 0.05, .b = 1.02, .bow_mm = 0.3 };
  NbCalTable old;
  nb_cal_table_init_factory (&old);
  const double depths[] = { 0.25, 0.75, 1.25, 1.75, 2.25 };
  NbAdjustDepthPoint pts[G_N_ELEMENTS (depths)];
  as_found (&pen, &old, depths, G_N_ELEMENTS (depths), pts);
  g_autoptr (GError) error = NULL;
  NbAdjustment adj;
  NbCalTable table;
  g_assert_true (nb_adjust_fit (&old, pts, G_N_ELEMENTS (pts), NULL, 0, DEPTH_MIN_UM, DEPTH_MAX_UM,
                                0.0375, &adj, &error));
  g_assert_no_error (error);
  g_assert_cmpint (adj.method, ==, NB_ADJUST_PER_POINT);
  g_assert_cmpfloat (adj.max_residual_mm, >, 0.0375);
  g_assert_cmpuint (adj.n_points, ==, G_N_ELEMENTS (depths));
  g_assert_true (nb_adjust_to_table (&adj, 1, NULL, &table, &error));
  for (guint i = 0; i < G_N_ELEMENTS (depths); i++)
    {
      double before = fabs (pts[i].mean_mm - depths[i]);
      double after = fabs (delivered_exact (&pen, &adj, depths[i]) - depths[i]);
      g_test_message ("%.2f mm: error %.4f mm before, %.6f mm after", depths[i], before, after);
      g_assert_cmpfloat (after, <, 0.005);
      g_assert_cmpfloat (after, <, before / 10);
    }

  /* the same pen with a generous threshold stays linear */
  g_assert_true (nb_adjust_fit (&old, pts, G_N_ELEMENTS (pts), NULL, 0, DEPTH_MIN_UM, DEPTH_MAX_UM,
                                1.0, &adj, &error));
  g_assert_cmpint (adj.method, ==, NB_ADJUST_LINEAR);
}

/* The rate correction is composed with the one in force. */
static void
test_rate (void)
{
  NbCalTable old;
  old_table (&old);
  const double gain = 1.012;
  NbAdjustRatePoint rates[2];
  const double set[2] = { 80, 120 };
  for (guint i = 0; i < 2; i++)
    rates[i] = (NbAdjustRatePoint){ set[i], set[i] * (1 + old.rate_correction_ppm / 1e6) * gain };
  NbAdjustDepthPoint pts[1] = { { 1.0, 1.0 } };
  g_autoptr (GError) error = NULL;
  NbAdjustment adj;
  g_assert_true (
      nb_adjust_fit (&old, pts, 1, rates, 2, DEPTH_MIN_UM, DEPTH_MAX_UM, 0.0375, &adj, &error));
  g_assert_true (adj.has_rate);
  /* the corrected motor runs at the set rate */
  g_assert_cmpfloat (fabs ((1 + adj.rate_correction_ppm / 1e6) * gain - 1), <, 1e-12);
  g_assert_cmpfloat (fabs (adj.rate_correction_ppm - (1 / gain - 1) * 1e6), <, 1e-6);

  /* a motor 30 % slow is not calibrated */
  rates[0].mean_hz = set[0] * 0.7;
  rates[1].mean_hz = set[1] * 0.7;
  NbCalTable factory;
  nb_cal_table_init_factory (&factory);
  g_assert_false (
      nb_adjust_fit (&factory, pts, 1, rates, 2, DEPTH_MIN_UM, DEPTH_MAX_UM, 0.0375, &adj, &error));
  g_assert_error (error, NB_PROCEDURE_ERROR, NB_PROCEDURE_ERROR_ADJUST);
}

/* Corrections beyond ±500 µm (protocol §7) are refused before anything is sent; so is a pen
 * whose depth does not grow with its setting. */
static void
test_out_of_limits (void)
{
  Pen pen = { .a = 0.6, .b = 1.0 };
  NbCalTable old;
  nb_cal_table_init_factory (&old);
  const double depths[] = { 1.0, 1.5, 2.0 };
  NbAdjustDepthPoint pts[3];
  as_found (&pen, &old, depths, 3, pts);
  g_autoptr (GError) error = NULL;
  NbAdjustment adj;
  NbCalTable table;
  g_assert_true (
      nb_adjust_fit (&old, pts, 3, NULL, 0, DEPTH_MIN_UM, DEPTH_MAX_UM, 0.0375, &adj, &error));
  g_assert_cmpfloat (fabs (adj.correction_um[0] + 600), <, 1e-9);
  g_assert_false (nb_adjust_to_table (&adj, 1, NULL, &table, &error));
  g_assert_error (error, NB_PROCEDURE_ERROR, NB_PROCEDURE_ERROR_ADJUST);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* exactly at the limit is taken: −500 µm */
  pen.a = 0.5;
  as_found (&pen, &old, depths, 3, pts);
  g_assert_true (
      nb_adjust_fit (&old, pts, 3, NULL, 0, DEPTH_MIN_UM, DEPTH_MAX_UM, 0.0375, &adj, &error));
  g_assert_true (nb_adjust_to_table (&adj, 1, NULL, &table, &error));
  g_assert_cmpint (table.points[0].correction_um, ==, -500);

  Pen backwards = { .a = 2.0, .b = -0.5 };
  as_found (&backwards, &old, depths, 3, pts);
  g_assert_false (
      nb_adjust_fit (&old, pts, 3, NULL, 0, DEPTH_MIN_UM, DEPTH_MAX_UM, 0.0375, &adj, &error));
  g_assert_error (error, NB_PROCEDURE_ERROR, NB_PROCEDURE_ERROR_ADJUST);
  g_clear_error (&error);

  g_assert_false (
      nb_adjust_fit (&old, pts, 0, NULL, 0, DEPTH_MIN_UM, DEPTH_MAX_UM, 0.0375, &adj, &error));
  g_assert_error (error, NB_PROCEDURE_ERROR, NB_PROCEDURE_ERROR_ADJUST);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/adjust/linear/factory", GINT_TO_POINTER (FALSE), test_linear);
  g_test_add_data_func ("/adjust/linear/old-table", GINT_TO_POINTER (TRUE), test_linear);
  g_test_add_func ("/adjust/two-points", test_two_points);
  g_test_add_func ("/adjust/offset", test_offset);
  g_test_add_func ("/adjust/per-point", test_per_point);
  g_test_add_func ("/adjust/rate", test_rate);
  g_test_add_func ("/adjust/out-of-limits", test_out_of_limits);
  return g_test_run ();
}
