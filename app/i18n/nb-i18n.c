/* nb-i18n.c: gettext set-up shared by the application and the CLI. */
#include "nb-i18n.h"

#include <glib/gi18n.h>

#include "nb-config.h"

const char *
nb_i18n_localedir (void)
{
  /* The build tree's catalogues: an uninstalled program would otherwise find none (or an older
   * installed copy). */
  const char *dir = g_getenv ("NB_LOCALEDIR");
  return dir != NULL && dir[0] != '\0' ? dir : NB_LOCALEDIR;
}

void
nb_i18n_init (void)
{
  bindtextdomain (GETTEXT_PACKAGE, nb_i18n_localedir ());
  /* the terminal, GTK and GLib all want UTF-8, whatever the locale's charset */
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
