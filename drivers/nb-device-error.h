/* nb-device-error.h: the error domain of the drivers (transports, device API, discovery). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NB_DEVICE_ERROR (nb_device_error_quark ())
GQuark nb_device_error_quark (void);

typedef enum
{
  NB_DEVICE_ERROR_INVALID_URI,  /* the device URI does not parse */
  NB_DEVICE_ERROR_NOT_FOUND,    /* no such port or pen */
  NB_DEVICE_ERROR_OPEN_FAILED,  /* exists but cannot be opened (permissions, settings) */
  NB_DEVICE_ERROR_BUSY,         /* claimed by another process */
  NB_DEVICE_ERROR_DISCONNECTED, /* the link went away */
  NB_DEVICE_ERROR_TIMEOUT,      /* the pen did not answer */
  NB_DEVICE_ERROR_NAK,          /* the pen refused a request */
  NB_DEVICE_ERROR_PROTOCOL,     /* the pen sent something malformed or unexpected */
  NB_DEVICE_ERROR_OUT_OF_RANGE, /* a setting outside what the pen reports it can do */
  NB_DEVICE_ERROR_IO,           /* an operating-system I/O error */
  NB_DEVICE_ERROR_VERIFY,       /* a calibration read back differs from what was written */
  NB_DEVICE_ERROR_RESET,        /* the pen reset in the middle of an operation */
  NB_DEVICE_ERROR_UNSUPPORTED,  /* transport not built in, or capability missing */
} NbDeviceError;

G_END_DECLS
