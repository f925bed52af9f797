/* nb-slow-pen.h: a simulated pen behind a slow link, for the GUI tests. The pen runs in-process
 * (the sim runner on a socket pair); the host reaches it through a pseudo-terminal (a `serial:`
 * URI), and a relay thread in between delays every byte the host sends by a fixed latency, as a
 * slow radio or USB hub would. The relay reads the frames it passes, so a test can tell when the
 * pen received MOTOR_STOP and when its acknowledgement went back, and it can stop passing the
 * host's bytes altogether (a pen that no longer hears the host). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _NbSlowPen NbSlowPen;

/* nb_slow_pen_new: (transfer full) starts a simulated pen with the sim keys @sim_spec
 * ("key=value,..." as after "sim:") behind a link that delays the host's bytes by @latency_ms.
 * Aborts the test on failure (no pty: the caller skips first if it cannot have one). */
NbSlowPen *nb_slow_pen_new (const char *sim_spec, guint latency_ms);
void nb_slow_pen_free (NbSlowPen *pen);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbSlowPen, nb_slow_pen_free)

/* The URI the host opens ("serial:/dev/pts/N"). */
const char *nb_slow_pen_get_uri (NbSlowPen *pen);

/* nb_slow_pen_set_deaf: from now on the host's bytes are dropped instead of delivered. */
void nb_slow_pen_set_deaf (NbSlowPen *pen, gboolean deaf);

/* Monotonic times (g_get_monotonic_time) at which the pen was handed its first MOTOR_STOP, and at
 * which the pen's ACK to a MOTOR_STOP was handed to the host; 0 while it has not happened.
 * MOTOR_START resets both. */
gint64 nb_slow_pen_get_stop_delivered_us (NbSlowPen *pen);
gint64 nb_slow_pen_get_stop_acked_us (NbSlowPen *pen);
/* TRUE after the pen acknowledged a MOTOR_START (and no MOTOR_STOP since). */
gboolean nb_slow_pen_is_motor_started (NbSlowPen *pen);

G_END_DECLS
