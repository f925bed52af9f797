/* nb-acquisition.h: measures a streaming pen: feeds every telemetry batch of an NbDevice to a
 * stroke detector and keeps running statistics of depth, period and entry speed. The same object
 * serves the CLI, the recorder, the GUI and calibration. */
#pragma once

#include <glib-object.h>

#include "nb-device.h"
#include "nb-stats.h"
#include "nb-stroke.h"

G_BEGIN_DECLS

#define NB_ACQUISITION_ERROR (nb_acquisition_error_quark ())
GQuark nb_acquisition_error_quark (void);

typedef enum
{
  /* The sample index went backwards, wrapped, or jumped forwards by more than a second of
   * samples: the pen's numbering cannot be trusted, so nothing after it is measured. */
  NB_ACQUISITION_ERROR_BROKEN_STREAM,
} NbAcquisitionError;

#define NB_TYPE_ACQUISITION (nb_acquisition_get_type ())
G_DECLARE_FINAL_TYPE (NbAcquisition, nb_acquisition, NB, ACQUISITION, GObject)

/* A snapshot of what has been measured since the last reset. */
typedef struct
{
  NbStats depth_mm; /* per-stroke peak depth */
  NbStats period_s; /* stroke-to-stroke period (strokes that have one) */
  NbStats entry_speed_mm_s;
  guint64 strokes;
  guint64 samples;      /* samples received */
  guint64 gaps;         /* index jumps forward (at most a second of samples each) */
  guint64 lost_samples; /* samples missing in those gaps */
  guint64 discarded;    /* strokes dropped because they straddled a gap */
  double duration_s;    /* samples / sample rate */
} NbAcquisitionSummary;

/* nb_acquisition_new: (transfer full) measures @device's telemetry from now on (holds a ref).
 * One acquisition per stream: a pen numbers samples from 0 again at each STREAM_START, which to
 * an acquisition that saw the previous stream is an index going backwards (a broken stream). */
NbAcquisition *nb_acquisition_new (NbDevice *device);

/* nb_acquisition_reset: starts statistics afresh (a new setting); the detector keeps its phase.
 * The first stroke after it counts without a period (it would span the time before the reset). */
void nb_acquisition_reset (NbAcquisition *acq);

void nb_acquisition_get_summary (NbAcquisition *acq, NbAcquisitionSummary *summary);

/* Mean puncture rate: 1 / mean period; 0 before two strokes. */
double nb_acquisition_summary_rate_hz (const NbAcquisitionSummary *summary);

/* Fraction of the samples in the measured span that never arrived (0 when nothing arrived). */
double nb_acquisition_summary_loss_fraction (const NbAcquisitionSummary *summary);

/* nb_acquisition_get_error: the NB_ACQUISITION_ERROR_BROKEN_STREAM that stopped the measurement,
 * or NULL. Once set, later batches are ignored (also after a reset): the statistics keep what was
 * measured before the break. */
const GError *nb_acquisition_get_error (NbAcquisition *acq);

NbDevice *nb_acquisition_get_device (NbAcquisition *acq);

/* Signals: "stroke" (const NbStroke *stroke), after the statistics include it;
 * "broken" (const GError *error), once, when the stream breaks (see nb_acquisition_get_error). */

G_END_DECLS
