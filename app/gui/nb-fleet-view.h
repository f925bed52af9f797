/* nb-fleet-view.h: "Fleet statistics" on the Records page (issue 13 §2): the statistics that
 * `needlebench-cli stats` prints (docs/fleet-statistics.md), selected by model, batch (serial
 * prefix), pen and since-day as the CLI's options: per model the first-pass yield, the most common
 * failing points and per depth point count, mean, sd, Cpk and a chart of the as-found errors; per
 * pen its calibration history (a chart), drift and recommended interval. Loaded in a worker
 * (NbFleetData) whenever the view is shown or a filter changes. The database path and the depth
 * unit follow the app's settings. */
#pragma once

#include <gtk/gtk.h>

#include "nb-fleet-data.h"

G_BEGIN_DECLS

#define NB_TYPE_FLEET_VIEW (nb_fleet_view_get_type ())
G_DECLARE_FINAL_TYPE (NbFleetView, nb_fleet_view, NB, FLEET_VIEW, GtkBox)

/* nb_fleet_view_set_store_path: reads the database at @store_path (NULL or "": the settings' or
 * the default path) from now on, and refreshes. */
void nb_fleet_view_set_store_path (NbFleetView *view, const char *store_path);
/* nb_fleet_view_set_filters: fills the filter fields (as the operator types them); each change
 * refreshes. NULL leaves a field empty. */
void nb_fleet_view_set_filters (NbFleetView *view, const char *model, const char *batch,
                                const char *pen, const char *since);
/* nb_fleet_view_refresh: loads the statistics again (in a worker). */
void nb_fleet_view_refresh (NbFleetView *view);
gboolean nb_fleet_view_is_loading (NbFleetView *view);
/* "loading", "empty" (no calibration recorded), "none" (none selected), "error" or "stats" */
const char *nb_fleet_view_get_state (NbFleetView *view);
/* (transfer none) the statistics shown, or NULL */
NbFleetData *nb_fleet_view_get_data (NbFleetView *view);
/* nb_fleet_view_get_texts: (transfer full) the text of every label shown, in order (the error or
 * empty state's too). */
GStrv nb_fleet_view_get_texts (NbFleetView *view);
/* nb_fleet_view_get_charts: (transfer container) (element-type GtkWidget) the charts shown:
 * each model's distribution, then each pen's history. */
GPtrArray *nb_fleet_view_get_charts (NbFleetView *view);

G_END_DECLS
