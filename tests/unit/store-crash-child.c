/* store-crash-child.c: records a simulated pen in real time until killed, for test-store-crash.
 * Prints "session <id>" once, then "commit <strokes> <last_stroke_index> <samples>" after every
 * commit of the writer thread, so the parent knows what must survive a kill -9.
 * Usage: store-crash-child DB_PATH */
#include "nb-recorder.h"

#include <stdio.h>

static void
on_commit (const NbRecorderStats *stats, gpointer user_data)
{
  printf ("commit %" G_GUINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GUINT64_FORMAT "\n",
          stats->strokes, stats->last_stroke_index, stats->samples);
  fflush (stdout);
}

int
main (int argc, char **argv)
{
  GError *error = NULL;
  if (argc != 2)
    {
      fprintf (stderr, "usage: %s DB_PATH\n", argv[0]);
      return 2;
    }
  NbRecorderParams p = {
    .store_path = argv[1],
    .session = { .pen_serial = "CRASH-1",
                 .operator_name = "crash",
                 .sample_rate_hz = 20000,
                 .depth_mm = 1.0,
                 .rate_hz = 150 },
    .commit_interval_ms = 200,
    .commit_func = on_commit,
  };
  NbRecorder *rec = nb_recorder_new (&p, &error);
  if (rec == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  printf ("session %" G_GINT64_FORMAT "\n", nb_recorder_get_session_id (rec));
  fflush (stdout);

  gint16 samples[100];
  guint64 index = 0, stroke = 0;
  gint64 start = g_get_monotonic_time ();
  for (;;)
    {
      for (guint i = 0; i < 100; i++)
        samples[i] = (gint16) ((index + i) % 133);
      if (!nb_recorder_add_batch (rec, index, samples, 100, &error))
        break;
      index += 100;
      while (stroke * 133 < index)
        {
          NbStoreStroke s = { .index = stroke,
                              .peak_sample = stroke * 133,
                              .time_s = stroke * 133 / 20000.0,
                              .depth_mm = 1.0,
                              .period_s = 133 / 20000.0,
                              .entry_speed_mm_s = 400 };
          if (!nb_recorder_add_stroke (rec, &s, &error))
            break;
          stroke++;
        }
      /* real time: 100 samples every 5 ms */
      gint64 due = start + (gint64) index * 50; /* 50 us per sample */
      gint64 now = g_get_monotonic_time ();
      if (due > now)
        g_usleep (due - now);
    }
  fprintf (stderr, "recording failed: %s\n", error ? error->message : "?");
  return 1;
}
