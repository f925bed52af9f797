/* nb-certificate-results.c: the certificate's results (ISO/IEC 17025 7.8.2.1 m, 7.8.4.1 a, d, e):
 * the depth points as found and as left (target, rate, mean, error, U, k, verdict, units), the
 * rate points, the pen's indication against the reference, and the statement of conformity with
 * the decision rule named. Tables break across pages with their header repeated. */
#include "nb-certificate-pdf-private.h"

static const PangoAlignment result_align[] = {
  PANGO_ALIGN_LEFT,  PANGO_ALIGN_RIGHT, PANGO_ALIGN_RIGHT, PANGO_ALIGN_RIGHT,
  PANGO_ALIGN_RIGHT, PANGO_ALIGN_RIGHT, PANGO_ALIGN_RIGHT, PANGO_ALIGN_RIGHT,
  PANGO_ALIGN_RIGHT, PANGO_ALIGN_RIGHT, PANGO_ALIGN_LEFT,
};
static const double result_widths[] = { 50, 38, 30, 22, 44, 40, 44, 40, 30, 76, 85 };
/* rates take more digits, and a phase's verdict is rarely long */
static const double rate_widths[] = { 50, 44, 36, 26, 46, 40, 44, 40, 30, 90, 53 };

static char *
tolerance_text (JsonObject *entry)
{
  JsonObject *tol = nb_pdf_obj (entry, "tolerance");
  double lower, upper;
  gboolean has_lower = nb_pdf_num (tol, "lower", &lower);
  gboolean has_upper = nb_pdf_num (tol, "upper", &upper);
  g_autofree char *lo = has_lower ? nb_pdf_fmt_target (lower) : NULL;
  g_autofree char *hi = has_upper ? nb_pdf_fmt_target (upper) : NULL;

  if (has_lower && has_upper)
    return g_strdup_printf ("%s to %s", lo, hi);
  if (has_lower)
    return g_strdup_printf ("≥ %s", lo);
  if (has_upper)
    return g_strdup_printf ("≤ %s", hi);
  return g_strdup ("–");
}

/* One row of a results table: @phase_name, the target, the set rate, and @entry's figures in
 * @unit ("mm" or "hz": the document's key suffix). */
static void
result_row (NbPdf *pdf, NbPdfTable *table, const char *phase_name, double target, double rate,
            JsonObject *entry, const char *unit, int decimals)
{
  g_autofree char *mean_key = g_strconcat ("mean_", unit, NULL);
  g_autofree char *sd_key = g_strconcat ("sd_", unit, NULL);
  g_autofree char *error_key = g_strconcat ("error_", unit, NULL);
  g_autofree char *U_key = g_strconcat ("U_", unit, NULL);
  g_autofree char *t = nb_pdf_fmt_target (target);
  g_autofree char *r = rate > 0 ? nb_pdf_fmt_value (rate, 0) : g_strdup ("all");
  g_autofree char *n = nb_pdf_fmt (entry, "n", 0);
  g_autofree char *mean = nb_pdf_fmt (entry, mean_key, decimals);
  g_autofree char *sd = nb_pdf_fmt (entry, sd_key, decimals);
  g_autofree char *error = nb_pdf_fmt (entry, error_key, decimals);
  g_autofree char *U = nb_pdf_fmt (entry, U_key, decimals);
  g_autofree char *k = nb_pdf_fmt (entry, "k", 2);
  g_autofree char *tol = tolerance_text (entry);
  const char *verdict = nb_pdf_str (entry, "verdict", "–");
  const char *cells[] = { phase_name, t, r, n, mean, sd, error, U, k, tol, verdict };

  nb_pdf_table_row (pdf, table, cells, g_strcmp0 (verdict, "pass") != 0);
}

static void
depth_table (NbPdf *pdf, JsonArray *points, const char *phase, const char *phase_name,
             const char *caption)
{
  static const char *const headers[] = {
    "Phase",  "Target (mm)", "Rate (Hz)",      "n",       "Mean (mm)", "s (mm)", "Error (mm)",
    "U (mm)", "k",           "Tolerance (mm)", "Verdict",
  };
  NbPdfTable table
      = { G_N_ELEMENTS (headers), result_widths, headers, result_align, 10, 0, 0, caption };
  gboolean begun = FALSE;

  for (guint i = 0; i < json_array_get_length (points); i++)
    {
      JsonObject *p = json_array_get_object_element (points, i);
      JsonObject *entry = nb_pdf_obj (p, phase);
      double target = 0, rate = 0;

      if (entry == NULL)
        continue;
      if (!begun)
        nb_pdf_table_begin (pdf, &table);
      begun = TRUE;
      nb_pdf_num (p, "target_mm", &target);
      nb_pdf_num (p, "rate_hz", &rate);
      result_row (pdf, &table, phase_name, target, rate, entry, "mm", 4);
    }
  if (begun)
    nb_pdf_space (pdf, 4);
  else
    {
      g_autofree char *none
          = g_strdup_printf ("No %s results: the run did not measure them.", phase_name);
      nb_pdf_paragraph (pdf, NB_PDF_FONT_BODY, none);
    }
}

/* Whether any point of @points has an entry for @phase. */
static gboolean
has_phase (JsonArray *points, const char *phase)
{
  for (guint i = 0; i < json_array_get_length (points); i++)
    if (nb_pdf_obj (json_array_get_object_element (points, i), phase) != NULL)
      return TRUE;
  return FALSE;
}

void
nb_pdf_section_results (NbPdf *pdf)
{
  JsonObject *results = nb_pdf_obj (pdf->doc, "results");
  JsonArray *points = nb_pdf_arr (results, "points");
  g_autoptr (JsonArray) empty = json_array_new ();
  gboolean adjusted = json_object_get_boolean_member_with_default (results, "adjusted", FALSE);

  if (points == NULL)
    points = empty;
  const char *found = adjusted ? "Results: needle depth, as found (before adjustment)"
                               : "Results: needle depth, as found";
  const char *left = adjusted ? "Results: needle depth, as left (after adjustment)"
                              : "Results: needle depth, as left (not adjusted)";

  nb_pdf_heading (pdf, found);
  depth_table (pdf, points, "as_found", "as found", found);
  if (has_phase (points, "as_left"))
    {
      nb_pdf_heading (pdf, left);
      depth_table (pdf, points, "as_left", "as left", left);
    }
  else
    nb_pdf_paragraph (pdf, NB_PDF_FONT_BODY,
                      "No as-left results: the item was not adjusted, so it was left as found.");
  nb_pdf_paragraph (
      pdf, NB_PDF_FONT_SMALL,
      "Target: the set depth; mean and s: the mean and standard deviation of the n strokes' peak "
      "depths measured by the reference; error = mean − target; U: the expanded uncertainty of "
      "the mean, U = k·u_c, k from Student's t for ν_eff at a coverage probability of about 95 %; "
      "tolerance: the limits of the mean. All depths in millimetres (mm), rates in hertz (Hz).");
}

void
nb_pdf_section_rates (NbPdf *pdf)
{
  static const char *const headers[] = {
    "Phase",  "Target (Hz)", "Depth (mm)",     "n",       "Mean (Hz)", "s (Hz)", "Error (Hz)",
    "U (Hz)", "k",           "Tolerance (Hz)", "Verdict",
  };
  NbPdfTable table = { G_N_ELEMENTS (headers), rate_widths, headers, result_align, 10, 0, 0,
                       "Results: stroke rate" };
  JsonArray *rates = nb_pdf_arr (nb_pdf_obj (pdf->doc, "results"), "rate_points");
  static const char *const phases[] = { "as_found", "as_left" };
  static const char *const names[] = { "as found", "as left" };

  nb_pdf_heading (pdf, "Results: stroke rate");
  if (rates == NULL || json_array_get_length (rates) == 0)
    {
      nb_pdf_paragraph (pdf, NB_PDF_FONT_BODY, "No rate results.");
      return;
    }
  nb_pdf_table_begin (pdf, &table);
  for (guint ph = 0; ph < G_N_ELEMENTS (phases); ph++)
    for (guint i = 0; i < json_array_get_length (rates); i++)
      {
        JsonObject *p = json_array_get_object_element (rates, i);
        JsonObject *entry = nb_pdf_obj (p, phases[ph]);
        double target = 0;

        if (entry == NULL)
          continue;
        nb_pdf_num (p, "target_hz", &target);
        /* the rate column is the target itself; the third column is left empty */
        result_row (pdf, &table, names[ph], target, -1, entry, "hz", 3);
      }
  nb_pdf_space (pdf, 4);
  nb_pdf_paragraph (pdf, NB_PDF_FONT_SMALL,
                    "Each stroke's rate is 1 / its period, timed by the reference's sample clock, "
                    "over the strokes of every depth at that set rate.");
}

void
nb_pdf_section_indication (NbPdf *pdf)
{
  static const double widths[] = { 70, 56, 58, 100, 100, 115 };
  static const char *const headers[]
      = { "Target (mm)",    "Rate (Hz)",      "Phase",
          "Pen shows (mm)", "Reference (mm)", "Pen − reference (mm)" };
  static const PangoAlignment align[] = { PANGO_ALIGN_RIGHT, PANGO_ALIGN_RIGHT, PANGO_ALIGN_LEFT,
                                          PANGO_ALIGN_RIGHT, PANGO_ALIGN_RIGHT, PANGO_ALIGN_RIGHT };
  static const char *const title = "Indication: the pen's own depth reading against the reference";
  NbPdfTable table = { G_N_ELEMENTS (widths), widths, headers, align, -1, 0, 0, title };
  JsonArray *rows = nb_pdf_arr (nb_pdf_obj (pdf->doc, "results"), "indication");

  nb_pdf_heading (pdf, title);
  if (rows == NULL || json_array_get_length (rows) == 0)
    {
      nb_pdf_paragraph (pdf, NB_PDF_FONT_BODY,
                        "None: in a self-check the pen's own reading is the reference.");
      return;
    }
  nb_pdf_table_begin (pdf, &table);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *r = json_array_get_object_element (rows, i);
      double target = 0;
      g_autofree char *t
          = nb_pdf_num (r, "target_mm", &target) ? nb_pdf_fmt_target (target) : g_strdup ("–");
      g_autofree char *rate = nb_pdf_fmt (r, "rate_hz", 0);
      g_autofree char *pen = nb_pdf_fmt (r, "pen_mean_mm", 4);
      g_autofree char *ref = nb_pdf_fmt (r, "reference_mean_mm", 4);
      g_autofree char *err = nb_pdf_fmt (r, "error_mm", 4);
      const char *phase
          = g_strcmp0 (nb_pdf_str (r, "phase", ""), "as-left") == 0 ? "as left" : "as found";
      const char *cells[] = { t, rate, phase, pen, ref, err };

      nb_pdf_table_row (pdf, &table, cells, FALSE);
    }
}

static int
verdict_rank (const char *verdict)
{
  static const char *const order[] = { "pass", "conditional-pass", "conditional-fail", "fail" };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (g_strcmp0 (verdict, order[i]) == 0)
      return (int) i;
  return -1;
}

/* The worst verdict of @phase over the depth and rate points, or NULL when it has none. */
static const char *
phase_verdict (JsonObject *results, const char *phase)
{
  static const char *const arrays[] = { "points", "rate_points" };
  const char *worst = NULL;

  for (guint a = 0; a < G_N_ELEMENTS (arrays); a++)
    {
      JsonArray *points = nb_pdf_arr (results, arrays[a]);

      for (guint i = 0; points != NULL && i < json_array_get_length (points); i++)
        {
          JsonObject *entry = nb_pdf_obj (json_array_get_object_element (points, i), phase);
          const char *v = nb_pdf_str (entry, "verdict", NULL);

          if (v != NULL && verdict_rank (v) > verdict_rank (worst))
            worst = v;
        }
    }
  return worst;
}

void
nb_pdf_section_conformity (NbPdf *pdf)
{
  JsonObject *results = nb_pdf_obj (pdf->doc, "results");
  const char *rule = nb_pdf_str (nb_pdf_obj (pdf->doc, "method"), "rule", NULL);
  const char *found = phase_verdict (results, "as_found");
  const char *left = phase_verdict (results, "as_left");
  g_autofree char *overall
      = g_strdup_printf ("%s (%s)", nb_pdf_str (results, "verdict", "no verdict"),
                         left != NULL ? "the worst point as left" : "the worst point as found");
  JsonArray *statements = nb_pdf_arr (pdf->doc, "statements");

  nb_pdf_heading (pdf, "Statement of conformity");
  nb_pdf_field (pdf, "Decision rule", nb_pdf_rule_name (rule));
  nb_pdf_field (pdf, "Verdict as found", found != NULL ? found : "not measured");
  nb_pdf_field (pdf, "Verdict as left", left != NULL ? left : "not measured");
  nb_pdf_field (pdf, "Overall verdict", overall);
  nb_pdf_paragraph (pdf, NB_PDF_FONT_SMALL,
                    "The verdict of each point is given in the tables above; the specification "
                    "is the profile's tolerance.");

  nb_pdf_heading (pdf, "Statements");
  for (guint i = 0; statements != NULL && i < json_array_get_length (statements); i++)
    {
      JsonNode *node = json_array_get_element (statements, i);
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        nb_pdf_paragraph (pdf, NB_PDF_FONT_BODY, json_node_get_string (node));
    }
}
