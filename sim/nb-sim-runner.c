/* nb-sim-runner.c: the simulated pen's clock and byte pump. */
#include "nb-sim-runner.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "nb-sim-clock.h"
#include "nb-sim-fixture.h"
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
  char *serial;

  /* The fixture mounted on the pen: handed over under @lock (attach), then the thread's alone. */
  NbSimFixture *pending_fixture;
  int pending_fd, pending_hold_fd;
  NbSimFixture *fixture;
  int fix_fd, fix_hold_fd;
  gboolean fixture_mounted; /* pending or active; under @lock */
};

static void
close_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

/* In the runner's thread: the fixture's host went away; the pen carries on. */
static void
unmount_fixture (NbSimRunner *r)
{
  g_clear_pointer (&r->fixture, nb_sim_fixture_free);
  close_fd (&r->fix_fd);
  close_fd (&r->fix_hold_fd);
  g_mutex_lock (&r->lock);
  r->fixture_mounted = r->pending_fixture != NULL;
  g_mutex_unlock (&r->lock);
}

static void
take_pending_fixture (NbSimRunner *r)
{
  g_mutex_lock (&r->lock);
  if (r->pending_fixture != NULL)
    {
      r->fixture = g_steal_pointer (&r->pending_fixture);
      r->fix_fd = r->pending_fd;
      r->fix_hold_fd = r->pending_hold_fd;
      r->pending_fd = r->pending_hold_fd = -1;
    }
  g_mutex_unlock (&r->lock);
}

/* The pen's tap: the fixture sees the needle's true position, sample for sample. */
static void
on_truth (const double *true_mm, guint n, gpointer data)
{
  NbSimRunner *r = data;
  if (r->fixture)
    nb_sim_fixture_observe (r->fixture, true_mm, n);
}

/* The fixture's side of one turn of the loop: its host's bytes in, its output out. FALSE when
 * its host is gone. */
static gboolean
serve_fixture (NbSimRunner *r, short revents, guint8 *buf, gsize size)
{
  if (revents & POLLIN)
    {
      ssize_t n = read (r->fix_fd, buf, size);
      if (n > 0)
        nb_sim_fixture_receive (r->fixture, buf, (gsize) n);
      else if (n == 0 || (errno != EAGAIN && errno != EINTR))
        return FALSE;
    }
  else if (revents & (POLLHUP | POLLERR | POLLNVAL))
    return FALSE;
  return TRUE;
}

static gboolean
flush_fixture (NbSimRunner *r)
{
  gsize pending = 0;
  const guint8 *out = nb_sim_fixture_peek_output (r->fixture, &pending);
  if (pending == 0)
    return TRUE;
  ssize_t n = write (r->fix_fd, out, pending);
  if (n > 0)
    nb_sim_fixture_consume_output (r->fixture, (gsize) n);
  else if (n < 0 && errno != EAGAIN && errno != EINTR)
    return FALSE;
  return TRUE;
}

static void
close_link (NbSimRunner *r)
{
  close_fd (&r->fd);
  close_fd (&r->hold_fd);
  /* a fixture holds no needle without its pen: its host sees the link drop too */
  g_clear_pointer (&r->fixture, nb_sim_fixture_free);
  close_fd (&r->fix_fd);
  close_fd (&r->fix_hold_fd);
  g_mutex_lock (&r->lock);
  g_clear_pointer (&r->pending_fixture, nb_sim_fixture_free);
  close_fd (&r->pending_fd);
  close_fd (&r->pending_hold_fd);
  r->fixture_mounted = FALSE;
  g_mutex_unlock (&r->lock);
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
      take_pending_fixture (r);
      gsize pending = 0, fix_pending = 0;
      nb_sim_pen_peek_output (r->pen, &pending);
      if (r->fixture)
        nb_sim_fixture_peek_output (r->fixture, &fix_pending);
      gint64 wait_us = nb_sim_clock_wait_us (&clock, g_get_monotonic_time ());
      if (fast && (pending > FAST_BACKLOG_BYTES || fix_pending > FAST_BACKLOG_BYTES))
        wait_us = 50000;              /* wake on POLLOUT */
      wait_us = MIN (wait_us, 50000); /* and at least every 50 ms for the watchdog */
      struct timespec ts = { .tv_sec = (time_t) (wait_us / 1000000),
                             .tv_nsec = (long) (wait_us % 1000000) * 1000 };
      struct pollfd pfd[3] = {
        { .fd = r->fd, .events = POLLIN | (pending ? POLLOUT : 0) },
        { .fd = r->stop_pipe[0], .events = POLLIN },
        { .fd = r->fixture ? r->fix_fd : -1, .events = POLLIN | (fix_pending ? POLLOUT : 0) },
      };
      if (ppoll (pfd, 3, &ts, NULL) < 0 && errno != EINTR)
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
      if (r->fixture && !serve_fixture (r, pfd[2].revents, buf, sizeof buf))
        unmount_fixture (r);

      if (fast && r->fixture)
        nb_sim_fixture_peek_output (r->fixture, &fix_pending);
      if (fast && r->fixture && fix_pending > FAST_BACKLOG_BYTES)
        nb_sim_clock_hold (&clock, g_get_monotonic_time ()); /* the fixture's reader is behind */
      else
        nb_sim_clock_tick (&clock, r->pen, g_get_monotonic_time (), MAX_CATCH_UP_BATCHES,
                           fast ? FAST_BACKLOG_BYTES : 0);
      if (r->fixture && !flush_fixture (r))
        unmount_fixture (r);

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
  r->fix_fd = r->fix_hold_fd = r->pending_fd = r->pending_hold_fd = -1;
  r->serial = g_strdup (params->serial);
  r->time_scale = params->time_scale > 0 ? params->time_scale : 1.0;
  g_mutex_init (&r->lock);
  g_cond_init (&r->cond);
  if (!g_unix_open_pipe (r->stop_pipe, FD_CLOEXEC, error))
    {
      close_link (r);
      g_free (r->serial);
      g_mutex_clear (&r->lock);
      g_cond_clear (&r->cond);
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
  nb_sim_pen_set_tap (r->pen, on_truth, r);
  r->thread = g_thread_new ("nb-sim-pen", run, r);
  return r;
}

gboolean
nb_sim_runner_attach_fixture (NbSimRunner *r, const NbSimFixtureParams *params, int fd, int hold_fd,
                              GError **error)
{
  guint rate = nb_sim_pen_get_identity (r->pen)->sample_rate_hz;
  NbSimFixture *fix = nb_sim_fixture_new (params, rate, error);
  if (fix == NULL)
    {
      close_fd (&fd);
      close_fd (&hold_fd);
      return FALSE;
    }
  nb_sim_fixture_set_output_limit (fix, r->time_scale > 1.0 ? G_MAXSIZE : REALTIME_FIFO_BYTES);
  int flags = fcntl (fd, F_GETFL);
  fcntl (fd, F_SETFL, flags | O_NONBLOCK);

  g_mutex_lock (&r->lock);
  gboolean ok = !r->finished && !r->fixture_mounted;
  if (ok)
    {
      r->pending_fixture = fix;
      r->pending_fd = fd;
      r->pending_hold_fd = hold_fd;
      r->fixture_mounted = TRUE;
    }
  else
    g_set_error (error, NB_SIM_ERROR, r->finished ? NB_SIM_ERROR_NOT_FOUND : NB_SIM_ERROR_BUSY,
                 r->finished ? "simulated pen %s has stopped"
                             : "simulated pen %s already has a fixture mounted",
                 r->serial);
  g_mutex_unlock (&r->lock);
  if (!ok)
    {
      nb_sim_fixture_free (fix);
      close_fd (&fd);
      close_fd (&hold_fd);
    }
  return ok;
}

const char *
nb_sim_runner_get_serial (NbSimRunner *r)
{
  return r->serial;
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
  close_link (r); /* a fixture attached after the thread ended */
  g_free (r->serial);
  g_mutex_clear (&r->lock);
  g_cond_clear (&r->cond);
  g_free (r);
}
