/* nb-stats.c: Welford running statistics. */
#include "nb-stats.h"

#include <math.h>

void
nb_stats_init (NbStats *s)
{
  s->n = 0;
  s->mean = s->m2 = 0.0;
  s->min = INFINITY;
  s->max = -INFINITY;
}

void
nb_stats_add (NbStats *s, double x)
{
  if (s->n == 0)
    {
      s->min = s->max = x;
    }
  s->n++;
  double delta = x - s->mean;
  s->mean += delta / (double) s->n;
  s->m2 += delta * (x - s->mean);
  if (x < s->min)
    s->min = x;
  if (x > s->max)
    s->max = x;
}

double
nb_stats_sd (const NbStats *s)
{
  return s->n < 2 ? 0.0 : sqrt (s->m2 / (double) (s->n - 1));
}

void
nb_stats_merge (NbStats *a, const NbStats *b)
{
  if (b->n == 0)
    return;
  if (a->n == 0)
    {
      *a = *b;
      return;
    }
  double n = (double) (a->n + b->n);
  double delta = b->mean - a->mean;
  a->m2 += b->m2 + delta * delta * (double) a->n * (double) b->n / n;
  a->mean += delta * (double) b->n / n;
  a->n += b->n;
  a->min = MIN (a->min, b->min);
  a->max = MAX (a->max, b->max);
}
