/* nb-serial-transport.c: libserialport for real ports, termios for ptys. */
#include "nb-serial-transport.h"

#include <errno.h>
#include <fcntl.h>
#include <libserialport.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include "nb-fd-transport.h"
#include "usb/nb-usb-ids.h"

/* Unix98 pty slaves live on majors 136..143. */
static gboolean
is_pty (const char *path)
{
  struct stat st;
  if (g_str_has_prefix (path, "/dev/pts/"))
    return TRUE;
  if (stat (path, &st) != 0 || !S_ISCHR (st.st_mode))
    return FALSE;
  return major (st.st_rdev) >= 136 && major (st.st_rdev) <= 143;
}

static NbTransport *
open_error (GError **error, const char *path, int err)
{
  int code = NB_DEVICE_ERROR_OPEN_FAILED;
  const char *hint = "";
  if (err == ENOENT || err == ENODEV || err == ENXIO)
    code = NB_DEVICE_ERROR_NOT_FOUND;
  else if (err == EBUSY || err == EWOULDBLOCK)
    code = NB_DEVICE_ERROR_BUSY, hint = " (in use by another program)";
  else if (err == EACCES || err == EPERM)
    hint = " (install NeedleBench's udev rules, or join the dialout group)";
  g_set_error (error, NB_DEVICE_ERROR, code, "serial port %s: %s%s", path, g_strerror (err), hint);
  return NULL;
}

/* Exclusive use: two programs reading one pen would each see half of the stream. */
static gboolean
lock_port (int fd, const char *path, GError **error)
{
  if (flock (fd, LOCK_EX | LOCK_NB) == 0)
    return TRUE;
  open_error (error, path, errno == EWOULDBLOCK ? EBUSY : errno);
  return FALSE;
}

/* libserialport 0.1.1 refuses pseudo-terminals: it looks ports up in /sys/class/tty (ptys have no
 * entry) and sp_open fails on TIOCMGET. Upstream treats ptys as out of scope, so the simulated pen
 * on a pty is opened here with plain termios; everything above the fd is shared. */
static NbTransport *
open_pty (const NbDeviceUri *uri, GError **error)
{
  int fd = open (uri->path, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return open_error (error, uri->path, errno);
  if (!lock_port (fd, uri->path, error))
    {
      close (fd);
      return NULL;
    }
  struct termios tio;
  if (tcgetattr (fd, &tio) == 0)
    {
      cfmakeraw (&tio);
      tcsetattr (fd, TCSANOW, &tio);
    }
  tcflush (fd, TCIOFLUSH); /* a backlog from before we opened is stale */
  g_autofree char *desc = g_strdup_printf ("serial port %s", uri->path);
  NbFdTransport *t = nb_fd_transport_new (fd, NULL, NULL, desc, error);
  return t ? &t->parent : NULL;
}

static gssize
sp_read_hook (NbFdTransport *t, guint8 *buf, gsize len)
{
  enum sp_return r = sp_nonblocking_read (t->hook_data, buf, len);
  if (r < 0)
    {
      errno = errno ? errno : EIO;
      return -1;
    }
  if (r == 0)
    {
      /* Woken by poll with nothing to read: a USB adapter that went away. */
      errno = EIO;
      return -1;
    }
  return r;
}

static gssize
sp_write_hook (NbFdTransport *t, const guint8 *buf, gsize len)
{
  enum sp_return r = sp_nonblocking_write (t->hook_data, buf, len);
  if (r < 0)
    {
      errno = errno ? errno : EIO;
      return -1;
    }
  if (r == 0)
    {
      errno = EAGAIN;
      return -1;
    }
  return r;
}

static void
sp_release_hook (NbFdTransport *t)
{
  sp_close (t->hook_data);
  sp_free_port (t->hook_data);
  t->fd = -1; /* closed by sp_close */
}

static const NbFdTransportHooks sp_hooks = {
  .read = sp_read_hook,
  .write = sp_write_hook,
  .release = sp_release_hook,
};

static NbTransport *
open_libserialport (const NbDeviceUri *uri, GError **error)
{
  struct sp_port *port = NULL;
  if (sp_get_port_by_name (uri->path, &port) != SP_OK)
    return open_error (error, uri->path, access (uri->path, F_OK) == 0 ? ENODEV : ENOENT);
  if (sp_open (port, SP_MODE_READ_WRITE) != SP_OK)
    {
      int err = errno ? errno : EIO;
      sp_free_port (port);
      return open_error (error, uri->path, err);
    }
  int fd = -1;
  if (sp_set_baudrate (port, (int) uri->baud) != SP_OK || sp_set_bits (port, 8) != SP_OK
      || sp_set_parity (port, SP_PARITY_NONE) != SP_OK || sp_set_stopbits (port, 1) != SP_OK
      || sp_set_flowcontrol (port, SP_FLOWCONTROL_NONE) != SP_OK
      || sp_get_port_handle (port, &fd) != SP_OK)
    {
      char *msg = sp_last_error_message ();
      g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_OPEN_FAILED,
                   "serial port %s: cannot set %u baud 8N1: %s", uri->path, uri->baud,
                   msg ? msg : "unknown error");
      sp_free_error_message (msg);
      sp_close (port);
      sp_free_port (port);
      return NULL;
    }
  if (!lock_port (fd, uri->path, error))
    {
      sp_close (port);
      sp_free_port (port);
      return NULL;
    }
  sp_flush (port, SP_BUF_BOTH);
  g_autofree char *desc = g_strdup_printf ("serial port %s", uri->path);
  NbFdTransport *t = nb_fd_transport_new (fd, &sp_hooks, port, desc, error);
  return t ? &t->parent : NULL;
}

NbTransport *
nb_serial_transport_open (const NbDeviceUri *uri, GError **error)
{
  return is_pty (uri->path) ? open_pty (uri, error) : open_libserialport (uri, error);
}

/* A CDC-ACM pen is a serial port (/dev/ttyACM*) with the pen's own USB ID. */
static gboolean
is_pen_usb_id (int vid, int pid)
{
#define MATCH(v, p, name)                                                                          \
  if (vid == (v) && pid == (p))                                                                    \
    return TRUE;
  NB_USB_IDS (MATCH)
#undef MATCH
  return FALSE;
}

static NbPortInfo *
port_info_new (struct sp_port *port)
{
  NbPortInfo *info = g_new0 (NbPortInfo, 1);
  const char *name = sp_get_port_name (port);
  const char *desc = sp_get_port_description (port);
  info->uri = g_strdup_printf ("serial:%s", name);
  info->transport = g_strdup ("serial");
  info->description = g_strdup (desc ? desc : name);
  info->needs_probe = TRUE;
  if (sp_get_port_transport (port) == SP_TRANSPORT_USB)
    {
      int vid = 0, pid = 0;
      if (sp_get_port_usb_vid_pid (port, &vid, &pid) == SP_OK)
        {
          info->usb_vid = (guint16) vid;
          info->usb_pid = (guint16) pid;
          info->needs_probe = !is_pen_usb_id (vid, pid);
        }
      const char *serial = sp_get_port_usb_serial (port);
      if (serial && g_utf8_validate (serial, -1, NULL))
        info->usb_serial = g_strdup (serial);
    }
  return info;
}

#ifdef __linux__
/* A port of the serial8250 driver exists only if a UART answered at boot; the kernel says which
 * in the tty's sysfs "type" (0 is PORT_UNKNOWN). */
static gboolean
uart_present (const char *name)
{
  g_autofree char *path = g_strdup_printf ("/sys/class/tty/%s/type", name);
  g_autofree char *text = NULL;
  return g_file_get_contents (path, &text, NULL, NULL) && g_ascii_strtoll (text, NULL, 10) > 0;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The serial ports in /sys/class/tty, sorted, as /dev paths. Not sp_list_ports(): it opens every
 * serial8250 port to ask for its UART type (TIOCGSERIAL), and an open raises DTR; sysfs has the
 * answer without an open. Otherwise the same rule: no virtual ttys (consoles, ptys). */
static GPtrArray *
list_port_paths (void)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) dir = g_dir_open ("/sys/class/tty", 0, NULL);
  const char *entry;
  while (dir && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *link = g_strconcat ("/sys/class/tty/", entry, NULL);
      g_autofree char *target = g_file_read_link (link, NULL);
      if (target == NULL || strstr (target, "virtual") != NULL)
        continue;
      if (strstr (target, "serial8250") != NULL && !uart_present (entry))
        continue;
      g_ptr_array_add (paths, g_strconcat ("/dev/", entry, NULL));
    }
  g_ptr_array_sort (paths, compare_names);
  return paths;
}
#endif

/* Lists ports without opening any. Only a port with a pen's USB ID is marked as a pen's: every
 * other port stays shut unless the user names it (nb-discovery.c), because opening a serial port
 * raises DTR, which resets an Arduino and disturbs modems and instruments. */
void
nb_serial_transport_enumerate (GPtrArray *ports)
{
#ifdef __linux__
  g_autoptr (GPtrArray) paths = list_port_paths ();
  for (guint i = 0; i < paths->len; i++)
    {
      struct sp_port *port = NULL;
      /* Reads sysfs only (the USB IDs of the parent device); opens nothing. */
      if (sp_get_port_by_name (g_ptr_array_index (paths, i), &port) != SP_OK)
        continue;
      g_ptr_array_add (ports, port_info_new (port));
      sp_free_port (port);
    }
#else
  struct sp_port **list = NULL;
  if (sp_list_ports (&list) != SP_OK)
    return;
  for (int i = 0; list[i]; i++)
    g_ptr_array_add (ports, port_info_new (list[i]));
  sp_free_port_list (list);
#endif
}
