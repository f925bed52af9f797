/* nb-messages.h: message types and payloads of the pen protocol (docs/protocol.md, sections 4-7),
 * with encoders and checked decoders. Decoders treat every byte as untrusted. */
#pragma once

#include <glib.h>

#include "nb-frame.h"

G_BEGIN_DECLS

typedef enum
{
  NB_MSG_IDENTIFY = 0x01,
  NB_MSG_SET_DEPTH = 0x02,
  NB_MSG_SET_RATE = 0x03,
  NB_MSG_MOTOR_START = 0x04,
  NB_MSG_MOTOR_STOP = 0x05,
  NB_MSG_STREAM_START = 0x06,
  NB_MSG_STREAM_STOP = 0x07,
  NB_MSG_GET_STATUS = 0x08,
  NB_MSG_PING = 0x09,
  NB_MSG_CAL_READ = 0x10,
  NB_MSG_CAL_WRITE = 0x11,
  NB_MSG_CAL_COMMIT = 0x12,
  NB_MSG_TELEMETRY = 0x40,
  NB_MSG_EVENT = 0x41,
  NB_MSG_ACK = 0x80,
  NB_MSG_IDENTITY = 0x81,
  NB_MSG_STATUS = 0x88,
  NB_MSG_CAL_TABLE = 0x90,
  NB_MSG_NAK = 0xFF,
} NbMessageType;

typedef enum
{
  NB_NAK_UNKNOWN_TYPE = 1,
  NB_NAK_BAD_LENGTH = 2,
  NB_NAK_OUT_OF_RANGE = 3,
  NB_NAK_BAD_STATE = 4,
  NB_NAK_CAL_CRC = 5,
  NB_NAK_NO_CARTRIDGE = 6,
  NB_NAK_MOTOR_FAULT = 7,
  NB_NAK_UNSUPPORTED_VERSION = 8,
  NB_NAK_STORAGE = 9,
  NB_NAK_BAD_FORMAT = 10, /* CAL_WRITE: table format not supported; detail = the one it takes */
} NbNakCode;

typedef enum
{
  NB_EVENT_CARTRIDGE_INSERTED = 1,
  NB_EVENT_CARTRIDGE_REMOVED = 2,
  NB_EVENT_MOTOR_JAM = 3,
  NB_EVENT_OVER_TEMPERATURE = 4,
  NB_EVENT_RESET = 5,
  NB_EVENT_MOTOR_STOPPED = 6,
} NbEventCode;

typedef enum
{
  NB_CAP_CALIBRATION = 1 << 0,
  NB_CAP_EVENTS = 1 << 1,
  NB_CAP_TEMPERATURE = 1 << 2,
  NB_CAP_CARTRIDGE_SENSE = 1 << 3,
  NB_CAP_WATCHDOG = 1 << 4,  /* stops the motor when the host goes quiet (protocol.md §3.1) */
  NB_CAP_REFERENCE = 1 << 5, /* a reference fixture, not a pen (protocol.md §11) */
} NbCapabilities;

/* The detail of EVENT MOTOR_STOPPED: why the motor came to rest (protocol.md §6). */
typedef enum
{
  NB_MOTOR_STOPPED_HOST_REQUEST = 0,
  NB_MOTOR_STOPPED_WATCHDOG = 1,
  NB_MOTOR_STOPPED_PROTECTION = 2,
  NB_MOTOR_STOPPED_CARTRIDGE = 3,
} NbMotorStoppedReason;

/* Host watchdog (protocol.md §3.1): the pen stops a running motor after this long without a
 * request; hosts send one at least every NB_WATCHDOG_KEEPALIVE_MS while the motor runs. */
#define NB_WATCHDOG_TIMEOUT_MS 2000
#define NB_WATCHDOG_KEEPALIVE_MS 500

typedef enum
{
  NB_STATUS_MOTOR_RUNNING = 1 << 0,
  NB_STATUS_STREAMING = 1 << 1,
  NB_STATUS_CARTRIDGE = 1 << 2,
  NB_STATUS_MOTOR_FAULT = 1 << 3,
  NB_STATUS_OVER_TEMPERATURE = 1 << 4,
} NbStatusFlags;

/* A reference fixture samples at least this fast (protocol.md §11.1; a pen may use 10 kHz). */
#define NB_FIXTURE_MIN_SAMPLE_RATE_HZ 20000

#define NB_IDENTITY_STRING_MAX 32
#define NB_TELEMETRY_MAX_SAMPLES 500
#define NB_TELEMETRY_HEADER_SIZE 12
#define NB_CAL_MAX_POINTS 16
#define NB_CAL_MAX_CORRECTION_UM 500
#define NB_CAL_FORMAT 1
/* NAK OUT_OF_RANGE detail for CAL_WRITE when the certificate is at fault (else the point index). */
#define NB_CAL_DETAIL_CERTIFICATE 0xFFFF
#define NB_CAL_HEADER_SIZE 32
#define NB_CAL_CERT_SIZE 16
#define NB_EVENT_SIZE 12
#define NB_STATUS_SIZE 20
#define NB_NAK_SIZE 4

typedef struct
{
  guint16 protocol_version;
  guint32 capabilities;
  guint32 depth_min_um, depth_max_um, depth_step_um;
  guint32 rate_min_mhz, rate_max_mhz;
  guint32 sample_rate_hz;
  /* NUL-terminated, validated UTF-8 without control characters */
  char model[NB_IDENTITY_STRING_MAX + 1];
  char serial[NB_IDENTITY_STRING_MAX + 1];
  char firmware[NB_IDENTITY_STRING_MAX + 1];
} NbIdentity;

typedef struct
{
  guint32 depth_um;
  guint32 rate_mhz;
  guint32 flags; /* NbStatusFlags */
  gint32 temp_mc;
  guint32 uptime_ms;
} NbStatus;

typedef struct
{
  guint8 code; /* NbEventCode; unknown codes are passed through */
  guint16 detail;
  guint64 sample_index;
} NbEvent;

typedef struct
{
  guint32 depth_um;
  gint32 correction_um;
} NbCalPoint;

typedef struct
{
  guint16 format;
  guint8 n_points;
  gint32 rate_correction_ppm;
  guint64 calibrated_at;
  char certificate[NB_CAL_CERT_SIZE + 1]; /* NUL-terminated */
  NbCalPoint points[NB_CAL_MAX_POINTS];
} NbCalTable;

/* Encoders write into @out (NB_FRAME_MAX_PAYLOAD bytes) and return the payload length. */
gsize nb_identity_encode (const NbIdentity *id, guint8 *out);
gsize nb_status_encode (const NbStatus *st, guint8 *out);
gsize nb_event_encode (const NbEvent *ev, guint8 *out);
gsize nb_nak_encode (guint8 code, guint16 detail, guint8 *out);
/* Writes the table and its CRC; returns the length, or 0 if n_points is over the maximum. */
gsize nb_cal_table_encode (const NbCalTable *table, guint8 *out);
/* nb_telemetry_encode: header plus @count samples (count <= NB_TELEMETRY_MAX_SAMPLES). */
gsize nb_telemetry_encode (guint64 first_index, guint16 flags, const gint16 *samples, guint16 count,
                           guint8 *out);

G_GNUC_WARN_UNUSED_RESULT
gboolean nb_identity_decode (const guint8 *p, gsize len, NbIdentity *id, GError **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_status_decode (const guint8 *p, gsize len, NbStatus *st, GError **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_event_decode (const guint8 *p, gsize len, NbEvent *ev, GError **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_nak_decode (const guint8 *p, gsize len, guint8 *code, guint16 *detail, GError **error);
/* Checks length, format, the CRC, the certificate text, point order and correction limits. */
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_cal_table_decode (const guint8 *p, gsize len, NbCalTable *table, GError **error);
/* nb_cal_table_check: nb_cal_table_decode that also says which NAK a pen answers to this CAL_WRITE
 * payload (protocol.md §7, in the order of its table): @nak_code and @nak_detail (either may be
 * NULL) are set to 0 when the table is valid. */
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_cal_table_check (const guint8 *p, gsize len, NbCalTable *table, guint8 *nak_code,
                             guint16 *nak_detail, GError **error);
/* nb_telemetry_decode: checks the header; @samples points at @count little-endian i16 in @p
 * (read them with nb_get_u16). */
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_telemetry_decode (const guint8 *p, gsize len, guint64 *first_index, guint16 *flags,
                              const guint8 **samples, guint16 *count, GError **error);

/* nb_cal_table_crc: CRC of the encoded table (what CAL_COMMIT carries). */
guint32 nb_cal_table_crc (const NbCalTable *table);
/* nb_cal_table_init_factory: no points, no correction, calibrated_at 0. */
void nb_cal_table_init_factory (NbCalTable *table);
/* nb_cal_table_correction_um: the depth correction the table gives at @depth_um (linear between
 * points, constant beyond the ends). */
double nb_cal_table_correction_um (const NbCalTable *table, double depth_um);
/* nb_cal_table_equal: byte-for-byte equality of the encoded forms. */
gboolean nb_cal_table_equal (const NbCalTable *a, const NbCalTable *b);

/* Names for logs and error messages; never NULL. */
const char *nb_message_type_name (guint8 type);
const char *nb_nak_code_name (guint8 code);
const char *nb_event_code_name (guint8 code);
/* Why the motor stopped, from a MOTOR_STOPPED event's detail; never NULL. */
const char *nb_motor_stopped_reason_name (guint16 detail);

G_END_DECLS
