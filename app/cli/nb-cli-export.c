/* nb-cli-export.c: `needlebench-cli export SESSION --format csv|json [--samples] -o FILE|-
 * [--force] [--db PATH]`. The same export code as the app's, which never writes through or
 * replaces anything but a regular file, and an existing one only when told (--force). */
#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "nb-cli.h"
#include "nb-export.h"
#include "nb-store.h"

int
nb_cli_export (int argc, char **argv)
{
  g_autofree char *db = NULL, *format = NULL, *output = NULL;
  gboolean samples = FALSE, force = FALSE;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_ ("Database file or postgresql:// URI"),
      N_ ("PATH|URI") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_ ("csv (default) or json"), N_ ("FORMAT") },
    { "samples", 0, 0, G_OPTION_ARG_NONE, &samples, N_ ("Raw samples instead of per-stroke rows"),
      NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_ ("File to write (- for standard output)"), N_ ("FILE") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_ ("Replace FILE if it exists (a regular file only)"), NULL },
    { NULL },
  };
  if (!nb_cli_parse ("export", N_ ("SESSION"),
                     N_ ("Writes a recorded session as CSV (RFC 4180) or JSON: "
                         "one row per stroke, or the raw samples with --samples."),
                     entries, &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc != 2)
    return nb_cli_usage ("export", _ ("give exactly one SESSION id"));
  guint64 id = 0;
  if (!g_ascii_string_to_unsigned (argv[1], 10, 1, G_MAXINT64, &id, NULL))
    return nb_cli_usage ("export", _ ("“%s” is not a session id"), argv[1]);
  NbExportFormat fmt;
  if (format == NULL || g_ascii_strcasecmp (format, "csv") == 0)
    fmt = NB_EXPORT_CSV;
  else if (g_ascii_strcasecmp (format, "json") == 0)
    fmt = NB_EXPORT_JSON;
  else
    return nb_cli_usage ("export", _ ("--format is csv or json, not “%s”"), format);
  if (output == NULL)
    return nb_cli_usage ("export", _ ("-o FILE is required (- for standard output)"));

  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_cli_open_store_read (db, &error);
  if (store == NULL)
    return nb_cli_fail ("export", error);
  if (!nb_export_session (store, (gint64) id, fmt, samples, output,
                          force ? NB_EXPORT_FORCE : NB_EXPORT_DEFAULT, &error))
    {
      g_prefix_error (&error, _ ("session %" PRIu64 ": "), id);
      return nb_cli_fail_output ("export", error);
    }
  return NB_EXIT_OK;
}
