/* nb-live-verdict.c: strokes, mean depth and rate judged against a preset or a custom target. */
#include "nb-live-verdict.h"

#include <math.h>

/* Depths are compared to the µm and rates to the mHz (what the pen reports): a mean of 0.4000001
 * mm is 0.400 mm, at the limit, in tolerance. */
#define EPS_MM 5e-7
#define EPS_HZ 5e-4

void
nb_live_target_for_preset (NbLiveTarget *target, const NbPreset *preset, double depth_mm,
                           double rate_hz)
{
  g_return_if_fail (target != NULL && preset != NULL);
  *target = (NbLiveTarget){
    .target_mm = depth_mm,
    .tolerance_mm = preset->tolerance_mm,
    .band_lo_mm = preset->band_lo_mm,
    .band_hi_mm = preset->band_hi_mm,
    .rate_hz = rate_hz,
    .rate_tolerance_hz = rate_hz > 0 ? rate_hz * preset->rate_tolerance_pct / 100.0 : 0,
  };
}

void
nb_live_target_custom (NbLiveTarget *target, double depth_mm, double tolerance_mm)
{
  g_return_if_fail (target != NULL);
  *target = (NbLiveTarget){
    .target_mm = depth_mm,
    .tolerance_mm = tolerance_mm,
    .band_lo_mm = MAX (depth_mm - tolerance_mm, 0),
    .band_hi_mm = depth_mm + tolerance_mm,
    .rate_hz = NAN,
    .rate_tolerance_hz = 0,
  };
}

void
nb_live_verdict_init (NbLiveVerdict *v)
{
  *v = (NbLiveVerdict){ 0 };
}

void
nb_live_verdict_reset (NbLiveVerdict *v)
{
  v->strokes = v->in_band = v->too_shallow = v->too_deep = 0;
  v->window_len = v->window_next = 0;
}

void
nb_live_verdict_set_target (NbLiveVerdict *v, const NbLiveTarget *target)
{
  v->has_target = target != NULL;
  if (target != NULL)
    v->target = *target;
  nb_live_verdict_reset (v);
}

static NbLiveCheck
against (double value, double lo, double hi, double eps)
{
  if (isnan (value))
    return NB_LIVE_CHECK_NONE;
  if (value < lo - eps)
    return NB_LIVE_CHECK_LOW;
  if (value > hi + eps)
    return NB_LIVE_CHECK_HIGH;
  return NB_LIVE_CHECK_IN;
}

NbLiveCheck
nb_live_verdict_classify (const NbLiveVerdict *v, double depth_mm)
{
  if (!v->has_target)
    return NB_LIVE_CHECK_NONE;
  return against (depth_mm, v->target.band_lo_mm, v->target.band_hi_mm, EPS_MM);
}

NbLiveCheck
nb_live_verdict_add_stroke (NbLiveVerdict *v, double depth_mm)
{
  NbLiveCheck verdict = nb_live_verdict_classify (v, depth_mm);
  if (verdict == NB_LIVE_CHECK_NONE)
    return verdict;
  v->strokes++;
  if (verdict == NB_LIVE_CHECK_IN)
    v->in_band++;
  else if (verdict == NB_LIVE_CHECK_LOW)
    v->too_shallow++;
  else
    v->too_deep++;
  v->window[v->window_next] = (guint8) verdict;
  v->window_next = (v->window_next + 1) % NB_LIVE_VERDICT_WINDOW;
  v->window_len = MIN (v->window_len + 1, NB_LIVE_VERDICT_WINDOW);
  return verdict;
}

double
nb_live_verdict_share (const NbLiveVerdict *v)
{
  return v->strokes ? (double) v->in_band / (double) v->strokes : NAN;
}

double
nb_live_verdict_recent_share (const NbLiveVerdict *v, guint *n)
{
  guint in = 0;
  for (guint i = 0; i < v->window_len; i++)
    in += v->window[i] == NB_LIVE_CHECK_IN;
  if (n != NULL)
    *n = v->window_len;
  return v->window_len ? (double) in / v->window_len : NAN;
}

static NbLiveJudgement
judge (double value, double target, double tolerance, double eps)
{
  NbLiveJudgement j = { NB_LIVE_CHECK_NONE, NAN };
  if (isnan (value) || !(tolerance > 0))
    return j;
  j.verdict = against (value, target - tolerance, target + tolerance, eps);
  j.deviation = value - target;
  return j;
}

NbLiveJudgement
nb_live_verdict_judge_depth (const NbLiveVerdict *v, double mean_mm)
{
  if (!v->has_target)
    return (NbLiveJudgement){ NB_LIVE_CHECK_NONE, NAN };
  return judge (mean_mm, v->target.target_mm, v->target.tolerance_mm, EPS_MM);
}

NbLiveJudgement
nb_live_verdict_judge_rate (const NbLiveVerdict *v, double rate_hz)
{
  if (!v->has_target)
    return (NbLiveJudgement){ NB_LIVE_CHECK_NONE, NAN };
  return judge (rate_hz, v->target.rate_hz, v->target.rate_tolerance_hz, EPS_HZ);
}

const char *
nb_live_check_to_string (NbLiveCheck verdict)
{
  switch (verdict)
    {
    case NB_LIVE_CHECK_IN: return "In tolerance";
    case NB_LIVE_CHECK_LOW: return "Too shallow";
    case NB_LIVE_CHECK_HIGH: return "Too deep";
    case NB_LIVE_CHECK_NONE:
    default: return "No target";
    }
}

const char *
nb_live_check_css_class (NbLiveCheck verdict)
{
  switch (verdict)
    {
    case NB_LIVE_CHECK_IN: return "verdict-in";
    case NB_LIVE_CHECK_LOW: return "verdict-low";
    case NB_LIVE_CHECK_HIGH: return "verdict-high";
    case NB_LIVE_CHECK_NONE:
    default: return "verdict-none";
    }
}

char *
nb_live_judgement_dup_depth_text (const NbLiveJudgement *j)
{
  if (j->verdict == NB_LIVE_CHECK_NONE)
    return g_strdup (nb_live_check_to_string (j->verdict));
  /* the sign always shown, and no "-0.000" for a deviation under half a µm */
  double d = fabs (j->deviation) < EPS_MM ? 0 : j->deviation;
  return g_strdup_printf ("%s: %+.3f mm", nb_live_check_to_string (j->verdict), d);
}
