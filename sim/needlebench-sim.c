/* needlebench-sim: a simulated pen on a pseudo-terminal. Prints the pty's path as the first line
 * of stdout, then serves the pen protocol until SIGINT/SIGTERM or its disconnect fault. With
 * --fixture, a reference fixture mounted on that pen (protocol.md §11) gets a second pty, whose
 * path is the second line. */
#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nb-sim-fixture-params.h"
#include "nb-sim-params.h"
#include "nb-sim-pty.h"
#include "nb-sim-runner.h"

static NbSimParams params;
static NbSimFixtureParams fixture_params;
static gboolean with_fixture;

#define FIXTURE_PREFIX "--fixture-"

static gboolean
on_option (const char *name, const char *value, gpointer data, GError **error)
{
  if (g_str_has_prefix (name, FIXTURE_PREFIX))
    return nb_sim_fixture_params_set (&fixture_params, name + strlen (FIXTURE_PREFIX), value,
                                      error);
  return nb_sim_params_set (&params, name + 2, value, error);
}

/* --fixture-KEY for every fixture key but `pen` (the fixture is mounted on this program's pen). */
static GOptionGroup *
fixture_group (GPtrArray *names)
{
  const char *const *keys = nb_sim_fixture_params_keys ();
  guint n = g_strv_length ((char **) keys);
  GOptionEntry *entries = g_new0 (GOptionEntry, n + 1);
  guint k = 0;
  for (guint i = 0; i < n; i++)
    {
      if (g_str_equal (keys[i], "pen"))
        continue;
      char *long_name = g_strconcat ("fixture-", keys[i], NULL);
      g_ptr_array_add (names, long_name);
      entries[k++] = (GOptionEntry){ long_name,
                                     0,
                                     0,
                                     G_OPTION_ARG_CALLBACK,
                                     (gpointer) on_option,
                                     nb_sim_fixture_params_describe (keys[i]),
                                     "VALUE" };
    }
  GOptionGroup *group = g_option_group_new (
      "fixture", "The reference fixture's keys (with --fixture):", "Show the fixture's options",
      NULL, NULL);
  g_option_group_add_entries (group, entries);
  g_ptr_array_add (names, entries); /* the group keeps pointers into it */
  return group;
}

static gboolean
on_signal (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static gpointer
wait_disconnect (gpointer data)
{
  gpointer *pair = data;
  nb_sim_runner_wait_disconnected (pair[0]);
  g_main_loop_quit (pair[1]);
  return NULL;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  nb_sim_params_init_defaults (&params);
  nb_sim_fixture_params_init_defaults (&fixture_params);

  const char *const *keys = nb_sim_params_keys ();
  guint n = g_strv_length ((char **) keys);
  g_autofree GOptionEntry *entries = g_new0 (GOptionEntry, n + 2);
  for (guint i = 0; i < n; i++)
    {
      gboolean flag = nb_sim_params_key_is_flag (keys[i]);
      entries[i] = (GOptionEntry){ keys[i],
                                   0,
                                   flag ? G_OPTION_FLAG_OPTIONAL_ARG : 0,
                                   G_OPTION_ARG_CALLBACK,
                                   (gpointer) on_option,
                                   nb_sim_params_describe (keys[i]),
                                   flag ? NULL : "VALUE" };
    }
  entries[n] = (GOptionEntry){ "fixture",
                               0,
                               0,
                               G_OPTION_ARG_NONE,
                               &with_fixture,
                               "Also serve a reference fixture mounted on the pen on a second pty, "
                               "whose path is the second line (its keys: --help-fixture)",
                               NULL };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- simulated NeedleBench pen on a pty");
  g_option_context_set_summary (ctx, "Opens a pseudo-terminal, prints its path as the first line, "
                                     "and serves the pen protocol on it until stopped.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GPtrArray) fixture_names = g_ptr_array_new_with_free_func (g_free);
  g_option_context_add_group (ctx, fixture_group (fixture_names));
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("needlebench-sim: %s\n", error->message);
      return 2;
    }

  int master = -1, slave = -1;
  g_autofree char *path = NULL;
  if (!nb_sim_pty_open (&master, &slave, &path, &error))
    {
      g_printerr ("needlebench-sim: %s\n", error->message);
      return 3;
    }
  int fix_master = -1, fix_slave = -1;
  g_autofree char *fix_path = NULL;
  if (with_fixture && !nb_sim_pty_open (&fix_master, &fix_slave, &fix_path, &error))
    {
      g_printerr ("needlebench-sim: fixture: %s\n", error->message);
      return 3;
    }

  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (NbSimRunner) runner = nb_sim_runner_start (&params, master, slave, &error);
  if (runner == NULL)
    {
      g_printerr ("needlebench-sim: %s\n", error->message);
      return 3;
    }
  if (with_fixture
      && !nb_sim_runner_attach_fixture (runner, &fixture_params, fix_master, fix_slave, &error))
    {
      g_printerr ("needlebench-sim: fixture: %s\n", error->message);
      return 2;
    }
  /* Both paths only once both links are served: a reader may open them as soon as it sees them. */
  printf ("%s\n", path);
  if (with_fixture)
    printf ("%s\n", fix_path);
  fflush (stdout);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  gpointer pair[2] = { runner, loop };
  GThread *waiter = g_thread_new ("nb-sim-wait", wait_disconnect, pair);
  g_main_loop_run (loop);
  nb_sim_runner_stop (runner);
  g_thread_join (waiter);
  nb_sim_params_clear (&params);
  nb_sim_fixture_params_clear (&fixture_params);
  return 0;
}
