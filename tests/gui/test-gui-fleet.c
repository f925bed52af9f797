/* test-gui-fleet.c: "Fleet statistics" on the Records page (NbFleetView). A database that does
 * not exist yet shows the empty state; then the real `needlebench-cli calibrate` calibrates three
 * simulated stations at once (pens with different per-unit errors: a good one, one offset out of
 * tolerance everywhere, one with a gain error that fails the deepest point), twice more for two of
 * them and once for a pen of another model; the view's figures (calibrations, pens, first-pass
 * yield, failing points, interval) must be those nb_fleet_stats_compute () gives for the same
 * database, filter by filter; the charts describe their figures; the unit setting applies; a
 * screenshot at 800 px wide and one larger. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sqlite3.h>

#include "cli-harness.h"
#include "gui-test-util.h"
#include "nb-fleet-chart.h"
#include "nb-fleet-view.h"
#include "nb-records-page.h"
#include "nb-store.h"

#define IDEAL "nonlinearity=0,drift=0,rate-loss=0,rate-error=0,time-scale=20"
#define PROFILE "cheek-chin-thick" /* 1.0, 1.5, 2.0 mm at 100 Hz, ±0.15 mm */
#define MODEL "NB-Pen 3 (simulated)"
#define GOOD "NB3-2611-001"
#define OFFSET "NB3-2611-002"
#define GAIN "NB3-2612-001"
#define OTHER "NBX-0001"
#define FACTORY "NB4-0001"

static NbApplication *app;
static NbWindow *win;
static NbFleetView *view;
static char *dir, *db;

static void cli_ok (const char *first, ...) G_GNUC_NULL_TERMINATED;

/* needlebench-cli with the arguments and --db; a calibration's verdict may be a fail (exit 1) */
static void
cli_ok (const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  va_list ap;
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, db);
  g_ptr_array_add (argv, NULL);
  CliResult r = { 0 };
  cli_runv (&r, (const char *const *) argv->pdata);
  if (r.status != 0 && r.status != 1)
    g_error ("%s exited %d:\n%s%s", first, r.status, r.out, r.err);
  cli_result_clear (&r);
}

static void
exec_sql (sqlite3 *conn, const char *sql)
{
  char *msg = NULL;
  if (sqlite3_exec (conn, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
}

/* Moves the runs after @after_id @days into the past. The procedure stamps a run with the real
 * time and the store forbids changing it (a trigger), so a history of months is made here, by the
 * test only: the trigger is dropped, the times moved, the trigger made again as it was. */
static gint64
age_runs (gint64 after_id, int days)
{
  sqlite3 *conn = NULL;
  g_assert_cmpint (sqlite3_open (db, &conn), ==, SQLITE_OK);
  sqlite3_stmt *st = NULL;
  g_assert_cmpint (sqlite3_prepare_v2 (conn,
                                       "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND "
                                       "name = 'runs_close_only'",
                                       -1, &st, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
  g_autofree char *trigger = g_strdup ((const char *) sqlite3_column_text (st, 0));
  sqlite3_finalize (st);
  exec_sql (conn, "DROP TRIGGER runs_close_only");
  g_autofree char *update = g_strdup_printf (
      "UPDATE runs SET started_at = started_at - %d * 86400000000 WHERE id > %" G_GINT64_FORMAT,
      days, after_id);
  exec_sql (conn, update);
  exec_sql (conn, trigger);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, "SELECT max(id) FROM runs", -1, &st, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
  gint64 last = sqlite3_column_int64 (st, 0);
  sqlite3_finalize (st);
  sqlite3_close (conn);
  return last;
}

static char *
station (const char *serial, const char *errors)
{
  return g_strdup_printf ("sim:serial=%s,%s," IDEAL, serial, errors);
}

static char *
fixture (const char *serial, const char *fix)
{
  return g_strdup_printf ("sim-fixture:pen=%s,serial=%s", serial, fix);
}

/* 300 days ago three stations at once, 150 days ago two of the pens again (the good one has drifted
 * by +0.02 to +0.03 mm, the gain error is a little smaller), 10 days ago the good pen (+0.035 to
 * +0.055 mm) and a pen of another model */
static void
make_fleet (void)
{
  const char *const fixtures[] = { "FIX-1", "FIX-2", "FIX-3" };
  for (gsize i = 0; i < G_N_ELEMENTS (fixtures); i++)
    cli_ok ("standards", "add", "--serial", fixtures[i], "--certificate", "CAL-1",
            "--uncertainty-mm", "0.0010", "--k", "2", "--due", "2099-12-31", NULL);
  g_autofree char *s1 = station (GOOD, "depth-offset=0,depth-gain=1");
  g_autofree char *s2 = station (OFFSET, "depth-offset=0.12,depth-gain=1.04");
  g_autofree char *s3 = station (GAIN, "depth-offset=-0.2,depth-gain=1.2");
  g_autofree char *f1 = fixture (GOOD, "FIX-1"), *f2 = fixture (OFFSET, "FIX-2");
  g_autofree char *f3 = fixture (GAIN, "FIX-3");
  cli_ok ("calibrate", "--profile", PROFILE, "--no-adjust", "-d", s1, "--fixture", f1, "-d", s2,
          "--fixture", f2, "-d", s3, "--fixture", f3, NULL);
  gint64 last = age_runs (0, 300);
  g_autofree char *s1b = station (GOOD, "depth-offset=0.01,depth-gain=1.01");
  g_autofree char *s3b = station (GAIN, "depth-offset=-0.18,depth-gain=1.2");
  cli_ok ("calibrate", "--profile", PROFILE, "--no-adjust", "-d", s1b, "--fixture", f1, "-d", s3b,
          "--fixture", f3, NULL);
  last = age_runs (last, 150);
  g_autofree char *s1c = station (GOOD, "depth-offset=0.015,depth-gain=1.02");
  g_autofree char *s4 = station (OTHER, "model=NBX-2,depth-offset=0.01,depth-gain=1");
  g_autofree char *f4 = fixture (OTHER, "FIX-2");
  cli_ok ("calibrate", "--profile", PROFILE, "--no-adjust", "-d", s1c, "--fixture", f1, "-d", s4,
          "--fixture", f4, NULL);
  /* a pen of a third model on the factory profile: ten depth points (the rate/depth grid) */
  g_autofree char *s5
      = station (FACTORY, "model=NB-Pen 4 (simulated),depth-offset=0.02,depth-gain=1.03");
  g_autofree char *f5 = fixture (FACTORY, "FIX-3");
  cli_ok ("calibrate", "--profile", "factory-full", "--no-adjust", "-d", s5, "--fixture", f5, NULL);
  age_runs (last, 10);
}

/* the statistics of the database computed here, as the CLI does */
static NbFleetStats *
expected (const char *model, const char *batch, const char *pen, gint64 since)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_store_open_full (db, NB_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  NbFleetFilter f = { model, pen, batch };
  g_autoptr (GPtrArray) runs = nb_fleet_load_runs (store, &f, &error);
  g_assert_no_error (error);
  NbFleetIntervalParams params = nb_fleet_interval_params_default ();
  return nb_fleet_stats_compute (runs, since, &params);
}

static gboolean
loaded (gpointer data)
{
  return !nb_fleet_view_is_loading (view);
}

static void
filter (const char *model, const char *batch, const char *pen, const char *since)
{
  nb_fleet_view_set_filters (view, model, batch, pen, since);
  g_assert_true (nb_test_wait (loaded, NULL, 30));
  nb_test_pump (0.1);
}

static gboolean
shows (const char *text)
{
  g_auto (GStrv) texts = nb_fleet_view_get_texts (view);
  return g_strv_contains ((const char *const *) texts, text);
}

static void
assert_shows (const char *text)
{
  if (!shows (text))
    {
      g_auto (GStrv) texts = nb_fleet_view_get_texts (view);
      g_autofree char *all = g_strjoinv ("\n  ", texts);
      g_error ("the view does not show “%s”; it shows:\n  %s", text, all);
    }
}

/* the view's statistics and texts against @want's */
static void
assert_matches (const NbFleetStats *want)
{
  NbFleetData *d = nb_fleet_view_get_data (view);
  g_assert_nonnull (d);
  const NbFleetStats *got = d->stats;
  g_assert_cmpuint (got->runs, ==, want->runs);
  g_assert_cmpuint (got->pens->len, ==, want->pens->len);
  g_assert_cmpuint (got->groups->len, ==, want->groups->len);
  g_autofree char *summary = nb_fleet_text_summary (want);
  g_auto (GStrv) texts = nb_fleet_view_get_texts (view);
  g_assert_true (g_str_has_prefix (texts[0], summary));
  for (guint i = 0; i < want->groups->len; i++)
    {
      const NbFleetGroup *w = g_ptr_array_index (want->groups, i);
      const NbFleetGroup *g = g_ptr_array_index (got->groups, i);
      g_assert_cmpstr (g->model, ==, w->model);
      g_assert_cmpuint (g->first_pens, ==, w->first_pens);
      g_assert_cmpuint (g->first_passed, ==, w->first_passed);
      g_autofree char *yield = nb_fleet_text_yield (w);
      assert_shows (yield);
      g_autofree char *failing = nb_fleet_text_failing (NB_UNITS_MM, w);
      assert_shows (failing);
    }
  NbFleetIntervalParams params = nb_fleet_interval_params_default ();
  for (guint i = 0; i < want->pens->len; i++)
    {
      const NbFleetPen *w = g_ptr_array_index (want->pens, i);
      const NbFleetPen *p = g_ptr_array_index (got->pens, i);
      g_assert_cmpstr (p->serial, ==, w->serial);
      g_assert_cmpint (p->interval_kind, ==, w->interval_kind);
      g_assert_cmpint (p->interval_days, ==, w->interval_days);
      g_autofree char *interval = nb_fleet_text_interval (NB_UNITS_MM, w, &params);
      assert_shows (interval);
    }
  g_autoptr (GPtrArray) charts = nb_fleet_view_get_charts (view);
  g_assert_cmpuint (charts->len, ==, want->groups->len + want->pens->len);
}

static void
test_empty (void)
{
  /* nothing recorded: the database file does not even exist yet, and looking does not make it */
  filter (NULL, NULL, NULL, NULL);
  g_assert_cmpstr (nb_fleet_view_get_state (view), ==, "empty");
  assert_shows ("No calibrations recorded yet");
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
}

static void
test_fleet (void)
{
  make_fleet ();
  /* switched away and back, as the operator does: the view reads the new records */
  GtkStack *kinds = GTK_STACK (gtk_widget_get_ancestor (GTK_WIDGET (view), GTK_TYPE_STACK));
  gtk_stack_set_visible_child_name (kinds, "runs");
  nb_test_pump (0.1);
  g_assert_cmpstr (nb_fleet_view_get_state (view), ==, "empty");
  gtk_stack_set_visible_child (kinds, GTK_WIDGET (view));
  g_assert_true (nb_fleet_view_is_loading (view));
  g_assert_true (nb_test_wait (loaded, NULL, 30));
  nb_test_pump (0.1);
  g_assert_cmpstr (nb_fleet_view_get_state (view), ==, "stats");
  g_autoptr (NbFleetStats) all = expected (NULL, NULL, NULL, 0);
  /* the fleet as made: 8 calibrations of 5 pens, three models */
  g_assert_cmpuint (all->runs, ==, 8);
  g_assert_cmpuint (all->pens->len, ==, 5);
  g_assert_cmpuint (all->groups->len, ==, 3);
  assert_matches (all);
  assert_shows ("8 calibrations of 5 pens");
  assert_shows ("Model " MODEL);
  assert_shows ("3 pens · 6 calibrations");
  /* first calibrations: the good pen passed, the offset and the gain pen failed */
  assert_shows ("1 of 3 pens (33.3 %)");
  assert_shows ("1 of 1 pen (100.0 %)");
  assert_shows ("0 of 1 pen (0.0 %)");
  /* 2.00 mm failed on the offset pen and twice on the gain pen: the most common */
  const NbFleetGroup *g = g_ptr_array_index (all->groups, 0);
  g_autoptr (GArray) failing = nb_fleet_group_failing (g);
  const NbFleetPointDist *top
      = &g_array_index (g->points, NbFleetPointDist, g_array_index (failing, guint, 0));
  g_assert_cmpfloat (top->target_mm, ==, 2.0);
  g_assert_cmpuint (top->failed, ==, 3);
  g_autofree char *failing_text = nb_fleet_text_failing (NB_UNITS_MM, g);
  g_assert_true (g_str_has_prefix (failing_text, "2.000 mm at 100 Hz (3 of 6)"));
  /* the factory pen fails most of its thirty points: the first six are named, then how many more */
  const NbFleetGroup *factory = g_ptr_array_index (all->groups, 1);
  g_assert_cmpstr (factory->model, ==, "NB-Pen 4 (simulated)");
  g_assert_cmpuint (factory->points->len, ==, 30);
  g_autoptr (GArray) factory_failing = nb_fleet_group_failing (factory);
  g_assert_cmpuint (factory_failing->len, >, NB_FLEET_FAILING_SHOWN + 1);
  g_autofree char *more
      = g_strdup_printf (", and %u more points", factory_failing->len - NB_FLEET_FAILING_SHOWN);
  g_autofree char *factory_text = nb_fleet_text_failing (NB_UNITS_MM, factory);
  g_assert_true (g_str_has_suffix (factory_text, more));
  assert_shows (factory_text);
  /* the good pen drifted in 290 days: an interval from its drift; the other model's
   * pen has one calibration */
  const NbFleetPen *good = g_ptr_array_index (all->pens, 0);
  g_assert_cmpstr (good->serial, ==, GOOD);
  g_assert_cmpint (good->interval_kind, !=, NB_FLEET_INTERVAL_INSUFFICIENT);
  assert_shows ("Insufficient history: 2 calibrations at least 1 day apart are needed");

  /* the charts say what they show */
  g_autoptr (GPtrArray) charts = nb_fleet_view_get_charts (view);
  const char *dist = nb_fleet_chart_get_description (charts->pdata[0]);
  g_autofree char *mean = nb_fleet_text_error (NB_UNITS_MM, top->mean_mm);
  g_assert_nonnull (strstr (dist, "2.000 mm at 100 Hz: 6 calibrations, mean "));
  g_assert_nonnull (strstr (dist, mean));
  g_assert_nonnull (strstr (dist, "tolerance -0.1500 mm to +0.1500 mm"));
  /* the first pen's history follows the models' distributions */
  const char *hist = nb_fleet_chart_get_description (charts->pdata[all->groups->len]);
  g_assert_nonnull (strstr (hist, "As-found error of pen " GOOD " per calibration."));
}

static void
test_filters (void)
{
  /* a production batch: the serial prefix */
  filter (NULL, "NB3-2611", NULL, NULL);
  g_autoptr (NbFleetStats) batch = expected (NULL, "NB3-2611", NULL, 0);
  g_assert_cmpuint (batch->pens->len, ==, 2);
  assert_matches (batch);
  assert_shows ("1 of 2 pens (50.0 %)");

  filter ("NBX-2", NULL, NULL, NULL);
  g_autoptr (NbFleetStats) model = expected ("NBX-2", NULL, NULL, 0);
  g_assert_cmpuint (model->pens->len, ==, 1);
  assert_matches (model);

  filter (NULL, NULL, GOOD, NULL);
  g_autoptr (NbFleetStats) pen = expected (NULL, NULL, GOOD, 0);
  g_assert_cmpuint (pen->runs, ==, 3);
  assert_matches (pen);

  /* since a day between the second round and the third: the third round's calibrations;
   * the good pen was first calibrated before, so only the other models have a first-pass yield */
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) day = g_date_time_add_days (now, -50);
  g_autofree char *since = g_date_time_format (day, "%Y-%m-%d");
  filter (NULL, NULL, NULL, since);
  g_autoptr (GDateTime) midnight
      = g_date_time_new_utc (g_date_time_get_year (day), g_date_time_get_month (day),
                             g_date_time_get_day_of_month (day), 0, 0, 0);
  g_autoptr (NbFleetStats) recent
      = expected (NULL, NULL, NULL, g_date_time_to_unix (midnight) * G_USEC_PER_SEC);
  g_assert_cmpuint (recent->runs, ==, 3);
  assert_matches (recent);
  assert_shows ("– (no pen's first calibration in the selection)");

  /* nothing selected, and a since that is no date */
  filter ("no such model", NULL, NULL, NULL);
  g_assert_cmpstr (nb_fleet_view_get_state (view), ==, "none");
  assert_shows ("No calibrations match");
  filter (NULL, NULL, NULL, "last year");
  g_assert_cmpstr (nb_fleet_view_get_state (view), ==, "error");
  assert_shows ("Since: “last year” is not a date written YYYY-MM-DD");
  filter (NULL, NULL, NULL, NULL);
  g_assert_cmpstr (nb_fleet_view_get_state (view), ==, "stats");
}

static void
test_units (void)
{
  GSettings *settings = nb_window_get_settings (win);
  g_autoptr (NbFleetStats) all = expected (NULL, NULL, NULL, 0);
  const NbFleetGroup *g = g_ptr_array_index (all->groups, 0);
  const NbFleetPointDist *d = &g_array_index (g->points, NbFleetPointDist, 2);
  g_settings_set_string (settings, "units", "um");
  nb_test_pump (0.1);
  g_autofree char *um = nb_fleet_text_error (NB_UNITS_UM, d->mean_mm);
  g_assert_true (g_str_has_suffix (um, " µm"));
  assert_shows (um);
  assert_shows ("2000 µm at 100 Hz");
  g_settings_reset (settings, "units");
  nb_test_pump (0.1);
  g_autofree char *mm = nb_fleet_text_error (NB_UNITS_MM, d->mean_mm);
  assert_shows (mm);
}

static void
test_screenshot (void)
{
  filter (NULL, NULL, NULL, NULL);
  gtk_window_set_default_size (GTK_WINDOW (win), 800, 600);
  nb_test_pump (0.5);
  nb_test_save_png (GTK_WIDGET (win), "fleet-statistics-800x600.png");
  gtk_window_set_default_size (GTK_WINDOW (win), 1100, 1400);
  nb_test_pump (0.5);
  nb_test_save_png (GTK_WIDGET (win), "fleet-statistics.png");
  /* and scrolled down to the pens */
  g_autoptr (GPtrArray) all = nb_fleet_view_get_charts (view);
  /* a history chart: the view's own scrolled window is its first */
  GtkWidget *scroll = gtk_widget_get_ancestor (all->pdata[all->len - 1], GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroll));
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  nb_test_pump (0.5);
  nb_test_save_png (GTK_WIDGET (win), "fleet-statistics-pens.png");
  /* the charts at their own size, to look at closely */
  nb_test_save_png (all->pdata[0], "fleet-statistics-distribution.png");
  nb_test_save_png (all->pdata[1], "fleet-statistics-factory.png");
  nb_test_save_png (all->pdata[3], "fleet-statistics-history.png");
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  dir = g_dir_make_tmp ("nb-gui-fleet-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", dir, TRUE);
  db = g_build_filename (dir, "fleet.db", NULL);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  win = nb_test_start_app (&app);
  g_settings_set_string (nb_window_get_settings (win), "database-path", db);
  /* the view on the Records page, switched to as the operator does */
  NbRecordsPage *records = nb_window_get_records_page (win);
  nb_window_show_page (win, "records");
  GtkWidget *w = GTK_WIDGET (records);
  while (w && !NB_IS_FLEET_VIEW (w))
    {
      GtkWidget *next = gtk_widget_get_first_child (w);
      while (next == NULL && w != GTK_WIDGET (records))
        {
          next = gtk_widget_get_next_sibling (w);
          if (next == NULL)
            w = gtk_widget_get_parent (w);
        }
      w = next;
    }
  g_assert_nonnull (w);
  view = NB_FLEET_VIEW (w);
  GtkWidget *stack = gtk_widget_get_ancestor (w, GTK_TYPE_STACK);
  gtk_stack_set_visible_child (GTK_STACK (stack), w);
  GtkWidget *pages = gtk_widget_get_ancestor (GTK_WIDGET (records), ADW_TYPE_VIEW_STACK);
  adw_view_stack_set_hhomogeneous (ADW_VIEW_STACK (pages), FALSE);
  adw_view_stack_set_vhomogeneous (ADW_VIEW_STACK (pages), FALSE);

  g_test_add_func ("/gui-fleet/empty", test_empty);
  g_test_add_func ("/gui-fleet/fleet", test_fleet);
  g_test_add_func ("/gui-fleet/filters", test_filters);
  g_test_add_func ("/gui-fleet/units", test_units);
  g_test_add_func ("/gui-fleet/screenshot", test_screenshot);
  int rc = g_test_run ();

  nb_test_pump (0.2);
  g_object_unref (app);
  return rc;
}
