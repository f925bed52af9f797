/* nb-certificate-text.c: the statements of a certificate document: traceability (ISO/IEC 17025
 * 7.8.4.1 c), the decision rule and conformity (7.8.4.1 e, 7.8.6, ILAC-G8:09/2019), adjustment
 * (7.8.4.1 d), and the items of 7.8.2.1 l and its NOTE. The wording of the decision rules
 * follows docs/calibration-method.md §4. File formats are never translated: these are the
 * document's text, as the laboratory issues it. */
#include "nb-certificate-private.h"

#include <math.h>
#include <string.h>

static const char *
string_member (JsonObject *o, const char *key)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, key) : NULL;
  if (n == NULL || JSON_NODE_TYPE (n) != JSON_NODE_VALUE
      || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

/* @key of @o to @decimals places ("?" when it is missing): U to 0.1 µm, k to 0.01, as the
 * standard's certificate is recorded (docs/cli.md, standards add). */
static char *
fixed_member (JsonObject *o, const char *key, int decimals)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, key) : NULL;
  if (n == NULL || JSON_NODE_TYPE (n) != JSON_NODE_VALUE)
    return g_strdup ("?");
  double v = json_node_get_double (n);
  if (!isfinite (v))
    return g_strdup ("?");
  char format[8], buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_snprintf (format, sizeof format, "%%.%df", decimals);
  return g_strdup (g_ascii_formatd (buf, sizeof buf, format, v));
}

char *
nb_certificate_traceability_text (JsonObject *run, gboolean traceable)
{
  if (!traceable)
    {
      const char *reason = string_member (run, "not_traceable_reason");
      return g_strdup_printf (
          "%s. The results are not metrologically traceable: this is a verification report, "
          "not a calibration certificate.",
          reason != NULL ? reason : "not traceable");
    }
  JsonNode *sn = json_object_get_member (run, "standard");
  JsonObject *standard
      = sn != NULL && JSON_NODE_HOLDS_OBJECT (sn) ? json_node_get_object (sn) : NULL;
  g_autofree char *U = fixed_member (standard, "U_mm", 4);
  g_autofree char *k = fixed_member (standard, "k", 2);
  const char *model = string_member (run, "fixture_model");
  g_autofree char *fixture
      = model != NULL ? g_strdup_printf ("%s (%s)", string_member (run, "fixture"), model)
                      : g_strdup (string_member (run, "fixture"));
  return g_strdup_printf (
      "The results are metrologically traceable to the SI unit of length, the metre, through "
      "the laboratory's reference standard, displacement fixture %s, calibration certificate "
      "%s, expanded uncertainty U = %s mm (k = %s), due for recalibration on %s. Every depth "
      "was measured with it, its uncertainty is included in each stated U, and the rates were "
      "timed by its sample clock.",
      fixture, string_member (standard, "certificate"), U, k, string_member (standard, "due"));
}

static char *
rule_statement (const char *rule)
{
  if (g_strcmp0 (rule, "guarded") == 0)
    return g_strdup (
        "Decision rule: binary statement with guard band w = U (ILAC-G8:09/2019 4.2.2, guarded "
        "acceptance): a point passes when its mean lies within the tolerance limits pulled in "
        "by its expanded uncertainty U (acceptance limits TL - U), and fails otherwise. A "
        "result exactly at an acceptance limit passes; its probability of false acceptance is "
        "2.3 %.");
  if (g_strcmp0 (rule, "nonbinary") == 0)
    return g_strdup (
        "Decision rule: non-binary statement with guard band w = U (ILAC-G8:09/2019 4.2.3): "
        "pass within the tolerance limits pulled in by the expanded uncertainty U; conditional "
        "pass within the tolerance but closer than U to a limit; conditional fail outside the "
        "tolerance by at most U; fail beyond. A result exactly at a zone's limit gets the "
        "better verdict: exactly at TL - U pass, exactly at TL conditional pass, exactly at "
        "TL + U conditional fail.");
  return g_strdup (
      "Decision rule: binary statement for simple acceptance (ILAC-G8:09/2019 4.2.1, guard "
      "band w = 0): a point passes when its mean lies within the tolerance limits, and fails "
      "otherwise. A result exactly at a tolerance limit passes; its probability of false "
      "acceptance is up to 50 %, and each accepted point's is stated with it.");
}

gboolean
nb_certificate_meaning_valid (const char *meaning)
{
  return g_strcmp0 (meaning, "performed") == 0 || g_strcmp0 (meaning, "reviewed") == 0
         || g_strcmp0 (meaning, "approved") == 0;
}

GPtrArray *
nb_certificate_statements (JsonObject *run, gboolean traceable)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  const char *noun = traceable ? "certificate" : "report";
  g_ptr_array_add (out, g_strdup (traceable ? "The results relate only to the item calibrated."
                                            : "The results relate only to the item tested."));
  if (!traceable)
    g_ptr_array_add (out, g_strdup ("This verification report is not a calibration "
                                    "certificate: the pen was checked against its own sensor "
                                    "or without a valid reference standard."));
  g_ptr_array_add (out, rule_statement (string_member (run, "rule")));

  JsonNode *al = json_object_get_member (run, "points");
  gboolean has_as_left = FALSE;
  if (al != NULL && JSON_NODE_HOLDS_ARRAY (al))
    {
      JsonArray *points = json_node_get_array (al);
      for (guint i = 0; i < json_array_get_length (points) && !has_as_left; i++)
        {
          JsonObject *p = json_array_get_object_element (points, i);
          JsonNode *n = p != NULL ? json_object_get_member (p, "as_left") : NULL;
          has_as_left = n != NULL && JSON_NODE_HOLDS_OBJECT (n);
        }
    }
  const char *verdict = string_member (run, "verdict");
  g_ptr_array_add (out, g_strdup_printf ("Overall verdict: %s, the worst point's of the %s "
                                         "results.",
                                         verdict != NULL ? verdict : "none",
                                         has_as_left ? "as-left" : "as-found"));
  gboolean adjusted = json_object_get_boolean_member_with_default (run, "adjusted", FALSE);
  g_ptr_array_add (
      out, g_strdup (adjusted ? "The item was adjusted: its calibration table was rewritten and "
                                "read back; the results before (as found) and after (as left) "
                                "the adjustment are both reported."
                     : has_as_left ? "The item was not adjusted; it was measured again (as "
                                     "left) after the as-found results."
                                   : "The item was not adjusted; the as-found results are its "
                                     "results."));
  g_ptr_array_add (out, g_strdup_printf ("This %s shall not be reproduced except in full without "
                                         "the laboratory's approval.",
                                         noun));
  return out;
}
