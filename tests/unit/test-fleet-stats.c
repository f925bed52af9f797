/* test-fleet-stats.c: nb-fleet-stats on synthetic histories whose every figure is worked out by
 * hand below (docs/fleet-statistics.md gives the rules): drift between calibrations (as-left to
 * next as-found, else as-found to as-found), the recommended interval (computed, clamped to the
 * minimum and the maximum, insufficient history), the as-found distribution per depth point with
 * its histogram, Cpk, first-pass yield, failing points, --since, and a result document read back.
 */
#include <math.h>

#include "nb-fleet-stats.h"

#define T0 ((gint64) 1700000000 * G_USEC_PER_SEC)
#define DAY ((gint64) 86400 * G_USEC_PER_SEC)
#define NONE NAN

typedef struct
{
  double target;
  double found, found_U;
  NbVerdict found_verdict;
  double left, left_U; /* NONE: not adjusted */
} P;

static NbFleetRun *
add_run (GPtrArray *runs, const char *serial, const char *model, double day, const P *p, guint n)
{
  static gint64 next_id = 1;
  NbFleetRun *r = nb_fleet_run_new (next_id++, serial, model, "profile", T0 + (gint64) (day * DAY));
  for (guint i = 0; i < n; i++)
    {
      NbFleetPoint fp = { 0 };
      fp.target_mm = p[i].target;
      fp.rate_hz = 100;
      fp.tol_lower_mm = -0.15;
      fp.tol_upper_mm = 0.15;
      fp.has_found = TRUE;
      fp.found_error_mm = p[i].found;
      fp.found_U_mm = p[i].found_U;
      fp.found_verdict = p[i].found_verdict;
      if (!isnan (p[i].left))
        {
          fp.has_left = TRUE;
          fp.left_error_mm = p[i].left;
          fp.left_U_mm = p[i].left_U;
          fp.left_verdict = NB_VERDICT_PASS;
        }
      r->found_verdict
          = i == 0 ? fp.found_verdict : nb_verdict_worst (r->found_verdict, fp.found_verdict);
      r->has_found_verdict = TRUE;
      g_array_append_val (r->points, fp);
    }
  g_ptr_array_add (runs, r);
  return r;
}

#define PASS NB_VERDICT_PASS
#define FAIL NB_VERDICT_FAIL
#define CFAIL NB_VERDICT_CONDITIONAL_FAIL

/* Model M1: pen A (1.0 and 2.0 mm, three calibrations), B and C (1.0 mm, two each). Model M2:
 * pens D (one calibration), E (two on the same day) and F (no drift). */
static GPtrArray *
history (void)
{
  GPtrArray *runs = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_fleet_run_free);
  /* given newest first: the statistics sort by time themselves */
  add_run (runs, "A", "M1", 150,
           (P[]){ { 1.0, 0.02, 0.01, PASS, NONE, 0 }, { 2.0, 0.09, 0.01, CFAIL, NONE, 0 } }, 2);
  add_run (runs, "A", "M1", 60,
           (P[]){ { 1.0, 0.03, 0.01, PASS, 0.005, 0.01 }, { 2.0, 0.07, 0.01, PASS, 0.0, 0.01 } },
           2);
  add_run (runs, "A", "M1", 0,
           (P[]){ { 1.0, 0.05, 0.01, PASS, 0.0, 0.01 }, { 2.0, 0.10, 0.01, FAIL, 0.01, 0.01 } }, 2);
  add_run (runs, "B", "M1", 0, (P[]){ { 1.0, 0.01, 0.02, PASS, 0.0, 0.02 } }, 1);
  add_run (runs, "B", "M1", 100, (P[]){ { 1.0, 0.02, 0.02, PASS, NONE, 0 } }, 1);
  add_run (runs, "C", "M1", 0, (P[]){ { 1.0, -0.01, 0.01, PASS, NONE, 0 } }, 1);
  add_run (runs, "C", "M1", 50, (P[]){ { 1.0, -0.06, 0.01, FAIL, NONE, 0 } }, 1);
  add_run (runs, "D", "M2", 0, (P[]){ { 1.0, 0.20, 0.01, FAIL, 0.0, 0.01 } }, 1);
  add_run (runs, "E", "M2", 0, (P[]){ { 1.0, 0.01, 0.01, PASS, NONE, 0 } }, 1);
  add_run (runs, "E", "M2", 0.5, (P[]){ { 1.0, 0.04, 0.01, PASS, NONE, 0 } }, 1);
  add_run (runs, "F", "M2", 0, (P[]){ { 1.0, 0.01, 0.01, PASS, NONE, 0 } }, 1);
  add_run (runs, "F", "M2", 200, (P[]){ { 1.0, 0.01, 0.01, PASS, NONE, 0 } }, 1);
  return runs;
}

static const NbFleetPen *
pen (const NbFleetStats *s, const char *serial)
{
  for (guint i = 0; i < s->pens->len; i++)
    {
      const NbFleetPen *p = g_ptr_array_index (s->pens, i);
      if (g_strcmp0 (p->serial, serial) == 0)
        return p;
    }
  g_error ("no pen %s", serial);
}

static const NbFleetGroup *
group (const NbFleetStats *s, const char *model)
{
  for (guint i = 0; i < s->groups->len; i++)
    {
      const NbFleetGroup *g = g_ptr_array_index (s->groups, i);
      if (g_strcmp0 (g->model, model) == 0)
        return g;
    }
  g_error ("no model %s", model);
}

#define EPS 1e-12

static void
test_drift_and_interval (void)
{
  g_autoptr (GPtrArray) runs = history ();
  NbFleetIntervalParams params = nb_fleet_interval_params_default ();
  g_autoptr (NbFleetStats) s = nb_fleet_stats_compute (runs, 0, &params);
  g_assert_cmpuint (s->runs, ==, 12);
  g_assert_cmpuint (s->pens->len, ==, 6);

  /* A, oldest first: runs of days 0, 60, 150 */
  const NbFleetPen *a = pen (s, "A");
  g_assert_cmpuint (a->runs->len, ==, 3);
  g_assert_cmpint (((NbFleetRun *) g_ptr_array_index (a->runs, 0))->started_at, ==, T0);
  g_assert_cmpint (((NbFleetRun *) g_ptr_array_index (a->runs, 2))->started_at, ==, T0 + 150 * DAY);
  g_assert_cmpuint (a->drift->len, ==, 2);
  /* 1.0 mm: as-left 0 → as-found 0.03 over 60 d, as-left 0.005 → 0.02 over 90 d:
   * 0.045 mm in 150 d = 0.0003 mm/d = 0.009 mm per 30 d. Starts at 0.02 (not adjusted: as-found),
   * U 0.01: reaches 0.8 × 0.15 = 0.12 after (0.12 − 0.01 − 0.02) / 0.0003 = 300 d. */
  const NbFleetPointDrift *d1 = &g_array_index (a->drift, NbFleetPointDrift, 0);
  g_assert_cmpfloat (d1->target_mm, ==, 1.0);
  g_assert_cmpuint (d1->pairs, ==, 2);
  g_assert_cmpfloat_with_epsilon (d1->days, 150, EPS);
  g_assert_cmpfloat_with_epsilon (d1->change_mm, 0.045, EPS);
  g_assert_cmpfloat_with_epsilon (d1->drift_mm_per_30d, 0.009, EPS);
  g_assert_cmpfloat (d1->start_error_mm, ==, 0.02);
  g_assert_cmpfloat_with_epsilon (d1->days_to_limit, 300, 1e-9);
  /* 2.0 mm: 0.01 → 0.07 over 60 d, 0 → 0.09 over 90 d: 0.15 mm in 150 d = 0.001 mm/d = 0.03 per
   * 30 d; from 0.09 ± 0.01 to 0.12 in (0.12 − 0.01 − 0.09) / 0.001 = 20 d: under the 30 d floor */
  const NbFleetPointDrift *d2 = &g_array_index (a->drift, NbFleetPointDrift, 1);
  g_assert_cmpfloat_with_epsilon (d2->drift_mm_per_30d, 0.03, EPS);
  g_assert_cmpfloat_with_epsilon (d2->days_to_limit, 20, 1e-9);
  g_assert_cmpint (a->interval_kind, ==, NB_FLEET_INTERVAL_MIN);
  g_assert_cmpint (a->interval_days, ==, 30);
  g_assert_cmpint (a->limiting_point, ==, 1);

  /* B: 0 (as-left) → 0.02 in 100 d = 0.0002 mm/d = 0.006 per 30 d; from 0.02 ± 0.02:
   * (0.12 − 0.02 − 0.02) / 0.0002 = 400 d, inside 30 … 730 */
  const NbFleetPen *b = pen (s, "B");
  const NbFleetPointDrift *db = &g_array_index (b->drift, NbFleetPointDrift, 0);
  g_assert_cmpfloat_with_epsilon (db->drift_mm_per_30d, 0.006, EPS);
  g_assert_cmpfloat_with_epsilon (db->days_to_limit, 400, 1e-9);
  g_assert_cmpint (b->interval_kind, ==, NB_FLEET_INTERVAL_COMPUTED);
  g_assert_cmpint (b->interval_days, ==, 400);
  g_assert_cmpint (b->limiting_point, ==, 0);

  /* C, never adjusted: as-found −0.01 → −0.06 in 50 d = −0.001 mm/d = −0.03 per 30 d, towards
   * the lower limit: (−0.12 + 0.01 − (−0.06)) / −0.001 = 50 d */
  const NbFleetPen *c = pen (s, "C");
  const NbFleetPointDrift *dc = &g_array_index (c->drift, NbFleetPointDrift, 0);
  g_assert_cmpfloat_with_epsilon (dc->drift_mm_per_30d, -0.03, EPS);
  g_assert_cmpfloat_with_epsilon (dc->days_to_limit, 50, 1e-9);
  g_assert_cmpint (c->interval_kind, ==, NB_FLEET_INTERVAL_COMPUTED);
  g_assert_cmpint (c->interval_days, ==, 50);

  /* D: one calibration; E: two, half a day apart (under min_gap_days): no drift */
  g_assert_cmpint (pen (s, "D")->interval_kind, ==, NB_FLEET_INTERVAL_INSUFFICIENT);
  g_assert_cmpint (pen (s, "D")->interval_days, ==, 0);
  const NbFleetPen *e = pen (s, "E");
  g_assert_cmpint (e->interval_kind, ==, NB_FLEET_INTERVAL_INSUFFICIENT);
  g_assert_cmpuint (g_array_index (e->drift, NbFleetPointDrift, 0).pairs, ==, 0);
  g_assert_true (isnan (g_array_index (e->drift, NbFleetPointDrift, 0).drift_mm_per_30d));
  g_assert_cmpint (e->limiting_point, ==, -1);
  /* F: no drift at all: never reaches a limit, so the maximum */
  const NbFleetPen *f = pen (s, "F");
  g_assert_cmpfloat (g_array_index (f->drift, NbFleetPointDrift, 0).drift_mm_per_30d, ==, 0);
  g_assert_true (isinf (g_array_index (f->drift, NbFleetPointDrift, 0).days_to_limit));
  g_assert_cmpint (f->interval_kind, ==, NB_FLEET_INTERVAL_MAX);
  g_assert_cmpint (f->interval_days, ==, 730);
  g_assert_cmpint (f->limiting_point, ==, -1);
}

/* a pen that left the bench already beyond the share of its tolerance is due at the minimum */
static void
test_interval_already_beyond (void)
{
  g_autoptr (GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_fleet_run_free);
  add_run (runs, "G", "M3", 0, (P[]){ { 1.0, 0.0, 0.01, PASS, NONE, 0 } }, 1);
  add_run (runs, "G", "M3", 30, (P[]){ { 1.0, -0.115, 0.01, PASS, NONE, 0 } }, 1);
  NbFleetIntervalParams params = nb_fleet_interval_params_default ();
  g_autoptr (NbFleetStats) s = nb_fleet_stats_compute (runs, 0, &params);
  const NbFleetPen *g = pen (s, "G");
  g_assert_cmpfloat (g_array_index (g->drift, NbFleetPointDrift, 0).days_to_limit, ==, 0);
  g_assert_cmpint (g->interval_kind, ==, NB_FLEET_INTERVAL_MIN);
  g_assert_cmpint (g->interval_days, ==, 30);
}

static void
test_model_distribution (void)
{
  g_autoptr (GPtrArray) runs = history ();
  NbFleetIntervalParams params = nb_fleet_interval_params_default ();
  g_autoptr (NbFleetStats) s = nb_fleet_stats_compute (runs, 0, &params);
  g_assert_cmpuint (s->groups->len, ==, 2);
  const NbFleetGroup *m1 = group (s, "M1");
  g_assert_cmpuint (m1->pens, ==, 3);
  g_assert_cmpuint (m1->runs, ==, 7);
  /* first calibrations: A fail (its 2.0 mm point), B pass, C pass */
  g_assert_cmpuint (m1->first_pens, ==, 3);
  g_assert_cmpuint (m1->first_passed, ==, 2);
  g_assert_cmpfloat_with_epsilon (nb_fleet_group_yield (m1), 2.0 / 3.0, EPS);
  g_assert_cmpuint (m1->points->len, ==, 2);

  /* 1.0 mm, as found: 0.05 0.03 0.02 (A), 0.01 0.02 (B), −0.01 −0.06 (C): Σ = 0.06, Σx² = 0.008 */
  const NbFleetPointDist *p1 = &g_array_index (m1->points, NbFleetPointDist, 0);
  g_assert_cmpfloat (p1->target_mm, ==, 1.0);
  g_assert_cmpuint (p1->n, ==, 7);
  g_assert_cmpfloat_with_epsilon (p1->mean_mm, 0.06 / 7, EPS);
  g_assert_cmpfloat_with_epsilon (p1->sd_mm, sqrt ((0.008 - 0.06 * 0.06 / 7) / 6), EPS);
  g_assert_cmpfloat (p1->min_mm, ==, -0.06);
  g_assert_cmpfloat (p1->max_mm, ==, 0.05);
  g_assert_true (isnan (p1->cpk)); /* 7 calibrations: too few for a capability figure */
  g_assert_cmpuint (p1->failed, ==, 1);
  /* Sturges: ⌈log2 7⌉ + 1 = 4 bins of 0.11 / 4 = 0.0275 mm from −0.06: edges −0.06, −0.0325,
   * −0.005, 0.0225, 0.05 hold −0.06 | −0.01 | 0.01 0.02 0.02 | 0.03 0.05 */
  g_assert_cmpuint (p1->bins->len, ==, 4);
  const guint counts[] = { 1, 1, 3, 2 };
  for (guint i = 0; i < 4; i++)
    {
      const NbFleetBin *bin = &g_array_index (p1->bins, NbFleetBin, i);
      g_assert_cmpuint (bin->count, ==, counts[i]);
      g_assert_cmpfloat_with_epsilon (bin->from_mm, -0.06 + 0.0275 * i, EPS);
    }
  g_assert_cmpfloat (g_array_index (p1->bins, NbFleetBin, 3).to_mm, ==, 0.05);

  /* 2.0 mm: A only, 0.10 0.07 0.09; failed twice (fail, conditional fail) */
  const NbFleetPointDist *p2 = &g_array_index (m1->points, NbFleetPointDist, 1);
  g_assert_cmpuint (p2->n, ==, 3);
  g_assert_cmpfloat_with_epsilon (p2->mean_mm, 0.26 / 3, EPS);
  g_assert_cmpuint (p2->failed, ==, 2);
  /* failing points: 2.0 mm (2 of 3) before 1.0 mm (1 of 7) */
  g_autoptr (GArray) failing = nb_fleet_group_failing (m1);
  g_assert_cmpuint (failing->len, ==, 2);
  g_assert_cmpuint (g_array_index (failing, guint, 0), ==, 1);
  g_assert_cmpuint (g_array_index (failing, guint, 1), ==, 0);

  /* M2: D failed its first calibration, E and F passed: 2 of 3 */
  const NbFleetGroup *m2 = group (s, "M2");
  g_assert_cmpuint (m2->pens, ==, 3);
  g_assert_cmpuint (m2->runs, ==, 5);
  g_assert_cmpuint (m2->first_passed, ==, 2);
  g_assert_cmpuint (m2->first_pens, ==, 3);
}

/* 25 pens of one model, one calibration each: 13 found at −0.01 mm, 12 at +0.03 mm, ±0.15 mm.
 * mean = (−0.13 + 0.36) / 25 = 0.0092; Σ(x − mean)² = 13 · 0.0192² + 12 · 0.0208² = 0.009984,
 * s = √(0.009984 / 24); Cpk = (0.15 − 0.0092) / (3 s) (the upper limit is the nearer). */
static void
test_cpk (void)
{
  g_autoptr (GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_fleet_run_free);
  for (int i = 0; i < 25; i++)
    {
      g_autofree char *serial = g_strdup_printf ("P%02d", i);
      add_run (runs, serial, "CPK", i, (P[]){ { 1.5, i < 13 ? -0.01 : 0.03, 0.01, PASS, NONE, 0 } },
               1);
    }
  NbFleetIntervalParams params = nb_fleet_interval_params_default ();
  g_autoptr (NbFleetStats) s = nb_fleet_stats_compute (runs, 0, &params);
  const NbFleetGroup *g = group (s, "CPK");
  const NbFleetPointDist *p = &g_array_index (g->points, NbFleetPointDist, 0);
  g_assert_cmpuint (p->n, ==, 25);
  g_assert_cmpfloat_with_epsilon (p->mean_mm, 0.0092, EPS);
  double sd = sqrt (0.009984 / 24);
  g_assert_cmpfloat_with_epsilon (p->sd_mm, sd, EPS);
  g_assert_cmpfloat_with_epsilon (p->cpk, (0.15 - 0.0092) / (3 * sd), 1e-9);
  g_assert_cmpfloat_with_epsilon (p->cpk, 2.30, 0.005);
  g_assert_cmpfloat (p->tol_lower_mm, ==, -0.15);
  /* ⌈log2 25⌉ + 1 = 6 bins: the two clusters at the ends */
  g_assert_cmpuint (p->bins->len, ==, 6);
  g_assert_cmpuint (g_array_index (p->bins, NbFleetBin, 0).count, ==, 13);
  for (guint i = 1; i < 5; i++)
    g_assert_cmpuint (g_array_index (p->bins, NbFleetBin, i).count, ==, 0);
  g_assert_cmpuint (g_array_index (p->bins, NbFleetBin, 5).count, ==, 12);
  g_assert_cmpuint (g->first_passed, ==, 25);
  g_assert_cmpfloat (nb_fleet_group_yield (g), ==, 1.0);
  g_autoptr (GArray) failing = nb_fleet_group_failing (g);
  g_assert_cmpuint (failing->len, ==, 0);

  /* one run of a different tolerance: no single capability */
  NbFleetRun *odd = add_run (runs, "P99", "CPK", 30, (P[]){ { 1.5, 0.0, 0.01, PASS, NONE, 0 } }, 1);
  g_array_index (odd->points, NbFleetPoint, 0).tol_upper_mm = 0.2;
  g_autoptr (NbFleetStats) s2 = nb_fleet_stats_compute (runs, 0, &params);
  const NbFleetPointDist *p2 = &g_array_index (group (s2, "CPK")->points, NbFleetPointDist, 0);
  g_assert_cmpuint (p2->n, ==, 26);
  g_assert_true (isnan (p2->cpk));
  g_assert_true (isnan (p2->tol_lower_mm));
}

/* --since: only runs from that moment count; a pen's first calibration before it is no
 * first-pass candidate */
static void
test_since (void)
{
  g_autoptr (GPtrArray) runs = history ();
  NbFleetIntervalParams params = nb_fleet_interval_params_default ();
  g_autoptr (NbFleetStats) s = nb_fleet_stats_compute (runs, T0 + 100 * DAY, &params);
  /* A day 150, B day 100, F day 200 */
  g_assert_cmpuint (s->runs, ==, 3);
  g_assert_cmpuint (s->pens->len, ==, 3);
  const NbFleetGroup *m1 = group (s, "M1");
  g_assert_cmpuint (m1->runs, ==, 2);
  g_assert_cmpuint (m1->first_pens, ==, 0);
  g_assert_true (isnan (nb_fleet_group_yield (m1)));
  g_assert_cmpint (pen (s, "A")->interval_kind, ==, NB_FLEET_INTERVAL_INSUFFICIENT);
  g_assert_cmpuint (pen (s, "A")->runs->len, ==, 1);
}

static const char *const DOCUMENT
    = "{\"run\": 7, \"profile\": \"cheek\", \"serial\": \"SN-1\","
      " \"pen\": {\"model\": \"NB-Pen 3\", \"firmware\": \"1.0\"},"
      " \"points\": ["
      "  {\"target_mm\": 1.0, \"rate_hz\": 100.0,"
      "   \"as_found\": {\"error_mm\": 0.0412, \"U_mm\": 0.0061, \"verdict\": \"pass\","
      "                  \"tolerance\": {\"lower\": 0.85, \"upper\": 1.15}},"
      "   \"as_left\": null},"
      "  {\"target_mm\": 2, \"rate_hz\": 100,"
      "   \"as_found\": {\"error_mm\": -0.2, \"U_mm\": 0.006, \"verdict\": \"fail\","
      "                  \"tolerance\": {\"lower\": 1.85, \"upper\": null}},"
      "   \"as_left\": {\"error_mm\": 0.001, \"U_mm\": 0.005, \"verdict\": \"pass\","
      "                  \"tolerance\": {\"lower\": 1.85, \"upper\": null}}}],"
      " \"rate_points\": [{\"target_hz\": 100.0, \"as_found\": {\"verdict\": \"pass\"},"
      "                   \"as_left\": {\"verdict\": \"conditional-fail\"}}]}";

static void
test_from_json (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, DOCUMENT, -1, NULL));
  g_autoptr (GError) error = NULL;
  g_autoptr (NbFleetRun) r = nb_fleet_run_from_json (
      json_node_get_object (json_parser_get_root (parser)), 7, T0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->serial, ==, "SN-1");
  g_assert_cmpstr (r->model, ==, "NB-Pen 3");
  g_assert_cmpstr (r->profile, ==, "cheek");
  g_assert_cmpuint (r->points->len, ==, 2);
  const NbFleetPoint *p0 = &g_array_index (r->points, NbFleetPoint, 0);
  g_assert_cmpfloat (p0->tol_lower_mm, ==, -0.15); /* 0.85 − 1.0, rounded to 0.1 µm */
  g_assert_cmpfloat (p0->tol_upper_mm, ==, 0.15);
  g_assert_cmpfloat (p0->found_error_mm, ==, 0.0412);
  g_assert_false (p0->has_left);
  const NbFleetPoint *p1 = &g_array_index (r->points, NbFleetPoint, 1);
  g_assert_cmpfloat (p1->target_mm, ==, 2.0); /* an integer in the text */
  g_assert_true (isinf (p1->tol_upper_mm) && p1->tol_upper_mm > 0);
  g_assert_true (p1->has_left);
  g_assert_cmpfloat (p1->left_error_mm, ==, 0.001);
  /* as-found: fail (a depth point); as-left: conditional fail (the rate point) */
  g_assert_cmpint (r->found_verdict, ==, NB_VERDICT_FAIL);
  g_assert_cmpint (r->left_verdict, ==, NB_VERDICT_CONDITIONAL_FAIL);

  g_autoptr (JsonParser) bad = json_parser_new ();
  g_assert_true (json_parser_load_from_data (
      bad, "{\"serial\": \"X\", \"points\": [{\"target_mm\": 1, \"as_found\": {}}]}", -1, NULL));
  g_autoptr (NbFleetRun) none
      = nb_fleet_run_from_json (json_node_get_object (json_parser_get_root (bad)), 8, T0, &error);
  g_assert_null (none);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fleet/drift-and-interval", test_drift_and_interval);
  g_test_add_func ("/fleet/interval-already-beyond", test_interval_already_beyond);
  g_test_add_func ("/fleet/model-distribution", test_model_distribution);
  g_test_add_func ("/fleet/cpk", test_cpk);
  g_test_add_func ("/fleet/since", test_since);
  g_test_add_func ("/fleet/from-json", test_from_json);
  return g_test_run ();
}
