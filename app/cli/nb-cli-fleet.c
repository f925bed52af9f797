/* nb-cli-fleet.c: the sync object and line of `record` and `calibrate` (nb-cli-fleet.h). */
#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>

#include "nb-cli-fleet.h"
#include "nb-cli.h"

JsonNode *
nb_cli_fleet_sync_json (const char *server, const NbFleetSyncResult *result, gint64 server_id)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  nb_cli_json_string (b, "state", nb_fleet_sync_state_to_string (result->state));
  nb_cli_json_string (b, "server", server);
  json_builder_set_member_name (b, "waiting");
  if (result->waiting >= 0)
    json_builder_add_int_value (b, result->waiting);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "id");
  if (server_id > 0)
    json_builder_add_int_value (b, server_id);
  else
    json_builder_add_null_value (b);
  nb_cli_json_string (b, "error", result->message);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
nb_cli_fleet_print (const char *server, const NbFleetSyncResult *result, const char *what,
                    gint64 server_id)
{
  g_autofree char *shown = nb_cli_escape (server);
  g_autofree char *why = nb_cli_escape (result->message);
  gint64 waiting = MAX (result->waiting, 0);
  switch (result->state)
    {
    case NB_FLEET_SYNC_SYNCED:
      if (server_id > 0)
        printf (g_str_equal (what, "run") ? _ ("Synced to %s as run %" PRId64 "\n")
                                          : _ ("Synced to %s as session %" PRId64 "\n"),
                shown, server_id);
      else
        printf (_ ("Synced to %s\n"), shown);
      break;
    case NB_FLEET_SYNC_OFFLINE:
      printf (g_dngettext (GETTEXT_PACKAGE,
                           "Server offline (%s): %" PRId64 " record waiting, it will be sent by "
                           "`needlebench-cli db sync` or the next run\n",
                           "Server offline (%s): %" PRId64 " records waiting, they will be sent "
                           "by `needlebench-cli db sync` or the next run\n",
                           waiting),
              shown, waiting);
      break;
    case NB_FLEET_SYNC_FAILED:
      printf (g_dngettext (GETTEXT_PACKAGE, "Not synced to %s: %s; %" PRId64 " record waiting\n",
                           "Not synced to %s: %s; %" PRId64 " records waiting\n", waiting),
              shown, why ? why : "", waiting);
      break;
    case NB_FLEET_SYNC_LOCAL:
    default: break;
    }
  fflush (stdout);
}
