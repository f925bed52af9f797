/* nb-run-close.c: closing an NbRun: the pen stopped and the recording closed, within a time
 * limit. */
#include <inttypes.h>
#include <glib/gi18n.h>
#include "nb-run-private.h"

/* --- closing ------------------------------------------------------------------------------- */

typedef struct
{
  NbDevice *device;
  gint64 deadline_us;
} StopData;

static void
stop_data_free (StopData *sd)
{
  g_object_unref (sd->device);
  g_free (sd);
}

static void
stop_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  StopData *sd = task_data;
  GError *error = NULL;
  gboolean stopped;
  /* Safety first: MOTOR_STOP again until the pen confirms it, refuses it, the link is gone or the
   * time is up; each try is the device's own retries. */
  while (!(stopped = nb_device_motor_stop (sd->device, NULL, &error))
         && !g_error_matches (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_NAK)
         && nb_device_is_connected (sd->device) && g_get_monotonic_time () < sd->deadline_us)
    g_clear_error (&error);
  if (stopped)
    {
      g_autoptr (GError) stream_error = NULL;
      /* Best effort: a pen left streaming with its motor off does no harm. */
      if (!nb_device_stream_stop (sd->device, NULL, &stream_error))
        g_debug ("stopping the stream of %s: %s", nb_device_get_uri (sd->device),
                 stream_error->message);
    }
  nb_device_close (sd->device);
  if (stopped)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

typedef struct
{
  guint pending; /* NB_RUN_CLOSE_PART_* not done yet */
  GString *problems;
  char *serial;
  gint64 session_id;
  guint timeout_ms;
  guint timeout_id;
  gboolean returned;
} CloseData;

static void
close_data_free (CloseData *cd)
{
  g_string_free (cd->problems, TRUE);
  g_free (cd->serial);
  g_free (cd);
}

static void
add_problem (CloseData *cd, const char *text)
{
  if (cd->problems->len)
    g_string_append (cd->problems, "; ");
  g_string_append (cd->problems, text);
}

static void
close_return (GTask *closing)
{
  CloseData *cd = g_task_get_task_data (closing);
  if (cd->returned)
    return;
  cd->returned = TRUE;
  g_clear_handle_id (&cd->timeout_id, g_source_remove);
  NbRun *run = g_task_get_source_object (closing);
  if (run->closing == closing)
    g_clear_object (&run->closing); /* the caller holds its own reference */
  if (cd->problems->len)
    g_task_return_new_error (closing, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", cd->problems->str);
  else
    g_task_return_boolean (closing, TRUE);
}

void
nb_run_close_part_done (GTask *closing, guint part, const GError *error)
{
  CloseData *cd = g_task_get_task_data (closing);
  if (cd->returned)
    return; /* finished after the time limit: already reported as not done */
  cd->pending &= ~part;
  if (error && part == NB_RUN_CLOSE_PART_PEN)
    {
      g_autofree char *text = g_strdup_printf (
          _ ("the pen %s did not confirm that its motor stopped (%s)"), cd->serial, error->message);
      add_problem (cd, text);
    }
  else if (error)
    {
      g_autofree char *text = g_strdup_printf (_ ("session %" PRId64 " was not closed (%s)"),
                                               cd->session_id, error->message);
      add_problem (cd, text);
    }
  if (cd->pending == 0)
    close_return (closing);
}

static gboolean
on_close_timeout (gpointer data)
{
  GTask *closing = data;
  CloseData *cd = g_task_get_task_data (closing);
  cd->timeout_id = 0;
  double s = cd->timeout_ms / 1000.0;
  if (cd->pending & NB_RUN_CLOSE_PART_PEN)
    {
      g_autofree char *text = g_strdup_printf (
          _ ("the pen %s had not confirmed that its motor stopped after %.1f s"), cd->serial, s);
      add_problem (cd, text);
    }
  if (cd->pending & NB_RUN_CLOSE_PART_RECORDING)
    {
      g_autofree char *text
          = cd->session_id
                ? g_strdup_printf (_ ("session %" PRId64 " was still being written after "
                                      "%.1f s (it will show as interrupted)"),
                                   cd->session_id, s)
                : g_strdup_printf (_ ("the new session was still being created after %.1f s"), s);
      add_problem (cd, text);
    }
  close_return (closing);
  return G_SOURCE_REMOVE;
}

static void
stop_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *closing = user_data;
  g_autoptr (GError) error = NULL;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_debug ("stopping the pen: %s", error->message);
  nb_run_close_part_done (closing, NB_RUN_CLOSE_PART_PEN, error);
  g_object_unref (closing);
}

void
nb_run_close_async (NbRun *self, const char *reason, guint timeout_ms, GAsyncReadyCallback callback,
                    gpointer user_data)
{
  g_return_if_fail (NB_IS_RUN (self));
  g_autoptr (GTask) closing = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (closing, nb_run_close_async);
  CloseData *cd = g_new0 (CloseData, 1);
  cd->problems = g_string_new (NULL);
  cd->serial = g_strdup (self->identity.serial);
  cd->timeout_ms = timeout_ms;
  g_task_set_task_data (closing, cd, (GDestroyNotify) close_data_free);

  g_clear_handle_id (&self->update_id, g_source_remove);
  g_set_object (&self->closing, closing);
  g_free (self->close_reason);
  self->close_reason = g_strdup (reason);
  if (self->recorder)
    {
      cd->pending |= NB_RUN_CLOSE_PART_RECORDING;
      cd->session_id = nb_recorder_get_session_id (self->recorder);
      nb_run_finish_recording (self, NB_SESSION_ABORTED, reason, closing);
    }
  else if (self->starting)
    cd->pending |= NB_RUN_CLOSE_PART_RECORDING; /* closed as soon as it exists */
  if (self->device)
    {
      g_signal_handlers_disconnect_by_data (self->device, self);
      if (self->connected)
        {
          /* Always MOTOR_STOP, whatever the model says: a start may still be on its way. */
          cd->pending |= NB_RUN_CLOSE_PART_PEN;
          StopData *sd = g_new0 (StopData, 1);
          sd->device = g_object_ref (self->device);
          sd->deadline_us = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
          g_autoptr (GTask) stop = g_task_new (self, NULL, stop_done, g_object_ref (closing));
          g_task_set_task_data (stop, sd, (GDestroyNotify) stop_data_free);
          g_task_run_in_thread (stop, stop_thread);
        }
      else
        nb_device_close (self->device);
    }
  nb_run_set_flag (self, NB_RUN_FLAG_MOTOR_RUNNING, FALSE);
  nb_run_set_flag (self, NB_RUN_FLAG_CONNECTED, FALSE);
  if (cd->pending == 0)
    close_return (closing);
  else
    cd->timeout_id = g_timeout_add_full (G_PRIORITY_DEFAULT, timeout_ms, on_close_timeout,
                                         g_object_ref (closing), g_object_unref);
}

gboolean
nb_run_close_finish (NbRun *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
nb_run_close (NbRun *self)
{
  nb_run_close_async (self, "the pen was disconnected by the operator", NB_RUN_CLOSE_TIMEOUT_MS,
                      NULL, NULL);
}
