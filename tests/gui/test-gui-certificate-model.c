/* test-gui-certificate-model.c: the app's certificate jobs (nb-certificates.h) headless, on runs
 * of the simulated station made by the wizard's model: no laboratory set is refused with the
 * store's reason; a pen self-check gets a verification report (no number, nothing stored, no DCC
 * written); a traceable run's draft does not verify (no laboratory signature); a wrong password
 * and an approval by a technician are refused and leave it unsigned; inactive users are not
 * offered; the due-date wording and its marks. */
#include <glib/gstdio.h>
#include <string.h>

#include "nb-calibration.h"
#include "nb-certificate.h"
#include "nb-certificates.h"
#include "nb-sim-transport.h"

#define PEN_ERRORS "depth-offset=0.12,depth-gain=1.04,time-scale=2"

static char *tmp_dir, *db_path;
static GAsyncResult *result;

static void
on_done (GObject *source, GAsyncResult *res, gpointer data)
{
  result = g_object_ref (res);
}

/* Runs the main loop until the job started before it has finished. */
static GAsyncResult *
wait_result (void)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (result);
  GAsyncResult *r = result;
  result = NULL;
  return r;
}

/* A completed run of the simulated pen, with the fixture (traceable) or alone (a self-check). */
static gint64
calibrate (gboolean traceable)
{
  g_autoptr (NbCalibration) cal = nb_calibration_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_calibration_load_profiles (cal, NULL, &error));
  g_assert_true (nb_calibration_set_profile (cal, "cheek-chin-thick"));
  nb_calibration_set_store_path (cal, db_path);
  nb_calibration_set_operator (cal, "certificate model test");
  g_autofree char *eeprom = g_build_filename (tmp_dir, "pen.eeprom", NULL);
  g_autofree char *pen = g_strdup_printf ("sim:" PEN_ERRORS ",eeprom=%s", eeprom);
  nb_calibration_set_station (cal, pen, traceable ? "sim-fixture:" : NULL);
  g_assert_true (nb_calibration_start (cal, &error));
  gint64 deadline = g_get_monotonic_time () + 180 * G_USEC_PER_SEC;
  while (nb_calibration_is_running (cal) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (nb_calibration_get_error (cal));
  const NbRunResult *r = nb_calibration_get_result (cal);
  g_assert_cmpint (r->traceable, ==, traceable);
  g_assert_cmpint (r->run_id, >, 0);
  return r->run_id;
}

static void
test_verification_report (void)
{
  gint64 run = calibrate (FALSE);
  g_autoptr (GError) error = NULL;

  /* no laboratory yet: the store's reason */
  nb_certificate_prepare_async (db_path, run, NULL, 30, on_done, NULL);
  g_autoptr (GAsyncResult) r1 = wait_result ();
  g_assert_null (nb_certificate_prepare_finish (r1, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  nb_certificate_set_lab_async (db_path, "Model Lab", "2 Test Lane", on_done, NULL);
  g_autoptr (GAsyncResult) r2 = wait_result ();
  g_assert_true (nb_certificate_set_lab_finish (r2, &error));

  NbCertificateForm form = { .customer_name = "Self-check customer", .received = "" };
  nb_certificate_prepare_async (db_path, run, &form, 30, on_done, NULL);
  g_autoptr (GAsyncResult) r3 = wait_result ();
  g_autoptr (NbCertificatePreview) p = nb_certificate_prepare_finish (r3, &error);
  g_assert_no_error (error);
  g_assert_null (p->number);
  g_assert_cmpuint (p->pages->len, >=, 1);
  g_assert_cmpuint (p->signatures->len, ==, 0);
  g_autoptr (JsonNode) doc = nb_certificate_parse (p->document, -1, &error);
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (doc);
  g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "verification-report");
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (o, "laboratory"), "name"), ==,
      "Model Lab");

  /* nothing stored: a report has no number */
  g_autoptr (NbStore) store = nb_store_open_full (db_path, NB_STORE_OPEN_READ_ONLY, &error);
  g_autoptr (GPtrArray) certs = nb_store_list_certificates (store, &error);
  g_assert_cmpuint (certs->len, ==, 0);

  g_autofree char *dir = g_build_filename (tmp_dir, "report", NULL);
  nb_certificate_save_async (p, dir, on_done, NULL);
  g_autoptr (GAsyncResult) r4 = wait_result ();
  g_autoptr (GPtrArray) written = nb_certificate_save_finish (r4, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (written->len, ==, 3);
  g_autofree char *base = g_strdup_printf ("verification-report-run-%" G_GINT64_FORMAT, run);
  static const char *const ext[] = { ".json", ".csv", ".pdf" };
  for (guint i = 0; i < G_N_ELEMENTS (ext); i++)
    {
      g_autofree char *name = g_strconcat (base, ext[i], NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_assert_cmpstr (written->pdata[i], ==, path);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
}

static void
test_refusals (void)
{
  g_autoptr (GError) error = NULL;
  {
    g_autoptr (NbStore) store = nb_store_open (db_path, &error);
    NbStoreStandardParams std = { .serial = "NB-FIX-SIM-0001",
                                  .certificate = "CERT-M-1",
                                  .uncertainty_mm = 0.002,
                                  .k = 2,
                                  .due = "2099-12-31" };
    g_assert_cmpint (nb_store_add_standard (store, &std, &error), >, 0);
    g_assert_cmpint (nb_store_add_user (store, "tom", "Tom Tech", NB_USER_TECHNICIAN,
                                        "tom-password-1", NULL, &error),
                     >, 0);
    g_assert_cmpint (
        nb_store_add_user (store, "gone", NULL, NB_USER_APPROVER, "gone-password-1", NULL, &error),
        >, 0);
    NbStoreUserChange off = { .set_active = TRUE, .active = FALSE };
    g_assert_cmpint (nb_store_change_user (store, "gone", &off, NULL, &error), >, 0);
  }
  nb_certificate_setup_load_async (db_path, on_done, NULL);
  g_autoptr (GAsyncResult) r0 = wait_result ();
  g_autoptr (NbCertificateSetup) setup = nb_certificate_setup_load_finish (r0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (setup->lab->name, ==, "Model Lab");
  g_assert_cmpuint (setup->users->len, ==, 1); /* "gone" is inactive */
  g_assert_cmpstr (((NbStoreUser *) setup->users->pdata[0])->name, ==, "tom");

  gint64 run = calibrate (TRUE);
  nb_certificate_prepare_async (db_path, run, NULL, 30, on_done, NULL);
  g_autoptr (GAsyncResult) r1 = wait_result ();
  g_autoptr (NbCertificatePreview) p = nb_certificate_prepare_finish (r1, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (p->number, "NB-"));
  g_assert_cmpstr (p->status, ==, "draft");

  /* a draft has no laboratory signature: not valid */
  nb_certificate_verify_async (db_path, p->number, on_done, NULL);
  g_autoptr (GAsyncResult) r2 = wait_result ();
  g_assert_false (nb_certificate_verify_finish (r2, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  nb_certificate_sign_async (db_path, run, p->number, p->content_sha256, "tom", "wrong-password",
                             NB_SIGN_PERFORMED, 30, on_done, NULL);
  g_autoptr (GAsyncResult) r3 = wait_result ();
  g_assert_null (nb_certificate_sign_finish (r3, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_DENIED);
  g_assert_cmpstr (error->message, ==, "wrong password for user tom");
  g_clear_error (&error);

  nb_certificate_sign_async (db_path, run, p->number, p->content_sha256, "tom", "tom-password-1",
                             NB_SIGN_APPROVED, 30, on_done, NULL);
  g_autoptr (GAsyncResult) r4 = wait_result ();
  g_assert_null (nb_certificate_sign_finish (r4, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_DENIED);
  g_clear_error (&error);

  nb_certificate_list_async (db_path, on_done, NULL);
  g_autoptr (GAsyncResult) r5 = wait_result ();
  g_autoptr (NbCertificateList) list = nb_certificate_list_finish (r5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->certificates->len, ==, 1);
  NbCertificateEntry *e = list->certificates->pdata[0];
  g_assert_cmpstr (e->cert->number, ==, p->number);
  g_assert_cmpint (e->cert->status, ==, NB_STORE_CERT_DRAFT);
  g_assert_cmpuint (e->signatures->len, ==, 0);
  g_assert_cmpstr (e->pen_serial, ==, "NB-SIM-0001");
}

static void
test_due_text (void)
{
  static const struct
  {
    gint64 days;
    const char *text;
    int level;
  } cases[] = {
    { G_MININT64, "due now", 2 }, { -2, "overdue by 2 days", 2 }, { -1, "overdue by 1 day", 2 },
    { 0, "due today", 1 },        { 1, "due in 1 day", 1 },       { 30, "due in 30 days", 1 },
    { 31, "due in 31 days", 0 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int level = -1;
      g_autofree char *text = nb_due_text (cases[i].days, 30, &level);
      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_cmpint (level, ==, cases[i].level);
    }
}

int
main (int argc, char **argv)
{
  tmp_dir = g_dir_make_tmp ("nb-cert-model-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", tmp_dir, TRUE);
  db_path = g_build_filename (tmp_dir, "needlebench.db", NULL);
  g_test_init (&argc, &argv, NULL);
  nb_sim_transport_register ();
  g_test_add_func ("/certificate-model/due-text", test_due_text);
  g_test_add_func ("/certificate-model/verification-report", test_verification_report);
  g_test_add_func ("/certificate-model/refusals", test_refusals);
  int rc = g_test_run ();
  g_free (db_path);
  g_free (tmp_dir);
  return rc;
}
