/* nb-acquisition.c: device telemetry → stroke detector → statistics. */
#include "nb-acquisition.h"

struct _NbAcquisition
{
  GObject parent;
  NbDevice *device;
  gulong telemetry_id;
  NbStrokeDetector *detector;
  double sample_rate_hz;
  NbAcquisitionSummary sum;
  /* detector counters at the last reset, so a reset starts them at zero */
  guint64 base_gaps, base_lost, base_discarded;
  gboolean started;
  /* The first stroke after a reset measures its period from a stroke before it (across a motor
   * stop, or under the old setting): not a period of this measurement. */
  gboolean skip_period;
  guint64 expected; /* index of the next sample if nothing is lost */
  GError *error;    /* the stream broke */
};

enum
{
  SIGNAL_STROKE,
  SIGNAL_BROKEN,
  N_SIGNALS
};

G_DEFINE_QUARK (nb - acquisition - error - quark, nb_acquisition_error)
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (NbAcquisition, nb_acquisition, G_TYPE_OBJECT)

static void
on_stroke (const NbStroke *stroke, gpointer user_data)
{
  NbAcquisition *acq = user_data;
  acq->sum.strokes++;
  nb_stats_add (&acq->sum.depth_mm, stroke->depth_mm);
  if (stroke->period_s > 0 && !acq->skip_period)
    nb_stats_add (&acq->sum.period_s, stroke->period_s);
  acq->skip_period = FALSE;
  if (stroke->entry_speed_mm_s == stroke->entry_speed_mm_s) /* not NAN */
    nb_stats_add (&acq->sum.entry_speed_mm_s, stroke->entry_speed_mm_s);
  g_signal_emit (acq, signals[SIGNAL_STROKE], 0, stroke);
}

/* A gap is samples the link lost: the numbering goes on where the pen is. A jump backwards, a
 * wrap of the 64-bit index, or a jump forwards longer than a second (a pen streams continuously;
 * the device reports a silent link long before that) means the numbering itself is wrong, and
 * counting the jump as lost samples would report absurd losses and durations. */
static gboolean
check_index (NbAcquisition *acq, const NbTelemetryBatch *batch)
{
  guint64 first = batch->first_index;
  const char *what = NULL;
  if (first > G_MAXUINT64 - batch->count)
    what = "wraps around";
  else if (acq->started && first < acq->expected)
    what = "went backwards";
  else if (acq->started && (double) (first - acq->expected) > acq->sample_rate_hz)
    what = "jumped forwards by more than a second";
  if (what == NULL)
    {
      acq->started = TRUE;
      acq->expected = first + batch->count;
      return TRUE;
    }
  acq->error
      = g_error_new (NB_ACQUISITION_ERROR, NB_ACQUISITION_ERROR_BROKEN_STREAM,
                     "%s: broken telemetry stream: the sample index %s (expected %" G_GUINT64_FORMAT
                     ", got %" G_GUINT64_FORMAT "); measuring stopped there",
                     nb_device_get_uri (acq->device), what, acq->expected, first);
  g_signal_emit (acq, signals[SIGNAL_BROKEN], 0, acq->error);
  return FALSE;
}

static void
on_telemetry (NbDevice *device, const NbTelemetryBatch *batch, NbAcquisition *acq)
{
  if (acq->error != NULL || batch->count == 0 || !check_index (acq, batch))
    return;
  acq->sum.samples += batch->count;
  nb_stroke_detector_push (acq->detector, batch->first_index, batch->samples, batch->count,
                           on_stroke, acq);
}

void
nb_acquisition_reset (NbAcquisition *acq)
{
  acq->sum = (NbAcquisitionSummary){ 0 };
  nb_stats_init (&acq->sum.depth_mm);
  nb_stats_init (&acq->sum.period_s);
  nb_stats_init (&acq->sum.entry_speed_mm_s);
  acq->base_gaps = nb_stroke_detector_get_gaps (acq->detector);
  acq->base_lost = nb_stroke_detector_get_lost_samples (acq->detector);
  acq->base_discarded = nb_stroke_detector_get_discarded (acq->detector);
  acq->skip_period = TRUE;
}

void
nb_acquisition_get_summary (NbAcquisition *acq, NbAcquisitionSummary *summary)
{
  *summary = acq->sum;
  summary->gaps = nb_stroke_detector_get_gaps (acq->detector) - acq->base_gaps;
  summary->lost_samples = nb_stroke_detector_get_lost_samples (acq->detector) - acq->base_lost;
  summary->discarded = nb_stroke_detector_get_discarded (acq->detector) - acq->base_discarded;
  summary->duration_s = (double) (summary->samples + summary->lost_samples) / acq->sample_rate_hz;
}

double
nb_acquisition_summary_rate_hz (const NbAcquisitionSummary *summary)
{
  return summary->period_s.n > 0 && summary->period_s.mean > 0 ? 1.0 / summary->period_s.mean : 0.0;
}

double
nb_acquisition_summary_loss_fraction (const NbAcquisitionSummary *summary)
{
  guint64 span = summary->samples + summary->lost_samples;
  return span > 0 ? (double) summary->lost_samples / (double) span : 0.0;
}

const GError *
nb_acquisition_get_error (NbAcquisition *acq)
{
  return acq->error;
}

NbDevice *
nb_acquisition_get_device (NbAcquisition *acq)
{
  return acq->device;
}

NbAcquisition *
nb_acquisition_new (NbDevice *device)
{
  NbAcquisition *acq = g_object_new (NB_TYPE_ACQUISITION, NULL);
  acq->device = g_object_ref (device);
  acq->sample_rate_hz = nb_device_get_identity (device)->sample_rate_hz;
  acq->detector = nb_stroke_detector_new (acq->sample_rate_hz, 0);
  acq->telemetry_id = g_signal_connect (device, "telemetry", G_CALLBACK (on_telemetry), acq);
  nb_acquisition_reset (acq);
  return acq;
}

static void
nb_acquisition_dispose (GObject *object)
{
  NbAcquisition *acq = NB_ACQUISITION (object);
  if (acq->device)
    {
      g_clear_signal_handler (&acq->telemetry_id, acq->device);
      g_clear_object (&acq->device);
    }
  G_OBJECT_CLASS (nb_acquisition_parent_class)->dispose (object);
}

static void
nb_acquisition_finalize (GObject *object)
{
  NbAcquisition *acq = NB_ACQUISITION (object);
  g_clear_pointer (&acq->detector, nb_stroke_detector_free);
  g_clear_error (&acq->error);
  G_OBJECT_CLASS (nb_acquisition_parent_class)->finalize (object);
}

static void
nb_acquisition_class_init (NbAcquisitionClass *klass)
{
  GObjectClass *oc = G_OBJECT_CLASS (klass);
  oc->dispose = nb_acquisition_dispose;
  oc->finalize = nb_acquisition_finalize;
  signals[SIGNAL_STROKE] = g_signal_new ("stroke", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_BROKEN] = g_signal_new ("broken", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
nb_acquisition_init (NbAcquisition *acq)
{
}
