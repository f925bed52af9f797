/* needlebench.c: entry point of the desktop application. */
#include "nb-application.h"
#include "nb-gui-config.h"
#include "nb-renderer.h"
#include "nb-sim-transport.h"

int
main (int argc, char **argv)
{
  nb_renderer_choose (); /* before GTK or any thread starts */
  /* Without the schema GSettings aborts; say what is missing instead. */
  g_autoptr (GSettingsSchema) schema = g_settings_schema_source_lookup (
      g_settings_schema_source_get_default (), "org.needlebench.NeedleBench", TRUE);
  if (schema == NULL)
    {
      g_printerr ("needlebench: the GSettings schema org.needlebench.NeedleBench is not "
                  "installed; from the build tree run it with `meson devenv -C build` "
                  "(which sets GSETTINGS_SCHEMA_DIR).\n");
      return 1;
    }
  nb_sim_transport_register ();
  g_autoptr (NbApplication) app = nb_application_new (NB_APP_ID);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
