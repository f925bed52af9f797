/* nb-sim-transport.c: socket pair + nb-sim runner thread. */
#include "nb-sim-transport.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nb-fd-transport.h"
#include "nb-sim-runner.h"

static void
release_runner (NbFdTransport *t)
{
  nb_sim_runner_free (t->hook_data);
}

static const NbFdTransportHooks sim_hooks = { .release = release_runner };

NbTransport *
nb_sim_transport_open (const NbDeviceUri *uri, GError **error)
{
  NbSimParams params;
  nb_sim_params_init_defaults (&params);
  if (!nb_sim_params_parse (&params, uri->sim_spec, error))
    {
      g_prefix_error (error, "device URI “%s”: ", uri->text);
      /* Report a bad key as a bad URI: it is the user's input that is wrong. */
      if (error && *error)
        {
          (*error)->domain = NB_DEVICE_ERROR;
          (*error)->code = NB_DEVICE_ERROR_INVALID_URI;
        }
      nb_sim_params_clear (&params);
      return NULL;
    }

  int sv[2];
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    {
      g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_IO, "simulated pen: socketpair: %s",
                   g_strerror (errno));
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
  return t ? &t->parent : NULL;
}

void
nb_sim_transport_register (void)
{
  nb_transport_register (NB_URI_SIM, "sim", nb_sim_transport_open, NULL);
}
