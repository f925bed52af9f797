/* nb-cli-user.c: `needlebench-cli user add|set|list`: the people who sign certificates, with a
 * role (operator, technician, approver) and a password kept as an Argon2id hash
 * (store/nb-store-certificates.h). A password is typed on the terminal without echo or passed on
 * a descriptor (--password-fd N), never on the command line (nb-cli-password.h). */
#include <glib/gi18n.h>
#include <stdio.h>

#include "nb-cli-password.h"
#include "nb-cli.h"
#include "nb-store-certificates.h"

#define COMMAND "user"

static char *
iso_time (gint64 us)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  return t ? g_date_time_format_iso8601 (t) : NULL;
}

/* A user as JSON: never the hash (listing it would help a guesser). */
static void
add_user_json (JsonBuilder *b, const NbStoreUser *u)
{
  g_autofree char *changed = iso_time (u->changed_at);
  g_autofree char *created = iso_time (u->created_at);
  json_builder_begin_object (b);
  nb_cli_json_string (b, "name", u->name);
  nb_cli_json_string (b, "display_name", u->display_name);
  nb_cli_json_string (b, "role", nb_user_role_to_string (u->role));
  json_builder_set_member_name (b, "active");
  json_builder_add_boolean_value (b, u->active);
  nb_cli_json_string (b, "created_at", created);
  nb_cli_json_string (b, "changed_at", changed);
  nb_cli_json_string (b, "changed_by", u->changed_by);
  nb_cli_json_int (b, "record", u->id);
  json_builder_end_object (b);
}

static int
show_user (NbStore *store, const char *command, const char *name, gboolean json, const char *verb)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NbStoreUser) u = nb_store_get_user (store, name, &error);
  if (u == NULL)
    return nb_cli_fail (command, error);
  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      add_user_json (b, u);
      nb_cli_print_json (json_builder_get_root (b));
      return NB_EXIT_OK;
    }
  g_autofree char *n = nb_cli_escape (u->name);
  g_autofree char *d = nb_cli_escape (u->display_name);
  printf (_ ("User %s (%s) %s: %s%s.\n"), n, d, verb, nb_user_role_to_string (u->role),
          u->active ? "" : _ (", inactive"));
  return NB_EXIT_OK;
}

/* Store refusals that name a field are the caller's mistake: a usage error. */
static int
store_fail (const char *command, const GError *error)
{
  if (error->domain == NB_STORE_ERROR
      && (error->code == NB_STORE_ERROR_INVALID || error->code == NB_STORE_ERROR_EXISTS
          || error->code == NB_STORE_ERROR_NOT_FOUND))
    return nb_cli_usage (command, "%s", error->message);
  return nb_cli_fail (command, error);
}

static int
run_add (int argc, char **argv)
{
  const char *command = COMMAND " add";
  g_autofree char *role_text = NULL, *display = NULL, *fd_text = NULL, *operator_name = NULL;
  g_autofree char *db = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_text, N_ ("operator, technician or approver"),
      N_ ("ROLE") },
    { "display-name", 0, 0, G_OPTION_ARG_STRING, &display,
      N_ ("The name printed on signatures (default: NAME)"), N_ ("TEXT") },
    { "password-fd", 0, 0, G_OPTION_ARG_STRING, &fd_text,
      N_ ("Read the password from this descriptor (default: ask on the terminal)"), "N" },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name,
      N_ ("Who adds it (default: login name)"), N_ ("NAME") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_ ("Database file or postgresql:// URI"),
      N_ ("PATH|URI") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the user as JSON"), NULL },
    { NULL },
  };
  if (!nb_cli_parse (command, N_ ("NAME"),
                     N_ ("Adds a user who can sign certificates. The password is asked on the "
                         "terminal (twice, without echo) or read from --password-fd."),
                     entries, &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc < 2)
    return nb_cli_usage (command, _ ("NAME is required"));
  if (argc > 2)
    return nb_cli_usage (command, _ ("unexpected argument “%s”"), argv[2]);
  NbUserRole role;
  if (role_text == NULL || !nb_user_role_from_string (role_text, &role))
    return nb_cli_usage (command, _ ("--role must be operator, technician or approver"));
  int fd = -1;
  if (fd_text != NULL && (fd = nb_cli_parse_fd (fd_text)) < 0)
    return nb_cli_usage (command, _ ("--password-fd: “%s” is not a descriptor number"), fd_text);

  g_autoptr (GError) error = NULL;
  g_autoptr (NbCliPassword) password
      = nb_cli_read_password (fd, _ ("New password: "), TRUE, NB_PASSWORD_MAX, &error);
  if (password == NULL)
    return nb_cli_usage (command, "%s", error->message);
  g_autoptr (NbStore) store = nb_store_open (db, &error);
  if (store == NULL)
    return nb_cli_fail (command, error);
  if (nb_store_add_user (store, argv[1], display, role, password, operator_name, &error) == 0)
    return store_fail (command, error);
  return show_user (store, command, argv[1], json, "added");
}

static int
run_set (int argc, char **argv)
{
  const char *command = COMMAND " set";
  g_autofree char *role_text = NULL, *display = NULL, *fd_text = NULL, *operator_name = NULL;
  g_autofree char *db = NULL;
  gboolean json = FALSE, password = FALSE, deactivate = FALSE, activate = FALSE;
  const GOptionEntry entries[] = {
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_text, N_ ("operator, technician or approver"),
      N_ ("ROLE") },
    { "display-name", 0, 0, G_OPTION_ARG_STRING, &display, N_ ("The name printed on signatures"),
      N_ ("TEXT") },
    { "password", 0, 0, G_OPTION_ARG_NONE, &password,
      N_ ("Set a new password (asked on the terminal, or from --password-fd)"), NULL },
    { "password-fd", 0, 0, G_OPTION_ARG_STRING, &fd_text,
      N_ ("Read the new password from this descriptor"), "N" },
    { "deactivate", 0, 0, G_OPTION_ARG_NONE, &deactivate, N_ ("The user may no longer sign"),
      NULL },
    { "activate", 0, 0, G_OPTION_ARG_NONE, &activate, N_ ("The user may sign again"), NULL },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name,
      N_ ("Who changes it (default: login name)"), N_ ("NAME") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_ ("Database file or postgresql:// URI"),
      N_ ("PATH|URI") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the user as JSON"), NULL },
    { NULL },
  };
  if (!nb_cli_parse (command, N_ ("NAME"),
                     N_ ("Changes a user: a new record; the earlier ones are kept."), entries,
                     &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc < 2)
    return nb_cli_usage (command, _ ("NAME is required"));
  if (argc > 2)
    return nb_cli_usage (command, _ ("unexpected argument “%s”"), argv[2]);
  NbStoreUserChange change = { .display_name = display };
  if (role_text != NULL && !nb_user_role_from_string (role_text, &change.role))
    return nb_cli_usage (command, _ ("--role must be operator, technician or approver"));
  change.set_role = role_text != NULL;
  if (activate && deactivate)
    return nb_cli_usage (command, _ ("--activate and --deactivate exclude each other"));
  change.set_active = activate || deactivate;
  change.active = activate;
  int fd = -1;
  if (fd_text != NULL && (fd = nb_cli_parse_fd (fd_text)) < 0)
    return nb_cli_usage (command, _ ("--password-fd: “%s” is not a descriptor number"), fd_text);
  if (!change.set_role && !change.set_active && display == NULL && !password && fd < 0)
    return nb_cli_usage (command, _ ("nothing to change (--role, --display-name, --password, "
                                     "--activate, --deactivate)"));
  g_autoptr (GError) error = NULL;
  g_autoptr (NbCliPassword) pw = NULL;
  if (password || fd >= 0)
    {
      pw = nb_cli_read_password (fd, _ ("New password: "), TRUE, NB_PASSWORD_MAX, &error);
      if (pw == NULL)
        return nb_cli_usage (command, "%s", error->message);
      change.password = pw;
    }
  g_autoptr (NbStore) store = nb_store_open (db, &error);
  if (store == NULL)
    return nb_cli_fail (command, error);
  if (nb_store_change_user (store, argv[1], &change, operator_name, &error) == 0)
    return store_fail (command, error);
  return show_user (store, command, argv[1], json, "changed");
}

static int
run_list (int argc, char **argv)
{
  const char *command = COMMAND " list";
  g_autofree char *db = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_ ("Database file or postgresql:// URI"),
      N_ ("PATH|URI") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print a JSON array"), NULL },
    { NULL },
  };
  if (!nb_cli_parse (command, NULL, N_ ("Lists the users as their records in force say."), entries,
                     &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc > 1)
    return nb_cli_usage (command, _ ("unexpected argument “%s”"), argv[1]);
  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_cli_open_store_read (db, &error);
  if (store == NULL)
    return nb_cli_fail (command, error);
  g_autoptr (GPtrArray) users = nb_store_list_users (store, &error);
  if (users == NULL)
    return nb_cli_fail (command, error);
  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_array (b);
      for (guint i = 0; i < users->len; i++)
        add_user_json (b, users->pdata[i]);
      json_builder_end_array (b);
      nb_cli_print_json (json_builder_get_root (b));
      return NB_EXIT_OK;
    }
  if (users->len == 0)
    {
      printf (_ ("No users.\n"));
      return NB_EXIT_OK;
    }
  printf ("%-16s  %-24s  %-10s  %-8s  %s\n", _ ("NAME"), _ ("DISPLAY NAME"), _ ("ROLE"),
          _ ("ACTIVE"), _ ("SINCE"));
  for (guint i = 0; i < users->len; i++)
    {
      NbStoreUser *u = users->pdata[i];
      g_autofree char *n = nb_cli_escape (u->name);
      g_autofree char *d = nb_cli_escape (u->display_name);
      g_autofree char *since = iso_time (u->created_at);
      printf ("%-16s  %-24s  %-10s  %-8s  %s\n", n, d, nb_user_role_to_string (u->role),
              u->active ? _ ("yes") : _ ("no"), since ? since : "?");
    }
  return NB_EXIT_OK;
}

int
nb_cli_user (int argc, char **argv)
{
  static const char usage[] = N_ ("Usage: needlebench-cli user SUBCOMMAND [OPTION…]\n\n"
                                  "The people who sign certificates.\n\nSubcommands:\n"
                                  "  add   add a user with a role and a password\n"
                                  "  set   change a user's role, display name, password or state\n"
                                  "  list  list the users\n");
  if (argc < 2)
    {
      fputs (usage, stderr);
      return NB_EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      fputs (usage, stdout);
      return NB_EXIT_OK;
    }
  if (g_str_equal (argv[1], "add"))
    return run_add (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "set"))
    return run_set (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "list"))
    return run_list (argc - 1, argv + 1);
  return nb_cli_usage (COMMAND, _ ("unknown subcommand “%s” (add, set, list)"), argv[1]);
}
