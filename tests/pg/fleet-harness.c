/* fleet-harness.c: see fleet-harness.h. */
#include "fleet-harness.h"

#include <libpq-fe.h>
#include <stdarg.h>

#include "nb-lab-key.h"
#include "nb-store.h"

static char *dir;

const char *
fleet_uri (void)
{
  const char *uri = g_getenv ("NB_PG_URI");
  if (uri == NULL)
    g_error ("NB_PG_URI is not set: run this test under tests/pg/pg-run.sh");
  return uri;
}

const char *
fleet_init (void)
{
  fleet_uri ();
  g_autoptr (GError) error = NULL;
  dir = g_dir_make_tmp ("nb-fleet-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *xdg = g_build_filename (dir, "xdg", NULL);
  g_setenv ("XDG_DATA_HOME", xdg, TRUE);
  g_setenv ("HOME", dir, TRUE);
  /* the laboratory's key: every bench of the lab has it, so the audit checkpoints are signed */
  g_autofree char *key_path = nb_lab_key_default_path ();
  NbLabKey *key = nb_lab_key_load_or_create (key_path, &error);
  g_assert_no_error (error);
  nb_lab_key_free (key);
  /* the shared database made, as its administrator makes it before the benches join */
  NbStore *server = nb_store_open (fleet_uri (), &error);
  g_assert_no_error (error);
  nb_store_close (server);
  return dir;
}

void
fleet_cli (CliResult *r, const char *first, ...)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  va_list ap;
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  cli_runv (r, (const char *const *) args->pdata);
  g_test_message ("%s ... -> %d\n%s%s", first, r->status, r->out, r->err);
}

GSubprocess *
fleet_start (GPtrArray *argv)
{
  g_autoptr (GPtrArray) full = g_ptr_array_new ();
  g_ptr_array_add (full, (gpointer) g_getenv ("NB_CLI"));
  for (guint i = 0; i < argv->len; i++)
    g_ptr_array_add (full, argv->pdata[i]);
  g_autoptr (GError) error = NULL;
  GSubprocess *p
      = g_subprocess_newv ((const char *const *) full->pdata,
                           G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  return p;
}

void
fleet_standards (const char *db, const char *const *fixtures)
{
  for (const char *const *f = fixtures; *f; f++)
    {
      g_auto (CliResult) r = { 0 };
      fleet_cli (&r, "standards", "add", "--serial", *f, "--certificate", "CAL-FLEET",
                 "--uncertainty-mm", "0.0010", "--k", "2", "--due", "2099-12-31", "--db", db, NULL);
      g_assert_cmpint (r.status, ==, 0);
    }
}

void
fleet_lab (void)
{
  g_auto (CliResult) lab = { 0 };
  fleet_cli (&lab, "lab", "set", "--name", "Fleet Test Lab", "--address", "1 Line Street",
             "--prefix", FLEET_PREFIX, "--db", fleet_uri (), NULL);
  g_assert_cmpint (lab.status, ==, 0);
}

JsonNode *
fleet_runs (const char *db)
{
  g_auto (CliResult) r = { 0 };
  fleet_cli (&r, "runs", "--json", "--db", db, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) p = json_parser_new ();
  g_autoptr (GError) error = NULL;
  if (!json_parser_load_from_data (p, r.out, -1, &error))
    g_error ("runs --json --db %s: not JSON: %s", db, error->message);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (p)));
  return json_node_copy (json_parser_get_root (p));
}

JsonObject *
fleet_run_with_pen (JsonArray *runs, const char *serial)
{
  JsonObject *found = NULL;
  for (guint i = 0; i < json_array_get_length (runs); i++)
    {
      JsonObject *o = json_array_get_object_element (runs, i);
      if (g_strcmp0 (json_object_get_string_member (o, "pen_serial"), serial) != 0)
        continue;
      if (found != NULL)
        g_error ("two runs of pen %s", serial);
      found = o;
    }
  if (found == NULL)
    g_error ("no run of pen %s", serial);
  return found;
}

gint64
fleet_pg_int (const char *sql)
{
  PGconn *conn = PQconnectdb (fleet_uri ());
  gint64 v = -1;
  if (PQstatus (conn) == CONNECTION_OK)
    {
      PGresult *res = PQexec (conn, sql);
      if (PQresultStatus (res) != PGRES_TUPLES_OK || PQntuples (res) != 1)
        g_error ("%s: %s", sql, PQerrorMessage (conn));
      v = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
      PQclear (res);
    }
  PQfinish (conn);
  return v;
}

void
fleet_audit_clean (const char *db)
{
  g_auto (CliResult) r = { 0 };
  fleet_cli (&r, "audit", "verify", "--json", "--db", db, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) p = NULL;
  JsonObject *o = cli_json_object (&r, &p);
  g_assert_true (json_object_get_boolean_member (o, "clean"));
  g_assert_cmpint (json_object_get_int_member (o, "entries"), >, 0);
}

static void
server (const char *action)
{
  const char *ctl = g_getenv ("NB_PG_CTL");
  g_assert_nonnull (ctl);
  const char *argv[] = { ctl, action, NULL };
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                               &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("NB_PG_CTL %s failed", action);
}

void
fleet_server_stop (void)
{
  server ("stop");
  g_assert_cmpint (fleet_pg_int ("SELECT 1"), ==, -1);
}

void
fleet_server_start (void)
{
  server ("start");
  g_assert_cmpint (fleet_pg_int ("SELECT 1"), ==, 1);
}
