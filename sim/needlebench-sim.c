/* needlebench-sim: a simulated pen on a pseudo-terminal. Prints the pty's path as the first line
 * of stdout, then serves the pen protocol until SIGINT/SIGTERM or its disconnect fault. */
#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "nb-sim-params.h"
#include "nb-sim-pty.h"
#include "nb-sim-runner.h"

static NbSimParams params;

static gboolean
on_option (const char *name, const char *value, gpointer data, GError **error)
{
  return nb_sim_params_set (&params, name + 2, value, error);
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

  const char *const *keys = nb_sim_params_keys ();
  guint n = g_strv_length ((char **) keys);
  g_autofree GOptionEntry *entries = g_new0 (GOptionEntry, n + 1);
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
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- simulated NeedleBench pen on a pty");
  g_option_context_set_summary (ctx, "Opens a pseudo-terminal, prints its path as the first line, "
                                     "and serves the pen protocol on it until stopped.");
  g_option_context_add_main_entries (ctx, entries, NULL);
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
  printf ("%s\n", path);
  fflush (stdout);

  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (NbSimRunner) runner = nb_sim_runner_start (&params, master, slave, &error);
  if (runner == NULL)
    {
      g_printerr ("needlebench-sim: %s\n", error->message);
      return 3;
    }
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  gpointer pair[2] = { runner, loop };
  GThread *waiter = g_thread_new ("nb-sim-wait", wait_disconnect, pair);
  g_main_loop_run (loop);
  nb_sim_runner_stop (runner);
  g_thread_join (waiter);
  nb_sim_params_clear (&params);
  return 0;
}
