/* bench-calibration.c: how long a calibration takes against what the pen physically needs, and
 * how several stations calibrated at once compare with one (issue 10 §2). Simulated stations in
 * process at real time (time-scale 1): a pen with offset and gain errors, so that as-found fails
 * and the run goes through adjust, write and as-left, on the fixture mounted on it.
 *
 *   1. one station: wall time / nb_procedure_physical_time_s (goal ≤ 1.10);
 *   2. four stations on four threads at once: wall time of the four / wall time of one
 *      (goal ≤ 1.10).
 *
 * Prints the figures and asserts nothing about time (machines differ); it fails only when a run
 * does not complete as expected.
 *
 * usage: bench-calibration [PROFILE-ID]   (default cheek-chin-thick) */
#include <glib.h>
#include <math.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "nb-procedure.h"
#include "nb-sim-transport.h"
#include "nb-store-standards.h"

#define STATIONS 4
#define PEN_ERRORS "depth-offset=0.12,depth-gain=1.04"

typedef struct
{
  const NbProfile *profile;
  const char *db;
  guint station;
  double wall_s;
  NbRunResult *result;
  GError *error;
} Station;

static gpointer
station_thread (gpointer data)
{
  Station *st = data;
  g_autofree char *pen = g_strdup_printf ("sim:serial=NB-BENCH-%u,seed=%u," PEN_ERRORS, st->station,
                                          st->station + 1);
  g_autofree char *fixture = g_strdup_printf ("sim-fixture:pen=NB-BENCH-%u", st->station);
  NbProcedureOptions options = {
    .pen_uri = pen,
    .fixture_uri = fixture,
    .profile = st->profile,
    .operator_name = "bench",
    .store_path = st->db,
    .temperature_c = NAN,
    .humidity_pct = NAN,
  };
  gint64 t0 = g_get_monotonic_time ();
  st->result = nb_procedure_run (&options, NULL, NULL, NULL, &st->error);
  st->wall_s = (g_get_monotonic_time () - t0) / 1e6;
  return NULL;
}

/* Runs @n stations at once; returns the wall time of them all. */
static double
run_stations (const NbProfile *profile, const char *db, guint first, guint n)
{
  Station st[STATIONS] = { 0 };
  GThread *threads[STATIONS];
  gint64 t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      st[i] = (Station){ .profile = profile, .db = db, .station = first + i };
      threads[i] = g_thread_new ("station", station_thread, &st[i]);
    }
  for (guint i = 0; i < n; i++)
    g_thread_join (threads[i]);
  double wall = (g_get_monotonic_time () - t0) / 1e6;
  for (guint i = 0; i < n; i++)
    {
      if (st[i].result == NULL || st[i].result->status != NB_RUN_COMPLETE)
        g_error ("station %u did not complete: %s", first + i,
                 st[i].error ? st[i].error->message : "no result");
      if (!st[i].result->adjusted)
        g_error ("station %u was not adjusted: the bench times as-found + as-left", first + i);
      printf ("  station %u: run %" G_GINT64_FORMAT ", %.2f s, verdict %s\n", first + i,
              st[i].result->run_id, st[i].wall_s, nb_verdict_to_string (st[i].result->verdict));
      nb_run_result_free (st[i].result);
    }
  return wall;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  const char *id = argc > 1 ? argv[1] : "cheek-chin-thick";
  nb_sim_transport_register ();

  g_autoptr (GPtrArray) profiles = nb_profiles_load_all (NULL, &error);
  if (profiles == NULL)
    g_error ("%s", error->message);
  const NbProfile *profile = nb_profiles_find (profiles, id);
  if (profile == NULL)
    g_error ("no profile %s", id);

  g_autofree char *dir = g_dir_make_tmp ("nb-bench-cal-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *db = g_build_filename (dir, "bench.db", NULL);
  {
    NbStore *store = nb_store_open (db, &error);
    g_assert_no_error (error);
    g_autoptr (GDateTime) now = g_date_time_new_now_local ();
    g_autoptr (GDateTime) next = g_date_time_add_years (now, 1);
    g_autofree char *due = g_date_time_format (next, "%Y-%m-%d");
    NbStoreStandardParams std = { .serial = "NB-FIX-SIM-0001",
                                  .model = "NB-Fix 1 (simulated)",
                                  .certificate = "BENCH-1",
                                  .uncertainty_mm = 0.002,
                                  .k = 2,
                                  .due = due,
                                  .added_by = "bench" };
    gint64 sid = nb_store_add_standard (store, &std, &error);
    g_assert_no_error (error);
    g_assert_cmpint (sid, >, 0);
    nb_store_close (store);
  }

  double physical = nb_procedure_physical_time_s (profile, FALSE);
  printf ("calibration of a simulated station, profile %s (%u points x %u rates, %u strokes, "
          "settle %.1f s), real time\n",
          profile->id, profile->n_points, profile->n_rates, profile->strokes_per_point,
          profile->settle_s);
  printf ("physical time (as-found + as-left: settle + strokes / rate per point): %.2f s\n",
          physical);

  double one = run_stations (profile, db, 0, 1);
  printf ("one station: %.2f s, ratio to the physical time %.3f (goal <= 1.10)\n", one,
          one / physical);

  double four = run_stations (profile, db, 1, STATIONS);
  printf ("%d stations at once: %.2f s, ratio to one station %.3f (goal <= 1.10)\n", STATIONS, four,
          four / one);

  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (db);
  g_rmdir (dir);
  return 0;
}
