/* nb-run.h: the model of a connected pen in the GUI: the device, its acquisition (strokes and
 * running statistics), the raw-sample decimator the strip chart draws from, and the recorder when
 * recording. Widgets bind to its properties and signals; it has no widget code, so that the GUI
 * tests can drive it directly.
 *
 * Everything that may block (opening, requests, finishing a recording) runs in a GTask thread;
 * telemetry, strokes and the loss of the link arrive on the main context. */
#pragma once

#include <gio/gio.h>

#include "nb-acquisition.h"
#include "nb-decimator.h"
#include "nb-device.h"
#include "nb-live-verdict.h"

G_BEGIN_DECLS

#define NB_TYPE_RUN (nb_run_get_type ())
G_DECLARE_FINAL_TYPE (NbRun, nb_run, NB, RUN, GObject)

/* How much raw history the strip chart can scroll back through. */
#define NB_RUN_HISTORY_S 60
/* Readouts are refreshed this often (the charts redraw every frame on their own). */
#define NB_RUN_UPDATE_MS 100
/* With the motor off, telemetry reaches the main loop at most this often
 * (nb_device_set_rest_dispatch_interval). */
#define NB_RUN_REST_DISPATCH_MS 100

/* nb_run_open_async: opens @uri, identifies the pen, reads its setting and calibration, and
 * starts the telemetry stream (motor off), all in a worker thread. */
void nb_run_open_async (const char *uri, GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user_data);
NbRun *nb_run_open_finish (GAsyncResult *result, GError **error) G_GNUC_WARN_UNUSED_RESULT;

NbDevice *nb_run_get_device (NbRun *run);
const NbIdentity *nb_run_get_identity (NbRun *run);
/* The calibration table read at open, or NULL if the pen has none to read. */
const NbCalTable *nb_run_get_calibration (NbRun *run);
const NbDecimator *nb_run_get_decimator (NbRun *run);
double nb_run_get_sample_rate (NbRun *run);
/* One past the newest sample index received (0 before any). */
guint64 nb_run_get_end_index (NbRun *run);
/* received_us of the newest telemetry batch (device-to-screen latency). */
gint64 nb_run_get_last_received_us (NbRun *run);
gboolean nb_run_is_connected (NbRun *run);
gboolean nb_run_is_motor_running (NbRun *run);
gboolean nb_run_is_recording (NbRun *run);
double nb_run_get_set_depth (NbRun *run);
double nb_run_get_set_rate (NbRun *run);
void nb_run_get_summary (NbRun *run, NbAcquisitionSummary *summary);
/* nb_run_is_last_run: TRUE when the motor is stopped and the readouts still hold the strokes of
 * the run that ended: they describe that run, not what the pen does now. */
gboolean nb_run_is_last_run (NbRun *run);
/* While recording: seconds since the session opened and strokes written to it (0 otherwise). */
double nb_run_get_recording_elapsed_s (NbRun *run);
guint64 nb_run_get_recorded_strokes (NbRun *run);
void nb_run_get_link_stats (NbRun *run, NbDeviceStats *stats);

/* Requests, each in a worker thread; finish with nb_run_request_finish. A new depth or rate, and
 * starting the motor, restart the statistics (a new setting is a new measurement). */
void nb_run_set_depth_async (NbRun *run, double depth_mm, GAsyncReadyCallback callback,
                             gpointer user_data);
void nb_run_set_rate_async (NbRun *run, double rate_hz, GAsyncReadyCallback callback,
                            gpointer user_data);
void nb_run_set_motor_async (NbRun *run, gboolean on, GAsyncReadyCallback callback,
                             gpointer user_data);
gboolean nb_run_request_finish (NbRun *run, GAsyncResult *result,
                                GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_run_start_recording_async: creates a session in the store at @store_path (NULL = default)
 * in a worker thread (a database held by another writer is waited for there) and, once it
 * exists, records every batch, stroke and event; "recording" turns TRUE then. Fails with
 * G_IO_ERROR_BUSY while recording or starting to, G_IO_ERROR_NOT_CONNECTED when the pen is (or
 * went) away. */
void nb_run_start_recording_async (NbRun *run, const char *store_path, const char *operator_name,
                                   const char *name, const char *note, GAsyncReadyCallback callback,
                                   gpointer user_data);
gboolean nb_run_start_recording_finish (NbRun *run, GAsyncResult *result,
                                        GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* nb_run_set_session_target: what the sessions recorded from now on are measured against, stored
 * with them: @target (NULL: nothing) from the treatment preset of @profile_id at
 * @profile_version (NULL: a custom target). Copied. */
void nb_run_set_session_target (NbRun *run, const char *profile_id, gint64 profile_version,
                                const NbLiveTarget *target);
/* TRUE while a session is being created. */
gboolean nb_run_is_starting_recording (NbRun *run);
/* nb_run_stop_recording: closes the session as complete (in a worker thread); "recording-
 * finished" follows. */
void nb_run_stop_recording (NbRun *run);

/* How long closing waits for the pen and the store before it reports what is not done. */
#define NB_RUN_CLOSE_TIMEOUT_MS 2000

/* nb_run_close_async: sends MOTOR_STOP (again until the pen confirms it) and STREAM_STOP, closes
 * the link, and closes any recording as aborted with @reason, in worker threads. @callback runs
 * on the main thread once all of that is done or @timeout_ms has passed, whichever is first;
 * nb_run_close_finish then fails with a message naming what could not be done (the pen did not
 * confirm the stop, the session was not closed). The work goes on after the time limit. */
void nb_run_close_async (NbRun *run, const char *reason, guint timeout_ms,
                         GAsyncReadyCallback callback, gpointer user_data);
gboolean nb_run_close_finish (NbRun *run, GAsyncResult *result,
                              GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* nb_run_close: nb_run_close_async without waiting (the operator's Disconnect). */
void nb_run_close (NbRun *run);

/* nb_run_describe_pen_stop: (transfer full) what to tell the operator when @event says the pen
 * stopped its motor by itself (MOTOR_STOPPED with a detail other than 0, MOTOR_JAM, RESET), in
 * whole sentences naming the pen @serial; NULL for any other event (the operator's own stop
 * included). */
char *nb_run_describe_pen_stop (const NbEvent *event, const char *serial);

/* Properties (notify): "connected", "motor-running", "recording", "set-depth-mm", "set-rate-hz",
 * and the readouts, refreshed every NB_RUN_UPDATE_MS: "depth-mean-mm", "depth-sd-mm", "rate-hz",
 * "strokes", "entry-speed-mm-s", "gaps", "crc-errors" (NAN while unknown).
 * Signals:
 *   "stroke" (gpointer const NbStroke *)
 *   "lost" (const char *message): the link is gone; what was recorded is kept (aborted session)
 *   "recording-finished" (gint64 session_id, const char *error_or_NULL)
 *   "updated" (): the readouts were refreshed
 *   "pen-stopped" (guint event_code, guint detail, const char *message): the pen stopped its
 *     motor by itself (nb_run_describe_pen_stop gives @message). "motor-running" is already FALSE
 *     and an open recording already has the event row; the recording goes on (the stream stays
 *     on, except after a RESET) and the motor stays off until the operator starts it. */

G_END_DECLS
