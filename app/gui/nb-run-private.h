/* nb-run-private.h: what the parts of NbRun (nb-run.c, nb-run-record.c, nb-run-close.c) share. */
#pragma once

#include "nb-recorder.h"
#include "nb-run.h"

G_BEGIN_DECLS

struct _NbRun
{
  GObject parent_instance;
  NbDevice *device;
  NbAcquisition *acq;
  NbDecimator *decimator;
  NbIdentity identity;
  NbCalTable calibration;
  gboolean have_calibration;
  double sample_rate;
  guint64 end_index;
  gint64 last_received_us;

  gboolean connected, motor_running;
  double set_depth_mm, set_rate_hz;

  NbRecorder *recorder; /* NULL when not recording */
  gboolean starting;    /* a session is being created in a worker */
  GTask *closing;       /* nb_run_close_async's task until it returns */
  char *close_reason;
  gboolean recording; /* TRUE from start until the recorder is handed to its finishing thread */
  gint64 recording_since_us; /* monotonic time the session opened */
  guint64 recorded_strokes;  /* strokes written to the open session */
  /* what a new session is measured against (nb_run_set_session_target) */
  gboolean has_target;
  NbLiveTarget target;
  char *target_profile_id;
  gint64 target_profile_version;

  /* readouts */
  NbAcquisitionSummary summary;
  NbDeviceStats link;
  guint update_id;
};

typedef enum
{
  NB_RUN_FLAG_CONNECTED,
  NB_RUN_FLAG_MOTOR_RUNNING,
  NB_RUN_FLAG_RECORDING,
} NbRunFlag;

/* nb_run_set_flag: sets a boolean property, notifying only on a change. */
void nb_run_set_flag (NbRun *run, NbRunFlag flag, gboolean value);

/* What nb_run_close_async waits for. */
enum
{
  NB_RUN_CLOSE_PART_PEN = 1 << 0,       /* MOTOR_STOP acknowledged, link closed */
  NB_RUN_CLOSE_PART_RECORDING = 1 << 1, /* the session closed in the store */
};

/* nb_run_close_part_done: tells the close task @closing that @part is done (@error: it failed). */
void nb_run_close_part_done (GTask *closing, guint part, const GError *error);

/* nb_run_finish_recording: hands the recorder to a worker that closes the session with @status;
 * "recording-finished" follows on the main thread, and @closing (or NULL) is told. */
void nb_run_finish_recording (NbRun *run, NbSessionStatus status, const char *error_text,
                              GTask *closing);
/* nb_run_check_recorder: a failed recorder call (@ok FALSE, @error owned) stops the recording as
 * aborted; everything committed stays. */
void nb_run_check_recorder (NbRun *run, gboolean ok, GError *error);

G_END_DECLS
