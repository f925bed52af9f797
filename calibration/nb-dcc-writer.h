/* nb-dcc-writer.h: the small layer over libxml2's xmlTextWriter that nb-dcc.c writes with: the
 * first failure is remembered (so the writing code need not test every call) and every text is
 * made safe for XML 1.0 first. Private to nb-dcc.c. */
#pragma once

#include <glib.h>
#include <libxml/xmlwriter.h>

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
