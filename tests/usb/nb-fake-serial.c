/* nb-fake-serial.c: sysfs of a USB-serial adapter, an ioctl handler for what a pty cannot do, and
 * the simulated pen pumped on the pty master (/work/shared/fake-hardware.md). */
#include "nb-fake-serial.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <umockdev.h>

#include "nb-sim-clock.h"
#include "nb-sim-pen.h"

#define TTY_DEV "/devices/pci0000:00/usb1/1-2/1-2:1.0/ttyUSB0/tty/ttyUSB0"
#define TTY_SYS "/sys/devices/pci0000:00/usb1/1-2/1-2:1.0/ttyUSB0/tty/ttyUSB0"

struct _NbFakeSerial
{
  UMockdevTestbed *testbed;
  UMockdevIoctlBase *handler;
  GThread *ioctl_thread;
  GMainContext *context;
  GMainLoop *loop;
  GThread *pen_thread;
  gint stop;         /* atomic */
  gint modem_ioctls; /* atomic */
  gint ioctls;       /* atomic: every request the handler saw */
  int master;
  NbSimParams params;
  GMutex lock;
  GCond cond;
  gboolean ready;
};

static gboolean
on_ioctl (UMockdevIoctlBase *handler, UMockdevIoctlClient *client, NbFakeSerial *f)
{
  gulong request = umockdev_ioctl_client_get_request (client);
  UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg (client);
  g_atomic_int_inc (&f->ioctls);
  switch (request)
    {
    case TIOCMGET:
      {
        /* A pty has no modem lines: report DSR, CTS and CD up, as an adapter with a pen does. */
        g_atomic_int_inc (&f->modem_ioctls);
        g_autoptr (UMockdevIoctlData) d = umockdev_ioctl_data_resolve (arg, 0, sizeof (int), NULL);
        if (d == NULL) /* the client went away */
          {
            umockdev_ioctl_client_complete (client, -1, EFAULT);
            return TRUE;
          }
        *(int *) d->data = TIOCM_DTR | TIOCM_RTS | TIOCM_CTS | TIOCM_DSR | TIOCM_CD;
        umockdev_ioctl_client_complete (client, 0, 0);
        return TRUE;
      }
    case TIOCMBIS:
    case TIOCMBIC:
    case TIOCMSET: umockdev_ioctl_client_complete (client, 0, 0); return TRUE;
    default:
      {
        /* termios and the rest: the real pty does them. */
        int err = 0;
        g_autoptr (GError) error = NULL;
        int ret = umockdev_ioctl_client_execute (client, &err, &error);
        if (error)
          ret = -1, err = EIO;
        umockdev_ioctl_client_complete (client, ret, err);
        return TRUE;
      }
    }
}

static gpointer
ioctl_worker (gpointer data)
{
  NbFakeSerial *f = data;
  g_main_context_push_thread_default (f->context);
  f->handler = umockdev_ioctl_base_new ();
  g_signal_connect (f->handler, "handle-ioctl", G_CALLBACK (on_ioctl), f);
  if (!umockdev_testbed_attach_ioctl (f->testbed, NB_FAKE_SERIAL_DEVNODE, f->handler, NULL))
    g_warning ("fake serial: cannot attach the ioctl handler");
  g_mutex_lock (&f->lock);
  f->ready = TRUE;
  g_cond_broadcast (&f->cond);
  g_mutex_unlock (&f->lock);
  g_main_loop_run (f->loop);
  g_main_context_pop_thread_default (f->context);
  return NULL;
}

/* The pen on the pty master, in real time. Until the port is opened (and between opens) the
 * master reports POLLHUP / EIO: wait and retry. */
static gpointer
pen_worker (gpointer data)
{
  NbFakeSerial *f = data;
  g_autoptr (NbSimPen) pen = nb_sim_pen_new (&f->params);
  NbSimClock clock;
  nb_sim_clock_init (&clock, nb_sim_pen_get_identity (pen)->sample_rate_hz, 1.0,
                     nb_sim_pen_get_batch_size (pen), 1.0, g_get_monotonic_time ());
  guint8 buf[4096];
  while (!g_atomic_int_get (&f->stop))
    {
      gsize pending = 0;
      nb_sim_pen_peek_output (pen, &pending);
      struct pollfd pfd = { .fd = f->master, .events = POLLIN | (pending ? POLLOUT : 0) };
      int r = poll (&pfd, 1, 2);
      if (r > 0 && (pfd.revents & POLLIN))
        {
          ssize_t n = read (f->master, buf, sizeof buf);
          if (n > 0)
            nb_sim_pen_receive (pen, buf, (gsize) n);
        }
      if (r > 0 && (pfd.revents & POLLHUP) && !(pfd.revents & POLLIN))
        {
          /* Nobody has the port open: the pen idles (its output would go nowhere). */
          g_usleep (5000);
          nb_sim_pen_consume_output (pen, pending);
          continue;
        }
      nb_sim_clock_tick (&clock, pen, g_get_monotonic_time (), 0, 0);
      const guint8 *out = nb_sim_pen_peek_output (pen, &pending);
      if (pending > 0)
        {
          ssize_t n = write (f->master, out, pending);
          if (n > 0)
            nb_sim_pen_consume_output (pen, (gsize) n);
        }
    }
  return NULL;
}

NbFakeSerial *
nb_fake_serial_new (const char *sim_spec, GError **error)
{
  return nb_fake_serial_new_with_id (sim_spec, NB_FAKE_SERIAL_VID, NB_FAKE_SERIAL_PID, error);
}

NbFakeSerial *
nb_fake_serial_new_with_id (const char *sim_spec, guint16 vid, guint16 pid, GError **error)
{
  NbFakeSerial *f = g_new0 (NbFakeSerial, 1);
  f->master = -1;
  nb_sim_params_init_defaults (&f->params);
  if (!nb_sim_params_parse (&f->params, sim_spec ? sim_spec : "", error))
    {
      nb_sim_params_clear (&f->params);
      g_free (f);
      return NULL;
    }
  g_mutex_init (&f->lock);
  g_cond_init (&f->cond);
  f->testbed = umockdev_testbed_new ();
  f->context = g_main_context_new ();
  f->loop = g_main_loop_new (f->context, FALSE);
  f->ioctl_thread = g_thread_new ("fake-serial-ioctl", ioctl_worker, f);
  g_mutex_lock (&f->lock);
  while (!f->ready)
    g_cond_wait (&f->cond, &f->lock);
  g_mutex_unlock (&f->lock);

  g_autofree char *text = g_strdup_printf ("P: /devices/pci0000:00/usb1/1-2\n"
                                           "E: SUBSYSTEM=usb\n"
                                           "E: DEVTYPE=usb_device\n"
                                           "A: idVendor=%04x\\n\n"
                                           "A: idProduct=%04x\\n\n"
                                           "A: serial=%s\\n\n"
                                           "A: manufacturer=FTDI\\n\n"
                                           "A: product=FT232R USB UART\\n\n"
                                           "A: busnum=1\\n\n"
                                           "A: devnum=3\\n\n"
                                           "\n"
                                           "P: /devices/pci0000:00/usb1/1-2/1-2:1.0\n"
                                           "E: SUBSYSTEM=usb\n"
                                           "E: DEVTYPE=usb_interface\n"
                                           "E: DRIVER=ftdi_sio\n"
                                           "\n"
                                           "P: /devices/pci0000:00/usb1/1-2/1-2:1.0/ttyUSB0\n"
                                           "E: SUBSYSTEM=usb-serial\n"
                                           "E: DRIVER=ftdi_sio\n"
                                           "\n"
                                           "P: " TTY_DEV "\n"
                                           "N: ttyUSB0\n"
                                           "E: SUBSYSTEM=tty\n"
                                           "E: DEVNAME=" NB_FAKE_SERIAL_DEVNODE "\n"
                                           "E: MAJOR=188\n"
                                           "E: MINOR=0\n"
                                           "A: dev=188:0\\n\n",
                                           (guint) vid, (guint) pid, NB_FAKE_SERIAL_USB_SERIAL);
  if (!umockdev_testbed_add_from_string (f->testbed, text, error))
    {
      nb_fake_serial_free (f);
      return NULL;
    }
  /* umockdev does not make the tty's "device" link; libserialport follows it to the adapter. */
  umockdev_testbed_set_attribute_link (f->testbed, TTY_SYS, "device", "../../../ttyUSB0");
  f->master = dup (umockdev_testbed_get_dev_fd (f->testbed, NB_FAKE_SERIAL_DEVNODE));
  if (f->master < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "fake serial: no pty master for %s", NB_FAKE_SERIAL_DEVNODE);
      nb_fake_serial_free (f);
      return NULL;
    }
  f->pen_thread = g_thread_new ("fake-serial-pen", pen_worker, f);
  return f;
}

void
nb_fake_serial_unplug (NbFakeSerial *f)
{
  g_atomic_int_set (&f->stop, 1);
  if (f->pen_thread)
    g_thread_join (f->pen_thread);
  f->pen_thread = NULL;
  int orig = umockdev_testbed_get_dev_fd (f->testbed, NB_FAKE_SERIAL_DEVNODE);
  umockdev_testbed_uevent (f->testbed, TTY_SYS, "remove");
  umockdev_testbed_remove_device (f->testbed, TTY_SYS);
  /* umockdev keeps the pty master open after remove_device, so the port would never hang up.
   * Swap /dev/null in under umockdev's descriptor (it closes that one later) and close our
   * duplicate: the last reference to the master goes, and the port sees a hang-up as when a
   * USB-serial adapter is pulled. */
  if (orig >= 0)
    {
      int devnull = open ("/dev/null", O_RDWR | O_CLOEXEC);
      if (devnull >= 0)
        {
          dup3 (devnull, orig, O_CLOEXEC);
          close (devnull);
        }
    }
  if (f->master >= 0)
    close (f->master);
  f->master = -1;
}

UMockdevTestbed *
nb_fake_serial_get_testbed (NbFakeSerial *f)
{
  return f->testbed;
}

guint
nb_fake_serial_get_ioctls (NbFakeSerial *f)
{
  return (guint) g_atomic_int_get (&f->ioctls);
}

guint
nb_fake_serial_get_modem_ioctls (NbFakeSerial *f)
{
  return (guint) g_atomic_int_get (&f->modem_ioctls);
}

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

void
nb_fake_serial_free (NbFakeSerial *f)
{
  if (f == NULL)
    return;
  g_atomic_int_set (&f->stop, 1);
  if (f->pen_thread)
    g_thread_join (f->pen_thread);
  if (f->master >= 0)
    close (f->master);
  /* Quit from inside the loop: a quit before the worker entered g_main_loop_run would be lost. */
  g_main_context_invoke (f->context, quit_loop, f->loop);
  g_thread_join (f->ioctl_thread);
  g_clear_object (&f->handler);
  g_clear_object (&f->testbed);
  g_main_loop_unref (f->loop);
  g_main_context_unref (f->context);
  nb_sim_params_clear (&f->params);
  g_mutex_clear (&f->lock);
  g_cond_clear (&f->cond);
  g_free (f);
}
