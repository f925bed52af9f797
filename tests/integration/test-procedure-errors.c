/* test-procedure-errors.c: how a calibration run ends when it cannot finish (issue 10 §2): a
 * jammed motor, a lost link, a reset during the table write, no valid standard, a cancellation.
 * Each ends with a clear error of the domain the CLI maps to its exit status, the motor off, the
 * pen's table as it was, and the run stored as failed or cancelled. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "procedure-harness.h"

/* A jammed motor: a device error, the motor off, the run stored as failed. */
static void
test_jam (void)
{
  Station st;
  station_init (&st, "cheek-chin-thick", TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (NbRunResult) r = run (&st, "NB-JAM", PERFECT ",jam", FALSE, FALSE, NULL, &error);
  g_assert_nonnull (r);
  g_assert_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_NAK);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "motor jammed"));
  g_assert_cmpint (r->status, ==, NB_RUN_FAILED);
  g_assert_false (r->has_verdict);
  g_assert_cmpstr (r->error, ==, error->message);
  assert_motor_off (&st);
  g_autoptr (NbStoreRun) sr = stored_run (&st, r->run_id);
  g_assert_cmpint (sr->status, ==, NB_RUN_FAILED);
  g_assert_null (sr->verdict);
  g_assert_cmpstr (sr->error, ==, error->message);
  g_autoptr (GPtrArray) t = stored_transitions (&st, r->run_id);
  g_assert_true (g_str_has_prefix (t->pdata[t->len - 1], "failed: "));
  station_clear (&st);
}

/* The pen's link goes silent in the middle of as-found: the device reports it lost, the run
 * ends with a device error and is stored as failed. */
static void
test_lost (void)
{
  Station st;
  station_init (&st, "cheek-chin-thick", TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (NbRunResult) r = run (&st, "NB-LOST", PERFECT ",stall=2", FALSE, FALSE, NULL, &error);
  g_assert_nonnull (r);
  g_assert_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_DISCONNECTED);
  g_test_message ("%s", error->message);
  g_assert_cmpint (r->status, ==, NB_RUN_FAILED);
  g_assert_nonnull (r->as_found); /* the first point (1.3 s) was measured before it */
  g_assert_cmpuint (r->as_found->depth->len, ==, 1);
  g_autoptr (NbStoreRun) sr = stored_run (&st, r->run_id);
  g_assert_cmpint (sr->status, ==, NB_RUN_FAILED);
  g_assert_cmpstr (sr->error, ==, error->message);
  g_assert_cmpuint (stored_points (&st, r->run_id).as_found, ==, 1);
  station_clear (&st);
}

/* A pen that resets on CAL_WRITE keeps its previous table (in force and in its EEPROM); the run
 * is stored as failed with the table before and none after. */
static void
test_reset_on_write (void)
{
  Station st;
  station_init (&st, "cheek-chin-thick", TRUE);
  NbCalTable previous;
  nb_cal_table_init_factory (&previous);
  previous.n_points = 2;
  previous.points[0] = (NbCalPoint){ 500, 10 };
  previous.points[1] = (NbCalPoint){ 2500, -10 };
  previous.calibrated_at = 1700000000;
  g_strlcpy (previous.certificate, "OLD-1", sizeof previous.certificate);
  guint8 buf[NB_FRAME_MAX_PAYLOAD];
  gsize len = nb_cal_table_encode (&previous, buf);
  g_assert_true (g_file_set_contents (st.eeprom, (const char *) buf, (gssize) len, NULL));

  g_autoptr (GError) error = NULL;
  const char *keys = PERFECT ",depth-offset=0.12,depth-gain=1.04,reset-on-cal-write";
  g_autoptr (NbRunResult) r = run (&st, "NB-RESET", keys, FALSE, FALSE, NULL, &error);
  g_assert_nonnull (r);
  g_assert_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_RESET);
  g_test_message ("%s", error->message);
  g_assert_cmpint (r->status, ==, NB_RUN_FAILED);
  g_assert_true (saw_state (&st, "write"));
  g_assert_false (r->adjusted);
  g_assert_false (r->has_table_after);
  g_assert_true (nb_cal_table_equal (&r->table_before, &previous));
  assert_motor_off (&st);
  g_clear_error (&error);

  /* the EEPROM holds the previous table byte for byte, and a pen on it reads it back */
  g_autofree char *data = NULL;
  gsize data_len = 0;
  g_assert_true (g_file_get_contents (st.eeprom, &data, &data_len, NULL));
  g_assert_cmpmem (data, data_len, buf, len);
  {
    g_autofree char *uri = pen_uri (&st, "NB-RESET", PERFECT);
    g_autoptr (NbDevice) pen = nb_device_open (uri, NULL, &error);
    g_assert_no_error (error);
    NbCalTable now;
    g_assert_true (nb_device_read_calibration (pen, &now, NULL, &error));
    g_assert_true (nb_cal_table_equal (&now, &previous));
    nb_device_close (pen);
  }

  g_autoptr (NbStoreRun) sr = stored_run (&st, r->run_id);
  g_assert_cmpint (sr->status, ==, NB_RUN_FAILED);
  g_assert_nonnull (strstr (sr->error, "reset"));
  NbStore *store = nb_store_open (st.db, &error);
  g_autoptr (GBytes) before = nb_store_get_run_table (store, r->run_id, "before", &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (before, NULL), g_bytes_get_size (before), buf, len);
  g_autoptr (GBytes) after = nb_store_get_run_table (store, r->run_id, "after", &error);
  g_assert_null (after);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND);
  nb_store_close (store);
  station_clear (&st);
}

/* No standard for the fixture, then one past due: refused with the store's error, the motor never
 * started, the run stored as failed. */
static void
test_no_standard (void)
{
  Station st;
  station_init (&st, "cheek-chin-thick", FALSE);
  g_autoptr (GError) error = NULL;
  g_autoptr (NbRunResult) r = run (&st, "NB-NOSTD", PERFECT, FALSE, FALSE, NULL, &error);
  g_assert_nonnull (r);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NO_STANDARD);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "standards add"));
  g_assert_cmpint (r->status, ==, NB_RUN_FAILED);
  g_assert_false (saw_state (&st, "warm-up"));
  g_assert_null (r->as_found);
  assert_motor_off (&st);
  /* nothing was even set: the pen still has the depth it starts with */
  g_autofree char *status = NULL;
  g_assert_true (g_file_get_contents (st.status, &status, NULL, NULL));
  g_assert_nonnull (strstr (status, " depth_um=500 "));
  g_autoptr (NbStoreRun) sr = stored_run (&st, r->run_id);
  g_assert_cmpint (sr->status, ==, NB_RUN_FAILED);
  g_assert_false (sr->traceable); /* nothing to trace it to */
  g_assert_cmpstr (sr->error, ==, error->message);
  g_clear_error (&error);

  /* a certificate past its due date: refused the same way, the run names the record */
  NbStore *store = nb_store_open (st.db, &error);
  NbStoreStandardParams sp = { .serial = FIXTURE_SERIAL,
                               .certificate = "LAB-2019-0001",
                               .uncertainty_mm = 0.002,
                               .k = 2,
                               .due = "2020-01-31" };
  gint64 std_id = nb_store_add_standard (store, &sp, &error);
  g_assert_no_error (error);
  nb_store_close (store);
  g_autoptr (NbRunResult) expired = run (&st, "NB-NOSTD", PERFECT, FALSE, FALSE, NULL, &error);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_STANDARD_EXPIRED);
  g_test_message ("%s", error->message);
  g_assert_cmpint (expired->status, ==, NB_RUN_FAILED);
  g_assert_false (saw_state (&st, "warm-up"));
  g_autoptr (NbStoreRun) sr2 = stored_run (&st, expired->run_id);
  g_assert_cmpint (sr2->status, ==, NB_RUN_FAILED);
  g_assert_true (sr2->traceable);
  g_assert_cmpint (sr2->standard_id, ==, std_id);
  station_clear (&st);
}

/* Cancelled in the middle of as-found: the motor off, the run stored as cancelled. */
static void
test_cancel (void)
{
  Station st;
  station_init (&st, "cheek-chin-thick", TRUE);
  st.cancel = g_cancellable_new ();
  st.cancel_at_point = 1;
  g_autoptr (GError) error = NULL;
  g_autoptr (NbRunResult) r = run (&st, "NB-CANCEL", PERFECT, FALSE, FALSE, NULL, &error);
  g_assert_nonnull (r);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (r->status, ==, NB_RUN_CANCELLED);
  /* the first point was measured and kept */
  g_assert_nonnull (r->as_found);
  g_assert_cmpuint (r->as_found->depth->len, ==, 1);
  assert_motor_off (&st);
  g_autoptr (NbStoreRun) sr = stored_run (&st, r->run_id);
  g_assert_cmpint (sr->status, ==, NB_RUN_CANCELLED);
  PointCount c = stored_points (&st, r->run_id);
  g_assert_cmpuint (c.as_found, ==, 1);
  station_clear (&st);
}

int
main (int argc, char **argv)
{
  harness_init (&argc, &argv);
  g_test_add_func ("/procedure/jam", test_jam);
  g_test_add_func ("/procedure/lost", test_lost);
  g_test_add_func ("/procedure/reset-on-write", test_reset_on_write);
  g_test_add_func ("/procedure/no-standard", test_no_standard);
  g_test_add_func ("/procedure/cancel", test_cancel);
  return g_test_run ();
}
