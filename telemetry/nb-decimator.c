/* nb-decimator.c: min/max envelope pyramid over a raw sample ring. */
#include "nb-decimator.h"

#define EMPTY_BUCKET G_MAXUINT64

typedef struct
{
  guint64 bucket; /* bucket number (index >> shift), or EMPTY_BUCKET */
  gint16 min, max;
} Bucket;

typedef struct
{
  guint shift; /* log2 of the bucket size */
  guint n_slots;
  Bucket *slots; /* direct-mapped by bucket number: gaps need no bookkeeping */
} Level;

struct _NbDecimator
{
  NbRing *ring;
  Level levels[NB_DECIMATOR_LEVELS];
};

static void
levels_clear (NbDecimator *dec)
{
  for (guint l = 0; l < NB_DECIMATOR_LEVELS; l++)
    for (guint s = 0; s < dec->levels[l].n_slots; s++)
      dec->levels[l].slots[s].bucket = EMPTY_BUCKET;
}

NbDecimator *
nb_decimator_new (guint capacity)
{
  g_return_val_if_fail (capacity > 0, NULL);
  NbDecimator *dec = g_new0 (NbDecimator, 1);
  dec->ring = nb_ring_new (capacity);
  for (guint l = 0; l < NB_DECIMATOR_LEVELS; l++)
    {
      Level *lv = &dec->levels[l];
      lv->shift = 4 * (l + 1);
      /* Enough slots for the ring's span without gaps, plus the partial buckets at each end. */
      lv->n_slots = (capacity >> lv->shift) + 2;
      lv->slots = g_new (Bucket, lv->n_slots);
    }
  levels_clear (dec);
  return dec;
}

void
nb_decimator_free (NbDecimator *dec)
{
  if (!dec)
    return;
  nb_ring_free (dec->ring);
  for (guint l = 0; l < NB_DECIMATOR_LEVELS; l++)
    g_free (dec->levels[l].slots);
  g_free (dec);
}

const NbRing *
nb_decimator_get_ring (const NbDecimator *dec)
{
  return dec->ring;
}

void
nb_decimator_push (NbDecimator *dec, guint64 first_index, const gint16 *samples, guint n)
{
  g_return_if_fail (dec != NULL);
  if (n == 0)
    return;
  guint64 end;
  if (nb_ring_get_span (dec->ring, NULL, &end) && first_index < end)
    levels_clear (dec);
  nb_ring_push (dec->ring, first_index, samples, n);

  /* Fold runs that share a finest bucket, then update each level once per run rather than once
   * per sample. */
  guint i = 0;
  while (i < n)
    {
      guint64 idx = first_index + i;
      guint64 run_end = ((idx >> dec->levels[0].shift) + 1) << dec->levels[0].shift;
      guint len = (guint) MIN ((guint64) (n - i), run_end - idx);
      gint16 mn = samples[i], mx = samples[i];
      for (guint j = i + 1; j < i + len; j++)
        {
          mn = MIN (mn, samples[j]);
          mx = MAX (mx, samples[j]);
        }
      for (guint l = 0; l < NB_DECIMATOR_LEVELS; l++)
        {
          Level *lv = &dec->levels[l];
          guint64 b = idx >> lv->shift;
          Bucket *bk = &lv->slots[b % lv->n_slots];
          if (bk->bucket != b)
            {
              bk->bucket = b;
              bk->min = mn;
              bk->max = mx;
            }
          else
            {
              bk->min = MIN (bk->min, mn);
              bk->max = MAX (bk->max, mx);
            }
        }
      i += len;
    }
}

static void
raw_cover (const NbRing *ring, guint64 a, guint64 b, gint16 *mn, gint16 *mx)
{
  guint len = nb_ring_get_length (ring);
  for (guint pos = nb_ring_find (ring, a); pos < len; pos++)
    {
      guint64 idx;
      gint16 v = nb_ring_at (ring, pos, &idx);
      if (idx >= b)
        break;
      *mn = MIN (*mn, v);
      *mx = MAX (*mx, v);
    }
}

/* Min/max over [a, b) using whole buckets of @level and finer ones (or raw samples) for the
 * ragged ends. A bucket is used only if it is the one in its slot (not overwritten) and starts no
 * earlier than the oldest raw sample (so it holds nothing the ring has already dropped). */
static void
cover (const NbDecimator *dec, guint64 oldest, guint64 a, guint64 b, int level, gint16 *mn,
       gint16 *mx)
{
  if (a >= b)
    return;
  if (level < 0)
    {
      raw_cover (dec->ring, a, b, mn, mx);
      return;
    }
  const Level *lv = &dec->levels[level];
  guint64 size = (guint64) 1 << lv->shift;
  guint64 s = (a + size - 1) & ~(size - 1);
  guint64 e = b & ~(size - 1);
  if (s >= e)
    {
      cover (dec, oldest, a, b, level - 1, mn, mx);
      return;
    }
  cover (dec, oldest, a, s, level - 1, mn, mx);
  for (guint64 k = s >> lv->shift; k < e >> lv->shift; k++)
    {
      const Bucket *bk = &lv->slots[k % lv->n_slots];
      if (bk->bucket == k && (k << lv->shift) >= oldest)
        {
          *mn = MIN (*mn, bk->min);
          *mx = MAX (*mx, bk->max);
        }
      else if (bk->bucket == EMPTY_BUCKET || bk->bucket < k)
        {
          /* Pushes only go forward, so had bucket k received a sample it would have replaced
           * whatever older bucket is in its slot: it has none (a gap, or past the end). */
        }
      else
        {
          cover (dec, oldest, k << lv->shift, (k + 1) << lv->shift, level - 1, mn, mx);
        }
    }
  cover (dec, oldest, e, b, level - 1, mn, mx);
}

static inline guint64
col_start (guint64 from, guint64 width, guint c, guint n_cols)
{
  return from + (guint64) c * width / n_cols;
}

void
nb_decimator_envelope (const NbDecimator *dec, guint64 from, guint64 to, NbMinMax *cols,
                       guint n_cols)
{
  guint64 oldest = 0, end = 0;
  gboolean any = nb_ring_get_span (dec->ring, &oldest, &end);
  guint64 width = to > from ? to - from : 0;
  for (guint c = 0; c < n_cols; c++)
    {
      gint16 mn = G_MAXINT16, mx = G_MININT16;
      if (any && width > 0)
        {
          guint64 a = MAX (col_start (from, width, c, n_cols), oldest);
          guint64 b = MIN (col_start (from, width, c + 1, n_cols), end);
          cover (dec, oldest, a, b, NB_DECIMATOR_LEVELS - 1, &mn, &mx);
        }
      cols[c].min = mn;
      cols[c].max = mx;
    }
}

void
nb_envelope_from_samples (const gint16 *samples, guint64 first_index, guint n, guint64 from,
                          guint64 to, NbMinMax *cols, guint n_cols)
{
  guint64 width = to > from ? to - from : 0;
  for (guint c = 0; c < n_cols; c++)
    {
      gint16 mn = G_MAXINT16, mx = G_MININT16;
      if (width > 0)
        {
          guint64 a = MAX (col_start (from, width, c, n_cols), first_index);
          guint64 b = MIN (col_start (from, width, c + 1, n_cols), first_index + n);
          for (guint64 i = a; i < b; i++)
            {
              gint16 v = samples[i - first_index];
              mn = MIN (mn, v);
              mx = MAX (mx, v);
            }
        }
      cols[c].min = mn;
      cols[c].max = mx;
    }
}

void
nb_envelope_from_ring (const NbRing *ring, guint64 from, guint64 to, NbMinMax *cols, guint n_cols)
{
  guint64 width = to > from ? to - from : 0;
  for (guint c = 0; c < n_cols; c++)
    {
      gint16 mn = G_MAXINT16, mx = G_MININT16;
      if (width > 0)
        raw_cover (ring, col_start (from, width, c, n_cols), col_start (from, width, c + 1, n_cols),
                   &mn, &mx);
      cols[c].min = mn;
      cols[c].max = mx;
    }
}
