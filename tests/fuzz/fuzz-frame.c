/* fuzz-frame.c: everything that parses bytes from a pen or a host, from the wire: the streaming
 * frame decoder, every payload decoder on every frame, and the simulated pen's firmware. Its seeds
 * are a valid frame of every message type. See fuzz.h for how it is built and run. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "nb-frame.h"
#include "nb-messages.h"
#include "nb-sim-pen.h"

const char nb_fuzz_target_name[] = "fuzz-frame";

static void
on_frame (const NbFrame *f, gpointer user_data)
{
  NbIdentity id;
  NbStatus st;
  NbEvent ev;
  NbCalTable t;
  guint8 code;
  guint16 detail, flags, count;
  guint64 first;
  const guint8 *samples;
  GError *error = NULL;

  /* every decoder on every frame: none may read out of bounds or crash */
  if (!nb_identity_decode (f->payload, f->length, &id, &error))
    g_clear_error (&error);
  if (!nb_status_decode (f->payload, f->length, &st, &error))
    g_clear_error (&error);
  if (!nb_event_decode (f->payload, f->length, &ev, &error))
    g_clear_error (&error);
  guint8 nak_code;
  guint16 nak_detail;
  if (!nb_cal_table_check (f->payload, f->length, &t, &nak_code, &nak_detail, &error))
    {
      if (nak_code == 0) /* every refusal names its NAK */
        abort ();
      g_clear_error (&error);
    }
  else if (nak_code != 0
           || fabs (nb_cal_table_correction_um (&t, 1234.0)) > NB_CAL_MAX_CORRECTION_UM)
    abort ();
  if (!nb_nak_decode (f->payload, f->length, &code, &detail, &error))
    g_clear_error (&error);
  if (nb_telemetry_decode (f->payload, f->length, &first, &flags, &samples, &count, &error))
    {
      volatile gint32 sum = 0;
      for (guint i = 0; i < count; i++)
        sum += (gint16) nb_get_u16 (samples + 2 * i);
    }
  else
    g_clear_error (&error);
}

/* A new pen for every input: a pen kept across inputs would remember the last sequence number
 * (and answer a "retransmission" from its cache instead of running the handler) and its state,
 * so an input would not replay the same way alone. */
static NbSimPen *
new_pen (void)
{
  NbSimParams p;
  nb_sim_params_init_defaults (&p);
  NbSimPen *pen = nb_sim_pen_new (&p);
  nb_sim_params_clear (&p);
  return pen;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  NbFrameDecoder dec;

  nb_frame_decoder_init (&dec, on_frame, NULL);
  nb_frame_decoder_push (&dec, data, size);
  nb_frame_decoder_push (&dec, (const guint8 *) "\0", 1);

  /* the firmware side: requests from a hostile host, then a few batches of its clock */
  g_autoptr (NbSimPen) pen = new_pen ();
  nb_sim_pen_receive (pen, data, size);
  nb_sim_pen_advance (pen, 300);
  gsize n;
  nb_sim_pen_peek_output (pen, &n);
  nb_sim_pen_consume_output (pen, n);
  return 0;
}

static void
add_frame (GPtrArray *seeds, guint8 type, const guint8 *payload, gsize len)
{
  guint8 wire[NB_FRAME_MAX_WIRE];
  gsize n = nb_frame_encode (type, (guint16) (seeds->len + 1), payload, len, wire);
  g_ptr_array_add (seeds, g_bytes_new (wire, n));
}

/* A valid frame of every message type of docs/protocol.md §4. */
GPtrArray *
nb_fuzz_seeds (void)
{
  GPtrArray *seeds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint8 p[NB_FRAME_MAX_PAYLOAD];

  add_frame (seeds, NB_MSG_IDENTIFY, NULL, 0);
  nb_put_u32 (p, 1000);
  add_frame (seeds, NB_MSG_SET_DEPTH, p, 4);
  nb_put_u32 (p, 100000);
  add_frame (seeds, NB_MSG_SET_RATE, p, 4);
  add_frame (seeds, NB_MSG_MOTOR_START, NULL, 0);
  add_frame (seeds, NB_MSG_MOTOR_STOP, NULL, 0);
  add_frame (seeds, NB_MSG_STREAM_START, NULL, 0);
  add_frame (seeds, NB_MSG_STREAM_STOP, NULL, 0);
  add_frame (seeds, NB_MSG_GET_STATUS, NULL, 0);
  add_frame (seeds, NB_MSG_PING, NULL, 0);
  add_frame (seeds, NB_MSG_CAL_READ, NULL, 0);
  NbCalTable t;
  nb_cal_table_init_factory (&t);
  t.calibrated_at = 1764000000;
  g_strlcpy (t.certificate, "NB-C-0001", sizeof t.certificate);
  t.n_points = 2;
  t.points[0] = (NbCalPoint){ 500, -10 };
  t.points[1] = (NbCalPoint){ 1500, 20 };
  gsize tn = nb_cal_table_encode (&t, p);
  add_frame (seeds, NB_MSG_CAL_WRITE, p, tn);
  nb_put_u32 (p, nb_cal_table_crc (&t));
  add_frame (seeds, NB_MSG_CAL_COMMIT, p, 4);

  gint16 s[100];
  for (int i = 0; i < 100; i++)
    s[i] = (gint16) (i * 37 - 1000);
  add_frame (seeds, NB_MSG_TELEMETRY, p, nb_telemetry_encode (1000, 1, s, 100, p));
  NbEvent ev = { NB_EVENT_MOTOR_STOPPED, NB_MOTOR_STOPPED_WATCHDOG, 5 };
  add_frame (seeds, NB_MSG_EVENT, p, nb_event_encode (&ev, p));
  add_frame (seeds, NB_MSG_ACK, NULL, 0);
  NbIdentity id = { 1, 0x1F, 0, 3000, 50, 50000, 150000, 20000, "NB-Pen 3", "NB-0042", "1.4.2" };
  add_frame (seeds, NB_MSG_IDENTITY, p, nb_identity_encode (&id, p));
  NbStatus st = { 1000, 100000, 0x7, 31500, 123456 };
  add_frame (seeds, NB_MSG_STATUS, p, nb_status_encode (&st, p));
  add_frame (seeds, NB_MSG_CAL_TABLE, p, nb_cal_table_encode (&t, p));
  add_frame (seeds, NB_MSG_NAK, p, nb_nak_encode (NB_NAK_OUT_OF_RANGE, 1, p));
  return seeds;
}
