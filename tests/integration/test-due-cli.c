/* test-due-cli.c: `needlebench-cli due` end to end. Real runs are made with `calibrate` on
 * in-process simulated stations (time-scale 20) into a temporary database whose reference
 * standards have near due dates; `due --date` then looks at that bench from later days. Checked:
 * a pen's due date is its last calibration's date plus its profile's interval (365 days for
 * cheek-chin-thick, 90 for service-quick), pens are listed oldest first with a self-checked pen
 * (no calibration) first and overdue, only what falls in --days is listed, standards expiring
 * within --days are warned about, a pen whose last calibration failed is due at once, and the
 * exit code is 0 with nothing overdue and 1 with a pen or a standard overdue. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "cli-harness.h"

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

#define GOOD                                                                                       \
  "depth-offset=0,depth-gain=1,nonlinearity=0,drift=0,rate-loss=0,rate-error=0,time-scale=20"

typedef struct
{
  char *dir;
  char *db;
  GDate today;
} Bench;

/* @today + @days as YYYY-MM-DD */
static char *
day (const Bench *b, int days)
{
  GDate d = b->today;
  if (days >= 0)
    g_date_add_days (&d, (guint) days);
  else
    g_date_subtract_days (&d, (guint) -days);
  char buf[16];
  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &d);
  return g_strdup (buf);
}

static void
add_standard (Bench *b, const char *serial, const char *certificate, const char *due)
{
  g_auto (CliResult) r = { 0 };
  cli_run (&r, "standards", "add", "--serial", serial, "--certificate", certificate,
           "--uncertainty-mm", "0.0010", "--k", "2", "--due", due, "--db", b->db, NULL);
  g_assert_cmpint (r.status, ==, 0);
}

/* calibrate @pen against @fixture (NULL: a self-check) with @profile, expecting exit @status
 * (1: out of tolerance, as found, with --no-adjust) */
static void
calibrate_status (Bench *b, const char *pen, const char *fixture, const char *profile, int status)
{
  g_auto (CliResult) r = { 0 };
  if (status == 1)
    cli_run (&r, "calibrate", "-d", pen, "--fixture", fixture, "--profile", profile, "--no-adjust",
             "--db", b->db, NULL);
  else if (fixture)
    cli_run (&r, "calibrate", "-d", pen, "--fixture", fixture, "--profile", profile, "--db", b->db,
             NULL);
  else
    cli_run (&r, "calibrate", "-d", pen, "--reference", "pen", "--profile", profile, "--db", b->db,
             NULL);
  g_test_message ("calibrate: exit %d\n%s", r.status, r.err);
  g_assert_cmpint (r.status, ==, status);
}

static void
calibrate (Bench *b, const char *pen, const char *fixture, const char *profile)
{
  calibrate_status (b, pen, fixture, profile, 0);
}

/* `due` with the NULL-terminated options and --db; its exit code is checked against @status */
static void due (CliResult *r, Bench *b, int status, const char *first, ...) G_GNUC_NULL_TERMINATED;

static void
due (CliResult *r, Bench *b, int status, const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, "due");
  va_list ap;
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, b->db);
  g_ptr_array_add (argv, NULL);
  cli_runv (r, (const char *const *) argv->pdata);
  g_test_message ("due: exit %d\n%s%s", r->status, r->out, r->err);
  g_assert_cmpint (r->status, ==, status);
}

static JsonObject *
pen_at (JsonObject *o, guint i)
{
  return json_array_get_object_element (json_object_get_array_member (o, "pens"), i);
}

static void
test_due (void)
{
  Bench b = { 0 };
  b.dir = g_dir_make_tmp ("nb-due-XXXXXX", NULL);
  g_assert_nonnull (b.dir);
  b.db = g_build_filename (b.dir, "nb.db", NULL);
  g_date_clear (&b.today, 1);
  g_date_set_time_t (&b.today, time (NULL));
  g_autofree char *today = day (&b, 0);
  g_autofree char *in10 = day (&b, 10);

  add_standard (&b, "FIX-A", "CAL-A-1", "2099-12-31");
  add_standard (&b, "FIX-B", "CAL-B-7", in10);

  /* no run yet: no pen; FIX-B expires within 30 days (a warning, exit 0), not within 5 */
  {
    g_auto (CliResult) r = { 0 };
    due (&r, &b, 0, "--json", NULL);
    g_autoptr (JsonParser) parser = NULL;
    JsonObject *o = cli_json_object (&r, &parser);
    g_assert_cmpstr (json_object_get_string_member (o, "date"), ==, today);
    g_assert_cmpint (json_object_get_int_member (o, "days"), ==, 30);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "pens")), ==, 0);
    JsonArray *stds = json_object_get_array_member (o, "standards");
    g_assert_cmpuint (json_array_get_length (stds), ==, 1);
    JsonObject *s = json_array_get_object_element (stds, 0);
    g_assert_cmpstr (json_object_get_string_member (s, "serial"), ==, "FIX-B");
    g_assert_cmpstr (json_object_get_string_member (s, "certificate"), ==, "CAL-B-7");
    g_assert_cmpint (json_object_get_int_member (s, "days_left"), ==, 10);
    g_assert_false (json_object_get_boolean_member (s, "expired"));
    g_assert_cmpint (json_object_get_int_member (o, "overdue"), ==, 0);
  }
  {
    g_auto (CliResult) r = { 0 };
    due (&r, &b, 0, "--days", "5", NULL);
    g_assert_nonnull (strstr (r.out, "none"));
    g_assert_null (strstr (r.out, "FIX-B"));
  }

  /* two real calibrations today: cheek-chin-thick (365 days), service-quick (90 days) */
  calibrate (&b, "sim:serial=PEN-A," GOOD, "sim-fixture:pen=PEN-A,serial=FIX-A",
             "cheek-chin-thick");
  calibrate (&b, "sim:serial=PEN-S," GOOD, "sim-fixture:pen=PEN-S,serial=FIX-A", "service-quick");
  g_autofree char *due_a = day (&b, 365);
  g_autofree char *due_s = day (&b, 90);
  {
    /* nothing within 30 days: neither pen is listed */
    g_auto (CliResult) r = { 0 };
    due (&r, &b, 0, "--json", NULL);
    g_autoptr (JsonParser) parser = NULL;
    JsonObject *o = cli_json_object (&r, &parser);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "pens")), ==, 0);
  }
  {
    /* within 100 days: only the service-quick pen, due in 90 */
    g_auto (CliResult) r = { 0 };
    due (&r, &b, 0, "--days", "100", "--json", NULL);
    g_autoptr (JsonParser) parser = NULL;
    JsonObject *o = cli_json_object (&r, &parser);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "pens")), ==, 1);
    JsonObject *p = pen_at (o, 0);
    g_assert_cmpstr (json_object_get_string_member (p, "serial"), ==, "PEN-S");
    g_assert_cmpstr (json_object_get_string_member (p, "profile"), ==, "service-quick");
    g_assert_cmpint (json_object_get_int_member (p, "interval_days"), ==, 90);
    g_assert_cmpstr (json_object_get_string_member (p, "last_calibrated"), ==, today);
    g_assert_cmpstr (json_object_get_string_member (p, "due"), ==, due_s);
    g_assert_cmpint (json_object_get_int_member (p, "days_left"), ==, 90);
    g_assert_false (json_object_get_boolean_member (p, "overdue"));
  }

  /* a self-check is no calibration: that pen is overdue at once, and listed first */
  calibrate (&b, "sim:serial=PEN-SELF," GOOD, NULL, "cheek-chin-thick");
  {
    g_auto (CliResult) r = { 0 };
    due (&r, &b, 1, "--days", "400", "--json", NULL);
    g_autoptr (JsonParser) parser = NULL;
    JsonObject *o = cli_json_object (&r, &parser);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "pens")), ==, 3);
    const char *const order[] = { "PEN-SELF", "PEN-S", "PEN-A" };
    for (guint i = 0; i < G_N_ELEMENTS (order); i++)
      g_assert_cmpstr (json_object_get_string_member (pen_at (o, i), "serial"), ==, order[i]);
    g_assert_true (json_object_get_null_member (pen_at (o, 0), "due"));
    g_assert_true (json_object_get_null_member (pen_at (o, 0), "last_run"));
    g_assert_true (json_object_get_boolean_member (pen_at (o, 0), "overdue"));
    g_assert_cmpstr (json_object_get_string_member (pen_at (o, 2), "due"), ==, due_a);
    g_assert_cmpint (json_object_get_int_member (pen_at (o, 2), "interval_days"), ==, 365);
    g_assert_cmpint (json_object_get_int_member (pen_at (o, 2), "days_left"), ==, 365);
    g_assert_cmpint (json_object_get_int_member (o, "overdue"), ==, 1);
  }
  {
    g_auto (CliResult) r = { 0 };
    due (&r, &b, 1, "--days", "30", NULL);
    g_assert_nonnull (strstr (r.out, "PEN-SELF"));
    g_assert_nonnull (strstr (r.out, "OVERDUE: no calibration on record"));
  }

  /* a database with only calibrated pens, looked at 91 days on: PEN-S is one day overdue, FIX-B
   * expired 81 days ago, PEN-A not yet due; exit 1 */
  g_autofree char *later = day (&b, 91);
  {
    g_auto (CliResult) r = { 0 };
    due (&r, &b, 1, "--date", later, "--json", NULL);
    g_autoptr (JsonParser) parser = NULL;
    JsonObject *o = cli_json_object (&r, &parser);
    JsonArray *pens = json_object_get_array_member (o, "pens");
    g_assert_cmpuint (json_array_get_length (pens), ==, 2); /* PEN-SELF, PEN-S */
    JsonObject *p = pen_at (o, 1);
    g_assert_cmpstr (json_object_get_string_member (p, "serial"), ==, "PEN-S");
    g_assert_cmpint (json_object_get_int_member (p, "days_left"), ==, -1);
    g_assert_true (json_object_get_boolean_member (p, "overdue"));
    JsonObject *s
        = json_array_get_object_element (json_object_get_array_member (o, "standards"), 0);
    g_assert_cmpstr (json_object_get_string_member (s, "serial"), ==, "FIX-B");
    g_assert_cmpint (json_object_get_int_member (s, "days_left"), ==, -81);
    g_assert_true (json_object_get_boolean_member (s, "expired"));
    g_assert_cmpint (json_object_get_int_member (o, "overdue"), ==, 3);
  }
  {
    g_auto (CliResult) r = { 0 };
    due (&r, &b, 1, "--date", later, NULL);
    g_assert_nonnull (strstr (r.out, "OVERDUE by 1 day\n"));
    g_assert_nonnull (strstr (r.out, "warning: reference standard of fixture FIX-B (certificate "
                                     "CAL-B-7)"));
    g_assert_nonnull (strstr (r.out, "EXPIRED 81 days ago"));
  }
  {
    /* the day before PEN-S is due, after FIX-B is renewed: a standard renewed and a pen due
     * tomorrow are nothing overdue once the self-checked pen calibrates: exit 0 */
    add_standard (&b, "FIX-B", "CAL-B-8", "2099-06-30");
    calibrate (&b, "sim:serial=PEN-SELF," GOOD, "sim-fixture:pen=PEN-SELF,serial=FIX-B",
               "cheek-chin-thick");
    g_autofree char *before = day (&b, 89);
    g_auto (CliResult) r = { 0 };
    due (&r, &b, 0, "--date", before, NULL);
    g_assert_nonnull (strstr (r.out, "PEN-S"));
    g_assert_nonnull (strstr (r.out, "due in 1 day\n"));
    g_assert_null (strstr (r.out, "warning"));
    g_assert_null (strstr (r.out, "OVERDUE"));
  }

  /* a pen whose last calibration failed is due at once, whatever its interval, and first */
  calibrate_status (&b, "sim:serial=PEN-F,depth-offset=0.12,depth-gain=1.04,time-scale=20",
                    "sim-fixture:pen=PEN-F,serial=FIX-A", "cheek-chin-thick", 1);
  {
    g_auto (CliResult) r = { 0 };
    due (&r, &b, 1, "--json", NULL);
    g_autoptr (JsonParser) parser = NULL;
    JsonObject *o = cli_json_object (&r, &parser);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "pens")), ==, 1);
    JsonObject *p = pen_at (o, 0);
    g_assert_cmpstr (json_object_get_string_member (p, "serial"), ==, "PEN-F");
    g_assert_cmpstr (json_object_get_string_member (p, "due"), ==, due_a);
    g_assert_cmpint (json_object_get_int_member (p, "days_left"), ==, 365);
    g_assert_true (json_object_get_boolean_member (p, "failed"));
    g_assert_true (json_object_get_boolean_member (p, "overdue"));
    g_assert_cmpint (json_object_get_int_member (o, "overdue"), ==, 1);
  }
  {
    g_auto (CliResult) r = { 0 };
    due (&r, &b, 1, "--days", "400", NULL);
    g_assert_nonnull (strstr (r.out, "OVERDUE: failed its last calibration"));
    /* first in the table, before the pens merely due */
    g_assert_true (strstr (r.out, "PEN-F") < strstr (r.out, "PEN-S"));
  }

  /* usage errors: exit 2 */
  {
    g_auto (CliResult) r = { 0 };
    due (&r, &b, 2, "--days", "-1", NULL);
    g_assert_nonnull (strstr (r.err, "--days"));
  }
  {
    g_auto (CliResult) r = { 0 };
    due (&r, &b, 2, "--date", "2027-02-29", NULL);
  }

  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", b.dir);
  g_assert_cmpint (system (rm), ==, 0);
  g_free (b.db);
  g_free (b.dir);
}

/* Text in the database is escaped before the terminal: a run row written into the file behind
 * the store's back (its validation refuses control characters) with escape sequences in the pen's
 * serial and model. */
static void
test_escaped (void)
{
  Bench b = { 0 };
  b.dir = g_dir_make_tmp ("nb-due-XXXXXX", NULL);
  g_assert_nonnull (b.dir);
  b.db = g_build_filename (b.dir, "nb.db", NULL);
  g_date_clear (&b.today, 1);
  g_date_set_time_t (&b.today, time (NULL));
  add_standard (&b, "FIX-A", "CAL-A-1", "2099-12-31"); /* creates the database */

  sqlite3 *db = NULL;
  g_assert_cmpint (sqlite3_open (b.db, &db), ==, SQLITE_OK);
  char *err = NULL;
  /* a run starts 'running'; never closed, it reads back as interrupted: no calibration */
  int rc = sqlite3_exec (db,
                         "INSERT INTO runs (pen_serial, pen_model, profile_id, profile_version, "
                         "rule, traceable, adjust, started_at) VALUES ('EVIL' || char(27) || "
                         "']0;owned' || char(7), char(27) || '[2J', 'cheek-chin-thick', 1, "
                         "'guarded', 0, 1, 1);",
                         NULL, NULL, &err);
  if (rc != SQLITE_OK)
    g_test_message ("insert: %s", err);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  sqlite3_close (db);

  g_auto (CliResult) r = { 0 };
  due (&r, &b, 1, "--days", "30", NULL);
  g_assert_null (strchr (r.out, '\x1b'));
  g_assert_null (strchr (r.out, '\x07'));
  g_assert_nonnull (strstr (r.out, "\\x1b[2J"));
  g_auto (CliResult) j = { 0 };
  due (&j, &b, 1, "--json", NULL);
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = cli_json_object (&j, &parser);
  /* JSON carries the exact text */
  g_assert_cmpstr (json_object_get_string_member (pen_at (o, 0), "model"), ==, "\x1b[2J");

  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", b.dir);
  g_assert_cmpint (system (rm), ==, 0);
  g_free (b.db);
  g_free (b.dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/due-cli/due", test_due);
  g_test_add_func ("/due-cli/escaped", test_escaped);
  return g_test_run ();
}
