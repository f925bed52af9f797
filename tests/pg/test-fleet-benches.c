/* test-fleet-benches.c: four benches, one shared PostgreSQL database (issue 13 §3 and its "Done
 * when"). Four needlebench-cli processes, each a bench with its own SQLite file (--local-db) and
 * the same server (--db NB_PG_URI), calibrate two simulated stations each, all at once. Then:
 * every run (8) is on the server with its pen, fixture and verdict, and each bench's own file
 * holds its two; certificates are issued for all eight runs from the four benches at once (eight
 * processes) and get the numbers FLT-YYYY-000001..000008, each once, none skipped; `audit verify`
 * on the server is clean; `stats --json` counts the eight pens of the four benches. */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet-harness.h"

#define BENCHES 4
#define STATIONS 2 /* per bench */

static const char *dir;
static char *local_db[BENCHES];

static char *
pen_serial (guint bench, guint station)
{
  return g_strdup_printf ("B%u-PEN-%u", bench + 1, station + 1);
}

static char *
fixture_serial (guint bench, guint station)
{
  return g_strdup_printf ("B%u-FIX-%u", bench + 1, station + 1);
}

/* calibrate on all four benches at once: each bench one process with its two stations */
static void
calibrate_everywhere (void)
{
  GSubprocess *procs[BENCHES];
  GPtrArray *keep = g_ptr_array_new_with_free_func (g_free);
  for (guint b = 0; b < BENCHES; b++)
    {
      g_autoptr (GPtrArray) argv = g_ptr_array_new ();
      const char *head[] = { "calibrate", "--profile", FLEET_PROFILE, "--no-adjust", "--json" };
      for (guint i = 0; i < G_N_ELEMENTS (head); i++)
        g_ptr_array_add (argv, (gpointer) head[i]);
      for (guint s = 0; s < STATIONS; s++)
        {
          g_autofree char *pen = pen_serial (b, s);
          g_autofree char *fix = fixture_serial (b, s);
          char *d = g_strdup_printf ("sim:serial=%s,seed=%u," FLEET_IDEAL, pen, 10 * b + s + 1);
          char *f = g_strdup_printf ("sim-fixture:pen=%s,serial=%s", pen, fix);
          g_ptr_array_add (keep, d);
          g_ptr_array_add (keep, f);
          g_ptr_array_add (argv, "-d");
          g_ptr_array_add (argv, d);
          g_ptr_array_add (argv, "--fixture");
          g_ptr_array_add (argv, f);
        }
      g_ptr_array_add (argv, "--db");
      g_ptr_array_add (argv, (gpointer) fleet_uri ());
      g_ptr_array_add (argv, "--local-db");
      g_ptr_array_add (argv, local_db[b]);
      g_ptr_array_add (argv, NULL);
      procs[b] = fleet_start (argv);
    }
  for (guint b = 0; b < BENCHES; b++)
    {
      g_auto (CliResult) r = { 0 };
      cli_finish (&r, procs[b]);
      g_object_unref (procs[b]);
      g_test_message ("bench %u: calibrate -> %d\n%s%s", b + 1, r.status, r.out, r.err);
      g_assert_cmpint (r.status, ==, 0);
      g_autoptr (JsonParser) p = json_parser_new ();
      g_assert_true (json_parser_load_from_data (p, r.out, -1, NULL));
      JsonArray *docs = json_node_get_array (json_parser_get_root (p));
      g_assert_cmpuint (json_array_get_length (docs), ==, STATIONS);
      /* each run was sent to the server at once, and the bench says where it is there */
      for (guint s = 0; s < STATIONS; s++)
        {
          JsonObject *sync
              = json_object_get_object_member (json_array_get_object_element (docs, s), "sync");
          g_assert_nonnull (sync);
          g_assert_cmpstr (json_object_get_string_member (sync, "state"), ==, "synced");
          g_assert_cmpint (json_object_get_int_member (sync, "waiting"), ==, 0);
          g_assert_cmpint (json_object_get_int_member (sync, "id"), >, 0);
        }
    }
  g_ptr_array_unref (keep);
}

static void
test_runs_on_server (void)
{
  g_autoptr (JsonNode) server = fleet_runs (fleet_uri ());
  JsonArray *runs = json_node_get_array (server);
  g_assert_cmpuint (json_array_get_length (runs), ==, BENCHES * STATIONS);
  g_assert_cmpint (fleet_pg_int ("SELECT count(*) FROM runs"), ==, BENCHES * STATIONS);
  for (guint b = 0; b < BENCHES; b++)
    {
      g_autoptr (JsonNode) local = fleet_runs (local_db[b]);
      g_assert_cmpuint (json_array_get_length (json_node_get_array (local)), ==, STATIONS);
      for (guint s = 0; s < STATIONS; s++)
        {
          g_autofree char *pen = pen_serial (b, s);
          g_autofree char *fix = fixture_serial (b, s);
          JsonObject *o = fleet_run_with_pen (runs, pen);
          g_assert_cmpstr (json_object_get_string_member (o, "fixture_serial"), ==, fix);
          g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "complete");
          g_assert_cmpstr (json_object_get_string_member (o, "verdict"), ==, "pass");
          g_assert_true (json_object_get_boolean_member (o, "traceable"));
          /* the bench's own file holds the same run */
          JsonObject *l = fleet_run_with_pen (json_node_get_array (local), pen);
          g_assert_cmpstr (json_object_get_string_member (l, "started_at"), ==,
                           json_object_get_string_member (o, "started_at"));
        }
    }
  /* every point and every raw stroke made it, not just the run rows */
  g_assert_cmpint (fleet_pg_int ("SELECT count(DISTINCT run_id) FROM run_points"), ==,
                   BENCHES * STATIONS);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* certificates for all eight runs, eight processes at once (two per bench) */
static void
test_certificates_at_once (void)
{
  g_autoptr (JsonNode) server = fleet_runs (fleet_uri ());
  JsonArray *runs = json_node_get_array (server);
  g_assert_cmpuint (json_array_get_length (runs), ==, BENCHES * STATIONS);
  GSubprocess *procs[BENCHES * STATIONS];
  g_autofree char *out = g_build_filename (dir, "certificates", NULL);
  for (guint i = 0; i < BENCHES * STATIONS; i++)
    {
      g_autofree char *id = g_strdup_printf (
          "%" G_GINT64_FORMAT,
          json_object_get_int_member (json_array_get_object_element (runs, i), "id"));
      g_autoptr (GPtrArray) argv = g_ptr_array_new ();
      const char *const args[]
          = { "certificate", id, "--out", out, "--json", "--db", fleet_uri () };
      for (guint a = 0; a < G_N_ELEMENTS (args); a++)
        g_ptr_array_add (argv, (gpointer) args[a]);
      g_ptr_array_add (argv, NULL);
      procs[i] = fleet_start (argv);
    }
  g_autoptr (GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < BENCHES * STATIONS; i++)
    {
      g_auto (CliResult) r = { 0 };
      cli_finish (&r, procs[i]);
      g_object_unref (procs[i]);
      g_test_message ("certificate %u -> %d\n%s%s", i, r.status, r.out, r.err);
      g_assert_cmpint (r.status, ==, 0);
      g_autoptr (JsonParser) p = NULL;
      JsonObject *o = cli_json_object (&r, &p);
      g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "draft");
      /* the server's run, not the id it had on its bench */
      g_assert_cmpint (json_object_get_int_member (o, "run"), ==,
                       json_object_get_int_member (json_array_get_object_element (runs, i), "id"));
      g_ptr_array_add (numbers, g_strdup (json_object_get_string_member (o, "number")));
    }
  g_ptr_array_sort (numbers, compare_strings);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  for (guint i = 0; i < numbers->len; i++)
    {
      g_autofree char *want
          = g_strdup_printf (FLEET_PREFIX "-%04d-%06u", g_date_time_get_year (now), i + 1);
      g_assert_cmpstr (numbers->pdata[i], ==, want);
    }
  /* and the server's list agrees: eight certificates of eight different runs */
  g_assert_cmpint (fleet_pg_int ("SELECT count(DISTINCT number) FROM certificates"), ==,
                   BENCHES * STATIONS);
  g_assert_cmpint (fleet_pg_int ("SELECT count(DISTINCT run_id) FROM certificates"), ==,
                   BENCHES * STATIONS);
}

static void
test_audit (void)
{
  fleet_audit_clean (fleet_uri ());
  for (guint b = 0; b < BENCHES; b++)
    fleet_audit_clean (local_db[b]);
}

static void
test_stats (void)
{
  g_auto (CliResult) r = { 0 };
  fleet_cli (&r, "stats", "--json", "--db", fleet_uri (), NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) p = NULL;
  JsonObject *o = cli_json_object (&r, &p);
  g_assert_cmpint (json_object_get_int_member (o, "runs"), ==, BENCHES * STATIONS);
  g_assert_cmpint (json_object_get_int_member (o, "pen_count"), ==, BENCHES * STATIONS);
  JsonArray *models = json_object_get_array_member (o, "models");
  g_assert_cmpuint (json_array_get_length (models), ==, 1);
  JsonObject *m = json_array_get_object_element (models, 0);
  g_assert_cmpint (json_object_get_int_member (m, "pens"), ==, BENCHES * STATIONS);
  JsonObject *fp = json_object_get_object_member (m, "first_pass");
  g_assert_cmpint (json_object_get_int_member (fp, "passed"), ==, BENCHES * STATIONS);
  /* one pen of each bench, by serial */
  for (guint b = 0; b < BENCHES; b++)
    {
      g_autofree char *pen = pen_serial (b, 1);
      g_auto (CliResult) one = { 0 };
      fleet_cli (&one, "stats", "--json", "--pen", pen, "--db", fleet_uri (), NULL);
      g_assert_cmpint (one.status, ==, 0);
      g_autoptr (JsonParser) q = NULL;
      JsonObject *x = cli_json_object (&one, &q);
      g_assert_cmpint (json_object_get_int_member (x, "pen_count"), ==, 1);
      g_assert_cmpint (json_object_get_int_member (x, "runs"), ==, 1);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  dir = fleet_init ();
  fleet_lab ();
  for (guint b = 0; b < BENCHES; b++)
    {
      local_db[b] = g_strdup_printf ("%s/bench-%u.db", dir, b + 1);
      g_autofree char *f1 = fixture_serial (b, 0), *f2 = fixture_serial (b, 1);
      const char *const fixtures[STATIONS + 1] = { f1, f2, NULL };
      fleet_standards (local_db[b], fixtures);
    }
  calibrate_everywhere ();

  g_test_add_func ("/fleet/runs-on-server", test_runs_on_server);
  g_test_add_func ("/fleet/certificates-at-once", test_certificates_at_once);
  g_test_add_func ("/fleet/audit", test_audit);
  g_test_add_func ("/fleet/stats", test_stats);
  return g_test_run ();
}
