/* nb-usb-transport.c: one pen on USB. Each open transport has its own libusb context and one
 * event thread that runs libusb's event loop; completed bulk IN transfers append to a buffer that
 * read () waits on (docs/design.md, "USB"). */
#include "nb-usb-transport.h"

#include <string.h>

#include "nb-usb-private.h"

/* Several IN transfers in flight: while one completes and is resubmitted, the others keep the
 * host controller polling, so the pen's FIFO never waits on us. */
#define N_IN_TRANSFERS 4
#define IN_TRANSFER_BYTES (16 * 1024)
/* Past this much unread data the IN transfers are parked (the pen's FIFO fills and it drops
 * whole batches, as the protocol says) instead of the buffer growing without bound. */
#define RX_LIMIT_BYTES (4 * 1024 * 1024)
#define WRITE_TIMEOUT_MS 1000
/* How long close waits for cancelled transfers to come back before it gives up on them. */
#define CLOSE_WAIT_MS 2000
#define EVENT_SLICE_US 100000

typedef struct
{
  NbTransport parent;
  libusb_context *ctx;
  libusb_device_handle *handle;
  NbUsbEndpoints ep;
  gboolean claimed;
  libusb_hotplug_callback_handle hotplug;
  gboolean have_hotplug;

  GThread *event_thread;
  gint stop_events; /* atomic */

  GMutex write_lock; /* one OUT transfer at a time */
  GMutex lock;
  GCond cond;
  GByteArray *rx;
  struct libusb_transfer *in[N_IN_TRANSFERS];
  gboolean in_busy[N_IN_TRANSFERS]; /* submitted and not yet called back */
  gboolean in_parked[N_IN_TRANSFERS];
  gboolean closing;
  gboolean cancelled;
  gboolean write_done;
  int write_status;
  int write_actual;
  GError *link_error; /* set once the pen is gone */
} NbUsbTransport;

static gpointer
event_thread (gpointer data)
{
  NbUsbTransport *t = data;
  while (!g_atomic_int_get (&t->stop_events))
    {
      struct timeval tv = { 0, EVENT_SLICE_US };
      int rc = libusb_handle_events_timeout_completed (t->ctx, &tv, NULL);
      if (rc != LIBUSB_SUCCESS && rc != LIBUSB_ERROR_INTERRUPTED && rc != LIBUSB_ERROR_TIMEOUT)
        g_usleep (10000); /* do not spin on a persistent error */
    }
  return NULL;
}

/* Locked. */
static void set_link_error (NbUsbTransport *t, int code, const char *fmt, ...) G_GNUC_PRINTF (3, 4);
static void
set_link_error (NbUsbTransport *t, int code, const char *fmt, ...)
{
  if (t->link_error == NULL)
    {
      va_list ap;
      va_start (ap, fmt);
      g_autofree char *msg = g_strdup_vprintf (fmt, ap);
      va_end (ap);
      t->link_error = g_error_new (NB_DEVICE_ERROR, code, "%s: %s", t->parent.description, msg);
    }
  g_cond_broadcast (&t->cond);
}

/* Locked. */
static void
submit_in (NbUsbTransport *t, int i)
{
  t->in_parked[i] = FALSE;
  int rc = libusb_submit_transfer (t->in[i]);
  if (rc == LIBUSB_SUCCESS)
    t->in_busy[i] = TRUE;
  else
    set_link_error (t,
                    nb_usb_error_code (rc) == NB_DEVICE_ERROR_DISCONNECTED
                        ? NB_DEVICE_ERROR_DISCONNECTED
                        : NB_DEVICE_ERROR_IO,
                    "reading: %s", libusb_strerror ((enum libusb_error) rc));
}

static void LIBUSB_CALL
on_in_done (struct libusb_transfer *xfer)
{
  NbUsbTransport *t = xfer->user_data;
  int i = 0;
  while (i < N_IN_TRANSFERS && t->in[i] != xfer)
    i++;
  g_mutex_lock (&t->lock);
  t->in_busy[i] = FALSE;
  gboolean resubmit = FALSE;
  switch (xfer->status)
    {
    case LIBUSB_TRANSFER_COMPLETED:
      /* A short packet (or a ZLP) ends a transfer early; the stream continues either way. */
      g_byte_array_append (t->rx, xfer->buffer, (guint) xfer->actual_length);
      g_cond_broadcast (&t->cond);
      resubmit = TRUE;
      break;
    case LIBUSB_TRANSFER_STALL:
      {
        /* The pen halted its IN endpoint: clear the halt and resynchronise. A 0x00 in the stream
         * makes the frame decoder drop the frame the stall cut (docs/protocol.md, 9). */
        static const guint8 delimiter = 0x00;
        g_byte_array_append (t->rx, xfer->buffer, (guint) xfer->actual_length);
        g_byte_array_append (t->rx, &delimiter, 1);
        int rc = libusb_clear_halt (t->handle, t->ep.ep_in);
        if (rc == LIBUSB_SUCCESS)
          resubmit = TRUE;
        else
          set_link_error (t, nb_usb_error_code (rc), "clearing a stalled IN endpoint: %s",
                          libusb_strerror ((enum libusb_error) rc));
        break;
      }
    case LIBUSB_TRANSFER_CANCELLED: break;
    case LIBUSB_TRANSFER_NO_DEVICE:
      set_link_error (t, NB_DEVICE_ERROR_DISCONNECTED, "the pen was unplugged");
      break;
    case LIBUSB_TRANSFER_TIMED_OUT: /* no timeout is set; treat as an error */
    case LIBUSB_TRANSFER_OVERFLOW:
    case LIBUSB_TRANSFER_ERROR:
    default:
      set_link_error (t, NB_DEVICE_ERROR_DISCONNECTED, "bulk IN transfer failed (status %d)",
                      xfer->status);
      break;
    }
  if (resubmit && !t->closing && t->link_error == NULL)
    {
      if (t->rx->len > RX_LIMIT_BYTES)
        t->in_parked[i] = TRUE;
      else
        submit_in (t, i);
    }
  g_cond_broadcast (&t->cond);
  g_mutex_unlock (&t->lock);
}

static void LIBUSB_CALL
on_out_done (struct libusb_transfer *xfer)
{
  NbUsbTransport *t = xfer->user_data;
  g_mutex_lock (&t->lock);
  t->write_done = TRUE;
  t->write_status = xfer->status;
  t->write_actual = xfer->actual_length;
  g_cond_broadcast (&t->cond);
  g_mutex_unlock (&t->lock);
}

static int LIBUSB_CALL
on_hotplug (libusb_context *ctx, libusb_device *dev, libusb_hotplug_event event, void *data)
{
  NbUsbTransport *t = data;
  if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT && dev == libusb_get_device (t->handle))
    {
      g_mutex_lock (&t->lock);
      set_link_error (t, NB_DEVICE_ERROR_DISCONNECTED, "the pen was unplugged");
      g_mutex_unlock (&t->lock);
      return 1; /* deregister */
    }
  return 0;
}

static gssize
usb_read (NbTransport *base, guint8 *buf, gsize len, int timeout_ms, GError **error)
{
  NbUsbTransport *t = (NbUsbTransport *) base;
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  g_mutex_lock (&t->lock);
  for (;;)
    {
      if (t->cancelled)
        {
          g_mutex_unlock (&t->lock);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s: cancelled", base->description);
          return -1;
        }
      if (t->rx->len > 0)
        break;
      if (t->link_error)
        {
          /* Bytes that arrived before the pen went away are delivered first. */
          g_propagate_error (error, g_error_copy (t->link_error));
          g_mutex_unlock (&t->lock);
          return -1;
        }
      if (!g_cond_wait_until (&t->cond, &t->lock, deadline))
        {
          g_mutex_unlock (&t->lock);
          return 0;
        }
    }
  gsize n = MIN (len, t->rx->len);
  memcpy (buf, t->rx->data, n);
  g_byte_array_remove_range (t->rx, 0, (guint) n);
  if (t->rx->len < RX_LIMIT_BYTES / 2 && !t->closing && t->link_error == NULL)
    for (int i = 0; i < N_IN_TRANSFERS; i++)
      if (t->in_parked[i])
        submit_in (t, i);
  g_mutex_unlock (&t->lock);
  return (gssize) n;
}

static gboolean
usb_write (NbTransport *base, const guint8 *buf, gsize len, GError **error)
{
  NbUsbTransport *t = (NbUsbTransport *) base;
  if (len == 0)
    return TRUE;
  g_autoptr (GMutexLocker) writer = g_mutex_locker_new (&t->write_lock);
  struct libusb_transfer *xfer = libusb_alloc_transfer (0);
  /* libusb does not copy the buffer; the transfer owns a copy until its callback. */
  guint8 *copy = g_memdup2 (buf, len);
  libusb_fill_bulk_transfer (xfer, t->handle, t->ep.ep_out, copy, (int) len, on_out_done, t,
                             WRITE_TIMEOUT_MS);
  /* A transfer that ends on a packet boundary is followed by a ZLP (docs/protocol.md, 9). */
  if (len % t->ep.max_packet == 0)
    xfer->flags |= LIBUSB_TRANSFER_ADD_ZERO_PACKET;

  g_mutex_lock (&t->lock);
  t->write_done = FALSE;
  int rc = t->link_error ? LIBUSB_ERROR_NO_DEVICE : libusb_submit_transfer (xfer);
  if (rc == LIBUSB_ERROR_NOT_SUPPORTED && (xfer->flags & LIBUSB_TRANSFER_ADD_ZERO_PACKET))
    {
      xfer->flags &= (guint8) ~LIBUSB_TRANSFER_ADD_ZERO_PACKET; /* no ZLP support: send without */
      rc = libusb_submit_transfer (xfer);
    }
  if (rc != LIBUSB_SUCCESS)
    {
      g_mutex_unlock (&t->lock);
      libusb_free_transfer (xfer);
      g_free (copy);
      if (t->link_error && rc == LIBUSB_ERROR_NO_DEVICE)
        g_propagate_error (error, g_error_copy (t->link_error));
      else
        nb_usb_set_error (error, rc, "%s: writing", base->description);
      return FALSE;
    }
  /* libusb's own timeout ends the transfer; the event thread always runs, so this returns. */
  while (!t->write_done)
    g_cond_wait (&t->cond, &t->lock);
  int status = t->write_status;
  int actual = t->write_actual;
  g_mutex_unlock (&t->lock);
  libusb_free_transfer (xfer);
  g_free (copy);

  if (status == LIBUSB_TRANSFER_COMPLETED && actual == (int) len)
    return TRUE;
  if (status == LIBUSB_TRANSFER_NO_DEVICE)
    g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_DISCONNECTED, "%s: the pen was unplugged",
                 base->description);
  else if (status == LIBUSB_TRANSFER_TIMED_OUT)
    g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_TIMEOUT,
                 "%s: writing: the pen accepted %d of %zu bytes in %d ms", base->description,
                 actual, len, WRITE_TIMEOUT_MS);
  else
    g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_IO,
                 "%s: writing: bulk OUT transfer failed (status %d)", base->description, status);
  return FALSE;
}

static void
usb_cancel (NbTransport *base)
{
  NbUsbTransport *t = (NbUsbTransport *) base;
  g_mutex_lock (&t->lock);
  t->cancelled = TRUE;
  g_cond_broadcast (&t->cond);
  g_mutex_unlock (&t->lock);
}

static void
usb_close (NbTransport *base)
{
  NbUsbTransport *t = (NbUsbTransport *) base;
  gboolean leak = FALSE;

  if (t->event_thread)
    {
      g_mutex_lock (&t->lock);
      t->closing = TRUE;
      for (int i = 0; i < N_IN_TRANSFERS; i++)
        if (t->in_busy[i])
          libusb_cancel_transfer (t->in[i]);
      gint64 deadline = g_get_monotonic_time () + CLOSE_WAIT_MS * 1000;
      for (int i = 0; i < N_IN_TRANSFERS; i++)
        while (t->in_busy[i])
          if (!g_cond_wait_until (&t->cond, &t->lock, deadline))
            break;
      for (int i = 0; i < N_IN_TRANSFERS; i++)
        leak |= t->in_busy[i];
      g_mutex_unlock (&t->lock);

      if (t->have_hotplug)
        libusb_hotplug_deregister_callback (t->ctx, t->hotplug);
      g_atomic_int_set (&t->stop_events, 1);
      libusb_interrupt_event_handler (t->ctx);
      g_thread_join (t->event_thread);
    }
  if (leak)
    g_warning ("%s: bulk IN transfers did not come back after cancel; leaking them",
               base->description);
  for (int i = 0; i < N_IN_TRANSFERS && !leak; i++)
    if (t->in[i])
      {
        g_free (t->in[i]->buffer);
        libusb_free_transfer (t->in[i]);
      }
  if (t->handle)
    {
      if (t->claimed)
        libusb_release_interface (t->handle, t->ep.interface);
      if (!leak)
        libusb_close (t->handle);
    }
  if (t->ctx && !leak)
    libusb_exit (t->ctx);
  g_byte_array_unref (t->rx);
  g_clear_error (&t->link_error);
  g_mutex_clear (&t->lock);
  g_mutex_clear (&t->write_lock);
  g_cond_clear (&t->cond);
  g_free (base->description);
  g_free (t);
}

static const NbTransportOps usb_ops = {
  .name = "usb",
  .read = usb_read,
  .write = usb_write,
  .cancel = usb_cancel,
  .close = usb_close,
};

/* Opens the first device @uri wants; returns its handle or NULL with @error set. */
static libusb_device_handle *
open_matching (libusb_context *ctx, const NbDeviceUri *uri, char **serial_out, GError **error)
{
  libusb_device **list = NULL;
  ssize_t n = libusb_get_device_list (ctx, &list);
  if (n < 0)
    {
      nb_usb_set_error (error, (int) n, "listing USB devices");
      return NULL;
    }
  libusb_device_handle *found = NULL;
  int first_error = LIBUSB_SUCCESS;
  for (ssize_t i = 0; i < n && found == NULL; i++)
    {
      struct libusb_device_descriptor desc;
      if (libusb_get_device_descriptor (list[i], &desc) != LIBUSB_SUCCESS
          || !nb_usb_id_matches (&desc, uri))
        continue;
      libusb_device_handle *h = NULL;
      int rc = libusb_open (list[i], &h);
      if (rc != LIBUSB_SUCCESS)
        {
          if (first_error == LIBUSB_SUCCESS)
            first_error = rc;
          continue;
        }
      g_autofree char *serial = nb_usb_read_serial (h, &desc);
      if (uri->usb_serial && g_strcmp0 (serial, uri->usb_serial) != 0)
        {
          libusb_close (h);
          continue;
        }
      *serial_out = g_steal_pointer (&serial);
      found = h;
    }
  libusb_free_device_list (list, 1);
  if (found == NULL)
    {
      if (first_error != LIBUSB_SUCCESS && uri->usb_serial == NULL)
        nb_usb_set_error (error, first_error, "USB pen for “%s”: opening", uri->text);
      else
        g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_NOT_FOUND, "no USB pen matches “%s”%s",
                     uri->text,
                     first_error == LIBUSB_ERROR_ACCESS
                         ? " (some USB pens could not be opened: install NeedleBench's udev rules, "
                           "see docs/install-udev.md)"
                         : "");
    }
  return found;
}

NbTransport *
nb_usb_transport_open (const NbDeviceUri *uri, GError **error)
{
  NbUsbTransport *t = g_new0 (NbUsbTransport, 1);
  t->parent.ops = &usb_ops;
  t->parent.description = g_strdup_printf ("USB pen %s", uri->text);
  t->rx = g_byte_array_sized_new (IN_TRANSFER_BYTES * N_IN_TRANSFERS);
  g_mutex_init (&t->lock);
  g_mutex_init (&t->write_lock);
  g_cond_init (&t->cond);

  int rc = libusb_init (&t->ctx);
  if (rc != LIBUSB_SUCCESS)
    {
      t->ctx = NULL;
      nb_usb_set_error (error, rc, "initialising libusb");
      usb_close (&t->parent);
      return NULL;
    }
  g_autofree char *serial = NULL;
  t->handle = open_matching (t->ctx, uri, &serial, error);
  if (t->handle == NULL)
    {
      usb_close (&t->parent);
      return NULL;
    }
  libusb_device *dev = libusb_get_device (t->handle);
  g_free (t->parent.description);
  t->parent.description
      = g_strdup_printf ("USB pen %s (bus %u device %u)", serial ? serial : uri->text,
                         libusb_get_bus_number (dev), libusb_get_device_address (dev));
  if (!nb_usb_find_endpoints (dev, &t->ep, error))
    {
      g_prefix_error (error, "%s: ", t->parent.description);
      usb_close (&t->parent);
      return NULL;
    }
  libusb_set_auto_detach_kernel_driver (t->handle, 1); /* not supported everywhere: best effort */
  rc = libusb_claim_interface (t->handle, t->ep.interface);
  if (rc != LIBUSB_SUCCESS)
    {
      nb_usb_set_error (error, rc, "%s: claiming interface %d", t->parent.description,
                        t->ep.interface);
      usb_close (&t->parent);
      return NULL;
    }
  t->claimed = TRUE;

  if (libusb_has_capability (LIBUSB_CAP_HAS_HOTPLUG))
    {
      struct libusb_device_descriptor desc;
      libusb_get_device_descriptor (dev, &desc);
      t->have_hotplug = libusb_hotplug_register_callback (
                            t->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0, desc.idVendor,
                            desc.idProduct, LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug, t, &t->hotplug)
                        == LIBUSB_SUCCESS;
    }

  g_mutex_lock (&t->lock);
  for (int i = 0; i < N_IN_TRANSFERS; i++)
    {
      t->in[i] = libusb_alloc_transfer (0);
      libusb_fill_bulk_transfer (t->in[i], t->handle, t->ep.ep_in, g_malloc (IN_TRANSFER_BYTES),
                                 IN_TRANSFER_BYTES, on_in_done, t, 0);
      submit_in (t, i);
    }
  gboolean ok = t->link_error == NULL;
  if (!ok)
    g_propagate_error (error, g_error_copy (t->link_error));
  g_mutex_unlock (&t->lock);
  t->event_thread = g_thread_new ("nb-usb-events", event_thread, t);
  if (!ok)
    {
      usb_close (&t->parent);
      return NULL;
    }
  return &t->parent;
}
