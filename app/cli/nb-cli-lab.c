/* nb-cli-lab.c: `needlebench-cli lab set|show`: the laboratory named on certificates (ISO/IEC
 * 17025 §7.8.2.1 b, c) and the prefix of their numbers. Each `set` is a new audited record; the
 * newest is in force (store/nb-store-certificates.h). */
#include <glib/gi18n.h>
#include <stdio.h>

#include "nb-cli.h"
#include "nb-store-certificates.h"

#define COMMAND "lab"

static char *
iso_time (gint64 us)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  return t ? g_date_time_format_iso8601 (t) : NULL;
}

static void
print_lab_json (const NbStoreLab *lab)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *at = iso_time (lab->set_at);
  json_builder_begin_object (b);
  nb_cli_json_int (b, "id", lab->id);
  nb_cli_json_string (b, "name", lab->name);
  nb_cli_json_string (b, "address", lab->address);
  nb_cli_json_string (b, "location", lab->location);
  nb_cli_json_string (b, "prefix", lab->prefix);
  nb_cli_json_string (b, "set_at", at);
  nb_cli_json_string (b, "set_by", lab->set_by);
  json_builder_end_object (b);
  nb_cli_print_json (json_builder_get_root (b));
}

static void
print_lab_text (const NbStoreLab *lab)
{
  g_autofree char *name = nb_cli_escape (lab->name);
  g_autofree char *address = nb_cli_escape (lab->address);
  g_autofree char *location = nb_cli_escape (lab->location);
  g_autofree char *by = nb_cli_escape (lab->set_by);
  g_autofree char *at = iso_time (lab->set_at);
  printf (_ ("Laboratory: %s\nAddress:    %s\nLocation:   %s\nNumbers:    %s-YYYY-NNNNNN\n"
             "Set:        %s by %s\n"),
          name, address, location ? location : _ ("(the address)"), lab->prefix, at ? at : "?", by);
}

static int
run_set (int argc, char **argv)
{
  const char *command = COMMAND " set";
  g_autofree char *name = NULL, *address = NULL, *location = NULL, *prefix = NULL;
  g_autofree char *operator_name = NULL, *db = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_ ("The laboratory's name"), N_ ("NAME") },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, N_ ("Its address (one line)"),
      N_ ("ADDRESS") },
    { "location", 0, 0, G_OPTION_ARG_STRING, &location,
      N_ ("Where the calibrations are done (default: the address)"), N_ ("PLACE") },
    { "prefix", 0, 0, G_OPTION_ARG_STRING, &prefix,
      N_ ("Certificate number prefix, A-Z and 0-9 (default: the previous one, else NB)"), "P" },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name,
      N_ ("Who sets it (default: login name)"), N_ ("NAME") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_ ("Database file or postgresql:// URI"),
      N_ ("PATH|URI") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the settings as JSON"), NULL },
    { NULL },
  };
  if (!nb_cli_parse (
          command, NULL,
          N_ ("Sets the laboratory named on certificates. The settings are a new record; "
              "earlier ones are kept."),
          entries, &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc > 1)
    return nb_cli_usage (command, _ ("unexpected argument “%s”"), argv[1]);
  if (name == NULL || address == NULL)
    return nb_cli_usage (command, _ ("--name NAME and --address ADDRESS are required"));
  g_autoptr (GError) error = NULL;
  NbStoreLabParams p = { .name = name,
                         .address = address,
                         .location = location,
                         .prefix = prefix,
                         .set_by = operator_name };
  g_autoptr (NbStore) store = nb_store_open (db, &error);
  if (store == NULL)
    return nb_cli_fail (command, error);
  if (nb_store_set_lab (store, &p, &error) == 0)
    return g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID)
               ? nb_cli_usage (command, "--%s", error->message)
               : nb_cli_fail (command, error);
  g_autoptr (NbStoreLab) lab = nb_store_get_lab (store, &error);
  if (lab == NULL)
    return nb_cli_fail (command, error);
  if (json)
    print_lab_json (lab);
  else
    print_lab_text (lab);
  return NB_EXIT_OK;
}

static int
run_show (int argc, char **argv)
{
  const char *command = COMMAND " show";
  g_autofree char *db = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_ ("Database file or postgresql:// URI"),
      N_ ("PATH|URI") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the settings as JSON"), NULL },
    { NULL },
  };
  if (!nb_cli_parse (command, NULL, N_ ("Shows the laboratory settings in force."), entries, &argc,
                     &argv))
    return NB_EXIT_USAGE;
  if (argc > 1)
    return nb_cli_usage (command, _ ("unexpected argument “%s”"), argv[1]);
  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_cli_open_store_read (db, &error);
  if (store == NULL)
    return nb_cli_fail (command, error);
  g_autoptr (NbStoreLab) lab = nb_store_get_lab (store, &error);
  if (lab == NULL)
    return nb_cli_fail (command, error);
  if (json)
    print_lab_json (lab);
  else
    print_lab_text (lab);
  return NB_EXIT_OK;
}

int
nb_cli_lab (int argc, char **argv)
{
  static const char usage[] = N_ ("Usage: needlebench-cli lab SUBCOMMAND [OPTION…]\n\n"
                                  "The laboratory named on certificates.\n\nSubcommands:\n"
                                  "  set   set the name, address, location and number prefix\n"
                                  "  show  show the settings in force\n");
  if (argc < 2)
    {
      fputs (_ (usage), stderr);
      return NB_EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      fputs (_ (usage), stdout);
      return NB_EXIT_OK;
    }
  if (g_str_equal (argv[1], "set"))
    return run_set (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "show"))
    return run_show (argc - 1, argv + 1);
  return nb_cli_usage (COMMAND, _ ("unknown subcommand “%s” (set, show)"), argv[1]);
}
