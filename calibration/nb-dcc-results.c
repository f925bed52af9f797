/* nb-dcc-results.c: the measurementResults of a DCC (nb-dcc.h): per quantity and phase the
 * method, the software, the reference standards, the influence conditions (environment and the
 * adjustment status) and per point the set value, the mean and error with their expanded
 * uncertainty, the tolerance limits and the verdict as dcc:conformity; then the indication of
 * the pen's own sensor against the reference. */
#include <math.h>

#include "nb-config.h"
#include "nb-dcc-writer.h"
#include "nb-dcc.h"

typedef struct
{
  gboolean rate;      /* rate points (Hz), else depth points (mm) */
  const char *phase;  /* "as_found", "as_left" */
  const char *label;  /* "as found", "as left" */
  const char *status; /* beforeAdjustment / afterAdjustment, or NULL */
  const char *rule;
  JsonArray *points;
} Part;

static void
used_methods (NbDccWriter *x, JsonObject *doc, const char *rule)
{
  JsonObject *m = nb_dcc_json_obj (doc, "method");
  double version = 0;
  nb_dcc_json_num (m, "profile_version", &version);
  /* the certificate's text is data: figures through nb_dcc_fmt (), never the locale's */
  g_autofree char *version_text = nb_dcc_fmt (version, 0);
  g_autofree char *name = g_strdup_printf (
      "Calibration profile %s, version %s%s%s%s", nb_dcc_json_str (m, "profile") ?: "?",
      version_text, nb_dcc_json_str (m, "profile_title") ? " (" : "",
      nb_dcc_json_str (m, "profile_title") ?: "", nb_dcc_json_str (m, "profile_title") ? ")" : "");
  g_autofree char *rule_name = g_strdup_printf ("Decision rule: %s", rule);
  nb_dcc_start (x, "usedMethods");
  nb_dcc_start (x, "usedMethod");
  nb_dcc_text (x, "name", name);
  nb_dcc_text (x, "description",
               nb_dcc_json_str (m, "procedure") ?: "NeedleBench calibration method");
  nb_dcc_elem (x, "norm", GUM);
  nb_dcc_end (x);
  nb_dcc_start (x, "usedMethod");
  nb_dcc_text (x, "name", rule_name);
  nb_dcc_elem (x, "norm", ILAC_G8);
  nb_dcc_end (x);
  nb_dcc_end (x);
}

static void
measuring_equipments (NbDccWriter *x, JsonObject *doc)
{
  JsonArray *stds = nb_dcc_json_arr (doc, "standards");
  guint n = stds ? json_array_get_length (stds) : 0;
  if (n == 0)
    return;
  nb_dcc_start (x, "measuringEquipments");
  for (guint i = 0; i < n; i++)
    {
      JsonObject *s = nb_dcc_json_arr_obj (stds, i);
      double U, k;
      g_autofree char *name = g_strdup_printf ("Reference displacement fixture %s",
                                               nb_dcc_json_str (s, "serial") ?: "?");
      g_autofree char *desc = g_strdup_printf ("Reference standard; its certificate is due on %s",
                                               nb_dcc_json_str (s, "due") ?: "?");
      nb_dcc_start_ref (x, "measuringEquipment", "basic_normalUsed");
      nb_dcc_text (x, "name", name);
      nb_dcc_text (x, "description", desc);
      if (nb_dcc_json_str (s, "model"))
        nb_dcc_token_elem (x, "model", nb_dcc_json_str (s, "model"), "not stated");
      nb_dcc_start (x, "identifications");
      nb_dcc_identification (x, "manufacturer", nb_dcc_json_str (s, "serial"), "Serial number");
      nb_dcc_identification (x, "other", nb_dcc_json_str (s, "certificate"),
                             "Calibration certificate number");
      nb_dcc_end (x);
      if (nb_dcc_json_num (s, "U_mm", &U) && nb_dcc_json_num (s, "k", &k))
        {
          g_autofree char *k_text = nb_dcc_fmt (k, 2);
          g_autofree char *qname = g_strdup_printf (
              "Expanded uncertainty of the standard's certificate (k = %s)", k_text);
          nb_dcc_start (x, "measuringEquipmentQuantities");
          nb_dcc_start (x, "measuringEquipmentQuantity");
          nb_dcc_text (x, "name", qname);
          nb_dcc_si_real (x, U, 4, UNIT_MM, -1, 0);
          nb_dcc_end (x);
          nb_dcc_end (x);
        }
      nb_dcc_end (x);
    }
  nb_dcc_end (x);
}

static void
condition (NbDccWriter *x, const char *ref_type, const char *name, JsonObject *env, const char *key,
           const char *unit)
{
  double v;
  nb_dcc_start_ref (x, "influenceCondition", ref_type);
  nb_dcc_text (x, "name", name);
  nb_dcc_start (x, "data");
  if (nb_dcc_json_num (env, key, &v))
    {
      nb_dcc_start (x, "quantity");
      nb_dcc_si_real (x, v, 1, unit, -1, 0);
      nb_dcc_end (x);
    }
  else
    nb_dcc_text (x, "text", "not measured");
  nb_dcc_end (x);
  nb_dcc_end (x);
}

static void
influence_conditions (NbDccWriter *x, JsonObject *doc, const Part *part)
{
  JsonObject *env = nb_dcc_json_obj (doc, "environment");
  nb_dcc_start (x, "influenceConditions");
  condition (x, "basic_temperature", "Ambient temperature", env, "temperature_c", UNIT_CELSIUS);
  condition (x, "basic_humidityRelative", "Relative humidity", env, "humidity_pct", UNIT_PERCENT);
  if (part->status)
    {
      nb_dcc_start (x, "influenceCondition");
      nb_dcc_text (x, "name", "Adjustment");
      nb_dcc_elem (x, "status", part->status);
      nb_dcc_start (x, "data");
      nb_dcc_text (x, "text",
                   g_str_equal (part->status, "beforeAdjustment")
                       ? "As found: measured before the pen's calibration table was adjusted"
                       : "As left: measured after the pen's calibration table was adjusted");
      nb_dcc_end (x);
      nb_dcc_end (x);
    }
  nb_dcc_end (x);
}

static void
point_result (NbDccWriter *x, const Part *part, JsonObject *p, JsonObject *e)
{
  const char *sfx = part->rate ? "_hz" : "_mm";
  const char *unit = part->rate ? UNIT_HZ : UNIT_MM;
  int dec = part->rate ? 3 : 4;
  double target = NAN, rate = NAN, mean, U = -1, k = 0, n = 0;
  g_autofree char *k_target = g_strconcat ("target", sfx, NULL);
  g_autofree char *k_mean = g_strconcat ("mean", sfx, NULL);
  g_autofree char *k_error = g_strconcat ("error", sfx, NULL);
  g_autofree char *k_U = g_strconcat ("U", sfx, NULL);
  g_autofree char *k_sd = g_strconcat ("sd", sfx, NULL);
  nb_dcc_json_num (p, k_target, &target);
  nb_dcc_json_num (p, "rate_hz", &rate);
  nb_dcc_json_num (e, k_U, &U);
  nb_dcc_json_num (e, "k", &k);
  nb_dcc_json_num (e, "n", &n);

  g_autofree char *target_text = nb_dcc_fmt (target, part->rate ? 0 : 2);
  g_autofree char *rate_text = nb_dcc_fmt (rate, 0);
  g_autofree char *name
      = part->rate ? g_strdup_printf ("Stroke rate at %s Hz, %s", target_text, part->label)
                   : g_strdup_printf ("Needle depth at %s mm, %s Hz, %s", target_text, rate_text,
                                      part->label);
  nb_dcc_start (x, "result");
  nb_dcc_text (x, "name", name);
  nb_dcc_start (x, "data");

  nb_dcc_quantity (x, "basic_referenceValue", part->rate ? "Set rate" : "Set depth", p, k_target,
                   dec, unit);
  if (!part->rate)
    nb_dcc_quantity (x, NULL, "Set rate", p, "rate_hz", 3, UNIT_HZ);

  g_autofree char *n_text = nb_dcc_fmt (n, 0);
  g_autofree char *mean_name = g_strdup_printf (
      "Mean of %s strokes measured by the reference, with its expanded uncertainty", n_text);
  nb_dcc_start_ref (x, "quantity", "basic_measuredValue");
  nb_dcc_text (x, "name", mean_name);
  if (nb_dcc_json_num (e, k_mean, &mean))
    nb_dcc_si_real (x, mean, dec, unit, U, k);
  else
    nb_dcc_text (x, "noQuantity", "not available");
  const char *verdict = nb_dcc_json_str (e, "verdict");
  const char *conf = nb_dcc_conformity (verdict);
  if (conf)
    {
      g_autofree char *decl
          = g_strdup_printf ("Verdict under decision rule %s (ILAC-G8): %s", part->rule, verdict);
      nb_dcc_start (x, "measurementMetaData");
      nb_dcc_start_ref (x, "metaData", "basic_conformity");
      nb_dcc_text (x, "name", "Conformity");
      nb_dcc_elem (x, "norm", ILAC_G8);
      nb_dcc_text (x, "declaration", decl);
      nb_dcc_elem (x, "conformity", conf);
      nb_dcc_end (x);
      nb_dcc_end (x);
    }
  nb_dcc_end (x);

  double err;
  nb_dcc_start_ref (x, "quantity", "basic_measurementError");
  nb_dcc_text (x, "name", "Error (mean - set value), with its expanded uncertainty");
  if (nb_dcc_json_num (e, k_error, &err))
    nb_dcc_si_real (x, err, dec, unit, U, k);
  else
    nb_dcc_text (x, "noQuantity", "not available");
  nb_dcc_end (x);

  JsonObject *tol = nb_dcc_json_obj (e, "tolerance");
  double lim;
  if (nb_dcc_json_num (tol, "lower", &lim))
    nb_dcc_quantity (x, "basic_acceptanceLimitLower", "Lower tolerance limit", tol, "lower", dec,
                     unit);
  if (nb_dcc_json_num (tol, "upper", &lim))
    nb_dcc_quantity (x, "basic_acceptanceLimitUpper", "Upper tolerance limit", tol, "upper", dec,
                     unit);
  nb_dcc_quantity (x, NULL, "Experimental standard deviation of the strokes", e, k_sd, dec, unit);
  double v;
  if (nb_dcc_json_num (e, "nu_eff", &v))
    nb_dcc_quantity (x, NULL, "Effective degrees of freedom", e, "nu_eff", 1, UNIT_ONE);
  if (nb_dcc_json_num (e, "pfa", &v))
    nb_dcc_quantity (x, NULL, "Probability of false acceptance", e, "pfa", -4, UNIT_ONE);

  nb_dcc_end (x);
  nb_dcc_end (x);
}

static gboolean
part_has_entries (const Part *part)
{
  for (guint i = 0; part->points && i < json_array_get_length (part->points); i++)
    if (nb_dcc_json_obj (nb_dcc_json_arr_obj (part->points, i), part->phase))
      return TRUE;
  return FALSE;
}

static void
measurement_result (NbDccWriter *x, JsonObject *doc, const Part *part)
{
  g_autofree char *name
      = g_strdup_printf ("%s, %s", part->rate ? "Stroke rate" : "Needle depth", part->label);
  nb_dcc_start (x, "measurementResult");
  nb_dcc_text (x, "name", name);
  nb_dcc_text (x, "description",
               part->rate ? "Strokes per second, each stroke's rate (1 / period) timed by the "
                            "reference fixture's sample clock"
                          : "Peak needle protrusion per stroke, measured by the reference fixture "
                            "at a set depth and rate of the pen");
  used_methods (x, doc, part->rule);
  nb_dcc_start (x, "usedSoftware");
  nb_dcc_start (x, "software");
  nb_dcc_text (x, "name", "NeedleBench");
  nb_dcc_elem (x, "release", NB_VERSION);
  nb_dcc_end (x);
  nb_dcc_end (x);
  measuring_equipments (x, doc);
  influence_conditions (x, doc, part);
  nb_dcc_start (x, "results");
  for (guint i = 0; i < json_array_get_length (part->points); i++)
    {
      JsonObject *p = nb_dcc_json_arr_obj (part->points, i);
      JsonObject *e = nb_dcc_json_obj (p, part->phase);
      if (e)
        point_result (x, part, p, e);
    }
  nb_dcc_end (x);
  nb_dcc_end (x);
}

/* the pen's own depth readings against the reference's, per point and phase (the indication
 * error of the pen's sensor): figures without an uncertainty of their own, as the run has them */
static void
indication (NbDccWriter *x, JsonArray *list)
{
  nb_dcc_start (x, "measurementResult");
  nb_dcc_text (x, "name", "Indication of the pen's depth sensor");
  nb_dcc_text (x, "description",
               "The pen's own reading of the same strokes the reference measured, paired stroke by "
               "stroke; indication error = pen - reference");
  nb_dcc_start (x, "results");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *e = nb_dcc_json_arr_obj (list, i);
      double target = NAN, rate = NAN;
      if (e == NULL)
        continue;
      nb_dcc_json_num (e, "target_mm", &target);
      nb_dcc_json_num (e, "rate_hz", &rate);
      const char *phase = nb_dcc_json_str (e, "phase");
      g_autofree char *target_text = nb_dcc_fmt (target, 2);
      g_autofree char *rate_text = nb_dcc_fmt (rate, 0);
      g_autofree char *name
          = g_strdup_printf ("Pen indication at %s mm, %s Hz, %s", target_text, rate_text,
                             g_strcmp0 (phase, "as-left") == 0 ? "as left" : "as found");
      nb_dcc_start (x, "result");
      nb_dcc_text (x, "name", name);
      nb_dcc_start (x, "data");
      nb_dcc_quantity (x, NULL, "Set depth", e, "target_mm", 4, UNIT_MM);
      nb_dcc_quantity (x, "basic_referenceValue", "Mean depth measured by the reference", e,
                       "reference_mean_mm", 4, UNIT_MM);
      nb_dcc_quantity (x, "basic_measuredValue", "Mean depth indicated by the pen", e,
                       "pen_mean_mm", 4, UNIT_MM);
      nb_dcc_quantity (x, "basic_measurementError", "Indication error (pen - reference)", e,
                       "error_mm", 4, UNIT_MM);
      nb_dcc_end (x);
      nb_dcc_end (x);
    }
  nb_dcc_end (x);
  nb_dcc_end (x);
}

guint
nb_dcc_measurement_results (NbDccWriter *x, JsonObject *doc, const char *rule, gboolean adjusted)
{
  JsonObject *results = nb_dcc_json_obj (doc, "results");
  Part parts[] = {
    { FALSE, "as_found", "as found", adjusted ? "beforeAdjustment" : NULL },
    { FALSE, "as_left", adjusted ? "as left" : "as left (no adjustment made)",
      adjusted ? "afterAdjustment" : NULL },
    { TRUE, "as_found", "as found", adjusted ? "beforeAdjustment" : NULL },
    { TRUE, "as_left", adjusted ? "as left" : "as left (no adjustment made)",
      adjusted ? "afterAdjustment" : NULL },
  };
  guint written = 0;
  nb_dcc_start (x, "measurementResults");
  for (gsize i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      parts[i].rule = rule;
      parts[i].points = nb_dcc_json_arr (results, parts[i].rate ? "rate_points" : "points");
      if (part_has_entries (&parts[i]))
        {
          measurement_result (x, doc, &parts[i]);
          written++;
        }
    }
  JsonArray *ind = nb_dcc_json_arr (results, "indication");
  if (written > 0 && ind != NULL && json_array_get_length (ind) > 0)
    indication (x, ind);
  nb_dcc_end (x);
  return written;
}
