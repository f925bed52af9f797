/* nb-fleet-data.h: the fleet statistics for the Records page (issue 13 §2): the calibration runs
 * of a database selected and summed up by nb_fleet_load_runs () and nb_fleet_stats_compute ()
 * (calibration/nb-fleet-stats.h, the same as `needlebench-cli stats`) in a worker thread with its
 * own read-only connection, and the texts the view shows, each figure with its precision
 * (docs/fleet-statistics.md, "Precision"). */
#pragma once

#include <gio/gio.h>

#include "nb-fleet-stats.h"
#include "nb-units.h"

G_BEGIN_DECLS

/* What the operator selected; NULL or "" selects everything (as the CLI's options). */
typedef struct
{
  char *model;
  char *batch; /* serial prefix */
  char *pen;
  char *since; /* YYYY-MM-DD, UTC */
} NbFleetQuery;

void nb_fleet_query_clear (NbFleetQuery *query);

/* Statistics shared by the view and its charts (a chart may outlive a refresh by a frame). */
typedef struct
{
  NbFleetStats *stats;
  gboolean database_empty; /* no calibration at all in the database, whatever the selection */
  gint64 since_us;
  NbFleetIntervalParams params;
} NbFleetData;

NbFleetData *nb_fleet_data_ref (NbFleetData *data);
void nb_fleet_data_unref (NbFleetData *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbFleetData, nb_fleet_data_unref)

/* nb_fleet_query_since: @query's since day as µs since the epoch (00:00 UTC; 0 for none), or
 * FALSE with a message when it is no date. */
gboolean nb_fleet_query_since (const NbFleetQuery *query, gint64 *since_us,
                               GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_fleet_data_load_async: the statistics of the database at @store_path for @query (copied), in
 * a worker. No database file yet is an empty result (nothing is created by looking). */
void nb_fleet_data_load_async (const char *store_path, const NbFleetQuery *query,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data);
NbFleetData *nb_fleet_data_load_finish (GAsyncResult *result,
                                        GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Texts (transfer full), translated, numbers in the user's locale. */
/* "1.000 mm at 100 Hz" */
char *nb_fleet_text_point (NbUnits units, double target_mm, double rate_hz);
/* a signed error: "+0.0123 mm" / "+12.3 µm"; "–" for NaN */
char *nb_fleet_text_error (NbUnits units, double mm);
/* an unsigned spread (sd): "0.0123 mm" / "12.3 µm"; "–" for NaN */
char *nb_fleet_text_spread (NbUnits units, double mm);
/* "5 calibrations of 4 pens" */
char *nb_fleet_text_summary (const NbFleetStats *stats);
/* "3 pens · 4 calibrations" */
char *nb_fleet_text_group_counts (const NbFleetGroup *group);
/* "1 of 3 pens (33.3 %)", or a sentence why there is none */
char *nb_fleet_text_yield (const NbFleetGroup *group);
#define NB_FLEET_FAILING_SHOWN 6
/* "2.000 mm at 100 Hz (2 of 4), …" or "none": the first NB_FLEET_FAILING_SHOWN, then how many
 * more */
char *nb_fleet_text_failing (NbUnits units, const NbFleetGroup *group);
/* "400 days (set by 2.000 mm at 100 Hz)", "Insufficient history: …", … */
char *nb_fleet_text_interval (NbUnits units, const NbFleetPen *pen,
                              const NbFleetIntervalParams *params);
/* "2.000 mm at 100 Hz +1.2 µm, …" per 30 days; NULL when no point has a drift figure */
char *nb_fleet_text_drift (NbUnits units, const NbFleetPen *pen);

G_END_DECLS
