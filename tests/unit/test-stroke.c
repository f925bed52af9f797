/* test-stroke.c: the stroke detector against synthetic waveforms with known peaks. */
#include <math.h>
#include <string.h>

#include "nb-stroke.h"
#include "synth.h"

#define RATE 20000.0

typedef struct
{
  GArray *strokes; /* NbStroke */
} Collect;

static void
collect_cb (const NbStroke *s, gpointer user_data)
{
  Collect *c = user_data;
  g_array_append_val (c->strokes, *s);
}

/* Runs a detector over @samples in batches of @batch (0 = all at once), starting at sample 0. */
static GArray *
detect (const gint16 *samples, guint n, guint batch, NbStrokeDetector **det_out)
{
  Collect c = { g_array_new (FALSE, FALSE, sizeof (NbStroke)) };
  NbStrokeDetector *det = nb_stroke_detector_new (RATE, 0);
  if (batch == 0)
    batch = n;
  for (guint i = 0; i < n; i += batch)
    nb_stroke_detector_push (det, i, samples + i, MIN (batch, n - i), collect_cb, &c);
  if (det_out)
    *det_out = det;
  else
    nb_stroke_detector_free (det);
  return c.strokes;
}

typedef struct
{
  double max_depth_err, max_period_err, max_speed_rel_err;
  double mean_depth_err;
  guint n;
} Errors;

/* Compares every detected stroke with the synthetic stroke of the same index. */
static Errors
compare (GArray *got, const SynthStroke *truth, guint n_truth)
{
  Errors e = { 0 };
  double sum = 0;
  for (guint i = 0; i < got->len; i++)
    {
      const NbStroke *s = &g_array_index (got, NbStroke, i);
      g_assert_cmpuint (s->index, <, n_truth);
      const SynthStroke *t = &truth[s->index];
      double t_peak = synth_peak_time (t);
      g_assert_cmpfloat (fabs (s->time_s * RATE - t_peak), <, 2.0);
      double de = s->depth_mm * 1000.0 - t->peak_um;
      sum += de;
      e.max_depth_err = MAX (e.max_depth_err, fabs (de));
      if (s->period_s > 0)
        {
          g_assert_cmpuint (s->index, >, 0);
          double tp = t_peak - synth_peak_time (&truth[s->index - 1]);
          e.max_period_err = MAX (e.max_period_err, fabs (s->period_s * RATE - tp));
        }
      double v = synth_entry_speed (t, RATE);
      if (t->peak_um > 0)
        {
          g_assert_false (isnan (s->entry_speed_mm_s));
          e.max_speed_rel_err = MAX (e.max_speed_rel_err, fabs (s->entry_speed_mm_s - v) / v);
        }
    }
  e.n = got->len;
  e.mean_depth_err = got->len ? sum / got->len : 0;
  return e;
}

static void
test_clean (void)
{
  static const double rates[] = { 50, 100, 150 };
  static const double depths[] = { 0, 250, 1000, 3000 };
  for (guint ri = 0; ri < G_N_ELEMENTS (rates); ri++)
    for (guint di = 0; di < G_N_ELEMENTS (depths); di++)
      {
        guint n_strokes = 100;
        SynthStroke *st = g_new (SynthStroke, n_strokes);
        synth_strokes (st, n_strokes, RATE / rates[ri], 0, depths[di], NULL);
        guint n = (guint) (n_strokes * RATE / rates[ri]);
        gint16 *x = g_new (gint16, n);
        synth_render (st, n_strokes, 0, NULL, x, n);
        NbStrokeDetector *det;
        GArray *got = detect (x, n, 0, &det);
        Errors e = compare (got, st, n_strokes);
        g_test_message ("%g Hz %g µm: %u strokes, depth err %.3f µm, period err %.4f samples, "
                        "entry speed err %.2f %%",
                        rates[ri], depths[di], e.n, e.max_depth_err, e.max_period_err,
                        100 * e.max_speed_rel_err);
        /* The first stroke's rise is not seen whole from sample 0 on, so it is skipped. */
        g_assert_cmpuint (e.n, ==, n_strokes - 1);
        g_assert_cmpuint (g_array_index (got, NbStroke, 0).index, ==, 1);
        g_assert_cmpfloat (g_array_index (got, NbStroke, 0).period_s, ==, 0);
        g_assert_cmpfloat (e.max_depth_err, <=, 1.0);
        g_assert_cmpfloat (e.max_period_err, <=, 1.0);
        if (depths[di] > 0)
          g_assert_cmpfloat (e.max_speed_rel_err, <=, 0.02);
        g_assert_cmpuint (nb_stroke_detector_get_samples (det), ==, n);
        g_assert_cmpuint (nb_stroke_detector_get_gaps (det), ==, 0);
        g_assert_cmpuint (nb_stroke_detector_get_discarded (det), ==, 0);
        nb_stroke_detector_free (det);
        g_array_unref (got);
        g_free (x);
        g_free (st);
      }
}

static void
test_no_entry (void)
{
  /* Set too shallow: the tip stops 0.2 mm behind the face. Strokes are still measured, but there
   * is no entry speed. */
  guint n_strokes = 20;
  SynthStroke st[20];
  synth_strokes (st, n_strokes, RATE / 100, 0, -200, NULL);
  guint n = (guint) (n_strokes * RATE / 100);
  gint16 *x = g_new (gint16, n);
  synth_render (st, n_strokes, 0, NULL, x, n);
  GArray *got = detect (x, n, 0, NULL);
  Errors e = compare (got, st, n_strokes);
  g_assert_cmpuint (e.n, ==, n_strokes - 1);
  g_assert_cmpfloat (e.max_depth_err, <=, 1.0);
  for (guint i = 0; i < got->len; i++)
    g_assert_true (isnan (g_array_index (got, NbStroke, i).entry_speed_mm_s));
  g_array_unref (got);
  g_free (x);
}

static void
test_noise (void)
{
  static const double rates[] = { 50, 100, 150 };
  static const double depths[] = { 0, 250, 1000, 3000 };
  GRand *r = g_rand_new_with_seed (20261125);
  for (guint ri = 0; ri < G_N_ELEMENTS (rates); ri++)
    for (guint di = 0; di < G_N_ELEMENTS (depths); di++)
      {
        guint n_strokes = 300;
        SynthStroke *st = g_new (SynthStroke, n_strokes);
        /* ±2 % per-stroke jitter too: periods are measured, not assumed. */
        synth_strokes (st, n_strokes, RATE / rates[ri], 0.02, depths[di], r);
        guint n = (guint) (st[n_strokes - 1].start + st[n_strokes - 1].period);
        gint16 *x = g_new (gint16, n);
        synth_render (st, n_strokes, 2.0, r, x, n);
        GArray *got = detect (x, n, 0, NULL);
        Errors e = compare (got, st, n_strokes);
        g_test_message ("noisy %g Hz %g µm: %u strokes, mean depth err %.3f µm, max %.3f µm, "
                        "period err %.4f samples",
                        rates[ri], depths[di], e.n, e.mean_depth_err, e.max_depth_err,
                        e.max_period_err);
        g_assert_cmpuint (e.n, >=, n_strokes - 2);
        g_assert_cmpfloat (fabs (e.mean_depth_err), <=, 1.0);
        g_assert_cmpfloat (e.max_depth_err, <=, 5.0);
        /* Timing noise is physical here: at 50 Hz and 0 mm the top is flat (curvature about
         * 0.13 µm/sample²), so 2 µm of noise moves each vertex by about 0.2 samples (1 σ) and the
         * worst of 300 periods reaches about 1.1 samples. Clean data is held to 1 sample above. */
        g_assert_cmpfloat (e.max_period_err, <=, 2.0);
        g_array_unref (got);
        g_free (x);
        g_free (st);
      }
  g_rand_free (r);
}

static gboolean
stroke_equal (const NbStroke *a, const NbStroke *b)
{
  return a->index == b->index && a->peak_sample == b->peak_sample && a->time_s == b->time_s
         && a->depth_mm == b->depth_mm && a->period_s == b->period_s
         && (a->entry_speed_mm_s == b->entry_speed_mm_s
             || (isnan (a->entry_speed_mm_s) && isnan (b->entry_speed_mm_s)));
}

static void
test_batches (void)
{
  GRand *r = g_rand_new_with_seed (7);
  guint n_strokes = 120;
  SynthStroke st[120];
  synth_strokes (st, n_strokes, RATE / 100, 0.05, 1000, r);
  guint n = (guint) (st[n_strokes - 1].start + st[n_strokes - 1].period);
  gint16 *x = g_new (gint16, n);
  synth_render (st, n_strokes, 2.0, r, x, n);

  GArray *whole = detect (x, n, 0, NULL);
  g_assert_cmpuint (whole->len, >=, n_strokes - 2);
  static const guint sizes[] = { 1, 2, 7, 100, 333, 4096 };
  for (guint b = 0; b < G_N_ELEMENTS (sizes); b++)
    {
      GArray *got = detect (x, n, sizes[b], NULL);
      g_assert_cmpuint (got->len, ==, whole->len);
      for (guint i = 0; i < got->len; i++)
        g_assert_true (
            stroke_equal (&g_array_index (got, NbStroke, i), &g_array_index (whole, NbStroke, i)));
      g_array_unref (got);
    }

  /* Random batch sizes, cut anywhere. */
  Collect c = { g_array_new (FALSE, FALSE, sizeof (NbStroke)) };
  NbStrokeDetector *det = nb_stroke_detector_new (RATE, 0);
  for (guint i = 0; i < n;)
    {
      /* Not inside MIN (): it evaluates its arguments twice. */
      guint len = (guint) g_rand_int_range (r, 1, 600);
      len = MIN (len, n - i);
      nb_stroke_detector_push (det, i, x + i, len, collect_cb, &c);
      i += len;
    }
  g_assert_cmpuint (c.strokes->len, ==, whole->len);
  for (guint i = 0; i < whole->len; i++)
    g_assert_true (stroke_equal (&g_array_index (c.strokes, NbStroke, i),
                                 &g_array_index (whole, NbStroke, i)));
  nb_stroke_detector_free (det);
  g_array_unref (c.strokes);
  g_array_unref (whole);
  g_free (x);
  g_rand_free (r);
}

/* Pushes @x[0..n) in batches of 100 but leaves out [gap_from, gap_to). */
static GArray *
detect_with_gap (const gint16 *x, guint n, guint gap_from, guint gap_to, NbStrokeDetector *det)
{
  Collect c = { g_array_new (FALSE, FALSE, sizeof (NbStroke)) };
  for (guint i = 0; i < n;)
    {
      if (i >= gap_from && i < gap_to)
        {
          i = gap_to;
          continue;
        }
      guint end = MIN (i + 100, n);
      if (i < gap_from && end > gap_from)
        end = gap_from;
      nb_stroke_detector_push (det, i, x + i, end - i, collect_cb, &c);
      i = end;
    }
  return c.strokes;
}

static void
check_gap (double phase_from, double phase_to, guint strokes_lost, guint expect_discarded)
{
  guint n_strokes = 60, cut = 30;
  SynthStroke st[60];
  synth_strokes (st, n_strokes, RATE / 100, 0, 1000, NULL);
  guint n = (guint) (n_strokes * RATE / 100);
  gint16 *x = g_new (gint16, n);
  synth_render (st, n_strokes, 0, NULL, x, n);
  guint gap_from = (guint) (st[cut].start + phase_from * st[cut].period);
  guint gap_to = (guint) (st[cut + strokes_lost].start + phase_to * st[cut].period);

  NbStrokeDetector *det = nb_stroke_detector_new (RATE, 0);
  GArray *got = detect_with_gap (x, n, gap_from, gap_to, det);
  g_test_message ("gap %u..%u: %u strokes, %" G_GUINT64_FORMAT " discarded", gap_from, gap_to,
                  got->len, nb_stroke_detector_get_discarded (det));
  g_assert_cmpuint (nb_stroke_detector_get_gaps (det), ==, 1);
  g_assert_cmpuint (nb_stroke_detector_get_lost_samples (det), ==, gap_to - gap_from);
  g_assert_cmpuint (nb_stroke_detector_get_samples (det), ==, n - (gap_to - gap_from));
  g_assert_cmpuint (nb_stroke_detector_get_discarded (det), ==, expect_discarded);

  Errors e = compare (got, st, n_strokes);
  g_assert_cmpfloat (e.max_depth_err, <=, 1.0);
  g_assert_cmpfloat (e.max_period_err, <=, 1.0);
  gboolean after_gap = FALSE;
  for (guint i = 0; i < got->len; i++)
    {
      const NbStroke *s = &g_array_index (got, NbStroke, i);
      double t = s->time_s * RATE;
      if (t > gap_to && !after_gap)
        {
          after_gap = TRUE;
          g_assert_cmpfloat (s->period_s, ==, 0);
        }
      else if (i > 0)
        {
          g_assert_cmpfloat (s->period_s, >, 0);
          g_assert_cmpuint (s->index, ==, g_array_index (got, NbStroke, i - 1).index + 1);
        }
    }
  g_assert_true (after_gap);
  /* Every stroke wholly outside the gap is found, the straddling ones are not. */
  guint expect = 0;
  for (guint k = 1; k < n_strokes; k++)
    {
      double s0 = st[k].start, s1 = st[k].start + st[k].period * SYNTH_LOBE;
      gboolean whole = s1 + 20 < gap_from || s0 >= gap_to;
      gboolean found = FALSE;
      for (guint i = 0; i < got->len; i++)
        found |= g_array_index (got, NbStroke, i).index == k;
      if (whole)
        g_assert_true (found);
      if (s0 < gap_to && s1 > gap_from)
        g_assert_false (found);
      expect += found;
    }
  g_assert_cmpuint (got->len, ==, expect);
  nb_stroke_detector_free (det);
  g_array_unref (got);
  g_free (x);
}

static void
test_gap_rise (void)
{
  /* Cut into stroke 30's rise: it is discarded, counted once, and 31 follows with period 0. */
  check_gap (0.1, 0.2, 0, 1);
}

static void
test_gap_peak (void)
{
  check_gap (0.3, 0.4, 0, 1);
}

static void
test_gap_dwell (void)
{
  /* A gap while retracted loses no stroke. */
  check_gap (0.75, 0.9, 0, 0);
}

static void
test_gap_long (void)
{
  /* Three and a bit strokes lost; numbering continues by the period. */
  check_gap (0.2, 0.3, 3, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stroke/clean", test_clean);
  g_test_add_func ("/stroke/no-entry", test_no_entry);
  g_test_add_func ("/stroke/noise", test_noise);
  g_test_add_func ("/stroke/batches", test_batches);
  g_test_add_func ("/stroke/gap-rise", test_gap_rise);
  g_test_add_func ("/stroke/gap-peak", test_gap_peak);
  g_test_add_func ("/stroke/gap-dwell", test_gap_dwell);
  g_test_add_func ("/stroke/gap-long", test_gap_long);
  return g_test_run ();
}
