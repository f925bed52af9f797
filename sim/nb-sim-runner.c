/* nb-sim-runner.c: the simulated pen's clock and byte pump. */
#include "nb-sim-runner.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "nb-sim-clock.h"
#include "nb-sim-pen.h"

/* At real time a pen's FIFO holds a few batches; past it, batches are dropped as on hardware. */
#define REALTIME_FIFO_BYTES (32 * 1024)
/* Faster than real time, the sim waits for the reader instead (tests want every sample). */
#define FAST_BACKLOG_BYTES (64 * 1024)
#define MAX_CATCH_UP_BATCHES 40

struct _NbSimRunner
{
  NbSimPen *pen;
  double time_scale;
  int fd;
  int hold_fd;
  int stop_pipe[2];
  GThread *thread;
  GMutex lock;
  GCond cond;
  gboolean finished;
};

static void
close_link (NbSimRunner *r)
{
  if (r->fd >= 0)
    close (r->fd);
  if (r->hold_fd >= 0)
    close (r->hold_fd);
  r->fd = r->hold_fd = -1;
}

static gpointer
run (gpointer data)
{
  NbSimRunner *r = data;
  gint64 t0_us = g_get_monotonic_time ();
  NbSimClock clock;
  nb_sim_clock_init (&clock, nb_sim_pen_get_identity (r->pen)->sample_rate_hz, r->time_scale,
                     nb_sim_pen_get_batch_size (r->pen), 1.0, t0_us);
  gboolean fast = r->time_scale > 1.0;
  guint8 buf[4096];

  for (;;)
    {
      gsize pending = 0;
      nb_sim_pen_peek_output (r->pen, &pending);
      gint64 wait_us = nb_sim_clock_wait_us (&clock, g_get_monotonic_time ());
      if (fast && pending > FAST_BACKLOG_BYTES)
        wait_us = 50000;              /* wake on POLLOUT */
      wait_us = MIN (wait_us, 50000); /* and at least every 50 ms for the watchdog */
      struct timespec ts = { .tv_sec = (time_t) (wait_us / 1000000),
                             .tv_nsec = (long) (wait_us % 1000000) * 1000 };
      struct pollfd pfd[2] = {
        { .fd = r->fd, .events = POLLIN | (pending ? POLLOUT : 0) },
        { .fd = r->stop_pipe[0], .events = POLLIN },
      };
      if (ppoll (pfd, 2, &ts, NULL) < 0 && errno != EINTR)
        break;
      if (pfd[1].revents)
        break;
      /* Before the host's bytes, so a request is stamped with the time it arrived. */
      nb_sim_pen_set_host_time (r->pen, (g_get_monotonic_time () - t0_us) / 1e6);
      if (pfd[0].revents & POLLIN)
        {
          ssize_t n = read (r->fd, buf, sizeof buf);
          if (n > 0)
            nb_sim_pen_receive (r->pen, buf, (gsize) n);
          else if (n == 0 || (errno != EAGAIN && errno != EINTR))
            break; /* the host end went away */
        }
      else if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
        break;

      nb_sim_clock_tick (&clock, r->pen, g_get_monotonic_time (), MAX_CATCH_UP_BATCHES,
                         fast ? FAST_BACKLOG_BYTES : 0);

      const guint8 *out = nb_sim_pen_peek_output (r->pen, &pending);
      if (pending > 0)
        {
          ssize_t n = write (r->fd, out, pending);
          if (n > 0)
            nb_sim_pen_consume_output (r->pen, (gsize) n);
          else if (n < 0 && errno != EAGAIN && errno != EINTR)
            break;
        }
      if (nb_sim_pen_is_disconnected (r->pen))
        break;
    }

  close_link (r);
  g_mutex_lock (&r->lock);
  r->finished = TRUE;
  g_cond_broadcast (&r->cond);
  g_mutex_unlock (&r->lock);
  return NULL;
}

NbSimRunner *
nb_sim_runner_start (const NbSimParams *params, int fd, int hold_fd, GError **error)
{
  NbSimRunner *r = g_new0 (NbSimRunner, 1);
  r->fd = fd;
  r->hold_fd = hold_fd;
  r->time_scale = params->time_scale > 0 ? params->time_scale : 1.0;
  g_mutex_init (&r->lock);
  g_cond_init (&r->cond);
  if (!g_unix_open_pipe (r->stop_pipe, FD_CLOEXEC, error))
    {
      close_link (r);
      g_free (r);
      return NULL;
    }
  int flags = fcntl (fd, F_GETFL);
  fcntl (fd, F_SETFL, flags | O_NONBLOCK);
  r->pen = nb_sim_pen_new (params);
  /* Faster than real time the clock stops at FAST_BACKLOG_BYTES of unsent output (run ()), so the
   * pen must never drop below that: a FIFO smaller than the backlog (it was 32 KiB under a 64 KiB
   * backlog) lost every batch made while a slow reader kept the output between the two. */
  nb_sim_pen_set_output_limit (r->pen, r->time_scale > 1.0 ? G_MAXSIZE : REALTIME_FIFO_BYTES);
  r->thread = g_thread_new ("nb-sim-pen", run, r);
  return r;
}

void
nb_sim_runner_wait_disconnected (NbSimRunner *r)
{
  g_mutex_lock (&r->lock);
  while (!r->finished)
    g_cond_wait (&r->cond, &r->lock);
  g_mutex_unlock (&r->lock);
}

void
nb_sim_runner_stop (NbSimRunner *r)
{
  if (r->thread == NULL)
    return;
  char c = 'q';
  if (write (r->stop_pipe[1], &c, 1) < 0)
    g_message ("simulated pen: cannot signal stop: %s", g_strerror (errno));
  g_thread_join (r->thread);
  r->thread = NULL;
}

void
nb_sim_runner_free (NbSimRunner *r)
{
  if (r == NULL)
    return;
  nb_sim_runner_stop (r);
  close (r->stop_pipe[0]);
  close (r->stop_pipe[1]);
  nb_sim_pen_free (r->pen);
  g_mutex_clear (&r->lock);
  g_cond_clear (&r->cond);
  g_free (r);
}
