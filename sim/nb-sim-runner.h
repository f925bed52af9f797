/* nb-sim-runner.h: runs a simulated pen against a file descriptor (a pty master or one end of a
 * socket pair) in real time × time-scale, in its own thread. The in-process `sim` transport and the
 * needlebench-sim program both use it, so both serve the same bytes. */
#pragma once

#include <glib.h>

#include "nb-sim-params.h"

G_BEGIN_DECLS

typedef struct _NbSimRunner NbSimRunner;

/* nb_sim_runner_start: (transfer full) starts a pen with @params serving @fd in a new thread.
 * Takes ownership of @fd (and of @hold_fd, another fd to close on disconnect, or -1). */
NbSimRunner *nb_sim_runner_start (const NbSimParams *params, int fd, int hold_fd, GError **error);

/* nb_sim_runner_wait_disconnected: blocks until the pen dropped the link (disconnect fault) or
 * nb_sim_runner_free was called from another thread. */
void nb_sim_runner_wait_disconnected (NbSimRunner *runner);

/* nb_sim_runner_stop: stops the pen's thread and closes the fds; idempotent. */
void nb_sim_runner_stop (NbSimRunner *runner);

/* nb_sim_runner_free: stops (if running) and frees. */
void nb_sim_runner_free (NbSimRunner *runner);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbSimRunner, nb_sim_runner_free)

G_END_DECLS
