/* nb-transport.c: the registry of transports, by URI kind. */
#include "nb-transport.h"

#include "nb-config.h"
#include "serial/nb-serial-transport.h"
#include "sim/nb-sim-transport.h"
#ifdef NB_HAVE_USB
#include "usb/nb-usb-transport.h"
#endif

typedef struct
{
  NbUriKind kind;
  const char *name;
  NbTransport *(*open) (const NbDeviceUri *uri, GError **error);
  void (*enumerate) (GPtrArray *ports);
} Entry;

static const Entry transports[] = {
  { NB_URI_SIM, "sim", nb_sim_transport_open, NULL },
  { NB_URI_SERIAL, "serial", nb_serial_transport_open, nb_serial_transport_enumerate },
#ifdef NB_HAVE_USB
  { NB_URI_USB, "usb", nb_usb_transport_open, nb_usb_transport_enumerate },
#endif
};

NbTransport *
nb_transport_open (const NbDeviceUri *uri, GError **error)
{
  for (gsize i = 0; i < G_N_ELEMENTS (transports); i++)
    if (transports[i].kind == uri->kind)
      return transports[i].open (uri, error);
  g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_UNSUPPORTED,
               "device URI “%s”: this build of NeedleBench has no transport for it", uri->text);
  return NULL;
}

GPtrArray *
nb_transport_enumerate (void)
{
  GPtrArray *ports = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_port_info_free);
  for (gsize i = 0; i < G_N_ELEMENTS (transports); i++)
    if (transports[i].enumerate)
      transports[i].enumerate (ports);
  return ports;
}

void
nb_port_info_free (NbPortInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->uri);
  g_free (info->transport);
  g_free (info->description);
  g_free (info->usb_serial);
  g_free (info);
}
