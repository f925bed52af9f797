/* nb-certificate-csv.c: the results of a certificate document as CSV (nb-certificate.h).
 *
 * The header row first, then one row per as-found / as-left entry, each starting with the
 * certificate's number (empty for a verification report) and status (draft, issued), so a CSV
 * file separated from its certificate still says whether it was approved: the depth points then the
 * rate points of the as-found phase, then those of the as-left phase. Figures are written as the
 * document has them (already rounded to their precision, in their shortest form), so the CSV and
 * the JSON cannot disagree; an open figure (null) is an empty field. Every field is a number or
 * a fixed identifier (phase, quantity, verdict, unit) but the number, which libcsv quotes; the file
 * is read back with libcsv in the tests, as the session export is. Rows end in CRLF (RFC 4180), as
 * the session export's do. */
#include <csv.h>
#include <string.h>

#include "nb-canonical-json.h"
#include "nb-certificate.h"

static const char header[] = "certificate,status,phase,quantity,target,rate_hz,n,mean,sd,error,u,U,"
                             "k,nu_eff,verdict,pfa,unit\r\n";

static void
append_number (GString *out, JsonObject *o, const char *key)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, key) : NULL;
  if (n != NULL && JSON_NODE_TYPE (n) == JSON_NODE_VALUE)
    {
      if (json_node_get_value_type (n) == G_TYPE_INT64)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (n));
      else if (json_node_get_value_type (n) == G_TYPE_DOUBLE)
        nb_canonical_json_append_double (out, json_node_get_double (n));
    }
}

/* One row; FALSE when the entry is not an object of figures (a damaged document). */
static gboolean
append_row (GString *out, const char *lead, const char *phase, gboolean rate, JsonObject *point,
            JsonObject *entry)
{
  const char *s = rate ? "hz" : "mm";
  char key[16];
  g_string_append_printf (out, "%s%s,%s,", lead, phase, rate ? "rate" : "depth");
  append_number (out, point, rate ? "target_hz" : "target_mm");
  g_string_append_c (out, ',');
  append_number (out, point, rate ? "target_hz" : "rate_hz");
  g_string_append_c (out, ',');
  append_number (out, entry, "n");
  static const char *const figures[] = { "mean", "sd", "error", "u", "U" };
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      g_snprintf (key, sizeof key, "%s_%s", figures[i], s);
      g_string_append_c (out, ',');
      append_number (out, entry, key);
    }
  g_string_append_c (out, ',');
  append_number (out, entry, "k");
  g_string_append_c (out, ',');
  append_number (out, entry, "nu_eff");
  const char *verdict = json_object_get_string_member_with_default (entry, "verdict", NULL);
  if (verdict == NULL || strspn (verdict, "abcdefghijklmnopqrstuvwxyz-") != strlen (verdict))
    return FALSE;
  g_string_append_printf (out, ",%s,", verdict);
  append_number (out, entry, "pfa");
  g_string_append_printf (out, ",%s\r\n", rate ? "Hz" : "mm");
  return TRUE;
}

char *
nb_certificate_results_csv (JsonObject *doc, GError **error)
{
  JsonNode *rn = json_object_get_member (doc, "results");
  JsonObject *results
      = rn != NULL && JSON_NODE_HOLDS_OBJECT (rn) ? json_node_get_object (rn) : NULL;
  if (results == NULL)
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
                   "the document has no results");
      return NULL;
    }
  const char *number = json_object_get_string_member_with_default (doc, "number", NULL);
  const char *status = json_object_get_string_member_with_default (doc, "status", NULL);
  if (status == NULL || (strcmp (status, "draft") != 0 && strcmp (status, "issued") != 0))
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
                   "status: not \"draft\" or \"issued\"");
      return NULL;
    }
  /* the row's first two fields: the number quoted by libcsv (a field may need it), the status */
  g_autoptr (GString) lead = g_string_new (NULL);
  if (number != NULL)
    {
      gsize len = strlen (number);
      g_autofree char *quoted = g_malloc (2 * len + 3);
      g_string_append_len (lead, quoted, csv_write (quoted, 2 * len + 3, number, len));
    }
  g_string_append_printf (lead, ",%s,", status);
  g_autoptr (GString) out = g_string_new (header);
  for (guint phase = 0; phase < 2; phase++)
    for (guint q = 0; q < 2; q++)
      {
        const char *list = q == 0 ? "points" : "rate_points";
        JsonNode *ln = json_object_get_member (results, list);
        if (ln == NULL || !JSON_NODE_HOLDS_ARRAY (ln))
          continue;
        JsonArray *points = json_node_get_array (ln);
        for (guint i = 0; i < json_array_get_length (points); i++)
          {
            JsonNode *pn = json_array_get_element (points, i);
            JsonObject *point = JSON_NODE_HOLDS_OBJECT (pn) ? json_node_get_object (pn) : NULL;
            JsonNode *en = point != NULL
                               ? json_object_get_member (point, phase == 0 ? "as_found" : "as_left")
                               : NULL;
            if (en == NULL || JSON_NODE_HOLDS_NULL (en))
              continue; /* a phase the run did not reach, or --no-adjust */
            if (!JSON_NODE_HOLDS_OBJECT (en)
                || !append_row (out, lead->str, phase == 0 ? "as-found" : "as-left", q == 1, point,
                                json_node_get_object (en)))
              {
                g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
                             "results.%s[%u] is not a point's figures", list, i);
                return NULL;
              }
          }
      }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
