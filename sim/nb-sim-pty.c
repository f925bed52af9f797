/* nb-sim-pty.c: pty pair for needlebench-sim. */
#include "nb-sim-pty.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "nb-sim-params.h"

static gboolean
fail (GError **error, const char *what, int err)
{
  g_set_error (error, NB_SIM_ERROR, NB_SIM_ERROR_PTY, "pseudo-terminal: %s: %s", what,
               g_strerror (err));
  return FALSE;
}

static int
open_master (const char *ptmx, char **path, GError **error)
{
  int fd = open (ptmx, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    return fail (error, ptmx, errno), -1;
  if (grantpt (fd) < 0 || unlockpt (fd) < 0)
    {
      int err = errno;
      close (fd);
      return fail (error, "unlocking the pair", err), -1;
    }
  char name[128];
  if (ptsname_r (fd, name, sizeof name) != 0)
    {
      int err = errno;
      close (fd);
      return fail (error, "ptsname", err), -1;
    }
  *path = g_strdup (name);
  return fd;
}

gboolean
nb_sim_pty_open (int *master_fd, int *slave_fd, char **path, GError **error)
{
  g_autofree char *name = NULL;
  int m = open_master ("/dev/ptmx", &name, error);
  if (m < 0)
    return FALSE;
  if (!g_file_test (name, G_FILE_TEST_EXISTS))
    {
      close (m);
      g_clear_pointer (&name, g_free);
      m = open_master ("/dev/pts/ptmx", &name, error);
      if (m < 0)
        return FALSE;
    }
  int s = open (name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (s < 0)
    {
      int err = errno;
      close (m);
      return fail (error, name, err);
    }
  struct termios tio;
  if (tcgetattr (s, &tio) == 0)
    {
      cfmakeraw (&tio);
      tcsetattr (s, TCSANOW, &tio);
    }
  *master_fd = m;
  *slave_fd = s;
  *path = g_steal_pointer (&name);
  return TRUE;
}
