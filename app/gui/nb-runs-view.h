/* nb-runs-view.h: the calibration runs on the Records page: the list of stored runs (newest
 * first) and, for the one selected, its verdict per point and overall, read from its result
 * document in a worker thread. Renders NbRunRecords. */
#pragma once

#include <gtk/gtk.h>

#include "nb-run-records.h"

G_BEGIN_DECLS

#define NB_TYPE_RUNS_VIEW (nb_runs_view_get_type ())
G_DECLARE_FINAL_TYPE (NbRunsView, nb_runs_view, NB, RUNS_VIEW, GtkBox)

void nb_runs_view_set_store_path (NbRunsView *view, const char *store_path);
/* nb_runs_view_refresh: lists the runs again (in a worker). */
void nb_runs_view_refresh (NbRunsView *view);
NbRunRecords *nb_runs_view_get_records (NbRunsView *view);
/* nb_runs_view_open: selects and loads run @run_id; FALSE if it is not listed. */
gboolean nb_runs_view_open (NbRunsView *view, gint64 run_id);
/* The run shown (0 while none or loading), its big verdict, and its table's rows (header first,
 * cells joined by " | "). */
gint64 nb_runs_view_get_shown_run (NbRunsView *view);
const char *nb_runs_view_get_verdict_text (NbRunsView *view);
GStrv nb_runs_view_get_rows (NbRunsView *view);

G_END_DECLS
