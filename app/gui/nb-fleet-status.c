/* nb-fleet-status.c: background sync of the bench's records to the fleet's server
 * (nb-fleet-status.h). */
#include "nb-fleet-status.h"

#include "nb-store.h"

struct _NbFleetStatus
{
  GObject parent_instance;
  GSettings *settings;
  char *server; /* NULL: none */
  char *local_path;
  NbFleetSyncState state;
  gint64 waiting;
  char *message;
  gboolean syncing;
  gboolean again;   /* asked for while a sync ran */
  guint generation; /* bumped when the server changes: a sync of the old one is ignored */
  guint interval_s;
  guint timer;
};

enum
{
  PROP_0,
  PROP_SERVER,
  PROP_STATE,
  PROP_WAITING,
  PROP_MESSAGE,
  PROP_SYNCING,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum
{
  SIGNAL_RECORDS_SENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (NbFleetStatus, nb_fleet_status, G_TYPE_OBJECT)

typedef struct
{
  char *server;
  char *local_path;
  guint generation;
  NbFleetSyncResult result;
} Job;

static void
job_free (Job *j)
{
  g_free (j->server);
  g_free (j->local_path);
  nb_fleet_sync_result_clear (&j->result);
  g_free (j);
}

static void
sync_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *j = data;
  nb_fleet_sync (j->server, j->local_path, NULL, 0, &j->result);
  g_task_return_boolean (task, TRUE);
}

static void
set_syncing (NbFleetStatus *self, gboolean syncing)
{
  if (self->syncing == syncing)
    return;
  self->syncing = syncing;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SYNCING]);
}

/* Applies an outcome; notifies what changed. */
static void
set_outcome (NbFleetStatus *self, NbFleetSyncState state, gint64 waiting, const char *message)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
    }
  if (self->waiting != waiting)
    {
      self->waiting = waiting;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_WAITING]);
    }
  if (g_strcmp0 (self->message, message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MESSAGE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void start_sync (NbFleetStatus *self);

static void
on_synced (GObject *source, GAsyncResult *res, gpointer data)
{
  NbFleetStatus *self = NB_FLEET_STATUS (source);
  Job *j = g_task_get_task_data (G_TASK (res));
  set_syncing (self, FALSE);
  if (j->generation == self->generation)
    {
      if (j->result.state == NB_FLEET_SYNC_OFFLINE || j->result.state == NB_FLEET_SYNC_FAILED)
        g_debug ("sync to the fleet's server: %s", j->result.message);
      set_outcome (self, j->result.state, j->result.waiting, j->result.message);
      if (j->result.copied > 0)
        g_signal_emit (self, signals[SIGNAL_RECORDS_SENT], 0, j->result.copied);
    }
  if (self->again)
    {
      self->again = FALSE;
      start_sync (self);
    }
}

static void
start_sync (NbFleetStatus *self)
{
  if (self->server == NULL)
    return;
  if (self->syncing)
    {
      self->again = TRUE;
      return;
    }
  Job *j = g_new0 (Job, 1);
  j->server = g_strdup (self->server);
  j->local_path = g_strdup (self->local_path);
  j->generation = self->generation;
  /* the task keeps the model alive until the worker is done with its copy of the settings */
  g_autoptr (GTask) task = g_task_new (self, NULL, on_synced, NULL);
  g_task_set_task_data (task, j, (GDestroyNotify) job_free);
  g_task_set_name (task, "nb-fleet-sync");
  set_syncing (self, TRUE);
  g_task_run_in_thread (task, sync_thread);
}

void
nb_fleet_status_sync_now (NbFleetStatus *self)
{
  start_sync (self);
}

static gboolean
on_timer (gpointer data)
{
  NbFleetStatus *self = data;
  if (!self->syncing)
    start_sync (self);
  return G_SOURCE_CONTINUE;
}

static void
restart_timer (NbFleetStatus *self)
{
  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->server && self->interval_s > 0)
    self->timer = g_timeout_add_seconds (self->interval_s, on_timer, self);
}

/* The settings changed: a new server (or none) starts afresh, and syncs at once. */
static void
reload (NbFleetStatus *self)
{
  g_autofree char *uri = g_settings_get_string (self->settings, "server-uri");
  g_autofree char *path = g_settings_get_string (self->settings, "database-path");
  g_strstrip (uri);
  /* a setting written by hand that names no server, or carries a password, is not used */
  g_autoptr (GError) error = NULL;
  gboolean usable = *uri != '\0' && nb_fleet_check_uri (uri, &error);
  if (*uri != '\0' && !usable)
    g_warning ("the server-uri setting is not used: %s", error->message);
  /* recordings and calibrations write into "database-path" as without a server */
  g_autofree char *local = *path ? g_strdup (path) : nb_store_get_default_path ();
  gboolean changed = g_strcmp0 (self->server, usable ? uri : NULL) != 0
                     || g_strcmp0 (self->local_path, local) != 0;
  if (!changed)
    return;
  self->generation++;
  g_free (self->server);
  self->server = usable ? g_strdup (uri) : NULL;
  g_free (self->local_path);
  self->local_path = g_steal_pointer (&local);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SERVER]);
  set_outcome (self, NB_FLEET_SYNC_LOCAL, -1, NULL);
  restart_timer (self);
  start_sync (self);
}

static void
on_setting_changed (GSettings *settings, const char *key, NbFleetStatus *self)
{
  if (g_str_equal (key, "server-uri") || g_str_equal (key, "database-path"))
    reload (self);
}

void
nb_fleet_status_set_retry_interval (NbFleetStatus *self, guint seconds)
{
  self->interval_s = seconds;
  restart_timer (self);
}

const char *
nb_fleet_status_get_server (NbFleetStatus *self)
{
  return self->server;
}

NbFleetSyncState
nb_fleet_status_get_state (NbFleetStatus *self)
{
  return self->state;
}

gint64
nb_fleet_status_get_waiting (NbFleetStatus *self)
{
  return self->waiting;
}

const char *
nb_fleet_status_get_message (NbFleetStatus *self)
{
  return self->message;
}

gboolean
nb_fleet_status_is_syncing (NbFleetStatus *self)
{
  return self->syncing;
}

static void
nb_fleet_status_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  NbFleetStatus *self = NB_FLEET_STATUS (object);
  switch (id)
    {
    case PROP_SERVER: g_value_set_string (value, self->server); break;
    case PROP_STATE: g_value_set_int (value, self->state); break;
    case PROP_WAITING: g_value_set_int64 (value, self->waiting); break;
    case PROP_MESSAGE: g_value_set_string (value, self->message); break;
    case PROP_SYNCING: g_value_set_boolean (value, self->syncing); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
nb_fleet_status_dispose (GObject *object)
{
  NbFleetStatus *self = NB_FLEET_STATUS (object);
  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (nb_fleet_status_parent_class)->dispose (object);
}

static void
nb_fleet_status_finalize (GObject *object)
{
  NbFleetStatus *self = NB_FLEET_STATUS (object);
  g_free (self->server);
  g_free (self->local_path);
  g_free (self->message);
  G_OBJECT_CLASS (nb_fleet_status_parent_class)->finalize (object);
}

static void
nb_fleet_status_class_init (NbFleetStatusClass *klass)
{
  GObjectClass *oc = G_OBJECT_CLASS (klass);
  oc->get_property = nb_fleet_status_get_property;
  oc->dispose = nb_fleet_status_dispose;
  oc->finalize = nb_fleet_status_finalize;
  props[PROP_SERVER]
      = g_param_spec_string ("server", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_STATE]
      = g_param_spec_int ("state", NULL, NULL, NB_FLEET_SYNC_LOCAL, NB_FLEET_SYNC_FAILED,
                          NB_FLEET_SYNC_LOCAL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_WAITING] = g_param_spec_int64 ("waiting", NULL, NULL, -1, G_MAXINT64, -1,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_SYNCING] = g_param_spec_boolean ("syncing", NULL, NULL, FALSE,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (oc, N_PROPS, props);
  signals[SIGNAL_RECORDS_SENT]
      = g_signal_new ("records-sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
nb_fleet_status_init (NbFleetStatus *self)
{
  self->state = NB_FLEET_SYNC_LOCAL;
  self->waiting = -1;
  self->interval_s = NB_FLEET_STATUS_RETRY_S;
}

NbFleetStatus *
nb_fleet_status_new (GSettings *settings)
{
  NbFleetStatus *self = g_object_new (NB_TYPE_FLEET_STATUS, NULL);
  self->settings = g_object_ref (settings);
  g_signal_connect (settings, "changed", G_CALLBACK (on_setting_changed), self);
  reload (self);
  return self;
}
