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
/* nb_live_page_connect_uri: connects to @uri (closing any pen connected before); nothing when
 * @uri is the pen connected. */
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
/* nb_live_page_shutdown: stops looking for pens and closes the pen without waiting. */
void nb_live_page_shutdown (NbLivePage *page);
/* nb_live_page_has_pen: TRUE while a pen is connected or a recording is open: shutting down then
 * has something to wait for. */
gboolean nb_live_page_has_pen (NbLivePage *page);
/* nb_live_page_shutdown_async: as nb_live_page_shutdown, and @callback runs once the pen has
 * confirmed MOTOR_STOP and any recording is closed (as aborted, with @reason), or after
 * NB_RUN_CLOSE_TIMEOUT_MS; the finish fails with a message naming what could not be done. */
void nb_live_page_shutdown_async (NbLivePage *page, const char *reason,
                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean nb_live_page_shutdown_finish (NbLivePage *page, GAsyncResult *result,
                                       GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Signals:
 *   "connected" (): a pen was connected (nb_live_page_get_run is the new one)
 *   "lost" (const char *message)
 *   "recording-finished" (gint64 session_id, const char *error_or_NULL)
 *   "message" (const char *text): something the operator must read (errors, refusals)
 *   "pen-stopped" (const char *text): the pen stopped its motor by itself (NbRun "pen-stopped") */

G_END_DECLS
