/* nb-procedure-station.c: the station's two links during a run: both streams on before the motor
 * and off after it (docs/protocol.md §11.4), the settings, the safe stop, and waiting by
 * iterating the procedure thread's own context while watching for the loss of a link, a jam, a
 * reset, a broken stream and the cancellable. */
#include "nb-procedure-private.h"

/* Records the first error that ends the run; later ones are consequences of it. */
static void
set_async_error (NbProc *p, GError *error)
{
  if (p->async_error == NULL)
    p->async_error = error;
  else
    g_error_free (error);
}

static void
on_stroke (NbAcquisition *acq, const NbStroke *stroke, NbProcStream *s)
{
  g_array_append_val (s->strokes, *stroke);
}

static void
on_telemetry (NbDevice *dev, const NbTelemetryBatch *batch, NbProcStream *s)
{
  if (batch->first_index + batch->count > s->next_index)
    s->next_index = batch->first_index + batch->count;
}

static void
on_broken (NbAcquisition *acq, const GError *error, NbProcStream *s)
{
  set_async_error (s->proc, g_error_new (NB_PROCEDURE_ERROR, NB_PROCEDURE_ERROR_MEASUREMENT, "%s",
                                         error->message));
}

/* The loss of either link ends the run as a device error (the CLI's exit 3), whatever the
 * transport called it. */
static void
on_lost (NbDevice *dev, const GError *error, NbProc *p)
{
  if (error->domain == NB_DEVICE_ERROR)
    set_async_error (p, g_error_copy (error));
  else
    set_async_error (p, g_error_new (NB_DEVICE_ERROR, NB_DEVICE_ERROR_DISCONNECTED, "%s: %s",
                                     nb_device_get_uri (dev), error->message));
}

/* What the pen says on its own that ends a calibration. */
static void
on_event (NbDevice *dev, const NbEvent *ev, NbProc *p)
{
  const char *serial = nb_device_get_identity (dev)->serial;
  switch (ev->code)
    {
    case NB_EVENT_MOTOR_JAM:
      set_async_error (
          p, g_error_new (NB_DEVICE_ERROR, NB_DEVICE_ERROR_NAK,
                          "%s: motor jammed (the pen reported %s at sample %" G_GUINT64_FORMAT ")",
                          serial, nb_event_code_name (ev->code), ev->sample_index));
      break;
    case NB_EVENT_CARTRIDGE_REMOVED:
    case NB_EVENT_OVER_TEMPERATURE:
      set_async_error (p, g_error_new (NB_DEVICE_ERROR, NB_DEVICE_ERROR_NAK,
                                       "%s reported %s at sample %" G_GUINT64_FORMAT, serial,
                                       nb_event_code_name (ev->code), ev->sample_index));
      break;
    case NB_EVENT_RESET:
      set_async_error (p, g_error_new (NB_DEVICE_ERROR, NB_DEVICE_ERROR_RESET,
                                       "%s reset during the calibration", serial));
      break;
    case NB_EVENT_MOTOR_STOPPED:
      if (ev->detail != NB_MOTOR_STOPPED_HOST_REQUEST)
        set_async_error (p, g_error_new (NB_DEVICE_ERROR, NB_DEVICE_ERROR_NAK,
                                         "%s stopped its motor: %s", serial,
                                         nb_motor_stopped_reason_name (ev->detail)));
      break;
    default: break;
    }
}

static void
stream_init (NbProc *p, NbProcStream *s, NbDevice *dev)
{
  s->proc = p;
  s->device = dev;
  s->sample_rate_hz = nb_device_get_identity (dev)->sample_rate_hz;
  s->strokes = g_array_new (FALSE, FALSE, sizeof (NbStroke));
  s->next_index = 0;
  s->acq = nb_acquisition_new (dev);
  s->handlers[0] = g_signal_connect (s->acq, "stroke", G_CALLBACK (on_stroke), s);
  s->handlers[1] = g_signal_connect (s->acq, "broken", G_CALLBACK (on_broken), s);
  /* after the acquisition's own handler: the index covers what it has seen */
  s->handlers[2] = g_signal_connect (dev, "telemetry", G_CALLBACK (on_telemetry), s);
  g_signal_connect (dev, "lost", G_CALLBACK (on_lost), p);
  if (dev == p->pen)
    g_signal_connect (dev, "event", G_CALLBACK (on_event), p);
}

static void
stream_clear (NbProcStream *s)
{
  if (s->acq == NULL)
    return;
  g_clear_signal_handler (&s->handlers[0], s->acq);
  g_clear_signal_handler (&s->handlers[1], s->acq);
  g_clear_signal_handler (&s->handlers[2], s->device);
  g_clear_object (&s->acq);
  g_clear_pointer (&s->strokes, g_array_unref);
}

void
nb_proc_streams_clear (NbProc *p)
{
  stream_clear (&p->pen_stream);
  stream_clear (&p->fixture_stream);
  if (p->pen)
    g_signal_handlers_disconnect_by_data (p->pen, p);
  if (p->fixture)
    g_signal_handlers_disconnect_by_data (p->fixture, p);
}

gboolean
nb_proc_check (NbProc *p, GError **error)
{
  if (p->async_error == NULL && g_cancellable_is_cancelled (p->cancellable))
    set_async_error (
        p, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "calibration cancelled"));
  if (p->async_error == NULL)
    return TRUE;
  g_propagate_error (error, g_error_copy (p->async_error));
  return FALSE;
}

gboolean
nb_proc_wait (NbProc *p, gboolean (*done) (NbProc *p, gpointer data), gpointer data, GError **error)
{
  for (;;)
    {
      if (!nb_proc_check (p, error))
        return FALSE;
      if (done (p, data))
        return TRUE;
      /* blocks until a batch, an event, the loss of a link or the cancellable's source */
      g_main_context_iteration (p->context, TRUE);
    }
}

/* Dispatches what is queued now; a bounded number of turns, as telemetry keeps arriving. */
static void
drain (NbProc *p)
{
  for (int i = 0; i < 8 && g_main_context_iteration (p->context, FALSE); i++)
    ;
}

gboolean
nb_proc_streams_start (NbProc *p, GError **error)
{
  stream_init (p, &p->pen_stream, p->pen);
  if (p->fixture)
    {
      stream_init (p, &p->fixture_stream, p->fixture);
      p->ref = &p->fixture_stream;
    }
  else
    p->ref = &p->pen_stream;
  p->streams_started = TRUE;
  if (p->fixture && !nb_device_stream_start (p->fixture, p->cancellable, error))
    return FALSE;
  return nb_device_stream_start (p->pen, p->cancellable, error);
}

gboolean
nb_proc_set (NbProc *p, double depth_mm, double rate_hz, GError **error)
{
  gboolean had = p->have_setting;
  if (had && p->set_depth_mm == depth_mm && p->set_rate_hz == rate_hz)
    return TRUE;
  p->have_setting = FALSE;
  /* only what changes: each request is a round trip the pen's time does not count */
  if ((!had || p->set_depth_mm != depth_mm)
      && !nb_device_set_depth (p->pen, depth_mm, p->cancellable, error))
    return FALSE;
  if ((!had || p->set_rate_hz != rate_hz)
      && !nb_device_set_rate (p->pen, rate_hz, p->cancellable, error))
    return FALSE;
  /* The pen sent every sample it made before the change ahead of its ACK, on the same byte
   * stream; the reader queued them before it woke us. Once dispatched, the pen's index is the
   * first sample made with the new setting (to a batch). */
  drain (p);
  p->change_index = p->pen_stream.next_index;
  p->set_depth_mm = depth_mm;
  p->set_rate_hz = rate_hz;
  p->have_setting = TRUE;
  return nb_proc_check (p, error);
}

gboolean
nb_proc_motor_start (NbProc *p, GError **error)
{
  /* marked first: a start whose ACK is lost may still have started the motor */
  p->motor_started = TRUE;
  return nb_device_motor_start (p->pen, p->cancellable, error);
}

/* The pen acknowledges MOTOR_STOP at once and finishes the stroke under way: wait until it
 * reports the motor off, asking back to back (each answer takes a round trip). */
static gboolean
wait_motor_off (NbProc *p, GError **error)
{
  const NbIdentity *id = nb_device_get_identity (p->pen);
  /* two of the slowest strokes, and some margin for a loaded host */
  gint64 deadline
      = g_get_monotonic_time () + (gint64) (2e9 / MAX (id->rate_min_mhz, 1000u)) + 250000;
  for (;;)
    {
      NbStatus st;
      if (!nb_device_get_status (p->pen, &st, NULL, error))
        return FALSE;
      if (!(st.flags & NB_STATUS_MOTOR_RUNNING))
        return TRUE;
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_TIMEOUT,
                       "%s acknowledged MOTOR_STOP but its motor still runs", id->serial);
          return FALSE;
        }
      drain (p);
    }
}

gboolean
nb_proc_stop (NbProc *p, GError **error)
{
  g_autoptr (GError) first = NULL;
  /* Not cancellable: a cancelled run is exactly when the needle must stop. */
  if (p->motor_started && nb_device_is_connected (p->pen))
    for (int attempt = 0;; attempt++)
      {
        g_autoptr (GError) local = NULL;
        if (nb_device_motor_stop (p->pen, NULL, &local) && wait_motor_off (p, &local))
          {
            p->motor_started = FALSE;
            break;
          }
        if (attempt == 2 || !g_error_matches (local, NB_DEVICE_ERROR, NB_DEVICE_ERROR_TIMEOUT))
          {
            g_prefix_error (&local, "stopping the motor: ");
            first = g_steal_pointer (&local);
            break;
          }
      }
  if (p->streams_started)
    {
      /* the motor before the streams, so both saw the same strokes */
      NbDevice *devs[2] = { p->pen, p->fixture };
      for (guint i = 0; i < 2; i++)
        {
          g_autoptr (GError) local = NULL;
          if (devs[i] && nb_device_is_connected (devs[i])
              && !nb_device_stream_stop (devs[i], NULL, &local) && first == NULL)
            first = g_steal_pointer (&local);
        }
      p->streams_started = FALSE;
    }
  if (first)
    {
      g_propagate_error (error, g_steal_pointer (&first));
      return FALSE;
    }
  return TRUE;
}
