/* nb-sim-physics.h: the mechanics and the sensor of the simulated pen: a cam-driven stroke with a
 * retracted dwell, per-unit depth and rate errors, stroke jitter, sensor noise, thermal drift and
 * depth loss at high rate. Deterministic for a given seed. Plain struct, no I/O. */
#pragma once

#include <glib.h>

#include "nb-sim-params.h"

G_BEGIN_DECLS

/* Fraction of a stroke period during which the needle is out of the dwell (the cam lobe). */
#define NB_SIM_LOBE_FRACTION 0.7

typedef struct
{
  const NbSimParams *params;
  GRand *rand;
  double sample_rate_hz;
  double depth_max_mm;

  double cmd_depth_mm; /* what the firmware drives to (set depth + calibration correction) */
  double cmd_rate_hz;  /* what the firmware drives at (set rate + calibration correction) */
  gboolean running;
  gboolean stop_requested; /* stop at the end of the current stroke, as a cam motor does */

  double phase;          /* 0..1 within the current stroke */
  double stroke_peak_mm; /* this stroke's peak */
  double stroke_rate_hz; /* this stroke's actual rate */
  double temp_c;         /* motor temperature */
  double run_time_s;     /* time the motor has run since start */
  guint64 strokes;       /* strokes completed since init */
} NbSimPhysics;

/* nb_sim_physics_init: the pen at rest, cold. @params must outlive the struct. */
void nb_sim_physics_init (NbSimPhysics *ph, const NbSimParams *params, double depth_max_mm);
void nb_sim_physics_clear (NbSimPhysics *ph);

void nb_sim_physics_start (NbSimPhysics *ph);
/* Requests a stop at the end of the current stroke; @now stops at once (jam, reset). */
void nb_sim_physics_stop (NbSimPhysics *ph, gboolean now);

/* nb_sim_physics_generate: advances @n samples and writes the tip position (µm, rounded, as the
 * pen's sensor reports it) into @out. */
void nb_sim_physics_generate (NbSimPhysics *ph, gint16 *out, guint n);

/* nb_sim_physics_generate_full: nb_sim_physics_generate that also writes the true tip position
 * (mm, before the pen's sensor errors and noise: what the needle does, what a reference fixture
 * sees) into @true_mm (n values; may be NULL). The pen's sensor reports
 * sensor_gain × true + sensor_offset + noise. */
void nb_sim_physics_generate_full (NbSimPhysics *ph, gint16 *out, double *true_mm, guint n);

/* nb_sim_physics_true_peak_mm: the peak a stroke reaches for commanded depth @cmd_depth_mm at
 * rate @rate_hz, without jitter and noise: what a perfect measurement averages to. */
double nb_sim_physics_true_peak_mm (const NbSimPhysics *ph, double cmd_depth_mm, double rate_hz);

/* nb_sim_physics_cam: normalised cam profile: tip position for @phase (0..1) of a stroke between
 * @retract_mm and @peak_mm. The lobe is a raised cosine over NB_SIM_LOBE_FRACTION of the period,
 * followed by a dwell at the retracted position. */
double nb_sim_physics_cam (double phase, double retract_mm, double peak_mm);

/* nb_sim_gauss: a standard normal deviate from @r (Box-Muller, one value per call), shared by the
 * pen's and the fixture's noise so both draw the same way. */
double nb_sim_gauss (GRand *r);

G_END_DECLS
