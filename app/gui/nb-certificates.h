/* nb-certificates.h: the app's certificate work, off the main thread. Every function here runs
 * its SQLite, key, file and pdftoppm work in a GTask worker with its own store connection and
 * hands the result back in the main context: making (or reading back) a run's certificate and its
 * page images for the preview, signing it (an approval issues it, as `needlebench-cli sign`),
 * writing its files (the same nb_certificate_write_files () as `needlebench-cli certificate`),
 * and for the Certificates page the list of certificates with their signatures, verifying one,
 * and what is due (nb-due.h, as `needlebench-cli due`). No widgets: the tests drive it directly. */
#pragma once

#include <gtk/gtk.h>

#include "nb-due.h"
#include "nb-store-certificates.h"

G_BEGIN_DECLS

/* Who can sign, and the laboratory named on certificates (NULL: none set yet). */
typedef struct
{
  NbStoreLab *lab;
  GPtrArray *users; /* (element-type NbStoreUser), active ones only */
} NbCertificateSetup;
void nb_certificate_setup_free (NbCertificateSetup *setup);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbCertificateSetup, nb_certificate_setup_free)

void nb_certificate_setup_load_async (const char *db_path, GAsyncReadyCallback callback,
                                      gpointer user_data);
NbCertificateSetup *nb_certificate_setup_load_finish (GAsyncResult *res, GError **error);

/* nb_certificate_set_lab_async: records the laboratory's name and address (nb_store_set_lab). */
void nb_certificate_set_lab_async (const char *db_path, const char *name, const char *address,
                                   GAsyncReadyCallback callback, gpointer user_data);
gboolean nb_certificate_set_lab_finish (GAsyncResult *res, GError **error);

/* What the certificate says about the customer and the item (NULL or "": the defaults). */
typedef struct
{
  const char *customer_name;
  const char *customer_address;
  const char *received; /* YYYY-MM-DD */
  const char *condition;
} NbCertificateForm;

/* A certificate (or a self-check's verification report) as shown: its document and pages. */
typedef struct
{
  gint64 run_id;
  char *number;   /* NULL for a verification report */
  char *status;   /* "draft", "issued", "voided"; a report: "draft" */
  char *document; /* the canonical JSON */
  char *content_sha256;
  GPtrArray *pages;      /* (element-type GdkTexture) the PDF's pages */
  GPtrArray *signatures; /* (element-type NbStoreSignature) */
  gboolean existed;      /* the run had its certificate already: the form was not applied */
} NbCertificatePreview;
void nb_certificate_preview_free (NbCertificatePreview *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbCertificatePreview, nb_certificate_preview_free)

/* nb_certificate_prepare_async: the certificate of complete run @run_id: created with @form on
 * first use (its number allocated, a draft), else as stored; for a run that is not traceable a
 * verification report (no number, nothing stored). Its PDF is rendered and each page drawn to an
 * image with pdftoppm at @dpi. Errors: the store's (no laboratory set: NB_STORE_ERROR_NOT_FOUND;
 * a run that did not complete: _INVALID), the renderer's, or pdftoppm's. */
void nb_certificate_prepare_async (const char *db_path, gint64 run_id,
                                   const NbCertificateForm *form, int dpi,
                                   GAsyncReadyCallback callback, gpointer user_data);
NbCertificatePreview *nb_certificate_prepare_finish (GAsyncResult *res, GError **error);

/* nb_certificate_sign_async: @user signs certificate @number (shown with @content_sha256) with
 * @meaning after @password is checked; an approval issues it with the laboratory key (its default
 * file, created on first use). Then the certificate is prepared again (pages at @dpi). A wrong
 * password: NB_STORE_ERROR_DENIED. */
void nb_certificate_sign_async (const char *db_path, gint64 run_id, const char *number,
                                const char *content_sha256, const char *user, const char *password,
                                NbSignMeaning meaning, int dpi, GAsyncReadyCallback callback,
                                gpointer user_data);
NbCertificatePreview *nb_certificate_sign_finish (GAsyncResult *res, GError **error);

/* nb_certificate_save_async: writes the preview's document (PDF, JSON, CSV, and the DCC of a
 * certificate) into @dir (created 0700 if missing). Returns (transfer full) (element-type
 * filename) the paths written. */
void nb_certificate_save_async (const NbCertificatePreview *preview, const char *dir,
                                GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *nb_certificate_save_finish (GAsyncResult *res, GError **error);

/* One certificate on the Certificates page. */
typedef struct
{
  NbStoreCertificate *cert;
  char *pen_serial;
  GPtrArray *signatures; /* (element-type NbStoreSignature) */
} NbCertificateEntry;

/* Everything the Certificates page shows. */
typedef struct
{
  GPtrArray *certificates; /* (element-type NbCertificateEntry), newest first */
  GPtrArray *pens;         /* (element-type NbPenDue), nb_pen_due_compare order */
  GPtrArray *standards;    /* (element-type NbStoreStandard) in force, by due date */
  GDate today;
} NbCertificateList;
void nb_certificate_list_free (NbCertificateList *list);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbCertificateList, nb_certificate_list_free)

/* nb_certificate_list_async: reads it all read-only (a missing database is an empty list). */
void nb_certificate_list_async (const char *db_path, GAsyncReadyCallback callback,
                                gpointer user_data);
NbCertificateList *nb_certificate_list_finish (GAsyncResult *res, GError **error);

/* nb_certificate_verify_async: checks stored certificate @number as a customer would
 * (nb_certificate_verify against the laboratory's public key, lab.pub beside the default key)
 * and against the database (nb_certificate_verify_records). TRUE when valid; else FALSE with the
 * error saying what failed. */
void nb_certificate_verify_async (const char *db_path, const char *number,
                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean nb_certificate_verify_finish (GAsyncResult *res, GError **error);

/* nb_due_text: "overdue by N days", "due today", "due in N days" (@days_left G_MININT64: "due
 * now"), and whether it is to be marked: *@level 2 overdue/due now, 1 within @soon days, else 0. */
char *nb_due_text (gint64 days_left, gint64 soon, int *level);

G_END_DECLS
