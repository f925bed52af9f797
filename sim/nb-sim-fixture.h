/* nb-sim-fixture.h: the firmware of a simulated reference fixture (protocol.md §11): the device
 * side of the protocol for a device with no motor, whose telemetry is the true tip position of the
 * simulated pen mounted on it, as its own sensor reads it (offset, noise, resolution). No I/O and
 * no clock of its own: whoever runs the pen's physics feeds it the true positions as they happen
 * (nb_sim_fixture_observe), so pen and fixture see the same strokes on the same clock. */
#pragma once

#include <glib.h>

#include "nb-messages.h"
#include "nb-sim-fixture-params.h"

G_BEGIN_DECLS

typedef struct _NbSimFixture NbSimFixture;

/* nb_sim_fixture_new: (transfer full) a fixture with @params (copied) sampling at
 * @sample_rate_hz, the rate of the physics that feeds it; NB_SIM_ERROR_INVALID_PARAM when that is
 * below NB_FIXTURE_MIN_SAMPLE_RATE_HZ (a fixture samples at 20 kHz or more). */
G_GNUC_WARN_UNUSED_RESULT
NbSimFixture *nb_sim_fixture_new (const NbSimFixtureParams *params, guint sample_rate_hz,
                                  GError **error);
void nb_sim_fixture_free (NbSimFixture *fix);

/* nb_sim_fixture_receive: bytes from the host. */
void nb_sim_fixture_receive (NbSimFixture *fix, const guint8 *data, gsize len);

/* nb_sim_fixture_observe: @n samples of the true tip position (mm), one per sample period: the
 * fixture's clock advances by @n and, while streaming, it sends them as telemetry. */
void nb_sim_fixture_observe (NbSimFixture *fix, const double *true_mm, guint n);

/* nb_sim_fixture_reading_um: what the fixture's sensor reads for @true_mm without noise: offset
 * added, quantised to the resolution (for tests and for a host that wants the expected value). */
double nb_sim_fixture_reading_um (const NbSimFixture *fix, double true_mm);

/* Bytes waiting to go to the host. */
const guint8 *nb_sim_fixture_peek_output (NbSimFixture *fix, gsize *len);
void nb_sim_fixture_consume_output (NbSimFixture *fix, gsize n);
/* Limits output buffering: beyond @max_bytes telemetry batches are dropped (a real FIFO). */
void nb_sim_fixture_set_output_limit (NbSimFixture *fix, gsize max_bytes);
guint64 nb_sim_fixture_get_dropped_batches (NbSimFixture *fix);

const NbIdentity *nb_sim_fixture_get_identity (NbSimFixture *fix);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbSimFixture, nb_sim_fixture_free)

G_END_DECLS
