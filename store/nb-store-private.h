/* nb-store-private.h: internals shared by the store's source files (not installed, not for the
 * GUI). Also the test hooks. */
#pragma once

#include <sqlite3.h>
#include <sys/types.h>

#include "nb-store.h"

G_BEGIN_DECLS

struct _NbStore
{
  sqlite3 *db;
  char *path;
  gboolean read_only;
  gboolean immutable; /* opened read-only as immutable: the directory cannot be written */
  dev_t dev;          /* the database file opened, to notice it deleted or replaced */
  ino_t ino;
  GHashTable *stmts; /* SQL text -> sqlite3_stmt*, prepared once and reused */
};

/* nb_store_stmt: the cached prepared statement for @sql (a string literal), reset and with its
 * bindings cleared; NULL with @error on failure. Owned by @store. */
sqlite3_stmt *nb_store_stmt (NbStore *store, const char *sql, GError **error);

/* nb_store_set_error: sets @error from SQLite result @rc and the connection's message, with
 * @what saying what was being done. The code is mapped to an NbStoreError. */
void nb_store_set_error (NbStore *store, GError **error, int rc, const char *what);

/* nb_store_error_from_rc: the NbStoreError for a SQLite result code. */
NbStoreError nb_store_error_from_rc (int rc);

/* nb_store_exec: runs @sql (no parameters, possibly several statements). */
gboolean nb_store_exec (NbStore *store, const char *sql, GError **error);

/* nb_store_step_done: steps @stmt expecting SQLITE_DONE, then resets it. */
gboolean nb_store_step_done (NbStore *store, sqlite3_stmt *stmt, const char *what, GError **error);

/* nb_store_bind_text: binds @text (NULL = SQL NULL), copying nothing (SQLITE_STATIC). */
void nb_store_bind_text (sqlite3_stmt *stmt, int col, const char *text);

/* --- schema (nb-store-schema.c) --- */

/* nb_store_schema_latest: the newest schema version. */
int nb_store_schema_latest (void);

/* nb_store_schema_migrate: brings @store's database forward to @target (1..latest), each step in
 * its own transaction together with the user_version bump. */
gboolean nb_store_schema_migrate (NbStore *store, int target, GError **error);

/* nb_store_check_identity: FALSE with NB_STORE_ERROR_IO ("database file was deleted or
 * replaced") when @store's path no longer names the file that was opened. */
gboolean nb_store_check_identity (NbStore *store, GError **error);

/* --- live-session locks (nb-store-lock.c): an OFD lock on byte @session_id of <db>-recording
 * tells other connections and processes that the session is being recorded. The last recorder
 * to unlock removes the file. --- */
int nb_store_lock_session (const char *db_path, gint64 session_id, GError **error);
void nb_store_unlock_session (const char *db_path, int fd);
gboolean nb_store_session_is_live (const char *db_path, gint64 session_id);

/* --- test hooks --- */

/* nb_store_test_set_connect_sql: SQL run on every connection opened after this call (e.g.
 * "PRAGMA max_page_count=50" or "PRAGMA query_only=1"); NULL to clear. For tests only. */
void nb_store_test_set_connect_sql (const char *sql);

/* nb_store_test_open_at_version: opens (creating) @path migrated only to @version, to test
 * migrations from older databases. For tests only. */
NbStore *nb_store_test_open_at_version (const char *path, int version, GError **error);

G_END_DECLS
