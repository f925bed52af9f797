/* test-device.c: the device API against the in-process simulated pen: identify, settings and their
 * limits, streaming on the caller's main context, events, calibration write/commit/verify (and a
 * reset in the middle of it), a lost link, and cancellation. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "nb-acquisition.h"
#include "nb-device.h"
#include "nb-sim-transport.h"

static NbDevice *
open_ok (const char *uri)
{
  g_autoptr (GError) error = NULL;
  NbDevice *dev = nb_device_open (uri, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (dev);
  return dev;
}

static void
test_identify (void)
{
  g_autoptr (NbDevice) dev = open_ok ("sim:serial=NB-0042");
  const NbIdentity *id = nb_device_get_identity (dev);
  g_assert_cmpstr (id->serial, ==, "NB-0042");
  g_assert_cmpuint (id->depth_max_um, ==, 3000);
  g_assert_true (nb_device_is_connected (dev));

  g_autoptr (GError) error = NULL;
  g_assert_false (nb_device_set_depth (dev, 3.5, NULL, &error));
  g_assert_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  g_assert_false (nb_device_set_depth (dev, 1.02, NULL, &error)); /* off the 0.05 mm grid */
  g_assert_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  g_assert_false (nb_device_set_rate (dev, 20, NULL, &error));
  g_assert_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  g_assert_true (nb_device_set_depth (dev, 1.25, NULL, &error));
  NbStatus st;
  g_assert_true (nb_device_get_status (dev, &st, NULL, &error));
  g_assert_cmpuint (st.depth_um, ==, 1250);
}

typedef struct
{
  GMainLoop *loop;
  guint64 strokes;
  guint64 batches;
  guint jams;
  gboolean lost;
  char *lost_message;
  gint64 lost_at;
} Watch;

static void
on_stroke (NbAcquisition *acq, const NbStroke *s, Watch *w)
{
  w->strokes++;
}

static void
on_batch (NbDevice *dev, const NbTelemetryBatch *b, Watch *w)
{
  w->batches++;
  /* signals arrive on the thread that opened the device */
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
}

static void
on_event (NbDevice *dev, const NbEvent *ev, Watch *w)
{
  if (ev->code == NB_EVENT_MOTOR_JAM)
    w->jams++;
}

static void
on_lost (NbDevice *dev, const GError *error, Watch *w)
{
  w->lost = TRUE;
  w->lost_message = g_strdup (error->message);
  w->lost_at = g_get_monotonic_time ();
  g_main_loop_quit (w->loop);
}

static gboolean
quit (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
test_stream (void)
{
  g_autoptr (NbDevice) dev = open_ok ("sim:depth-offset=0,depth-gain=1,rate-error=0,time-scale=4");
  g_autoptr (NbAcquisition) acq = nb_acquisition_new (dev);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Watch w = { .loop = loop };
  g_signal_connect (acq, "stroke", G_CALLBACK (on_stroke), &w);
  g_signal_connect (dev, "telemetry", G_CALLBACK (on_batch), &w);
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_device_set_depth (dev, 0.5, NULL, &error));
  g_assert_true (nb_device_set_rate (dev, 120, NULL, &error));
  g_assert_true (nb_device_stream_start (dev, NULL, &error));
  g_assert_true (nb_device_motor_start (dev, NULL, &error));
  g_timeout_add (500, quit, loop); /* 2 s of pen time */
  g_main_loop_run (loop);
  g_assert_true (nb_device_motor_stop (dev, NULL, &error));
  g_assert_true (nb_device_stream_stop (dev, NULL, &error));
  /* batches decoded before the stop's answer are still queued for this context */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  NbAcquisitionSummary s;
  nb_acquisition_get_summary (acq, &s);
  g_assert_cmpuint (w.batches, >, 100);
  g_assert_cmpuint (s.gaps, ==, 0);
  g_assert_cmpuint (s.strokes, >, 150);
  g_assert_cmpfloat (fabs (s.depth_mm.mean - 0.5), <, 0.01);
  g_assert_cmpfloat (fabs (nb_acquisition_summary_rate_hz (&s) - 120) / 120, <, 0.005);
  NbDeviceStats st;
  nb_device_get_stats (dev, &st);
  g_assert_cmpuint (st.crc_errors, ==, 0);
  g_assert_cmpuint (st.samples, ==, s.samples);
}

/* Counts the main-loop dispatches that delivered telemetry (a batch seen more than 2 ms after the
 * one before starts a new one) and checks the samples arrive without a gap. */
typedef struct
{
  guint batches, dispatches;
  gint64 last_us;
  guint64 next_index;
  gboolean gap;
} Dispatches;

static void
on_batch_dispatch (NbDevice *dev, const NbTelemetryBatch *b, Dispatches *d)
{
  gint64 now = g_get_monotonic_time ();
  if (d->batches == 0 || now - d->last_us > 2000)
    d->dispatches++;
  if (d->batches > 0 && b->first_index != d->next_index)
    d->gap = TRUE;
  d->last_us = now;
  d->next_index = b->first_index + b->count;
  d->batches++;
}

static void
count_dispatches (NbDevice *dev, double seconds, Dispatches *d)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  *d = (Dispatches){ 0 };
  gulong id = g_signal_connect (dev, "telemetry", G_CALLBACK (on_batch_dispatch), d);
  g_timeout_add ((guint) (seconds * 1000), quit, loop);
  g_main_loop_run (loop);
  g_signal_handler_disconnect (dev, id);
}

/* With a rest interval, a pen at rest reaches the main loop about ten times a second with all its
 * batches; once the motor runs, every batch goes at once again. */
static void
test_rest_dispatch (void)
{
  g_autoptr (NbDevice) dev = open_ok ("sim:depth-offset=0,depth-gain=1,rate-error=0");
  g_autoptr (GError) error = NULL;
  nb_device_set_rest_dispatch_interval (dev, 100);
  g_assert_true (nb_device_stream_start (dev, NULL, &error));
  Dispatches d;
  count_dispatches (dev, 0.2, &d); /* settle */
  count_dispatches (dev, 1.0, &d);
  g_printerr ("# at rest: %u batches in %u dispatches\n", d.batches, d.dispatches);
  g_assert_cmpuint (d.batches, >, 150); /* 200 a second: none held back for long */
  g_assert_false (d.gap);
  g_assert_cmpuint (d.dispatches, <=, 14);
  g_assert_cmpuint (d.dispatches, >=, 7);

  g_assert_true (nb_device_motor_start (dev, NULL, &error));
  count_dispatches (dev, 0.2, &d);
  count_dispatches (dev, 1.0, &d);
  g_printerr ("# motor on: %u batches in %u dispatches\n", d.batches, d.dispatches);
  g_assert_false (d.gap);
  g_assert_cmpuint (d.dispatches, >, 50);
  g_assert_true (nb_device_motor_stop (dev, NULL, &error));
  g_assert_true (nb_device_stream_stop (dev, NULL, &error));
}

/* Watches the last request time for @seconds and returns the longest gap between requests. */
static gint64
longest_request_gap_us (NbDevice *dev, double seconds, guint64 *requests)
{
  NbDeviceStats st;
  nb_device_get_stats (dev, &st);
  gint64 last = st.last_request_us, longest = 0;
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  guint64 first_count = st.requests;
  while (g_get_monotonic_time () < end)
    {
      g_usleep (10 * 1000);
      nb_device_get_stats (dev, &st);
      /* the stamps themselves, not when this loop saw them: no polling jitter in the gap */
      if (st.last_request_us != last)
        longest = MAX (longest, st.last_request_us - last);
      last = st.last_request_us;
    }
  longest = MAX (longest, g_get_monotonic_time () - last);
  *requests = st.requests - first_count;
  return longest;
}

static void
test_keepalive (void)
{
  /* while the motor runs the pen hears from the host at least every 500 ms, with nothing asked by
   * the caller; its watchdog (2 s) keeps the motor running */
  g_autoptr (NbDevice) dev = open_ok ("sim:time-scale=1");
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_device_stream_start (dev, NULL, &error));
  g_assert_true (nb_device_motor_start (dev, NULL, &error));
  guint64 requests = 0;
  gint64 gap = longest_request_gap_us (dev, 3.0, &requests);
  g_test_message ("motor on: %" G_GUINT64_FORMAT " requests in 3 s, longest gap %.0f ms", requests,
                  gap / 1000.0);
  g_assert_cmpint (gap, <, 500 * 1000);
  g_assert_cmpuint (requests, >=, 6);
  NbStatus status;
  g_assert_true (nb_device_get_status (dev, &status, NULL, &error));
  g_assert_true (status.flags & NB_STATUS_MOTOR_RUNNING);
  NbDeviceStats st;
  nb_device_get_stats (dev, &st);
  g_assert_cmpuint (st.keepalive_failures, ==, 0);

  /* motor off: the host is silent again */
  g_assert_true (nb_device_motor_stop (dev, NULL, &error));
  longest_request_gap_us (dev, 1.0, &requests);
  g_assert_cmpuint (requests, ==, 0);
  g_assert_true (nb_device_stream_stop (dev, NULL, &error));
}

static void
test_jam_event (void)
{
  g_autoptr (NbDevice) dev = open_ok ("sim:jam,time-scale=4");
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Watch w = { .loop = loop };
  g_signal_connect (dev, "event", G_CALLBACK (on_event), &w);
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_device_motor_start (dev, NULL, &error));
  g_timeout_add (400, quit, loop);
  g_main_loop_run (loop);
  g_assert_cmpuint (w.jams, ==, 1);
  g_assert_false (nb_device_motor_start (dev, NULL, &error));
  g_assert_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_NAK);
  g_assert_nonnull (strstr (error->message, "jammed"));
}

static void
make_table (NbCalTable *t, gint32 corr)
{
  nb_cal_table_init_factory (t);
  t->calibrated_at = 1764000000;
  g_strlcpy (t->certificate, "NB-C-0001", sizeof t->certificate);
  t->n_points = 2;
  t->points[0] = (NbCalPoint){ 500, corr };
  t->points[1] = (NbCalPoint){ 2000, corr - 10 };
}

static void
test_calibration (void)
{
  g_autofree char *dir = g_dir_make_tmp ("nb-dev-XXXXXX", NULL);
  g_autofree char *eeprom = g_build_filename (dir, "eeprom.bin", NULL);
  g_autofree char *uri = g_strdup_printf ("sim:eeprom=%s", eeprom);
  g_autofree char *uri_reset = g_strdup_printf ("sim:eeprom=%s,reset-on-cal-write", eeprom);
  NbCalTable t, back;
  g_autoptr (GError) error = NULL;

  make_table (&t, -40);
  {
    g_autoptr (NbDevice) dev = open_ok (uri);
    g_assert_true (nb_device_write_calibration (dev, &t, NULL, &error));
    g_assert_no_error (error);
  }
  {
    /* the pen kept it */
    g_autoptr (NbDevice) dev = open_ok (uri);
    g_assert_true (nb_device_read_calibration (dev, &back, NULL, &error));
    g_assert_true (nb_cal_table_equal (&t, &back));
  }
  {
    /* a reset in the middle of the write: clear error, old table in force */
    g_autoptr (NbDevice) dev = open_ok (uri_reset);
    NbCalTable t2;
    make_table (&t2, -90);
    g_assert_false (nb_device_write_calibration (dev, &t2, NULL, &error));
    g_assert_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_RESET);
    g_clear_error (&error);
    g_assert_true (nb_device_read_calibration (dev, &back, NULL, &error));
    g_assert_true (nb_cal_table_equal (&t, &back));
  }
  {
    /* without retries the reset leaves the CAL_WRITE unanswered: still reported as the reset */
    g_autoptr (NbDevice) dev = nb_device_open_full (uri_reset, 250, 0, NULL, &error);
    g_assert_no_error (error);
    NbCalTable t2;
    make_table (&t2, -90);
    g_assert_false (nb_device_write_calibration (dev, &t2, NULL, &error));
    g_assert_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_RESET);
    g_assert_nonnull (strstr (error->message, "previous table still in force"));
    g_clear_error (&error);
    g_assert_true (nb_device_read_calibration (dev, &back, NULL, &error));
    g_assert_true (nb_cal_table_equal (&t, &back));
  }
  g_unlink (eeprom);
  g_rmdir (dir);
}

static void
test_calibration_changes_depth (void)
{
  /* the pen delivers 0.1 mm too deep; a -100 µm correction brings it back */
  g_autofree char *dir = g_dir_make_tmp ("nb-dev-XXXXXX", NULL);
  g_autofree char *eeprom = g_build_filename (dir, "eeprom.bin", NULL);
  g_autofree char *uri = g_strdup_printf (
      "sim:eeprom=%s,depth-offset=0.1,depth-gain=1,rate-error=0,time-scale=4", eeprom);
  double means[2];
  for (int pass = 0; pass < 2; pass++)
    {
      g_autoptr (NbDevice) dev = open_ok (uri);
      g_autoptr (GError) error = NULL;
      if (pass == 1)
        {
          NbCalTable t;
          nb_cal_table_init_factory (&t);
          t.n_points = 1;
          t.points[0] = (NbCalPoint){ 1000, -100 };
          g_assert_true (nb_device_write_calibration (dev, &t, NULL, &error));
        }
      g_autoptr (NbAcquisition) acq = nb_acquisition_new (dev);
      g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
      g_assert_true (nb_device_set_depth (dev, 1.0, NULL, &error));
      g_assert_true (nb_device_stream_start (dev, NULL, &error));
      g_assert_true (nb_device_motor_start (dev, NULL, &error));
      g_timeout_add (300, quit, loop);
      g_main_loop_run (loop);
      NbAcquisitionSummary s;
      nb_acquisition_get_summary (acq, &s);
      g_assert_cmpuint (s.strokes, >, 50);
      means[pass] = s.depth_mm.mean;
    }
  g_assert_cmpfloat (fabs (means[0] - 1.1), <, 0.01);
  g_assert_cmpfloat (fabs (means[1] - 1.0), <, 0.01);
  g_unlink (eeprom);
  g_rmdir (dir);
}

static void
test_lost (void)
{
  g_autoptr (NbDevice) dev = open_ok ("sim:disconnect=1");
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Watch w = { .loop = loop };
  g_signal_connect (dev, "lost", G_CALLBACK (on_lost), &w);
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_device_stream_start (dev, NULL, &error));
  gint64 start = g_get_monotonic_time ();
  guint guard = g_timeout_add (5000, quit, loop);
  g_main_loop_run (loop);
  g_source_remove (guard);
  g_assert_true (w.lost);
  g_assert_nonnull (w.lost_message);
  g_assert_cmpint (w.lost_at - start, <, 2 * G_USEC_PER_SEC);
  g_assert_false (nb_device_is_connected (dev));
  g_assert_false (nb_device_ping (dev, NULL, &error));
  g_assert_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_DISCONNECTED);
  /* a boxed GError, so bindings and generic marshallers see what it is */
  GSignalQuery q;
  g_signal_query (g_signal_lookup ("lost", NB_TYPE_DEVICE), &q);
  g_assert_cmpuint (q.n_params, ==, 1);
  g_assert_true ((q.param_types[0] & ~G_SIGNAL_TYPE_STATIC_SCOPE) == G_TYPE_ERROR);
  g_free (w.lost_message);
}

static void
test_stall_and_cancel (void)
{
  g_autoptr (NbDevice) dev = open_ok ("sim:stall=0.2");
  g_usleep (400000);
  g_autoptr (GError) error = NULL;
  /* no answer: the request gives up after its retries, not never */
  gint64 t0 = g_get_monotonic_time ();
  g_assert_false (nb_device_ping (dev, NULL, &error));
  g_assert_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 2 * G_USEC_PER_SEC);
  g_clear_error (&error);
  /* a cancelled request returns at once */
  g_autoptr (GCancellable) c = g_cancellable_new ();
  g_cancellable_cancel (c);
  t0 = g_get_monotonic_time ();
  g_assert_false (nb_device_ping (dev, c, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, G_USEC_PER_SEC / 2);
  /* close does not hang on a silent pen */
  nb_device_close (dev);
}

typedef struct
{
  NbDevice *dev;
  guint kind;
  guint ok;
  GError *error; /* the first failure */
  GError *after; /* a request once the first one failed */
} Hammer;

static gpointer
hammer (gpointer data)
{
  Hammer *h = data;
  for (;;)
    {
      NbStatus st;
      gboolean ok = h->kind == 0   ? nb_device_set_depth (h->dev, 1.0, NULL, &h->error)
                    : h->kind == 1 ? nb_device_ping (h->dev, NULL, &h->error)
                                   : nb_device_get_status (h->dev, &st, NULL, &h->error);
      if (!ok)
        break;
      h->ok++;
    }
  g_assert_false (nb_device_ping (h->dev, NULL, &h->after));
  return NULL;
}

typedef struct
{
  gint closed; /* atomic: nb_device_close has returned */
  gint late;   /* atomic: signals emitted after that */
  guint batches;
} CloseWatch;

static void
on_batch_after_close (NbDevice *dev, const NbTelemetryBatch *b, CloseWatch *cw)
{
  cw->batches++;
  if (g_atomic_int_get (&cw->closed))
    g_atomic_int_inc (&cw->late);
}

static gpointer
close_later (gpointer data)
{
  NbDevice *dev = data;
  g_usleep (300 * 1000);
  nb_device_close (dev);
  return NULL;
}

static void
test_close_while_requesting (void)
{
  for (guint round = 0; round < 10; round++)
    {
      g_autoptr (NbDevice) dev = open_ok ("sim:time-scale=8");
      g_autoptr (GError) error = NULL;
      CloseWatch cw = { 0 };
      g_signal_connect (dev, "telemetry", G_CALLBACK (on_batch_after_close), &cw);
      g_assert_true (nb_device_stream_start (dev, NULL, &error));
      g_assert_true (nb_device_motor_start (dev, NULL, &error));

      Hammer h[6];
      guint total_ok = 0;
      GThread *threads[G_N_ELEMENTS (h)];
      for (guint i = 0; i < G_N_ELEMENTS (h); i++)
        {
          h[i] = (Hammer){ .dev = dev, .kind = i % 3 };
          threads[i] = g_thread_new ("hammer", hammer, &h[i]);
        }
      /* odd rounds close from another thread while this one dispatches telemetry */
      if (round % 2)
        {
          GThread *closer = g_thread_new ("closer", close_later, dev);
          while (nb_device_is_connected (dev))
            g_main_context_iteration (NULL, FALSE);
          g_thread_join (closer);
        }
      else
        {
          gint64 end = g_get_monotonic_time () + 200 * 1000;
          while (g_get_monotonic_time () < end)
            g_main_context_iteration (NULL, FALSE);
          nb_device_close (dev);
        }
      g_atomic_int_set (&cw.closed, TRUE);
      for (guint i = 0; i < G_N_ELEMENTS (h); i++)
        {
          g_thread_join (threads[i]);
          g_assert_error (h[i].error, G_IO_ERROR, G_IO_ERROR_CLOSED);
          g_assert_error (h[i].after, G_IO_ERROR, G_IO_ERROR_CLOSED);
          g_clear_error (&h[i].error);
          g_clear_error (&h[i].after);
          total_ok += h[i].ok; /* GMutex is not fair: one thread may get no turn */
        }
      g_assert_cmpuint (total_ok, >, 10);
      /* batches queued before the close are dropped, not delivered late */
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_assert_cmpint (g_atomic_int_get (&cw.late), ==, 0);
      g_assert_cmpuint (cw.batches, >, 0);
      g_assert_false (nb_device_set_rate (dev, 100, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
    }
}

static void
test_bad_uri (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NbDevice) dev = nb_device_open ("sim:depth-gain=7", NULL, &error);
  g_assert_null (dev);
  g_assert_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_INVALID_URI);
  g_clear_error (&error);
  g_autoptr (NbDevice) dev2 = nb_device_open ("serial:/dev/does-not-exist", NULL, &error);
  g_assert_null (dev2);
  g_assert_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_NOT_FOUND);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  nb_sim_transport_register ();
  g_test_add_func ("/device/identify", test_identify);
  g_test_add_func ("/device/stream", test_stream);
  g_test_add_func ("/device/rest-dispatch", test_rest_dispatch);
  g_test_add_func ("/device/keepalive", test_keepalive);
  g_test_add_func ("/device/jam-event", test_jam_event);
  g_test_add_func ("/device/calibration", test_calibration);
  g_test_add_func ("/device/calibration-changes-depth", test_calibration_changes_depth);
  g_test_add_func ("/device/lost", test_lost);
  g_test_add_func ("/device/stall-and-cancel", test_stall_and_cancel);
  g_test_add_func ("/device/close-while-requesting", test_close_while_requesting);
  g_test_add_func ("/device/bad-uri", test_bad_uri);
  return g_test_run ();
}
