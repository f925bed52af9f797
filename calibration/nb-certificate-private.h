/* nb-certificate-private.h: what the certificate's source files share (not for callers). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* method.procedure: the method document the results were obtained by */
#define NB_CERTIFICATE_PROCEDURE "NeedleBench calibration method, docs/calibration-method.md"

/* nb_certificate_traceability_text: (transfer full) the traceability statement of the run whose
 * result document is @run: the reference standard it was traced through (fixture, certificate,
 * U, k, due), or why it is not traceable. */
char *nb_certificate_traceability_text (JsonObject *run, gboolean traceable);

/* nb_certificate_statements: (transfer full) (element-type utf8) the statements of the document
 * (results relate only to the item; the decision rule, its guard band and what a result at a
 * limit gets; the overall verdict; adjustment; reproduction in full). */
GPtrArray *nb_certificate_statements (JsonObject *run, gboolean traceable);

/* nb_certificate_meaning_valid: "performed", "reviewed" or "approved". */
gboolean nb_certificate_meaning_valid (const char *meaning);

G_END_DECLS
