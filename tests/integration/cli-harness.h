/* cli-harness.h: running needlebench-cli and needlebench-sim from tests (paths from the
 * environment that meson sets: NB_CLI, NB_SIM). */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

typedef struct
{
  int status; /* exit code */
  char *out;
  char *err;
  double seconds; /* wall time */
} CliResult;

void cli_result_clear (CliResult *r);

/* Runs needlebench-cli with the NULL-terminated arguments. */
void cli_run (CliResult *r, const char *first, ...) G_GNUC_NULL_TERMINATED;
void cli_runv (CliResult *r, const char *const *argv);

/* Starts needlebench-cli with the NULL-terminated arguments, stdout and stderr piped; finish it
 * with cli_finish, which waits for it and fills @r. */
GSubprocess *cli_start (const char *first, ...) G_GNUC_NULL_TERMINATED;
void cli_finish (CliResult *r, GSubprocess *p);

/* Parses r->out as a JSON object (asserts it is one). */
JsonObject *cli_json_object (const CliResult *r, JsonParser **parser);

/* Starts needlebench-sim with the NULL-terminated options; returns its pty path. */
GSubprocess *sim_start (char **pty_path, const char *first, ...) G_GNUC_NULL_TERMINATED;
void sim_stop (GSubprocess *sim);
