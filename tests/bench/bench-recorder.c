/* bench-recorder.c: how fast NbRecorder writes a 20 kHz recording (raw sample batches of 100
 * from the simulated pen's physics, 1.5 mm at 150 Hz with its sensor noise, plus the strokes),
 * whether its memory stays flat over one simulated hour, how many bytes a sample costs on disk
 * and what the sample compression costs in CPU.
 * Prints figures only; asserts nothing about time.
 * Usage: bench-recorder [MINUTES]   (default 60 simulated minutes) */
#include "nb-recorder.h"
#include "nb-sample-codec.h"
#include "nb-sim-physics.h"
#include "nb-store.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SAMPLE_RATE 20000
#define BATCH 100
#define STROKE_SAMPLES 133 /* ~150 Hz */
#define GROUP 10000        /* samples a row holds at 20 kHz with the default 500 ms commits */

/* codec_cost: CPU time to encode and decode @n samples of @samples in rows of GROUP, and the
 * stored bytes per sample, measured apart from SQLite. */
static void
codec_cost (const gint16 *samples, guint64 n)
{
  guint64 stored = 0, rows = 0;
  gint64 t0 = g_get_monotonic_time ();
  GPtrArray *blobs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GArray *codecs = g_array_new (FALSE, FALSE, sizeof (NbSampleCodec));
  for (guint64 i = 0; i < n; i += GROUP, rows++)
    {
      NbSampleCodec codec;
      GBytes *b = nb_sample_encode (samples + i, (guint) MIN (GROUP, n - i), &codec);
      stored += g_bytes_get_size (b);
      g_ptr_array_add (blobs, b);
      g_array_append_val (codecs, codec);
    }
  gint64 t1 = g_get_monotonic_time ();
  gint16 *out = g_new (gint16, GROUP);
  for (guint r = 0; r < blobs->len; r++)
    {
      gsize len;
      const void *data = g_bytes_get_data (blobs->pdata[r], &len);
      guint count = (guint) MIN (GROUP, n - (guint64) r * GROUP);
      if (!nb_sample_decode (g_array_index (codecs, NbSampleCodec, r), data, len, out, count, NULL)
          || memcmp (out, samples + (guint64) r * GROUP, count * sizeof (gint16)) != 0)
        g_error ("row %u does not round-trip", r);
    }
  gint64 t2 = g_get_monotonic_time ();
  double enc_us = (double) (t1 - t0), dec_us = (double) (t2 - t1);
  double seconds = (double) n / SAMPLE_RATE;
  printf ("sample codec: %.3f bytes/sample in rows of %d (raw: 2), encode %.1f us per row "
          "= %.2f %% of one core at 20 kHz, decode %.1f ns/sample\n",
          (double) stored / n, GROUP, enc_us / rows, 100.0 * enc_us / 1e6 / seconds,
          dec_us * 1000.0 / n);
  g_free (out);
  g_array_unref (codecs);
  g_ptr_array_unref (blobs);
}
#define BACKLOG_LIMIT (8 * 1024 * 1024)

/* VmHWM (peak) and VmRSS (current) from /proc/self/status, in KiB. */
static void
read_rss (long *hwm_kb, long *rss_kb)
{
  g_autofree char *status = NULL;
  *hwm_kb = *rss_kb = -1;
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return;
  const char *p = strstr (status, "VmHWM:");
  if (p != NULL)
    *hwm_kb = strtol (p + 6, NULL, 10);
  p = strstr (status, "VmRSS:");
  if (p != NULL)
    *rss_kb = strtol (p + 6, NULL, 10);
}

/* raw_bytes: pages of the raw sample table and its index (dbstat), the on-disk cost of the
 * raw samples alone; -1 if SQLite was built without dbstat. */
static long long
raw_bytes (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  long long bytes = -1;
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (db,
                             "SELECT sum(pgsize) FROM dbstat"
                             " WHERE name IN ('batches', 'batches_session')",
                             -1, &stmt, NULL)
             == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    bytes = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return bytes;
}

static void
remove_db (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-recording" };
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *p = g_strconcat (path, suffixes[i], NULL);
      g_unlink (p);
    }
}

int
main (int argc, char **argv)
{
  int minutes = argc > 1 ? atoi (argv[1]) : 60;
  if (minutes <= 0)
    minutes = 60;
  GError *error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("nb-bench-recorder-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *path = g_build_filename (dir, "bench.db", NULL);

  NbRecorderParams p = {
    .store_path = path,
    .session = { .pen_serial = "BENCH-1",
                 .operator_name = "bench",
                 .name = "one hour",
                 .sample_rate_hz = SAMPLE_RATE,
                 .depth_mm = 1.5,
                 .rate_hz = 150 },
  };
  /* the simulated pen's tip positions (default unit: 2 µm RMS sensor noise) */
  const guint64 total = (guint64) minutes * 60 * SAMPLE_RATE;
  NbSimParams sp;
  nb_sim_params_init_defaults (&sp);
  NbSimPhysics ph;
  nb_sim_physics_init (&ph, &sp, 3.0);
  ph.sample_rate_hz = SAMPLE_RATE;
  ph.cmd_depth_mm = 1.5;
  ph.cmd_rate_hz = 150;
  nb_sim_physics_start (&ph);
  /* one minute of signal, repeated: generating an hour would dominate the timing */
  const guint64 period = MIN (total, (guint64) 60 * SAMPLE_RATE);
  gint16 *signal = g_new (gint16, period);
  nb_sim_physics_generate (&ph, signal, (guint) period);
  nb_sim_physics_clear (&ph);
  nb_sim_params_clear (&sp);
  codec_cost (signal, period);

  long hwm0, rss0;
  read_rss (&hwm0, &rss0);
  gint64 t0 = g_get_monotonic_time ();
  NbRecorder *rec = nb_recorder_new (&p, &error);
  g_assert_no_error (error);

  gint16 samples[BATCH];
  guint64 stroke = 0, throttled = 0;
  printf ("recording %d simulated minutes (%" G_GUINT64_FORMAT " samples at %d Hz, batches of "
          "%d, a stroke every %d samples)\n",
          minutes, total, SAMPLE_RATE, BATCH, STROKE_SAMPLES);
  printf ("start: VmHWM %ld KiB, VmRSS %ld KiB\n", hwm0, rss0);
  for (guint64 index = 0; index < total; index += BATCH)
    {
      memcpy (samples, signal + index % period, sizeof samples);
      if (!nb_recorder_add_batch (rec, index, samples, BATCH, &error))
        g_error ("%s", error->message);
      while (stroke * STROKE_SAMPLES < index + BATCH)
        {
          NbStoreStroke s = { .index = stroke,
                              .peak_sample = stroke * STROKE_SAMPLES,
                              .time_s = (double) (stroke * STROKE_SAMPLES) / SAMPLE_RATE,
                              .depth_mm = 1.5,
                              .period_s = (double) STROKE_SAMPLES / SAMPLE_RATE,
                              .entry_speed_mm_s = 480.0 };
          if (!nb_recorder_add_stroke (rec, &s, &error))
            g_error ("%s", error->message);
          stroke++;
        }
      /* faster than real time: don't let the queue grow without bound (a real pen can't) */
      while (nb_recorder_get_backlog (rec) > BACKLOG_LIMIT)
        {
          throttled++;
          g_usleep (200);
        }
      guint64 done = index + BATCH;
      if (done % ((guint64) 10 * 60 * SAMPLE_RATE) == 0)
        {
          long hwm, rss;
          read_rss (&hwm, &rss);
          double elapsed = (g_get_monotonic_time () - t0) / 1e6;
          printf ("after %3" G_GUINT64_FORMAT " min simulated (%.1f s): VmHWM %ld KiB, VmRSS %ld "
                  "KiB, backlog %" G_GSIZE_FORMAT " B\n",
                  done / (60 * SAMPLE_RATE), elapsed, hwm, rss, nb_recorder_get_backlog (rec));
          fflush (stdout);
        }
    }
  if (!nb_recorder_finish (rec, NB_SESSION_COMPLETE, NULL, &error))
    g_error ("%s", error->message);
  double elapsed = (g_get_monotonic_time () - t0) / 1e6;
  NbRecorderStats st;
  nb_recorder_get_stats (rec, &st);
  nb_recorder_free (rec);

  long hwm, rss;
  read_rss (&hwm, &rss);
  GStatBuf sb;
  long long db_bytes = g_stat (path, &sb) == 0 ? (long long) sb.st_size : -1;
  printf ("written: %" G_GUINT64_FORMAT " samples in %" G_GUINT64_FORMAT
          " batches, %" G_GUINT64_FORMAT " strokes, %" G_GUINT64_FORMAT " commits, in %.2f s\n",
          st.samples, st.batches, st.strokes, st.commits, elapsed);
  printf ("throughput: %.0f samples/s = %.1f x real time (20 kHz); %.0f strokes/s\n",
          st.samples / elapsed, st.samples / elapsed / SAMPLE_RATE, st.strokes / elapsed);
  printf ("producer throttled %" G_GUINT64_FORMAT " times (backlog > %d MiB)\n", throttled,
          BACKLOG_LIMIT / (1024 * 1024));
  long long raw = raw_bytes (path);
  printf ("raw samples: %.3f bytes/sample on disk (batches table and index pages)\n",
          (double) raw / st.samples);
  printf ("database: %.1f MiB = %.3f bytes/sample (incl. strokes, events, indexes)\n",
          db_bytes / 1048576.0, (double) db_bytes / st.samples);
  printf ("end: VmHWM %ld KiB, VmRSS %ld KiB\n", hwm, rss);

  g_free (signal);
  remove_db (path);
  g_rmdir (dir);
  return 0;
}
