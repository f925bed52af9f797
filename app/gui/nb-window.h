/* nb-window.h: the main window: a view stack of pages (Live, Records, and the Calibration and
 * Certificates pages to come), the lost-pen banner and toasts. */
#pragma once

#include <adwaita.h>

#include "nb-calibration-page.h"
#include "nb-certificates-page.h"
#include "nb-fleet-indicator.h"
#include "nb-live-page.h"
#include "nb-records-page.h"

G_BEGIN_DECLS

#define NB_TYPE_WINDOW (nb_window_get_type ())
G_DECLARE_FINAL_TYPE (NbWindow, nb_window, NB, WINDOW, AdwApplicationWindow)

/* The GSettings schema, the same for the .Devel build. */
#define NB_SETTINGS_SCHEMA "org.needlebench.NeedleBench"

/* nb_window_new: @app may be NULL (tests). */
NbWindow *nb_window_new (GtkApplication *app);
GSettings *nb_window_get_settings (NbWindow *win);
NbLivePage *nb_window_get_live_page (NbWindow *win);
NbRecordsPage *nb_window_get_records_page (NbWindow *win);
NbCalibrationPage *nb_window_get_calibration_page (NbWindow *win);
NbCertificatesPage *nb_window_get_certificates_page (NbWindow *win);
/* The link to the fleet's shared database (the "server-uri" setting) and its header-bar
 * indicator, hidden without a server. */
NbFleetStatus *nb_window_get_fleet_status (NbWindow *win);
NbFleetIndicator *nb_window_get_fleet_indicator (NbWindow *win);
void nb_window_show_page (NbWindow *win, const char *name);
/* The banner: shown when a pen is lost. */
gboolean nb_window_is_banner_shown (NbWindow *win);
const char *nb_window_get_banner_text (NbWindow *win);
void nb_window_toast (NbWindow *win, const char *text);
/* nb_window_has_toast: TRUE while the newest toast is queued or shown. (No dismissing: in
 * libadwaita 1.2, adw_toast_dismiss during the show animation unrefs the toast twice.) */
gboolean nb_window_has_toast (NbWindow *win);
/* nb_window_is_stopping: TRUE from a close request that must first stop the pen (the window
 * then shows why it is still there) until the window goes. */
gboolean nb_window_is_stopping (NbWindow *win);

G_END_DECLS
