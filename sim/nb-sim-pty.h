/* nb-sim-pty.h: opens a pseudo-terminal pair in raw mode for the simulated pen to serve. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* nb_sim_pty_open: a raw pty pair; @master_fd for the pen, @slave_fd kept open by the pen so the
 * master does not see a hang-up while no host has the port open; @path (transfer full) is the
 * name a host opens. Where /dev/ptmx is not the instance mounted at /dev/pts (some containers),
 * the node ptsname() names does not exist: then /dev/pts/ptmx is used instead. */
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_sim_pty_open (int *master_fd, int *slave_fd, char **path, GError **error);

G_END_DECLS
