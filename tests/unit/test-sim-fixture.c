/* test-sim-fixture.c: the simulated reference fixture (protocol.md §11): its keys, its answers and
 * NAKs, its telemetry (true position + offset, quantised to the resolution, numbered from its own
 * STREAM_START), and the pen's own sensor errors (sensor-offset, sensor-gain) that change what the
 * pen reports but not what the fixture sees. */
#include <math.h>
#include <string.h>

#include "nb-cobs.h"
#include "nb-crc32.h"
#include "nb-frame.h"
#include "nb-messages.h"
#include "nb-sim-fixture.h"
#include "nb-sim-pen.h"
#include "sim-bench.h"

typedef struct
{
  NbSimFixture *fix;
  NbFrameDecoder dec;
  GArray *frames; /* of Reply (sim-bench.h) */
  guint16 seq;
} FixBench;

static void
on_fix_reply (const NbFrame *f, gpointer data)
{
  FixBench *b = data;
  Reply r = { .type = f->type, .seq = f->seq, .len = f->length };
  memcpy (r.payload, f->payload, f->length);
  g_array_append_val (b->frames, r);
}

static void
fix_init (FixBench *b, const char *spec)
{
  NbSimFixtureParams p;
  nb_sim_fixture_params_init_defaults (&p);
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_sim_fixture_params_parse (&p, spec, &error));
  g_assert_no_error (error);
  b->fix = nb_sim_fixture_new (&p, 20000, &error);
  g_assert_no_error (error);
  nb_sim_fixture_params_clear (&p);
  nb_frame_decoder_init (&b->dec, on_fix_reply, b);
  b->frames = g_array_new (FALSE, FALSE, sizeof (Reply));
  b->seq = 0;
}

static void
fix_clear (FixBench *b)
{
  nb_sim_fixture_free (b->fix);
  g_array_unref (b->frames);
}

static void
fix_pump (FixBench *b)
{
  gsize n;
  const guint8 *out = nb_sim_fixture_peek_output (b->fix, &n);
  nb_frame_decoder_push (&b->dec, out, n);
  nb_sim_fixture_consume_output (b->fix, n);
}

static Reply *
fix_ask (FixBench *b, guint8 type, const guint8 *payload, gsize len, guint16 seq)
{
  guint8 wire[NB_FRAME_MAX_WIRE];
  if (seq == 0)
    seq = ++b->seq;
  g_array_set_size (b->frames, 0);
  gsize n = nb_frame_encode (type, seq, payload, len, wire);
  nb_sim_fixture_receive (b->fix, wire, n);
  fix_pump (b);
  for (guint i = b->frames->len; i > 0; i--)
    {
      Reply *r = &g_array_index (b->frames, Reply, i - 1);
      if (r->type >= 0x80 && r->seq == seq)
        return r;
    }
  return NULL;
}

static void
test_fixture_params (void)
{
  NbSimFixtureParams p;
  g_autoptr (GError) error = NULL;
  nb_sim_fixture_params_init_defaults (&p);
  g_assert_cmpstr (p.serial, ==, "NB-FIX-SIM-0001");
  g_assert_null (p.pen);
  g_assert_true (nb_sim_fixture_params_parse (
      &p, "pen=NB-0042,noise=0.25,offset=-3.5,resolution=5,serial=FX-7,model=LVDT 9", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (p.pen, ==, "NB-0042");
  g_assert_cmpfloat (p.noise_um, ==, 0.25);
  g_assert_cmpfloat (p.offset_um, ==, -3.5);
  g_assert_cmpuint (p.resolution_um, ==, 5);
  g_assert_cmpstr (p.serial, ==, "FX-7");
  g_assert_cmpstr (p.model, ==, "LVDT 9");

  const char *bad[]
      = { "resolution=0", "resolution=2.5", "noise=-1", "offset=abc", "nosie=1", "noise" };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (nb_sim_fixture_params_parse (&p, bad[i], &error));
      g_assert_error (error, NB_SIM_ERROR, NB_SIM_ERROR_INVALID_PARAM);
      g_clear_error (&error);
    }
  g_assert_cmpuint (p.resolution_um, ==, 5); /* unchanged by the refused values */

  /* a fixture samples at 20 kHz or more: a 10 kHz pen cannot carry one */
  g_assert_null (nb_sim_fixture_new (&p, 10000, &error));
  g_assert_error (error, NB_SIM_ERROR, NB_SIM_ERROR_INVALID_PARAM);
  nb_sim_fixture_params_clear (&p);
}

static void
test_fixture_answers (void)
{
  FixBench b;
  fix_init (&b, "resolution=2,serial=FX-0007");

  Reply *r = fix_ask (&b, NB_MSG_IDENTIFY, NULL, 0, 0);
  g_assert_cmpuint (r->type, ==, NB_MSG_IDENTITY);
  NbIdentity id;
  g_assert_true (nb_identity_decode (r->payload, r->len, &id, NULL));
  g_assert_cmpuint (id.capabilities, ==, NB_CAP_REFERENCE); /* §11.1: no motor, no table */
  g_assert_cmpuint (id.depth_step_um, ==, 2);               /* its resolution */
  g_assert_cmpuint (id.depth_min_um, ==, 0);
  g_assert_cmpuint (id.depth_max_um, ==, 5000);
  g_assert_cmpuint (id.sample_rate_hz, ==, 20000);
  g_assert_cmpuint (id.rate_max_mhz, ==, 298000); /* 67 samples a stroke at 20 kHz */
  g_assert_cmpstr (id.serial, ==, "FX-0007");

  g_assert_cmpuint (fix_ask (&b, NB_MSG_PING, NULL, 0, 0)->type, ==, NB_MSG_ACK);
  r = fix_ask (&b, NB_MSG_GET_STATUS, NULL, 0, 0);
  NbStatus st;
  g_assert_true (nb_status_decode (r->payload, r->len, &st, NULL));
  g_assert_cmpuint (st.flags, ==, 0);
  g_assert_cmpuint (st.depth_um, ==, 0);
  g_assert_cmpuint (fix_ask (&b, NB_MSG_STREAM_START, NULL, 0, 0)->type, ==, NB_MSG_ACK);
  r = fix_ask (&b, NB_MSG_GET_STATUS, NULL, 0, 0);
  g_assert_true (nb_status_decode (r->payload, r->len, &st, NULL));
  g_assert_cmpuint (st.flags, ==, NB_STATUS_STREAMING);

  /* §11.2: what needs a motor or a table is not implemented: UNKNOWN_TYPE, detail = the type,
   * whatever the payload (the type is checked before the length) */
  const guint8 refused[]
      = { NB_MSG_SET_DEPTH, NB_MSG_SET_RATE,  NB_MSG_MOTOR_START, NB_MSG_MOTOR_STOP,
          NB_MSG_CAL_READ,  NB_MSG_CAL_WRITE, NB_MSG_CAL_COMMIT };
  guint8 p4[4];
  nb_put_u32 (p4, 1000);
  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    for (gsize len = 0; len <= 4; len += 4)
      {
        r = fix_ask (&b, refused[i], p4, len, 0);
        g_assert_nonnull (r);
        g_assert_cmpuint (r->type, ==, NB_MSG_NAK);
        g_assert_cmpuint (r->payload[0], ==, NB_NAK_UNKNOWN_TYPE);
        g_assert_cmpuint (nb_get_u16 (r->payload + 2), ==, refused[i]);
      }
  /* an implemented request with a payload: BAD_LENGTH, expected 0 */
  r = fix_ask (&b, NB_MSG_PING, p4, 4, 0);
  g_assert_cmpuint (r->payload[0], ==, NB_NAK_BAD_LENGTH);
  g_assert_cmpuint (nb_get_u16 (r->payload + 2), ==, 0);

  /* a retransmission gets the stored answer and is not executed again */
  r = fix_ask (&b, NB_MSG_STREAM_STOP, NULL, 0, 0);
  guint16 seq = r->seq;
  g_assert_cmpuint (fix_ask (&b, NB_MSG_STREAM_START, NULL, 0, seq)->type, ==, NB_MSG_ACK);
  r = fix_ask (&b, NB_MSG_GET_STATUS, NULL, 0, 0);
  g_assert_true (nb_status_decode (r->payload, r->len, &st, NULL));
  g_assert_cmpuint (st.flags, ==, 0); /* still stopped */

  /* another protocol version: UNSUPPORTED_VERSION */
  guint8 wire[NB_FRAME_MAX_WIRE];
  guint8 packet[10] = { 2, NB_MSG_PING, 0x84, 0x03, 0, 0 }; /* version 2, seq 900 */
  nb_put_u32 (packet + 6, nb_crc32 (packet, 6));
  gsize n = nb_cobs_encode (packet, 10, wire);
  wire[n++] = 0;
  g_array_set_size (b.frames, 0);
  nb_sim_fixture_receive (b.fix, wire, n);
  fix_pump (&b);
  g_assert_cmpuint (b.frames->len, ==, 1);
  r = &g_array_index (b.frames, Reply, 0);
  g_assert_cmpuint (r->payload[0], ==, NB_NAK_UNSUPPORTED_VERSION);
  fix_clear (&b);
}

/* Collects the telemetry samples of @frames (checking the index is consecutive from @next). */
static void
collect (GArray *frames, guint64 *next, GArray *samples)
{
  for (guint i = 0; i < frames->len; i++)
    {
      Reply *r = &g_array_index (frames, Reply, i);
      if (r->type != NB_MSG_TELEMETRY)
        continue;
      guint64 first;
      guint16 flags, count;
      const guint8 *s;
      g_assert_true (nb_telemetry_decode (r->payload, r->len, &first, &flags, &s, &count, NULL));
      g_assert_cmpuint (first, ==, *next);
      g_assert_cmpuint (flags, ==, 0); /* a fixture does not know the motor */
      for (guint k = 0; k < count; k++)
        {
          gint16 v = (gint16) nb_get_u16 (s + 2 * k);
          g_array_append_val (samples, v);
        }
      *next += count;
    }
}

static void
test_fixture_telemetry (void)
{
  FixBench b;
  fix_init (&b, "noise=0,offset=7,resolution=5");
  double truth[1000];
  for (guint i = 0; i < G_N_ELEMENTS (truth); i++)
    truth[i] = -1.0 + 2.6 * i / G_N_ELEMENTS (truth); /* -1.0 .. 1.6 mm */

  /* nothing before STREAM_START */
  g_array_set_size (b.frames, 0);
  nb_sim_fixture_observe (b.fix, truth, 300);
  fix_pump (&b);
  g_assert_cmpuint (b.frames->len, ==, 0);

  g_assert_cmpuint (fix_ask (&b, NB_MSG_STREAM_START, NULL, 0, 0)->type, ==, NB_MSG_ACK);
  g_array_set_size (b.frames, 0);
  nb_sim_fixture_observe (b.fix, truth, G_N_ELEMENTS (truth)); /* more than one batch */
  fix_pump (&b);
  g_autoptr (GArray) got = g_array_new (FALSE, FALSE, sizeof (gint16));
  guint64 next = 0; /* numbered from its own STREAM_START */
  collect (b.frames, &next, got);
  g_assert_cmpuint (got->len, ==, G_N_ELEMENTS (truth));
  for (guint i = 0; i < got->len; i++)
    {
      gint16 v = g_array_index (got, gint16, i);
      /* true position + 7 µm, on the 5 µm grid, within half a step */
      g_assert_cmpint (v % 5, ==, 0);
      g_assert_cmpfloat (fabs (v - (truth[i] * 1000.0 + 7.0)), <=, 2.5 + 1e-9);
      g_assert_cmpfloat (v, ==, nb_sim_fixture_reading_um (b.fix, truth[i]));
    }
  g_assert_cmpint (g_array_index (got, gint16, 0), ==, -995); /* -1000 + 7 = -993 → -995 */
  fix_clear (&b);
}

typedef struct
{
  GArray *truth; /* double, mm */
} Tap;

static void
on_tap (const double *true_mm, guint n, gpointer data)
{
  Tap *t = data;
  g_array_append_vals (t->truth, true_mm, n);
}

/* The pen's sensor errors change its telemetry only; the tap (what a fixture sees) is the true
 * position, which depth-offset moves. */
static void
test_pen_sensor_errors (void)
{
  Bench b;
  bench_init (&b, "depth-offset=0.1,depth-gain=1,nonlinearity=0,rate-error=0,noise=0,jitter=0,"
                  "drift=0,sensor-offset=-0.1,sensor-gain=1.02");
  Tap tap = { g_array_new (FALSE, FALSE, sizeof (double)) };
  nb_sim_pen_set_tap (b.pen, on_tap, &tap);
  guint8 p[4];
  nb_put_u32 (p, 1000);
  g_assert_cmpuint (ask (&b, NB_MSG_SET_DEPTH, p, 4, 0)->type, ==, NB_MSG_ACK);
  g_assert_cmpuint (ask (&b, NB_MSG_STREAM_START, NULL, 0, 0)->type, ==, NB_MSG_ACK);
  g_assert_cmpuint (ask (&b, NB_MSG_MOTOR_START, NULL, 0, 0)->type, ==, NB_MSG_ACK);
  g_array_set_size (b.frames, 0);
  nb_sim_pen_advance (b.pen, 4000); /* 0.2 s: 20 strokes at 100 Hz */
  pump (&b);
  g_autoptr (GArray) reported = g_array_new (FALSE, FALSE, sizeof (gint16));
  for (guint i = 0; i < b.frames->len; i++)
    {
      Reply *r = &g_array_index (b.frames, Reply, i);
      if (r->type != NB_MSG_TELEMETRY)
        continue;
      guint64 first;
      guint16 flags, count;
      const guint8 *s;
      g_assert_true (nb_telemetry_decode (r->payload, r->len, &first, &flags, &s, &count, NULL));
      for (guint k = 0; k < count; k++)
        {
          gint16 v = (gint16) nb_get_u16 (s + 2 * k);
          g_array_append_val (reported, v);
        }
    }
  g_assert_cmpuint (tap.truth->len, ==, 4000);
  g_assert_cmpuint (reported->len, ==, 4000);
  double true_peak = -10, reported_peak = -10;
  for (guint i = 0; i < 4000; i++)
    {
      double t = g_array_index (tap.truth, double, i);
      double rep = g_array_index (reported, gint16, i) / 1000.0;
      /* sample for sample: reported = 1.02 × true − 0.1 mm, rounded to the µm */
      g_assert_cmpfloat (fabs (rep - (1.02 * t - 0.1)), <=, 0.0005 + 1e-9);
      true_peak = MAX (true_peak, t);
      reported_peak = MAX (reported_peak, rep);
    }
  g_assert_cmpfloat_with_epsilon (true_peak, 1.1, 1e-3); /* delivered: 0.1 too deep */
  g_assert_cmpfloat_with_epsilon (reported_peak, 1.02 * 1.1 - 0.1, 1e-3); /* 1.022 reported */
  g_array_unref (tap.truth);
  bench_clear (&b);
}

static void
ignore_tap (const double *true_mm, guint n, gpointer data)
{
  *(guint64 *) data += n;
}

/* Two pens of one seed, one with a fixture's tap: the same bytes, sample for sample. */
static void
test_tap_changes_nothing (void)
{
  Bench a, b;
  bench_init (&a, "seed=11");
  bench_init (&b, "seed=11");
  guint64 tapped = 0;
  nb_sim_pen_set_tap (b.pen, ignore_tap, &tapped);
  Bench *both[] = { &a, &b };
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpuint (ask (both[i], NB_MSG_STREAM_START, NULL, 0, 0)->type, ==, NB_MSG_ACK);
      g_assert_cmpuint (ask (both[i], NB_MSG_MOTOR_START, NULL, 0, 0)->type, ==, NB_MSG_ACK);
      nb_sim_pen_advance (both[i]->pen, 2000);
    }
  gsize na, nb;
  const guint8 *oa = nb_sim_pen_peek_output (a.pen, &na);
  const guint8 *ob = nb_sim_pen_peek_output (b.pen, &nb);
  g_assert_cmpuint (tapped, ==, 2000);
  g_assert_cmpuint (na, >, 2000 * 2);
  g_assert_cmpmem (oa, na, ob, nb);
  bench_clear (&a);
  bench_clear (&b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim-fixture/params", test_fixture_params);
  g_test_add_func ("/sim-fixture/answers", test_fixture_answers);
  g_test_add_func ("/sim-fixture/telemetry", test_fixture_telemetry);
  g_test_add_func ("/sim-fixture/pen-sensor-errors", test_pen_sensor_errors);
  g_test_add_func ("/sim-fixture/tap-changes-nothing", test_tap_changes_nothing);
  return g_test_run ();
}
