/* test-decimator.c: the raw ring and the min/max pyramid against brute force. */
#include <string.h>

#include "nb-decimator.h"
#include "nb-ring.h"

static void
test_ring (void)
{
  g_autoptr (NbRing) ring = nb_ring_new (10);
  guint64 idx[16];
  gint16 val[16];
  g_assert_false (nb_ring_get_span (ring, NULL, NULL));
  g_assert_cmpuint (nb_ring_read (ring, 0, 100, idx, val, 16), ==, 0);

  gint16 a[] = { 1, 2, 3, 4 };
  nb_ring_push (ring, 100, a, 4);
  gint16 b[] = { 5, 6, 7, 8, 9, 10 };
  nb_ring_push (ring, 110, b, 6); /* gap 104..109 */
  g_assert_cmpuint (nb_ring_get_length (ring), ==, 10);
  guint n = nb_ring_read (ring, 102, 113, idx, val, 16);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpuint (idx[0], ==, 102);
  g_assert_cmpint (val[0], ==, 3);
  g_assert_cmpuint (idx[2], ==, 110);
  g_assert_cmpint (val[4], ==, 7);
  g_assert_cmpuint (nb_ring_find (ring, 105), ==, 4);

  /* Wrap: the three oldest go. */
  gint16 c[] = { 11, 12, 13 };
  nb_ring_push (ring, 116, c, 3);
  guint64 oldest, end;
  g_assert_true (nb_ring_get_span (ring, &oldest, &end));
  g_assert_cmpuint (oldest, ==, 103);
  g_assert_cmpuint (end, ==, 119);
  n = nb_ring_read (ring, 0, 1000, idx, val, 16);
  g_assert_cmpuint (n, ==, 10);
  static const gint16 want[] = { 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 };
  g_assert_cmpmem (val, sizeof want, want, sizeof want);
  g_assert_cmpuint (nb_ring_read (ring, 0, 1000, idx, val, 3), ==, 3);

  /* A batch larger than the ring keeps its newest samples. */
  gint16 big[25];
  for (guint i = 0; i < 25; i++)
    big[i] = (gint16) i;
  nb_ring_push (ring, 200, big, 25);
  g_assert_true (nb_ring_get_span (ring, &oldest, &end));
  g_assert_cmpuint (oldest, ==, 215);
  g_assert_cmpint (nb_ring_at (ring, 0, NULL), ==, 15);

  /* Going back in time starts over. */
  nb_ring_push (ring, 5, a, 4);
  g_assert_cmpuint (nb_ring_get_length (ring), ==, 4);
}

static void
check_equal (const NbMinMax *a, const NbMinMax *b, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      if (a[i].min != b[i].min || a[i].max != b[i].max)
        g_error ("column %u: (%d, %d) vs brute force (%d, %d)", i, a[i].min, a[i].max, b[i].min,
                 b[i].max);
    }
}

static void
test_envelope_contiguous (void)
{
  GRand *r = g_rand_new_with_seed (11);
  guint n = 300000, cap = 200000;
  gint16 *x = g_new (gint16, n);
  for (guint i = 0; i < n; i++)
    x[i] = (gint16) g_rand_int_range (r, -2000, 3000);
  g_autoptr (NbDecimator) dec = nb_decimator_new (cap);
  guint64 first = 1234567;
  for (guint i = 0; i < n;)
    {
      /* Not inside MIN (): it evaluates its arguments twice. */
      guint len = (guint) g_rand_int_range (r, 1, 500);
      len = MIN (len, n - i);
      nb_decimator_push (dec, first + i, x + i, len);
      i += len;
    }
  /* The ring holds the last @cap samples. */
  guint64 lo = first + n - cap, hi = first + n;
  NbMinMax *got = g_new (NbMinMax, 5000), *want = g_new (NbMinMax, 5000);
  for (guint t = 0; t < 300; t++)
    {
      guint64 from = lo - 5000 + (guint64) g_rand_int_range (r, 0, cap + 5000);
      guint64 to = from + (guint64) g_rand_int_range (r, 1, (gint32) (hi + 6000 - from));
      if (t == 0)
        from = lo, to = hi; /* the whole 10 s view */
      guint nc = (guint) g_rand_int_range (r, 1, 5000);
      nb_decimator_envelope (dec, from, to, got, nc);
      nb_envelope_from_samples (x + (lo - first), lo, cap, from, to, want, nc);
      check_equal (got, want, nc);
      nb_envelope_from_ring (nb_decimator_get_ring (dec), from, to, want, nc);
      check_equal (got, want, nc);
    }
  g_free (got);
  g_free (want);
  g_free (x);
  g_rand_free (r);
}

static void
test_envelope_gaps (void)
{
  GRand *r = g_rand_new_with_seed (12);
  guint cap = 50000;
  g_autoptr (NbDecimator) dec = nb_decimator_new (cap);
  guint64 next = 0;
  gint16 buf[600];
  for (guint b = 0; b < 600; b++)
    {
      guint len = (guint) g_rand_int_range (r, 1, 600);
      for (guint i = 0; i < len; i++)
        buf[i] = (gint16) g_rand_int_range (r, -30000, 30000);
      /* Every so often a batch, or a long stretch, is lost. */
      if (g_rand_int_range (r, 0, 8) == 0)
        next += (guint64) g_rand_int_range (r, 1, g_rand_boolean (r) ? 100 : 20000);
      nb_decimator_push (dec, next, buf, len);
      next += len;
    }
  guint64 oldest, end;
  g_assert_true (nb_ring_get_span (nb_decimator_get_ring (dec), &oldest, &end));
  NbMinMax *got = g_new (NbMinMax, 3000), *want = g_new (NbMinMax, 3000);
  for (guint t = 0; t < 300; t++)
    {
      guint64 from = oldest > 10000 ? oldest - 10000 : 0;
      from += (guint64) g_rand_int_range (r, 0, (gint32) (end - from));
      guint64 to = from + (guint64) g_rand_int_range (r, 1, (gint32) (end + 1000 - from));
      guint nc = (guint) g_rand_int_range (r, 1, 3000);
      nb_decimator_envelope (dec, from, to, got, nc);
      nb_envelope_from_ring (nb_decimator_get_ring (dec), from, to, want, nc);
      check_equal (got, want, nc);
    }
  /* Empty windows and columns. */
  nb_decimator_envelope (dec, end + 10, end + 100, got, 10);
  for (guint i = 0; i < 10; i++)
    g_assert_true (nb_min_max_is_empty (got[i]));
  nb_decimator_envelope (dec, oldest, oldest + 3, got, 10);
  guint filled = 0;
  for (guint i = 0; i < 10; i++)
    filled += !nb_min_max_is_empty (got[i]);
  g_assert_cmpuint (filled, <=, 3);
  g_free (got);
  g_free (want);
  g_rand_free (r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ring/basic", test_ring);
  g_test_add_func ("/decimator/contiguous", test_envelope_contiguous);
  g_test_add_func ("/decimator/gaps", test_envelope_gaps);
  return g_test_run ();
}
