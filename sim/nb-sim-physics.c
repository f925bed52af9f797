/* nb-sim-physics.c: sample generation of the simulated pen. */
#include "nb-sim-physics.h"

#include <math.h>

#define AMBIENT_C 25.0
#define WARM_RISE_C 20.0
#define WARM_TAU_S 120.0
#define COOL_TAU_S 300.0
#define RATE_LOSS_START_HZ 120.0
#define RATE_LOSS_TOP_HZ 150.0
#define RATE_JITTER 0.001 /* stroke-to-stroke motor speed scatter, fraction RMS */

double
nb_sim_gauss (GRand *r)
{
  /* Box-Muller; the second value is thrown away to keep the stream simple to reason about. */
  double u1 = g_rand_double (r), u2 = g_rand_double (r);
  if (u1 < 1e-300)
    u1 = 1e-300;
  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

double
nb_sim_physics_cam (double phase, double retract_mm, double peak_mm)
{
  if (phase >= NB_SIM_LOBE_FRACTION)
    return retract_mm;
  double c = cos (2.0 * G_PI * phase / NB_SIM_LOBE_FRACTION);
  return retract_mm + (peak_mm - retract_mm) * (1.0 - c) / 2.0;
}

void
nb_sim_physics_init (NbSimPhysics *ph, const NbSimParams *params, double depth_max_mm)
{
  *ph = (NbSimPhysics){ 0 };
  ph->params = params;
  ph->rand = g_rand_new_with_seed (params->seed);
  ph->sample_rate_hz = params->sample_rate_hz;
  ph->depth_max_mm = depth_max_mm;
  ph->cmd_depth_mm = 0.5;
  ph->cmd_rate_hz = 100.0;
  ph->phase = NB_SIM_LOBE_FRACTION; /* at rest in the dwell */
  ph->temp_c = AMBIENT_C;
}

void
nb_sim_physics_clear (NbSimPhysics *ph)
{
  g_clear_pointer (&ph->rand, g_rand_free);
}

double
nb_sim_physics_true_peak_mm (const NbSimPhysics *ph, double cmd_depth_mm, double rate_hz)
{
  const NbSimParams *p = ph->params;
  double x = CLAMP (cmd_depth_mm / ph->depth_max_mm, 0.0, 1.0);
  double peak = cmd_depth_mm * p->depth_gain + p->depth_offset_mm;
  peak += 4.0 * p->nonlinearity_mm * x * (1.0 - x);
  double warm = (ph->temp_c - AMBIENT_C) / WARM_RISE_C;
  peak += p->drift_mm * warm;
  if (rate_hz > RATE_LOSS_START_HZ)
    {
      double f = (rate_hz - RATE_LOSS_START_HZ) / (RATE_LOSS_TOP_HZ - RATE_LOSS_START_HZ);
      peak -= p->rate_loss_mm * f * f;
    }
  return peak;
}

static void
begin_stroke (NbSimPhysics *ph)
{
  const NbSimParams *p = ph->params;
  ph->stroke_rate_hz
      = ph->cmd_rate_hz * (1.0 + p->rate_error) * (1.0 + RATE_JITTER * nb_sim_gauss (ph->rand));
  ph->stroke_peak_mm = nb_sim_physics_true_peak_mm (ph, ph->cmd_depth_mm, ph->stroke_rate_hz)
                       + p->jitter_mm * nb_sim_gauss (ph->rand);
}

void
nb_sim_physics_start (NbSimPhysics *ph)
{
  if (ph->running)
    {
      ph->stop_requested = FALSE;
      return;
    }
  ph->running = TRUE;
  ph->stop_requested = FALSE;
  ph->run_time_s = 0;
  ph->phase = 0.0;
  begin_stroke (ph);
}

void
nb_sim_physics_stop (NbSimPhysics *ph, gboolean now)
{
  if (!ph->running)
    return;
  if (now)
    {
      ph->running = FALSE;
      ph->stop_requested = FALSE;
      ph->phase = NB_SIM_LOBE_FRACTION;
    }
  else
    ph->stop_requested = TRUE;
}

void
nb_sim_physics_generate (NbSimPhysics *ph, gint16 *out, guint n)
{
  nb_sim_physics_generate_full (ph, out, NULL, n);
}

void
nb_sim_physics_generate_full (NbSimPhysics *ph, gint16 *out, double *true_mm, guint n)
{
  const NbSimParams *p = ph->params;
  double dt = 1.0 / ph->sample_rate_hz;
  /* Per-sample exponential approach; exact enough over 50 µs steps. */
  double warm_k = dt / WARM_TAU_S, cool_k = dt / COOL_TAU_S;

  for (guint i = 0; i < n; i++)
    {
      double pos;
      if (ph->running)
        {
          pos = nb_sim_physics_cam (ph->phase, p->retract_mm, ph->stroke_peak_mm);
          ph->phase += ph->stroke_rate_hz * dt;
          ph->run_time_s += dt;
          ph->temp_c += (AMBIENT_C + WARM_RISE_C - ph->temp_c) * warm_k;
          if (ph->phase >= 1.0)
            {
              ph->phase -= 1.0;
              ph->strokes++;
              if (ph->stop_requested)
                nb_sim_physics_stop (ph, TRUE);
              else
                begin_stroke (ph);
            }
        }
      else
        {
          pos = p->retract_mm;
          ph->temp_c += (AMBIENT_C - ph->temp_c) * cool_k;
        }
      if (true_mm)
        true_mm[i] = pos;
      /* The pen's own sensor: its errors change the reading, never the needle. */
      double um
          = (p->sensor_gain * pos + p->sensor_offset_mm + p->noise_mm * nb_sim_gauss (ph->rand))
            * 1000.0;
      out[i] = (gint16) CLAMP (lround (um), G_MININT16, G_MAXINT16);
    }
}
