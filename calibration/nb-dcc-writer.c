/* nb-dcc-writer.c: see nb-dcc-writer.h. */
#include "nb-dcc-writer.h"

#include <string.h>

#define REPLACEMENT 0xFFFD

static gboolean
xml_char_ok (gunichar c)
{
  /* XML 1.0 §2.2 Char */
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
         || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

char *
nb_dcc_xml_safe (const char *text)
{
  if (text == NULL)
    return NULL;
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_string_append_unichar (out, xml_char_ok (c) ? c : REPLACEMENT);
    }
  return g_string_free (out, FALSE);
}

char *
nb_dcc_token (const char *text, const char *fallback)
{
  char *safe = nb_dcc_xml_safe (text);
  if (safe == NULL)
    return g_strdup (fallback);
  /* the schema's \s is space, tab, CR and LF: exactly what g_strstrip removes at the ends, and
   * more (form feed, vertical tab), which XML-safe text no longer has anyway */
  g_strstrip (safe);
  if (*safe == '\0')
    {
      g_free (safe);
      return g_strdup (fallback);
    }
  return safe;
}

static void
check (NbDccWriter *x, int rc)
{
  if (rc < 0)
    x->failed = TRUE;
}

void
nb_dcc_start (NbDccWriter *x, const char *name)
{
  if (!x->failed)
    check (x, xmlTextWriterStartElementNS (x->w, BAD_CAST "dcc", BAD_CAST name, NULL));
}

void
nb_dcc_start_ref (NbDccWriter *x, const char *name, const char *ref_type)
{
  nb_dcc_start (x, name);
  if (ref_type != NULL)
    nb_dcc_attr (x, "refType", ref_type);
}

void
nb_dcc_start_si (NbDccWriter *x, const char *name)
{
  if (!x->failed)
    check (x, xmlTextWriterStartElementNS (x->w, BAD_CAST "si", BAD_CAST name, NULL));
}

void
nb_dcc_end (NbDccWriter *x)
{
  if (!x->failed)
    check (x, xmlTextWriterEndElement (x->w));
}

void
nb_dcc_attr (NbDccWriter *x, const char *name, const char *value)
{
  if (!x->failed)
    check (x, xmlTextWriterWriteAttribute (x->w, BAD_CAST name, BAD_CAST value));
}

static void
write_string (NbDccWriter *x, const char *text)
{
  /* xmlTextWriterWriteString escapes <, >, & (and CR) */
  if (!x->failed)
    check (x, xmlTextWriterWriteString (x->w, BAD_CAST text));
}

void
nb_dcc_elem (NbDccWriter *x, const char *name, const char *text)
{
  g_autofree char *safe = nb_dcc_xml_safe (text ? text : "");
  nb_dcc_start (x, name);
  write_string (x, safe);
  nb_dcc_end (x);
}

void
nb_dcc_token_elem (NbDccWriter *x, const char *name, const char *text, const char *fallback)
{
  g_autofree char *token = nb_dcc_token (text, fallback);
  nb_dcc_start (x, name);
  write_string (x, token);
  nb_dcc_end (x);
}

void
nb_dcc_si_elem (NbDccWriter *x, const char *name, const char *text)
{
  nb_dcc_start_si (x, name);
  write_string (x, text);
  nb_dcc_end (x);
}

void
nb_dcc_text (NbDccWriter *x, const char *name, const char *text)
{
  nb_dcc_start (x, name);
  nb_dcc_elem (x, "content", text);
  nb_dcc_end (x);
}
