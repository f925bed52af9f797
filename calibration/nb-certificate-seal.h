/* nb-certificate-seal.h: a certificate PDF that carries its own document and the laboratory's
 * signature of every byte, so that a customer can check the PDF itself, without the database
 * (docs/certificate.md, "A certificate in a PDF").
 *
 * The seal is a trailer of PDF comment lines appended after the PDF's %%EOF (readers ignore
 * them and take the last %%EOF as the end):
 *
 *   PDF bytes
 *   "\n%NeedleBench-Certificate " NUMBER (or "-" for a verification report) " " CONTENT_SHA256
 *   "\n%NeedleBench-Document " base64 of the canonical document (with its lab_signature)
 *   "\n%NeedleBench-Signature " base64 of the Ed25519 signature of every byte before this line
 *   "\n%%EOF\n"
 *
 * The signed bytes are the PDF and the first two trailer lines, each with its newline. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "nb-certificate.h"
#include "nb-lab-key.h"

G_BEGIN_DECLS

/* nb_certificate_seal_pdf: (transfer full) @pdf with the seal appended. @doc must be issued and
 * verify with @key (nb_certificate_verify), which must hold its secret half; @pdf must start
 * with "%PDF-" and end (but for white space) with "%%EOF". NB_CERTIFICATE_ERROR_INVALID or the
 * error of nb_certificate_verify otherwise. */
GBytes *nb_certificate_seal_pdf (GBytes *pdf, JsonObject *doc, NbLabKey *key,
                                 GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* What nb_certificate_unseal_pdf finds in a sealed PDF. */
typedef struct
{
  JsonNode *doc;        /* the embedded document (nb_certificate_parse: structure checked) */
  char *number;         /* the certificate line's number, NULL for "-" */
  char *content_sha256; /* the certificate line's content hash */
  char *signature;      /* the base64 signature of the signature line */
  gsize signed_length;  /* the bytes [0, signed_length) are what the signature covers */
  gsize pdf_length;     /* the bytes [0, pdf_length) are the PDF as it was before sealing */
} NbCertificateSeal;

/* nb_certificate_unseal_pdf: (transfer full) the seal of @file after checking its structure:
 * the four trailer lines at the very end in order, nothing after them, the document line the
 * base64 (in its one canonical spelling) of a certificate document in canonical form, and the
 * certificate line naming that document's number and content hash. It does not check any
 * signature: see nb_certificate_verify_pdf. NB_CERTIFICATE_ERROR_INVALID saying what is wrong,
 * or NB_CERTIFICATE_ERROR_NOT_SIGNED when the file has no seal at all. */
NbCertificateSeal *nb_certificate_unseal_pdf (GBytes *file,
                                              GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_certificate_verify_pdf: unseals @file, checks the signature line over the signed bytes with
 * @key (NB_CERTIFICATE_ERROR_BAD_SIGNATURE: a byte of the PDF or of the trailer was changed, or
 * another key sealed it) and the embedded document (nb_certificate_verify). On success returns
 * the seal (transfer full). */
NbCertificateSeal *nb_certificate_verify_pdf (GBytes *file, NbLabKey *key,
                                              GError **error) G_GNUC_WARN_UNUSED_RESULT;

void nb_certificate_seal_free (NbCertificateSeal *seal);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbCertificateSeal, nb_certificate_seal_free)

G_END_DECLS
