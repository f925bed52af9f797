/* nb-store-schema.c: the database schema as a list of forward migrations. Step N brings
 * user_version N-1 to N; steps are never edited once released, only appended. */
#include "nb-store-private.h"

/* Version 1: tables and the append-only triggers. */
static const char schema_v1[]
    = "CREATE TABLE pens ("
      "  id INTEGER PRIMARY KEY,"
      "  serial TEXT NOT NULL UNIQUE,"
      "  model TEXT,"
      "  first_seen INTEGER NOT NULL,"
      "  last_seen INTEGER NOT NULL);"
      "CREATE TABLE pen_firmware ("
      "  id INTEGER PRIMARY KEY,"
      "  pen_id INTEGER NOT NULL REFERENCES pens(id),"
      "  firmware TEXT NOT NULL,"
      "  seen_at INTEGER NOT NULL);"
      "CREATE INDEX pen_firmware_pen ON pen_firmware(pen_id);"
      "CREATE TABLE sessions ("
      "  id INTEGER PRIMARY KEY,"
      "  pen_id INTEGER REFERENCES pens(id),"
      "  uri TEXT,"
      "  operator TEXT,"
      "  name TEXT,"
      "  note TEXT,"
      "  depth_mm REAL,"
      "  rate_hz REAL,"
      "  sample_rate_hz REAL NOT NULL,"
      "  started_at INTEGER NOT NULL,"
      "  ended_at INTEGER,"
      "  status TEXT NOT NULL DEFAULT 'recording'"
      "    CHECK (status IN ('recording', 'complete', 'aborted')),"
      "  error TEXT);"
      "CREATE TABLE strokes ("
      "  session_id INTEGER NOT NULL REFERENCES sessions(id),"
      "  idx INTEGER NOT NULL,"
      "  peak_sample INTEGER NOT NULL,"
      "  time_s REAL NOT NULL,"
      "  depth_mm REAL NOT NULL,"
      "  period_s REAL NOT NULL,"
      "  entry_speed_mm_s REAL);"
      "CREATE INDEX strokes_session ON strokes(session_id, idx);"
      "CREATE TABLE batches ("
      "  session_id INTEGER NOT NULL REFERENCES sessions(id),"
      "  first_index INTEGER NOT NULL,"
      "  count INTEGER NOT NULL,"
      "  samples BLOB NOT NULL);" /* count little-endian int16 tip positions in µm */
      "CREATE INDEX batches_session ON batches(session_id, first_index);"
      "CREATE TABLE events ("
      "  id INTEGER PRIMARY KEY,"
      "  session_id INTEGER NOT NULL REFERENCES sessions(id),"
      "  sample_index INTEGER NOT NULL,"
      "  code INTEGER NOT NULL,"
      "  name TEXT,"
      "  detail TEXT,"
      "  at INTEGER NOT NULL);"
      "CREATE INDEX events_session ON events(session_id, sample_index);"
      "CREATE TABLE audit ("
      "  id INTEGER PRIMARY KEY,"
      "  at INTEGER NOT NULL,"
      "  actor TEXT NOT NULL,"
      "  action TEXT NOT NULL,"
      "  subject TEXT,"
      "  detail TEXT,"
      "  prev_hash TEXT NOT NULL,"
      "  hash TEXT NOT NULL);"
      /* append-only records */
      "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
      "  BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: UPDATE rejected'); END;"
      "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
      "  BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: DELETE rejected'); END;"
      "CREATE TRIGGER strokes_no_update BEFORE UPDATE ON strokes"
      "  BEGIN SELECT RAISE(ABORT, 'strokes are append-only: UPDATE rejected'); END;"
      "CREATE TRIGGER strokes_no_delete BEFORE DELETE ON strokes"
      "  BEGIN SELECT RAISE(ABORT, 'strokes are append-only: DELETE rejected'); END;"
      "CREATE TRIGGER batches_no_update BEFORE UPDATE ON batches"
      "  BEGIN SELECT RAISE(ABORT, 'sample batches are append-only: UPDATE rejected'); END;"
      "CREATE TRIGGER batches_no_delete BEFORE DELETE ON batches"
      "  BEGIN SELECT RAISE(ABORT, 'sample batches are append-only: DELETE rejected'); END;"
      "CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
      "  BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE rejected'); END;"
      "CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
      "  BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE rejected'); END;"
      "CREATE TRIGGER pen_firmware_no_update BEFORE UPDATE ON pen_firmware"
      "  BEGIN SELECT RAISE(ABORT, 'firmware history is append-only: UPDATE rejected'); END;"
      "CREATE TRIGGER pen_firmware_no_delete BEFORE DELETE ON pen_firmware"
      "  BEGIN SELECT RAISE(ABORT, 'firmware history is append-only: DELETE rejected'); END;"
      "CREATE TRIGGER pens_no_delete BEFORE DELETE ON pens"
      "  BEGIN SELECT RAISE(ABORT, 'pens cannot be deleted'); END;"
      "CREATE TRIGGER pens_update BEFORE UPDATE ON pens"
      "  WHEN NEW.id IS NOT OLD.id OR NEW.serial IS NOT OLD.serial"
      "    OR NEW.first_seen IS NOT OLD.first_seen"
      "  BEGIN SELECT RAISE(ABORT, 'pens: only model and last_seen may change'); END;"
      "CREATE TRIGGER sessions_no_delete BEFORE DELETE ON sessions"
      "  BEGIN SELECT RAISE(ABORT, 'sessions cannot be deleted'); END;"
      /* the only allowed update: recording -> complete/aborted, setting ended_at (and error) */
      "CREATE TRIGGER sessions_close_only BEFORE UPDATE ON sessions"
      "  WHEN OLD.status <> 'recording' OR NEW.status = 'recording' OR NEW.ended_at IS NULL"
      "    OR NEW.id IS NOT OLD.id OR NEW.pen_id IS NOT OLD.pen_id OR NEW.uri IS NOT OLD.uri"
      "    OR NEW.operator IS NOT OLD.operator OR NEW.name IS NOT OLD.name"
      "    OR NEW.note IS NOT OLD.note OR NEW.depth_mm IS NOT OLD.depth_mm"
      "    OR NEW.rate_hz IS NOT OLD.rate_hz OR NEW.sample_rate_hz IS NOT OLD.sample_rate_hz"
      "    OR NEW.started_at IS NOT OLD.started_at"
      "  BEGIN SELECT RAISE(ABORT, 'sessions: only closing a recording session is allowed'); END;"
      /* closed sessions take no more data */
      "CREATE TRIGGER strokes_open_session BEFORE INSERT ON strokes"
      "  WHEN (SELECT status FROM sessions WHERE id = NEW.session_id) IS NOT 'recording'"
      "  BEGIN SELECT RAISE(ABORT, 'strokes: session is not recording'); END;"
      "CREATE TRIGGER batches_open_session BEFORE INSERT ON batches"
      "  WHEN (SELECT status FROM sessions WHERE id = NEW.session_id) IS NOT 'recording'"
      "  BEGIN SELECT RAISE(ABORT, 'sample batches: session is not recording'); END;"
      "CREATE TRIGGER events_open_session BEFORE INSERT ON events"
      "  WHEN (SELECT status FROM sessions WHERE id = NEW.session_id) IS NOT 'recording'"
      "  BEGIN SELECT RAISE(ABORT, 'events: session is not recording'); END;";

/* Version 2: indexes for the GUI's session search. */
static const char schema_v2[] = "CREATE INDEX sessions_started ON sessions(started_at);"
                                "CREATE INDEX sessions_operator ON sessions(operator, started_at);"
                                "CREATE INDEX sessions_pen ON sessions(pen_id, started_at);";

/* Version 3: compressed raw samples (nb-sample-codec.h). ADD COLUMN rewrites no row, so the
 * append-only triggers are not involved: existing rows keep codec 0, raw little-endian int16. */
static const char schema_v3[] = "ALTER TABLE batches ADD COLUMN codec INTEGER NOT NULL DEFAULT 0;";

/* Version 4: reference standards, the certificates of the fixtures calibrations are traced to
 * (nb-store-standards.h). Append-only like the rest: a correction or a new certificate is a new
 * row, and the newest row for a serial (highest id) is the one in force; a row with `withdrawn`
 * set takes the fixture out of service. The CHECKs repeat the shape nb_store_add_standard ()
 * validates, so that no other writer can store a certificate without its figures. */
static const char schema_v4[]
    = "CREATE TABLE standards ("
      "  id INTEGER PRIMARY KEY,"
      "  serial TEXT NOT NULL CHECK (length(serial) > 0),"
      "  model TEXT,"
      "  certificate TEXT,"
      "  uncertainty_mm REAL,"
      "  k REAL,"
      "  due TEXT,"
      "  withdrawn TEXT,"
      "  added_at INTEGER NOT NULL,"
      "  added_by TEXT NOT NULL,"
      "  CONSTRAINT standard_shape CHECK ((withdrawn IS NULL AND length(certificate) > 0"
      "          AND uncertainty_mm > 0"
      "          AND k >= 1 AND k <= 5"
      "          AND due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')"
      "      OR (length(withdrawn) > 0 AND certificate IS NULL AND uncertainty_mm IS NULL"
      "          AND k IS NULL AND due IS NULL)));"
      "CREATE INDEX standards_serial ON standards(serial, id);"
      "CREATE TRIGGER standards_no_update BEFORE UPDATE ON standards"
      "  BEGIN SELECT RAISE(ABORT, 'reference standards are append-only: UPDATE rejected'); END;"
      "CREATE TRIGGER standards_no_delete BEFORE DELETE ON standards"
      "  BEGIN SELECT RAISE(ABORT, 'reference standards are append-only: DELETE rejected'); END;";

static const char *const migrations[] = {
  schema_v1,
  schema_v2,
  schema_v3,
  schema_v4,
};

int
nb_store_schema_latest (void)
{
  return (int) G_N_ELEMENTS (migrations);
}

gboolean
nb_store_schema_migrate (NbStore *store, int target, GError **error)
{
  for (;;)
    {
      sqlite3_stmt *stmt = nb_store_stmt (store, "PRAGMA user_version", error);
      if (stmt == NULL)
        return FALSE;
      int rc = sqlite3_step (stmt);
      int version = rc == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : -1;
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        {
          nb_store_set_error (store, error, rc, "reading the schema version");
          return FALSE;
        }
      if (version > nb_store_schema_latest ())
        {
          g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_SCHEMA,
                       "Database %s has schema version %d, newer than this NeedleBench "
                       "understands (%d); use a newer NeedleBench",
                       store->path, version, nb_store_schema_latest ());
          return FALSE;
        }
      if (version >= target)
        return TRUE;
      if (store->read_only)
        {
          g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_READ_ONLY,
                       "Database %s needs an upgrade from schema %d to %d but is opened "
                       "read-only",
                       store->path, version, target);
          return FALSE;
        }

      if (!nb_store_begin (store, error))
        return FALSE;
      /* re-read inside the write lock: another process may have migrated meanwhile */
      stmt = nb_store_stmt (store, "PRAGMA user_version", error);
      if (stmt == NULL)
        goto fail;
      rc = sqlite3_step (stmt);
      int locked_version = sqlite3_column_int (stmt, 0);
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        {
          nb_store_set_error (store, error, rc, "reading the schema version");
          goto fail;
        }
      if (locked_version == version)
        {
          g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
          if (!nb_store_exec (store, migrations[version], error)
              || !nb_store_exec (store, bump, error))
            {
              g_prefix_error (error, "Migrating %s to schema %d: ", store->path, version + 1);
              if (error != NULL && *error != NULL && (*error)->code == NB_STORE_ERROR_FAILED)
                (*error)->code = NB_STORE_ERROR_SCHEMA;
              goto fail;
            }
        }
      if (!nb_store_commit (store, error))
        goto fail;
      continue;
    fail:
      nb_store_rollback (store);
      return FALSE;
    }
}
