/* nb-readouts.h: the Live page's row of readouts: depth (mean ± SD), puncture rate, strokes,
 * entry speed, gaps and CRC errors, each a card. Renders an NbRun's readout properties. */
#pragma once

#include <gtk/gtk.h>

#include "nb-live-verdict.h"
#include "nb-run.h"

G_BEGIN_DECLS

#define NB_TYPE_READOUTS (nb_readouts_get_type ())
G_DECLARE_FINAL_TYPE (NbReadouts, nb_readouts, NB, READOUTS, GtkBox)

/* nb_readouts_show: shows @run's readouts as they are now, the depth in µm when @micrometres
 * (else mm); "–" for what is not known yet. With the motor stopped (nb_run_is_last_run) the
 * figures are dimmed and captioned "Last run". */
void nb_readouts_show (NbReadouts *readouts, NbRun *run, gboolean micrometres);
/* The "last run" caption shown while the figures are the stopped run's, or NULL (tests). */
const char *nb_readouts_get_last_run_text (NbReadouts *readouts);
/* nb_readouts_show_verdict: colours the depth and rate readouts by their verdicts, with an icon
 * and the word under each (not colour alone); NB_LIVE_CHECK_NONE shows neither. */
void nb_readouts_show_verdict (NbReadouts *readouts, NbLiveCheck depth, NbLiveCheck rate);
/* The depth readout's verdict word as shown, "" when none (tests). */
const char *nb_readouts_get_depth_verdict_text (NbReadouts *readouts);
/* The depth readout's text (tests). */
const char *nb_readouts_get_depth_text (NbReadouts *readouts);

G_END_DECLS
