/* nb-run.c: the connected-pen model: device, acquisition, decimator, recorder. */
#include <glib/gi18n.h>
#include "nb-run.h"

#include <math.h>

#include "nb-run-private.h"
#include "nb-stroke-store.h"

G_DEFINE_FINAL_TYPE (NbRun, nb_run, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CONNECTED,
  PROP_MOTOR_RUNNING,
  PROP_RECORDING,
  PROP_SET_DEPTH_MM,
  PROP_SET_RATE_HZ,
  PROP_DEPTH_MEAN_MM,
  PROP_DEPTH_SD_MM,
  PROP_RATE_HZ,
  PROP_STROKES,
  PROP_ENTRY_SPEED_MM_S,
  PROP_GAPS,
  PROP_CRC_ERRORS,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

enum
{
  SIGNAL_STROKE,
  SIGNAL_LOST,
  SIGNAL_RECORDING_FINISHED,
  SIGNAL_UPDATED,
  SIGNAL_PEN_STOPPED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static double
depth_mean (NbRun *self)
{
  return self->summary.depth_mm.n ? self->summary.depth_mm.mean : NAN;
}

static void
nb_run_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  NbRun *self = NB_RUN (object);
  const NbAcquisitionSummary *s = &self->summary;
  switch (prop_id)
    {
    case PROP_CONNECTED: g_value_set_boolean (value, self->connected); break;
    case PROP_MOTOR_RUNNING: g_value_set_boolean (value, self->motor_running); break;
    case PROP_RECORDING: g_value_set_boolean (value, self->recording); break;
    case PROP_SET_DEPTH_MM: g_value_set_double (value, self->set_depth_mm); break;
    case PROP_SET_RATE_HZ: g_value_set_double (value, self->set_rate_hz); break;
    case PROP_DEPTH_MEAN_MM: g_value_set_double (value, depth_mean (self)); break;
    case PROP_DEPTH_SD_MM:
      g_value_set_double (value, s->depth_mm.n > 1 ? nb_stats_sd (&s->depth_mm) : NAN);
      break;
    case PROP_RATE_HZ:
      {
        double r = nb_acquisition_summary_rate_hz (s);
        g_value_set_double (value, r > 0 ? r : NAN);
        break;
      }
    case PROP_STROKES: g_value_set_uint64 (value, s->strokes); break;
    case PROP_ENTRY_SPEED_MM_S:
      g_value_set_double (value, s->entry_speed_mm_s.n ? s->entry_speed_mm_s.mean : NAN);
      break;
    case PROP_GAPS: g_value_set_uint64 (value, s->gaps); break;
    case PROP_CRC_ERRORS: g_value_set_uint64 (value, self->link.crc_errors); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_flag (NbRun *self, gboolean *field, gboolean value, guint prop)
{
  if (*field == !!value)
    return;
  *field = !!value;
  g_object_notify_by_pspec (G_OBJECT (self), props[prop]);
}

void
nb_run_set_flag (NbRun *self, NbRunFlag flag, gboolean value)
{
  switch (flag)
    {
    case NB_RUN_FLAG_CONNECTED: set_flag (self, &self->connected, value, PROP_CONNECTED); break;
    case NB_RUN_FLAG_MOTOR_RUNNING:
      set_flag (self, &self->motor_running, value, PROP_MOTOR_RUNNING);
      break;
    case NB_RUN_FLAG_RECORDING: set_flag (self, &self->recording, value, PROP_RECORDING); break;
    }
}

static gboolean
on_update (gpointer data)
{
  NbRun *self = data;
  nb_acquisition_get_summary (self->acq, &self->summary);
  nb_device_get_stats (self->device, &self->link);
  g_object_freeze_notify (G_OBJECT (self));
  for (guint p = PROP_DEPTH_MEAN_MM; p <= PROP_CRC_ERRORS; p++)
    g_object_notify_by_pspec (G_OBJECT (self), props[p]);
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[SIGNAL_UPDATED], 0);
  return G_SOURCE_CONTINUE;
}

/* --- device signals ------------------------------------------------------------------------ */

static void
on_telemetry (NbDevice *dev, const NbTelemetryBatch *batch, NbRun *self)
{
  nb_decimator_push (self->decimator, batch->first_index, batch->samples, batch->count);
  self->end_index = batch->first_index + batch->count;
  self->last_received_us = batch->received_us;
  if (self->recorder)
    {
      GError *error = NULL;
      gboolean ok = nb_recorder_add_batch (self->recorder, batch->first_index, batch->samples,
                                           batch->count, &error);
      nb_run_check_recorder (self, ok, error);
    }
}

static void
on_stroke (NbAcquisition *acq, const NbStroke *s, NbRun *self)
{
  if (self->recorder)
    {
      NbStoreStroke row;
      nb_stroke_to_store (s, &row);
      GError *error = NULL;
      gboolean ok = nb_recorder_add_stroke (self->recorder, &row, &error);
      if (ok)
        self->recorded_strokes++;
      nb_run_check_recorder (self, ok, error);
    }
  g_signal_emit (self, signals[SIGNAL_STROKE], 0, s);
}

char *
nb_run_describe_pen_stop (const NbEvent *ev, const char *serial)
{
  switch (ev->code)
    {
    case NB_EVENT_MOTOR_STOPPED:
      switch (ev->detail)
        {
        case NB_MOTOR_STOPPED_HOST_REQUEST: return NULL; /* the operator's own stop */
        case NB_MOTOR_STOPPED_WATCHDOG:
          /* protocol.md §3.1: say that the host went quiet, so that nobody blames the pen. */
          return g_strdup_printf (_ ("The pen %s stopped its motor because it heard nothing from "
                                     "NeedleBench for 2 s (this computer or the link stalled). The "
                                     "motor stays off until you start it again."),
                                  serial);
        case NB_MOTOR_STOPPED_PROTECTION:
          return g_strdup_printf (
              _ ("The pen %s stopped its motor to protect itself "
                 "(over-temperature or power supply). The motor stays off until "
                 "you start it again."),
              serial);
        case NB_MOTOR_STOPPED_CARTRIDGE:
          return g_strdup_printf (_ ("The pen %s stopped its motor because the cartridge was "
                                     "removed. The motor stays off until you start it again."),
                                  serial);
        default:
          return g_strdup_printf (
              _ ("The pen %s stopped its motor for a reason NeedleBench does not "
                 "know (code %u). The motor stays off until you start it again."),
              serial, ev->detail);
        }
    case NB_EVENT_MOTOR_JAM:
      return g_strdup_printf (_ ("The pen %s stopped its motor because the needle %s. Check the "
                                 "cartridge before you start it again."),
                              serial, ev->detail == 1 ? _ ("stalled") : _ ("jammed"));
    case NB_EVENT_RESET:
      return g_strdup_printf (
          _ ("The pen %s restarted: its motor and its telemetry are off and its "
             "depth and rate are back to its defaults. Connect it again to go "
             "on."),
          serial);
    default:
      /* CARTRIDGE_REMOVED with the motor running is followed by MOTOR_STOPPED detail 3, which
       * says it; with the motor off nothing stopped. */
      return NULL;
    }
}

/* A pen that jammed or stalled keeps its motor fault, and NAKs every MOTOR_START with
 * MOTOR_FAULT, until it gets MOTOR_STOP (protocol.md §4, NAK codes); the operator has no other way
 * to clear it. The motor is already at rest, so the stop stops nothing and starts nothing. A worker
 * sends it, as every request: no device I/O on the main thread. */
static void
clear_fault_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  /* A lost or closed link says so through "lost" or the close; nothing more to tell here. */
  if (!nb_device_motor_stop (task_data, cancellable, &error))
    g_debug ("clearing the motor fault: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
clear_motor_fault (NbRun *self)
{
  g_autoptr (GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_task_data (task, g_object_ref (self->device), g_object_unref);
  g_task_run_in_thread (task, clear_fault_thread);
}

static void
on_event (NbDevice *dev, const NbEvent *ev, NbRun *self)
{
  if (ev->code == NB_EVENT_MOTOR_JAM)
    clear_motor_fault (self);
  if (ev->code == NB_EVENT_MOTOR_STOPPED || ev->code == NB_EVENT_MOTOR_JAM
      || ev->code == NB_EVENT_RESET)
    set_flag (self, &self->motor_running, FALSE, PROP_MOTOR_RUNNING);
  if (self->recorder)
    {
      g_autofree char *detail = g_strdup_printf ("%u", ev->detail);
      GError *error = NULL;
      gboolean ok = nb_recorder_add_event (self->recorder, ev->sample_index, ev->code,
                                           nb_event_code_name (ev->code), detail, &error);
      nb_run_check_recorder (self, ok, error);
    }
  /* After the model says the motor is off and the event is recorded, so that handlers see both.
   * Nothing here starts the motor again: that is the operator's decision (protocol.md §3.1). */
  g_autofree char *stopped = nb_run_describe_pen_stop (ev, self->identity.serial);
  if (stopped)
    g_signal_emit (self, signals[SIGNAL_PEN_STOPPED], 0, (guint) ev->code, (guint) ev->detail,
                   stopped);
}

static void
on_lost (NbDevice *dev, const GError *error, NbRun *self)
{
  g_autofree char *message
      = g_strdup_printf (_ ("Lost the pen %s: %s"), self->identity.serial, error->message);
  /* the session's record is the same whoever ran the app: not in the operator's language */
  g_autofree char *record
      = g_strconcat ("Lost the pen ", self->identity.serial, ": ", error->message, NULL);
  set_flag (self, &self->motor_running, FALSE, PROP_MOTOR_RUNNING);
  set_flag (self, &self->connected, FALSE, PROP_CONNECTED);
  if (self->recorder)
    {
      GError *add_error = NULL;
      if (!nb_recorder_add_event (self->recorder, self->end_index, 0, "link-lost", error->message,
                                  &add_error))
        g_clear_error (&add_error);
      nb_run_finish_recording (self, NB_SESSION_ABORTED, record, NULL);
    }
  g_signal_emit (self, signals[SIGNAL_LOST], 0, message);
}

/* --- requests ------------------------------------------------------------------------------ */

typedef enum
{
  REQ_DEPTH,
  REQ_RATE,
  REQ_MOTOR_ON,
  REQ_MOTOR_OFF
} ReqKind;

typedef struct
{
  NbDevice *device;
  ReqKind kind;
  double value;
} Req;

static void
req_free (Req *req)
{
  g_object_unref (req->device);
  g_free (req);
}

/* In the worker, after a refused MOTOR_START: if the refusal was the pen's motor fault (a jam
 * whose event we missed), clear it as on_event does, and say so in @error. The start is not tried
 * again: the operator checks the cartridge and presses Start Motor again. */
static void
clear_refused_start (NbDevice *device, GCancellable *cancellable, GError *error)
{
  NbStatus status;
  g_autoptr (GError) clear_error = NULL;
  if (!nb_device_get_status (device, &status, cancellable, &clear_error)
      || !(status.flags & NB_STATUS_MOTOR_FAULT))
    return;
  if (!nb_device_motor_stop (device, cancellable, &clear_error))
    return;
  g_autofree char *refused = g_steal_pointer (&error->message);
  error->message
      = g_strdup_printf (_ ("%s. NeedleBench has cleared the pen's motor fault: check the "
                            "cartridge, then start the motor again."),
                         refused);
}

static void
req_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Req *req = task_data;
  GError *error = NULL;
  gboolean ok = FALSE;
  switch (req->kind)
    {
    case REQ_DEPTH: ok = nb_device_set_depth (req->device, req->value, cancellable, &error); break;
    case REQ_RATE: ok = nb_device_set_rate (req->device, req->value, cancellable, &error); break;
    case REQ_MOTOR_ON: ok = nb_device_motor_start (req->device, cancellable, &error); break;
    case REQ_MOTOR_OFF: ok = nb_device_motor_stop (req->device, cancellable, &error); break;
    }
  if (!ok && req->kind == REQ_MOTOR_ON
      && g_error_matches (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_NAK))
    clear_refused_start (req->device, cancellable, error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Applied on the main thread once the pen has acknowledged, so the model says what the pen does. */
static void
req_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NbRun *self = NB_RUN (source);
  GTask *task = G_TASK (result);
  Req *req = g_task_get_task_data (task);
  if (!g_task_had_error (task))
    {
      switch (req->kind)
        {
        case REQ_DEPTH:
          self->set_depth_mm = req->value;
          g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SET_DEPTH_MM]);
          break;
        case REQ_RATE:
          self->set_rate_hz = req->value;
          g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SET_RATE_HZ]);
          break;
        case REQ_MOTOR_ON: set_flag (self, &self->motor_running, TRUE, PROP_MOTOR_RUNNING); break;
        case REQ_MOTOR_OFF: set_flag (self, &self->motor_running, FALSE, PROP_MOTOR_RUNNING); break;
        }
      if (req->kind != REQ_MOTOR_OFF)
        nb_acquisition_reset (self->acq);
    }
  GTask *outer = user_data;
  GError *error = NULL;
  if (g_task_propagate_boolean (task, &error))
    g_task_return_boolean (outer, TRUE);
  else
    g_task_return_error (outer, error);
  g_object_unref (outer);
}

static void
request (NbRun *self, ReqKind kind, double value, GAsyncReadyCallback callback, gpointer user_data)
{
  /* The caller's task wraps the worker's, so that the model is updated before the caller hears. */
  GTask *outer = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (outer, request);
  Req *req = g_new0 (Req, 1);
  req->device = g_object_ref (self->device);
  req->kind = kind;
  req->value = value;
  g_autoptr (GTask) inner = g_task_new (self, NULL, req_done, outer);
  g_task_set_task_data (inner, req, (GDestroyNotify) req_free);
  g_task_run_in_thread (inner, req_thread);
}

void
nb_run_set_depth_async (NbRun *self, double depth_mm, GAsyncReadyCallback callback,
                        gpointer user_data)
{
  request (self, REQ_DEPTH, depth_mm, callback, user_data);
}

void
nb_run_set_rate_async (NbRun *self, double rate_hz, GAsyncReadyCallback callback,
                       gpointer user_data)
{
  request (self, REQ_RATE, rate_hz, callback, user_data);
}

void
nb_run_set_motor_async (NbRun *self, gboolean on, GAsyncReadyCallback callback, gpointer user_data)
{
  request (self, on ? REQ_MOTOR_ON : REQ_MOTOR_OFF, 0, callback, user_data);
}

gboolean
nb_run_request_finish (NbRun *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- opening ------------------------------------------------------------------------------- */

typedef struct
{
  NbDevice *device;
  NbStatus status;
  NbCalTable calibration;
  gboolean have_calibration;
} OpenData;

static void
open_data_free (OpenData *od)
{
  if (od->device)
    nb_device_close (od->device);
  g_clear_object (&od->device);
  g_free (od);
}

static void
open_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const char *uri = task_data;
  GError *error = NULL;
  OpenData *od = g_new0 (OpenData, 1);
  /* No thread-default context is pushed in this worker, so the device delivers its signals on
   * the global default context: the GUI's main thread. */
  od->device = nb_device_open (uri, cancellable, &error);
  if (od->device == NULL || !nb_device_get_status (od->device, &od->status, cancellable, &error))
    goto fail;
  if (nb_device_get_identity (od->device)->capabilities & NB_CAP_CALIBRATION)
    {
      g_autoptr (GError) cal_error = NULL;
      /* A pen whose table cannot be read is still usable; the date just shows as unknown. */
      od->have_calibration
          = nb_device_read_calibration (od->device, &od->calibration, cancellable, &cal_error);
    }
  /* At rest the trace does not scroll and the readouts hold still: the pen's 200 batches a
   * second may reach the main loop ten at a time. */
  nb_device_set_rest_dispatch_interval (od->device, NB_RUN_REST_DISPATCH_MS);
  if (!nb_device_stream_start (od->device, cancellable, &error))
    goto fail;
  g_task_return_pointer (task, od, (GDestroyNotify) open_data_free);
  return;
fail:
  g_prefix_error (&error, _ ("connecting to %s: "), uri);
  open_data_free (od);
  g_task_return_error (task, error);
}

void
nb_run_open_async (const char *uri, GCancellable *cancellable, GAsyncReadyCallback callback,
                   gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, nb_run_open_async);
  g_task_set_task_data (task, g_strdup (uri), g_free);
  g_task_run_in_thread (task, open_thread);
}

NbRun *
nb_run_open_finish (GAsyncResult *result, GError **error)
{
  OpenData *od = g_task_propagate_pointer (G_TASK (result), error);
  if (od == NULL)
    return NULL;
  NbRun *self = g_object_new (NB_TYPE_RUN, NULL);
  self->device = g_steal_pointer (&od->device);
  self->identity = *nb_device_get_identity (self->device);
  self->calibration = od->calibration;
  self->have_calibration = od->have_calibration;
  self->sample_rate = self->identity.sample_rate_hz;
  self->set_depth_mm = od->status.depth_um / 1000.0;
  self->set_rate_hz = od->status.rate_mhz / 1000.0;
  self->motor_running = (od->status.flags & NB_STATUS_MOTOR_RUNNING) != 0;
  self->connected = nb_device_is_connected (self->device);
  open_data_free (od);

  self->decimator = nb_decimator_new (MAX (self->sample_rate, 1) * NB_RUN_HISTORY_S);
  self->acq = nb_acquisition_new (self->device);
  g_signal_connect (self->acq, "stroke", G_CALLBACK (on_stroke), self);
  g_signal_connect (self->device, "telemetry", G_CALLBACK (on_telemetry), self);
  g_signal_connect (self->device, "event", G_CALLBACK (on_event), self);
  g_signal_connect (self->device, "lost", G_CALLBACK (on_lost), self);
  self->update_id = g_timeout_add (NB_RUN_UPDATE_MS, on_update, self);
  return self;
}

static void
nb_run_dispose (GObject *object)
{
  NbRun *self = NB_RUN (object);
  if (self->device && self->connected)
    nb_run_close (self);
  g_clear_handle_id (&self->update_id, g_source_remove);
  if (self->acq)
    g_signal_handlers_disconnect_by_data (self->acq, self);
  if (self->device)
    g_signal_handlers_disconnect_by_data (self->device, self);
  g_clear_object (&self->acq);
  g_clear_object (&self->device);
  G_OBJECT_CLASS (nb_run_parent_class)->dispose (object);
}

static void
nb_run_finalize (GObject *object)
{
  NbRun *self = NB_RUN (object);
  g_clear_pointer (&self->recorder, nb_recorder_free);
  g_clear_object (&self->closing);
  g_free (self->close_reason);
  g_free (self->target_profile_id);
  g_clear_pointer (&self->decimator, nb_decimator_free);
  G_OBJECT_CLASS (nb_run_parent_class)->finalize (object);
}

static void
nb_run_class_init (NbRunClass *klass)
{
  GObjectClass *oc = G_OBJECT_CLASS (klass);
  oc->get_property = nb_run_get_property;
  oc->dispose = nb_run_dispose;
  oc->finalize = nb_run_finalize;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  props[PROP_CONNECTED] = g_param_spec_boolean ("connected", NULL, NULL, FALSE, ro);
  props[PROP_MOTOR_RUNNING] = g_param_spec_boolean ("motor-running", NULL, NULL, FALSE, ro);
  props[PROP_RECORDING] = g_param_spec_boolean ("recording", NULL, NULL, FALSE, ro);
  props[PROP_SET_DEPTH_MM] = g_param_spec_double ("set-depth-mm", NULL, NULL, 0, 100, 0, ro);
  props[PROP_SET_RATE_HZ] = g_param_spec_double ("set-rate-hz", NULL, NULL, 0, 10000, 0, ro);
  props[PROP_DEPTH_MEAN_MM]
      = g_param_spec_double ("depth-mean-mm", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, ro);
  props[PROP_DEPTH_SD_MM]
      = g_param_spec_double ("depth-sd-mm", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, ro);
  props[PROP_RATE_HZ]
      = g_param_spec_double ("rate-hz", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, ro);
  props[PROP_STROKES] = g_param_spec_uint64 ("strokes", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  props[PROP_ENTRY_SPEED_MM_S]
      = g_param_spec_double ("entry-speed-mm-s", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, ro);
  props[PROP_GAPS] = g_param_spec_uint64 ("gaps", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  props[PROP_CRC_ERRORS] = g_param_spec_uint64 ("crc-errors", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  g_object_class_install_properties (oc, N_PROPS, props);

  signals[SIGNAL_STROKE] = g_signal_new ("stroke", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_LOST] = g_signal_new ("lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_RECORDING_FINISHED]
      = g_signal_new ("recording-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  signals[SIGNAL_UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_PEN_STOPPED]
      = g_signal_new ("pen-stopped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_STRING);
}

static void
nb_run_init (NbRun *self)
{
  nb_stats_init (&self->summary.depth_mm);
}

NbDevice *
nb_run_get_device (NbRun *self)
{
  return self->device;
}

const NbIdentity *
nb_run_get_identity (NbRun *self)
{
  return &self->identity;
}

const NbCalTable *
nb_run_get_calibration (NbRun *self)
{
  return self->have_calibration ? &self->calibration : NULL;
}

const NbDecimator *
nb_run_get_decimator (NbRun *self)
{
  return self->decimator;
}

double
nb_run_get_sample_rate (NbRun *self)
{
  return self->sample_rate;
}

guint64
nb_run_get_end_index (NbRun *self)
{
  return self->end_index;
}

gint64
nb_run_get_last_received_us (NbRun *self)
{
  return self->last_received_us;
}

gboolean
nb_run_is_connected (NbRun *self)
{
  return self->connected;
}

gboolean
nb_run_is_motor_running (NbRun *self)
{
  return self->motor_running;
}

gboolean
nb_run_is_recording (NbRun *self)
{
  return self->recording;
}

double
nb_run_get_set_depth (NbRun *self)
{
  return self->set_depth_mm;
}

double
nb_run_get_set_rate (NbRun *self)
{
  return self->set_rate_hz;
}

void
nb_run_get_summary (NbRun *self, NbAcquisitionSummary *summary)
{
  nb_acquisition_get_summary (self->acq, summary);
}

void
nb_run_get_link_stats (NbRun *self, NbDeviceStats *stats)
{
  nb_device_get_stats (self->device, stats);
}

gboolean
nb_run_is_last_run (NbRun *self)
{
  return !self->motor_running && self->summary.strokes > 0;
}

double
nb_run_get_recording_elapsed_s (NbRun *self)
{
  return self->recording ? (g_get_monotonic_time () - self->recording_since_us) / 1e6 : 0;
}

guint64
nb_run_get_recorded_strokes (NbRun *self)
{
  return self->recording ? self->recorded_strokes : 0;
}
