/* nb-store-sync-origin.h: where a copied row came from. A record copied by nb_store_sync ()
 * (nb-store-sync.h) gets a new id in the target, but documents stored with it keep the ids of
 * the database that wrote them: a run's result document says "run": 2 on the bench, and the
 * server's copy of that run may be run 8. Readers ask here to tell such a document from one that
 * names another run. */
#pragma once

#include "nb-store.h"

G_BEGIN_DECLS

/* nb_store_sync_source_id: the id row @target_id of @table ("runs", "sessions", ...) had in the
 * database it was copied from (sync_map), 0 when it was not copied into @store, -1 with @error on
 * failure. */
gint64 nb_store_sync_source_id (NbStore *store, const char *table, gint64 target_id,
                                GError **error);

G_END_DECLS
