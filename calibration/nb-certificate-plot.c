/* nb-certificate-plot.c: the certificate's two plots, drawn with cairo: the depth error of every
 * point against its target depth, and the rate error against the set rate. Each shows the as-found
 * and as-left points in two colours (markers of two shapes, so that a grey print keeps them
 * apart) with their U bars, the tolerance band (the limits of the error), a legend and axes with
 * units. Points at the same target (several rates, two phases) are spread a little sideways so
 * that their bars do not hide each other. */
#include "nb-certificate-pdf-private.h"

#include <math.h>

typedef struct
{
  double x, y, U; /* U NaN: no bar */
} PlotPoint;

typedef struct
{
  double x, lo, hi;
} BandPoint;

typedef struct
{
  const char *title;
  const char *x_label;
  const char *y_label;
  GArray *series[2]; /* (element-type PlotPoint) as found, as left */
  GArray *band;      /* (element-type BandPoint) sorted by x, one per distinct target */
  int x_decimals;
} Plot;

static const double series_rgb[2][3] = { { 0.85, 0.37, 0.01 }, { 0.12, 0.38, 0.75 } };
static const char *const series_name[2] = { "as found", "as left" };

#define PLOT_H 230.0
#define AXIS_L 58.0
#define AXIS_B 34.0
#define AXIS_T 24.0
#define AXIS_R 8.0

/* A round step (1, 2 or 5 × 10^n) giving about @ticks intervals over @span. */
static double
nice_step (double span, int ticks)
{
  double raw = span / ticks;
  double mag = pow (10, floor (log10 (raw)));
  double f = raw / mag;

  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

static int
step_decimals (double step)
{
  return MAX (0, (int) ceil (-log10 (step) - 1e-9));
}

static void
band_add (GArray *band, double x, double lo, double hi)
{
  BandPoint b = { x, lo, hi };

  for (guint i = 0; i < band->len; i++)
    if (fabs (g_array_index (band, BandPoint, i).x - x) < 1e-9)
      return;
  for (guint i = 0; i < band->len; i++)
    if (g_array_index (band, BandPoint, i).x > x)
      {
        g_array_insert_val (band, i, b);
        return;
      }
  g_array_append_val (band, b);
}

static void
marker (cairo_t *cr, int series, double x, double y)
{
  if (series == 0)
    cairo_arc (cr, x, y, 2.3, 0, 2 * G_PI);
  else
    cairo_rectangle (cr, x - 2.1, y - 2.1, 4.2, 4.2);
  cairo_fill (cr);
}

static void
legend (NbPdf *pdf, double right, double y)
{
  cairo_t *cr = pdf->cr;
  double x = right - 330;

  cairo_set_source_rgba (cr, 0.2, 0.6, 0.25, 0.18);
  cairo_rectangle (cr, x, y + 1, 14, 7);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  nb_pdf_text_at (pdf, NB_PDF_FONT_SMALL, "tolerance", x + 17, y, 60, PANGO_ALIGN_LEFT);
  x += 72;
  for (int s = 0; s < 2; s++)
    {
      cairo_set_source_rgb (cr, series_rgb[s][0], series_rgb[s][1], series_rgb[s][2]);
      marker (cr, s, x + 5, y + 4.5);
      cairo_set_source_rgb (cr, 0, 0, 0);
      nb_pdf_text_at (pdf, NB_PDF_FONT_SMALL, series_name[s], x + 12, y, 60, PANGO_ALIGN_LEFT);
      x += 62;
    }
  cairo_set_line_width (cr, 0.8);
  cairo_move_to (cr, x + 5, y);
  cairo_line_to (cr, x + 5, y + 9);
  cairo_move_to (cr, x + 2, y);
  cairo_line_to (cr, x + 8, y);
  cairo_move_to (cr, x + 2, y + 9);
  cairo_line_to (cr, x + 8, y + 9);
  cairo_stroke (cr);
  nb_pdf_text_at (pdf, NB_PDF_FONT_SMALL, "± U (about 95 %)", x + 12, y, 90, PANGO_ALIGN_LEFT);
}

static void
draw_plot (NbPdf *pdf, Plot *plot)
{
  cairo_t *cr = pdf->cr;
  double x0, x1, y0 = INFINITY, y1 = -INFINITY, xs, ys;
  double left = NB_PDF_MARGIN_X + AXIS_L, right = NB_PDF_PAGE_W - NB_PDF_MARGIN_X - AXIS_R;
  double top, bottom, step;
  guint n = 0;

  nb_pdf_need (pdf, PLOT_H + 20);
  pdf->y += nb_pdf_text_at (pdf, NB_PDF_FONT_BOLD, plot->title, NB_PDF_MARGIN_X, pdf->y,
                            NB_PDF_CONTENT_W, PANGO_ALIGN_LEFT);
  top = pdf->y + AXIS_T;
  bottom = pdf->y + PLOT_H - AXIS_B;
  legend (pdf, right, pdf->y + 6);

  x0 = INFINITY, x1 = -INFINITY;
  for (int s = 0; s < 2; s++)
    for (guint i = 0; i < plot->series[s]->len; i++)
      {
        PlotPoint *p = &g_array_index (plot->series[s], PlotPoint, i);
        double u = isnan (p->U) ? 0 : p->U;
        x0 = MIN (x0, p->x), x1 = MAX (x1, p->x);
        y0 = MIN (y0, p->y - u), y1 = MAX (y1, p->y + u);
        n++;
      }
  for (guint i = 0; i < plot->band->len; i++)
    {
      BandPoint *b = &g_array_index (plot->band, BandPoint, i);
      x0 = MIN (x0, b->x), x1 = MAX (x1, b->x);
      if (isfinite (b->lo))
        y0 = MIN (y0, b->lo);
      if (isfinite (b->hi))
        y1 = MAX (y1, b->hi);
    }
  if (n == 0 || !isfinite (x0) || !isfinite (y0))
    {
      pdf->y += nb_pdf_text_at (pdf, NB_PDF_FONT_BODY, "No points to plot.", NB_PDF_MARGIN_X,
                                pdf->y + 4, NB_PDF_CONTENT_W, PANGO_ALIGN_LEFT)
                + 8;
      return;
    }
  y0 = MIN (y0, 0), y1 = MAX (y1, 0);
  {
    double xpad = x1 > x0 ? (x1 - x0) * 0.06 : MAX (fabs (x0) * 0.2, 1);
    double ypad = y1 > y0 ? (y1 - y0) * 0.08 : 0.01;
    x0 -= xpad, x1 += xpad, y0 -= ypad, y1 += ypad;
  }
  xs = (right - left) / (x1 - x0);
  ys = (bottom - top) / (y1 - y0);
#define PX(v) (left + ((v) -x0) * xs)
#define PY(v) (bottom - ((v) -y0) * ys)

  cairo_save (cr);
  cairo_rectangle (cr, left, top, right - left, bottom - top);
  cairo_clip (cr);
  /* the band: upper edge left to right, lower edge back; held flat past the first and last
   * targets to the plot's edges */
  if (plot->band->len > 0)
    {
      BandPoint *first = &g_array_index (plot->band, BandPoint, 0);
      BandPoint *last = &g_array_index (plot->band, BandPoint, plot->band->len - 1);

      cairo_move_to (cr, left, PY (isfinite (first->hi) ? first->hi : y1));
      for (guint i = 0; i < plot->band->len; i++)
        {
          BandPoint *b = &g_array_index (plot->band, BandPoint, i);
          cairo_line_to (cr, PX (b->x), PY (isfinite (b->hi) ? b->hi : y1));
        }
      cairo_line_to (cr, right, PY (isfinite (last->hi) ? last->hi : y1));
      cairo_line_to (cr, right, PY (isfinite (last->lo) ? last->lo : y0));
      for (guint i = plot->band->len; i-- > 0;)
        {
          BandPoint *b = &g_array_index (plot->band, BandPoint, i);
          cairo_line_to (cr, PX (b->x), PY (isfinite (b->lo) ? b->lo : y0));
        }
      cairo_line_to (cr, left, PY (isfinite (first->lo) ? first->lo : y0));
      cairo_close_path (cr);
      cairo_set_source_rgba (cr, 0.2, 0.6, 0.25, 0.18);
      cairo_fill (cr);
    }
  /* grid and zero line */
  cairo_set_line_width (cr, 0.3);
  cairo_set_source_rgb (cr, 0.82, 0.82, 0.82);
  step = nice_step (y1 - y0, 6);
  for (double v = ceil (y0 / step) * step; v <= y1; v += step)
    {
      cairo_move_to (cr, left, PY (v));
      cairo_line_to (cr, right, PY (v));
    }
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_set_line_width (cr, 0.7);
  cairo_move_to (cr, left, PY (0));
  cairo_line_to (cr, right, PY (0));
  cairo_stroke (cr);
  /* the points with their U bars */
  for (int s = 0; s < 2; s++)
    {
      cairo_set_source_rgb (cr, series_rgb[s][0], series_rgb[s][1], series_rgb[s][2]);
      cairo_set_line_width (cr, 0.8);
      for (guint i = 0; i < plot->series[s]->len; i++)
        {
          PlotPoint *p = &g_array_index (plot->series[s], PlotPoint, i);
          if (isnan (p->U))
            continue;
          cairo_move_to (cr, PX (p->x), PY (p->y - p->U));
          cairo_line_to (cr, PX (p->x), PY (p->y + p->U));
          cairo_move_to (cr, PX (p->x) - 2, PY (p->y - p->U));
          cairo_line_to (cr, PX (p->x) + 2, PY (p->y - p->U));
          cairo_move_to (cr, PX (p->x) - 2, PY (p->y + p->U));
          cairo_line_to (cr, PX (p->x) + 2, PY (p->y + p->U));
        }
      cairo_stroke (cr);
      for (guint i = 0; i < plot->series[s]->len; i++)
        {
          PlotPoint *p = &g_array_index (plot->series[s], PlotPoint, i);
          marker (cr, s, PX (p->x), PY (p->y));
        }
    }
  cairo_restore (cr);

  /* frame, ticks and labels */
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 0.7);
  cairo_rectangle (cr, left, top, right - left, bottom - top);
  cairo_stroke (cr);
  for (double v = ceil (y0 / step) * step; v <= y1; v += step)
    {
      g_autofree char *label = nb_pdf_fmt_value (fabs (v) < step / 2 ? 0 : v, step_decimals (step));
      nb_pdf_text_at (pdf, NB_PDF_FONT_SMALL, label, left - 44, PY (v) - 4.5, 40,
                      PANGO_ALIGN_RIGHT);
    }
  step = nice_step (x1 - x0, 8);
  for (double v = ceil (x0 / step) * step; v <= x1; v += step)
    {
      g_autofree char *label = nb_pdf_fmt_value (v, MAX (step_decimals (step), plot->x_decimals));
      cairo_move_to (cr, PX (v), bottom);
      cairo_line_to (cr, PX (v), bottom + 3);
      cairo_stroke (cr);
      nb_pdf_text_at (pdf, NB_PDF_FONT_SMALL, label, PX (v) - 20, bottom + 4, 40,
                      PANGO_ALIGN_CENTER);
    }
  nb_pdf_text_at (pdf, NB_PDF_FONT_BODY, plot->x_label, left, bottom + 16, right - left,
                  PANGO_ALIGN_CENTER);
  cairo_save (cr);
  cairo_translate (cr, NB_PDF_MARGIN_X, (top + bottom) / 2);
  cairo_rotate (cr, -G_PI / 2);
  nb_pdf_text_at (pdf, NB_PDF_FONT_BODY, plot->y_label, -(bottom - top) / 2, 0, bottom - top,
                  PANGO_ALIGN_CENTER);
  cairo_restore (cr);
#undef PX
#undef PY
  pdf->y += PLOT_H;
}

static void
plot_init (Plot *plot)
{
  for (int s = 0; s < 2; s++)
    plot->series[s] = g_array_new (FALSE, FALSE, sizeof (PlotPoint));
  plot->band = g_array_new (FALSE, FALSE, sizeof (BandPoint));
}

static void
plot_clear (Plot *plot)
{
  for (int s = 0; s < 2; s++)
    g_array_unref (plot->series[s]);
  g_array_unref (plot->band);
}

/* Adds @entry (a point's as_found or as_left) at @x to series @s, its band at @target. */
static void
plot_add (Plot *plot, int s, double x, double target, JsonObject *entry, const char *error_key,
          const char *U_key)
{
  JsonObject *tol = nb_pdf_obj (entry, "tolerance");
  PlotPoint p = { x, 0, NAN };
  double lo = -INFINITY, hi = INFINITY;

  if (!nb_pdf_num (entry, error_key, &p.y))
    return;
  if (!nb_pdf_num (entry, U_key, &p.U))
    p.U = NAN;
  g_array_append_val (plot->series[s], p);
  if (nb_pdf_num (tol, "lower", &lo))
    lo -= target;
  if (nb_pdf_num (tol, "upper", &hi))
    hi -= target;
  band_add (plot->band, target, lo, hi);
}

static const char *const phases[2] = { "as_found", "as_left" };

void
nb_pdf_plot_depth (NbPdf *pdf)
{
  JsonArray *points = nb_pdf_arr (nb_pdf_obj (pdf->doc, "results"), "points");
  g_autoptr (GArray) rates = g_array_new (FALSE, FALSE, sizeof (double));
  double spacing = INFINITY, prev = NAN, lowest = INFINITY, highest = -INFINITY, step;
  Plot plot = { "Depth error against target depth", "Target depth (mm)", "Error (mm)" };
  guint n = points != NULL ? json_array_get_length (points) : 0;

  plot.x_decimals = 2;
  plot_init (&plot);
  /* the distinct rates, and the smallest step between targets: the room for the spread */
  for (guint i = 0; i < n; i++)
    {
      JsonObject *p = json_array_get_object_element (points, i);
      double rate = 0, target = 0;
      guint r;

      nb_pdf_num (p, "rate_hz", &rate);
      nb_pdf_num (p, "target_mm", &target);
      for (r = 0; r < rates->len && g_array_index (rates, double, r) != rate; r++)
        ;
      if (r == rates->len)
        g_array_append_val (rates, rate);
      if (!isnan (prev) && fabs (target - prev) > 1e-9)
        spacing = MIN (spacing, fabs (target - prev));
      prev = target;
      lowest = MIN (lowest, target), highest = MAX (highest, target);
    }
  if (!isfinite (spacing))
    spacing = 0.25;
  /* slots: as found at every rate, then as left at every rate, across at most half the spacing
   * between targets, and no wider than needed to tell the bars apart */
  step = MIN (spacing * 0.5 / (2 * MAX (rates->len, 1)),
              (highest > lowest ? highest - lowest : 1) * 0.012);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *p = json_array_get_object_element (points, i);
      double rate = 0, target = 0;
      guint r;

      nb_pdf_num (p, "rate_hz", &rate);
      nb_pdf_num (p, "target_mm", &target);
      for (r = 0; r < rates->len && g_array_index (rates, double, r) != rate; r++)
        ;
      for (int s = 0; s < 2; s++)
        {
          int slots = 2 * (int) rates->len;
          double slot = s * (int) rates->len + (int) r - (slots - 1) / 2.0;
          double x = target + slot * step;
          plot_add (&plot, s, x, target, nb_pdf_obj (p, phases[s]), "error_mm", "U_mm");
        }
    }
  draw_plot (pdf, &plot);
  if (rates->len > 1)
    nb_pdf_paragraph (pdf, NB_PDF_FONT_SMALL,
                      "At each target the points are spread sideways by set rate, lowest first, "
                      "as found then as left.");
  plot_clear (&plot);
}

void
nb_pdf_plot_rate (NbPdf *pdf)
{
  JsonArray *points = nb_pdf_arr (nb_pdf_obj (pdf->doc, "results"), "rate_points");
  Plot plot = { "Rate error against set rate", "Set rate (Hz)", "Rate error (Hz)" };
  double spacing = INFINITY, prev = NAN;
  guint n = points != NULL ? json_array_get_length (points) : 0;

  plot.x_decimals = 0;
  plot_init (&plot);
  for (guint i = 0; i < n; i++)
    {
      double target = 0;
      nb_pdf_num (json_array_get_object_element (points, i), "target_hz", &target);
      if (!isnan (prev) && fabs (target - prev) > 1e-9)
        spacing = MIN (spacing, fabs (target - prev));
      prev = target;
    }
  if (!isfinite (spacing))
    spacing = 10;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *p = json_array_get_object_element (points, i);
      double target = 0;

      nb_pdf_num (p, "target_hz", &target);
      for (int s = 0; s < 2; s++)
        plot_add (&plot, s, target + (s - 0.5) * spacing * 0.08, target, nb_pdf_obj (p, phases[s]),
                  "error_hz", "U_hz");
    }
  draw_plot (pdf, &plot);
  plot_clear (&plot);
}
