/* nb-cli-calibrate.c: `needlebench-cli calibrate -d PEN --fixture FIX [-d PEN --fixture FIX …]
 * --profile ID [--operator NAME] [--rule simple|guarded|nonbinary] [--no-adjust]
 * [--reference pen] [--temperature C] [--humidity PCT] [--progress] [--json] [--db PATH|URI]
 * [--local-db PATH]`: calibrates one or more stations (a pen and the fixture it is mounted on)
 * with the procedure of calibration/nb-procedure.h, one thread per station, each its own run in
 * the database. With --db URI (a fleet's server) the runs go into the bench's own file
 * (--local-db) and are then copied to the server (nb-fleet-link.h): a server that is away never
 * fails a run, its records wait.
 *
 * The motors: from the moment the options are read until the command exits, SIGINT, SIGTERM and
 * SIGHUP cancel every station; each procedure then stops its pen's motor (confirmed) and closes
 * its run as cancelled, and the command prints what was measured and exits 128 + the signal. */
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "nb-cli-fleet.h"
#include "nb-cli-result-text.h"
#include "nb-cli.h"
#include "nb-device-error.h"
#include "nb-procedure.h"
#include "nb-store-standards.h"
#include "nb-store.h"

#define COMMAND "calibrate"

typedef struct Calibrate Calibrate;

typedef struct
{
  guint index; /* from 0, in the order of the -d options */
  char *pen_uri;
  char *fixture_uri;
  Calibrate *cal;
  GCancellable *cancellable;
  GThread *thread;
  char *label; /* escaped: how progress lines and errors name the station */
  NbRunResult *result;
  GError *error;
  gint64 server_run; /* the run's id in the fleet's server, 0 if not there */
} Station;

struct Calibrate
{
  GPtrArray *stations; /* (element-type Station) */
  NbProcedureOptions base;
  gboolean progress;
  GMutex output; /* one progress line at a time */
  GMainLoop *loop;
  guint running; /* stations whose thread has not reported back; main thread only */
  int signal;    /* the first caught, 0 if none */
  guint signal_sources[3];
  const char *server;     /* --db URI: the fleet's server, NULL for a file */
  char *local_path;       /* the file the runs are written into */
  NbFleetSyncResult sync; /* after the runs, with a server */
};

static const int caught_signals[] = { SIGINT, SIGTERM, SIGHUP };

static const char *
signal_name (int signum)
{
  switch (signum)
    {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    default: return "signal";
    }
}

static void
station_free (Station *st)
{
  g_clear_object (&st->cancellable);
  g_clear_pointer (&st->result, nb_run_result_free);
  g_clear_error (&st->error);
  g_free (st->pen_uri);
  g_free (st->fixture_uri);
  g_free (st->label);
  g_free (st);
}

/* Option callbacks: -d opens a station, --fixture completes the last one, so the pairs keep the
 * order they were given in. */
static gboolean
on_device (const char *name, const char *value, gpointer data, GError **error)
{
  Calibrate *cal = data;
  Station *st = g_new0 (Station, 1);
  st->index = cal->stations->len;
  st->pen_uri = g_strdup (value);
  st->cal = cal;
  g_ptr_array_add (cal->stations, st);
  return TRUE;
}

static gboolean
on_fixture (const char *name, const char *value, gpointer data, GError **error)
{
  Calibrate *cal = data;
  Station *last = cal->stations->len ? cal->stations->pdata[cal->stations->len - 1] : NULL;
  if (last == NULL || last->fixture_uri)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("--fixture %s: each --fixture follows the -d PEN it is mounted on"), value);
      return FALSE;
    }
  last->fixture_uri = g_strdup (value);
  return TRUE;
}

static gboolean
parse_number (const char *option, const char *text, double min, double max, double *out)
{
  char *end = NULL;
  double v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (v) || v < min || v > max)
    {
      nb_cli_usage (COMMAND, _ ("%s: “%s” is not a number from %g to %g"), option, text, min, max);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

/* ---- progress (procedure threads) ---- */

static void progress_line (Station *st, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
progress_line (Station *st, const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  g_autofree char *line = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_mutex_lock (&st->cal->output);
  if (st->cal->stations->len > 1)
    fprintf (stderr, "[%s] %s\n", st->label, line);
  else
    fprintf (stderr, "%s\n", line);
  fflush (stderr);
  g_mutex_unlock (&st->cal->output);
}

static void
on_state (NbProcedureState state, const char *detail, gpointer data)
{
  Station *st = data;
  g_autofree char *escaped = nb_cli_escape (detail);
  progress_line (st, "%s%s%s", nb_procedure_state_to_string (state), escaped ? ": " : "",
                 escaped ? escaped : "");
}

/* From now on the station's lines are named by its pen's serial (escaped: it comes from the
 * pen); before, by its URI. Only this thread reads the label until it is joined. */
static void
on_identified (const char *pen_serial, const char *fixture_serial, gpointer data)
{
  Station *st = data;
  g_free (st->label);
  st->label = nb_cli_escape (pen_serial);
}

static void
on_point_done (NbRunPhase phase, guint index, guint total, const NbRunPoint *point, gpointer data)
{
  Station *st = data;
  const NbPointResult *r = &point->result;
  gboolean rate = isnan (point->depth_mm);
  const char *unit = rate ? "Hz" : "mm";
  int d = rate ? 3 : 4;
  /* pen_mean: what the pen said of the same strokes (its indication) */
  g_autofree char *pen = isfinite (point->pen_mean)
                             ? g_strdup_printf (_ (", pen %.*f %s"), d, point->pen_mean, unit)
                             : g_strdup ("");
  if (rate)
    progress_line (
        st, _ ("%s %u/%u: rate %.3f Hz: mean %.3f Hz, error %+.3f Hz, U %.3f Hz (k %.2f)%s: %s"),
        nb_run_phase_to_string (phase), index + 1, total, point->target, r->stats.mean,
        r->stats.mean - point->target, r->uncertainty.U, r->uncertainty.k, pen,
        nb_verdict_to_string (r->verdict));
  else
    progress_line (
        st,
        _ ("%s %u/%u: %.2f mm at %.0f Hz: mean %.4f mm, error %+.4f mm, U %.4f mm (k %.2f)%s: %s"),
        nb_run_phase_to_string (phase), index + 1, total, point->target, point->rate_hz,
        r->stats.mean, r->stats.mean - point->target, r->uncertainty.U, r->uncertainty.k, pen,
        nb_verdict_to_string (r->verdict));
}

/* ---- stations ---- */

static gboolean
station_done (gpointer data)
{
  Station *st = data;
  Calibrate *cal = st->cal;
  if (--cal->running == 0)
    g_main_loop_quit (cal->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
station_thread (gpointer data)
{
  Station *st = data;
  Calibrate *cal = st->cal;
  NbProcedureOptions o = cal->base;
  o.pen_uri = st->pen_uri;
  o.fixture_uri = st->fixture_uri;
  const NbProcedureCallbacks progress = {
    .state = on_state,
    .point_done = on_point_done,
    .identified = on_identified,
  };
  st->result
      = nb_procedure_run (&o, cal->progress ? &progress : NULL, st, st->cancellable, &st->error);
  /* to the main thread's loop; not g_main_context_invoke, which would call it here whenever
   * this thread can acquire the default context */
  g_idle_add (station_done, st);
  return NULL;
}

typedef struct
{
  Calibrate *cal;
  int signum;
} Catch;

static gboolean
on_signal (gpointer data)
{
  Catch *c = data;
  Calibrate *cal = c->cal;
  if (cal->signal == 0)
    cal->signal = c->signum;
  /* every procedure stops its motor and closes its run as cancelled; a second signal changes
   * nothing: the stops are already under way */
  for (guint i = 0; i < cal->stations->len; i++)
    g_cancellable_cancel (((Station *) cal->stations->pdata[i])->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
catch_signals (Calibrate *cal)
{
  for (guint i = 0; i < G_N_ELEMENTS (caught_signals); i++)
    {
      Catch *c = g_new (Catch, 1);
      *c = (Catch){ cal, caught_signals[i] };
      cal->signal_sources[i]
          = g_unix_signal_add_full (G_PRIORITY_HIGH, caught_signals[i], on_signal, c, g_free);
    }
}

static void
release_signals (Calibrate *cal)
{
  for (guint i = 0; i < G_N_ELEMENTS (caught_signals); i++)
    {
      if (cal->signal_sources[i])
        g_source_remove (cal->signal_sources[i]);
      cal->signal_sources[i] = 0;
    }
}

/* ---- exit codes ---- */

/* The exit code of a station's error, its line printed (prefixed by the station when several):
 * 2 for what the user must change (no standard in force, a fixture that is not a reference, a
 * profile or environment the station cannot take), 3 for the device and the measurement, 1 for
 * a pen no correction can bring into tolerance, else nb_cli_fail's (4 for the database). */
static int
station_fail (Calibrate *cal, Station *st)
{
  g_autoptr (GError) e = g_error_copy (st->error);
  /* raw: the whole line is escaped once, below */
  if (cal->stations->len > 1)
    g_prefix_error (
        &e, "%s: ", st->result && st->result->pen_serial ? st->result->pen_serial : st->pen_uri);
  if (e->domain == NB_PROCEDURE_ERROR)
    {
      g_autofree char *message = nb_cli_escape (e->message);
      g_printerr ("needlebench-cli " COMMAND ": %s\n", message);
      switch ((NbProcedureError) e->code)
        {
        case NB_PROCEDURE_ERROR_NOT_REFERENCE:
        case NB_PROCEDURE_ERROR_PRE_CHECK: return NB_EXIT_USAGE;
        case NB_PROCEDURE_ERROR_ADJUST: return NB_EXIT_OUT_OF_TOLERANCE;
        case NB_PROCEDURE_ERROR_NO_CARTRIDGE:
        case NB_PROCEDURE_ERROR_MEASUREMENT:
        default: return NB_EXIT_DEVICE;
        }
    }
  return nb_cli_fail (COMMAND, e);
}

static int
station_exit (Calibrate *cal, Station *st)
{
  if (st->error)
    return station_fail (cal, st);
  if (st->result == NULL || !st->result->has_verdict)
    {
      /* the procedure promises an error whenever there is no verdict: say so if it broke that */
      g_printerr (_ ("needlebench-cli %s: %s: the run ended without a verdict\n"), COMMAND,
                  st->label);
      return NB_EXIT_DATA;
    }
  return nb_verdict_is_acceptance (st->result->verdict) ? NB_EXIT_OK : NB_EXIT_OUT_OF_TOLERANCE;
}

/* ---- output ---- */

/* The station's result document; with a server, plus its `sync` object as the last key. */
static JsonNode *
station_json (Calibrate *cal, Station *st)
{
  JsonNode *doc = nb_run_result_to_json (st->result, FALSE);
  if (cal->server)
    json_object_set_member (json_node_get_object (doc), "sync",
                            nb_cli_fleet_sync_json (cal->server, &cal->sync, st->server_run));
  return doc;
}

static void
print_results (Calibrate *cal, gboolean json)
{
  if (json)
    {
      if (cal->stations->len == 1)
        {
          Station *st = cal->stations->pdata[0];
          if (st->result)
            nb_cli_print_json (station_json (cal, st));
          return;
        }
      /* one element per station in the order given; null for a station whose run could not
       * begin (its error is on stderr) */
      JsonArray *arr = json_array_new ();
      for (guint i = 0; i < cal->stations->len; i++)
        {
          Station *st = cal->stations->pdata[i];
          if (st->result)
            json_array_add_element (arr, station_json (cal, st));
          else
            json_array_add_null_element (arr);
        }
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, arr);
      nb_cli_print_json (node);
      return;
    }
  for (guint i = 0; i < cal->stations->len; i++)
    {
      Station *st = cal->stations->pdata[i];
      if (st->result == NULL)
        continue;
      if (i > 0)
        printf ("\n");
      if (cal->stations->len > 1)
        printf (_ ("== Station %u: %s ==\n"), st->index + 1, st->label);
      g_autoptr (JsonNode) doc = nb_run_result_to_json (st->result, FALSE);
      nb_cli_print_run_text (json_node_get_object (doc));
      if (cal->server)
        nb_cli_fleet_print (cal->server, &cal->sync, "run", st->server_run);
    }
  fflush (stdout);
}

/* ---- the command ---- */

static int
check_options (Calibrate *cal, int argc, char **argv, const char *reference)
{
  if (argc > 1)
    return nb_cli_usage (COMMAND, _ ("unexpected argument “%s”"), argv[1]);
  if (cal->stations->len == 0)
    return nb_cli_usage (COMMAND,
                         _ ("-d PEN is required (with --fixture FIX, or --reference pen)"));
  if (reference && !g_str_equal (reference, "pen") && !g_str_equal (reference, "fixture"))
    return nb_cli_usage (COMMAND, _ ("--reference is pen or fixture, not “%s”"), reference);
  cal->base.reference_pen = reference && g_str_equal (reference, "pen");
  for (guint i = 0; i < cal->stations->len; i++)
    {
      Station *st = cal->stations->pdata[i];
      if (cal->base.reference_pen && st->fixture_uri)
        return nb_cli_usage (COMMAND, _ ("--reference pen calibrates against the pen's own sensor: "
                                         "give -d PEN alone, without --fixture"));
      if (!cal->base.reference_pen && st->fixture_uri == NULL)
        return nb_cli_usage (COMMAND,
                             _ ("-d %s has no --fixture FIX (a station is a pen and the fixture it "
                                "is mounted on; --reference pen for a self-check)"),
                             st->pen_uri);
      for (guint j = 0; j < i; j++)
        {
          Station *other = cal->stations->pdata[j];
          if (g_str_equal (other->pen_uri, st->pen_uri)
              || (st->fixture_uri && other->fixture_uri
                  && g_str_equal (other->fixture_uri, st->fixture_uri)))
            return nb_cli_usage (COMMAND, _ ("station %u repeats a device of station %u"), i + 1,
                                 j + 1);
        }
    }
  return NB_EXIT_OK;
}

/* The profile, found as `profile show` finds it; NULL with *@rc set. */
static NbProfile *
find_profile (GPtrArray *all, const char *id, int *rc)
{
  NbProfile *p = nb_profiles_find (all, id);
  if (p)
    return p;
  g_autoptr (GString) ids = g_string_new (NULL);
  for (guint i = 0; i < all->len; i++)
    g_string_append_printf (ids, "%s%s", i ? ", " : "", ((NbProfile *) all->pdata[i])->id);
  g_autofree char *escaped = nb_cli_escape (id);
  g_autofree char *list = nb_cli_escape (ids->str);
  g_printerr (_ ("needlebench-cli %s: no profile “%s” (profiles: %s)\n"), COMMAND, escaped, list);
  *rc = NB_EXIT_USAGE;
  return NULL;
}

/* With a server: every run that reached the store (finished, failed or cancelled alike, each a
 * closed record) is copied to it, and each station learns its run's id there. */
static void
sync_runs (Calibrate *cal)
{
  if (cal->server == NULL)
    return;
  g_autofree NbFleetRecord *records = g_new0 (NbFleetRecord, cal->stations->len);
  for (guint i = 0; i < cal->stations->len; i++)
    {
      Station *st = cal->stations->pdata[i];
      records[i] = (NbFleetRecord){ "runs", st->result ? st->result->run_id : 0, 0 };
    }
  nb_fleet_sync (cal->server, cal->local_path, records, cal->stations->len, &cal->sync);
  for (guint i = 0; i < cal->stations->len; i++)
    ((Station *) cal->stations->pdata[i])->server_run = records[i].server_id;
}

static int
run_stations (Calibrate *cal, gboolean json)
{
  for (guint i = 0; i < cal->stations->len; i++)
    {
      Station *st = cal->stations->pdata[i];
      g_autofree char *name = g_strdup_printf ("nb-station-%u", i + 1);
      if (cal->signal) /* caught while the options were read */
        g_cancellable_cancel (st->cancellable);
      st->thread = g_thread_new (name, station_thread, st);
      cal->running++;
    }
  g_main_loop_run (cal->loop);
  for (guint i = 0; i < cal->stations->len; i++)
    {
      Station *st = cal->stations->pdata[i];
      g_thread_join (g_steal_pointer (&st->thread));
      /* a run's own serial names it from now on */
      if (st->result && st->result->pen_serial)
        {
          g_free (st->label);
          st->label = nb_cli_escape (st->result->pen_serial);
        }
    }
  sync_runs (cal);
  print_results (cal, json);
  if (cal->signal)
    {
      /* the signal is why the runs ended, whatever else failed on the way */
      g_printerr (_ ("needlebench-cli %s: interrupted by %s\n"), COMMAND,
                  signal_name (cal->signal));
      return 128 + cal->signal;
    }
  /* the worst station decides: the highest code (4 storage, 3 device, 2 usage, 1 fail, 0) */
  int rc = NB_EXIT_OK;
  for (guint i = 0; i < cal->stations->len; i++)
    {
      int code = station_exit (cal, cal->stations->pdata[i]); /* prints its error: once */
      rc = MAX (rc, code);
    }
  return rc;
}

int
nb_cli_calibrate (int argc, char **argv)
{
  Calibrate cal = { .stations = g_ptr_array_new_with_free_func ((GDestroyNotify) station_free) };
  g_autoptr (GPtrArray) stations = cal.stations;
  g_autofree char *profile_id = NULL, *operator_name = NULL, *rule = NULL, *reference = NULL;
  g_autofree char *db = NULL, *local_db = NULL, *temperature = NULL, *humidity = NULL;
  gboolean no_adjust = FALSE, json = FALSE, progress = FALSE;
  /* from the start: a signal before the stations run cancels them before they touch a motor */
  catch_signals (&cal);

  const GOptionEntry entries[] = {
    { "device", 'd', 0, G_OPTION_ARG_CALLBACK, on_device,
      N_ ("A station's pen (repeat -d PEN --fixture FIX for several stations)"), N_ ("PEN") },
    { "fixture", 0, 0, G_OPTION_ARG_CALLBACK, on_fixture,
      N_ ("The reference fixture the preceding -d PEN is mounted on"), N_ ("FIX") },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &profile_id,
      N_ ("The calibration profile (see profiles)"), N_ ("ID") },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name,
      N_ ("Who calibrates (default: login name)"), N_ ("NAME") },
    { "rule", 0, 0, G_OPTION_ARG_STRING, &rule,
      N_ ("Decision rule instead of the profile's: simple, guarded or nonbinary"), N_ ("RULE") },
    { "no-adjust", 0, 0, G_OPTION_ARG_NONE, &no_adjust,
      N_ ("As-found only (incoming inspection): never write the pen's table"), NULL },
    { "reference", 0, 0, G_OPTION_ARG_STRING, &reference,
      N_ ("pen: measure against the pen's own sensor (not traceable: pen self-check)"),
      N_ ("pen") },
    { "temperature", 0, 0, G_OPTION_ARG_STRING, &temperature,
      N_ ("Room temperature, °C (recorded, checked against the profile)"), "C" },
    { "humidity", 0, 0, G_OPTION_ARG_STRING, &humidity,
      N_ ("Relative humidity, % (recorded, checked against the profile)"), N_ ("PCT") },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &progress,
      N_ ("Progress lines on stderr even when it is not a terminal"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_ ("Print the result document (an array for several stations)"), NULL },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db,
      N_ ("Database file, or the fleet's postgresql:// URI (the runs are written into --local-db "
          "and then copied there)"),
      N_ ("PATH|URI") },
    { "local-db", 0, 0, G_OPTION_ARG_FILENAME, &local_db,
      N_ ("With --db URI: the bench's own database file the runs are written into first "
          "(default: in the XDG data directory)"),
      N_ ("PATH") },
    { NULL },
  };
  int rc = NB_EXIT_OK;
  g_autoptr (GOptionContext) ctx = g_option_context_new (COMMAND);
  g_autoptr (GOptionGroup) group = g_option_group_new (COMMAND, NULL, NULL, &cal, NULL);
  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_context_set_main_group (ctx, g_steal_pointer (&group));
  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_option_context_set_summary (
      ctx, _ ("Calibrates one or more stations (a pen and the reference fixture it is mounted on) "
              "against a profile: as-found, adjustment, as-left. Exit 0 when every station "
              "passes, 1 when one fails, 2 usage (no reference standard in force included), "
              "3 device."));
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_autofree char *message = nb_cli_escape (error->message);
      g_printerr (_ ("needlebench-cli %s: %s (see --help)\n"), COMMAND, message);
      release_signals (&cal);
      return NB_EXIT_USAGE;
    }
  rc = check_options (&cal, argc, argv, reference);
  if (rc == NB_EXIT_OK && local_db && !nb_fleet_is_server (db))
    rc = nb_cli_usage (COMMAND, _ ("--local-db goes with --db URI (a fleet's server)"));
  if (rc == NB_EXIT_OK && local_db && nb_fleet_is_server (local_db))
    rc = nb_cli_usage (COMMAND, _ ("--local-db is the bench's own database file, not a URI"));
  g_autoptr (GError) uri_error = NULL;
  /* refused before any motor turns: a run whose copy could never be sent */
  if (rc == NB_EXIT_OK && nb_fleet_is_server (db) && !nb_fleet_check_uri (db, &uri_error))
    rc = nb_cli_usage (COMMAND, "--db: %s", uri_error->message);
  if (rc == NB_EXIT_OK && profile_id == NULL)
    rc = nb_cli_usage (COMMAND, _ ("--profile ID is required (see needlebench-cli profiles)"));
  NbDecisionRule decision = NB_DECISION_SIMPLE;
  if (rc == NB_EXIT_OK && rule && !nb_decision_rule_from_string (rule, &decision, NULL))
    rc = nb_cli_usage (COMMAND, _ ("--rule is simple, guarded or nonbinary, not “%s”"), rule);
  double t = NAN, h = NAN;
  if (rc == NB_EXIT_OK
      && ((temperature && !parse_number ("--temperature", temperature, -50, 100, &t))
          || (humidity && !parse_number ("--humidity", humidity, 0, 100, &h))))
    rc = NB_EXIT_USAGE;
  if (rc == NB_EXIT_OK && operator_name
      && !nb_store_standard_check_text ("--operator", operator_name, TRUE, NB_STANDARD_TEXT_MAX,
                                        &error))
    rc = nb_cli_usage (COMMAND, "%s", error->message);
  g_autoptr (GPtrArray) profiles = NULL;
  const NbProfile *profile = NULL;
  if (rc == NB_EXIT_OK)
    {
      profiles = nb_profiles_load_all (NULL, &error);
      if (profiles == NULL)
        rc = nb_cli_fail (COMMAND, error); /* a malformed profile: 4 */
      else
        profile = find_profile (profiles, profile_id, &rc);
    }
  if (rc != NB_EXIT_OK)
    {
      release_signals (&cal);
      return rc;
    }

  g_autofree char *local_path = nb_fleet_acquisition_path (db, local_db);
  cal.server = nb_fleet_is_server (db) ? db : NULL;
  cal.local_path = local_path;
  cal.base = (NbProcedureOptions){
    .reference_pen = cal.base.reference_pen,
    .profile = profile,
    .rule_given = rule != NULL,
    .rule = decision,
    .no_adjust = no_adjust,
    .operator_name = operator_name,
    .store_path = local_path,
    .temperature_c = t,
    .humidity_pct = h,
  };
  cal.progress = progress || isatty (STDERR_FILENO);
  g_mutex_init (&cal.output);
  cal.loop = g_main_loop_new (NULL, FALSE);
  for (guint i = 0; i < cal.stations->len; i++)
    {
      Station *st = cal.stations->pdata[i];
      st->cancellable = g_cancellable_new ();
      st->label = nb_cli_escape (st->pen_uri);
    }
  /* a signal caught while reading the options: the stations start cancelled */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  rc = run_stations (&cal, json);
  release_signals (&cal);
  g_main_loop_unref (cal.loop);
  g_mutex_clear (&cal.output);
  nb_fleet_sync_result_clear (&cal.sync);
  return rc;
}
