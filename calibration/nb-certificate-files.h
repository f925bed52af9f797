/* nb-certificate-files.h: what the CLI (`certificate`, `sign`) and the app share to make a
 * certificate and write it out: the store's callbacks that build the draft document for a new
 * number and the issued document on approval, and the writing of every rendering (JSON, CSV,
 * DCC XML, PDF) to a folder. Moved here from app/cli so that both use the same code. */
#pragma once

#include <json-glib/json-glib.h>

#include "nb-certificate.h"
#include "nb-lab-key.h"
#include "nb-store-certificates.h"

G_BEGIN_DECLS

/* What nb_certificate_build_draft () needs: the store (inside its transaction), the run, and
 * what the certificate says beyond the run. */
typedef struct
{
  NbStore *store;
  gint64 run_id;
  NbCertificateInfo info;
} NbCertificateDraftContext;

/* nb_certificate_build_draft: an NbStoreCertificateBuildFunc (@user_data an
 * NbCertificateDraftContext): the draft document of the run for the number just allocated. */
char *nb_certificate_build_draft (const char *number, char **content_sha256, gpointer user_data,
                                  GError **error);

/* nb_certificate_issue_document: an NbStoreCertificateIssueFunc (@user_data the NbLabKey with its
 * secret half): the draft with every signature of its record, the issue time and the
 * laboratory's signature. Runs inside the store's transaction. */
char *nb_certificate_issue_document (const NbStoreCertificate *cert, GPtrArray *signatures,
                                     gint64 issued_at, char **content_sha256, gpointer user_data,
                                     GError **error);

/* nb_certificate_files_base: (transfer full) the files' name without extension: the number, or
 * "verification-report-run-RUN" for a document without one. */
char *nb_certificate_files_base (JsonObject *doc, gint64 run_id);

/* nb_certificate_write_files: writes @doc (canonical @text) into @dir as BASE.json (with a
 * newline), BASE.csv, BASE.dcc.xml (a calibration certificate only) and BASE.pdf, the PDF sealed
 * with @key when @key is given (nb-certificate-seal.h: an issued certificate, with the key that
 * signed it), each through a temporary file (an earlier rendering is replaced, a link or anything
 * but a regular file never). Appends the paths written to @written (element-type filename, may
 * be NULL). NB_STORE_ERROR (_IO, _FULL, _INVALID for a target that is not a regular file), the
 * renderer's or the seal's error. */
gboolean nb_certificate_write_files (const char *dir, const char *base, JsonObject *doc,
                                     const char *text, NbLabKey *key, GPtrArray *written,
                                     GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
