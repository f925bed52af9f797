/* test-procedure.c: the calibration procedure (calibration/nb-procedure.h) on simulated stations
 * in this process (`sim:` + `sim-fixture:`), through the real stack, against a temporary
 * database: the acceptance cases of issue 10 §6 (perfect pen, adjusted pen and its second run,
 * the pen whose sensor flatters it and its self-check), rate points, four stations at once. Each
 * asserts the figures, the verdicts and the stored run. The pens run ten times faster than real
 * time; the overhead over the physical time is printed. The errors are in
 * test-procedure-errors.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "procedure-harness.h"

/* A perfect pen passes as found; no adjustment is made (nor needed). */
static void
test_perfect (void)
{
  Station st;
  station_init (&st, "cheek-chin-thick", TRUE);
  g_autoptr (GError) error = NULL;
  double wall;
  g_autoptr (NbRunResult) r = run (&st, "NB-PERFECT", PERFECT, FALSE, FALSE, &wall, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  print_points ("as found", r->as_found);
  print_overhead (&st, TRUE, wall);
  g_assert_cmpint (r->status, ==, NB_RUN_COMPLETE);
  g_assert_true (r->has_verdict);
  g_assert_cmpint (r->verdict, ==, NB_VERDICT_PASS);
  g_assert_true (r->traceable);
  g_assert_true (r->adjust);
  g_assert_false (r->adjusted);
  g_assert_null (r->as_left);
  g_assert_cmpint (r->rule, ==, NB_DECISION_GUARDED); /* the profile's */
  g_assert_cmpstr (r->standard_certificate, ==, "LAB-2026-0815");
  g_assert_cmpstr (r->fixture_serial, ==, FIXTURE_SERIAL);
  g_assert_cmpuint (r->as_found->depth->len, ==, 3);
  g_assert_cmpuint (r->as_found->rate->len, ==, 1);
  for (guint i = 0; i < 3; i++)
    {
      const NbRunPoint *p = r->as_found->depth->pdata[i];
      g_assert_cmpuint (p->result.stats.n, ==, 30);
      g_assert_cmpuint (p->reference->len, ==, 30);
      g_assert_cmpuint (p->pen->len, ==, 30);
      g_assert_cmpfloat (fabs (p->result.stats.error), <, 0.01);
      g_assert_cmpint (p->result.verdict, ==, NB_VERDICT_PASS);
      /* its own sensor agrees with the fixture */
      g_assert_cmpfloat (fabs (p->pen_mean - p->result.stats.mean), <, 0.005);
      for (guint k = 0; k < p->pen->len; k++)
        g_assert_true (isfinite (g_array_index (p->pen, double, k)));
    }
  const NbRunPoint *rate = r->as_found->rate->pdata[0];
  g_assert_cmpuint (rate->result.stats.n, >=, 80);
  g_assert_cmpfloat (fabs (rate->result.stats.mean - 100), <, 0.5);
  g_assert_true (saw_state (&st, "decide-as-found"));
  g_assert_false (saw_state (&st, "adjust"));
  g_assert_false (saw_state (&st, "as-left"));
  assert_motor_off (&st);

  g_autoptr (NbStoreRun) sr = stored_run (&st, r->run_id);
  g_assert_cmpint (sr->status, ==, NB_RUN_COMPLETE);
  g_assert_cmpstr (sr->verdict, ==, "pass");
  g_assert_cmpstr (sr->rule, ==, "guarded");
  g_assert_true (sr->traceable);
  g_assert_cmpint (sr->standard_id, >, 0);
  g_assert_cmpstr (sr->operator_name, ==, "tester");
  g_assert_nonnull (sr->result_json);
  PointCount c = stored_points (&st, r->run_id);
  g_assert_cmpuint (c.as_found, ==, 3);
  g_assert_cmpuint (c.rate, ==, 1);
  g_assert_cmpuint (c.as_left, ==, 0);
  g_autoptr (GPtrArray) t = stored_transitions (&st, r->run_id);
  const char *want[]
      = { "identify", "pre-checks", "warm-up", "as-found", "decide-as-found", "done" };
  g_assert_cmpuint (t->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < t->len; i++)
    {
      g_test_message ("stored %s", (char *) t->pdata[i]);
      g_assert_true (g_str_has_prefix (t->pdata[i], want[i]));
    }
  g_assert_nonnull (strstr (t->pdata[5], "no adjustment needed"));
  station_clear (&st);
}

/* depth-offset 0.12, gain 1.04: fails as found, adjusted, passes as left within 0.02 mm; a new
 * pen instance on the same EEPROM then passes as found. */
static void
test_adjust (void)
{
  Station st;
  station_init (&st, "cheek-chin-thick", TRUE);
  const char *keys = PERFECT ",depth-offset=0.12,depth-gain=1.04,seed=7";
  g_autoptr (GError) error = NULL;
  double wall;
  g_autoptr (NbRunResult) r = run (&st, "NB-ADJ-1", keys, FALSE, FALSE, &wall, &error);
  g_assert_no_error (error);
  print_points ("as found", r->as_found);
  print_points ("as left", r->as_left);
  print_overhead (&st, FALSE, wall);
  g_assert_cmpint (r->status, ==, NB_RUN_COMPLETE);
  g_assert_cmpint (r->as_found->verdict, ==, NB_VERDICT_FAIL);
  const double want_found[] = { 0.16, 0.18, 0.20 }; /* 0.12 + 0.04 · d */
  for (guint i = 0; i < 3; i++)
    {
      const NbRunPoint *p = r->as_found->depth->pdata[i];
      g_assert_cmpfloat (fabs (p->result.stats.error - want_found[i]), <, 0.01);
      g_assert_cmpint (p->result.verdict, ==, NB_VERDICT_FAIL);
    }
  g_assert_true (r->adjusted);
  g_assert_nonnull (r->as_left);
  g_assert_cmpint (r->verdict, ==, NB_VERDICT_PASS);
  g_assert_cmpint (r->as_left->verdict, ==, NB_VERDICT_PASS);
  for (guint i = 0; i < 3; i++)
    {
      const NbRunPoint *p = r->as_left->depth->pdata[i];
      g_assert_cmpfloat (fabs (p->result.stats.error), <=, 0.02);
      g_assert_cmpint (p->result.verdict, ==, NB_VERDICT_PASS);
    }
  /* the table: two points over the pen's range, c(d) = (d − 0.12)/1.04 − d */
  g_assert_true (r->has_table_before && r->has_table_after);
  g_assert_cmpuint (r->table_before.n_points, ==, 0);
  g_assert_cmpuint (r->table_after.n_points, ==, 2);
  g_assert_cmpint (abs (r->table_after.points[0].correction_um + 115), <=, 8);
  g_assert_cmpint (abs (r->table_after.points[1].correction_um + 231), <=, 8);
  g_autofree char *cert = g_strdup_printf ("RUN-%" G_GINT64_FORMAT, r->run_id);
  g_assert_cmpstr (r->table_after.certificate, ==, cert);
  assert_motor_off (&st);

  g_autoptr (NbStoreRun) sr = stored_run (&st, r->run_id);
  g_assert_cmpint (sr->status, ==, NB_RUN_COMPLETE);
  g_assert_cmpstr (sr->verdict, ==, "pass");
  PointCount c = stored_points (&st, r->run_id);
  g_assert_cmpuint (c.as_found, ==, 3);
  g_assert_cmpuint (c.as_left, ==, 3);
  g_assert_cmpuint (c.rate, ==, 2);
  {
    NbStore *store = nb_store_open (st.db, &error);
    g_autoptr (GBytes) after = nb_store_get_run_table (store, r->run_id, "after", &error);
    g_assert_no_error (error);
    guint8 buf[NB_FRAME_MAX_PAYLOAD];
    gsize len = nb_cal_table_encode (&r->table_after, buf);
    g_assert_cmpmem (g_bytes_get_data (after, NULL), g_bytes_get_size (after), buf, len);
    g_autoptr (GBytes) before = nb_store_get_run_table (store, r->run_id, "before", &error);
    g_assert_no_error (error);
    nb_store_close (store);
  }

  /* the table persisted in the pen's EEPROM: calibrated again, it is in tolerance as found */
  g_autoptr (NbRunResult) again = run (&st, "NB-ADJ-1", keys, FALSE, FALSE, NULL, &error);
  g_assert_no_error (error);
  print_points ("again as found", again->as_found);
  g_assert_true (nb_cal_table_equal (&again->table_before, &r->table_after));
  g_assert_cmpint (again->as_found->verdict, ==, NB_VERDICT_PASS);
  for (guint i = 0; i < 3; i++)
    {
      const NbRunPoint *p = again->as_found->depth->pdata[i];
      g_assert_cmpfloat (fabs (p->result.stats.error), <=, 0.02);
    }
  g_assert_false (again->adjusted);
  g_assert_null (again->as_left);
  station_clear (&st);
}

#define FLATTERING PERFECT ",depth-offset=0.1,sensor-offset=-0.1"

/* A pen whose own sensor flatters it reports perfect depths while delivering 0.1 mm too deep:
 * on the shipped factory-full profile (±0.05 mm, the production limit) the fixture finds it out
 * (and its indication error shows −0.1 mm); a self-check cannot, and is marked not traceable. */
static void
test_sensor_offset (void)
{
  Station st;
  station_init (&st, "factory-full", TRUE);
  g_autoptr (GError) error = NULL;

  g_autoptr (NbRunResult) r = run (&st, "NB-FLATTER", FLATTERING, FALSE, TRUE, NULL, &error);
  g_assert_no_error (error);
  print_points ("fixture", r->as_found);
  g_assert_cmpint (r->status, ==, NB_RUN_COMPLETE);
  g_assert_cmpint (r->verdict, ==, NB_VERDICT_FAIL);
  g_assert_false (r->adjust);
  g_assert_null (r->as_left);
  g_assert_true (r->traceable);
  for (guint i = 0; i < r->as_found->depth->len; i++)
    {
      const NbRunPoint *p = r->as_found->depth->pdata[i];
      g_assert_cmpfloat (fabs (p->result.stats.error - 0.1), <, 0.01);
      g_assert_cmpint (p->result.verdict, ==, NB_VERDICT_FAIL);
      /* indication: pen − fixture */
      double indication = p->pen_mean - p->result.stats.mean;
      g_assert_cmpfloat (fabs (indication + 0.1), <, 0.005);
    }

  /* the same pen against its own sensor: "perfect", and not traceable */
  g_autoptr (NbRunResult) self = run (&st, "NB-FLATTER", FLATTERING, TRUE, TRUE, NULL, &error);
  g_assert_no_error (error);
  print_points ("self-check", self->as_found);
  g_assert_cmpint (self->status, ==, NB_RUN_COMPLETE);
  g_assert_false (self->traceable);
  g_assert_null (self->fixture_serial);
  g_assert_null (self->standard_certificate);
  g_assert_cmpint (self->verdict, ==, NB_VERDICT_PASS);
  for (guint i = 0; i < self->as_found->depth->len; i++)
    {
      const NbRunPoint *p = self->as_found->depth->pdata[i];
      g_assert_cmpfloat (fabs (p->result.stats.error), <, 0.01);
      g_assert_cmpuint (p->pen->len, ==, 0);
    }
  g_autoptr (NbStoreRun) sr = stored_run (&st, self->run_id);
  g_assert_false (sr->traceable);
  g_assert_null (sr->fixture_serial);
  g_assert_cmpint (sr->standard_id, ==, 0);
  station_clear (&st);
}

/* Two depths at two rates, a motor 8 % fast: the rate points (one per rate, from every stroke at
 * that rate) fail as found; the rate correction brings them back, composed into the table. */
static const char rates_profile[]
    = "{\"format\": 1, \"id\": \"bench-rates\", \"title\": \"Bench: rates\", \"version\": 3,"
      " \"area\": null, \"skin\": \"any\","
      " \"fitzpatrick\": {\"indicated\": [\"I\", \"II\", \"III\", \"IV\", \"V\", \"VI\"]},"
      " \"points\": [{\"depth_mm\": 1.0}, {\"depth_mm\": 2.0, \"tolerance_mm\": 0.1}],"
      " \"rates_hz\": [80, 120], \"rate_tolerance_pct\": 5, \"strokes_per_point\": 20,"
      " \"settle_s\": 0.3, \"rule\": \"nonbinary\", \"interval_days\": 30,"
      " \"environment\": {\"temperature_c\": {\"min\": 18, \"max\": 28},"
      " \"humidity_pct\": {\"min\": 20, \"max\": 80}},"
      " \"rationale\": \"test profile\"}";

static void
test_rates (void)
{
  Station st;
  station_init (&st, NULL, TRUE);
  g_autoptr (GError) error = NULL;
  st.profile = nb_profile_load_data (rates_profile, -1, "bench-rates.json", &error);
  g_assert_no_error (error);
  double wall;
  g_autoptr (NbRunResult) r = run (&st, "NB-RATES", PERFECT ",rate-error=0.08,depth-offset=0.03",
                                   FALSE, FALSE, &wall, &error);
  g_assert_no_error (error);
  print_points ("as found", r->as_found);
  print_points ("as left", r->as_left);
  print_overhead (&st, FALSE, wall);
  g_assert_cmpint (r->rule, ==, NB_DECISION_NONBINARY);
  g_assert_cmpstr (r->profile_id, ==, "bench-rates");
  g_assert_cmpint (r->profile_version, ==, 3);
  /* depths outer, rates inner */
  g_assert_cmpuint (r->as_found->depth->len, ==, 4);
  const double want[4][2] = { { 1.0, 80 }, { 1.0, 120 }, { 2.0, 80 }, { 2.0, 120 } };
  for (guint i = 0; i < 4; i++)
    {
      const NbRunPoint *p = r->as_found->depth->pdata[i];
      g_assert_cmpfloat (p->depth_mm, ==, want[i][0]);
      g_assert_cmpfloat (p->rate_hz, ==, want[i][1]);
      g_assert_cmpint (p->result.verdict, ==, NB_VERDICT_PASS);
      double tol = i < 2 ? 0.15 : 0.1;
      g_assert_cmpfloat (fabs (p->result.tolerance.upper - p->depth_mm - tol), <, 1e-12);
    }
  g_assert_cmpuint (r->as_found->rate->len, ==, 2);
  for (guint j = 0; j < 2; j++)
    {
      const NbRunPoint *p = r->as_found->rate->pdata[j];
      g_assert_cmpfloat (p->target, ==, want[j][1]);
      g_assert_true (isnan (p->depth_mm));
      /* the strokes of both depths at that rate, less the first of each (no period) at most */
      g_assert_cmpuint (p->result.stats.n, >=, 38);
      g_assert_cmpfloat (fabs (p->result.stats.error_pct - 8), <, 0.5);
      g_assert_cmpint (p->result.verdict, ==, NB_VERDICT_FAIL);
    }
  g_assert_cmpint (r->as_found->verdict, ==, NB_VERDICT_FAIL);
  g_assert_true (r->adjusted);
  /* 1 / 1.08 − 1 = −74074 ppm */
  g_assert_cmpint (abs (r->table_after.rate_correction_ppm + 74074), <, 1500);
  for (guint j = 0; j < 2; j++)
    {
      const NbRunPoint *p = r->as_left->rate->pdata[j];
      g_assert_cmpfloat (fabs (p->result.stats.error_pct), <, 0.5);
      g_assert_cmpint (p->result.verdict, ==, NB_VERDICT_PASS);
    }
  for (guint i = 0; i < 4; i++)
    {
      const NbRunPoint *p = r->as_left->depth->pdata[i];
      g_assert_cmpfloat (fabs (p->result.stats.error), <=, 0.02);
    }
  g_assert_cmpint (r->verdict, ==, NB_VERDICT_PASS);
  PointCount c = stored_points (&st, r->run_id);
  g_assert_cmpuint (c.as_found, ==, 4);
  g_assert_cmpuint (c.as_left, ==, 4);
  g_assert_cmpuint (c.rate, ==, 4);
  station_clear (&st);
}

/* Four stations at once, each in a thread of its own with its own pen, fixture, EEPROM and
 * database connection, one database file: every run completes and is stored, and together they
 * take about the time of one. */
typedef struct
{
  Station *st;
  guint i;
  NbRunResult *result;
  GError *error;
} Parallel;

static gpointer
station_thread (gpointer data)
{
  Parallel *job = data;
  g_autofree char *serial = g_strdup_printf ("NB-PAR-%u", job->i);
  g_autofree char *eeprom = g_strdup_printf ("%s/eeprom-%u.bin", job->st->dir, job->i);
  g_autofree char *uri
      = g_strdup_printf ("sim:serial=%s,time-scale=%d,eeprom=%s,seed=%u,%s", serial, time_scale,
                         eeprom, job->i + 1, PERFECT ",depth-offset=0.12,depth-gain=1.04");
  g_autofree char *fixture = g_strdup_printf ("sim-fixture:pen=%s", serial);
  NbProcedureOptions o = {
    .pen_uri = uri,
    .fixture_uri = fixture,
    .profile = job->st->profile,
    .store_path = job->st->db,
    .temperature_c = NAN,
    .humidity_pct = NAN,
  };
  job->result = nb_procedure_run (&o, NULL, NULL, NULL, &job->error);
  return NULL;
}

static void
test_stations (void)
{
  Station st;
  station_init (&st, "cheek-chin-thick", TRUE);
  Parallel jobs[4];
  GThread *threads[4];
  gint64 t0 = g_get_monotonic_time ();
  for (guint i = 0; i < 4; i++)
    {
      jobs[i] = (Parallel){ .st = &st, .i = i };
      threads[i] = g_thread_new ("station", station_thread, &jobs[i]);
    }
  for (guint i = 0; i < 4; i++)
    g_thread_join (threads[i]);
  double wall = (g_get_monotonic_time () - t0) / 1e6;
  double physical = nb_procedure_physical_time_s (st.profile, FALSE) / time_scale;
  g_test_message ("four stations: wall %.3f s for %.3f s of physical time each (%.2f ×)", wall,
                  physical, wall / physical);
  g_autoptr (GHashTable) ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_no_error (jobs[i].error);
      NbRunResult *r = jobs[i].result;
      g_assert_cmpint (r->status, ==, NB_RUN_COMPLETE);
      g_assert_true (r->adjusted);
      g_assert_cmpint (r->verdict, ==, NB_VERDICT_PASS);
      g_autofree char *serial = g_strdup_printf ("NB-PAR-%u", i);
      g_assert_cmpstr (r->pen_serial, ==, serial);
      g_autoptr (NbStoreRun) sr = stored_run (&st, r->run_id);
      g_assert_cmpint (sr->status, ==, NB_RUN_COMPLETE);
      g_assert_cmpstr (sr->pen_serial, ==, serial);
      PointCount c = stored_points (&st, r->run_id);
      g_assert_cmpuint (c.as_found + c.as_left, ==, 6);
      g_hash_table_add (ids, &r->run_id);
    }
  g_assert_cmpuint (g_hash_table_size (ids), ==, 4);
  for (guint i = 0; i < 4; i++)
    nb_run_result_free (jobs[i].result);
  station_clear (&st);
}

int
main (int argc, char **argv)
{
  harness_init (&argc, &argv);
  g_test_add_func ("/procedure/perfect", test_perfect);
  g_test_add_func ("/procedure/adjust", test_adjust);
  g_test_add_func ("/procedure/sensor-offset", test_sensor_offset);
  g_test_add_func ("/procedure/rates", test_rates);
  g_test_add_func ("/procedure/stations", test_stations);
  return g_test_run ();
}
