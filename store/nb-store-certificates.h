/* nb-store-certificates.h: the records behind a calibration certificate (ISO/IEC 17025 §7.8,
 * 21 CFR Part 11): the laboratory's settings, the people who sign (users with a role and an
 * Argon2id password hash), the certificates with their numbers and every state they went
 * through, and the electronic signatures.
 *
 * Everything is append-only (SQL triggers refuse UPDATE and DELETE) and every write appends an
 * audit entry (nb-audit.h) in the same transaction:
 * - laboratory settings: each `lab set` is a new record; the newest is in force ("lab.set");
 * - users: a new name is a record ("user.add"); a change of display name, role, password or
 *   active flag is a new record for the name ("user.change"); the newest is in force;
 * - certificates: one row per certificate number (PREFIX-YYYY-NNNNNN: the laboratory's prefix,
 *   the UTC year of issue, the sequence number within prefix and year from 1), allocated in the
 *   same IMMEDIATE transaction that inserts the certificate's first record, so a process killed
 *   while creating one leaves either both or neither: numbers are never skipped or reused. The
 *   schema enforces it too (UNIQUE, and a new seq must be the previous maximum + 1);
 * - certificate records: the states of a certificate, newest in force: revision 1 "draft"
 *   ("certificate.create"); "issued" once an approver signed ("certificate.issue"); a correction
 *   is a new draft revision superseding the newest record ("certificate.revise"); "voided" with
 *   a reason ("certificate.void"), after which nothing is added. Every record but the first
 *   names the one it supersedes;
 * - signatures: user, meaning (performed, reviewed, approved), time and the content hash of the
 *   draft record signed ("certificate.sign"). The store refuses a hash that is not the draft's
 *   (11.70: a signature cannot be moved to another record), a signature on anything but the
 *   newest draft, a wrong password, an inactive user, and an approval by anyone but an approver.
 *
 * Only a complete, traceable run (nb-store-runs.h) gets a certificate; a verification report
 * (a pen self-check) has no number and no record here. */
#pragma once

#include "nb-store.h"

G_BEGIN_DECLS

#define NB_LAB_TEXT_MAX 200  /* characters of a laboratory's name, address or location */
#define NB_LAB_PREFIX_MAX 12 /* characters of a certificate number prefix: A-Z and 0-9 */
#define NB_LAB_DEFAULT_PREFIX "NB"
#define NB_USER_NAME_MAX 64 /* characters of a user name or display name */
#define NB_PASSWORD_MIN 8   /* bytes of a password */
#define NB_PASSWORD_MAX 1024
#define NB_CERTIFICATE_REASON_MAX 200

/* --- laboratory settings --- */

typedef struct
{
  const char *name;     /* required */
  const char *address;  /* required, one line */
  const char *location; /* where the work is done; NULL: the address */
  const char *prefix;   /* A-Z, 0-9, 1 to 12; NULL: the previous record's, else "NB" */
  const char *set_by;   /* the audit actor; NULL = login name */
} NbStoreLabParams;

typedef struct
{
  gint64 id;
  char *name;
  char *address;
  char *location; /* NULL when not given */
  char *prefix;
  gint64 set_at; /* µs since epoch, UTC */
  char *set_by;
} NbStoreLab;

/* nb_store_lab_check_prefix: FALSE with NB_STORE_ERROR_INVALID naming @what unless @prefix is
 * 1 to NB_LAB_PREFIX_MAX characters of A-Z and 0-9. */
gboolean nb_store_lab_check_prefix (const char *what, const char *prefix,
                                    GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_set_lab: validates and appends a settings record. Returns its id or 0. */
gint64 nb_store_set_lab (NbStore *store, const NbStoreLabParams *params,
                         GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_get_lab: (transfer full) the settings in force, or NULL with
 * NB_STORE_ERROR_NOT_FOUND (naming `needlebench-cli lab set`) when none were set. */
NbStoreLab *nb_store_get_lab (NbStore *store, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_list_lab: (transfer full) (element-type NbStoreLab) every settings record, newest
 * first. */
GPtrArray *nb_store_list_lab (NbStore *store, GError **error) G_GNUC_WARN_UNUSED_RESULT;

void nb_store_lab_free (NbStoreLab *lab);

/* --- users --- */

typedef enum
{
  NB_USER_OPERATOR,   /* runs calibrations */
  NB_USER_TECHNICIAN, /* performs and reviews */
  NB_USER_APPROVER,   /* may approve, which issues a certificate */
} NbUserRole;

/* "operator", "technician", "approver" */
const char *nb_user_role_to_string (NbUserRole role);
gboolean nb_user_role_from_string (const char *name, NbUserRole *role);

typedef struct
{
  gint64 id; /* the record in force */
  char *name;
  char *display_name;
  NbUserRole role;
  char *password_hash; /* crypto_pwhash_str, "$argon2id$v=19$m=…,t=…,p=1$…" */
  gboolean active;
  gint64 changed_at; /* of this record, µs since epoch, UTC */
  char *changed_by;
  gint64 created_at; /* of the name's first record */
} NbStoreUser;

/* nb_store_check_password: FALSE with NB_STORE_ERROR_INVALID unless @password is valid UTF-8
 * of NB_PASSWORD_MIN to NB_PASSWORD_MAX bytes without control characters. */
gboolean nb_store_check_password (const char *password, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_add_user: a new user @name (the login name written on signatures) with @role and the
 * Argon2id hash of @password (libsodium, OPSLIMIT/MEMLIMIT_INTERACTIVE), active.
 * @display_name NULL = @name; @actor NULL = login name. NB_STORE_ERROR_EXISTS when @name has a
 * record already. Returns the record id or 0. */
gint64 nb_store_add_user (NbStore *store, const char *name, const char *display_name,
                          NbUserRole role, const char *password, const char *actor,
                          GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* A change: only the fields marked are changed. */
typedef struct
{
  const char *display_name; /* NULL: unchanged */
  gboolean set_role;
  NbUserRole role;
  const char *password; /* NULL: unchanged */
  gboolean set_active;
  gboolean active;
} NbStoreUserChange;

/* nb_store_change_user: appends a record for @name with @change applied to the one in force.
 * NB_STORE_ERROR_NOT_FOUND for an unknown name. Returns the record id or 0. */
gint64 nb_store_change_user (NbStore *store, const char *name, const NbStoreUserChange *change,
                             const char *actor, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_get_user: (transfer full) @name's record in force, or NULL with
 * NB_STORE_ERROR_NOT_FOUND. */
NbStoreUser *nb_store_get_user (NbStore *store, const char *name,
                                GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_list_users: (transfer full) (element-type NbStoreUser) every user's record in force,
 * by name. */
GPtrArray *nb_store_list_users (NbStore *store, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_user_verify_password: TRUE when @password is @user's (crypto_pwhash_str_verify);
 * else FALSE with NB_STORE_ERROR_DENIED. Takes about as long as hashing, on purpose. */
gboolean nb_store_user_verify_password (const NbStoreUser *user, const char *password,
                                        GError **error) G_GNUC_WARN_UNUSED_RESULT;

void nb_store_user_free (NbStoreUser *user);

/* --- certificates --- */

typedef enum
{
  NB_STORE_CERT_DRAFT,
  NB_STORE_CERT_ISSUED,
  NB_STORE_CERT_VOIDED,
} NbStoreCertStatus;

/* "draft", "issued", "voided" */
const char *nb_store_cert_status_to_string (NbStoreCertStatus status);

/* A certificate as its newest record says. */
typedef struct
{
  gint64 id; /* the certificate (its number) */
  char *number;
  gint64 run_id;
  char *kind; /* "calibration-certificate" */
  gint64 created_at;
  char *created_by;
  gint64 record_id; /* the newest record */
  guint revision;
  gint64 supersedes; /* the record it supersedes, 0 for the first */
  NbStoreCertStatus status;
  char *reason; /* why it was voided, NULL otherwise */
  char *content_sha256;
  char *document;   /* the canonical JSON (nb-certificate.h) */
  gint64 issued_at; /* 0 while draft */
  gint64 at;        /* of the newest record */
  char *by;
} NbStoreCertificate;

typedef enum
{
  NB_SIGN_PERFORMED,
  NB_SIGN_REVIEWED,
  NB_SIGN_APPROVED,
} NbSignMeaning;

/* "performed", "reviewed", "approved" */
const char *nb_sign_meaning_to_string (NbSignMeaning meaning);
gboolean nb_sign_meaning_from_string (const char *name, NbSignMeaning *meaning);

typedef struct
{
  gint64 id;
  gint64 record_id; /* the draft record signed */
  char *content_sha256;
  char *user_name;
  char *display_name;
  NbUserRole role;
  NbSignMeaning meaning;
  gint64 at; /* µs since epoch, UTC */
} NbStoreSignature;

/* Makes a certificate's document once its number is known (called inside the transaction that
 * allocates it): returns (transfer full) the canonical JSON and sets *@content_sha256 (transfer
 * full, 64 lowercase hex digits), or NULL with @error, which rolls the number back. */
typedef char *(*NbStoreCertificateBuildFunc) (const char *number, char **content_sha256,
                                              gpointer user_data, GError **error);

/* nb_store_create_certificate: (transfer full) a new certificate for run @run_id: allocates the
 * next number of the laboratory's prefix and the current UTC year, calls @build with it and
 * stores the draft record, in one IMMEDIATE transaction. Refuses (NB_STORE_ERROR_INVALID) a run
 * that is not complete or not traceable, or that has a certificate already that is not voided
 * (NB_STORE_ERROR_EXISTS: use nb_store_get_run_certificate ()); NB_STORE_ERROR_NOT_FOUND when no
 * laboratory is set. @actor NULL = login name. */
NbStoreCertificate *nb_store_create_certificate (NbStore *store, gint64 run_id,
                                                 NbStoreCertificateBuildFunc build,
                                                 gpointer user_data, const char *actor,
                                                 GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_get_certificate: (transfer full) the certificate numbered @number as its newest
 * record says, or NULL with NB_STORE_ERROR_NOT_FOUND. */
NbStoreCertificate *nb_store_get_certificate (NbStore *store, const char *number,
                                              GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_get_run_certificate: (transfer full) the newest certificate of run @run_id that is not
 * voided, or NULL with NB_STORE_ERROR_NOT_FOUND. */
NbStoreCertificate *nb_store_get_run_certificate (NbStore *store, gint64 run_id,
                                                  GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_list_certificates: (transfer full) (element-type NbStoreCertificate) every certificate
 * as its newest record says, by number (documents left NULL to keep the list light). */
GPtrArray *nb_store_list_certificates (NbStore *store, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_revise_certificate: a correction: a new draft revision of @number with @document and
 * its @content_sha256, superseding the newest record (draft or issued; not voided), with
 * @reason. Signatures of earlier revisions stay with them. Returns the record id or 0. */
gint64 nb_store_revise_certificate (NbStore *store, const char *number, const char *document,
                                    const char *content_sha256, const char *reason,
                                    const char *actor, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_void_certificate: a "voided" record with @reason (required); the number stays taken.
 * NB_STORE_ERROR_INVALID when it is voided already. Returns the record id or 0. */
gint64 nb_store_void_certificate (NbStore *store, const char *number, const char *reason,
                                  const char *actor, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Makes the issued document when an approval is recorded (inside its transaction): @cert is the
 * draft, @signatures (element-type NbStoreSignature) those of its record including the approval,
 * @issued_at the issue time. Returns (transfer full) the issued document's canonical JSON and sets
 * *@content_sha256, or NULL with @error, which rolls the approval back. */
typedef char *(*NbStoreCertificateIssueFunc) (const NbStoreCertificate *cert, GPtrArray *signatures,
                                              gint64 issued_at, char **content_sha256,
                                              gpointer user_data, GError **error);

/* nb_store_sign_certificate: records @user_name's signature with @meaning over the draft
 * certificate @number whose content hash is @content_sha256 (what the signer was shown), after
 * checking @password. An approval then issues the certificate in the same transaction: @issue
 * (required for an approval) makes the issued document, stored as the newest record. Fails with
 * NB_STORE_ERROR_DENIED (wrong password, inactive user, approval by a non-approver),
 * NB_STORE_ERROR_CONSTRAINT (@content_sha256 is not the draft's; the same user and meaning twice)
 * or NB_STORE_ERROR_INVALID (not a draft). Returns the signature id or 0. */
gint64 nb_store_sign_certificate (NbStore *store, const char *number, const char *content_sha256,
                                  const char *user_name, const char *password,
                                  NbSignMeaning meaning, NbStoreCertificateIssueFunc issue,
                                  gpointer user_data, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_list_signatures: (transfer full) (element-type NbStoreSignature) the signatures of
 * record @record_id, oldest first. */
GPtrArray *nb_store_list_signatures (NbStore *store, gint64 record_id,
                                     GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_certificate_signatures: (transfer full) (element-type NbStoreSignature) the
 * signatures that hold for @cert's newest record: its own when it is a draft, the draft's it was
 * issued or voided from otherwise. */
GPtrArray *nb_store_certificate_signatures (NbStore *store, const NbStoreCertificate *cert,
                                            GError **error) G_GNUC_WARN_UNUSED_RESULT;

void nb_store_certificate_free (NbStoreCertificate *cert);
void nb_store_signature_free (NbStoreSignature *sig);

/* Test hook: when the environment variable NB_TEST_CERTIFICATE_DELAY_MS is set (a number of
 * milliseconds), nb_store_create_certificate () sleeps that long after inserting the number and
 * again before committing, so a test can kill it inside the transaction. */
#define NB_TEST_CERTIFICATE_DELAY_ENV "NB_TEST_CERTIFICATE_DELAY_MS"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbStoreLab, nb_store_lab_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbStoreUser, nb_store_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbStoreCertificate, nb_store_certificate_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbStoreSignature, nb_store_signature_free)

G_END_DECLS
