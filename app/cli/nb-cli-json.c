/* nb-cli-json.c: JSON text with figures at their precision (see nb-cli-json.h). */
#include "nb-cli-json.h"

#include <math.h>
#include <string.h>

double
nb_cli_round (double value, int decimals)
{
  if (!isfinite (value))
    return value;
  double scale = pow (10.0, CLAMP (decimals, 0, 9));
  double r = round (value * scale) / scale;
  return r == 0.0 ? 0.0 : r;
}

void
nb_cli_json_fixed (JsonBuilder *b, const char *name, double value, int decimals)
{
  json_builder_set_member_name (b, name);
  if (isfinite (value))
    json_builder_add_double_value (b, nb_cli_round (value, decimals));
  else
    json_builder_add_null_value (b);
}

int
nb_cli_decimals_for_rate (double rate_hz)
{
  if (!(rate_hz > 1))
    return 0;
  return CLAMP ((int) ceil (log10 (rate_hz) - 1e-9), 0, 9);
}

/* The fewest decimals that read back as @v: a rounded figure comes out with its decimals only.
 * Plain decimals in the range figures have; exponent notation only far outside it. */
static void
append_double (GString *out, double v)
{
  if (!isfinite (v))
    {
      g_string_append (out, "null"); /* JSON has no NaN or infinity */
      return;
    }
  char buf[G_ASCII_DTOSTR_BUF_SIZE + 32];
  gboolean plain = v == 0 || (fabs (v) >= 1e-6 && fabs (v) < 1e15);
  for (int digits = plain ? 0 : 1; digits <= 17; digits++)
    {
      char format[8];
      g_snprintf (format, sizeof format, plain ? "%%.%df" : "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, format, v);
      if (g_ascii_strtod (buf, NULL) == v)
        break;
    }
  if (g_ascii_strtod (buf, NULL) != v) /* more digits than a figure has: exact, as json-glib */
    g_ascii_formatd (buf, sizeof buf, "%.17g", v);
  g_string_append (out, buf);
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (out, ".0");
}

static void
append_string (GString *out, const char *s)
{
  g_autoptr (JsonNode) node = json_node_init_string (json_node_alloc (), s);
  g_autofree char *text = json_to_string (node, FALSE);
  g_string_append (out, text);
}

static void
indent (GString *out, guint level)
{
  for (guint i = 0; i < level; i++)
    g_string_append (out, "  ");
}

static void append_node (GString *out, JsonNode *node, guint level);

static void
append_object (GString *out, JsonObject *object, guint level)
{
  g_autoptr (GList) members = json_object_get_members (object); /* in insertion order */
  if (members == NULL)
    {
      g_string_append (out, "{}");
      return;
    }
  g_string_append (out, "{\n");
  for (GList *m = members; m; m = m->next)
    {
      indent (out, level + 1);
      append_string (out, m->data);
      g_string_append (out, " : ");
      append_node (out, json_object_get_member (object, m->data), level + 1);
      g_string_append (out, m->next ? ",\n" : "\n");
    }
  indent (out, level);
  g_string_append_c (out, '}');
}

static void
append_array (GString *out, JsonArray *array, guint level)
{
  guint n = json_array_get_length (array);
  if (n == 0)
    {
      g_string_append (out, "[]");
      return;
    }
  g_string_append (out, "[\n");
  for (guint i = 0; i < n; i++)
    {
      indent (out, level + 1);
      append_node (out, json_array_get_element (array, i), level + 1);
      g_string_append (out, i + 1 < n ? ",\n" : "\n");
    }
  indent (out, level);
  g_string_append_c (out, ']');
}

static void
append_node (GString *out, JsonNode *node, guint level)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT: append_object (out, json_node_get_object (node), level); return;
    case JSON_NODE_ARRAY: append_array (out, json_node_get_array (node), level); return;
    case JSON_NODE_NULL: g_string_append (out, "null"); return;
    case JSON_NODE_VALUE:
    default: break;
    }
  GType type = json_node_get_value_type (node);
  if (type == G_TYPE_DOUBLE)
    append_double (out, json_node_get_double (node));
  else if (type == G_TYPE_INT64)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
  else if (type == G_TYPE_BOOLEAN)
    g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
  else if (type == G_TYPE_STRING)
    append_string (out, json_node_get_string (node));
  else
    g_string_append (out, "null");
}

char *
nb_cli_json_to_text (JsonNode *node)
{
  GString *out = g_string_new (NULL);
  append_node (out, node, 0);
  return g_string_free (out, FALSE);
}
