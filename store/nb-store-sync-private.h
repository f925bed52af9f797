/* nb-store-sync-private.h: what the files of the copy between databases (nb-store-sync.h) share:
 * the id maps (sync_map in the target, sync_sent in the source), copying a record's child rows
 * and the record kinds. Internal to store/. */
#pragma once

#include "nb-store-private.h"
#include "nb-store-sync.h"

G_BEGIN_DECLS

/* One copy in progress: the two stores, their identities and what the source's audit trail
 * ended with when the copy began (named in every sync.import entry of the target). */
typedef struct
{
  NbStore *from, *to;
  char *origin;      /* from's identity */
  char *target;      /* to's identity */
  char *source_head; /* "ID:HASH" of from's last audit entry, "0:" + genesis when empty */
  NbStoreSyncReport *report;
  /* the closed records of each table (GArray of gint64), listed before anything is copied: a
   * record closed later (whose pen or standard may be newer than the pens and standards copied
   * first) waits for the next copy. listing: nb_sync_table () only fills it. */
  GHashTable *listed;
  gboolean listing;
} NbSync;

/* nb_sync_map_lookup: the target id of (@table, @source_id) from @sync->origin in the target's
 * sync_map; 0 when not mapped, -1 with @error. */
gint64 nb_sync_map_lookup (NbSync *sync, const char *table, gint64 source_id, GError **error);

/* nb_sync_map_add: records in the target (inside its open transaction) that @source_id of
 * @table became @target_id. */
gboolean nb_sync_map_add (NbSync *sync, const char *table, gint64 source_id, gint64 target_id,
                          GError **error);

/* nb_sync_mapped: (transfer full) source id -> target id (gint64 keys and values, g_int64_hash)
 * of every row of @table mapped from @sync->origin: a quick filter before the check inside the
 * transaction. */
GHashTable *nb_sync_mapped (NbSync *sync, const char *table, GError **error);

/* nb_sync_sent_add: records in the source that @source_id of @table is in the target as
 * @target_id (its own short transaction; nothing when the source is read-only or it is there
 * already). */
gboolean nb_sync_sent_add (NbSync *sync, const char *table, gint64 source_id, gint64 target_id,
                           GError **error);

/* nb_sync_ids: (transfer full) (element-type gint64) the first column of @sql run on @store
 * (@param bound to ?1 unless negative), read whole before anything is written. */
GArray *nb_sync_ids (NbStore *store, const char *sql, gint64 param, GError **error);

/* A record's copy (nb_sync_record ()): inserts source row @source_id and its children into the
 * target inside its open transaction and appends the audit entry; returns the target id, and
 * *@inserted FALSE when the target had the row already (a natural key matched). 0 with @error. */
typedef gint64 (*NbSyncCopyFunc) (NbSync *sync, gint64 source_id, gboolean *inserted,
                                  GError **error);

/* nb_sync_record: copies record @source_id of @table with @copy in one target transaction
 * unless sync_map has it, then notes it in the source's sync_sent; counts it in the report. */
gboolean nb_sync_record (NbSync *sync, const char *table, gint64 source_id, NbSyncCopyFunc copy,
                         GError **error);

/* A row copier: copies the row @sel (the source's SELECT, positioned on its row) of record
 * @source_id into the target; the target id, or 0 with @error. */
typedef gint64 (*NbSyncRowFunc) (NbSync *sync, NbStmt *sel, gint64 source_id, GError **error);

/* nb_sync_copy_selected: runs @select_sql (a literal, ?1 = @source_id) on the source and hands
 * its row to @copy_row; NB_STORE_ERROR_NOT_FOUND naming @what when there is none. Sets
 * *@inserted as an NbSyncCopyFunc does. */
gint64 nb_sync_copy_selected (NbSync *sync, const char *select_sql, gint64 source_id,
                              const char *what, NbSyncRowFunc copy_row, gboolean *inserted,
                              GError **error);

/* nb_sync_table: nb_sync_record () for each row @ids_sql lists (the closed records of @table;
 * sync->listed's when it has them), skipping quickly those sync_map has. */
gboolean nb_sync_table (NbSync *sync, const char *table, const char *ids_sql, NbSyncCopyFunc copy,
                        GError **error);

/* nb_sync_bind_copy: binds column @scol of @src's current row to parameter @dcol of @dst,
 * keeping its type (NULL, integer, real, text, blob). */
void nb_sync_bind_copy (NbStmt *dst, int dcol, NbStmt *src, int scol);

/* A child table of a record: @select_sql (one parameter, the source parent's id) returns the
 * source key first, then the columns @insert_sql inserts as ?1..?N in the same order; column
 * @parent_col (1-based among those) is the parent's id, replaced by the target parent's. The
 * audit key of the inserted rows is their rowid, or with @key_is_parent the parent id. */
typedef struct
{
  const char *table;
  const char *select_sql;
  const char *insert_sql;
  int n_columns; /* N */
  int parent_col;
  gboolean key_is_parent;
} NbSyncChild;

/* Target keys inserted into one table during a record's copy, for its audit entry's covers. */
typedef struct
{
  gint64 first, last; /* 0, 0: none */
} NbSyncRange;

void nb_sync_range_add (NbSyncRange *range, gint64 key);

/* nb_sync_covers_append: appends "TABLE:FIRST-LAST" to @covers when @range has rows. */
void nb_sync_covers_append (GString *covers, const char *table, const NbSyncRange *range);

/* nb_sync_copy_children: copies the rows of @child whose parent in the source is @source_parent
 * to the target under @target_parent, inside the target's open transaction. @ids (may be NULL)
 * gets source key -> new target rowid of each row (gint64 keys and values). */
gboolean nb_sync_copy_children (NbSync *sync, const NbSyncChild *child, gint64 source_parent,
                                gint64 target_parent, NbSyncRange *range, GHashTable *ids,
                                GError **error);

/* nb_sync_audit: appends the target's sync.import entry for a record copied in its open
 * transaction: @subject names it in the target ("session 12"), @table and @source_id in the
 * source. */
gboolean nb_sync_audit (NbSync *sync, const char *subject, const char *table, gint64 source_id,
                        const char *covers, GError **error);

/* nb_sync_fail_point: TRUE (and @error set) when the test hook says this record's copy must
 * fail before its commit (nb_store_sync_test_fail_after ()). */
gboolean nb_sync_fail_point (GError **error);

/* The record kinds, in the order they are copied (each in nb-store-sync-*.c). Each copies the
 * records of its kind not in the target yet, one target transaction per record. */
gboolean nb_sync_pens (NbSync *sync, GError **error);
gboolean nb_sync_standards (NbSync *sync, GError **error);
gboolean nb_sync_sessions (NbSync *sync, GError **error);
gboolean nb_sync_runs (NbSync *sync, GError **error);
gboolean nb_sync_voids (NbSync *sync, GError **error);

/* nb_store_sync_test_fail_after: makes the copy fail (NB_STORE_ERROR_OFFLINE, as a lost server
 * would) inside the target transaction of the record after @n more records; -1 turns it off.
 * For tests only. */
void nb_store_sync_test_fail_after (gint64 n);

G_END_DECLS
