/* nb-stroke.h: one measured stroke (puncture) and the streaming stroke detector that finds them
 * in needle tip-position samples. Used by the CLI, the GUI, the recorder and calibration alike. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 index;           /* stroke number within the stream, 0-based, gaps included */
  guint64 peak_sample;     /* sample index nearest to the peak */
  double time_s;           /* peak time from sample 0, sub-sample resolution */
  double depth_mm;         /* peak protrusion past the cartridge face (sub-sample interpolated) */
  double period_s;         /* peak-to-peak time from the previous stroke; 0 when there is none
                            * (first stroke, or first after a gap) */
  double entry_speed_mm_s; /* tip speed crossing the cartridge face inwards; NAN if it never did */
} NbStroke;

typedef void (*NbStrokeFunc) (const NbStroke *stroke, gpointer user_data);

typedef struct _NbStrokeDetector NbStrokeDetector;

/* nb_stroke_detector_new: (transfer full) a detector for samples at @sample_rate_hz.
 * @hysteresis_mm: how far the tip must move back from an extreme before it counts (0 = default,
 * 0.1 mm); larger than the noise, smaller than the smallest stroke amplitude. */
NbStrokeDetector *nb_stroke_detector_new (double sample_rate_hz, double hysteresis_mm);
void nb_stroke_detector_free (NbStrokeDetector *det);

/* nb_stroke_detector_push: feeds @n samples (tip position in µm) starting at sample @first_index.
 * Calls @func for every stroke completed. A jump in @first_index is a gap: the stroke in progress
 * is discarded (counted) and periods restart. Never allocates.
 *
 * Details of the implementation (nb-stroke.c):
 * - A stroke is reported only if its whole rise was seen: the first stroke after start is skipped
 *   when the stream starts mid-stroke (it still takes an index), and after a gap the detector
 *   waits for the tip to be back at the retracted level it had before the gap.
 * - A stroke is reported a few samples after its peak (once the tip has fallen @hysteresis_mm and
 *   the fit window after the peak is in); the batch split makes no difference to any result.
 * - @func may be NULL (counting only). A batch whose @first_index goes backwards also counts as a
 *   gap, with no lost samples.
 * - After a gap, stroke indices continue by the number of periods elapsed since the last stroke
 *   (when a period is known), so they match an uninterrupted recording; the discarded count is at
 *   most one per gap (strokes wholly inside a gap are not "discarded", they are lost). */
void nb_stroke_detector_push (NbStrokeDetector *det, guint64 first_index, const gint16 *samples_um,
                              guint n, NbStrokeFunc func, gpointer user_data);

guint64 nb_stroke_detector_get_gaps (const NbStrokeDetector *det);         /* gaps seen */
guint64 nb_stroke_detector_get_lost_samples (const NbStrokeDetector *det); /* samples missing */
guint64
nb_stroke_detector_get_discarded (const NbStrokeDetector *det);       /* strokes dropped at gaps */
guint64 nb_stroke_detector_get_samples (const NbStrokeDetector *det); /* samples seen */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbStrokeDetector, nb_stroke_detector_free)

G_END_DECLS
