/* nb-device.h: a connected pen, whatever the link. Opens a device URI, identifies the pen, sends
 * requests with timeout and retry (docs/protocol.md, section 3), and delivers telemetry batches,
 * events and the loss of the link as signals on the GMainContext that was the thread-default
 * context of the thread that opened it.
 *
 * Requests are synchronous and thread-safe: call them from a worker thread (GTask) in a GUI. */
#pragma once

#include <gio/gio.h>

#include "nb-device-error.h"
#include "nb-messages.h"

G_BEGIN_DECLS

#define NB_TYPE_DEVICE (nb_device_get_type ())
G_DECLARE_FINAL_TYPE (NbDevice, nb_device, NB, DEVICE, GObject)

/* One TELEMETRY message, as delivered by the "telemetry" signal (valid during the emission). */
typedef struct
{
  guint64 first_index;
  guint16 flags; /* bit 0: motor running */
  guint16 count;
  gint64 received_us;                       /* g_get_monotonic_time () when the frame was decoded */
  gint16 samples[NB_TELEMETRY_MAX_SAMPLES]; /* tip position, µm */
} NbTelemetryBatch;

/* Link and stream counters; they only grow while the device is open. */
typedef struct
{
  guint64 bytes;
  guint64 frames;
  guint64 crc_errors;
  guint64 framing_errors;
  guint64 batches;
  guint64 samples;
  guint64 gaps;          /* jumps forward in the telemetry sample index, by a second at most */
  guint64 lost_samples;  /* samples missing in those jumps */
  guint64 stream_breaks; /* jumps backwards or further forward: the index is not to be trusted */
  guint64 retries;       /* requests sent again after a timeout */
  guint64 events;
  guint64 requests;           /* request frames sent, retries and keepalive PINGs included */
  guint64 keepalive_failures; /* keepalive PINGs the pen did not acknowledge */
  gint64 last_request_us;     /* g_get_monotonic_time () of the last request sent; 0: none yet */
} NbDeviceStats;

#define NB_DEVICE_DEFAULT_TIMEOUT_MS 250
#define NB_DEVICE_DEFAULT_RETRIES 3
/* A streaming pen that sends nothing for this long is reported lost (a stalled link). */
#define NB_DEVICE_STALL_MS 1500
/* While the motor runs (from an acknowledged MOTOR_START to MOTOR_STOP, close or loss of the
 * link), the device sends PING when no request has gone to the pen for this long, so that the
 * pen's watchdog (2 s, docs/protocol.md) sees a request at least every 500 ms. Assumes a per-try
 * timeout no longer than this, as a request in flight is not interrupted for a PING. */
#define NB_DEVICE_KEEPALIVE_MS 350

/* nb_device_open: (transfer full) opens @uri and identifies the pen. */
G_GNUC_WARN_UNUSED_RESULT
NbDevice *nb_device_open (const char *uri, GCancellable *cancellable, GError **error);

/* nb_device_open_full: as nb_device_open with a per-try timeout and a retry count (discovery
 * probes ports quickly: 200 ms, 1 retry). */
G_GNUC_WARN_UNUSED_RESULT
NbDevice *nb_device_open_full (const char *uri, guint timeout_ms, guint retries,
                               GCancellable *cancellable, GError **error);

/* nb_device_close: stops the stream reader and the keepalive, waits for the request in flight
 * (which fails with G_IO_ERROR_CLOSED, as does every request after it) and closes the link. No
 * signal is emitted after it returns, from any thread. Safe to call twice and from a signal
 * handler; dispose calls it. Does not talk to the pen. */
void nb_device_close (NbDevice *dev);

const char *nb_device_get_uri (NbDevice *dev);
/* The identity read at open (strings validated). */
const NbIdentity *nb_device_get_identity (NbDevice *dev);
gboolean nb_device_is_connected (NbDevice *dev);
/* nb_device_set_rest_dispatch_interval: while the motor is off, telemetry is handed to the
 * context at most every @ms milliseconds (the batches gathered, none dropped) instead of once per
 * batch, so that a pen at rest does not wake a GUI's main loop 200 times a second. Events, a lost
 * link and every batch while the motor runs still go at once. 0 (the default) turns it off. */
void nb_device_set_rest_dispatch_interval (NbDevice *dev, guint ms);
/* nb_device_get_stats: a snapshot of the counters. */
void nb_device_get_stats (NbDevice *dev, NbDeviceStats *stats);

/* Requests. Each returns FALSE with @error set: NB_DEVICE_ERROR_TIMEOUT, _NAK, _DISCONNECTED,
 * _OUT_OF_RANGE (checked against the identity before anything is sent), G_IO_ERROR_CANCELLED,
 * G_IO_ERROR_CLOSED (during or after nb_device_close). */
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_device_identify (NbDevice *dev, NbIdentity *identity, GCancellable *cancellable,
                             GError **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_device_set_depth (NbDevice *dev, double depth_mm, GCancellable *cancellable,
                              GError **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_device_set_rate (NbDevice *dev, double rate_hz, GCancellable *cancellable,
                             GError **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_device_motor_start (NbDevice *dev, GCancellable *cancellable, GError **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_device_motor_stop (NbDevice *dev, GCancellable *cancellable, GError **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_device_stream_start (NbDevice *dev, GCancellable *cancellable, GError **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_device_stream_stop (NbDevice *dev, GCancellable *cancellable, GError **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_device_get_status (NbDevice *dev, NbStatus *status, GCancellable *cancellable,
                               GError **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_device_ping (NbDevice *dev, GCancellable *cancellable, GError **error);

/* nb_device_read_calibration: the table in force on the pen. */
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_device_read_calibration (NbDevice *dev, NbCalTable *table, GCancellable *cancellable,
                                     GError **error);
/* nb_device_write_calibration: CAL_WRITE, CAL_COMMIT, then CAL_READ and a byte-for-byte check.
 * A pen reset in between gives NB_DEVICE_ERROR_RESET (its old table is still in force); a read
 * back that differs gives NB_DEVICE_ERROR_VERIFY. */
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_device_write_calibration (NbDevice *dev, const NbCalTable *table,
                                      GCancellable *cancellable, GError **error);

/* Signals (on the opening thread's context):
 *   "telemetry" (const NbTelemetryBatch *batch)
 *   "event"     (const NbEvent *event)
 *   "lost"      (GError *error, G_TYPE_ERROR, not to be freed): the link is gone; requests fail
 *               from now on.
 * Property "connected" (gboolean, notify). */

G_END_DECLS
