/* nb-cli-sessions.c: `needlebench-cli sessions [--db PATH] [--serial S] [--operator NAME]
 * [--json]`: the recorded sessions, newest first; a voided one says "voided" as its status (its
 * JSON keeps the stored status and adds "voided"). */
#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "nb-cli-void.h"
#include "nb-cli.h"
#include "nb-store-voids.h"
#include "nb-fleet-link.h"
#include "nb-store.h"

static char *
iso_time (gint64 us)
{
  if (us <= 0)
    return NULL;
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  return t ? g_date_time_format_iso8601 (t) : NULL;
}

/* nb_cli_open_store_read: opens an existing database for reading, with a clear error if none. */
NbStore *
nb_cli_open_store_read (const char *path, GError **error)
{
  g_autofree char *fallback = path ? NULL : nb_store_get_default_path ();
  const char *p = path ? path : fallback;
  /* a server's database is there or the open says why (offline, refused) */
  if (!nb_fleet_is_server (p) && !g_file_test (p, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND,
                   _ (_ ("no database at %s (record a session first, or give --db PATH)")), p);
      return NULL;
    }
  return nb_store_open_full (p, NB_STORE_OPEN_READ_ONLY, error);
}

/* "target": null, or what the session was measured against (as in the export). */
static void
add_target_json (JsonBuilder *b, const NbStoreSession *s)
{
  json_builder_set_member_name (b, "target");
  if (!s->has_target)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  nb_cli_json_double (b, "depth_mm", s->target_mm);
  nb_cli_json_string (b, "profile_id", s->profile_id);
  json_builder_set_member_name (b, "profile_version");
  if (s->profile_id != NULL)
    json_builder_add_int_value (b, s->profile_version);
  else
    json_builder_add_null_value (b);
  nb_cli_json_double (b, "tolerance_mm", s->tolerance_mm);
  nb_cli_json_double (b, "band_lo_mm", s->band_lo_mm);
  nb_cli_json_double (b, "band_hi_mm", s->band_hi_mm);
  nb_cli_json_double (b, "rate_tolerance_hz",
                      s->rate_tolerance_hz > 0 ? s->rate_tolerance_hz : NAN);
  json_builder_end_object (b);
}

int
nb_cli_sessions (int argc, char **argv)
{
  g_autofree char *db = NULL, *serial = NULL, *operator_name = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_ ("Database file or postgresql:// URI"),
      N_ ("PATH|URI") },
    { "serial", 0, 0, G_OPTION_ARG_STRING, &serial, N_ ("Only this pen"), N_ ("SERIAL") },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name, N_ ("Only this operator"),
      N_ ("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print a JSON array"), NULL },
    { NULL },
  };
  if (!nb_cli_parse ("sessions", NULL, N_ ("Lists the recorded sessions, newest first."), entries,
                     &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc > 1)
    return nb_cli_usage ("sessions", _ ("unexpected argument “%s”"), argv[1]);

  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_cli_open_store_read (db, &error);
  if (store == NULL)
    return nb_cli_fail ("sessions", error);
  NbStoreSessionFilter filter = { .pen_serial = serial, .operator_name = operator_name };
  g_autoptr (GPtrArray) list = nb_store_list_sessions (store, &filter, &error);
  if (list == NULL)
    return nb_cli_fail ("sessions", error);

  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        {
          NbStoreSession *s = g_ptr_array_index (list, i);
          g_autofree char *started = iso_time (s->started_at);
          g_autofree char *ended = iso_time (s->ended_at);
          gint64 strokes = nb_store_count_strokes (store, s->id, NULL);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_int_value (b, s->id);
          nb_cli_json_string (b, "started_at", started);
          nb_cli_json_string (b, "ended_at", ended);
          nb_cli_json_string (b, "status", nb_session_status_to_string (s->status));
          nb_cli_json_string (b, "pen_serial", s->pen_serial);
          nb_cli_json_string (b, "pen_model", s->pen_model);
          nb_cli_json_string (b, "uri", s->uri);
          nb_cli_json_string (b, "operator", s->operator_name);
          nb_cli_json_string (b, "name", s->name);
          nb_cli_json_string (b, "note", s->note);
          nb_cli_json_double (b, "depth_mm", s->depth_mm);
          nb_cli_json_double (b, "rate_hz", s->rate_hz);
          nb_cli_json_double (b, "sample_rate_hz", s->sample_rate_hz);
          json_builder_set_member_name (b, "strokes");
          json_builder_add_int_value (b, strokes);
          nb_cli_json_string (b, "error", s->error);
          g_autoptr (NbStoreVoid) v
              = nb_store_get_void (store, NB_STORE_VOID_SESSION, s->id, &error);
          if (error != NULL)
            return nb_cli_fail ("sessions", error);
          nb_cli_json_void (b, v);
          add_target_json (b, s);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      nb_cli_print_json (json_builder_get_root (b));
      return NB_EXIT_OK;
    }
  if (list->len == 0)
    {
      printf (_ ("No sessions.\n"));
      return NB_EXIT_OK;
    }
  printf ("%6s  %-20s  %-14s  %-12s  %7s  %6s  %-11s  %-11s  %s\n", _ ("ID"), _ ("STARTED (UTC)"),
          _ ("PEN"), _ ("OPERATOR"), _ ("DEPTH"), _ ("RATE"), _ ("BAND"), _ ("STATUS"), _ ("NAME"));
  for (guint i = 0; i < list->len; i++)
    {
      NbStoreSession *s = g_ptr_array_index (list, i);
      g_autofree char *started = iso_time (s->started_at);
      /* the database holds what operators typed: one row per session, whatever they typed */
      g_autofree char *pen = nb_cli_escape (s->pen_serial);
      g_autofree char *who = nb_cli_escape (s->operator_name);
      g_autofree char *name = nb_cli_escape (s->name);
      g_autoptr (NbStoreVoid) v = nb_store_get_void (store, NB_STORE_VOID_SESSION, s->id, &error);
      if (error != NULL)
        return nb_cli_fail ("sessions", error);
      /* the band a stroke had to land in, when the session had a target */
      g_autofree char *band = s->has_target
                                  ? g_strdup_printf ("%.2f-%.2fmm", s->band_lo_mm, s->band_hi_mm)
                                  : g_strdup ("-");
      printf ("%6" G_GINT64_FORMAT "  %-20s  %-14s  %-12s  %5.2fmm  %4.0fHz  %-11s  %-11s  %s\n",
              s->id, started ? started : "?", pen ? pen : "-", who ? who : "-", s->depth_mm,
              s->rate_hz, band, v != NULL ? "voided" : nb_session_status_to_string (s->status),
              name ? name : "");
    }
  return NB_EXIT_OK;
}
