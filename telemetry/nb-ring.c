/* nb-ring.c: raw sample ring. Each slot keeps its own index, because batches lost on the link
 * leave gaps and a display must show them as gaps, not join the neighbours. */
#include "nb-ring.h"

struct _NbRing
{
  guint capacity;
  guint head; /* slot of the oldest sample */
  guint length;
  guint64 *index;
  gint16 *value;
};

NbRing *
nb_ring_new (guint capacity)
{
  g_return_val_if_fail (capacity > 0, NULL);
  NbRing *ring = g_new0 (NbRing, 1);
  ring->capacity = capacity;
  ring->index = g_new (guint64, capacity);
  ring->value = g_new (gint16, capacity);
  return ring;
}

void
nb_ring_free (NbRing *ring)
{
  if (!ring)
    return;
  g_free (ring->index);
  g_free (ring->value);
  g_free (ring);
}

void
nb_ring_clear (NbRing *ring)
{
  ring->head = 0;
  ring->length = 0;
}

static inline guint
slot_of (const NbRing *ring, guint pos)
{
  guint s = ring->head + pos;
  return s >= ring->capacity ? s - ring->capacity : s;
}

void
nb_ring_push (NbRing *ring, guint64 first_index, const gint16 *samples, guint n)
{
  g_return_if_fail (ring != NULL);
  if (n == 0)
    return;
  if (ring->length > 0 && first_index < ring->index[slot_of (ring, ring->length - 1)] + 1)
    nb_ring_clear (ring);
  /* Only the newest @capacity samples of a large batch can survive. */
  if (n > ring->capacity)
    {
      samples += n - ring->capacity;
      first_index += n - ring->capacity;
      n = ring->capacity;
    }
  /* When full, the next slot is the oldest one. */
  guint tail = slot_of (ring, ring->length % ring->capacity);
  for (guint i = 0; i < n; i++)
    {
      ring->index[tail] = first_index + i;
      ring->value[tail] = samples[i];
      if (++tail == ring->capacity)
        tail = 0;
    }
  guint total = ring->length + n;
  if (total > ring->capacity)
    {
      ring->head = slot_of (ring, total - ring->capacity);
      ring->length = ring->capacity;
    }
  else
    {
      ring->length = total;
    }
}

guint
nb_ring_get_capacity (const NbRing *ring)
{
  return ring->capacity;
}

guint
nb_ring_get_length (const NbRing *ring)
{
  return ring->length;
}

gboolean
nb_ring_get_span (const NbRing *ring, guint64 *oldest, guint64 *end)
{
  if (ring->length == 0)
    return FALSE;
  if (oldest)
    *oldest = ring->index[ring->head];
  if (end)
    *end = ring->index[slot_of (ring, ring->length - 1)] + 1;
  return TRUE;
}

guint
nb_ring_find (const NbRing *ring, guint64 index)
{
  if (ring->length == 0)
    return 0;
  guint64 oldest = ring->index[ring->head];
  guint64 newest = ring->index[slot_of (ring, ring->length - 1)];
  if (index <= oldest)
    return 0;
  if (index > newest)
    return ring->length;
  /* Without gaps in the ring the position is a subtraction; the display asks many times a frame. */
  if (newest - oldest + 1 == ring->length)
    return (guint) (index - oldest);
  guint lo = 0, hi = ring->length;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (ring->index[slot_of (ring, mid)] < index)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

gint16
nb_ring_at (const NbRing *ring, guint pos, guint64 *index)
{
  g_return_val_if_fail (pos < ring->length, 0);
  guint s = slot_of (ring, pos);
  if (index)
    *index = ring->index[s];
  return ring->value[s];
}

guint
nb_ring_read (const NbRing *ring, guint64 from, guint64 to, guint64 *indices, gint16 *samples,
              guint max)
{
  guint n = 0;
  for (guint pos = nb_ring_find (ring, from); pos < ring->length && n < max; pos++)
    {
      guint s = slot_of (ring, pos);
      if (ring->index[s] >= to)
        break;
      if (indices)
        indices[n] = ring->index[s];
      samples[n] = ring->value[s];
      n++;
    }
  return n;
}
