/* nb-chart.c: layout, grid, ticks and series drawing of the chart widget. */
#include "nb-chart.h"

#include "nb-chart-a11y.h"

#include <math.h>

#define MARGIN_LEFT 56
#define MARGIN_RIGHT 24
#define MARGIN_TOP 24
#define MARGIN_BOTTOM 26
#define MAX_TICKS_X 11
#define MAX_TICKS_Y 6
#define ZOOM_STEP 1.25
#define LAYOUT_CACHE_MAX 128

struct _NbChart
{
  GtkWidget parent_instance;
  char *title;
  NbChartAxis *x_axis, *y_axis;
  GPtrArray *series;
  NbMinMax *cols; /* envelope columns, grown to the widest plot seen, never per frame */
  guint n_cols_alloc;
  gint64 last_draw_us, last_drawn_at;
  guint draw_count;
  double pointer_x;
  GHashTable *layouts; /* "b" or "r" + text → PangoLayout */
  guint layouts_serial;
  guint max_fps;
  guint redraw_timeout; /* a redraw held back to keep within max_fps, 0 when none */
};

G_DEFINE_FINAL_TYPE (NbChart, nb_chart, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_VIEW_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
set_source (cairo_t *cr, const GdkRGBA *c, double alpha)
{
  cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha * alpha);
}

/* (transfer none) @text laid out. Shaping text is a third of a chart's drawing and its labels
 * repeat from frame to frame (the same ticks, title and units), so the layouts are kept, until
 * the font changes or too many tick labels have gone by. */
static PangoLayout *
layout_for (NbChart *self, const char *text, gboolean bold)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  if (pango_context_get_serial (context) != self->layouts_serial
      || g_hash_table_size (self->layouts) > LAYOUT_CACHE_MAX)
    {
      g_hash_table_remove_all (self->layouts);
      self->layouts_serial = pango_context_get_serial (context);
    }
  g_autofree char *key = g_strconcat (bold ? "b" : "r", text, NULL);
  PangoLayout *layout = g_hash_table_lookup (self->layouts, key);
  if (layout)
    return layout;
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  if (bold)
    {
      g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>", text);
      pango_layout_set_markup (layout, markup, -1);
    }
  else
    pango_layout_set_text (layout, text, -1);
  g_hash_table_insert (self->layouts, g_steal_pointer (&key), layout);
  return layout;
}

static void
draw_text (NbChart *self, cairo_t *cr, const char *text, double x, double y, double align_x,
           double align_y, gboolean bold)
{
  PangoLayout *layout = layout_for (self, text, bold);
  int w, h;
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - align_x * w, y - align_y * h);
  pango_cairo_show_layout (cr, layout);
}

/* The tick's number as the axis shows it (its display unit), with the digits its step needs. */
static void
format_tick (char *buf, gsize size, NbChartAxis *axis, double v, double step)
{
  double scale = nb_chart_axis_get_display_scale (axis);
  v *= scale;
  step *= scale;
  int digits = step >= 1 ? 0 : (int) ceil (-log10 (step) - 1e-9);
  g_snprintf (buf, size, "%.*f", CLAMP (digits, 0, 6), v);
}

static int
text_width (NbChart *self, const char *text)
{
  int w;
  pango_layout_get_pixel_size (layout_for (self, text, FALSE), &w, NULL);
  return w;
}

static void
draw_envelope (NbChart *self, cairo_t *cr, NbChartSeries *s, double px, double py, double pw,
               double ph)
{
  double rate, y_scale;
  const NbDecimator *dec = nb_chart_series_get_decimator (s, &rate, &y_scale);
  if (dec == NULL)
    return;
  double x0 = nb_chart_axis_get_min (self->x_axis) * rate;
  double x1 = nb_chart_axis_get_max (self->x_axis) * rate;
  if (x1 <= 0)
    return;
  guint64 from = (guint64) MAX (floor (x0), 0);
  guint64 to = (guint64) ceil (x1);
  if (to <= from)
    return;
  /* One column per pixel, or per sample when zoomed in further than that. */
  guint n = (guint) MIN ((guint64) MAX (pw, 1), to - from);
  if (n > self->n_cols_alloc)
    {
      self->cols = g_renew (NbMinMax, self->cols, n);
      self->n_cols_alloc = n;
    }
  nb_decimator_envelope (dec, from, to, self->cols, n);

  set_source (cr, nb_chart_series_get_color (s), 1.0);
  double span = (double) (to - from);
  if (n < pw / 2)
    {
      /* Zoomed in: fewer samples than pixels, so each column is one sample; join them. */
      cairo_set_line_width (cr, 1.5);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      gboolean pen_down = FALSE;
      for (guint i = 0; i < n; i++)
        {
          if (nb_min_max_is_empty (self->cols[i]))
            {
              pen_down = FALSE; /* a gap stays a gap */
              continue;
            }
          double centre = from + (i + 0.5) * span / n;
          double x = px + nb_chart_axis_to_pixel (self->x_axis, centre / rate, pw, FALSE);
          double v = (self->cols[i].min + self->cols[i].max) / 2.0 * y_scale;
          double y = py + nb_chart_axis_to_pixel (self->y_axis, v, ph, TRUE);
          if (pen_down)
            cairo_line_to (cr, x, y);
          else
            cairo_move_to (cr, x, y);
          pen_down = TRUE;
        }
      cairo_stroke (cr);
      return;
    }
  /* One pixel-aligned bar per column from its min to its max, stretched to meet the previous
   * column so the trace is continuous. Boxes on whole pixels are cairo's fastest path; a filled
   * outline of the envelope instead self-intersects at every stroke and costs 100× more. */
  double x_from = px + nb_chart_axis_to_pixel (self->x_axis, from / rate, pw, FALSE);
  double x_to = px + nb_chart_axis_to_pixel (self->x_axis, to / rate, pw, FALSE);
  double col_w = (x_to - x_from) / n;
  gboolean have_prev = FALSE;
  NbMinMax prev = { 0, 0 };
  for (guint i = 0; i < n; i++)
    {
      NbMinMax c = self->cols[i];
      if (nb_min_max_is_empty (c))
        {
          have_prev = FALSE;
          continue;
        }
      gint16 lo = c.min, hi = c.max;
      if (have_prev)
        {
          lo = MIN (lo, prev.max);
          hi = MAX (hi, prev.min);
        }
      prev = c;
      have_prev = TRUE;
      double bx0 = floor (x_from + i * col_w);
      double bx1 = MAX (floor (x_from + (i + 1) * col_w), bx0 + 1);
      double y0 = floor (py + nb_chart_axis_to_pixel (self->y_axis, hi * y_scale, ph, TRUE));
      double y1 = ceil (py + nb_chart_axis_to_pixel (self->y_axis, lo * y_scale, ph, TRUE));
      cairo_rectangle (cr, bx0, y0, bx1 - bx0, MAX (y1 - y0, 1));
    }
  cairo_fill (cr);
}

static void
draw_points (NbChart *self, cairo_t *cr, NbChartSeries *s, double px, double py, double pw,
             double ph)
{
  guint n;
  const double *xy = nb_chart_series_get_points (s, &n);
  const guint8 *classes = nb_chart_series_get_classes (s, &n);
  double xmin = nb_chart_axis_get_min (self->x_axis), xmax = nb_chart_axis_get_max (self->x_axis);
  /* one fill per class colour; a series without classes is one pass */
  for (guint cls = 0; cls < (classes ? NB_CHART_SERIES_CLASSES : 1); cls++)
    {
      set_source (cr, nb_chart_series_get_class_color (s, cls), 1.0);
      for (guint i = 0; i < n; i++)
        {
          double x = xy[2 * i], y = xy[2 * i + 1];
          if ((classes && classes[i] != cls) || x < xmin || x > xmax || !isfinite (y))
            continue;
          double cx = px + nb_chart_axis_to_pixel (self->x_axis, x, pw, FALSE);
          double cy = py + nb_chart_axis_to_pixel (self->y_axis, y, ph, TRUE);
          cairo_rectangle (cr, cx - 1.5, cy - 1.5, 3, 3);
        }
      cairo_fill (cr);
    }
}

/* A line's words above it (below when it is at the top of the plot) on a patch of the chart's
 * background, so that they read over a trace. */
static void
draw_line_label (NbChart *self, cairo_t *cr, const char *text, double px, double py, double y)
{
  GdkRGBA fg;
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  PangoLayout *layout = layout_for (self, text, FALSE);
  int w, h;
  pango_layout_get_pixel_size (layout, &w, &h);
  gboolean above = y > py + h + 4;
  double x0 = px + 4, y0 = above ? y - 2 - h : y + 2;
  /* The opposite of the text's colour: light on a light theme, dark on a dark one. */
  double bg = (fg.red + fg.green + fg.blue) / 3 < 0.5 ? 1.0 : 0.14;
  cairo_set_source_rgba (cr, bg, bg, bg, 0.85);
  cairo_rectangle (cr, x0 - 3, y0, w + 6, h);
  cairo_fill (cr);
  set_source (cr, &fg, 0.85);
  cairo_move_to (cr, x0, y0);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_band_or_line (NbChart *self, cairo_t *cr, NbChartSeries *s, double px, double py, double pw,
                   double ph)
{
  double y0, y1;
  nb_chart_series_get_y (s, &y0, &y1);
  double a = py + nb_chart_axis_to_pixel (self->y_axis, y0, ph, TRUE);
  if (nb_chart_series_get_kind (s) == NB_CHART_SERIES_HLINE)
    {
      static const double dash[] = { 6, 4 };
      set_source (cr, nb_chart_series_get_color (s), 1.0);
      cairo_set_line_width (cr, 1.5);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_move_to (cr, px, a);
      cairo_line_to (cr, px + pw, a);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      if (nb_chart_series_get_label (s))
        draw_line_label (self, cr, nb_chart_series_get_label (s), px, py, a);
      return;
    }
  double b = py + nb_chart_axis_to_pixel (self->y_axis, y1, ph, TRUE);
  set_source (cr, nb_chart_series_get_color (s), 0.18);
  cairo_rectangle (cr, px, MIN (a, b), pw, fabs (b - a));
  cairo_fill (cr);
}

void
nb_chart_draw (NbChart *self, cairo_t *cr, int width, int height)
{
  gint64 t0 = g_get_monotonic_time ();
  GdkRGBA fg;
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  double px = MARGIN_LEFT, py = MARGIN_TOP;
  double pw = width - MARGIN_LEFT - MARGIN_RIGHT, ph = height - MARGIN_TOP - MARGIN_BOTTOM;
  if (pw < 10 || ph < 10)
    return;

  if (self->title)
    {
      set_source (cr, &fg, 0.9);
      draw_text (self, cr, self->title, px, 2, 0, 0, TRUE);
    }

  /* Grid and tick labels. */
  double ticks[MAX_TICKS_X + 1], step;
  char buf[32];
  cairo_set_line_width (cr, 1);
  guint n = nb_chart_axis_ticks (self->y_axis, MAX_TICKS_Y, ticks, &step);
  for (guint i = 0; i < n; i++)
    {
      double y = round (py + nb_chart_axis_to_pixel (self->y_axis, ticks[i], ph, TRUE)) + 0.5;
      set_source (cr, &fg, 0.12);
      cairo_move_to (cr, px, y);
      cairo_line_to (cr, px + pw, y);
      cairo_stroke (cr);
      format_tick (buf, sizeof buf, self->y_axis, ticks[i], step);
      set_source (cr, &fg, 0.7);
      draw_text (self, cr, buf, px - 6, y, 1, 0.5, FALSE);
    }
  /* The x axis's quantity and unit at its right end, where a tick label would collide with
   * it none is drawn. */
  const char *x_label = nb_chart_axis_get_label (self->x_axis);
  double x_label_left = px + pw;
  if (x_label)
    {
      x_label_left -= text_width (self, x_label);
      set_source (cr, &fg, 0.6);
      draw_text (self, cr, x_label, px + pw, py + ph + 4, 1, 0, FALSE);
    }
  n = nb_chart_axis_ticks (self->x_axis, MAX_TICKS_X, ticks, &step);
  for (guint i = 0; i < n; i++)
    {
      double x = round (px + nb_chart_axis_to_pixel (self->x_axis, ticks[i], pw, FALSE)) + 0.5;
      set_source (cr, &fg, 0.12);
      cairo_move_to (cr, x, py);
      cairo_line_to (cr, x, py + ph);
      cairo_stroke (cr);
      format_tick (buf, sizeof buf, self->x_axis, ticks[i], step);
      if (x + text_width (self, buf) / 2.0 + 8 > x_label_left)
        continue;
      set_source (cr, &fg, 0.7);
      draw_text (self, cr, buf, x, py + ph + 4, 0.5, 0, FALSE);
    }
  set_source (cr, &fg, 0.6);
  if (nb_chart_axis_get_label (self->y_axis))
    draw_text (self, cr, nb_chart_axis_get_label (self->y_axis), px + pw, 2, 1, 0, FALSE);

  /* Series, clipped to the plot. */
  cairo_save (cr);
  cairo_rectangle (cr, px, py, pw, ph);
  cairo_clip (cr);
  for (guint i = 0; i < self->series->len; i++)
    {
      NbChartSeries *s = self->series->pdata[i];
      if (!nb_chart_series_get_visible (s))
        continue;
      switch (nb_chart_series_get_kind (s))
        {
        case NB_CHART_SERIES_ENVELOPE: draw_envelope (self, cr, s, px, py, pw, ph); break;
        case NB_CHART_SERIES_POINTS: draw_points (self, cr, s, px, py, pw, ph); break;
        case NB_CHART_SERIES_HLINE:
        case NB_CHART_SERIES_BAND: draw_band_or_line (self, cr, s, px, py, pw, ph); break;
        }
    }
  cairo_restore (cr);

  set_source (cr, &fg, 0.3);
  cairo_rectangle (cr, px + 0.5, py + 0.5, pw - 1, ph - 1);
  cairo_stroke (cr);

  self->last_drawn_at = g_get_monotonic_time ();
  self->last_draw_us = self->last_drawn_at - t0;
  self->draw_count++;
}

static void
nb_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  nb_chart_draw (NB_CHART (widget), cr, w, h);
  cairo_destroy (cr);
}

static void
on_motion (GtkEventControllerMotion *c, double x, double y, NbChart *self)
{
  self->pointer_x = x;
}

static gboolean
on_scroll (GtkEventControllerScroll *c, double dx, double dy, NbChart *self)
{
  if (self->x_axis == NULL)
    return FALSE;
  double min = nb_chart_axis_get_min (self->x_axis), max = nb_chart_axis_get_max (self->x_axis);
  double span = max - min;
  double pw = gtk_widget_get_width (GTK_WIDGET (self)) - MARGIN_LEFT - MARGIN_RIGHT;
  GdkModifierType mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (c));
  if (dx == 0 && (mods & GDK_SHIFT_MASK))
    dx = dy, dy = 0;
  if (dx != 0)
    {
      double shift = dx * span / 10;
      nb_chart_axis_set_range (self->x_axis, min + shift, max + shift);
    }
  else if (dy != 0 && pw > 0)
    {
      /* Keep the value under the pointer where it is. */
      double t = CLAMP ((self->pointer_x - MARGIN_LEFT) / pw, 0, 1);
      double anchor = min + t * span;
      double factor = dy > 0 ? ZOOM_STEP : 1 / ZOOM_STEP;
      nb_chart_axis_set_range (self->x_axis, anchor - t * span * factor,
                               anchor + (1 - t) * span * factor);
    }
  g_signal_emit (self, signals[SIGNAL_VIEW_CHANGED], 0);
  return TRUE;
}

static void set_axis (NbChart *chart, NbChartAxis **slot, NbChartAxis *axis);

static gboolean
redraw_now (gpointer data)
{
  NbChart *self = data;
  self->redraw_timeout = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

/* Data and ranges change far more often than the eye needs (a stroke every 10 ms, samples every
 * 25 ms): each chart is drawn at most max_fps times a second, the latest state each time, so
 * the changes between cost nothing. */
static void
invalidate (NbChart *self)
{
  if (self->redraw_timeout != 0)
    return;
  gint64 since = g_get_monotonic_time () - self->last_drawn_at;
  gint64 period = G_USEC_PER_SEC / MAX (self->max_fps, 1);
  if (self->last_drawn_at == 0 || since >= period)
    gtk_widget_queue_draw (GTK_WIDGET (self));
  else
    self->redraw_timeout = g_timeout_add ((guint) ((period - since) / 1000) + 1, redraw_now, self);
}

static void
nb_chart_dispose (GObject *object)
{
  NbChart *self = NB_CHART (object);
  nb_chart_describe_cancel (self);
  g_clear_handle_id (&self->redraw_timeout, g_source_remove);
  set_axis (self, &self->x_axis, NULL);
  set_axis (self, &self->y_axis, NULL);
  if (self->series)
    {
      for (guint i = 0; i < self->series->len; i++)
        g_signal_handlers_disconnect_by_data (self->series->pdata[i], self);
      g_clear_pointer (&self->series, g_ptr_array_unref);
    }
  G_OBJECT_CLASS (nb_chart_parent_class)->dispose (object);
}

static void
nb_chart_finalize (GObject *object)
{
  NbChart *self = NB_CHART (object);
  g_free (self->title);
  g_free (self->cols);
  g_hash_table_unref (self->layouts);
  G_OBJECT_CLASS (nb_chart_parent_class)->finalize (object);
}

static void
nb_chart_class_init (NbChartClass *klass)
{
  GObjectClass *oc = G_OBJECT_CLASS (klass);
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  oc->dispose = nb_chart_dispose;
  oc->finalize = nb_chart_finalize;
  wc->snapshot = nb_chart_snapshot;
  gtk_widget_class_set_css_name (wc, "nbchart");
  gtk_widget_class_set_accessible_role (wc, GTK_ACCESSIBLE_ROLE_IMG);
  signals[SIGNAL_VIEW_CHANGED]
      = g_signal_new ("view-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 0);
}

static void
nb_chart_init (NbChart *self)
{
  self->series = g_ptr_array_new_with_free_func (g_object_unref);
  self->max_fps = NB_CHART_DEFAULT_MAX_FPS;
  self->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  gtk_widget_set_size_request (GTK_WIDGET (self), 200, 120);
  GtkEventController *scroll = gtk_event_controller_scroll_new (
      GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES | GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  GtkEventController *motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  nb_chart_set_axes (self, NULL, NULL);
}

GtkWidget *
nb_chart_new (void)
{
  return g_object_new (NB_TYPE_CHART, NULL);
}

void
nb_chart_set_title (NbChart *chart, const char *title)
{
  g_free (chart->title);
  chart->title = g_strdup (title);
  gtk_widget_queue_draw (GTK_WIDGET (chart));
  gtk_accessible_update_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  nb_chart_describe_later (chart);
}

static void
set_axis (NbChart *chart, NbChartAxis **slot, NbChartAxis *axis)
{
  if (*slot)
    g_signal_handlers_disconnect_by_data (*slot, chart);
  g_clear_object (slot);
  if (axis)
    {
      *slot = g_object_ref (axis);
      g_signal_connect_swapped (axis, "changed", G_CALLBACK (invalidate), chart);
      g_signal_connect_swapped (axis, "changed", G_CALLBACK (nb_chart_describe_later), chart);
    }
}

void
nb_chart_set_axes (NbChart *chart, NbChartAxis *x_axis, NbChartAxis *y_axis)
{
  /* Never axis-less, so that drawing needs no checks. */
  g_autoptr (NbChartAxis) x = x_axis ? g_object_ref (x_axis) : nb_chart_axis_new (NULL, 0, 1);
  g_autoptr (NbChartAxis) y = y_axis ? g_object_ref (y_axis) : nb_chart_axis_new (NULL, 0, 1);
  set_axis (chart, &chart->x_axis, x);
  set_axis (chart, &chart->y_axis, y);
  gtk_widget_queue_draw (GTK_WIDGET (chart));
}

NbChartAxis *
nb_chart_get_x_axis (NbChart *chart)
{
  return chart->x_axis;
}

NbChartAxis *
nb_chart_get_y_axis (NbChart *chart)
{
  return chart->y_axis;
}

void
nb_chart_add_series (NbChart *chart, NbChartSeries *series)
{
  g_ptr_array_add (chart->series, g_object_ref (series));
  g_signal_connect_swapped (series, "changed", G_CALLBACK (invalidate), chart);
  g_signal_connect_swapped (series, "changed", G_CALLBACK (nb_chart_describe_later), chart);
  nb_chart_describe_later (chart);
  gtk_widget_queue_draw (GTK_WIDGET (chart));
}

gint64
nb_chart_get_last_draw_us (NbChart *chart)
{
  return chart->last_draw_us;
}

gint64
nb_chart_get_last_drawn_at (NbChart *chart)
{
  return chart->last_drawn_at;
}

guint
nb_chart_get_draw_count (NbChart *chart)
{
  return chart->draw_count;
}

void
nb_chart_set_max_fps (NbChart *chart, guint max_fps)
{
  chart->max_fps = MAX (max_fps, 1);
}

const char *
nb_chart_get_title (NbChart *chart)
{
  return chart->title;
}

NbChartSeries *
nb_chart_get_series (NbChart *chart, guint index)
{
  return chart->series && index < chart->series->len ? chart->series->pdata[index] : NULL;
}
