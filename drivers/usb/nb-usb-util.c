/* nb-usb-util.c: ID table lookup, descriptors, strings and errors for the USB transport. */
#include "nb-usb-private.h"

#include <string.h>

#include "nb-usb-ids.h"

typedef struct
{
  guint16 vid, pid;
  const char *name;
} Id;

#define NB_USB_ID_ENTRY(vid, pid, name) { vid, pid, name },
static const Id ids[] = { NB_USB_IDS (NB_USB_ID_ENTRY) };

gboolean
nb_usb_id_known (guint16 vid, guint16 pid)
{
  for (gsize i = 0; i < G_N_ELEMENTS (ids); i++)
    if (ids[i].vid == vid && ids[i].pid == pid)
      return TRUE;
  return FALSE;
}

gboolean
nb_usb_id_matches (const struct libusb_device_descriptor *desc, const NbDeviceUri *uri)
{
  if (uri->vid == 0 && uri->pid == 0)
    return nb_usb_id_known (desc->idVendor, desc->idProduct);
  return desc->idVendor == uri->vid && desc->idProduct == uri->pid;
}

gboolean
nb_usb_find_endpoints (libusb_device *dev, NbUsbEndpoints *ep, GError **error)
{
  struct libusb_config_descriptor *config = NULL;
  int rc = libusb_get_active_config_descriptor (dev, &config);
  if (rc == LIBUSB_ERROR_NOT_FOUND)
    rc = libusb_get_config_descriptor (dev, 0, &config);
  if (rc != LIBUSB_SUCCESS)
    {
      nb_usb_set_error (error, rc, "reading the configuration descriptor");
      return FALSE;
    }
  gboolean found = FALSE;
  for (int i = 0; i < config->bNumInterfaces && !found; i++)
    {
      const struct libusb_interface *itf = &config->interface[i];
      if (itf->num_altsetting < 1)
        continue;
      const struct libusb_interface_descriptor *alt = &itf->altsetting[0];
      if (alt->bInterfaceClass != LIBUSB_CLASS_VENDOR_SPEC)
        continue;
      NbUsbEndpoints e = { .interface = alt->bInterfaceNumber };
      for (int k = 0; k < alt->bNumEndpoints; k++)
        {
          const struct libusb_endpoint_descriptor *d = &alt->endpoint[k];
          if ((d->bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) != LIBUSB_TRANSFER_TYPE_BULK)
            continue;
          if ((d->bEndpointAddress & LIBUSB_ENDPOINT_DIR_MASK) == LIBUSB_ENDPOINT_IN)
            e.ep_in = d->bEndpointAddress;
          else
            e.ep_out = d->bEndpointAddress;
          e.max_packet = d->wMaxPacketSize & 0x7ff;
        }
      if (e.ep_in && e.ep_out)
        {
          if (e.max_packet == 0)
            e.max_packet = 64;
          *ep = e;
          found = TRUE;
        }
    }
  libusb_free_config_descriptor (config);
  if (!found)
    g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_PROTOCOL,
                 "no vendor-specific interface with bulk IN and OUT endpoints");
  return found;
}

char *
nb_usb_sanitize_string (const char *text, gssize len)
{
  if (text == NULL || !g_utf8_validate (text, len, NULL))
    return NULL;
  const char *end = len < 0 ? text + strlen (text) : text + len;
  GString *out = g_string_new (NULL);
  for (const char *p = text; p < end && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (!g_unichar_iscntrl (c))
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

char *
nb_usb_read_serial (libusb_device_handle *handle, const struct libusb_device_descriptor *desc)
{
  if (desc->iSerialNumber == 0)
    return NULL;
  /* Read the raw UTF-16LE descriptor (US English) rather than libusb's ASCII helper, which
   * replaces what it cannot show with '?', then validate it like any input from a device. */
  guint8 buf[256];
  int n = libusb_get_string_descriptor (handle, desc->iSerialNumber, 0x0409, buf, sizeof buf);
  if (n < 2 || buf[1] != LIBUSB_DT_STRING || buf[0] > n || buf[0] < 2)
    return NULL;
  glong units = (buf[0] - 2) / 2;
  gunichar2 utf16[127];
  for (glong i = 0; i < units; i++)
    utf16[i] = (gunichar2) (buf[2 + 2 * i] | (buf[3 + 2 * i] << 8));
  g_autofree char *utf8 = g_utf16_to_utf8 (utf16, units, NULL, NULL, NULL);
  if (utf8 == NULL)
    return NULL;
  char *clean = nb_usb_sanitize_string (utf8, -1);
  if (clean && *clean == '\0')
    g_clear_pointer (&clean, g_free);
  return clean;
}

NbDeviceError
nb_usb_error_code (int rc)
{
  switch (rc)
    {
    case LIBUSB_ERROR_ACCESS: return NB_DEVICE_ERROR_OPEN_FAILED;
    case LIBUSB_ERROR_BUSY: return NB_DEVICE_ERROR_BUSY;
    case LIBUSB_ERROR_NO_DEVICE: return NB_DEVICE_ERROR_DISCONNECTED;
    case LIBUSB_ERROR_NOT_FOUND: return NB_DEVICE_ERROR_NOT_FOUND;
    case LIBUSB_ERROR_TIMEOUT: return NB_DEVICE_ERROR_TIMEOUT;
    case LIBUSB_ERROR_NOT_SUPPORTED: return NB_DEVICE_ERROR_UNSUPPORTED;
    default: return NB_DEVICE_ERROR_IO;
    }
}

void
nb_usb_set_error (GError **error, int rc, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *what = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  const char *hint = "";
  if (rc == LIBUSB_ERROR_ACCESS)
    hint = " (install NeedleBench's udev rules, 70-needlebench.rules, as described in "
           "docs/install-udev.md, then re-plug the pen)";
  else if (rc == LIBUSB_ERROR_BUSY)
    hint = " (the pen is claimed by another program: close it and try again)";
  else if (rc == LIBUSB_ERROR_NO_DEVICE)
    hint = " (the pen was unplugged)";
  g_set_error (error, NB_DEVICE_ERROR, nb_usb_error_code (rc), "%s: %s%s", what,
               libusb_strerror ((enum libusb_error) rc), hint);
}
