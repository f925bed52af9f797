/* nb-dcc.c: the certificate document as a PTB DCC 3.2.0 (see nb-dcc.h and
 * docs/certificate-dcc.md for the mapping). The element order follows the 3.2.0 schema's
 * sequences; administrativeData is an xs:all, written in the schema's order anyway. */
#include "nb-dcc.h"

#include <math.h>
#include <string.h>

#include "nb-config.h"
#include "nb-dcc-writer.h"

G_DEFINE_QUARK (nb - dcc - error - quark, nb_dcc_error)

#define COVERAGE_PROBABILITY "0.9545" /* k is Student's t at 95.45 % (docs/calibration-method.md)  \
                                       */
#define ILAC_G8 "ILAC-G8:09/2019"
#define GUM "JCGM 100:2008 (GUM)"
#define UNIT_MM "\\milli\\metre"
#define UNIT_HZ "\\hertz"
#define UNIT_ONE "\\one"
#define UNIT_CELSIUS "\\degreecelsius"
#define UNIT_PERCENT "\\percent"
#define RELATE_ONLY "The results relate only to the item calibrated."

/* --- reading the document (a missing member and a null read alike: NULL / FALSE) --- */

static const char *
str_member (JsonObject *o, const char *key)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static JsonObject *
obj_member (JsonObject *o, const char *key)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;
  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
arr_member (JsonObject *o, const char *key)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;
  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static gboolean
num_member (JsonObject *o, const char *key, double *value)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  GType t = json_node_get_value_type (n);
  if (t != G_TYPE_DOUBLE && t != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_double (n);
  return isfinite (*value);
}

static JsonObject *
arr_obj (JsonArray *a, guint i)
{
  JsonNode *n = json_array_get_element (a, i);
  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

/* "YYYY-MM-DD" of a date or an ISO 8601 date-time (UTC), or NULL when it is neither */
static char *
xs_date (const char *text)
{
  if (text == NULL)
    return NULL;
  guint y, m, d;
  char tail;
  if (strlen (text) == 10 && sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &tail) == 3
      && g_date_valid_dmy (d, m, y))
    return g_strdup (text);
  g_autoptr (GDateTime) t = g_date_time_new_from_iso8601 (text, NULL);
  if (t == NULL)
    return NULL;
  g_autoptr (GDateTime) utc = g_date_time_to_utc (t);
  return g_date_time_format (utc, "%Y-%m-%d");
}

static char *
fmt (double value, int decimals)
{
  char format[16], buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_snprintf (format, sizeof format, "%%.%df", decimals);
  return g_strdup (g_ascii_formatd (buf, sizeof buf, format, value));
}

/* @digits significant digits, for figures that span many decades (a PFA of 1e-260) */
static char *
fmt_sig (double value, int digits)
{
  char format[16], buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_snprintf (format, sizeof format, "%%.%dg", digits);
  return g_strdup (g_ascii_formatd (buf, sizeof buf, format, value));
}

const char *
nb_dcc_conformity (const char *verdict)
{
  static const char *const map[][2] = {
    { "pass", "pass" },
    { "conditional-pass", "conditionalPass" },
    { "conditional-fail", "conditionalFail" },
    { "fail", "fail" },
  };
  for (gsize i = 0; verdict && i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (verdict, map[i][0]))
      return map[i][1];
  return NULL;
}

/* --- D-SI quantities --- */

/* <si:real> with an optional expanded uncertainty (U < 0: none) */
static void
si_real (NbDccWriter *x, double value, int decimals, const char *unit, double U, double k)
{
  /* decimals < 0: -decimals significant digits */
  g_autofree char *v = decimals < 0 ? fmt_sig (value, -decimals) : fmt (value, decimals);
  nb_dcc_start_si (x, "real");
  nb_dcc_si_elem (x, "value", v);
  nb_dcc_si_elem (x, "unit", unit);
  if (U >= 0 && isfinite (U) && isfinite (k) && k >= 1)
    {
      g_autofree char *u = fmt (U, decimals);
      g_autofree char *kk = fmt (k, 2);
      nb_dcc_start_si (x, "expandedUnc");
      nb_dcc_si_elem (x, "uncertainty", u);
      nb_dcc_si_elem (x, "coverageFactor", kk);
      nb_dcc_si_elem (x, "coverageProbability", COVERAGE_PROBABILITY);
      nb_dcc_end (x);
    }
  nb_dcc_end (x);
}

/* <dcc:quantity refType=…><dcc:name>…</dcc:name><si:real>…</si:real></dcc:quantity>; a value
 * that is not there (null) is a dcc:noQuantity saying so */
static void
quantity (NbDccWriter *x, const char *ref_type, const char *name, JsonObject *o, const char *key,
          int decimals, const char *unit)
{
  double v;
  nb_dcc_start_ref (x, "quantity", ref_type);
  nb_dcc_text (x, "name", name);
  if (num_member (o, key, &v))
    si_real (x, v, decimals, unit, -1, 0);
  else
    nb_dcc_text (x, "noQuantity", "not available");
  nb_dcc_end (x);
}

/* --- administrativeData --- */

static void
contact_location (NbDccWriter *x, const char *address, const char *extra, const char *country)
{
  nb_dcc_start (x, "location");
  nb_dcc_text (x, "further", address ? address : "not stated");
  if (extra != NULL)
    nb_dcc_text (x, "further", extra);
  if (country != NULL)
    nb_dcc_elem (x, "countryCode", country);
  nb_dcc_end (x);
}

static void
identification (NbDccWriter *x, const char *issuer, const char *value, const char *name)
{
  if (value == NULL)
    return;
  nb_dcc_start (x, "identification");
  nb_dcc_elem (x, "issuer", issuer);
  nb_dcc_token_elem (x, "value", value, "not stated");
  nb_dcc_text (x, "name", name);
  nb_dcc_end (x);
}

static const char *
lab_country (JsonObject *doc)
{
  const char *c = str_member (obj_member (doc, "laboratory"), "country");
  if (c && strlen (c) == 2 && g_ascii_isupper (c[0]) && g_ascii_isupper (c[1]))
    return c;
  return NULL;
}

static void
core_data (NbDccWriter *x, JsonObject *doc, const char *begin, const char *end)
{
  JsonObject *dates = obj_member (doc, "dates");
  const char *country = lab_country (doc);
  g_autofree char *received = xs_date (str_member (dates, "received"));
  g_autofree char *issued = xs_date (str_member (dates, "issued"));
  double run;

  nb_dcc_start (x, "coreData");
  nb_dcc_elem (x, "countryCodeISO3166_1", country ? country : "ZZ");
  nb_dcc_elem (x, "usedLangCodeISO639_1", "en");
  nb_dcc_elem (x, "mandatoryLangCodeISO639_1", "en");
  nb_dcc_token_elem (x, "uniqueIdentifier", str_member (doc, "number"), "none");
  if (num_member (doc, "run", &run))
    {
      g_autofree char *id = g_strdup_printf ("%.0f", run);
      nb_dcc_start (x, "identifications");
      identification (x, "calibrationLaboratory", id, "Calibration run record");
      nb_dcc_end (x);
    }
  if (received)
    nb_dcc_elem (x, "receiptDate", received);
  nb_dcc_elem (x, "beginPerformanceDate", begin);
  nb_dcc_elem (x, "endPerformanceDate", end);
  nb_dcc_elem (x, "performanceLocation", "laboratory");
  if (issued)
    nb_dcc_elem (x, "issueDate", issued);
  nb_dcc_end (x);
}

static void
items (NbDccWriter *x, JsonObject *doc)
{
  JsonObject *item = obj_member (doc, "item");
  const char *condition = str_member (item, "condition");
  g_autofree char *cond
      = g_strdup_printf ("Condition as received: %s", condition ? condition : "not stated");
  nb_dcc_start (x, "items");
  nb_dcc_start (x, "item");
  nb_dcc_text (x, "name", "Microneedling pen");
  nb_dcc_text (x, "description", cond);
  nb_dcc_start (x, "manufacturer");
  nb_dcc_text (x, "name", str_member (item, "manufacturer") ?: "not stated");
  nb_dcc_end (x);
  nb_dcc_token_elem (x, "model", str_member (item, "model"), "not stated");
  nb_dcc_start (x, "identifications");
  identification (x, "manufacturer", str_member (item, "serial"), "Serial number");
  identification (x, "manufacturer", str_member (item, "model"), "Model");
  identification (x, "manufacturer", str_member (item, "firmware"), "Firmware version");
  nb_dcc_end (x);
  nb_dcc_end (x);
  nb_dcc_end (x);
}

static void
laboratory (NbDccWriter *x, JsonObject *doc)
{
  JsonObject *lab = obj_member (doc, "laboratory");
  const char *address = str_member (lab, "address");
  const char *location = str_member (lab, "location");
  g_autofree char *where = NULL;
  if (location && g_strcmp0 (location, address) != 0)
    where = g_strdup_printf ("Place of calibration: %s", location);
  nb_dcc_start (x, "calibrationLaboratory");
  nb_dcc_start (x, "contact");
  nb_dcc_text (x, "name", str_member (lab, "name"));
  contact_location (x, address, where, lab_country (doc));
  nb_dcc_end (x);
  nb_dcc_end (x);
}

static void
resp_persons (NbDccWriter *x, JsonObject *doc)
{
  JsonArray *sigs = arr_member (doc, "signatures");
  guint n = sigs ? json_array_get_length (sigs) : 0, written = 0;
  gboolean main_signer = FALSE;
  nb_dcc_start (x, "respPersons");
  for (guint i = 0; i < n; i++)
    {
      JsonObject *s = arr_obj (sigs, i);
      const char *meaning = str_member (s, "meaning");
      if (s == NULL || str_member (s, "name") == NULL)
        continue;
      g_autofree char *desc = g_strdup_printf (
          "Signed electronically (21 CFR 11.50) at %s, meaning: %s, over "
          "content SHA-256 %s",
          str_member (s, "at") ?: "?", meaning ?: "?", str_member (s, "content_sha256") ?: "?");
      g_autofree char *role
          = g_strdup_printf ("%s (%s)", meaning ?: "signed", str_member (s, "role") ?: "no role");
      nb_dcc_start (x, "respPerson");
      nb_dcc_start (x, "person");
      nb_dcc_text (x, "name", str_member (s, "name"));
      nb_dcc_end (x);
      nb_dcc_text (x, "description", desc);
      nb_dcc_token_elem (x, "role", role, "signed");
      /* the approver issues the certificate: one main signer, the first approval */
      if (!main_signer && g_strcmp0 (meaning, "approved") == 0)
        {
          nb_dcc_elem (x, "mainSigner", "true");
          main_signer = TRUE;
        }
      nb_dcc_end (x);
      written++;
    }
  if (written == 0)
    {
      /* a draft: nobody has signed yet; the schema wants a responsible person all the same */
      const char *op = str_member (obj_member (doc, "results"), "operator");
      nb_dcc_start (x, "respPerson");
      nb_dcc_start (x, "person");
      nb_dcc_text (x, "name", op ? op : "not stated");
      nb_dcc_end (x);
      nb_dcc_text (x, "description", "Performed the calibration; has not signed this draft");
      nb_dcc_elem (x, "role", "operator");
      nb_dcc_end (x);
    }
  nb_dcc_end (x);
}

static void
customer (NbDccWriter *x, JsonObject *doc)
{
  JsonObject *c = obj_member (doc, "customer");
  nb_dcc_start (x, "customer");
  nb_dcc_text (x, "name", str_member (c, "name") ?: "not stated");
  contact_location (x, str_member (c, "address"), NULL, NULL);
  nb_dcc_end (x);
}

static void
statement_text (NbDccWriter *x, const char *name, const char *text)
{
  nb_dcc_start (x, "statement");
  if (name)
    nb_dcc_text (x, "name", name);
  nb_dcc_text (x, "declaration", text);
  nb_dcc_end (x);
}

static void
statements (NbDccWriter *x, JsonObject *doc, const char *rule, const char *verdict)
{
  JsonArray *list = arr_member (doc, "statements");
  gboolean relate_only = FALSE;
  nb_dcc_start (x, "statements");
  if (g_strcmp0 (str_member (doc, "status"), "issued") != 0)
    statement_text (x, "Draft",
                    "DRAFT: not approved. This document is not valid as a calibration "
                    "certificate until it is issued.");
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      const char *text = json_node_get_string (json_array_get_element (list, i));
      if (text == NULL)
        continue;
      relate_only |= strstr (text, "relate only to the item calibrated") != NULL;
      statement_text (x, NULL, text);
    }
  if (!relate_only)
    statement_text (x, NULL, RELATE_ONLY);

  nb_dcc_start (x, "statement");
  nb_dcc_text (x, "name", "Metrological traceability");
  nb_dcc_elem (x, "traceable", "true");
  nb_dcc_text (x, "declaration", str_member (doc, "traceability") ?: "traceable");
  nb_dcc_end (x);

  g_autofree char *decl = g_strdup_printf (
      "Decision rule: %s (ILAC-G8). Overall verdict, the worst point's of the last phase: %s.",
      rule, verdict ?: "none");
  nb_dcc_start_ref (x, "statement", "basic_conformity");
  nb_dcc_text (x, "name", "Statement of conformity");
  nb_dcc_token_elem (x, "convention", rule, "not stated");
  nb_dcc_elem (x, "norm", ILAC_G8);
  nb_dcc_text (x, "declaration", decl);
  if (nb_dcc_conformity (verdict))
    nb_dcc_elem (x, "conformity", nb_dcc_conformity (verdict));
  nb_dcc_end (x);

  const char *hash = str_member (doc, "content_sha256");
  if (hash)
    {
      g_autofree char *h = g_strdup_printf (
          "SHA-256 of the canonical certificate document (JSON) this DCC was made from: %s", hash);
      statement_text (x, "Content hash", h);
    }
  nb_dcc_end (x);
}

/* --- measurementResults --- */

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
  JsonObject *m = obj_member (doc, "method");
  double version = 0;
  num_member (m, "profile_version", &version);
  g_autofree char *name = g_strdup_printf (
      "Calibration profile %s, version %.0f%s%s%s", str_member (m, "profile") ?: "?", version,
      str_member (m, "profile_title") ? " (" : "", str_member (m, "profile_title") ?: "",
      str_member (m, "profile_title") ? ")" : "");
  g_autofree char *rule_name = g_strdup_printf ("Decision rule: %s", rule);
  nb_dcc_start (x, "usedMethods");
  nb_dcc_start (x, "usedMethod");
  nb_dcc_text (x, "name", name);
  nb_dcc_text (x, "description", str_member (m, "procedure") ?: "NeedleBench calibration method");
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
  JsonArray *stds = arr_member (doc, "standards");
  guint n = stds ? json_array_get_length (stds) : 0;
  if (n == 0)
    return;
  nb_dcc_start (x, "measuringEquipments");
  for (guint i = 0; i < n; i++)
    {
      JsonObject *s = arr_obj (stds, i);
      double U, k;
      g_autofree char *name
          = g_strdup_printf ("Reference displacement fixture %s", str_member (s, "serial") ?: "?");
      g_autofree char *desc = g_strdup_printf ("Reference standard; its certificate is due on %s",
                                               str_member (s, "due") ?: "?");
      nb_dcc_start_ref (x, "measuringEquipment", "basic_normalUsed");
      nb_dcc_text (x, "name", name);
      nb_dcc_text (x, "description", desc);
      if (str_member (s, "model"))
        nb_dcc_token_elem (x, "model", str_member (s, "model"), "not stated");
      nb_dcc_start (x, "identifications");
      identification (x, "manufacturer", str_member (s, "serial"), "Serial number");
      identification (x, "other", str_member (s, "certificate"), "Calibration certificate number");
      nb_dcc_end (x);
      if (num_member (s, "U_mm", &U) && num_member (s, "k", &k))
        {
          g_autofree char *qname = g_strdup_printf (
              "Expanded uncertainty of the standard's certificate (k = %.2f)", k);
          nb_dcc_start (x, "measuringEquipmentQuantities");
          nb_dcc_start (x, "measuringEquipmentQuantity");
          nb_dcc_text (x, "name", qname);
          si_real (x, U, 4, UNIT_MM, -1, 0);
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
  if (num_member (env, key, &v))
    {
      nb_dcc_start (x, "quantity");
      si_real (x, v, 1, unit, -1, 0);
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
  JsonObject *env = obj_member (doc, "environment");
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
  num_member (p, k_target, &target);
  num_member (p, "rate_hz", &rate);
  num_member (e, k_U, &U);
  num_member (e, "k", &k);
  num_member (e, "n", &n);

  g_autofree char *name
      = part->rate
            ? g_strdup_printf ("Stroke rate at %.0f Hz, %s", target, part->label)
            : g_strdup_printf ("Needle depth at %.2f mm, %.0f Hz, %s", target, rate, part->label);
  nb_dcc_start (x, "result");
  nb_dcc_text (x, "name", name);
  nb_dcc_start (x, "data");

  quantity (x, "basic_referenceValue", part->rate ? "Set rate" : "Set depth", p, k_target, dec,
            unit);
  if (!part->rate)
    quantity (x, NULL, "Set rate", p, "rate_hz", 3, UNIT_HZ);

  g_autofree char *mean_name = g_strdup_printf (
      "Mean of %.0f strokes measured by the reference, with its expanded uncertainty", n);
  nb_dcc_start_ref (x, "quantity", "basic_measuredValue");
  nb_dcc_text (x, "name", mean_name);
  if (num_member (e, k_mean, &mean))
    si_real (x, mean, dec, unit, U, k);
  else
    nb_dcc_text (x, "noQuantity", "not available");
  const char *verdict = str_member (e, "verdict");
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
  if (num_member (e, k_error, &err))
    si_real (x, err, dec, unit, U, k);
  else
    nb_dcc_text (x, "noQuantity", "not available");
  nb_dcc_end (x);

  JsonObject *tol = obj_member (e, "tolerance");
  double lim;
  if (num_member (tol, "lower", &lim))
    quantity (x, "basic_acceptanceLimitLower", "Lower tolerance limit", tol, "lower", dec, unit);
  if (num_member (tol, "upper", &lim))
    quantity (x, "basic_acceptanceLimitUpper", "Upper tolerance limit", tol, "upper", dec, unit);
  quantity (x, NULL, "Experimental standard deviation of the strokes", e, k_sd, dec, unit);
  double v;
  if (num_member (e, "nu_eff", &v))
    quantity (x, NULL, "Effective degrees of freedom", e, "nu_eff", 1, UNIT_ONE);
  if (num_member (e, "pfa", &v))
    quantity (x, NULL, "Probability of false acceptance", e, "pfa", -4, UNIT_ONE);

  nb_dcc_end (x);
  nb_dcc_end (x);
}

static gboolean
part_has_entries (const Part *part)
{
  for (guint i = 0; part->points && i < json_array_get_length (part->points); i++)
    if (obj_member (arr_obj (part->points, i), part->phase))
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
      JsonObject *p = arr_obj (part->points, i);
      JsonObject *e = obj_member (p, part->phase);
      if (e)
        point_result (x, part, p, e);
    }
  nb_dcc_end (x);
  nb_dcc_end (x);
}

/* --- the document --- */

static gboolean
check_doc (JsonObject *doc, GError **error)
{
  const char *schema = str_member (doc, "schema");
  if (g_strcmp0 (schema, "needlebench-certificate/1") != 0)
    {
      g_set_error (error, NB_DCC_ERROR, NB_DCC_ERROR_INVALID,
                   "not a NeedleBench certificate document (schema is not "
                   "needlebench-certificate/1)");
      return FALSE;
    }
  const char *kind = str_member (doc, "kind");
  if (g_strcmp0 (kind, "verification-report") == 0)
    {
      g_set_error (error, NB_DCC_ERROR, NB_DCC_ERROR_NOT_A_CERTIFICATE,
                   "a verification report is not a calibration certificate (the run is not "
                   "traceable): no Digital Calibration Certificate is written for it");
      return FALSE;
    }
  if (g_strcmp0 (kind, "calibration-certificate") != 0)
    {
      g_set_error (error, NB_DCC_ERROR, NB_DCC_ERROR_INVALID,
                   "certificate document: kind is not calibration-certificate");
      return FALSE;
    }
  static const char *const objects[] = { "laboratory", "item", "dates", "method", "results" };
  for (gsize i = 0; i < G_N_ELEMENTS (objects); i++)
    if (obj_member (doc, objects[i]) == NULL)
      {
        g_set_error (error, NB_DCC_ERROR, NB_DCC_ERROR_INVALID,
                     "certificate document: %s is missing or not an object", objects[i]);
        return FALSE;
      }
  g_autofree char *number = nb_dcc_token (str_member (doc, "number"), NULL);
  if (number == NULL)
    {
      g_set_error (error, NB_DCC_ERROR, NB_DCC_ERROR_INVALID,
                   "certificate document: a calibration certificate without a number");
      return FALSE;
    }
  if (str_member (obj_member (doc, "laboratory"), "name") == NULL)
    {
      g_set_error (error, NB_DCC_ERROR, NB_DCC_ERROR_INVALID,
                   "certificate document: laboratory.name is missing");
      return FALSE;
    }
  return TRUE;
}

char *
nb_dcc_write (JsonObject *doc, GError **error)
{
  g_return_val_if_fail (doc != NULL, NULL);
  if (!check_doc (doc, error))
    return NULL;
  JsonObject *dates = obj_member (doc, "dates");
  JsonObject *results = obj_member (doc, "results");
  g_autofree char *begin = xs_date (str_member (dates, "calibrated"));
  g_autofree char *end = xs_date (str_member (dates, "calibrated_end"));
  if (begin == NULL)
    {
      g_set_error (error, NB_DCC_ERROR, NB_DCC_ERROR_INVALID,
                   "certificate document: dates.calibrated is not an ISO 8601 date-time");
      return NULL;
    }
  if (end == NULL)
    end = g_strdup (begin);
  const char *rule
      = str_member (obj_member (doc, "method"), "rule") ?: str_member (results, "rule");
  g_autofree char *rule_token = nb_dcc_token (rule, "not stated");
  const char *verdict = str_member (results, "verdict");
  JsonNode *adjusted_node = json_object_get_member (results, "adjusted");
  gboolean adjusted = adjusted_node && JSON_NODE_HOLDS_VALUE (adjusted_node)
                      && json_node_get_value_type (adjusted_node) == G_TYPE_BOOLEAN
                      && json_node_get_boolean (adjusted_node);

  xmlBufferPtr buf = xmlBufferCreate ();
  if (buf == NULL)
    {
      g_set_error (error, NB_DCC_ERROR, NB_DCC_ERROR_WRITE, "out of memory writing the DCC");
      return NULL;
    }
  NbDccWriter x = { xmlNewTextWriterMemory (buf, 0), FALSE };
  if (x.w == NULL)
    {
      xmlBufferFree (buf);
      g_set_error (error, NB_DCC_ERROR, NB_DCC_ERROR_WRITE, "out of memory writing the DCC");
      return NULL;
    }
  xmlTextWriterSetIndent (x.w, 1);
  xmlTextWriterSetIndentString (x.w, BAD_CAST "  ");
  if (xmlTextWriterStartDocument (x.w, NULL, "UTF-8", NULL) < 0)
    x.failed = TRUE;
  if (!x.failed
      && xmlTextWriterStartElementNS (x.w, BAD_CAST "dcc", BAD_CAST "digitalCalibrationCertificate",
                                      BAD_CAST NB_DCC_NAMESPACE)
             < 0)
    x.failed = TRUE;
  nb_dcc_attr (&x, "xmlns:si", NB_DCC_SI_NAMESPACE);
  nb_dcc_attr (&x, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
  nb_dcc_attr (&x, "xsi:schemaLocation",
               NB_DCC_NAMESPACE " https://ptb.de/dcc/v" NB_DCC_SCHEMA_VERSION "/dcc.xsd");
  nb_dcc_attr (&x, "schemaVersion", NB_DCC_SCHEMA_VERSION);

  nb_dcc_start (&x, "administrativeData");
  nb_dcc_start (&x, "dccSoftware");
  nb_dcc_start (&x, "software");
  nb_dcc_text (&x, "name", "NeedleBench");
  nb_dcc_elem (&x, "release", NB_VERSION);
  nb_dcc_end (&x);
  nb_dcc_end (&x);
  core_data (&x, doc, begin, end);
  items (&x, doc);
  laboratory (&x, doc);
  resp_persons (&x, doc);
  customer (&x, doc);
  statements (&x, doc, rule_token, verdict);
  nb_dcc_end (&x);

  nb_dcc_start (&x, "measurementResults");
  Part parts[] = {
    { FALSE, "as_found", "as found", adjusted ? "beforeAdjustment" : NULL },
    { FALSE, "as_left", adjusted ? "as left" : "as left (no adjustment made)",
      adjusted ? "afterAdjustment" : NULL },
    { TRUE, "as_found", "as found", adjusted ? "beforeAdjustment" : NULL },
    { TRUE, "as_left", adjusted ? "as left" : "as left (no adjustment made)",
      adjusted ? "afterAdjustment" : NULL },
  };
  guint written = 0;
  for (gsize i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      parts[i].rule = rule_token;
      parts[i].points = arr_member (results, parts[i].rate ? "rate_points" : "points");
      if (part_has_entries (&parts[i]))
        {
          measurement_result (&x, doc, &parts[i]);
          written++;
        }
    }
  nb_dcc_end (&x);
  if (!x.failed && xmlTextWriterEndDocument (x.w) < 0)
    x.failed = TRUE;
  xmlFreeTextWriter (x.w); /* flushes into buf */

  if (written == 0)
    {
      xmlBufferFree (buf);
      g_set_error (error, NB_DCC_ERROR, NB_DCC_ERROR_INVALID,
                   "certificate document: the run has no measured point");
      return NULL;
    }
  if (x.failed)
    {
      xmlBufferFree (buf);
      g_set_error (error, NB_DCC_ERROR, NB_DCC_ERROR_WRITE, "libxml2 failed to write the DCC");
      return NULL;
    }
  char *out = g_strndup ((const char *) xmlBufferContent (buf), (gsize) xmlBufferLength (buf));
  xmlBufferFree (buf);
  return out;
}
