/* nb-cli-escape.c: text from pens, databases and users made safe to print on a terminal. Kept
 * apart from the rest of nb-cli.c so that tests can build it alone. */
#include "nb-cli.h"

#include <string.h>

/* Code points that are printable in the Unicode sense but still take control of the display:
 * bidirectional overrides reorder what follows (a name can show as another), the separators end
 * a line on some terminals. */
static gboolean
is_display_control (gunichar c)
{
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
}

char *
nb_cli_escape (const char *text)
{
  if (text == NULL)
    return NULL;
  gsize len = strlen (text);
  GString *out = g_string_sized_new (len);
  const char *p = text, *end = text + len;
  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* not UTF-8: show the byte, then resynchronise on the next one */
          g_string_append_printf (out, "\\x%02x", (guchar) *p);
          p++;
          continue;
        }
      const char *next = g_utf8_next_char (p);
      if (c == '\\')
        g_string_append (out, "\\\\");
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
        g_string_append_printf (out, "\\x%02x", (guint) c);
      else if (is_display_control (c))
        g_string_append_printf (out, "\\u%04x", (guint) c);
      else
        g_string_append_len (out, p, next - p);
      p = next;
    }
  return g_string_free (out, FALSE);
}
