/* test-run-result.c: the result document of a calibration run (nb-run-result.h): every key of a
 * full run with its figures rounded to their precision, nulls for a self-check, --no-adjust and a
 * run without a verdict, the raw strokes, and the stored document read back (with the raw
 * readings from the store) equal to the one made; a run without a document gets one from its
 * record. */
#include <math.h>

#include "nb-run-result.h"
#include "nb-store-standards.h"
#include "store-test-util.h"

#define T0 G_GINT64_CONSTANT (1700000000) /* 2023-11-14T22:13:20Z */

/* as-found: a pen 0.17 mm deep at 0.5 mm, 0.12 mm at 1 mm; its own sensor reads 0.1 mm less than
 * the fixture */
static const double found_05[] = { 0.6701, 0.6689, 0.6713, 0.6695, 0.6707 };
static const double found_05_pen[] = { 0.5702, 0.5688, 0.5714, NAN, 0.5708 };
static const double found_10[] = { 1.1192, 1.1208, 1.1199, 1.1203, 1.1198 };
static const double found_10_pen[] = { 1.0191, 1.0209, 1.0198, 1.0204, 1.0197 };
static const double found_rate[] = { 99.913, 100.051, 100.124, 99.987, 100.020 };
/* as-left: adjusted */
static const double left_05[] = { 0.5003, 0.4998, 0.5006, 0.4995, 0.5001 };
static const double left_10[] = { 1.0004, 0.9993, 1.0001, 1.0007, 0.9995 };
static const double left_rate[] = { 100.002, 99.996, 100.011, 99.990, 100.001 };

static NbRunPoint *
make_point (double target, double depth, double rate_hz, const double *x, const double *pen,
            gsize n, gboolean rate)
{
  g_autoptr (GError) error = NULL;
  NbRunPoint *p = nb_run_point_new ();
  p->target = target;
  p->depth_mm = depth;
  p->rate_hz = rate_hz;
  g_array_append_vals (p->reference, x, n);
  double sum = 0;
  guint paired = 0;
  for (gsize i = 0; pen != NULL && i < n; i++)
    {
      g_array_append_val (p->pen, pen[i]);
      if (isfinite (pen[i]))
        {
          sum += pen[i];
          paired++;
        }
    }
  p->pen_mean = paired > 0 ? sum / paired : NAN;
  /* the fixture: resolution 0.1 µm, certificate U = 1.2 µm at k = 2 */
  g_autoptr (NbUncertaintyBudget) b = nb_uncertainty_budget_new ();
  if (!rate)
    {
      g_assert_true (
          nb_uncertainty_budget_add_resolution (b, "fixture resolution", 0.0001, &error));
      g_assert_true (
          nb_uncertainty_budget_add_certificate (b, "fixture certificate", 0.0012, 2, &error));
    }
  NbTolerance tol = rate ? nb_tolerance_percent (target, 5) : nb_tolerance_symmetric (target, 0.15);
  g_assert_true (nb_point_result_evaluate (x, n, target, rate, b, &tol, NB_DECISION_GUARDED,
                                           &p->result, &error));
  g_assert_no_error (error);
  return p;
}

static NbRunPhaseResult *
make_phase (gboolean left)
{
  NbRunPhaseResult *ph = nb_run_phase_result_new ();
  g_ptr_array_add (ph->depth, make_point (0.5, 0.5, 100, left ? left_05 : found_05,
                                          left ? NULL : found_05_pen, 5, FALSE));
  g_ptr_array_add (ph->depth, make_point (1.0, 1.0, 100, left ? left_10 : found_10,
                                          left ? NULL : found_10_pen, 5, FALSE));
  g_ptr_array_add (ph->rate,
                   make_point (100, NAN, 100, left ? left_rate : found_rate, NULL, 5, TRUE));
  ph->verdict = NB_VERDICT_PASS;
  for (guint i = 0; i < ph->depth->len; i++)
    ph->verdict
        = nb_verdict_worst (ph->verdict, ((NbRunPoint *) ph->depth->pdata[i])->result.verdict);
  ph->verdict = nb_verdict_worst (ph->verdict, ((NbRunPoint *) ph->rate->pdata[0])->result.verdict);
  return ph;
}

/* a full, traceable, adjusted run */
static NbRunResult *
make_result (void)
{
  NbRunResult *r = nb_run_result_new ();
  r->run_id = 7;
  r->profile_id = g_strdup ("cheek-chin-thick");
  r->profile_version = 2;
  r->pen_serial = g_strdup ("NB-0042");
  r->pen_model = g_strdup ("NB-P1");
  r->pen_firmware = g_strdup ("1.4.2");
  r->fixture_serial = g_strdup ("NB-FIX-SIM-0001");
  r->fixture_model = g_strdup ("SIM-LASER");
  r->standard_certificate = g_strdup ("CAL-1");
  r->standard_U_mm = 0.0012;
  r->standard_k = 2;
  r->standard_due = g_strdup ("2099-12-31");
  r->rule = NB_DECISION_GUARDED;
  r->traceable = TRUE;
  r->adjust = TRUE;
  r->adjusted = TRUE;
  r->operator_name = g_strdup ("alice");
  r->started_at = T0 * G_USEC_PER_SEC + 250000;
  r->ended_at = (T0 + 95) * G_USEC_PER_SEC;
  r->status = NB_RUN_COMPLETE;
  r->as_found = make_phase (FALSE);
  r->as_left = make_phase (TRUE);
  r->has_verdict = TRUE;
  r->verdict = r->as_left->verdict;
  r->has_table_before = TRUE;
  nb_cal_table_init_factory (&r->table_before);
  r->has_table_after = TRUE;
  NbCalTable *t = &r->table_after;
  nb_cal_table_init_factory (t);
  t->rate_correction_ppm = -150;
  t->calibrated_at = (guint64) T0 + 90;
  g_strlcpy (t->certificate, "NB-RUN-7", sizeof t->certificate);
  t->n_points = 2;
  t->points[0] = (NbCalPoint){ 500, -120 };
  t->points[1] = (NbCalPoint){ 1000, -119 };
  return r;
}

static gboolean
is_null (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);
  g_assert_nonnull (n); /* present, and null */
  return JSON_NODE_HOLDS_NULL (n);
}

static double
rounded (double v, int decimals)
{
  double s = pow (10, decimals);
  return round (v * s) / s;
}

/* a JSON number member, as a double (a whole-number double stays a double) */
static double
num (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);
  g_assert_nonnull (n);
  g_assert_cmpint (json_node_get_value_type (n), ==, G_TYPE_DOUBLE);
  return json_node_get_double (n);
}

static void
check_entry (JsonObject *e, const NbRunPoint *p, gboolean rate)
{
  const NbPointResult *r = &p->result;
  int d = rate ? 3 : 4;
  g_assert_cmpint (json_object_get_int_member (e, "n"), ==, 5);
  g_assert_cmpfloat (num (e, rate ? "mean_hz" : "mean_mm"), ==, rounded (r->stats.mean, d));
  g_assert_cmpfloat (num (e, rate ? "sd_hz" : "sd_mm"), ==, rounded (r->stats.sd, d));
  g_assert_cmpfloat (num (e, rate ? "error_hz" : "error_mm"), ==, rounded (r->stats.error, d));
  g_assert_cmpfloat (num (e, rate ? "u_hz" : "u_mm"), ==, rounded (r->uncertainty.u_c, d));
  g_assert_cmpfloat (num (e, rate ? "U_hz" : "U_mm"), ==, rounded (r->uncertainty.U, d));
  g_assert_cmpfloat (num (e, "k"), ==, rounded (r->uncertainty.k, 2));
  g_assert_cmpfloat (num (e, "nu_eff"), ==, rounded (r->uncertainty.nu_eff, 1));
  g_assert_cmpstr (json_object_get_string_member (e, "verdict"), ==,
                   nb_verdict_to_string (r->verdict));
  if (nb_verdict_is_acceptance (r->verdict))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_assert_cmpfloat (num (e, "pfa"), ==,
                         g_ascii_strtod (g_ascii_formatd (buf, sizeof buf, "%.4g", r->pfa), NULL));
    }
  else
    g_assert_true (is_null (e, "pfa"));
  g_assert_true (is_null (e, "cpk")); /* 5 strokes are too few */
  JsonObject *tol = json_object_get_object_member (e, "tolerance");
  g_assert_cmpfloat (num (tol, "lower"), ==, rounded (r->tolerance.lower, d));
  g_assert_cmpfloat (num (tol, "upper"), ==, rounded (r->tolerance.upper, d));
  g_assert_false (json_object_has_member (e, rate ? "strokes_hz" : "strokes_mm"));
}

static void
test_full (void)
{
  g_autoptr (NbRunResult) r = make_result ();
  g_autoptr (JsonNode) node = nb_run_result_to_json (r, FALSE);
  JsonObject *o = json_node_get_object (node);

  g_assert_cmpint (json_object_get_int_member (o, "run"), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (o, "profile"), ==, "cheek-chin-thick");
  g_assert_cmpint (json_object_get_int_member (o, "profile_version"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (o, "serial"), ==, "NB-0042");
  JsonObject *pen = json_object_get_object_member (o, "pen");
  g_assert_cmpstr (json_object_get_string_member (pen, "model"), ==, "NB-P1");
  g_assert_cmpstr (json_object_get_string_member (pen, "firmware"), ==, "1.4.2");
  g_assert_cmpstr (json_object_get_string_member (o, "fixture"), ==, "NB-FIX-SIM-0001");
  g_assert_cmpstr (json_object_get_string_member (o, "fixture_model"), ==, "SIM-LASER");
  JsonObject *std = json_object_get_object_member (o, "standard");
  g_assert_cmpstr (json_object_get_string_member (std, "certificate"), ==, "CAL-1");
  g_assert_cmpfloat (num (std, "U_mm"), ==, 0.0012);
  g_assert_cmpfloat (num (std, "k"), ==, 2.0);
  g_assert_cmpstr (json_object_get_string_member (std, "due"), ==, "2099-12-31");
  g_assert_cmpstr (json_object_get_string_member (o, "rule"), ==, "guarded");
  g_assert_true (json_object_get_boolean_member (o, "traceable"));
  g_assert_true (is_null (o, "not_traceable_reason"));
  g_assert_true (json_object_get_boolean_member (o, "adjusted"));
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "complete");
  g_assert_cmpstr (json_object_get_string_member (o, "verdict"), ==, "pass");
  g_assert_true (is_null (o, "error"));
  g_assert_cmpstr (json_object_get_string_member (o, "operator"), ==, "alice");
  g_assert_cmpstr (json_object_get_string_member (o, "started_at"), ==, "2023-11-14T22:13:20Z");
  g_assert_cmpstr (json_object_get_string_member (o, "ended_at"), ==, "2023-11-14T22:14:55Z");

  JsonObject *tb = json_object_get_object_member (o, "table_before");
  g_assert_cmpint (json_object_get_int_member (tb, "rate_correction_ppm"), ==, 0);
  g_assert_true (is_null (tb, "calibrated_at")); /* factory default */
  g_assert_true (is_null (tb, "certificate"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (tb, "points")), ==, 0);
  JsonObject *ta = json_object_get_object_member (o, "table_after");
  g_assert_cmpint (json_object_get_int_member (ta, "rate_correction_ppm"), ==, -150);
  g_assert_cmpstr (json_object_get_string_member (ta, "calibrated_at"), ==, "2023-11-14T22:14:50Z");
  g_assert_cmpstr (json_object_get_string_member (ta, "certificate"), ==, "NB-RUN-7");
  JsonArray *tp = json_object_get_array_member (ta, "points");
  g_assert_cmpuint (json_array_get_length (tp), ==, 2);
  g_assert_cmpfloat (num (json_array_get_object_element (tp, 1), "depth_mm"), ==, 1.0);
  g_assert_cmpfloat (num (json_array_get_object_element (tp, 1), "correction_mm"), ==, -0.119);

  JsonArray *points = json_object_get_array_member (o, "points");
  g_assert_cmpuint (json_array_get_length (points), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *p = json_array_get_object_element (points, i);
      g_assert_cmpfloat (num (p, "target_mm"), ==, i == 0 ? 0.5 : 1.0);
      g_assert_cmpfloat (num (p, "rate_hz"), ==, 100.0);
      check_entry (json_object_get_object_member (p, "as_found"), r->as_found->depth->pdata[i],
                   FALSE);
      check_entry (json_object_get_object_member (p, "as_left"), r->as_left->depth->pdata[i],
                   FALSE);
    }
  /* figures at their precision: the mean of found_05 is 0.6701 mm, error 0.1701 mm: a fail */
  JsonObject *f0
      = json_object_get_object_member (json_array_get_object_element (points, 0), "as_found");
  g_assert_cmpfloat (num (f0, "mean_mm"), ==, 0.6701);
  g_assert_cmpfloat (num (f0, "error_mm"), ==, 0.1701);
  g_assert_cmpstr (json_object_get_string_member (f0, "verdict"), ==, "fail");
  JsonObject *tol = json_object_get_object_member (f0, "tolerance");
  g_assert_cmpfloat (num (tol, "lower"), ==, 0.35);
  g_assert_cmpfloat (num (tol, "upper"), ==, 0.65);

  JsonArray *rates = json_object_get_array_member (o, "rate_points");
  g_assert_cmpuint (json_array_get_length (rates), ==, 1);
  JsonObject *rp = json_array_get_object_element (rates, 0);
  g_assert_cmpfloat (num (rp, "target_hz"), ==, 100.0);
  g_assert_false (json_object_has_member (rp, "target_mm"));
  check_entry (json_object_get_object_member (rp, "as_found"), r->as_found->rate->pdata[0], TRUE);
  check_entry (json_object_get_object_member (rp, "as_left"), r->as_left->rate->pdata[0], TRUE);
  g_assert_cmpfloat (num (json_object_get_object_member (rp, "as_found"), "mean_hz"), ==, 100.019);

  /* indication: the as-found depth points (as-left had no pen readings paired) */
  JsonArray *ind = json_object_get_array_member (o, "indication");
  g_assert_cmpuint (json_array_get_length (ind), ==, 2);
  JsonObject *i0 = json_array_get_object_element (ind, 0);
  g_assert_cmpfloat (num (i0, "target_mm"), ==, 0.5);
  g_assert_cmpfloat (num (i0, "rate_hz"), ==, 100.0);
  g_assert_cmpstr (json_object_get_string_member (i0, "phase"), ==, "as-found");
  g_assert_cmpfloat (num (i0, "pen_mean_mm"), ==, 0.5703); /* 2.2812 / 4: the NaN is unpaired */
  g_assert_cmpfloat (num (i0, "reference_mean_mm"), ==, 0.6701);
  g_assert_cmpfloat (num (i0, "error_mm"), ==, -0.0998);
  JsonObject *i1 = json_array_get_object_element (ind, 1);
  g_assert_cmpfloat (num (i1, "pen_mean_mm"), ==, 1.02); /* 1.01998 to 0.1 µm */
  g_assert_cmpfloat (num (i1, "error_mm"), ==, -0.1);
}

/* a self-check with --no-adjust that failed before its verdict */
static void
test_nulls (void)
{
  g_autoptr (NbRunResult) r = make_result ();
  g_clear_pointer (&r->fixture_serial, g_free);
  g_clear_pointer (&r->fixture_model, g_free);
  g_clear_pointer (&r->standard_certificate, g_free);
  g_clear_pointer (&r->as_left, nb_run_phase_result_free);
  for (guint i = 0; i < r->as_found->depth->len; i++)
    {
      NbRunPoint *p = r->as_found->depth->pdata[i];
      g_array_set_size (p->pen, 0);
      p->pen_mean = NAN;
    }
  r->run_id = 0;
  r->traceable = FALSE;
  r->adjust = r->adjusted = FALSE;
  r->has_table_after = FALSE;
  r->has_verdict = FALSE;
  r->status = NB_RUN_FAILED;
  r->error = g_strdup ("pen unplugged");
  g_clear_pointer (&r->operator_name, g_free);
  r->ended_at = 0;

  g_autoptr (JsonNode) node = nb_run_result_to_json (r, FALSE);
  JsonObject *o = json_node_get_object (node);
  g_assert_true (is_null (o, "run"));
  g_assert_true (is_null (o, "fixture"));
  g_assert_true (is_null (o, "fixture_model"));
  g_assert_true (is_null (o, "standard"));
  g_assert_false (json_object_get_boolean_member (o, "traceable"));
  g_assert_cmpstr (json_object_get_string_member (o, "not_traceable_reason"), ==,
                   "not traceable: pen self-check");
  g_assert_false (json_object_get_boolean_member (o, "adjusted"));
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "failed");
  g_assert_true (is_null (o, "verdict"));
  g_assert_cmpstr (json_object_get_string_member (o, "error"), ==, "pen unplugged");
  g_assert_true (is_null (o, "operator"));
  g_assert_true (is_null (o, "ended_at"));
  g_assert_true (is_null (o, "table_after"));
  g_assert_nonnull (json_object_get_object_member (o, "table_before"));
  JsonArray *points = json_object_get_array_member (o, "points");
  g_assert_cmpuint (json_array_get_length (points), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *p = json_array_get_object_element (points, i);
      g_assert_nonnull (json_object_get_object_member (p, "as_found"));
      g_assert_true (is_null (p, "as_left"));
    }
  g_assert_true (
      is_null (json_array_get_object_element (json_object_get_array_member (o, "rate_points"), 0),
               "as_left"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "indication")), ==, 0);

  /* a run that ended before its as-found: no points at all */
  g_clear_pointer (&r->as_found, nb_run_phase_result_free);
  g_autoptr (JsonNode) empty = nb_run_result_to_json (r, TRUE);
  o = json_node_get_object (empty);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "points")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "rate_points")), ==, 0);
}

static void
check_strokes (JsonObject *entry, const char *name, const double *x, gsize n)
{
  JsonArray *a = json_object_get_array_member (entry, name);
  g_assert_nonnull (a);
  g_assert_cmpuint (json_array_get_length (a), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat (json_array_get_double_element (a, i), ==, x[i]);
}

static void
test_raw (void)
{
  g_autoptr (NbRunResult) r = make_result ();
  g_autoptr (JsonNode) node = nb_run_result_to_json (r, TRUE);
  JsonObject *o = json_node_get_object (node);
  JsonArray *points = json_object_get_array_member (o, "points");
  JsonObject *p0 = json_array_get_object_element (points, 0);
  JsonObject *p1 = json_array_get_object_element (points, 1);
  check_strokes (json_object_get_object_member (p0, "as_found"), "strokes_mm", found_05, 5);
  check_strokes (json_object_get_object_member (p0, "as_left"), "strokes_mm", left_05, 5);
  check_strokes (json_object_get_object_member (p1, "as_found"), "strokes_mm", found_10, 5);
  check_strokes (json_object_get_object_member (p1, "as_left"), "strokes_mm", left_10, 5);
  JsonObject *rp
      = json_array_get_object_element (json_object_get_array_member (o, "rate_points"), 0);
  check_strokes (json_object_get_object_member (rp, "as_found"), "strokes_hz", found_rate, 5);
  check_strokes (json_object_get_object_member (rp, "as_left"), "strokes_hz", left_rate, 5);
  g_assert_false (
      json_object_has_member (json_object_get_object_member (rp, "as_found"), "strokes_mm"));
}

static void
store_phase (NbStore *store, gint64 run_id, NbRunPhaseResult *ph, NbRunPhase phase)
{
  GError *error = NULL;
  for (guint i = 0; i < ph->depth->len; i++)
    g_assert_cmpint (nb_run_result_store_point (store, run_id, ph->depth->pdata[i], phase,
                                                NB_RUN_QUANTITY_DEPTH, i, &error),
                     >, 0);
  g_assert_no_error (error);
  for (guint i = 0; i < ph->rate->len; i++)
    g_assert_cmpint (nb_run_result_store_point (store, run_id, ph->rate->pdata[i], phase,
                                                NB_RUN_QUANTITY_RATE, i, &error),
                     >, 0);
  g_assert_no_error (error);
}

static void
add_table (NbStore *store, gint64 id, const char *which, const NbCalTable *t)
{
  GError *error = NULL;
  guint8 buf[512];
  gsize len = nb_cal_table_encode (t, buf);
  g_assert_cmpuint (len, >, 0);
  g_assert_true (nb_store_add_run_table (store, id, which, buf, len, &error));
  g_assert_no_error (error);
}

static char *
text_of (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

static void
test_store_round_trip (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "runs.db");
  GError *error = NULL;
  NbStore *store = nb_store_open (path, &error);
  g_assert_no_error (error);
  NbStoreStandardParams sp = { .serial = "NB-FIX-SIM-0001",
                               .certificate = "CAL-1",
                               .uncertainty_mm = 0.0012,
                               .k = 2,
                               .due = "2099-12-31" };
  gint64 std = nb_store_add_standard (store, &sp, &error);
  g_assert_no_error (error);
  NbStoreRunParams rp = { .pen_serial = "NB-0042",
                          .pen_model = "NB-P1",
                          .pen_firmware = "1.4.2",
                          .fixture_serial = "NB-FIX-SIM-0001",
                          .fixture_model = "SIM-LASER",
                          .standard_id = std,
                          .profile_id = "cheek-chin-thick",
                          .profile_version = 2,
                          .rule = "guarded",
                          .traceable = TRUE,
                          .adjust = TRUE,
                          .operator_name = "alice" };

  g_autoptr (NbRunResult) r = make_result ();
  r->run_id = nb_store_begin_run (store, &rp, &error);
  g_assert_no_error (error);
  add_table (store, r->run_id, "before", &r->table_before);
  store_phase (store, r->run_id, r->as_found, NB_RUN_PHASE_AS_FOUND);
  store_phase (store, r->run_id, r->as_left, NB_RUN_PHASE_AS_LEFT);
  add_table (store, r->run_id, "after", &r->table_after);
  g_autoptr (JsonNode) made = nb_run_result_to_json (r, FALSE);
  g_autofree char *stored = text_of (made);
  g_assert_true (
      nb_store_close_run (store, r->run_id, NB_RUN_COMPLETE, "pass", NULL, stored, &error));
  g_assert_no_error (error);

  g_autoptr (JsonNode) made_raw = nb_run_result_to_json (r, TRUE);
  g_autoptr (JsonNode) loaded_raw = nb_run_result_load_json (store, r->run_id, TRUE, &error);
  g_assert_no_error (error);
  g_autofree char *want_raw = text_of (made_raw), *got_raw = text_of (loaded_raw);
  g_assert_cmpstr (got_raw, ==, want_raw);
  g_assert_true (json_node_equal (loaded_raw, made_raw));
  g_autoptr (JsonNode) loaded = nb_run_result_load_json (store, r->run_id, FALSE, &error);
  g_assert_no_error (error);
  g_autofree char *got = text_of (loaded);
  g_assert_cmpstr (got, ==, stored);
  /* whole numbers stay doubles through the stored text ("100" read back as 100.0) */
  JsonObject *rate0 = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (loaded), "rate_points"), 0);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (rate0, "target_hz")), ==,
                   G_TYPE_DOUBLE);

  /* a document whose writer printed whole numbers without ".0": figures read back as doubles,
   * counts as integers; raw readings go to entries that exist, by order */
  gint64 other = nb_store_begin_run (store, &rp, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nb_run_result_store_point (store, other, r->as_found->depth->pdata[1],
                                              NB_RUN_PHASE_AS_FOUND, NB_RUN_QUANTITY_DEPTH, 0,
                                              &error),
                   >, 0);
  g_assert_true (nb_store_close_run (store, other, NB_RUN_COMPLETE, "pass", NULL,
                                     "{\"run\": 2, \"points\": [{\"target_mm\": 1, \"as_found\": "
                                     "{\"n\": 5, \"mean_mm\": 1}, \"as_left\": null}]}",
                                     &error));
  g_assert_no_error (error);
  g_autoptr (JsonNode) plain = nb_run_result_load_json (store, other, TRUE, &error);
  g_assert_no_error (error);
  JsonObject *p0 = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (plain), "points"), 0);
  JsonObject *f0 = json_object_get_object_member (p0, "as_found");
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (p0, "target_mm")), ==,
                   G_TYPE_DOUBLE);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (f0, "mean_mm")), ==,
                   G_TYPE_DOUBLE);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (f0, "n")), ==, G_TYPE_INT64);
  check_strokes (f0, "strokes_mm", found_10, 5);
  g_assert_true (is_null (p0, "as_left"));

  g_assert_null (nb_run_result_load_json (store, r->run_id + 100, FALSE, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a run whose process died has no document: one is made from its record */
  rp.operator_name = NULL;
  gint64 dead = nb_store_begin_run (store, &rp, &error);
  g_assert_no_error (error);
  add_table (store, dead, "before", &r->table_after);
  g_assert_cmpint (nb_run_result_store_point (store, dead, r->as_found->depth->pdata[0],
                                              NB_RUN_PHASE_AS_FOUND, NB_RUN_QUANTITY_DEPTH, 0,
                                              &error),
                   >, 0);
  nb_store_close (store); /* releases its lock as a dying process would */
  store = nb_store_open (path, &error);
  g_assert_no_error (error);
  g_autoptr (JsonNode) interrupted = nb_run_result_load_json (store, dead, TRUE, &error);
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (interrupted);
  g_assert_cmpint (json_object_get_int_member (o, "run"), ==, dead);
  g_assert_cmpstr (json_object_get_string_member (o, "profile"), ==, "cheek-chin-thick");
  g_assert_cmpstr (json_object_get_string_member (o, "serial"), ==, "NB-0042");
  g_assert_cmpstr (json_object_get_string_member (o, "fixture"), ==, "NB-FIX-SIM-0001");
  g_assert_cmpstr (json_object_get_string_member (o, "rule"), ==, "guarded");
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "interrupted");
  g_assert_true (is_null (o, "verdict"));
  g_assert_true (is_null (o, "ended_at"));
  g_assert_true (is_null (o, "operator"));
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (o, "standard"), "certificate"),
      ==, "CAL-1");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "table_before"),
                                                  "certificate"),
                   ==, "NB-RUN-7");
  g_assert_true (is_null (o, "table_after"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "points")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "indication")), ==, 0);
  nb_store_close (store);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/run-result/full", test_full);
  g_test_add_func ("/run-result/nulls", test_nulls);
  g_test_add_func ("/run-result/raw", test_raw);
  nb_test_add_func ("/run-result/store-round-trip", test_store_round_trip);
  return nb_test_run ();
}
