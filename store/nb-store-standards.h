/* nb-store-standards.h: reference standards, the calibration certificates of the fixtures that
 * NeedleBench calibrates pens against (ISO/IEC 17025 §6.5: every result is traced to one).
 *
 * A record holds a fixture's serial and model, its certificate number, the certificate's expanded
 * uncertainty U (mm) with its coverage factor k, and the certificate's due date (the day the
 * fixture must be recalibrated by). Records are append-only like sessions (SQL triggers refuse
 * UPDATE and DELETE) and each one adds an audit entry: a correction or a new certificate is a new
 * record, and the newest record for a serial (the one added last) is the one in force. A
 * withdrawal is a record with a reason and no certificate: the fixture then has no standard in
 * force until a new certificate is recorded.
 *
 * Due dates are calendar dates (YYYY-MM-DD), compared with the bench's local date: a standard is
 * valid up to and including its due date, and expired from the day after. */
#pragma once

#include "nb-store.h"

G_BEGIN_DECLS

/* Limits checked on every record (see nb_store_standard_check_* below). k: certificates state
 * U at about 95 % coverage, k = 2 for many degrees of freedom and up to 4.3 for two (Student t);
 * 5 leaves room, anything above is a typo. k = 1 is allowed: some certificates state the standard
 * uncertainty, and u = U / k holds all the same. U is entered and printed to 0.1 µm (4 decimals
 * in mm) and k to 2 decimals, so what is printed is exactly what was entered; U above 1 mm (a
 * third of a needle's range) is a typo. */
#define NB_STANDARD_K_MIN 1.0
#define NB_STANDARD_K_MAX 5.0
#define NB_STANDARD_K_DECIMALS 2
#define NB_STANDARD_U_MIN_MM 0.0001
#define NB_STANDARD_U_MAX_MM 1.0
#define NB_STANDARD_U_DECIMALS 4
#define NB_STANDARD_TEXT_MAX 64    /* characters of a serial, model, certificate or name */
#define NB_STANDARD_REASON_MAX 200 /* characters of a withdrawal reason */

/* What a new record says. Strings are copied; @model and @added_by may be NULL. */
typedef struct
{
  const char *serial;      /* the fixture's serial, as its IDENTITY reports it */
  const char *model;       /* NULL: the model of the fixture's previous record, if any */
  const char *certificate; /* the certificate number */
  double uncertainty_mm;   /* expanded uncertainty U of the certificate, mm */
  double k;                /* its coverage factor */
  const char *due;         /* YYYY-MM-DD, the certificate's due date */
  const char *added_by;    /* who records it; also the audit actor (NULL = login name) */
} NbStoreStandardParams;

/* A record as read back. */
typedef struct
{
  gint64 id;
  char *serial;
  char *model;           /* NULL if not given */
  char *certificate;     /* NULL on a withdrawal */
  double uncertainty_mm; /* NAN on a withdrawal */
  double k;              /* NAN on a withdrawal */
  char *due;             /* YYYY-MM-DD; NULL on a withdrawal */
  char *withdrawn;       /* the reason of a withdrawal, NULL on a certificate */
  gint64 added_at;       /* µs since epoch, UTC */
  char *added_by;
  gboolean in_force; /* the newest record for its serial, and not a withdrawal */
} NbStoreStandard;

/* --- validation, shared with the CLI: @what names the field in the message ("--serial") --- */

/* nb_store_standard_check_text: FALSE with NB_STORE_ERROR_INVALID unless @text is valid UTF-8
 * of 1 to @max_chars characters, with no control or format character (escape sequences,
 * bidirectional overrides, line separators) and no leading or trailing white space. NULL is
 * accepted only when !@required. */
gboolean nb_store_standard_check_text (const char *what, const char *text, gboolean required,
                                       guint max_chars, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_standard_check_uncertainty: U finite, within NB_STANDARD_U_MIN_MM..U_MAX_MM, with
 * at most NB_STANDARD_U_DECIMALS decimals. */
gboolean nb_store_standard_check_uncertainty (const char *what, double u_mm,
                                              GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_standard_check_k: k finite, within NB_STANDARD_K_MIN..K_MAX (both included), with at
 * most NB_STANDARD_K_DECIMALS decimals. */
gboolean nb_store_standard_check_k (const char *what, double k,
                                    GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_standard_parse_date: parses @text, exactly YYYY-MM-DD and a real calendar date (years
 * 1900 to 9999), into @date (may be NULL). */
gboolean nb_store_standard_parse_date (const char *what, const char *text, GDate *date,
                                       GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* --- records --- */

/* nb_store_add_standard: validates @params and appends a record, with an audit entry
 * ("standard.add", subject "fixture:SERIAL"), in one transaction. Returns the new id, or 0 with
 * NB_STORE_ERROR_INVALID (a field is wrong: the message names it) or a storage error. */
gint64 nb_store_add_standard (NbStore *store, const NbStoreStandardParams *params,
                              GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_withdraw_standard: appends a withdrawal of @serial's standard with @reason, and an
 * audit entry ("standard.withdraw"). @actor NULL = login name. Fails with
 * NB_STORE_ERROR_NOT_FOUND if @serial has no standard in force. Returns the new id or 0. */
gint64 nb_store_withdraw_standard (NbStore *store, const char *serial, const char *reason,
                                   const char *actor, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_list_standards: (transfer full) (element-type NbStoreStandard) the records by serial,
 * newest first within a serial; with @in_force_only, only each serial's standard in force. */
GPtrArray *nb_store_list_standards (NbStore *store, gboolean in_force_only,
                                    GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_get_standard: (transfer full) the newest record for @serial (in_force is FALSE when
 * it is a withdrawal), or NULL with NB_STORE_ERROR_NOT_FOUND when @serial has none. */
NbStoreStandard *nb_store_get_standard (NbStore *store, const char *serial,
                                        GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_standard_is_expired: TRUE when @std is a certificate whose due date is before
 * @today (a standard is valid on its due date). @today NULL = the local date now. */
gboolean nb_store_standard_is_expired (const NbStoreStandard *std, const GDate *today);

/* nb_store_standard_check: the standard a calibration with fixture @serial is traced to, on
 * @today (NULL = the local date now). TRUE with *@std (transfer full; may be NULL to only check)
 * when one is in force and not past its due date. Else FALSE with NB_STORE_ERROR_NO_STANDARD
 * (none recorded, or withdrawn) or NB_STORE_ERROR_STANDARD_EXPIRED, the message naming the
 * `needlebench-cli standards add` command that fixes it; or a storage error. */
gboolean nb_store_standard_check (NbStore *store, const char *serial, const GDate *today,
                                  NbStoreStandard **std, GError **error) G_GNUC_WARN_UNUSED_RESULT;

void nb_store_standard_free (NbStoreStandard *std);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbStoreStandard, nb_store_standard_free)

G_END_DECLS
