/* nb-cli-stream.c: `needlebench-cli stream -d URI --depth MM --rate HZ --seconds S [--csv FILE]
 * [--json]`: runs the needle, measures every stroke, prints a summary. */
#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "nb-acquisition.h"
#include "nb-cli.h"
#include "nb-cli-run.h"

int
nb_cli_stream (int argc, char **argv)
{
  g_auto (NbCliRunOptions) opt = NB_CLI_RUN_OPTIONS_INIT;
  g_autofree char *csv_path = NULL;
  const GOptionEntry entries[] = {
    NB_CLI_RUN_OPTION_ENTRIES (opt),
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv_path,
      "Write one row per stroke (index,time_s,depth_mm,period_ms)", "FILE" },
    { NULL },
  };
  if (!nb_cli_parse ("stream", NULL,
                     "Sets depth and rate, runs the motor and measures every "
                     "stroke: peak depth, and rate from the stroke period.",
                     entries, &argc, &argv))
    return NB_EXIT_USAGE;
  int rc = nb_cli_run_check_options ("stream", &opt, argc, argv);
  if (rc != NB_EXIT_OK)
    return rc;

  FILE *csv = NULL;
  if (csv_path)
    {
      csv = fopen (csv_path, "w");
      if (csv == NULL)
        {
          g_printerr ("needlebench-cli stream: cannot write %s: %s\n", csv_path,
                      g_strerror (errno));
          return NB_EXIT_DATA;
        }
      fputs ("index,time_s,depth_mm,period_ms\r\n", csv);
    }

  g_autoptr (GError) error = NULL;
  NbCliRun run = { 0 };
  run.command = "stream";
  run.csv = csv;
  gboolean ok = nb_cli_run_execute (&run, &opt, &error);
  if (csv && fclose (csv) != 0 && ok)
    {
      g_printerr ("needlebench-cli stream: writing %s: %s\n", csv_path, g_strerror (errno));
      nb_cli_run_clear (&run);
      return NB_EXIT_DATA;
    }
  rc = nb_cli_run_conclude (&run, &opt, ok ? NULL : error, NULL, NULL);
  nb_cli_run_clear (&run);
  return rc;
}
