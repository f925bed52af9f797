/* nb-certificate-records.c: a certificate checked against the laboratory's database: its
 * certificate record (nb-store-certificates.h), the run it names, that run's stored result
 * document, and the raw per-stroke readings behind every figure (nb_certificate_verify_records,
 * nb-certificate.h). */
#include <math.h>
#include <string.h>

#include "nb-canonical-json.h"
#include "nb-certificate.h"
#include "nb-run-result.h"
#include "nb-store-certificates.h"

static gboolean mismatch (GError **error, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static gboolean
mismatch (GError **error, const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_MISMATCH, "%s", msg);
  return FALSE;
}

/* Every entry's figures against its raw readings: as many strokes as n, and their mean is the
 * stated mean to the precision it is stated with (0.1 µm, 0.001 Hz). */
static gboolean
check_raw (JsonObject *raw_doc, gint64 run_id, GError **error)
{
  static const char *const lists[] = { "points", "rate_points" };
  static const char *const phases[] = { "as_found", "as_left" };
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      JsonNode *ln = json_object_get_member (raw_doc, lists[l]);
      if (ln == NULL || !JSON_NODE_HOLDS_ARRAY (ln))
        continue;
      JsonArray *points = json_node_get_array (ln);
      gboolean rate = l == 1;
      for (guint i = 0; i < json_array_get_length (points); i++)
        for (guint ph = 0; ph < G_N_ELEMENTS (phases); ph++)
          {
            JsonObject *p = json_array_get_object_element (points, i);
            JsonNode *en = p != NULL ? json_object_get_member (p, phases[ph]) : NULL;
            if (en == NULL || !JSON_NODE_HOLDS_OBJECT (en))
              continue;
            JsonObject *e = json_node_get_object (en);
            JsonNode *sn = json_object_get_member (e, rate ? "strokes_hz" : "strokes_mm");
            JsonArray *strokes
                = sn != NULL && JSON_NODE_HOLDS_ARRAY (sn) ? json_node_get_array (sn) : NULL;
            guint n = strokes != NULL ? json_array_get_length (strokes) : 0;
            gint64 stated_n = json_object_get_int_member_with_default (e, "n", -1);
            double sum = 0;
            for (guint s = 0; s < n; s++)
              sum += json_array_get_double_element (strokes, s);
            double mean = n > 0 ? sum / n : NAN;
            double stated
                = json_object_get_double_member_with_default (e, rate ? "mean_hz" : "mean_mm", NAN);
            double half_unit = rate ? 0.5e-3 : 0.5e-4;
            if ((gint64) n != stated_n || !(fabs (mean - stated) <= half_unit * (1 + 1e-6)))
              return mismatch (error,
                               "run %" G_GINT64_FORMAT " %s point %u %s: its %u stored raw "
                               "readings (mean %.6f) do not give the stated n %" G_GINT64_FORMAT
                               " and mean %.6f",
                               run_id, rate ? "rate" : "depth", i + 1, phases[ph], n, mean,
                               stated_n, stated);
          }
    }
  return TRUE;
}

/* A numbered certificate against its record: not voided, of this run, the same content hash
 * (not a revision superseded since), and once issued the very document the laboratory issued. */
static gboolean
check_certificate_record (JsonObject *doc, NbStore *store, GError **error)
{
  const char *number = json_object_get_string_member (doc, "number");
  const char *hash = json_object_get_string_member (doc, "content_sha256");
  g_autoptr (GError) local = NULL;
  g_autoptr (NbStoreCertificate) cert = nb_store_get_certificate (store, number, &local);
  if (cert == NULL)
    {
      if (g_error_matches (local, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND))
        return mismatch (error, "the database has no certificate %s", number);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (cert->status == NB_STORE_CERT_VOIDED)
    return mismatch (error, "certificate %s was voided (%s)", number,
                     cert->reason != NULL ? cert->reason : "no reason recorded");
  if (cert->run_id != json_object_get_int_member (doc, "run"))
    return mismatch (error, "certificate %s is of run %" G_GINT64_FORMAT " in the database", number,
                     cert->run_id);
  if (g_strcmp0 (cert->content_sha256, hash) != 0)
    return mismatch (error,
                     "certificate %s in the database (revision %u) has content hash %s, not "
                     "this document's %s",
                     number, cert->revision, cert->content_sha256, hash);
  if (g_strcmp0 (json_object_get_string_member (doc, "status"), "issued") == 0)
    {
      if (cert->status != NB_STORE_CERT_ISSUED)
        return mismatch (error, "certificate %s is not issued in the database", number);
      g_autofree char *canonical = nb_certificate_to_canonical (doc, NULL);
      if (g_strcmp0 (cert->document, canonical) != 0)
        return mismatch (error, "certificate %s differs from the document the database issued",
                         number);
    }
  return TRUE;
}

gboolean
nb_certificate_verify_records (JsonObject *doc, NbStore *store, GError **error)
{
  if (!nb_certificate_check (doc, error))
    return FALSE;
  if (!json_object_get_null_member (doc, "number") && !check_certificate_record (doc, store, error))
    return FALSE;
  gint64 run_id = json_object_get_int_member (doc, "run");
  g_autoptr (GError) local = NULL;
  g_autoptr (JsonNode) stored = nb_run_result_load_json (store, run_id, FALSE, &local);
  if (stored == NULL)
    {
      if (g_error_matches (local, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND))
        return mismatch (error, "the database has no run %" G_GINT64_FORMAT, run_id);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_autoptr (GString) a = g_string_new (NULL);
  g_autoptr (GString) b = g_string_new (NULL);
  nb_canonical_json_append (a, json_object_get_member (doc, "results"));
  nb_canonical_json_append (b, stored);
  if (strcmp (a->str, b->str) != 0)
    return mismatch (
        error, "the results differ from run %" G_GINT64_FORMAT "'s stored result document", run_id);
  g_autoptr (JsonNode) raw = nb_run_result_load_json (store, run_id, TRUE, error);
  if (raw == NULL)
    return FALSE;
  return check_raw (json_node_get_object (raw), run_id, error);
}
