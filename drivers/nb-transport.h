/* nb-transport.h: the small vtable every link to a pen implements (serial, usb, in-process sim),
 * and the registry that opens one from a device URI. The transports of drivers/ (serial, usb) are
 * built in; one that lives above drivers/ (the simulated pen, sim/nb-sim-transport.h) registers
 * itself with nb_transport_register, so drivers/ never depends on it. */
#pragma once

#include <gio/gio.h>

#include "nb-device-error.h"
#include "nb-device-uri.h"

G_BEGIN_DECLS

typedef struct _NbTransport NbTransport;

typedef struct
{
  const char *name;
  /* read: waits up to @timeout_ms for bytes; returns the count, 0 on timeout, -1 with @error set
   * (NB_DEVICE_ERROR_DISCONNECTED when the link is gone, G_IO_ERROR_CANCELLED after cancel). */
  gssize (*read) (NbTransport *t, guint8 *buf, gsize len, int timeout_ms, GError **error);
  /* write: writes all of @buf or fails. Safe to call while another thread is in read. */
  gboolean (*write) (NbTransport *t, const guint8 *buf, gsize len, GError **error);
  /* cancel: makes a blocked or later read return G_IO_ERROR_CANCELLED. Thread-safe. */
  void (*cancel) (NbTransport *t);
  /* close: releases everything and frees @t. */
  void (*close) (NbTransport *t);
} NbTransportOps;

struct _NbTransport
{
  const NbTransportOps *ops;
  char *description; /* for messages: "serial port /dev/ttyUSB0" */
};

/* A pen found by a transport's enumeration (before it is asked to identify). */
typedef struct
{
  char *uri;                /* opens it: "serial:/dev/ttyUSB0" */
  char *transport;          /* "serial", "usb", "sim" */
  char *description;        /* port description from the OS */
  guint16 usb_vid, usb_pid; /* 0 when not USB */
  char *usb_serial;         /* may be NULL */
  gboolean needs_probe;     /* a generic port: only a pen if it answers IDENTIFY */
} NbPortInfo;

void nb_port_info_free (NbPortInfo *info);

typedef NbTransport *(*NbTransportOpenFunc) (const NbDeviceUri *uri, GError **error);
/* Adds the ports it finds (NbPortInfo*) to @ports; a failure is skipped, not reported. */
typedef void (*NbTransportEnumerateFunc) (GPtrArray *ports);

/* nb_transport_register: makes URIs of @kind open with @open_fn (replacing the transport that
 * had that kind), and @enumerate_fn (may be NULL) part of nb_transport_enumerate. @name is static
 * ("sim"). Thread-safe; a program calls it once at start for each transport it wants. */
void nb_transport_register (NbUriKind kind, const char *name, NbTransportOpenFunc open_fn,
                            NbTransportEnumerateFunc enumerate_fn);

/* nb_transport_open: (transfer full) opens the transport @uri names; NB_DEVICE_ERROR_UNSUPPORTED
 * when none is built in or registered for its kind. */
G_GNUC_WARN_UNUSED_RESULT
NbTransport *nb_transport_open (const NbDeviceUri *uri, GError **error);

/* nb_transport_enumerate: (transfer full) (element-type NbPortInfo) ports of every built-in or
 * registered transport that may hold a pen; an enumeration failure of one transport is skipped,
 * not fatal. */
GPtrArray *nb_transport_enumerate (void);

static inline gssize
nb_transport_read (NbTransport *t, guint8 *buf, gsize len, int timeout_ms, GError **error)
{
  return t->ops->read (t, buf, len, timeout_ms, error);
}
static inline gboolean
nb_transport_write (NbTransport *t, const guint8 *buf, gsize len, GError **error)
{
  return t->ops->write (t, buf, len, error);
}
static inline void
nb_transport_cancel (NbTransport *t)
{
  t->ops->cancel (t);
}
static inline void
nb_transport_close (NbTransport *t)
{
  if (t)
    t->ops->close (t);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbTransport, nb_transport_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbPortInfo, nb_port_info_free)

G_END_DECLS
