/* nb-live-page.h: the Live page: the pens sidebar (discovery, connect, details) and, for the
 * connected pen, its controls, readouts, strip chart and per-stroke depth chart. Renders an
 * NbRun; the logic lives in NbRun, NbPenList and calibration/nb-presets. */
#pragma once

#include <adwaita.h>

#include "nb-chart.h"
#include "nb-pen-list.h"
#include "nb-run.h"

G_BEGIN_DECLS

#define NB_TYPE_LIVE_PAGE (nb_live_page_get_type ())
G_DECLARE_FINAL_TYPE (NbLivePage, nb_live_page, NB, LIVE_PAGE, GtkBox)

/* The default strip chart window: 10 s (200000 samples at 20 kHz). */
#define NB_LIVE_WINDOW_S 10.0
/* Tolerance band drawn without a preset: ±0.15 mm, the only tolerance a maker publishes
 * (Exceed, K182407). */
#define NB_LIVE_DEFAULT_TOLERANCE_MM 0.15

/* nb_live_page_setup: gives the page the app's settings (operator, database path, units) and
 * starts looking for pens. */
void nb_live_page_setup (NbLivePage *page, GSettings *settings);
/* nb_live_page_connect_uri: connects to @uri (closing any pen connected before). */
void nb_live_page_connect_uri (NbLivePage *page, const char *uri);
/* nb_live_page_get_run: (transfer none) the connected (or just lost) pen's model, or NULL. */
NbRun *nb_live_page_get_run (NbLivePage *page);
NbPenList *nb_live_page_get_pen_list (NbLivePage *page);
/* nb_live_page_set_depth: as if the operator typed @depth_mm in the depth field. */
void nb_live_page_set_depth (NbLivePage *page, double depth_mm);
/* nb_live_page_choose_preset: as if the operator chose preset @index (0 = none) of the list;
 * FALSE if the pen refused it (a "message" explains why). */
gboolean nb_live_page_choose_preset (NbLivePage *page, guint index);
void nb_live_page_set_session_name (NbLivePage *page, const char *name, const char *note);
NbChart *nb_live_page_get_strip_chart (NbLivePage *page);
void nb_live_page_shutdown (NbLivePage *page);

/* Signals:
 *   "connected" (): a pen was connected (nb_live_page_get_run is the new one)
 *   "lost" (const char *message)
 *   "recording-finished" (gint64 session_id, const char *error_or_NULL)
 *   "message" (const char *text): something the operator must read (errors, refusals) */

G_END_DECLS
