/* nb-sim-status.h: the simulated pen's status file (sim key `status-file=PATH`): one line
 * `motor=0|1 stream=0|1 depth_um=N rate_mhz=N` that tests outside the process read to see what the
 * firmware is doing (a signal test checks the motor really stopped, without speaking the protocol
 * on a link that another program holds). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gboolean motor;
  gboolean stream;
  guint32 depth_um;
  guint32 rate_mhz;
} NbSimStatusLine;

/* nb_sim_status_format: (transfer full) the line, newline-terminated. */
char *nb_sim_status_format (const NbSimStatusLine *s);

/* nb_sim_status_write: replaces @path with the line atomically (written to a temporary file in the
 * same directory, then renamed over), so a reader sees the old line or the new one, never a part.
 * Refuses a @path that exists and is not a regular file (a link is not followed or replaced). */
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_sim_status_write (const char *path, const NbSimStatusLine *s, GError **error);

G_END_DECLS
