/* test-protocol.c: the codec: CRC-32, COBS, frames, the streaming decoder and payloads. */
#include <string.h>

#include "nb-cobs.h"
#include "nb-crc32.h"
#include "nb-frame.h"
#include "nb-messages.h"
#include "cal-write-cases.h"

static void
test_crc32 (void)
{
  g_assert_cmphex (nb_crc32 ((const guint8 *) "123456789", 9), ==, 0xCBF43926);
  g_assert_cmphex (nb_crc32 (NULL, 0), ==, 0);
  /* chaining equals one pass */
  guint32 c = nb_crc32_update (0, (const guint8 *) "1234", 4);
  g_assert_cmphex (nb_crc32_update (c, (const guint8 *) "56789", 5), ==, 0xCBF43926);
}

typedef struct
{
  const char *in;
  const char *out;
} HexVector;

static GByteArray *
hex (const char *s)
{
  GByteArray *a = g_byte_array_new ();
  for (; s[0] && s[1]; s += 2)
    {
      guint8 b = (guint8) (g_ascii_xdigit_value (s[0]) << 4 | g_ascii_xdigit_value (s[1]));
      g_byte_array_append (a, &b, 1);
    }
  return a;
}

static void
check_cobs (const guint8 *in, gsize len, const guint8 *want, gsize want_len)
{
  guint8 enc[NB_COBS_MAX_ENCODED (1024)];
  guint8 dec[1024];
  gsize n = nb_cobs_encode (in, len, enc);
  g_assert_cmpmem (enc, n, want, want_len);
  g_assert_null (memchr (enc, 0, n));
  gssize m = nb_cobs_decode (enc, n, dec, sizeof dec);
  g_assert_cmpmem (dec, m, in, len);
}

static void
test_cobs_vectors (void)
{
  /* The vectors of Cheshire & Baker's paper and the common test set. */
  static const HexVector v[] = {
    { "", "01" },
    { "00", "0101" },
    { "0000", "010101" },
    { "001100", "01021101" },
    { "11220033", "0311220233" },
    { "11223344", "0511223344" },
    { "11000000", "0211010101" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (v); i++)
    {
      g_autoptr (GByteArray) in = hex (v[i].in);
      g_autoptr (GByteArray) out = hex (v[i].out);
      check_cobs (in->data, in->len, out->data, out->len);
    }
}

static void
test_cobs_long_blocks (void)
{
  guint8 in[255], want[257];
  /* 254 non-zero bytes: one full block */
  for (int i = 0; i < 254; i++)
    in[i] = (guint8) (i + 1);
  want[0] = 0xFF;
  memcpy (want + 1, in, 254);
  check_cobs (in, 254, want, 255);
  /* 255 non-zero bytes: a full block, then a block of one */
  for (int i = 0; i < 255; i++)
    in[i] = (guint8) (i + 1);
  want[0] = 0xFF;
  memcpy (want + 1, in, 254);
  want[255] = 0x02;
  want[256] = 0xFF;
  check_cobs (in, 255, want, 257);
  /* 254 non-zero then a zero */
  for (int i = 0; i < 254; i++)
    in[i] = (guint8) (i + 1);
  in[254] = 0;
  guint8 enc[300], dec[300];
  gsize n = nb_cobs_encode (in, 255, enc);
  g_assert_cmpint (nb_cobs_decode (enc, n, dec, sizeof dec), ==, 255);
  g_assert_cmpmem (dec, 255, in, 255);
}

static void
test_cobs_invalid (void)
{
  guint8 out[16];
  static const guint8 zero_inside[] = { 0x03, 0x11, 0x00 };
  static const guint8 past_end[] = { 0x05, 0x11, 0x22 };
  static const guint8 zero_code[] = { 0x00 };
  g_assert_cmpint (nb_cobs_decode (zero_inside, 3, out, sizeof out), ==, -1);
  g_assert_cmpint (nb_cobs_decode (past_end, 3, out, sizeof out), ==, -1);
  g_assert_cmpint (nb_cobs_decode (zero_code, 1, out, sizeof out), ==, -1);
  /* does not fit */
  static const guint8 big[] = { 0x05, 1, 2, 3, 4 };
  g_assert_cmpint (nb_cobs_decode (big, 5, out, 2), ==, -1);
}

static void
test_frame_vectors (void)
{
  guint8 wire[NB_FRAME_MAX_WIRE];
  /* PING, seq 1, empty: packet 01 09 01 00 00 00 | crc 0xCF327712 */
  gsize n = nb_frame_encode (NB_MSG_PING, 1, NULL, 0, wire);
  g_autoptr (GByteArray) ping = hex ("04010901010105127732cf00");
  g_assert_cmpmem (wire, n, ping->data, ping->len);
  /* SET_DEPTH 1000 µm, seq 0x1234 */
  guint8 p[4];
  nb_put_u32 (p, 1000);
  n = nb_frame_encode (NB_MSG_SET_DEPTH, 0x1234, p, 4, wire);
  g_autoptr (GByteArray) depth = hex ("06010234120403e8030105366e645900");
  g_assert_cmpmem (wire, n, depth->data, depth->len);
  /* too large */
  guint8 big[NB_FRAME_MAX_PAYLOAD + 1] = { 0 };
  g_assert_cmpuint (nb_frame_encode (NB_MSG_TELEMETRY, 0, big, sizeof big, wire), ==, 0);
}

typedef struct
{
  GArray *types;
  GArray *seqs;
} Collected;

static void
collect (const NbFrame *f, gpointer data)
{
  Collected *c = data;
  g_array_append_val (c->types, f->type);
  g_array_append_val (c->seqs, f->seq);
}

static void
test_decoder_resync (void)
{
  Collected c = { g_array_new (FALSE, FALSE, 1), g_array_new (FALSE, FALSE, 2) };
  NbFrameDecoder dec;
  nb_frame_decoder_init (&dec, collect, &c);
  guint8 wire[NB_FRAME_MAX_WIRE];
  static const guint8 garbage[] = { 0x13, 0x37, 0xFF, 0x42 };

  /* garbage, delimiter, frame, frame with a corrupted byte, garbage glued to a frame (both lost:
   * only a delimiter resynchronises), frame; pushed byte by byte */
  GByteArray *stream = g_byte_array_new ();
  g_byte_array_append (stream, garbage, sizeof garbage);
  g_byte_array_append (stream, (const guint8 *) "\0", 1);
  gsize n = nb_frame_encode (NB_MSG_ACK, 7, NULL, 0, wire);
  g_byte_array_append (stream, wire, (guint) n);
  n = nb_frame_encode (NB_MSG_ACK, 8, NULL, 0, wire);
  wire[3] ^= 0x40; /* one bit: the CRC catches it */
  g_byte_array_append (stream, wire, (guint) n);
  g_byte_array_append (stream, garbage, sizeof garbage);
  n = nb_frame_encode (NB_MSG_ACK, 9, NULL, 0, wire);
  g_byte_array_append (stream, wire, (guint) n);
  n = nb_frame_encode (NB_MSG_ACK, 10, NULL, 0, wire);
  g_byte_array_append (stream, wire, (guint) n);
  for (guint i = 0; i < stream->len; i++)
    nb_frame_decoder_push (&dec, stream->data + i, 1);

  g_assert_cmpuint (c.seqs->len, ==, 2);
  g_assert_cmpuint (g_array_index (c.seqs, guint16, 0), ==, 7);
  g_assert_cmpuint (g_array_index (c.seqs, guint16, 1), ==, 10);
  g_assert_cmpuint (dec.stats.frames, ==, 2);
  g_assert_cmpuint (dec.stats.crc_errors, ==, 1);
  /* the leading garbage, and the garbage glued to frame 9 */
  g_assert_cmpuint (dec.stats.framing_errors, ==, 2);

  /* an endless run without delimiter is dropped, and the decoder recovers */
  guint8 junk[3000];
  memset (junk, 0x55, sizeof junk);
  nb_frame_decoder_push (&dec, junk, sizeof junk);
  nb_frame_decoder_push (&dec, (const guint8 *) "\0", 1);
  n = nb_frame_encode (NB_MSG_ACK, 11, NULL, 0, wire);
  nb_frame_decoder_push (&dec, wire, n);
  g_assert_cmpuint (dec.stats.framing_errors, ==, 3);
  g_assert_cmpuint (c.seqs->len, ==, 3);
  g_assert_cmpuint (g_array_index (c.seqs, guint16, 2), ==, 11);

  g_byte_array_unref (stream);
  g_array_unref (c.types);
  g_array_unref (c.seqs);
}

static void
test_identity (void)
{
  NbIdentity id = {
    .protocol_version = 1,
    .capabilities = 0xF0000003u,
    .depth_min_um = 0,
    .depth_max_um = 3000,
    .depth_step_um = 50,
    .rate_min_mhz = 50000,
    .rate_max_mhz = 150000,
    .sample_rate_hz = 20000,
  };
  g_strlcpy (id.model, "NB-Pen 3", sizeof id.model);
  g_strlcpy (id.serial, "NB-0042", sizeof id.serial);
  g_strlcpy (id.firmware, "1.4.2", sizeof id.firmware);
  guint8 buf[NB_FRAME_MAX_PAYLOAD];
  gsize n = nb_identity_encode (&id, buf);
  g_assert_cmpuint (n, ==, 30 + 9 + 8 + 6);

  NbIdentity back;
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_identity_decode (buf, n, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (back.serial, ==, "NB-0042");
  g_assert_cmpuint (back.capabilities, ==, 0xF0000003u); /* unknown bits kept, ignored by users */

  /* trailing bytes are reserved: accepted */
  g_assert_true (nb_identity_decode (buf, n + 3, &back, NULL));
  /* truncated */
  g_assert_false (nb_identity_decode (buf, n - 1, &back, &error));
  g_assert_error (error, NB_PROTOCOL_ERROR, NB_PROTOCOL_ERROR_MALFORMED);
  g_clear_error (&error);
  /* a control character in the serial: untrusted */
  buf[30 + 9 + 1 + 2] = '\n';
  g_assert_false (nb_identity_decode (buf, n, &back, &error));
  g_assert_error (error, NB_PROTOCOL_ERROR, NB_PROTOCOL_ERROR_UNTRUSTED);
  g_clear_error (&error);
  /* invalid UTF-8 */
  buf[30 + 9 + 1 + 2] = 0xC3;
  g_assert_false (nb_identity_decode (buf, n, &back, &error));
  g_assert_error (error, NB_PROTOCOL_ERROR, NB_PROTOCOL_ERROR_UNTRUSTED);
  g_clear_error (&error);
  /* a string longer than allowed */
  n = nb_identity_encode (&id, buf);
  buf[30] = 200;
  g_assert_false (nb_identity_decode (buf, n, &back, &error));
  g_assert_error (error, NB_PROTOCOL_ERROR, NB_PROTOCOL_ERROR_MALFORMED);
}

static void
test_cal_table (void)
{
  NbCalTable t;
  nb_cal_table_init_factory (&t);
  t.rate_correction_ppm = -12000;
  t.calibrated_at = 1764000000;
  g_strlcpy (t.certificate, "NB-C-2026-0001", sizeof t.certificate);
  t.n_points = 3;
  t.points[0] = (NbCalPoint){ 250, -40 };
  t.points[1] = (NbCalPoint){ 1000, -55 };
  t.points[2] = (NbCalPoint){ 2000, -70 };
  guint8 buf[NB_FRAME_MAX_PAYLOAD];
  gsize n = nb_cal_table_encode (&t, buf);
  g_assert_cmpuint (n, ==, 32 + 24 + 4);

  NbCalTable back;
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_cal_table_decode (buf, n, &back, &error));
  g_assert_true (nb_cal_table_equal (&t, &back));
  g_assert_cmpstr (back.certificate, ==, "NB-C-2026-0001");
  g_assert_cmphex (nb_cal_table_crc (&t), ==, nb_get_u32 (buf + n - 4));

  /* interpolation: constant beyond the ends, linear between points */
  g_assert_cmpfloat_with_epsilon (nb_cal_table_correction_um (&t, 0), -40, 1e-9);
  g_assert_cmpfloat_with_epsilon (nb_cal_table_correction_um (&t, 625), -47.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (nb_cal_table_correction_um (&t, 1500), -62.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (nb_cal_table_correction_um (&t, 3000), -70, 1e-9);

  /* a flipped bit: CRC */
  buf[40] ^= 1;
  g_assert_false (nb_cal_table_decode (buf, n, &back, &error));
  g_assert_error (error, NB_PROTOCOL_ERROR, NB_PROTOCOL_ERROR_MALFORMED);
  g_clear_error (&error);
  /* points out of order, with a valid CRC */
  t.points[1].depth_um = 100;
  n = nb_cal_table_encode (&t, buf);
  g_assert_false (nb_cal_table_decode (buf, n, &back, &error));
  g_assert_nonnull (strstr (error->message, "order"));
  g_clear_error (&error);
  /* a correction beyond the limit */
  t.points[1].depth_um = 1000;
  t.points[1].correction_um = 501;
  n = nb_cal_table_encode (&t, buf);
  g_assert_false (nb_cal_table_decode (buf, n, &back, &error));
  g_clear_error (&error);
  /* too many points */
  t.n_points = NB_CAL_MAX_POINTS + 1;
  g_assert_cmpuint (nb_cal_table_encode (&t, buf), ==, 0);
}

static void
test_cal_table_naks (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cal_write_cases); i++)
    {
      const CalWriteCase *c = &cal_write_cases[i];
      guint8 buf[NB_FRAME_MAX_PAYLOAD];
      gsize n = cal_write_case (i, buf);
      NbCalTable t;
      guint8 code = 0xEE;
      guint16 detail = 0xEEEE;
      g_autoptr (GError) error = NULL;
      gboolean ok = nb_cal_table_check (buf, n, &t, &code, &detail, &error);
      if (g_test_verbose ())
        g_printerr ("%s: %s -> %u/%u\n", c->what, ok ? "ok" : error->message, code, detail);
      g_assert_cmpint (ok, ==, c->code == 0);
      g_assert_cmpuint (code, ==, c->code);
      g_assert_cmpuint (detail, ==, c->detail);
      if (!ok)
        g_assert_error (error, NB_PROTOCOL_ERROR, NB_PROTOCOL_ERROR_MALFORMED);
      /* decode gives the same verdict */
      g_autoptr (GError) error2 = NULL;
      g_assert_cmpint (nb_cal_table_decode (buf, n, &t, &error2), ==, ok);
    }
}

/* The interpolation of extreme (unvalidated) points must not overflow int32 arithmetic. */
static void
test_cal_table_interpolation_extremes (void)
{
  NbCalTable t;
  nb_cal_table_init_factory (&t);
  t.n_points = 2;
  t.points[0] = (NbCalPoint){ 0, G_MININT32 };
  t.points[1] = (NbCalPoint){ G_MAXUINT32, G_MAXINT32 };
  g_assert_cmpfloat_with_epsilon (nb_cal_table_correction_um (&t, G_MAXUINT32 / 2.0), -0.5, 1e-6);
  g_assert_cmpfloat (nb_cal_table_correction_um (&t, 0), ==, G_MININT32);
  g_assert_cmpfloat (nb_cal_table_correction_um (&t, 5e9), ==, G_MAXINT32);
}

static void
test_telemetry_payload (void)
{
  gint16 s[5] = { -1000, -1, 0, 1, 3000 };
  guint8 buf[NB_FRAME_MAX_PAYLOAD];
  gsize n = nb_telemetry_encode (G_GUINT64_CONSTANT (0x100000000), 1, s, 5, buf);
  g_assert_cmpuint (n, ==, 12 + 10);
  guint64 first;
  guint16 flags, count;
  const guint8 *raw;
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_telemetry_decode (buf, n, &first, &flags, &raw, &count, &error));
  g_assert_cmpuint (first, ==, G_GUINT64_CONSTANT (0x100000000));
  g_assert_cmpuint (count, ==, 5);
  for (int i = 0; i < 5; i++)
    g_assert_cmpint ((gint16) nb_get_u16 (raw + 2 * i), ==, s[i]);
  /* count claims more than the payload holds */
  g_assert_false (nb_telemetry_decode (buf, n - 2, &first, &flags, &raw, &count, &error));
  g_assert_error (error, NB_PROTOCOL_ERROR, NB_PROTOCOL_ERROR_MALFORMED);
  g_clear_error (&error);
  /* zero samples */
  nb_put_u16 (buf + 8, 0);
  g_assert_false (nb_telemetry_decode (buf, n, &first, &flags, &raw, &count, &error));
}

static void
test_small_payloads (void)
{
  guint8 buf[32];
  NbEvent ev = { .code = NB_EVENT_MOTOR_JAM, .detail = 2, .sample_index = 123456789 }, back;
  g_assert_cmpuint (nb_event_encode (&ev, buf), ==, NB_EVENT_SIZE);
  g_assert_true (nb_event_decode (buf, NB_EVENT_SIZE, &back, NULL));
  g_assert_cmpuint (back.sample_index, ==, 123456789);
  g_assert_cmpuint (back.code, ==, NB_EVENT_MOTOR_JAM);
  g_assert_false (nb_event_decode (buf, NB_EVENT_SIZE - 1, &back, NULL));

  NbStatus st = { 1000, 100000, NB_STATUS_MOTOR_RUNNING, -5000, 42 }, st2;
  nb_status_encode (&st, buf);
  g_assert_true (nb_status_decode (buf, NB_STATUS_SIZE, &st2, NULL));
  g_assert_cmpint (st2.temp_mc, ==, -5000);

  guint8 code;
  guint16 detail;
  nb_nak_encode (NB_NAK_UNKNOWN_TYPE, 0x77, buf);
  g_assert_true (nb_nak_decode (buf, NB_NAK_SIZE, &code, &detail, NULL));
  g_assert_cmpuint (code, ==, NB_NAK_UNKNOWN_TYPE);
  g_assert_cmpuint (detail, ==, 0x77);
  g_assert_cmpstr (nb_message_type_name (0x77), ==, "unknown");
  g_assert_cmpstr (nb_event_code_name (200), ==, "unknown");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/protocol/crc32", test_crc32);
  g_test_add_func ("/protocol/cobs/vectors", test_cobs_vectors);
  g_test_add_func ("/protocol/cobs/long-blocks", test_cobs_long_blocks);
  g_test_add_func ("/protocol/cobs/invalid", test_cobs_invalid);
  g_test_add_func ("/protocol/frame/vectors", test_frame_vectors);
  g_test_add_func ("/protocol/frame/decoder-resync", test_decoder_resync);
  g_test_add_func ("/protocol/identity", test_identity);
  g_test_add_func ("/protocol/cal-table", test_cal_table);
  g_test_add_func ("/protocol/cal-table/naks", test_cal_table_naks);
  g_test_add_func ("/protocol/cal-table/interpolation-extremes",
                   test_cal_table_interpolation_extremes);
  g_test_add_func ("/protocol/telemetry", test_telemetry_payload);
  g_test_add_func ("/protocol/small-payloads", test_small_payloads);
  return g_test_run ();
}
