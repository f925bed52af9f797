/* nb-canonical-json.c: canonical JSON text (see nb-canonical-json.h). */
#include "nb-canonical-json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void
nb_canonical_json_append_double (GString *out, double v)
{
  if (!isfinite (v))
    {
      g_string_append (out, "null");
      return;
    }
  if (v == 0)
    {
      g_string_append (out, signbit (v) ? "-0.0" : "0.0");
      return;
    }
  /* The fewest significant digits that read back as @v ("%.*e" rounds correctly), then laid
   * out as Python's repr (): plain decimals for exponents -4 … 15, exponent form otherwise. */
  char buf[64];
  for (int precision = 0; precision <= 16; precision++)
    {
      char format[8];
      g_snprintf (format, sizeof format, "%%.%de", precision);
      g_ascii_formatd (buf, sizeof buf, format, v);
      if (g_ascii_strtod (buf, NULL) == v)
        break;
    }
  const char *p = buf;
  gboolean negative = *p == '-';
  if (negative)
    p++;
  char digits[32];
  gsize nd = 0;
  for (; *p != 'e' && *p != '\0'; p++)
    if (g_ascii_isdigit (*p) && nd < sizeof digits - 1)
      digits[nd++] = *p;
  while (nd > 1 && digits[nd - 1] == '0')
    nd--;
  digits[nd] = '\0';
  int exponent = *p == 'e' ? atoi (p + 1) : 0;

  if (negative)
    g_string_append_c (out, '-');
  if (exponent >= -4 && exponent < 16)
    {
      if (exponent < 0)
        {
          g_string_append (out, "0.");
          for (int i = -1; i > exponent; i--)
            g_string_append_c (out, '0');
          g_string_append (out, digits);
          return;
        }
      gsize whole = (gsize) exponent + 1;
      for (gsize i = 0; i < whole; i++)
        g_string_append_c (out, i < nd ? digits[i] : '0');
      g_string_append_c (out, '.');
      g_string_append (out, nd > whole ? digits + whole : "0");
      return;
    }
  g_string_append_c (out, digits[0]);
  if (nd > 1)
    {
      g_string_append_c (out, '.');
      g_string_append (out, digits + 1);
    }
  g_string_append_printf (out, "e%c%02d", exponent < 0 ? '-' : '+', abs (exponent));
}

static void
append_string (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_object (GString *out, JsonObject *object)
{
  g_autoptr (GList) members = json_object_get_members (object); /* in insertion order */
  g_string_append_c (out, '{');
  for (GList *m = members; m; m = m->next)
    {
      append_string (out, m->data);
      g_string_append_c (out, ':');
      nb_canonical_json_append (out, json_object_get_member (object, m->data));
      if (m->next)
        g_string_append_c (out, ',');
    }
  g_string_append_c (out, '}');
}

void
nb_canonical_json_append (GString *out, JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT: append_object (out, json_node_get_object (node)); return;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            nb_canonical_json_append (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
        return;
      }
    case JSON_NODE_NULL: g_string_append (out, "null"); return;
    case JSON_NODE_VALUE:
    default: break;
    }
  GType type = json_node_get_value_type (node);
  if (type == G_TYPE_DOUBLE)
    nb_canonical_json_append_double (out, json_node_get_double (node));
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
nb_canonical_json_object (JsonObject *object, gsize *length)
{
  GString *out = g_string_new (NULL);
  append_object (out, object);
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}
