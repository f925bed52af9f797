/* nb-due.c: pens' next-calibration dates and standards' days left (nb-due.h). */
#include "nb-due.h"

#include <json-glib/json-glib.h>

#include "nb-store-voids.h"

void
nb_pen_due_free (NbPenDue *p)
{
  g_free (p->serial);
  g_free (p->model);
  g_free (p->profile);
  g_free (p->calibrated);
  g_free (p->verdict);
  g_free (p);
}

/* interval_days of the profile as the run used it, or -1 */
static gint64
run_interval (NbStore *store, gint64 run_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NbStoreRun) run = nb_store_get_run (store, run_id, &error);
  if (run == NULL || run->profile_json == NULL)
    return -1;
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, run->profile_json, -1, NULL))
    return -1;
  JsonNode *root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return -1;
  JsonNode *n = json_object_get_member (json_node_get_object (root), "interval_days");
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return -1;
  gint64 days = json_node_get_int (n);
  return days > 0 && days <= 100 * 366 ? days : -1;
}

/* every pen the runs name, with its last calibration and due date */
GPtrArray *
nb_due_list_pens (NbStore *store, const GDate *today, GError **error)
{
  g_autoptr (GPtrArray) runs = nb_store_list_runs (store, error);
  if (runs == NULL)
    return NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *pens = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_pen_due_free);
  /* newest first: a pen's first calibration met here is its last */
  for (guint i = 0; i < runs->len; i++)
    {
      NbStoreRun *r = g_ptr_array_index (runs, i);
      /* a voided run (on the wrong pen, say) calibrated nothing and names no pen */
      g_autoptr (NbStoreVoid) voided = nb_store_get_void (store, NB_STORE_VOID_RUN, r->id, error);
      if (voided != NULL)
        continue;
      if (error != NULL && *error != NULL)
        {
          g_ptr_array_unref (pens);
          return NULL;
        }
      NbPenDue *p = g_hash_table_lookup (seen, r->pen_serial);
      if (p == NULL)
        {
          p = g_new0 (NbPenDue, 1);
          p->serial = g_strdup (r->pen_serial);
          p->model = g_strdup (r->pen_model);
          p->interval = -1;
          p->days_left = G_MININT64;
          g_date_clear (&p->due, 1);
          g_ptr_array_add (pens, p);
          g_hash_table_insert (seen, p->serial, p);
        }
      if (p->run != 0 || r->status != NB_RUN_COMPLETE || !r->traceable)
        continue;
      p->run = r->id;
      p->profile = g_strdup (r->profile_id);
      p->verdict = g_strdup (r->verdict);
      /* a pen found out of tolerance after adjustment must not be used until it is calibrated
       * (repaired) again, whatever its interval says */
      p->failed
          = g_strcmp0 (r->verdict, "fail") == 0 || g_strcmp0 (r->verdict, "conditional-fail") == 0;
      g_autoptr (GDateTime) t = g_date_time_new_from_unix_local (r->started_at / G_USEC_PER_SEC);
      if (t == NULL)
        continue;
      p->calibrated = g_date_time_format (t, "%Y-%m-%d");
      p->interval = run_interval (store, r->id);
      if (p->interval < 0)
        continue;
      g_date_set_dmy (&p->due, (GDateDay) g_date_time_get_day_of_month (t),
                      (GDateMonth) g_date_time_get_month (t), (GDateYear) g_date_time_get_year (t));
      g_date_add_days (&p->due, (guint) p->interval);
      p->days_left = g_date_days_between (today, &p->due);
    }
  return pens;
}

int
nb_pen_due_compare (gconstpointer a, gconstpointer b)
{
  const NbPenDue *x = *(NbPenDue *const *) a, *y = *(NbPenDue *const *) b;
  /* a pen that failed is due now, with those that have no due date */
  if (x->failed != y->failed)
    return x->failed ? -1 : 1;
  if (x->days_left != y->days_left)
    return x->days_left < y->days_left ? -1 : 1;
  return g_strcmp0 (x->serial, y->serial);
}

int
nb_due_standard_compare (gconstpointer a, gconstpointer b)
{
  const NbStoreStandard *x = *(NbStoreStandard *const *) a;
  const NbStoreStandard *y = *(NbStoreStandard *const *) b;
  int c = g_strcmp0 (x->due, y->due);
  return c ? c : g_strcmp0 (x->serial, y->serial);
}

gint64
nb_due_standard_days_left (const NbStoreStandard *s, const GDate *today)
{
  GDate due;
  g_date_clear (&due, 1);
  if (!nb_store_standard_parse_date ("due", s->due, &due, NULL))
    return G_MININT64;
  return g_date_days_between (today, &due);
}
