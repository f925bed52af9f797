/* nb-transport.c: the registry of transports, by URI kind. */
#include "nb-transport.h"

#include "nb-config.h"
#include "serial/nb-serial-transport.h"
#ifdef NB_HAVE_USB
#include "usb/nb-usb-transport.h"
#endif

typedef struct
{
  NbUriKind kind;
  const char *name;
  NbTransportOpenFunc open;
  NbTransportEnumerateFunc enumerate;
} Entry;

static GMutex registry_lock;
static GArray *registry; /* Entry; NULL until first used */

/* Called with registry_lock held. */
static GArray *
get_registry (void)
{
  if (registry == NULL)
    {
      registry = g_array_new (FALSE, FALSE, sizeof (Entry));
      Entry serial
          = { NB_URI_SERIAL, "serial", nb_serial_transport_open, nb_serial_transport_enumerate };
      g_array_append_val (registry, serial);
#ifdef NB_HAVE_USB
      Entry usb = { NB_URI_USB, "usb", nb_usb_transport_open, nb_usb_transport_enumerate };
      g_array_append_val (registry, usb);
#endif
    }
  return registry;
}

void
nb_transport_register (NbUriKind kind, const char *name, NbTransportOpenFunc open_fn,
                       NbTransportEnumerateFunc enumerate_fn)
{
  g_return_if_fail (name != NULL && open_fn != NULL);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&registry_lock);
  GArray *entries = get_registry ();
  Entry entry = { kind, name, open_fn, enumerate_fn };
  for (guint i = 0; i < entries->len; i++)
    if (g_array_index (entries, Entry, i).kind == kind)
      {
        g_array_index (entries, Entry, i) = entry;
        return;
      }
  g_array_append_val (entries, entry);
}

static gboolean
lookup (NbUriKind kind, Entry *out)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&registry_lock);
  GArray *entries = get_registry ();
  for (guint i = 0; i < entries->len; i++)
    if (g_array_index (entries, Entry, i).kind == kind)
      {
        *out = g_array_index (entries, Entry, i);
        return TRUE;
      }
  return FALSE;
}

NbTransport *
nb_transport_open (const NbDeviceUri *uri, GError **error)
{
  Entry entry;
  if (lookup (uri->kind, &entry))
    return entry.open (uri, error);
  if (uri->kind == NB_URI_SIM || uri->kind == NB_URI_SIM_FIXTURE)
    g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_UNSUPPORTED,
                 "device URI “%s”: this program has no simulated pen (no transport registered "
                 "for sim: and sim-fixture:; see nb_sim_transport_register)",
                 uri->text);
  else
    g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_UNSUPPORTED,
                 "device URI “%s”: this build of NeedleBench has no transport for it", uri->text);
  return NULL;
}

GPtrArray *
nb_transport_enumerate (void)
{
  GPtrArray *ports = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_port_info_free);
  g_autoptr (GArray) entries = NULL;
  {
    /* a copy: enumeration is slow I/O and must not hold up a registration or an open */
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&registry_lock);
    GArray *all = get_registry ();
    entries = g_array_sized_new (FALSE, FALSE, sizeof (Entry), all->len);
    g_array_append_vals (entries, all->data, all->len);
  }
  for (guint i = 0; i < entries->len; i++)
    if (g_array_index (entries, Entry, i).enumerate)
      g_array_index (entries, Entry, i).enumerate (ports);
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
