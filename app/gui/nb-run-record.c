/* nb-run-record.c: NbRun's recording: the recorder on the main thread, its closing in a worker. */
#include "nb-run-private.h"

/* --- recording ----------------------------------------------------------------------------- */

typedef struct
{
  NbRecorder *recorder;
  NbSessionStatus status;
  char *error_text;
  gint64 session_id;
  GTask *closing; /* nb_run_close_async's task waiting for this, or NULL */
} FinishData;

static void
finish_data_free (FinishData *fd)
{
  nb_recorder_free (fd->recorder);
  g_free (fd->error_text);
  g_clear_object (&fd->closing);
  g_free (fd);
}

static void
finish_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  FinishData *fd = task_data;
  GError *error = NULL;
  /* Blocks until everything queued is written: why this runs here and not on the main thread. */
  if (nb_recorder_finish (fd->recorder, fd->status, fd->error_text, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
finish_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NbRun *self = NB_RUN (source);
  FinishData *fd = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("recording session %" G_GINT64_FORMAT ": %s", fd->session_id, error->message);
  g_signal_emit_by_name (self, "recording-finished", fd->session_id,
                         error ? error->message : fd->error_text);
  if (fd->closing)
    nb_run_close_part_done (fd->closing, NB_RUN_CLOSE_PART_RECORDING, error);
}

void
nb_run_finish_recording (NbRun *self, NbSessionStatus status, const char *error_text,
                         GTask *closing)
{
  if (self->recorder == NULL)
    return;
  FinishData *fd = g_new0 (FinishData, 1);
  fd->recorder = g_steal_pointer (&self->recorder);
  fd->status = status;
  fd->error_text = g_strdup (error_text);
  fd->session_id = nb_recorder_get_session_id (fd->recorder);
  fd->closing = closing ? g_object_ref (closing) : NULL;
  g_autoptr (GTask) task = g_task_new (self, NULL, finish_done, NULL);
  g_task_set_source_tag (task, nb_run_finish_recording);
  g_task_set_task_data (task, fd, (GDestroyNotify) finish_data_free);
  g_task_run_in_thread (task, finish_thread);
  nb_run_set_flag (self, NB_RUN_FLAG_RECORDING, FALSE);
}

/* A write error stops the recording; everything committed stays, and finish reports it.
 * @error is read only when @ok is FALSE: callers compute @ok first (argument evaluation order
 * is unspecified in C). */
void
nb_run_check_recorder (NbRun *self, gboolean ok, GError *error)
{
  if (ok)
    return;
  g_autofree char *text = g_strdup_printf ("recording stopped: %s", error->message);
  g_error_free (error);
  nb_run_finish_recording (self, NB_SESSION_ABORTED, text, NULL);
}

gboolean
nb_run_start_recording (NbRun *self, const char *store_path, const char *operator_name,
                        const char *name, const char *note, GError **error)
{
  g_return_val_if_fail (NB_IS_RUN (self), FALSE);
  if (self->recorder != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, "already recording");
      return FALSE;
    }
  if (!self->connected)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "the pen is not connected");
      return FALSE;
    }
  NbRecorderParams params = {
    .store_path = store_path && *store_path ? store_path : NULL,
    .session = {
      .pen_serial = self->identity.serial,
      .pen_model = self->identity.model,
      .pen_firmware = self->identity.firmware,
      .uri = nb_device_get_uri (self->device),
      .operator_name = operator_name && *operator_name ? operator_name : NULL,
      .name = name && *name ? name : NULL,
      .note = note && *note ? note : NULL,
      .depth_mm = self->set_depth_mm,
      .rate_hz = self->set_rate_hz,
      .sample_rate_hz = self->sample_rate,
    },
  };
  self->recorder = nb_recorder_new (&params, error);
  if (self->recorder == NULL)
    {
      g_prefix_error (error, "starting to record: ");
      return FALSE;
    }
  nb_run_set_flag (self, NB_RUN_FLAG_RECORDING, TRUE);
  return TRUE;
}

void
nb_run_stop_recording (NbRun *self)
{
  nb_run_finish_recording (self, NB_SESSION_COMPLETE, NULL, NULL);
}
