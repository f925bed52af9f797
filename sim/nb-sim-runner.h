/* nb-sim-runner.h: runs a simulated pen against a file descriptor (a pty master or one end of a
 * socket pair) in real time × time-scale, in its own thread. The in-process `sim` transport and the
 * needlebench-sim program both use it, so both serve the same bytes. */
#pragma once

#include <glib.h>

#include "nb-sim-fixture-params.h"
#include "nb-sim-params.h"

G_BEGIN_DECLS

typedef struct _NbSimRunner NbSimRunner;

/* nb_sim_runner_start: (transfer full) starts a pen with @params serving @fd in a new thread.
 * Takes ownership of @fd (and of @hold_fd, another fd to close on disconnect, or -1). */
NbSimRunner *nb_sim_runner_start (const NbSimParams *params, int fd, int hold_fd, GError **error);

/* nb_sim_runner_attach_fixture: mounts a reference fixture (@params, copied) on the runner's pen
 * and serves it on @fd (owned, with @hold_fd as for the pen) from the same thread and clock: its
 * telemetry is the true position of the pen's own physics samples. One fixture at a time: a
 * second gets NB_SIM_ERROR_BUSY until the first's host closes its end (EOF on @fd, which unmounts
 * it). On failure the fds are closed. Thread-safe. */
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_sim_runner_attach_fixture (NbSimRunner *runner, const NbSimFixtureParams *params,
                                       int fd, int hold_fd, GError **error);

/* nb_sim_runner_get_serial: the serial of the runner's pen (static for its lifetime). */
const char *nb_sim_runner_get_serial (NbSimRunner *runner);

/* nb_sim_runner_wait_disconnected: blocks until the pen dropped the link (disconnect fault) or
 * nb_sim_runner_free was called from another thread. */
void nb_sim_runner_wait_disconnected (NbSimRunner *runner);

/* nb_sim_runner_stop: stops the pen's thread and closes the fds; idempotent. */
void nb_sim_runner_stop (NbSimRunner *runner);

/* nb_sim_runner_free: stops (if running) and frees. */
void nb_sim_runner_free (NbSimRunner *runner);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbSimRunner, nb_sim_runner_free)

G_END_DECLS
