/* nb-usb-enumerate.c: lists the USB devices of the ID table as ports for discovery. */
#include "nb-usb-transport.h"

#include <string.h>

#include "nb-usb-private.h"

/* A serial number goes into a URI only when it cannot confuse the URI's syntax. */
static gboolean
serial_is_uri_safe (const char *serial)
{
  if (serial == NULL || *serial == '\0' || strlen (serial) > 64)
    return FALSE;
  for (const char *p = serial; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

static NbPortInfo *
port_info_new (libusb_device *dev, const struct libusb_device_descriptor *desc)
{
  NbPortInfo *info = g_new0 (NbPortInfo, 1);
  info->transport = g_strdup ("usb");
  info->usb_vid = desc->idVendor;
  info->usb_pid = desc->idProduct;
  const char *access = "";
  libusb_device_handle *h = NULL;
  int rc = libusb_open (dev, &h);
  if (rc == LIBUSB_SUCCESS)
    {
      info->usb_serial = nb_usb_read_serial (h, desc);
      libusb_close (h);
    }
  else if (rc == LIBUSB_ERROR_ACCESS)
    access = ", no permission: install the udev rules";
  if (serial_is_uri_safe (info->usb_serial))
    info->uri
        = g_strdup_printf ("usb:%04x:%04x:%s", desc->idVendor, desc->idProduct, info->usb_serial);
  else
    info->uri = g_strdup_printf ("usb:%04x:%04x", desc->idVendor, desc->idProduct);
  info->description
      = g_strdup_printf ("USB %04x:%04x bus %u device %u%s", desc->idVendor, desc->idProduct,
                         libusb_get_bus_number (dev), libusb_get_device_address (dev), access);
  return info;
}

void
nb_usb_transport_enumerate (GPtrArray *ports)
{
  libusb_context *ctx = NULL;
  if (libusb_init (&ctx) != LIBUSB_SUCCESS)
    return;
  libusb_device **list = NULL;
  ssize_t n = libusb_get_device_list (ctx, &list);
  for (ssize_t i = 0; i < n; i++)
    {
      struct libusb_device_descriptor desc;
      if (libusb_get_device_descriptor (list[i], &desc) == LIBUSB_SUCCESS
          && nb_usb_id_known (desc.idVendor, desc.idProduct))
        g_ptr_array_add (ports, port_info_new (list[i], &desc));
    }
  if (n >= 0)
    libusb_free_device_list (list, 1);
  libusb_exit (ctx);
}
