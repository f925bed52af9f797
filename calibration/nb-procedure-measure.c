/* nb-procedure-measure.c: warm-up and the points of a phase: per point the setting, the settle
 * counted in the reference's samples, n strokes on the reference, the pen's own strokes paired
 * with them by stroke times (docs/protocol.md §11.4), the statistics and verdict
 * (nb_point_result_evaluate), and the rate points from the same strokes. */
#include <math.h>

#include "nb-c-locale.h"
#include "nb-procedure-private.h"

/* Two strokes are the same physical stroke when their times (each stream's own, the pairing
 * offset applied) agree within this fraction of a period. */
#define PAIR_TOLERANCE 0.25
/* Strokes seen on both streams before the pairing offset is trusted. */
#define WARM_UP_STROKES 3
/* A point gives up when the reference has streamed this many times the time its strokes need
 * (plus a few periods) without them: the pen is not making strokes. */
#define GIVE_UP_FACTOR 3.0

static double
ref_time_of_pen_index (NbProc *p, double pen_index)
{
  return pen_index / p->pen_stream.sample_rate_hz + p->offset_s;
}

/* The pen's stroke of the same index as @ref_stroke, when its time agrees; NULL otherwise
 * (lost in a gap on either stream, or not detected). Each pair found updates the offset, which
 * so follows two real devices' sample clocks drifting apart (tens of ppm, §11.4: a quarter of a
 * period after a minute) as long as strokes are paired in time order. */
static const NbStroke *
paired_pen_stroke (NbProc *p, const NbStroke *r, double period_s)
{
  GArray *a = p->pen_stream.strokes;
  guint lo = 0, hi = a->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (g_array_index (a, NbStroke, mid).index < r->index)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == a->len)
    return NULL;
  const NbStroke *s = &g_array_index (a, NbStroke, lo);
  if (s->index != r->index
      || fabs (r->time_s - (s->time_s + p->offset_s)) > PAIR_TOLERANCE * period_s)
    return NULL;
  p->offset_s = r->time_s - s->time_s;
  return s;
}

/* --- warm-up --- */

static gboolean
warm_up_done (NbProc *p, gpointer data)
{
  return p->pen_stream.strokes->len >= WARM_UP_STROKES && p->ref->strokes->len >= WARM_UP_STROKES;
}

gboolean
nb_proc_warm_up (NbProc *p, GError **error)
{
  const NbProfile *prof = p->profile;
  if (!nb_proc_streams_start (p, error)
      || !nb_proc_set (p, prof->points[0].depth_mm, prof->rates_hz[0], error)
      || !nb_proc_motor_start (p, error) || !nb_proc_wait (p, warm_up_done, NULL, error))
    return FALSE;
  p->offset_s = 0;
  if (p->ref == &p->pen_stream)
    return TRUE;
  /* Both streams began before the motor, so both number the motor's strokes alike (§11.4): the
   * first strokes give the offset between the two streams' clocks, and the next must agree. */
  const NbStroke *r0 = &g_array_index (p->ref->strokes, NbStroke, 0);
  const NbStroke *p0 = &g_array_index (p->pen_stream.strokes, NbStroke, 0);
  double period = 1.0 / prof->rates_hz[0];
  if (r0->index != p0->index)
    {
      g_set_error (error, NB_PROCEDURE_ERROR, NB_PROCEDURE_ERROR_MEASUREMENT,
                   "the pen's and the fixture's strokes do not pair: their first strokes are "
                   "number %" G_GUINT64_FORMAT " and %" G_GUINT64_FORMAT,
                   p0->index, r0->index);
      return FALSE;
    }
  p->offset_s = r0->time_s - p0->time_s;
  for (guint i = 1; i < WARM_UP_STROKES; i++)
    if (paired_pen_stroke (p, &g_array_index (p->ref->strokes, NbStroke, i), period) == NULL)
      {
        g_set_error (error, NB_PROCEDURE_ERROR, NB_PROCEDURE_ERROR_MEASUREMENT,
                     "the pen's and the fixture's strokes do not pair: stroke %u's times "
                     "disagree by more than %.0f %% of a period",
                     i, 100 * PAIR_TOLERANCE);
        return FALSE;
      }
  return TRUE;
}

/* --- one point --- */

typedef struct
{
  guint n;
  double rate_hz;
  double change_s;     /* reference time from which the setting is in force */
  double settle_end_s; /* change + settle, a whole number of reference samples */
  double give_up_s;
  GArray *picked; /* (element-type guint) indices into the reference's strokes */
  GError *error;
} PointWait;

static double
stroke_period (const NbStroke *s, double rate_hz)
{
  return s->period_s > 0 ? s->period_s : 1.0 / rate_hz;
}

static gboolean
point_done (NbProc *p, gpointer data)
{
  PointWait *w = data;
  GArray *strokes = p->ref->strokes;
  double ref_now = p->ref->next_index / p->ref->sample_rate_hz;
  for (; p->ref_scan_from < strokes->len && w->picked->len < w->n; p->ref_scan_from++)
    {
      const NbStroke *s = &g_array_index (strokes, NbStroke, p->ref_scan_from);
      /* Settled, and the stroke and the one before it began under the new setting (its period
       * spans both: a rate reading must not straddle the change). */
      if (s->time_s < w->settle_end_s
          || s->time_s - 2 * stroke_period (s, w->rate_hz) < w->change_s)
        continue;
      g_array_append_val (w->picked, p->ref_scan_from);
      if (p->callbacks && p->callbacks->stroke)
        p->callbacks->stroke (s, p->user_data);
    }
  if (w->picked->len < w->n)
    {
      if (ref_now > w->give_up_s)
        {
          /* stored with the run: the same figures in every locale */
          g_autofree char *message = nb_c_strdup_printf (
              "only %u of %u strokes at %.3f mm, %.1f Hz in %.1f s of the "
              "reference's samples",
              w->picked->len, w->n, p->set_depth_mm, w->rate_hz, w->give_up_s - w->change_s);
          w->error
              = g_error_new_literal (NB_PROCEDURE_ERROR, NB_PROCEDURE_ERROR_MEASUREMENT, message);
          return TRUE;
        }
      return FALSE;
    }
  if (p->ref == &p->pen_stream)
    return TRUE;
  /* The pen's detector reports a stroke a few samples after its peak: wait until its stream is
   * half a period past the last stroke picked, so that every pairable stroke has arrived. */
  guint last = g_array_index (w->picked, guint, w->picked->len - 1);
  double last_s = g_array_index (strokes, NbStroke, last).time_s;
  double pen_now = ref_time_of_pen_index (p, (double) p->pen_stream.next_index);
  return pen_now > last_s + 0.5 / w->rate_hz;
}

static double
mean_finite (GArray *values)
{
  double sum = 0;
  guint n = 0;
  for (guint i = 0; i < values->len; i++)
    {
      double v = g_array_index (values, double, i);
      if (isfinite (v))
        {
          sum += v;
          n++;
        }
    }
  return n ? sum / n : NAN;
}

/* Rate readings of every stroke measured at one rate, reference and pen side by side. */
typedef struct
{
  GArray *ref_hz;
  GArray *pen_hz;
} RateReadings;

static NbRunPoint *
measure_point (NbProc *p, NbRunPhase phase, guint index, guint total, double depth_mm,
               double rate_hz, RateReadings *rate, GError **error)
{
  const NbProfile *prof = p->profile;
  if (p->callbacks && p->callbacks->point_started)
    p->callbacks->point_started (phase, index, total, depth_mm, rate_hz, p->user_data);
  /* a no-op when the previous point already set it (its settle has begun) */
  if (!nb_proc_set (p, depth_mm, rate_hz, error))
    return NULL;

  double fs = p->ref->sample_rate_hz;
  PointWait w = { .n = prof->strokes_per_point, .rate_hz = rate_hz };
  w.change_s = ref_time_of_pen_index (p, (double) p->change_index);
  w.settle_end_s = ceil ((w.change_s + prof->settle_s) * fs) / fs;
  w.give_up_s = w.settle_end_s + GIVE_UP_FACTOR * (w.n + 4) / rate_hz;
  w.picked = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean ok = nb_proc_wait (p, point_done, &w, error);
  if (ok && w.error)
    {
      g_propagate_error (error, g_steal_pointer (&w.error));
      ok = FALSE;
    }
  if (!ok)
    {
      g_array_unref (w.picked);
      return NULL;
    }
  g_debug (
      "%.3f mm, %.1f Hz: set at %.4f s, settled at %.4f s, strokes %.4f to %.4f s "
      "(reference time); the reference at %.4f s, the pen at %.4f s",
      depth_mm, rate_hz, w.change_s, w.settle_end_s,
      g_array_index (p->ref->strokes, NbStroke, g_array_index (w.picked, guint, 0)).time_s,
      g_array_index (p->ref->strokes, NbStroke, g_array_index (w.picked, guint, w.picked->len - 1))
          .time_s,
      p->ref->next_index / fs, ref_time_of_pen_index (p, (double) p->pen_stream.next_index));

  g_autoptr (NbRunPoint) point = nb_run_point_new ();
  point->target = depth_mm;
  point->depth_mm = depth_mm;
  point->rate_hz = rate_hz;
  gboolean self_check = p->ref == &p->pen_stream;
  for (guint i = 0; i < w.picked->len; i++)
    {
      const NbStroke *r
          = &g_array_index (p->ref->strokes, NbStroke, g_array_index (w.picked, guint, i));
      double period = stroke_period (r, rate_hz);
      g_array_append_val (point->reference, r->depth_mm);
      double ref_hz = r->period_s > 0 ? 1.0 / r->period_s : NAN;
      double pen_hz = NAN;
      if (!self_check)
        {
          const NbStroke *s = paired_pen_stroke (p, r, period);
          double pen_mm = s ? s->depth_mm : NAN;
          g_array_append_val (point->pen, pen_mm);
          if (s && s->period_s > 0)
            pen_hz = 1.0 / s->period_s;
        }
      if (isfinite (ref_hz))
        {
          g_array_append_val (rate->ref_hz, ref_hz);
          g_array_append_val (rate->pen_hz, pen_hz);
        }
    }
  g_array_unref (w.picked);
  point->pen_mean = self_check ? NAN : mean_finite (point->pen);

  return g_steal_pointer (&point);
}

/* The statistics, uncertainty and verdict of a depth point's readings. */
static gboolean
evaluate_point (NbProc *p, NbRunPoint *point, double tolerance_mm, NbUncertaintyBudget *type_b,
                GError **error)
{
  NbTolerance tol = nb_tolerance_symmetric (point->depth_mm, tolerance_mm);
  if (!nb_point_result_evaluate ((const double *) point->reference->data, point->reference->len,
                                 point->depth_mm, FALSE, type_b, &tol, p->rule, &point->result,
                                 error))
    {
      g_prefix_error (error, "evaluating %.3f mm at %.1f Hz: ", point->depth_mm, point->rate_hz);
      return FALSE;
    }
  return TRUE;
}

static NbRunPoint *
rate_point (NbProc *p, double rate_hz, RateReadings *rate, GError **error)
{
  g_autoptr (NbRunPoint) point = nb_run_point_new ();
  point->target = rate_hz;
  point->depth_mm = NAN;
  point->rate_hz = rate_hz;
  g_array_append_vals (point->reference, rate->ref_hz->data, rate->ref_hz->len);
  if (p->ref != &p->pen_stream)
    g_array_append_vals (point->pen, rate->pen_hz->data, rate->pen_hz->len);
  point->pen_mean = p->ref != &p->pen_stream ? mean_finite (point->pen) : NAN;
  NbTolerance tol = nb_tolerance_percent (rate_hz, p->profile->rate_tolerance_pct);
  /* Type A only: the reference's sample clock is good to tens of ppm (§11.4), nothing against a
   * tolerance in per cent; its resolution in time is below a sample (the peak is interpolated). */
  if (!nb_point_result_evaluate ((const double *) point->reference->data, point->reference->len,
                                 rate_hz, TRUE, NULL, &tol, p->rule, &point->result, error))
    {
      g_prefix_error (error, "evaluating the rate %.1f Hz: ", rate_hz);
      return NULL;
    }
  return g_steal_pointer (&point);
}

static NbUncertaintyBudget *
depth_type_b (NbProc *p, GError **error)
{
  g_autoptr (NbUncertaintyBudget) b = nb_uncertainty_budget_new ();
  if (p->fixture == NULL)
    {
      /* A self-check's reference is the pen's own telemetry, in whole µm. */
      if (!nb_uncertainty_budget_add_resolution (b, "pen sensor resolution", p->resolution_mm,
                                                 error))
        return NULL;
      return g_steal_pointer (&b);
    }
  if (!nb_uncertainty_budget_add_resolution (b, "fixture resolution", p->resolution_mm, error)
      || !nb_uncertainty_budget_add_certificate (
          b, "fixture certificate", p->standard->uncertainty_mm, p->standard->k, error))
    return NULL;
  return g_steal_pointer (&b);
}

static void
notify_done (NbProc *p, NbRunPhase phase, guint index, guint total, const NbRunPoint *point)
{
  if (p->callbacks && p->callbacks->point_done)
    p->callbacks->point_done (phase, index, total, point, p->user_data);
}

gboolean
nb_proc_measure_phase (NbProc *p, NbRunPhase phase, NbRunPhaseResult *result, GError **error)
{
  const NbProfile *prof = p->profile;
  g_autoptr (NbUncertaintyBudget) type_b = depth_type_b (p, error);
  if (type_b == NULL)
    return FALSE;
  result->verdict = NB_VERDICT_PASS;
  RateReadings *rates = g_new0 (RateReadings, prof->n_rates);
  for (guint j = 0; j < prof->n_rates; j++)
    {
      rates[j].ref_hz = g_array_new (FALSE, FALSE, sizeof (double));
      rates[j].pen_hz = g_array_new (FALSE, FALSE, sizeof (double));
    }
  guint total = prof->n_points * prof->n_rates;
  gboolean ok = TRUE;
  for (guint index = 0; ok && index < total; index++)
    {
      guint i = index / prof->n_rates, j = index % prof->n_rates;
      NbRunPoint *point = measure_point (p, phase, index, total, prof->points[i].depth_mm,
                                         prof->rates_hz[j], &rates[j], error);
      ok = point != NULL;
      if (!ok)
        break;
      /* The next point settles while this one is evaluated and stored: the store's writes are
       * not the pen's time. Should setting it fail, this point's strokes still count. */
      g_autoptr (GError) next_error = NULL;
      gboolean next_ok = TRUE;
      if (index + 1 < total)
        next_ok = nb_proc_set (p, prof->points[(index + 1) / prof->n_rates].depth_mm,
                               prof->rates_hz[(index + 1) % prof->n_rates], &next_error);
      if (!evaluate_point (p, point, prof->points[i].tolerance_mm, type_b, error))
        {
          nb_run_point_free (point);
          ok = FALSE;
          break;
        }
      g_ptr_array_add (result->depth, point);
      result->verdict = nb_verdict_worst (result->verdict, point->result.verdict);
      ok = nb_proc_record_point (p, phase, NB_RUN_QUANTITY_DEPTH, result->depth->len - 1, point,
                                 error);
      notify_done (p, phase, index, total, point);
      if (ok && !next_ok)
        {
          g_propagate_error (error, g_steal_pointer (&next_error));
          ok = FALSE;
        }
      /* a rate's last depth point completes its rate point */
      if (ok && i == prof->n_points - 1)
        {
          NbRunPoint *rp = rate_point (p, prof->rates_hz[j], &rates[j], error);
          ok = rp != NULL;
          if (!ok)
            break;
          g_ptr_array_add (result->rate, rp);
          result->verdict = nb_verdict_worst (result->verdict, rp->result.verdict);
          ok = nb_proc_record_point (p, phase, NB_RUN_QUANTITY_RATE, result->rate->len - 1, rp,
                                     error);
          notify_done (p, phase, j, prof->n_rates, rp);
        }
    }
  for (guint j = 0; j < prof->n_rates; j++)
    {
      g_array_unref (rates[j].ref_hz);
      g_array_unref (rates[j].pen_hz);
    }
  g_free (rates);
  return ok;
}
