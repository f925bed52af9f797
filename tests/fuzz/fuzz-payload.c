/* fuzz-payload.c: every payload parser fed directly, past the frame layer that guards it on the
 * wire (COBS and the frame CRC make a frame-level fuzzer spend its time on framing). The first
 * byte picks the parser, the rest is the payload. Calibration tables get their inner CRC fixed up,
 * so mutations reach the checks behind it (format, length, certificate, order, corrections) and
 * the firmware's use of an accepted table. Checks properties as well as crashes: a decoded
 * payload re-encodes to one that decodes the same; a refused table names its NAK; an accepted
 * table's correction stays within ±500 µm. See fuzz.h for how it is built and run. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "nb-crc32.h"
#include "nb-frame.h"
#include "nb-messages.h"
#include "nb-sim-pen.h"

const char nb_fuzz_target_name[] = "fuzz-payload";

enum
{
  KIND_IDENTITY,
  KIND_STATUS,
  KIND_EVENT,
  KIND_NAK,
  KIND_CAL_TABLE,
  KIND_TELEMETRY,
  KIND_PEN_CAL_WRITE, /* a table to the simulated pen: CAL_WRITE, then CAL_COMMIT of its CRC */
  KIND_PEN_REQUEST,   /* any request to the simulated pen: type, then payload */
  N_KINDS
};

#define CHECK(cond)                                                                                \
  do                                                                                               \
    {                                                                                              \
      if (!(cond))                                                                                 \
        abort ();                                                                                  \
    }                                                                                              \
  while (0)

/* When the table's length fits its point count, the inner CRC is made right. */
static void
fix_table_crc (guint8 *p, gsize len)
{
  if (len < NB_CAL_HEADER_SIZE + 4 || p[2] > NB_CAL_MAX_POINTS)
    return;
  gsize body = NB_CAL_HEADER_SIZE + 8 * (gsize) p[2];
  if (len == body + 4)
    nb_put_u32 (p + body, nb_crc32 (p, body));
}

static void
check_table (const guint8 *p, gsize len)
{
  NbCalTable t, again;
  guint8 code = 0xEE;
  guint16 detail;
  GError *error = NULL;
  gboolean ok = nb_cal_table_check (p, len, &t, &code, &detail, &error);
  CHECK (ok == (code == 0));
  CHECK (ok == (error == NULL));
  g_clear_error (&error);
  if (!ok)
    return;
  /* accepted: corrections bounded everywhere, and the table survives encode + decode */
  static const double depths[] = { -1e9, 0, 1, 999.5, 1500, 3000, 4294967295.0, 1e12 };
  for (guint i = 0; i < G_N_ELEMENTS (depths); i++)
    {
      double c = nb_cal_table_correction_um (&t, depths[i]);
      CHECK (isfinite (c) && fabs (c) <= NB_CAL_MAX_CORRECTION_UM);
    }
  guint8 buf[NB_FRAME_MAX_PAYLOAD];
  gsize n = nb_cal_table_encode (&t, buf);
  CHECK (n > 0 && nb_cal_table_decode (buf, n, &again, NULL));
  CHECK (nb_cal_table_equal (&t, &again));
}

static void
check_identity (const guint8 *p, gsize len)
{
  NbIdentity id, again;
  GError *error = NULL;
  if (!nb_identity_decode (p, len, &id, &error))
    {
      CHECK (error != NULL);
      g_clear_error (&error);
      return;
    }
  guint8 buf[NB_FRAME_MAX_PAYLOAD];
  gsize n = nb_identity_encode (&id, buf);
  CHECK (nb_identity_decode (buf, n, &again, NULL));
  CHECK (memcmp (&id, &again, sizeof id) == 0);
}

/* A new pen for every input (see fuzz-frame.c), kept for the input's requests. */
static NbSimPen *current_pen;

static void
to_pen (guint8 type, const guint8 *payload, gsize len)
{
  static guint16 seq;
  guint8 wire[NB_FRAME_MAX_WIRE];
  seq = (guint16) (seq % 65535 + 1);
  gsize n = nb_frame_encode (type, seq, payload, len, wire);
  if (n == 0)
    return;
  nb_sim_pen_receive (current_pen, wire, n);
  nb_sim_pen_advance (current_pen, 100); /* the firmware applies what it accepted */
  gsize out;
  nb_sim_pen_peek_output (current_pen, &out);
  nb_sim_pen_consume_output (current_pen, out);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  if (size < 1 || size > 1 + NB_FRAME_MAX_PAYLOAD)
    return 0;
  guint8 p[NB_FRAME_MAX_PAYLOAD + 1];
  gsize len = size - 1;
  memcpy (p, data + 1, len);
  GError *error = NULL;

  NbSimParams params;
  nb_sim_params_init_defaults (&params);
  g_autoptr (NbSimPen) pen = current_pen = nb_sim_pen_new (&params);
  nb_sim_params_clear (&params);

  switch (data[0] % N_KINDS)
    {
    case KIND_IDENTITY: check_identity (p, len); break;
    case KIND_STATUS:
      {
        NbStatus st;
        if (!nb_status_decode (p, len, &st, &error))
          g_clear_error (&error);
      }
      break;
    case KIND_EVENT:
      {
        NbEvent ev;
        if (nb_event_decode (p, len, &ev, &error))
          (void) nb_motor_stopped_reason_name (ev.detail);
        else
          g_clear_error (&error);
      }
      break;
    case KIND_NAK:
      {
        guint8 code;
        guint16 detail;
        if (nb_nak_decode (p, len, &code, &detail, &error))
          (void) nb_nak_code_name (code);
        else
          g_clear_error (&error);
      }
      break;
    case KIND_CAL_TABLE:
      fix_table_crc (p, len);
      check_table (p, len);
      break;
    case KIND_TELEMETRY:
      {
        guint64 first;
        guint16 flags, count;
        const guint8 *samples;
        if (nb_telemetry_decode (p, len, &first, &flags, &samples, &count, &error))
          {
            CHECK (NB_TELEMETRY_HEADER_SIZE + 2 * (gsize) count <= len);
            volatile gint32 sum = 0;
            for (guint i = 0; i < count; i++)
              sum += (gint16) nb_get_u16 (samples + 2 * i);
          }
        else
          g_clear_error (&error);
      }
      break;
    case KIND_PEN_CAL_WRITE:
      {
        fix_table_crc (p, len);
        to_pen (NB_MSG_CAL_WRITE, p, len);
        guint8 crc[4];
        gsize body = NB_CAL_HEADER_SIZE + 8 * (gsize) (len > 2 ? p[2] : 0);
        nb_put_u32 (crc, len == body + 4 ? nb_get_u32 (p + body) : 0);
        to_pen (NB_MSG_CAL_COMMIT, crc, 4);
        const NbCalTable *in_force = nb_sim_pen_get_calibration (pen);
        for (guint i = 0; i < in_force->n_points; i++)
          CHECK (ABS ((gint64) in_force->points[i].correction_um) <= NB_CAL_MAX_CORRECTION_UM);
      }
      break;
    case KIND_PEN_REQUEST:
      if (len >= 1)
        to_pen (p[0], p + 1, len - 1);
      break;
    }
  return 0;
}

static void
add (GPtrArray *seeds, guint8 kind, const guint8 *payload, gsize len)
{
  guint8 buf[NB_FRAME_MAX_PAYLOAD + 1];
  buf[0] = kind;
  memcpy (buf + 1, payload, len);
  g_ptr_array_add (seeds, g_bytes_new (buf, len + 1));
}

/* A valid payload of every kind. */
GPtrArray *
nb_fuzz_seeds (void)
{
  GPtrArray *seeds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint8 p[NB_FRAME_MAX_PAYLOAD];

  NbIdentity id = { 1, 0x1F, 0, 3000, 50, 50000, 150000, 20000, "NB-Pen 3", "NB-0042", "1.4.2" };
  add (seeds, KIND_IDENTITY, p, nb_identity_encode (&id, p));
  NbStatus st = { 1000, 100000, 0x7, 31500, 123456 };
  add (seeds, KIND_STATUS, p, nb_status_encode (&st, p));
  NbEvent ev = { NB_EVENT_MOTOR_STOPPED, NB_MOTOR_STOPPED_WATCHDOG, 5 };
  add (seeds, KIND_EVENT, p, nb_event_encode (&ev, p));
  add (seeds, KIND_NAK, p, nb_nak_encode (NB_NAK_OUT_OF_RANGE, 1, p));

  NbCalTable t;
  nb_cal_table_init_factory (&t);
  t.calibrated_at = 1764000000;
  g_strlcpy (t.certificate, "NB-C-0001", sizeof t.certificate);
  t.n_points = 4;
  t.points[0] = (NbCalPoint){ 250, -500 };
  t.points[1] = (NbCalPoint){ 1000, -55 };
  t.points[2] = (NbCalPoint){ 2000, 70 };
  t.points[3] = (NbCalPoint){ 3000, 500 };
  gsize tn = nb_cal_table_encode (&t, p);
  add (seeds, KIND_CAL_TABLE, p, tn);
  add (seeds, KIND_PEN_CAL_WRITE, p, tn);

  gint16 s[100];
  for (int i = 0; i < 100; i++)
    s[i] = (gint16) (i * 37 - 1000);
  add (seeds, KIND_TELEMETRY, p, nb_telemetry_encode (1000, 1, s, 100, p));

  /* requests to the pen: type, then payload */
  static const guint8 empty_requests[]
      = { NB_MSG_IDENTIFY,    NB_MSG_MOTOR_START, NB_MSG_MOTOR_STOP, NB_MSG_STREAM_START,
          NB_MSG_STREAM_STOP, NB_MSG_GET_STATUS,  NB_MSG_PING,       NB_MSG_CAL_READ };
  for (guint i = 0; i < G_N_ELEMENTS (empty_requests); i++)
    add (seeds, KIND_PEN_REQUEST, empty_requests + i, 1);
  p[0] = NB_MSG_SET_DEPTH;
  nb_put_u32 (p + 1, 1000);
  add (seeds, KIND_PEN_REQUEST, p, 5);
  p[0] = NB_MSG_SET_RATE;
  nb_put_u32 (p + 1, 100000);
  add (seeds, KIND_PEN_REQUEST, p, 5);
  p[0] = NB_MSG_CAL_COMMIT;
  nb_put_u32 (p + 1, nb_cal_table_crc (&t));
  add (seeds, KIND_PEN_REQUEST, p, 5);
  return seeds;
}
