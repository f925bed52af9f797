/* nb-live-verdict.h: pass/fail at a glance for the Live page, headless. From a target (the depth
 * the pen is set to, with the preset's tolerance and stroke band, and the rate with its tolerance
 * where the profile gives one) it classifies each stroke, keeps the share of strokes in the band
 * over the session and over a recent window, and judges a mean depth and a rate.
 *
 * Two questions, two references: a stroke is judged against the band (where a stroke may land for
 * the treatment: every target of the preset ± its tolerance), the mean depth against the pen's
 * setting ± the tolerance (the pen's accuracy). For a single-depth preset or a custom target they
 * are the same interval. */
#pragma once

#include <glib.h>

#include "nb-presets.h"

G_BEGIN_DECLS

typedef enum
{
  NB_LIVE_CHECK_NONE, /* nothing to judge: no target, or no figure yet */
  NB_LIVE_CHECK_IN,   /* in tolerance (a stroke: in the band) */
  NB_LIVE_CHECK_LOW,  /* below: too shallow (a rate: too slow) */
  NB_LIVE_CHECK_HIGH, /* above: too deep (a rate: too fast) */
} NbLiveCheck;

/* The strokes remembered for the recent share. */
#define NB_LIVE_VERDICT_WINDOW 100

typedef struct
{
  double target_mm;    /* the pen's depth setting */
  double tolerance_mm; /* ± for the mean depth, > 0 */
  double band_lo_mm;   /* a stroke in [band_lo, band_hi] is in the band */
  double band_hi_mm;
  double rate_hz;           /* the pen's rate setting */
  double rate_tolerance_hz; /* ± for the rate; 0: no rate tolerance (the rate is not judged) */
} NbLiveTarget;

typedef struct
{
  NbLiveCheck verdict;
  double deviation; /* the figure minus the target (mm or Hz); NAN with NB_LIVE_CHECK_NONE */
} NbLiveJudgement;

typedef struct
{
  NbLiveTarget target;
  gboolean has_target; /* FALSE: strokes are counted, none judged */
  guint64 strokes;     /* judged since the target was set */
  guint64 in_band;
  guint64 too_shallow;
  guint64 too_deep;
  guint8 window[NB_LIVE_VERDICT_WINDOW]; /* NbLiveCheck of the newest strokes, a ring */
  guint window_len;
  guint window_next;
} NbLiveVerdict;

/* nb_live_target_for_preset: the target of @preset with the pen set to @depth_mm and
 * @rate_hz: its tolerance and band, and the rate ± the profile's rate tolerance. */
void nb_live_target_for_preset (NbLiveTarget *target, const NbPreset *preset, double depth_mm,
                                double rate_hz);
/* nb_live_target_custom: a target of @depth_mm ± @tolerance_mm (band the same interval, never
 * below 0 mm) without a rate tolerance. */
void nb_live_target_custom (NbLiveTarget *target, double depth_mm, double tolerance_mm);

/* nb_live_verdict_init: no target, nothing counted. */
void nb_live_verdict_init (NbLiveVerdict *v);
/* nb_live_verdict_set_target: judges from now on against @target (NULL: none) and starts the
 * counts afresh: strokes made for another target say nothing about this one. */
void nb_live_verdict_set_target (NbLiveVerdict *v, const NbLiveTarget *target);
/* nb_live_verdict_reset: starts the counts afresh, keeping the target. */
void nb_live_verdict_reset (NbLiveVerdict *v);

/* nb_live_verdict_classify: where @depth_mm falls against the band of @v (NB_LIVE_CHECK_NONE
 * without a target or for a NaN depth). Counts nothing. */
NbLiveCheck nb_live_verdict_classify (const NbLiveVerdict *v, double depth_mm);
/* nb_live_verdict_add_stroke: classifies and counts a stroke; returns its verdict. */
NbLiveCheck nb_live_verdict_add_stroke (NbLiveVerdict *v, double depth_mm);

/* nb_live_verdict_share: the fraction of the strokes counted that were in the band, NAN when
 * none; nb_live_verdict_recent_share: the same over the newest NB_LIVE_VERDICT_WINDOW strokes
 * (@n: how many that is). */
double nb_live_verdict_share (const NbLiveVerdict *v);
double nb_live_verdict_recent_share (const NbLiveVerdict *v, guint *n);

/* nb_live_verdict_judge_depth: @mean_mm against the setting ± tolerance (NB_LIVE_CHECK_NONE without
 * a target or a mean). A mean exactly at a limit is in tolerance (to the µm). */
NbLiveJudgement nb_live_verdict_judge_depth (const NbLiveVerdict *v, double mean_mm);
/* nb_live_verdict_judge_rate: @rate_hz against the rate setting ± its tolerance (NB_LIVE_CHECK_NONE
 * without a rate tolerance or a rate). */
NbLiveJudgement nb_live_verdict_judge_rate (const NbLiveVerdict *v, double rate_hz);

/* nb_live_check_to_string: "In tolerance", "Too shallow", "Too deep", "No target" (English, for
 * logs, tests and the CLI; the app translates its own). */
const char *nb_live_check_to_string (NbLiveCheck verdict);
/* nb_live_check_css_class: "verdict-in", "verdict-low", "verdict-high", "verdict-none". */
const char *nb_live_check_css_class (NbLiveCheck verdict);
/* nb_live_judgement_dup_depth_text: (transfer full) "In tolerance: +0.045 mm", "Too deep: +0.195
 * mm", the deviation from the setting to the µm; "No target" without a verdict. */
char *nb_live_judgement_dup_depth_text (const NbLiveJudgement *j);

G_END_DECLS
