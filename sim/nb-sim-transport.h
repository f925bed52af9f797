/* nb-sim-transport.h: the in-process simulated pen: its firmware runs in a thread at the other end
 * of a socket pair, so the host side is the same byte stream as on a real link. It lives in sim/,
 * above drivers/: a program that wants `sim:` URIs calls nb_sim_transport_register once; the
 * others do not link the simulator.
 *
 * The pens open in this process are kept in a registry (by serial), so that a `sim-fixture:` URI
 * can mount a simulated reference fixture (protocol.md §11) on one of them: the fixture is served
 * by the pen's own thread, from the same physics samples, on a socket pair of its own. */
#pragma once

#include "nb-transport.h"

G_BEGIN_DECLS

/* nb_sim_transport_register: makes nb_device_open accept `sim`, `sim:KEY=VALUE,...`,
 * `sim-fixture` and `sim-fixture:KEY=VALUE,...` URIs in this process. Safe to call more than once.
 */
void nb_sim_transport_register (void);

/* nb_sim_transport_open: (transfer full) starts a simulated pen configured by uri->sim_spec. */
G_GNUC_WARN_UNUSED_RESULT
NbTransport *nb_sim_transport_open (const NbDeviceUri *uri, GError **error);

/* nb_sim_fixture_transport_open: (transfer full) mounts a fixture configured by uri->sim_spec
 * (docs/sim.md) on the open in-process pen whose serial is its `pen=` key, or on the only one when
 * there is no such key. NB_DEVICE_ERROR_INVALID_URI for a bad key; NB_DEVICE_ERROR_NOT_FOUND when
 * no pen (or more than one, without `pen=`) is open; NB_DEVICE_ERROR_BUSY when it already has a
 * fixture. The
 * fixture's link drops when its pen is closed. */
G_GNUC_WARN_UNUSED_RESULT
NbTransport *nb_sim_fixture_transport_open (const NbDeviceUri *uri, GError **error);

G_END_DECLS
