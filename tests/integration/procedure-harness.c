/* procedure-harness.c: the simulated stations, temporary databases and record checks that the
 * procedure's tests share (procedure-harness.h). */
#include "procedure-harness.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int time_scale = 10;

void
add_standard (const char *db)
{
  g_autoptr (GError) error = NULL;
  NbStore *store = nb_store_open (db, &error);
  g_assert_no_error (error);
  NbStoreStandardParams sp = {
    .serial = FIXTURE_SERIAL,
    .certificate = "LAB-2026-0815",
    .uncertainty_mm = 0.002,
    .k = 2,
    .due = "2099-12-31",
  };
  g_assert_cmpint (nb_store_add_standard (store, &sp, &error), >, 0);
  g_assert_no_error (error);
  nb_store_close (store);
}

NbProfile *
load_profile (const char *id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = nb_profiles_load_all (NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    if (g_str_equal (((NbProfile *) all->pdata[i])->id, id))
      return g_ptr_array_steal_index (all, i);
  g_error ("no profile %s", id);
}

void
station_init (Station *st, const char *profile_id, gboolean with_standard)
{
  g_autoptr (GError) error = NULL;
  *st = (Station){ .cancel_at_point = -1 };
  st->dir = g_dir_make_tmp ("nb-procedure-XXXXXX", &error);
  g_assert_no_error (error);
  st->db = g_build_filename (st->dir, "runs.db", NULL);
  st->eeprom = g_build_filename (st->dir, "eeprom.bin", NULL);
  st->status = g_build_filename (st->dir, "status", NULL);
  st->states = g_ptr_array_new_with_free_func (g_free);
  if (with_standard)
    add_standard (st->db);
  else
    nb_store_close (nb_store_open (st->db, &error));
  g_assert_no_error (error);
  if (profile_id)
    st->profile = load_profile (profile_id);
}

static void
rm_rf (const char *path)
{
  GDir *d = g_dir_open (path, 0, NULL);
  if (d)
    {
      const char *name;
      while ((name = g_dir_read_name (d)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          rm_rf (child);
        }
      g_dir_close (d);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

void
station_clear (Station *st)
{
  rm_rf (st->dir);
  g_free (st->dir);
  g_free (st->db);
  g_free (st->eeprom);
  g_free (st->status);
  g_clear_pointer (&st->profile, nb_profile_free);
  g_ptr_array_unref (st->states);
  g_clear_object (&st->cancel);
}

char *
pen_uri (Station *st, const char *serial, const char *keys)
{
  return g_strdup_printf ("sim:serial=%s,time-scale=%d,eeprom=%s,status-file=%s,%s", serial,
                          time_scale, st->eeprom, st->status, keys);
}

static void
on_state (NbProcedureState state, const char *detail, gpointer data)
{
  Station *st = data;
  g_ptr_array_add (st->states, g_strdup (nb_procedure_state_to_string (state)));
  if (state == NB_PROCEDURE_WARM_UP)
    st->warm_up_us = g_get_monotonic_time ();
  else if (state == NB_PROCEDURE_DONE)
    st->done_us = g_get_monotonic_time ();
  g_test_message ("state %s%s%s", nb_procedure_state_to_string (state), detail ? ": " : "",
                  detail ? detail : "");
}

static void
on_point_started (NbRunPhase phase, guint index, guint total, double depth_mm, double rate_hz,
                  gpointer data)
{
  Station *st = data;
  if (phase == NB_RUN_PHASE_AS_FOUND && (int) index == st->cancel_at_point)
    g_cancellable_cancel (st->cancel);
}

static const NbProcedureCallbacks callbacks = {
  .state = on_state,
  .point_started = on_point_started,
};

/* Runs the procedure; *wall_s: its wall time. */
NbRunResult *
run (Station *st, const char *serial, const char *keys, gboolean reference_pen, gboolean no_adjust,
     double *wall_s, GError **error)
{
  g_autofree char *uri = pen_uri (st, serial, keys);
  g_autofree char *fixture = g_strdup_printf ("sim-fixture:pen=%s", serial);
  NbProcedureOptions o = {
    .pen_uri = uri,
    .fixture_uri = reference_pen ? NULL : fixture,
    .reference_pen = reference_pen,
    .profile = st->profile,
    .no_adjust = no_adjust,
    .operator_name = "tester",
    .store_path = st->db,
    .temperature_c = 22.5,
    .humidity_pct = NAN,
  };
  g_ptr_array_set_size (st->states, 0);
  gint64 t0 = g_get_monotonic_time ();
  NbRunResult *r = nb_procedure_run (&o, &callbacks, st, st->cancel, error);
  if (wall_s)
    *wall_s = (g_get_monotonic_time () - t0) / 1e6;
  return r;
}

gboolean
saw_state (Station *st, const char *name)
{
  for (guint i = 0; i < st->states->len; i++)
    if (g_str_equal (st->states->pdata[i], name))
      return TRUE;
  return FALSE;
}

/* The pen's status file (docs/sim.md): "motor=0|1 stream=0|1 …". */
void
assert_motor_off (Station *st)
{
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (st->status, &text, NULL, NULL));
  g_test_message ("status file: %s", g_strstrip (text));
  g_assert_true (g_str_has_prefix (text, "motor=0 stream=0 "));
}

NbStoreRun *
stored_run (Station *st, gint64 id)
{
  g_autoptr (GError) error = NULL;
  NbStore *store = nb_store_open (st->db, &error);
  g_assert_no_error (error);
  NbStoreRun *run = nb_store_get_run (store, id, &error);
  g_assert_no_error (error);
  nb_store_close (store);
  return run;
}

static gboolean
count_point (gint64 point_id, const NbStoreRunPoint *p, gpointer data)
{
  PointCount *c = data;
  if (p->quantity == NB_RUN_QUANTITY_RATE)
    c->rate++;
  else if (p->phase == NB_RUN_PHASE_AS_FOUND)
    c->as_found++;
  else
    c->as_left++;
  return TRUE;
}

PointCount
stored_points (Station *st, gint64 id)
{
  g_autoptr (GError) error = NULL;
  NbStore *store = nb_store_open (st->db, &error);
  g_assert_no_error (error);
  PointCount c = { 0 };
  g_assert_true (nb_store_foreach_run_point (store, id, count_point, &c, &error));
  g_assert_no_error (error);
  nb_store_close (store);
  return c;
}

static gboolean
collect_transition (gint64 at, const char *state, const char *detail, gpointer data)
{
  g_ptr_array_add (data, g_strdup_printf ("%s: %s", state, detail ? detail : ""));
  return TRUE;
}

GPtrArray *
stored_transitions (Station *st, gint64 id)
{
  g_autoptr (GError) error = NULL;
  NbStore *store = nb_store_open (st->db, &error);
  g_assert_no_error (error);
  GPtrArray *t = g_ptr_array_new_with_free_func (g_free);
  g_assert_true (nb_store_foreach_run_transition (store, id, collect_transition, t, &error));
  g_assert_no_error (error);
  nb_store_close (store);
  return t;
}

void
print_points (const char *what, const NbRunPhaseResult *phase)
{
  for (guint i = 0; i < phase->depth->len; i++)
    {
      const NbRunPoint *p = phase->depth->pdata[i];
      g_test_message ("%s %.2f mm @ %.0f Hz: n %" G_GSIZE_FORMAT " mean %.4f error %+.4f U %.4f "
                      "%s; pen says %.4f",
                      what, p->depth_mm, p->rate_hz, p->result.stats.n, p->result.stats.mean,
                      p->result.stats.error, p->result.uncertainty.U,
                      nb_verdict_to_string (p->result.verdict), p->pen_mean);
    }
  for (guint i = 0; i < phase->rate->len; i++)
    {
      const NbRunPoint *p = phase->rate->pdata[i];
      g_test_message ("%s rate %.0f Hz: n %" G_GSIZE_FORMAT " mean %.3f Hz U %.3f %s", what,
                      p->rate_hz, p->result.stats.n, p->result.stats.mean, p->result.uncertainty.U,
                      nb_verdict_to_string (p->result.verdict));
    }
}

/* The overhead over what the pen physically needs, at this time-scale (issue 10 §2: ≤ 10 %):
 * the whole run (opening the devices and the database included), and from warm-up to done (the
 * motor's part). */
void
print_overhead (const Station *st, gboolean no_adjust, double wall_s)
{
  double physical = nb_procedure_physical_time_s (st->profile, no_adjust) / time_scale;
  double motor = (st->done_us - st->warm_up_us) / 1e6;
  g_test_message ("wall %.3f s (warm-up to done %.3f s) for %.3f s of physical time at "
                  "time-scale %d: %+.1f %% (%+.1f %%)",
                  wall_s, motor, physical, time_scale, 100 * (wall_s / physical - 1),
                  100 * (motor / physical - 1));
}

void
harness_init (int *argc, char ***argv)
{
  g_test_init (argc, argv, NULL);
  nb_sim_transport_register ();
  if (g_getenv ("NB_TEST_TIME_SCALE"))
    time_scale = atoi (g_getenv ("NB_TEST_TIME_SCALE"));
}
