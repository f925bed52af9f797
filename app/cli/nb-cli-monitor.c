/* nb-cli-monitor.c: `needlebench-cli monitor [--json] [--no-sim] [--seconds S] [--port PATH]...
 * [--probe-all]`: one line per pen arriving or leaving, until interrupted (or for S seconds). The
 * pens present at start are reported as "added". JSON lines carry event, uri, transport, kind
 * (pen or fixture), serial and model (when known). Like list, it opens only a pen's ports and the
 * named ones. */
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <math.h>
#include <stdio.h>

#include "nb-cli.h"
#include "nb-device-monitor.h"

typedef struct
{
  gboolean json;
} Monitor;

static void
print_event (const char *event, const NbPenInfo *pen, Monitor *m)
{
  if (m->json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "event");
      json_builder_add_string_value (b, event);
      json_builder_set_member_name (b, "uri");
      json_builder_add_string_value (b, pen->uri);
      json_builder_set_member_name (b, "transport");
      json_builder_add_string_value (b, pen->transport);
      json_builder_set_member_name (b, "kind");
      if (nb_pen_info_kind (pen))
        json_builder_add_string_value (b, nb_pen_info_kind (pen));
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "serial");
      if (pen->serial)
        json_builder_add_string_value (b, pen->serial);
      else
        json_builder_add_null_value (b);
      if (pen->model)
        {
          json_builder_set_member_name (b, "model");
          json_builder_add_string_value (b, pen->model);
        }
      json_builder_end_object (b);
      g_autoptr (JsonGenerator) gen = json_generator_new ();
      g_autoptr (JsonNode) root = json_builder_get_root (b);
      json_generator_set_root (gen, root);
      g_autofree char *line = json_generator_to_data (gen, NULL);
      printf ("%s\n", line);
    }
  else
    {
      /* a device names itself: one line per event, whatever it says */
      g_autofree char *uri = nb_cli_escape (pen->uri);
      g_autofree char *transport = nb_cli_escape (pen->transport);
      g_autofree char *serial = nb_cli_escape (pen->serial);
      g_autofree char *model = nb_cli_escape (pen->model);
      const char *kind = nb_pen_info_kind (pen);
      printf ("%-8s %-32s %-7s %-7s %-16s %s\n", event, uri, transport, kind ? kind : "-",
              serial ? serial : "-", model ? model : "");
    }
  fflush (stdout); /* scripts read line by line */
}

static void
on_added (NbDeviceMonitor *mon, const NbPenInfo *pen, Monitor *m)
{
  print_event ("added", pen, m);
}

static void
on_removed (NbDeviceMonitor *mon, const NbPenInfo *pen, Monitor *m)
{
  print_event ("removed", pen, m);
}

/* Stays installed: every source is removed once, after the loop, whichever of them ended it
 * (removing a source that had already removed itself was a GLib-CRITICAL on every Ctrl-C). */
static gboolean
quit (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

/* Longest --seconds: a day, as for the run commands; for longer, leave it out. */
#define MAX_SECONDS (24.0 * 3600)

/* parse_seconds: the --seconds value, or FALSE when it is not a finite number in (0, MAX_SECONDS].
 * Taken as text: as a double option, "nan" could not be told from the option left out. */
static gboolean
parse_seconds (const char *text, double *seconds)
{
  char *end = NULL;
  *seconds = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*seconds) && *seconds > 0
         && *seconds <= MAX_SECONDS;
}

int
nb_cli_monitor (int argc, char **argv)
{
  gboolean json = FALSE, no_sim = FALSE, probe_all = FALSE;
  g_auto (GStrv) ports = NULL;
  g_autofree char *seconds_text = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print one JSON object per line"), NULL },
    { "no-sim", 0, 0, G_OPTION_ARG_NONE, &no_sim, N_ ("Leave out the simulated pen"), NULL },
    { "seconds", 0, 0, G_OPTION_ARG_STRING, &seconds_text,
      N_ ("Stop after S seconds, more than 0 and at most 86400 (default: run until interrupted)"),
      "S" },
    { "port", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &ports,
      N_ ("Also probe this serial port (repeatable)"), N_ ("PATH") },
    { "probe-all", 0, 0, G_OPTION_ARG_NONE, &probe_all,
      N_ ("Probe every serial port (resets boards that reset on DTR, such as an Arduino)"), NULL },
    { NULL },
  };
  if (!nb_cli_parse ("monitor", NULL,
                     N_ ("Reports pens as they are plugged in and out, one line per "
                         "event, until interrupted."),
                     entries, &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc > 1)
    return nb_cli_usage ("monitor", _ ("unexpected argument “%s”"), argv[1]);
  double seconds = 0;
  if (seconds_text && !parse_seconds (seconds_text, &seconds))
    return nb_cli_usage ("monitor",
                         _ ("--seconds must be a number more than 0 and at most %.0f, not “%s”"),
                         MAX_SECONDS, seconds_text);

  Monitor m = { .json = json };
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  const NbDiscoveryOptions options = {
    .include_sim = !no_sim,
    .ports = (const char *const *) ports,
    .probe_all = probe_all,
  };
  g_autoptr (NbDeviceMonitor) mon = nb_device_monitor_new_full (&options);
  g_signal_connect (mon, "added", G_CALLBACK (on_added), &m);
  g_signal_connect (mon, "removed", G_CALLBACK (on_removed), &m);
  /* Interrupting is how a monitor is meant to end: a clean stop, exit 0. */
  guint sources[4] = {
    g_unix_signal_add (SIGINT, quit, loop),
    g_unix_signal_add (SIGTERM, quit, loop),
    g_unix_signal_add (SIGHUP, quit, loop),
    seconds_text ? g_timeout_add ((guint) ceil (seconds * 1000), quit, loop) : 0,
  };
  g_main_loop_run (loop);
  for (gsize i = 0; i < G_N_ELEMENTS (sources); i++)
    g_clear_handle_id (&sources[i], g_source_remove);
  return NB_EXIT_OK;
}
