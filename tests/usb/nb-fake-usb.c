/* nb-fake-usb.c: the umockdev ioctl handler that plays the pen (usbdevfs semantics as in
 * /work/shared/fake-hardware.md and libusb's tests/umockdev.c). */
#include "nb-fake-usb.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <umockdev.h>

#include "nb-sim-clock.h"
#include "nb-sim-pen.h"

#define EP_OUT 0x01
#define EP_IN 0x81
/* In fast mode the pen runs ahead until this much output is waiting. */
#define FAST_BACKLOG (256 * 1024)
#define MAX_CATCH_UP_S 1.0 /* at most this much of a late wake-up is replayed */

struct _NbFakeUsb
{
  UMockdevTestbed *testbed;
  UMockdevIoctlBase *handler;
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  char *sys_path;
  NbSimParams params;

  GMutex lock; /* everything below */
  GCond cond;
  gboolean ready;
  NbSimPen *pen;
  NbSimClock clock; /* real-time pacing (not in fast mode) */
  guint64 samples_run;
  GQueue in_urbs;   /* UMockdevIoctlData (struct usbdevfs_urb), submitted bulk IN */
  GQueue done_urbs; /* completed, waiting to be reaped */
  gboolean plugged;
  gboolean busy;
  gboolean fast;
  gboolean stall_once;
  guint64 bytes_to_host;
  guint clear_halts;
  guint zlps_pending;
  guint max_in_flight;
  guint last_out_flags;
  int last_out_length;
  FILE *record;
  GPtrArray *replay; /* Record, in file order; NULL when the sim pen plays */
  guint replay_next; /* next bulk record */
};

/* A URB read back from an ioctl file. */
typedef struct
{
  guint8 type, endpoint;
  int status, actual;
  GBytes *buffer;
  gboolean used;
} Record;

static void
record_free (Record *r)
{
  g_bytes_unref (r->buffer);
  g_free (r);
}

static struct usbdevfs_urb *
urb_of (UMockdevIoctlData *d)
{
  return (struct usbdevfs_urb *) d->data;
}

static guint8 *
urb_buffer (UMockdevIoctlData *d)
{
  /* The resolved buffer is the child data at the buffer pointer's offset. */
  UMockdevIoctlData *buf = umockdev_ioctl_data_resolve (
      d, G_STRUCT_OFFSET (struct usbdevfs_urb, buffer), (gsize) urb_of (d)->buffer_length, NULL);
  guint8 *p = buf->data;
  umockdev_ioctl_data_unref (buf); /* owned by @d: resolving again returns the same block */
  return p;
}

/* Locked. One line of umockdev's ioctl-file format for a completed URB:
 * USBDEVFS_REAPURB ret type endpoint status flags buffer_length actual_length error_count HEX
 * with HEX the whole buffer (buffer_length bytes; past the data it is written as zeros). */
static void
record_urb (NbFakeUsb *f, UMockdevIoctlData *d)
{
  if (f->record == NULL)
    return;
  struct usbdevfs_urb *u = urb_of (d);
  const guint8 *buf = urb_buffer (d);
  int valid = u->type == USBDEVFS_URB_TYPE_CONTROL ? 8 + u->actual_length
              : (u->endpoint & 0x80)               ? u->actual_length
                                                   : u->buffer_length;
  fprintf (f->record, "USBDEVFS_REAPURB 0 %u %u %d %u %d %d 0 ", u->type, u->endpoint, u->status,
           u->flags, u->buffer_length, u->actual_length);
  for (int i = 0; i < u->buffer_length; i++)
    fprintf (f->record, "%02X", i < valid ? buf[i] : 0);
  fputc ('\n', f->record);
}

/* Locked. */
static void
complete_urb (NbFakeUsb *f, UMockdevIoctlData *d, int status, int actual)
{
  urb_of (d)->status = status;
  urb_of (d)->actual_length = actual;
  if (status == 0)
    record_urb (f, d);
  g_queue_push_tail (&f->done_urbs, d);
}

static gsize
string_descriptor (guint8 *out, gsize max, const char *text)
{
  gsize n = 2;
  for (const char *p = text; *p && n + 2 <= max && n + 2 <= 255; p++)
    {
      out[n++] = (guint8) *p;
      out[n++] = 0;
    }
  out[0] = (guint8) n;
  out[1] = 0x03;
  return n;
}

/* Locked. Replay: the first unused control record with the same setup packet. */
static void
replay_control (NbFakeUsb *f, UMockdevIoctlData *d)
{
  guint8 *buf = urb_buffer (d);
  for (guint i = 0; i < f->replay->len; i++)
    {
      Record *r = g_ptr_array_index (f->replay, i);
      gsize len = 0;
      const guint8 *rec = g_bytes_get_data (r->buffer, &len);
      if (r->used || r->type != USBDEVFS_URB_TYPE_CONTROL || len < 8 || memcmp (rec, buf, 8))
        continue;
      r->used = TRUE;
      gsize n = MIN ((gsize) r->actual, MIN (len - 8, (gsize) urb_of (d)->buffer_length - 8));
      memcpy (buf + 8, rec + 8, n);
      complete_urb (f, d, r->status, (int) n);
      return;
    }
  complete_urb (f, d, -EPIPE, 0);
}

/* Locked. Replay: the next bulk record, if it goes in @endpoint's direction. */
static Record *
replay_next_bulk (NbFakeUsb *f, guint8 direction)
{
  while (f->replay_next < f->replay->len)
    {
      Record *r = g_ptr_array_index (f->replay, f->replay_next);
      if (r->type == USBDEVFS_URB_TYPE_BULK)
        return (r->endpoint & 0x80) == direction ? r : NULL;
      f->replay_next++;
    }
  return NULL;
}

/* Locked. Replay: an OUT transfer must be the next recorded one, byte for byte. */
static void
replay_out (NbFakeUsb *f, UMockdevIoctlData *d)
{
  Record *r = replay_next_bulk (f, 0x00);
  gsize len = 0;
  const guint8 *rec = r ? g_bytes_get_data (r->buffer, &len) : NULL;
  int n = urb_of (d)->buffer_length;
  if (r == NULL || len != (gsize) n || memcmp (rec, urb_buffer (d), len) != 0)
    {
      g_warning ("fake USB replay: bulk OUT transfer of %d bytes differs from the recording", n);
      complete_urb (f, d, -EPIPE, 0);
      return;
    }
  f->replay_next++;
  complete_urb (f, d, r->status, r->actual);
}

/* Locked. Replay: recorded IN data goes out once the exchange has reached it. */
static void
replay_in (NbFakeUsb *f)
{
  Record *r;
  while (!g_queue_is_empty (&f->in_urbs) && (r = replay_next_bulk (f, 0x80)) != NULL)
    {
      UMockdevIoctlData *d = g_queue_pop_head (&f->in_urbs);
      gsize len = 0;
      const guint8 *rec = g_bytes_get_data (r->buffer, &len);
      gsize n = MIN ((gsize) r->actual, MIN (len, (gsize) urb_of (d)->buffer_length));
      memcpy (urb_buffer (d), rec, n);
      f->bytes_to_host += n;
      f->replay_next++;
      complete_urb (f, d, r->status, (int) n);
    }
}

/* Locked. Control requests: only GET_DESCRIPTOR(STRING) is needed by the driver. */
static void
handle_control (NbFakeUsb *f, UMockdevIoctlData *d)
{
  guint8 *buf = urb_buffer (d);
  guint8 request = buf[1];
  guint16 value = (guint16) (buf[2] | buf[3] << 8);
  guint16 length = (guint16) (buf[6] | buf[7] << 8);
  guint8 desc[256];
  gsize n = 0;
  if (request == 0x06 && (value >> 8) == 0x03)
    {
      switch (value & 0xff)
        {
        case 0: desc[0] = 4, desc[1] = 3, desc[2] = 0x09, desc[3] = 0x04, n = 4; break;
        case 1: n = string_descriptor (desc, sizeof desc, "NeedleBench"); break;
        case 2: n = string_descriptor (desc, sizeof desc, "NB-Pen 3 (simulated, USB)"); break;
        case 3: n = string_descriptor (desc, sizeof desc, f->params.serial); break;
        default: break;
        }
    }
  if (n == 0)
    {
      complete_urb (f, d, -EPIPE, 0); /* a STALL: request not supported */
      return;
    }
  n = MIN (n, length);
  memcpy (buf + 8, desc, n);
  complete_urb (f, d, 0, (int) n);
}

/* Locked. Runs the pen's clock up to now (or ahead, in fast mode). */
static void
run_pen (NbFakeUsb *f)
{
  guint batch = nb_sim_pen_get_batch_size (f->pen);
  gsize pending = 0;
  if (f->fast)
    {
      nb_sim_pen_peek_output (f->pen, &pending);
      /* Bounded: a pen that is not streaming produces nothing however far it runs. */
      for (int i = 0; i < 200 && pending < FAST_BACKLOG; i++)
        {
          nb_sim_pen_advance (f->pen, batch);
          f->samples_run += batch;
          nb_sim_pen_peek_output (f->pen, &pending);
        }
      return;
    }
  f->samples_run
      += (guint64) nb_sim_clock_tick (&f->clock, f->pen, g_get_monotonic_time (), 0, 0) * batch;
}

/* Locked. Moves the pen's output into waiting IN URBs. */
static void
serve_in (NbFakeUsb *f)
{
  while (f->zlps_pending > 0 && !g_queue_is_empty (&f->in_urbs))
    {
      /* A zero-length packet ends a transfer with no data. */
      f->zlps_pending--;
      complete_urb (f, g_queue_pop_head (&f->in_urbs), 0, 0);
    }
  gsize pending = 0;
  const guint8 *out = nb_sim_pen_peek_output (f->pen, &pending);
  while (pending > 0 && !g_queue_is_empty (&f->in_urbs))
    {
      UMockdevIoctlData *d = g_queue_pop_head (&f->in_urbs);
      if (f->stall_once)
        {
          f->stall_once = FALSE;
          complete_urb (f, d, -EPIPE, 0);
          continue;
        }
      /* Whole buffer, or what is there (the pen's last packet is short). */
      gsize n = MIN (pending, (gsize) urb_of (d)->buffer_length);
      memcpy (urb_buffer (d), out, n);
      nb_sim_pen_consume_output (f->pen, n);
      f->bytes_to_host += n;
      complete_urb (f, d, 0, (int) n);
      out = nb_sim_pen_peek_output (f->pen, &pending);
    }
}

static gboolean
reply (UMockdevIoctlClient *client, int ret, int err)
{
  umockdev_ioctl_client_complete (client, ret, err);
  return TRUE;
}

static gboolean
on_ioctl (UMockdevIoctlBase *handler, UMockdevIoctlClient *client, NbFakeUsb *f)
{
  gulong request = umockdev_ioctl_client_get_request (client);
  UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg (client);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&f->lock);

  if (!f->plugged)
    {
      /* Unplugged: hand back what was in flight with -ESHUTDOWN, then ENODEV (as the kernel). */
      if (request == USBDEVFS_REAPURB || request == USBDEVFS_REAPURBNDELAY)
        {
          UMockdevIoctlData *d = g_queue_pop_head (&f->done_urbs);
          if (d == NULL && (d = g_queue_pop_head (&f->in_urbs)) != NULL)
            urb_of (d)->status = -ESHUTDOWN, urb_of (d)->actual_length = 0;
          if (d == NULL)
            return reply (client, -1, ENODEV);
          g_autoptr (UMockdevIoctlData) ptr
              = umockdev_ioctl_data_resolve (arg, 0, sizeof (gpointer), NULL);
          if (ptr == NULL)
            {
              umockdev_ioctl_data_unref (d);
              return reply (client, -1, EFAULT);
            }
          umockdev_ioctl_data_set_ptr (ptr, 0, d);
          umockdev_ioctl_data_unref (d);
          return reply (client, 0, 0);
        }
      return reply (client, -1, ENODEV);
    }

  switch (request)
    {
    case USBDEVFS_GET_CAPABILITIES:
      {
        g_autoptr (UMockdevIoctlData) d
            = umockdev_ioctl_data_resolve (arg, 0, sizeof (guint32), NULL);
        if (d == NULL)
          return reply (client, -1, EFAULT);
        *(guint32 *) d->data = USBDEVFS_CAP_BULK_SCATTER_GATHER | USBDEVFS_CAP_BULK_CONTINUATION
                               | USBDEVFS_CAP_NO_PACKET_SIZE_LIM
                               | USBDEVFS_CAP_REAP_AFTER_DISCONNECT | USBDEVFS_CAP_ZERO_PACKET;
        return reply (client, 0, 0);
      }
    case USBDEVFS_CLAIMINTERFACE:
    case USBDEVFS_DISCONNECT_CLAIM: /* libusb's auto-detach claims this way */
      return f->busy ? reply (client, -1, EBUSY) : reply (client, 0, 0);
    case USBDEVFS_CLEAR_HALT: f->clear_halts++; return reply (client, 0, 0);
    case USBDEVFS_RELEASEINTERFACE:
    case USBDEVFS_RESETEP:
    case USBDEVFS_SETINTERFACE: return reply (client, 0, 0);
    case USBDEVFS_GETDRIVER:
    case USBDEVFS_IOCTL:                  /* USBDEVFS_DISCONNECT of a kernel driver */
      return reply (client, -1, ENODATA); /* no kernel driver bound */
    case USBDEVFS_SUBMITURB:
      {
        UMockdevIoctlData *d
            = umockdev_ioctl_data_resolve (arg, 0, sizeof (struct usbdevfs_urb), NULL);
        if (d == NULL)
          return reply (client, -1, EFAULT);
        struct usbdevfs_urb *u = urb_of (d);
        if (u->type == USBDEVFS_URB_TYPE_CONTROL)
          f->replay ? replay_control (f, d) : handle_control (f, d);
        else if (u->type == USBDEVFS_URB_TYPE_BULK && u->endpoint == EP_IN)
          {
            g_queue_push_tail (&f->in_urbs, d);
            f->max_in_flight = MAX (f->max_in_flight, f->in_urbs.length);
          }
        else if (u->type == USBDEVFS_URB_TYPE_BULK && u->endpoint == EP_OUT)
          {
            f->last_out_flags = u->flags;
            f->last_out_length = u->buffer_length;
            if (f->replay)
              replay_out (f, d);
            else
              {
                nb_sim_pen_receive (f->pen, urb_buffer (d), (gsize) u->buffer_length);
                complete_urb (f, d, 0, u->buffer_length);
              }
          }
        else
          {
            umockdev_ioctl_data_unref (d);
            return reply (client, -1, EINVAL);
          }
        return reply (client, 0, 0);
      }
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY:
      {
        if (f->replay)
          replay_in (f);
        else
          {
            run_pen (f);
            serve_in (f);
          }
        UMockdevIoctlData *d = g_queue_pop_head (&f->done_urbs);
        if (d == NULL)
          return reply (client, -1, EAGAIN);
        g_autoptr (UMockdevIoctlData) ptr
            = umockdev_ioctl_data_resolve (arg, 0, sizeof (gpointer), NULL);
        if (ptr == NULL)
          {
            umockdev_ioctl_data_unref (d);
            return reply (client, -1, EFAULT);
          }
        umockdev_ioctl_data_set_ptr (ptr, 0, d);
        umockdev_ioctl_data_unref (d); /* the client's memory is updated on complete */
        return reply (client, 0, 0);
      }
    case USBDEVFS_DISCARDURB:
      {
        gulong addr = *(gulong *) arg->data;
        for (GList *l = f->in_urbs.head; l; l = l->next)
          if (((UMockdevIoctlData *) l->data)->client_addr == addr)
            {
              UMockdevIoctlData *d = l->data;
              g_queue_delete_link (&f->in_urbs, l);
              urb_of (d)->status = -ENOENT;
              urb_of (d)->actual_length = 0;
              g_queue_push_tail (&f->done_urbs, d);
              return reply (client, 0, 0);
            }
        return reply (client, -1, EINVAL);
      }
    default:
      g_debug ("fake USB: unhandled ioctl 0x%lx", request);
      return FALSE; /* not ours: fall through */
    }
}

static gpointer
worker (gpointer data)
{
  NbFakeUsb *f = data;
  g_main_context_push_thread_default (f->context);
  f->handler = umockdev_ioctl_base_new ();
  g_signal_connect (f->handler, "handle-ioctl", G_CALLBACK (on_ioctl), f);
  gboolean ok = umockdev_testbed_attach_ioctl (f->testbed, NB_FAKE_USB_DEVNODE, f->handler, NULL);
  if (!ok)
    g_warning ("fake USB: cannot attach the ioctl handler to %s", NB_FAKE_USB_DEVNODE);
  g_mutex_lock (&f->lock);
  f->ready = TRUE;
  g_cond_broadcast (&f->cond);
  g_mutex_unlock (&f->lock);
  g_main_loop_run (f->loop);
  g_main_context_pop_thread_default (f->context);
  return NULL;
}

NbFakeUsb *
nb_fake_usb_new (const char *sim_spec, GError **error)
{
  NbFakeUsb *f = g_new0 (NbFakeUsb, 1);
  nb_sim_params_init_defaults (&f->params);
  if (!nb_sim_params_parse (&f->params, sim_spec ? sim_spec : "", error))
    {
      nb_sim_params_clear (&f->params);
      g_free (f);
      return NULL;
    }
  if (f->params.time_scale <= 0)
    f->params.time_scale = 1.0;
  g_mutex_init (&f->lock);
  g_cond_init (&f->cond);
  g_queue_init (&f->in_urbs);
  g_queue_init (&f->done_urbs);
  f->testbed = umockdev_testbed_new ();
  f->context = g_main_context_new ();
  f->loop = g_main_loop_new (f->context, FALSE);
  f->thread = g_thread_new ("fake-usb", worker, f);
  g_mutex_lock (&f->lock);
  while (!f->ready)
    g_cond_wait (&f->cond, &f->lock);
  g_mutex_unlock (&f->lock);
  return f;
}

/* Parses umockdev's ioctl-file format (USBDEVFS_REAPURB lines; others are ignored). */
static GPtrArray *
load_records (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (int i = 0; lines[i]; i++)
    {
      unsigned type, ep, flags;
      int ret, status, buflen, actual, errors, offset = 0;
      if (!g_str_has_prefix (lines[i], "USBDEVFS_REAPURB "))
        continue;
      if (sscanf (lines[i] + strlen ("USBDEVFS_REAPURB "), "%d %u %u %d %u %d %d %d %n", &ret,
                  &type, &ep, &status, &flags, &buflen, &actual, &errors, &offset)
              < 8
          || buflen < 0 || actual < 0 || actual > buflen)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s:%d: not a URB record", path,
                       i + 1);
          return NULL;
        }
      const char *hex = lines[i] + strlen ("USBDEVFS_REAPURB ") + offset;
      GByteArray *buf = g_byte_array_sized_new ((guint) buflen);
      for (int k = 0;
           k < buflen && g_ascii_isxdigit (hex[2 * k]) && g_ascii_isxdigit (hex[2 * k + 1]); k++)
        {
          guint8 b = (guint8) (g_ascii_xdigit_value (hex[2 * k]) << 4
                               | g_ascii_xdigit_value (hex[2 * k + 1]));
          g_byte_array_append (buf, &b, 1);
        }
      Record *r = g_new0 (Record, 1);
      r->type = (guint8) type;
      r->endpoint = (guint8) ep;
      r->status = status;
      r->actual = actual;
      r->buffer = g_byte_array_free_to_bytes (buf);
      g_ptr_array_add (records, r);
    }
  return g_steal_pointer (&records);
}

NbFakeUsb *
nb_fake_usb_new_replay (const char *ioctl_file, GError **error)
{
  g_autoptr (GPtrArray) records = load_records (ioctl_file, error);
  if (records == NULL)
    return NULL;
  NbFakeUsb *f = nb_fake_usb_new ("", error);
  if (f)
    f->replay = g_steal_pointer (&records);
  return f;
}

static char *
descriptors_hex (void)
{
  static const guint8 d[] = {
    /* device: USB 2.0, class per interface, EP0 64, 1209:0001, bcdDevice 1.00, strings 1 2 3 */
    0x12,
    0x01,
    0x00,
    0x02,
    0x00,
    0x00,
    0x00,
    0x40,
    0x09,
    0x12,
    0x01,
    0x00,
    0x00,
    0x01,
    0x01,
    0x02,
    0x03,
    0x01,
    /* configuration 1: one interface, bus powered, 100 mA */
    0x09,
    0x02,
    0x20,
    0x00,
    0x01,
    0x01,
    0x00,
    0x80,
    0x32,
    /* interface 0: vendor-specific, two endpoints */
    0x09,
    0x04,
    0x00,
    0x00,
    0x02,
    0xff,
    0x00,
    0x00,
    0x00,
    /* bulk OUT 0x01 and bulk IN 0x81, 512 bytes (high speed) */
    0x07,
    0x05,
    EP_OUT,
    0x02,
    0x00,
    0x02,
    0x00,
    0x07,
    0x05,
    EP_IN,
    0x02,
    0x00,
    0x02,
    0x00,
  };
  GString *s = g_string_new (NULL);
  for (gsize i = 0; i < sizeof d; i++)
    g_string_append_printf (s, "%02x", d[i]);
  return g_string_free (s, FALSE);
}

void
nb_fake_usb_plug (NbFakeUsb *f, const char *serial)
{
  g_mutex_lock (&f->lock);
  if (serial)
    {
      g_free (f->params.serial);
      f->params.serial = g_strdup (serial);
    }
  g_clear_pointer (&f->pen, nb_sim_pen_free);
  f->pen = nb_sim_pen_new (&f->params);
  nb_sim_pen_set_output_limit (f->pen, f->fast ? 4 * FAST_BACKLOG : 32 * 1024);
  nb_sim_clock_init (&f->clock, nb_sim_pen_get_identity (f->pen)->sample_rate_hz,
                     f->params.time_scale, nb_sim_pen_get_batch_size (f->pen), MAX_CATCH_UP_S,
                     g_get_monotonic_time ());
  f->samples_run = 0;
  f->plugged = TRUE;
  g_mutex_unlock (&f->lock);

  g_autofree char *hex = descriptors_hex ();
  g_autofree char *text = g_strdup_printf ("P: /devices/pci0000:00/usb1/1-1\n"
                                           "N: bus/usb/001/002\n"
                                           "E: SUBSYSTEM=usb\n"
                                           "E: DEVNAME=" NB_FAKE_USB_DEVNODE "\n"
                                           "E: DEVTYPE=usb_device\n"
                                           "E: BUSNUM=001\n"
                                           "E: DEVNUM=002\n"
                                           "E: PRODUCT=1209/1/100\n"
                                           "A: busnum=1\\n\n"
                                           "A: devnum=2\\n\n"
                                           "A: speed=480\\n\n"
                                           "A: bConfigurationValue=1\\n\n"
                                           "A: idVendor=1209\\n\n"
                                           "A: idProduct=0001\\n\n"
                                           "A: serial=%s\\n\n"
                                           "H: descriptors=%s\n",
                                           f->params.serial, hex);
  g_autoptr (GError) error = NULL;
  if (!umockdev_testbed_add_from_string (f->testbed, text, &error))
    g_error ("fake USB: adding the device: %s", error->message);
  g_free (f->sys_path);
  f->sys_path = g_strdup ("/sys/devices/pci0000:00/usb1/1-1");
}

void
nb_fake_usb_unplug (NbFakeUsb *f)
{
  g_mutex_lock (&f->lock);
  f->plugged = FALSE;
  g_mutex_unlock (&f->lock);
  if (f->sys_path)
    {
      /* umockdev 0.17's remove_device deletes the files but sends no uevent: send it, so
       * libusb's hotplug sees the device leave (a later add would otherwise be ignored). */
      umockdev_testbed_uevent (f->testbed, f->sys_path, "remove");
      umockdev_testbed_remove_device (f->testbed, f->sys_path);
    }
}

void
nb_fake_usb_set_busy (NbFakeUsb *f, gboolean busy)
{
  g_mutex_lock (&f->lock);
  f->busy = busy;
  g_mutex_unlock (&f->lock);
}

void
nb_fake_usb_set_fast (NbFakeUsb *f, gboolean fast)
{
  g_mutex_lock (&f->lock);
  f->fast = fast;
  if (f->pen)
    nb_sim_pen_set_output_limit (f->pen, fast ? 4 * FAST_BACKLOG : 32 * 1024);
  g_mutex_unlock (&f->lock);
}

void
nb_fake_usb_set_stall_once (NbFakeUsb *f)
{
  g_mutex_lock (&f->lock);
  f->stall_once = TRUE;
  g_mutex_unlock (&f->lock);
}

void
nb_fake_usb_send_zlps (NbFakeUsb *f, guint n)
{
  g_mutex_lock (&f->lock);
  f->zlps_pending += n;
  g_mutex_unlock (&f->lock);
}

guint
nb_fake_usb_get_max_in_flight (NbFakeUsb *f)
{
  g_mutex_lock (&f->lock);
  guint n = f->max_in_flight;
  g_mutex_unlock (&f->lock);
  return n;
}

guint
nb_fake_usb_get_last_out (NbFakeUsb *f, int *length)
{
  g_mutex_lock (&f->lock);
  guint flags = f->last_out_flags;
  *length = f->last_out_length;
  g_mutex_unlock (&f->lock);
  return flags;
}

void
nb_fake_usb_record (NbFakeUsb *f, const char *path)
{
  g_mutex_lock (&f->lock);
  if (f->record)
    fclose (f->record);
  f->record = path ? fopen (path, "w") : NULL;
  if (f->record)
    fprintf (f->record, "@DEV %s (usbdevfs)\n", NB_FAKE_USB_DEVNODE);
  g_mutex_unlock (&f->lock);
}

guint64
nb_fake_usb_get_bytes_to_host (NbFakeUsb *f)
{
  g_mutex_lock (&f->lock);
  guint64 n = f->bytes_to_host;
  g_mutex_unlock (&f->lock);
  return n;
}

guint
nb_fake_usb_get_clear_halts (NbFakeUsb *f)
{
  g_mutex_lock (&f->lock);
  guint n = f->clear_halts;
  g_mutex_unlock (&f->lock);
  return n;
}

guint64
nb_fake_usb_get_dropped_batches (NbFakeUsb *f)
{
  g_mutex_lock (&f->lock);
  guint64 n = f->pen ? nb_sim_pen_get_dropped_batches (f->pen) : 0;
  g_mutex_unlock (&f->lock);
  return n;
}

const char *
nb_fake_usb_sys_path (NbFakeUsb *f)
{
  return f->sys_path;
}

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

void
nb_fake_usb_free (NbFakeUsb *f)
{
  if (f == NULL)
    return;
  /* Quit from inside the loop: a quit before the worker entered g_main_loop_run would be lost. */
  g_main_context_invoke (f->context, quit_loop, f->loop);
  g_thread_join (f->thread);
  nb_fake_usb_record (f, NULL);
  g_clear_object (&f->handler);
  g_clear_object (&f->testbed);
  g_main_loop_unref (f->loop);
  g_main_context_unref (f->context);
  while (!g_queue_is_empty (&f->in_urbs))
    umockdev_ioctl_data_unref (g_queue_pop_head (&f->in_urbs));
  while (!g_queue_is_empty (&f->done_urbs))
    umockdev_ioctl_data_unref (g_queue_pop_head (&f->done_urbs));
  g_clear_pointer (&f->pen, nb_sim_pen_free);
  g_clear_pointer (&f->replay, g_ptr_array_unref);
  nb_sim_params_clear (&f->params);
  g_free (f->sys_path);
  g_mutex_clear (&f->lock);
  g_cond_clear (&f->cond);
  g_free (f);
}
