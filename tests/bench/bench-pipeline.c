/* bench-pipeline.c: throughput of the host telemetry path on one core: wire frames → frame
 * decoder → telemetry decode → stroke detection → display decimation, on 10 minutes of synthetic
 * 20 kHz pen data (100 Hz, noise, per-stroke jitter), then each stage alone (decode, detection,
 * display). Then the same samples go to
 * find_peaks.py (scipy) for a detection-time and per-stroke depth comparison. Prints figures and
 * asserts nothing about time: machines differ.
 *
 * usage: bench-pipeline [find_peaks.py] */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nb-decimator.h"
#include "nb-frame.h"
#include "nb-messages.h"
#include "nb-stroke.h"
#include "synth.h"

#define RATE 20000.0
#define MINUTES 10
#define BATCH 100
#define RATE_HZ 100.0
#define DEPTH_UM 1000.0
#define RING_SAMPLES 200000 /* 10 s on screen */
#define COLUMNS 2000

typedef struct
{
  NbStrokeDetector *det;
  NbDecimator *dec;
  GArray *strokes;
  gint16 buf[NB_TELEMETRY_MAX_SAMPLES];
  guint64 samples;
  guint64 next_frame_at; /* draw one envelope per second of stream */
  NbMinMax cols[COLUMNS];
  guint64 frames_drawn;
  guint64 bad;
} Pipeline;

static void
stroke_cb (const NbStroke *s, gpointer user_data)
{
  Pipeline *p = user_data;
  g_array_append_val (p->strokes, *s);
}

static void
frame_cb (const NbFrame *f, gpointer user_data)
{
  Pipeline *p = user_data;
  guint64 first;
  guint16 flags, count;
  const guint8 *raw;
  if (f->type != NB_MSG_TELEMETRY
      || !nb_telemetry_decode (f->payload, f->length, &first, &flags, &raw, &count, NULL))
    {
      p->bad++;
      return;
    }
  for (guint i = 0; i < count; i++)
    p->buf[i] = (gint16) nb_get_u16 (raw + 2 * i);
  nb_stroke_detector_push (p->det, first, p->buf, count, stroke_cb, p);
  nb_decimator_push (p->dec, first, p->buf, count);
  p->samples += count;
  if (first + count >= p->next_frame_at)
    {
      guint64 end = first + count;
      nb_decimator_envelope (p->dec, end > RING_SAMPLES ? end - RING_SAMPLES : 0, end, p->cols,
                             COLUMNS);
      p->frames_drawn++;
      p->next_frame_at += (guint64) RATE;
    }
}

/* The decode stage alone: what the device's reader does with each frame before detection. */
typedef struct
{
  gint16 buf[NB_TELEMETRY_MAX_SAMPLES];
  guint64 samples;
  guint64 bad;
} DecodeOnly;

static void
decode_only_cb (const NbFrame *f, gpointer user_data)
{
  DecodeOnly *d = user_data;
  guint64 first;
  guint16 flags, count;
  const guint8 *raw;
  if (f->type != NB_MSG_TELEMETRY
      || !nb_telemetry_decode (f->payload, f->length, &first, &flags, &raw, &count, NULL))
    {
      d->bad++;
      return;
    }
  for (guint i = 0; i < count; i++)
    d->buf[i] = (gint16) nb_get_u16 (raw + 2 * i);
  d->samples += count;
}

/* A python3 that has numpy and scipy, or NULL. $NB_PYTHON first, then the usual names: a
 * version manager's python3 on PATH often lacks the Debian packages that /usr/bin/python3 has. */
static char *
find_python (void)
{
  const char *cands[] = { g_getenv ("NB_PYTHON"), "python3", "/usr/bin/python3" };
  for (guint i = 0; i < G_N_ELEMENTS (cands); i++)
    {
      if (!cands[i] || !*cands[i])
        continue;
      char *argv[] = { (char *) cands[i], "-c", "import numpy, scipy.signal", NULL };
      int status = -1;
      if (g_spawn_sync (NULL, argv, NULL,
                        G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                            | G_SPAWN_STDERR_TO_DEV_NULL,
                        NULL, NULL, NULL, NULL, &status, NULL)
          && g_spawn_check_wait_status (status, NULL))
        return g_strdup (cands[i]);
    }
  return NULL;
}

static void
compare_with_python (const char *script, const gint16 *x, guint n, GArray *ours,
                     double ours_detect_s)
{
  char *py = find_python ();
  if (!py)
    {
      printf ("\n"
              "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
              "!! NOTE: no python3 with numpy and scipy (Debian: python3-numpy python3-scipy); !!\n"
              "!! the scipy.signal.find_peaks comparison was NOT run.                        !!\n"
              "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n");
      return;
    }
  g_autoptr (GError) error = NULL;
  char *in_path = NULL, *out_path = NULL;
  int fd = g_file_open_tmp ("nb-bench-XXXXXX.i16", &in_path, &error);
  g_assert_no_error (error);
  close (fd);
  fd = g_file_open_tmp ("nb-bench-XXXXXX.txt", &out_path, &error);
  g_assert_no_error (error);
  close (fd);
  /* Little-endian int16, as on the wire. */
  guint8 *le = g_malloc ((gsize) n * 2);
  for (guint i = 0; i < n; i++)
    nb_put_u16 (le + 2 * i, (guint16) x[i]);
  g_file_set_contents (in_path, (const char *) le, (gssize) n * 2, &error);
  g_assert_no_error (error);
  g_free (le);

  char rate[32];
  g_snprintf (rate, sizeof rate, "%g", RATE);
  char *argv[] = { py, (char *) script, in_path, rate, out_path, NULL };
  char *out = NULL, *err = NULL;
  int status = -1;
  gboolean ok = g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                              &status, &error)
                && g_spawn_check_wait_status (status, &error);
  if (!ok)
    {
      printf ("!! find_peaks.py failed: %s\n%s\n", error->message, err ? err : "");
      goto done;
    }
  double py_s = 0;
  const char *d = strstr (out, "detect_s ");
  if (d)
    py_s = g_ascii_strtod (d + 9, NULL);
  char *txt = NULL;
  g_file_get_contents (out_path, &txt, NULL, &error);
  g_assert_no_error (error);

  /* Pair the two lists by peak time (both sorted), then compare depths. */
  char **lines = g_strsplit (txt, "\n", -1);
  guint n_py = 0, matched = 0, j = 0;
  double worst = 0, worst_t = 0, sum = 0;
  for (char **l = lines; *l; l++)
    {
      if (!**l)
        continue;
      char *end;
      double t = g_ascii_strtod (*l, &end);
      double depth = g_ascii_strtod (end, NULL);
      n_py++;
      while (j < ours->len && g_array_index (ours, NbStroke, j).time_s < t - 0.25 / RATE_HZ)
        j++;
      if (j < ours->len && fabs (g_array_index (ours, NbStroke, j).time_s - t) < 0.25 / RATE_HZ)
        {
          double diff = g_array_index (ours, NbStroke, j).depth_mm * 1000.0 - depth;
          matched++;
          j++; /* one to one */
          sum += diff;
          if (fabs (diff) > worst)
            {
              worst = fabs (diff);
              worst_t = t;
            }
        }
    }
  g_strfreev (lines);
  g_free (txt);

  printf ("\nscipy comparison (%s):\n", py);
  printf ("  python find_peaks + parabola refine: %8.3f s  (%.1f M samples/s)  %u peaks\n", py_s,
          n / py_s / 1e6, n_py);
  printf ("  ours, detection only:                %8.3f s  (%.1f M samples/s)  %u strokes\n",
          ours_detect_s, n / ours_detect_s / 1e6, ours->len);
  printf ("  ratio python/ours: %.1f×\n", py_s / ours_detect_s);
  printf ("  strokes matched by peak time: %u; depth disagreement: largest %.3f µm (at %.3f s), "
          "mean %+.4f µm\n",
          matched, worst, worst_t, matched ? sum / matched : 0.0);
done:
  if (!g_getenv ("NB_BENCH_KEEP"))
    g_unlink (in_path);
  else
    printf ("kept %s %s\n", in_path, out_path);
  if (!g_getenv ("NB_BENCH_KEEP"))
    g_unlink (out_path);
  g_free (in_path);
  g_free (out_path);
  g_free (out);
  g_free (err);
  g_free (py);
}

int
main (int argc, char **argv)
{
  guint n = (guint) (MINUTES * 60 * RATE);
  guint n_strokes = (guint) (MINUTES * 60 * RATE_HZ) + 10;
  GRand *r = g_rand_new_with_seed (1);

  printf ("synthesising %u samples (%d min at %.0f kHz, %.0f Hz, %.1f mm, 2 µm noise, ±3 %% "
          "period and ±20 µm depth jitter)...\n",
          n, MINUTES, RATE / 1000, RATE_HZ, DEPTH_UM / 1000);
  SynthStroke *st = g_new (SynthStroke, n_strokes);
  synth_strokes (st, n_strokes, RATE / RATE_HZ, 0.03, DEPTH_UM, r);
  for (guint i = 0; i < n_strokes; i++)
    st[i].peak_um += g_rand_double_range (r, -20, 20);
  gint16 *x = g_new (gint16, n);
  synth_render (st, n_strokes, 2.0, r, x, n);

  /* Encode as the pen would send it. */
  GByteArray *wire = g_byte_array_sized_new ((guint) (n / BATCH) * 240);
  guint8 payload[NB_FRAME_MAX_PAYLOAD], frame[NB_FRAME_MAX_WIRE];
  guint16 seq = 0;
  for (guint i = 0; i < n; i += BATCH)
    {
      guint16 cnt = (guint16) MIN (BATCH, n - i);
      gsize len = nb_telemetry_encode (i, 1, x + i, cnt, payload);
      gsize wl = nb_frame_encode (NB_MSG_TELEMETRY, seq++, payload, len, frame);
      g_assert_cmpuint (wl, >, 0);
      g_byte_array_append (wire, frame, (guint) wl);
    }
  printf ("wire: %u frames, %.1f MB\n", n / BATCH, wire->len / 1e6);

  /* The timed run: everything from bytes to strokes and envelopes, in 4 KiB reads as from a
   * serial port. */
  Pipeline p = { 0 };
  p.det = nb_stroke_detector_new (RATE, 0);
  p.dec = nb_decimator_new (RING_SAMPLES);
  p.strokes = g_array_sized_new (FALSE, FALSE, sizeof (NbStroke), n_strokes);
  p.next_frame_at = (guint64) RATE;
  NbFrameDecoder fd;
  nb_frame_decoder_init (&fd, frame_cb, &p);
  gint64 t0 = g_get_monotonic_time ();
  for (guint off = 0; off < wire->len; off += 4096)
    nb_frame_decoder_push (&fd, wire->data + off, MIN (4096u, wire->len - off));
  gint64 t1 = g_get_monotonic_time ();
  double secs = (t1 - t0) / 1e6;
  double stream_s = n / RATE;

  g_assert_cmpuint (p.samples, ==, n);
  g_assert_cmpuint (p.bad, ==, 0);
  printf ("\npipeline (decode → strokes → decimation, one core):\n");
  printf ("  %.3f s for %.0f s of data\n", secs, stream_s);
  printf ("  %.1f MB/s wire   (goal >= 50)\n", wire->len / secs / 1e6);
  printf ("  %.1f M samples/s\n", n / secs / 1e6);
  printf ("  %.0f× real time   (goal >= 1000)\n", stream_s / secs);
  printf ("  %u strokes, %" G_GUINT64_FORMAT " gaps, %" G_GUINT64_FORMAT
          " discarded, %" G_GUINT64_FORMAT " envelopes of %d columns over 10 s drawn\n",
          p.strokes->len, nb_stroke_detector_get_gaps (p.det),
          nb_stroke_detector_get_discarded (p.det), p.frames_drawn, COLUMNS);

  /* Accuracy against the synthetic truth. */
  double worst = 0;
  for (guint i = 0; i < p.strokes->len; i++)
    {
      const NbStroke *s = &g_array_index (p.strokes, NbStroke, i);
      worst = MAX (worst, fabs (s->depth_mm * 1000.0 - st[s->index].peak_um));
    }
  printf ("  largest depth error vs synthetic truth: %.3f µm\n", worst);

  /* Stage costs, for where the time goes. Decode: COBS, CRC-32 and payload parse of every frame,
   * best of 3 (the first pass also pays for page faults). */
  double decode_s = G_MAXDOUBLE;
  for (int rep = 0; rep < 3; rep++)
    {
      DecodeOnly d = { 0 };
      NbFrameDecoder dfd;
      nb_frame_decoder_init (&dfd, decode_only_cb, &d);
      t0 = g_get_monotonic_time ();
      for (guint off = 0; off < wire->len; off += 4096)
        nb_frame_decoder_push (&dfd, wire->data + off, MIN (4096u, wire->len - off));
      t1 = g_get_monotonic_time ();
      g_assert_cmpuint (d.samples, ==, n);
      g_assert_cmpuint (d.bad, ==, 0);
      decode_s = MIN (decode_s, (t1 - t0) / 1e6);
    }
  printf ("  decode (COBS + CRC-32 + parse): %.3f s, %.0f MB/s wire (goal >= 300), "
          "%.0f M samples/s\n",
          decode_s, wire->len / decode_s / 1e6, n / decode_s / 1e6);

  NbStrokeDetector *det = nb_stroke_detector_new (RATE, 0);
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i += BATCH)
    nb_stroke_detector_push (det, i, x + i, MIN (BATCH, n - i), NULL, NULL);
  t1 = g_get_monotonic_time ();
  double detect_s = (t1 - t0) / 1e6;
  nb_stroke_detector_free (det);

  NbDecimator *dec2 = nb_decimator_new (RING_SAMPLES);
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i += BATCH)
    nb_decimator_push (dec2, i, x + i, MIN (BATCH, n - i));
  t1 = g_get_monotonic_time ();
  double push_s = (t1 - t0) / 1e6;
  NbMinMax *cols = g_new (NbMinMax, COLUMNS);
  guint reps = 200;
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < reps; i++)
    nb_decimator_envelope (dec2, n - RING_SAMPLES - i, n - i, cols, COLUMNS);
  t1 = g_get_monotonic_time ();
  double env_us = (t1 - t0) / (double) reps;
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < reps; i++)
    nb_envelope_from_ring (nb_decimator_get_ring (dec2), n - RING_SAMPLES - i, n - i, cols,
                           COLUMNS);
  t1 = g_get_monotonic_time ();
  double brute_us = (t1 - t0) / (double) reps;
  printf ("  detection: %.3f s, %.0f M samples/s\n", detect_s, n / detect_s / 1e6);
  printf ("  display: decimator push %.3f s; one 10 s envelope of %d columns %.1f µs (brute "
          "force %.1f µs)\n",
          push_s, COLUMNS, env_us, brute_us);
  g_free (cols);
  nb_decimator_free (dec2);

  if (argc > 1)
    compare_with_python (argv[1], x, n, p.strokes, detect_s);
  else
    printf ("\n!! no find_peaks.py path given: scipy comparison skipped\n");

  nb_stroke_detector_free (p.det);
  nb_decimator_free (p.dec);
  g_array_unref (p.strokes);
  g_byte_array_unref (wire);
  g_free (x);
  g_free (st);
  g_rand_free (r);
  return 0;
}
