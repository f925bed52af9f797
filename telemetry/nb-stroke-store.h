/* nb-stroke-store.h: the one copy of a measured stroke (NbStroke) into the database's row
 * (NbStoreStroke), for every recorder (the CLI's and the GUI's). Telemetry may see the store's
 * types: the store is below every other library and knows nothing of telemetry. */
#pragma once

#include "nb-store.h"
#include "nb-stroke.h"

G_BEGIN_DECLS

/* A field added to one and not the other changes a size: then this copy must change too. */
G_STATIC_ASSERT (sizeof (NbStroke) == sizeof (NbStoreStroke));

/* nb_stroke_to_store: fills @row from @s, field for field (entry speed NAN stays NAN: NULL). */
static inline void
nb_stroke_to_store (const NbStroke *s, NbStoreStroke *row)
{
  *row = (NbStoreStroke){
    .index = s->index,
    .peak_sample = s->peak_sample,
    .time_s = s->time_s,
    .depth_mm = s->depth_mm,
    .period_s = s->period_s,
    .entry_speed_mm_s = s->entry_speed_mm_s,
  };
}

G_END_DECLS
