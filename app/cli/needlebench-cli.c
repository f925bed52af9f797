/* needlebench-cli: the scriptable face of NeedleBench. One command per file; this table is the
 * list. Commands, options, JSON keys and exit codes are an API (see docs/cli.md). */
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "nb-cli.h"
#include "nb-config.h"
#include "nb-i18n.h"
#include "nb-sim-transport.h"

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "list", nb_cli_list, N_ ("list connected pens (and the simulated one)") },
  { "info", nb_cli_info, N_ ("identify a pen: model, serial, firmware, ranges") },
  { "stream", nb_cli_stream, N_ ("run the needle and measure every stroke") },
  { "record", nb_cli_record, N_ ("stream and record the session to the database") },
  { "sessions", nb_cli_sessions, N_ ("list recorded sessions") },
  { "session", nb_cli_session,
    N_ ("void a recorded session (session void SESSION --reason TEXT)") },
  { "export", nb_cli_export, N_ ("write a recorded session as CSV or JSON") },
  { "monitor", nb_cli_monitor, N_ ("report pens as they are plugged in and out") },
  { "standards", nb_cli_standards, N_ ("record and list the fixtures' reference standards") },
  { "profiles", nb_cli_profiles, N_ ("list the calibration profiles") },
  { "profile", nb_cli_profile, N_ ("show a calibration profile (profile show ID)") },
  { "calibrate", nb_cli_calibrate, N_ ("calibrate stations (pen + fixture) against a profile") },
  { "runs", nb_cli_runs, N_ ("list the calibration runs") },
  { "run", nb_cli_run_show_command,
    N_ ("show or void a calibration run (run show RUN, run void RUN)") },
  { "lab", nb_cli_lab, N_ ("set or show the laboratory named on certificates") },
  { "user", nb_cli_user, N_ ("add, change and list the users who sign certificates") },
  { "certificate", nb_cli_certificate, N_ ("write a run's certificate (PDF, JSON, CSV, DCC)") },
  { "sign", nb_cli_sign, N_ ("sign a certificate; an approval issues it") },
  { "audit", nb_cli_audit, N_ ("check the records' audit trail (audit verify)") },
  { "report", nb_cli_report, N_ ("verify a certificate, JSON or PDF (report verify FILE)") },
  { "due", nb_cli_due, N_ ("list pens due for calibration and standards expiring") },
  { "stats", nb_cli_stats, N_ ("fleet statistics: drift, intervals, yield, Cpk per model") },
  { "db", nb_cli_db, N_ ("copy a bench's records to a fleet server (db migrate, sync, status)") },
};

static void
print_help (FILE *out)
{
  fprintf (out,
           _ ("Usage: needlebench-cli COMMAND [OPTION…]\n\n"
              "NeedleBench %s: telemetry and calibration of microneedling pens.\n\nCommands:\n"),
           NB_VERSION);
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-12s %s\n", commands[i].name, _ (commands[i].summary));
  fprintf (out, _ ("\nDevices: sim, sim:KEY=VALUE,..., serial:PATH, usb, usb:VID:PID[:SERIAL]\n"
                   "Exit codes: 0 ok, 1 out of tolerance, 2 usage, 3 device, 4 data or storage.\n"
                   "Run 'needlebench-cli COMMAND --help' for a command's options.\n"));
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  /* Numbers in output are for scripts: always a decimal point, in every language. */
  setlocale (LC_NUMERIC, "C");
  nb_i18n_init ();
  nb_sim_transport_register ();
  if (argc < 2)
    {
      print_help (stderr);
      return NB_EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")
      || g_str_equal (argv[1], "help"))
    {
      print_help (stdout);
      return NB_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      printf ("needlebench-cli %s\n", NB_VERSION);
      return NB_EXIT_OK;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);
  g_autofree char *command = nb_cli_escape (argv[1]);
  g_printerr (_ ("needlebench-cli: unknown command “%s” (see --help)\n"), command);
  return NB_EXIT_USAGE;
}
