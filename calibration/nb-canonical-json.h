/* nb-canonical-json.h: the canonical JSON text of a certificate document (docs/certificate.md,
 * "Canonical form"), the bytes that are hashed and signed. Compact (no white space), object
 * members in the order they are stored in (json-glib keeps insertion order), and every value
 * written exactly as Python's json.dumps (obj, separators=(",", ":"), ensure_ascii=False) writes
 * it, so that a customer can recompute the bytes with a standard tool:
 *   - a double in its shortest round-trip form as Python's repr () gives it ("0.2949", "100.0",
 *     "8.564e-76", "1e-05", "1e+16"); a non-finite double (never in a document) as null;
 *   - an integer in decimal; true, false, null;
 *   - a string with '"', '\\', \b, \f, \n, \r, \t escaped as two characters, the other control
 *     characters below U+0020 as \u00xx (lower-case hex), everything else as UTF-8.
 * Not json_generator: json-glib 1.6 writes doubles with 17 significant digits and leaves U+001F
 * unescaped. Parsing the text with json-glib and writing it again gives the same bytes. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* nb_canonical_json_append: appends the canonical text of @node to @out. */
void nb_canonical_json_append (GString *out, JsonNode *node);

/* nb_canonical_json_append_double: appends @v as Python's repr () writes a float. */
void nb_canonical_json_append_double (GString *out, double v);

/* nb_canonical_json_object: (transfer full) the canonical text of @object. */
char *nb_canonical_json_object (JsonObject *object, gsize *length);

G_END_DECLS
