/* test-stats.c: Welford running statistics against a two-pass computation. */
#include <math.h>

#include "nb-stats.h"

static void
two_pass (const double *x, guint n, double *mean, double *sd)
{
  double s = 0;
  for (guint i = 0; i < n; i++)
    s += x[i];
  *mean = s / n;
  double ss = 0;
  for (guint i = 0; i < n; i++)
    ss += (x[i] - *mean) * (x[i] - *mean);
  *sd = n > 1 ? sqrt (ss / (n - 1)) : 0;
}

static void
test_known (void)
{
  static const double x[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
  NbStats s;
  nb_stats_init (&s);
  g_assert_cmpfloat (nb_stats_sd (&s), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    nb_stats_add (&s, x[i]);
  g_assert_cmpuint (s.n, ==, 8);
  g_assert_cmpfloat_with_epsilon (s.mean, 5.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (nb_stats_sd (&s), sqrt (32.0 / 7.0), 1e-12);
  g_assert_cmpfloat (s.min, ==, 2);
  g_assert_cmpfloat (s.max, ==, 9);

  NbStats one;
  nb_stats_init (&one);
  nb_stats_add (&one, 3.5);
  g_assert_cmpfloat (nb_stats_sd (&one), ==, 0);
  g_assert_cmpfloat (one.min, ==, 3.5);
}

static void
test_two_pass (void)
{
  /* A large offset is where the naive sum-of-squares formula loses everything. */
  GRand *r = g_rand_new_with_seed (42);
  guint n = 100000;
  double *x = g_new (double, n);
  for (guint i = 0; i < n; i++)
    x[i] = 1e9 + g_rand_double_range (r, -1, 1);
  NbStats s;
  nb_stats_init (&s);
  for (guint i = 0; i < n; i++)
    nb_stats_add (&s, x[i]);
  double mean, sd;
  two_pass (x, n, &mean, &sd);
  /* 1e-13 relative: the plain two-pass sum itself rounds at this magnitude. */
  g_assert_cmpfloat_with_epsilon (s.mean, mean, 1e-4);
  g_assert_cmpfloat (fabs (nb_stats_sd (&s) - sd) / sd, <, 1e-6);
  g_free (x);
  g_rand_free (r);
}

static void
test_merge (void)
{
  GRand *r = g_rand_new_with_seed (3);
  guint n = 5000;
  double *x = g_new (double, n);
  for (guint i = 0; i < n; i++)
    x[i] = 1000 + 50 * g_rand_double (r);
  static const guint cuts[] = { 0, 1, 2, 1234, 4999, 5000 };
  double mean, sd;
  two_pass (x, n, &mean, &sd);
  for (guint c = 0; c < G_N_ELEMENTS (cuts); c++)
    {
      NbStats a, b;
      nb_stats_init (&a);
      nb_stats_init (&b);
      for (guint i = 0; i < cuts[c]; i++)
        nb_stats_add (&a, x[i]);
      for (guint i = cuts[c]; i < n; i++)
        nb_stats_add (&b, x[i]);
      nb_stats_merge (&a, &b);
      g_assert_cmpuint (a.n, ==, n);
      g_assert_cmpfloat_with_epsilon (a.mean, mean, 1e-9);
      g_assert_cmpfloat (fabs (nb_stats_sd (&a) - sd) / sd, <, 1e-9);
      double mn = x[0], mx = x[0];
      for (guint i = 0; i < n; i++)
        {
          mn = MIN (mn, x[i]);
          mx = MAX (mx, x[i]);
        }
      g_assert_cmpfloat (a.min, ==, mn);
      g_assert_cmpfloat (a.max, ==, mx);
    }
  g_free (x);
  g_rand_free (r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stats/known", test_known);
  g_test_add_func ("/stats/two-pass", test_two_pass);
  g_test_add_func ("/stats/merge", test_merge);
  return g_test_run ();
}
