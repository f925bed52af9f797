/* nb-records-page.h: the Records page: search recorded sessions, replay one (strip chart,
 * per-stroke depth, statistics) and export it; and, switched to, the calibration runs
 * (NbRunsView). Renders NbRecords. */
#pragma once

#include <adwaita.h>

#include "nb-records.h"
#include "nb-runs-view.h"
#include "nb-units.h"

G_BEGIN_DECLS

#define NB_TYPE_RECORDS_PAGE (nb_records_page_get_type ())
G_DECLARE_FINAL_TYPE (NbRecordsPage, nb_records_page, NB, RECORDS_PAGE, GtkBox)

void nb_records_page_set_store_path (NbRecordsPage *page, const char *store_path);
/* nb_records_page_refresh: lists again with the current search (in a worker; the list and any
 * search error are shown when it is done). */
void nb_records_page_refresh (NbRecordsPage *page);
/* nb_records_page_set_units: the charts' depth axes in @units (the "units" setting). */
void nb_records_page_set_units (NbRecordsPage *page, NbUnits units);
NbRecords *nb_records_page_get_records (NbRecordsPage *page);
/* nb_records_page_open: selects and loads session @session_id; FALSE if it is not listed. */
gboolean nb_records_page_open (NbRecordsPage *page, gint64 session_id);
/* The session shown (0 while none or loading). */
gint64 nb_records_page_get_shown_session (NbRecordsPage *page);
/* The shown session's figures, and its status mark ("Aborted: why"), or NULL while no session
 * is shown or it ended normally (tests). */
const char *nb_records_page_get_stats_text (NbRecordsPage *page);
const char *nb_records_page_get_status_text (NbRecordsPage *page);
/* The search error shown (a day that is not a date, a database that cannot be read), or NULL. */
const char *nb_records_page_get_search_error (NbRecordsPage *page);
/* nb_records_page_export: exports the shown session to @path (as the export dialog does, in a
 * worker); a "message" says how it went. */
void nb_records_page_export (NbRecordsPage *page, gboolean json, const char *path);
/* nb_records_page_set_search: fills the search fields (as the operator types them) and lists. */
void nb_records_page_set_search (NbRecordsPage *page, const char *serial, const char *operator_name,
                                 const char *day);

/* How the "exported" toast's Open button opens the file (default: gtk_show_uri); tests pass
 * their own so that nothing is launched. NULL restores the default. */
typedef void (*NbRecordsOpener) (GtkWidget *page, const char *uri, gpointer data);
void nb_records_page_set_opener (NbRecordsPage *page, NbRecordsOpener opener, gpointer data);
/* (transfer none) the last "exported" toast while it is shown, or NULL (tests). */
AdwToast *nb_records_page_get_export_toast (NbRecordsPage *page);

/* The calibration runs beside the sessions (a switch at the top of the page). */
NbRunsView *nb_records_page_get_runs_view (NbRecordsPage *page);
/* nb_records_page_show_kind: shows the runs (@runs) or the sessions. */
void nb_records_page_show_kind (NbRecordsPage *page, gboolean runs);

/* Signals: "message" (const char *text); "exported" (const char *path): a session was exported
 * (the toast saying so, with a button to open the file, is shown by the page itself). */

G_END_DECLS
