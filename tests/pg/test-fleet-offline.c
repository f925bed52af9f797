/* test-fleet-offline.c: the shared server killed while a bench works (issue 13 §1 "a lost server
 * connection during a run buffers locally ... losing nothing; the operator sees that the bench is
 * offline", §3 "server killed mid-run: nothing lost once it is back"). The server is stopped with
 * `pg_ctl -m immediate` (NB_PG_CTL: its backends are killed, every connection cut) and started
 * again later.
 *
 * /fleet-offline/mid-run: a bench calibrates with --db NB_PG_URI --local-db FILE; once it is
 * measuring, the server goes. The run still completes (exit 0, pass), in the bench's file, and
 * the bench says it is offline with records waiting. A second run while the server is down
 * completes too; a certificate, numbered only on the server, is refused saying the server cannot
 * be reached; `db status` counts what waits. The server comes back: `db sync` copies both runs,
 * with every point and raw stroke; a third run afterwards is sent at once; local and server hold
 * the same runs, and the audit trail of both verifies.
 *
 * /fleet-offline/migrate-killed: `db migrate` of a file of 400 sessions; the server is killed once
 * the first records are in. The migrate fails (exit 5, the server is gone), and run again after
 * the restart completes the copy: every session, stroke and sample batch once, none twice; a
 * third run copies nothing; audit verify clean. */
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fleet-harness.h"
#include "nb-store.h"

#define SESSIONS 400
#define SESSION_BATCHES 40
#define BATCH 100

static const char *dir;

/* the `sync` object of a calibration's result document (--json, one station): its state, and
 * the records waiting and the server's run id (0 for null) */
static const char *
sync_state (const CliResult *r, JsonParser **parser, gint64 *waiting, gint64 *server_id)
{
  JsonObject *doc = cli_json_object (r, parser);
  g_assert_cmpstr (json_object_get_string_member (doc, "status"), ==, "complete");
  g_assert_cmpstr (json_object_get_string_member (doc, "verdict"), ==, "pass");
  JsonObject *sync = json_object_get_object_member (doc, "sync");
  g_assert_nonnull (sync);
  *waiting = json_object_get_int_member (sync, "waiting");
  *server_id
      = json_object_get_null_member (sync, "id") ? 0 : json_object_get_int_member (sync, "id");
  return json_object_get_string_member (sync, "state");
}

/* starts a calibration of pen @serial on fixture @fixture, slow enough (time-scale 4) to stop
 * the server in the middle of it */
static GSubprocess *
start_calibration (const char *serial, const char *fixture, const char *local, const char *scale)
{
  g_autofree char *d = g_strdup_printf (
      "sim:serial=%s,depth-offset=0,depth-gain=1,nonlinearity=0,drift=0,rate-loss=0,"
      "rate-error=0,time-scale=%s",
      serial, scale);
  g_autofree char *f = g_strdup_printf ("sim-fixture:pen=%s,serial=%s", serial, fixture);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  const char *const args[] = {
    "calibrate", "--profile", FLEET_PROFILE, "--no-adjust", "--json",     "--progress", "-d", d,
    "--fixture", f,           "--db",        fleet_uri (),  "--local-db", local
  };
  for (guint i = 0; i < G_N_ELEMENTS (args); i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return fleet_start (argv);
}

/* reads @p's progress on standard error until a line holds @needle; the rest of the output is
 * then read by cli_finish */
static void
wait_progress (GSubprocess *p, const char *needle)
{
  g_autoptr (GDataInputStream) in = g_data_input_stream_new (g_subprocess_get_stderr_pipe (p));
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (in), 1);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (in), FALSE);
  for (;;)
    {
      gsize len = 0;
      g_autoptr (GError) error = NULL;
      g_autofree char *line = g_data_input_stream_read_line_utf8 (in, &len, NULL, &error);
      g_assert_no_error (error);
      if (line == NULL)
        g_error ("the calibration ended before its progress said “%s”", needle);
      g_test_message ("progress: %s", line);
      if (strstr (line, needle) != NULL)
        return;
    }
}

/* `db status --json`: its exit status, state and records waiting */
static int
status (const char *local, const char **state_out, gint64 *waiting, JsonParser **parser)
{
  g_auto (CliResult) r = { 0 };
  fleet_cli (&r, "db", "status", "--json", "--local-db", local, "--db", fleet_uri (), NULL);
  JsonObject *o = cli_json_object (&r, parser);
  *state_out = json_object_get_string_member (o, "state");
  *waiting = json_object_get_int_member (o, "waiting");
  return r.status;
}

static void
sync_ok (const char *local)
{
  g_auto (CliResult) r = { 0 };
  fleet_cli (&r, "db", "sync", "--local-db", local, "--db", fleet_uri (), NULL);
  g_assert_cmpint (r.status, ==, 0);
}

static void
test_mid_run (void)
{
  const char *const fixtures[] = { "OFF-FIX-1", "OFF-FIX-2", "OFF-FIX-3", NULL };
  g_autofree char *local = g_build_filename (dir, "bench.db", NULL);
  fleet_standards (local, fixtures);

  /* 1. the server killed while the run measures its first points */
  GSubprocess *p = start_calibration ("OFF-PEN-1", "OFF-FIX-1", local, "4");
  wait_progress (p, "as-found 1/");
  fleet_server_stop ();
  g_auto (CliResult) r1 = { 0 };
  cli_finish (&r1, p);
  g_object_unref (p);
  g_test_message ("run 1 (server killed mid-run) -> %d\n%s%s", r1.status, r1.out, r1.err);
  g_assert_cmpint (r1.status, ==, 0);
  g_autoptr (JsonParser) jp1 = NULL;
  gint64 waiting1 = 0, id1 = 0;
  g_assert_cmpstr (sync_state (&r1, &jp1, &waiting1, &id1), ==, "offline");
  g_assert_cmpint (waiting1, >, 0);
  g_assert_cmpint (id1, ==, 0);

  /* 2. a run while the server is still down: it completes in the bench's file */
  GSubprocess *q = start_calibration ("OFF-PEN-2", "OFF-FIX-2", local, "20");
  g_auto (CliResult) r2 = { 0 };
  cli_finish (&r2, q);
  g_object_unref (q);
  g_test_message ("run 2 (server down) -> %d\n%s%s", r2.status, r2.out, r2.err);
  g_assert_cmpint (r2.status, ==, 0);
  g_autoptr (JsonParser) jp2 = NULL;
  gint64 waiting2 = 0, id2 = 0;
  g_assert_cmpstr (sync_state (&r2, &jp2, &waiting2, &id2), ==, "offline");
  /* both runs wait now */
  g_assert_cmpint (waiting2, >, waiting1);
  g_assert_cmpint (id2, ==, 0);
  g_autoptr (JsonNode) local_runs = fleet_runs (local);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (local_runs)), ==, 2);

  /* what writes the shared database directly needs it, and says so: a certificate number is
   * allocated there and nowhere else */
  g_autofree char *out = g_build_filename (dir, "certificates", NULL);
  g_auto (CliResult) cert = { 0 };
  fleet_cli (&cert, "certificate", "1", "--out", out, "--db", fleet_uri (), NULL);
  g_assert_cmpint (cert.status, ==, 4);
  g_assert_nonnull (strstr (cert.err, "Cannot reach the database server"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  /* the bench counts what waits without the server, and says it is offline (exit 5) */
  g_autoptr (JsonParser) sp1 = NULL;
  const char *state = NULL;
  gint64 waiting = 0;
  g_assert_cmpint (status (local, &state, &waiting, &sp1), ==, 5);
  g_assert_cmpstr (state, ==, "offline");
  g_assert_cmpint (waiting, >, 0);

  /* 3. the server back: db sync copies both, with every point and raw stroke */
  fleet_server_start ();
  g_assert_cmpint (fleet_pg_int ("SELECT count(*) FROM runs"), ==, 0);
  sync_ok (local);
  g_autoptr (JsonNode) server = fleet_runs (fleet_uri ());
  JsonArray *runs = json_node_get_array (server);
  g_assert_cmpuint (json_array_get_length (runs), ==, 2);
  for (guint i = 1; i <= 2; i++)
    {
      g_autofree char *pen = g_strdup_printf ("OFF-PEN-%u", i);
      JsonObject *o = fleet_run_with_pen (runs, pen);
      g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "complete");
      g_assert_cmpstr (json_object_get_string_member (o, "verdict"), ==, "pass");
    }
  g_autoptr (JsonParser) sp2 = NULL;
  g_assert_cmpint (status (local, &state, &waiting, &sp2), ==, 0);
  g_assert_cmpstr (state, ==, "online");
  g_assert_cmpint (waiting, ==, 0);
  /* cheek-chin-thick: 3 depth points and 1 rate point a run, as-found only */
  gint64 points = fleet_pg_int ("SELECT count(*) FROM run_points");
  gint64 strokes = fleet_pg_int ("SELECT count(*) FROM run_strokes");
  g_assert_cmpint (points, ==, 2 * 4);
  g_assert_cmpint (strokes, >, 0);

  /* 4. online again: the next run is on the server when the command ends */
  GSubprocess *s = start_calibration ("OFF-PEN-3", "OFF-FIX-3", local, "20");
  g_auto (CliResult) r3 = { 0 };
  cli_finish (&r3, s);
  g_object_unref (s);
  g_test_message ("run 3 (online) -> %d\n%s%s", r3.status, r3.out, r3.err);
  g_assert_cmpint (r3.status, ==, 0);
  g_autoptr (JsonParser) jp3 = NULL;
  gint64 waiting3 = -1, id3 = 0;
  g_assert_cmpstr (sync_state (&r3, &jp3, &waiting3, &id3), ==, "synced");
  g_assert_cmpint (waiting3, ==, 0);
  g_assert_cmpint (id3, >, 0);
  g_autoptr (JsonNode) after = fleet_runs (fleet_uri ());
  g_assert_cmpuint (json_array_get_length (json_node_get_array (after)), ==, 3);
  g_autoptr (JsonNode) local_after = fleet_runs (local);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (local_after)), ==, 3);
  /* a sync now finds nothing to do, and nothing was copied twice */
  sync_ok (local);
  g_assert_cmpint (fleet_pg_int ("SELECT count(*) FROM runs"), ==, 3);
  g_assert_cmpint (fleet_pg_int ("SELECT count(*) FROM run_points"), ==, 3 * 4);
  fleet_audit_clean (fleet_uri ());
  fleet_audit_clean (local);
}

/* a bench's file with SESSIONS closed sessions, written through the store as the recorder does */
static void
make_sessions (const char *path)
{
  g_autoptr (GError) error = NULL;
  NbStore *store = nb_store_open (path, &error);
  g_assert_no_error (error);
  gint16 samples[BATCH];
  for (guint i = 0; i < BATCH; i++)
    samples[i] = (gint16) (1000 * sin (i * 0.1));
  for (guint s = 0; s < SESSIONS; s++)
    {
      NbStoreSessionParams params = { .pen_serial = "MIG-PEN-1",
                                      .operator_name = "fleet-test",
                                      .depth_mm = 1.0,
                                      .rate_hz = 100,
                                      .sample_rate_hz = 20000 };
      gint64 id = nb_store_begin_session (store, &params, &error);
      g_assert_no_error (error);
      g_assert_true (nb_store_begin (store, &error));
      for (guint b = 0; b < SESSION_BATCHES; b++)
        {
          g_assert_true (
              nb_store_add_batch (store, id, (guint64) b * BATCH, samples, BATCH, &error));
          NbStoreStroke st = { .index = b,
                               .peak_sample = (guint64) b * BATCH + 50,
                               .time_s = (b * BATCH + 50) / 20000.0,
                               .depth_mm = 1.0,
                               .period_s = BATCH / 20000.0,
                               .entry_speed_mm_s = NAN };
          g_assert_true (nb_store_add_stroke (store, id, &st, &error));
        }
      g_assert_true (nb_store_commit (store, &error));
      g_assert_true (nb_store_close_session (store, id, NB_SESSION_COMPLETE, NULL, &error));
    }
  nb_store_close (store);
}

static void
migrate (CliResult *r, const char *from)
{
  fleet_cli (r, "db", "migrate", "--from", from, "--to", fleet_uri (), NULL);
}

static void
test_migrate_killed (void)
{
  g_autofree char *file = g_build_filename (dir, "migrate.db", NULL);
  make_sessions (file);
  gint64 sessions0 = fleet_pg_int ("SELECT count(*) FROM sessions");
  gint64 strokes0 = fleet_pg_int ("SELECT count(*) FROM strokes");
  gint64 batches0 = fleet_pg_int ("SELECT count(*) FROM batches");

  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  const char *const args[] = { "db", "migrate", "--from", file, "--to", fleet_uri (), NULL };
  for (guint i = 0; i < G_N_ELEMENTS (args); i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  GSubprocess *p = fleet_start (argv);
  /* the server goes once the first sessions are in, long before the last */
  gint64 copied = 0;
  for (guint i = 0; i < 6000 && copied == 0; i++)
    {
      copied = fleet_pg_int ("SELECT count(*) FROM sessions") - sessions0;
      if (copied == 0)
        g_usleep (5000);
    }
  g_test_message ("%" G_GINT64_FORMAT " sessions in when the server was killed", copied);
  g_assert_cmpint (copied, >, 0);
  g_assert_cmpint (copied, <, SESSIONS);
  fleet_server_stop ();
  g_auto (CliResult) killed = { 0 };
  cli_finish (&killed, p);
  g_object_unref (p);
  g_test_message ("migrate (server killed) -> %d\n%s%s", killed.status, killed.out, killed.err);
  g_assert_cmpint (killed.status, ==, 5); /* the server cannot be reached */

  fleet_server_start ();
  g_auto (CliResult) again = { 0 };
  migrate (&again, file);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_cmpint (fleet_pg_int ("SELECT count(*) FROM sessions") - sessions0, ==, SESSIONS);
  g_assert_cmpint (fleet_pg_int ("SELECT count(*) FROM strokes") - strokes0, ==,
                   SESSIONS * SESSION_BATCHES);
  g_assert_cmpint (fleet_pg_int ("SELECT count(*) FROM batches") - batches0, ==,
                   SESSIONS * SESSION_BATCHES);
  /* idempotent: a third migrate copies nothing */
  g_auto (CliResult) third = { 0 };
  migrate (&third, file);
  g_assert_cmpint (third.status, ==, 0);
  g_assert_cmpint (fleet_pg_int ("SELECT count(*) FROM sessions") - sessions0, ==, SESSIONS);
  fleet_audit_clean (fleet_uri ());
  fleet_audit_clean (file);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  dir = fleet_init ();
  g_test_add_func ("/fleet-offline/mid-run", test_mid_run);
  g_test_add_func ("/fleet-offline/migrate-killed", test_migrate_killed);
  return g_test_run ();
}
