/* nb-cli.c: shared helpers of the CLI commands. */
#include "nb-cli.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "nb-device-error.h"

gboolean
nb_cli_parse (const char *command, const char *usage, const char *summary,
              const GOptionEntry *entries, int *argc, char ***argv)
{
  g_autofree char *param
      = g_strdup_printf ("%s%s%s", command, usage ? " " : "", usage ? usage : "");
  g_autoptr (GOptionContext) ctx = g_option_context_new (param);
  g_autoptr (GError) error = NULL;
  g_option_context_set_summary (ctx, summary);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, argc, argv, &error))
    {
      g_printerr ("needlebench-cli %s: %s (see --help)\n", command, error->message);
      return FALSE;
    }
  return TRUE;
}

int
nb_cli_fail (const char *command, const GError *error)
{
  g_printerr ("needlebench-cli %s: %s\n", command, error->message);
  if (error->domain == NB_DEVICE_ERROR && error->code == NB_DEVICE_ERROR_INVALID_URI)
    return NB_EXIT_USAGE;
  if (error->domain == NB_DEVICE_ERROR && error->code == NB_DEVICE_ERROR_OUT_OF_RANGE)
    return NB_EXIT_USAGE;
  if (error->domain == NB_DEVICE_ERROR || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NB_EXIT_DEVICE;
  if (error->domain == G_OPTION_ERROR)
    return NB_EXIT_USAGE;
  return NB_EXIT_DATA;
}

int
nb_cli_usage (const char *command, const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_printerr ("needlebench-cli %s: %s (see --help)\n", command, msg);
  return NB_EXIT_USAGE;
}

void
nb_cli_print_json (JsonNode *node)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, node);
  g_autofree char *text = json_generator_to_data (gen, NULL);
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
