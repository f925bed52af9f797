/* nb-recording-bar.h: the Live page's recording indicator: shown only while an NbRun records, it
 * says so with a red dot, the time since the session opened and the strokes written to it, and
 * warns while the motor is off (no strokes are being recorded then). */
#pragma once

#include <gtk/gtk.h>

#include "nb-run.h"

G_BEGIN_DECLS

#define NB_TYPE_RECORDING_BAR (nb_recording_bar_get_type ())
G_DECLARE_FINAL_TYPE (NbRecordingBar, nb_recording_bar, NB, RECORDING_BAR, GtkBox)

/* nb_recording_bar_new: a hidden bar, with no run. */
GtkWidget *nb_recording_bar_new (void);
/* nb_recording_bar_set_run: follows @run (NULL: none, hidden). */
void nb_recording_bar_set_run (NbRecordingBar *bar, NbRun *run);
/* nb_recording_bar_get_text: what the bar says ("Recording · 0:12 · 240 strokes"), or NULL
 * while it is hidden (tests). */
const char *nb_recording_bar_get_text (NbRecordingBar *bar);
/* nb_recording_bar_get_warning: the motor-off warning shown, or NULL (tests). */
const char *nb_recording_bar_get_warning (NbRecordingBar *bar);

G_END_DECLS
