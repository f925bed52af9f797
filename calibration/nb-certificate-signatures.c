/* nb-certificate-signatures.c: the end of the certificate: the electronic signatures as 21 CFR
 * 11.50 wants them shown (printed name, date and time, meaning), the person authorising it
 * (ISO/IEC 17025 7.8.2.1 o), the content hash they bind to with the laboratory's seal, the QR code
 * a customer scans to check it, and the end marker (7.8.2.1 d). */
#include "nb-certificate-pdf-private.h"

#define QR_SIZE 84.0

static const char *
meaning_text (const char *meaning)
{
  if (g_strcmp0 (meaning, "performed") == 0)
    return "performed (responsibility)";
  if (g_strcmp0 (meaning, "reviewed") == 0)
    return "reviewed";
  if (g_strcmp0 (meaning, "approved") == 0)
    return "approved (authorisation)";
  return meaning != NULL ? meaning : "–";
}

static void
signature_table (NbPdf *pdf, JsonArray *signatures)
{
  static const double widths[] = { 124, 62, 172, 141 };
  static const char *const headers[] = { "Printed name", "Role", "Meaning", "Date and time (UTC)" };
  static const PangoAlignment align[]
      = { PANGO_ALIGN_LEFT, PANGO_ALIGN_LEFT, PANGO_ALIGN_LEFT, PANGO_ALIGN_LEFT };
  NbPdfTable table = { G_N_ELEMENTS (widths), widths, headers, align, -1, 0, 0 };

  nb_pdf_table_begin (pdf, &table);
  for (guint i = 0; i < json_array_get_length (signatures); i++)
    {
      JsonObject *s = json_array_get_object_element (signatures, i);
      g_autofree char *at = nb_pdf_fmt_time (nb_pdf_str (s, "at", NULL));
      const char *cells[]
          = { nb_pdf_str (s, "name", "–"), nb_pdf_str (s, "role", "–"),
              meaning_text (nb_pdf_str (s, "meaning", NULL)), at != NULL ? at : "–" };
      nb_pdf_table_row (pdf, &table, cells, FALSE);
    }
  nb_pdf_space (pdf, 4);
}

void
nb_pdf_section_signatures (NbPdf *pdf)
{
  JsonArray *signatures = nb_pdf_arr (pdf->doc, "signatures");
  JsonObject *seal = nb_pdf_obj (pdf->doc, "lab_signature");
  const char *hash = nb_pdf_str (pdf->doc, "content_sha256", "–");
  const char *number = nb_pdf_str (pdf->doc, "number", NULL);
  g_autofree char *qr_text
      = number != NULL ? g_strdup_printf ("%s %s", number, hash) : g_strdup (hash);
  g_autofree char *seal_text = NULL;
  double text_w = NB_PDF_CONTENT_W - QR_SIZE - 14;
  double y0;

  /* the signatures, the hash, the QR code and the end marker stay together on the last page */
  nb_pdf_need (pdf, 70 + (signatures != NULL ? json_array_get_length (signatures) : 1) * 14
                        + (pdf->draft ? 40 : 0) + QR_SIZE + 40);
  nb_pdf_heading (pdf, "Signatures");
  if (signatures != NULL && json_array_get_length (signatures) > 0)
    signature_table (pdf, signatures);
  else
    nb_pdf_paragraph (pdf, NB_PDF_FONT_BODY, "Not signed.");
  if (pdf->draft)
    {
      cairo_set_source_rgb (pdf->cr, 0.75, 0.1, 0.1);
      nb_pdf_paragraph (pdf, "DejaVu Sans Bold 12", "DRAFT — not issued");
      nb_pdf_paragraph (pdf, NB_PDF_FONT_BOLD,
                        pdf->report ? "This report has not been approved and is not valid."
                                    : "This document has not been approved and is not valid as "
                                      "a certificate.");
      cairo_set_source_rgb (pdf->cr, 0, 0, 0);
    }

  /* the hash, the seal and the QR code side by side; kept together on one page */
  if (seal != NULL)
    seal_text = g_strdup_printf (
        "Sealed by the laboratory: %s signature, key %s, over the certificate document (its "
        "JSON), checked by needlebench-cli report verify.",
        nb_pdf_str (seal, "algorithm", "–"), nb_pdf_str (seal, "key_id", "–"));
  else
    seal_text = g_strdup ("Not sealed by the laboratory (not issued).");
  nb_pdf_need (pdf, QR_SIZE + 22);
  y0 = pdf->y + 6;
  pdf->y = y0;
  pdf->y += nb_pdf_text_at (pdf, NB_PDF_FONT_BODY,
                            "Every signature binds to the content hash (SHA-256) of this "
                            "document:",
                            NB_PDF_MARGIN_X, pdf->y, text_w, PANGO_ALIGN_LEFT)
            + 2;
  pdf->y += nb_pdf_text_at (pdf, NB_PDF_FONT_MONO, hash, NB_PDF_MARGIN_X, pdf->y, text_w,
                            PANGO_ALIGN_LEFT)
            + 4;
  pdf->y += nb_pdf_text_at (pdf, NB_PDF_FONT_BODY, seal_text, NB_PDF_MARGIN_X, pdf->y, text_w,
                            PANGO_ALIGN_LEFT)
            + 4;
  pdf->y += nb_pdf_text_at (pdf, NB_PDF_FONT_SMALL,
                            number != NULL ? "The QR code holds the certificate number and the "
                                             "content hash."
                                           : "The QR code holds the content hash.",
                            NB_PDF_MARGIN_X, pdf->y, text_w, PANGO_ALIGN_LEFT);
  if (!nb_pdf_qr (pdf->cr, qr_text, NB_PDF_PAGE_W - NB_PDF_MARGIN_X - QR_SIZE, y0, QR_SIZE))
    pdf->qr_failed = TRUE;
  pdf->y = MAX (pdf->y, y0 + QR_SIZE) + 14;

  nb_pdf_paragraph (pdf, NB_PDF_FONT_BOLD,
                    pdf->report ? "End of verification report" : "End of certificate");
}
