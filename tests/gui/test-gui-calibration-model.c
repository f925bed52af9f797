/* test-gui-calibration-model.c: the Calibration wizard's model (NbCalibration) without a display,
 * on the simulated station: the Fitzpatrick cap as shown, a run refused for want of a reference
 * standard (the fixture's serial known for the form) and recorded through the model, a pen with
 * depth errors that fails as found and passes as left with every callback delivered on the main
 * thread in order, and a cancel mid-run that leaves the pen's stored table as it was. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "nb-calibration.h"
#include "nb-pen-list.h"
#include "nb-sim-transport.h"
#include "nb-store.h"

/* A pen 0.12 mm deep and 4 % long: out of ±0.15 mm at 2.00 mm (2.2 mm delivered) as found. */
#define PEN_ERRORS "depth-offset=0.12,depth-gain=1.04,time-scale=4"
#define FIXTURE_SERIAL "NB-FIX-SIM-0001"

static char *tmp_dir, *db_path;
static GThread *main_thread;

static gboolean
wait_until (gboolean (*cond) (gpointer), gpointer data, double timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);
  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static gboolean
not_running (gpointer data)
{
  return !nb_calibration_is_running (data);
}

static char *
pen_uri (const char *eeprom)
{
  return g_strdup_printf ("sim:" PEN_ERRORS ",eeprom=%s", eeprom);
}

static NbCalibration *
new_model (void)
{
  NbCalibration *cal = nb_calibration_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_calibration_load_profiles (cal, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (nb_calibration_set_profile (cal, "cheek-chin-thick"));
  nb_calibration_set_store_path (cal, db_path);
  nb_calibration_set_operator (cal, "GUI model test");
  return cal;
}

static void
test_cap (void)
{
  g_autoptr (NbCalibration) cal = new_model ();
  const NbProfile *p = nb_calibration_get_profile (cal);
  g_autofree char *v = nb_calibration_describe_cap (p, 5);
  g_assert_cmpstr (v, ==, "Types V–VI: depth capped at 1.50 mm");
  g_autofree char *vi = nb_calibration_describe_cap (p, 6);
  g_assert_cmpstr (vi, ==, "Types V–VI: depth capped at 1.50 mm");
  g_autofree char *iii = nb_calibration_describe_cap (p, 3);
  g_assert_cmpstr (iii, ==, "Type III: no depth cap (deepest target 2.00 mm)");
  /* The profile's rule is the default; a rule chosen replaces it. */
  g_assert_cmpint (nb_calibration_get_rule (cal), ==, NB_DECISION_GUARDED);
  nb_calibration_set_rule (cal, TRUE, NB_DECISION_NONBINARY);
  g_assert_cmpint (nb_calibration_get_rule (cal), ==, NB_DECISION_NONBINARY);
  /* Bench profiles are there too. */
  g_assert_true (nb_calibration_set_profile (cal, "factory-full"));
  g_assert_true (nb_calibration_set_profile (cal, "service-quick"));
  g_assert_false (nb_calibration_set_profile (cal, "no-such-profile"));
}

typedef struct
{
  GString *states;  /* "identify,pre-checks,…" as delivered */
  guint strokes;    /* strokes seen */
  guint max_stroke; /* most strokes of one point */
  guint points[2];  /* points done per phase */
  gboolean off_main;
  gboolean cancel_at_first_point;
} Seen;

static void
check_thread (Seen *seen)
{
  if (g_thread_self () != main_thread)
    seen->off_main = TRUE;
}

static void
on_state (NbCalibration *cal, guint state, const char *detail, Seen *seen)
{
  check_thread (seen);
  g_string_append_printf (seen->states, "%s%s", seen->states->len ? "," : "",
                          nb_procedure_state_to_string (state));
}

static void
on_stroke (NbCalibration *cal, double depth, Seen *seen)
{
  check_thread (seen);
  seen->strokes++;
  seen->max_stroke = MAX (seen->max_stroke, nb_calibration_get_strokes (cal)->len);
  if (seen->cancel_at_first_point && seen->strokes == 5)
    nb_calibration_cancel (cal);
}

static void
on_point_done (NbCalibration *cal, guint phase, guint index, Seen *seen)
{
  check_thread (seen);
  seen->points[phase == NB_RUN_PHASE_AS_LEFT]++;
  g_assert_cmpuint (nb_calibration_get_points (cal, phase)->len, ==, index + 1);
}

static void
watch (NbCalibration *cal, Seen *seen)
{
  seen->states = g_string_new (NULL);
  g_signal_connect (cal, "state-changed", G_CALLBACK (on_state), seen);
  g_signal_connect (cal, "stroke", G_CALLBACK (on_stroke), seen);
  g_signal_connect (cal, "point-done", G_CALLBACK (on_point_done), seen);
}

static void
run_to_end (NbCalibration *cal)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_calibration_start (cal, &error));
  g_assert_no_error (error);
  g_assert_true (nb_calibration_is_running (cal));
  /* One run at a time. */
  g_assert_false (nb_calibration_start (cal, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_true (wait_until (not_running, cal, 120));
}

/* No standard in the database: refused at the pre-checks, with the fixture's serial for the form;
 * recorded through the model, the same run goes through. */
static void
test_no_standard (void)
{
  g_autoptr (NbCalibration) cal = new_model ();
  g_autofree char *eeprom = g_build_filename (tmp_dir, "refused.eeprom", NULL);
  g_autofree char *pen = pen_uri (eeprom);
  nb_calibration_set_station (cal, pen, NB_CALIBRATION_SIM_FIXTURE);
  run_to_end (cal);
  g_assert_true (nb_calibration_needs_standard (cal));
  g_assert_cmpint (nb_calibration_get_step (cal), ==, NB_CALIBRATION_STEP_PRE_CHECKS);
  g_assert_cmpstr (nb_calibration_get_fixture_serial (cal), ==, FIXTURE_SERIAL);
  g_assert_nonnull (strstr (nb_calibration_get_error (cal)->message, "standards add"));
  /* Nothing was measured. */
  g_assert_cmpuint (nb_calibration_get_points (cal, NB_RUN_PHASE_AS_FOUND)->len, ==, 0);
}

static void
got (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static gint64
add_standard (NbCalibration *cal, double k, GError **error)
{
  const NbStoreStandardParams params = { .serial = FIXTURE_SERIAL,
                                         .model = "NB-FIX-SIM",
                                         .certificate = "CERT-GUI-1",
                                         .uncertainty_mm = 0.002,
                                         .k = k,
                                         .due = "2099-12-31" };
  GAsyncResult *res = NULL;
  nb_calibration_add_standard_async (cal, &params, NULL, got, &res);
  g_assert_true (wait_until (is_set, &res, 10));
  gint64 id = nb_calibration_add_standard_finish (cal, res, error);
  g_object_unref (res);
  return id;
}

static void
test_standard_then_run (void)
{
  g_autoptr (NbCalibration) cal = new_model ();
  g_autoptr (GError) error = NULL;
  g_assert_cmpint (add_standard (cal, 9, &error), ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (add_standard (cal, 2, &error), >, 0);
  g_assert_no_error (error);

  g_autofree char *eeprom = g_build_filename (tmp_dir, "pen.eeprom", NULL);
  g_autofree char *pen = pen_uri (eeprom);
  nb_calibration_set_station (cal, pen, NB_CALIBRATION_SIM_FIXTURE);
  Seen seen = { 0 };
  watch (cal, &seen);
  run_to_end (cal);
  g_printerr ("# states: %s\n", seen.states->str);
  g_assert_no_error (nb_calibration_get_error (cal));
  g_assert_false (seen.off_main);
  g_assert_cmpint (nb_calibration_get_step (cal), ==, NB_CALIBRATION_STEP_RESULT);
  g_assert_true (g_str_has_prefix (seen.states->str, "identify,pre-checks,warm-up,as-found"));
  g_assert_nonnull (strstr (seen.states->str, "adjust,write,as-left"));
  g_assert_true (g_str_has_suffix (seen.states->str, "done"));

  const NbRunResult *r = nb_calibration_get_result (cal);
  const NbProfile *p = nb_calibration_get_profile (cal);
  g_assert_nonnull (r);
  g_assert_cmpint (r->status, ==, NB_RUN_COMPLETE);
  g_assert_cmpint (r->run_id, >, 0);
  g_assert_true (r->traceable);
  g_assert_cmpstr (r->standard_certificate, ==, "CERT-GUI-1");
  g_assert_true (r->adjusted);
  g_assert_cmpint (r->as_found->verdict, ==, NB_VERDICT_FAIL);
  g_assert_cmpint (r->as_left->verdict, ==, NB_VERDICT_PASS);
  g_assert_cmpint (r->verdict, ==, NB_VERDICT_PASS);
  /* Every point came through the callbacks, with its strokes. */
  g_assert_cmpuint (seen.points[0], ==, p->n_points * p->n_rates);
  g_assert_cmpuint (seen.points[1], ==, p->n_points * p->n_rates);
  g_assert_cmpuint (seen.max_stroke, >=, p->strokes_per_point);
  GPtrArray *left = nb_calibration_get_points (cal, NB_RUN_PHASE_AS_LEFT);
  for (guint i = 0; i < left->len; i++)
    {
      const NbRunPoint *pt = g_ptr_array_index (left, i);
      g_assert_cmpfloat (pt->target, ==, p->points[i].depth_mm);
      g_assert_cmpuint (pt->result.stats.n, ==, p->strokes_per_point);
      g_assert_cmpfloat (fabs (pt->result.stats.error), <=, 0.02);
      g_assert_cmpint (pt->result.verdict, ==, NB_VERDICT_PASS);
    }
  g_string_free (seen.states, TRUE);

  /* Cancelled mid-way through the as-found: the pen keeps the table it had (its EEPROM file is
   * byte for byte what it was), and the run says it was cancelled. */
  g_autofree char *before = NULL;
  gsize n_before = 0;
  g_assert_true (g_file_get_contents (eeprom, &before, &n_before, NULL));
  g_assert_cmpuint (n_before, >, 0);
  nb_calibration_reset (cal);
  g_assert_cmpint (nb_calibration_get_step (cal), ==, NB_CALIBRATION_STEP_STATION);
  Seen cancel = { .cancel_at_first_point = TRUE };
  g_signal_handlers_disconnect_by_data (cal, &seen);
  watch (cal, &cancel);
  run_to_end (cal);
  g_assert_cmpint (nb_calibration_get_state (cal), ==, NB_PROCEDURE_CANCELLED);
  g_assert_error ((GError *) nb_calibration_get_error (cal), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  r = nb_calibration_get_result (cal);
  g_assert_nonnull (r);
  g_assert_cmpint (r->status, ==, NB_RUN_CANCELLED);
  g_assert_false (r->adjusted);
  g_assert_cmpuint (cancel.points[1], ==, 0);
  g_autofree char *after = NULL;
  gsize n_after = 0;
  g_assert_true (g_file_get_contents (eeprom, &after, &n_after, NULL));
  g_assert_cmpmem (before, n_before, after, n_after);
  g_string_free (cancel.states, TRUE);
}

/* The station's choices tell a fixture from a pen: the list's items carry the kind IDENTIFY
 * gave (the REFERENCE capability). */
static void
test_pen_kind (void)
{
  g_autoptr (NbPenList) list = nb_pen_list_new ();
  const NbPenInfo fixture = { .uri = "serial:/dev/ttyFIX0",
                              .transport = "serial",
                              .model = "NB-FIX",
                              .serial = FIXTURE_SERIAL,
                              .state = NB_PEN_STATE_PEN,
                              .capabilities = NB_CAP_REFERENCE };
  const NbPenInfo pen = { .uri = "serial:/dev/ttyPEN0",
                          .transport = "serial",
                          .model = "NB-1",
                          .serial = "NB-0001",
                          .state = NB_PEN_STATE_PEN };
  nb_pen_list_set_busy (list, fixture.uri, &fixture);
  nb_pen_list_set_busy (list, pen.uri, &pen);
  g_assert_cmpstr (nb_pen_item_get_kind (nb_pen_list_find (list, fixture.uri, NULL)), ==,
                   "fixture");
  g_assert_cmpstr (nb_pen_item_get_kind (nb_pen_list_find (list, pen.uri, NULL)), ==, "pen");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  nb_sim_transport_register ();
  main_thread = g_thread_self ();
  tmp_dir = g_dir_make_tmp ("nb-gui-cal-XXXXXX", NULL);
  db_path = g_build_filename (tmp_dir, "needlebench.db", NULL);
  g_test_add_func ("/gui-calibration-model/cap", test_cap);
  g_test_add_func ("/gui-calibration-model/pen-kind", test_pen_kind);
  g_test_add_func ("/gui-calibration-model/no-standard", test_no_standard);
  g_test_add_func ("/gui-calibration-model/run", test_standard_then_run);
  int rc = g_test_run ();
  g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (tmp_dir);
  return rc;
}
