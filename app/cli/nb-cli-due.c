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
#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <time.h>

#include "nb-cli.h"
#include "nb-due.h"
#include "nb-store-runs.h"
#include "nb-store-standards.h"
#include "nb-store.h"

#define DEFAULT_DAYS 30
#define MAX_DAYS 3650 /* ten years: anything longer is a typo */

static char *
date_text (const GDate *d)
{
  if (!g_date_valid (d))
    return NULL;
  char buf[16];
  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", d);
  return g_strdup (buf);
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
      NbPenDue *p = g_ptr_array_index (pens, i);
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
      nb_cli_json_int (b, "days_left", nb_due_standard_days_left (s, today));
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
    return g_strdup (_ ("OVERDUE: no calibration on record"));
  if (days_left < 0)
    return g_strdup_printf (
        ngettext ("OVERDUE by %" PRId64 " day", "OVERDUE by %" PRId64 " days", (gulong) -days_left),
        -days_left);
  if (days_left == 0)
    return g_strdup (_ ("due today"));
  return g_strdup_printf (
      ngettext ("due in %" PRId64 " day", "due in %" PRId64 " days", (gulong) days_left),
      days_left);
}

static void
print_text (GPtrArray *pens, GPtrArray *stds, const GDate *today, guint days)
{
  g_autofree char *today_text = date_text (today);
  printf (_ ("Pens due for calibration within %u days of %s, or overdue:\n"), days, today_text);
  if (pens->len == 0)
    printf (_ ("  none\n"));
  else
    printf ("  %-16s  %-20s  %-20s  %-10s  %6s  %-10s  %s\n", _ ("PEN"), _ ("MODEL"), _ ("PROFILE"),
            _ ("CALIBRATED"), _ ("RUN"), _ ("DUE"), _ ("STATUS"));
  for (guint i = 0; i < pens->len; i++)
    {
      NbPenDue *p = g_ptr_array_index (pens, i);
      g_autofree char *serial = nb_cli_escape (p->serial);
      g_autofree char *model = nb_cli_escape (p->model);
      g_autofree char *profile = nb_cli_escape (p->profile);
      g_autofree char *due = date_text (&p->due);
      g_autofree char *run = p->run ? g_strdup_printf ("%" G_GINT64_FORMAT, p->run) : NULL;
      g_autofree char *when
          = p->failed
                ? g_strdup_printf (_ ("OVERDUE: failed its last calibration (%s)"), p->verdict)
            : p->run != 0 && p->interval < 0
                ? g_strdup (_ ("OVERDUE: its profile has no calibration interval"))
                : when_text (p->days_left);
      printf ("  %-16s  %-20s  %-20s  %-10s  %6s  %-10s  %s\n", serial, model ? model : "-",
              profile ? profile : "-", p->calibrated ? p->calibrated : _ ("never"), run ? run : "-",
              due ? due : "-", when);
    }
  for (guint i = 0; i < stds->len; i++)
    {
      NbStoreStandard *s = g_ptr_array_index (stds, i);
      g_autofree char *serial = nb_cli_escape (s->serial);
      g_autofree char *cert = nb_cli_escape (s->certificate);
      g_autofree char *due = nb_cli_escape (s->due);
      gint64 left = nb_due_standard_days_left (s, today);
      g_autofree char *when
          = left < 0 ? g_strdup_printf (ngettext ("EXPIRED %" PRId64 " day ago: calibrations "
                                                  "with this fixture are refused",
                                                  "EXPIRED %" PRId64 " days ago: calibrations "
                                                  "with this fixture are refused",
                                                  (gulong) -left),
                                        -left)
                     : when_text (left);
      printf (_ ("warning: reference standard of fixture %s (certificate %s), due %s: %s\n"),
              serial, cert ? cert : "-", due ? due : "-", when);
    }
}

int
nb_cli_due (int argc, char **argv)
{
  const char *command = "due";
  g_autofree char *db = NULL, *days_text = NULL, *date_arg = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "days", 0, 0, G_OPTION_ARG_STRING, &days_text,
      N_ ("List what is due within N days (default 30)"), "N" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_arg, N_ ("Count from this date (default: today)"),
      N_ ("YYYY-MM-DD") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print a JSON object"), NULL },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_ ("Database file or postgresql:// URI"),
      N_ ("PATH|URI") },
    { NULL },
  };
  if (!nb_cli_parse (
          command, NULL,
          N_ ("Lists the pens due for calibration within N days or overdue, oldest first, "
              "and warns of reference standards that expire. Exit 1 when a pen or a "
              "standard is overdue."),
          entries, &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc > 1)
    return nb_cli_usage (command, _ ("unexpected argument “%s”"), argv[1]);
  guint64 days = DEFAULT_DAYS;
  if (days_text && !g_ascii_string_to_unsigned (days_text, 10, 0, MAX_DAYS, &days, NULL))
    return nb_cli_usage (command, _ ("--days: “%s” is not a number of days from 0 to %d"),
                         days_text, MAX_DAYS);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDate) today = g_date_new ();
  if (date_arg != NULL && !nb_store_standard_parse_date ("--date", date_arg, today, &error))
    return nb_cli_usage (command, "%s", error->message);
  if (date_arg == NULL)
    g_date_set_time_t (today, time (NULL));

  g_autoptr (NbStore) store = nb_cli_open_store_read (db, &error);
  if (store == NULL)
    return nb_cli_fail (command, error);
  g_autoptr (GPtrArray) all = nb_due_list_pens (store, today, &error);
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
      NbPenDue *p = g_ptr_array_index (all, i);
      if (p->run != 0 && p->interval < 0)
        p->days_left = G_MININT64; /* calibrated, but when it is due is unknown: due now */
      if (p->days_left <= (gint64) days || p->failed)
        g_ptr_array_add (pens, p);
      if (p->days_left < 0 || p->failed)
        overdue++;
    }
  g_ptr_array_sort (pens, nb_pen_due_compare);
  g_autoptr (GPtrArray) stds = g_ptr_array_new ();
  for (guint i = 0; i < stds_all->len; i++)
    {
      NbStoreStandard *s = g_ptr_array_index (stds_all, i);
      gint64 left = nb_due_standard_days_left (s, today);
      if (s->in_force && left <= (gint64) days)
        g_ptr_array_add (stds, s);
      if (s->in_force && left < 0)
        overdue++;
    }
  g_ptr_array_sort (stds, nb_due_standard_compare);

  if (json)
    print_json (pens, stds, today, (guint) days, overdue);
  else
    print_text (pens, stds, today, (guint) days);
  return overdue > 0 ? NB_EXIT_OUT_OF_TOLERANCE : NB_EXIT_OK;
}
