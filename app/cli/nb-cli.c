/* nb-cli.c: shared helpers of the CLI commands. */
#include <glib/gi18n.h>
#include "nb-cli.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "nb-acquisition.h"
#include "nb-cli-json.h"
#include "nb-device-error.h"
#include "nb-store.h"

gboolean
nb_cli_parse (const char *command, const char *usage, const char *summary,
              const GOptionEntry *entries, int *argc, char ***argv)
{
  /* @usage and @summary are marked N_ (): translated here, the entries by GOption */
  g_autofree char *param
      = g_strdup_printf ("%s%s%s", command, usage ? " " : "", usage ? _ (usage) : "");
  g_autoptr (GOptionContext) ctx = g_option_context_new (param);
  g_autoptr (GError) error = NULL;
  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_option_context_set_summary (ctx, _ (summary));
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, argc, argv, &error))
    {
      g_autofree char *message = nb_cli_escape (error->message);
      g_printerr (_ ("needlebench-cli %s: %s (see --help)\n"), command, message);
      return FALSE;
    }
  return TRUE;
}

int
nb_cli_fail (const char *command, const GError *error)
{
  g_autofree char *message = nb_cli_escape (error->message);
  g_printerr ("needlebench-cli %s: %s\n", command, message);
  if (error->domain == NB_DEVICE_ERROR && error->code == NB_DEVICE_ERROR_INVALID_URI)
    return NB_EXIT_USAGE;
  if (error->domain == NB_DEVICE_ERROR && error->code == NB_DEVICE_ERROR_OUT_OF_RANGE)
    return NB_EXIT_USAGE;
  if (error->domain == NB_DEVICE_ERROR || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NB_EXIT_DEVICE;
  if (error->domain == G_OPTION_ERROR)
    return NB_EXIT_USAGE;
  /* calibrating with a fixture without a valid certificate: fixed by `standards add` */
  if (g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_NO_STANDARD)
      || g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_STANDARD_EXPIRED))
    return NB_EXIT_USAGE;
  if (error->domain == NB_ACQUISITION_ERROR) /* a broken telemetry stream */
    return NB_EXIT_DATA;
  return NB_EXIT_DATA;
}

int
nb_cli_fail_output (const char *command, const GError *error)
{
  int rc = nb_cli_fail (command, error);
  /* the user named the wrong file, or must say --force: nothing failed in the bench */
  if (g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_EXISTS)
      || g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_REGULAR))
    return NB_EXIT_USAGE;
  return rc;
}

int
nb_cli_usage (const char *command, const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_autofree char *escaped = nb_cli_escape (msg);
  g_printerr (_ ("needlebench-cli %s: %s (see --help)\n"), command, escaped);
  return NB_EXIT_USAGE;
}

void
nb_cli_print_json (JsonNode *node)
{
  /* not json_generator: it writes doubles with 17 significant digits */
  g_autofree char *text = nb_cli_json_to_text (node);
  printf ("%s\n", text);
  fflush (stdout);
  json_node_unref (node);
}

gboolean
nb_cli_stdout_is_tty (void)
{
  return isatty (STDOUT_FILENO);
}

void
nb_cli_json_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

void
nb_cli_json_double (JsonBuilder *b, const char *name, double value)
{
  json_builder_set_member_name (b, name);
  if (isfinite (value))
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

void
nb_cli_json_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}
