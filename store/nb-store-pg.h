/* nb-store-pg.h: the PostgreSQL side of the store (internal to store/): its schema and migration
 * list (nb-store-schema-pg.c), opening a store on a server (nb-store-open-pg.c) and its schema
 * check (nb-store-check-pg.c). */
#pragma once

#include "nb-store-private.h"

G_BEGIN_DECLS

/* nb_store_pg_step_sql: the SQL of the PostgreSQL migration from version @from, which brings the
 * database to *@to; NULL when there is none (@from is the newest). */
const char *nb_store_pg_step_sql (int from, int *to);

/* nb_store_pg_schema_latest: the newest PostgreSQL schema version (equal to SQLite's). */
int nb_store_pg_schema_latest (void);

/* nb_store_pg_connect: connects @store (whose path is a postgresql:// URI) to its server;
 * read-only stores get default_transaction_read_only. NB_STORE_ERROR_OFFLINE when the server
 * cannot be reached, NB_STORE_ERROR_READ_ONLY when the credentials are refused or the URI holds
 * a password. */
gboolean nb_store_pg_connect (NbStore *store, GError **error);

/* nb_store_pg_schema_version: the version in schema_version; 0 for an empty database (no
 * NeedleBench tables), -1 if it cannot be read. */
int nb_store_pg_schema_version (NbStore *store, GError **error);

/* nb_store_pg_migrate: brings @store's database to @target (only the newest version exists on
 * PostgreSQL, earlier targets are refused), creating the schema of an empty database. Under the
 * writer lock, so that benches opening an empty database at once create it once. */
gboolean nb_store_pg_migrate (NbStore *store, int target, GError **error);

/* nb_store_pg_schema_findings: as nb_store_schema_findings () for PostgreSQL (tables, their
 * columns and constraints, triggers, their enabled state and trigger functions compared with
 * those the migrations create). */
GPtrArray *nb_store_pg_schema_findings (NbStore *store, int version, GError **error);

/* --- live locks (nb-store-lock-pg.c: session-level advisory locks on the store's own
 * connection, two-int form: the class, then the record id) --- */
#define NB_STORE_PG_LOCK_SESSION 0x4e420001
#define NB_STORE_PG_LOCK_RUN 0x4e420002
/* nb_store_pg_lock: takes the live lock (@klass, @id) for this connection; FALSE with
 * NB_STORE_ERROR_BUSY if another connection holds it. */
gboolean nb_store_pg_lock (NbStore *store, int klass, gint64 id, GError **error);
void nb_store_pg_unlock (NbStore *store, int klass, gint64 id);
/* nb_store_pg_is_locked: TRUE if any connection (@db's too) holds (@klass, @id). */
gboolean nb_store_pg_is_locked (NbDb *db, int klass, gint64 id);
/* nb_store_pg_uri_is_locked: the same on a connection of its own to @uri (FALSE if it cannot
 * connect), for the path-based nb_store_session_is_live () and nb_store_run_is_live (). */
gboolean nb_store_pg_uri_is_locked (const char *uri, int klass, gint64 id);

G_END_DECLS
