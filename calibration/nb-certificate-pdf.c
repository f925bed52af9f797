/* nb-certificate-pdf.c: the certificate's PDF: checks the document, draws it twice (the first
 * pass counts the pages, so that every page of the second can say "Page x of y"), and returns the
 * second pass's bytes. The pieces: layout (pages, text, tables), sections, results, plots,
 * signatures and QR code, each in its own file. */
#include "nb-certificate-pdf.h"

#include <cairo-pdf.h>

#include "nb-certificate-pdf-private.h"
#include "nb-certificate.h"

G_DEFINE_QUARK (nb - certificate - pdf - error - quark, nb_certificate_pdf_error)

static cairo_status_t
write_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  if (closure != NULL)
    g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
set_metadata (cairo_surface_t *surface, JsonObject *doc, const char *ident, gboolean report)
{
  JsonObject *dates = nb_pdf_obj (doc, "dates");
  const char *when = nb_pdf_str (dates, "issued", nb_pdf_str (dates, "calibrated", NULL));
  g_autofree char *title = report ? g_strdup_printf ("Verification report, %s", ident)
                                  : g_strdup_printf ("Calibration certificate %s", ident);

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR,
                                  nb_pdf_str (nb_pdf_obj (doc, "laboratory"), "name", ""));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, ident);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "NeedleBench");
  /* otherwise cairo writes the time of rendering, and the same document would give new bytes */
  if (when != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, when);
}

/* Draws @doc onto a new PDF surface writing to @out (NULL: nowhere); returns the page count, 0 on
 * a cairo error. */
static int
render_pass (PangoFontMap *fonts, JsonObject *doc, const char *ident, gboolean report, int pages,
             GByteArray *out, GError **error)
{
  cairo_surface_t *surface
      = cairo_pdf_surface_create_for_stream (write_bytes, out, NB_PDF_PAGE_W, NB_PDF_PAGE_H);
  cairo_t *cr = cairo_create (surface);
  cairo_font_options_t *options = cairo_font_options_create ();
  PangoContext *context = pango_font_map_create_context (fonts);
  NbPdf pdf = { 0 };
  cairo_status_t status;

  /* metrics as the font designs them, not snapped to a screen's pixels */
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pdf.cr = cr;
  pango_cairo_update_context (cr, context);
  pango_cairo_context_set_font_options (context, options);
  pdf.layout = pango_layout_new (context);
  /* keyed by the strings' text: the fonts are literals, but the same literal may have several
   * addresses */
  pdf.fonts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                     (GDestroyNotify) pango_font_description_free);
  cairo_font_options_destroy (options);
  pdf.doc = doc;
  pdf.ident = ident;
  pdf.report = report;
  pdf.draft = g_strcmp0 (nb_pdf_str (doc, "status", "draft"), "issued") != 0;
  pdf.pages = pages;
  set_metadata (surface, doc, ident, report);

  nb_pdf_begin (&pdf);
  nb_pdf_section_front (&pdf);
  nb_pdf_section_results (&pdf);
  nb_pdf_plot_depth (&pdf);
  nb_pdf_section_rates (&pdf);
  nb_pdf_plot_rate (&pdf);
  nb_pdf_section_indication (&pdf);
  nb_pdf_section_conformity (&pdf);
  nb_pdf_section_signatures (&pdf);
  pages = nb_pdf_end (&pdf);

  g_object_unref (pdf.layout);
  g_hash_table_unref (pdf.fonts);
  g_object_unref (context);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (pdf.qr_failed)
    {
      /* a certificate without its QR code could not be checked by scanning: none at all */
      g_set_error (error, NB_CERTIFICATE_PDF_ERROR, NB_CERTIFICATE_PDF_ERROR_RENDER,
                   "drawing the certificate: libqrencode could not encode its QR code");
      return 0;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, NB_CERTIFICATE_PDF_ERROR, NB_CERTIFICATE_PDF_ERROR_RENDER,
                   "drawing the certificate: %s", cairo_status_to_string (status));
      return 0;
    }
  return pages;
}

GBytes *
nb_certificate_pdf_render (JsonObject *doc, GError **error)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autofree char *ident = NULL;
  g_autoptr (PangoFontMap) fonts = NULL;
  gboolean report = FALSE;
  int pages;

  g_return_val_if_fail (doc != NULL, NULL);
  /* the document as nb_certificate_check wants it: its members, a number only on a certificate,
   * issued set exactly when issued, well-formed signatures */
  if (!nb_certificate_check (doc, error))
    return NULL;
  report = g_strcmp0 (nb_pdf_str (doc, "kind", NULL), "verification-report") == 0;
  /* 7.8.2.1 d: every page identifies the report; a verification report, which never has a number,
   * by its run */
  if (report)
    ident = g_strdup_printf ("run %" G_GINT64_FORMAT ", pen %s",
                             json_object_get_int_member_with_default (doc, "run", 0),
                             nb_pdf_str (nb_pdf_obj (doc, "item"), "serial", "–"));
  else
    ident = g_strdup (nb_pdf_str (doc, "number", ""));

  /* a font map of its own, freed with the rendering: pango's default one lives as long as the
   * thread, with fontconfig's patterns that a leak checker then reports at exit */
  fonts = pango_cairo_font_map_new ();
  pages = render_pass (fonts, doc, ident, report, 0, NULL, error);
  if (pages == 0)
    return NULL;
  if (render_pass (fonts, doc, ident, report, pages, out, error) == 0)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
