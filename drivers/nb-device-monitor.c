/* nb-device-monitor.c: a rescan (enumerate every transport, probe the new ports that may be
 * opened, classify the others unopened) runs in a worker thread whenever the poll timer fires or
 * libusb reports a USB change; its result is diffed against the known pens on the owner's
 * context, which emits the signals. */
#include "nb-device-monitor.h"

#include "nb-config.h"
#include "nb-transport.h"
#ifdef NB_HAVE_USB
#include "usb/nb-usb-hotplug.h"
#endif

/* After a hotplug event, let the device settle (udev rules, permissions) before opening it. */
#define HOTPLUG_SETTLE_MS 100

struct _NbDeviceMonitor
{
  GObject parent;
  GMainContext *context;
  gboolean include_sim;
  gboolean probe_all;
  char **probe_ports;     /* ports the user named: probed though not a pen's ID */
  guint probe_generation; /* bumped when probe_ports changes */
  GHashTable *pens;       /* uri → NbPenInfo (owned) */
  GHashTable *not_pens;   /* uri → NULL: ports not probed, or that did not answer IDENTIFY */
  char *busy_uri;         /* a port open in this process: never probed; NULL when none */
  GCancellable *cancellable;
  GSource *poll;
  gboolean scanning;
  gboolean scan_again;
#ifdef NB_HAVE_USB
  NbUsbHotplug *hotplug;
#endif
};

G_DEFINE_TYPE (NbDeviceMonitor, nb_device_monitor, G_TYPE_OBJECT)

enum
{
  SIGNAL_ADDED,
  SIGNAL_REMOVED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

typedef struct
{
  GHashTable *known; /* uris already classified (pen or not) */
  gboolean want_sim;
  gboolean probe_all;
  char **probe_ports;
  guint probe_generation; /* the monitor's when the scan started */
  GHashTable *present;    /* uris of every port there now */
  GPtrArray *new_pens;    /* NbPenInfo */
  GPtrArray *new_not_pens;
} Scan;

static void
scan_free (Scan *s)
{
  g_hash_table_unref (s->known);
  g_strfreev (s->probe_ports);
  g_clear_pointer (&s->present, g_hash_table_unref);
  g_ptr_array_unref (s->new_pens);
  g_ptr_array_unref (s->new_not_pens);
  g_free (s);
}

static void
scan_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Scan *s = data;
  if (s->want_sim)
    {
      NbPenInfo *sim = nb_pen_info_probe ("sim", "sim", cancellable, NULL);
      if (sim)
        {
          sim->port = g_strdup ("simulated pen (built in)");
          g_ptr_array_add (s->new_pens, sim);
        }
    }
  /* Only a pen's ports are opened (nb-discovery.h): the others are classified unopened. */
  const NbDiscoveryOptions options = {
    .ports = (const char *const *) s->probe_ports,
    .probe_all = s->probe_all,
  };
  g_autoptr (GPtrArray) ports = nb_discovery_enumerate (&options);
  for (guint i = 0; i < ports->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      NbPortInfo *port = g_ptr_array_index (ports, i);
      g_hash_table_add (s->present, g_strdup (port->uri));
      if (g_hash_table_contains (s->known, port->uri))
        continue;
      g_autoptr (NbPenInfo) info = nb_discovery_examine (&options, port, cancellable);
      if (!nb_pen_info_is_pen (info))
        {
          g_ptr_array_add (s->new_not_pens, g_strdup (port->uri));
          continue;
        }
      if (info->state == NB_PEN_STATE_UNAVAILABLE)
        {
          /* It did not answer: its model and firmware are not known (not ""). */
          g_clear_pointer (&info->model, g_free);
          g_clear_pointer (&info->firmware, g_free);
          g_free (info->serial);
          info->serial = g_strdup (port->usb_serial);
        }
      g_ptr_array_add (s->new_pens, g_steal_pointer (&info));
    }
  g_task_return_boolean (task, TRUE);
}

static void start_scan (NbDeviceMonitor *self);

static void
scan_done (GObject *source, GAsyncResult *result, gpointer data)
{
  NbDeviceMonitor *self = NB_DEVICE_MONITOR (source);
  Scan *s = g_task_get_task_data (G_TASK (result));
  self->scanning = FALSE;
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  /* Departures first, so a pen that left and came back between two scans reads in order. */
  GHashTableIter it;
  gpointer key, value;
  g_autoptr (GPtrArray) gone = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_pen_info_free);
  g_hash_table_iter_init (&it, self->pens);
  while (g_hash_table_iter_next (&it, &key, &value))
    {
      NbPenInfo *pen = value;
      if (g_str_equal (pen->transport, "sim") || g_hash_table_contains (s->present, key))
        continue;
      g_hash_table_iter_steal (&it);
      g_free (key);
      g_ptr_array_add (gone, pen);
    }
  g_hash_table_iter_init (&it, self->not_pens);
  while (g_hash_table_iter_next (&it, &key, NULL))
    if (!g_hash_table_contains (s->present, key))
      g_hash_table_iter_remove (&it);
  /* A scan started before the named ports changed classified ports under the old names: its
   * "not a pen" verdicts are dropped, so the next scan looks again. */
  for (guint i = 0; s->probe_generation == self->probe_generation && i < s->new_not_pens->len; i++)
    {
      const char *uri = g_ptr_array_index (s->new_not_pens, i);
      /* Opened while this scan probed it: it refused because it is in use, which says nothing of
       * what it is; it is probed again once released. */
      if (g_strcmp0 (uri, self->busy_uri) != 0)
        g_hash_table_add (self->not_pens, g_strdup (uri));
    }

  g_object_ref (self);
  for (guint i = 0; i < gone->len; i++)
    g_signal_emit (self, signals[SIGNAL_REMOVED], 0, g_ptr_array_index (gone, i));
  for (guint i = 0; i < s->new_pens->len; i++)
    {
      NbPenInfo *pen = g_ptr_array_index (s->new_pens, i);
      if (g_hash_table_contains (self->pens, pen->uri))
        continue;
      g_ptr_array_index (s->new_pens, i) = NULL;
      g_hash_table_insert (self->pens, g_strdup (pen->uri), pen);
      g_signal_emit (self, signals[SIGNAL_ADDED], 0, pen);
    }
  if (self->scan_again && !g_cancellable_is_cancelled (self->cancellable))
    start_scan (self);
  g_object_unref (self);
}

static void
start_scan (NbDeviceMonitor *self)
{
  if (self->scanning)
    {
      self->scan_again = TRUE;
      return;
    }
  self->scanning = TRUE;
  self->scan_again = FALSE;
  Scan *s = g_new0 (Scan, 1);
  s->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init (&it, self->pens);
  while (g_hash_table_iter_next (&it, &key, NULL))
    g_hash_table_add (s->known, g_strdup (key));
  g_hash_table_iter_init (&it, self->not_pens);
  while (g_hash_table_iter_next (&it, &key, NULL))
    g_hash_table_add (s->known, g_strdup (key));
  if (self->busy_uri)
    g_hash_table_add (s->known, g_strdup (self->busy_uri)); /* not probed: it is open */
  s->want_sim = self->include_sim && !g_hash_table_contains (self->pens, "sim");
  s->probe_all = self->probe_all;
  s->probe_ports = g_strdupv (self->probe_ports);
  s->probe_generation = self->probe_generation;
  s->present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  s->new_pens = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_pen_info_free);
  s->new_not_pens = g_ptr_array_new_with_free_func (g_free);

  g_autoptr (GTask) task = g_task_new (self, self->cancellable, scan_done, NULL);
  g_task_set_task_data (task, s, (GDestroyNotify) scan_free);
  g_task_run_in_thread (task, scan_thread);
}

static gboolean
on_poll (gpointer data)
{
  start_scan (data);
  return G_SOURCE_CONTINUE;
}

#ifdef NB_HAVE_USB
static gboolean
on_settled (gpointer data)
{
  NbDeviceMonitor *self = data;
  if (!g_cancellable_is_cancelled (self->cancellable))
    start_scan (self);
  return G_SOURCE_REMOVE;
}

/* In libusb's event thread: hand over to the owner's context. */
static void
on_usb_hotplug (gboolean arrived, guint16 vid, guint16 pid, gpointer data)
{
  NbDeviceMonitor *self = data;
  g_debug ("device monitor: USB %04x:%04x %s", vid, pid, arrived ? "arrived" : "left");
  GSource *src = g_timeout_source_new (HOTPLUG_SETTLE_MS);
  g_source_set_callback (src, on_settled, g_object_ref (self), g_object_unref);
  g_source_attach (src, self->context);
  g_source_unref (src);
}
#endif

static void
nb_device_monitor_dispose (GObject *object)
{
  NbDeviceMonitor *self = NB_DEVICE_MONITOR (object);
  g_cancellable_cancel (self->cancellable);
#ifdef NB_HAVE_USB
  g_clear_pointer (&self->hotplug, nb_usb_hotplug_free);
#endif
  if (self->poll)
    {
      g_source_destroy (self->poll);
      g_clear_pointer (&self->poll, g_source_unref);
    }
  G_OBJECT_CLASS (nb_device_monitor_parent_class)->dispose (object);
}

static void
nb_device_monitor_finalize (GObject *object)
{
  NbDeviceMonitor *self = NB_DEVICE_MONITOR (object);
  g_hash_table_unref (self->pens);
  g_hash_table_unref (self->not_pens);
  g_free (self->busy_uri);
  g_strfreev (self->probe_ports);
  g_object_unref (self->cancellable);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (nb_device_monitor_parent_class)->finalize (object);
}

static void
nb_device_monitor_class_init (NbDeviceMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = nb_device_monitor_dispose;
  object_class->finalize = nb_device_monitor_finalize;
  signals[SIGNAL_ADDED] = g_signal_new ("added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_REMOVED] = g_signal_new ("removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
nb_device_monitor_init (NbDeviceMonitor *self)
{
  self->pens
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) nb_pen_info_free);
  self->not_pens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
  self->context = g_main_context_ref_thread_default ();
}

NbDeviceMonitor *
nb_device_monitor_new (gboolean include_sim)
{
  const NbDiscoveryOptions options = { .include_sim = include_sim };
  return nb_device_monitor_new_full (&options);
}

NbDeviceMonitor *
nb_device_monitor_new_full (const NbDiscoveryOptions *options)
{
  NbDeviceMonitor *self = g_object_new (NB_TYPE_DEVICE_MONITOR, NULL);
  self->include_sim = options->include_sim;
  self->probe_all = options->probe_all;
  self->probe_ports = g_strdupv ((char **) options->ports);
#ifdef NB_HAVE_USB
  g_autoptr (GError) error = NULL;
  self->hotplug = nb_usb_hotplug_new (on_usb_hotplug, self, &error);
  if (self->hotplug == NULL)
    g_debug ("device monitor: %s; USB is polled", error->message);
#endif
  self->poll = g_timeout_source_new (NB_DEVICE_MONITOR_POLL_MS);
  g_source_set_callback (self->poll, on_poll, self, NULL);
  g_source_attach (self->poll, self->context);
  start_scan (self);
  return self;
}

GPtrArray *
nb_device_monitor_get_pens (NbDeviceMonitor *self)
{
  g_return_val_if_fail (NB_IS_DEVICE_MONITOR (self), NULL);
  GPtrArray *pens = g_ptr_array_new ();
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init (&it, self->pens);
  while (g_hash_table_iter_next (&it, NULL, &value))
    g_ptr_array_add (pens, value);
  return pens;
}

void
nb_device_monitor_set_busy (NbDeviceMonitor *self, const char *uri)
{
  g_return_if_fail (NB_IS_DEVICE_MONITOR (self));
  if (g_strcmp0 (uri, self->busy_uri) == 0)
    return;
  /* The port released may have been classified while in use (another process held it, or a
   * probe raced the open): look at it afresh. A pen already known stays known. */
  if (self->busy_uri)
    g_hash_table_remove (self->not_pens, self->busy_uri);
  g_free (self->busy_uri);
  self->busy_uri = g_strdup (uri);
}

void
nb_device_monitor_set_probe_ports (NbDeviceMonitor *self, const char *const *ports)
{
  g_return_if_fail (NB_IS_DEVICE_MONITOR (self));
  const char *const none[] = { NULL };
  if (g_strv_equal (self->probe_ports ? (const char *const *) self->probe_ports : none,
                    ports ? ports : none))
    return;
  g_strfreev (self->probe_ports);
  self->probe_ports = g_strdupv ((char **) ports);
  self->probe_generation++;
  /* A port left shut may now be named: look at every non-pen afresh (a port still not named is
   * classified again without being opened). */
  g_hash_table_remove_all (self->not_pens);
  start_scan (self);
}
