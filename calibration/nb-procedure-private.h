/* nb-procedure-private.h: what the files of the procedure share: the run's state (NbProc), the
 * station's two streams (nb-procedure-station.c), one point's measurement with the pairing of
 * the two streams' strokes (nb-procedure-measure.c) and the store glue (nb-procedure-record.c).
 * Everything here runs in the procedure's thread. */
#pragma once

#include "nb-acquisition.h"
#include "nb-adjust.h"
#include "nb-device.h"
#include "nb-procedure.h"
#include "nb-store-runs.h"
#include "nb-store-standards.h"

G_BEGIN_DECLS

typedef struct _NbProc NbProc;

/* One device's stream: its strokes as the detector found them, and how far it has got. */
typedef struct
{
  NbProc *proc;
  NbDevice *device;
  NbAcquisition *acq;
  GArray *strokes;    /* (element-type NbStroke) every stroke since its STREAM_START */
  guint64 next_index; /* the index after the last sample received */
  double sample_rate_hz;
  gulong handlers[3];
} NbProcStream;

struct _NbProc
{
  const NbProcedureOptions *options;
  const NbProfile *profile;
  const NbProcedureCallbacks *callbacks;
  gpointer user_data;
  GCancellable *cancellable;
  GMainContext *context;
  GSource *cancel_source;

  NbStore *store;
  NbDevice *pen;
  NbDevice *fixture; /* NULL in a self-check */
  NbStoreStandard *standard;
  gint64 standard_id; /* the fixture's newest certificate record, in force or not; 0: none */
  NbRunResult *result;
  NbDecisionRule rule;
  double resolution_mm; /* the reference's resolution (type B) */
  char *detail;         /* what the next transition says (set by a state), or NULL */
  GError *error;        /* why the run failed or was cancelled (a state sets it) */

  /* The station (nb-procedure-station.c) */
  NbProcStream pen_stream;
  NbProcStream fixture_stream;
  NbProcStream *ref; /* the reference's stream: the fixture's, or the pen's in a self-check */
  gboolean streams_started;
  gboolean motor_started;
  GError *async_error; /* the first loss, jam, reset, broken stream or cancellation seen */
  double offset_s;     /* reference stroke time − pen stroke time of a stroke (pairing) */
  gboolean have_setting;
  double set_depth_mm, set_rate_hz;
  guint64 change_index; /* the pen's sample index from which the setting is in force */
  guint ref_scan_from;  /* reference strokes before this one belong to earlier points */

  NbAdjustment adjustment;
  NbCalTable new_table;
  gint64 wall_start_us;
};

/* nb-procedure-station.c */

/* Streams of the station on: the fixture's, then the pen's (protocol §11.4: both before the
 * motor), with an acquisition on each. */
gboolean nb_proc_streams_start (NbProc *p, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* SET_DEPTH and SET_RATE (each only when it changes), then every telemetry batch the pen sent
 * before its ACK is dispatched: the pen's stream index after them is where the setting took effect
 * (one byte stream, in order). Skipped when the pen is already at that setting. */
gboolean nb_proc_set (NbProc *p, double depth_mm, double rate_hz,
                      GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean nb_proc_motor_start (NbProc *p, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* nb_proc_stop: the motor off (MOTOR_STOP, not cancellable, asked up to three times on a timeout,
 * confirmed by GET_STATUS), then the pen's and the fixture's streams off. */
gboolean nb_proc_stop (NbProc *p, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* nb_proc_wait: iterates the thread's context until @done (p, data) or an error (the link lost,
 * a jam, a reset, a broken stream, the cancellable). */
gboolean nb_proc_wait (NbProc *p, gboolean (*done) (NbProc *p, gpointer data), gpointer data,
                       GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* nb_proc_check: FALSE with the error that ended the run asynchronously, if any. */
gboolean nb_proc_check (NbProc *p, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void nb_proc_streams_clear (NbProc *p);

/* nb-procedure-measure.c */

/* nb_proc_warm_up: the motor on at the first point; waits for strokes on both streams and pairs
 * them (offset_s). */
gboolean nb_proc_warm_up (NbProc *p, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* nb_proc_measure_phase: every point of the profile, each rate point with its rate's last depth
 * point, into @result as they are measured (a run that fails keeps the points it has), each
 * stored as it is done; @result's verdict is the worst point's. */
gboolean nb_proc_measure_phase (NbProc *p, NbRunPhase phase, NbRunPhaseResult *result,
                                GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb-procedure-record.c: the run's record; every call is a no-op returning TRUE before the run
 * began (result->run_id 0). */
gboolean nb_proc_record_begin (NbProc *p, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean nb_proc_record_transition (NbProc *p, NbProcedureState state, const char *detail,
                                    GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* @seq: the point's place in its phase's list of its quantity (nb_run_result_store_point ()) */
gboolean nb_proc_record_point (NbProc *p, NbRunPhase phase, NbRunQuantity quantity, guint seq,
                               const NbRunPoint *point, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean nb_proc_record_table (NbProc *p, const char *which, const NbCalTable *table,
                               GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean nb_proc_record_close (NbProc *p, GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
