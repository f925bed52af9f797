/* nb-cli-list.c: `needlebench-cli list [--json] [--no-sim] [--port PATH]... [--probe-all]`. Only
 * the ports of a pen's USB ID, the named ports and the simulated pen are opened; the other serial
 * ports are listed as "not probed" (nb-discovery.h says why). */
#include <glib/gi18n.h>
#include <stdio.h>

#include "nb-cli.h"
#include "nb-discovery.h"

int
nb_cli_list (int argc, char **argv)
{
  gboolean json = FALSE, no_sim = FALSE, probe_all = FALSE;
  g_auto (GStrv) ports = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print a JSON array"), NULL },
    { "no-sim", 0, 0, G_OPTION_ARG_NONE, &no_sim, N_ ("Leave out the simulated pen"), NULL },
    { "port", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &ports,
      N_ ("Also probe this serial port (repeatable)"), N_ ("PATH") },
    { "probe-all", 0, 0, G_OPTION_ARG_NONE, &probe_all,
      N_ ("Probe every serial port (resets boards that reset on DTR, such as an Arduino)"), NULL },
    { NULL },
  };
  if (!nb_cli_parse ("list", NULL,
                     N_ ("Lists the pens on every transport and the built-in simulated pen. "
                         "A serial port is opened only when it has a pen's USB ID or is named "
                         "with --port; the others are listed as not probed."),
                     entries, &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc > 1)
    return nb_cli_usage ("list", _ ("unexpected argument “%s”"), argv[1]);

  const NbDiscoveryOptions options = {
    .include_sim = !no_sim,
    .ports = (const char *const *) ports,
    .probe_all = probe_all,
  };
  g_autoptr (GPtrArray) pens = nb_discover_pens (&options, NULL);
  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_array (b);
      for (guint i = 0; i < pens->len; i++)
        {
          NbPenInfo *p = g_ptr_array_index (pens, i);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "uri");
          json_builder_add_string_value (b, p->uri);
          json_builder_set_member_name (b, "transport");
          json_builder_add_string_value (b, p->transport);
          json_builder_set_member_name (b, "kind");
          if (nb_pen_info_kind (p))
            json_builder_add_string_value (b, nb_pen_info_kind (p));
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "model");
          json_builder_add_string_value (b, p->model);
          json_builder_set_member_name (b, "serial");
          json_builder_add_string_value (b, p->serial);
          json_builder_set_member_name (b, "firmware");
          json_builder_add_string_value (b, p->firmware);
          json_builder_set_member_name (b, "port");
          json_builder_add_string_value (b, p->port);
          json_builder_set_member_name (b, "state");
          json_builder_add_string_value (b, nb_pen_state_to_string (p->state));
          json_builder_set_member_name (b, "probed");
          json_builder_add_boolean_value (b, p->state != NB_PEN_STATE_NOT_PROBED);
          if (p->usb_vid)
            {
              g_autofree char *id = g_strdup_printf ("%04x:%04x", p->usb_vid, p->usb_pid);
              json_builder_set_member_name (b, "usb_id");
              json_builder_add_string_value (b, id);
              json_builder_set_member_name (b, "usb_serial");
              json_builder_add_string_value (b, p->usb_serial);
            }
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      nb_cli_print_json (json_builder_get_root (b));
      return NB_EXIT_OK;
    }
  if (pens->len == 0)
    {
      printf (_ ("No pens found.\n"));
      return NB_EXIT_OK;
    }
  printf ("%-32s %-11s %-7s %-16s %-24s %-10s %s\n", _ ("URI"), _ ("STATE"), _ ("KIND"),
          _ ("SERIAL"), _ ("MODEL"), _ ("FIRMWARE"), _ ("PORT"));
  for (guint i = 0; i < pens->len; i++)
    {
      NbPenInfo *p = g_ptr_array_index (pens, i);
      /* identities and port names come from devices: one row per pen, whatever they say */
      g_autofree char *uri = nb_cli_escape (p->uri);
      g_autofree char *serial = nb_cli_escape (p->serial);
      g_autofree char *model = nb_cli_escape (p->model);
      g_autofree char *firmware = nb_cli_escape (p->firmware);
      g_autofree char *port = nb_cli_escape (p->port);
      const char *kind = nb_pen_info_kind (p);
      printf ("%-32s %-11s %-7s %-16s %-24s %-10s %s\n", uri, nb_pen_state_to_string (p->state),
              kind ? kind : "-", serial ? serial : "", model ? model : "", firmware ? firmware : "",
              port ? port : "");
    }
  return NB_EXIT_OK;
}
