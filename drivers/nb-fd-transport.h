/* nb-fd-transport.h: the part of a transport that waits on a file descriptor: poll with a cancel
 * pipe, then read/write through hooks. Serial ports, ptys and the in-process sim's socket pair
 * share it. */
#pragma once

#include "nb-transport.h"

G_BEGIN_DECLS

typedef struct _NbFdTransport NbFdTransport;

typedef struct
{
  /* Raw I/O on the ready fd: return bytes moved, or -1 with errno set. */
  gssize (*read) (NbFdTransport *t, guint8 *buf, gsize len);
  gssize (*write) (NbFdTransport *t, const guint8 *buf, gsize len);
  /* Releases what the hooks own (the fd itself is closed by the fd transport). */
  void (*release) (NbFdTransport *t);
} NbFdTransportHooks;

struct _NbFdTransport
{
  NbTransport parent;
  int fd;
  int cancel_pipe[2];
  const NbFdTransportHooks *hooks;
  gpointer hook_data;
};

/* nb_fd_transport_new: (transfer full) wraps @fd (owned; put in non-blocking mode). @hooks may
 * be NULL for plain read()/write(). */
NbFdTransport *nb_fd_transport_new (int fd, const NbFdTransportHooks *hooks, gpointer hook_data,
                                    const char *description, GError **error);

G_END_DECLS
