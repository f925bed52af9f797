/* nb-fd-transport.c: poll-based transport over a file descriptor. */
#include "nb-fd-transport.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <poll.h>
#include <unistd.h>

#define WRITE_STALL_MS 2000

static gboolean
disconnected (NbFdTransport *t, GError **error, const char *why)
{
  g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_DISCONNECTED, "%s: %s",
               t->parent.description, why);
  return FALSE;
}

static gssize
fd_read (NbTransport *base, guint8 *buf, gsize len, int timeout_ms, GError **error)
{
  NbFdTransport *t = (NbFdTransport *) base;
  struct pollfd pfd[2] = {
    { .fd = t->fd, .events = POLLIN },
    { .fd = t->cancel_pipe[0], .events = POLLIN },
  };

  for (;;)
    {
      int r = poll (pfd, 2, timeout_ms);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_IO, "%s: poll: %s",
                       base->description, g_strerror (errno));
          return -1;
        }
      if (pfd[1].revents)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
          return -1;
        }
      if (r == 0)
        return 0;
      break;
    }
  if (pfd[0].revents & POLLNVAL)
    return disconnected (t, error, "port closed"), -1;

  gssize n = t->hooks && t->hooks->read ? t->hooks->read (t, buf, len) : read (t->fd, buf, len);
  if (n > 0)
    return n;
  if (n == 0)
    return disconnected (t, error, "the pen closed the link"), -1;
  if (errno == EAGAIN || errno == EINTR)
    return 0;
  /* EIO is what a tty gives once the other side hung up or the USB adapter was pulled. */
  return disconnected (t, error, g_strerror (errno)), -1;
}

static gboolean
fd_write (NbTransport *base, const guint8 *buf, gsize len, GError **error)
{
  NbFdTransport *t = (NbFdTransport *) base;
  gsize done = 0;

  while (done < len)
    {
      gssize n = t->hooks && t->hooks->write ? t->hooks->write (t, buf + done, len - done)
                                             : write (t->fd, buf + done, len - done);
      if (n > 0)
        {
          done += (gsize) n;
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        {
          struct pollfd pfd = { .fd = t->fd, .events = POLLOUT };
          int r = poll (&pfd, 1, WRITE_STALL_MS);
          if (r == 0)
            {
              g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_TIMEOUT,
                           "%s: the link accepted no data for %d ms", base->description,
                           WRITE_STALL_MS);
              return FALSE;
            }
          if (r > 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)))
            return disconnected (t, error, "link hung up");
          continue;
        }
      return disconnected (t, error, n == 0 ? "write returned 0" : g_strerror (errno));
    }
  return TRUE;
}

static void
fd_cancel (NbTransport *base)
{
  NbFdTransport *t = (NbFdTransport *) base;
  char c = 'c';
  /* The pipe holds the byte until close, so every later read sees the cancel too. */
  if (write (t->cancel_pipe[1], &c, 1) < 0 && errno != EAGAIN)
    g_message ("%s: cannot signal cancel: %s", base->description, g_strerror (errno));
}

static void
fd_close (NbTransport *base)
{
  NbFdTransport *t = (NbFdTransport *) base;
  if (t->hooks && t->hooks->release)
    t->hooks->release (t);
  if (t->fd >= 0)
    close (t->fd);
  close (t->cancel_pipe[0]);
  close (t->cancel_pipe[1]);
  g_free (base->description);
  g_free (t);
}

static const NbTransportOps fd_ops = {
  .name = "fd",
  .read = fd_read,
  .write = fd_write,
  .cancel = fd_cancel,
  .close = fd_close,
};

NbFdTransport *
nb_fd_transport_new (int fd, const NbFdTransportHooks *hooks, gpointer hook_data,
                     const char *description, GError **error)
{
  NbFdTransport *t = g_new0 (NbFdTransport, 1);
  t->parent.ops = &fd_ops;
  t->parent.description = g_strdup (description);
  t->fd = fd;
  t->hooks = hooks;
  t->hook_data = hook_data;
  if (!g_unix_open_pipe (t->cancel_pipe, FD_CLOEXEC, error))
    {
      t->cancel_pipe[0] = t->cancel_pipe[1] = -1;
      t->hooks = NULL;
      fd_close (&t->parent);
      return NULL;
    }
  g_unix_set_fd_nonblocking (t->cancel_pipe[1], TRUE, NULL);
  if (!g_unix_set_fd_nonblocking (fd, TRUE, error))
    {
      fd_close (&t->parent);
      return NULL;
    }
  return t;
}
