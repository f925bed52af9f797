/* test-acquisition.c: NbAcquisition's checks of the telemetry sample index, fed batches directly
 * (emitted as the device's "telemetry" signal): a gap of up to a second is lost samples; a jump
 * backwards, a wrap of the index, or a jump forwards beyond a second is a broken stream, after
 * which nothing is counted. */
#include "nb-acquisition.h"
#include "nb-sim-transport.h"

static void
push (NbDevice *dev, guint64 first, guint16 count)
{
  NbTelemetryBatch b = { .first_index = first, .count = count };
  for (guint i = 0; i < count; i++)
    b.samples[i] = -1000; /* retracted: no strokes, only counting */
  g_signal_emit_by_name (dev, "telemetry", &b);
}

static void
on_broken (NbAcquisition *acq, const GError *error, guint *calls)
{
  (*calls)++;
}

typedef struct
{
  const char *name;
  guint64 jump_to; /* first index of the third batch */
  gboolean broken;
} Case;

static void
test_index (gconstpointer data)
{
  const Case *c = data;
  g_autoptr (GError) error = NULL;
  /* the in-process pen at 20 kHz, not streaming: the batches come from this test only */
  g_autoptr (NbDevice) dev = nb_device_open ("sim", NULL, &error);
  g_assert_no_error (error);
  g_autoptr (NbAcquisition) acq = nb_acquisition_new (dev);
  guint calls = 0;
  g_signal_connect (acq, "broken", G_CALLBACK (on_broken), &calls);
  push (dev, 1000, 100);
  push (dev, 1100, 100);
  push (dev, c->jump_to, 100);
  push (dev, c->jump_to + 100, 100);

  NbAcquisitionSummary s;
  nb_acquisition_get_summary (acq, &s);
  if (c->broken)
    {
      g_assert_cmpuint (calls, ==, 1);
      g_assert_error (nb_acquisition_get_error (acq), NB_ACQUISITION_ERROR,
                      NB_ACQUISITION_ERROR_BROKEN_STREAM);
      /* what came before the break, nothing after it */
      g_assert_cmpuint (s.samples, ==, 200);
      g_assert_cmpuint (s.lost_samples, ==, 0);
      g_assert_cmpuint (s.gaps, ==, 0);
      g_assert_cmpfloat (s.duration_s, ==, 200 / 20000.0);
    }
  else
    {
      g_assert_cmpuint (calls, ==, 0);
      g_assert_null (nb_acquisition_get_error (acq));
      g_assert_cmpuint (s.samples, ==, 400);
      g_assert_cmpuint (s.lost_samples, ==, c->jump_to - 1200);
      g_assert_cmpuint (s.gaps, ==, c->jump_to > 1200 ? 1 : 0);
      g_assert_cmpfloat (s.duration_s, ==, (400 + c->jump_to - 1200) / 20000.0);
    }
  g_assert_cmpfloat (nb_acquisition_summary_loss_fraction (&s), ==,
                     (double) s.lost_samples / (double) (s.samples + s.lost_samples));
  nb_device_close (dev);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  nb_sim_transport_register ();
  static const Case cases[] = {
    { "contiguous", 1200, FALSE },
    { "gap-of-a-second", 1200 + 20000, FALSE },
    { "jump-beyond-a-second", 1200 + 20001, TRUE },
    { "backwards", 1100, TRUE },
    { "to-2^64-5000", G_MAXUINT64 - 4999, TRUE },
    { "wraps", G_MAXUINT64 - 50, TRUE },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/acquisition/index/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], test_index);
    }
  return g_test_run ();
}
