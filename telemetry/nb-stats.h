/* nb-stats.h: running statistics (Welford's algorithm): n, mean, SD, min, max without storing
 * the values. Plain struct; zero-initialise or nb_stats_init. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 n;
  double mean;
  double m2;
  double min;
  double max;
} NbStats;

void nb_stats_init (NbStats *s);
void nb_stats_add (NbStats *s, double x);
/* Sample standard deviation (n - 1); 0 when n < 2. */
double nb_stats_sd (const NbStats *s);
/* Merges @b into @a (Chan et al.), for per-setting and total figures. */
void nb_stats_merge (NbStats *a, const NbStats *b);

G_END_DECLS
