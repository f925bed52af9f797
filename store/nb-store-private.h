/* nb-store-private.h: internals shared by the store's source files (not installed, not for the
 * GUI). Also the test hooks. */
#pragma once

#include "nb-db.h"
#include <sys/stat.h>
#include <sys/types.h>

#include "nb-lab-key.h"
#include "nb-store.h"

G_BEGIN_DECLS

/* The schema version that added audit coverage and signed checkpoints (nb-store-schema.c):
 * a database opened at an older version (tests of migrations) is audited as before. */
#define NB_STORE_SCHEMA_AUDIT 7

/* The session tables whose rows the recorder writes in bulk (pending_first/last index). */
enum
{
  NB_STORE_PENDING_STROKES,
  NB_STORE_PENDING_BATCHES,
  NB_STORE_PENDING_EVENTS,
  NB_STORE_PENDING_N
};

struct _NbStore
{
  NbDb *db; /* SQLite or PostgreSQL (nb-db.h) */
  char *path;
  gboolean read_only;
  gboolean immutable; /* opened read-only as immutable: the directory cannot be written */
  dev_t dev;          /* the database file opened, to notice it deleted or replaced */
  ino_t ino;
  dev_t wal_dev; /* its -wal and -shm as this connection opened them (0/0 if unknown) */
  ino_t wal_ino;
  dev_t shm_dev;
  ino_t shm_ino;
  GHashTable *stmts;     /* SQL text -> NbStmt*, prepared once and reused */
  GHashTable *run_locks; /* gint64* run id -> GINT_TO_POINTER (fd): the live locks of the runs
                          * begun on this connection and not closed yet (nb-store-runs.c) */
  int schema_version;    /* after opening (migrating) */
  /* the session rows (strokes, batches, events) inserted in the open transaction and not yet
   * covered by an audit entry: one entry is appended for all of them at commit
   * (nb_store_audit_pending ()), so the recorder pays one entry a commit, not one a row */
  gint64 pending_session;
  gint64 pending_first[NB_STORE_PENDING_N], pending_last[NB_STORE_PENDING_N];
  NbLabKey *lab_key;      /* signs audit checkpoints (nb-audit.c); NULL: none */
  gboolean lab_key_known; /* lab_key was set or looked up */
  gboolean lab_key_owned;
};

/* nb_store_stmt: the cached prepared statement for @sql (a string literal), reset and with its
 * bindings cleared; NULL with @error on failure. Owned by @store. */
NbStmt *nb_store_stmt (NbStore *store, const char *sql, GError **error);

/* nb_store_set_error: sets @error from SQLite result @rc and the connection's message, with
 * @what saying what was being done. The code is mapped to an NbStoreError. */
void nb_store_set_error (NbStore *store, GError **error, int rc, const char *what);

/* nb_store_error_from_rc: the NbStoreError for a SQLite result code. */
NbStoreError nb_store_error_from_rc (int rc);

/* nb_store_exec: runs @sql (no parameters, possibly several statements). */
gboolean nb_store_exec (NbStore *store, const char *sql, GError **error);

/* nb_store_step_done: steps @stmt expecting NB_DB_DONE, then resets it. */
gboolean nb_store_step_done (NbStore *store, NbStmt *stmt, const char *what, GError **error);

/* nb_store_bind_text: binds @text (NULL = SQL NULL), copied. */
void nb_store_bind_text (NbStmt *stmt, int col, const char *text);

/* nb_store_audit_pending: appends the audit entry ("session.data") covering the session rows
 * inserted in the open transaction, if any, with their content hashes (nb-store-session.c).
 * Called by nb_store_commit () before it commits. */
gboolean nb_store_audit_pending (NbStore *store, GError **error);

/* nb_store_pending_clear: forgets the pending rows (the transaction was rolled back). */
void nb_store_pending_clear (NbStore *store);

/* --- schema (nb-store-schema.c) --- */

/* nb_store_schema_latest: the newest schema version. */
int nb_store_schema_latest (void);

/* nb_store_schema_migrate: brings @store's database forward to @target (1..latest), each step in
 * its own transaction together with the user_version bump. */
gboolean nb_store_schema_migrate (NbStore *store, int target, GError **error);

/* nb_store_schema_step_sql: the SQL of migration @step (1..latest), NULL past the end. */
const char *nb_store_schema_step_sql (int step);

/* --- the schema check (nb-store-check.c) --- */

/* nb_store_schema_findings: (transfer full) (element-type utf8) what differs between @store's
 * tables and triggers and those the migrations create at its schema version: "trigger X is
 * missing", "... was altered", "unexpected trigger X", the same for tables. Empty when intact;
 * NULL with @error if the schema cannot be read. */
GPtrArray *nb_store_schema_findings (NbStore *store, int version, GError **error);

/* nb_store_schema_compare: (transfer full) (element-type utf8) the findings of @have against
 * @want (both "type name" -> its definition): missing, altered, present but in @disabled (may be
 * NULL; "type name" -> how it is switched off) and unexpected objects, in @order (NULL: name
 * order). Shared by both backends' schema checks. */
GPtrArray *nb_store_schema_compare (GHashTable *want, GHashTable *have, GHashTable *disabled,
                                    int version, GCompareFunc order);

/* nb_store_schema_check: FALSE with NB_STORE_ERROR_CORRUPT naming the first finding of
 * nb_store_schema_findings (). */
gboolean nb_store_schema_check (NbStore *store, int version, GError **error);

/* --- the database file (nb-store-file.c) --- */

/* nb_store_file_check_regular: FALSE with NB_STORE_ERROR_NOT_REGULAR if @path exists and is not
 * a regular file (a FIFO would block SQLite's open forever). Uses stat only, never open ():
 * closing a descriptor of the database would drop every connection's POSIX locks in this
 * process. @st gets the status, *@exists whether the path exists. */
gboolean nb_store_file_check_regular (const char *path, struct stat *st, gboolean *exists,
                                      GError **error);

/* nb_store_file_create: creates @path 0600 (and its directory 0700) if missing; an existing
 * path must be a regular file and is made 0600. */
gboolean nb_store_file_create (const char *path, GError **error);

/* nb_store_file_tighten_mode: makes the regular file @path 0600 if it has group or other bits;
 * failure (not the owner) is ignored. */
void nb_store_file_tighten_mode (const char *path);

/* nb_store_file_remember: records the identity of the file at @store->path (after SQLite opened
 * it), for nb_store_check_identity (). */
gboolean nb_store_file_remember (NbStore *store, GError **error);

/* nb_store_file_remember_log: records the -wal and -shm files' identity once they exist. */
void nb_store_file_remember_log (NbStore *store);

/* nb_store_file_wal_is_empty: TRUE if @path has no write-ahead log with content. */
gboolean nb_store_file_wal_is_empty (const char *path);

/* nb_store_check_identity: FALSE with NB_STORE_ERROR_IO ("database file was deleted or
 * replaced") when @store's path no longer names the file that was opened. */
gboolean nb_store_check_identity (NbStore *store, GError **error);

/* nb_store_abandon: closes @store whose file was deleted or replaced (nb_store_check_identity
 * failed), and removes <path>-wal and -shm if they are still the ones this connection used:
 * SQLite does not checkpoint or remove them when the file has moved, and whatever database is
 * at the path next would read that log as its own. Frees @store. */
void nb_store_abandon (NbStore *store);

/* --- live-session locks (nb-store-lock.c): an OFD lock on byte @session_id of <db>-recording
 * tells other connections and processes that the session is being recorded. The last recorder
 * to unlock removes the file. --- */
int nb_store_lock_session (const char *db_path, gint64 session_id, GError **error);
void nb_store_unlock_session (const char *db_path, int fd);
gboolean nb_store_session_is_live (const char *db_path, gint64 session_id);

/* The same for calibration runs, on byte NB_STORE_RUN_LOCK_BASE + run id (ids below the base). */
#define NB_STORE_RUN_LOCK_BASE (G_GINT64_CONSTANT (1) << 62)
int nb_store_lock_run (const char *db_path, gint64 run_id, GError **error);
gboolean nb_store_run_is_live (const char *db_path, gint64 run_id);

/* The live locks of a store, whichever its backend: on SQLite the byte locks above (the return
 * value is the descriptor), on PostgreSQL an advisory lock on the store's connection
 * (nb-store-lock-pg.c; the return value is 0). -1 with @error on failure. @run: a calibration
 * run, else a recorded session. */
int nb_store_live_lock (NbStore *store, gboolean run, gint64 id, GError **error);
/* nb_store_live_unlock: releases what nb_store_live_lock () returned (@fd); @store may be NULL
 * (abandoned) when @db_path names a SQLite file. */
void nb_store_live_unlock (NbStore *store, const char *db_path, gboolean run, gint64 id, int fd);
/* nb_store_live_is_held: TRUE if any connection or process holds the live lock. */
gboolean nb_store_live_is_held (NbStore *store, gboolean run, gint64 id);

/* nb_store_release_run_locks: unlocks every run still locked by @store (its runs not closed:
 * they read as interrupted from now on). Called by nb_store_close (). */
void nb_store_release_run_locks (NbStore *store);

/* --- test hooks --- */

/* nb_store_test_set_connect_sql: SQL run on every connection opened after this call (e.g.
 * "PRAGMA max_page_count=50" or "PRAGMA query_only=1"); NULL to clear. For tests only. */
void nb_store_test_set_connect_sql (const char *sql);

/* nb_store_test_open_at_version: opens (creating) @path migrated only to @version, to test
 * migrations from older databases. For tests only. */
NbStore *nb_store_test_open_at_version (const char *path, int version, GError **error);

G_END_DECLS
