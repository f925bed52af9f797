/* nb-cli.h: what the commands of needlebench-cli share: exit codes (an API: QA-line scripts depend
 * on them), error reporting, JSON output and option parsing. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  NB_EXIT_OK = 0,
  NB_EXIT_OUT_OF_TOLERANCE = 1,
  NB_EXIT_USAGE = 2,
  NB_EXIT_DEVICE = 3,
  NB_EXIT_DATA = 4,
  NB_EXIT_OFFLINE = 5, /* the database server cannot be reached (db sync, db status) */
} NbExitCode;

/* nb_cli_parse: parses a command's options; on error prints one line and returns FALSE.
 * @usage is the parameter string ("SESSION"), @summary one sentence. */
gboolean nb_cli_parse (const char *command, const char *usage, const char *summary,
                       const GOptionEntry *entries, int *argc, char ***argv);

/* nb_cli_fail: prints "needlebench-cli COMMAND: MESSAGE", escaped (messages quote device URIs,
 * paths and pen text), and returns the exit code that fits the error's domain (device → 3,
 * store/data → 4, usage → 2). */
int nb_cli_fail (const char *command, const GError *error);
/* nb_cli_fail_output: nb_cli_fail for an error opening or writing an output file (-o, --csv): a
 * target refused because it exists (no --force) or is not a regular file is a usage error (2). */
int nb_cli_fail_output (const char *command, const GError *error);
/* nb_cli_usage: prints a usage error (escaped, it may quote an argument) and returns NB_EXIT_USAGE.
 */
int nb_cli_usage (const char *command, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

/* nb_cli_escape: (transfer full) @text made safe for a terminal, or NULL when @text is NULL.
 * Names, notes, serials and paths come from pens, databases and users; printed raw, an escape
 * sequence in them can clear the screen, set the window title or forge a table row. Printable
 * UTF-8 is kept as is; a backslash becomes "\\", newline, carriage return and tab "\n", "\r",
 * "\t", the other C0 controls, DEL and the C1 controls (U+0080 to U+009F) "\xNN", a byte that is
 * not valid UTF-8 "\xNN", and the bidirectional overrides, embeddings and isolates (U+202A to
 * U+202E, U+2066 to U+2069) and the line and paragraph separators (U+2028, U+2029) "\uNNNN".
 * Only for text shown to a person: JSON and CSV carry the exact text. */
char *nb_cli_escape (const char *text); /* in nb-cli-escape.c */

/* nb_cli_print_json: prints @node pretty to stdout; takes ownership. */
void nb_cli_print_json (JsonNode *node);

/* JSON object members: a NULL string or a non-finite number is written as null. */
void nb_cli_json_string (JsonBuilder *b, const char *name, const char *value);
void nb_cli_json_double (JsonBuilder *b, const char *name, double value);
void nb_cli_json_int (JsonBuilder *b, const char *name, gint64 value);

/* TRUE when stdout is a terminal (progress lines are shown only then). */
gboolean nb_cli_stdout_is_tty (void);

/* nb_cli_open_store_read: (transfer full) an existing database opened for reading (@path NULL:
 * the default one), with a clear error when there is none. Returns an NbStore *. */
struct _NbStore *nb_cli_open_store_read (const char *path, GError **error);

/* Commands: each returns an exit code. */
int nb_cli_list (int argc, char **argv);
int nb_cli_info (int argc, char **argv);
int nb_cli_stream (int argc, char **argv);
int nb_cli_record (int argc, char **argv);
int nb_cli_sessions (int argc, char **argv);
int nb_cli_export (int argc, char **argv);
int nb_cli_monitor (int argc, char **argv);
int nb_cli_standards (int argc, char **argv); /* add, list, check, withdraw */
int nb_cli_profiles (int argc, char **argv);  /* and `profile show` (nb-cli-profiles.c) */
int nb_cli_profile (int argc, char **argv);
int nb_cli_calibrate (int argc, char **argv); /* nb-cli-calibrate.c */
int nb_cli_runs (int argc, char **argv);      /* and `run show` (nb-cli-runs.c) */
int nb_cli_run_show_command (int argc, char **argv);
int nb_cli_lab (int argc, char **argv);         /* set, show (nb-cli-lab.c) */
int nb_cli_user (int argc, char **argv);        /* add, set, list (nb-cli-user.c) */
int nb_cli_certificate (int argc, char **argv); /* nb-cli-certificate.c */
int nb_cli_sign (int argc, char **argv);        /* nb-cli-sign.c */
int nb_cli_audit (int argc, char **argv);       /* audit verify (nb-cli-audit.c) */
int nb_cli_report (int argc, char **argv);      /* report verify (nb-cli-report.c) */
int nb_cli_due (int argc, char **argv);         /* nb-cli-due.c */
int nb_cli_session (int argc, char **argv);     /* session void (nb-cli-void.c) */
int nb_cli_run_void (int argc, char **argv);    /* run void, from `run` (nb-cli-void.c) */
int nb_cli_stats (int argc, char **argv);       /* nb-cli-stats.c */
int nb_cli_db (int argc, char **argv);          /* db migrate, sync, status (nb-cli-db.c) */

G_END_DECLS
