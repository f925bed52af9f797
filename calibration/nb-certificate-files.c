/* nb-certificate-files.c: the store callbacks that make a certificate's draft and issued
 * documents, and the writing of its renderings (moved from app/cli/nb-cli-certificate.c and
 * nb-cli-sign.c so that the app writes the same files the same way). */
#include "nb-certificate-files.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nb-certificate-pdf.h"
#include "nb-certificate-seal.h"
#include "nb-dcc.h"
#include "nb-file-output.h"

char *
nb_certificate_build_draft (const char *number, char **content_sha256, gpointer user_data,
                            GError **error)
{
  NbCertificateDraftContext *ctx = user_data;
  g_autoptr (JsonNode) doc
      = nb_certificate_build_from_store (ctx->store, ctx->run_id, number, &ctx->info, error);
  if (doc == NULL)
    return NULL;
  JsonObject *o = json_node_get_object (doc);
  *content_sha256 = g_strdup (json_object_get_string_member (o, "content_sha256"));
  return nb_certificate_to_canonical (o, NULL);
}

/* ISO 8601 UTC to the second, as the document writes times. */
static char *
iso_time (gint64 us)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  return t ? g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

char *
nb_certificate_issue_document (const NbStoreCertificate *cert, GPtrArray *signatures,
                               gint64 issued_at, char **content_sha256, gpointer user_data,
                               GError **error)
{
  NbLabKey *key = user_data;
  g_autoptr (JsonNode) node = nb_certificate_parse (cert->document, -1, error);
  if (node == NULL)
    return NULL;
  JsonObject *doc = json_node_get_object (node);
  for (guint i = 0; i < signatures->len; i++)
    {
      const NbStoreSignature *s = signatures->pdata[i];
      g_autofree char *at = iso_time (s->at);
      if (g_strcmp0 (s->content_sha256, cert->content_sha256) != 0)
        {
          g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT,
                       "signature %" G_GINT64_FORMAT " is not bound to this record", s->id);
          return NULL;
        }
      if (!nb_certificate_add_signature (doc, s->display_name, nb_user_role_to_string (s->role),
                                         nb_sign_meaning_to_string (s->meaning), at, error))
        return NULL;
    }
  g_autofree char *issued = iso_time (issued_at);
  if (!nb_certificate_issue (doc, issued, error) || !nb_certificate_sign_lab (doc, key, error))
    return NULL;
  *content_sha256 = nb_certificate_content_hash (doc);
  return nb_certificate_to_canonical (doc, NULL);
}

char *
nb_certificate_files_base (JsonObject *doc, gint64 run_id)
{
  const char *number = json_object_get_string_member_with_default (doc, "number", NULL);
  return number ? g_strdup (number)
                : g_strdup_printf ("verification-report-run-%" G_GINT64_FORMAT, run_id);
}

/* Writes @len bytes of @data to DIR/NAME through a temporary file (replacing an earlier
 * rendering, never a link or anything but a regular file). */
static gboolean
write_file (const char *dir, const char *name, const void *data, gsize len, GPtrArray *written,
            GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (NbFileOutput) out = nb_file_output_open (path, NB_FILE_OUTPUT_FORCE, error);
  if (out == NULL)
    return FALSE;
  FILE *f = nb_file_output_get_stream (out);
  if (fwrite (data, 1, len, f) != len)
    {
      int e = errno;
      g_set_error (error, NB_STORE_ERROR, e == ENOSPC ? NB_STORE_ERROR_FULL : NB_STORE_ERROR_IO,
                   "Writing %s: %s", path, g_strerror (e));
      return FALSE;
    }
  if (!nb_file_output_commit (g_steal_pointer (&out), error))
    return FALSE;
  if (written)
    g_ptr_array_add (written, g_steal_pointer (&path));
  return TRUE;
}

gboolean
nb_certificate_write_files (const char *dir, const char *base, JsonObject *doc, const char *text,
                            NbLabKey *key, GPtrArray *written, GError **error)
{
  gboolean certificate = json_object_get_string_member_with_default (doc, "number", NULL) != NULL;
  g_autofree char *json_name = g_strconcat (base, ".json", NULL);
  g_autofree char *json_text = g_strconcat (text, "\n", NULL);
  if (!write_file (dir, json_name, json_text, strlen (json_text), written, error))
    return FALSE;
  g_autofree char *csv = nb_certificate_results_csv (doc, error);
  g_autofree char *csv_name = g_strconcat (base, ".csv", NULL);
  if (csv == NULL || !write_file (dir, csv_name, csv, strlen (csv), written, error))
    return FALSE;
  if (certificate)
    {
      g_autofree char *xml = nb_dcc_write (doc, error);
      g_autofree char *xml_name = g_strconcat (base, ".dcc.xml", NULL);
      if (xml == NULL || !write_file (dir, xml_name, xml, strlen (xml), written, error))
        return FALSE;
    }
  g_autoptr (GBytes) pdf = nb_certificate_pdf_render (doc, error);
  if (pdf != NULL && key != NULL)
    {
      GBytes *sealed = nb_certificate_seal_pdf (pdf, doc, key, error);
      g_bytes_unref (pdf);
      pdf = sealed;
    }
  g_autofree char *pdf_name = g_strconcat (base, ".pdf", NULL);
  gsize pdf_len = 0;
  const void *pdf_data = pdf ? g_bytes_get_data (pdf, &pdf_len) : NULL;
  return pdf != NULL && write_file (dir, pdf_name, pdf_data, pdf_len, written, error);
}
