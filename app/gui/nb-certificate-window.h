/* nb-certificate-window.h: the calibration wizard's certificate step, a window over the main one
 * for a completed run: the laboratory (once, when none is set), the customer and the item, then
 * the certificate's pages as they will print, the signatures collected with a password prompt
 * (user, meaning; an approval issues it), and its files saved to a folder. A pen self-check gets
 * a verification report, titled as not being a calibration certificate, with no number and no
 * signatures. The store and file work runs in workers (nb-certificates.h). */
#pragma once

#include <adwaita.h>

#include "nb-certificates.h"

G_BEGIN_DECLS

#define NB_TYPE_CERTIFICATE_WINDOW (nb_certificate_window_get_type ())
G_DECLARE_FINAL_TYPE (NbCertificateWindow, nb_certificate_window, NB, CERTIFICATE_WINDOW, AdwWindow)

/* Preview resolution of the pages, dots per inch. */
#define NB_CERTIFICATE_PREVIEW_DPI 60

/* nb_certificate_window_new: for run @run_id of database @db_path (NULL or "": the default),
 * @traceable FALSE for a self-check. Reads the laboratory and the users at once. */
NbCertificateWindow *nb_certificate_window_new (GtkWindow *parent, const char *db_path,
                                                gint64 run_id, gboolean traceable);

/* What the tests drive (the buttons do the same). */
gboolean nb_certificate_window_is_busy (NbCertificateWindow *self);
/* "lab", "form" or "preview" */
const char *nb_certificate_window_get_step (NbCertificateWindow *self);
const char *nb_certificate_window_get_status (NbCertificateWindow *self);
void nb_certificate_window_fill_lab (NbCertificateWindow *self, const char *name,
                                     const char *address);
void nb_certificate_window_fill_form (NbCertificateWindow *self, const char *customer,
                                      const char *address, const char *received,
                                      const char *condition);
/* (transfer none) the certificate shown, or NULL before the preview */
const NbCertificatePreview *nb_certificate_window_get_preview (NbCertificateWindow *self);
/* The signing prompt: opened by the "cert.sign" action; filled, then signed as its Sign button
 * does (FALSE: no such user in the list). */
GtkWindow *nb_certificate_window_get_sign_dialog (NbCertificateWindow *self);
gboolean nb_certificate_window_sign_fill (NbCertificateWindow *self, const char *user,
                                          NbSignMeaning meaning, const char *password);
void nb_certificate_window_sign_submit (NbCertificateWindow *self);
/* the prompt's error (a wrong password…), NULL when none is shown */
const char *nb_certificate_window_get_sign_error (NbCertificateWindow *self);
/* What the folder chooser does with the folder chosen. */
void nb_certificate_window_save_to (NbCertificateWindow *self, const char *dir);
/* (transfer none) (element-type filename) the files of the last save, or NULL */
GPtrArray *nb_certificate_window_get_saved (NbCertificateWindow *self);

G_END_DECLS
