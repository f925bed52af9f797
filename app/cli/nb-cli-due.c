/* nb-cli-due.c: `needlebench-cli due [--days N] [--date YYYY-MM-DD] [--json] [--db PATH]`: which
 * pens are due for calibration and which reference standards expire (docs/cli.md, "due").
 *
 * A pen's next calibration is due its profile's interval_days after its last complete, traceable
 * calibration run (a self-check or a failed or cancelled run is no calibration), or at once when
 * that run's verdict is fail or conditional-fail; the interval is
 * read from the profile as the run used it (the run's profile_json), not from today's profile
 * file, so editing a profile does not move past due dates. Dates are the bench's local calendar,
 * like the standards' due dates: a pen or a standard is in date up to and including its due day.
 * The database is opened read-only; its text came from pens and operators and is escaped before
 * it reaches the terminal. */
#include <stdio.h>
#include <time.h>

#include "nb-cli.h"
#include "nb-store-runs.h"
#include "nb-store-standards.h"
#include "nb-store.h"

#define DEFAULT_DAYS 30
#define MAX_DAYS 3650 /* ten years: anything longer is a typo */

typedef struct
{
  char *serial;
  char *model;
  char *profile;    /* NULL when the pen has no calibration */
  gint64 run;       /* 0 when the pen has no calibration */
  char *calibrated; /* YYYY-MM-DD (local) of its last calibration, or NULL */
  char *verdict;
  gint64 interval;  /* days; -1 when unknown */
  GDate due;        /* invalid (cleared) when there is no calibration or interval */
  gint64 days_left; /* due − today; G_MININT64 when there is no due date (due now) */
  gboolean failed;  /* its last calibration ended out of tolerance: due now */
} PenDue;

static void
pen_due_free (PenDue *p)
{
  g_free (p->serial);
  g_free (p->model);
  g_free (p->profile);
  g_free (p->calibrated);
  g_free (p->verdict);
  g_free (p);
}

static char *
date_text (const GDate *d)
{
  if (!g_date_valid (d))
    return NULL;
  char buf[16];
  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", d);
  return g_strdup (buf);
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
static GPtrArray *
pens_due (NbStore *store, const GDate *today, GError **error)
{
  g_autoptr (GPtrArray) runs = nb_store_list_runs (store, error);
  if (runs == NULL)
    return NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *pens = g_ptr_array_new_with_free_func ((GDestroyNotify) pen_due_free);
  /* newest first: a pen's first calibration met here is its last */
  for (guint i = 0; i < runs->len; i++)
    {
      NbStoreRun *r = g_ptr_array_index (runs, i);
      PenDue *p = g_hash_table_lookup (seen, r->pen_serial);
      if (p == NULL)
        {
          p = g_new0 (PenDue, 1);
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

static int
by_due (gconstpointer a, gconstpointer b)
{
  const PenDue *x = *(PenDue *const *) a, *y = *(PenDue *const *) b;
  /* a pen that failed is due now, with those that have no due date */
  if (x->failed != y->failed)
    return x->failed ? -1 : 1;
  if (x->days_left != y->days_left)
    return x->days_left < y->days_left ? -1 : 1;
  return g_strcmp0 (x->serial, y->serial);
}

static int
standard_by_due (gconstpointer a, gconstpointer b)
{
  const NbStoreStandard *x = *(NbStoreStandard *const *) a;
  const NbStoreStandard *y = *(NbStoreStandard *const *) b;
  int c = g_strcmp0 (x->due, y->due);
  return c ? c : g_strcmp0 (x->serial, y->serial);
}

static gint64
standard_days_left (const NbStoreStandard *s, const GDate *today)
{
  GDate due;
  g_date_clear (&due, 1);
  if (!nb_store_standard_parse_date ("due", s->due, &due, NULL))
    return G_MININT64;
  return g_date_days_between (today, &due);
}

static void
print_json (GPtrArray *pens, GPtrArray *stds, const GDate *today, guint days, guint overdue)
{
  g_autofree char *today_text = date_text (today);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  nb_cli_json_string (b, "date", today_text);
  nb_cli_json_int (b, "days", days);
  json_builder_set_member_name (b, "pens");
  json_builder_begin_array (b);
  for (guint i = 0; i < pens->len; i++)
    {
      PenDue *p = g_ptr_array_index (pens, i);
      g_autofree char *due = date_text (&p->due);
      json_builder_begin_object (b);
      nb_cli_json_string (b, "serial", p->serial);
      nb_cli_json_string (b, "model", p->model);
      nb_cli_json_string (b, "profile", p->profile);
      if (p->run)
        nb_cli_json_int (b, "last_run", p->run);
      else
        nb_cli_json_string (b, "last_run", NULL);
      nb_cli_json_string (b, "last_calibrated", p->calibrated);
      nb_cli_json_string (b, "verdict", p->verdict);
      if (p->interval > 0)
        nb_cli_json_int (b, "interval_days", p->interval);
      else
        nb_cli_json_string (b, "interval_days", NULL);
      nb_cli_json_string (b, "due", due);
      if (p->days_left != G_MININT64)
        nb_cli_json_int (b, "days_left", p->days_left);
      else
        nb_cli_json_string (b, "days_left", NULL);
      json_builder_set_member_name (b, "overdue");
      json_builder_add_boolean_value (b, p->days_left < 0 || p->failed);
      json_builder_set_member_name (b, "failed");
      json_builder_add_boolean_value (b, p->failed);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "standards");
  json_builder_begin_array (b);
  for (guint i = 0; i < stds->len; i++)
    {
      NbStoreStandard *s = g_ptr_array_index (stds, i);
      json_builder_begin_object (b);
      nb_cli_json_string (b, "serial", s->serial);
      nb_cli_json_string (b, "model", s->model);
      nb_cli_json_string (b, "certificate", s->certificate);
      nb_cli_json_string (b, "due", s->due);
      nb_cli_json_int (b, "days_left", standard_days_left (s, today));
      json_builder_set_member_name (b, "expired");
      json_builder_add_boolean_value (b, nb_store_standard_is_expired (s, today));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  nb_cli_json_int (b, "overdue", overdue);
  json_builder_end_object (b);
  nb_cli_print_json (json_builder_get_root (b));
}

static char *
when_text (gint64 days_left)
{
  if (days_left == G_MININT64)
    return g_strdup ("OVERDUE: no calibration on record");
  if (days_left < 0)
    return g_strdup_printf ("OVERDUE by %" G_GINT64_FORMAT " day%s", -days_left,
                            days_left == -1 ? "" : "s");
  if (days_left == 0)
    return g_strdup ("due today");
  return g_strdup_printf ("due in %" G_GINT64_FORMAT " day%s", days_left,
                          days_left == 1 ? "" : "s");
}

static void
print_text (GPtrArray *pens, GPtrArray *stds, const GDate *today, guint days)
{
  g_autofree char *today_text = date_text (today);
  printf ("Pens due for calibration within %u days of %s, or overdue:\n", days, today_text);
  if (pens->len == 0)
    printf ("  none\n");
  else
    printf ("  %-16s  %-20s  %-20s  %-10s  %6s  %-10s  %s\n", "PEN", "MODEL", "PROFILE",
            "CALIBRATED", "RUN", "DUE", "STATUS");
  for (guint i = 0; i < pens->len; i++)
    {
      PenDue *p = g_ptr_array_index (pens, i);
      g_autofree char *serial = nb_cli_escape (p->serial);
      g_autofree char *model = nb_cli_escape (p->model);
      g_autofree char *profile = nb_cli_escape (p->profile);
      g_autofree char *due = date_text (&p->due);
      g_autofree char *run = p->run ? g_strdup_printf ("%" G_GINT64_FORMAT, p->run) : NULL;
      g_autofree char *when
          = p->failed ? g_strdup_printf ("OVERDUE: failed its last calibration (%s)", p->verdict)
            : p->run != 0 && p->interval < 0
                ? g_strdup ("OVERDUE: its profile has no calibration interval")
                : when_text (p->days_left);
      printf ("  %-16s  %-20s  %-20s  %-10s  %6s  %-10s  %s\n", serial, model ? model : "-",
              profile ? profile : "-", p->calibrated ? p->calibrated : "never", run ? run : "-",
              due ? due : "-", when);
    }
  for (guint i = 0; i < stds->len; i++)
    {
      NbStoreStandard *s = g_ptr_array_index (stds, i);
      g_autofree char *serial = nb_cli_escape (s->serial);
      g_autofree char *cert = nb_cli_escape (s->certificate);
      g_autofree char *due = nb_cli_escape (s->due);
      gint64 left = standard_days_left (s, today);
      g_autofree char *when
          = left < 0 ? g_strdup_printf ("EXPIRED %" G_GINT64_FORMAT " day%s ago: calibrations "
                                        "with this fixture are refused",
                                        -left, left == -1 ? "" : "s")
                     : when_text (left);
      printf ("warning: reference standard of fixture %s (certificate %s), due %s: %s\n", serial,
              cert ? cert : "-", due ? due : "-", when);
    }
}

int
nb_cli_due (int argc, char **argv)
{
  const char *command = "due";
  g_autofree char *db = NULL, *days_text = NULL, *date_arg = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "days", 0, 0, G_OPTION_ARG_STRING, &days_text, "List what is due within N days (default 30)",
      "N" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_arg, "Count from this date (default: today)",
      "YYYY-MM-DD" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON object", NULL },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Database file", "PATH" },
    { NULL },
  };
  if (!nb_cli_parse (command, NULL,
                     "Lists the pens due for calibration within N days or overdue, oldest first, "
                     "and warns of reference standards that expire. Exit 1 when a pen or a "
                     "standard is overdue.",
                     entries, &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc > 1)
    return nb_cli_usage (command, "unexpected argument “%s”", argv[1]);
  guint64 days = DEFAULT_DAYS;
  if (days_text && !g_ascii_string_to_unsigned (days_text, 10, 0, MAX_DAYS, &days, NULL))
    return nb_cli_usage (command, "--days: “%s” is not a number of days from 0 to %d", days_text,
                         MAX_DAYS);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDate) today = g_date_new ();
  if (date_arg != NULL && !nb_store_standard_parse_date ("--date", date_arg, today, &error))
    return nb_cli_usage (command, "%s", error->message);
  if (date_arg == NULL)
    g_date_set_time_t (today, time (NULL));

  g_autoptr (NbStore) store = nb_cli_open_store_read (db, &error);
  if (store == NULL)
    return nb_cli_fail (command, error);
  g_autoptr (GPtrArray) all = pens_due (store, today, &error);
  if (all == NULL)
    return nb_cli_fail (command, error);
  g_autoptr (GPtrArray) stds_all = nb_store_list_standards (store, TRUE, &error);
  if (stds_all == NULL)
    return nb_cli_fail (command, error);

  /* keep what is due within the window (or overdue; no due date counts as overdue) */
  guint overdue = 0;
  g_autoptr (GPtrArray) pens = g_ptr_array_new ();
  for (guint i = 0; i < all->len; i++)
    {
      PenDue *p = g_ptr_array_index (all, i);
      if (p->run != 0 && p->interval < 0)
        p->days_left = G_MININT64; /* calibrated, but when it is due is unknown: due now */
      if (p->days_left <= (gint64) days || p->failed)
        g_ptr_array_add (pens, p);
      if (p->days_left < 0 || p->failed)
        overdue++;
    }
  g_ptr_array_sort (pens, by_due);
  g_autoptr (GPtrArray) stds = g_ptr_array_new ();
  for (guint i = 0; i < stds_all->len; i++)
    {
      NbStoreStandard *s = g_ptr_array_index (stds_all, i);
      gint64 left = standard_days_left (s, today);
      if (s->in_force && left <= (gint64) days)
        g_ptr_array_add (stds, s);
      if (s->in_force && left < 0)
        overdue++;
    }
  g_ptr_array_sort (stds, standard_by_due);

  if (json)
    print_json (pens, stds, today, (guint) days, overdue);
  else
    print_text (pens, stds, today, (guint) days);
  return overdue > 0 ? NB_EXIT_OUT_OF_TOLERANCE : NB_EXIT_OK;
}
