/* nb-sim-status.c: the status file of the simulated pen. */
#include "nb-sim-status.h"

#include <errno.h>
#include <sys/stat.h>

#include "nb-sim-params.h"

char *
nb_sim_status_format (const NbSimStatusLine *s)
{
  return g_strdup_printf ("motor=%d stream=%d depth_um=%u rate_mhz=%u\n", s->motor ? 1 : 0,
                          s->stream ? 1 : 0, s->depth_um, s->rate_mhz);
}

gboolean
nb_sim_status_write (const char *path, const NbSimStatusLine *s, GError **error)
{
  struct stat st;
  if (lstat (path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      g_set_error (error, NB_SIM_ERROR, NB_SIM_ERROR_STATUS_FILE,
                   "status file %s exists and is not a regular file", path);
      return FALSE;
    }
  g_autofree char *line = nb_sim_status_format (s);
  /* CONSISTENT: a temporary file in the same directory renamed over the target. Not DURABLE: the
   * file only has to be right while the pen runs, and an fsync per state change would stall the
   * pen's clock on a slow disk. */
  return g_file_set_contents_full (path, line, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}
