/* test-pg-smoke.c: the throw-away cluster of pg-run.sh works as the PostgreSQL tests need it:
 * libpq connects over the Unix socket in the cluster's own directory, the server is version 15,
 * listens on no TCP address, keeps its data in that directory, and answers a query that writes
 * and reads a table. Run only through pg-run.sh (meson does); without NB_PG_URI it fails, it
 * does not skip: a PostgreSQL suite that skips would let CI pass untested. */
#include <glib.h>
#include <libpq-fe.h>
#include <string.h>

typedef PGconn PgConn;
typedef PGresult PgResult;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PgConn, PQfinish)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PgResult, PQclear)

static PGconn *
connect_or_fail (void)
{
  const char *uri = g_getenv ("NB_PG_URI");
  if (uri == NULL || *uri == '\0')
    g_error ("NB_PG_URI is not set: run this test through tests/pg/pg-run.sh (meson test --suite "
             "pg does)");
  PGconn *conn = PQconnectdb (uri);
  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to %s: %s", uri, PQerrorMessage (conn));
  return conn;
}

/* one value of a one-row query, asserting it succeeded */
static char *
query_value (PGconn *conn, const char *sql)
{
  g_autoptr (PgResult) res = PQexec (conn, sql);
  if (PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  g_assert_cmpint (PQntuples (res), ==, 1);
  return g_strdup (PQgetvalue (res, 0, 0));
}

static void
test_socket_and_version (void)
{
  g_autoptr (PgConn) conn = connect_or_fail ();
  const char *dir = g_getenv ("NB_PG_DIR");
  g_assert_nonnull (dir);
  /* a Unix socket: libpq reports the socket directory as the host */
  g_assert_cmpstr (PQhost (conn), ==, dir);
  g_assert_cmpstr (PQport (conn), ==, g_getenv ("NB_PG_PORT"));
  g_assert_cmpint (PQserverVersion (conn) / 10000, ==, 15);
  g_autofree char *listen = query_value (conn, "SHOW listen_addresses");
  g_assert_cmpstr (listen, ==, "");
  g_autofree char *data = query_value (conn, "SHOW data_directory");
  g_autofree char *expected = g_build_filename (dir, "data", NULL);
  g_assert_cmpstr (data, ==, expected);
  g_autofree char *db = query_value (conn, "SELECT current_database ()");
  g_assert_cmpstr (db, ==, "nbtest");
}

static void
test_query (void)
{
  g_autoptr (PgConn) conn = connect_or_fail ();
  g_autoptr (PgResult) create
      = PQexec (conn, "CREATE TEMPORARY TABLE t (depth_mm double precision NOT NULL)");
  g_assert_cmpint (PQresultStatus (create), ==, PGRES_COMMAND_OK);
  const char *values[] = { "1.5" };
  for (int i = 0; i < 3; i++)
    {
      g_autoptr (PgResult) ins = PQexecParams (
          conn, "INSERT INTO t VALUES ($1::double precision + $2::integer)", 2, NULL,
          (const char *[]){ values[0], i == 0   ? "0"
                                       : i == 1 ? "1"
                                                : "2" },
          NULL, NULL, 0);
      g_assert_cmpint (PQresultStatus (ins), ==, PGRES_COMMAND_OK);
    }
  /* 1.5 + 2.5 + 3.5 */
  g_autofree char *sum = query_value (conn, "SELECT sum (depth_mm) FROM t");
  g_assert_cmpstr (sum, ==, "7.5");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pg/smoke/socket-and-version", test_socket_and_version);
  g_test_add_func ("/pg/smoke/query", test_query);
  return g_test_run ();
}
