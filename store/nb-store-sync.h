/* nb-store-sync.h: copying a bench's records into another database, normally the shared
 * PostgreSQL database of a fleet: `needlebench-cli db migrate --from PATH --to URI` and the
 * offline sync (a bench whose server is unreachable keeps recording into its own SQLite file
 * and sends what waits when the server is back).
 *
 * Rows get new ids in the target (another bench's session 1 is there already); sync_map in the
 * target (schema 10) records origin (the source's nb_store_get_identity ()), table, source id and
 * target id of every record copied (the rows of a session or run are found through it; a pen or
 * standard the target had already is found by its natural key, not mapped: sync_map's UNIQUE
 * (tbl, target_id) gives each target row one origin), and sync_sent in the source the same from
 * its side. A copy is idempotent: records already mapped are skipped. The target's audit trail gets
 * entries of its own covering the rows copied (action "sync.import", naming the origin and the
 * source's audit head); the source is never written except for sync_sent. Only closed records are
 * copied: a session still recording or a run still running waits for the next sync.
 *
 * A source opened read-only (NB_STORE_OPEN_READ_ONLY: `db migrate` from an archived file) is
 * copied all the same; it just gets no sync_sent rows, and the target's sync_map alone keeps the
 * copy idempotent. A pen is one pen everywhere by its serial: a pen the target has (another
 * bench's copy brought it) is used, not copied again; a reference standard row whose serial,
 * added_at and added_by match one of the target's is that row. */
#pragma once

#include "nb-store.h"

G_BEGIN_DECLS

/* The counts are of records: a pen, a firmware row, a reference standard, a session or run
 * (with all its rows: strokes, batches, events, targets; transitions, points, strokes, tables),
 * a void. sync_map and sync_sent hold one row per record (the rows of a session or run are
 * found through it). Certificates, their records and signatures, users and laboratory settings
 * are never copied (nb-store-sync.c says why); `kept` counts the source's certificates. */
typedef struct
{
  char *origin;   /* the source's identity */
  char *target;   /* the target's identity */
  gint64 copied;  /* records copied by this call */
  gint64 present; /* records that were in the target already */
  gint64 pending; /* closed records of the source not sent to the target afterwards (0 on
                   * success; -1: unknown, after a failure from a source opened read-only) */
  gint64 waiting; /* records left because they are still open (recording, running) */
  gint64 kept;    /* certificates of the source, which stay in it (never copied) */
} NbStoreSyncReport;

void nb_store_sync_report_clear (NbStoreSyncReport *report);

/* nb_store_sync: copies every closed record of @from not yet in @to, each record with its rows
 * in one transaction of @to (a lost connection leaves whole records, and the next call goes on
 * where this one stopped). @report (may be NULL) gets the counts. FALSE with @error (e.g.
 * NB_STORE_ERROR_OFFLINE) on failure, with @report counting what was copied before it. */
gboolean nb_store_sync (NbStore *from, NbStore *to, NbStoreSyncReport *report, GError **error);

/* nb_store_sync_verify: FALSE with NB_STORE_ERROR_CORRUPT naming the first difference unless
 * every closed row of @from is in @to with the same content (per table counts and the rows'
 * content hashes), both audit chains verify, and the target's sync.import entries cover the
 * copied rows. */
gboolean nb_store_sync_verify (NbStore *from, NbStore *to, GError **error);

/* The rows of one table compared by nb_store_sync_verify_counts (). */
typedef struct
{
  const char *table; /* static */
  gint64 rows;
} NbStoreSyncCount;

/* nb_store_sync_verify_counts: nb_store_sync_verify (), and on success @counts (may be NULL)
 * gets (transfer full) (element-type NbStoreSyncCount) the rows compared per table, in the
 * order checked. */
gboolean nb_store_sync_verify_counts (NbStore *from, NbStore *to, GArray **counts, GError **error);

/* nb_store_sync_count_waiting: the closed records of @from not yet sent to the database with
 * identity @target (NULL: never sent anywhere), from @from's sync_sent alone: works offline. */
gint64 nb_store_sync_count_waiting (NbStore *from, const char *target, GError **error);

/* nb_store_sync_target_id: the id in @to of row @source_id of @table copied from @origin; 0 if it
 * was not copied (yet), -1 with @error on failure. */
gint64 nb_store_sync_target_id (NbStore *to, const char *origin, const char *table,
                                gint64 source_id, GError **error);

/* nb_store_sync_source_id: the id row @target_id of @table had in the database it was copied
 * from (sync_map of @store); 0 if it was not copied into @store, -1 with @error on failure. */
gint64 nb_store_sync_source_id (NbStore *store, const char *table, gint64 target_id,
                                GError **error);

G_END_DECLS
