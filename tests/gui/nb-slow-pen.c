/* nb-slow-pen.c: relay thread between a pty (the host's side) and the in-process simulated pen. */
#include "nb-slow-pen.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nb-frame.h"
#include "nb-messages.h"
#include "nb-sim-pty.h"
#include "nb-sim-runner.h"

typedef struct
{
  gint64 due_us;
  GBytes *bytes;
} Chunk;

struct _NbSlowPen
{
  NbSimRunner *runner;
  int pen_fd;              /* our end of the pen's socket pair */
  int host_fd, host_slave; /* pty master; the slave is held so the master never hangs up */
  char *uri;
  gint64 latency_us;
  int stop_pipe[2];
  GThread *thread;

  GQueue to_pen;        /* Chunk: the host's bytes waiting out the latency */
  GByteArray *pen_out;  /* bytes delivered to the pen, not yet written */
  GByteArray *host_out; /* the pen's bytes not yet written to the host */
  NbFrameDecoder to_pen_frames, to_host_frames;

  GMutex lock; /* guards what the test reads */
  gboolean deaf;
  guint16 stop_seq, start_seq;
  gboolean stop_seen, start_seen;
  gint64 stop_delivered_us, stop_acked_us;
  gboolean motor_started;
};

static void
chunk_free (Chunk *c)
{
  g_bytes_unref (c->bytes);
  g_free (c);
}

/* A frame the pen has just been handed. */
static void
on_frame_to_pen (const NbFrame *f, gpointer data)
{
  NbSlowPen *p = data;
  g_mutex_lock (&p->lock);
  if (f->type == NB_MSG_MOTOR_STOP)
    {
      p->stop_seq = f->seq;
      p->stop_seen = TRUE;
      if (p->stop_delivered_us == 0)
        p->stop_delivered_us = g_get_monotonic_time ();
    }
  else if (f->type == NB_MSG_MOTOR_START)
    {
      p->start_seq = f->seq;
      p->start_seen = TRUE;
    }
  g_mutex_unlock (&p->lock);
}

/* A frame the host has just been handed. */
static void
on_frame_to_host (const NbFrame *f, gpointer data)
{
  NbSlowPen *p = data;
  if (f->type != NB_MSG_ACK)
    return;
  g_mutex_lock (&p->lock);
  if (p->stop_seen && f->seq == p->stop_seq)
    {
      p->motor_started = FALSE;
      if (p->stop_acked_us == 0)
        p->stop_acked_us = g_get_monotonic_time ();
    }
  else if (p->start_seen && f->seq == p->start_seq)
    {
      p->motor_started = TRUE;
      p->stop_delivered_us = p->stop_acked_us = 0;
      p->stop_seen = FALSE;
    }
  g_mutex_unlock (&p->lock);
}

/* Writes what it can of @buf to @fd; FALSE when the fd is gone. @frames sees what was written. */
static gboolean
flush (int fd, GByteArray *buf, NbFrameDecoder *frames)
{
  while (buf->len > 0)
    {
      ssize_t n = write (fd, buf->data, buf->len);
      if (n < 0)
        return errno == EAGAIN || errno == EINTR || errno == EIO;
      nb_frame_decoder_push (frames, buf->data, (gsize) n);
      g_byte_array_remove_range (buf, 0, (guint) n);
    }
  return TRUE;
}

static gpointer
relay (gpointer data)
{
  NbSlowPen *p = data;
  guint8 buf[8192];
  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      /* Move the host's bytes whose time has come to the pen's queue. */
      while (!g_queue_is_empty (&p->to_pen)
             && ((Chunk *) g_queue_peek_head (&p->to_pen))->due_us <= now)
        {
          Chunk *c = g_queue_pop_head (&p->to_pen);
          gsize len;
          const guint8 *bytes = g_bytes_get_data (c->bytes, &len);
          g_byte_array_append (p->pen_out, bytes, (guint) len);
          chunk_free (c);
        }
      int timeout_ms = 100;
      if (!g_queue_is_empty (&p->to_pen))
        timeout_ms = (int) CLAMP (
            (((Chunk *) g_queue_peek_head (&p->to_pen))->due_us - now + 999) / 1000, 0, 100);
      struct pollfd pfd[3] = {
        { .fd = p->pen_fd, .events = POLLIN | (p->pen_out->len ? POLLOUT : 0) },
        { .fd = p->host_fd, .events = POLLIN | (p->host_out->len ? POLLOUT : 0) },
        { .fd = p->stop_pipe[0], .events = POLLIN },
      };
      if (poll (pfd, 3, timeout_ms) < 0 && errno != EINTR)
        break;
      if (pfd[2].revents)
        break;
      if (pfd[0].revents & POLLIN)
        {
          ssize_t n = read (p->pen_fd, buf, sizeof buf);
          if (n == 0)
            break; /* the pen hung up */
          if (n > 0)
            g_byte_array_append (p->host_out, buf, (guint) n);
        }
      if (pfd[1].revents & POLLIN)
        {
          ssize_t n = read (p->host_fd, buf, sizeof buf);
          g_mutex_lock (&p->lock);
          gboolean deaf = p->deaf;
          g_mutex_unlock (&p->lock);
          if (n > 0 && !deaf)
            {
              Chunk *c = g_new0 (Chunk, 1);
              c->due_us = g_get_monotonic_time () + p->latency_us;
              c->bytes = g_bytes_new (buf, (gsize) n);
              g_queue_push_tail (&p->to_pen, c);
            }
        }
      else if (pfd[1].revents & (POLLHUP | POLLERR))
        g_usleep (5000); /* the host closed the port for now: do not spin */
      if (!flush (p->pen_fd, p->pen_out, &p->to_pen_frames)
          || !flush (p->host_fd, p->host_out, &p->to_host_frames))
        break;
    }
  return NULL;
}

NbSlowPen *
nb_slow_pen_new (const char *sim_spec, guint latency_ms)
{
  NbSlowPen *p = g_new0 (NbSlowPen, 1);
  g_autoptr (GError) error = NULL;
  g_mutex_init (&p->lock);
  g_queue_init (&p->to_pen);
  p->pen_out = g_byte_array_new ();
  p->host_out = g_byte_array_new ();
  p->latency_us = (gint64) latency_ms * 1000;
  nb_frame_decoder_init (&p->to_pen_frames, on_frame_to_pen, p);
  nb_frame_decoder_init (&p->to_host_frames, on_frame_to_host, p);

  NbSimParams params;
  nb_sim_params_init_defaults (&params);
  if (!nb_sim_params_parse (&params, sim_spec, &error))
    g_error ("slow pen: %s", error->message);
  int sv[2];
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    g_error ("slow pen: socketpair: %s", g_strerror (errno));
  p->runner = nb_sim_runner_start (&params, sv[1], -1, &error);
  nb_sim_params_clear (&params);
  if (p->runner == NULL)
    g_error ("slow pen: %s", error->message);
  p->pen_fd = sv[0];
  char *path = NULL;
  if (!nb_sim_pty_open (&p->host_fd, &p->host_slave, &path, &error))
    g_error ("slow pen: %s", error->message);
  p->uri = g_strdup_printf ("serial:%s", path);
  g_free (path);
  fcntl (p->pen_fd, F_SETFL, fcntl (p->pen_fd, F_GETFL) | O_NONBLOCK);
  fcntl (p->host_fd, F_SETFL, fcntl (p->host_fd, F_GETFL) | O_NONBLOCK);
  if (!g_unix_open_pipe (p->stop_pipe, FD_CLOEXEC, &error))
    g_error ("slow pen: %s", error->message);
  p->thread = g_thread_new ("nb-slow-pen", relay, p);
  return p;
}

void
nb_slow_pen_free (NbSlowPen *p)
{
  if (p == NULL)
    return;
  char c = 'q';
  if (write (p->stop_pipe[1], &c, 1) < 0)
    g_warning ("slow pen: cannot stop the relay: %s", g_strerror (errno));
  g_thread_join (p->thread);
  nb_sim_runner_free (p->runner);
  close (p->stop_pipe[0]);
  close (p->stop_pipe[1]);
  close (p->pen_fd);
  close (p->host_fd);
  close (p->host_slave);
  g_queue_clear_full (&p->to_pen, (GDestroyNotify) chunk_free);
  g_byte_array_unref (p->pen_out);
  g_byte_array_unref (p->host_out);
  g_mutex_clear (&p->lock);
  g_free (p->uri);
  g_free (p);
}

const char *
nb_slow_pen_get_uri (NbSlowPen *p)
{
  return p->uri;
}

void
nb_slow_pen_set_deaf (NbSlowPen *p, gboolean deaf)
{
  g_mutex_lock (&p->lock);
  p->deaf = deaf;
  g_mutex_unlock (&p->lock);
}

gint64
nb_slow_pen_get_stop_delivered_us (NbSlowPen *p)
{
  g_mutex_lock (&p->lock);
  gint64 t = p->stop_delivered_us;
  g_mutex_unlock (&p->lock);
  return t;
}

gint64
nb_slow_pen_get_stop_acked_us (NbSlowPen *p)
{
  g_mutex_lock (&p->lock);
  gint64 t = p->stop_acked_us;
  g_mutex_unlock (&p->lock);
  return t;
}

gboolean
nb_slow_pen_is_motor_started (NbSlowPen *p)
{
  g_mutex_lock (&p->lock);
  gboolean on = p->motor_started;
  g_mutex_unlock (&p->lock);
  return on;
}
