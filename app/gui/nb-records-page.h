/* nb-records-page.h: the Records page: search recorded sessions, replay one (strip chart,
 * per-stroke depth, statistics) and export it. Renders NbRecords. */
#pragma once

#include <adwaita.h>

#include "nb-records.h"

G_BEGIN_DECLS

#define NB_TYPE_RECORDS_PAGE (nb_records_page_get_type ())
G_DECLARE_FINAL_TYPE (NbRecordsPage, nb_records_page, NB, RECORDS_PAGE, GtkBox)

void nb_records_page_set_store_path (NbRecordsPage *page, const char *store_path);
/* nb_records_page_refresh: lists again with the current search. */
void nb_records_page_refresh (NbRecordsPage *page);
NbRecords *nb_records_page_get_records (NbRecordsPage *page);
/* nb_records_page_open: selects and loads session @session_id; FALSE if it is not listed. */
gboolean nb_records_page_open (NbRecordsPage *page, gint64 session_id);
/* The session shown (0 while none or loading). */
gint64 nb_records_page_get_shown_session (NbRecordsPage *page);

/* Signals: "message" (const char *text) */

G_END_DECLS
