/* nb-c-locale.c: printf in the "C" locale, for text that is data. */
#include "nb-c-locale.h"

#include <locale.h>

/* A per-thread switch (uselocale): setlocale () would change the locale of every thread,
 * including GTK's main thread while it draws. */
static locale_t
c_locale (void)
{
  static gsize once = 0;
  static locale_t loc;
  if (g_once_init_enter (&once))
    {
      loc = newlocale (LC_ALL_MASK, "C", (locale_t) 0);
      g_once_init_leave (&once, 1);
    }
  return loc;
}

char *
nb_c_strdup_vprintf (const char *format, va_list args)
{
  locale_t c = c_locale ();
  /* newlocale ("C") cannot fail short of memory; then the text is formatted as is */
  locale_t old = c != (locale_t) 0 ? uselocale (c) : (locale_t) 0;
  char *text = g_strdup_vprintf (format, args);
  if (old != (locale_t) 0)
    uselocale (old);
  return text;
}

char *
nb_c_strdup_printf (const char *format, ...)
{
  va_list args;
  va_start (args, format);
  char *text = nb_c_strdup_vprintf (format, args);
  va_end (args);
  return text;
}
