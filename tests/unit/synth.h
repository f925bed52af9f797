/* synth.h: the simulated pen's tip waveform, for tests and the benchmark. Per stroke of period T
 * and phase φ ∈ [0, 1): for φ < 0.7 the tip rises and falls as a cosine lobe from -R to the set
 * depth and back, then dwells retracted at -R for the rest of the period. R = 1.0 mm. */
#pragma once

#include <glib.h>
#include <math.h>

#define SYNTH_R_UM 1000.0
#define SYNTH_LOBE 0.7

typedef struct
{
  double start;  /* stroke start, in samples (fractional) */
  double period; /* in samples */
  double peak_um;
} SynthStroke;

/* Position in µm at time @t (samples) within @s; @t in [s->start, s->start + s->period). */
static inline double
synth_pos (const SynthStroke *s, double t)
{
  double phi = (t - s->start) / s->period;
  if (phi >= SYNTH_LOBE)
    return -SYNTH_R_UM;
  return -SYNTH_R_UM
         + (s->peak_um + SYNTH_R_UM) * (1.0 - cos (2.0 * G_PI * phi / SYNTH_LOBE)) / 2.0;
}

/* Time of the peak, in samples. */
static inline double
synth_peak_time (const SynthStroke *s)
{
  return s->start + s->period * SYNTH_LOBE / 2.0;
}

/* Analytic tip speed (mm/s) where the rise crosses 0, at @rate_hz; NAN when it never does. */
static inline double
synth_entry_speed (const SynthStroke *s, double rate_hz)
{
  double a = (s->peak_um + SYNTH_R_UM) / 2.0;
  double c = 1.0 - SYNTH_R_UM / a;
  if (c < -1.0 || c > 1.0)
    return NAN;
  double w = 2.0 * G_PI / (SYNTH_LOBE * s->period); /* rad per sample */
  return a * w * sqrt (1.0 - c * c) * rate_hz / 1000.0;
}

/* Gaussian noise, Box-Muller on a seeded GRand, so runs are reproducible. */
static inline double
synth_gauss (GRand *r)
{
  double u1 = g_rand_double (r), u2 = g_rand_double (r);
  if (u1 < 1e-300)
    u1 = 1e-300;
  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

/* Fills @out[0..n) with the waveform of @strokes (consecutive, the first starting at 0) plus
 * @noise_um RMS of noise, rounded to whole µm as the sensor does. Samples past the last stroke
 * stay retracted. */
static inline void
synth_render (const SynthStroke *strokes, guint n_strokes, double noise_um, GRand *r, gint16 *out,
              guint n)
{
  guint k = 0;
  for (guint i = 0; i < n; i++)
    {
      double t = i;
      while (k < n_strokes && t >= strokes[k].start + strokes[k].period)
        k++;
      double p = k < n_strokes ? synth_pos (&strokes[k], t) : -SYNTH_R_UM;
      if (noise_um > 0)
        p += noise_um * synth_gauss (r);
      out[i] = (gint16) CLAMP (lround (p), G_MININT16, G_MAXINT16);
    }
}

/* Lays out @n strokes of @period samples (± @jitter fraction, uniformly, from @r) at @peak_um. */
static inline void
synth_strokes (SynthStroke *s, guint n, double period, double jitter, double peak_um, GRand *r)
{
  double t = 0;
  for (guint i = 0; i < n; i++)
    {
      s[i].start = t;
      s[i].period = period * (1.0 + (jitter > 0 ? g_rand_double_range (r, -jitter, jitter) : 0));
      s[i].peak_um = peak_um;
      t += s[i].period;
    }
}
