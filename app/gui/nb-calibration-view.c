/* nb-calibration-view.c: the calibration tables as grids of labels. */
#include <glib/gi18n.h>
#include "nb-calibration-view.h"

#include <math.h>

#include "nb-calibration.h"

void
nb_cal_grid_clear (GtkGrid *grid)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))))
    gtk_grid_remove (grid, child);
}

GStrv
nb_cal_grid_rows (GtkGrid *grid)
{
  g_autoptr (GStrvBuilder) rows = g_strv_builder_new ();
  for (int r = 0;; r++)
    {
      g_autoptr (GString) line = NULL;
      for (int c = 0; c < 16; c++)
        {
          GtkWidget *cell = gtk_grid_get_child_at (grid, c, r);
          if (cell == NULL || !GTK_IS_LABEL (cell))
            continue;
          if (line == NULL)
            line = g_string_new (NULL);
          else
            g_string_append (line, " | ");
          g_string_append (line, gtk_label_get_text (GTK_LABEL (cell)));
        }
      if (line == NULL)
        break;
      g_strv_builder_add (rows, line->str);
    }
  return g_strv_builder_end (rows);
}

const char *
nb_cal_verdict_word (NbVerdict verdict)
{
  switch (verdict)
    {
    case NB_VERDICT_PASS: return _ ("PASS");
    case NB_VERDICT_CONDITIONAL_PASS: return _ ("CONDITIONAL PASS");
    case NB_VERDICT_CONDITIONAL_FAIL: return _ ("CONDITIONAL FAIL");
    case NB_VERDICT_FAIL:
    default: return _ ("FAIL");
    }
}

gboolean
nb_cal_verdict_from_string (const char *text, NbVerdict *verdict)
{
  static const NbVerdict all[] = { NB_VERDICT_PASS, NB_VERDICT_CONDITIONAL_PASS,
                                   NB_VERDICT_CONDITIONAL_FAIL, NB_VERDICT_FAIL };
  for (guint i = 0; text && i < G_N_ELEMENTS (all); i++)
    if (g_str_equal (text, nb_verdict_to_string (all[i])))
      {
        *verdict = all[i];
        return TRUE;
      }
  return FALSE;
}

GtkWidget *
nb_cal_verdict_label (NbVerdict verdict)
{
  /* The words as well as the colour: colour alone says nothing to a colour-blind operator or a
   * screen reader. */
  GtkWidget *label = gtk_label_new (nb_calibration_verdict_label (verdict));
  gtk_widget_add_css_class (label, "verdict");
  gtk_widget_add_css_class (label, nb_calibration_verdict_css (verdict));
  gtk_widget_set_halign (label, GTK_ALIGN_START);
  return label;
}

/* @x rounded to @decimals, without a minus sign on a zero ("-0.000" reads as an error). */
static double
rounded (double x, int decimals)
{
  double scale = pow (10, decimals);
  return round (x * scale) / scale + 0.0;
}

static void
cell (GtkGrid *grid, int col, int row, const char *text, gboolean numeric)
{
  GtkWidget *label = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0f : 0.0f);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (grid, label, col, row, 1, 1);
}

static void
header (GtkGrid *grid, const char *const *titles)
{
  for (int c = 0; titles[c]; c++)
    {
      GtkWidget *label = gtk_label_new (_ (titles[c]));
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "heading");
      gtk_grid_attach (grid, label, c, 0, 1, 1);
    }
}

static void
point_row (GtkGrid *grid, int row, const char *phase, const NbRunPoint *p)
{
  gboolean rate = isnan (p->depth_mm);
  cell (grid, 0, row, phase, FALSE);
  g_autofree char *target = rate ? g_strdup_printf (_ ("rate %.1f Hz"), p->target)
                                 : g_strdup_printf ("%.3f", p->target);
  cell (grid, 1, row, target, TRUE);
  g_autofree char *rate_text = g_strdup_printf ("%.0f", p->rate_hz);
  cell (grid, 2, row, rate_text, TRUE);
  g_autofree char *n = g_strdup_printf ("%" G_GSIZE_FORMAT, p->result.stats.n);
  cell (grid, 3, row, n, TRUE);
  /* As the result document has them (nb-run-result.c): mm to 0.1 µm, Hz to 0.001 Hz, so that
   * the Records page shows a stored run exactly as the run showed it. */
  double mean = p->result.stats.mean, error = p->result.stats.error;
  double U = p->result.uncertainty.U, k = p->result.uncertainty.k;
  g_autofree char *m = rate ? g_strdup_printf ("%.3f Hz", mean) : g_strdup_printf ("%.4f", mean);
  g_autofree char *e = rate ? g_strdup_printf ("%+.3f Hz", rounded (error, 3))
                            : g_strdup_printf ("%+.4f", rounded (error, 4));
  g_autofree char *u = rate ? g_strdup_printf ("%.3f Hz (k = %.2f)", U, k)
                            : g_strdup_printf ("%.4f (k = %.2f)", U, k);
  cell (grid, 4, row, m, TRUE);
  cell (grid, 5, row, e, TRUE);
  cell (grid, 6, row, u, TRUE);
  gtk_grid_attach (grid, nb_cal_verdict_label (p->result.verdict), 7, row, 1, 1);
}

void
nb_cal_fill_points (GtkGrid *grid, GPtrArray *const *phases)
{
  nb_cal_grid_clear (grid);
  static const char *const titles[]
      = { N_ ("Phase"),    N_ ("Target mm"), N_ ("Rate Hz"), "n", N_ ("Mean mm"),
          N_ ("Error mm"), "U mm",           N_ ("Verdict"), NULL };
  header (grid, titles);
  int row = 1;
  for (guint k = 0; phases && k < 4; k++)
    for (guint i = 0; phases[k] && i < phases[k]->len; i++)
      point_row (grid, row++, k < 2 ? _ ("as found") : _ ("as left"),
                 g_ptr_array_index (phases[k], i));
}

static char *
describe_table_date (const NbCalTable *t)
{
  if (t->calibrated_at == 0)
    return g_strdup (_ ("factory table"));
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_local ((gint64) t->calibrated_at);
  return dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M") : g_strdup ("?");
}

void
nb_cal_fill_tables (GtkGrid *grid, const NbRunResult *r)
{
  nb_cal_grid_clear (grid);
  static const char *const titles[] = { N_ ("Table"), N_ ("Depth µm"), N_ ("Correction before µm"),
                                        N_ ("Correction after µm"), NULL };
  header (grid, titles);
  if (r == NULL || !r->has_table_before)
    {
      cell (grid, 0, 1, _ ("The pen's table was not read."), FALSE);
      return;
    }
  const NbCalTable *b = &r->table_before, *a = r->has_table_after ? &r->table_after : NULL;
  int row = 1;
  /* One row per depth of either table: the fit may change the points. */
  guint ib = 0, ia = 0;
  while (ib < b->n_points || (a && ia < a->n_points))
    {
      guint32 db = ib < b->n_points ? b->points[ib].depth_um : G_MAXUINT32;
      guint32 da = a && ia < a->n_points ? a->points[ia].depth_um : G_MAXUINT32;
      guint32 d = MIN (db, da);
      g_autofree char *depth = g_strdup_printf ("%u", d);
      g_autofree char *before
          = db == d ? g_strdup_printf ("%+d", b->points[ib++].correction_um) : g_strdup ("—");
      g_autofree char *after
          = da == d ? g_strdup_printf ("%+d", a->points[ia++].correction_um) : g_strdup ("—");
      cell (grid, 0, row, row == 1 ? _ ("depth") : "", FALSE);
      cell (grid, 1, row, depth, TRUE);
      cell (grid, 2, row, before, TRUE);
      cell (grid, 3, row, a ? after : "—", TRUE);
      row++;
    }
  g_autofree char *rb = g_strdup_printf ("%+d ppm", b->rate_correction_ppm);
  g_autofree char *ra = a ? g_strdup_printf ("%+d ppm", a->rate_correction_ppm) : g_strdup ("—");
  cell (grid, 0, row, _ ("rate"), FALSE);
  cell (grid, 2, row, rb, TRUE);
  cell (grid, 3, row, ra, TRUE);
  row++;
  g_autofree char *wb = describe_table_date (b);
  g_autofree char *wa = a ? describe_table_date (a) : g_strdup (_ ("not written"));
  cell (grid, 0, row, _ ("written"), FALSE);
  cell (grid, 2, row, wb, TRUE);
  cell (grid, 3, row, wa, TRUE);
}

typedef struct
{
  double target, rate;
  gboolean is_rate;
  gboolean has[2];
  double error[2], U[2];
  NbVerdict verdict[2];
} ResultRow;

static void
result_rows (GtkGrid *grid, GArray *rows)
{
  nb_cal_grid_clear (grid);
  static const char *const titles[] = { N_ ("Point"), N_ ("Rate Hz"),  N_ ("As found error"),
                                        "U",          N_ ("As found"), N_ ("As left error"),
                                        "U",          N_ ("As left"),  NULL };
  header (grid, titles);
  for (guint i = 0; i < rows->len; i++)
    {
      const ResultRow *r = &g_array_index (rows, ResultRow, i);
      int row = (int) i + 1;
      g_autofree char *target = r->is_rate ? g_strdup_printf (_ ("rate %.0f Hz"), r->target)
                                           : g_strdup_printf ("%.2f mm", r->target);
      cell (grid, 0, row, target, FALSE);
      g_autofree char *rate = g_strdup_printf ("%.0f", r->rate);
      cell (grid, 1, row, rate, TRUE);
      for (int ph = 0; ph < 2; ph++)
        {
          int col = 2 + 3 * ph;
          if (!r->has[ph])
            {
              cell (grid, col, row, "—", TRUE);
              cell (grid, col + 1, row, "—", TRUE);
              cell (grid, col + 2, row, "—", FALSE);
              continue;
            }
          const char *unit = r->is_rate ? "Hz" : "mm";
          g_autofree char *e = g_strdup_printf (r->is_rate ? "%+.3f %s" : "%+.4f %s",
                                                rounded (r->error[ph], r->is_rate ? 3 : 4), unit);
          g_autofree char *U = g_strdup_printf (r->is_rate ? "%.3f" : "%.4f", r->U[ph]);
          cell (grid, col, row, e, TRUE);
          cell (grid, col + 1, row, U, TRUE);
          gtk_grid_attach (grid, nb_cal_verdict_label (r->verdict[ph]), col + 2, row, 1, 1);
        }
    }
}

static void
add_phase (GArray *rows, GPtrArray *points, gboolean is_rate, int ph)
{
  for (guint i = 0; points && i < points->len; i++)
    {
      const NbRunPoint *p = g_ptr_array_index (points, i);
      ResultRow *r = NULL;
      for (guint j = 0; j < rows->len && r == NULL; j++)
        {
          ResultRow *c = &g_array_index (rows, ResultRow, j);
          if (c->is_rate == is_rate && c->target == p->target && c->rate == p->rate_hz)
            r = c;
        }
      if (r == NULL)
        {
          ResultRow n = { .target = p->target, .rate = p->rate_hz, .is_rate = is_rate };
          g_array_append_val (rows, n);
          r = &g_array_index (rows, ResultRow, rows->len - 1);
        }
      r->has[ph] = TRUE;
      r->error[ph] = p->result.stats.error;
      r->U[ph] = p->result.uncertainty.U;
      r->verdict[ph] = p->result.verdict;
    }
}

void
nb_cal_fill_result (GtkGrid *grid, const NbRunResult *result)
{
  g_autoptr (GArray) rows = g_array_new (FALSE, TRUE, sizeof (ResultRow));
  for (int rate = 0; rate < 2; rate++)
    {
      if (result && result->as_found)
        add_phase (rows, rate ? result->as_found->rate : result->as_found->depth, rate, 0);
      if (result && result->as_left)
        add_phase (rows, rate ? result->as_left->rate : result->as_left->depth, rate, 1);
    }
  result_rows (grid, rows);
}

static void
add_json_phase (ResultRow *r, JsonObject *point, const char *member, int ph)
{
  JsonNode *node = json_object_get_member (point, member);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  JsonObject *o = json_node_get_object (node);
  const char *v = json_object_get_string_member_with_default (o, "verdict", NULL);
  r->has[ph] = nb_cal_verdict_from_string (v, &r->verdict[ph]);
  gboolean hz = r->is_rate;
  r->error[ph] = json_object_get_double_member_with_default (o, hz ? "error_hz" : "error_mm", NAN);
  r->U[ph] = json_object_get_double_member_with_default (o, hz ? "U_hz" : "U_mm", NAN);
}

void
nb_cal_fill_result_json (GtkGrid *grid, JsonObject *doc)
{
  g_autoptr (GArray) rows = g_array_new (FALSE, TRUE, sizeof (ResultRow));
  for (int rate = 0; rate < 2; rate++)
    {
      const char *list = rate ? "rate_points" : "points";
      JsonNode *node = doc ? json_object_get_member (doc, list) : NULL;
      JsonArray *points = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
      for (guint i = 0; points && i < json_array_get_length (points); i++)
        {
          JsonNode *pn = json_array_get_element (points, i);
          if (!JSON_NODE_HOLDS_OBJECT (pn))
            continue;
          JsonObject *p = json_node_get_object (pn);
          ResultRow r = { .is_rate = rate };
          r.target = json_object_get_double_member_with_default (
              p, rate ? "target_hz" : "target_mm", NAN);
          r.rate = json_object_get_double_member_with_default (p, "rate_hz", r.target);
          add_json_phase (&r, p, "as_found", 0);
          add_json_phase (&r, p, "as_left", 1);
          g_array_append_val (rows, r);
        }
    }
  result_rows (grid, rows);
}
