/* bench-recorder.c: how fast NbRecorder writes a 20 kHz recording (raw sample batches of 100
 * plus 150 Hz strokes), and whether its memory stays flat over one simulated hour.
 * Prints figures only; asserts nothing about time.
 * Usage: bench-recorder [MINUTES]   (default 60 simulated minutes) */
#include "nb-recorder.h"
#include "nb-store.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SAMPLE_RATE 20000
#define BATCH 100
#define STROKE_SAMPLES 133 /* ~150 Hz */
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
  long hwm0, rss0;
  read_rss (&hwm0, &rss0);
  gint64 t0 = g_get_monotonic_time ();
  NbRecorder *rec = nb_recorder_new (&p, &error);
  g_assert_no_error (error);

  const guint64 total = (guint64) minutes * 60 * SAMPLE_RATE;
  gint16 samples[BATCH];
  guint64 stroke = 0, throttled = 0;
  printf ("recording %d simulated minutes (%" G_GUINT64_FORMAT " samples at %d Hz, batches of "
          "%d, a stroke every %d samples)\n",
          minutes, total, SAMPLE_RATE, BATCH, STROKE_SAMPLES);
  printf ("start: VmHWM %ld KiB, VmRSS %ld KiB\n", hwm0, rss0);
  for (guint64 index = 0; index < total; index += BATCH)
    {
      for (guint i = 0; i < BATCH; i++)
        samples[i] = (gint16) (((index + i) % STROKE_SAMPLES) * 20 - 500);
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
  printf ("database: %.1f MiB (%.2f bytes/sample incl. strokes)\n", db_bytes / 1048576.0,
          (double) db_bytes / st.samples);
  printf ("end: VmHWM %ld KiB, VmRSS %ld KiB\n", hwm, rss);

  remove_db (path);
  g_rmdir (dir);
  return 0;
}
