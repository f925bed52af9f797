/* nb-verdict-card.h: pass/fail at a glance on the Live page. Owns the verdict model
 * (nb-live-verdict.h): each stroke is classified as it comes (the depth chart colours it by the
 * class returned), and the card shows, with an icon and words as well as colour, the mean depth
 * against the setting ± tolerance, the share of strokes in the band ("87 % of 412 strokes in
 * 0.100–0.400 mm") and the rate against its tolerance. Every depth through nb-units. */
#pragma once

#include <gtk/gtk.h>

#include "nb-live-verdict.h"
#include "nb-run.h"
#include "nb-units.h"

G_BEGIN_DECLS

#define NB_TYPE_VERDICT_CARD (nb_verdict_card_get_type ())
G_DECLARE_FINAL_TYPE (NbVerdictCard, nb_verdict_card, NB, VERDICT_CARD, GtkBox)

/* nb_verdict_card_set_target: judges against @target from now on (NULL: none, the card says
 * so); the counts start afresh. */
void nb_verdict_card_set_target (NbVerdictCard *card, const NbLiveTarget *target);
/* nb_verdict_card_follow: judges against @preset (NULL: a custom target, the depth setting ±
 * NB_PROFILE_DEFAULT_TOLERANCE_MM) at @run's depth and rate settings, and tells @run, so that a
 * session recorded from now on stores it. The counts start afresh when the target changed.
 * Returns the target in force, NULL without a run. */
const NbLiveTarget *nb_verdict_card_follow (NbVerdictCard *card, NbRun *run,
                                            const NbPreset *preset);
/* nb_verdict_card_reset: starts the counts afresh (a new run of the motor). */
void nb_verdict_card_reset (NbVerdictCard *card);
/* nb_verdict_card_add_stroke: counts a stroke; its verdict (NB_LIVE_CHECK_NONE without a
 * target), for the chart's colour. The text follows at the next nb_verdict_card_show (). */
NbLiveCheck nb_verdict_card_add_stroke (NbVerdictCard *card, double depth_mm);
/* nb_verdict_card_show: the verdicts of @run's mean depth and rate as they are now (@run NULL: no
 * figures), depths in @units. */
void nb_verdict_card_show (NbVerdictCard *card, NbRun *run, NbUnits units);

/* The mean depth's and the rate's verdicts as last shown (for the readouts and tests). */
NbLiveJudgement nb_verdict_card_get_depth (NbVerdictCard *card);
NbLiveJudgement nb_verdict_card_get_rate (NbVerdictCard *card);
/* Texts as shown (tests). */
const char *nb_verdict_card_get_depth_text (NbVerdictCard *card);
const char *nb_verdict_card_get_detail_text (NbVerdictCard *card);
const char *nb_verdict_card_get_share_text (NbVerdictCard *card);
const char *nb_verdict_card_get_rate_text (NbVerdictCard *card);
/* nb_verdict_card_get_model: (transfer none) the counts (tests). */
const NbLiveVerdict *nb_verdict_card_get_model (NbVerdictCard *card);

/* nb_live_check_icon_name: the icon that goes with a verdict's colour. */
const char *nb_live_check_icon_name (NbLiveCheck check);
/* nb_live_check_set_css_class: @widget carries the class of @check (nb_live_check_css_class) and
 * no other verdict class. */
void nb_live_check_set_css_class (GtkWidget *widget, NbLiveCheck check);
/* nb_live_check_set_icon: @image shows the icon of @check; untouched when it already does (setting
 * the same icon again re-lays out and repaints the window, ten times a second at rest). */
void nb_live_check_set_icon (GtkImage *image, NbLiveCheck check);

G_END_DECLS
