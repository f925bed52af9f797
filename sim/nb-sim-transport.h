/* nb-sim-transport.h: the in-process simulated pen: its firmware runs in a thread at the other end
 * of a socket pair, so the host side is the same byte stream as on a real link. It lives in sim/,
 * above drivers/: a program that wants `sim:` URIs calls nb_sim_transport_register once; the
 * others do not link the simulator. */
#pragma once

#include "nb-transport.h"

G_BEGIN_DECLS

/* nb_sim_transport_register: makes nb_device_open accept `sim` and `sim:KEY=VALUE,...` URIs in
 * this process. Safe to call more than once. */
void nb_sim_transport_register (void);

/* nb_sim_transport_open: (transfer full) starts a simulated pen configured by uri->sim_spec. */
G_GNUC_WARN_UNUSED_RESULT
NbTransport *nb_sim_transport_open (const NbDeviceUri *uri, GError **error);

G_END_DECLS
