/* nb-stroke.c: streaming stroke detector.
 *
 * A hysteresis state machine finds troughs and peaks in the tip position; each confirmed peak is
 * refined by a least-squares parabola over ±k samples around the highest sample (the tip path near
 * the top is a cosine lobe, which a parabola matches to well under 0.1 µm over that span), giving
 * sub-sample time and depth. Recent samples are kept in a fixed ring so that the refinement can
 * look back after confirmation; nothing is allocated per sample.
 *
 * Gaps: a stroke whose samples straddle a gap is never measured (it would be measured wrong).
 * After a gap (and at stream start) the detector resynchronises: it accepts a trough only if the
 * tip was seen at the retracted level (within the hysteresis of the last trough before the gap),
 * otherwise it waits for the partial stroke to pass. */
#include "nb-stroke.h"

#include <math.h>

/* Power of two; must hold the span from a stroke's zero crossing to its peak plus the fit window
 * (400 samples at 50 Hz and 20 kHz). */
#define RING_SIZE 4096
#define RING_MASK (RING_SIZE - 1)
#define K_MIN 2
#define K_MAX 16
#define K_DEFAULT 4

typedef enum
{
  STATE_SYNC,        /* after start or a gap: waiting for a trough we trust */
  STATE_SEEK_PEAK,   /* trough confirmed: tracking the running max */
  STATE_SEEK_TROUGH, /* peak confirmed: tracking the running min */
} State;

struct _NbStrokeDetector
{
  double rate;
  gint32 hyst_um;

  gint16 ring[RING_SIZE];

  /* stream position */
  gboolean started;
  guint64 expected;  /* index of the next sample if there is no gap */
  guint64 seg_start; /* first sample since start or the last gap */

  State state;
  gint32 run_max, run_min;
  guint64 max_idx, min_idx;
  guint64 trough_idx;         /* index of the confirmed trough of the current stroke */
  guint64 trough_confirm_idx; /* sample at which that trough was confirmed */
  gboolean have_last_trough;  /* last confirmed trough level, to resynchronise after a gap */
  gint32 last_trough_um;
  gboolean sync_have_first; /* SYNC: first sample after start or gap, to tell a top from a tail */
  gint32 sync_first_um;

  gboolean have_cross; /* last rising crossing of 0 µm */
  guint64 cross_idx;   /* first sample at or above 0 */

  /* confirmed peak waiting for the samples after it that the fit needs */
  gboolean pending;
  guint64 pending_max_idx;
  guint64 pending_trough_idx;
  guint64 pending_due; /* fit once this sample index has been seen */
  int pending_k;

  /* stroke bookkeeping */
  guint64 next_index;
  gboolean have_last_peak; /* for the period: cleared at gaps */
  double last_peak_t;      /* in samples */
  gboolean have_ref_peak;  /* for numbering across gaps: kept over gaps */
  double ref_peak_t;
  guint64 ref_index;
  double period_samples; /* last measured period; 0 = unknown; kept over gaps for k */
  gboolean gap_since_peak;
  gboolean gap_discard_counted;

  guint64 gaps, lost, discarded, samples;
};

NbStrokeDetector *
nb_stroke_detector_new (double sample_rate_hz, double hysteresis_mm)
{
  g_return_val_if_fail (sample_rate_hz > 0, NULL);
  NbStrokeDetector *det = g_new0 (NbStrokeDetector, 1);
  det->rate = sample_rate_hz;
  if (hysteresis_mm <= 0)
    hysteresis_mm = 0.1;
  det->hyst_um = (gint32) lround (hysteresis_mm * 1000.0);
  if (det->hyst_um < 1)
    det->hyst_um = 1;
  det->state = STATE_SYNC;
  det->run_max = G_MININT32;
  det->run_min = G_MAXINT32;
  return det;
}

void
nb_stroke_detector_free (NbStrokeDetector *det)
{
  g_free (det);
}

static inline double
ring_at (const NbStrokeDetector *det, guint64 idx)
{
  return (double) det->ring[idx & RING_MASK];
}

/* Least-squares fit y = a + b t + c t² over t = lo..hi relative to @centre. Returns FALSE when
 * the system is singular (fewer than three points). */
static gboolean
fit_parabola (const NbStrokeDetector *det, guint64 centre, guint64 lo, guint64 hi, double *a,
              double *b, double *c)
{
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, y0 = 0, y1 = 0, y2 = 0;
  if (hi < lo + 2)
    return FALSE;
  for (guint64 i = lo; i <= hi; i++)
    {
      double t = (double) i - (double) centre;
      double t2 = t * t;
      double y = ring_at (det, i);
      s0 += 1;
      s1 += t;
      s2 += t2;
      s3 += t2 * t;
      s4 += t2 * t2;
      y0 += y;
      y1 += y * t;
      y2 += y * t2;
    }
  /* Cramer's rule on the 3×3 normal equations; well conditioned for centred t and k <= 16. */
  double det3 = s0 * (s2 * s4 - s3 * s3) - s1 * (s1 * s4 - s3 * s2) + s2 * (s1 * s3 - s2 * s2);
  if (fabs (det3) < 1e-12)
    return FALSE;
  *a = (y0 * (s2 * s4 - s3 * s3) - s1 * (y1 * s4 - s3 * y2) + s2 * (y1 * s3 - s2 * y2)) / det3;
  *b = (s0 * (y1 * s4 - y2 * s3) - y0 * (s1 * s4 - s3 * s2) + s2 * (s1 * y2 - y1 * s2)) / det3;
  *c = (s0 * (s2 * y2 - s3 * y1) - s1 * (s1 * y2 - s3 * y0) + y0 * (s1 * s3 - s2 * s2)) / det3;
  return TRUE;
}

static int
fit_half_width (const NbStrokeDetector *det)
{
  if (det->period_samples <= 0)
    {
      /* No period yet (first stroke after start): the rise from the trough confirmation to the
       * top is about a third of the period for a cosine lobe, so a tenth of it is close to the
       * same width; a fixed small k would make the first period noisy on slow strokes. */
      guint64 rise = det->max_idx - det->trough_confirm_idx;
      if (det->max_idx > det->trough_confirm_idx && rise >= 10 * K_MIN)
        return CLAMP ((int) (rise / 10), K_MIN, K_MAX);
      return K_DEFAULT;
    }
  /* About a thirtieth of the period: wide enough to average noise, narrow enough that the cosine
   * lobe still looks like a parabola. */
  return CLAMP ((int) (det->period_samples / 30.0), K_MIN, K_MAX);
}

/* Oldest sample index still usable: in the ring and not before the last gap. */
static guint64
oldest_usable (const NbStrokeDetector *det, guint64 newest)
{
  guint64 ring_oldest = newest + 1 >= RING_SIZE ? newest + 1 - RING_SIZE : 0;
  return MAX (ring_oldest, det->seg_start);
}

/* Entry speed in mm/s at the rising zero crossing just before @max_idx; NAN if there is none
 * after the trough. @newest is the last sample seen. */
static double
entry_speed (const NbStrokeDetector *det, guint64 trough_idx, guint64 max_idx, guint64 newest,
             int k)
{
  if (!det->have_cross || det->cross_idx <= trough_idx || det->cross_idx > max_idx)
    return NAN;
  guint64 oldest = oldest_usable (det, newest);
  guint64 ci = det->cross_idx;
  if (ci < oldest + 1)
    return NAN;
  double y0 = ring_at (det, ci - 1), y1 = ring_at (det, ci);
  /* Crossing time by linear interpolation, relative to ci. */
  double tc = y1 > y0 ? -1.0 + (0.0 - y0) / (y1 - y0) : 0.0;
  /* Slope from a parabola through the neighbourhood, evaluated at the crossing: the edge is
   * curved, and a straight line through the nearest samples would be off by the curvature times
   * up to half a sample (about 2 % at 100 Hz). */
  guint64 lo = ci >= oldest + (guint64) k ? ci - (guint64) k : oldest;
  guint64 hi = MIN (ci + (guint64) k, newest);
  double a, b, c;
  if (!fit_parabola (det, ci, lo, hi, &a, &b, &c))
    return (y1 - y0) * det->rate / 1000.0;
  return (b + 2.0 * c * tc) * det->rate / 1000.0;
}

/* Measures the pending peak with the samples available up to @newest and reports it. */
static void
finish_peak (NbStrokeDetector *det, guint64 newest, NbStrokeFunc func, gpointer user_data)
{
  det->pending = FALSE;
  guint64 mi = det->pending_max_idx;
  int k = det->pending_k;
  guint64 oldest = oldest_usable (det, newest);
  guint64 lo = mi >= oldest + (guint64) k ? mi - (guint64) k : oldest;
  guint64 hi = MIN (mi + (guint64) k, newest);

  double t_peak = (double) mi, depth = ring_at (det, mi);
  double a, b, c;
  if (fit_parabola (det, mi, lo, hi, &a, &b, &c) && c < 0)
    {
      double dt = -b / (2.0 * c);
      /* Trust the vertex only within the window; outside it the fit is extrapolating (noise on a
       * flat top), and the highest sample is the better answer. */
      if (dt >= (double) lo - (double) mi && dt <= (double) hi - (double) mi)
        {
          t_peak = (double) mi + dt;
          depth = a + b * dt + c * dt * dt;
        }
    }

  NbStroke s;
  if (det->gap_since_peak && det->have_ref_peak && det->period_samples > 0)
    {
      /* Number strokes across the gap by the periods that fit in it, so indices stay comparable
       * with an uninterrupted recording. */
      double n = round ((t_peak - det->ref_peak_t) / det->period_samples);
      s.index = det->ref_index + (guint64) MAX (n, 1.0);
    }
  else
    {
      s.index = det->next_index;
    }
  s.peak_sample = (guint64) llround (t_peak);
  s.time_s = t_peak / det->rate;
  s.depth_mm = depth / 1000.0;
  s.period_s = 0.0;
  if (det->have_last_peak && !det->gap_since_peak)
    {
      double p = t_peak - det->last_peak_t;
      s.period_s = p / det->rate;
      det->period_samples = p;
    }
  s.entry_speed_mm_s = entry_speed (det, det->pending_trough_idx, mi, newest, k);

  det->next_index = s.index + 1;
  det->have_last_peak = TRUE;
  det->last_peak_t = t_peak;
  det->have_ref_peak = TRUE;
  det->ref_peak_t = t_peak;
  det->ref_index = s.index;
  det->gap_since_peak = FALSE;

  if (func)
    func (&s, user_data);
}

static void
handle_gap (NbStrokeDetector *det, guint64 first_index)
{
  det->gaps++;
  if (first_index > det->expected)
    det->lost += first_index - det->expected;
  det->gap_discard_counted = FALSE;
  if (det->state == STATE_SEEK_PEAK || det->pending)
    {
      /* The stroke was under way: what remains after the gap belongs to it, so it is counted
       * once, here, and skipped in SYNC. */
      det->discarded++;
      det->next_index++;
      det->gap_discard_counted = TRUE;
    }
  det->pending = FALSE;
  det->state = STATE_SYNC;
  det->sync_have_first = FALSE;
  det->run_max = G_MININT32;
  det->run_min = G_MAXINT32;
  det->have_cross = FALSE;
  det->have_last_peak = FALSE;
  det->gap_since_peak = TRUE;
  det->seg_start = first_index;
}

void
nb_stroke_detector_push (NbStrokeDetector *det, guint64 first_index, const gint16 *samples_um,
                         guint n, NbStrokeFunc func, gpointer user_data)
{
  g_return_if_fail (det != NULL);
  if (n == 0)
    return;
  if (!det->started)
    {
      det->started = TRUE;
      det->seg_start = first_index;
    }
  else if (first_index != det->expected)
    {
      handle_gap (det, first_index);
    }
  det->expected = first_index + n;
  det->samples += n;

  const gint32 hyst = det->hyst_um;
  gint16 prev = 0;
  gboolean have_prev = first_index > det->seg_start;
  if (have_prev)
    prev = det->ring[(first_index - 1) & RING_MASK];

  for (guint i = 0; i < n; i++)
    {
      guint64 idx = first_index + i;
      gint16 v = samples_um[i];
      gint32 x = v;
      det->ring[idx & RING_MASK] = v;

      if (have_prev && prev < 0 && v >= 0)
        {
          det->have_cross = TRUE;
          det->cross_idx = idx;
        }
      prev = v;
      have_prev = TRUE;

      if (G_UNLIKELY (det->pending) && idx >= det->pending_due)
        finish_peak (det, idx, func, user_data);

      switch (det->state)
        {
        case STATE_SEEK_PEAK:
          if (x > det->run_max)
            {
              det->run_max = x;
              det->max_idx = idx;
            }
          else if (x < det->run_max - hyst)
            {
              det->pending = TRUE;
              det->pending_max_idx = det->max_idx;
              det->pending_trough_idx = det->trough_idx;
              det->pending_k = fit_half_width (det);
              det->pending_due = det->max_idx + (guint64) det->pending_k;
              if (idx >= det->pending_due)
                finish_peak (det, idx, func, user_data);
              det->state = STATE_SEEK_TROUGH;
              det->run_min = x;
              det->min_idx = idx;
            }
          break;

        case STATE_SEEK_TROUGH:
          if (x < det->run_min)
            {
              det->run_min = x;
              det->min_idx = idx;
            }
          else if (x > det->run_min + hyst)
            {
              if (det->pending)
                finish_peak (det, idx, func, user_data);
              det->trough_idx = det->min_idx;
              det->trough_confirm_idx = idx;
              det->have_last_trough = TRUE;
              det->last_trough_um = det->run_min;
              det->state = STATE_SEEK_PEAK;
              det->run_max = x;
              det->max_idx = idx;
            }
          break;

        case STATE_SYNC:
        default:
          if (!det->sync_have_first)
            {
              det->sync_have_first = TRUE;
              det->sync_first_um = x;
            }
          if (x > det->run_max)
            {
              det->run_max = x;
              det->max_idx = idx;
            }
          if (x < det->run_min)
            {
              det->run_min = x;
              det->min_idx = idx;
            }
          if (x > det->run_min + hyst && det->have_last_trough
              && det->run_min <= det->last_trough_um + hyst)
            {
              /* Rising from the retracted level seen before the gap: the whole stroke is ahead. */
              det->trough_idx = det->min_idx;
              det->trough_confirm_idx = idx;
              det->last_trough_um = det->run_min;
              det->state = STATE_SEEK_PEAK;
              det->run_max = x;
              det->max_idx = idx;
            }
          else if (x < det->run_max - hyst)
            {
              /* The tip is falling. If it rose first, a partial stroke went by (its rise was not
               * seen whole): skip it; after a gap it is the discarded one unless that was counted
               * when the gap came. If it only fell, this is the tail of a stroke whose top came
               * before the start or the gap, already accounted for. */
              if (det->run_max >= det->sync_first_um + hyst / 2 && !det->gap_discard_counted)
                {
                  if (det->gap_since_peak)
                    det->discarded++;
                  det->next_index++;
                  det->gap_discard_counted = TRUE;
                }
              det->state = STATE_SEEK_TROUGH;
              det->run_min = x;
              det->min_idx = idx;
            }
          break;
        }
    }
}

guint64
nb_stroke_detector_get_gaps (const NbStrokeDetector *det)
{
  return det->gaps;
}

guint64
nb_stroke_detector_get_lost_samples (const NbStrokeDetector *det)
{
  return det->lost;
}

guint64
nb_stroke_detector_get_discarded (const NbStrokeDetector *det)
{
  return det->discarded;
}

guint64
nb_stroke_detector_get_samples (const NbStrokeDetector *det)
{
  return det->samples;
}
