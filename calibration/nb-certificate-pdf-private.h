/* nb-certificate-pdf-private.h: the page machinery the certificate's PDF is drawn with
 * (nb-certificate-layout.c), its sections (nb-certificate-sections.c), its plots
 * (nb-certificate-plot.c) and its QR code (nb-certificate-qr.c). Not for other callers: the
 * public entry point is nb-certificate-pdf.h. All sizes are PDF points (1/72 in). */
#pragma once

#include <cairo.h>
#include <json-glib/json-glib.h>
#include <pango/pangocairo.h>

G_BEGIN_DECLS

/* A4 */
#define NB_PDF_PAGE_W 595.276
#define NB_PDF_PAGE_H 841.890
#define NB_PDF_MARGIN_X 48.0
#define NB_PDF_CONTENT_TOP 78.0
#define NB_PDF_CONTENT_BOTTOM (NB_PDF_PAGE_H - 60.0)
#define NB_PDF_CONTENT_W (NB_PDF_PAGE_W - 2 * NB_PDF_MARGIN_X)

#define NB_PDF_FONT_BODY "DejaVu Sans 8.5"
#define NB_PDF_FONT_BOLD "DejaVu Sans Bold 8.5"
#define NB_PDF_FONT_SMALL "DejaVu Sans 7"
#define NB_PDF_FONT_TABLE "DejaVu Sans Condensed 7.5"
#define NB_PDF_FONT_TABLE_BOLD "DejaVu Sans Condensed Bold 7.5"
#define NB_PDF_FONT_HEADING "DejaVu Sans Bold 10.5"
#define NB_PDF_FONT_TITLE "DejaVu Sans Bold 17"
#define NB_PDF_FONT_MONO "DejaVu Sans Mono 7"

/* One rendering pass over the document. The document is drawn twice: the first pass (pages 0)
 * only counts the pages, so that the second can print "Page x of y" on every page. */
typedef struct
{
  cairo_t *cr;
  PangoLayout *layout; /* reused for every piece of text (creating one per text is slow) */
  JsonObject *doc;
  const char *ident;  /* the certificate number, or the report's identification: every page */
  gboolean draft;     /* status "draft": a watermark on every page */
  gboolean report;    /* kind "verification-report" */
  double y;           /* where the next block starts */
  int page;           /* the page being drawn, from 1 */
  int pages;          /* the total from the first pass; 0 during it */
  gboolean qr_failed; /* libqrencode could not encode the QR code: the rendering fails */
  GHashTable *fonts;  /* font string → PangoFontDescription, parsed once */
} NbPdf;

/* Layout (nb-certificate-layout.c) */

/* Starts page 1: header, watermark. */
void nb_pdf_begin (NbPdf *pdf);
/* Finishes the last page (footer) and returns the number of pages. */
int nb_pdf_end (NbPdf *pdf);
/* Makes room for @height points below the cursor, starting a new page if they do not fit. */
void nb_pdf_need (NbPdf *pdf, double height);

/* @font everywhere: a Pango font description string that lives as long as the rendering (a
 * literal: it keys the parsed fonts). */

/* Measures @text set in @font @width points wide (wrapped at words). */
double nb_pdf_text_height (NbPdf *pdf, const char *font, const char *text, double width);
/* Draws @text at (@x, @y) in @font, wrapped to @width, aligned per @align; returns its height.
 * Does not move the cursor. */
double nb_pdf_text_at (NbPdf *pdf, const char *font, const char *text, double x, double y,
                       double width, PangoAlignment align);

/* Blocks that move the cursor, breaking the page before them when they do not fit. */
void nb_pdf_title (NbPdf *pdf, const char *title, const char *subtitle);
void nb_pdf_heading (NbPdf *pdf, const char *text);
void nb_pdf_paragraph (NbPdf *pdf, const char *font, const char *text);
/* A label and its value, the label in a left column. */
void nb_pdf_field (NbPdf *pdf, const char *label, const char *value);
void nb_pdf_space (NbPdf *pdf, double points);

/* A table whose rows break across pages, its header repeated on each. */
typedef struct
{
  int columns;
  const double *widths;        /* points; their sum is the table's width */
  const char *const *headers;  /* one per column */
  const PangoAlignment *align; /* one per column */
  int emphasis_column;         /* the cell an emphasised row shows in bold red; -1: none */
  double header_height;        /* filled by nb_pdf_table_begin */
  int rows;                    /* rows drawn so far (for the banding) */
  const char *caption;         /* said "… (continued)" above the header on a later page; NULL */
} NbPdfTable;

void nb_pdf_table_begin (NbPdf *pdf, NbPdfTable *table);
/* Draws one row (@cells: one string per column); @emphasis draws its emphasis column in bold
 * red (a verdict other than pass). */
void nb_pdf_table_row (NbPdf *pdf, NbPdfTable *table, const char *const *cells, gboolean emphasis);

/* Sections (nb-certificate-sections.c, nb-certificate-results.c) */
void nb_pdf_section_front (NbPdf *pdf);
void nb_pdf_section_results (NbPdf *pdf);
void nb_pdf_section_rates (NbPdf *pdf);
void nb_pdf_section_indication (NbPdf *pdf);
void nb_pdf_section_conformity (NbPdf *pdf);
void nb_pdf_section_signatures (NbPdf *pdf);

/* Plots (nb-certificate-plot.c): error against target depth, and rate error against set rate,
 * each with U bars, the tolerance band, as-found and as-left, a legend and axis units. */
void nb_pdf_plot_depth (NbPdf *pdf);
void nb_pdf_plot_rate (NbPdf *pdf);

/* QR code (nb-certificate-qr.c): @text drawn as @size × @size points of black modules at (@x,
 * @y); FALSE when libqrencode could not encode it. */
gboolean nb_pdf_qr (cairo_t *cr, const char *text, double x, double y, double size);

/* Helpers shared by the sections (nb-certificate-layout.c) */

/* The string member @name of @obj, or @fallback when it is absent, null or not a string. */
const char *nb_pdf_str (JsonObject *obj, const char *name, const char *fallback);
/* The object member @name of @obj, or NULL. */
JsonObject *nb_pdf_obj (JsonObject *obj, const char *name);
/* The array member @name of @obj, or NULL. */
JsonArray *nb_pdf_arr (JsonObject *obj, const char *name);
/* The number @name of @obj into @value; FALSE when absent or null. */
gboolean nb_pdf_num (JsonObject *obj, const char *name, double *value);
/* @value of member @name printed with @decimals decimals (never the locale's separator), or
 * "–" when it is absent or null. */
char *nb_pdf_fmt (JsonObject *obj, const char *name, int decimals);
/* @value with @decimals decimals, C locale. */
char *nb_pdf_fmt_value (double value, int decimals);
/* A target (mm or Hz): at least 2 decimals, up to 3 where the value has them. */
char *nb_pdf_fmt_target (double value);
/* "2026-12-02 14:04:19 UTC" from ISO 8601 "2026-12-02T14:04:19Z"; NULL in, NULL out. */
char *nb_pdf_fmt_time (const char *iso);
/* The decision rule's name as the certificate states it. */
const char *nb_pdf_rule_name (const char *rule);

G_END_DECLS
