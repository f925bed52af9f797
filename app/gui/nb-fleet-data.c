/* nb-fleet-data.c: fleet statistics loaded off the main thread, and their texts. */
#include "nb-fleet-data.h"

#include <glib/gi18n.h>
#include <math.h>

#include "nb-store-standards.h"
#include "nb-store.h"
#include "nb-fleet-link.h"

void
nb_fleet_query_clear (NbFleetQuery *q)
{
  g_clear_pointer (&q->model, g_free);
  g_clear_pointer (&q->batch, g_free);
  g_clear_pointer (&q->pen, g_free);
  g_clear_pointer (&q->since, g_free);
}

static void
data_clear (NbFleetData *d)
{
  g_clear_pointer (&d->stats, nb_fleet_stats_free);
}

NbFleetData *
nb_fleet_data_ref (NbFleetData *d)
{
  return g_atomic_rc_box_acquire (d);
}

void
nb_fleet_data_unref (NbFleetData *d)
{
  g_atomic_rc_box_release_full (d, (GDestroyNotify) data_clear);
}

static const char *
nonempty (const char *s)
{
  return s && *s ? s : NULL;
}

gboolean
nb_fleet_query_since (const NbFleetQuery *q, gint64 *since_us, GError **error)
{
  *since_us = 0;
  if (nonempty (q->since) == NULL)
    return TRUE;
  GDate d;
  g_date_clear (&d, 1);
  if (!nb_store_standard_parse_date (_ ("Since"), q->since, &d, error))
    return FALSE;
  g_autoptr (GDateTime) t = g_date_time_new_utc (g_date_get_year (&d), g_date_get_month (&d),
                                                 g_date_get_day (&d), 0, 0, 0);
  *since_us = g_date_time_to_unix (t) * G_USEC_PER_SEC;
  return TRUE;
}

typedef struct
{
  char *path;
  NbFleetQuery query;
} Job;

static void
job_free (Job *j)
{
  g_free (j->path);
  nb_fleet_query_clear (&j->query);
  g_free (j);
}

static NbFleetData *
data_new (GPtrArray *runs, gint64 since_us, gboolean empty)
{
  NbFleetData *d = g_atomic_rc_box_new0 (NbFleetData);
  d->params = nb_fleet_interval_params_default ();
  d->since_us = since_us;
  d->database_empty = empty;
  d->stats = nb_fleet_stats_compute (runs, since_us, &d->params);
  return d;
}

/* Its own read-only connection: a bench writing a calibration is waited for here, not in the
 * window. */
static void
load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *j = task_data;
  GError *error = NULL;
  gint64 since_us = 0;
  if (!nb_fleet_query_since (&j->query, &since_us, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!nb_fleet_is_server (j->path) && !g_file_test (j->path, G_FILE_TEST_EXISTS))
    {
      g_autoptr (GPtrArray) none = g_ptr_array_new ();
      g_task_return_pointer (task, data_new (none, since_us, TRUE),
                             (GDestroyNotify) nb_fleet_data_unref);
      return;
    }
  g_autoptr (NbStore) store = nb_store_open_full (j->path, NB_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  NbFleetFilter filter
      = { nonempty (j->query.model), nonempty (j->query.pen), nonempty (j->query.batch) };
  g_autoptr (GPtrArray) runs = nb_fleet_load_runs (store, &filter, &error);
  if (runs == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  gboolean empty = runs->len == 0;
  /* nothing selected: is that the selection, or is there nothing at all? */
  if (empty && (filter.model || filter.pen || filter.batch_prefix))
    {
      g_autoptr (GPtrArray) all = nb_fleet_load_runs (store, NULL, &error);
      if (all == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      empty = all->len == 0;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_pointer (task, data_new (runs, since_us, empty),
                         (GDestroyNotify) nb_fleet_data_unref);
}

void
nb_fleet_data_load_async (const char *store_path, const NbFleetQuery *query,
                          GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, nb_fleet_data_load_async);
  Job *j = g_new0 (Job, 1);
  j->path = store_path && *store_path ? g_strdup (store_path) : nb_store_get_default_path ();
  j->query.model = g_strdup (query->model);
  j->query.batch = g_strdup (query->batch);
  j->query.pen = g_strdup (query->pen);
  j->query.since = g_strdup (query->since);
  g_task_set_task_data (task, j, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, load_thread);
}

NbFleetData *
nb_fleet_data_load_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- texts ---------------------------------------------------------------------------------- */

char *
nb_fleet_text_point (NbUnits units, double target_mm, double rate_hz)
{
  g_autofree char *depth = nb_units_format_depth (units, target_mm);
  /* TRANSLATORS: a depth point: "1.000 mm at 100 Hz" */
  return g_strdup_printf (_ ("%s at %g Hz"), depth, rate_hz);
}

char *
nb_fleet_text_error (NbUnits units, double mm)
{
  if (!isfinite (mm))
    return g_strdup ("–");
  /* the result documents' precision, 0.1 µm; no "−0.0" for a zero */
  if (units == NB_UNITS_UM)
    return g_strdup_printf ("%+.1f µm", round (mm * 1e4) / 10.0 + 0.0);
  return g_strdup_printf ("%+.4f mm", round (mm * 1e4) / 1e4 + 0.0);
}

char *
nb_fleet_text_spread (NbUnits units, double mm)
{
  if (!isfinite (mm))
    return g_strdup ("–");
  if (units == NB_UNITS_UM)
    return g_strdup_printf ("%.1f µm", round (mm * 1e4) / 10.0);
  return g_strdup_printf ("%.4f mm", round (mm * 1e4) / 1e4);
}

char *
nb_fleet_text_summary (const NbFleetStats *s)
{
  g_autofree char *runs
      = g_strdup_printf (g_dngettext (NULL, "%u calibration", "%u calibrations", s->runs), s->runs);
  /* TRANSLATORS: "5 calibrations of 4 pens" */
  return g_strdup_printf (g_dngettext (NULL, "%s of %u pen", "%s of %u pens", s->pens->len), runs,
                          s->pens->len);
}

char *
nb_fleet_text_group_counts (const NbFleetGroup *g)
{
  g_autofree char *pens
      = g_strdup_printf (g_dngettext (NULL, "%u pen", "%u pens", g->pens), g->pens);
  g_autofree char *runs
      = g_strdup_printf (g_dngettext (NULL, "%u calibration", "%u calibrations", g->runs), g->runs);
  return g_strdup_printf ("%s · %s", pens, runs);
}

char *
nb_fleet_text_yield (const NbFleetGroup *g)
{
  double yield = nb_fleet_group_yield (g);
  if (isnan (yield))
    return g_strdup (_ ("– (no pen's first calibration in the selection)"));
  /* TRANSLATORS: first-pass yield: "1 of 3 pens (33.3 %)" */
  return g_strdup_printf (
      g_dngettext (NULL, "%u of %u pen (%.1f %%)", "%u of %u pens (%.1f %%)", g->first_pens),
      g->first_passed, g->first_pens, 100.0 * yield);
}

char *
nb_fleet_text_failing (NbUnits units, const NbFleetGroup *g)
{
  g_autoptr (GArray) failing = nb_fleet_group_failing (g);
  if (failing->len == 0)
    return g_strdup (_ ("none"));
  g_autoptr (GString) s = g_string_new (NULL);
  /* the most common ones: a factory profile's thirty points would drown them */
  guint shown = failing->len > NB_FLEET_FAILING_SHOWN + 1 ? NB_FLEET_FAILING_SHOWN : failing->len;
  for (guint j = 0; j < shown; j++)
    {
      const NbFleetPointDist *d
          = &g_array_index (g->points, NbFleetPointDist, g_array_index (failing, guint, j));
      g_autofree char *pt = nb_fleet_text_point (units, d->target_mm, d->rate_hz);
      if (j)
        g_string_append (s, ", ");
      /* TRANSLATORS: a failing point: "2.000 mm at 100 Hz (2 of 4)" */
      g_string_append_printf (s, _ ("%s (%u of %u)"), pt, d->failed, d->n);
    }
  if (shown < failing->len)
    g_string_append_printf (
        s, g_dngettext (NULL, ", and %u more point", ", and %u more points", failing->len - shown),
        failing->len - shown);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

char *
nb_fleet_text_interval (NbUnits units, const NbFleetPen *pen, const NbFleetIntervalParams *params)
{
  if (pen->interval_kind == NB_FLEET_INTERVAL_INSUFFICIENT)
    return g_strdup_printf (
        g_dngettext (NULL, "Insufficient history: 2 calibrations at least %g day apart are needed",
                     "Insufficient history: 2 calibrations at least %g days apart are needed",
                     (gulong) ceil (params->min_gap_days)),
        params->min_gap_days);
  g_autofree char *days
      = g_strdup_printf (g_dngettext (NULL, "%u day", "%u days", (gulong) pen->interval_days),
                         (guint) pen->interval_days);
  const char *why = "";
  switch (pen->interval_kind)
    {
    case NB_FLEET_INTERVAL_MIN: why = _ (", the shortest allowed"); break;
    case NB_FLEET_INTERVAL_MAX: why = _ (", the longest allowed"); break;
    default: break;
    }
  if (pen->limiting_point < 0)
    return g_strdup_printf ("%s%s", days, why);
  const NbFleetPointDrift *d = &g_array_index (pen->drift, NbFleetPointDrift, pen->limiting_point);
  g_autofree char *pt = nb_fleet_text_point (units, d->target_mm, d->rate_hz);
  /* TRANSLATORS: "400 days (set by 2.000 mm at 100 Hz)"; the second %s may add
   * ", the longest allowed" */
  return g_strdup_printf (_ ("%s (set by %s%s)"), days, pt, why);
}

char *
nb_fleet_text_drift (NbUnits units, const NbFleetPen *pen)
{
  g_autoptr (GString) s = NULL;
  for (guint i = 0; i < pen->drift->len; i++)
    {
      const NbFleetPointDrift *d = &g_array_index (pen->drift, NbFleetPointDrift, i);
      if (d->pairs == 0)
        continue;
      g_autofree char *pt = nb_fleet_text_point (units, d->target_mm, d->rate_hz);
      g_autofree char *rate = nb_fleet_text_error (units, d->drift_mm_per_30d);
      if (s == NULL)
        s = g_string_new (NULL);
      else
        g_string_append (s, ", ");
      g_string_append_printf (s, "%s %s", pt, rate);
    }
  return s ? g_string_free (g_steal_pointer (&s), FALSE) : NULL;
}
