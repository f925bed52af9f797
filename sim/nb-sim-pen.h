/* nb-sim-pen.h: the firmware of the simulated pen: the device side of docs/protocol.md over a
 * byte stream, its stored calibration (EEPROM file, atomic commit) and the link and motor faults.
 * No I/O of its own: feed it the host's bytes, advance its clock, take its output bytes. */
#pragma once

#include <glib.h>

#include "nb-sim-params.h"
#include "nb-messages.h"

G_BEGIN_DECLS

typedef struct _NbSimPen NbSimPen;

/* nb_sim_pen_new: (transfer full) a pen with @params (copied). Loads the calibration from
 * params->eeprom when the file exists; an unreadable or corrupt EEPROM falls back to the factory
 * table, as a real pen does. */
NbSimPen *nb_sim_pen_new (const NbSimParams *params);
void nb_sim_pen_free (NbSimPen *pen);

/* nb_sim_pen_receive: bytes from the host. */
void nb_sim_pen_receive (NbSimPen *pen, const guint8 *data, gsize len);

/* nb_sim_pen_advance: runs the pen for @n samples of its clock (motor, telemetry, fault timers). */
void nb_sim_pen_advance (NbSimPen *pen, guint n);

/* Bytes waiting to go to the host (faults already applied). */
const guint8 *nb_sim_pen_peek_output (NbSimPen *pen, gsize *len);
void nb_sim_pen_consume_output (NbSimPen *pen, gsize n);

/* nb_sim_pen_set_host_time: gives the pen the host's clock (seconds, any origin, e.g. the wall
 * clock) for its host watchdog, and checks the watchdog at once. Without it the host's clock is the
 * pen's own divided by the time-scale. A runner that holds the pen's clock while its reader is
 * slow calls this so that a host that died still has its motor stopped after 2 s. */
void nb_sim_pen_set_host_time (NbSimPen *pen, double seconds);

/* Simulated seconds since the pen was created. */
double nb_sim_pen_get_time (NbSimPen *pen);
/* TRUE once the disconnect fault has fired: the transport must drop the link. */
gboolean nb_sim_pen_is_disconnected (NbSimPen *pen);
/* Samples per telemetry batch (5 ms of samples). */
guint nb_sim_pen_get_batch_size (NbSimPen *pen);
/* Telemetry batches the pen dropped because its send buffer was full. */
guint64 nb_sim_pen_get_dropped_batches (NbSimPen *pen);
/* Limits output buffering: beyond @max_bytes telemetry batches are dropped (a real pen's FIFO). */
void nb_sim_pen_set_output_limit (NbSimPen *pen, gsize max_bytes);

/* NbSimPenTap: receives, from nb_sim_pen_advance, the true tip position (mm) of every sample the
 * pen's physics makes, before its sensor errors: what a reference fixture mounted on it sees. */
typedef void (*NbSimPenTap) (const double *true_mm, guint n, gpointer user_data);
/* nb_sim_pen_set_tap: @tap (NULL = none) is called in the thread that advances the pen. */
void nb_sim_pen_set_tap (NbSimPen *pen, NbSimPenTap tap, gpointer user_data);

/* The identity the pen reports, and its calibration in force (for tests). */
const NbIdentity *nb_sim_pen_get_identity (NbSimPen *pen);
const NbCalTable *nb_sim_pen_get_calibration (NbSimPen *pen);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbSimPen, nb_sim_pen_free)

G_END_DECLS
