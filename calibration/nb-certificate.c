/* nb-certificate.c: the certificate document: building it from a run, its canonical form, its
 * content hash and the laboratory's signature (see nb-certificate.h, docs/certificate.md). The
 * CSV of the results is in nb-certificate-csv.c, the statements in nb-certificate-text.c. */
#include "nb-certificate.h"

#include <stdio.h>
#include <string.h>

#include "nb-canonical-json.h"
#include "nb-certificate-private.h"
#include "nb-run-result.h"
#include "nb-store-runs.h"

G_DEFINE_QUARK (nb - certificate - error - quark, nb_certificate_error)

/* Every member of a document, in order; the content members are those before content_sha256. */
static const char *const members[] = {
  "schema",  "kind",       "number", "status",         "laboratory", "customer",
  "item",    "dates",      "method", "environment",    "standards",  "traceability",
  "results", "statements", "run",    "content_sha256", "signatures", "lab_signature",
};
#define N_CONTENT 15 /* schema … run */
G_STATIC_ASSERT (G_N_ELEMENTS (members) == N_CONTENT + 3);

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_member_copy (JsonBuilder *b, const char *name, JsonObject *from, const char *key)
{
  json_builder_set_member_name (b, name);
  JsonNode *node = from != NULL ? json_object_get_member (from, key) : NULL;
  json_builder_add_value (b, node != NULL ? json_node_copy (node) : json_node_new (JSON_NODE_NULL));
}

static const char *
get_string (JsonObject *o, const char *key)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, key) : NULL;
  if (n == NULL || JSON_NODE_TYPE (n) != JSON_NODE_VALUE
      || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static JsonObject *
get_object (JsonObject *o, const char *key)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, key) : NULL;
  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static gboolean
valid_date (const char *text)
{
  int y, m, d;
  char end;
  return text != NULL && strlen (text) == 10
         && sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3
         && g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

/* The environment as measured: both figures, each null when not measured. */
static gboolean
add_environment (JsonBuilder *b, const char *environment_json, GError **error)
{
  json_builder_set_member_name (b, "environment");
  json_builder_begin_object (b);
  g_autoptr (JsonNode) env = NULL;
  if (environment_json != NULL)
    {
      g_autoptr (GError) local = NULL;
      env = json_from_string (environment_json, &local);
      if (env != NULL && !JSON_NODE_HOLDS_OBJECT (env))
        g_clear_pointer (&env, json_node_unref);
      if (env == NULL)
        {
          g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
                       "the run's environment record is not a JSON object");
          return FALSE;
        }
    }
  JsonObject *o = env != NULL ? json_node_get_object (env) : NULL;
  for (guint i = 0; i < 2; i++)
    {
      const char *key = i == 0 ? "temperature_c" : "humidity_pct";
      JsonNode *n = o != NULL ? json_object_get_member (o, key) : NULL;
      json_builder_set_member_name (b, key);
      if (n != NULL && JSON_NODE_TYPE (n) == JSON_NODE_VALUE
          && (json_node_get_value_type (n) == G_TYPE_DOUBLE
              || json_node_get_value_type (n) == G_TYPE_INT64))
        json_builder_add_double_value (b, json_node_get_double (n));
      else
        json_builder_add_null_value (b);
    }
  json_builder_end_object (b);
  return TRUE;
}

JsonNode *
nb_certificate_build (JsonNode *run_doc, const char *number, const NbCertificateInfo *info,
                      GError **error)
{
  g_return_val_if_fail (run_doc != NULL && info != NULL, NULL);
  JsonObject *run = JSON_NODE_HOLDS_OBJECT (run_doc) ? json_node_get_object (run_doc) : NULL;
  if (run == NULL || !json_object_has_member (run, "traceable")
      || !json_object_has_member (run, "run"))
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
                   "not a run's result document");
      return NULL;
    }
  gint64 run_id = json_object_get_int_member_with_default (run, "run", 0);
  const char *status = get_string (run, "status");
  if (run_id <= 0)
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
                   "the run was not stored: only a stored run can be certified");
      return NULL;
    }
  if (g_strcmp0 (status, "complete") != 0 || get_string (run, "verdict") == NULL)
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
                   "run %" G_GINT64_FORMAT " is %s: only a complete run with a verdict can be "
                   "reported",
                   run_id, status != NULL ? status : "without a status");
      return NULL;
    }
  gboolean traceable = json_object_get_boolean_member_with_default (run, "traceable", FALSE);
  JsonObject *standard = get_object (run, "standard");
  if (traceable && standard == NULL)
    traceable = FALSE; /* a traceable run always names its standard; never certify without */
  if (!traceable && number != NULL)
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
                   "run %" G_GINT64_FORMAT " is not traceable (%s): it gets a verification "
                   "report, never a certificate number",
                   run_id, get_string (run, "not_traceable_reason"));
      return NULL;
    }
  if (traceable && (number == NULL || *number == '\0' || strlen (number) > 64))
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
                   "a calibration certificate needs its number");
      return NULL;
    }
  if (info->lab_name == NULL || info->lab_address == NULL)
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
                   "the laboratory's name and address are required");
      return NULL;
    }
  const char *started = get_string (run, "started_at");
  g_autofree char *run_date = started != NULL ? g_strndup (started, 10) : NULL;
  const char *received = info->received != NULL ? info->received : run_date;
  if (!valid_date (received))
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
                   "the date of receipt is not a YYYY-MM-DD date");
      return NULL;
    }

  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_string (b, "schema", NB_CERTIFICATE_SCHEMA);
  add_string (b, "kind", traceable ? "calibration-certificate" : "verification-report");
  add_string (b, "number", traceable ? number : NULL);
  add_string (b, "status", "draft");

  json_builder_set_member_name (b, "laboratory");
  json_builder_begin_object (b);
  add_string (b, "name", info->lab_name);
  add_string (b, "address", info->lab_address);
  add_string (b, "location", info->lab_location != NULL ? info->lab_location : info->lab_address);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "customer");
  json_builder_begin_object (b);
  add_string (b, "name", info->customer_name);
  add_string (b, "address", info->customer_address);
  json_builder_end_object (b);

  JsonObject *pen = get_object (run, "pen");
  json_builder_set_member_name (b, "item");
  json_builder_begin_object (b);
  add_member_copy (b, "model", pen, "model");
  add_member_copy (b, "serial", run, "serial");
  add_member_copy (b, "firmware", pen, "firmware");
  add_string (b, "condition",
              info->condition != NULL ? info->condition : "as received, no damage noted");
  json_builder_end_object (b);

  json_builder_set_member_name (b, "dates");
  json_builder_begin_object (b);
  add_string (b, "received", received);
  add_member_copy (b, "calibrated", run, "started_at");
  add_member_copy (b, "calibrated_end", run, "ended_at");
  add_string (b, "issued", NULL);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "method");
  json_builder_begin_object (b);
  add_member_copy (b, "profile", run, "profile");
  add_member_copy (b, "profile_version", run, "profile_version");
  add_string (b, "profile_title", info->profile_title);
  add_member_copy (b, "rule", run, "rule");
  add_string (b, "procedure", NB_CERTIFICATE_PROCEDURE);
  json_builder_end_object (b);

  if (!add_environment (b, info->environment_json, error))
    return NULL;

  json_builder_set_member_name (b, "standards");
  json_builder_begin_array (b);
  if (traceable)
    {
      json_builder_begin_object (b);
      add_member_copy (b, "serial", run, "fixture");
      add_member_copy (b, "model", run, "fixture_model");
      add_member_copy (b, "certificate", standard, "certificate");
      add_member_copy (b, "U_mm", standard, "U_mm");
      add_member_copy (b, "k", standard, "k");
      add_member_copy (b, "due", standard, "due");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  g_autofree char *traceability = nb_certificate_traceability_text (run, traceable);
  add_string (b, "traceability", traceability);

  json_builder_set_member_name (b, "results");
  json_builder_add_value (b, json_node_copy (run_doc));

  json_builder_set_member_name (b, "statements");
  json_builder_begin_array (b);
  g_autoptr (GPtrArray) statements = nb_certificate_statements (run, traceable);
  for (guint i = 0; i < statements->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (statements, i));
  json_builder_end_array (b);

  json_builder_set_member_name (b, "run");
  json_builder_add_int_value (b, run_id);
  add_string (b, "content_sha256", "");
  json_builder_set_member_name (b, "signatures");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  add_string (b, "lab_signature", NULL);
  json_builder_end_object (b);

  g_autoptr (JsonNode) doc = json_builder_get_root (b);
  JsonObject *o = json_node_get_object (doc);
  g_autofree char *hash = nb_certificate_content_hash (o);
  json_object_set_string_member (o, "content_sha256", hash);
  return g_steal_pointer (&doc);
}

JsonNode *
nb_certificate_build_from_store (NbStore *store, gint64 run_id, const char *number,
                                 const NbCertificateInfo *info, GError **error)
{
  g_autoptr (NbStoreRun) record = nb_store_get_run (store, run_id, error);
  if (record == NULL)
    return NULL;
  g_autoptr (JsonNode) run_doc = nb_run_result_load_json (store, run_id, FALSE, error);
  if (run_doc == NULL)
    return NULL;
  if (json_object_get_int_member_with_default (json_node_get_object (run_doc), "run", 0) != run_id)
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_MISMATCH,
                   "the stored document of run %" G_GINT64_FORMAT " names another run", run_id);
      return NULL;
    }
  NbCertificateInfo filled = *info;
  g_autoptr (JsonNode) profile = NULL;
  if (filled.profile_title == NULL && record->profile_json != NULL)
    {
      profile = json_from_string (record->profile_json, NULL);
      if (profile != NULL && JSON_NODE_HOLDS_OBJECT (profile))
        filled.profile_title = get_string (json_node_get_object (profile), "title");
    }
  if (filled.environment_json == NULL)
    filled.environment_json = record->environment_json;
  return nb_certificate_build (run_doc, number, &filled, error);
}

char *
nb_certificate_to_canonical (JsonObject *doc, gsize *length)
{
  return nb_canonical_json_object (doc, length);
}

char *
nb_certificate_content_hash (JsonObject *doc)
{
  /* status and dates.issued record the issue, which follows the users' signatures: leaving
   * them out keeps the hash the signatures bind to the same from draft to issued */
  g_autoptr (JsonObject) content = json_object_new ();
  for (guint i = 0; i < N_CONTENT; i++)
    {
      JsonNode *node = json_object_get_member (doc, members[i]);
      if (node == NULL || strcmp (members[i], "status") == 0)
        continue;
      if (strcmp (members[i], "dates") == 0 && JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *dates = json_node_get_object (node);
          g_autoptr (JsonObject) copy = json_object_new ();
          g_autoptr (GList) names = json_object_get_members (dates);
          for (GList *l = names; l; l = l->next)
            if (strcmp (l->data, "issued") != 0)
              json_object_set_member (copy, l->data,
                                      json_node_copy (json_object_get_member (dates, l->data)));
          json_object_set_object_member (content, "dates", g_steal_pointer (&copy));
          continue;
        }
      json_object_set_member (content, members[i], json_node_copy (node));
    }
  gsize len = 0;
  g_autofree char *text = nb_canonical_json_object (content, &len);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text, len);
}

GBytes *
nb_certificate_signed_bytes (JsonObject *doc)
{
  g_autoptr (JsonObject) copy = json_object_new ();
  g_autoptr (GList) names = json_object_get_members (doc);
  for (GList *l = names; l; l = l->next)
    if (strcmp (l->data, "lab_signature") != 0)
      json_object_set_member (copy, l->data,
                              json_node_copy (json_object_get_member (doc, l->data)));
  gsize len = 0;
  char *text = nb_canonical_json_object (copy, &len);
  return g_bytes_new_take (text, len);
}

JsonNode *
nb_certificate_parse (const char *data, gssize len, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  if (!json_parser_load_from_data (parser, data, len, &local))
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
                   "not a certificate document: %s", local->message);
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
                   "not a certificate document: not a JSON object");
      return NULL;
    }
  if (!nb_certificate_check (json_node_get_object (root), error))
    return NULL;
  return json_parser_steal_root (parser);
}

static gboolean
invalid (GError **error, const char *what)
{
  g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
               "not a valid certificate document: %s", what);
  return FALSE;
}

static gboolean
member_is (JsonObject *o, const char *key, JsonNodeType type, GType value_type)
{
  JsonNode *n = json_object_get_member (o, key);
  if (n == NULL || JSON_NODE_TYPE (n) != type)
    return FALSE;
  return type != JSON_NODE_VALUE || json_node_get_value_type (n) == value_type;
}

static gboolean
is_hex_sha256 (const char *s)
{
  if (s == NULL || strlen (s) != 64)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

gboolean
nb_certificate_check (JsonObject *doc, GError **error)
{
  g_autoptr (GList) names = json_object_get_members (doc);
  guint i = 0;
  for (GList *l = names; l; l = l->next, i++)
    if (i >= G_N_ELEMENTS (members) || strcmp (l->data, members[i]) != 0)
      {
        g_autofree char *what
            = g_strdup_printf ("member %u is \"%s\", expected %s%s%s", i + 1,
                               (const char *) l->data, i < G_N_ELEMENTS (members) ? "\"" : "",
                               i < G_N_ELEMENTS (members) ? members[i] : "none",
                               i < G_N_ELEMENTS (members) ? "\"" : "");
        return invalid (error, what);
      }
  if (i != G_N_ELEMENTS (members))
    {
      g_autofree char *what = g_strdup_printf ("member \"%s\" is missing", members[i]);
      return invalid (error, what);
    }
  if (g_strcmp0 (get_string (doc, "schema"), NB_CERTIFICATE_SCHEMA) != 0)
    return invalid (error, "schema is not \"" NB_CERTIFICATE_SCHEMA "\"");
  const char *kind = get_string (doc, "kind");
  gboolean certificate = g_strcmp0 (kind, "calibration-certificate") == 0;
  if (!certificate && g_strcmp0 (kind, "verification-report") != 0)
    return invalid (error, "kind is neither calibration-certificate nor verification-report");
  if (certificate ? !member_is (doc, "number", JSON_NODE_VALUE, G_TYPE_STRING)
                  : !member_is (doc, "number", JSON_NODE_NULL, G_TYPE_INVALID))
    return invalid (error, certificate ? "a calibration certificate without a number"
                                       : "a verification report with a number");
  const char *status = get_string (doc, "status");
  gboolean issued = g_strcmp0 (status, "issued") == 0;
  if (!issued && g_strcmp0 (status, "draft") != 0)
    return invalid (error, "status is neither draft nor issued");
  static const char *const objects[]
      = { "laboratory", "customer", "item", "dates", "method", "environment", "results" };
  for (guint j = 0; j < G_N_ELEMENTS (objects); j++)
    if (!member_is (doc, objects[j], JSON_NODE_OBJECT, G_TYPE_INVALID))
      {
        g_autofree char *what = g_strdup_printf ("%s is not an object", objects[j]);
        return invalid (error, what);
      }
  if (!member_is (doc, "standards", JSON_NODE_ARRAY, G_TYPE_INVALID)
      || !member_is (doc, "statements", JSON_NODE_ARRAY, G_TYPE_INVALID)
      || !member_is (doc, "signatures", JSON_NODE_ARRAY, G_TYPE_INVALID))
    return invalid (error, "standards, statements or signatures is not an array");
  if (!certificate && json_array_get_length (json_object_get_array_member (doc, "standards")) > 0)
    return invalid (error, "a verification report names a reference standard");
  if (!member_is (doc, "traceability", JSON_NODE_VALUE, G_TYPE_STRING)
      || !member_is (doc, "run", JSON_NODE_VALUE, G_TYPE_INT64))
    return invalid (error, "traceability is not a string or run is not an integer");
  if (!is_hex_sha256 (get_string (doc, "content_sha256")))
    return invalid (error, "content_sha256 is not 64 lower-case hex digits");
  JsonObject *dates = json_object_get_object_member (doc, "dates");
  if (issued ? get_string (dates, "issued") == NULL
             : !member_is (dates, "issued", JSON_NODE_NULL, G_TYPE_INVALID))
    return invalid (error, issued ? "an issued document without dates.issued"
                                  : "a draft with dates.issued set");
  JsonArray *sigs = json_object_get_array_member (doc, "signatures");
  for (guint j = 0; j < json_array_get_length (sigs); j++)
    {
      JsonNode *n = json_array_get_element (sigs, j);
      JsonObject *s = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
      const char *meaning = get_string (s, "meaning");
      if (s == NULL || get_string (s, "name") == NULL || get_string (s, "role") == NULL
          || get_string (s, "at") == NULL || !is_hex_sha256 (get_string (s, "content_sha256"))
          || !nb_certificate_meaning_valid (meaning))
        {
          g_autofree char *what = g_strdup_printf ("signature %u is malformed", j + 1);
          return invalid (error, what);
        }
    }
  JsonNode *lab = json_object_get_member (doc, "lab_signature");
  if (JSON_NODE_HOLDS_OBJECT (lab))
    {
      JsonObject *o = json_node_get_object (lab);
      if (g_strcmp0 (get_string (o, "algorithm"), "ed25519") != 0
          || get_string (o, "key_id") == NULL || get_string (o, "signature") == NULL)
        return invalid (error, "lab_signature is not {algorithm \"ed25519\", key_id, signature}");
    }
  else if (!JSON_NODE_HOLDS_NULL (lab))
    return invalid (error, "lab_signature is neither an object nor null");
  return TRUE;
}
