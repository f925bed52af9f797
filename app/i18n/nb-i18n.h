/* nb-i18n.h: gettext set-up shared by the application and the CLI. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* nb_i18n_init: binds the "needlebench" text domain, with UTF-8 output, and makes it the default
 * domain (GtkBuilder templates look their strings up there). The catalogues come from
 * NB_LOCALEDIR, or from the directory in the environment variable NB_LOCALEDIR when it is set
 * (the build tree's po/ directory, for tests and `meson devenv`). It does not call setlocale ():
 * the caller picks the categories (the CLI keeps LC_NUMERIC at "C"). Safe to call more than
 * once. */
void nb_i18n_init (void);

/* nb_i18n_localedir: the directory nb_i18n_init () binds the text domain to. */
const char *nb_i18n_localedir (void);

G_END_DECLS
