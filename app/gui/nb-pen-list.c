/* nb-pen-list.c: periodic pen discovery into a list model. */
#include "nb-pen-list.h"

struct _NbPenItem
{
  GObject parent_instance;
  char *uri, *model, *serial, *firmware, *transport, *port;
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

static void
nb_pen_item_class_init (NbPenItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nb_pen_item_finalize;
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

struct _NbPenList
{
  GObject parent_instance;
  GListStore *store;
  GCancellable *cancellable; /* of the pass in flight, NULL when none */
  guint timer_id;
  char *busy_uri;
};

G_DEFINE_FINAL_TYPE (NbPenList, nb_pen_list, G_TYPE_OBJECT)

enum
{
  SIGNAL_REFRESHED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
discover_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const char *busy = task_data;
  /* The simulated pen is one in-process object per open, so probing it never disturbs one in
   * use; a real port in use must not be opened twice, so discovery waits while one is. */
  if (busy && !g_str_has_prefix (busy, "sim"))
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  g_task_return_pointer (task, nb_discover_pens (TRUE, cancellable),
                         (GDestroyNotify) g_ptr_array_unref);
}

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
pens_contain (GPtrArray *pens, const char *uri)
{
  for (guint i = 0; i < pens->len; i++)
    if (g_str_equal (((NbPenInfo *) pens->pdata[i])->uri, uri))
      return TRUE;
  return FALSE;
}

static void
discover_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) pens = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  NbPenList *self = NB_PEN_LIST (source);
  g_clear_object (&self->cancellable);
  if (pens == NULL)
    return;
  /* Remove the pens gone (except the one in use), then add the new ones, keeping the others. */
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->store)); i-- > 0;)
    {
      g_autoptr (NbPenItem) item = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      if (!pens_contain (pens, item->uri) && g_strcmp0 (item->uri, self->busy_uri) != 0)
        g_list_store_remove (self->store, i);
    }
  for (guint i = 0; i < pens->len; i++)
    {
      NbPenInfo *info = pens->pdata[i];
      if (nb_pen_list_find (self, info->uri, NULL) == NULL)
        {
          g_autoptr (NbPenItem) item = nb_pen_item_new (info);
          g_list_store_append (self->store, item);
        }
    }
  g_signal_emit (self, signals[SIGNAL_REFRESHED], 0);
}

static gboolean
refresh (gpointer data)
{
  NbPenList *self = data;
  if (self->cancellable != NULL)
    return G_SOURCE_CONTINUE; /* the previous pass is still probing */
  self->cancellable = g_cancellable_new ();
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, discover_done, NULL);
  g_task_set_source_tag (task, refresh);
  g_task_set_task_data (task, g_strdup (self->busy_uri), g_free);
  g_task_run_in_thread (task, discover_thread);
  return G_SOURCE_CONTINUE;
}

void
nb_pen_list_start (NbPenList *self)
{
  if (self->timer_id)
    return;
  refresh (self);
  self->timer_id = g_timeout_add_seconds (NB_PEN_LIST_REFRESH_S, refresh, self);
}

void
nb_pen_list_stop (NbPenList *self)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

void
nb_pen_list_set_busy (NbPenList *self, const char *uri, const NbPenInfo *info)
{
  g_free (self->busy_uri);
  self->busy_uri = g_strdup (uri);
  if (uri && info && nb_pen_list_find (self, uri, NULL) == NULL)
    {
      g_autoptr (NbPenItem) item = nb_pen_item_new (info);
      g_list_store_append (self->store, item);
    }
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
