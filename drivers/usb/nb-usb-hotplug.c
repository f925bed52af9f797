/* nb-usb-hotplug.c: libusb hotplug callback and its event thread. */
#include "nb-usb-hotplug.h"

#include "nb-usb-private.h"

struct _NbUsbHotplug
{
  libusb_context *ctx;
  libusb_hotplug_callback_handle handle;
  GThread *thread;
  gint stop; /* atomic */
  NbUsbHotplugFunc func;
  gpointer data;
};

static int LIBUSB_CALL
on_hotplug (libusb_context *ctx, libusb_device *dev, libusb_hotplug_event event, void *data)
{
  NbUsbHotplug *hp = data;
  struct libusb_device_descriptor desc = { 0 };
  libusb_get_device_descriptor (dev, &desc);
  hp->func (event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED, desc.idVendor, desc.idProduct, hp->data);
  return 0;
}

static gpointer
run (gpointer data)
{
  NbUsbHotplug *hp = data;
  while (!g_atomic_int_get (&hp->stop))
    {
      struct timeval tv = { 0, 200000 };
      if (libusb_handle_events_timeout_completed (hp->ctx, &tv, NULL) != LIBUSB_SUCCESS)
        g_usleep (10000);
    }
  return NULL;
}

NbUsbHotplug *
nb_usb_hotplug_new (NbUsbHotplugFunc func, gpointer data, GError **error)
{
  if (!libusb_has_capability (LIBUSB_CAP_HAS_HOTPLUG))
    {
      g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_UNSUPPORTED,
                   "libusb has no hotplug support here");
      return NULL;
    }
  NbUsbHotplug *hp = g_new0 (NbUsbHotplug, 1);
  hp->func = func;
  hp->data = data;
  int rc = libusb_init (&hp->ctx);
  if (rc != LIBUSB_SUCCESS)
    {
      nb_usb_set_error (error, rc, "initialising libusb");
      g_free (hp);
      return NULL;
    }
  rc = libusb_hotplug_register_callback (
      hp->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0,
      LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug, hp,
      &hp->handle);
  if (rc != LIBUSB_SUCCESS)
    {
      nb_usb_set_error (error, rc, "registering for USB hotplug events");
      libusb_exit (hp->ctx);
      g_free (hp);
      return NULL;
    }
  hp->thread = g_thread_new ("nb-usb-hotplug", run, hp);
  return hp;
}

void
nb_usb_hotplug_free (NbUsbHotplug *hp)
{
  if (hp == NULL)
    return;
  libusb_hotplug_deregister_callback (hp->ctx, hp->handle);
  g_atomic_int_set (&hp->stop, 1);
  libusb_interrupt_event_handler (hp->ctx);
  g_thread_join (hp->thread);
  libusb_exit (hp->ctx);
  g_free (hp);
}
