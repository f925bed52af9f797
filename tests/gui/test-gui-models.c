/* test-gui-models.c: the GUI's models without a display: chart axis arithmetic, NbRun against the
 * simulated pen (readouts, recording, loss, the pen stopping its motor by itself), NbPenList
 * following the device monitor and NbRecords listing. The widgets only render these, so most of
 * the GUI's logic is tested here headless. */
#include <math.h>
#include <string.h>

#include "nb-chart-axis.h"
#include "nb-pen-list.h"
#include "nb-records.h"
#include "nb-run.h"
#include "nb-sim-transport.h"
#include "nb-slow-pen.h"

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

static void
test_axis (void)
{
  g_autoptr (NbChartAxis) axis = nb_chart_axis_new ("mm", 0, 1);
  double ticks[16], step;
  guint n = nb_chart_axis_ticks (axis, 6, ticks, &step);
  g_assert_cmpfloat_with_epsilon (step, 0.2, 1e-12);
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpfloat (ticks[0], ==, 0);
  g_assert_cmpfloat_with_epsilon (ticks[5], 1.0, 1e-12);

  nb_chart_axis_set_range (axis, -7.3, 2.9);
  n = nb_chart_axis_ticks (axis, 11, ticks, &step);
  g_assert_cmpfloat_with_epsilon (step, 1, 1e-12);
  g_assert_cmpfloat_with_epsilon (ticks[0], -7, 1e-12);
  g_assert_cmpuint (n, ==, 10);

  /* Mapping, and a vertical axis grows upwards. */
  nb_chart_axis_set_range (axis, 0, 10);
  g_assert_cmpfloat_with_epsilon (nb_chart_axis_to_pixel (axis, 2.5, 400, FALSE), 100, 1e-9);
  g_assert_cmpfloat_with_epsilon (nb_chart_axis_to_pixel (axis, 2.5, 400, TRUE), 300, 1e-9);
  /* Reversed and empty ranges are repaired, never divide by zero. */
  nb_chart_axis_set_range (axis, 3, 1);
  g_assert_cmpfloat (nb_chart_axis_get_min (axis), ==, 1);
  nb_chart_axis_set_range (axis, 2, 2);
  g_assert_cmpfloat (nb_chart_axis_get_max (axis) - nb_chart_axis_get_min (axis), >, 0);
}

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
got_result (GObject *source, GAsyncResult *result, gpointer data)
{
  ((Wait *) data)->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((Wait *) data)->result != NULL;
}

static void
start_recording_ok (NbRun *run, const char *operator_name, const char *name, const char *note)
{
  Wait w = { 0 };
  nb_run_start_recording_async (run, NULL, operator_name, name, note, got_result, &w);
  g_assert_true (nb_run_is_starting_recording (run));
  g_assert_true (wait_until (has_result, &w, 10));
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_run_start_recording_finish (run, w.result, &error));
  g_assert_no_error (error);
  g_object_unref (w.result);
  g_assert_false (nb_run_is_starting_recording (run));
}

static void
refresh_ok (NbRecords *records, const char *operator_name)
{
  Wait w = { 0 };
  nb_records_refresh_async (records, NULL, operator_name, NULL, got_result, &w);
  g_assert_true (wait_until (has_result, &w, 10));
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_records_refresh_finish (records, w.result, &error));
  g_assert_no_error (error);
  g_object_unref (w.result);
}

static NbRun *
open_run (const char *uri)
{
  Wait w = { 0 };
  nb_run_open_async (uri, NULL, got_result, &w);
  g_assert_true (wait_until (has_result, &w, 5));
  g_autoptr (GError) error = NULL;
  NbRun *run = nb_run_open_finish (w.result, &error);
  g_assert_no_error (error);
  g_object_unref (w.result);
  return run;
}

static void
request_ok (NbRun *run, void (*start) (NbRun *, double, GAsyncReadyCallback, gpointer), double v)
{
  Wait w = { 0 };
  start (run, v, got_result, &w);
  g_assert_true (wait_until (has_result, &w, 5));
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_run_request_finish (run, w.result, &error));
  g_assert_no_error (error);
  g_object_unref (w.result);
}

static void
set_motor (NbRun *run, double on, GAsyncReadyCallback cb, gpointer data)
{
  nb_run_set_motor_async (run, on != 0, cb, data);
}

static gboolean
measured (gpointer data)
{
  NbAcquisitionSummary s;
  nb_run_get_summary (data, &s);
  return s.duration_s >= 1.0;
}

typedef struct
{
  gint64 session;
  char *error;
  gboolean done, lost;
} Finished;

static void
on_finished (NbRun *run, gint64 id, const char *error, Finished *f)
{
  f->session = id;
  f->error = g_strdup (error);
  f->done = TRUE;
}

static void
on_lost (NbRun *run, const char *message, Finished *f)
{
  f->lost = TRUE;
}

static gboolean
finished (gpointer data)
{
  return ((Finished *) data)->done;
}

static void
test_run (void)
{
  g_autoptr (NbRun) run = open_run ("sim:depth-offset=0,depth-gain=1,rate-error=0");
  g_assert_true (nb_run_is_connected (run));
  g_assert_cmpfloat (nb_run_get_sample_rate (run), ==, 20000);

  /* An out-of-range depth is refused by the device layer, and the model keeps its setting. */
  Wait w = { 0 };
  double before = nb_run_get_set_depth (run);
  nb_run_set_depth_async (run, 99, got_result, &w);
  g_assert_true (wait_until (has_result, &w, 5));
  g_autoptr (GError) error = NULL;
  g_assert_false (nb_run_request_finish (run, w.result, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_object_unref (w.result);
  g_assert_cmpfloat (nb_run_get_set_depth (run), ==, before);

  request_ok (run, nb_run_set_depth_async, 0.5);
  request_ok (run, nb_run_set_rate_async, 120);
  g_assert_cmpfloat (nb_run_get_set_depth (run), ==, 0.5);
  g_assert_cmpfloat (nb_run_get_set_rate (run), ==, 120);

  Finished f = { 0 };
  g_signal_connect (run, "recording-finished", G_CALLBACK (on_finished), &f);
  start_recording_ok (run, "tester", "models", "headless");
  g_assert_true (nb_run_is_recording (run));
  request_ok (run, set_motor, 1);
  g_assert_true (nb_run_is_motor_running (run));
  g_assert_true (wait_until (measured, run, 10));
  /* Let the 10 Hz readouts catch up. */
  gint64 until = g_get_monotonic_time () + 3 * NB_RUN_UPDATE_MS * 1000;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  double mean, rate;
  g_object_get (run, "depth-mean-mm", &mean, "rate-hz", &rate, NULL);
  g_assert_cmpfloat (fabs (mean - 0.5), <=, 0.02);
  g_assert_cmpfloat (fabs (rate - 120), <=, 1.2);
  nb_run_stop_recording (run);
  g_assert_false (nb_run_is_recording (run));
  g_assert_true (wait_until (finished, &f, 10));
  g_assert_null (f.error);

  g_autoptr (NbRecords) records = nb_records_new (NULL);
  refresh_ok (records, "tester");
  NbSessionItem *item = nb_records_find (records, f.session);
  g_assert_nonnull (item);
  g_assert_cmpstr (nb_session_item_get_session (item)->note, ==, "headless");
  g_free (f.error);
  nb_run_close (run);
  g_assert_false (nb_run_is_connected (run));
}

static void
test_run_lost (void)
{
  g_autoptr (NbRun) run = open_run ("sim:disconnect=1");
  Finished f = { 0 };
  g_signal_connect (run, "recording-finished", G_CALLBACK (on_finished), &f);
  g_signal_connect (run, "lost", G_CALLBACK (on_lost), &f);
  start_recording_ok (run, NULL, "lost", NULL);
  request_ok (run, set_motor, 1);
  g_assert_true (wait_until (finished, &f, 5));
  g_assert_true (f.lost);
  g_assert_false (nb_run_is_connected (run));
  g_assert_nonnull (f.error); /* aborted, with the reason */
  g_autoptr (NbRecords) records = nb_records_new (NULL);
  refresh_ok (records, NULL);
  NbSessionItem *item = nb_records_find (records, f.session);
  g_assert_nonnull (item);
  g_assert_cmpint (nb_session_item_get_session (item)->status, ==, NB_SESSION_ABORTED);
  g_free (f.error);
}

static gboolean
has_sim (gpointer data)
{
  return nb_pen_list_find (data, "sim", NULL) != NULL;
}

static void
count_cb (gpointer instance, guint *count)
{
  (*count)++;
}

/* The list follows the device monitor's "added" and "removed" (emitted here as the monitor would
 * on a pen plugged in and out), and keeps the pen in use while it is in use. */
static void
test_pen_list (void)
{
  g_autoptr (NbPenList) pens = nb_pen_list_new ();
  GListModel *model = nb_pen_list_get_model (pens);
  g_assert_null (nb_pen_list_get_monitor (pens));
  nb_pen_list_start (pens);
  NbDeviceMonitor *monitor = nb_pen_list_get_monitor (pens);
  g_assert_true (NB_IS_DEVICE_MONITOR (monitor));
  g_assert_true (wait_until (has_sim, pens, 10));
  NbPenItem *item = nb_pen_list_find (pens, "sim", NULL);
  g_assert_cmpstr (nb_pen_item_get_serial (item), ==, "NB-SIM-0001");
  g_assert_cmpstr (nb_pen_item_get_transport (item), ==, "sim");

  guint refreshed = 0;
  g_signal_connect (pens, "refreshed", G_CALLBACK (count_cb), &refreshed);
  guint n = g_list_model_get_n_items (model);
  NbPenInfo pen = {
    .uri = (char *) "serial:///dev/ttyNBTEST0",
    .transport = (char *) "serial",
    .model = (char *) "NeedleBench NB-1",
    .serial = (char *) "NB-TEST-0042",
    .firmware = (char *) "1.2.3",
    .port = (char *) "test port",
  };

  /* Plugged in: appended at the end, the others keep their place. */
  g_signal_emit_by_name (monitor, "added", &pen);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n + 1);
  g_assert_cmpuint (refreshed, ==, 1);
  guint pos;
  item = nb_pen_list_find (pens, pen.uri, &pos);
  g_assert_nonnull (item);
  g_assert_cmpuint (pos, ==, n);
  g_assert_cmpstr (nb_pen_item_get_model (item), ==, "NeedleBench NB-1");
  g_assert_cmpstr (nb_pen_item_get_serial (item), ==, "NB-TEST-0042");
  g_assert_cmpstr (nb_pen_item_get_firmware (item), ==, "1.2.3");
  g_assert_cmpstr (nb_pen_item_get_transport (item), ==, "serial");
  g_assert_cmpstr (nb_pen_item_get_port (item), ==, "test port");
  g_assert_nonnull (nb_pen_list_find (pens, "sim", NULL));
  /* Reported twice: listed once. */
  g_signal_emit_by_name (monitor, "added", &pen);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n + 1);
  g_assert_cmpuint (refreshed, ==, 1);

  /* Unplugged: gone. */
  g_signal_emit_by_name (monitor, "removed", &pen);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  g_assert_null (nb_pen_list_find (pens, pen.uri, NULL));
  g_assert_cmpuint (refreshed, ==, 2);

  /* In use: it stays listed though the monitor reports it gone (a busy port is refused to a
   * probe), until released. */
  g_signal_emit_by_name (monitor, "added", &pen);
  nb_pen_list_set_busy (pens, pen.uri, &pen);
  g_signal_emit_by_name (monitor, "removed", &pen);
  g_assert_nonnull (nb_pen_list_find (pens, pen.uri, NULL));
  nb_pen_list_set_busy (pens, NULL, NULL);
  g_assert_null (nb_pen_list_find (pens, pen.uri, NULL));

  /* A pen in use that the monitor never reported (a URI with options) is listed while in use. */
  const char *opts = "sim:?seed=7";
  nb_pen_list_set_busy (pens, opts, &pen);
  item = nb_pen_list_find (pens, opts, NULL);
  g_assert_nonnull (item);
  g_assert_cmpstr (nb_pen_item_get_serial (item), ==, "NB-TEST-0042");
  nb_pen_list_set_busy (pens, NULL, NULL);
  g_assert_null (nb_pen_list_find (pens, opts, NULL));
  /* The simulated pen, which the monitor reports, stays after use. */
  nb_pen_list_set_busy (pens, "sim", NULL);
  nb_pen_list_set_busy (pens, NULL, NULL);
  g_assert_nonnull (nb_pen_list_find (pens, "sim", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);

  nb_pen_list_stop (pens);
  g_assert_null (nb_pen_list_get_monitor (pens));
  g_assert_nonnull (nb_pen_list_find (pens, "sim", NULL));
}

/* --- the pen stops its motor by itself (protocol.md §3.1, §6) ----------------------------- */

static void
test_pen_stop_text (void)
{
  static const struct
  {
    guint8 code;
    guint16 detail;
    const char *says; /* NULL: not a stop by the pen, nothing to tell */
  } cases[] = {
    { NB_EVENT_MOTOR_STOPPED, NB_MOTOR_STOPPED_HOST_REQUEST, NULL },
    { NB_EVENT_MOTOR_STOPPED, NB_MOTOR_STOPPED_WATCHDOG, "heard nothing from NeedleBench for 2 s" },
    { NB_EVENT_MOTOR_STOPPED, NB_MOTOR_STOPPED_PROTECTION, "to protect itself" },
    { NB_EVENT_MOTOR_STOPPED, NB_MOTOR_STOPPED_CARTRIDGE, "the cartridge was removed" },
    { NB_EVENT_MOTOR_STOPPED, 77, "a reason NeedleBench does not know (code 77)" },
    { NB_EVENT_MOTOR_JAM, 1, "the needle stalled" },
    { NB_EVENT_MOTOR_JAM, 2, "the needle jammed" },
    { NB_EVENT_RESET, 0, "restarted" },
    /* followed by MOTOR_STOPPED 3 when the motor ran: said once, there */
    { NB_EVENT_CARTRIDGE_REMOVED, 0, NULL },
    { NB_EVENT_CARTRIDGE_INSERTED, 0, NULL },
    { NB_EVENT_OVER_TEMPERATURE, 70, NULL },
    { 200, 1, NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      NbEvent ev = { .code = cases[i].code, .detail = cases[i].detail };
      g_autofree char *text = nb_run_describe_pen_stop (&ev, "NB-0042");
      if (cases[i].says == NULL)
        {
          g_assert_null (text);
          continue;
        }
      g_assert_nonnull (text);
      g_assert_true (g_str_has_prefix (text, "The pen NB-0042 "));
      g_assert_nonnull (strstr (text, cases[i].says));
    }
}

typedef struct
{
  guint n, code, detail;
  char *message;
  gboolean motor_running, recording; /* as the model said while the signal ran */
} Stopped;

static void
on_pen_stopped (NbRun *run, guint code, guint detail, const char *message, Stopped *s)
{
  s->n++;
  s->code = code;
  s->detail = detail;
  g_free (s->message);
  s->message = g_strdup (message);
  s->motor_running = nb_run_is_motor_running (run);
  s->recording = nb_run_is_recording (run);
}

static gboolean
pen_stopped (gpointer data)
{
  return ((Stopped *) data)->n > 0;
}

static gboolean
stream_goes_on (gpointer data)
{
  NbRun *run = data;
  guint64 *since = g_object_get_data (G_OBJECT (run), "since");
  return nb_run_get_end_index (run) >= *since + 20000; /* 1 s more at 20 kHz */
}

static gboolean
find_event (const NbStoreEvent *ev, gpointer data)
{
  NbStoreEvent *want = data;
  if (ev->code != want->code || g_strcmp0 (ev->detail, want->detail) != 0)
    return TRUE;
  want->session_id = 1; /* found */
  return FALSE;
}

/* A pen that stopped its motor: the run says so once with the reason, the model has the motor off
 * at once, nothing starts it again, and the recording goes on with the event row in it. */
static void
check_pen_stop (NbRun *run, guint code, guint detail, const char *says, double within_s)
{
  Stopped s = { 0 };
  Finished f = { 0 };
  g_signal_connect (run, "pen-stopped", G_CALLBACK (on_pen_stopped), &s);
  g_signal_connect (run, "recording-finished", G_CALLBACK (on_finished), &f);
  g_assert_true (wait_until (pen_stopped, &s, within_s));
  g_printerr ("# pen-stopped (%u, %u): %s\n", s.code, s.detail, s.message);
  g_assert_cmpuint (s.code, ==, code);
  g_assert_cmpuint (s.detail, ==, detail);
  g_assert_nonnull (strstr (s.message, says));
  g_assert_false (s.motor_running);
  g_assert_true (s.recording);

  guint64 since = nb_run_get_end_index (run);
  g_object_set_data (G_OBJECT (run), "since", &since);
  g_assert_true (wait_until (stream_goes_on, run, 5));
  g_assert_cmpuint (s.n, ==, 1);
  g_assert_false (nb_run_is_motor_running (run));
  g_assert_true (nb_run_is_recording (run));
  g_assert_true (nb_run_is_connected (run));

  nb_run_stop_recording (run);
  g_assert_true (wait_until (finished, &f, 10));
  g_assert_null (f.error);
  g_autofree char *path = nb_store_get_default_path ();
  g_autoptr (NbStore) store = nb_store_open_full (path, NB_STORE_OPEN_READ_ONLY, NULL);
  g_assert_nonnull (store);
  g_autofree char *detail_text = g_strdup_printf ("%u", detail);
  NbStoreEvent want = { .code = (int) code, .detail = detail_text };
  g_assert_true (nb_store_foreach_event (store, f.session, find_event, &want, NULL));
  g_assert_cmpint (want.session_id, ==, 1);
  g_signal_handlers_disconnect_by_data (run, &s);
  g_signal_handlers_disconnect_by_data (run, &f);
  g_free (s.message);
  g_free (f.error);
}

/* The sim's jam key: MOTOR_JAM (detail 2) 0.5 s after the start; the pen then refuses MOTOR_START
 * (NAK MOTOR_FAULT) until it gets MOTOR_STOP. */
static void
test_run_jam (void)
{
  g_autoptr (NbRun) run = open_run ("sim:jam");
  start_recording_ok (run, "tester", "jam", NULL);
  request_ok (run, set_motor, 1);
  g_assert_true (nb_run_is_motor_running (run));
  check_pen_stop (run, NB_EVENT_MOTOR_JAM, 2, "the needle jammed", 3);
  /* The run cleared the pen's motor fault with MOTOR_STOP (check_pen_stop waited 1 s of stream
   * for it, and saw that the motor stayed off): the operator's next start is accepted. */
  request_ok (run, set_motor, 1);
  g_assert_true (nb_run_is_motor_running (run));
}

/* The host goes quiet (the relay stops passing its bytes, as a frozen host or link would): the
 * pen's watchdog stops the motor after 2 s with MOTOR_STOPPED detail 1. */
static void
test_run_watchdog (void)
{
  g_autoptr (NbSlowPen) pen = nb_slow_pen_new ("", 10);
  g_autoptr (NbRun) run = open_run (nb_slow_pen_get_uri (pen));
  start_recording_ok (run, "tester", "watchdog", NULL);
  request_ok (run, set_motor, 1);
  g_assert_true (nb_run_is_motor_running (run));
  nb_slow_pen_set_deaf (pen, TRUE);
  gint64 t0 = g_get_monotonic_time ();
  check_pen_stop (run, NB_EVENT_MOTOR_STOPPED, NB_MOTOR_STOPPED_WATCHDOG,
                  "heard nothing from NeedleBench for 2 s", 5);
  g_assert_cmpint (g_get_monotonic_time () - t0, >=, NB_WATCHDOG_TIMEOUT_MS * 1000);
  nb_slow_pen_set_deaf (pen, FALSE);
  Wait w = { 0 };
  nb_run_close_async (run, "test over", NB_RUN_CLOSE_TIMEOUT_MS, got_result, &w);
  g_assert_true (wait_until (has_result, &w, 5));
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_run_close_finish (run, w.result, &error));
  g_assert_no_error (error);
  g_object_unref (w.result);
}

int
main (int argc, char **argv)
{
  g_autofree char *data_home = g_dir_make_tmp ("nb-gui-models-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  nb_sim_transport_register ();
  g_test_add_func ("/gui-models/axis", test_axis);
  g_test_add_func ("/gui-models/run", test_run);
  g_test_add_func ("/gui-models/run-lost", test_run_lost);
  g_test_add_func ("/gui-models/pen-stop-text", test_pen_stop_text);
  g_test_add_func ("/gui-models/run-jam", test_run_jam);
  g_test_add_func ("/gui-models/run-watchdog", test_run_watchdog);
  g_test_add_func ("/gui-models/pen-list", test_pen_list);
  return g_test_run ();
}
