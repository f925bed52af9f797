/* nb-certificate-seal.c: the signed trailer of a certificate PDF (nb-certificate-seal.h). */
#include "nb-certificate-seal.h"

#include <string.h>

#define CERT_TAG "%NeedleBench-Certificate "
#define DOC_TAG "%NeedleBench-Document "
#define SIG_TAG "%NeedleBench-Signature "
#define EOF_LINE "%%EOF\n"

/* A PDF ends with %%EOF, possibly followed by an end of line (ISO 32000 7.5.5); a reader looks
 * for it within the last 1024 bytes. */
static gboolean
looks_like_pdf (const char *data, gsize len)
{
  if (len < 5 + 5 || memcmp (data, "%PDF-", 5) != 0)
    return FALSE;
  gsize end = len;
  while (end > 0 && (data[end - 1] == '\n' || data[end - 1] == '\r' || data[end - 1] == ' '))
    end--;
  return end >= 5 && memcmp (data + end - 5, "%%EOF", 5) == 0;
}

GBytes *
nb_certificate_seal_pdf (GBytes *pdf, JsonObject *doc, NbLabKey *key, GError **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (pdf, &len);
  if (data == NULL || !looks_like_pdf (data, len))
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
                   "not a PDF: it must start with %%PDF- and end with %%%%EOF");
      return NULL;
    }
  if (!nb_lab_key_has_secret (key))
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
                   "the laboratory key has no secret half: it cannot seal");
      return NULL;
    }
  /* only what a customer's check will accept is sealed */
  if (!nb_certificate_verify (doc, key, error))
    {
      g_prefix_error (error, "sealing the PDF: ");
      return NULL;
    }
  gsize doc_len = 0;
  g_autofree char *canonical = nb_certificate_to_canonical (doc, &doc_len);
  g_autofree char *doc_b64 = g_base64_encode ((const guchar *) canonical, doc_len);
  const char *number = json_object_get_string_member_with_default (doc, "number", NULL);
  const char *hash = json_object_get_string_member (doc, "content_sha256");

  GString *out = g_string_sized_new (len + doc_len * 4 / 3 + 512);
  g_string_append_len (out, data, (gssize) len);
  g_string_append_printf (out, "\n%s%s %s\n%s%s\n", CERT_TAG, number != NULL ? number : "-", hash,
                          DOC_TAG, doc_b64);
  g_autofree char *sig = nb_lab_key_sign (key, out->str, out->len);
  g_string_append_printf (out, "%s%s\n%s", SIG_TAG, sig, EOF_LINE);
  gsize out_len = out->len;
  return g_bytes_new_take (g_string_free (out, FALSE), out_len);
}

void
nb_certificate_seal_free (NbCertificateSeal *seal)
{
  if (seal == NULL)
    return;
  g_clear_pointer (&seal->doc, json_node_unref);
  g_free (seal->number);
  g_free (seal->content_sha256);
  g_free (seal->signature);
  g_free (seal);
}

static gboolean
bad_seal (GError **error, const char *what)
{
  g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
               "the certificate seal at the end of the PDF is damaged: %s", what);
  return FALSE;
}

/* line_start: the offset of the line that ends just before @end (exclusive of its '\n'),
 * i.e. one past the previous '\n'; G_MAXSIZE when there is none. */
static gsize
line_start (const char *data, gsize end)
{
  for (gsize i = end; i > 0; i--)
    if (data[i - 1] == '\n')
      return i;
  return G_MAXSIZE;
}

/* the text of a trailer line [start, end) after @tag, as a string; NULL if the tag is wrong or
 * the line holds anything but printable ASCII */
static char *
line_value (const char *data, gsize start, gsize end, const char *tag)
{
  gsize tag_len = strlen (tag);
  if (end - start <= tag_len || memcmp (data + start, tag, tag_len) != 0)
    return NULL;
  for (gsize i = start + tag_len; i < end; i++)
    {
      unsigned char c = (unsigned char) data[i];
      if (c < 0x20 || c > 0x7e)
        return NULL;
    }
  return g_strndup (data + start + tag_len, end - start - tag_len);
}

NbCertificateSeal *
nb_certificate_unseal_pdf (GBytes *file, GError **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (file, &len);
  if (data == NULL || len < 5 || memcmp (data, "%PDF-", 5) != 0)
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID, "not a PDF");
      return NULL;
    }
  gsize eof_len = strlen (EOF_LINE);
  if (len < eof_len || memcmp (data + len - eof_len, EOF_LINE, eof_len) != 0
      || memmem (data, len, "\n" SIG_TAG, strlen ("\n" SIG_TAG)) == NULL)
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_NOT_SIGNED,
                   "the PDF carries no NeedleBench certificate seal (or something follows it)");
      return NULL;
    }
  /* the lines, from the end: %%EOF, signature, document, certificate */
  gsize eof_start = len - eof_len;
  if (eof_start == 0 || data[eof_start - 1] != '\n')
    {
      bad_seal (error, "its lines are missing");
      return NULL;
    }
  gsize sig_start = line_start (data, eof_start - 1);
  gsize doc_start
      = sig_start != G_MAXSIZE && sig_start > 0 ? line_start (data, sig_start - 1) : G_MAXSIZE;
  gsize cert_start
      = doc_start != G_MAXSIZE && doc_start > 0 ? line_start (data, doc_start - 1) : G_MAXSIZE;
  if (sig_start == G_MAXSIZE || doc_start == G_MAXSIZE || cert_start == G_MAXSIZE || cert_start < 2)
    {
      bad_seal (error, "its lines are missing");
      return NULL;
    }
  g_autoptr (NbCertificateSeal) seal = g_new0 (NbCertificateSeal, 1);
  seal->signed_length = sig_start;
  seal->pdf_length = cert_start - 1; /* the newline before the trailer is the seal's */
  seal->signature = line_value (data, sig_start, eof_start - 1, SIG_TAG);
  g_autofree char *doc_b64 = line_value (data, doc_start, sig_start - 1, DOC_TAG);
  g_autofree char *cert = line_value (data, cert_start, doc_start - 1, CERT_TAG);
  if (seal->signature == NULL || doc_b64 == NULL || cert == NULL)
    {
      bad_seal (error, "the last lines are not the certificate, document and signature lines");
      return NULL;
    }
  if (!looks_like_pdf (data, seal->pdf_length))
    {
      bad_seal (error, "the PDF before it does not end with %%EOF");
      return NULL;
    }
  g_auto (GStrv) fields = g_strsplit (cert, " ", -1);
  if (g_strv_length (fields) != 2)
    {
      bad_seal (error, "the certificate line is not NUMBER CONTENT_SHA256");
      return NULL;
    }
  gsize doc_len = 0;
  g_autofree guchar *doc_text = g_base64_decode (doc_b64, &doc_len);
  g_autofree char *again = g_base64_encode (doc_text, doc_len);
  if (doc_len == 0 || strcmp (again, doc_b64) != 0)
    {
      bad_seal (error, "the document line is not base64");
      return NULL;
    }
  g_autoptr (GError) local = NULL;
  seal->doc = nb_certificate_parse ((const char *) doc_text, (gssize) doc_len, &local);
  if (seal->doc == NULL)
    {
      g_autofree char *what = g_strdup_printf ("the embedded document: %s", local->message);
      bad_seal (error, what);
      return NULL;
    }
  JsonObject *doc = json_node_get_object (seal->doc);
  gsize canon_len = 0;
  g_autofree char *canon = nb_certificate_to_canonical (doc, &canon_len);
  if (canon_len != doc_len || memcmp (canon, doc_text, doc_len) != 0)
    {
      bad_seal (error, "the embedded document is not in canonical form");
      return NULL;
    }
  const char *number = json_object_get_string_member_with_default (doc, "number", NULL);
  const char *hash = json_object_get_string_member (doc, "content_sha256");
  if (strcmp (fields[0], number != NULL ? number : "-") != 0 || strcmp (fields[1], hash) != 0)
    {
      bad_seal (error, "the certificate line does not name the embedded document's number and "
                       "content hash");
      return NULL;
    }
  seal->number = number != NULL ? g_strdup (number) : NULL;
  seal->content_sha256 = g_strdup (hash);
  return g_steal_pointer (&seal);
}

NbCertificateSeal *
nb_certificate_verify_pdf (GBytes *file, NbLabKey *key, GError **error)
{
  g_autoptr (NbCertificateSeal) seal = nb_certificate_unseal_pdf (file, error);
  if (seal == NULL)
    return NULL;
  g_autoptr (GError) local = NULL;
  if (!nb_lab_key_verify (key, g_bytes_get_data (file, NULL), seal->signed_length, seal->signature,
                          &local))
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_BAD_SIGNATURE,
                   "the PDF's seal does not verify (%s): a byte of the PDF was changed or another "
                   "key sealed it",
                   local->message);
      return NULL;
    }
  if (!nb_certificate_verify (json_node_get_object (seal->doc), key, error))
    {
      g_prefix_error (error, "the PDF's embedded certificate: ");
      return NULL;
    }
  return g_steal_pointer (&seal);
}
