/* nb-cli-db.c: `needlebench-cli db migrate | sync | status`: copying a bench's records into a
 * fleet's shared database (store/nb-store-sync.h) and saying what waits to be copied. Exit 0 done,
 * 1 the copy does not verify (migrate), 2 usage, 4 a database cannot be read or written, 5 the
 * database server cannot be reached (sync, status, migrate to a URI). */
#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>

#include "nb-cli.h"
#include "nb-store-sync.h"
#include "nb-store.h"

static gboolean
is_uri (const char *location)
{
  return g_str_has_prefix (location, "postgresql://") || g_str_has_prefix (location, "postgres://");
}

static int
fail (const char *command, const GError *error)
{
  int rc = nb_cli_fail (command, error);
  return g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_OFFLINE) ? NB_EXIT_OFFLINE : rc;
}

static void
json_report (JsonBuilder *b, const NbStoreSyncReport *r)
{
  nb_cli_json_string (b, "origin", r->origin);
  nb_cli_json_string (b, "target", r->target);
  nb_cli_json_int (b, "copied", r->copied);
  nb_cli_json_int (b, "present", r->present);
  nb_cli_json_int (b, "pending", r->pending);
  nb_cli_json_int (b, "open", r->waiting);
  nb_cli_json_int (b, "certificates_kept", r->kept);
}

static void
print_report (const char *from, const char *to, const NbStoreSyncReport *r)
{
  g_autofree char *f = nb_cli_escape (from), *t = nb_cli_escape (to);
  printf ("%s -> %s\n", f, t);
  printf (_ ("%" PRId64 " records copied, %" PRId64 " there already, %" PRId64
             " still open (recording or running)\n"),
          r->copied, r->present, r->waiting);
  if (r->kept > 0)
    printf (ngettext ("%" PRId64 " certificate stays in %s (certificates are never copied)\n",
                      "%" PRId64 " certificates stay in %s (certificates are never copied)\n",
                      r->kept),
            r->kept, f);
}

/* --- db migrate --- */

static int
db_migrate (int argc, char **argv)
{
  const char *command = "db migrate";
  g_autofree char *from_path = NULL, *to_uri = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_FILENAME, &from_path, N_ ("The bench's database file"),
      N_ ("PATH") },
    { "to", 0, 0, G_OPTION_ARG_FILENAME, &to_uri,
      N_ ("The database to copy into (postgresql:// URI or file)"), N_ ("URI") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print a JSON object"), NULL },
    { NULL },
  };
  if (!nb_cli_parse (command, NULL,
                     N_ ("Copies a bench's closed records into another database, normally the "
                         "fleet's server, and verifies the copy. Running it again copies only "
                         "what is new."),
                     entries, &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc > 1)
    return nb_cli_usage (command, _ ("unexpected argument “%s”"), argv[1]);
  if (from_path == NULL || to_uri == NULL)
    return nb_cli_usage (command, _ ("--from and --to are required"));
  if (is_uri (from_path))
    return nb_cli_usage (command, _ ("--from must be a database file, not a URI"));

  g_autoptr (GError) error = NULL;
  /* opened for writing when it can be: an older bench file is brought to schema 10 (its
   * identity) and learns what it sent (sync_sent, so `db status` counts nothing waiting); a file
   * that cannot be written is copied all the same, the target's sync_map alone making the next
   * run copy nothing */
  g_autoptr (NbStore) from = NULL;
  if (!g_file_test (from_path, G_FILE_TEST_EXISTS))
    g_set_error (&error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND, "No database at %s", from_path);
  else
    from = nb_store_open (from_path, &error);
  if (from == NULL && g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_READ_ONLY))
    {
      g_clear_error (&error);
      from = nb_store_open_full (from_path, NB_STORE_OPEN_READ_ONLY, &error);
    }
  if (from == NULL)
    return fail (command, error);
  g_autoptr (NbStore) to = nb_store_open (to_uri, &error);
  if (to == NULL)
    return fail (command, error);
  NbStoreSyncReport report = { 0 };
  if (!nb_store_sync (from, to, &report, &error))
    {
      int rc = fail (command, error);
      nb_store_sync_report_clear (&report);
      return rc;
    }
  g_autoptr (GArray) counts = NULL;
  g_autoptr (GError) verify_error = NULL;
  gboolean verified = nb_store_sync_verify_counts (from, to, &counts, &verify_error);
  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      nb_cli_json_string (b, "from", from_path);
      nb_cli_json_string (b, "to", to_uri);
      json_report (b, &report);
      json_builder_set_member_name (b, "verified");
      json_builder_add_boolean_value (b, verified);
      nb_cli_json_string (b, "difference", verified ? NULL : verify_error->message);
      json_builder_set_member_name (b, "tables");
      json_builder_begin_object (b);
      for (guint i = 0; counts != NULL && i < counts->len; i++)
        {
          const NbStoreSyncCount *c = &g_array_index (counts, NbStoreSyncCount, i);
          nb_cli_json_int (b, c->table, c->rows);
        }
      json_builder_end_object (b);
      json_builder_end_object (b);
      nb_cli_print_json (json_builder_get_root (b));
    }
  else
    {
      print_report (from_path, to_uri, &report);
      if (verified)
        {
          printf (_ ("verified: every closed record is there with the same content, both audit "
                     "trails verify\n"));
          for (guint i = 0; i < counts->len; i++)
            {
              const NbStoreSyncCount *c = &g_array_index (counts, NbStoreSyncCount, i);
              printf ("  %-16s %" PRId64 "\n", c->table, c->rows);
            }
        }
    }
  nb_store_sync_report_clear (&report);
  if (!verified)
    {
      g_autofree char *message = nb_cli_escape (verify_error->message);
      g_printerr (_ ("needlebench-cli %s: the copy does not verify: %s\n"), command, message);
      return g_error_matches (verify_error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT)
                 ? NB_EXIT_OUT_OF_TOLERANCE
                 : fail (command, verify_error);
    }
  return NB_EXIT_OK;
}

/* --- db sync --- */

/* The bench's own database: --local-db, else the default one. */
static char *
local_path (const char *option)
{
  return option != NULL ? g_strdup (option) : nb_store_get_default_path ();
}

static void
print_offline (gboolean json, const char *local, const char *server, gint64 waiting,
               const GError *error)
{
  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      nb_cli_json_string (b, "local_db", local);
      nb_cli_json_string (b, "server", server);
      nb_cli_json_string (b, "state", "offline");
      nb_cli_json_string (b, "error", error->message);
      json_builder_set_member_name (b, "waiting");
      if (waiting >= 0)
        json_builder_add_int_value (b, waiting);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      nb_cli_print_json (json_builder_get_root (b));
      return;
    }
  g_autofree char *s = nb_cli_escape (server);
  if (waiting >= 0)
    printf (ngettext ("server %s offline: %" PRId64 " record waiting\n",
                      "server %s offline: %" PRId64 " records waiting\n", waiting),
            s, waiting);
  else
    printf (_ ("server %s offline\n"), s);
}

/* The options db sync and db status share: the bench's own file, the server, --json. */
typedef struct
{
  char *local_option, *server;
  gboolean json;
  char *local; /* the bench's file: --local-db or the default path */
} LinkOptions;

static void
link_options_clear (LinkOptions *o)
{
  g_free (o->local_option);
  g_free (o->server);
  g_free (o->local);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LinkOptions, link_options_clear)

/* parse_link_options: parses @command's options into @o; an exit status (usage) on failure, -1
 * when parsed. */
static int
parse_link_options (const char *command, const char *summary, int *argc, char ***argv,
                    LinkOptions *o)
{
  const GOptionEntry entries[] = {
    { "local-db", 0, 0, G_OPTION_ARG_FILENAME, &o->local_option,
      N_ ("The bench's own database file (default: the usual one)"), N_ ("PATH") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &o->server, N_ ("The fleet's server"), N_ ("URI") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json, N_ ("Print a JSON object"), NULL },
    { NULL },
  };
  if (!nb_cli_parse (command, NULL, summary, entries, argc, argv))
    return NB_EXIT_USAGE;
  if (*argc > 1)
    return nb_cli_usage (command, _ ("unexpected argument “%s”"), (*argv)[1]);
  o->local = local_path (o->local_option);
  if (is_uri (o->local))
    return nb_cli_usage (command, _ ("--local-db must be a database file, not a URI"));
  return -1;
}

static int
db_sync (int argc, char **argv)
{
  const char *command = "db sync";
  g_auto (LinkOptions) o = { 0 };
  int status = parse_link_options (
      command,
      N_ ("Sends the closed records of the bench's own database that the server does not have "
          "yet. Exit 5 when the server cannot be reached."),
      &argc, &argv, &o);
  if (status >= 0)
    return status;
  if (o.server == NULL)
    return nb_cli_usage (command, _ ("--db is required"));
  const char *local = o.local, *server = o.server;
  gboolean json = o.json;

  g_autoptr (GError) error = NULL;
  if (!g_file_test (local, G_FILE_TEST_EXISTS))
    {
      g_set_error (&error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND,
                   "No database at %s: this bench has recorded nothing", local);
      return fail (command, error);
    }
  g_autoptr (NbStore) from = nb_store_open (local, &error);
  if (from == NULL)
    return fail (command, error);
  g_autoptr (NbStore) to = nb_store_open (server, &error);
  if (to == NULL)
    {
      if (!g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_OFFLINE))
        return fail (command, error);
      gint64 waiting = nb_store_sync_count_waiting (from, NULL, NULL);
      print_offline (json, local, server, waiting, error);
      return fail (command, error);
    }
  NbStoreSyncReport report = { 0 };
  gboolean ok = nb_store_sync (from, to, &report, &error);
  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      nb_cli_json_string (b, "local_db", local);
      nb_cli_json_string (b, "server", server);
      nb_cli_json_string (b, "state",
                          ok ? "synced"
                          : g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_OFFLINE)
                              ? "offline"
                              : "failed");
      nb_cli_json_string (b, "error", ok ? NULL : error->message);
      json_report (b, &report);
      json_builder_end_object (b);
      nb_cli_print_json (json_builder_get_root (b));
    }
  else
    print_report (local, server, &report);
  nb_store_sync_report_clear (&report);
  return ok ? NB_EXIT_OK : fail (command, error);
}

/* --- db status --- */

static int
db_status (int argc, char **argv)
{
  const char *command = "db status";
  g_auto (LinkOptions) o = { 0 };
  int status = parse_link_options (
      command,
      N_ ("Says whether the server can be reached, the databases' identities and how many "
          "records of the bench wait to be sent. Exit 5 when the server cannot be reached."),
      &argc, &argv, &o);
  if (status >= 0)
    return status;
  const char *local = o.local, *server = o.server;
  gboolean json = o.json;

  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) from = nb_cli_open_store_read (local, &error);
  if (from == NULL)
    return fail (command, error);
  g_autofree char *origin = nb_store_get_identity (from, &error);
  if (origin == NULL)
    return fail (command, error);
  g_autoptr (GError) server_error = NULL;
  g_autoptr (NbStore) to = server != NULL ? nb_store_open (server, &server_error) : NULL;
  g_autofree char *target = to != NULL ? nb_store_get_identity (to, &server_error) : NULL;
  const char *state = server == NULL   ? "none"
                      : target != NULL ? "online"
                      : g_error_matches (server_error, NB_STORE_ERROR, NB_STORE_ERROR_OFFLINE)
                          ? "offline"
                          : "failed";
  /* online: what this server lacks; else what was never sent anywhere */
  gint64 waiting = nb_store_sync_count_waiting (from, target, &error);
  if (waiting < 0)
    return fail (command, error);
  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      nb_cli_json_string (b, "local_db", local);
      nb_cli_json_string (b, "local_identity", origin);
      nb_cli_json_string (b, "server", server);
      nb_cli_json_string (b, "state", state);
      nb_cli_json_string (b, "server_identity", target);
      nb_cli_json_string (b, "error", server_error != NULL ? server_error->message : NULL);
      nb_cli_json_int (b, "waiting", waiting);
      json_builder_end_object (b);
      nb_cli_print_json (json_builder_get_root (b));
    }
  else
    {
      g_autofree char *l = nb_cli_escape (local), *s = nb_cli_escape (server);
      printf (_ ("bench database %s (identity %s)\n"), l, origin);
      if (server == NULL)
        printf (_ ("no server given (--db URI)\n"));
      else if (target != NULL)
        printf (_ ("server %s online (identity %s)\n"), s, target);
      else
        {
          g_autofree char *why = nb_cli_escape (server_error->message);
          if (g_str_equal (state, "offline"))
            printf (_ ("server %s offline: %s\n"), s, why);
          else
            printf (_ ("server %s cannot be used: %s\n"), s, why);
        }
      printf (ngettext ("%" PRId64 " record waiting to be sent\n",
                        "%" PRId64 " records waiting to be sent\n", waiting),
              waiting);
    }
  if (server_error != NULL)
    return fail (command, server_error);
  return NB_EXIT_OK;
}

int
nb_cli_db (int argc, char **argv)
{
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      printf (_ ("Usage: needlebench-cli db migrate --from PATH --to URI [--json]\n"
                 "       needlebench-cli db sync [--local-db PATH] --db URI [--json]\n"
                 "       needlebench-cli db status [--local-db PATH] [--db URI] [--json]\n"
                 "Copies a bench's records into a fleet's database (see needlebench-cli db "
                 "SUBCOMMAND --help).\n"));
      return NB_EXIT_OK;
    }
  if (argc >= 2 && g_str_equal (argv[1], "migrate"))
    return db_migrate (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "sync"))
    return db_sync (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "status"))
    return db_status (argc - 1, argv + 1);
  if (argc >= 2)
    return nb_cli_usage ("db", _ ("unknown subcommand “%s”: migrate, sync or status"), argv[1]);
  return nb_cli_usage ("db", _ ("a subcommand is needed: migrate, sync or status"));
}
