/* nb-certificate-sign.c: user signatures (21 CFR 11.50, 11.70), issuing, and the laboratory's
 * Ed25519 signature of a certificate document, and verifying all of them (nb-certificate.h). */
#include <string.h>

#include "nb-certificate-private.h"
#include "nb-certificate.h"

static const char *
string_member (JsonObject *o, const char *key)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, key) : NULL;
  if (n == NULL || JSON_NODE_TYPE (n) != JSON_NODE_VALUE
      || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
is_draft (JsonObject *doc)
{
  return g_strcmp0 (string_member (doc, "status"), "draft") == 0;
}

static gboolean
has_approval (JsonObject *doc)
{
  JsonArray *sigs = json_object_get_array_member (doc, "signatures");
  for (guint i = 0; sigs != NULL && i < json_array_get_length (sigs); i++)
    if (g_strcmp0 (string_member (json_array_get_object_element (sigs, i), "meaning"), "approved")
        == 0)
      return TRUE;
  return FALSE;
}

gboolean
nb_certificate_add_signature (JsonObject *doc, const char *name, const char *role,
                              const char *meaning, const char *at, GError **error)
{
  if (!nb_certificate_check (doc, error))
    return FALSE;
  if (!is_draft (doc))
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
                   "the document is issued: it cannot be signed any more");
      return FALSE;
    }
  if (name == NULL || *name == '\0' || role == NULL || at == NULL
      || !nb_certificate_meaning_valid (meaning))
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
                   "a signature needs a name, a role, a time and a meaning (performed, "
                   "reviewed or approved)");
      return FALSE;
    }
  /* bind the signature to the content as it is now, recomputed, not as the document claims */
  g_autofree char *hash = nb_certificate_content_hash (doc);
  JsonObject *s = json_object_new ();
  json_object_set_string_member (s, "name", name);
  json_object_set_string_member (s, "role", role);
  json_object_set_string_member (s, "meaning", meaning);
  json_object_set_string_member (s, "at", at);
  json_object_set_string_member (s, "content_sha256", hash);
  json_array_add_object_element (json_object_get_array_member (doc, "signatures"), s);
  return TRUE;
}

gboolean
nb_certificate_issue (JsonObject *doc, const char *issued_at, GError **error)
{
  if (!nb_certificate_check (doc, error))
    return FALSE;
  if (!is_draft (doc) || issued_at == NULL)
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
                   "only a draft can be issued, at a given time");
      return FALSE;
    }
  if (!has_approval (doc))
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_NOT_SIGNED,
                   "the document has no approver's signature: it cannot be issued");
      return FALSE;
    }
  json_object_set_string_member (doc, "status", "issued");
  json_object_set_string_member (json_object_get_object_member (doc, "dates"), "issued", issued_at);
  return TRUE;
}

gboolean
nb_certificate_sign_lab (JsonObject *doc, NbLabKey *key, GError **error)
{
  if (!nb_certificate_check (doc, error))
    return FALSE;
  if (is_draft (doc))
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_NOT_SIGNED,
                   "a draft is not signed by the laboratory: issue it first");
      return FALSE;
    }
  if (!nb_lab_key_has_secret (key))
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
                   "the laboratory key has no secret half: it can verify, not sign");
      return FALSE;
    }
  /* the signature covers the document without its lab_signature, which is null meanwhile */
  json_object_set_null_member (doc, "lab_signature");
  g_autoptr (GBytes) bytes = nb_certificate_signed_bytes (doc);
  gsize len = 0;
  const void *data = g_bytes_get_data (bytes, &len);
  g_autofree char *sig = nb_lab_key_sign (key, data, len);
  g_autofree char *id = nb_lab_key_id (key);
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "algorithm", "ed25519");
  json_object_set_string_member (o, "key_id", id);
  json_object_set_string_member (o, "signature", sig);
  json_object_set_object_member (doc, "lab_signature", o);
  return TRUE;
}

gboolean
nb_certificate_verify (JsonObject *doc, NbLabKey *key, GError **error)
{
  if (!nb_certificate_check (doc, error))
    return FALSE;
  const char *claimed = string_member (doc, "content_sha256");
  g_autofree char *hash = nb_certificate_content_hash (doc);
  if (strcmp (hash, claimed) != 0)
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_BAD_HASH,
                   "the content was changed: its SHA-256 is %s, the document says %s", hash,
                   claimed);
      return FALSE;
    }
  JsonArray *sigs = json_object_get_array_member (doc, "signatures");
  for (guint i = 0; i < json_array_get_length (sigs); i++)
    {
      JsonObject *s = json_array_get_object_element (sigs, i);
      if (strcmp (string_member (s, "content_sha256"), hash) != 0)
        {
          g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_BAD_SIGNATURE,
                       "signature %u (%s, %s) was made on other content (%s), not on this "
                       "document",
                       i + 1, string_member (s, "name"), string_member (s, "meaning"),
                       string_member (s, "content_sha256"));
          return FALSE;
        }
    }
  if (is_draft (doc))
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_NOT_SIGNED,
                   "a draft: not issued, and not signed by the laboratory");
      return FALSE;
    }
  if (!has_approval (doc))
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_NOT_SIGNED,
                   "issued without an approver's signature");
      return FALSE;
    }
  JsonNode *lab = json_object_get_member (doc, "lab_signature");
  if (!JSON_NODE_HOLDS_OBJECT (lab))
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_NOT_SIGNED,
                   "no laboratory signature");
      return FALSE;
    }
  JsonObject *o = json_node_get_object (lab);
  g_autofree char *id = nb_lab_key_id (key);
  if (g_strcmp0 (string_member (o, "key_id"), id) != 0)
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_BAD_SIGNATURE,
                   "signed with laboratory key %s, not with the key given (%s)",
                   string_member (o, "key_id"), id);
      return FALSE;
    }
  g_autoptr (GBytes) bytes = nb_certificate_signed_bytes (doc);
  gsize len = 0;
  const void *data = g_bytes_get_data (bytes, &len);
  g_autoptr (GError) local = NULL;
  if (!nb_lab_key_verify (key, data, len, string_member (o, "signature"), &local))
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_BAD_SIGNATURE,
                   "the laboratory signature does not verify: %s", local->message);
      return FALSE;
    }
  return TRUE;
}
