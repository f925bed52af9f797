/* nb-cli-json.h: JSON text for the CLI's output with figures at their measurement's precision.
 * json-glib writes every double with "%.17g" (1.0592 comes out as 1.0591999999999999), so the
 * CLI rounds a figure to the decimals it has and prints the tree itself: numbers as the shortest
 * text that reads back as the same double, strings and names escaped by json-glib. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* nb_cli_round: @value rounded to @decimals places (0..9); -0 becomes 0; non-finite unchanged. */
double nb_cli_round (double value, int decimals);

/* nb_cli_json_fixed: an object member: @value rounded to @decimals places (null if not finite). */
void nb_cli_json_fixed (JsonBuilder *b, const char *name, double value, int decimals);

/* nb_cli_json_to_text: (transfer full) @node as JSON text, indented by two spaces per level like
 * json-glib's pretty output; a double is written in the fewest digits that read back as the same
 * value, with ".0" on whole numbers (so it stays a JSON real). */
char *nb_cli_json_to_text (JsonNode *node);

/* nb_cli_decimals_for_rate: decimals that resolve one period of @rate_hz (20 kHz: 5). */
int nb_cli_decimals_for_rate (double rate_hz);

G_END_DECLS
