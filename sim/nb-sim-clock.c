/* nb-sim-clock.c: real-time pacing of the simulated pen. */
#include "nb-sim-clock.h"

#include <math.h>

void
nb_sim_clock_init (NbSimClock *c, double sample_rate_hz, double time_scale, guint batch,
                   double max_behind_s, gint64 now_us)
{
  c->samples_per_us = sample_rate_hz * (time_scale > 0 ? time_scale : 1.0) / 1e6;
  c->batch = MAX (batch, 1u);
  c->max_behind = MAX (max_behind_s * 1e6 * c->samples_per_us, (double) c->batch);
  c->anchor_us = now_us;
  c->anchor_samples = 0;
  c->run = 0;
}

static void
hold (NbSimClock *c, gint64 now_us, double samples)
{
  c->anchor_us = now_us;
  c->anchor_samples = samples;
}

guint
nb_sim_clock_tick (NbSimClock *c, NbSimPen *pen, gint64 now_us, guint max_batches,
                   gsize max_pending)
{
  double due = c->anchor_samples + (double) (now_us - c->anchor_us) * c->samples_per_us;
  if (due > (double) c->run + c->max_behind)
    {
      hold (c, now_us, (double) c->run + c->max_behind);
      due = c->anchor_samples;
    }
  guint n = 0;
  while ((double) (c->run + c->batch) <= due && (max_batches == 0 || n < max_batches))
    {
      if (max_pending > 0)
        {
          gsize pending = 0;
          nb_sim_pen_peek_output (pen, &pending);
          if (pending > max_pending)
            {
              hold (c, now_us, (double) c->run); /* simulated time waits for the reader */
              break;
            }
        }
      nb_sim_pen_advance (pen, c->batch);
      c->run += c->batch;
      n++;
    }
  return n;
}

void
nb_sim_clock_hold (NbSimClock *c, gint64 now_us)
{
  hold (c, now_us, (double) c->run);
}

gint64
nb_sim_clock_wait_us (const NbSimClock *c, gint64 now_us)
{
  double next = (double) c->anchor_us
                + ((double) (c->run + c->batch) - c->anchor_samples) / c->samples_per_us;
  double wait = ceil (next - (double) now_us);
  return wait > 0 ? (gint64) wait : 0;
}
