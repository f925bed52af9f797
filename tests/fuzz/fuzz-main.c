/* fuzz-main.c: the replay driver of the fuzz targets in the normal build (see fuzz.h). With
 * `--write-seeds DIR` it writes the target's seeds as corpus files instead. */
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "nb-frame.h"

#define MUTATION_RUNS 20000

static gboolean
replay_path (const char *path, guint64 *runs, GError **error)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, error);
      if (dir == NULL)
        return FALSE;
      /* Sorted, so a failure names the same file on every run. */
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      for (const char *name; (name = g_dir_read_name (dir));)
        g_ptr_array_add (names, g_build_filename (path, name, NULL));
      g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
      for (guint i = 0; i < names->len; i++)
        if (!replay_path (g_ptr_array_index (names, i), runs, error))
          return FALSE;
      return TRUE;
    }
  g_autofree char *data = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &data, &len, error))
    return FALSE;
  LLVMFuzzerTestOneInput ((const guint8 *) data, len);
  (*runs)++;
  return TRUE;
}

static int
write_seeds (const char *dir)
{
  g_autoptr (GPtrArray) seeds = nb_fuzz_seeds ();
  for (guint i = 0; i < seeds->len; i++)
    {
      gsize n = 0;
      const guint8 *d = g_bytes_get_data (g_ptr_array_index (seeds, i), &n);
      g_autofree char *name = g_strdup_printf ("%s/seed-%02u.bin", dir, i);
      g_autoptr (GError) error = NULL;
      if (!g_file_set_contents (name, (const char *) d, (gssize) n, &error))
        {
          fprintf (stderr, "%s: %s\n", nb_fuzz_target_name, error->message);
          return 1;
        }
    }
  printf ("%s: %u seeds written to %s\n", nb_fuzz_target_name, seeds->len, dir);
  return 0;
}

static void
mutate (GRand *rand, guint8 *buf, gsize *len, gsize cap)
{
  gsize n = *len;
  guint mutations = (guint) g_rand_int_range (rand, 1, 8);
  for (guint m = 0; m < mutations; m++)
    {
      switch (g_rand_int_range (rand, 0, 5))
        {
        case 0:
          if (n > 0)
            buf[g_rand_int_range (rand, 0, (gint) n)]
                ^= (guint8) (1u << g_rand_int_range (rand, 0, 8));
          break;
        case 1:
          if (n > 0)
            buf[g_rand_int_range (rand, 0, (gint) n)] = (guint8) g_rand_int_range (rand, 0, 256);
          break;
        case 2:
          if (n > 1)
            n = (gsize) g_rand_int_range (rand, 1, (gint) n);
          break;
        case 3:
          if (n + 64 < cap)
            for (int k = 0; k < 64; k++)
              buf[n++] = (guint8) g_rand_int_range (rand, 0, 256);
          break;
        case 4:
          /* an interesting 32-bit value (limits, sign edges) at a random offset */
          if (n >= 4)
            {
              static const guint32 values[]
                  = { 0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 500, 501, 0xFFFFFE0B, 0xFFFFFE0C };
              nb_put_u32 (buf + g_rand_int_range (rand, 0, (gint) (n - 3)),
                          values[g_rand_int_range (rand, 0, G_N_ELEMENTS (values))]);
            }
          break;
        }
    }
  *len = n;
}

int
main (int argc, char **argv)
{
  guint64 runs = 0;

  if (argc == 3 && g_str_equal (argv[1], "--write-seeds"))
    return write_seeds (argv[2]);
  for (int i = 1; i < argc; i++)
    {
      g_autoptr (GError) error = NULL;
      if (!replay_path (argv[i], &runs, &error))
        {
          fprintf (stderr, "%s: %s\n", nb_fuzz_target_name, error->message);
          return 1;
        }
    }

  /* Mutation run with a fixed seed: reproducible in CI. */
  g_autoptr (GPtrArray) seeds = nb_fuzz_seeds ();
  GRand *rand = g_rand_new_with_seed (20261125);
  guint8 buf[4 * NB_FRAME_MAX_WIRE];
  for (guint iter = 0; iter < MUTATION_RUNS; iter++)
    {
      GBytes *seed = g_ptr_array_index (seeds, g_rand_int_range (rand, 0, (gint) seeds->len));
      gsize n = 0;
      const guint8 *d = g_bytes_get_data (seed, &n);
      memcpy (buf, d, n);
      mutate (rand, buf, &n, sizeof buf);
      LLVMFuzzerTestOneInput (buf, n);
      runs++;
    }
  g_rand_free (rand);
  printf ("%s: %" G_GUINT64_FORMAT " inputs, no crash\n", nb_fuzz_target_name, runs);
  return 0;
}
