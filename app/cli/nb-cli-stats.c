/* nb-cli-stats.c: `needlebench-cli stats [--model M] [--batch PREFIX] [--pen SERIAL]
 * [--since YYYY-MM-DD] [--json] [--db PATH]`: statistics across the calibration runs of a
 * database (docs/cli.md, "stats"; the method: docs/fleet-statistics.md). The database is opened
 * read-only; serials, models and profiles came from pens and operators and are escaped before they
 * reach the terminal. */
#include <inttypes.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "nb-cli-stats.h"
#include "nb-cli.h"
#include "nb-store-standards.h"
#include "nb-store.h"

static char *
point_text (double target, double rate)
{
  return g_strdup_printf (_ ("%.2f mm at %g Hz"), target, rate);
}

static char *
signed_mm (double v)
{
  return isfinite (v) ? g_strdup_printf ("%+.4f", v) : g_strdup ("-");
}

static char *
fixed (double v, int decimals)
{
  return isfinite (v) ? g_strdup_printf ("%.*f", decimals, v) : g_strdup ("-");
}

static void
print_group (const NbFleetGroup *g)
{
  g_autofree char *model = nb_cli_escape (g->model);
  /* TRANSLATORS: "Model M: 3 pens, 7 calibrations" (the counts are the next two strings) */
  g_autofree char *pens_text = g_strdup_printf (ngettext ("%u pen", "%u pens", g->pens), g->pens);
  g_autofree char *runs_text
      = g_strdup_printf (ngettext ("%u calibration", "%u calibrations", g->runs), g->runs);
  printf (_ ("Model %s: %s, %s\n"), model ? model : _ ("(not given)"), pens_text, runs_text);
  double yield = nb_fleet_group_yield (g);
  if (isnan (yield))
    printf (_ ("  First-pass yield: - (no pen's first calibration in the selection)\n"));
  else
    printf (_ ("  First-pass yield: %u of %u pens (%.1f %%)\n"), g->first_passed, g->first_pens,
            100.0 * yield);
  printf (_ ("  As-found error per depth point (mm):\n"));
  printf ("    %-22s %4s  %8s  %7s  %8s  %8s  %5s  %6s\n", _ ("POINT"), "N", _ ("MEAN"), "SD",
          _ ("MIN"), _ ("MAX"), "CPK", _ ("FAILED"));
  for (guint i = 0; i < g->points->len; i++)
    {
      const NbFleetPointDist *d = &g_array_index (g->points, NbFleetPointDist, i);
      g_autofree char *pt = point_text (d->target_mm, d->rate_hz);
      g_autofree char *mean = signed_mm (d->mean_mm), *sd = fixed (d->sd_mm, 4);
      g_autofree char *min = signed_mm (d->min_mm), *max = signed_mm (d->max_mm);
      g_autofree char *cpk = fixed (d->cpk, 2);
      printf ("    %-22s %4u  %8s  %7s  %8s  %8s  %5s  %6u\n", pt, d->n, mean, sd, min, max, cpk,
              d->failed);
    }
  for (guint i = 0; i < g->points->len; i++)
    {
      const NbFleetPointDist *d = &g_array_index (g->points, NbFleetPointDist, i);
      g_autofree char *pt = point_text (d->target_mm, d->rate_hz);
      printf (_ ("  Histogram %s:"), pt);
      for (guint k = 0; k < d->bins->len; k++)
        {
          const NbFleetBin *bin = &g_array_index (d->bins, NbFleetBin, k);
          g_autofree char *from = signed_mm (bin->from_mm), *to = signed_mm (bin->to_mm);
          printf ("%s %s..%s: %u", k ? "," : "", from, to, bin->count);
        }
      printf ("\n");
    }
  g_autoptr (GArray) failing = nb_fleet_group_failing (g);
  printf (_ ("  Most common failing points:"));
  if (failing->len == 0)
    printf (_ (" none"));
  for (guint j = 0; j < failing->len; j++)
    {
      const NbFleetPointDist *d
          = &g_array_index (g->points, NbFleetPointDist, g_array_index (failing, guint, j));
      g_autofree char *pt = point_text (d->target_mm, d->rate_hz);
      printf (_ ("%s %s (%u of %u)"), j ? "," : "", pt, d->failed, d->n);
    }
  printf ("\n\n");
}

static void
print_pen (const NbFleetPen *pen, const NbFleetIntervalParams *params)
{
  g_autofree char *serial = nb_cli_escape (pen->serial);
  g_autofree char *model = nb_cli_escape (pen->model);
  printf (
      ngettext ("Pen %s (%s): %u calibration\n", "Pen %s (%s): %u calibrations\n", pen->runs->len),
      serial, model ? model : _ ("model not given"), pen->runs->len);
  printf ("  %6s  %-20s  %-20s  %-16s  %-16s  %s\n", _ ("RUN"), _ ("STARTED (UTC)"), _ ("PROFILE"),
          _ ("AS FOUND"), _ ("AS LEFT"), _ ("AS-FOUND ERROR (mm) PER POINT"));
  for (guint i = 0; i < pen->runs->len; i++)
    {
      const NbFleetRun *r = g_ptr_array_index (pen->runs, i);
      g_autofree char *at = nb_cli_stats_iso (r->started_at);
      g_autofree char *profile = nb_cli_escape (r->profile);
      g_autoptr (GString) errs = g_string_new (NULL);
      for (guint j = 0; j < r->points->len; j++)
        {
          const NbFleetPoint *p = &g_array_index (r->points, NbFleetPoint, j);
          g_autofree char *e = signed_mm (p->has_found ? p->found_error_mm : NAN);
          g_string_append_printf (errs, "%s%.2f: %s", j ? "  " : "", p->target_mm, e);
        }
      printf ("  %6" G_GINT64_FORMAT "  %-20s  %-20s  %-16s  %-16s  %s\n", r->run_id, at,
              profile ? profile : "-",
              r->has_found_verdict ? nb_verdict_to_string (r->found_verdict) : "-",
              r->has_left_verdict ? nb_verdict_to_string (r->left_verdict) : "-", errs->str);
    }
  gboolean any = FALSE;
  for (guint i = 0; i < pen->drift->len; i++)
    {
      const NbFleetPointDrift *d = &g_array_index (pen->drift, NbFleetPointDrift, i);
      if (d->pairs == 0)
        continue;
      g_autofree char *pt = point_text (d->target_mm, d->rate_hz);
      g_autofree char *rate = signed_mm (d->drift_mm_per_30d);
      printf ("%s %s %s", any ? "," : _ ("  Drift (mm per 30 days):"), pt, rate);
      any = TRUE;
    }
  if (any)
    printf ("\n");
  switch (pen->interval_kind)
    {
    case NB_FLEET_INTERVAL_INSUFFICIENT:
      printf (params->min_gap_days == 1
                  ? _ ("  Recommended interval: insufficient history (2 calibrations at least %g "
                       "day apart needed)\n")
                  : _ ("  Recommended interval: insufficient history (2 calibrations at least %g "
                       "days apart needed)\n"),
              params->min_gap_days);
      break;
    default:
      {
        g_autofree char *limit = NULL;
        if (pen->limiting_point >= 0)
          {
            const NbFleetPointDrift *d
                = &g_array_index (pen->drift, NbFleetPointDrift, pen->limiting_point);
            g_autofree char *pt = point_text (d->target_mm, d->rate_hz);
            limit = g_strdup_printf (_ ("; set by %s"), pt);
          }
        printf (_ ("  Recommended interval: %" PRId64 " days (%s%s)\n"), pen->interval_days,
                nb_fleet_interval_kind_to_string (pen->interval_kind), limit ? limit : "");
      }
    }
  printf ("\n");
}

static void
print_text (const NbFleetStats *s, const NbCliStatsQuery *q)
{
  g_autofree char *runs_text
      = g_strdup_printf (ngettext ("%u calibration", "%u calibrations", s->runs), s->runs);
  g_autofree char *pens_text
      = g_strdup_printf (ngettext ("%u pen", "%u pens", s->pens->len), s->pens->len);
  /* TRANSLATORS: "Fleet statistics: 7 calibrations of 3 pens" */
  printf (_ ("Fleet statistics: %s of %s"), runs_text, pens_text);
  if (q->since)
    printf (_ (", since %s"), q->since);
  printf ("\n\n");
  if (s->runs == 0)
    {
      printf (_ ("No complete, traceable calibration matches.\n"));
      return;
    }
  for (guint i = 0; i < s->groups->len; i++)
    print_group (g_ptr_array_index (s->groups, i));
  for (guint i = 0; i < s->pens->len; i++)
    print_pen (g_ptr_array_index (s->pens, i), &q->params);
}

int
nb_cli_stats (int argc, char **argv)
{
  const char *command = "stats";
  g_autofree char *db = NULL, *model = NULL, *pen = NULL, *batch = NULL, *since = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "model", 0, 0, G_OPTION_ARG_STRING, &model, N_ ("Only pens of this model"), "M" },
    { "batch", 0, 0, G_OPTION_ARG_STRING, &batch,
      N_ ("Only pens whose serial starts with PREFIX (a production batch)"), N_ ("PREFIX") },
    { "pen", 0, 0, G_OPTION_ARG_STRING, &pen, N_ ("Only this pen"), N_ ("SERIAL") },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since, N_ ("Only calibrations from this day on (UTC)"),
      N_ ("YYYY-MM-DD") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print a JSON object"), NULL },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_ ("Database file or postgresql:// URI"),
      N_ ("PATH|URI") },
    { NULL },
  };
  if (!nb_cli_parse (
          command, NULL,
          N_ ("Statistics across calibrations: per model the as-found error per depth "
              "point, Cpk, first-pass yield and failing points; per pen its history, drift "
              "and a recommended calibration interval."),
          entries, &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc > 1)
    return nb_cli_usage (command, _ ("unexpected argument “%s”"), argv[1]);
  const char *const texts[] = { model, pen, batch };
  const char *const names[] = { "--model", "--pen", "--batch" };
  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    if (texts[i] != NULL && (*texts[i] == '\0' || !g_utf8_validate (texts[i], -1, NULL)))
      return nb_cli_usage (command, _ ("%s: an empty or invalid text"), names[i]);
  g_autoptr (GError) error = NULL;
  gint64 since_us = 0;
  if (since != NULL)
    {
      GDate d;
      g_date_clear (&d, 1);
      if (!nb_store_standard_parse_date ("--since", since, &d, &error))
        return nb_cli_usage (command, "%s", error->message);
      g_autoptr (GDateTime) t = g_date_time_new_utc (g_date_get_year (&d), g_date_get_month (&d),
                                                     g_date_get_day (&d), 0, 0, 0);
      since_us = g_date_time_to_unix (t) * G_USEC_PER_SEC;
    }

  g_autoptr (NbStore) store = nb_cli_open_store_read (db, &error);
  if (store == NULL)
    return nb_cli_fail (command, error);
  NbFleetFilter filter = { model, pen, batch };
  g_autoptr (GPtrArray) runs = nb_fleet_load_runs (store, &filter, &error);
  if (runs == NULL)
    return nb_cli_fail (command, error);
  NbCliStatsQuery q = { model, pen, batch, since, nb_fleet_interval_params_default () };
  g_autoptr (NbFleetStats) stats = nb_fleet_stats_compute (runs, since_us, &q.params);
  if (json)
    nb_cli_stats_print_json (stats, &q);
  else
    print_text (stats, &q);
  return NB_EXIT_OK;
}
