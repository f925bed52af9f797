/* nb-device-requests.c: the typed requests of NbDevice (docs/protocol.md, section 4): range checks
 * against the identity before anything is sent, payload encoding, and calibration write/verify. */
#include <math.h>
#include <string.h>

#include "nb-device-private.h"

/* A malformed answer is the pen's fault: a device error (the CLI's exit 3), whatever the codec's
 * domain said. Replaces *error, keeping its message. Always returns FALSE. */
static gboolean
device_protocol_error (NbDevice *dev, GError **error, const char *what)
{
  if (error == NULL || *error == NULL)
    return FALSE;
  GError *e = *error;
  *error = g_error_new (NB_DEVICE_ERROR, NB_DEVICE_ERROR_PROTOCOL, "%s: malformed %s: %s",
                        dev->description, what, e->message);
  g_error_free (e);
  return FALSE;
}

static gboolean
simple_request (NbDevice *dev, guint8 type, const guint8 *payload, gsize len,
                GCancellable *cancellable, GError **error)
{
  return nb_device_request (dev, type, payload, len, NB_MSG_ACK, NULL, NULL, cancellable, error);
}

gboolean
nb_device_identify (NbDevice *dev, NbIdentity *identity, GCancellable *cancellable, GError **error)
{
  guint8 answer[NB_FRAME_MAX_PAYLOAD];
  gsize len = 0;
  if (!nb_device_request (dev, NB_MSG_IDENTIFY, NULL, 0, NB_MSG_IDENTITY, answer, &len, cancellable,
                          error))
    return FALSE;
  if (!nb_identity_decode (answer, len, identity, error))
    return device_protocol_error (dev, error, "IDENTITY");
  return TRUE;
}

gboolean
nb_device_set_depth (NbDevice *dev, double depth_mm, GCancellable *cancellable, GError **error)
{
  const NbIdentity *id = &dev->identity;
  double um = depth_mm * 1000.0;
  long rounded = lround (um);
  if (!isfinite (depth_mm) || rounded < (long) id->depth_min_um || rounded > (long) id->depth_max_um
      || fabs (um - rounded) > 0.5 || (rounded - id->depth_min_um) % id->depth_step_um != 0)
    {
      g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_OUT_OF_RANGE,
                   "depth %.3f mm is not settable on %s: %.2f to %.2f mm in steps of %.2f mm",
                   depth_mm, id->serial, id->depth_min_um / 1000.0, id->depth_max_um / 1000.0,
                   id->depth_step_um / 1000.0);
      return FALSE;
    }
  guint8 p[4];
  nb_put_u32 (p, (guint32) rounded);
  return simple_request (dev, NB_MSG_SET_DEPTH, p, 4, cancellable, error);
}

gboolean
nb_device_set_rate (NbDevice *dev, double rate_hz, GCancellable *cancellable, GError **error)
{
  const NbIdentity *id = &dev->identity;
  double mhz = rate_hz * 1000.0;
  if (!isfinite (rate_hz) || mhz < id->rate_min_mhz - 0.5 || mhz > id->rate_max_mhz + 0.5)
    {
      g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_OUT_OF_RANGE,
                   "rate %.1f Hz is not settable on %s: %.1f to %.1f Hz", rate_hz, id->serial,
                   id->rate_min_mhz / 1000.0, id->rate_max_mhz / 1000.0);
      return FALSE;
    }
  guint8 p[4];
  nb_put_u32 (p, (guint32) lround (mhz));
  return simple_request (dev, NB_MSG_SET_RATE, p, 4, cancellable, error);
}

gboolean
nb_device_motor_start (NbDevice *dev, GCancellable *cancellable, GError **error)
{
  if (!simple_request (dev, NB_MSG_MOTOR_START, NULL, 0, cancellable, error))
    return FALSE;
  nb_device_set_motor_running (dev, TRUE);
  return TRUE;
}

gboolean
nb_device_motor_stop (NbDevice *dev, GCancellable *cancellable, GError **error)
{
  /* Disarmed before the stop is sent, not after its ACK: if the stop is lost, the pen's watchdog
   * finishes the job instead of our PINGs keeping the motor alive. */
  nb_device_set_motor_running (dev, FALSE);
  /* A keepalive PING in flight gives way at once rather than making the stop wait its timeout. */
  g_atomic_int_inc (&dev->urgent);
  gboolean ok = simple_request (dev, NB_MSG_MOTOR_STOP, NULL, 0, cancellable, error);
  g_atomic_int_dec_and_test (&dev->urgent);
  return ok;
}

gboolean
nb_device_stream_start (NbDevice *dev, GCancellable *cancellable, GError **error)
{
  g_mutex_lock (&dev->lock);
  dev->have_index = FALSE;
  dev->last_rx_us = g_get_monotonic_time ();
  g_mutex_unlock (&dev->lock);
  if (!simple_request (dev, NB_MSG_STREAM_START, NULL, 0, cancellable, error))
    return FALSE;
  g_mutex_lock (&dev->lock);
  dev->streaming = TRUE;
  dev->last_rx_us = g_get_monotonic_time ();
  g_mutex_unlock (&dev->lock);
  return TRUE;
}

gboolean
nb_device_stream_stop (NbDevice *dev, GCancellable *cancellable, GError **error)
{
  g_mutex_lock (&dev->lock);
  dev->streaming = FALSE;
  g_mutex_unlock (&dev->lock);
  return simple_request (dev, NB_MSG_STREAM_STOP, NULL, 0, cancellable, error);
}

gboolean
nb_device_ping (NbDevice *dev, GCancellable *cancellable, GError **error)
{
  return simple_request (dev, NB_MSG_PING, NULL, 0, cancellable, error);
}

gboolean
nb_device_get_status (NbDevice *dev, NbStatus *status, GCancellable *cancellable, GError **error)
{
  guint8 answer[NB_FRAME_MAX_PAYLOAD];
  gsize len = 0;
  if (!nb_device_request (dev, NB_MSG_GET_STATUS, NULL, 0, NB_MSG_STATUS, answer, &len, cancellable,
                          error))
    return FALSE;
  if (!nb_status_decode (answer, len, status, error))
    return device_protocol_error (dev, error, "STATUS");
  return TRUE;
}

gboolean
nb_device_read_calibration (NbDevice *dev, NbCalTable *table, GCancellable *cancellable,
                            GError **error)
{
  guint8 answer[NB_FRAME_MAX_PAYLOAD];
  gsize len = 0;
  if (!nb_device_request (dev, NB_MSG_CAL_READ, NULL, 0, NB_MSG_CAL_TABLE, answer, &len,
                          cancellable, error))
    return FALSE;
  if (!nb_cal_table_decode (answer, len, table, error))
    return device_protocol_error (dev, error, "CAL_TABLE");
  return TRUE;
}

static gboolean
reset_seen (NbDevice *dev)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&dev->lock);
  return dev->reset_seen;
}

/* A pen that resets while it receives or commits a table answers nothing (a timeout), or only its
 * retry: the reset is what the user must hear about, so it replaces whatever error the request
 * gave. Always returns FALSE. */
static gboolean
report_reset (NbDevice *dev, GError **error)
{
  g_clear_error (error);
  g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_RESET,
               "%s: pen reset during calibration write: previous table still in force",
               dev->description);
  return FALSE;
}

gboolean
nb_device_write_calibration (NbDevice *dev, const NbCalTable *table, GCancellable *cancellable,
                             GError **error)
{
  guint8 payload[NB_FRAME_MAX_PAYLOAD];
  gsize len = nb_cal_table_encode (table, payload);
  NbCalTable back;

  if (len == 0)
    {
      g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_OUT_OF_RANGE,
                   "calibration table has %u points, at most %d allowed", table->n_points,
                   NB_CAL_MAX_POINTS);
      return FALSE;
    }
  g_mutex_lock (&dev->lock);
  dev->reset_seen = FALSE;
  g_mutex_unlock (&dev->lock);

  if (!simple_request (dev, NB_MSG_CAL_WRITE, payload, len, cancellable, error))
    return reset_seen (dev) ? report_reset (dev, error) : FALSE;
  if (reset_seen (dev))
    return report_reset (dev, error);
  guint8 crc[4];
  nb_put_u32 (crc, nb_get_u32 (payload + len - 4));
  if (!simple_request (dev, NB_MSG_CAL_COMMIT, crc, 4, cancellable, error))
    return reset_seen (dev) ? report_reset (dev, error) : FALSE;
  if (!nb_device_read_calibration (dev, &back, cancellable, error))
    return FALSE;
  if (!nb_cal_table_equal (&back, table))
    {
      g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_VERIFY,
                   "%s: the calibration read back differs from what was written", dev->description);
      return FALSE;
    }
  return TRUE;
}
