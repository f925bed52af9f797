/* test-fleet-link-cli.c: store and forward in `calibrate` and `record` (issue 13 §1) with a
 * fleet server that cannot be reached (a Unix socket directory where no server listens): the run
 * completes and exits 0, the records are in the bench's own file (--local-db), the JSON `sync`
 * object says "offline" with the records waiting, and the text says so; --local-db without a
 * server URI, or naming a URI itself, is a usage error. With NB_PG_URI (suite pg: pg-fleet-link-cli
 * under pg-run.sh) also with a real server: the run synced, under the server's id. */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-harness.h"

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

#define GOOD                                                                                       \
  "depth-offset=0,depth-gain=1,nonlinearity=0,drift=0,rate-loss=0,rate-error=0,time-scale=20"

typedef struct
{
  char *dir;
  char *local;  /* the bench's own file */
  char *server; /* a postgresql:// URI nobody answers */
} Bench;

static void
bench_init (Bench *b)
{
  b->dir = g_dir_make_tmp ("nb-fleet-link-XXXXXX", NULL);
  g_assert_nonnull (b->dir);
  b->local = g_build_filename (b->dir, "bench.db", NULL);
  /* libpq looks for DIR/.s.PGSQL.5 and finds no socket: refused at once, as a server that is down
   */
  b->server = g_strdup_printf ("postgresql:///nbfleet?host=%s&port=5&user=nb", b->dir);
  g_auto (CliResult) r = { 0 };
  cli_run (&r, "standards", "add", "--serial", "NB-FIX-SIM-0001", "--certificate", "CAL-1",
           "--uncertainty-mm", "0.0010", "--k", "2", "--due", "2099-12-31", "--db", b->local, NULL);
  g_assert_cmpint (r.status, ==, 0);
}

static void
bench_clear (Bench *b)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", b->dir);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (b->local);
  g_free (b->server);
  g_free (b->dir);
}

static JsonArray *
runs_in (const char *db, JsonParser **parser)
{
  g_auto (CliResult) r = { 0 };
  cli_run (&r, "runs", "--json", "--db", db, NULL);
  g_assert_cmpint (r.status, ==, 0);
  *parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (*parser, r.out, -1, NULL));
  return json_node_get_array (json_parser_get_root (*parser));
}

/* The `sync` object of an offline run: state, server, waiting > 0, no server id, a reason. */
static gint64
assert_offline_sync (JsonObject *o, const Bench *b)
{
  g_assert_true (json_object_has_member (o, "sync"));
  JsonObject *sync = json_object_get_object_member (o, "sync");
  g_assert_cmpstr (json_object_get_string_member (sync, "state"), ==, "offline");
  g_assert_cmpstr (json_object_get_string_member (sync, "server"), ==, b->server);
  gint64 waiting = json_object_get_int_member (sync, "waiting");
  g_assert_cmpint (waiting, >, 0);
  g_assert_true (json_object_get_null_member (sync, "id"));
  g_assert_nonnull (json_object_get_string_member (sync, "error"));
  return waiting;
}

static void
test_calibrate_offline (void)
{
  Bench b;
  bench_init (&b);
  g_auto (CliResult) r = { 0 };
  cli_run (&r, "calibrate", "-d", "sim:serial=FL-1," GOOD, "--fixture", "sim-fixture:pen=FL-1",
           "--profile", "cheek-chin-thick", "--operator", "alice", "--json", "--db", b.server,
           "--local-db", b.local, NULL);
  g_test_message ("exit %d\n%s%s", r.status, r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  /* an unreachable server costs no waiting: a socket that is not there fails at once */
  g_assert_cmpfloat (r.seconds, <, 60);
  g_autoptr (JsonParser) p = NULL;
  JsonObject *o = cli_json_object (&r, &p);
  gint64 run = json_object_get_int_member (o, "run");
  g_assert_cmpint (run, ==, 1); /* the id in the bench's file */
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "complete");
  g_assert_cmpstr (json_object_get_string_member (o, "verdict"), ==, "pass");
  gint64 waiting = assert_offline_sync (o, &b);

  /* the run is whole in the bench's file */
  g_autoptr (JsonParser) rp = NULL;
  JsonArray *runs = runs_in (b.local, &rp);
  g_assert_cmpuint (json_array_get_length (runs), ==, 1);
  JsonObject *stored = json_array_get_object_element (runs, 0);
  g_assert_cmpint (json_object_get_int_member (stored, "id"), ==, run);
  g_assert_cmpstr (json_object_get_string_member (stored, "status"), ==, "complete");
  g_auto (CliResult) show = { 0 };
  cli_run (&show, "run", "show", "1", "--json", "--db", b.local, NULL);
  g_assert_cmpint (show.status, ==, 0);
  g_autoptr (JsonParser) sp = NULL;
  JsonObject *doc = cli_json_object (&show, &sp);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (doc, "points")), ==, 3);
  g_assert_false (json_object_has_member (doc, "sync"));

  /* a second run: more waiting, and the text says so with the count */
  g_auto (CliResult) t = { 0 };
  cli_run (&t, "calibrate", "-d", "sim:serial=FL-2," GOOD, "--fixture", "sim-fixture:pen=FL-2",
           "--profile", "cheek-chin-thick", "--db", b.server, "--local-db", b.local, NULL);
  g_test_message ("exit %d\n%s%s", t.status, t.out, t.err);
  g_assert_cmpint (t.status, ==, 0);
  const char *at = strstr (t.out, "Server offline (");
  g_assert_nonnull (at);
  gint64 now_waiting = 0;
  const char *colon = strstr (at, "): ");
  g_assert_nonnull (colon);
  now_waiting = g_ascii_strtoll (colon + 3, NULL, 10);
  g_assert_cmpint (now_waiting, >, waiting);
  g_assert_nonnull (strstr (colon, " records waiting, they will be sent by `needlebench-cli db "
                                   "sync` or the next run\n"));
  bench_clear (&b);
}

static void
test_record_offline (void)
{
  Bench b;
  bench_init (&b);
  g_auto (CliResult) r = { 0 };
  cli_run (&r, "record", "-d", "sim:serial=FL-R,time-scale=4", "--depth", "0.5", "--rate", "100",
           "--seconds", "1", "--json", "--db", b.server, "--local-db", b.local, NULL);
  g_test_message ("exit %d\n%s%s", r.status, r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) p = NULL;
  JsonObject *o = cli_json_object (&r, &p);
  g_assert_cmpint (json_object_get_int_member (o, "session_id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (o, "db"), ==, b.local);
  gint64 strokes = json_object_get_int_member (o, "strokes");
  g_assert_cmpint (strokes, >, 0);
  /* records (nb-store-sync.h): the fixture's standard, the pen, its firmware, the session with
   * its strokes */
  g_assert_cmpint (assert_offline_sync (o, &b), ==, 4);

  g_auto (CliResult) s = { 0 };
  cli_run (&s, "sessions", "--json", "--db", b.local, NULL);
  g_assert_cmpint (s.status, ==, 0);
  g_autoptr (JsonParser) sp = json_parser_new ();
  g_assert_true (json_parser_load_from_data (sp, s.out, -1, NULL));
  JsonArray *sessions = json_node_get_array (json_parser_get_root (sp));
  g_assert_cmpuint (json_array_get_length (sessions), ==, 1);
  JsonObject *session = json_array_get_object_element (sessions, 0);
  g_assert_cmpstr (json_object_get_string_member (session, "status"), ==, "complete");
  g_assert_cmpint (json_object_get_int_member (session, "strokes"), ==, strokes);
  bench_clear (&b);
}

/* A server that takes the connection and then says nothing (a listening socket nobody serves):
 * libpq would wait its 10 s connect_timeout; the post-run sync gives up after 3 s and the
 * recording ends offline, exit 0. */
static void
test_silent_server (void)
{
  Bench b;
  bench_init (&b);
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_assert_true (g_socket_listener_add_address (listener, any, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  g_assert_no_error (error);
  guint16 port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_autofree char *silent = g_strdup_printf ("postgresql://127.0.0.1:%u/nbfleet?user=nb", port);

  g_auto (CliResult) r = { 0 };
  cli_run (&r, "record", "-d", "sim:serial=FL-S,time-scale=4", "--depth", "0.5", "--rate", "100",
           "--seconds", "0.5", "--json", "--db", silent, "--local-db", b.local, NULL);
  g_test_message ("exit %d in %.1f s\n%s%s", r.status, r.seconds, r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpfloat (r.seconds, >=, 2.5); /* it did wait for the server... */
  g_assert_cmpfloat (r.seconds, <, 9.0);  /* ...but not libpq's 10 s */
  g_autoptr (JsonParser) p = NULL;
  JsonObject *o = cli_json_object (&r, &p);
  JsonObject *sync = json_object_get_object_member (o, "sync");
  g_assert_cmpstr (json_object_get_string_member (sync, "state"), ==, "offline");
  g_assert_cmpint (json_object_get_int_member (sync, "waiting"), >, 0);
  bench_clear (&b);
}

/* Without a server the output is what it always was: no `sync` key, no sync line. */
static void
test_file_db_unchanged (void)
{
  Bench b;
  bench_init (&b);
  g_auto (CliResult) r = { 0 };
  cli_run (&r, "record", "-d", "sim:serial=FL-F,time-scale=4", "--depth", "0.5", "--rate", "100",
           "--seconds", "0.5", "--json", "--db", b.local, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) p = NULL;
  JsonObject *o = cli_json_object (&r, &p);
  g_assert_false (json_object_has_member (o, "sync"));
  g_auto (CliResult) t = { 0 };
  cli_run (&t, "record", "-d", "sim:serial=FL-F,time-scale=4", "--depth", "0.5", "--rate", "100",
           "--seconds", "0.5", "--db", b.local, NULL);
  g_assert_cmpint (t.status, ==, 0);
  g_assert_null (strstr (t.out, "Synced"));
  g_assert_null (strstr (t.out, "offline"));
  bench_clear (&b);
}

static void
test_local_db_usage (void)
{
  Bench b;
  bench_init (&b);
  struct
  {
    const char *command;
    const char *db;
    const char *local;
    const char *message;
  } cases[] = {
    { "calibrate", b.local, b.local, "--local-db goes with --db URI" },
    { "calibrate", b.server, b.server, "--local-db is the bench's own database file, not a URI" },
    { "record", b.local, b.local, "--local-db goes with --db URI" },
    { "record", b.server, b.server, "--local-db is the bench's own database file, not a URI" },
    /* the password is refused before the pen moves, and never printed */
    { "calibrate", "postgresql://nb:s3cret@localhost/fleet", b.local,
      "--db: the address carries a password" },
    { "record", "postgresql://localhost/fleet?password=s3cret", b.local,
      "--db: the address carries a password" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (CliResult) r = { 0 };
      if (g_str_equal (cases[i].command, "calibrate"))
        cli_run (&r, "calibrate", "-d", "sim:serial=FL-U", "--fixture", "sim-fixture:pen=FL-U",
                 "--profile", "cheek-chin-thick", "--db", cases[i].db, "--local-db", cases[i].local,
                 NULL);
      else
        cli_run (&r, "record", "-d", "sim:serial=FL-U", "--depth", "0.5", "--rate", "100",
                 "--seconds", "1", "--db", cases[i].db, "--local-db", cases[i].local, NULL);
      g_test_message ("%s: exit %d %s", cases[i].command, r.status, r.err);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, cases[i].message));
      g_assert_null (strstr (r.err, "s3cret"));
    }
  /* nothing was recorded */
  g_autoptr (JsonParser) rp = NULL;
  g_assert_cmpuint (json_array_get_length (runs_in (b.local, &rp)), ==, 0);
  bench_clear (&b);
}

/* Suite pg (pg-run.sh sets NB_PG_URI): a real server. A session recorded while the server was
 * away waits in the bench's file; the next calibration with the server there syncs it and its
 * own run: `runs --db URI` shows the run under the server's id given in `sync`, `sessions --db
 * URI` the session, and nothing waits any more. */
static void
test_online (void)
{
  const char *uri = g_getenv ("NB_PG_URI");
  g_assert_nonnull (uri);
  Bench b;
  bench_init (&b);
  g_auto (CliResult) rec = { 0 };
  cli_run (&rec, "record", "-d", "sim:serial=FL-ON-R,time-scale=4", "--depth", "0.5", "--rate",
           "100", "--seconds", "1", "--json", "--db", b.server, "--local-db", b.local, NULL);
  g_assert_cmpint (rec.status, ==, 0);
  g_autoptr (JsonParser) recp = NULL;
  gint64 strokes = json_object_get_int_member (cli_json_object (&rec, &recp), "strokes");

  g_auto (CliResult) r = { 0 };
  cli_run (&r, "calibrate", "-d", "sim:serial=FL-ON-1," GOOD, "--fixture",
           "sim-fixture:pen=FL-ON-1", "--profile", "cheek-chin-thick", "--json", "--db", uri,
           "--local-db", b.local, NULL);
  g_test_message ("exit %d\n%s%s", r.status, r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) p = NULL;
  JsonObject *o = cli_json_object (&r, &p);
  g_assert_cmpint (json_object_get_int_member (o, "run"), ==, 1); /* the bench's id */
  JsonObject *sync = json_object_get_object_member (o, "sync");
  g_assert_cmpstr (json_object_get_string_member (sync, "state"), ==, "synced");
  g_assert_cmpstr (json_object_get_string_member (sync, "server"), ==, uri);
  g_assert_cmpint (json_object_get_int_member (sync, "waiting"), ==, 0);
  g_assert_true (json_object_get_null_member (sync, "error"));
  gint64 server_run = json_object_get_int_member (sync, "id");
  g_assert_cmpint (server_run, >, 0);

  /* the server has the run under that id, and the session recorded while it was away */
  g_autoptr (JsonParser) rp = NULL;
  JsonArray *runs = runs_in (uri, &rp);
  g_assert_cmpuint (json_array_get_length (runs), ==, 1);
  JsonObject *run = json_array_get_object_element (runs, 0);
  g_assert_cmpint (json_object_get_int_member (run, "id"), ==, server_run);
  g_assert_cmpstr (json_object_get_string_member (run, "pen_serial"), ==, "FL-ON-1");
  g_assert_cmpstr (json_object_get_string_member (run, "status"), ==, "complete");
  g_auto (CliResult) s = { 0 };
  cli_run (&s, "sessions", "--json", "--db", uri, NULL);
  g_assert_cmpint (s.status, ==, 0);
  g_autoptr (JsonParser) sp = json_parser_new ();
  g_assert_true (json_parser_load_from_data (sp, s.out, -1, NULL));
  JsonArray *sessions = json_node_get_array (json_parser_get_root (sp));
  g_assert_cmpuint (json_array_get_length (sessions), ==, 1);
  JsonObject *session = json_array_get_object_element (sessions, 0);
  g_assert_cmpstr (json_object_get_string_member (session, "pen_serial"), ==, "FL-ON-R");
  g_assert_cmpint (json_object_get_int_member (session, "strokes"), ==, strokes);

  /* a recording with the server there: synced at once, the text names the server's id */
  g_auto (CliResult) t = { 0 };
  cli_run (&t, "record", "-d", "sim:serial=FL-ON-R,time-scale=4", "--depth", "0.5", "--rate", "100",
           "--seconds", "0.5", "--db", uri, "--local-db", b.local, NULL);
  g_test_message ("exit %d\n%s%s", t.status, t.out, t.err);
  g_assert_cmpint (t.status, ==, 0);
  g_autofree char *line = g_strdup_printf ("Synced to %s as session 2\n", uri);
  g_assert_nonnull (strstr (t.out, line));
  bench_clear (&b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fleet-link/calibrate-offline", test_calibrate_offline);
  g_test_add_func ("/fleet-link/record-offline", test_record_offline);
  g_test_add_func ("/fleet-link/silent-server", test_silent_server);
  g_test_add_func ("/fleet-link/file-db-unchanged", test_file_db_unchanged);
  g_test_add_func ("/fleet-link/local-db-usage", test_local_db_usage);
  if (g_getenv ("NB_PG_URI"))
    g_test_add_func ("/fleet-link/online", test_online);
  return g_test_run ();
}
