/* nb-sim-clock.h: the real-time pacing of a simulated pen: runs its firmware a batch at a time as
 * the wall clock (× time-scale) goes by, catches up after a late wake-up without replaying more
 * than a bound, and can hold its time while the pen's reader is behind. One copy for the runner
 * (needlebench-sim and the in-process pen) and the test fakes (USB, USB-serial). */
#pragma once

#include <glib.h>

#include "nb-sim-pen.h"

G_BEGIN_DECLS

typedef struct
{
  double samples_per_us;
  guint batch;
  double max_behind; /* samples */
  gint64 anchor_us;  /* the clock's time at anchor_samples */
  double anchor_samples;
  guint64 run; /* samples the pen has run */
} NbSimClock;

/* nb_sim_clock_init: a clock starting at @now_us for a pen of @sample_rate_hz at @time_scale,
 * advancing @batch samples at a time. After a wake-up late by more than @max_behind_s of wall
 * time, the rest is skipped (a suspended or starved machine does not replay a backlog). */
void nb_sim_clock_init (NbSimClock *c, double sample_rate_hz, double time_scale, guint batch,
                        double max_behind_s, gint64 now_us);

/* nb_sim_clock_tick: advances @pen by the whole batches due at @now_us, at most @max_batches
 * (0 = every batch due). With @max_pending > 0, stops as soon as the pen holds more than that many
 * unsent bytes and holds the clock there: the time until the reader catches up is not replayed,
 * so a pen faster than real time waits for its reader instead of dropping batches. Returns the
 * number of batches run. */
guint nb_sim_clock_tick (NbSimClock *c, NbSimPen *pen, gint64 now_us, guint max_batches,
                         gsize max_pending);

/* nb_sim_clock_hold: stops the clock's time at @now_us where it is (samples already run): used
 * when another reader of the same clock (a fixture's host) is behind, so its backlog is waited
 * for, not replayed. */
void nb_sim_clock_hold (NbSimClock *c, gint64 now_us);

/* nb_sim_clock_wait_us: microseconds from @now_us until the next batch is due (0 = now). */
gint64 nb_sim_clock_wait_us (const NbSimClock *c, gint64 now_us);

G_END_DECLS
