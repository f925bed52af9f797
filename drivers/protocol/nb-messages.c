/* nb-messages.c: payload encoders and checked decoders. */
#include "nb-messages.h"

#include <stdarg.h>
#include <string.h>

#include "nb-crc32.h"

#define MALFORMED(error, ...)                                                                      \
  (g_set_error (error, NB_PROTOCOL_ERROR, NB_PROTOCOL_ERROR_MALFORMED, __VA_ARGS__), FALSE)

static gsize
put_string (guint8 *out, const char *s)
{
  gsize n = strnlen (s, NB_IDENTITY_STRING_MAX);
  out[0] = (guint8) n;
  memcpy (out + 1, s, n);
  return n + 1;
}

gsize
nb_identity_encode (const NbIdentity *id, guint8 *out)
{
  nb_put_u16 (out + 0, id->protocol_version);
  nb_put_u32 (out + 2, id->capabilities);
  nb_put_u32 (out + 6, id->depth_min_um);
  nb_put_u32 (out + 10, id->depth_max_um);
  nb_put_u32 (out + 14, id->depth_step_um);
  nb_put_u32 (out + 18, id->rate_min_mhz);
  nb_put_u32 (out + 22, id->rate_max_mhz);
  nb_put_u32 (out + 26, id->sample_rate_hz);
  gsize o = 30;
  o += put_string (out + o, id->model);
  o += put_string (out + o, id->serial);
  o += put_string (out + o, id->firmware);
  return o;
}

/* Device strings are untrusted: only printable UTF-8 gets through. */
static gboolean
get_string (const guint8 *p, gsize len, gsize *o, char *dest, const char *what, GError **error)
{
  if (*o >= len)
    return MALFORMED (error, "identity truncated before %s", what);
  gsize n = p[*o];
  if (n > NB_IDENTITY_STRING_MAX)
    return MALFORMED (error, "identity %s is %zu bytes, over %d", what, n, NB_IDENTITY_STRING_MAX);
  if (*o + 1 + n > len)
    return MALFORMED (error, "identity truncated inside %s", what);
  memcpy (dest, p + *o + 1, n);
  dest[n] = '\0';
  *o += 1 + n;

  const char *end = NULL;
  if (!g_utf8_validate (dest, (gssize) n, &end))
    {
      g_set_error (error, NB_PROTOCOL_ERROR, NB_PROTOCOL_ERROR_UNTRUSTED,
                   "identity %s is not valid UTF-8", what);
      return FALSE;
    }
  for (const char *c = dest; *c; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);
      if (g_unichar_iscntrl (u) || !g_unichar_isprint (u))
        {
          g_set_error (error, NB_PROTOCOL_ERROR, NB_PROTOCOL_ERROR_UNTRUSTED,
                       "identity %s contains a control character", what);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
nb_identity_decode (const guint8 *p, gsize len, NbIdentity *id, GError **error)
{
  memset (id, 0, sizeof *id);
  if (len < 30)
    return MALFORMED (error, "identity is %zu bytes, at least 30 expected", len);
  id->protocol_version = nb_get_u16 (p);
  id->capabilities = nb_get_u32 (p + 2);
  id->depth_min_um = nb_get_u32 (p + 6);
  id->depth_max_um = nb_get_u32 (p + 10);
  id->depth_step_um = nb_get_u32 (p + 14);
  id->rate_min_mhz = nb_get_u32 (p + 18);
  id->rate_max_mhz = nb_get_u32 (p + 22);
  id->sample_rate_hz = nb_get_u32 (p + 26);
  gsize o = 30;
  if (!get_string (p, len, &o, id->model, "model", error)
      || !get_string (p, len, &o, id->serial, "serial number", error)
      || !get_string (p, len, &o, id->firmware, "firmware version", error))
    return FALSE;
  if (id->depth_min_um > id->depth_max_um || id->depth_step_um == 0)
    return MALFORMED (error, "identity depth range %u..%u step %u is inconsistent",
                      id->depth_min_um, id->depth_max_um, id->depth_step_um);
  if (id->rate_min_mhz > id->rate_max_mhz || id->rate_max_mhz == 0)
    return MALFORMED (error, "identity rate range %u..%u mHz is inconsistent", id->rate_min_mhz,
                      id->rate_max_mhz);
  if (id->sample_rate_hz < 10000 || id->sample_rate_hz > 1000000)
    return MALFORMED (error, "identity sample rate %u Hz is outside 10 kHz..1 MHz",
                      id->sample_rate_hz);
  return TRUE;
}

gsize
nb_status_encode (const NbStatus *st, guint8 *out)
{
  nb_put_u32 (out + 0, st->depth_um);
  nb_put_u32 (out + 4, st->rate_mhz);
  nb_put_u32 (out + 8, st->flags);
  nb_put_u32 (out + 12, (guint32) st->temp_mc);
  nb_put_u32 (out + 16, st->uptime_ms);
  return NB_STATUS_SIZE;
}

gboolean
nb_status_decode (const guint8 *p, gsize len, NbStatus *st, GError **error)
{
  if (len < NB_STATUS_SIZE)
    return MALFORMED (error, "status is %zu bytes, %d expected", len, NB_STATUS_SIZE);
  st->depth_um = nb_get_u32 (p);
  st->rate_mhz = nb_get_u32 (p + 4);
  st->flags = nb_get_u32 (p + 8);
  st->temp_mc = (gint32) nb_get_u32 (p + 12);
  st->uptime_ms = nb_get_u32 (p + 16);
  return TRUE;
}

gsize
nb_event_encode (const NbEvent *ev, guint8 *out)
{
  out[0] = ev->code;
  out[1] = 0;
  nb_put_u16 (out + 2, ev->detail);
  nb_put_u64 (out + 4, ev->sample_index);
  return NB_EVENT_SIZE;
}

gboolean
nb_event_decode (const guint8 *p, gsize len, NbEvent *ev, GError **error)
{
  if (len < NB_EVENT_SIZE)
    return MALFORMED (error, "event is %zu bytes, %d expected", len, NB_EVENT_SIZE);
  ev->code = p[0];
  ev->detail = nb_get_u16 (p + 2);
  ev->sample_index = nb_get_u64 (p + 4);
  return TRUE;
}

gsize
nb_nak_encode (guint8 code, guint16 detail, guint8 *out)
{
  out[0] = code;
  out[1] = 0;
  nb_put_u16 (out + 2, detail);
  return NB_NAK_SIZE;
}

gboolean
nb_nak_decode (const guint8 *p, gsize len, guint8 *code, guint16 *detail, GError **error)
{
  if (len < NB_NAK_SIZE)
    return MALFORMED (error, "NAK is %zu bytes, %d expected", len, NB_NAK_SIZE);
  *code = p[0];
  *detail = nb_get_u16 (p + 2);
  return TRUE;
}

gsize
nb_cal_table_encode (const NbCalTable *t, guint8 *out)
{
  if (t->n_points > NB_CAL_MAX_POINTS)
    return 0;
  nb_put_u16 (out + 0, t->format);
  out[2] = t->n_points;
  out[3] = 0;
  nb_put_u32 (out + 4, (guint32) t->rate_correction_ppm);
  nb_put_u64 (out + 8, t->calibrated_at);
  memset (out + 16, 0, NB_CAL_CERT_SIZE);
  memcpy (out + 16, t->certificate, strnlen (t->certificate, NB_CAL_CERT_SIZE));
  gsize o = NB_CAL_HEADER_SIZE;
  for (guint i = 0; i < t->n_points; i++)
    {
      nb_put_u32 (out + o, t->points[i].depth_um);
      nb_put_u32 (out + o + 4, (guint32) t->points[i].correction_um);
      o += 8;
    }
  nb_put_u32 (out + o, nb_crc32 (out, o));
  return o + 4;
}

/* Records the NAK a pen answers for the failed check (protocol.md §7, CAL_WRITE) and sets the
 * error; returns FALSE for the caller to return. */
static gboolean refuse (guint8 *nak_code, guint16 *nak_detail, guint8 code, guint16 detail,
                        GError **error, const char *format, ...) G_GNUC_PRINTF (6, 7);

static gboolean
refuse (guint8 *nak_code, guint16 *nak_detail, guint8 code, guint16 detail, GError **error,
        const char *format, ...)
{
  if (nak_code)
    *nak_code = code;
  if (nak_detail)
    *nak_detail = detail;
  va_list ap;
  va_start (ap, format);
  g_autofree char *msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error_literal (error, NB_PROTOCOL_ERROR, NB_PROTOCOL_ERROR_MALFORMED, msg);
  return FALSE;
}

gboolean
nb_cal_table_check (const guint8 *p, gsize len, NbCalTable *t, guint8 *nak_code,
                    guint16 *nak_detail, GError **error)
{
  const gsize min_len = NB_CAL_HEADER_SIZE + 4;
  const gsize max_len = NB_CAL_HEADER_SIZE + 8 * NB_CAL_MAX_POINTS + 4;

  memset (t, 0, sizeof *t);
  if (nak_code)
    *nak_code = 0;
  if (nak_detail)
    *nak_detail = 0;
  if (len < min_len)
    return refuse (nak_code, nak_detail, NB_NAK_BAD_LENGTH, min_len, error,
                   "calibration table is %zu bytes, at least %zu expected", len, min_len);
  /* The format first: another format may lay out everything after it differently. */
  t->format = nb_get_u16 (p);
  if (t->format != NB_CAL_FORMAT)
    return refuse (nak_code, nak_detail, NB_NAK_BAD_FORMAT, NB_CAL_FORMAT, error,
                   "calibration table format %u is not supported (%d is)", t->format,
                   NB_CAL_FORMAT);
  t->n_points = p[2];
  if (t->n_points > NB_CAL_MAX_POINTS)
    return refuse (nak_code, nak_detail, NB_NAK_BAD_LENGTH, max_len, error,
                   "calibration table has %u points, at most %d allowed", t->n_points,
                   NB_CAL_MAX_POINTS);
  gsize body = NB_CAL_HEADER_SIZE + 8 * (gsize) t->n_points;
  if (len != body + 4)
    return refuse (nak_code, nak_detail, NB_NAK_BAD_LENGTH, body + 4, error,
                   "calibration table is %zu bytes, %zu expected for %u points", len, body + 4,
                   t->n_points);
  /* The CRC before the values: a damaged table is reported as damaged, not as a bad value. */
  if (nb_crc32 (p, body) != nb_get_u32 (p + body))
    return refuse (nak_code, nak_detail, NB_NAK_CAL_CRC, 0, error,
                   "calibration table CRC mismatch");
  t->rate_correction_ppm = (gint32) nb_get_u32 (p + 4);
  t->calibrated_at = nb_get_u64 (p + 8);
  memcpy (t->certificate, p + 16, NB_CAL_CERT_SIZE);
  t->certificate[NB_CAL_CERT_SIZE] = '\0';
  if (!g_utf8_validate (t->certificate, -1, NULL))
    return refuse (nak_code, nak_detail, NB_NAK_OUT_OF_RANGE, NB_CAL_DETAIL_CERTIFICATE, error,
                   "calibration certificate identity is not valid UTF-8");
  for (guint i = 0; i < t->n_points; i++)
    {
      t->points[i].depth_um = nb_get_u32 (p + NB_CAL_HEADER_SIZE + 8 * i);
      t->points[i].correction_um = (gint32) nb_get_u32 (p + NB_CAL_HEADER_SIZE + 8 * i + 4);
      /* In 64 bits: ABS() of G_MININT32 overflows and stays negative. */
      gint64 c = t->points[i].correction_um;
      if (c > NB_CAL_MAX_CORRECTION_UM || c < -NB_CAL_MAX_CORRECTION_UM)
        return refuse (nak_code, nak_detail, NB_NAK_OUT_OF_RANGE, i, error,
                       "calibration point %u corrects by %" G_GINT64_FORMAT " µm, over ±%d µm", i,
                       c, NB_CAL_MAX_CORRECTION_UM);
      if (i > 0 && t->points[i].depth_um <= t->points[i - 1].depth_um)
        return refuse (
            nak_code, nak_detail, NB_NAK_OUT_OF_RANGE, i, error,
            "calibration points out of order: point %u (%u µm) is not deeper than point %u (%u µm)",
            i, t->points[i].depth_um, i - 1, t->points[i - 1].depth_um);
    }
  return TRUE;
}

gboolean
nb_cal_table_decode (const guint8 *p, gsize len, NbCalTable *t, GError **error)
{
  return nb_cal_table_check (p, len, t, NULL, NULL, error);
}

guint32
nb_cal_table_crc (const NbCalTable *t)
{
  guint8 buf[NB_FRAME_MAX_PAYLOAD];
  gsize n = nb_cal_table_encode (t, buf);
  return n >= 4 ? nb_get_u32 (buf + n - 4) : 0;
}

void
nb_cal_table_init_factory (NbCalTable *t)
{
  memset (t, 0, sizeof *t);
  t->format = NB_CAL_FORMAT;
}

double
nb_cal_table_correction_um (const NbCalTable *t, double d)
{
  if (t->n_points == 0)
    return 0.0;
  if (d <= t->points[0].depth_um)
    return t->points[0].correction_um;
  for (guint i = 1; i < t->n_points; i++)
    {
      const NbCalPoint *a = &t->points[i - 1], *b = &t->points[i];
      if (d <= b->depth_um)
        {
          /* All in double: the differences of two int32 (or uint32) can overflow their type. */
          double f = (d - (double) a->depth_um) / ((double) b->depth_um - (double) a->depth_um);
          return (double) a->correction_um
                 + f * ((double) b->correction_um - (double) a->correction_um);
        }
    }
  return t->points[t->n_points - 1].correction_um;
}

gboolean
nb_cal_table_equal (const NbCalTable *a, const NbCalTable *b)
{
  guint8 ba[NB_FRAME_MAX_PAYLOAD], bb[NB_FRAME_MAX_PAYLOAD];
  gsize na = nb_cal_table_encode (a, ba), nbb = nb_cal_table_encode (b, bb);
  return na == nbb && memcmp (ba, bb, na) == 0;
}

gsize
nb_telemetry_encode (guint64 first_index, guint16 flags, const gint16 *samples, guint16 count,
                     guint8 *out)
{
  if (count > NB_TELEMETRY_MAX_SAMPLES)
    count = NB_TELEMETRY_MAX_SAMPLES;
  nb_put_u64 (out, first_index);
  nb_put_u16 (out + 8, count);
  nb_put_u16 (out + 10, flags);
  for (guint i = 0; i < count; i++)
    nb_put_u16 (out + NB_TELEMETRY_HEADER_SIZE + 2 * i, (guint16) samples[i]);
  return NB_TELEMETRY_HEADER_SIZE + 2 * (gsize) count;
}

gboolean
nb_telemetry_decode (const guint8 *p, gsize len, guint64 *first_index, guint16 *flags,
                     const guint8 **samples, guint16 *count, GError **error)
{
  if (len < NB_TELEMETRY_HEADER_SIZE)
    return MALFORMED (error, "telemetry is %zu bytes, at least %d expected", len,
                      NB_TELEMETRY_HEADER_SIZE);
  *first_index = nb_get_u64 (p);
  *count = nb_get_u16 (p + 8);
  *flags = nb_get_u16 (p + 10);
  if (*count == 0 || *count > NB_TELEMETRY_MAX_SAMPLES)
    return MALFORMED (error, "telemetry batch of %u samples (1..%d allowed)", *count,
                      NB_TELEMETRY_MAX_SAMPLES);
  if (len < NB_TELEMETRY_HEADER_SIZE + 2 * (gsize) *count)
    return MALFORMED (error, "telemetry batch truncated: %zu bytes for %u samples", len, *count);
  *samples = p + NB_TELEMETRY_HEADER_SIZE;
  return TRUE;
}

const char *
nb_message_type_name (guint8 type)
{
  switch (type)
    {
    case NB_MSG_IDENTIFY: return "IDENTIFY";
    case NB_MSG_SET_DEPTH: return "SET_DEPTH";
    case NB_MSG_SET_RATE: return "SET_RATE";
    case NB_MSG_MOTOR_START: return "MOTOR_START";
    case NB_MSG_MOTOR_STOP: return "MOTOR_STOP";
    case NB_MSG_STREAM_START: return "STREAM_START";
    case NB_MSG_STREAM_STOP: return "STREAM_STOP";
    case NB_MSG_GET_STATUS: return "GET_STATUS";
    case NB_MSG_PING: return "PING";
    case NB_MSG_CAL_READ: return "CAL_READ";
    case NB_MSG_CAL_WRITE: return "CAL_WRITE";
    case NB_MSG_CAL_COMMIT: return "CAL_COMMIT";
    case NB_MSG_TELEMETRY: return "TELEMETRY";
    case NB_MSG_EVENT: return "EVENT";
    case NB_MSG_ACK: return "ACK";
    case NB_MSG_IDENTITY: return "IDENTITY";
    case NB_MSG_STATUS: return "STATUS";
    case NB_MSG_CAL_TABLE: return "CAL_TABLE";
    case NB_MSG_NAK: return "NAK";
    default: return "unknown";
    }
}

const char *
nb_nak_code_name (guint8 code)
{
  switch (code)
    {
    case NB_NAK_UNKNOWN_TYPE: return "unknown message type";
    case NB_NAK_BAD_LENGTH: return "bad payload length";
    case NB_NAK_OUT_OF_RANGE: return "value out of range";
    case NB_NAK_BAD_STATE: return "not possible in the pen's state";
    case NB_NAK_CAL_CRC: return "calibration CRC mismatch";
    case NB_NAK_NO_CARTRIDGE: return "no cartridge inserted";
    case NB_NAK_MOTOR_FAULT: return "motor jammed or stalled";
    case NB_NAK_UNSUPPORTED_VERSION: return "protocol version not supported";
    case NB_NAK_STORAGE: return "calibration memory write failed";
    case NB_NAK_BAD_FORMAT: return "calibration table format not supported";
    default: return "unknown error";
    }
}

const char *
nb_event_code_name (guint8 code)
{
  switch (code)
    {
    case NB_EVENT_CARTRIDGE_INSERTED: return "cartridge-inserted";
    case NB_EVENT_CARTRIDGE_REMOVED: return "cartridge-removed";
    case NB_EVENT_MOTOR_JAM: return "motor-jam";
    case NB_EVENT_OVER_TEMPERATURE: return "over-temperature";
    case NB_EVENT_RESET: return "reset";
    case NB_EVENT_MOTOR_STOPPED: return "motor-stopped";
    default: return "unknown";
    }
}

const char *
nb_motor_stopped_reason_name (guint16 detail)
{
  switch (detail)
    {
    case NB_MOTOR_STOPPED_HOST_REQUEST: return "stopped on request";
    case NB_MOTOR_STOPPED_WATCHDOG:
      return "stopped by the pen's watchdog: no request from the host for 2 s";
    case NB_MOTOR_STOPPED_PROTECTION: return "stopped by the pen's own protection";
    case NB_MOTOR_STOPPED_CARTRIDGE: return "stopped: cartridge removed";
    default: return "stopped for an unknown reason";
    }
}
