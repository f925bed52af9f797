/* nb-cli-stats-json.c: `stats --json` (docs/cli.md, "stats"). Figures at their precision: errors,
 * U and drift in mm to 4 decimals (0.1 µm, as the result documents they come from), Cpk to 2,
 * yield to 4, days to 1 (a drift's span) or whole (an interval). */
#include <math.h>

#include "nb-cli-json.h"
#include "nb-cli-stats.h"
#include "nb-cli.h"

char *
nb_cli_stats_iso (gint64 us)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  return t ? g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

static void
point_key (JsonBuilder *b, double target, double rate)
{
  nb_cli_json_fixed (b, "target_mm", target, 4);
  nb_cli_json_fixed (b, "rate_hz", rate, 3);
}

static void
verdict_member (JsonBuilder *b, const char *name, gboolean has, NbVerdict v)
{
  nb_cli_json_string (b, name, has ? nb_verdict_to_string (v) : NULL);
}

static void
history (JsonBuilder *b, const NbFleetPen *pen)
{
  json_builder_set_member_name (b, "history");
  json_builder_begin_array (b);
  for (guint i = 0; i < pen->runs->len; i++)
    {
      const NbFleetRun *r = g_ptr_array_index (pen->runs, i);
      g_autofree char *at = nb_cli_stats_iso (r->started_at);
      json_builder_begin_object (b);
      nb_cli_json_int (b, "run", r->run_id);
      nb_cli_json_string (b, "started_at", at);
      nb_cli_json_string (b, "profile", r->profile);
      verdict_member (b, "as_found_verdict", r->has_found_verdict, r->found_verdict);
      verdict_member (b, "as_left_verdict", r->has_left_verdict, r->left_verdict);
      json_builder_set_member_name (b, "points");
      json_builder_begin_array (b);
      for (guint j = 0; j < r->points->len; j++)
        {
          const NbFleetPoint *p = &g_array_index (r->points, NbFleetPoint, j);
          json_builder_begin_object (b);
          point_key (b, p->target_mm, p->rate_hz);
          nb_cli_json_fixed (b, "as_found_error_mm", p->has_found ? p->found_error_mm : NAN, 4);
          verdict_member (b, "as_found_verdict", p->has_found, p->found_verdict);
          nb_cli_json_fixed (b, "as_left_error_mm", p->has_left ? p->left_error_mm : NAN, 4);
          verdict_member (b, "as_left_verdict", p->has_left, p->left_verdict);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
drift (JsonBuilder *b, const NbFleetPen *pen)
{
  json_builder_set_member_name (b, "drift");
  json_builder_begin_array (b);
  for (guint i = 0; i < pen->drift->len; i++)
    {
      const NbFleetPointDrift *d = &g_array_index (pen->drift, NbFleetPointDrift, i);
      json_builder_begin_object (b);
      point_key (b, d->target_mm, d->rate_hz);
      nb_cli_json_int (b, "pairs", d->pairs);
      nb_cli_json_fixed (b, "days", d->pairs ? d->days : NAN, 1);
      nb_cli_json_fixed (b, "drift_mm_per_30d", d->drift_mm_per_30d, 4);
      nb_cli_json_fixed (b, "start_error_mm", d->start_error_mm, 4);
      nb_cli_json_fixed (b, "start_U_mm", d->start_U_mm, 4);
      /* never: null, as a missing figure (JSON has no infinity); "pairs" tells them apart */
      nb_cli_json_fixed (b, "days_to_limit", d->days_to_limit, 1);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
pens (JsonBuilder *b, const NbFleetStats *s)
{
  json_builder_set_member_name (b, "pens");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->pens->len; i++)
    {
      const NbFleetPen *pen = g_ptr_array_index (s->pens, i);
      json_builder_begin_object (b);
      nb_cli_json_string (b, "serial", pen->serial);
      nb_cli_json_string (b, "model", pen->model);
      nb_cli_json_int (b, "calibrations", pen->runs->len);
      history (b, pen);
      drift (b, pen);
      json_builder_set_member_name (b, "interval");
      json_builder_begin_object (b);
      nb_cli_json_string (b, "kind", nb_fleet_interval_kind_to_string (pen->interval_kind));
      if (pen->interval_kind == NB_FLEET_INTERVAL_INSUFFICIENT)
        nb_cli_json_string (b, "days", NULL);
      else
        nb_cli_json_int (b, "days", pen->interval_days);
      json_builder_set_member_name (b, "limiting_point");
      if (pen->limiting_point < 0)
        json_builder_add_null_value (b);
      else
        {
          const NbFleetPointDrift *d
              = &g_array_index (pen->drift, NbFleetPointDrift, pen->limiting_point);
          json_builder_begin_object (b);
          point_key (b, d->target_mm, d->rate_hz);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
dist (JsonBuilder *b, const NbFleetPointDist *d)
{
  point_key (b, d->target_mm, d->rate_hz);
  nb_cli_json_int (b, "n", d->n);
  nb_cli_json_fixed (b, "mean_mm", d->mean_mm, 4);
  nb_cli_json_fixed (b, "sd_mm", d->sd_mm, 4);
  nb_cli_json_fixed (b, "min_mm", d->min_mm, 4);
  nb_cli_json_fixed (b, "max_mm", d->max_mm, 4);
  json_builder_set_member_name (b, "tolerance");
  if (isnan (d->tol_lower_mm))
    json_builder_add_null_value (b);
  else
    {
      json_builder_begin_object (b);
      nb_cli_json_fixed (b, "lower_mm", d->tol_lower_mm, 4);
      nb_cli_json_fixed (b, "upper_mm", d->tol_upper_mm, 4);
      json_builder_end_object (b);
    }
  nb_cli_json_fixed (b, "cpk", d->cpk, 2);
  nb_cli_json_int (b, "failed", d->failed);
  json_builder_set_member_name (b, "histogram");
  json_builder_begin_array (b);
  for (guint k = 0; k < d->bins->len; k++)
    {
      const NbFleetBin *bin = &g_array_index (d->bins, NbFleetBin, k);
      json_builder_begin_object (b);
      nb_cli_json_fixed (b, "from_mm", bin->from_mm, 4);
      nb_cli_json_fixed (b, "to_mm", bin->to_mm, 4);
      nb_cli_json_int (b, "count", bin->count);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
models (JsonBuilder *b, const NbFleetStats *s)
{
  json_builder_set_member_name (b, "models");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->groups->len; i++)
    {
      const NbFleetGroup *g = g_ptr_array_index (s->groups, i);
      json_builder_begin_object (b);
      nb_cli_json_string (b, "model", g->model);
      nb_cli_json_int (b, "pens", g->pens);
      nb_cli_json_int (b, "runs", g->runs);
      json_builder_set_member_name (b, "first_pass");
      json_builder_begin_object (b);
      nb_cli_json_int (b, "pens", g->first_pens);
      nb_cli_json_int (b, "passed", g->first_passed);
      nb_cli_json_fixed (b, "yield", nb_fleet_group_yield (g), 4);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "points");
      json_builder_begin_array (b);
      for (guint j = 0; j < g->points->len; j++)
        {
          json_builder_begin_object (b);
          dist (b, &g_array_index (g->points, NbFleetPointDist, j));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      g_autoptr (GArray) failing = nb_fleet_group_failing (g);
      json_builder_set_member_name (b, "failing_points");
      json_builder_begin_array (b);
      for (guint j = 0; j < failing->len; j++)
        {
          const NbFleetPointDist *d
              = &g_array_index (g->points, NbFleetPointDist, g_array_index (failing, guint, j));
          json_builder_begin_object (b);
          point_key (b, d->target_mm, d->rate_hz);
          nb_cli_json_int (b, "failed", d->failed);
          nb_cli_json_int (b, "of", d->n);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

void
nb_cli_stats_print_json (const NbFleetStats *s, const NbCliStatsQuery *q)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "selection");
  json_builder_begin_object (b);
  nb_cli_json_string (b, "model", q->model);
  nb_cli_json_string (b, "pen", q->pen);
  nb_cli_json_string (b, "batch", q->batch);
  nb_cli_json_string (b, "since", q->since);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "interval_method");
  json_builder_begin_object (b);
  nb_cli_json_fixed (b, "share", q->params.share, 2);
  nb_cli_json_fixed (b, "min_gap_days", q->params.min_gap_days, 1);
  nb_cli_json_int (b, "min_days", q->params.min_days);
  nb_cli_json_int (b, "max_days", q->params.max_days);
  json_builder_end_object (b);
  nb_cli_json_int (b, "runs", s->runs);
  nb_cli_json_int (b, "pen_count", s->pens->len);
  models (b, s);
  pens (b, s);
  json_builder_end_object (b);
  nb_cli_print_json (json_builder_get_root (b));
}
