/* nb-cli-void.c: `needlebench-cli session void SESSION --reason TEXT [--db PATH]` and
 * `needlebench-cli run void RUN --reason TEXT [--db PATH]`: a session recorded by mistake or a
 * run made on the wrong pen is voided by a record of its own (store/nb-store-voids.h), never
 * changed or deleted. Also the "voided" key that `sessions --json` and `runs --json` print. */
#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "nb-cli-void.h"
#include "nb-cli.h"
#include "nb-fleet-link.h"
#include "nb-store-certificates.h"
#include "nb-store-standards.h"
#include "nb-store-voids.h"
#include "nb-store.h"

void
nb_cli_json_void (JsonBuilder *b, const NbStoreVoid *v)
{
  json_builder_set_member_name (b, "voided");
  if (v == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (v->at / G_USEC_PER_SEC);
  g_autofree char *at = t ? g_date_time_format_iso8601 (t) : NULL;
  json_builder_begin_object (b);
  nb_cli_json_string (b, "reason", v->reason);
  nb_cli_json_string (b, "by", v->by);
  nb_cli_json_string (b, "at", at);
  json_builder_end_object (b);
}

static int
void_command (NbStoreVoidKind kind, int argc, char **argv)
{
  const char *what = nb_store_void_kind_to_string (kind);
  g_autofree char *command = g_strdup_printf ("%s void", what);
  g_autofree char *db = NULL, *reason = NULL, *operator_name = NULL;
  const GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_ ("Why it no longer counts (required)"),
      N_ ("TEXT") },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name,
      N_ ("Who voids it (default: the login name)"), N_ ("NAME") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_ ("Database file or postgresql:// URI"),
      N_ ("PATH|URI") },
    { NULL },
  };
  gboolean run = kind == NB_STORE_VOID_RUN;
  const char *summary
      = run ? N_ ("Voids a run: it stays in the database, marked voided with the reason, who and "
                  "when; a voided run cannot be certified.")
            : N_ ("Voids a session: it stays in the database, marked voided with the reason, who "
                  "and when.");
  if (!nb_cli_parse (command, run ? N_ ("RUN") : N_ ("SESSION"), summary, entries, &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc < 2)
    return nb_cli_usage (command, run ? _ ("which run? (see needlebench-cli runs)")
                                      : _ ("which session? (see needlebench-cli sessions)"));
  if (argc > 2)
    return nb_cli_usage (command, _ ("unexpected argument “%s”"), argv[2]);
  guint64 id = 0;
  if (!g_ascii_string_to_unsigned (argv[1], 10, 1, G_MAXINT64, &id, NULL))
    return nb_cli_usage (command, run ? _ ("“%s” is not a run id") : _ ("“%s” is not a session id"),
                         argv[1]);
  if (reason == NULL)
    return nb_cli_usage (command, _ ("--reason TEXT is required"));
  g_autoptr (GError) error = NULL;
  if (!nb_store_standard_check_text ("--reason", reason, TRUE, NB_STORE_VOID_REASON_MAX, &error)
      || !nb_store_standard_check_text ("--operator", operator_name, FALSE, NB_USER_NAME_MAX,
                                        &error))
    return nb_cli_usage (command, "%s", error->message);

  /* no database: there is no such record (opening would create an empty one) */
  g_autofree char *fallback = db ? NULL : nb_store_get_default_path ();
  const char *path = db ? db : fallback;
  if (!nb_fleet_is_server (path) && !g_file_test (path, G_FILE_TEST_EXISTS))
    return nb_cli_usage (command, _ ("no database at %s (give --db PATH)"), path);
  g_autoptr (NbStore) store = nb_store_open (path, &error);
  if (store == NULL)
    return nb_cli_fail (command, error);
  gint64 void_id = kind == NB_STORE_VOID_RUN
                       ? nb_store_void_run (store, (gint64) id, reason, operator_name, &error)
                       : nb_store_void_session (store, (gint64) id, reason, operator_name, &error);
  if (void_id == 0)
    return g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND)
                   || g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID)
               ? nb_cli_usage (command, "%s", error->message)
               : nb_cli_fail (command, error);
  g_autofree char *shown = nb_cli_escape (reason);
  printf (run ? _ ("Run %" PRIu64 " voided: %s\n") : _ ("Session %" PRIu64 " voided: %s\n"), id,
          shown);
  return NB_EXIT_OK;
}

int
nb_cli_session (int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "void"))
    return void_command (NB_STORE_VOID_SESSION, argc - 1, argv + 1);
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      printf (_ ("Usage: needlebench-cli session void SESSION --reason TEXT [--db PATH]\n"));
      return NB_EXIT_OK;
    }
  return nb_cli_usage ("session",
                       argc < 2 ? _ ("which subcommand? (void SESSION --reason TEXT)%s")
                                : _ ("unknown subcommand “%s” (void SESSION --reason TEXT)"),
                       argc < 2 ? "" : argv[1]);
}

int
nb_cli_run_void (int argc, char **argv)
{
  return void_command (NB_STORE_VOID_RUN, argc, argv);
}
