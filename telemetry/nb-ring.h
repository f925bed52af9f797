/* nb-ring.h: a fixed-capacity ring of raw tip-position samples (index and µm) for display: the
 * newest @capacity samples, kept across gaps (indices then jump), read back by index range. The
 * memory is allocated once at creation; pushing never allocates. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _NbRing NbRing;

/* nb_ring_new: (transfer full) a ring holding the newest @capacity samples (> 0), e.g.
 * 10 s × 20 kHz = 200000. */
NbRing *nb_ring_new (guint capacity);
void nb_ring_free (NbRing *ring);

/* nb_ring_clear: forgets all samples; the capacity stays. */
void nb_ring_clear (NbRing *ring);

/* nb_ring_push: appends @n samples numbered @first_index, @first_index + 1, ...; the oldest are
 * overwritten when full. Indices must grow: a batch that goes back in time (a restarted stream)
 * clears the ring first, so the ring is always sorted by index. */
void nb_ring_push (NbRing *ring, guint64 first_index, const gint16 *samples, guint n);

guint nb_ring_get_capacity (const NbRing *ring);
/* Number of samples held (<= capacity). */
guint nb_ring_get_length (const NbRing *ring);

/* nb_ring_get_span: index of the oldest sample held and one past the newest; FALSE when empty. */
gboolean nb_ring_get_span (const NbRing *ring, guint64 *oldest, guint64 *end);

/* nb_ring_find: position (0 = oldest held) of the first sample whose index is >= @index, or the
 * length if there is none. Binary search: O(log n), since gaps make indices non-contiguous. */
guint nb_ring_find (const NbRing *ring, guint64 index);

/* nb_ring_at: the sample at position @pos (0 = oldest, < length); its index in @index if not
 * NULL. */
gint16 nb_ring_at (const NbRing *ring, guint pos, guint64 *index);

/* nb_ring_read: copies the samples with index in [@from, @to) into @indices (may be NULL) and
 * @samples, at most @max of them, oldest first. Returns how many were copied. */
guint nb_ring_read (const NbRing *ring, guint64 from, guint64 to, guint64 *indices, gint16 *samples,
                    guint max);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbRing, nb_ring_free)

G_END_DECLS
