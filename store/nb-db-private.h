/* nb-db-private.h: the connection and statement structs shared by nb-db.c (the API and its
 * SQLite backend) and nb-db-pg.c (the PostgreSQL backend). */
#pragma once

#include "nb-db.h"

G_BEGIN_DECLS

typedef struct _NbDbPg NbDbPg;     /* nb-db-pg.c */
typedef struct _NbStmtPg NbStmtPg; /* nb-db-pg.c */

struct _NbDb
{
  NbDbBackend backend;
  sqlite3 *sq;
  NbDbPg *pg;
};

struct _NbStmt
{
  NbDb *db;
  sqlite3_stmt *sq;
  NbStmtPg *pg;
};

/* --- the PostgreSQL backend (nb-db-pg.c), called by nb-db.c's dispatch --- */
void nb_db_pg_close (NbDbPg *pg);
const char *nb_db_pg_errmsg (NbDbPg *pg);
int nb_db_pg_exec (NbDbPg *pg, const char *sql);
int nb_db_pg_session_exec (NbDbPg *pg, const char *sql);
int nb_db_pg_begin_write (NbDbPg *pg);
gboolean nb_db_pg_get_autocommit (NbDbPg *pg);
gint64 nb_db_pg_last_insert_id (NbDbPg *pg);
gint64 nb_db_pg_changes (NbDbPg *pg);
NbStmtPg *nb_db_pg_prepare (NbDbPg *pg, const char *sql, int *rc_out);
void nb_stmt_pg_finalize (NbStmtPg *s);
int nb_stmt_pg_bind (NbStmtPg *s, int col, int type, const void *data, int len);
void nb_stmt_pg_clear_bindings (NbStmtPg *s);
int nb_stmt_pg_step (NbStmtPg *s);
int nb_stmt_pg_reset (NbStmtPg *s);
int nb_stmt_pg_column_count (NbStmtPg *s);
int nb_stmt_pg_column_type (NbStmtPg *s, int col);
const char *nb_stmt_pg_column_raw (NbStmtPg *s, int col);
const void *nb_stmt_pg_column_blob (NbStmtPg *s, int col);
int nb_stmt_pg_column_bytes (NbStmtPg *s, int col);

G_END_DECLS
