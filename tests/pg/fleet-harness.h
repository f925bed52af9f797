/* fleet-harness.h: what the fleet tests (test-fleet-*.c, suite pg) share: the shared database
 * (NB_PG_URI of pg-run.sh) set up as a laboratory's administrator would, the CLI's JSON read back,
 * counts asked of the server directly through libpq (not through the store under test), and the
 * server stopped and started (NB_PG_CTL). */
#pragma once

#include "cli-harness.h"

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

/* a pen whose errors are all zero, fast (time-scale 20): every point passes */
#define FLEET_IDEAL                                                                                \
  "depth-offset=0,depth-gain=1,nonlinearity=0,drift=0,rate-loss=0,rate-error=0,time-scale=20"
#define FLEET_PROFILE "cheek-chin-thick"
#define FLEET_PREFIX "FLT"

/* fleet_init: a temporary directory (returned, transfer none) holding XDG_DATA_HOME with the
 * laboratory key (so audit checkpoints are signed) and HOME, both set for the CLI; the shared
 * database's schema made. Fails without NB_PG_URI (the test must run under pg-run.sh). */
const char *fleet_init (void);

/* fleet_uri: NB_PG_URI */
const char *fleet_uri (void);

/* fleet_standards: a reference standard in @db for each of the NULL-terminated fixture serials.
 * A bench checks its fixture's standard in its own file (the run is written there first), so a
 * bench's standards are entered on the bench; they reach the server with its runs. */
void fleet_standards (const char *db, const char *const *fixtures);

/* fleet_lab: the laboratory settings on the shared database (prefix FLEET_PREFIX), as its
 * administrator sets them once: certificates are numbered there. */
void fleet_lab (void);

/* fleet_cli: runs needlebench-cli with the NULL-terminated arguments (nothing appended). */
void fleet_cli (CliResult *r, const char *first, ...) G_GNUC_NULL_TERMINATED;

/* fleet_start: starts needlebench-cli with a GPtrArray of arguments (NULL-terminated) */
GSubprocess *fleet_start (GPtrArray *argv);

/* fleet_runs: (transfer full) the runs of @db (a path or the URI), `runs --json`, as a JSON node
 * holding an array; asserts exit 0. */
JsonNode *fleet_runs (const char *db);

/* fleet_run_with_pen: the run of @runs (an array) whose pen is @serial; fails if there is not
 * exactly one. */
JsonObject *fleet_run_with_pen (JsonArray *runs, const char *serial);

/* fleet_pg_int: the integer the server answers to @sql (one row, one column), through libpq;
 * -1 when the server cannot be reached. */
gint64 fleet_pg_int (const char *sql);

/* fleet_audit_clean: `audit verify --json --db DB` exits 0 and says clean */
void fleet_audit_clean (const char *db);

/* fleet_server_stop / _start: NB_PG_CTL stop (immediate, as if killed) / start */
void fleet_server_stop (void);
void fleet_server_start (void);
