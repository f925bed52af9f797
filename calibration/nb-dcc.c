/* nb-dcc.c: the certificate document as a PTB DCC 3.2.0 (see nb-dcc.h and
 * docs/certificate-dcc.md for the mapping). The element order follows the 3.2.0 schema's
 * sequences; administrativeData is an xs:all, written in the schema's order anyway. */
#include "nb-dcc.h"

#include <math.h>
#include <string.h>

#include "nb-config.h"
#include "nb-dcc-writer.h"

G_DEFINE_QUARK (nb - dcc - error - quark, nb_dcc_error)

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

static const char *
lab_country (JsonObject *doc)
{
  const char *c = nb_dcc_json_str (nb_dcc_json_obj (doc, "laboratory"), "country");
  if (c && strlen (c) == 2 && g_ascii_isupper (c[0]) && g_ascii_isupper (c[1]))
    return c;
  return NULL;
}

static void
core_data (NbDccWriter *x, JsonObject *doc, const char *begin, const char *end)
{
  JsonObject *dates = nb_dcc_json_obj (doc, "dates");
  const char *country = lab_country (doc);
  g_autofree char *received = nb_dcc_xs_date (nb_dcc_json_str (dates, "received"));
  g_autofree char *issued = nb_dcc_xs_date (nb_dcc_json_str (dates, "issued"));
  double run;

  nb_dcc_start (x, "coreData");
  nb_dcc_elem (x, "countryCodeISO3166_1", country ? country : "ZZ");
  nb_dcc_elem (x, "usedLangCodeISO639_1", "en");
  nb_dcc_elem (x, "mandatoryLangCodeISO639_1", "en");
  nb_dcc_token_elem (x, "uniqueIdentifier", nb_dcc_json_str (doc, "number"), "none");
  if (nb_dcc_json_num (doc, "run", &run))
    {
      g_autofree char *id = g_strdup_printf ("%.0f", run);
      nb_dcc_start (x, "identifications");
      nb_dcc_identification (x, "calibrationLaboratory", id, "Calibration run record");
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
  JsonObject *item = nb_dcc_json_obj (doc, "item");
  const char *condition = nb_dcc_json_str (item, "condition");
  g_autofree char *cond
      = g_strdup_printf ("Condition as received: %s", condition ? condition : "not stated");
  nb_dcc_start (x, "items");
  nb_dcc_start (x, "item");
  nb_dcc_text (x, "name", "Microneedling pen");
  nb_dcc_text (x, "description", cond);
  nb_dcc_start (x, "manufacturer");
  nb_dcc_text (x, "name", nb_dcc_json_str (item, "manufacturer") ?: "not stated");
  nb_dcc_end (x);
  nb_dcc_token_elem (x, "model", nb_dcc_json_str (item, "model"), "not stated");
  nb_dcc_start (x, "identifications");
  nb_dcc_identification (x, "manufacturer", nb_dcc_json_str (item, "serial"), "Serial number");
  nb_dcc_identification (x, "manufacturer", nb_dcc_json_str (item, "model"), "Model");
  nb_dcc_identification (x, "manufacturer", nb_dcc_json_str (item, "firmware"), "Firmware version");
  nb_dcc_end (x);
  nb_dcc_end (x);
  nb_dcc_end (x);
}

static void
laboratory (NbDccWriter *x, JsonObject *doc)
{
  JsonObject *lab = nb_dcc_json_obj (doc, "laboratory");
  const char *address = nb_dcc_json_str (lab, "address");
  const char *location = nb_dcc_json_str (lab, "location");
  g_autofree char *where = NULL;
  if (location && g_strcmp0 (location, address) != 0)
    where = g_strdup_printf ("Place of calibration: %s", location);
  nb_dcc_start (x, "calibrationLaboratory");
  nb_dcc_start (x, "contact");
  nb_dcc_text (x, "name", nb_dcc_json_str (lab, "name"));
  contact_location (x, address, where, lab_country (doc));
  nb_dcc_end (x);
  nb_dcc_end (x);
}

static void
resp_persons (NbDccWriter *x, JsonObject *doc)
{
  JsonArray *sigs = nb_dcc_json_arr (doc, "signatures");
  guint n = sigs ? json_array_get_length (sigs) : 0, written = 0;
  gboolean main_signer = FALSE;
  nb_dcc_start (x, "respPersons");
  for (guint i = 0; i < n; i++)
    {
      JsonObject *s = nb_dcc_json_arr_obj (sigs, i);
      const char *meaning = nb_dcc_json_str (s, "meaning");
      if (s == NULL || nb_dcc_json_str (s, "name") == NULL)
        continue;
      g_autofree char *desc
          = g_strdup_printf ("Signed electronically (21 CFR 11.50) at %s, meaning: %s, over "
                             "content SHA-256 %s",
                             nb_dcc_json_str (s, "at") ?: "?", meaning ?: "?",
                             nb_dcc_json_str (s, "content_sha256") ?: "?");
      g_autofree char *role = g_strdup_printf ("%s (%s)", meaning ?: "signed",
                                               nb_dcc_json_str (s, "role") ?: "no role");
      nb_dcc_start (x, "respPerson");
      nb_dcc_start (x, "person");
      nb_dcc_text (x, "name", nb_dcc_json_str (s, "name"));
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
      const char *op = nb_dcc_json_str (nb_dcc_json_obj (doc, "results"), "operator");
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
  JsonObject *c = nb_dcc_json_obj (doc, "customer");
  nb_dcc_start (x, "customer");
  nb_dcc_text (x, "name", nb_dcc_json_str (c, "name") ?: "not stated");
  contact_location (x, nb_dcc_json_str (c, "address"), NULL, NULL);
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
  JsonArray *list = nb_dcc_json_arr (doc, "statements");
  gboolean relate_only = FALSE;
  nb_dcc_start (x, "statements");
  if (g_strcmp0 (nb_dcc_json_str (doc, "status"), "issued") != 0)
    statement_text (x, "Draft",
                    "DRAFT: not approved. This document is not valid as a calibration "
                    "certificate until it is issued.");
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonNode *n = json_array_get_element (list, i);
      /* only strings: json_node_get_string () is not for objects or arrays */
      const char *text = JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
                             ? json_node_get_string (n)
                             : NULL;
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
  nb_dcc_text (x, "declaration", nb_dcc_json_str (doc, "traceability") ?: "traceable");
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

  const char *hash = nb_dcc_json_str (doc, "content_sha256");
  if (hash)
    {
      g_autofree char *h = g_strdup_printf (
          "SHA-256 of the canonical certificate document (JSON) this DCC was made from: %s", hash);
      statement_text (x, "Content hash", h);
    }
  nb_dcc_end (x);
}

/* --- the document --- */

static gboolean
check_doc (JsonObject *doc, GError **error)
{
  const char *schema = nb_dcc_json_str (doc, "schema");
  if (g_strcmp0 (schema, "needlebench-certificate/1") != 0)
    {
      g_set_error (error, NB_DCC_ERROR, NB_DCC_ERROR_INVALID,
                   "not a NeedleBench certificate document (schema is not "
                   "needlebench-certificate/1)");
      return FALSE;
    }
  const char *kind = nb_dcc_json_str (doc, "kind");
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
    if (nb_dcc_json_obj (doc, objects[i]) == NULL)
      {
        g_set_error (error, NB_DCC_ERROR, NB_DCC_ERROR_INVALID,
                     "certificate document: %s is missing or not an object", objects[i]);
        return FALSE;
      }
  g_autofree char *number = nb_dcc_token (nb_dcc_json_str (doc, "number"), NULL);
  if (number == NULL)
    {
      g_set_error (error, NB_DCC_ERROR, NB_DCC_ERROR_INVALID,
                   "certificate document: a calibration certificate without a number");
      return FALSE;
    }
  if (nb_dcc_json_str (nb_dcc_json_obj (doc, "laboratory"), "name") == NULL)
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
  JsonObject *dates = nb_dcc_json_obj (doc, "dates");
  JsonObject *results = nb_dcc_json_obj (doc, "results");
  g_autofree char *begin = nb_dcc_xs_date (nb_dcc_json_str (dates, "calibrated"));
  g_autofree char *end = nb_dcc_xs_date (nb_dcc_json_str (dates, "calibrated_end"));
  if (begin == NULL)
    {
      g_set_error (error, NB_DCC_ERROR, NB_DCC_ERROR_INVALID,
                   "certificate document: dates.calibrated is not an ISO 8601 date-time");
      return NULL;
    }
  if (end == NULL)
    end = g_strdup (begin);
  const char *rule = nb_dcc_json_str (nb_dcc_json_obj (doc, "method"), "rule")
                         ?: nb_dcc_json_str (results, "rule");
  g_autofree char *rule_token = nb_dcc_token (rule, "not stated");
  const char *verdict = nb_dcc_json_str (results, "verdict");
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

  guint written = nb_dcc_measurement_results (&x, doc, rule_token, adjusted);
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
