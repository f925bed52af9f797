/* nb-fleet-chart.c: the distribution and history charts of the fleet statistics. */
#include "nb-fleet-chart.h"

#include <glib/gi18n.h>
#include <math.h>

#define LEFT 64
#define RIGHT 16
#define TOP 34
#define BOTTOM 44

typedef struct
{
  NbFleetData *data;
  guint index;
  NbUnits units;
  gboolean history;
  char *description;
} Chart;

static void
chart_free (Chart *c)
{
  nb_fleet_data_unref (c->data);
  g_free (c->description);
  g_free (c);
}

static const char *const palette[] = { "#1c71d8", "#e66100", "#26a269", "#9141ac", "#a51d2d",
                                       "#865e3c", "#2190a4", "#c88800", "#5e5c64", "#e01b84" };
#define TOLERANCE_COLOUR "#c01c28"
#define FILL_COLOUR "#3584e4"

static void
source (cairo_t *cr, const char *spec, double alpha)
{
  GdkRGBA c;
  gdk_rgba_parse (&c, spec);
  cairo_set_source_rgba (cr, c.red, c.green, c.blue, alpha);
}

static void
fg_source (cairo_t *cr, const GdkRGBA *fg, double alpha)
{
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, fg->alpha * alpha);
}

/* draws @text with its (align_x, align_y) share at (x, y); returns its width */
static int
text (GtkWidget *w, cairo_t *cr, const char *t, double x, double y, double ax, double ay,
      gboolean small)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (w, NULL);
  if (small)
    {
      g_autofree char *markup = g_markup_printf_escaped ("<small>%s</small>", t);
      pango_layout_set_markup (layout, markup, -1);
    }
  else
    pango_layout_set_text (layout, t, -1);
  int tw, th;
  pango_layout_get_pixel_size (layout, &tw, &th);
  cairo_move_to (cr, round (x - ax * tw), round (y - ay * th));
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
  return tw;
}

static int
text_width (GtkWidget *w, const char *t, gboolean small)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (w, NULL);
  g_autofree char *markup = g_markup_printf_escaped (small ? "<small>%s</small>" : "%s", t);
  pango_layout_set_markup (layout, markup, -1);
  int tw, th;
  pango_layout_get_pixel_size (layout, &tw, &th);
  g_object_unref (layout);
  return tw;
}

/* a tick step of 1, 2 or 5 × 10^k giving at most @max ticks over @span */
static double
nice_step (double span, guint max)
{
  double raw = span / MAX (max - 1, 1);
  double p = pow (10, floor (log10 (raw)));
  for (guint i = 0; i < 3; i++)
    {
      double m = (double[]){ 1, 2, 5 }[i];
      if (m * p >= raw)
        return m * p;
    }
  return 10 * p;
}

typedef struct
{
  double lo, hi; /* the y range, mm */
  double px, py, pw, ph;
} Frame;

static double
to_y (const Frame *f, double v)
{
  return f->py + f->ph * (f->hi - v) / (f->hi - f->lo);
}

static void
widen (double *lo, double *hi, double v)
{
  if (!isfinite (v))
    return;
  *lo = MIN (*lo, v);
  *hi = MAX (*hi, v);
}

static void
finish_range (Frame *f)
{
  double span = f->hi - f->lo;
  if (span < 1e-3)
    span = 1e-3;
  f->lo -= 0.08 * span;
  f->hi += 0.08 * span;
}

/* the grid and the error axis in the operator's unit */
static void
draw_y_axis (GtkWidget *w, cairo_t *cr, const Frame *f, const GdkRGBA *fg, NbUnits units)
{
  double k = nb_units_from_mm (units, 1.0);
  double step = nice_step ((f->hi - f->lo) * k, 6);
  int digits = step >= 1 ? 0 : (int) ceil (-log10 (step) - 1e-9);
  cairo_set_line_width (cr, 1);
  for (double v = ceil (f->lo * k / step) * step; v <= f->hi * k + 1e-12; v += step)
    {
      double y = round (to_y (f, v / k)) + 0.5;
      gboolean zero = fabs (v) < step / 2;
      fg_source (cr, fg, zero ? 0.35 : 0.1);
      cairo_move_to (cr, f->px, y);
      cairo_line_to (cr, f->px + f->pw, y);
      cairo_stroke (cr);
      g_autofree char *label = g_strdup_printf ("%+.*f", digits, zero ? 0.0 : v);
      fg_source (cr, fg, 0.7);
      text (w, cr, zero ? "0" : label, f->px - 6, y, 1, 0.5, TRUE);
    }
  g_autofree char *title = g_strdup_printf (_ ("As-found error, %s"), nb_units_symbol (units));
  fg_source (cr, fg, 0.8);
  text (w, cr, title, 4, 4, 0, 0, TRUE);
}

static void
dashed_line (cairo_t *cr, double x0, double x1, double y)
{
  static const double dash[] = { 6, 4 };
  cairo_set_dash (cr, dash, 2, 0);
  cairo_set_line_width (cr, 1.5);
  cairo_move_to (cr, x0, round (y) + 0.5);
  cairo_line_to (cr, x1, round (y) + 0.5);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

/* one legend entry: a swatch (0 dashed line, 1 box, 2 mean and whisker, 3 line with a dot) and
 * a name */
typedef struct
{
  const char *colour;
  int kind;
  const char *name;
} Entry;

static void
swatch (cairo_t *cr, const GdkRGBA *fg, const Entry *e, double x, double sy)
{
  switch (e->kind)
    {
    case 0:
      source (cr, e->colour, 0.9);
      dashed_line (cr, x, x + 16, sy);
      break;
    case 1:
      source (cr, e->colour, 0.55);
      cairo_rectangle (cr, x + 3, sy - 5, 10, 10);
      cairo_fill (cr);
      break;
    case 2:
      fg_source (cr, fg, 0.85);
      cairo_set_line_width (cr, 1.5);
      cairo_move_to (cr, x + 8, sy - 7);
      cairo_line_to (cr, x + 8, sy + 7);
      cairo_stroke (cr);
      cairo_move_to (cr, x + 8, sy - 4);
      cairo_line_to (cr, x + 12, sy);
      cairo_line_to (cr, x + 8, sy + 4);
      cairo_line_to (cr, x + 4, sy);
      cairo_close_path (cr);
      cairo_fill (cr);
      break;
    default:
      source (cr, e->colour, 0.9);
      cairo_set_line_width (cr, 2);
      cairo_move_to (cr, x, sy);
      cairo_line_to (cr, x + 16, sy);
      cairo_stroke (cr);
      cairo_arc (cr, x + 8, sy, 3.5, 0, 2 * G_PI);
      cairo_fill (cr);
    }
}

#define LEGEND_ROW 18

/* the legend at the top right between @left and @right, in as many right-aligned rows as it
 * needs; returns the y under it */
static double
draw_legend (GtkWidget *w, cairo_t *cr, const GdkRGBA *fg, const Entry *entries, guint n,
             double left, double right)
{
  double y = 6, row_w = 0;
  guint row_start = 0;
  for (guint i = 0; i <= n; i++)
    {
      double ew = i < n ? 22 + text_width (w, entries[i].name, TRUE) + 14 : 0;
      if (i == n || (row_w + ew > right - left && i > row_start))
        {
          double x = right - row_w + 14;
          for (guint k = row_start; k < i; k++)
            {
              swatch (cr, fg, &entries[k], x, y + 8);
              fg_source (cr, fg, 0.8);
              x += 22 + text (w, cr, entries[k].name, x + 22, y, 0, 0, TRUE) + 14;
            }
          if (i == n)
            break;
          y += LEGEND_ROW;
          row_start = i;
          row_w = 0;
        }
      row_w += ew;
    }
  return y + LEGEND_ROW;
}

static double
title_right (GtkWidget *w, NbUnits units)
{
  g_autofree char *title = g_strdup_printf (_ ("As-found error, %s"), nb_units_symbol (units));
  return 4 + text_width (w, title, TRUE) + 16;
}

/* --- distribution ----------------------------------------------------------------------------- */

static void
draw_distribution (GtkWidget *w, cairo_t *cr, int width, int height, const Chart *c,
                   const GdkRGBA *fg)
{
  const NbFleetGroup *g = g_ptr_array_index (c->data->stats->groups, c->index);
  guint n = g->points->len;
  if (n == 0)
    return;
  Frame f = { INFINITY, -INFINITY, LEFT, TOP, width - LEFT - RIGHT, height - TOP - BOTTOM };
  if (f.pw < 40 || f.ph < 40)
    return;
  widen (&f.lo, &f.hi, 0);
  for (guint i = 0; i < n; i++)
    {
      const NbFleetPointDist *d = &g_array_index (g->points, NbFleetPointDist, i);
      widen (&f.lo, &f.hi, d->min_mm);
      widen (&f.lo, &f.hi, d->max_mm);
      widen (&f.lo, &f.hi, d->tol_lower_mm);
      widen (&f.lo, &f.hi, d->tol_upper_mm);
    }
  finish_range (&f);
  Entry entries[] = { { NULL, 2, _ ("mean ± 1 sd") },
                      { FILL_COLOUR, 1, _ ("errors (histogram)") },
                      { TOLERANCE_COLOUR, 0, _ ("tolerance") } };
  double top = draw_legend (w, cr, fg, entries, G_N_ELEMENTS (entries), title_right (w, c->units),
                            width - RIGHT);
  f.py = MAX (TOP, top + 8);
  f.ph = height - f.py - BOTTOM;
  draw_y_axis (w, cr, &f, fg, c->units);

  double sw = f.pw / n;
  for (guint i = 0; i < n; i++)
    {
      const NbFleetPointDist *d = &g_array_index (g->points, NbFleetPointDist, i);
      double x0 = f.px + i * sw, cx = x0 + sw / 2;
      if (i > 0)
        {
          fg_source (cr, fg, 0.08);
          cairo_set_line_width (cr, 1);
          cairo_move_to (cr, round (x0) + 0.5, f.py);
          cairo_line_to (cr, round (x0) + 0.5, f.py + f.ph);
          cairo_stroke (cr);
        }
      /* outside the tolerance: shaded */
      source (cr, TOLERANCE_COLOUR, 0.07);
      if (isfinite (d->tol_upper_mm))
        cairo_rectangle (cr, x0 + 4, f.py, sw - 8, to_y (&f, d->tol_upper_mm) - f.py);
      if (isfinite (d->tol_lower_mm))
        cairo_rectangle (cr, x0 + 4, to_y (&f, d->tol_lower_mm), sw - 8,
                         f.py + f.ph - to_y (&f, d->tol_lower_mm));
      cairo_fill (cr);
      source (cr, TOLERANCE_COLOUR, 0.85);
      if (isfinite (d->tol_upper_mm))
        dashed_line (cr, x0 + 4, x0 + sw - 4, to_y (&f, d->tol_upper_mm));
      if (isfinite (d->tol_lower_mm))
        dashed_line (cr, x0 + 4, x0 + sw - 4, to_y (&f, d->tol_lower_mm));

      guint most = 1;
      for (guint k = 0; k < d->bins->len; k++)
        most = MAX (most, g_array_index (d->bins, NbFleetBin, k).count);
      double half = MIN (sw * 0.32, 70);
      for (guint k = 0; k < d->bins->len; k++)
        {
          const NbFleetBin *b = &g_array_index (d->bins, NbFleetBin, k);
          if (b->count == 0)
            continue;
          double mid = (b->from_mm + b->to_mm) / 2;
          gboolean out = mid > d->tol_upper_mm || mid < d->tol_lower_mm;
          double y0 = to_y (&f, b->to_mm), y1 = to_y (&f, b->from_mm);
          if (y1 - y0 < 3)
            {
              y0 = (y0 + y1) / 2 - 1.5;
              y1 = y0 + 3;
            }
          double hw = half * b->count / most;
          source (cr, out ? TOLERANCE_COLOUR : FILL_COLOUR, out ? 0.55 : 0.5);
          cairo_rectangle (cr, cx - hw, y0 + 0.5, 2 * hw, MAX (y1 - y0 - 1, 2));
          cairo_fill (cr);
        }
      if (d->n > 0)
        {
          double ym = to_y (&f, d->mean_mm);
          fg_source (cr, fg, 0.85);
          cairo_set_line_width (cr, 1.5);
          if (isfinite (d->sd_mm))
            {
              double ya = to_y (&f, d->mean_mm + d->sd_mm), yb = to_y (&f, d->mean_mm - d->sd_mm);
              cairo_move_to (cr, cx, ya);
              cairo_line_to (cr, cx, yb);
              cairo_move_to (cr, cx - 6, ya);
              cairo_line_to (cr, cx + 6, ya);
              cairo_move_to (cr, cx - 6, yb);
              cairo_line_to (cr, cx + 6, yb);
              cairo_stroke (cr);
            }
          cairo_move_to (cr, cx, ym - 5);
          cairo_line_to (cr, cx + 5, ym);
          cairo_line_to (cr, cx, ym + 5);
          cairo_line_to (cr, cx - 5, ym);
          cairo_close_path (cr);
          cairo_fill (cr);
        }
      g_autofree char *pt = nb_fleet_text_point (c->units, d->target_mm, d->rate_hz);
      g_autofree char *cpk = isfinite (d->cpk) ? g_strdup_printf ("%.2f", d->cpk) : g_strdup ("–");
      /* TRANSLATORS: under a depth point in the chart: "n 4 · Cpk 1.33 · 1 failed" */
      g_autofree char *sub
          = g_strdup_printf (_ ("n %u · Cpk %s · %u failed"), d->n, cpk, d->failed);
      /* many points (a factory profile): the depth alone, then the rate, under a narrow column */
      if (text_width (w, pt, TRUE) > sw - 6 || text_width (w, sub, TRUE) > sw - 6)
        {
          g_free (pt);
          pt = nb_units_format_depth (c->units, d->target_mm);
          g_free (sub);
          sub = g_strdup_printf (_ ("%g Hz · n %u"), d->rate_hz, d->n);
        }
      fg_source (cr, fg, 0.85);
      text (w, cr, pt, cx, f.py + f.ph + 6, 0.5, 0, TRUE);
      fg_source (cr, fg, 0.6);
      text (w, cr, sub, cx, f.py + f.ph + 23, 0.5, 0, TRUE);
    }
  fg_source (cr, fg, 0.3);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, f.px + 0.5, f.py + 0.5, f.pw - 1, f.ph - 1);
  cairo_stroke (cr);
}

/* --- history ---------------------------------------------------------------------------------- */

static const NbFleetPoint *
find_point (const NbFleetRun *r, const NbFleetPointDrift *key)
{
  for (guint j = 0; j < r->points->len; j++)
    {
      const NbFleetPoint *p = &g_array_index (r->points, NbFleetPoint, j);
      if (p->target_mm == key->target_mm && p->rate_hz == key->rate_hz)
        return p;
    }
  return NULL;
}

static double
time_x (double px, double pw, gint64 t0, gint64 t1, gint64 t)
{
  return px + pw * (double) (t - t0) / (double) (t1 - t0);
}

static void
draw_history (GtkWidget *w, cairo_t *cr, int width, int height, const Chart *c, const GdkRGBA *fg)
{
  const NbFleetPen *pen = g_ptr_array_index (c->data->stats->pens, c->index);
  if (pen->runs->len == 0)
    return;
  Frame f = { INFINITY, -INFINITY, LEFT, TOP, width - LEFT - RIGHT, height - TOP - BOTTOM + 14 };
  if (f.pw < 40 || f.ph < 40)
    return;
  widen (&f.lo, &f.hi, 0);
  const NbFleetRun *first = g_ptr_array_index (pen->runs, 0);
  const NbFleetRun *last = g_ptr_array_index (pen->runs, pen->runs->len - 1);
  for (guint i = 0; i < pen->runs->len; i++)
    {
      const NbFleetRun *r = g_ptr_array_index (pen->runs, i);
      for (guint j = 0; j < r->points->len; j++)
        {
          const NbFleetPoint *p = &g_array_index (r->points, NbFleetPoint, j);
          if (p->has_found)
            widen (&f.lo, &f.hi, p->found_error_mm);
        }
    }
  for (guint j = 0; j < last->points->len; j++)
    {
      const NbFleetPoint *p = &g_array_index (last->points, NbFleetPoint, j);
      widen (&f.lo, &f.hi, p->tol_lower_mm);
      widen (&f.lo, &f.hi, p->tol_upper_mm);
    }
  finish_range (&f);
  /* one line per depth point of the latest calibration, a colour per depth: the rates of one
   * depth (a factory profile's grid) share it, or thirty colours would say nothing */
  g_autoptr (GArray) colour_of = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) targets = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) rates = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint k = 0; k < pen->drift->len; k++)
    {
      double t = g_array_index (pen->drift, NbFleetPointDrift, k).target_mm;
      guint j = 0;
      while (j < targets->len && g_array_index (targets, double, j) != t)
        j++;
      if (j == targets->len)
        {
          guint one = 0;
          g_array_append_val (targets, t);
          g_array_append_val (rates, one);
        }
      g_array_index (rates, guint, j)++;
      g_array_append_val (colour_of, j);
    }
  gboolean by_depth = targets->len < pen->drift->len;
  guint n_keys = pen->drift->len;
  guint n_entries = by_depth ? targets->len : n_keys;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree Entry *entries = g_new0 (Entry, n_entries + 1);
  for (guint k = 0; k < n_entries; k++)
    {
      char *name;
      if (by_depth)
        {
          g_autofree char *depth
              = nb_units_format_depth (c->units, g_array_index (targets, double, k));
          guint n = g_array_index (rates, guint, k);
          /* TRANSLATORS: a depth measured at several rates: "0.250 mm (3 rates)" */
          name = g_strdup_printf (g_dngettext (NULL, "%s (%u rate)", "%s (%u rates)", n), depth, n);
        }
      else
        {
          const NbFleetPointDrift *key = &g_array_index (pen->drift, NbFleetPointDrift, k);
          name = nb_fleet_text_point (c->units, key->target_mm, key->rate_hz);
        }
      g_ptr_array_add (names, name);
      entries[k] = (Entry){ palette[k % G_N_ELEMENTS (palette)], 3, name };
    }
  entries[n_entries] = (Entry){ TOLERANCE_COLOUR, 0, _ ("tolerance") };
  double top
      = draw_legend (w, cr, fg, entries, n_entries + 1, title_right (w, c->units), width - RIGHT);
  f.py = MAX (TOP, top + 8);
  f.ph = height - f.py - BOTTOM + 14;
  draw_y_axis (w, cr, &f, fg, c->units);

  /* the time axis: at least two days wide, a margin either side */
  const gint64 day = G_USEC_PER_SEC * (gint64) 86400;
  gint64 t0 = first->started_at, t1 = last->started_at;
  gint64 pad = MAX ((t1 - t0) / 16, day);
  t0 -= pad;
  t1 += pad;
  double days = (double) (t1 - t0) / day;
  guint max_ticks = MAX ((guint) (f.pw / 110), 2);
  static const double steps[] = { 1, 2, 7, 14, 30, 61, 91, 182, 365, 730, 1461 };
  double step = steps[G_N_ELEMENTS (steps) - 1];
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (days / steps[i] <= max_ticks)
      {
        step = steps[i];
        break;
      }
  gint64 first_tick = (t0 / day + 1) * day;
  for (gint64 t = first_tick; t < t1; t += (gint64) step * day)
    {
      double x = round (time_x (f.px, f.pw, t0, t1, t)) + 0.5;
      fg_source (cr, fg, 0.1);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, x, f.py);
      cairo_line_to (cr, x, f.py + f.ph);
      cairo_stroke (cr);
      g_autoptr (GDateTime) dt = g_date_time_new_from_unix_local (t / G_USEC_PER_SEC);
      g_autofree char *label = dt ? g_date_time_format (dt, "%Y-%m-%d") : NULL;
      fg_source (cr, fg, 0.7);
      if (label)
        text (w, cr, label, x, f.py + f.ph + 4, 0.5, 0, TRUE);
    }

  /* the limits of the latest calibration, each distinct one once */
  double drawn[16];
  guint n_drawn = 0;
  source (cr, TOLERANCE_COLOUR, 0.85);
  for (guint j = 0; j < last->points->len; j++)
    {
      const NbFleetPoint *p = &g_array_index (last->points, NbFleetPoint, j);
      double lim[2] = { p->tol_lower_mm, p->tol_upper_mm };
      for (guint k = 0; k < 2; k++)
        {
          gboolean seen = !isfinite (lim[k]);
          for (guint m = 0; m < n_drawn && !seen; m++)
            seen = drawn[m] == lim[k];
          if (seen || n_drawn == G_N_ELEMENTS (drawn))
            continue;
          drawn[n_drawn++] = lim[k];
          dashed_line (cr, f.px, f.px + f.pw, to_y (&f, lim[k]));
        }
    }

  /* one line per depth point of the latest calibration; a failed as-found is ringed in red */
  for (guint k = 0; k < n_keys; k++)
    {
      const NbFleetPointDrift *key = &g_array_index (pen->drift, NbFleetPointDrift, k);
      const char *colour = palette[g_array_index (colour_of, guint, k) % G_N_ELEMENTS (palette)];
      source (cr, colour, 0.9);
      cairo_set_line_width (cr, 2);
      gboolean started = FALSE;
      for (guint i = 0; i < pen->runs->len; i++)
        {
          const NbFleetRun *r = g_ptr_array_index (pen->runs, i);
          const NbFleetPoint *p = find_point (r, key);
          if (p == NULL || !p->has_found)
            continue;
          double x = time_x (f.px, f.pw, t0, t1, r->started_at), y = to_y (&f, p->found_error_mm);
          if (started)
            cairo_line_to (cr, x, y);
          else
            cairo_move_to (cr, x, y);
          started = TRUE;
        }
      cairo_stroke (cr);
      for (guint i = 0; i < pen->runs->len; i++)
        {
          const NbFleetRun *r = g_ptr_array_index (pen->runs, i);
          const NbFleetPoint *p = find_point (r, key);
          if (p == NULL || !p->has_found)
            continue;
          double x = time_x (f.px, f.pw, t0, t1, r->started_at), y = to_y (&f, p->found_error_mm);
          source (cr, colour, 1);
          cairo_arc (cr, x, y, 4, 0, 2 * G_PI);
          cairo_fill (cr);
          if (!nb_verdict_is_acceptance (p->found_verdict))
            {
              source (cr, TOLERANCE_COLOUR, 1);
              cairo_set_line_width (cr, 1.5);
              cairo_arc (cr, x, y, 7, 0, 2 * G_PI);
              cairo_stroke (cr);
            }
        }
    }
  fg_source (cr, fg, 0.3);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, f.px + 0.5, f.py + 0.5, f.pw - 1, f.ph - 1);
  cairo_stroke (cr);
}

static void
draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  const Chart *c = user_data;
  GdkRGBA fg;
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  if (c->history)
    draw_history (GTK_WIDGET (area), cr, width, height, c, &fg);
  else
    draw_distribution (GTK_WIDGET (area), cr, width, height, c, &fg);
}

/* --- descriptions ----------------------------------------------------------------------------- */

static char *
describe_distribution (const NbFleetGroup *g, NbUnits u)
{
  g_autoptr (GString) s = g_string_new (NULL);
  g_string_append_printf (s, _ ("As-found error per depth point of model %s."),
                          g->model ? g->model : _ ("(not given)"));
  for (guint i = 0; i < g->points->len; i++)
    {
      const NbFleetPointDist *d = &g_array_index (g->points, NbFleetPointDist, i);
      g_autofree char *pt = nb_fleet_text_point (u, d->target_mm, d->rate_hz);
      g_autofree char *mean = nb_fleet_text_error (u, d->mean_mm);
      g_autofree char *sd = nb_fleet_text_spread (u, d->sd_mm);
      g_autofree char *min = nb_fleet_text_error (u, d->min_mm);
      g_autofree char *max = nb_fleet_text_error (u, d->max_mm);
      g_autofree char *lo = nb_fleet_text_error (u, d->tol_lower_mm);
      g_autofree char *hi = nb_fleet_text_error (u, d->tol_upper_mm);
      g_autofree char *cpk = isfinite (d->cpk) ? g_strdup_printf ("%.2f", d->cpk) : g_strdup ("–");
      g_string_append_c (s, ' ');
      g_string_append_printf (s,
                              _ ("%s: %u calibrations, mean %s, sd %s, from %s to %s, tolerance "
                                 "%s to %s, Cpk %s, %u failed."),
                              pt, d->n, mean, sd, min, max, lo, hi, cpk, d->failed);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
describe_history (const NbFleetPen *pen, NbUnits u)
{
  g_autoptr (GString) s = g_string_new (NULL);
  g_string_append_printf (s, _ ("As-found error of pen %s per calibration."), pen->serial);
  for (guint i = 0; i < pen->runs->len; i++)
    {
      const NbFleetRun *r = g_ptr_array_index (pen->runs, i);
      g_autoptr (GDateTime) dt = g_date_time_new_from_unix_local (r->started_at / G_USEC_PER_SEC);
      g_autofree char *when = dt ? g_date_time_format (dt, "%Y-%m-%d") : g_strdup ("?");
      g_string_append_printf (s, " %s:", when);
      for (guint j = 0; j < r->points->len; j++)
        {
          const NbFleetPoint *p = &g_array_index (r->points, NbFleetPoint, j);
          g_autofree char *pt = nb_fleet_text_point (u, p->target_mm, p->rate_hz);
          g_autofree char *e = nb_fleet_text_error (u, p->has_found ? p->found_error_mm : NAN);
          g_string_append_printf (s, "%s %s %s", j ? "," : "", pt, e);
        }
      g_string_append_c (s, '.');
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static GtkWidget *
chart_new (NbFleetData *data, guint index, NbUnits units, gboolean history)
{
  Chart *c = g_new0 (Chart, 1);
  c->data = nb_fleet_data_ref (data);
  c->index = index;
  c->units = units;
  c->history = history;
  GtkWidget *area
      = g_object_new (GTK_TYPE_DRAWING_AREA, "accessible-role", GTK_ACCESSIBLE_ROLE_IMG, NULL);
  gtk_widget_add_css_class (area, "card");
  gtk_widget_set_hexpand (area, TRUE);
  const char *name;
  if (history)
    {
      const NbFleetPen *pen = g_ptr_array_index (data->stats->pens, index);
      c->description = describe_history (pen, units);
      name = _ ("Calibration history");
      /* a legend row for about every four entries (one a depth at most ten, in practice) */
      gtk_widget_set_size_request (area, 420, 220 + LEGEND_ROW * (MIN (pen->drift->len, 10) / 4));
    }
  else
    {
      const NbFleetGroup *g = g_ptr_array_index (data->stats->groups, index);
      c->description = describe_distribution (g, units);
      name = _ ("As-found error distribution");
      /* a column wide enough for its labels: a factory profile's many points scroll sideways */
      gtk_widget_set_size_request (area, MAX (420, LEFT + RIGHT + 76 * (int) g->points->len), 260);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (area), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, c->description, -1);
  g_object_set_data (G_OBJECT (area), "nb-fleet-chart", c);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw, c, (GDestroyNotify) chart_free);
  return area;
}

GtkWidget *
nb_fleet_chart_new_distribution (NbFleetData *data, guint group, NbUnits units)
{
  return chart_new (data, group, units, FALSE);
}

GtkWidget *
nb_fleet_chart_new_history (NbFleetData *data, guint pen, NbUnits units)
{
  return chart_new (data, pen, units, TRUE);
}

const char *
nb_fleet_chart_get_description (GtkWidget *chart)
{
  Chart *c = g_object_get_data (G_OBJECT (chart), "nb-fleet-chart");
  return c ? c->description : NULL;
}
