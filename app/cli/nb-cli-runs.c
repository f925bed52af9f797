/* nb-cli-runs.c: `needlebench-cli runs [--json] [--db PATH]` (the calibration runs, newest first)
 * and `needlebench-cli run show RUN [--raw] [--json] [--db PATH]` (one run: its result document,
 * the same as `calibrate --json` printed when it ended, and its state transitions; a voided run's
 * text says so first, its JSON stays the result document). `run void` is in nb-cli-void.c. The
 * database is opened read-only; what it holds came from pens and operators, so it is escaped before
 * it reaches the terminal. */
#include <inttypes.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "nb-cli-result-text.h"
#include "nb-cli-void.h"
#include "nb-cli.h"
#include "nb-run-result.h"
#include "nb-store-runs.h"
#include "nb-store-voids.h"
#include "nb-store.h"

#define MM_DECIMALS 4
#define HZ_DECIMALS 3

static char *
iso_time (gint64 us)
{
  if (us <= 0)
    return NULL;
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  return t ? g_date_time_format_iso8601 (t) : NULL;
}

int
nb_cli_runs (int argc, char **argv)
{
  g_autofree char *db = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_ ("Database file or postgresql:// URI"),
      N_ ("PATH|URI") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print a JSON array"), NULL },
    { NULL },
  };
  if (!nb_cli_parse ("runs", NULL, N_ ("Lists the calibration runs, newest first."), entries, &argc,
                     &argv))
    return NB_EXIT_USAGE;
  if (argc > 1)
    return nb_cli_usage ("runs", _ ("unexpected argument “%s”"), argv[1]);

  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_cli_open_store_read (db, &error);
  if (store == NULL)
    return nb_cli_fail ("runs", error);
  g_autoptr (GPtrArray) list = nb_store_list_runs (store, &error);
  if (list == NULL)
    return nb_cli_fail ("runs", error);

  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        {
          NbStoreRun *r = g_ptr_array_index (list, i);
          g_autofree char *started = iso_time (r->started_at);
          g_autofree char *ended = iso_time (r->ended_at);
          json_builder_begin_object (b);
          nb_cli_json_int (b, "id", r->id);
          nb_cli_json_string (b, "started_at", started);
          nb_cli_json_string (b, "ended_at", ended);
          nb_cli_json_string (b, "pen_serial", r->pen_serial);
          nb_cli_json_string (b, "pen_model", r->pen_model);
          nb_cli_json_string (b, "fixture_serial", r->fixture_serial);
          nb_cli_json_string (b, "profile", r->profile_id);
          nb_cli_json_int (b, "profile_version", r->profile_version);
          nb_cli_json_string (b, "rule", r->rule);
          json_builder_set_member_name (b, "adjust");
          json_builder_add_boolean_value (b, r->adjust);
          nb_cli_json_string (b, "operator", r->operator_name);
          nb_cli_json_string (b, "status", nb_run_status_to_string (r->status));
          nb_cli_json_string (b, "verdict", r->verdict);
          json_builder_set_member_name (b, "traceable");
          json_builder_add_boolean_value (b, r->traceable);
          nb_cli_json_string (b, "error", r->error);
          g_autoptr (NbStoreVoid) v = nb_store_get_void (store, NB_STORE_VOID_RUN, r->id, &error);
          if (error != NULL)
            return nb_cli_fail ("runs", error);
          nb_cli_json_void (b, v);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      nb_cli_print_json (json_builder_get_root (b));
      return NB_EXIT_OK;
    }
  if (list->len == 0)
    {
      printf (_ ("No calibration runs.\n"));
      return NB_EXIT_OK;
    }
  printf ("%6s  %-20s  %-16s  %-16s  %-20s  %-9s  %-11s  %-16s  %s\n", _ ("ID"),
          _ ("STARTED (UTC)"), _ ("PEN"), _ ("FIXTURE"), _ ("PROFILE"), _ ("RULE"), _ ("STATUS"),
          _ ("VERDICT"), _ ("TRACEABLE"));
  for (guint i = 0; i < list->len; i++)
    {
      NbStoreRun *r = g_ptr_array_index (list, i);
      g_autofree char *started = iso_time (r->started_at);
      g_autofree char *pen = nb_cli_escape (r->pen_serial);
      g_autofree char *fixture = nb_cli_escape (r->fixture_serial);
      g_autofree char *profile = nb_cli_escape (r->profile_id);
      g_autofree char *rule = nb_cli_escape (r->rule);
      g_autofree char *verdict = nb_cli_escape (r->verdict);
      g_autoptr (NbStoreVoid) v = nb_store_get_void (store, NB_STORE_VOID_RUN, r->id, &error);
      if (error != NULL)
        return nb_cli_fail ("runs", error);
      /* a voided run still shows what it was, its status says that it no longer counts */
      printf ("%6" G_GINT64_FORMAT "  %-20s  %-16s  %-16s  %-20s  %-9s  %-11s  %-16s  %s\n", r->id,
              started ? started : "?", pen ? pen : "-", fixture ? fixture : "-",
              profile ? profile : "-", rule ? rule : "-",
              v != NULL ? "voided" : nb_run_status_to_string (r->status), verdict ? verdict : "-",
              r->traceable        ? _ ("yes")
              : r->fixture_serial ? _ ("no: no standard")
                                  : _ ("no: pen self-check"));
    }
  return NB_EXIT_OK;
}

static gboolean
print_transition (gint64 at, const char *state, const char *detail, gpointer data)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC);
  g_autofree char *when = t ? g_date_time_format (t, "%H:%M:%S") : g_strdup ("?");
  g_autofree char *s = nb_cli_escape (state);
  g_autofree char *d = nb_cli_escape (detail);
  printf ("  %s.%03d  %-16s %s\n", when, (int) ((at / 1000) % 1000), s, d ? d : "");
  return TRUE;
}

/* With --raw: every entry's per-stroke readings, as the document has them. */
static void
print_raw (JsonObject *doc)
{
  const char *const lists[] = { "points", "rate_points" };
  const char *const phases[] = { "as_found", "as_left" };
  printf (_ ("\nRaw readings of the reference, per stroke\n"));
  for (gsize l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      if (!json_object_has_member (doc, lists[l])
          || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (doc, lists[l])))
        continue;
      JsonArray *points = json_object_get_array_member (doc, lists[l]);
      gboolean rate = l == 1;
      for (guint i = 0; i < json_array_get_length (points); i++)
        for (gsize ph = 0; ph < G_N_ELEMENTS (phases); ph++)
          {
            JsonObject *p = json_array_get_object_element (points, i);
            JsonNode *e = p ? json_object_get_member (p, phases[ph]) : NULL;
            if (e == NULL || !JSON_NODE_HOLDS_OBJECT (e))
              continue;
            JsonObject *eo = json_node_get_object (e);
            const char *key = rate ? "strokes_hz" : "strokes_mm";
            if (!json_object_has_member (eo, key)
                || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (eo, key)))
              continue;
            JsonArray *strokes = json_object_get_array_member (eo, key);
            printf (_ ("  %s point %u, %s (%s):"), rate ? "rate" : "depth", i + 1, phases[ph],
                    rate ? "Hz" : "mm");
            for (guint s = 0; s < json_array_get_length (strokes); s++)
              {
                JsonNode *v = json_array_get_element (strokes, s);
                if (JSON_NODE_HOLDS_VALUE (v))
                  printf (" %.*f", rate ? HZ_DECIMALS : MM_DECIMALS, json_node_get_double (v));
                else
                  printf (" -");
              }
            printf ("\n");
          }
    }
}

static int
run_show (int argc, char **argv)
{
  const char *command = "run show";
  g_autofree char *db = NULL;
  gboolean json = FALSE, raw = FALSE;
  const GOptionEntry entries[] = {
    { "raw", 0, 0, G_OPTION_ARG_NONE, &raw,
      N_ ("Add every entry's per-stroke readings (strokes_mm, strokes_hz)"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the result document"), NULL },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_ ("Database file or postgresql:// URI"),
      N_ ("PATH|URI") },
    { NULL },
  };
  if (!nb_cli_parse (
          command, N_ ("RUN"),
          N_ ("Shows a calibration run: its result (the JSON of calibrate --json) and its "
              "state transitions."),
          entries, &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc < 2)
    return nb_cli_usage (command, _ ("which run? (see needlebench-cli runs)"));
  if (argc > 2)
    return nb_cli_usage (command, _ ("unexpected argument “%s”"), argv[2]);
  guint64 id = 0;
  if (!g_ascii_string_to_unsigned (argv[1], 10, 1, G_MAXINT64, &id, NULL))
    return nb_cli_usage (command, _ ("“%s” is not a run id"), argv[1]);

  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_cli_open_store_read (db, &error);
  if (store == NULL)
    return nb_cli_fail (command, error);
  g_autoptr (JsonNode) doc = nb_run_result_load_json (store, (gint64) id, raw, &error);
  if (doc == NULL)
    {
      /* the user named a run that is not there: like an unknown profile, a usage error */
      if (g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND))
        {
          g_printerr (_ ("needlebench-cli %s: no run %" PRIu64
                         " in the database (see needlebench-cli runs)\n"),
                      command, id);
          return NB_EXIT_USAGE;
        }
      return nb_cli_fail (command, error);
    }
  if (json)
    {
      nb_cli_print_json (g_steal_pointer (&doc));
      return NB_EXIT_OK;
    }
  /* the document is a contract (`run show --json`, `calibrate --json`): the void is said here */
  g_autoptr (NbStoreVoid) v = nb_store_get_void (store, NB_STORE_VOID_RUN, (gint64) id, &error);
  if (error != NULL)
    return nb_cli_fail (command, error);
  if (v != NULL)
    {
      g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (v->at / G_USEC_PER_SEC);
      g_autofree char *at = t ? g_date_time_format_iso8601 (t) : g_strdup ("?");
      g_autofree char *reason = nb_cli_escape (v->reason);
      g_autofree char *by = nb_cli_escape (v->by);
      printf (_ ("VOIDED: %s (by %s, %s); this run no longer counts and cannot be certified.\n\n"),
              reason, by, at);
    }
  nb_cli_print_run_text (json_node_get_object (doc));
  if (raw)
    print_raw (json_node_get_object (doc));
  printf (_ ("\nTransitions (UTC)\n"));
  if (!nb_store_foreach_run_transition (store, (gint64) id, print_transition, NULL, &error))
    return nb_cli_fail (command, error);
  return NB_EXIT_OK;
}

int
nb_cli_run_show_command (int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "show"))
    return run_show (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "void"))
    return nb_cli_run_void (argc - 1, argv + 1);
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      printf (_ ("Usage: needlebench-cli run show RUN [--raw] [--json] [--db PATH]\n"
                 "       needlebench-cli run void RUN --reason TEXT [--db PATH]\n"));
      return NB_EXIT_OK;
    }
  return nb_cli_usage ("run",
                       argc < 2 ? _ ("which subcommand? (show RUN, void RUN)%s")
                                : _ ("unknown subcommand “%s” (show RUN, void RUN)"),
                       argc < 2 ? "" : argv[1]);
}
