/* nb-cli-stop.c: the part of a run that makes the needle stop: SIGINT, SIGTERM and SIGHUP caught
 * for the whole run, and the stop itself (MOTOR_STOP until the pen reports the motor off, then
 * STREAM_STOP) in a worker thread so that a second signal can cut it short. */
#include <glib/gi18n.h>
#include "nb-cli-stop.h"

#include <glib-unix.h>
#include <signal.h>
#include <string.h>

static const int caught_signals[] = { SIGINT, SIGTERM, SIGHUP };

/* The pen acknowledges MOTOR_STOP at once but finishes the stroke under way (the needle ends
 * retracted): wait until it reports the motor off, so that "stopped" means stopped. */
static gboolean
wait_motor_off (NbDevice *dev, GCancellable *cancellable, GError **error)
{
  const NbIdentity *id = nb_device_get_identity (dev);
  /* two of the slowest strokes */
  gint64 deadline
      = g_get_monotonic_time () + (gint64) (2e9 / MAX (id->rate_min_mhz, 1000u)) + 100000;
  for (;;)
    {
      NbStatus st;
      if (!nb_device_get_status (dev, &st, cancellable, error))
        return FALSE;
      if (!(st.flags & NB_STATUS_MOTOR_RUNNING))
        return TRUE;
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_TIMEOUT,
                       _ ("%s: the pen acknowledged MOTOR_STOP but its motor still runs"),
                       nb_device_get_uri (dev));
          return FALSE;
        }
      g_usleep (5000);
    }
}

/* A running needle is a hazard: on a noisy link, ask again (each request already retries). */
static gboolean
stop_pen (NbDevice *dev, GCancellable *cancellable, GError **error)
{
  for (int attempt = 0;; attempt++)
    {
      g_autoptr (GError) local = NULL;
      if (nb_device_motor_stop (dev, cancellable, &local)
          && wait_motor_off (dev, cancellable, &local)
          && nb_device_stream_stop (dev, cancellable, &local))
        return TRUE;
      if (attempt == 2 || !g_error_matches (local, NB_DEVICE_ERROR, NB_DEVICE_ERROR_TIMEOUT))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
}

const char *
nb_cli_run_signal_name (int signum)
{
  switch (signum)
    {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    default: return "signal";
    }
}

typedef struct
{
  NbCliRun *run;
  int signum;
} Catch;

static gboolean
on_signal (gpointer data)
{
  Catch *c = data;
  NbCliRun *run = c->run;
  if (run->signal == 0)
    {
      run->signal = c->signum;
      if (run->running)
        g_main_loop_quit (run->running);
    }
  else if (run->stopping)
    {
      /* The operator insists: give up on acknowledgements (one more MOTOR_STOP still goes out). */
      g_cancellable_cancel (run->stop_cancel);
    }
  return G_SOURCE_CONTINUE;
}

gboolean
nb_cli_run_interrupted (NbCliRun *run)
{
  while (!run->signal && g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  return run->signal != 0;
}

void
nb_cli_run_catch_signals (NbCliRun *run)
{
  if (run->signal_sources[0])
    return;
  for (guint i = 0; i < G_N_ELEMENTS (caught_signals); i++)
    {
      Catch *c = g_new (Catch, 1);
      *c = (Catch){ run, caught_signals[i] };
      run->signal_sources[i]
          = g_unix_signal_add_full (G_PRIORITY_HIGH, caught_signals[i], on_signal, c, g_free);
    }
}

void
nb_cli_run_set_interrupted (NbCliRun *run, GError **error)
{
  g_set_error (error, NB_CLI_RUN_ERROR, NB_CLI_RUN_ERROR_INTERRUPTED, _ ("interrupted by %s"),
               nb_cli_run_signal_name (run->signal));
}

void
nb_cli_run_release_signals (NbCliRun *run)
{
  for (guint i = 0; i < G_N_ELEMENTS (run->signal_sources); i++)
    if (run->signal_sources[i])
      g_source_remove (run->signal_sources[i]);
  memset (run->signal_sources, 0, sizeof run->signal_sources);
}

typedef struct
{
  NbCliRun *run;
  gboolean done;
  gboolean ok;
  GError *error;
} Stop;

static void
stop_thread (GTask *task, gpointer source, gpointer data, GCancellable *unused)
{
  Stop *st = data;
  NbDevice *dev = st->run->device;
  st->ok = stop_pen (dev, st->run->stop_cancel, &st->error);
  if (!st->ok && g_cancellable_is_cancelled (st->run->stop_cancel))
    {
      /* Cut short: one last MOTOR_STOP, sent once; a cancelled request does not wait for its
       * answer nor retry. */
      g_autoptr (GError) ignored = NULL;
      if (!nb_device_motor_stop (dev, st->run->stop_cancel, &ignored))
        g_debug ("last MOTOR_STOP: %s", ignored->message);
      g_clear_error (&st->error);
      g_set_error (&st->error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                   _ ("a second signal cut the wait short (one last MOTOR_STOP was sent)"));
    }
  g_task_return_boolean (task, TRUE);
}

static void
stop_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Stop *st = data;
  st->done = TRUE;
}

gboolean
nb_cli_run_stop_pen (NbCliRun *run, GError **error)
{
  Stop st = { .run = run };
  run->stop_cancel = g_cancellable_new ();
  run->stopping = TRUE;
  g_autoptr (GTask) task = g_task_new (NULL, NULL, stop_done, &st);
  g_task_set_task_data (task, &st, NULL);
  g_task_run_in_thread (task, stop_thread);
  g_clear_object (&task);
  while (!st.done)
    g_main_context_iteration (NULL, TRUE);
  run->stopping = FALSE;
  g_clear_object (&run->stop_cancel);
  if (!st.ok)
    g_propagate_error (error, st.error);
  return st.ok;
}
