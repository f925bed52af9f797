/* nb-cli-password.c: see nb-cli-password.h. */
#include <glib/gi18n.h>
#include "nb-cli-password.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

void
nb_cli_password_free (char *password)
{
  if (password == NULL)
    return;
  explicit_bzero (password, strlen (password));
  g_free (password);
}

int
nb_cli_parse_fd (const char *text)
{
  if (text == NULL || *text == '\0' || strspn (text, "0123456789") != strlen (text)
      || strlen (text) > 9)
    return -1;
  return atoi (text);
}

/* Reads one line from @fd into a fresh buffer, byte by byte so that nothing after the newline is
 * consumed (a pipe may carry more for someone else). */
static char *
read_line (int fd, gsize max_bytes, GError **error)
{
  gsize cap = max_bytes + 2, len = 0;
  char *buf = g_malloc0 (cap + 1);
  for (;;)
    {
      char c;
      ssize_t n = read (fd, &c, 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int e = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e),
                       _ ("reading the password from descriptor %d: %s"), fd, g_strerror (e));
          nb_cli_password_free (buf);
          return NULL;
        }
      if (n == 0 || c == '\n')
        break;
      if (len == cap)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _ ("the password is longer than %zu bytes"), max_bytes);
          nb_cli_password_free (buf);
          return NULL;
        }
      buf[len++] = c;
    }
  if (len > 0 && buf[len - 1] == '\r')
    buf[--len] = '\0';
  if (len > max_bytes)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _ ("the password is longer than %zu bytes"), max_bytes);
      nb_cli_password_free (buf);
      return NULL;
    }
  return buf;
}

/* The terminal whose echo is off, for the signal handler to restore it. */
static volatile sig_atomic_t tty_fd = -1;
static struct termios tty_saved;

static void
restore_and_die (int sig)
{
  if (tty_fd >= 0)
    {
      tcsetattr (tty_fd, TCSAFLUSH, &tty_saved);
      (void) !write (tty_fd, "\n", 1);
    }
  signal (sig, SIG_DFL);
  raise (sig);
}

static char *
read_tty (int fd, const char *prompt, gsize max_bytes, GError **error)
{
  static const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
  struct sigaction sa = { .sa_handler = restore_and_die }, old[G_N_ELEMENTS (signals)];
  struct termios quiet;
  if (tcgetattr (fd, &tty_saved) != 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), _ ("the terminal: %s"),
                   g_strerror (e));
      return NULL;
    }
  quiet = tty_saved;
  quiet.c_lflag &= ~(tcflag_t) (ECHO | ECHONL);
  quiet.c_lflag |= ICANON;
  for (gsize i = 0; i < G_N_ELEMENTS (signals); i++)
    sigaction (signals[i], &sa, &old[i]);
  tty_fd = fd;
  (void) !write (fd, prompt, strlen (prompt));
  char *line = NULL;
  if (tcsetattr (fd, TCSAFLUSH, &quiet) != 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), _ ("turning off the echo: %s"),
                   g_strerror (e));
    }
  else
    line = read_line (fd, max_bytes, error);
  tcsetattr (fd, TCSAFLUSH, &tty_saved);
  tty_fd = -1;
  for (gsize i = 0; i < G_N_ELEMENTS (signals); i++)
    sigaction (signals[i], &old[i], NULL);
  (void) !write (fd, "\n", 1);
  return line;
}

char *
nb_cli_read_password (int fd, const char *prompt, gboolean confirm, gsize max_bytes, GError **error)
{
  if (fd >= 0)
    {
      char *pw = read_line (fd, max_bytes, error);
      close (fd);
      return pw;
    }
  int tty = open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (tty < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _ ("no terminal to type the password on: pass it on a descriptor with "
                      "--password-fd N"));
      return NULL;
    }
  char *pw = read_tty (tty, prompt, max_bytes, error);
  if (pw != NULL && confirm)
    {
      char *again = read_tty (tty, _ ("Again: "), max_bytes, error);
      if (again == NULL || strcmp (again, pw) != 0)
        {
          if (again != NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         _ ("the two passwords differ"));
          nb_cli_password_free (pw);
          pw = NULL;
        }
      nb_cli_password_free (again);
    }
  close (tty);
  return pw;
}
