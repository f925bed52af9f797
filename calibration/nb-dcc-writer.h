/* nb-dcc-writer.h: what nb-dcc.c and nb-dcc-results.c share (private to them): the small layer
 * over libxml2's xmlTextWriter they write with (the first failure is remembered, so the writing
 * code need not test every call, and every text is made safe for XML 1.0 first), the readers of
 * the certificate document and the D-SI quantities. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <libxml/xmlwriter.h>

#define COVERAGE_PROBABILITY                                                                       \
  "0.9545" /* k is Student's t at 95.45 % (docs/calibration-method.md)                             \
            */
#define ILAC_G8 "ILAC-G8:09/2019"
#define GUM "JCGM 100:2008 (GUM)"
#define UNIT_MM "\\milli\\metre"
#define UNIT_HZ "\\hertz"
#define UNIT_ONE "\\one"
#define UNIT_CELSIUS "\\degreecelsius"
#define UNIT_PERCENT "\\percent"
#define RELATE_ONLY "The results relate only to the item calibrated."

typedef struct
{
  xmlTextWriterPtr w;
  gboolean failed;
} NbDccWriter;

/* nb_dcc_xml_safe: (transfer full) @text as valid UTF-8 (invalid bytes become U+FFFD) with the
 * characters XML 1.0 cannot carry, even escaped (C0 controls but tab, newline and carriage
 * return; U+FFFE, U+FFFF), replaced by U+FFFD. NULL stays NULL. */
char *nb_dcc_xml_safe (const char *text);

/* nb_dcc_token: (transfer full) @text made a DCC notEmptyString: XML-safe, outer white space
 * removed, and @fallback when nothing is left (or @text is NULL). */
char *nb_dcc_token (const char *text, const char *fallback);

/* <dcc:NAME> … (nb_dcc_end closes the innermost element) */
void nb_dcc_start (NbDccWriter *x, const char *name);
void nb_dcc_start_ref (NbDccWriter *x, const char *name, const char *ref_type);
void nb_dcc_start_si (NbDccWriter *x, const char *name);
void nb_dcc_end (NbDccWriter *x);
/* an attribute of the element just started (fixed names and values only) */
void nb_dcc_attr (NbDccWriter *x, const char *name, const char *value);
/* <dcc:NAME>TEXT</dcc:NAME>, TEXT made safe (nb_dcc_xml_safe) */
void nb_dcc_elem (NbDccWriter *x, const char *name, const char *text);
/* <dcc:NAME>TEXT</dcc:NAME> with TEXT a notEmptyString (nb_dcc_token) */
void nb_dcc_token_elem (NbDccWriter *x, const char *name, const char *text, const char *fallback);
/* <si:NAME>TEXT</si:NAME>, TEXT written as is (numbers and units made here) */
void nb_dcc_si_elem (NbDccWriter *x, const char *name, const char *text);
/* <dcc:NAME><dcc:content>TEXT</dcc:content></dcc:NAME>: a textType or richContentType */
void nb_dcc_text (NbDccWriter *x, const char *name, const char *text);
/* <dcc:identification> of @issuer (manufacturer, calibrationLaboratory, …) with @value (a
 * notEmptyString) named @name; nothing when @value is NULL */
void nb_dcc_identification (NbDccWriter *x, const char *issuer, const char *value,
                            const char *name);

/* --- reading the document: a missing member and a null read alike (NULL / FALSE) --- */
const char *nb_dcc_json_str (JsonObject *o, const char *key);
JsonObject *nb_dcc_json_obj (JsonObject *o, const char *key);
JsonArray *nb_dcc_json_arr (JsonObject *o, const char *key);
/* TRUE with *@value when the member is a finite number */
gboolean nb_dcc_json_num (JsonObject *o, const char *key, double *value);
JsonObject *nb_dcc_json_arr_obj (JsonArray *a, guint i);
/* (transfer full) "YYYY-MM-DD" of a date or an ISO 8601 date-time (its UTC date); NULL for
 * anything else */
char *nb_dcc_xs_date (const char *text);

/* --- numbers and D-SI quantities --- */
/* (transfer full) @value with @decimals decimals, a point as decimal separator */
char *nb_dcc_fmt (double value, int decimals);
/* (transfer full) @value with @digits significant digits (a PFA of 1e-260) */
char *nb_dcc_fmt_sig (double value, int digits);
/* <si:real> of @value in @unit (@decimals < 0: -@decimals significant digits) with an
 * si:expandedUnc of @U at @k and p = 0.9545 when @U >= 0 */
void nb_dcc_si_real (NbDccWriter *x, double value, int decimals, const char *unit, double U,
                     double k);
/* <dcc:quantity refType=@ref_type> named @name with member @key of @o as an si:real, or a
 * dcc:noQuantity "not available" when it is null */
void nb_dcc_quantity (NbDccWriter *x, const char *ref_type, const char *name, JsonObject *o,
                      const char *key, int decimals, const char *unit);

/* nb_dcc_measurement_results: writes one dcc:measurementResult per quantity (depth, rate) and
 * phase (as found, as left) that has points in @doc's results (nb-dcc-results.c); returns how
 * many. */
guint nb_dcc_measurement_results (NbDccWriter *x, JsonObject *doc, const char *rule,
                                  gboolean adjusted);
