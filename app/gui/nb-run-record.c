/* nb-run-record.c: NbRun's recording: the session is created and closed in workers; the data is
 * queued to the recorder on the main thread (which never waits for the disk). */
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

/* What the worker needs to create the session: copies, as the run may change meanwhile. */
typedef struct
{
  char *store_path, *serial, *model, *firmware, *uri, *operator_name, *name, *note;
  double depth_mm, rate_hz, sample_rate_hz;
} StartData;

static void
start_data_free (StartData *sd)
{
  g_free (sd->store_path);
  g_free (sd->serial);
  g_free (sd->model);
  g_free (sd->firmware);
  g_free (sd->uri);
  g_free (sd->operator_name);
  g_free (sd->name);
  g_free (sd->note);
  g_free (sd);
}

static char *
dup_or_null (const char *text)
{
  return text && *text ? g_strdup (text) : NULL;
}

static void
start_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  StartData *sd = task_data;
  NbRecorderParams params = {
    .store_path = sd->store_path,
    .session = {
      .pen_serial = sd->serial,
      .pen_model = sd->model,
      .pen_firmware = sd->firmware,
      .uri = sd->uri,
      .operator_name = sd->operator_name,
      .name = sd->name,
      .note = sd->note,
      .depth_mm = sd->depth_mm,
      .rate_hz = sd->rate_hz,
      .sample_rate_hz = sd->sample_rate_hz,
    },
  };
  GError *error = NULL;
  /* Opens the store and creates the session, waiting for a writer that holds the database. */
  NbRecorder *rec = nb_recorder_new (&params, &error);
  if (rec)
    g_task_return_pointer (task, rec, (GDestroyNotify) nb_recorder_free);
  else
    g_task_return_error (task, error);
}

static void
start_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NbRun *self = NB_RUN (source);
  GTask *outer = user_data;
  GError *error = NULL;
  NbRecorder *rec = g_task_propagate_pointer (G_TASK (result), &error);
  self->starting = FALSE;
  if (rec && (!self->connected || self->closing))
    {
      /* The pen went, or the window is closing, while the session was being created: close it
       * at once, so that it is not left open. */
      self->recorder = rec;
      nb_run_finish_recording (self, NB_SESSION_ABORTED,
                               self->closing ? self->close_reason
                                             : "the pen was gone before recording started",
                               self->closing);
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                   "the pen was gone before recording started");
      rec = NULL;
    }
  if (rec)
    {
      self->recorder = rec;
      self->recording_since_us = g_get_monotonic_time ();
      self->recorded_strokes = 0;
      nb_run_set_flag (self, NB_RUN_FLAG_RECORDING, TRUE);
      g_task_return_boolean (outer, TRUE);
    }
  else
    {
      g_prefix_error (&error, "starting to record: ");
      g_task_return_error (outer, error);
    }
  g_object_unref (outer);
}

void
nb_run_start_recording_async (NbRun *self, const char *store_path, const char *operator_name,
                              const char *name, const char *note, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_return_if_fail (NB_IS_RUN (self));
  GTask *outer = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (outer, nb_run_start_recording_async);
  if (self->recorder != NULL || self->starting)
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_BUSY, "already recording");
      g_object_unref (outer);
      return;
    }
  if (!self->connected)
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               "the pen is not connected");
      g_object_unref (outer);
      return;
    }
  StartData *sd = g_new0 (StartData, 1);
  sd->store_path = dup_or_null (store_path);
  sd->serial = g_strdup (self->identity.serial);
  sd->model = g_strdup (self->identity.model);
  sd->firmware = g_strdup (self->identity.firmware);
  sd->uri = g_strdup (nb_device_get_uri (self->device));
  sd->operator_name = dup_or_null (operator_name);
  sd->name = dup_or_null (name);
  sd->note = dup_or_null (note);
  sd->depth_mm = self->set_depth_mm;
  sd->rate_hz = self->set_rate_hz;
  sd->sample_rate_hz = self->sample_rate;
  self->starting = TRUE;
  g_autoptr (GTask) task = g_task_new (self, NULL, start_done, outer);
  g_task_set_task_data (task, sd, (GDestroyNotify) start_data_free);
  g_task_run_in_thread (task, start_thread);
}

gboolean
nb_run_start_recording_finish (NbRun *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
nb_run_is_starting_recording (NbRun *self)
{
  return self->starting;
}

void
nb_run_stop_recording (NbRun *self)
{
  nb_run_finish_recording (self, NB_SESSION_COMPLETE, NULL, NULL);
}
