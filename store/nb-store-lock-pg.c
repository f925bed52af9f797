/* nb-store-lock-pg.c: live locks on PostgreSQL (nb-store-pg.h). A bench recording a session or
 * running a calibration holds a session-level advisory lock on its connection to the server
 * instead of a byte of <db>-recording: the server drops it when the connection ends, however
 * the bench ends, just as the kernel drops an OFD lock. The two-int form keeps these apart from
 * the writer lock (nb-db-pg.c, one bigint key): the first int is the class (session or run), the
 * second the record id (ids beyond 2^32 share a lock with id mod 2^32, which at worst shows a
 * dead record as live). */
#include "nb-store-pg.h"

static gint64
key2 (gint64 id)
{
  return (gint64) (gint32) (guint32) id;
}

gboolean
nb_store_pg_lock (NbStore *store, int klass, gint64 id, GError **error)
{
  NbStmt *stmt = nb_store_stmt (
      store, "SELECT pg_try_advisory_lock (CAST (?1 AS integer), CAST (?2 AS integer))", error);
  if (stmt == NULL)
    return FALSE;
  nb_stmt_bind_int64 (stmt, 1, klass);
  nb_stmt_bind_int64 (stmt, 2, key2 (id));
  int rc = nb_stmt_step (stmt);
  gboolean got = rc == NB_DB_ROW && nb_stmt_column_int (stmt, 0) != 0;
  nb_stmt_reset (stmt);
  if (rc != NB_DB_ROW)
    {
      nb_store_set_error (store, error, rc, "Taking a live lock on");
      return FALSE;
    }
  if (!got)
    g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_BUSY,
                 "Cannot lock %s %" G_GINT64_FORMAT " in %s: another connection holds it",
                 klass == NB_STORE_PG_LOCK_RUN ? "run" : "session", id, store->path);
  return got;
}

void
nb_store_pg_unlock (NbStore *store, int klass, gint64 id)
{
  NbStmt *stmt = nb_store_stmt (
      store, "SELECT pg_advisory_unlock (CAST (?1 AS integer), CAST (?2 AS integer))", NULL);
  if (stmt == NULL)
    return;
  nb_stmt_bind_int64 (stmt, 1, klass);
  nb_stmt_bind_int64 (stmt, 2, key2 (id));
  /* failing (connection lost) is fine: the server released it with the connection */
  nb_stmt_step (stmt);
  nb_stmt_reset (stmt);
}

gboolean
nb_store_pg_is_locked (NbDb *db, int klass, gint64 id)
{
  /* any connection, this one too: as on SQLite, where a GUI sees its own recorder's lock */
  int rc;
  NbStmt *stmt = nb_db_prepare (db,
                                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                                " AND database = (SELECT oid FROM pg_database"
                                "   WHERE datname = current_database())"
                                " AND classid::bigint = ?1 AND objid::bigint = ?2"
                                " AND objsubid = 2 AND granted",
                                FALSE, &rc);
  if (stmt == NULL)
    return FALSE;
  nb_stmt_bind_int64 (stmt, 1, klass);
  nb_stmt_bind_int64 (stmt, 2, (gint64) (guint32) id);
  gboolean live = nb_stmt_step (stmt) == NB_DB_ROW && nb_stmt_column_int64 (stmt, 0) > 0;
  nb_stmt_finalize (stmt);
  return live;
}

gboolean
nb_store_pg_uri_is_locked (const char *uri, int klass, gint64 id)
{
  int rc;
  g_autofree char *message = NULL;
  NbDb *db = nb_db_open_pg (uri, &rc, &message);
  if (db == NULL)
    return FALSE;
  gboolean live = nb_store_pg_is_locked (db, klass, id);
  nb_db_close (db);
  return live;
}
