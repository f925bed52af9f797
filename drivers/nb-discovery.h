/* nb-discovery.h: finds pens without disturbing other devices. A serial port is opened (8N1, and
 * the IDENTIFY request written to it) only when it is known to be a pen's: its USB VID:PID is in
 * the pen ID table (drivers/usb/nb-usb-ids.h), or the user named it, or the user asked to probe
 * every port. Opening a port toggles DTR, which resets boards such as the Arduino and disturbs
 * modems and instruments, so every other serial port is listed as "not probed" and left shut.
 * USB devices of the ID table and the simulated pen are always probed. */
#pragma once

#include <gio/gio.h>

#include "nb-transport.h"

G_BEGIN_DECLS

typedef enum
{
  NB_PEN_STATE_PEN,         /* answered IDENTIFY: model, serial and firmware are the pen's */
  NB_PEN_STATE_UNAVAILABLE, /* a pen's USB ID that cannot be opened or did not answer now (no
                             * permission, in use): @port says why */
  NB_PEN_STATE_NO_ANSWER,   /* probed on request (named, or probe-all) but not a pen: @port says
                             * why */
  NB_PEN_STATE_NOT_PROBED,  /* a serial port that is not a pen's: never opened */
} NbPenState;

/* nb_pen_state_to_string: "pen", "unavailable", "no answer", "not probed" (for tables and JSON;
 * not translated). */
const char *nb_pen_state_to_string (NbPenState state);

typedef struct
{
  char *uri;
  char *transport; /* "sim", "serial", "usb" */
  char *model;     /* from IDENTIFY (validated); "" when it did not answer */
  char *serial;
  char *firmware;
  char *port; /* the OS's description of the port */
  guint16 usb_vid, usb_pid;
  char *usb_serial;
  NbPenState state;
  guint32 capabilities; /* from IDENTIFY; 0 when it did not answer */
} NbPenInfo;

void nb_pen_info_free (NbPenInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbPenInfo, nb_pen_info_free)

/* nb_pen_info_kind: "fixture" for a device that answered with the REFERENCE capability
 * (protocol.md §11), "pen" for any other pen (answered, or a pen's USB ID), NULL when it is not
 * known to be either (not probed, no answer). */
const char *nb_pen_info_kind (const NbPenInfo *info);

/* nb_pen_info_is_pen: TRUE for a pen (it answered, or it has a pen's USB ID). */
gboolean nb_pen_info_is_pen (const NbPenInfo *info);

/* Which ports discovery may open. Zero-initialised: the simulated pen left out, only the ports
 * of the ID table probed. */
typedef struct
{
  gboolean include_sim;
  /* Serial ports the user named (paths, or serial: URIs): probed even when they are not a pen's;
   * a named port no transport lists (a pty, say) is probed when it exists. NULL or empty: none. */
  const char *const *ports;
  /* Probe every serial port: may reset boards that reset on DTR. */
  gboolean probe_all;
} NbDiscoveryOptions;

#define NB_DISCOVERY_PROBE_TIMEOUT_MS 200

/* nb_discover_pens: (transfer full) (element-type NbPenInfo) every port present now with its
 * state: the simulated pen first (when included), then each transport's ports, then the named
 * ports no transport lists. A named port that does not exist is listed as NO_ANSWER; a probed
 * port that does not answer and was not named (probe_all) is listed as NO_ANSWER too. */
GPtrArray *nb_discover_pens (const NbDiscoveryOptions *options, GCancellable *cancellable);

/* nb_discovery_enumerate: (transfer full) (element-type NbPortInfo) the ports of every transport
 * plus the named ports that exist and that no transport lists. Opens nothing. */
GPtrArray *nb_discovery_enumerate (const NbDiscoveryOptions *options);

/* nb_discovery_may_probe: TRUE when @options allow opening @port (a pen's ID, named, or all). */
gboolean nb_discovery_may_probe (const NbDiscoveryOptions *options, const NbPortInfo *port);

/* nb_discovery_examine: (transfer full) @port's entry: probed when nb_discovery_may_probe allows
 * it (state PEN, UNAVAILABLE or NO_ANSWER), NOT_PROBED (and never opened) otherwise. */
NbPenInfo *nb_discovery_examine (const NbDiscoveryOptions *options, const NbPortInfo *port,
                                 GCancellable *cancellable);

/* nb_pen_info_probe: (transfer full) opens @uri briefly and returns what it says, or NULL. */
NbPenInfo *nb_pen_info_probe (const char *uri, const char *transport, GCancellable *cancellable,
                              GError **error);

G_END_DECLS
