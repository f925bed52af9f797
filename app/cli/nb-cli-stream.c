/* nb-cli-stream.c: `needlebench-cli stream -d URI --depth MM --rate HZ --seconds S
 * [--csv FILE|- [--force]] [--json]`: runs the needle, measures every stroke, prints a summary. */
#include <glib/gi18n.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "nb-acquisition.h"
#include "nb-cli.h"
#include "nb-cli-run.h"
#include "nb-file-output.h"

/* The --csv output: a file written safely (temporary, then renamed into place), or stdout. */
typedef struct
{
  NbFileOutput *file; /* NULL for "-" */
  FILE *stream;
} CsvOutput;

#define CSV_HEADER "index,time_s,depth_mm,period_ms\r\n"

/* csv_open: opened before the pen is touched, so that a refused target costs nothing. */
static gboolean
csv_open (CsvOutput *csv, const char *path, gboolean force, GError **error)
{
  if (g_str_equal (path, "-"))
    {
      /* Standard output carries the rows alone: from here on whatever else the run prints (the
       * progress line, the summary, text or JSON) goes to stderr, through a stdout that is a copy
       * of stderr. */
      fflush (stdout);
      int fd = dup (STDOUT_FILENO);
      csv->stream = fd >= 0 ? fdopen (fd, "w") : NULL;
      if (csv->stream == NULL || dup2 (STDERR_FILENO, STDOUT_FILENO) < 0)
        {
          int saved = errno;
          if (csv->stream)
            fclose (csv->stream);
          else if (fd >= 0)
            close (fd);
          csv->stream = NULL;
          g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_IO,
                       _ ("cannot write to standard output: %s"), g_strerror (saved));
          return FALSE;
        }
      /* a reader that goes away (`| head`) must not kill the run with the motor on: the writes
       * fail instead, and the run ends normally, then exits 4 */
      signal (SIGPIPE, SIG_IGN);
    }
  else
    {
      csv->file = nb_file_output_open (path, force ? NB_FILE_OUTPUT_FORCE : NB_FILE_OUTPUT_DEFAULT,
                                       error);
      if (csv->file == NULL)
        return FALSE;
      csv->stream = nb_file_output_get_stream (csv->file);
    }
  fputs (CSV_HEADER, csv->stream);
  return TRUE;
}

/* csv_close: @keep moves the file into place (or flushes stdout); otherwise no file is created. */
static gboolean
csv_close (CsvOutput *csv, gboolean keep, GError **error)
{
  if (csv->file)
    {
      if (keep)
        return nb_file_output_commit (g_steal_pointer (&csv->file), error);
      g_clear_pointer (&csv->file, nb_file_output_abort);
      return TRUE;
    }
  if (csv->stream == NULL)
    return TRUE;
  gboolean ok = fflush (csv->stream) == 0 && !ferror (csv->stream);
  int saved = errno;
  ok = fclose (g_steal_pointer (&csv->stream)) == 0 && ok;
  if (!ok)
    g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_IO,
                 _ ("writing the CSV rows to standard output: %s"), g_strerror (saved));
  return ok;
}

int
nb_cli_stream (int argc, char **argv)
{
  g_auto (NbCliRunOptions) opt = NB_CLI_RUN_OPTIONS_INIT;
  g_autofree char *csv_path = NULL;
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    NB_CLI_RUN_OPTION_ENTRIES (opt),
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv_path,
      N_ ("Write one row per stroke (index,time_s,depth_mm,period_ms); - for standard output"),
      N_ ("FILE") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_ ("Replace the --csv FILE if it exists"), NULL },
    { NULL },
  };
  if (!nb_cli_parse ("stream", NULL,
                     N_ ("Sets depth and rate, runs the motor and measures every "
                         "stroke: peak depth, and rate from the stroke period."),
                     entries, &argc, &argv))
    return NB_EXIT_USAGE;
  int rc = nb_cli_run_check_options ("stream", &opt, argc, argv);
  if (rc != NB_EXIT_OK)
    return rc;

  CsvOutput csv = { 0 };
  if (csv_path)
    {
      g_autoptr (GError) csv_error = NULL;
      if (!csv_open (&csv, csv_path, force, &csv_error))
        return nb_cli_fail_output ("stream", csv_error);
    }

  g_autoptr (GError) error = NULL;
  NbCliRun run = { 0 };
  run.command = "stream";
  run.csv = csv.stream;
  gboolean ok = nb_cli_run_execute (&run, &opt, &error);
  /* what was measured is kept, even when the run failed; a run that failed before its first
   * stroke leaves no file */
  g_autoptr (GError) csv_error = NULL;
  if (!csv_close (&csv, ok || run.summary.strokes > 0, &csv_error) && ok)
    {
      rc = nb_cli_fail_output ("stream", csv_error);
      nb_cli_run_clear (&run);
      return rc;
    }
  rc = nb_cli_run_conclude (&run, &opt, ok ? NULL : error, NULL, NULL);
  nb_cli_run_clear (&run);
  return rc;
}
