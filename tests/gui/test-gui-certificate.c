/* test-gui-certificate.c: the certificate step of the Calibration wizard and the Certificates
 * page in the real application under Xvfb. A calibration of the simulated station completes; its
 * result step opens the certificate window, which asks for the laboratory (none set), takes the
 * customer, previews the certificate's pages, refuses a wrong password, collects a technician's
 * "performed" and an approver's "approved" signature (users made with the store API, passwords
 * known here), is then issued and saves PDF, JSON, CSV and DCC to a folder; the JSON verifies
 * against the laboratory's public key. The Certificates page lists it as issued with both
 * signatures, Verify says valid, the pen is listed with its due date and a standard expiring in
 * ten days is marked. Screenshots: the preview, the signing prompt, the issued certificate and
 * the Certificates page. */
#include <glib/gstdio.h>
#include <string.h>

#include "gui-test-util.h"
#include "nb-certificate.h"
#include "nb-certificate-seal.h"
#include "nb-certificate-window.h"
#include "nb-lab-key.h"
#include "nb-sim-transport.h"
#include "nb-store-certificates.h"
#include "nb-store-standards.h"

#define PEN_ERRORS "sim:depth-offset=0.12,depth-gain=1.04,time-scale=2"
#define FIXTURE_SERIAL "NB-FIX-SIM-0001"
#define OLD_FIXTURE "NB-FIX-OLD-0002"
#define TECH_PASSWORD "tess-password-1"
#define APPROVER_PASSWORD "ann-password-1"

static NbApplication *app;
static NbWindow *win;
static NbCalibrationPage *page;
static NbCalibration *cal;
static NbCertificateWindow *cw;
static char *eeprom, *out_dir, *number;

static gboolean
not_running (gpointer data)
{
  return !nb_calibration_is_running (cal);
}

static gboolean
cw_idle (gpointer data)
{
  return !nb_certificate_window_is_busy (cw);
}

static gboolean
page_idle (gpointer data)
{
  return !nb_certificates_page_is_busy (data);
}

static void
shot (GtkWidget *widget, const char *name)
{
  nb_test_pump (0.5);
  nb_test_save_png (widget, name);
}

/* The fixture's standard, one expiring in ten days, and the two people who sign. */
static void
seed_store (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_store_open (NULL, &error);
  g_assert_no_error (error);
  NbStoreStandardParams std = { .serial = FIXTURE_SERIAL,
                                .certificate = "CERT-GUI-7",
                                .uncertainty_mm = 0.002,
                                .k = 2,
                                .due = "2099-12-31" };
  g_assert_cmpint (nb_store_add_standard (store, &std, &error), >, 0);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) soon = g_date_time_add_days (now, 10);
  g_autofree char *due = g_date_time_format (soon, "%Y-%m-%d");
  NbStoreStandardParams old = {
    .serial = OLD_FIXTURE, .certificate = "CERT-OLD-3", .uncertainty_mm = 0.003, .k = 2, .due = due
  };
  g_assert_cmpint (nb_store_add_standard (store, &old, &error), >, 0);
  g_assert_cmpint (nb_store_add_user (store, "tess", "Tess Tech", NB_USER_TECHNICIAN, TECH_PASSWORD,
                                      NULL, &error),
                   >, 0);
  g_assert_cmpint (nb_store_add_user (store, "ann", "Ann Approver", NB_USER_APPROVER,
                                      APPROVER_PASSWORD, NULL, &error),
                   >, 0);
  g_assert_no_error (error);
}

static void
test_calibrate (void)
{
  nb_window_show_page (win, "calibration");
  g_autofree char *pen = g_strdup_printf (PEN_ERRORS ",eeprom=%s", eeprom);
  g_assert_true (nb_calibration_page_choose (page, pen, "sim-fixture:", "cheek-chin-thick", 1));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "calibration.start", NULL));
  g_assert_true (nb_test_wait (not_running, NULL, 180));
  g_assert_null (nb_calibration_get_error (cal));
  g_assert_cmpint (nb_calibration_get_state (cal), ==, NB_PROCEDURE_DONE);
  g_assert_true (nb_calibration_get_result (cal)->traceable);
  GtkWidget *button
      = GTK_WIDGET (nb_test_find_action_button (GTK_WIDGET (page), "calibration.certificate"));
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Certificate…");
  shot (GTK_WIDGET (win), "certificate-result-step.png");
}

/* No laboratory yet: its form first; then the customer; then the pages. */
static void
test_preview (void)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "calibration.certificate", NULL));
  cw = nb_calibration_page_get_certificate_window (page);
  g_assert_nonnull (cw);
  g_assert_true (nb_test_wait (cw_idle, NULL, 20));
  g_assert_cmpstr (nb_certificate_window_get_step (cw), ==, "lab");
  shot (GTK_WIDGET (cw), "certificate-lab.png");
  nb_certificate_window_fill_lab (cw, "NeedleBench Test Laboratory", "1 Bench Road, Testville");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (cw), "cert.save-lab", NULL));
  g_assert_true (nb_test_wait (cw_idle, NULL, 20));
  g_assert_cmpstr (nb_certificate_window_get_step (cw), ==, "form");
  nb_certificate_window_fill_form (cw, "Dermatology Clinic Ltd", "5 Skin Street, Testville",
                                   "2026-11-30", "Sealed box, no damage");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (cw), "cert.preview", NULL));
  g_assert_true (nb_test_wait (cw_idle, NULL, 60));
  const NbCertificatePreview *p = nb_certificate_window_get_preview (cw);
  g_assert_nonnull (p);
  g_assert_cmpstr (nb_certificate_window_get_step (cw), ==, "preview");
  g_assert_nonnull (p->number);
  g_assert_true (g_str_has_prefix (p->number, "NB-"));
  g_assert_cmpstr (p->status, ==, "draft");
  g_assert_cmpuint (p->pages->len, >=, 2);
  /* an A4 page (595.28 pt wide) at 60 dpi, as pdftoppm rounds it up */
  g_assert_cmpint (gdk_texture_get_width (p->pages->pdata[0]), ==, 497);
  g_assert_nonnull (strstr (p->document, "Dermatology Clinic Ltd"));
  g_assert_nonnull (strstr (p->document, "NeedleBench Test Laboratory"));
  number = g_strdup (p->number);
  shot (GTK_WIDGET (cw), "certificate-preview.png");
}

static void
sign (const char *user, NbSignMeaning meaning, const char *password)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (cw), "cert.sign", NULL));
  GtkWindow *d = nb_certificate_window_get_sign_dialog (cw);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (d)));
  g_assert_true (nb_certificate_window_sign_fill (cw, user, meaning, password));
  nb_certificate_window_sign_submit (cw);
  g_assert_true (nb_test_wait (cw_idle, NULL, 60));
}

static void
test_sign (void)
{
  /* a wrong password: said in the prompt, nothing signed, the prompt stays */
  sign ("tess", NB_SIGN_PERFORMED, "not-her-password");
  const char *err = nb_certificate_window_get_sign_error (cw);
  g_assert_nonnull (err);
  g_assert_cmpstr (err, ==, "Not signed: wrong password for user tess");
  GtkWindow *d = nb_certificate_window_get_sign_dialog (cw);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (d)));
  g_assert_cmpuint (nb_certificate_window_get_preview (cw)->signatures->len, ==, 0);
  shot (GTK_WIDGET (d), "certificate-sign.png");
  gtk_window_set_focus (d, NULL);
  gtk_widget_set_visible (GTK_WIDGET (d), FALSE);

  sign ("tess", NB_SIGN_PERFORMED, TECH_PASSWORD);
  g_assert_null (nb_certificate_window_get_sign_error (cw));
  const NbCertificatePreview *p = nb_certificate_window_get_preview (cw);
  g_assert_cmpuint (p->signatures->len, ==, 1);
  g_assert_cmpstr (p->status, ==, "draft");

  sign ("ann", NB_SIGN_APPROVED, APPROVER_PASSWORD);
  g_assert_null (nb_certificate_window_get_sign_error (cw));
  p = nb_certificate_window_get_preview (cw);
  g_assert_cmpstr (p->status, ==, "issued");
  g_assert_cmpstr (p->number, ==, number);
  g_assert_cmpuint (p->signatures->len, ==, 2);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (d)));
  shot (GTK_WIDGET (cw), "certificate-issued.png");
}

/* The files as `needlebench-cli certificate RUN --out DIR` writes them; the JSON verifies. */
static void
test_save (void)
{
  nb_certificate_window_save_to (cw, out_dir);
  g_assert_true (nb_test_wait (cw_idle, NULL, 60));
  GPtrArray *saved = nb_certificate_window_get_saved (cw);
  g_assert_nonnull (saved);
  g_assert_cmpuint (saved->len, ==, 4);
  static const char *const ext[] = { ".json", ".csv", ".dcc.xml", ".pdf" };
  for (guint i = 0; i < G_N_ELEMENTS (ext); i++)
    {
      g_autofree char *name = g_strconcat (number, ext[i], NULL);
      g_autofree char *path = g_build_filename (out_dir, name, NULL);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
  /* the DCC validates against the DCC 3.2.0 schema kept in tests/data/dcc */
  {
    g_autofree char *script
        = g_build_filename (g_getenv ("NB_DCC_SCHEMAS"), "validate-dcc.sh", NULL);
    g_autofree char *dcc_name = g_strconcat (number, ".dcc.xml", NULL);
    g_autofree char *dcc_path = g_build_filename (out_dir, dcc_name, NULL);
    const char *argv[] = { "sh", script, "3.2.0", dcc_path, NULL };
    g_autofree char *err = NULL;
    int status = 0;
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                                 &err, &status, NULL));
    if (!g_spawn_check_wait_status (status, NULL))
      g_error ("%s does not validate:\n%s", dcc_path, err);
  }
  g_autofree char *json_name = g_strconcat (number, ".json", NULL);
  g_autofree char *json_path = g_build_filename (out_dir, json_name, NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (json_path, &text, NULL, NULL));
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) doc = nb_certificate_parse (text, -1, &error);
  g_assert_no_error (error);
  g_autofree char *secret = nb_lab_key_default_path ();
  g_autofree char *pub = nb_lab_key_public_path (secret);
  g_autoptr (NbLabKey) key = nb_lab_key_load_public (pub, &error);
  g_assert_no_error (error);
  g_assert_true (nb_certificate_verify (json_node_get_object (doc), key, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (doc), "status"), ==,
                   "issued");
  /* the PDF carries the laboratory's seal over its bytes and the same document */
  g_autofree char *pdf_name = g_strconcat (number, ".pdf", NULL);
  g_autofree char *pdf_path = g_build_filename (out_dir, pdf_name, NULL);
  g_autofree char *pdf = NULL;
  gsize pdf_len = 0;
  g_assert_true (g_file_get_contents (pdf_path, &pdf, &pdf_len, NULL));
  g_autoptr (GBytes) pdf_bytes = g_bytes_new (pdf, pdf_len);
  g_autoptr (NbCertificateSeal) seal = nb_certificate_verify_pdf (pdf_bytes, key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (seal->number, ==, number);
  gtk_window_destroy (GTK_WINDOW (cw));
  nb_test_pump (0.2);
  g_assert_null (nb_calibration_page_get_certificate_window (page));
}

static void
test_page (void)
{
  NbCertificatesPage *certs = nb_window_get_certificates_page (win);
  nb_window_show_page (win, "certificates");
  nb_test_pump (0.1);
  g_assert_true (nb_test_wait (page_idle, certs, 20));
  g_auto (GStrv) rows = nb_certificates_page_get_rows (certs);
  for (guint i = 0; rows[i]; i++)
    g_printerr ("# %s\n", rows[i]);
  g_assert_cmpuint (g_strv_length (rows), ==, 1);
  g_assert_true (g_str_has_prefix (rows[0], number));
  g_assert_nonnull (strstr (rows[0], " | issued | Tess Tech (performed), Ann Approver (approved)"));
  g_assert_true (nb_certificates_page_select (certs, number));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (certs), "certificates.verify", NULL));
  g_assert_true (nb_test_wait (page_idle, certs, 30));
  g_autofree char *valid = g_strdup_printf ("%s is valid", number);
  g_assert_true (g_str_has_prefix (nb_certificates_page_get_verify_text (certs), valid));
  g_auto (GStrv) due = nb_certificates_page_get_due_rows (certs);
  for (guint i = 0; due[i]; i++)
    g_printerr ("# %s\n", due[i]);
  g_assert_cmpuint (g_strv_length (due), ==, 1);
  /* the profile's interval after today's calibration */
  g_assert_nonnull (strstr (due[0], "| due in "));
  g_auto (GStrv) stds = nb_certificates_page_get_standard_rows (certs);
  for (guint i = 0; stds[i]; i++)
    g_printerr ("# %s\n", stds[i]);
  g_assert_cmpuint (g_strv_length (stds), ==, 2);
  g_assert_true (g_str_has_prefix (stds[0], OLD_FIXTURE " | CERT-OLD-3 | "));
  g_assert_true (g_str_has_suffix (stds[0], "| expiring soon: due in 10 days"));
  g_assert_true (g_str_has_prefix (stds[1], FIXTURE_SERIAL " | CERT-GUI-7 | 2099-12-31 | due in "));
  gtk_window_set_default_size (GTK_WINDOW (win), 1280, 800);
  shot (GTK_WIDGET (win), "certificates-page.png");
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_autofree char *data_home = g_dir_make_tmp ("nb-gui-cert-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  eeprom = g_build_filename (data_home, "pen.eeprom", NULL);
  out_dir = g_build_filename (data_home, "out", NULL);
  g_test_init (&argc, &argv, NULL);
  nb_sim_transport_register ();
  gtk_init ();
  /* Xvfb has no window manager: a blinking cursor in a window that lost the X focus warns */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  seed_store ();
  win = nb_test_start_app (&app);
  page = nb_window_get_calibration_page (win);
  cal = nb_calibration_page_get_calibration (page);
  gtk_window_set_default_size (GTK_WINDOW (win), 1280, 800);
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (page), ADW_TYPE_VIEW_STACK);
  adw_view_stack_set_hhomogeneous (ADW_VIEW_STACK (stack), FALSE);
  adw_view_stack_set_vhomogeneous (ADW_VIEW_STACK (stack), FALSE);

  g_test_add_func ("/gui-certificate/calibrate", test_calibrate);
  g_test_add_func ("/gui-certificate/preview", test_preview);
  g_test_add_func ("/gui-certificate/sign", test_sign);
  g_test_add_func ("/gui-certificate/save", test_save);
  g_test_add_func ("/gui-certificate/page", test_page);
  int rc = g_test_run ();

  nb_test_pump (0.2);
  g_object_unref (app);
  g_free (eeprom);
  g_free (out_dir);
  g_free (number);
  return rc;
}
