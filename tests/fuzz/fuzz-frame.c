/* fuzz-frame.c: everything that parses bytes from a pen or a host: the streaming frame decoder,
 * every payload decoder, and the simulated pen's firmware.
 *
 * Built with clang and -Dfuzzing=true this is a libFuzzer target. Otherwise its main () replays
 * the corpus files given on the command line and then a fixed-seed mutation run of valid frames,
 * so the suite exercises the same code on every `make test`. */
#include <stdio.h>
#include <string.h>

#include "nb-frame.h"
#include "nb-messages.h"
#include "nb-sim-pen.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

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
  if (!nb_cal_table_decode (f->payload, f->length, &t, &error))
    g_clear_error (&error);
  else
    (void) nb_cal_table_correction_um (&t, 1234.0);
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

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static NbSimPen *pen;
  NbFrameDecoder dec;

  if (pen == NULL)
    {
      NbSimParams p;
      nb_sim_params_init_defaults (&p);
      pen = nb_sim_pen_new (&p);
      nb_sim_params_clear (&p);
    }
  nb_frame_decoder_init (&dec, on_frame, NULL);
  nb_frame_decoder_push (&dec, data, size);
  nb_frame_decoder_push (&dec, (const guint8 *) "\0", 1);

  /* the firmware side: requests from a hostile host */
  nb_sim_pen_receive (pen, data, size);
  gsize n;
  nb_sim_pen_peek_output (pen, &n);
  nb_sim_pen_consume_output (pen, n);
  return 0;
}

#ifndef NB_LIBFUZZER
static void
add_frame (GPtrArray *seeds, guint8 type, const guint8 *payload, gsize len)
{
  guint8 wire[NB_FRAME_MAX_WIRE];
  gsize n = nb_frame_encode (type, 7, payload, len, wire);
  g_ptr_array_add (seeds, g_bytes_new (wire, n));
}

static GPtrArray *
make_seeds (void)
{
  GPtrArray *seeds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint8 p[NB_FRAME_MAX_PAYLOAD];
  NbIdentity id = { 1, 0xF, 0, 3000, 50, 50000, 150000, 20000, "M", "S", "F" };
  add_frame (seeds, NB_MSG_IDENTITY, p, nb_identity_encode (&id, p));
  NbCalTable t;
  nb_cal_table_init_factory (&t);
  t.n_points = 2;
  t.points[0] = (NbCalPoint){ 500, -10 };
  t.points[1] = (NbCalPoint){ 1500, 20 };
  gsize tn = nb_cal_table_encode (&t, p);
  add_frame (seeds, NB_MSG_CAL_TABLE, p, tn);
  add_frame (seeds, NB_MSG_CAL_WRITE, p, tn);
  gint16 s[100];
  for (int i = 0; i < 100; i++)
    s[i] = (gint16) (i * 37 - 1000);
  add_frame (seeds, NB_MSG_TELEMETRY, p, nb_telemetry_encode (1000, 1, s, 100, p));
  NbEvent ev = { NB_EVENT_RESET, 0, 5 };
  add_frame (seeds, NB_MSG_EVENT, p, nb_event_encode (&ev, p));
  nb_put_u32 (p, 1000);
  add_frame (seeds, NB_MSG_SET_DEPTH, p, 4);
  add_frame (seeds, NB_MSG_IDENTIFY, NULL, 0);
  add_frame (seeds, NB_MSG_CAL_COMMIT, p, 4);
  return seeds;
}

int
main (int argc, char **argv)
{
  guint64 runs = 0;

  for (int i = 1; i < argc; i++)
    {
      g_autofree char *data = NULL;
      gsize len = 0;
      g_autoptr (GError) error = NULL;
      if (!g_file_get_contents (argv[i], &data, &len, &error))
        {
          fprintf (stderr, "fuzz-frame: %s\n", error->message);
          return 1;
        }
      LLVMFuzzerTestOneInput ((const guint8 *) data, len);
      runs++;
    }

  /* Mutation run with a fixed seed: reproducible in CI. */
  g_autoptr (GPtrArray) seeds = make_seeds ();
  GRand *rand = g_rand_new_with_seed (20261125);
  guint8 buf[4 * NB_FRAME_MAX_WIRE];
  for (guint iter = 0; iter < 20000; iter++)
    {
      GBytes *seed = g_ptr_array_index (seeds, g_rand_int_range (rand, 0, (gint) seeds->len));
      gsize n = 0;
      const guint8 *d = g_bytes_get_data (seed, &n);
      memcpy (buf, d, n);
      guint mutations = (guint) g_rand_int_range (rand, 1, 8);
      for (guint m = 0; m < mutations; m++)
        {
          switch (g_rand_int_range (rand, 0, 4))
            {
            case 0:
              buf[g_rand_int_range (rand, 0, (gint) n)]
                  ^= (guint8) (1u << g_rand_int_range (rand, 0, 8));
              break;
            case 1:
              buf[g_rand_int_range (rand, 0, (gint) n)] = (guint8) g_rand_int_range (rand, 0, 256);
              break;
            case 2:
              if (n > 1)
                n = (gsize) g_rand_int_range (rand, 1, (gint) n);
              break;
            case 3:
              if (n + 64 < sizeof buf)
                for (int k = 0; k < 64; k++)
                  buf[n++] = (guint8) g_rand_int_range (rand, 0, 256);
              break;
            }
        }
      LLVMFuzzerTestOneInput (buf, n);
      runs++;
    }
  g_rand_free (rand);
  printf ("fuzz-frame: %" G_GUINT64_FORMAT " inputs, no crash\n", runs);
  return 0;
}
#endif
