/* nb-fleet-stats.c: per-pen history, drift and recommended interval, per-model distributions
 * (nb-fleet-stats.h; the method is docs/fleet-statistics.md). */
#include "nb-fleet-stats.h"

#include <math.h>

#include "nb-cpk.h"

#define US_PER_DAY (86400.0 * G_USEC_PER_SEC)
/* two targets (or rates) read back from the same profile compare equal to far better than this;
 * it only absorbs the 4-decimal rounding of the result document */
#define SAME_POINT_EPS 1e-6

NbFleetRun *
nb_fleet_run_new (gint64 run_id, const char *serial, const char *model, const char *profile,
                  gint64 started_at)
{
  NbFleetRun *r = g_new0 (NbFleetRun, 1);
  r->run_id = run_id;
  r->serial = g_strdup (serial);
  r->model = g_strdup (model);
  r->profile = g_strdup (profile);
  r->started_at = started_at;
  r->points = g_array_new (FALSE, TRUE, sizeof (NbFleetPoint));
  return r;
}

void
nb_fleet_run_free (NbFleetRun *run)
{
  if (run == NULL)
    return;
  g_free (run->serial);
  g_free (run->model);
  g_free (run->profile);
  g_array_unref (run->points);
  g_free (run);
}

NbFleetIntervalParams
nb_fleet_interval_params_default (void)
{
  return (NbFleetIntervalParams){ NB_FLEET_DEFAULT_SHARE, NB_FLEET_DEFAULT_MIN_GAP_DAYS,
                                  NB_FLEET_DEFAULT_MIN_DAYS, NB_FLEET_DEFAULT_MAX_DAYS };
}

const char *
nb_fleet_interval_kind_to_string (NbFleetIntervalKind kind)
{
  switch (kind)
    {
    case NB_FLEET_INTERVAL_COMPUTED: return "computed";
    case NB_FLEET_INTERVAL_MIN: return "clamped-min";
    case NB_FLEET_INTERVAL_MAX: return "clamped-max";
    case NB_FLEET_INTERVAL_INSUFFICIENT:
    default: return "insufficient-history";
    }
}

static gboolean
same_point (double t1, double r1, double t2, double r2)
{
  return fabs (t1 - t2) < SAME_POINT_EPS && fabs (r1 - r2) < SAME_POINT_EPS;
}

static const NbFleetPoint *
find_point (const NbFleetRun *run, double target, double rate)
{
  for (guint i = 0; i < run->points->len; i++)
    {
      const NbFleetPoint *p = &g_array_index (run->points, NbFleetPoint, i);
      if (same_point (p->target_mm, p->rate_hz, target, rate))
        return p;
    }
  return NULL;
}

/* ---- per pen ---- */

static void
pen_free (NbFleetPen *pen)
{
  g_free (pen->serial);
  g_free (pen->model);
  g_ptr_array_unref (pen->runs);
  g_array_unref (pen->drift);
  g_free (pen);
}

/* when e0 + r·t, widened by U, reaches share × the limit it drifts towards (days) */
static double
days_to_limit (const NbFleetPoint *p, double e0, double U, double rate_per_day, double share)
{
  double hi = share * p->tol_upper_mm, lo = share * p->tol_lower_mm;
  if (e0 + U >= hi || e0 - U <= lo)
    return 0; /* already there as it left the bench */
  if (rate_per_day > 0)
    return isfinite (hi) ? (hi - U - e0) / rate_per_day : INFINITY;
  if (rate_per_day < 0)
    return isfinite (lo) ? (lo + U - e0) / rate_per_day : INFINITY;
  return INFINITY;
}

static void
pen_drift (NbFleetPen *pen, const NbFleetIntervalParams *params)
{
  const NbFleetRun *last = g_ptr_array_index (pen->runs, pen->runs->len - 1);
  for (guint i = 0; i < last->points->len; i++)
    {
      const NbFleetPoint *lp = &g_array_index (last->points, NbFleetPoint, i);
      NbFleetPointDrift d = { lp->target_mm, lp->rate_hz, 0, 0, 0, NAN, NAN, NAN, NAN };
      d.start_error_mm = lp->has_left ? lp->left_error_mm : lp->found_error_mm;
      d.start_U_mm = lp->has_left ? lp->left_U_mm : lp->found_U_mm;
      for (guint r = 1; r < pen->runs->len; r++)
        {
          const NbFleetRun *a = g_ptr_array_index (pen->runs, r - 1);
          const NbFleetRun *b = g_ptr_array_index (pen->runs, r);
          double gap = (double) (b->started_at - a->started_at) / US_PER_DAY;
          if (gap < params->min_gap_days)
            continue;
          const NbFleetPoint *pa = find_point (a, lp->target_mm, lp->rate_hz);
          const NbFleetPoint *pb = find_point (b, lp->target_mm, lp->rate_hz);
          if (pa == NULL || pb == NULL || !pb->has_found || !(pa->has_left || pa->has_found))
            continue;
          /* from where the pen left the bench to where it was found next time */
          double from = pa->has_left ? pa->left_error_mm : pa->found_error_mm;
          d.pairs++;
          d.days += gap;
          d.change_mm += pb->found_error_mm - from;
        }
      if (d.pairs > 0 && isfinite (d.start_error_mm) && isfinite (d.start_U_mm))
        {
          double per_day = d.change_mm / d.days;
          d.drift_mm_per_30d = per_day * NB_FLEET_DRIFT_PERIOD_DAYS;
          d.days_to_limit
              = days_to_limit (lp, d.start_error_mm, d.start_U_mm, per_day, params->share);
        }
      else if (d.pairs > 0)
        d.drift_mm_per_30d = d.change_mm / d.days * NB_FLEET_DRIFT_PERIOD_DAYS;
      g_array_append_val (pen->drift, d);
    }

  pen->interval_kind = NB_FLEET_INTERVAL_INSUFFICIENT;
  pen->interval_days = 0;
  pen->limiting_point = -1;
  double best = NAN;
  for (guint i = 0; i < pen->drift->len; i++)
    {
      const NbFleetPointDrift *d = &g_array_index (pen->drift, NbFleetPointDrift, i);
      if (isnan (d->days_to_limit))
        continue;
      if (isnan (best) || d->days_to_limit < best)
        {
          best = d->days_to_limit;
          pen->limiting_point = (int) i;
        }
    }
  if (isnan (best))
    return;
  if (!isfinite (best))
    {
      pen->limiting_point = -1; /* no point drifts towards a limit */
      pen->interval_kind = NB_FLEET_INTERVAL_MAX;
      pen->interval_days = params->max_days;
      return;
    }
  /* a recommendation errs on the early side; the slack keeps a figure that is a whole number
   * of days by hand (400) from becoming one day less by rounding (399.99999…) */
  double whole = floor (best + 1e-6);
  if (whole < (double) params->min_days)
    {
      pen->interval_kind = NB_FLEET_INTERVAL_MIN;
      pen->interval_days = params->min_days;
    }
  else if (whole > (double) params->max_days)
    {
      pen->interval_kind = NB_FLEET_INTERVAL_MAX;
      pen->interval_days = params->max_days;
    }
  else
    {
      pen->interval_kind = NB_FLEET_INTERVAL_COMPUTED;
      pen->interval_days = (gint64) whole;
    }
}

/* ---- per model ---- */

static void
group_free (NbFleetGroup *g)
{
  g_free (g->model);
  for (guint i = 0; i < g->points->len; i++)
    g_array_unref (g_array_index (g->points, NbFleetPointDist, i).bins);
  g_array_unref (g->points);
  g_free (g);
}

static NbFleetGroup *
group_for (GPtrArray *groups, const char *model)
{
  for (guint i = 0; i < groups->len; i++)
    {
      NbFleetGroup *g = g_ptr_array_index (groups, i);
      if (g_strcmp0 (g->model, model) == 0)
        return g;
    }
  NbFleetGroup *g = g_new0 (NbFleetGroup, 1);
  g->model = g_strdup (model);
  g->points = g_array_new (FALSE, TRUE, sizeof (NbFleetPointDist));
  g_ptr_array_add (groups, g);
  return g;
}

/* the errors of each point are gathered first, then summarised */
typedef struct
{
  NbFleetPointDist dist;
  GArray *errors; /* double */
} Gather;

static Gather *
gather_for (GArray *gathers, const NbFleetPoint *p)
{
  for (guint i = 0; i < gathers->len; i++)
    {
      Gather *g = &g_array_index (gathers, Gather, i);
      if (same_point (g->dist.target_mm, g->dist.rate_hz, p->target_mm, p->rate_hz))
        {
          if (!isnan (g->dist.tol_lower_mm)
              && (g->dist.tol_lower_mm != p->tol_lower_mm
                  || g->dist.tol_upper_mm != p->tol_upper_mm))
            g->dist.tol_lower_mm = g->dist.tol_upper_mm = NAN; /* mixed: no one capability */
          return g;
        }
    }
  Gather g = { { 0 }, g_array_new (FALSE, FALSE, sizeof (double)) };
  g.dist.target_mm = p->target_mm;
  g.dist.rate_hz = p->rate_hz;
  g.dist.tol_lower_mm = p->tol_lower_mm;
  g.dist.tol_upper_mm = p->tol_upper_mm;
  g_array_append_val (gathers, g);
  return &g_array_index (gathers, Gather, gathers->len - 1);
}

/* Sturges' rule: ⌈log2 n⌉ + 1 equal bins from min to max */
static GArray *
histogram (const double *x, guint n, double min, double max)
{
  GArray *bins = g_array_new (FALSE, TRUE, sizeof (NbFleetBin));
  guint k = 1;
  if (n > 1 && max > min)
    {
      guint c = 0;
      while ((1u << c) < n)
        c++;
      k = c + 1;
    }
  double w = (max - min) / k;
  for (guint i = 0; i < k; i++)
    {
      NbFleetBin b = { min + i * w, i + 1 == k ? max : min + (i + 1) * w, 0 };
      g_array_append_val (bins, b);
    }
  for (guint i = 0; i < n; i++)
    {
      guint at = 0;
      if (k > 1)
        {
          double f = floor ((x[i] - min) / w);
          at = f < 0 ? 0 : f >= k ? k - 1 : (guint) f;
        }
      g_array_index (bins, NbFleetBin, at).count++;
    }
  return bins;
}

static void
summarise (Gather *g)
{
  NbFleetPointDist *d = &g->dist;
  const double *x = (const double *) g->errors->data;
  guint n = g->errors->len;
  d->n = n;
  d->mean_mm = d->sd_mm = d->min_mm = d->max_mm = d->cpk = NAN;
  if (n > 0)
    {
      double sum = 0;
      d->min_mm = d->max_mm = x[0];
      for (guint i = 0; i < n; i++)
        {
          sum += x[i];
          d->min_mm = MIN (d->min_mm, x[i]);
          d->max_mm = MAX (d->max_mm, x[i]);
        }
      d->mean_mm = sum / n;
    }
  if (n > 1)
    {
      double ss = 0;
      for (guint i = 0; i < n; i++)
        ss += (x[i] - d->mean_mm) * (x[i] - d->mean_mm);
      d->sd_mm = sqrt (ss / (n - 1));
    }
  double cpk;
  if (n > 1 && !isnan (d->tol_lower_mm)
      && nb_cpk (n, d->mean_mm, d->sd_mm, d->tol_lower_mm, d->tol_upper_mm, &cpk, NULL))
    d->cpk = cpk;
  d->bins = histogram (x, n, d->min_mm, d->max_mm);
  g_array_unref (g->errors);
}

static int
dist_compare (gconstpointer a, gconstpointer b)
{
  const NbFleetPointDist *x = a, *y = b;
  if (x->target_mm != y->target_mm)
    return x->target_mm < y->target_mm ? -1 : 1;
  return x->rate_hz < y->rate_hz ? -1 : x->rate_hz > y->rate_hz ? 1 : 0;
}

static int
run_compare (gconstpointer a, gconstpointer b)
{
  const NbFleetRun *x = *(NbFleetRun *const *) a, *y = *(NbFleetRun *const *) b;
  if (x->started_at != y->started_at)
    return x->started_at < y->started_at ? -1 : 1;
  return x->run_id < y->run_id ? -1 : x->run_id > y->run_id ? 1 : 0;
}

static int
pen_compare (gconstpointer a, gconstpointer b)
{
  const NbFleetPen *x = *(NbFleetPen *const *) a, *y = *(NbFleetPen *const *) b;
  return g_strcmp0 (x->serial, y->serial);
}

static int
group_compare (gconstpointer a, gconstpointer b)
{
  const NbFleetGroup *x = *(NbFleetGroup *const *) a, *y = *(NbFleetGroup *const *) b;
  if ((x->model == NULL) != (y->model == NULL))
    return x->model == NULL ? 1 : -1;
  return g_strcmp0 (x->model, y->model);
}

NbFleetStats *
nb_fleet_stats_compute (GPtrArray *runs, gint64 since, const NbFleetIntervalParams *params)
{
  NbFleetStats *s = g_new0 (NbFleetStats, 1);
  s->all = g_ptr_array_ref (runs);
  s->pens = g_ptr_array_new_with_free_func ((GDestroyNotify) pen_free);
  s->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  /* not g_ptr_array_copy (): the copy would take the free function of @runs */
  g_autoptr (GPtrArray) sorted = g_ptr_array_sized_new (runs->len);
  for (guint i = 0; i < runs->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (runs, i));
  g_ptr_array_sort (sorted, run_compare);

  g_autoptr (GHashTable) pens = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) first_seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) gathers = g_hash_table_new (NULL, NULL); /* group → GArray of Gather */
  for (guint i = 0; i < sorted->len; i++)
    {
      NbFleetRun *r = g_ptr_array_index (sorted, i);
      gboolean first = !g_hash_table_contains (first_seen, r->serial);
      g_hash_table_add (first_seen, r->serial);
      if (r->started_at < since)
        continue;
      s->runs++;
      NbFleetGroup *g = group_for (s->groups, r->model);
      g->runs++;
      if (first && r->has_found_verdict)
        {
          g->first_pens++;
          if (nb_verdict_is_acceptance (r->found_verdict))
            g->first_passed++;
        }
      NbFleetPen *pen = g_hash_table_lookup (pens, r->serial);
      if (pen == NULL)
        {
          pen = g_new0 (NbFleetPen, 1);
          pen->serial = g_strdup (r->serial);
          pen->runs = g_ptr_array_new ();
          pen->drift = g_array_new (FALSE, TRUE, sizeof (NbFleetPointDrift));
          g_ptr_array_add (s->pens, pen);
          g_hash_table_insert (pens, pen->serial, pen);
          g->pens++;
        }
      g_free (pen->model);
      pen->model = g_strdup (r->model); /* the latest run's word */
      g_ptr_array_add (pen->runs, r);

      GArray *gs = g_hash_table_lookup (gathers, g);
      if (gs == NULL)
        {
          gs = g_array_new (FALSE, TRUE, sizeof (Gather));
          g_hash_table_insert (gathers, g, gs);
        }
      for (guint j = 0; j < r->points->len; j++)
        {
          const NbFleetPoint *p = &g_array_index (r->points, NbFleetPoint, j);
          if (!p->has_found || !isfinite (p->found_error_mm))
            continue;
          Gather *ga = gather_for (gs, p);
          g_array_append_val (ga->errors, p->found_error_mm);
          if (!nb_verdict_is_acceptance (p->found_verdict))
            ga->dist.failed++;
        }
    }

  for (guint i = 0; i < s->pens->len; i++)
    pen_drift (g_ptr_array_index (s->pens, i), params);
  for (guint i = 0; i < s->groups->len; i++)
    {
      NbFleetGroup *g = g_ptr_array_index (s->groups, i);
      GArray *gs = g_hash_table_lookup (gathers, g);
      for (guint j = 0; gs != NULL && j < gs->len; j++)
        {
          Gather *ga = &g_array_index (gs, Gather, j);
          summarise (ga);
          g_array_append_val (g->points, ga->dist);
        }
      if (gs != NULL)
        g_array_unref (gs);
      g_array_sort (g->points, dist_compare);
    }
  g_ptr_array_sort (s->pens, pen_compare);
  g_ptr_array_sort (s->groups, group_compare);
  return s;
}

void
nb_fleet_stats_free (NbFleetStats *stats)
{
  if (stats == NULL)
    return;
  g_ptr_array_unref (stats->pens);
  g_ptr_array_unref (stats->groups);
  g_ptr_array_unref (stats->all);
  g_free (stats);
}

double
nb_fleet_group_yield (const NbFleetGroup *group)
{
  return group->first_pens == 0 ? NAN : (double) group->first_passed / group->first_pens;
}

static int
failing_compare (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const NbFleetGroup *g = user_data;
  guint i = *(const guint *) a, j = *(const guint *) b;
  const NbFleetPointDist *x = &g_array_index (g->points, NbFleetPointDist, i);
  const NbFleetPointDist *y = &g_array_index (g->points, NbFleetPointDist, j);
  if (x->failed != y->failed)
    return x->failed > y->failed ? -1 : 1;
  return i < j ? -1 : i > j ? 1 : 0; /* points are in target, rate order */
}

GArray *
nb_fleet_group_failing (const NbFleetGroup *group)
{
  GArray *idx = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < group->points->len; i++)
    if (g_array_index (group->points, NbFleetPointDist, i).failed > 0)
      g_array_append_val (idx, i);
  g_array_sort_with_data (idx, failing_compare, (gpointer) group);
  return idx;
}
