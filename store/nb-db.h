/* nb-db.h: the store's connection to its database, one API over two backends: SQLite (the
 * bench's embedded file, nb-db-sqlite.c) and PostgreSQL (a shared server through libpq,
 * nb-db-pg.c). Internal to store/ (not for the GUI or the CLI).
 *
 * The API follows SQLite's own (prepare, bind, step, column, reset) so that the store's SQL runs
 * unchanged on both: statements are written with '?' or '?N' parameters, which the PostgreSQL
 * backend rewrites to $N. Result codes are SQLite's (NB_DB_ROW, NB_DB_DONE, SQLITE_CONSTRAINT...)
 * on both backends, so one mapping to NbStoreError serves both; PostgreSQL's SQLSTATEs are mapped
 * onto them (nb-db-pg.c), plus NB_DB_OFFLINE for a lost server connection. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef enum
{
  NB_DB_SQLITE,
  NB_DB_POSTGRES,
} NbDbBackend;

/* result codes: SQLite's, and one of our own that SQLite never returns */
#define NB_DB_OK SQLITE_OK
#define NB_DB_ROW SQLITE_ROW
#define NB_DB_DONE SQLITE_DONE
#define NB_DB_OFFLINE 0x7f00 /* the server connection is lost (PostgreSQL only) */

/* column types */
#define NB_DB_INTEGER SQLITE_INTEGER
#define NB_DB_FLOAT SQLITE_FLOAT
#define NB_DB_TEXT SQLITE_TEXT
#define NB_DB_BLOB SQLITE_BLOB
#define NB_DB_NULL SQLITE_NULL

typedef struct _NbDb NbDb;
typedef struct _NbStmt NbStmt;

/* nb_db_is_uri: TRUE if @location names a PostgreSQL database (postgresql:// or postgres://)
 * rather than a SQLite file path. */
gboolean nb_db_is_uri (const char *location);

/* nb_db_wrap_sqlite: (transfer full) a connection over the open SQLite handle @handle, which it
 * then owns (closed by nb_db_close ()). */
NbDb *nb_db_wrap_sqlite (sqlite3 *handle);

/* nb_db_open_pg: (transfer full) connects to the PostgreSQL server @uri. The URI must not carry a
 * password: credentials come from libpq's environment (PGPASSWORD, PGPASSFILE), its password
 * file or service file. TLS is used when the server offers it (sslmode=prefer unless the URI or
 * PGSSLMODE says otherwise). NULL with NB_DB_* rc in *@rc_out and a message in *@message
 * (transfer full) on failure. */
NbDb *nb_db_open_pg (const char *uri, int *rc_out, char **message);

void nb_db_close (NbDb *db);
NbDbBackend nb_db_backend (NbDb *db);

/* nb_db_sqlite_handle: the SQLite handle (NULL on PostgreSQL), for the SQLite-only parts (file
 * checks, pragmas, the schema check against sqlite_master). */
sqlite3 *nb_db_sqlite_handle (NbDb *db);

/* nb_db_errmsg: the last error's message on @db (owned by @db, valid until the next call). */
const char *nb_db_errmsg (NbDb *db);

/* nb_db_exec: runs @sql, which has no parameters and may hold several statements. */
int nb_db_exec (NbDb *db, const char *sql);

/* nb_db_session_exec: as nb_db_exec (), for session settings (e.g. SET
 * default_transaction_read_only): PostgreSQL runs them again whenever the backend makes the
 * connection again after the server dropped it (outside a transaction; a transaction the
 * connection was lost in fails NB_DB_OFFLINE until it is rolled back). */
int nb_db_session_exec (NbDb *db, const char *sql);

/* nb_db_begin_write: starts a write transaction holding the database's single writer lock
 * (SQLite: BEGIN IMMEDIATE; PostgreSQL: BEGIN and a transaction-scoped advisory lock that every
 * bench's writers take, so the audit chain and the certificate numbers are extended by one
 * writer at a time across benches). */
int nb_db_begin_write (NbDb *db);

/* nb_db_get_autocommit: TRUE when no transaction is open. */
gboolean nb_db_get_autocommit (NbDb *db);

/* nb_db_last_insert_id: the rowid of the row inserted last by an INSERT on @db. */
gint64 nb_db_last_insert_id (NbDb *db);

/* nb_db_changes: the rows changed by the last INSERT, UPDATE or DELETE. */
gint64 nb_db_changes (NbDb *db);

/* nb_db_prepare: (transfer full) prepares @sql (a single statement; @sql must outlive the
 * statement when @persistent, as the store's cache keys on string literals). NULL with the rc in
 * *@rc_out on failure (nb_db_errmsg () has the message). */
NbStmt *nb_db_prepare (NbDb *db, const char *sql, gboolean persistent, int *rc_out);

void nb_stmt_finalize (NbStmt *stmt);

/* Binding (1-based, as SQLite): text and blobs are copied when the backend needs them later, so
 * the caller's buffer need only live until the next step. @len -1: NUL-terminated. */
int nb_stmt_bind_int64 (NbStmt *stmt, int col, gint64 value);
int nb_stmt_bind_int (NbStmt *stmt, int col, int value);
int nb_stmt_bind_double (NbStmt *stmt, int col, double value);
int nb_stmt_bind_text (NbStmt *stmt, int col, const char *text, int len);
int nb_stmt_bind_blob (NbStmt *stmt, int col, const void *data, int len);
int nb_stmt_bind_null (NbStmt *stmt, int col);
void nb_stmt_clear_bindings (NbStmt *stmt);

/* nb_stmt_step: NB_DB_ROW (a row is ready), NB_DB_DONE, or an error rc. */
int nb_stmt_step (NbStmt *stmt);

/* nb_stmt_reset: ready to run again (bindings kept); the rc of the last step. */
int nb_stmt_reset (NbStmt *stmt);

/* Columns (0-based) of the current row. Text and blobs are owned by the statement and valid until
 * the next step or reset. */
int nb_stmt_column_count (NbStmt *stmt);
int nb_stmt_column_type (NbStmt *stmt, int col);
gint64 nb_stmt_column_int64 (NbStmt *stmt, int col);
int nb_stmt_column_int (NbStmt *stmt, int col);
double nb_stmt_column_double (NbStmt *stmt, int col);
const unsigned char *nb_stmt_column_text (NbStmt *stmt, int col);
const void *nb_stmt_column_blob (NbStmt *stmt, int col);
int nb_stmt_column_bytes (NbStmt *stmt, int col);

G_END_DECLS
