/* nb-cli-stats.h: what the two halves of `needlebench-cli stats` share (nb-cli-stats.c: options
 * and text; nb-cli-stats-json.c: the JSON object of docs/cli.md, "stats"). */
#pragma once

#include "nb-fleet-stats.h"

G_BEGIN_DECLS

/* What was asked for, echoed in the output. */
typedef struct
{
  const char *model;
  const char *pen;
  const char *batch;
  const char *since; /* YYYY-MM-DD, or NULL */
  NbFleetIntervalParams params;
} NbCliStatsQuery;

/* nb_cli_stats_iso: (transfer full) @us (µs since epoch) as ISO 8601 UTC to the second. */
char *nb_cli_stats_iso (gint64 us);

/* nb_cli_stats_print_json: prints @stats for @query as the JSON object of docs/cli.md. */
void nb_cli_stats_print_json (const NbFleetStats *stats, const NbCliStatsQuery *query);

G_END_DECLS
