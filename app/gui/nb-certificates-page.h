/* nb-certificates-page.h: the Certificates page: every certificate with its number, pen, date,
 * status (draft, issued, voided) and signatures; "Verify" on the one selected (its signatures and
 * the laboratory's key, and the database's records: valid, or what failed); the pens due for
 * calibration (as `needlebench-cli due` computes it, nb-due.h) and the reference standards in force
 * with their due dates, those expired or expiring soon marked in words and colour. Read in
 * workers (nb-certificates.h). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define NB_TYPE_CERTIFICATES_PAGE (nb_certificates_page_get_type ())
G_DECLARE_FINAL_TYPE (NbCertificatesPage, nb_certificates_page, NB, CERTIFICATES_PAGE, GtkBox)

/* Standards and pens due within this many days are marked as expiring soon. */
#define NB_CERTIFICATES_SOON_DAYS 30

/* nb_certificates_page_set_store_path: the database (NULL or "": the default); reads it again. */
void nb_certificates_page_set_store_path (NbCertificatesPage *self, const char *path);
/* nb_certificates_page_refresh: reads the lists again (also the "certificates.refresh" action). */
void nb_certificates_page_refresh (NbCertificatesPage *self);
gboolean nb_certificates_page_is_busy (NbCertificatesPage *self);

/* For the tests: the rows as "NUMBER | PEN | DATE | STATUS | SIGNATURES" (signatures "name
 * (meaning), …"), "SERIAL | MODEL | LAST | DUE | WHEN" and "SERIAL | CERTIFICATE | DUE | WHEN". */
GStrv nb_certificates_page_get_rows (NbCertificatesPage *self);
GStrv nb_certificates_page_get_due_rows (NbCertificatesPage *self);
GStrv nb_certificates_page_get_standard_rows (NbCertificatesPage *self);
/* Selects the certificate numbered @number; FALSE when it is not listed. */
gboolean nb_certificates_page_select (NbCertificatesPage *self, const char *number);
/* The outcome of the last "certificates.verify", "" before one. */
const char *nb_certificates_page_get_verify_text (NbCertificatesPage *self);

G_END_DECLS
