/* nb-certificate-layout.c: the certificate's pages: header and footer on every page (the
 * identification and "Page x of y", ISO/IEC 17025 7.8.2.1 d), the DRAFT watermark, a cursor that
 * flows text blocks and table rows down the page and breaks to the next one, and the small
 * formatting helpers the sections share. */
#include "nb-certificate-pdf-private.h"

#include <math.h>

#define ROW_PAD 2.2
#define CELL_PAD 3.0

static void
set_text (NbPdf *pdf, const char *font, const char *text, double width)
{
  PangoFontDescription *desc = g_hash_table_lookup (pdf->fonts, font);

  if (desc == NULL)
    {
      desc = pango_font_description_from_string (font);
      g_hash_table_insert (pdf->fonts, (gpointer) font, desc);
    }
  pango_layout_set_font_description (pdf->layout, desc);
  pango_layout_set_width (pdf->layout, width > 0 ? (int) (width * PANGO_SCALE) : -1);
  pango_layout_set_wrap (pdf->layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (pdf->layout, PANGO_ALIGN_LEFT);
  pango_layout_set_text (pdf->layout, text, -1);
}

double
nb_pdf_text_height (NbPdf *pdf, const char *font, const char *text, double width)
{
  PangoRectangle logical;

  set_text (pdf, font, text, width);
  pango_layout_get_extents (pdf->layout, NULL, &logical);
  return (double) logical.height / PANGO_SCALE;
}

double
nb_pdf_text_at (NbPdf *pdf, const char *font, const char *text, double x, double y, double width,
                PangoAlignment align)
{
  PangoRectangle logical;

  set_text (pdf, font, text, width);
  pango_layout_set_alignment (pdf->layout, align);
  pango_layout_get_extents (pdf->layout, NULL, &logical);
  cairo_move_to (pdf->cr, x, y);
  pango_cairo_show_layout (pdf->cr, pdf->layout);
  return (double) logical.height / PANGO_SCALE;
}

static void
draw_header (NbPdf *pdf)
{
  cairo_t *cr = pdf->cr;
  JsonObject *lab = nb_pdf_obj (pdf->doc, "laboratory");
  double half = NB_PDF_CONTENT_W / 2;

  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  nb_pdf_text_at (pdf, NB_PDF_FONT_BOLD, nb_pdf_str (lab, "name", ""), NB_PDF_MARGIN_X, 28,
                  half - 10, PANGO_ALIGN_LEFT);
  nb_pdf_text_at (pdf, NB_PDF_FONT_SMALL, nb_pdf_str (lab, "address", ""), NB_PDF_MARGIN_X, 41,
                  half - 10, PANGO_ALIGN_LEFT);
  nb_pdf_text_at (pdf, NB_PDF_FONT_SMALL,
                  pdf->report ? "Verification Report" : "Calibration Certificate",
                  NB_PDF_MARGIN_X + half, 28, half, PANGO_ALIGN_RIGHT);
  nb_pdf_text_at (pdf, NB_PDF_FONT_BOLD, pdf->ident, NB_PDF_MARGIN_X + half, 38, half,
                  PANGO_ALIGN_RIGHT);
  if (pdf->draft)
    {
      cairo_set_source_rgb (cr, 0.75, 0.1, 0.1);
      nb_pdf_text_at (pdf, NB_PDF_FONT_BOLD, "DRAFT — not issued", NB_PDF_MARGIN_X + half, 49, half,
                      PANGO_ALIGN_RIGHT);
    }
  cairo_set_source_rgb (cr, 0.55, 0.55, 0.55);
  cairo_set_line_width (cr, 0.6);
  cairo_move_to (cr, NB_PDF_MARGIN_X, 62);
  cairo_line_to (cr, NB_PDF_PAGE_W - NB_PDF_MARGIN_X, 62);
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
}

static void
draw_footer (NbPdf *pdf)
{
  cairo_t *cr = pdf->cr;
  double y = NB_PDF_PAGE_H - 44;
  /* the first pass does not know the total yet; what it draws is thrown away */
  g_autofree char *page = pdf->pages > 0 ? g_strdup_printf ("Page %d of %d", pdf->page, pdf->pages)
                                         : g_strdup_printf ("Page %d", pdf->page);
  g_autofree char *left = pdf->report ? g_strdup_printf ("Verification report, %s", pdf->ident)
                                      : g_strdup_printf ("Certificate %s", pdf->ident);

  cairo_set_source_rgb (cr, 0.55, 0.55, 0.55);
  cairo_set_line_width (cr, 0.6);
  cairo_move_to (cr, NB_PDF_MARGIN_X, y - 6);
  cairo_line_to (cr, NB_PDF_PAGE_W - NB_PDF_MARGIN_X, y - 6);
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  nb_pdf_text_at (pdf, NB_PDF_FONT_SMALL, left, NB_PDF_MARGIN_X, y, NB_PDF_CONTENT_W * 0.6,
                  PANGO_ALIGN_LEFT);
  nb_pdf_text_at (pdf, NB_PDF_FONT_BOLD, page, NB_PDF_MARGIN_X + NB_PDF_CONTENT_W * 0.6, y,
                  NB_PDF_CONTENT_W * 0.4, PANGO_ALIGN_RIGHT);
  cairo_set_source_rgb (cr, 0, 0, 0);
}

/* Drawn last, over the content, translucent: nothing on a draft page can hide it. */
static void
draw_watermark (NbPdf *pdf)
{
  cairo_t *cr = pdf->cr;

  cairo_save (cr);
  cairo_translate (cr, NB_PDF_PAGE_W / 2, NB_PDF_PAGE_H / 2);
  cairo_rotate (cr, -G_PI / 4);
  cairo_set_source_rgba (cr, 0.8, 0.1, 0.1, 0.16);
  nb_pdf_text_at (pdf, "DejaVu Sans Bold 64", "DRAFT", -300, -70, 600, PANGO_ALIGN_CENTER);
  nb_pdf_text_at (pdf, "DejaVu Sans Bold 22", "not issued", -300, 12, 600, PANGO_ALIGN_CENTER);
  cairo_restore (cr);
}

static void
finish_page (NbPdf *pdf)
{
  draw_footer (pdf);
  if (pdf->draft)
    draw_watermark (pdf);
}

static void
start_page (NbPdf *pdf)
{
  draw_header (pdf);
  pdf->y = NB_PDF_CONTENT_TOP;
}

void
nb_pdf_begin (NbPdf *pdf)
{
  pdf->page = 1;
  start_page (pdf);
}

int
nb_pdf_end (NbPdf *pdf)
{
  finish_page (pdf);
  cairo_show_page (pdf->cr);
  return pdf->page;
}

void
nb_pdf_need (NbPdf *pdf, double height)
{
  if (pdf->y + height <= NB_PDF_CONTENT_BOTTOM || pdf->y <= NB_PDF_CONTENT_TOP)
    return;
  finish_page (pdf);
  cairo_show_page (pdf->cr);
  pdf->page++;
  start_page (pdf);
}

void
nb_pdf_space (NbPdf *pdf, double points)
{
  pdf->y += points;
}

void
nb_pdf_title (NbPdf *pdf, const char *title, const char *subtitle)
{
  /* the verification report's longer title on one line */
  const char *font = g_utf8_strlen (title, -1) > 40 ? "DejaVu Sans Bold 13.5" : NB_PDF_FONT_TITLE;

  pdf->y += nb_pdf_text_at (pdf, font, title, NB_PDF_MARGIN_X, pdf->y, NB_PDF_CONTENT_W,
                            PANGO_ALIGN_LEFT);
  if (subtitle != NULL)
    pdf->y += nb_pdf_text_at (pdf, "DejaVu Sans Bold 11", subtitle, NB_PDF_MARGIN_X, pdf->y + 2,
                              NB_PDF_CONTENT_W, PANGO_ALIGN_LEFT)
              + 2;
  pdf->y += 6;
}

void
nb_pdf_heading (NbPdf *pdf, const char *text)
{
  double h = nb_pdf_text_height (pdf, NB_PDF_FONT_HEADING, text, NB_PDF_CONTENT_W);

  /* a heading is never the last line of a page: keep room under it for a few lines, or a
   * table's header and its first rows (nb_pdf_table_begin) */
  nb_pdf_need (pdf, 10 + h + 72);
  pdf->y += 10;
  cairo_set_source_rgb (pdf->cr, 0.08, 0.22, 0.45);
  pdf->y += nb_pdf_text_at (pdf, NB_PDF_FONT_HEADING, text, NB_PDF_MARGIN_X, pdf->y,
                            NB_PDF_CONTENT_W, PANGO_ALIGN_LEFT);
  cairo_set_line_width (pdf->cr, 0.5);
  cairo_move_to (pdf->cr, NB_PDF_MARGIN_X, pdf->y + 1.5);
  cairo_line_to (pdf->cr, NB_PDF_PAGE_W - NB_PDF_MARGIN_X, pdf->y + 1.5);
  cairo_stroke (pdf->cr);
  cairo_set_source_rgb (pdf->cr, 0, 0, 0);
  pdf->y += 5;
}

void
nb_pdf_paragraph (NbPdf *pdf, const char *font, const char *text)
{
  double h = nb_pdf_text_height (pdf, font, text, NB_PDF_CONTENT_W);

  nb_pdf_need (pdf, h);
  pdf->y += nb_pdf_text_at (pdf, font, text, NB_PDF_MARGIN_X, pdf->y, NB_PDF_CONTENT_W,
                            PANGO_ALIGN_LEFT)
            + 3;
}

#define LABEL_W 140.0

void
nb_pdf_field (NbPdf *pdf, const char *label, const char *value)
{
  double value_w = NB_PDF_CONTENT_W - LABEL_W;
  double h = MAX (nb_pdf_text_height (pdf, NB_PDF_FONT_BOLD, label, LABEL_W - 6),
                  nb_pdf_text_height (pdf, NB_PDF_FONT_BODY, value, value_w));

  nb_pdf_need (pdf, h);
  nb_pdf_text_at (pdf, NB_PDF_FONT_BOLD, label, NB_PDF_MARGIN_X, pdf->y, LABEL_W - 6,
                  PANGO_ALIGN_LEFT);
  nb_pdf_text_at (pdf, NB_PDF_FONT_BODY, value, NB_PDF_MARGIN_X + LABEL_W, pdf->y, value_w,
                  PANGO_ALIGN_LEFT);
  pdf->y += h + 2;
}

static double
row_height (NbPdf *pdf, NbPdfTable *table, const char *const *cells, const char *font)
{
  double h = 0;

  for (int i = 0; i < table->columns; i++)
    h = MAX (h, nb_pdf_text_height (pdf, font, cells[i], table->widths[i] - 2 * CELL_PAD));
  return h + 2 * ROW_PAD;
}

/* @emphasis_font: for the table's emphasis column (NULL: @font for every cell) */
static void
draw_cells (NbPdf *pdf, NbPdfTable *table, const char *const *cells, const char *font,
            const char *emphasis_font)
{
  double x = NB_PDF_MARGIN_X;

  for (int i = 0; i < table->columns; i++)
    {
      gboolean emphasis = emphasis_font != NULL && i == table->emphasis_column;

      if (emphasis)
        cairo_set_source_rgb (pdf->cr, 0.7, 0.05, 0.05);
      nb_pdf_text_at (pdf, emphasis ? emphasis_font : font, cells[i], x + CELL_PAD,
                      pdf->y + ROW_PAD, table->widths[i] - 2 * CELL_PAD, table->align[i]);
      if (emphasis)
        cairo_set_source_rgb (pdf->cr, 0, 0, 0);
      x += table->widths[i];
    }
}

static double
table_width (NbPdfTable *table)
{
  double w = 0;

  for (int i = 0; i < table->columns; i++)
    w += table->widths[i];
  return w;
}

static void
draw_table_header (NbPdf *pdf, NbPdfTable *table)
{
  cairo_t *cr = pdf->cr;

  cairo_set_source_rgb (cr, 0.86, 0.9, 0.95);
  cairo_rectangle (cr, NB_PDF_MARGIN_X, pdf->y, table_width (table), table->header_height);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  draw_cells (pdf, table, table->headers, NB_PDF_FONT_TABLE_BOLD, NULL);
  pdf->y += table->header_height;
  cairo_set_line_width (cr, 0.6);
  cairo_move_to (cr, NB_PDF_MARGIN_X, pdf->y);
  cairo_line_to (cr, NB_PDF_MARGIN_X + table_width (table), pdf->y);
  cairo_stroke (cr);
}

void
nb_pdf_table_begin (NbPdf *pdf, NbPdfTable *table)
{
  table->header_height = row_height (pdf, table, table->headers, NB_PDF_FONT_TABLE_BOLD);
  table->rows = 0;
  nb_pdf_need (pdf, table->header_height + 3 * 12);
  draw_table_header (pdf, table);
}

void
nb_pdf_table_row (NbPdf *pdf, NbPdfTable *table, const char *const *cells, gboolean emphasis)
{
  const char *font = NB_PDF_FONT_TABLE;
  /* bold is wider: measure with it, so that the emphasised cell cannot overflow */
  double h = row_height (pdf, table, cells, emphasis ? NB_PDF_FONT_TABLE_BOLD : font);

  if (pdf->y + h > NB_PDF_CONTENT_BOTTOM)
    {
      int page = pdf->page;

      nb_pdf_need (pdf, h);
      if (pdf->page != page)
        {
          if (table->caption != NULL)
            {
              g_autofree char *continued = g_strdup_printf ("%s (continued)", table->caption);
              pdf->y += nb_pdf_text_at (pdf, NB_PDF_FONT_BOLD, continued, NB_PDF_MARGIN_X, pdf->y,
                                        NB_PDF_CONTENT_W, PANGO_ALIGN_LEFT)
                        + 3;
            }
          draw_table_header (pdf, table);
        }
    }
  if (table->rows % 2 == 1)
    {
      cairo_set_source_rgb (pdf->cr, 0.95, 0.95, 0.95);
      cairo_rectangle (pdf->cr, NB_PDF_MARGIN_X, pdf->y, table_width (table), h);
      cairo_fill (pdf->cr);
      cairo_set_source_rgb (pdf->cr, 0, 0, 0);
    }
  draw_cells (pdf, table, cells, font, emphasis ? NB_PDF_FONT_TABLE_BOLD : NULL);
  pdf->y += h;
  table->rows++;
}

/* Helpers */

const char *
nb_pdf_str (JsonObject *obj, const char *name, const char *fallback)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return fallback;
  return json_node_get_string (node);
}

JsonObject *
nb_pdf_obj (JsonObject *obj, const char *name)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
nb_pdf_arr (JsonObject *obj, const char *name)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

gboolean
nb_pdf_num (JsonObject *obj, const char *name, double *value)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, name) : NULL;
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_double (node);
  return isfinite (*value);
}

char *
nb_pdf_fmt_value (double value, int decimals)
{
  char format[8];
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_snprintf (format, sizeof format, "%%.%df", CLAMP (decimals, 0, 9));
  g_ascii_formatd (buf, sizeof buf, format, value);
  return g_strdup (buf);
}

char *
nb_pdf_fmt (JsonObject *obj, const char *name, int decimals)
{
  double value;

  if (!nb_pdf_num (obj, name, &value))
    return g_strdup ("–");
  return nb_pdf_fmt_value (value, decimals);
}

char *
nb_pdf_fmt_target (double value)
{
  /* a profile's targets have at most 3 decimals (0.125 mm); 2 keep 0.50 looking like a depth */
  if (fabs (value * 100 - round (value * 100)) > 1e-6)
    return nb_pdf_fmt_value (value, 3);
  return nb_pdf_fmt_value (value, 2);
}

char *
nb_pdf_fmt_time (const char *iso)
{
  g_autoptr (GDateTime) dt = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr (GDateTime) utc = dt != NULL ? g_date_time_to_utc (dt) : NULL;

  if (iso == NULL)
    return NULL;
  if (utc == NULL)
    return g_strdup (iso);
  return g_date_time_format (utc, "%Y-%m-%d %H:%M:%S UTC");
}

const char *
nb_pdf_rule_name (const char *rule)
{
  /* as the document's statement of the rule (nb-certificate-text.c) names it */
  if (g_strcmp0 (rule, "simple") == 0)
    return "simple acceptance: binary statement, guard band w = 0 (ILAC-G8:09/2019 4.2.1)";
  if (g_strcmp0 (rule, "guarded") == 0)
    return "guarded acceptance: binary statement, guard band w = U (ILAC-G8:09/2019 4.2.2)";
  if (g_strcmp0 (rule, "nonbinary") == 0)
    return "non-binary statement: pass, conditional pass, conditional fail, fail; guard band "
           "w = U (ILAC-G8:09/2019 4.2.3)";
  return rule != NULL ? rule : "not stated";
}
