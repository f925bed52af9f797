/* nb-application.h: the NeedleBench application: command line (--device URI, handled by the
 * running instance when there is one), app actions, keyboard accelerators and the style (light,
 * dark, or the system's). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define NB_TYPE_APPLICATION (nb_application_get_type ())
G_DECLARE_FINAL_TYPE (NbApplication, nb_application, NB, APPLICATION, AdwApplication)

NbApplication *nb_application_new (const char *app_id);

/* nb_application_report: tells the operator something that went wrong where no window can show
 * it (while quitting): a line on stderr and a desktop notification titled @title. */
void nb_application_report (NbApplication *app, const char *title, const char *text);
/* The text of the last report, or NULL. */
const char *nb_application_get_last_report (NbApplication *app);

/* nb_gui_init_resources: registers the GUI's GResource (the app does it in startup; a test that
 * builds a window without the app calls it first). */
void nb_gui_init_resources (void);
/* nb_gui_apply_theme: sets the AdwStyleManager's scheme from the "theme" key. */
void nb_gui_apply_theme (GSettings *settings);

G_END_DECLS
