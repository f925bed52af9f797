/* nb-dcc.h: the certificate document (nb-certificate.h) as a Digital Calibration Certificate:
 * PTB DCC 3.2.0 XML with D-SI 2.1.0 quantities (docs/certificate-dcc.md), the machine-readable
 * certificate a customer's software reads without our database.
 *
 * Written with libxml2's xmlTextWriter, which escapes every text and attribute: the document's
 * strings come from pens, operators and customers. Characters that XML 1.0 cannot carry at all
 * (C0 controls other than tab and newline, U+FFFE, U+FFFF) are replaced by U+FFFD, so the output
 * is always well-formed and, for a valid document, valid against the 3.2.0 schema.
 *
 * Only a calibration certificate becomes a DCC. A verification report (a pen self-check, or a run
 * without a valid standard) is refused with NB_DCC_ERROR_NOT_A_CERTIFICATE: its root element
 * would be digitalCalibrationCertificate and it has no certificate number, so any DCC made of it
 * would claim a traceable calibration that did not happen. A draft is written, with a statement
 * saying it is a draft, not approved and not valid as a certificate. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define NB_DCC_SCHEMA_VERSION "3.2.0"
#define NB_DCC_NAMESPACE "https://ptb.de/dcc"
#define NB_DCC_SI_NAMESPACE "https://ptb.de/si"

#define NB_DCC_ERROR (nb_dcc_error_quark ())
GQuark nb_dcc_error_quark (void);

typedef enum
{
  NB_DCC_ERROR_INVALID,           /* not a certificate document: a key missing or mistyped */
  NB_DCC_ERROR_NOT_A_CERTIFICATE, /* a verification report: never a DCC */
  NB_DCC_ERROR_WRITE,             /* libxml2 failed to write (out of memory) */
} NbDccError;

/* nb_dcc_write: (transfer full) the DCC of certificate document @doc (nb_certificate_build (),
 * possibly signed), as UTF-8 XML with its declaration. Optional members beyond the header's
 * list: laboratory.country (ISO 3166-1 alpha-2; absent: "ZZ", the user-assigned code for an
 * unknown country, because coreData requires one) and item.manufacturer (absent: "not stated").
 * Mapping (docs/certificate-dcc.md): number → coreData/uniqueIdentifier; dates → receiptDate,
 * begin/endPerformanceDate, issueDate; item → items/item (serial, model, firmware as
 * identifications); signatures → respPersons (the approver is the mainSigner; without any, the
 * operator who performed the run); statements → statements, plus the decision rule (ILAC-G8)
 * with the overall conformity; results → one measurementResult per quantity and phase (as-found
 * beforeAdjustment, as-left afterAdjustment) with the method, the reference standards, the
 * environment and per point the set value, the mean with si:expandedUnc (U, k, p = 0.9545), the
 * error, the tolerance limits and the verdict as dcc:conformity (pass, conditionalPass,
 * conditionalFail, fail). */
char *nb_dcc_write (JsonObject *doc, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_dcc_conformity: the DCC conformity value of a NeedleBench verdict name ("pass",
 * "conditional-pass", "conditional-fail", "fail"), or NULL for any other name. */
const char *nb_dcc_conformity (const char *verdict);

G_END_DECLS
