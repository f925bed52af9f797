/* nb-calibration.c: the wizard's model: the choices, and one run of the procedure in a GTask
 * thread whose callbacks are copied onto the main context. */
#include <glib/gi18n.h>
#include "nb-calibration.h"

#include <math.h>

#include "nb-store.h"

typedef struct
{
  NbProcedureState state;
  char *detail;
} StateEntry;

static void
state_entry_clear (gpointer p)
{
  g_free (((StateEntry *) p)->detail);
}

struct _NbCalibration
{
  GObject parent_instance;
  GPtrArray *profiles; /* NbProfile */
  char *pen_uri, *fixture_uri, *operator_name, *store_path;
  const NbProfile *profile; /* one of @profiles */
  guint fitzpatrick;
  gboolean rule_given, adjust;
  NbDecisionRule rule;

  /* the run */
  GCancellable *cancellable; /* while running */
  GMainContext *context;     /* where the callbacks are delivered */
  NbCalibrationStep step;
  NbProcedureState state;
  GArray *states; /* StateEntry */
  gboolean has_point;
  NbRunPhase phase;
  guint index, total;
  double depth_mm, rate_hz;
  GArray *strokes;           /* double */
  GPtrArray *points[2];      /* NbRunPoint per phase: depth points */
  GPtrArray *rate_points[2]; /* rate points */
  NbRunResult *result;
  GError *error;
};

G_DEFINE_FINAL_TYPE (NbCalibration, nb_calibration, G_TYPE_OBJECT)

enum
{
  SIGNAL_STEP_CHANGED,
  SIGNAL_STATE_CHANGED,
  SIGNAL_POINT_STARTED,
  SIGNAL_STROKE,
  SIGNAL_POINT_DONE,
  SIGNAL_RATE_DONE,
  SIGNAL_FINISHED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
set_step (NbCalibration *self, NbCalibrationStep step)
{
  if (self->step == step)
    return;
  self->step = step;
  g_signal_emit (self, signals[SIGNAL_STEP_CHANGED], 0);
}

/* --- messages from the procedure's thread ---------------------------------------------------- */

typedef enum
{
  MSG_STATE,
  MSG_POINT_STARTED,
  MSG_STROKE,
  MSG_POINT_DONE,
} MsgKind;

typedef struct
{
  NbCalibration *self; /* a reference */
  MsgKind kind;
  NbProcedureState state;
  char *detail;
  NbRunPhase phase;
  guint index, total;
  double depth_mm, rate_hz;
  NbRunPoint *point;
} Msg;

static void
msg_free (gpointer data)
{
  Msg *m = data;
  g_object_unref (m->self);
  g_free (m->detail);
  if (m->point)
    nb_run_point_free (m->point);
  g_free (m);
}

/* A deep copy: the procedure's point is only valid during its callback. */
static NbRunPoint *
point_copy (const NbRunPoint *src)
{
  NbRunPoint *p = nb_run_point_new ();
  GArray *reference = p->reference ? p->reference : g_array_new (FALSE, FALSE, sizeof (double));
  GArray *pen = p->pen ? p->pen : g_array_new (FALSE, FALSE, sizeof (double));
  *p = *src;
  p->reference = reference;
  p->pen = pen;
  if (src->reference)
    g_array_append_vals (p->reference, src->reference->data, src->reference->len);
  if (src->pen)
    g_array_append_vals (p->pen, src->pen->data, src->pen->len);
  return p;
}

static gboolean
deliver (gpointer data)
{
  Msg *m = data;
  NbCalibration *self = m->self;
  switch (m->kind)
    {
    case MSG_STATE:
      {
        self->state = m->state;
        StateEntry e = { m->state, g_strdup (m->detail) };
        g_array_append_val (self->states, e);
        g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0, (guint) m->state, m->detail);
        /* The result step comes with "finished", once the result is there. */
        NbCalibrationStep step = nb_calibration_step_for_state (m->state);
        if (step != NB_CALIBRATION_STEP_RESULT)
          set_step (self, step);
        break;
      }
    case MSG_POINT_STARTED:
      self->has_point = TRUE;
      self->phase = m->phase;
      self->index = m->index;
      self->total = m->total;
      self->depth_mm = m->depth_mm;
      self->rate_hz = m->rate_hz;
      g_array_set_size (self->strokes, 0);
      g_signal_emit (self, signals[SIGNAL_POINT_STARTED], 0);
      break;
    case MSG_STROKE:
      g_array_append_val (self->strokes, m->depth_mm);
      g_signal_emit (self, signals[SIGNAL_STROKE], 0, m->depth_mm);
      break;
    case MSG_POINT_DONE:
      {
        /* A rate point spans the depths: it has no set depth. */
        gboolean rate = isnan (m->point->depth_mm);
        GPtrArray **lists = rate ? self->rate_points : self->points;
        g_ptr_array_add (lists[m->phase == NB_RUN_PHASE_AS_LEFT], g_steal_pointer (&m->point));
        g_signal_emit (self, signals[rate ? SIGNAL_RATE_DONE : SIGNAL_POINT_DONE], 0,
                       (guint) m->phase, m->index);
        break;
      }
    }
  return G_SOURCE_REMOVE;
}

/* An idle source rather than g_main_context_invoke (), which runs the function at once in the
 * calling thread whenever it can acquire the context (the main loop between iterations): the
 * model and its signals must only ever run on the main thread. */
static void
post (NbCalibration *self, Msg *m)
{
  m->self = g_object_ref (self);
  g_autoptr (GSource) source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver, m, msg_free);
  g_source_set_static_name (source, "nb-calibration-callback");
  g_source_attach (source, self->context);
}

static void
cb_state (NbProcedureState state, const char *detail, gpointer user_data)
{
  Msg *m = g_new0 (Msg, 1);
  m->kind = MSG_STATE;
  m->state = state;
  m->detail = g_strdup (detail);
  post (user_data, m);
}

static void
cb_point_started (NbRunPhase phase, guint index, guint total, double depth_mm, double rate_hz,
                  gpointer user_data)
{
  Msg *m = g_new0 (Msg, 1);
  m->kind = MSG_POINT_STARTED;
  m->phase = phase;
  m->index = index;
  m->total = total;
  m->depth_mm = depth_mm;
  m->rate_hz = rate_hz;
  post (user_data, m);
}

static void
cb_stroke (const NbStroke *stroke, gpointer user_data)
{
  Msg *m = g_new0 (Msg, 1);
  m->kind = MSG_STROKE;
  m->depth_mm = stroke->depth_mm;
  post (user_data, m);
}

static void
cb_point_done (NbRunPhase phase, guint index, guint total, const NbRunPoint *point,
               gpointer user_data)
{
  Msg *m = g_new0 (Msg, 1);
  m->kind = MSG_POINT_DONE;
  m->phase = phase;
  m->index = index;
  m->total = total;
  m->point = point_copy (point);
  post (user_data, m);
}

/* --- the run --------------------------------------------------------------------------------- */

typedef struct
{
  char *pen_uri, *fixture_uri, *operator_name, *store_path;
  const NbProfile *profile; /* owned by the model's array, which is kept while running */
  GPtrArray *profiles;      /* a reference to keep @profile alive */
  gboolean rule_given, adjust;
  NbDecisionRule rule;
  /* out */
  NbRunResult *result;
  GError *error;
} RunJob;

static void
run_job_free (gpointer data)
{
  RunJob *j = data;
  g_free (j->pen_uri);
  g_free (j->fixture_uri);
  g_free (j->operator_name);
  g_free (j->store_path);
  g_ptr_array_unref (j->profiles);
  if (j->result)
    nb_run_result_free (j->result);
  g_clear_error (&j->error);
  g_free (j);
}

static void
run_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RunJob *j = task_data;
  const NbProcedureOptions options = {
    .pen_uri = j->pen_uri,
    .fixture_uri = j->fixture_uri,
    .reference_pen = j->fixture_uri == NULL,
    .profile = j->profile,
    .rule_given = j->rule_given,
    .rule = j->rule,
    .no_adjust = !j->adjust,
    .operator_name = j->operator_name,
    .store_path = j->store_path,
    .temperature_c = NAN,
    .humidity_pct = NAN,
  };
  static const NbProcedureCallbacks callbacks = {
    .state = cb_state,
    .point_started = cb_point_started,
    .stroke = cb_stroke,
    .point_done = cb_point_done,
  };
  j->result = nb_procedure_run (&options, &callbacks, source, cancellable, &j->error);
  if (j->result == NULL && j->error == NULL)
    g_set_error_literal (&j->error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("the run could not begin"));
  g_task_return_boolean (task, TRUE);
}

static void
on_run_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  NbCalibration *self = NB_CALIBRATION (source);
  RunJob *j = g_task_get_task_data (G_TASK (res));
  self->result = g_steal_pointer (&j->result);
  self->error = g_steal_pointer (&j->error);
  g_clear_object (&self->cancellable);
  if (self->result)
    self->state = self->result->status == NB_RUN_COMPLETE    ? NB_PROCEDURE_DONE
                  : self->result->status == NB_RUN_CANCELLED ? NB_PROCEDURE_CANCELLED
                                                             : NB_PROCEDURE_FAILED;
  else
    self->state = g_error_matches (self->error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                      ? NB_PROCEDURE_CANCELLED
                      : NB_PROCEDURE_FAILED;
  /* A run refused at its pre-checks stays on that step, so that the reason and the way out
   * (recording a standard) are where the operator is looking. */
  set_step (self, nb_calibration_needs_standard (self) ? NB_CALIBRATION_STEP_PRE_CHECKS
                                                       : NB_CALIBRATION_STEP_RESULT);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

static void
forget_run (NbCalibration *self)
{
  g_array_set_size (self->states, 0);
  g_array_set_size (self->strokes, 0);
  g_ptr_array_set_size (self->points[0], 0);
  g_ptr_array_set_size (self->points[1], 0);
  g_ptr_array_set_size (self->rate_points[0], 0);
  g_ptr_array_set_size (self->rate_points[1], 0);
  g_clear_pointer (&self->result, nb_run_result_free);
  g_clear_error (&self->error);
  self->has_point = FALSE;
  self->state = NB_PROCEDURE_IDENTIFY;
}

gboolean
nb_calibration_start (NbCalibration *self, GError **error)
{
  if (self->cancellable)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY, _ ("A calibration is running"));
      return FALSE;
    }
  if (self->pen_uri == NULL || *self->pen_uri == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _ ("Choose a pen"));
      return FALSE;
    }
  if (self->profile == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _ ("Choose a profile"));
      return FALSE;
    }
  forget_run (self);
  RunJob *j = g_new0 (RunJob, 1);
  j->pen_uri = g_strdup (self->pen_uri);
  j->fixture_uri = g_strdup (self->fixture_uri);
  j->operator_name = g_strdup (self->operator_name);
  j->store_path = g_strdup (self->store_path);
  j->profiles = g_ptr_array_ref (self->profiles);
  j->profile = self->profile;
  j->rule_given = self->rule_given;
  j->rule = self->rule;
  j->adjust = self->adjust;
  self->cancellable = g_cancellable_new ();
  g_main_context_unref (self->context);
  self->context = g_main_context_ref_thread_default ();
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, on_run_done, NULL);
  g_task_set_task_data (task, j, run_job_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, run_thread);
  set_step (self, NB_CALIBRATION_STEP_PRE_CHECKS);
  return TRUE;
}

void
nb_calibration_cancel (NbCalibration *self)
{
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
}

void
nb_calibration_reset (NbCalibration *self)
{
  if (self->cancellable)
    return;
  forget_run (self);
  set_step (self, NB_CALIBRATION_STEP_STATION);
}

gboolean
nb_calibration_is_running (NbCalibration *self)
{
  return self->cancellable != NULL;
}

/* --- standards ------------------------------------------------------------------------------- */

typedef struct
{
  char *store_path, *serial, *model, *certificate, *due, *added_by;
  double u, k;
} StandardJob;

static void
standard_job_free (gpointer data)
{
  StandardJob *j = data;
  g_free (j->store_path);
  g_free (j->serial);
  g_free (j->model);
  g_free (j->certificate);
  g_free (j->due);
  g_free (j->added_by);
  g_free (j);
}

static void
standard_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  StandardJob *j = task_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = j->store_path ? g_strdup (j->store_path) : nb_store_get_default_path ();
  g_autoptr (NbStore) store = nb_store_open (path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  const NbStoreStandardParams params = {
    .serial = j->serial,
    .model = j->model,
    .certificate = j->certificate,
    .uncertainty_mm = j->u,
    .k = j->k,
    .due = j->due,
    .added_by = j->added_by,
  };
  gint64 id = nb_store_add_standard (store, &params, &error);
  if (id == 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, id);
}

void
nb_calibration_add_standard_async (NbCalibration *self, const NbStoreStandardParams *params,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  StandardJob *j = g_new0 (StandardJob, 1);
  j->store_path = g_strdup (self->store_path);
  j->serial = g_strdup (params->serial);
  j->model = g_strdup (params->model);
  j->certificate = g_strdup (params->certificate);
  j->due = g_strdup (params->due);
  j->added_by = g_strdup (params->added_by ? params->added_by : self->operator_name);
  j->u = params->uncertainty_mm;
  j->k = params->k;
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_task_data (task, j, standard_job_free);
  g_task_run_in_thread (task, standard_thread);
}

gint64
nb_calibration_add_standard_finish (NbCalibration *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  gssize id = g_task_propagate_int (G_TASK (result), error);
  return id > 0 ? id : 0;
}

/* --- choices and accessors ------------------------------------------------------------------- */

gboolean
nb_calibration_load_profiles (NbCalibration *self, const char *const *dirs, GError **error)
{
  GPtrArray *profiles = nb_profiles_load_all (dirs, error);
  if (profiles == NULL)
    return FALSE;
  g_autofree char *id = self->profile ? g_strdup (self->profile->id) : NULL;
  g_ptr_array_unref (self->profiles);
  self->profiles = profiles;
  self->profile = id ? nb_profiles_find (profiles, id) : NULL;
  for (guint i = 0; self->profile == NULL && i < profiles->len; i++)
    if (((NbProfile *) g_ptr_array_index (profiles, i))->area)
      self->profile = g_ptr_array_index (profiles, i);
  return TRUE;
}

GPtrArray *
nb_calibration_get_profiles (NbCalibration *self)
{
  return self->profiles;
}

void
nb_calibration_set_station (NbCalibration *self, const char *pen_uri, const char *fixture_uri)
{
  g_free (self->pen_uri);
  self->pen_uri = g_strdup (pen_uri);
  g_free (self->fixture_uri);
  self->fixture_uri = fixture_uri && *fixture_uri ? g_strdup (fixture_uri) : NULL;
}

const char *
nb_calibration_get_pen_uri (NbCalibration *self)
{
  return self->pen_uri;
}

const char *
nb_calibration_get_fixture_uri (NbCalibration *self)
{
  return self->fixture_uri;
}

gboolean
nb_calibration_set_profile (NbCalibration *self, const char *id)
{
  NbProfile *p = id ? nb_profiles_find (self->profiles, id) : NULL;
  if (p == NULL)
    return FALSE;
  self->profile = p;
  return TRUE;
}

const NbProfile *
nb_calibration_get_profile (NbCalibration *self)
{
  return self->profile;
}

void
nb_calibration_set_fitzpatrick (NbCalibration *self, guint type)
{
  self->fitzpatrick = CLAMP (type, 1, 6);
}

guint
nb_calibration_get_fitzpatrick (NbCalibration *self)
{
  return self->fitzpatrick;
}

void
nb_calibration_set_operator (NbCalibration *self, const char *name)
{
  g_free (self->operator_name);
  self->operator_name = name && *name ? g_strdup (name) : NULL;
}

void
nb_calibration_set_rule (NbCalibration *self, gboolean given, NbDecisionRule rule)
{
  self->rule_given = given;
  self->rule = rule;
}

NbDecisionRule
nb_calibration_get_rule (NbCalibration *self)
{
  if (self->rule_given || self->profile == NULL)
    return self->rule;
  /* NbProfileRule and NbDecisionRule list the rules in the same order. */
  return (NbDecisionRule) self->profile->rule;
}

void
nb_calibration_set_adjust (NbCalibration *self, gboolean adjust)
{
  self->adjust = adjust;
}

void
nb_calibration_set_store_path (NbCalibration *self, const char *path)
{
  g_free (self->store_path);
  self->store_path = path && *path ? g_strdup (path) : NULL;
}

NbCalibrationStep
nb_calibration_get_step (NbCalibration *self)
{
  return self->step;
}

NbProcedureState
nb_calibration_get_state (NbCalibration *self)
{
  return self->state;
}

const char *
nb_calibration_get_detail (NbCalibration *self)
{
  if (self->states->len == 0)
    return NULL;
  return g_array_index (self->states, StateEntry, self->states->len - 1).detail;
}

guint
nb_calibration_get_n_states (NbCalibration *self)
{
  return self->states->len;
}

NbProcedureState
nb_calibration_get_state_at (NbCalibration *self, guint i, const char **detail)
{
  g_return_val_if_fail (i < self->states->len, NB_PROCEDURE_FAILED);
  const StateEntry *e = &g_array_index (self->states, StateEntry, i);
  if (detail)
    *detail = e->detail;
  return e->state;
}

gboolean
nb_calibration_get_current_point (NbCalibration *self, NbRunPhase *phase, guint *index,
                                  guint *total, double *depth_mm, double *rate_hz)
{
  if (!self->has_point)
    return FALSE;
  if (phase)
    *phase = self->phase;
  if (index)
    *index = self->index;
  if (total)
    *total = self->total;
  if (depth_mm)
    *depth_mm = self->depth_mm;
  if (rate_hz)
    *rate_hz = self->rate_hz;
  return TRUE;
}

GPtrArray *
nb_calibration_get_points (NbCalibration *self, NbRunPhase phase)
{
  return self->points[phase == NB_RUN_PHASE_AS_LEFT];
}

GPtrArray *
nb_calibration_get_rate_points (NbCalibration *self, NbRunPhase phase)
{
  return self->rate_points[phase == NB_RUN_PHASE_AS_LEFT];
}

GArray *
nb_calibration_get_strokes (NbCalibration *self)
{
  return self->strokes;
}

const NbRunResult *
nb_calibration_get_result (NbCalibration *self)
{
  return self->result;
}

const GError *
nb_calibration_get_error (NbCalibration *self)
{
  return self->error;
}

gboolean
nb_calibration_needs_standard (NbCalibration *self)
{
  return g_error_matches (self->error, NB_STORE_ERROR, NB_STORE_ERROR_NO_STANDARD)
         || g_error_matches (self->error, NB_STORE_ERROR, NB_STORE_ERROR_STANDARD_EXPIRED);
}

const char *
nb_calibration_get_fixture_serial (NbCalibration *self)
{
  return self->result ? self->result->fixture_serial : NULL;
}

/* --- object ---------------------------------------------------------------------------------- */

static void
nb_calibration_dispose (GObject *object)
{
  NbCalibration *self = NB_CALIBRATION (object);
  /* A run holds a reference to the model (its task's source) until it ends: this is only
   * reached once it has. */
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (nb_calibration_parent_class)->dispose (object);
}

static void
nb_calibration_finalize (GObject *object)
{
  NbCalibration *self = NB_CALIBRATION (object);
  forget_run (self);
  g_ptr_array_unref (self->profiles);
  g_free (self->pen_uri);
  g_free (self->fixture_uri);
  g_free (self->operator_name);
  g_free (self->store_path);
  g_array_unref (self->states);
  g_array_unref (self->strokes);
  g_ptr_array_unref (self->points[0]);
  g_ptr_array_unref (self->points[1]);
  g_ptr_array_unref (self->rate_points[0]);
  g_ptr_array_unref (self->rate_points[1]);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (nb_calibration_parent_class)->finalize (object);
}

static void
nb_calibration_class_init (NbCalibrationClass *klass)
{
  GObjectClass *oc = G_OBJECT_CLASS (klass);
  oc->dispose = nb_calibration_dispose;
  oc->finalize = nb_calibration_finalize;
  GType t = G_TYPE_FROM_CLASS (klass);
  signals[SIGNAL_STEP_CHANGED]
      = g_signal_new ("step-changed", t, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_STATE_CHANGED]
      = g_signal_new ("state-changed", t, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                      G_TYPE_UINT, G_TYPE_STRING);
  signals[SIGNAL_POINT_STARTED]
      = g_signal_new ("point-started", t, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_STROKE] = g_signal_new ("stroke", t, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_DOUBLE);
  signals[SIGNAL_POINT_DONE] = g_signal_new ("point-done", t, G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                             NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  signals[SIGNAL_RATE_DONE] = g_signal_new ("rate-done", t, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  signals[SIGNAL_FINISHED]
      = g_signal_new ("finished", t, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
nb_calibration_init (NbCalibration *self)
{
  self->profiles = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_profile_free);
  self->pen_uri = g_strdup (NB_CALIBRATION_SIM_PEN);
  self->fixture_uri = g_strdup (NB_CALIBRATION_SIM_FIXTURE);
  self->fitzpatrick = 1;
  self->adjust = TRUE;
  self->context = g_main_context_ref_thread_default ();
  self->states = g_array_new (FALSE, TRUE, sizeof (StateEntry));
  g_array_set_clear_func (self->states, state_entry_clear);
  self->strokes = g_array_new (FALSE, FALSE, sizeof (double));
  self->points[0] = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_run_point_free);
  self->points[1] = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_run_point_free);
  self->rate_points[0] = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_run_point_free);
  self->rate_points[1] = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_run_point_free);
}

NbCalibration *
nb_calibration_new (void)
{
  return g_object_new (NB_TYPE_CALIBRATION, NULL);
}
