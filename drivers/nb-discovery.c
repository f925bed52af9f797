/* nb-discovery.c: enumerate and probe. */
#include "nb-discovery.h"

#include "nb-device.h"
#include "nb-transport.h"

void
nb_pen_info_free (NbPenInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->uri);
  g_free (info->transport);
  g_free (info->model);
  g_free (info->serial);
  g_free (info->firmware);
  g_free (info->port);
  g_free (info->usb_serial);
  g_free (info);
}

NbPenInfo *
nb_pen_info_probe (const char *uri, const char *transport, GCancellable *cancellable,
                   GError **error)
{
  g_autoptr (NbDevice) dev
      = nb_device_open_full (uri, NB_DISCOVERY_PROBE_TIMEOUT_MS, 1, cancellable, error);
  if (dev == NULL)
    return NULL;
  const NbIdentity *id = nb_device_get_identity (dev);
  NbPenInfo *info = g_new0 (NbPenInfo, 1);
  info->uri = g_strdup (uri);
  info->transport = g_strdup (transport);
  info->model = g_strdup (id->model);
  info->serial = g_strdup (id->serial);
  info->firmware = g_strdup (id->firmware);
  nb_device_close (dev);
  return info;
}

GPtrArray *
nb_discover_pens (gboolean include_sim, GCancellable *cancellable)
{
  GPtrArray *pens = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_pen_info_free);
  g_autoptr (GPtrArray) ports = nb_transport_enumerate ();

  if (include_sim)
    {
      NbPenInfo *sim = nb_pen_info_probe ("sim", "sim", cancellable, NULL);
      if (sim)
        {
          sim->port = g_strdup ("simulated pen (built in)");
          g_ptr_array_add (pens, sim);
        }
    }
  for (guint i = 0; i < ports->len; i++)
    {
      NbPortInfo *port = g_ptr_array_index (ports, i);
      if (g_cancellable_is_cancelled (cancellable))
        break;
      g_autoptr (GError) error = NULL;
      NbPenInfo *info = nb_pen_info_probe (port->uri, port->transport, cancellable, &error);
      if (info == NULL && port->needs_probe)
        continue;
      if (info == NULL)
        {
          /* A device of a pen's own ID (USB) is listed even when it cannot be opened now (no
           * permission, claimed by another program), with the reason, so the operator can act. */
          info = g_new0 (NbPenInfo, 1);
          info->uri = g_strdup (port->uri);
          info->transport = g_strdup (port->transport);
          info->model = g_strdup ("");
          info->serial = g_strdup (port->usb_serial ? port->usb_serial : "");
          info->firmware = g_strdup ("");
          info->port = g_strdup_printf ("%s (cannot open: %s)", port->description, error->message);
        }
      else
        info->port = g_strdup (port->description);
      info->usb_vid = port->usb_vid;
      info->usb_pid = port->usb_pid;
      info->usb_serial = g_strdup (port->usb_serial);
      g_ptr_array_add (pens, info);
    }
  return pens;
}
