/* nb-preferences.h: the preferences window, bound to the app's GSettings. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define NB_TYPE_PREFERENCES (nb_preferences_get_type ())
G_DECLARE_FINAL_TYPE (NbPreferences, nb_preferences, NB, PREFERENCES, AdwPreferencesWindow)

NbPreferences *nb_preferences_new (GtkWindow *parent, GSettings *settings);

G_END_DECLS
