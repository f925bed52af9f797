/* nb-cli-record.c: `needlebench-cli record -d URI --depth MM --rate HZ --seconds S
 * [--db PATH|URI] [--local-db PATH] [--operator NAME] [--note TEXT] [--name TEXT] [--json]`: a
 * stream, recorded to the database. With --db URI (a fleet's server) the session is recorded into
 * the bench's own file (--local-db) and then copied to the server (nb-fleet-link.h). */
#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "nb-cli-fleet.h"
#include "nb-cli-run.h"
#include "nb-cli.h"
#include "nb-live-verdict.h"
#include "nb-recorder.h"
#include "nb-stroke-store.h"

typedef struct
{
  NbRecorder *rec;
  NbCliRun *run;
} Recording;

static void
keep_error (Recording *r, GError *error)
{
  if (r->run->hook_error == NULL)
    r->run->hook_error = error;
  else
    g_error_free (error);
}

static void
on_batch (const NbTelemetryBatch *b, gpointer data)
{
  Recording *r = data;
  GError *error = NULL;
  if (!nb_recorder_add_batch (r->rec, b->first_index, b->samples, b->count, &error))
    keep_error (r, error);
}

static void
on_stroke (const NbStroke *s, gpointer data)
{
  Recording *r = data;
  GError *error = NULL;
  NbStoreStroke row;
  nb_stroke_to_store (s, &row);
  if (!nb_recorder_add_stroke (r->rec, &row, &error))
    keep_error (r, error);
}

static void
on_event (const NbEvent *ev, gpointer data)
{
  Recording *r = data;
  GError *error = NULL;
  g_autofree char *detail = g_strdup_printf ("%u", ev->detail);
  if (!nb_recorder_add_event (r->rec, ev->sample_index, ev->code, nb_event_code_name (ev->code),
                              detail, &error))
    keep_error (r, error);
}

typedef struct
{
  gint64 session_id;
  const char *db;
  const char *server; /* --db URI, else NULL */
  const NbFleetSyncResult *sync;
  gint64 server_session;
} Extra;

static void
add_extra (JsonBuilder *b, gpointer data)
{
  Extra *e = data;
  json_builder_set_member_name (b, "session_id");
  json_builder_add_int_value (b, e->session_id);
  json_builder_set_member_name (b, "db");
  json_builder_add_string_value (b, e->db);
  if (e->server)
    {
      json_builder_set_member_name (b, "sync");
      json_builder_add_value (b, nb_cli_fleet_sync_json (e->server, e->sync, e->server_session));
    }
}

int
nb_cli_record (int argc, char **argv)
{
  g_auto (NbCliRunOptions) opt = NB_CLI_RUN_OPTIONS_INIT;
  g_autofree char *db = NULL, *local_db = NULL, *operator_name = NULL, *note = NULL, *name = NULL,
                  *preset_id = NULL;
  const GOptionEntry entries[] = {
    NB_CLI_RUN_OPTION_ENTRIES (opt),
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db,
      N_ ("Database file (default: in the XDG data directory), or the fleet's postgresql:// URI "
          "(the session is recorded into --local-db and then copied there)"),
      N_ ("PATH|URI") },
    { "local-db", 0, 0, G_OPTION_ARG_FILENAME, &local_db,
      N_ ("With --db URI: the bench's own database file the session is recorded into first "
          "(default: in the XDG data directory)"),
      N_ ("PATH") },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name,
      N_ ("Who records (default: login name)"), N_ ("NAME") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_ ("A note kept with the session"), N_ ("TEXT") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_ ("A name for the session"), N_ ("TEXT") },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset_id,
      N_ ("Treatment preset (a profile with an area): its tolerance and band are stored with the "
          "session"),
      N_ ("PROFILE") },
    { NULL },
  };
  if (!nb_cli_parse ("record", NULL,
                     N_ ("Runs the pen like `stream` and records every sample, stroke "
                         "and event to the database; prints the new session id."),
                     entries, &argc, &argv))
    return NB_EXIT_USAGE;
  int rc = nb_cli_run_check_options ("record", &opt, argc, argv);
  if (rc != NB_EXIT_OK)
    return rc;
  if (local_db && !nb_fleet_is_server (db))
    return nb_cli_usage ("record", _ ("--local-db goes with --db URI (a fleet's server)"));
  if (local_db && nb_fleet_is_server (local_db))
    return nb_cli_usage ("record", _ ("--local-db is the bench's own database file, not a URI"));
  g_autoptr (GError) uri_error = NULL;
  if (nb_fleet_is_server (db) && !nb_fleet_check_uri (db, &uri_error))
    return nb_cli_usage ("record", "--db: %s", uri_error->message);
  const char *server = nb_fleet_is_server (db) ? db : NULL;
  g_autofree char *local_path = nb_fleet_acquisition_path (db, local_db);
  g_autoptr (GPtrArray) presets = NULL;
  const NbPreset *preset = NULL;
  if (preset_id != NULL)
    {
      g_autoptr (GError) perror = NULL;
      presets = nb_presets_load (NULL, &perror);
      if (presets == NULL)
        return nb_cli_fail ("record", perror);
      preset = nb_presets_find_profile (presets, preset_id);
      if (preset == NULL)
        return nb_cli_usage (
            "record", _ ("no treatment preset “%s” (see `profiles`: a profile with an area)"),
            preset_id);
    }

  g_autoptr (GError) error = NULL;
  NbCliRun run = { .command = "record" };
  if (!nb_cli_run_open (&run, &opt, &error))
    {
      rc = nb_cli_fail ("record", error);
      nb_cli_run_clear (&run);
      return rc;
    }
  const NbIdentity *id = nb_device_get_identity (run.device);
  NbRecorderParams params = {
    .store_path = local_path,
    .session = {
      .pen_serial = id->serial, .pen_model = id->model, .pen_firmware = id->firmware,
      .uri = opt.uri, .operator_name = operator_name ? operator_name : g_get_user_name (),
      .name = name, .note = note, .depth_mm = opt.depth_mm, .rate_hz = opt.rate_hz,
      .sample_rate_hz = id->sample_rate_hz,
    },
  };
  NbLiveTarget target;
  if (preset != NULL)
    {
      /* judged as on the Live page: the --depth setting ± the preset's tolerance */
      nb_live_target_for_preset (&target, preset, opt.depth_mm, opt.rate_hz);
      params.session.profile_id = preset->profile_id;
      params.session.profile_version = preset->profile_version;
      params.session.target_mm = target.target_mm;
      params.session.tolerance_mm = target.tolerance_mm;
      params.session.band_lo_mm = target.band_lo_mm;
      params.session.band_hi_mm = target.band_hi_mm;
      params.session.rate_tolerance_hz = target.rate_tolerance_hz;
    }
  Recording rec = { .run = &run };
  rec.rec = nb_recorder_new (&params, &error);
  if (rec.rec == NULL)
    {
      g_prefix_error (&error, _ ("recording to %s: "), local_path);
      rc = nb_cli_fail ("record", error);
      nb_cli_run_clear (&run);
      return rc;
    }
  gint64 session_id = nb_recorder_get_session_id (rec.rec);
  run.on_batch = on_batch;
  run.on_stroke = on_stroke;
  run.on_event = on_event;
  run.hook_data = &rec;

  gboolean ok = nb_cli_run_execute (&run, &opt, &error);
  g_autoptr (GError) finish_error = NULL;
  gboolean saved = nb_recorder_finish (rec.rec, ok ? NB_SESSION_COMPLETE : NB_SESSION_ABORTED,
                                       ok ? NULL : error->message, &finish_error);
  g_clear_pointer (&rec.rec, nb_recorder_free);
  if (!saved)
    {
      /* The storage error is the one to report: it is why the run stopped, if it did. */
      g_prefix_error (&finish_error, _ ("recording session %" PRId64 " to %s: "), session_id,
                      local_path);
      g_autofree char *message = nb_cli_escape (finish_error->message);
      g_printerr (_ ("needlebench-cli record: %s\n"), message);
      nb_cli_run_clear (&run);
      return NB_EXIT_DATA;
    }
  if (!ok && !run.signal)
    g_prefix_error (&error, _ ("session %" PRId64 " kept as aborted: "), session_id);
  /* the session is closed (complete or aborted): with a server, it is copied there now */
  g_auto (NbFleetSyncResult) sync = { 0 };
  NbFleetRecord record = { "sessions", session_id, 0 };
  if (server)
    nb_fleet_sync (server, local_path, &record, 1, &sync);
  Extra extra = { session_id, local_path, server, &sync, record.server_id };
  g_autofree char *db_text = nb_cli_escape (local_path);
  if (!opt.json && nb_cli_run_has_summary (&run, ok ? NULL : error))
    {
      printf (_ ("Session:       %" PRId64 " (%s)\n"), session_id, db_text);
      if (server)
        nb_cli_fleet_print (server, &sync, "session", record.server_id);
    }
  rc = nb_cli_run_conclude (&run, &opt, ok ? NULL : error, add_extra, &extra);
  nb_cli_run_clear (&run);
  return rc;
}
