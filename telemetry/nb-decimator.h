/* nb-decimator.h: min/max envelopes of tip-position samples for drawing.
 *
 * A trace drawn one pixel column at a time needs, per column, the lowest and highest sample in
 * the column's index range: drawing a vertical line between them shows every stroke however far
 * the view is zoomed out. Scanning 200000 samples (10 s at 20 kHz) per frame is wasteful, so
 * NbDecimator keeps, next to a raw NbRing, a pyramid of min/max buckets of 16, 256 and 4096
 * samples, aligned to absolute sample indices and updated as samples are pushed. A query covers
 * each column with the coarsest whole buckets that fit inside it and only its ragged ends with
 * finer buckets or raw samples, so the result is exactly the brute-force envelope (same as
 * nb_envelope_from_samples on the same samples) at a small fraction of the cost. */
#pragma once

#include <glib.h>

#include "nb-ring.h"

G_BEGIN_DECLS

/* One column of an envelope. A column with no samples (before the data, or in a gap) is empty:
 * min = G_MAXINT16, max = G_MININT16, so min > max; test with nb_min_max_is_empty. */
typedef struct
{
  gint16 min;
  gint16 max;
} NbMinMax;

static inline gboolean
nb_min_max_is_empty (NbMinMax m)
{
  return m.min > m.max;
}

/* Column c of @n_cols over the window [@from, @to) covers the sample indices
 * [from + c·(to-from)/n_cols, from + (c+1)·(to-from)/n_cols) in integer arithmetic, so columns
 * tile the window without overlap; when there are more columns than samples some are empty. */

/* nb_envelope_from_samples: the envelope by brute force over @n contiguous samples numbered from
 * @first_index: every sample is looked at once. The reference the pyramid must equal, and good
 * enough for short windows. */
void nb_envelope_from_samples (const gint16 *samples, guint64 first_index, guint n, guint64 from,
                               guint64 to, NbMinMax *cols, guint n_cols);

/* nb_envelope_from_ring: the same by brute force over the samples held in @ring (gaps stay
 * empty). */
void nb_envelope_from_ring (const NbRing *ring, guint64 from, guint64 to, NbMinMax *cols,
                            guint n_cols);

#define NB_DECIMATOR_LEVELS 3 /* bucket sizes 16, 256, 4096 samples */

typedef struct _NbDecimator NbDecimator;

/* nb_decimator_new: (transfer full) a raw ring of @capacity samples plus its pyramid; everything is
 * allocated here, nothing later. */
NbDecimator *nb_decimator_new (guint capacity);
void nb_decimator_free (NbDecimator *dec);

/* nb_decimator_push: appends a batch to the ring and folds it into the pyramid. Same rules as
 * nb_ring_push (indices grow; gaps allowed; going back clears everything). */
void nb_decimator_push (NbDecimator *dec, guint64 first_index, const gint16 *samples, guint n);

/* nb_decimator_get_ring: (transfer none) the raw samples, for readouts and short windows. */
const NbRing *nb_decimator_get_ring (const NbDecimator *dec);

/* nb_decimator_envelope: fills @n_cols columns for the window [@from, @to) from the samples still
 * held; equal to nb_envelope_from_ring on the same ring. Cost per column is about
 * (samples per column)/4096 + 2·15 per level, instead of (samples per column). */
void nb_decimator_envelope (const NbDecimator *dec, guint64 from, guint64 to, NbMinMax *cols,
                            guint n_cols);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbDecimator, nb_decimator_free)

G_END_DECLS
