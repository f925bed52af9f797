/* nb-cli-standards.c: `needlebench-cli standards add|list|check|withdraw`: the reference standards
 * (fixture certificates) that calibrations are traced to. The rules a record must follow live in
 * store/nb-store-standards.h; this file names the options in its messages and prints. */
#include <inttypes.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "nb-cli-json.h"
#include "nb-cli.h"
#include "nb-store-standards.h"

#define COMMAND "standards"

static char *
iso_time (gint64 us)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  return t ? g_date_time_format_iso8601 (t) : NULL;
}

/* parse_number: @text as a plain decimal number, the whole text (no hex, no "inf", no spaces). */
static gboolean
parse_number (const char *command, const char *option, const char *text, double *out)
{
  char *end = NULL;
  gboolean plain = *text != '\0' && strspn (text, "0123456789.+-eE") == strlen (text);
  double v = plain ? g_ascii_strtod (text, &end) : NAN;
  if (!plain || end == text || *end != '\0')
    {
      nb_cli_usage (command, _ ("%s: “%s” is not a number"), option, text);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

/* Prints a validation error from the store's checks (they name the option) as a usage error. */
static int
usage_error (const char *command, GError *error)
{
  return nb_cli_usage (command, "%s", error->message);
}

static const char *
status_text (const NbStoreStandard *s, gboolean expired)
{
  if (s->withdrawn != NULL)
    return _ ("withdrawn");
  if (!s->in_force)
    return _ ("superseded");
  return expired ? _ ("EXPIRED") : _ ("in force");
}

static void
add_json_record (JsonBuilder *b, const NbStoreStandard *s, const GDate *today)
{
  g_autofree char *added = iso_time (s->added_at);
  json_builder_begin_object (b);
  nb_cli_json_int (b, "id", s->id);
  nb_cli_json_string (b, "serial", s->serial);
  nb_cli_json_string (b, "model", s->model);
  nb_cli_json_string (b, "certificate", s->certificate);
  nb_cli_json_fixed (b, "uncertainty_mm", s->uncertainty_mm, NB_STANDARD_U_DECIMALS);
  nb_cli_json_fixed (b, "k", s->k, NB_STANDARD_K_DECIMALS);
  nb_cli_json_string (b, "due", s->due);
  nb_cli_json_string (b, "added_at", added);
  nb_cli_json_string (b, "added_by", s->added_by);
  json_builder_set_member_name (b, "in_force");
  json_builder_add_boolean_value (b, s->in_force);
  json_builder_set_member_name (b, "expired");
  json_builder_add_boolean_value (b, nb_store_standard_is_expired (s, today));
  nb_cli_json_string (b, "withdrawn", s->withdrawn);
  json_builder_end_object (b);
}

static void
print_json_record (const NbStoreStandard *s, const GDate *today)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  add_json_record (b, s, today);
  nb_cli_print_json (json_builder_get_root (b));
}

/* One line for a person: "certificate C, U = 0.0010 mm (k = 2.00), due 2027-11-30". */
static char *
describe (const NbStoreStandard *s)
{
  g_autofree char *certificate = nb_cli_escape (s->certificate);
  return g_strdup_printf (_ ("certificate %s, U = %.*f mm (k = %.*f), due %s"), certificate,
                          NB_STANDARD_U_DECIMALS, s->uncertainty_mm, NB_STANDARD_K_DECIMALS, s->k,
                          s->due);
}

/* The checks every writer gets, named by the options; TRUE if all pass, else *@rc is the exit
 * code (the message printed). Fills in @p's numbers. */
static gboolean
check_add_options (const char *command, NbStoreStandardParams *p, const char *u_text,
                   const char *k_text, int *rc)
{
  g_autoptr (GError) error = NULL;
  const char *const options[]
      = { "--serial S", "--certificate NUMBER", "--uncertainty-mm U", "--k K", "--due YYYY-MM-DD" };
  const char *const given[] = { p->serial, p->certificate, u_text, k_text, p->due };
  for (gsize i = 0; i < G_N_ELEMENTS (options); i++)
    if (given[i] == NULL)
      {
        *rc = nb_cli_usage (command, _ ("%s is required"), options[i]);
        return FALSE;
      }
  if (!nb_store_standard_check_text ("--serial", p->serial, TRUE, NB_STANDARD_TEXT_MAX, &error)
      || !nb_store_standard_check_text ("--certificate", p->certificate, TRUE, NB_STANDARD_TEXT_MAX,
                                        &error)
      || !nb_store_standard_check_text ("--model", p->model, FALSE, NB_STANDARD_TEXT_MAX, &error)
      || !nb_store_standard_check_text ("--operator", p->added_by, FALSE, NB_STANDARD_TEXT_MAX,
                                        &error))
    {
      *rc = usage_error (command, error);
      return FALSE;
    }
  if (!parse_number (command, "--uncertainty-mm", u_text, &p->uncertainty_mm)
      || !parse_number (command, "--k", k_text, &p->k))
    {
      *rc = NB_EXIT_USAGE;
      return FALSE;
    }
  if (!nb_store_standard_check_uncertainty ("--uncertainty-mm", p->uncertainty_mm, &error)
      || !nb_store_standard_check_k ("--k", p->k, &error)
      || !nb_store_standard_parse_date ("--due", p->due, NULL, &error))
    {
      *rc = usage_error (command, error);
      return FALSE;
    }
  return TRUE;
}

static int
run_add (int argc, char **argv)
{
  const char *command = COMMAND " add";
  g_autofree char *serial = NULL, *certificate = NULL, *u_text = NULL, *k_text = NULL;
  g_autofree char *due = NULL, *model = NULL, *operator_name = NULL, *db = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "serial", 0, 0, G_OPTION_ARG_STRING, &serial, N_ ("The fixture's serial (as it reports it)"),
      "S" },
    { "certificate", 0, 0, G_OPTION_ARG_STRING, &certificate, N_ ("Its calibration certificate"),
      N_ ("NUMBER") },
    { "uncertainty-mm", 0, 0, G_OPTION_ARG_STRING, &u_text,
      N_ ("The certificate's expanded uncertainty U, mm (0.0001 to 1, at most 4 decimals)"), "U" },
    { "k", 0, 0, G_OPTION_ARG_STRING, &k_text, N_ ("Its coverage factor (1 to 5, e.g. 2)"), "K" },
    { "due", 0, 0, G_OPTION_ARG_STRING, &due, N_ ("The certificate's due date (valid on it)"),
      N_ ("YYYY-MM-DD") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model, N_ ("The fixture's model"), "M" },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name,
      N_ ("Who records it (default: login name)"), N_ ("NAME") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_ ("Database file or postgresql:// URI"),
      N_ ("PATH|URI") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the record as JSON"), NULL },
    { NULL },
  };
  if (!nb_cli_parse (command, NULL,
                     N_ ("Records a fixture's calibration certificate. It supersedes the fixture's "
                         "previous record; records are never changed or deleted."),
                     entries, &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc > 1)
    return nb_cli_usage (command, _ ("unexpected argument “%s”"), argv[1]);
  NbStoreStandardParams p = {
    .serial = serial,
    .model = model,
    .certificate = certificate,
    .due = due,
    .added_by = operator_name ? operator_name : g_get_user_name (),
  };
  int rc = NB_EXIT_OK;
  if (!check_add_options (command, &p, u_text, k_text, &rc))
    return rc;

  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_store_open (db, &error);
  if (store == NULL)
    return nb_cli_fail (command, error);
  g_autoptr (NbStoreStandard) previous = nb_store_get_standard (store, serial, NULL);
  gint64 id = nb_store_add_standard (store, &p, &error);
  if (id == 0)
    return g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID)
               ? usage_error (command, error)
               : nb_cli_fail (command, error);
  g_autoptr (NbStoreStandard) added = nb_store_get_standard (store, serial, &error);
  if (added == NULL)
    return nb_cli_fail (command, error);
  if (json)
    {
      print_json_record (added, NULL);
      return NB_EXIT_OK;
    }
  g_autofree char *text = describe (added);
  g_autofree char *serial_text = nb_cli_escape (serial);
  printf (_ ("Standard %" PRId64 " recorded for fixture %s: %s.\n"), id, serial_text, text);
  if (previous != NULL && previous->certificate != NULL)
    {
      g_autofree char *old = nb_cli_escape (previous->certificate);
      printf (_ ("It supersedes certificate %s (standard %" PRId64 ").\n"), old, previous->id);
    }
  if (nb_store_standard_is_expired (added, NULL))
    printf (_ ("It is past its due date: calibrations with this fixture are refused until a newer "
               "certificate is recorded.\n"));
  return NB_EXIT_OK;
}

static int
run_list (int argc, char **argv)
{
  const char *command = COMMAND " list";
  g_autofree char *db = NULL;
  gboolean json = FALSE, in_force = FALSE;
  const GOptionEntry entries[] = {
    { "in-force", 0, 0, G_OPTION_ARG_NONE, &in_force, N_ ("Only each fixture's standard in force"),
      NULL },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_ ("Database file or postgresql:// URI"),
      N_ ("PATH|URI") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print a JSON array"), NULL },
    { NULL },
  };
  if (!nb_cli_parse (
          command, NULL,
          N_ ("Lists the reference standards by fixture, newest first; the newest is the "
              "one in force."),
          entries, &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc > 1)
    return nb_cli_usage (command, _ ("unexpected argument “%s”"), argv[1]);

  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_cli_open_store_read (db, &error);
  if (store == NULL)
    return nb_cli_fail (command, error);
  g_autoptr (GPtrArray) list = nb_store_list_standards (store, in_force, &error);
  if (list == NULL)
    return nb_cli_fail (command, error);
  /* one date for every row, even across midnight */
  g_autoptr (GDate) today = g_date_new ();
  g_date_set_time_t (today, time (NULL));

  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        add_json_record (b, g_ptr_array_index (list, i), today);
      json_builder_end_array (b);
      nb_cli_print_json (json_builder_get_root (b));
      return NB_EXIT_OK;
    }
  if (list->len == 0)
    {
      printf (_ ("No reference standards.\n"));
      return NB_EXIT_OK;
    }
  printf ("%4s  %-16s  %-12s  %-14s  %8s  %4s  %-10s  %-10s  %-10s  %s\n", _ ("ID"), _ ("FIXTURE"),
          _ ("MODEL"), _ ("CERTIFICATE"), _ ("U (mm)"), "k", _ ("DUE"), _ ("STATUS"), _ ("ADDED"),
          _ ("BY"));
  for (guint i = 0; i < list->len; i++)
    {
      NbStoreStandard *s = g_ptr_array_index (list, i);
      /* every text here was typed by someone: escaped, one row per record */
      g_autofree char *serial = nb_cli_escape (s->serial);
      g_autofree char *model = nb_cli_escape (s->model);
      g_autofree char *certificate = nb_cli_escape (s->certificate);
      g_autofree char *by = nb_cli_escape (s->added_by);
      g_autofree char *added = iso_time (s->added_at);
      g_autofree char *u
          = s->withdrawn ? g_strdup ("-")
                         : g_strdup_printf ("%.*f", NB_STANDARD_U_DECIMALS, s->uncertainty_mm);
      g_autofree char *k
          = s->withdrawn ? g_strdup ("-") : g_strdup_printf ("%.*f", NB_STANDARD_K_DECIMALS, s->k);
      printf ("%4" G_GINT64_FORMAT "  %-16s  %-12s  %-14s  %8s  %4s  %-10s  %-10s  %-10.10s  %s\n",
              s->id, serial, model ? model : "-", certificate ? certificate : "-", u, k,
              s->due ? s->due : "-", status_text (s, nb_store_standard_is_expired (s, today)),
              added ? added : "?", by);
      if (s->withdrawn != NULL)
        {
          g_autofree char *reason = nb_cli_escape (s->withdrawn);
          printf (_ ("%4s  withdrawn: %s\n"), "", reason);
        }
    }
  return NB_EXIT_OK;
}

static int
run_check (int argc, char **argv)
{
  const char *command = COMMAND " check";
  g_autofree char *serial = NULL, *date_text = NULL, *db = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "serial", 0, 0, G_OPTION_ARG_STRING, &serial, N_ ("The fixture's serial"), "S" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text, N_ ("Check on this date (default: today)"),
      N_ ("YYYY-MM-DD") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_ ("Database file or postgresql:// URI"),
      N_ ("PATH|URI") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the standard in force as JSON"), NULL },
    { NULL },
  };
  if (!nb_cli_parse (command, NULL,
                     N_ ("Checks that a fixture has a reference standard in force and not past its "
                         "due date, as calibrating with it requires (exit 0), or says why not and "
                         "how to fix it (exit 2)."),
                     entries, &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc > 1)
    return nb_cli_usage (command, _ ("unexpected argument “%s”"), argv[1]);
  if (serial == NULL)
    return nb_cli_usage (command, _ ("--serial S is required"));
  g_autoptr (GError) error = NULL;
  g_autoptr (GDate) date = g_date_new ();
  if (date_text != NULL && !nb_store_standard_parse_date ("--date", date_text, date, &error))
    return usage_error (command, error);
  if (date_text == NULL)
    g_date_set_time_t (date, time (NULL));

  g_autoptr (NbStore) store = nb_cli_open_store_read (db, &error);
  if (store == NULL)
    return nb_cli_fail (command, error);
  g_autoptr (NbStoreStandard) std = NULL;
  if (!nb_store_standard_check (store, serial, date, &std, &error))
    return nb_cli_fail (command, error);
  if (json)
    {
      print_json_record (std, date);
      return NB_EXIT_OK;
    }
  g_autofree char *serial_text = nb_cli_escape (serial);
  g_autofree char *text = describe (std);
  printf (_ ("Fixture %s: %s: in force.\n"), serial_text, text);
  return NB_EXIT_OK;
}

static int
run_withdraw (int argc, char **argv)
{
  const char *command = COMMAND " withdraw";
  g_autofree char *serial = NULL, *reason = NULL, *operator_name = NULL, *db = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "serial", 0, 0, G_OPTION_ARG_STRING, &serial, N_ ("The fixture's serial"), "S" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_ ("Why (kept in the record)"), N_ ("TEXT") },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name,
      N_ ("Who withdraws it (default: login name)"), N_ ("NAME") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_ ("Database file or postgresql:// URI"),
      N_ ("PATH|URI") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the withdrawal as JSON"), NULL },
    { NULL },
  };
  if (!nb_cli_parse (command, NULL,
                     N_ ("Takes a fixture out of service (damaged, lost, sent for calibration): "
                         "calibrations with it are refused until a new certificate is recorded."),
                     entries, &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc > 1)
    return nb_cli_usage (command, _ ("unexpected argument “%s”"), argv[1]);
  if (serial == NULL)
    return nb_cli_usage (command, _ ("--serial S is required"));
  if (reason == NULL)
    return nb_cli_usage (command, _ ("--reason TEXT is required"));
  g_autoptr (GError) error = NULL;
  if (!nb_store_standard_check_text ("--serial", serial, TRUE, NB_STANDARD_TEXT_MAX, &error)
      || !nb_store_standard_check_text ("--reason", reason, TRUE, NB_STANDARD_REASON_MAX, &error)
      || !nb_store_standard_check_text ("--operator", operator_name, FALSE, NB_STANDARD_TEXT_MAX,
                                        &error))
    return usage_error (command, error);

  g_autoptr (NbStore) store = nb_store_open (db, &error);
  if (store == NULL)
    return nb_cli_fail (command, error);
  gint64 id = nb_store_withdraw_standard (store, serial, reason, operator_name, &error);
  if (id == 0)
    {
      /* nothing in force to withdraw: the user named the wrong fixture */
      if (g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND))
        {
          nb_cli_fail (command, error);
          return NB_EXIT_USAGE;
        }
      return nb_cli_fail (command, error);
    }
  g_autoptr (NbStoreStandard) record = nb_store_get_standard (store, serial, &error);
  if (record == NULL)
    return nb_cli_fail (command, error);
  if (json)
    {
      print_json_record (record, NULL);
      return NB_EXIT_OK;
    }
  g_autofree char *serial_text = nb_cli_escape (serial);
  printf (_ ("Standard %" PRId64 ": fixture %s withdrawn; calibrations with it are refused "
             "until a new certificate is recorded.\n"),
          id, serial_text);
  return NB_EXIT_OK;
}

static const struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} subcommands[] = {
  { "add", run_add, N_ ("record a fixture's calibration certificate") },
  { "list", run_list, N_ ("list the reference standards") },
  { "check", run_check, N_ ("check that a fixture's standard is in force and not expired") },
  { "withdraw", run_withdraw, N_ ("take a fixture's standard out of service") },
};

static void
print_usage (FILE *out)
{
  fprintf (out, _ ("Usage: needlebench-cli standards SUBCOMMAND [OPTION…]\n\n"
                   "Reference standards: the certificates of the fixtures calibrations are traced "
                   "to.\n\nSubcommands:\n"));
  for (gsize i = 0; i < G_N_ELEMENTS (subcommands); i++)
    fprintf (out, "  %-9s %s\n", subcommands[i].name, _ (subcommands[i].summary));
}

int
nb_cli_standards (int argc, char **argv)
{
  if (argc < 2)
    {
      print_usage (stderr);
      return NB_EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_usage (stdout);
      return NB_EXIT_OK;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (g_str_equal (argv[1], subcommands[i].name))
      return subcommands[i].run (argc - 1, argv + 1);
  return nb_cli_usage (COMMAND, _ ("unknown subcommand “%s” (add, list, check, withdraw)"),
                       argv[1]);
}
