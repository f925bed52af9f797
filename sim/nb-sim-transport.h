/* nb-sim-transport.h: the in-process simulated pen: its firmware runs in a thread at the other end
 * of a socket pair, so the host side is the same byte stream as on a real link. */
#pragma once

#include "nb-transport.h"

G_BEGIN_DECLS

/* nb_sim_transport_open: (transfer full) starts a simulated pen configured by uri->sim_spec. */
G_GNUC_WARN_UNUSED_RESULT
NbTransport *nb_sim_transport_open (const NbDeviceUri *uri, GError **error);

G_END_DECLS
