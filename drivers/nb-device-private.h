/* nb-device-private.h: the state NbDevice's engine (nb-device.c) shares with its typed requests
 * (nb-device-requests.c). Not installed, not for callers of the device API. */
#pragma once

#include "nb-device.h"
#include "nb-transport.h"

G_BEGIN_DECLS

struct _NbDevice
{
  GObject parent;

  char *uri;
  char *description;      /* the transport's, kept for messages after close frees the transport */
  NbTransport *transport; /* freed by close under request_lock */
  NbIdentity identity;
  guint timeout_ms;
  guint retries;
  GMainContext *context;

  GThread *reader;
  NbFrameDecoder decoder; /* reader thread only */
  GThread *keepalive;     /* started by the first acknowledged MOTOR_START */

  GMutex lock; /* everything below; `closed` is also read atomically by dispatch */
  GCond cond;
  GCond keepalive_cond;
  gint closed;
  gboolean stopping;
  GError *lost;
  NbDeviceStats stats;
  guint64 malformed; /* good frames with an unparsable payload or unknown version */
  gboolean streaming;
  gboolean have_index;
  guint64 next_index;
  gint64 last_rx_us;
  gboolean reset_seen;
  gboolean motor_running;    /* the host keeps the pen's watchdog fed while this is set */
  gboolean keepalive_failed; /* one message per motor run, not one per PING */

  /* the one request in flight */
  gboolean pending;
  guint16 pending_seq;
  gboolean answered;
  guint8 answer_type;
  guint8 answer[NB_FRAME_MAX_PAYLOAD];
  gsize answer_len;

  GQueue deliveries; /* Item* for the context */
  gboolean dispatch_scheduled;
  GSource *dispatch_source;  /* owned; set while dispatch_scheduled */
  gboolean dispatch_delayed; /* the scheduled dispatch waits for rest_dispatch_ms */
  guint rest_dispatch_ms;    /* nb_device_set_rest_dispatch_interval; 0: every batch at once */
  GRecMutex emit_lock;       /* held while a signal is emitted: close waits for it */

  GMutex request_lock; /* one request at a time */
  guint16 next_seq;
  gint urgent; /* atomic: a MOTOR_STOP waits for request_lock; a keepalive PING yields */
};

/* nb_device_request: sends @type and waits for @want (a NAK or another answer is an error), with
 * the device's timeout and retries. @answer holds NB_FRAME_MAX_PAYLOAD bytes, or is NULL. */
gboolean nb_device_request (NbDevice *dev, guint8 type, const guint8 *payload, gsize len,
                            guint8 want, guint8 *answer, gsize *answer_len,
                            GCancellable *cancellable, GError **error);

/* nb_device_set_motor_running: (un)arms the keepalive PING that feeds the pen's watchdog. */
void nb_device_set_motor_running (NbDevice *dev, gboolean running);

G_END_DECLS
