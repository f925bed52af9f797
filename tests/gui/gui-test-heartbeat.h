/* gui-test-heartbeat.h: is the window's main loop still turning? A 10 ms timeout counts the gaps
 * between its runs while something slow (a lost pen, a held database) goes on in workers. */
#pragma once

#include <glib.h>

/* Responsive means no long stall. Blocking work on the main loop (a device try of 250 ms, the
 * database's busy wait) stalls it again and again, or for seconds; a loaded machine that does not
 * schedule the process for a while stalls it once. So: at most MAX_STALLS gaps over MAX_STALL_MS
 * and none over MAX_GAP_MS (below the 4 s database hold and the device's 1.5 s stall time). */
#define MAX_STALL_MS 250
#define MAX_STALLS 2
#define MAX_GAP_MS 1200

typedef struct
{
  guint ticks;
  guint stalls; /* gaps longer than MAX_STALL_MS */
  gint64 last, max_gap;
  guint source;
} Beat;

static inline gboolean
nb_test_beat_tick (gpointer data)
{
  Beat *b = data;
  gint64 now = g_get_monotonic_time ();
  b->max_gap = MAX (b->max_gap, now - b->last);
  if (now - b->last > MAX_STALL_MS * 1000)
    b->stalls++;
  b->last = now;
  b->ticks++;
  return G_SOURCE_CONTINUE;
}

/* nb_test_beat_start: starts counting from @since (monotonic µs). */
static inline void
nb_test_beat_start (Beat *b, gint64 since)
{
  *b = (Beat){ .last = since };
  b->source = g_timeout_add (10, nb_test_beat_tick, b);
}

static inline void
nb_test_beat_stop (Beat *b)
{
  g_clear_handle_id (&b->source, g_source_remove);
}

/* nb_test_beat_assert_responsive: no repeated and no long stall (see above). */
static inline void
nb_test_beat_assert_responsive (const Beat *b)
{
  g_assert_cmpuint (b->stalls, <=, MAX_STALLS);
  g_assert_cmpint (b->max_gap, <, MAX_GAP_MS * 1000);
}
