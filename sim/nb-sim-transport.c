/* nb-sim-transport.c: socket pair + nb-sim runner thread, and the registry of the pens open in this
 * process that `sim-fixture:` mounts a fixture on. */
#include "nb-sim-transport.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nb-fd-transport.h"
#include "nb-sim-runner.h"

/* The in-process pens now open. A pen is removed (under the lock) before its runner is freed, and a
 * fixture is attached under the lock, so a runner found here stays alive while it is used. */
static GMutex running_lock;
static GPtrArray *running; /* NbSimRunner *, not owned */

static void
release_runner (NbFdTransport *t)
{
  NbSimRunner *runner = t->hook_data;
  g_mutex_lock (&running_lock);
  if (running)
    g_ptr_array_remove (running, runner);
  g_mutex_unlock (&running_lock);
  nb_sim_runner_free (runner);
}

static const NbFdTransportHooks sim_hooks = { .release = release_runner };

/* A bad key is the user's input that is wrong: report it as a bad URI. */
static void
as_invalid_uri (const NbDeviceUri *uri, GError **error)
{
  g_prefix_error (error, "device URI “%s”: ", uri->text);
  if (error && *error)
    {
      (*error)->domain = NB_DEVICE_ERROR;
      (*error)->code = NB_DEVICE_ERROR_INVALID_URI;
    }
}

static gboolean
open_pair (int sv[2], const char *what, GError **error)
{
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0)
    return TRUE;
  g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_IO, "%s: socketpair: %s", what,
               g_strerror (errno));
  return FALSE;
}

NbTransport *
nb_sim_transport_open (const NbDeviceUri *uri, GError **error)
{
  NbSimParams params;
  nb_sim_params_init_defaults (&params);
  if (!nb_sim_params_parse (&params, uri->sim_spec, error))
    {
      as_invalid_uri (uri, error);
      nb_sim_params_clear (&params);
      return NULL;
    }

  int sv[2];
  if (!open_pair (sv, "simulated pen", error))
    {
      nb_sim_params_clear (&params);
      return NULL;
    }
  NbSimRunner *runner = nb_sim_runner_start (&params, sv[1], -1, error);
  nb_sim_params_clear (&params);
  if (runner == NULL)
    {
      close (sv[0]);
      return NULL;
    }
  NbFdTransport *t = nb_fd_transport_new (sv[0], &sim_hooks, runner, "simulated pen", error);
  if (t == NULL)
    return NULL; /* the fd transport released the runner */
  g_mutex_lock (&running_lock);
  if (running == NULL)
    running = g_ptr_array_new ();
  g_ptr_array_add (running, runner);
  g_mutex_unlock (&running_lock);
  return &t->parent;
}

/* Called with running_lock held: the pen @serial names, or the only one. */
static NbSimRunner *
find_pen (const char *serial, GError **error)
{
  guint n = running ? running->len : 0;
  NbSimRunner *found = NULL;
  guint matches = 0;
  g_autoptr (GString) serials = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      NbSimRunner *r = g_ptr_array_index (running, i);
      g_string_append_printf (serials, "%s%s", serials->len ? ", " : "",
                              nb_sim_runner_get_serial (r));
      if (serial == NULL || g_str_equal (serial, nb_sim_runner_get_serial (r)))
        {
          found = r;
          matches++;
        }
    }
  if (matches == 1)
    return found;
  if (n == 0)
    g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_NOT_FOUND,
                 "no simulated pen is open in this process to mount the fixture on: open "
                 "“sim:serial=SERIAL” first");
  else if (matches == 0)
    g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_NOT_FOUND,
                 "no simulated pen with serial “%s” is open in this process (open: %s)", serial,
                 serials->str);
  else
    g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_NOT_FOUND,
                 "%u simulated pens%s%s are open in this process (%s): name one with "
                 "sim-fixture:pen=SERIAL%s",
                 matches, serial ? " with serial " : "", serial ? serial : "", serials->str,
                 serial ? " after giving them different serials" : "");
  return NULL;
}

NbTransport *
nb_sim_fixture_transport_open (const NbDeviceUri *uri, GError **error)
{
  NbSimFixtureParams params;
  nb_sim_fixture_params_init_defaults (&params);
  if (!nb_sim_fixture_params_parse (&params, uri->sim_spec, error))
    {
      as_invalid_uri (uri, error);
      nb_sim_fixture_params_clear (&params);
      return NULL;
    }
  int sv[2];
  if (!open_pair (sv, "simulated fixture", error))
    {
      nb_sim_fixture_params_clear (&params);
      return NULL;
    }

  g_autoptr (GError) local = NULL;
  g_mutex_lock (&running_lock);
  NbSimRunner *runner = find_pen (params.pen, &local);
  gboolean ok = runner != NULL;
  if (ok)
    ok = nb_sim_runner_attach_fixture (runner, &params, sv[1], -1, &local);
  else
    close (sv[1]);
  g_mutex_unlock (&running_lock);
  nb_sim_fixture_params_clear (&params);
  if (!ok)
    {
      close (sv[0]);
      if (local->domain == NB_SIM_ERROR)
        {
          local->domain = NB_DEVICE_ERROR;
          local->code = local->code == NB_SIM_ERROR_BUSY            ? NB_DEVICE_ERROR_BUSY
                        : local->code == NB_SIM_ERROR_INVALID_PARAM ? NB_DEVICE_ERROR_INVALID_URI
                                                                    : NB_DEVICE_ERROR_NOT_FOUND;
        }
      g_prefix_error (&local, "device URI “%s”: ", uri->text);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  /* Nothing to release: closing this end is EOF at the pen's thread, which unmounts it. */
  NbFdTransport *t = nb_fd_transport_new (sv[0], NULL, NULL, "simulated fixture", error);
  return t ? &t->parent : NULL;
}

void
nb_sim_transport_register (void)
{
  nb_transport_register (NB_URI_SIM, "sim", nb_sim_transport_open, NULL);
  nb_transport_register (NB_URI_SIM_FIXTURE, "sim-fixture", nb_sim_fixture_transport_open, NULL);
}
