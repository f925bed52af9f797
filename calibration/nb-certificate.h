/* nb-certificate.h: the calibration certificate as a document (docs/certificate.md): one JSON
 * object that the PDF (nb-certificate-pdf.h), the Digital Calibration Certificate (nb-dcc.h), the
 * CSV of the results and `report verify` are all made from, so they can never disagree.
 *
 * The document, in this key order (a JSON object; json-glib keeps member order):
 *
 *   schema        "needlebench-certificate/1"
 *   kind          "calibration-certificate" (a traceable run) or "verification-report" (a pen
 *                 self-check, or a run without a valid standard: never a certificate number)
 *   number        "PREFIX-YYYY-NNNNNN", unique and sequential per laboratory; null for a
 *                 verification report
 *   status        "draft" (not yet approved: every rendering says DRAFT) or "issued"
 *   laboratory    {name, address, location}: location = where the work was done
 *   customer      {name, address} (customer-supplied, marked as such)
 *   item          {model, serial, firmware, condition}: condition as received (free text)
 *   dates         {received (YYYY-MM-DD), calibrated (ISO 8601 UTC start of the run),
 *                  calibrated_end (ISO 8601 UTC), issued (ISO 8601 UTC, null while draft)}
 *   method        {profile, profile_version, profile_title, rule, procedure} (procedure: the
 *                 method document and version, "NeedleBench calibration method, docs/
 *                 calibration-method.md")
 *   environment   {temperature_c, humidity_pct} (null when not measured)
 *   standards     [{serial, model, certificate, U_mm, k, due}] (empty for a verification report)
 *   traceability  the statement of metrological traceability (text), or the reason it is not
 *                 traceable
 *   results       the run's document, exactly as `needlebench-cli run show RUN --json` gives it
 *                 (nb_run_result_load_json, without raw strokes): points with as_found/as_left,
 *                 rate_points, indication, tables before and after, verdict, rule
 *   statements    [text]: "The results relate only to the item calibrated.", the decision rule
 *                 and what a verdict at a limit gets, "This certificate shall not be reproduced
 *                 except in full without the laboratory's approval."
 *   run           the run id in the laboratory's database
 *   content_sha256  hex SHA-256 of the canonical serialisation of every member above
 *                   (nb_certificate_content_hash) except status and dates.issued, which record
 *                   the issue that follows the signatures: what user signatures bind to
 *   signatures    [{name, role, meaning ("performed", "reviewed", "approved"), at (ISO 8601
 *                  UTC), content_sha256}] (21 CFR 11.50: printed name, date and time, meaning)
 *   lab_signature {algorithm "ed25519", key_id (hex SHA-256 of the public key, first 16 chars),
 *                  signature (base64) over nb_certificate_signed_bytes ()} or null while draft
 *
 * Canonical serialisation (nb-canonical-json.h): compact, the members in the order above, doubles
 * in their shortest round-trip form, exactly as Python's json.dumps (separators=(",", ":"),
 * ensure_ascii=False) writes the same document, so parsing and re-serialising a document gives
 * the same bytes. Not json_generator: json-glib 1.6 writes doubles with 17 digits. A certificate
 * file (.json) is the canonical serialisation and a newline. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "nb-lab-key.h"
#include "nb-store.h"

G_BEGIN_DECLS

#define NB_CERTIFICATE_SCHEMA "needlebench-certificate/1"

#define NB_CERTIFICATE_ERROR (nb_certificate_error_quark ())
GQuark nb_certificate_error_quark (void);

typedef enum
{
  NB_CERTIFICATE_ERROR_INVALID,       /* not a certificate document, a key missing or mistyped */
  NB_CERTIFICATE_ERROR_NOT_SIGNED,    /* no laboratory signature (a draft) */
  NB_CERTIFICATE_ERROR_BAD_HASH,      /* content_sha256 does not match the content */
  NB_CERTIFICATE_ERROR_BAD_SIGNATURE, /* the laboratory or a user signature does not verify */
  NB_CERTIFICATE_ERROR_MISMATCH,      /* differs from the laboratory's records */
} NbCertificateError;

/* What a certificate says beyond the run. Strings may be NULL where marked. */
typedef struct
{
  const char *lab_name;     /* required */
  const char *lab_address;  /* required */
  const char *lab_location; /* where the work was done; NULL: the lab's address */
  const char *customer_name;
  const char *customer_address;
  const char
      *condition;       /* the item's condition as received; NULL: "as received, no damage noted" */
  const char *received; /* YYYY-MM-DD; NULL: the run's date */
  /* added with the implementation */
  const char *profile_title;    /* the profile's title; NULL: null */
  const char *environment_json; /* the run's stored environment (NbStoreRun.environment_json,
                                 * {"temperature_c": …, "humidity_pct": …}); NULL: not measured */
} NbCertificateInfo;

/* nb_certificate_build: (transfer full) a draft document for the run whose document is
 * @run_doc (nb_run_result_load_json without raw), numbered @number (NULL for a verification
 * report, which a run that is not traceable always is), with content_sha256 filled, no
 * signatures, issued null, lab_signature null. */
JsonNode *nb_certificate_build (JsonNode *run_doc, const char *number,
                                const NbCertificateInfo *info,
                                GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_certificate_content_hash: (transfer full) the hex SHA-256 of the canonical serialisation of
 * the content members (schema … run) of @doc. */
char *nb_certificate_content_hash (JsonObject *doc);

/* nb_certificate_signed_bytes: (transfer full) what the laboratory signature covers: the
 * canonical serialisation of @doc without its lab_signature member. */
GBytes *nb_certificate_signed_bytes (JsonObject *doc);

/* nb_certificate_to_canonical: (transfer full) the canonical serialisation of @doc. */
char *nb_certificate_to_canonical (JsonObject *doc, gsize *length);

/* nb_certificate_results_csv: (transfer full) the results as CSV (header row first): phase,
 * quantity, target, rate_hz, n, mean, sd, error, u, U, k, nu_eff, verdict, pfa, unit. */
char *nb_certificate_results_csv (JsonObject *doc, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Added with the implementation. */

/* nb_certificate_build_from_store: (transfer full) nb_certificate_build () for stored run
 * @run_id: its document (nb_run_result_load_json without raw), and @info with profile_title and
 * environment_json taken from the run's record when @info leaves them NULL. */
JsonNode *nb_certificate_build_from_store (NbStore *store, gint64 run_id, const char *number,
                                           const NbCertificateInfo *info,
                                           GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_certificate_parse: (transfer full) the document in @data (@len bytes, or -1 for a NUL-
 * terminated string), checked as nb_certificate_check () does. NB_CERTIFICATE_ERROR_INVALID
 * for text that is not JSON or not a certificate document. */
JsonNode *nb_certificate_parse (const char *data, gssize len,
                                GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_certificate_check: whether @doc has the members above in that order with their types, a
 * known schema and kind, a number only on a calibration certificate, issued set exactly when
 * the status is "issued", and well-formed signatures. NB_CERTIFICATE_ERROR_INVALID naming the
 * member otherwise. */
gboolean nb_certificate_check (JsonObject *doc, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_certificate_add_signature: appends a user signature {name, role, meaning, at,
 * content_sha256 = the document's} to a draft. @meaning "performed", "reviewed" or "approved";
 * @at ISO 8601 UTC. NB_CERTIFICATE_ERROR_INVALID for an issued document or a bad meaning. */
gboolean nb_certificate_add_signature (JsonObject *doc, const char *name, const char *role,
                                       const char *meaning, const char *at,
                                       GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_certificate_issue: sets status "issued" and dates.issued = @issued_at (ISO 8601 UTC) on a
 * draft that carries an "approved" signature (NB_CERTIFICATE_ERROR_NOT_SIGNED otherwise). The
 * content hash is unchanged (it leaves status and dates.issued out). */
gboolean nb_certificate_issue (JsonObject *doc, const char *issued_at,
                               GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_certificate_sign_lab: fills lab_signature of an issued @doc with @key's Ed25519 signature
 * of nb_certificate_signed_bytes (). NB_CERTIFICATE_ERROR_NOT_SIGNED for a draft (it is never
 * signed by the laboratory), _INVALID for a key without its secret half. */
gboolean nb_certificate_sign_lab (JsonObject *doc, NbLabKey *key,
                                  GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_certificate_verify: checks @doc against itself and the laboratory's public key @key: the
 * structure (nb_certificate_check, _INVALID), the content hash recomputed (_BAD_HASH), every user
 * signature bound to that hash (_BAD_SIGNATURE: a signature moved from another record), an
 * issued calibration certificate approved, and the laboratory signature over the signed bytes
 * by @key (_NOT_SIGNED for a draft or a missing signature, _BAD_SIGNATURE for another key or
 * changed bytes). The message says what failed. */
gboolean nb_certificate_verify (JsonObject *doc, NbLabKey *key,
                                GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_certificate_verify_records: checks @doc against the laboratory's database: a numbered
 * certificate's record (nb-store-certificates.h) exists, is not voided, is of the same run and
 * has the same content hash (not a superseded revision), and an issued document is exactly the
 * one stored when it was issued; run `run` exists, its stored result document is exactly
 * `results`, and every figure's stored raw readings give its n and, to the precision stated,
 * its mean (NB_CERTIFICATE_ERROR_MISMATCH saying which; a store error as it is). The signatures
 * are nb_certificate_verify's job. */
gboolean nb_certificate_verify_records (JsonObject *doc, NbStore *store,
                                        GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
