/* nb-device.c: request/response engine, reader thread and signal delivery of a pen. */
#include "nb-device-private.h"

#include <math.h>
#include <string.h>

#include "nb-device-uri.h"

#define READ_SLICE_MS 100
#define WAIT_SLICE_US (20 * 1000)

typedef enum
{
  ITEM_TELEMETRY,
  ITEM_EVENT,
  ITEM_LOST
} ItemKind;

typedef struct
{
  ItemKind kind;
  gpointer data; /* NbTelemetryBatch*, NbEvent* or GError* */
} Item;

enum
{
  SIGNAL_TELEMETRY,
  SIGNAL_EVENT,
  SIGNAL_LOST,
  N_SIGNALS
};
enum
{
  PROP_0,
  PROP_URI,
  PROP_CONNECTED,
  N_PROPS
};
static guint signals[N_SIGNALS];
static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (NbDevice, nb_device, G_TYPE_OBJECT)

static void
item_free (Item *item)
{
  if (item->kind == ITEM_LOST)
    g_error_free (item->data);
  else
    g_free (item->data);
  g_free (item);
}

/* Runs on the opening thread's context: emits what the reader queued, in order. */
static gboolean
dispatch (gpointer data)
{
  NbDevice *dev = data;
  GQueue items = G_QUEUE_INIT;

  g_mutex_lock (&dev->lock);
  dev->dispatch_scheduled = FALSE;
  dev->dispatch_delayed = FALSE;
  GSource *self = g_steal_pointer (&dev->dispatch_source); /* GLib holds its own during dispatch */
  if (!dev->closed)
    {
      items = dev->deliveries;
      g_queue_init (&dev->deliveries);
    }
  g_mutex_unlock (&dev->lock);
  if (self)
    g_source_unref (self);

  Item *item;
  while ((item = g_queue_pop_head (&items)))
    {
      /* A handler, or another thread, may close the device: stop delivering the moment it does.
       * close takes emit_lock after setting `closed`, so once it returns nothing is emitted. */
      g_rec_mutex_lock (&dev->emit_lock);
      if (!g_atomic_int_get (&dev->closed))
        {
          switch (item->kind)
            {
            case ITEM_TELEMETRY:
              g_signal_emit (dev, signals[SIGNAL_TELEMETRY], 0, item->data);
              break;
            case ITEM_EVENT: g_signal_emit (dev, signals[SIGNAL_EVENT], 0, item->data); break;
            case ITEM_LOST:
              g_object_notify_by_pspec (G_OBJECT (dev), props[PROP_CONNECTED]);
              g_signal_emit (dev, signals[SIGNAL_LOST], 0, item->data);
              break;
            }
        }
      g_rec_mutex_unlock (&dev->emit_lock);
      item_free (item);
    }
  return G_SOURCE_REMOVE;
}

/* Called with dev->lock held. */
static void
queue_item (NbDevice *dev, ItemKind kind, gpointer data)
{
  Item *item = g_new (Item, 1);
  item->kind = kind;
  item->data = data;
  if (dev->closed)
    {
      /* the reader between close's flag and its join: nothing is delivered any more */
      item_free (item);
      return;
    }
  g_queue_push_tail (&dev->deliveries, item);
  gboolean delay = kind == ITEM_TELEMETRY && !dev->motor_running && dev->rest_dispatch_ms > 0;
  if (dev->dispatch_scheduled && dev->dispatch_delayed && !delay)
    {
      /* What must not wait brings the gathered batches forward with it (thread-safe). */
      g_source_set_ready_time (dev->dispatch_source, 0);
      dev->dispatch_delayed = FALSE;
    }
  if (!dev->dispatch_scheduled)
    {
      dev->dispatch_scheduled = TRUE;
      dev->dispatch_delayed = delay;
      /* Not g_main_context_invoke: when no thread owns the context at that moment it runs the
       * function right here, in the reader thread, with our lock held. */
      GSource *source = delay ? g_timeout_source_new (dev->rest_dispatch_ms) : g_idle_source_new ();
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, dispatch, g_object_ref (dev), g_object_unref);
      g_source_set_static_name (source, "nb-device-dispatch");
      g_source_attach (source, dev->context);
      dev->dispatch_source = source; /* our reference: close may remove it */
    }
}

/* Called with dev->lock held; takes @error. */
static void
set_lost (NbDevice *dev, GError *error)
{
  if (dev->lost != NULL)
    {
      g_error_free (error);
      return;
    }
  dev->lost = error;
  dev->streaming = FALSE;
  dev->motor_running = FALSE;
  queue_item (dev, ITEM_LOST, g_error_copy (error));
  g_cond_broadcast (&dev->cond);
}

static void
on_telemetry (NbDevice *dev, const NbFrame *f)
{
  guint64 first;
  guint16 flags, count;
  const guint8 *raw;
  g_autoptr (GError) error = NULL;

  if (!nb_telemetry_decode (f->payload, f->length, &first, &flags, &raw, &count, &error))
    {
      dev->malformed++;
      return;
    }
  NbTelemetryBatch *b = g_new (NbTelemetryBatch, 1);
  b->first_index = first;
  b->flags = flags;
  b->count = count;
  b->received_us = g_get_monotonic_time ();
  for (guint i = 0; i < count; i++)
    b->samples[i] = (gint16) nb_get_u16 (raw + 2 * i);

  if (dev->have_index && first != dev->next_index)
    {
      /* Backwards, or further ahead than a second of samples, is not loss on the link but a pen
       * that restarted its count or sent garbage: counting it as lost would invent samples. */
      guint64 one_second = MAX (dev->identity.sample_rate_hz, 1);
      if (first > dev->next_index && first - dev->next_index <= one_second)
        {
          dev->stats.gaps++;
          dev->stats.lost_samples += first - dev->next_index;
        }
      else
        dev->stats.stream_breaks++;
    }
  dev->have_index = TRUE;
  dev->next_index = first + count;
  dev->stats.batches++;
  dev->stats.samples += count;
  queue_item (dev, ITEM_TELEMETRY, b);
}

static void
on_frame (const NbFrame *f, gpointer user_data)
{
  NbDevice *dev = user_data;

  if (f->version != NB_PROTOCOL_VERSION)
    {
      dev->malformed++;
      return;
    }
  g_mutex_lock (&dev->lock);
  if (f->type == NB_MSG_TELEMETRY)
    on_telemetry (dev, f);
  else if (f->type == NB_MSG_EVENT)
    {
      NbEvent *ev = g_new (NbEvent, 1);
      if (nb_event_decode (f->payload, f->length, ev, NULL))
        {
          dev->stats.events++;
          if (ev->code == NB_EVENT_RESET)
            {
              dev->reset_seen = TRUE;
              dev->streaming = FALSE;
              dev->motor_running = FALSE; /* a reset pen's motor is off */
            }
          queue_item (dev, ITEM_EVENT, ev);
        }
      else
        g_free (ev);
    }
  else if (f->type >= 0x80 && dev->pending && !dev->answered && f->seq == dev->pending_seq)
    {
      dev->answered = TRUE;
      dev->answer_type = f->type;
      dev->answer_len = f->length;
      memcpy (dev->answer, f->payload, f->length);
      g_cond_broadcast (&dev->cond);
    }
  /* anything else is a late answer to a request already retried: ignored */
  g_mutex_unlock (&dev->lock);
}

static gpointer
reader_thread (gpointer data)
{
  NbDevice *dev = data;
  guint8 buf[4096];

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      gssize n = nb_transport_read (dev->transport, buf, sizeof buf, READ_SLICE_MS, &error);
      gint64 now = g_get_monotonic_time ();

      if (n < 0)
        {
          g_mutex_lock (&dev->lock);
          if (!dev->stopping)
            set_lost (dev, g_steal_pointer (&error));
          g_mutex_unlock (&dev->lock);
          break;
        }
      if (n > 0)
        {
          nb_frame_decoder_push (&dev->decoder, buf, (gsize) n);
          g_mutex_lock (&dev->lock);
          dev->last_rx_us = now;
          dev->stats.bytes = dev->decoder.stats.bytes;
          dev->stats.frames = dev->decoder.stats.frames;
          dev->stats.crc_errors = dev->decoder.stats.crc_errors;
          /* frames that failed framing, plus good frames whose payload did not parse */
          dev->stats.framing_errors = dev->decoder.stats.framing_errors + dev->malformed;
          g_mutex_unlock (&dev->lock);
          continue;
        }
      g_mutex_lock (&dev->lock);
      gboolean stalled = dev->streaming && now - dev->last_rx_us > NB_DEVICE_STALL_MS * 1000;
      if (stalled)
        {
          /* recorded with the session: a decimal point in every locale */
          char seconds[G_ASCII_DTOSTR_BUF_SIZE];
          g_ascii_formatd (seconds, sizeof seconds, "%.1f", NB_DEVICE_STALL_MS / 1000.0);
          set_lost (dev, g_error_new (NB_DEVICE_ERROR, NB_DEVICE_ERROR_DISCONNECTED,
                                      "%s: no data from the pen for %s s while streaming "
                                      "(link stalled or pen unplugged)",
                                      dev->description, seconds));
        }
      g_mutex_unlock (&dev->lock);
      if (stalled)
        break;
    }
  return NULL;
}

/* Called with dev->lock held: FALSE with @error set once the device is closed or its link lost. */
static gboolean
check_usable (NbDevice *dev, GError **error)
{
  if (dev->closed)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "%s: the device is closed",
                   dev->description);
      return FALSE;
    }
  if (dev->lost)
    {
      g_propagate_error (error, g_error_copy (dev->lost));
      return FALSE;
    }
  return TRUE;
}

/* Called with dev->lock held, once an answer has arrived: takes it out or explains it. */
static gboolean
take_answer (NbDevice *dev, guint8 type, guint8 want, guint8 *answer, gsize *answer_len,
             GError **error)
{
  if (dev->answer_type == NB_MSG_NAK)
    {
      guint8 code = 0;
      guint16 detail = 0;
      if (nb_nak_decode (dev->answer, dev->answer_len, &code, &detail, NULL))
        g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_NAK, "the pen refused %s: %s",
                     nb_message_type_name (type), nb_nak_code_name (code));
      else
        g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_PROTOCOL, "malformed NAK to %s",
                     nb_message_type_name (type));
      return FALSE;
    }
  if (dev->answer_type != want)
    {
      g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_PROTOCOL, "the pen answered %s with %s",
                   nb_message_type_name (type), nb_message_type_name (dev->answer_type));
      return FALSE;
    }
  if (answer)
    {
      memcpy (answer, dev->answer, dev->answer_len);
      *answer_len = dev->answer_len;
    }
  return TRUE;
}

/* The request engine; called with request_lock held. @keepalive: a PING of the keepalive, which
 * gives way to a waiting MOTOR_STOP. */
static gboolean
request_locked (NbDevice *dev, guint8 type, const guint8 *payload, gsize len, guint8 want,
                guint8 *answer, gsize *answer_len, guint attempts, gboolean keepalive,
                GCancellable *cancellable, GError **error)
{
  guint8 wire[NB_FRAME_MAX_WIRE];

  if (++dev->next_seq == 0)
    dev->next_seq = 1;
  guint16 seq = dev->next_seq;
  gsize wire_len = nb_frame_encode (type, seq, payload, len, wire);

  for (guint attempt = 0; attempt < attempts; attempt++)
    {
      {
        g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&dev->lock);
        /* Checked under request_lock: close frees the transport only while holding it. */
        if (!check_usable (dev, error))
          return FALSE;
        dev->pending = TRUE;
        dev->pending_seq = seq;
        dev->answered = FALSE;
        if (attempt > 0)
          dev->stats.retries++;
        dev->stats.requests++;
        dev->stats.last_request_us = g_get_monotonic_time ();
      }

      if (!nb_transport_write (dev->transport, wire, wire_len, error))
        {
          g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&dev->lock);
          dev->pending = FALSE;
          return FALSE;
        }

      gint64 deadline = g_get_monotonic_time () + (gint64) dev->timeout_ms * 1000;
      g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&dev->lock);
      while (!dev->answered && !dev->lost && !dev->closed && g_get_monotonic_time () < deadline)
        {
          if (g_cancellable_is_cancelled (cancellable)
              || (keepalive && g_atomic_int_get (&dev->urgent) > 0))
            break;
          g_cond_wait_until (&dev->cond, &dev->lock,
                             MIN (deadline, g_get_monotonic_time () + WAIT_SLICE_US));
        }
      dev->pending = FALSE;
      if (dev->answered)
        return take_answer (dev, type, want, answer, answer_len, error);
      if (!check_usable (dev, error) || g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (keepalive && g_atomic_int_get (&dev->urgent) > 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "keepalive gave way to a stop");
          return FALSE;
        }
    }
  g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_TIMEOUT,
               "%s: the pen did not answer %s (%u tries, %u ms each)", dev->description,
               nb_message_type_name (type), attempts, dev->timeout_ms);
  return FALSE;
}

gboolean
nb_device_request (NbDevice *dev, guint8 type, const guint8 *payload, gsize len, guint8 want,
                   guint8 *answer, gsize *answer_len, GCancellable *cancellable, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&dev->request_lock);
  return request_locked (dev, type, payload, len, want, answer, answer_len, dev->retries + 1, FALSE,
                         cancellable, error);
}

/* One PING, unless a request is in flight (it reaches the pen, and its retry too). One try only:
 * a PING is not worth a retry, the next one is due soon anyway. */
static void
keepalive_ping (NbDevice *dev)
{
  if (!g_mutex_trylock (&dev->request_lock))
    {
      g_usleep (WAIT_SLICE_US);
      return;
    }
  g_autoptr (GError) error = NULL;
  gboolean ok
      = request_locked (dev, NB_MSG_PING, NULL, 0, NB_MSG_ACK, NULL, NULL, 1, TRUE, NULL, &error);
  g_mutex_unlock (&dev->request_lock);
  if (ok || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
    return;

  g_mutex_lock (&dev->lock);
  dev->stats.keepalive_failures++;
  gboolean first = !dev->keepalive_failed;
  dev->keepalive_failed = TRUE;
  g_mutex_unlock (&dev->lock);
  /* Once per motor run: a pen that stopped answering would otherwise log twice a second. A lost
   * link is reported by the "lost" signal, not here. */
  if (first && !g_error_matches (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_DISCONNECTED))
    g_debug ("%s: keepalive PING failed: %s", dev->description, error->message);
}

/* While the motor runs, no more than NB_DEVICE_KEEPALIVE_MS pass without a request to the pen, so
 * that its watchdog (docs/protocol.md) only fires when this host is gone. */
static gpointer
keepalive_thread (gpointer data)
{
  NbDevice *dev = data;

  g_mutex_lock (&dev->lock);
  while (!dev->stopping)
    {
      if (!dev->motor_running || dev->lost)
        {
          g_cond_wait (&dev->keepalive_cond, &dev->lock);
          continue;
        }
      gint64 due = dev->stats.last_request_us + NB_DEVICE_KEEPALIVE_MS * 1000;
      if (g_get_monotonic_time () < due)
        {
          g_cond_wait_until (&dev->keepalive_cond, &dev->lock, due);
          continue;
        }
      g_mutex_unlock (&dev->lock);
      keepalive_ping (dev);
      g_mutex_lock (&dev->lock);
    }
  g_mutex_unlock (&dev->lock);
  return NULL;
}

void
nb_device_set_rest_dispatch_interval (NbDevice *dev, guint ms)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&dev->lock);
  dev->rest_dispatch_ms = ms;
}

void
nb_device_set_motor_running (NbDevice *dev, gboolean running)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&dev->lock);
  if (dev->stopping)
    return;
  dev->motor_running = running;
  if (running && dev->dispatch_scheduled && dev->dispatch_delayed)
    {
      g_source_set_ready_time (dev->dispatch_source, 0); /* the running stream goes at once */
      dev->dispatch_delayed = FALSE;
    }
  if (running)
    dev->keepalive_failed = FALSE;
  if (running && dev->keepalive == NULL)
    dev->keepalive = g_thread_new ("nb-device-keepalive", keepalive_thread, dev);
  g_cond_broadcast (&dev->keepalive_cond);
}

NbDevice *
nb_device_open_full (const char *uri, guint timeout_ms, guint retries, GCancellable *cancellable,
                     GError **error)
{
  g_autoptr (NbDeviceUri) parsed = nb_device_uri_parse (uri, error);
  if (parsed == NULL)
    return NULL;
  NbTransport *transport = nb_transport_open (parsed, error);
  if (transport == NULL)
    return NULL;

  g_autoptr (NbDevice) dev = g_object_new (NB_TYPE_DEVICE, "uri", uri, NULL);
  dev->transport = transport;
  dev->description = g_strdup (transport->description);
  dev->timeout_ms = timeout_ms;
  dev->retries = retries;
  dev->last_rx_us = g_get_monotonic_time ();
  /* A lone delimiter ends whatever half frame the pen may hold from an earlier host. */
  static const guint8 flush = 0;
  if (!nb_transport_write (transport, &flush, 1, error))
    return NULL;
  dev->reader = g_thread_new ("nb-device-reader", reader_thread, dev);

  if (!nb_device_identify (dev, &dev->identity, cancellable, error))
    {
      g_prefix_error (error, "opening %s: ", uri);
      return NULL;
    }
  return g_steal_pointer (&dev);
}

NbDevice *
nb_device_open (const char *uri, GCancellable *cancellable, GError **error)
{
  return nb_device_open_full (uri, NB_DEVICE_DEFAULT_TIMEOUT_MS, NB_DEVICE_DEFAULT_RETRIES,
                              cancellable, error);
}

void
nb_device_close (NbDevice *dev)
{
  g_mutex_lock (&dev->lock);
  if (dev->closed)
    {
      g_mutex_unlock (&dev->lock);
      return;
    }
  g_atomic_int_set (&dev->closed, TRUE);
  dev->stopping = TRUE;
  dev->motor_running = FALSE;
  g_queue_clear_full (&dev->deliveries, (GDestroyNotify) item_free);
  /* A pending delivery would only drop what it finds; removed now, its reference on the device
   * goes too, even when the context never runs again. */
  GSource *pending = g_steal_pointer (&dev->dispatch_source);
  dev->dispatch_scheduled = FALSE;
  dev->dispatch_delayed = FALSE;
  /* wakes the request in flight (it fails with G_IO_ERROR_CLOSED) and the keepalive */
  g_cond_broadcast (&dev->cond);
  g_cond_broadcast (&dev->keepalive_cond);
  g_mutex_unlock (&dev->lock);
  if (pending)
    {
      g_source_destroy (pending);
      g_source_unref (pending);
    }

  /* Only this call frees the transport, and `closed` lets only one caller get here. */
  if (dev->transport)
    nb_transport_cancel (dev->transport);
  if (dev->reader)
    g_thread_join (g_steal_pointer (&dev->reader));
  if (dev->keepalive)
    g_thread_join (g_steal_pointer (&dev->keepalive));
  /* An emission in progress on another thread finishes before close returns (recursive: a
   * handler may close the device it is called for). */
  g_rec_mutex_lock (&dev->emit_lock);
  g_rec_mutex_unlock (&dev->emit_lock);
  /* The request in flight, woken above, leaves before its transport goes. */
  g_mutex_lock (&dev->request_lock);
  g_clear_pointer (&dev->transport, nb_transport_close);
  g_mutex_unlock (&dev->request_lock);
}

const char *
nb_device_get_uri (NbDevice *dev)
{
  return dev->uri;
}

const NbIdentity *
nb_device_get_identity (NbDevice *dev)
{
  return &dev->identity;
}

gboolean
nb_device_is_connected (NbDevice *dev)
{
  g_mutex_lock (&dev->lock);
  gboolean ok = !dev->closed && dev->lost == NULL;
  g_mutex_unlock (&dev->lock);
  return ok;
}

void
nb_device_get_stats (NbDevice *dev, NbDeviceStats *stats)
{
  g_mutex_lock (&dev->lock);
  *stats = dev->stats;
  g_mutex_unlock (&dev->lock);
}

static void
nb_device_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  NbDevice *dev = NB_DEVICE (object);
  switch (id)
    {
    case PROP_URI: g_value_set_string (value, dev->uri); break;
    case PROP_CONNECTED: g_value_set_boolean (value, nb_device_is_connected (dev)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
nb_device_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  NbDevice *dev = NB_DEVICE (object);
  switch (id)
    {
    case PROP_URI: dev->uri = g_value_dup_string (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
nb_device_dispose (GObject *object)
{
  nb_device_close (NB_DEVICE (object));
  G_OBJECT_CLASS (nb_device_parent_class)->dispose (object);
}

static void
nb_device_finalize (GObject *object)
{
  NbDevice *dev = NB_DEVICE (object);
  g_clear_error (&dev->lost);
  g_clear_pointer (&dev->context, g_main_context_unref);
  g_free (dev->uri);
  g_free (dev->description);
  g_mutex_clear (&dev->lock);
  g_rec_mutex_clear (&dev->emit_lock);
  g_cond_clear (&dev->keepalive_cond);
  g_mutex_clear (&dev->request_lock);
  g_cond_clear (&dev->cond);
  G_OBJECT_CLASS (nb_device_parent_class)->finalize (object);
}

static void
nb_device_class_init (NbDeviceClass *klass)
{
  GObjectClass *oc = G_OBJECT_CLASS (klass);
  oc->get_property = nb_device_get_property;
  oc->set_property = nb_device_set_property;
  oc->dispose = nb_device_dispose;
  oc->finalize = nb_device_finalize;

  props[PROP_URI] = g_param_spec_string (
      "uri", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_CONNECTED] = g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (oc, N_PROPS, props);

  signals[SIGNAL_TELEMETRY]
      = g_signal_new ("telemetry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_EVENT] = g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  /* static scope: the handlers see the queued error itself, not a copy of it */
  signals[SIGNAL_LOST]
      = g_signal_new ("lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
nb_device_init (NbDevice *dev)
{
  g_mutex_init (&dev->lock);
  g_mutex_init (&dev->request_lock);
  g_cond_init (&dev->cond);
  g_cond_init (&dev->keepalive_cond);
  g_rec_mutex_init (&dev->emit_lock);
  g_queue_init (&dev->deliveries);
  dev->context = g_main_context_ref_thread_default ();
  dev->timeout_ms = NB_DEVICE_DEFAULT_TIMEOUT_MS;
  dev->retries = NB_DEVICE_DEFAULT_RETRIES;
  nb_frame_decoder_init (&dev->decoder, on_frame, dev);
}
