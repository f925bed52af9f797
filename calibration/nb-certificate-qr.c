/* nb-certificate-qr.c: the certificate's QR code, encoded by libqrencode and drawn as cairo
 * rectangles (vector, so it scans at any zoom), with the quiet zone of 4 modules the standard
 * asks for. */
#include "nb-certificate-pdf-private.h"

#include <qrencode.h>

#define QUIET_ZONE 4

gboolean
nb_pdf_qr (cairo_t *cr, const char *text, double x, double y, double size)
{
  QRcode *code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  double module;

  if (code == NULL)
    return FALSE;
  module = size / (code->width + 2 * QUIET_ZONE);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, size, size);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int row = 0; row < code->width; row++)
    for (int col = 0; col < code->width; col++)
      /* bit 0 of each byte: the module is dark */
      if (code->data[row * code->width + col] & 1)
        cairo_rectangle (cr, x + (col + QUIET_ZONE) * module, y + (row + QUIET_ZONE) * module,
                         module, module);
  /* one fill for all the modules; antialiasing off so that neighbours leave no hairline seams */
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  cairo_fill (cr);
  cairo_restore (cr);
  QRcode_free (code);
  return TRUE;
}
