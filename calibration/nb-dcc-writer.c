/* nb-dcc-writer.c: see nb-dcc-writer.h. */
#include "nb-dcc-writer.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define REPLACEMENT 0xFFFD

static gboolean
xml_char_ok (gunichar c)
{
  /* XML 1.0 §2.2 Char */
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
         || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

char *
nb_dcc_xml_safe (const char *text)
{
  if (text == NULL)
    return NULL;
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_string_append_unichar (out, xml_char_ok (c) ? c : REPLACEMENT);
    }
  return g_string_free (out, FALSE);
}

char *
nb_dcc_token (const char *text, const char *fallback)
{
  char *safe = nb_dcc_xml_safe (text);
  if (safe == NULL)
    return g_strdup (fallback);
  /* the schema's \s is space, tab, CR and LF: exactly what g_strstrip removes at the ends, and
   * more (form feed, vertical tab), which XML-safe text no longer has anyway */
  g_strstrip (safe);
  if (*safe == '\0')
    {
      g_free (safe);
      return g_strdup (fallback);
    }
  return safe;
}

static void
check (NbDccWriter *x, int rc)
{
  if (rc < 0)
    x->failed = TRUE;
}

void
nb_dcc_start (NbDccWriter *x, const char *name)
{
  if (!x->failed)
    check (x, xmlTextWriterStartElementNS (x->w, BAD_CAST "dcc", BAD_CAST name, NULL));
}

void
nb_dcc_start_ref (NbDccWriter *x, const char *name, const char *ref_type)
{
  nb_dcc_start (x, name);
  if (ref_type != NULL)
    nb_dcc_attr (x, "refType", ref_type);
}

void
nb_dcc_start_si (NbDccWriter *x, const char *name)
{
  if (!x->failed)
    check (x, xmlTextWriterStartElementNS (x->w, BAD_CAST "si", BAD_CAST name, NULL));
}

void
nb_dcc_end (NbDccWriter *x)
{
  if (!x->failed)
    check (x, xmlTextWriterEndElement (x->w));
}

void
nb_dcc_attr (NbDccWriter *x, const char *name, const char *value)
{
  if (!x->failed)
    check (x, xmlTextWriterWriteAttribute (x->w, BAD_CAST name, BAD_CAST value));
}

static void
write_string (NbDccWriter *x, const char *text)
{
  /* xmlTextWriterWriteString escapes <, >, & (and CR) */
  if (!x->failed)
    check (x, xmlTextWriterWriteString (x->w, BAD_CAST text));
}

void
nb_dcc_elem (NbDccWriter *x, const char *name, const char *text)
{
  g_autofree char *safe = nb_dcc_xml_safe (text ? text : "");
  nb_dcc_start (x, name);
  write_string (x, safe);
  nb_dcc_end (x);
}

void
nb_dcc_token_elem (NbDccWriter *x, const char *name, const char *text, const char *fallback)
{
  g_autofree char *token = nb_dcc_token (text, fallback);
  nb_dcc_start (x, name);
  write_string (x, token);
  nb_dcc_end (x);
}

void
nb_dcc_si_elem (NbDccWriter *x, const char *name, const char *text)
{
  nb_dcc_start_si (x, name);
  write_string (x, text);
  nb_dcc_end (x);
}

void
nb_dcc_text (NbDccWriter *x, const char *name, const char *text)
{
  nb_dcc_start (x, name);
  nb_dcc_elem (x, "content", text);
  nb_dcc_end (x);
}

/* --- reading the document (a missing member and a null read alike: NULL / FALSE) --- */

const char *
nb_dcc_json_str (JsonObject *o, const char *key)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

JsonObject *
nb_dcc_json_obj (JsonObject *o, const char *key)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;
  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

JsonArray *
nb_dcc_json_arr (JsonObject *o, const char *key)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;
  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

gboolean
nb_dcc_json_num (JsonObject *o, const char *key, double *value)
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

JsonObject *
nb_dcc_json_arr_obj (JsonArray *a, guint i)
{
  JsonNode *n = json_array_get_element (a, i);
  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

/* "YYYY-MM-DD" of a date or an ISO 8601 date-time (UTC), or NULL when it is neither */
char *
nb_dcc_xs_date (const char *text)
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

char *
nb_dcc_fmt (double value, int decimals)
{
  char format[16], buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_snprintf (format, sizeof format, "%%.%df", decimals);
  return g_strdup (g_ascii_formatd (buf, sizeof buf, format, value));
}

/* @digits significant digits, for figures that span many decades (a PFA of 1e-260) */
char *
nb_dcc_fmt_sig (double value, int digits)
{
  char format[16], buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_snprintf (format, sizeof format, "%%.%dg", digits);
  return g_strdup (g_ascii_formatd (buf, sizeof buf, format, value));
}

/* --- D-SI quantities --- */

/* <si:real> with an optional expanded uncertainty (U < 0: none) */
void
nb_dcc_si_real (NbDccWriter *x, double value, int decimals, const char *unit, double U, double k)
{
  /* decimals < 0: -decimals significant digits */
  g_autofree char *v
      = decimals < 0 ? nb_dcc_fmt_sig (value, -decimals) : nb_dcc_fmt (value, decimals);
  nb_dcc_start_si (x, "real");
  nb_dcc_si_elem (x, "value", v);
  nb_dcc_si_elem (x, "unit", unit);
  if (U >= 0 && isfinite (U) && isfinite (k) && k >= 1)
    {
      g_autofree char *u = nb_dcc_fmt (U, decimals);
      g_autofree char *kk = nb_dcc_fmt (k, 2);
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
void
nb_dcc_quantity (NbDccWriter *x, const char *ref_type, const char *name, JsonObject *o,
                 const char *key, int decimals, const char *unit)
{
  double v;
  nb_dcc_start_ref (x, "quantity", ref_type);
  nb_dcc_text (x, "name", name);
  if (nb_dcc_json_num (o, key, &v))
    nb_dcc_si_real (x, v, decimals, unit, -1, 0);
  else
    nb_dcc_text (x, "noQuantity", "not available");
  nb_dcc_end (x);
}

void
nb_dcc_identification (NbDccWriter *x, const char *issuer, const char *value, const char *name)
{
  if (value == NULL)
    return;
  nb_dcc_start (x, "identification");
  nb_dcc_elem (x, "issuer", issuer);
  nb_dcc_token_elem (x, "value", value, "not stated");
  nb_dcc_text (x, "name", name);
  nb_dcc_end (x);
}
