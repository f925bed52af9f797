/* nb-pen-list.c: the device monitor's pens as a list model. */
#include "nb-pen-list.h"

/* The application's schema: its "probe-ports" key names serial ports the monitor may open. */
#define SETTINGS_SCHEMA "org.needlebench.NeedleBench"
#define PROBE_PORTS_KEY "probe-ports"

struct _NbPenItem
{
  GObject parent_instance;
  char *uri, *model, *serial, *firmware, *transport, *port;
  const char *kind; /* static */
  NbPenLink link;
};

G_DEFINE_FINAL_TYPE (NbPenItem, nb_pen_item, G_TYPE_OBJECT)

static void
nb_pen_item_finalize (GObject *object)
{
  NbPenItem *self = NB_PEN_ITEM (object);
  g_free (self->uri);
  g_free (self->model);
  g_free (self->serial);
  g_free (self->firmware);
  g_free (self->transport);
  g_free (self->port);
  G_OBJECT_CLASS (nb_pen_item_parent_class)->finalize (object);
}

enum
{
  ITEM_PROP_0,
  ITEM_PROP_LINK,
  N_ITEM_PROPS
};
static GParamSpec *item_props[N_ITEM_PROPS];

static void
nb_pen_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  if (prop_id == ITEM_PROP_LINK)
    g_value_set_int (value, NB_PEN_ITEM (object)->link);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
nb_pen_item_class_init (NbPenItemClass *klass)
{
  GObjectClass *oc = G_OBJECT_CLASS (klass);
  oc->finalize = nb_pen_item_finalize;
  oc->get_property = nb_pen_item_get_property;
  item_props[ITEM_PROP_LINK]
      = g_param_spec_int ("link", NULL, NULL, NB_PEN_LINK_NONE, NB_PEN_LINK_LOST, NB_PEN_LINK_NONE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (oc, N_ITEM_PROPS, item_props);
}

NbPenLink
nb_pen_item_get_link (NbPenItem *item)
{
  return item->link;
}

static void
nb_pen_item_init (NbPenItem *self)
{
}

static NbPenItem *
nb_pen_item_new (const NbPenInfo *info)
{
  NbPenItem *self = g_object_new (NB_TYPE_PEN_ITEM, NULL);
  self->uri = g_strdup (info->uri);
  self->model = g_strdup (info->model);
  self->serial = g_strdup (info->serial);
  self->firmware = g_strdup (info->firmware);
  self->transport = g_strdup (info->transport);
  self->port = g_strdup (info->port);
  const char *kind = nb_pen_info_kind (info);
  self->kind = kind ? kind : "pen";
  return self;
}

const char *
nb_pen_item_get_uri (NbPenItem *item)
{
  return item->uri;
}

const char *
nb_pen_item_get_model (NbPenItem *item)
{
  return item->model;
}

const char *
nb_pen_item_get_serial (NbPenItem *item)
{
  return item->serial;
}

const char *
nb_pen_item_get_firmware (NbPenItem *item)
{
  return item->firmware;
}

const char *
nb_pen_item_get_transport (NbPenItem *item)
{
  return item->transport;
}

const char *
nb_pen_item_get_port (NbPenItem *item)
{
  return item->port;
}

const char *
nb_pen_item_get_kind (NbPenItem *item)
{
  return item->kind;
}

struct _NbPenList
{
  GObject parent_instance;
  GListStore *store;
  NbDeviceMonitor *monitor; /* while started, NULL otherwise */
  GSettings *settings;      /* while started, when the schema is installed */
  char *busy_uri;
  char *shown_uri; /* the pen the Live page shows: in use, or lost while in use */
};

G_DEFINE_FINAL_TYPE (NbPenList, nb_pen_list, G_TYPE_OBJECT)

enum
{
  SIGNAL_REFRESHED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

NbPenItem *
nb_pen_list_find (NbPenList *self, const char *uri, guint *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (NbPenItem) item = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      if (g_str_equal (item->uri, uri))
        {
          if (position)
            *position = i;
          return item;
        }
    }
  return NULL;
}

static gboolean
add_item (NbPenList *self, const NbPenInfo *info)
{
  if (info == NULL || info->uri == NULL || nb_pen_list_find (self, info->uri, NULL) != NULL)
    return FALSE;
  g_autoptr (NbPenItem) item = nb_pen_item_new (info);
  g_list_store_append (self->store, item);
  return TRUE;
}

static gboolean
monitor_has (NbPenList *self, const char *uri)
{
  if (self->monitor == NULL)
    return FALSE;
  g_autoptr (GPtrArray) pens = nb_device_monitor_get_pens (self->monitor);
  for (guint i = 0; i < pens->len; i++)
    if (g_str_equal (((NbPenInfo *) g_ptr_array_index (pens, i))->uri, uri))
      return TRUE;
  return FALSE;
}

static void
on_added (NbDeviceMonitor *monitor, const NbPenInfo *info, NbPenList *self)
{
  if (add_item (self, info))
    g_signal_emit (self, signals[SIGNAL_REFRESHED], 0);
}

static void
on_removed (NbDeviceMonitor *monitor, const NbPenInfo *info, NbPenList *self)
{
  guint pos;
  /* The pen in use stays listed until it is released (its run reports the loss). */
  if (info == NULL || info->uri == NULL || g_strcmp0 (info->uri, self->busy_uri) == 0
      || g_strcmp0 (info->uri, self->shown_uri) == 0
      || nb_pen_list_find (self, info->uri, &pos) == NULL)
    return;
  g_list_store_remove (self->store, pos);
  g_signal_emit (self, signals[SIGNAL_REFRESHED], 0);
}

static void
on_probe_ports_changed (GSettings *settings, const char *key, NbPenList *self)
{
  g_auto (GStrv) ports = g_settings_get_strv (settings, PROBE_PORTS_KEY);
  nb_device_monitor_set_probe_ports (self->monitor, (const char *const *) ports);
}

/* The settings, or NULL where the schema is not installed (tests of the model alone). */
static GSettings *
probe_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema
      = source ? g_settings_schema_source_lookup (source, SETTINGS_SCHEMA, TRUE) : NULL;
  if (schema == NULL || !g_settings_schema_has_key (schema, PROBE_PORTS_KEY))
    return NULL;
  return g_settings_new (SETTINGS_SCHEMA);
}

void
nb_pen_list_start (NbPenList *self)
{
  if (self->monitor)
    return;
  /* Only a pen's ports and those the user named in preferences are opened (nb-discovery.h). */
  self->settings = probe_settings ();
  g_auto (GStrv) ports
      = self->settings ? g_settings_get_strv (self->settings, PROBE_PORTS_KEY) : NULL;
  const NbDiscoveryOptions options = { .include_sim = TRUE, .ports = (const char *const *) ports };
  self->monitor = nb_device_monitor_new_full (&options);
  if (self->settings)
    g_signal_connect (self->settings, "changed::" PROBE_PORTS_KEY,
                      G_CALLBACK (on_probe_ports_changed), self);
  nb_device_monitor_set_busy (self->monitor, self->busy_uri);
  g_signal_connect (self->monitor, "added", G_CALLBACK (on_added), self);
  g_signal_connect (self->monitor, "removed", G_CALLBACK (on_removed), self);
  /* The monitor reports the pens present as "added" from the main loop; take any it knows now. */
  g_autoptr (GPtrArray) pens = nb_device_monitor_get_pens (self->monitor);
  gboolean changed = FALSE;
  for (guint i = 0; i < pens->len; i++)
    changed |= add_item (self, g_ptr_array_index (pens, i));
  if (changed)
    g_signal_emit (self, signals[SIGNAL_REFRESHED], 0);
}

void
nb_pen_list_stop (NbPenList *self)
{
  if (self->monitor == NULL)
    return;
  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
}

NbDeviceMonitor *
nb_pen_list_get_monitor (NbPenList *self)
{
  return self->monitor;
}

/* Marks the item of @uri with @link and every other one as not linked. */
static void
mark_link (NbPenList *self, const char *uri, NbPenLink link)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (NbPenItem) item = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      NbPenLink want = uri && g_str_equal (item->uri, uri) ? link : NB_PEN_LINK_NONE;
      if (item->link != want)
        {
          item->link = want;
          g_object_notify_by_pspec (G_OBJECT (item), item_props[ITEM_PROP_LINK]);
        }
    }
}

void
nb_pen_list_set_lost (NbPenList *self, const char *uri)
{
  /* The monitor may probe the port again (the pen may come back), but the item stays listed and
   * marked, so that the sidebar names the pen whose last data the Live page still shows. */
  g_clear_pointer (&self->busy_uri, g_free);
  if (self->monitor)
    nb_device_monitor_set_busy (self->monitor, NULL);
  g_free (self->shown_uri);
  self->shown_uri = g_strdup (uri);
  mark_link (self, uri, NB_PEN_LINK_LOST);
}

void
nb_pen_list_set_busy (NbPenList *self, const char *uri, const NbPenInfo *info)
{
  g_autofree char *released = g_steal_pointer (&self->shown_uri);
  g_free (self->busy_uri);
  self->busy_uri = g_strdup (uri);
  self->shown_uri = g_strdup (uri);
  if (self->monitor)
    nb_device_monitor_set_busy (self->monitor, uri);
  gboolean changed = FALSE;
  /* A pen released that the monitor does not report (it left while in use, or a URI given with
   * options) goes from the list, as it would have had it not been in use. */
  guint pos;
  if (released && g_strcmp0 (released, uri) != 0 && self->monitor && !monitor_has (self, released)
      && nb_pen_list_find (self, released, &pos))
    {
      g_list_store_remove (self->store, pos);
      changed = TRUE;
    }
  if (uri && info)
    {
      NbPenInfo copy = *info;
      copy.uri = (char *) uri;
      changed |= add_item (self, &copy);
    }
  mark_link (self, uri, NB_PEN_LINK_CONNECTED);
  if (changed)
    g_signal_emit (self, signals[SIGNAL_REFRESHED], 0);
}

GListModel *
nb_pen_list_get_model (NbPenList *self)
{
  return G_LIST_MODEL (self->store);
}

static void
nb_pen_list_dispose (GObject *object)
{
  NbPenList *self = NB_PEN_LIST (object);
  nb_pen_list_stop (self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->busy_uri, g_free);
  g_clear_pointer (&self->shown_uri, g_free);
  G_OBJECT_CLASS (nb_pen_list_parent_class)->dispose (object);
}

static void
nb_pen_list_class_init (NbPenListClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = nb_pen_list_dispose;
  signals[SIGNAL_REFRESHED] = g_signal_new ("refreshed", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
nb_pen_list_init (NbPenList *self)
{
  self->store = g_list_store_new (NB_TYPE_PEN_ITEM);
}

NbPenList *
nb_pen_list_new (void)
{
  return g_object_new (NB_TYPE_PEN_LIST, NULL);
}
