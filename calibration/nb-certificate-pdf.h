/* nb-certificate-pdf.h: the certificate document (nb-certificate.h) as an A4 PDF, drawn with
 * cairo and pango: every item of ISO/IEC 17025 7.8.2.1 and 7.8.4.1 (title, laboratory and place,
 * the number and "Page x of y" on every page and an end marker, customer, item and condition,
 * dates, method, environment, standards and traceability, as-found and as-left results with U and
 * k, rates, indication, the decision rule and the verdicts, the statements), the signatures as
 * 21 CFR 11.50 wants them shown, plots of the errors, and a QR code holding "NUMBER SHA256" (the
 * number and content_sha256; a verification report, which has no number: "SHA256"). A draft
 * carries a "DRAFT — not issued" watermark on every page. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define NB_CERTIFICATE_PDF_ERROR (nb_certificate_pdf_error_quark ())
GQuark nb_certificate_pdf_error_quark (void);

typedef enum
{
  NB_CERTIFICATE_PDF_ERROR_RENDER, /* cairo or libqrencode failed (out of memory) */
} NbCertificatePdfError;

/* nb_certificate_pdf_render: (transfer full) the PDF of @doc. A document that
 * nb_certificate_check () refuses (a calibration certificate without a number, a verification
 * report with one, a member missing or mistyped…) is refused with its error
 * (NB_CERTIFICATE_ERROR_INVALID). The PDF's metadata: title (the kind and number), author (the
 * laboratory), subject (the number), creator "NeedleBench", creation date the issue date (the
 * calibration's while draft), so that the same document always gives the same bytes. */
GBytes *nb_certificate_pdf_render (JsonObject *doc, GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
