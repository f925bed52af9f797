/* nb-store-schema.c: the database schema as a list of forward migrations. Step N brings
 * user_version N-1 to N; steps are never edited once released, only appended. */
#include "nb-audit.h"
#include "nb-store-pg.h"

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

/* Version 5: calibration runs (nb-store-runs.h). A run row is inserted 'running' and changed
 * once, to close it; its transitions, points, the raw per-stroke readings behind each point and
 * the pen's encoded calibration tables are inserted while it runs and never changed. The CHECKs
 * repeat what nb_store_begin_run () validates, so no other writer can store a run without its
 * pen, profile and rule. Run ids stay below 2^62 and session ids too: a run's live lock is byte
 * 2^62 + id of <db>-recording, which no session's byte (its id) can reach (nb-store-lock.c). */
static const char schema_v5[]
    = "CREATE TRIGGER sessions_id_range AFTER INSERT ON sessions"
      "  WHEN NEW.id >= 4611686018427387904"
      "  BEGIN SELECT RAISE(ABORT, 'sessions: id out of range'); END;"
      "CREATE TABLE runs ("
      "  id INTEGER PRIMARY KEY,"
      "  pen_serial TEXT NOT NULL CHECK (length(pen_serial) > 0),"
      "  pen_model TEXT,"
      "  pen_firmware TEXT,"
      "  pen_uri TEXT,"
      "  fixture_serial TEXT,"
      "  fixture_model TEXT,"
      "  fixture_uri TEXT,"
      "  standard_id INTEGER REFERENCES standards(id),"
      "  profile_id TEXT NOT NULL CHECK (length(profile_id) > 0),"
      "  profile_version INTEGER NOT NULL CHECK (profile_version >= 1),"
      "  profile_json TEXT,"
      "  rule TEXT NOT NULL CHECK (rule IN ('simple', 'guarded', 'nonbinary')),"
      "  traceable INTEGER NOT NULL CHECK (traceable IN (0, 1)),"
      "  adjust INTEGER NOT NULL CHECK (adjust IN (0, 1)),"
      "  operator TEXT,"
      "  environment_json TEXT,"
      "  started_at INTEGER NOT NULL,"
      "  ended_at INTEGER,"
      "  status TEXT NOT NULL DEFAULT 'running'"
      "    CHECK (status IN ('running', 'complete', 'failed', 'cancelled')),"
      "  verdict TEXT CHECK (verdict IS NULL"
      "    OR verdict IN ('pass', 'conditional-pass', 'conditional-fail', 'fail')),"
      "  error TEXT,"
      "  result_json TEXT,"
      "  CONSTRAINT run_traced CHECK (traceable = 0"
      "    OR (fixture_serial IS NOT NULL AND standard_id IS NOT NULL)),"
      "  CONSTRAINT run_closed CHECK ((status = 'running') = (ended_at IS NULL)));"
      "CREATE INDEX runs_started ON runs(started_at);"
      "CREATE TRIGGER runs_id_range AFTER INSERT ON runs"
      "  WHEN NEW.id >= 4611686018427387904 OR NEW.status <> 'running'"
      "  BEGIN SELECT RAISE(ABORT, 'runs: a run starts running, with an id below 2^62'); END;"
      "CREATE TRIGGER runs_no_delete BEFORE DELETE ON runs"
      "  BEGIN SELECT RAISE(ABORT, 'runs cannot be deleted'); END;"
      /* the only allowed update: running -> closed, setting ended_at, verdict, error, result */
      "CREATE TRIGGER runs_close_only BEFORE UPDATE ON runs"
      "  WHEN OLD.status <> 'running' OR NEW.status = 'running' OR NEW.ended_at IS NULL"
      "    OR NEW.id IS NOT OLD.id OR NEW.pen_serial IS NOT OLD.pen_serial"
      "    OR NEW.pen_model IS NOT OLD.pen_model OR NEW.pen_firmware IS NOT OLD.pen_firmware"
      "    OR NEW.pen_uri IS NOT OLD.pen_uri OR NEW.fixture_serial IS NOT OLD.fixture_serial"
      "    OR NEW.fixture_model IS NOT OLD.fixture_model"
      "    OR NEW.fixture_uri IS NOT OLD.fixture_uri OR NEW.standard_id IS NOT OLD.standard_id"
      "    OR NEW.profile_id IS NOT OLD.profile_id"
      "    OR NEW.profile_version IS NOT OLD.profile_version"
      "    OR NEW.profile_json IS NOT OLD.profile_json OR NEW.rule IS NOT OLD.rule"
      "    OR NEW.traceable IS NOT OLD.traceable OR NEW.adjust IS NOT OLD.adjust"
      "    OR NEW.operator IS NOT OLD.operator"
      "    OR NEW.environment_json IS NOT OLD.environment_json"
      "    OR NEW.started_at IS NOT OLD.started_at"
      "  BEGIN SELECT RAISE(ABORT, 'runs: only closing a running run is allowed'); END;"
      "CREATE TABLE run_transitions ("
      "  id INTEGER PRIMARY KEY,"
      "  run_id INTEGER NOT NULL REFERENCES runs(id),"
      "  at INTEGER NOT NULL,"
      "  state TEXT NOT NULL CHECK (length(state) > 0),"
      "  detail TEXT);"
      "CREATE INDEX run_transitions_run ON run_transitions(run_id, id);"
      "CREATE TABLE run_points ("
      "  id INTEGER PRIMARY KEY,"
      "  run_id INTEGER NOT NULL REFERENCES runs(id),"
      "  phase TEXT NOT NULL CHECK (phase IN ('as-found', 'as-left')),"
      "  quantity TEXT NOT NULL CHECK (quantity IN ('depth', 'rate')),"
      "  seq INTEGER NOT NULL CHECK (seq >= 0),"
      "  target REAL NOT NULL,"
      "  depth_mm REAL,"
      "  rate_hz REAL,"
      "  n INTEGER NOT NULL CHECK (n >= 0),"
      "  mean REAL,"
      "  sd REAL,"
      "  error REAL,"
      "  u REAL,"
      "  expanded REAL,"
      "  k REAL,"
      "  nu_eff REAL," /* NULL: infinite when u is not NULL (see nb-store-runs.h) */
      "  verdict TEXT CHECK (verdict IS NULL"
      "    OR verdict IN ('pass', 'conditional-pass', 'conditional-fail', 'fail')),"
      "  pfa REAL,"
      "  pen_mean REAL,"
      "  UNIQUE (run_id, phase, quantity, seq));"
      "CREATE TABLE run_strokes ("
      "  point_id INTEGER NOT NULL REFERENCES run_points(id),"
      "  idx INTEGER NOT NULL CHECK (idx >= 0),"
      "  reference REAL NOT NULL,"
      "  pen REAL," /* NULL: not paired, or a self-check */
      "  PRIMARY KEY (point_id, idx)) WITHOUT ROWID;"
      "CREATE TABLE run_tables ("
      "  run_id INTEGER NOT NULL REFERENCES runs(id),"
      "  which TEXT NOT NULL CHECK (which IN ('before', 'after')),"
      "  at INTEGER NOT NULL,"
      "  data BLOB NOT NULL,"
      "  PRIMARY KEY (run_id, which));"
      /* append-only */
      "CREATE TRIGGER run_transitions_no_update BEFORE UPDATE ON run_transitions"
      "  BEGIN SELECT RAISE(ABORT, 'run transitions are append-only: UPDATE rejected'); END;"
      "CREATE TRIGGER run_transitions_no_delete BEFORE DELETE ON run_transitions"
      "  BEGIN SELECT RAISE(ABORT, 'run transitions are append-only: DELETE rejected'); END;"
      "CREATE TRIGGER run_points_no_update BEFORE UPDATE ON run_points"
      "  BEGIN SELECT RAISE(ABORT, 'run points are append-only: UPDATE rejected'); END;"
      "CREATE TRIGGER run_points_no_delete BEFORE DELETE ON run_points"
      "  BEGIN SELECT RAISE(ABORT, 'run points are append-only: DELETE rejected'); END;"
      "CREATE TRIGGER run_strokes_no_update BEFORE UPDATE ON run_strokes"
      "  BEGIN SELECT RAISE(ABORT, 'run strokes are append-only: UPDATE rejected'); END;"
      "CREATE TRIGGER run_strokes_no_delete BEFORE DELETE ON run_strokes"
      "  BEGIN SELECT RAISE(ABORT, 'run strokes are append-only: DELETE rejected'); END;"
      "CREATE TRIGGER run_tables_no_update BEFORE UPDATE ON run_tables"
      "  BEGIN SELECT RAISE(ABORT, 'run tables are append-only: UPDATE rejected'); END;"
      "CREATE TRIGGER run_tables_no_delete BEFORE DELETE ON run_tables"
      "  BEGIN SELECT RAISE(ABORT, 'run tables are append-only: DELETE rejected'); END;"
      /* a closed run takes no more data */
      "CREATE TRIGGER run_transitions_open_run BEFORE INSERT ON run_transitions"
      "  WHEN (SELECT status FROM runs WHERE id = NEW.run_id) IS NOT 'running'"
      "  BEGIN SELECT RAISE(ABORT, 'run transitions: run is not running'); END;"
      "CREATE TRIGGER run_points_open_run BEFORE INSERT ON run_points"
      "  WHEN (SELECT status FROM runs WHERE id = NEW.run_id) IS NOT 'running'"
      "  BEGIN SELECT RAISE(ABORT, 'run points: run is not running'); END;"
      "CREATE TRIGGER run_strokes_open_run BEFORE INSERT ON run_strokes"
      "  WHEN (SELECT r.status FROM runs r JOIN run_points p ON p.run_id = r.id"
      "        WHERE p.id = NEW.point_id) IS NOT 'running'"
      "  BEGIN SELECT RAISE(ABORT, 'run strokes: run is not running'); END;"
      "CREATE TRIGGER run_tables_open_run BEFORE INSERT ON run_tables"
      "  WHEN (SELECT status FROM runs WHERE id = NEW.run_id) IS NOT 'running'"
      "  BEGIN SELECT RAISE(ABORT, 'run tables: run is not running'); END;";

/* Version 6: laboratory settings, users, certificates and their signatures
 * (nb-store-certificates.h). All append-only: a change is a new row, the newest row (highest id)
 * of a laboratory, user or certificate is the one in force. A certificate number is allocated by
 * inserting its `certificates` row, in the same transaction as its first record: the UNIQUE
 * constraints and the seq trigger (exactly the previous maximum + 1 of its prefix and year) make
 * a gap or a duplicate impossible whoever writes. A signature must carry the content hash of the
 * certificate record it signs, which must be that certificate's newest record and a draft, and an
 * approval needs an active approver (21 CFR 11.70: it cannot be moved to another record). */
static const char schema_v6[]
    = "CREATE TABLE lab_settings ("
      "  id INTEGER PRIMARY KEY,"
      "  name TEXT NOT NULL CHECK (length(name) > 0),"
      "  address TEXT NOT NULL CHECK (length(address) > 0),"
      "  location TEXT,"
      "  prefix TEXT NOT NULL CHECK (length(prefix) BETWEEN 1 AND 12"
      "    AND prefix NOT GLOB '*[^A-Z0-9]*'),"
      "  set_at INTEGER NOT NULL,"
      "  set_by TEXT NOT NULL);"
      "CREATE TABLE users ("
      "  id INTEGER PRIMARY KEY,"
      "  name TEXT NOT NULL CHECK (length(name) > 0),"
      "  display_name TEXT NOT NULL CHECK (length(display_name) > 0),"
      "  role TEXT NOT NULL CHECK (role IN ('operator', 'technician', 'approver')),"
      "  password_hash TEXT NOT NULL CHECK (password_hash GLOB '$argon2id$*'),"
      "  active INTEGER NOT NULL CHECK (active IN (0, 1)),"
      "  changed_at INTEGER NOT NULL,"
      "  changed_by TEXT NOT NULL);"
      "CREATE INDEX users_name ON users(name, id);"
      "CREATE TABLE certificates ("
      "  id INTEGER PRIMARY KEY,"
      "  number TEXT NOT NULL UNIQUE,"
      "  prefix TEXT NOT NULL,"
      "  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 9999),"
      "  seq INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 999999),"
      "  run_id INTEGER NOT NULL REFERENCES runs(id),"
      "  kind TEXT NOT NULL CHECK (kind = 'calibration-certificate'),"
      "  created_at INTEGER NOT NULL,"
      "  created_by TEXT NOT NULL,"
      "  UNIQUE (prefix, year, seq),"
      "  CHECK (number = prefix || '-' || year || '-' || printf('%06d', seq)));"
      "CREATE INDEX certificates_run ON certificates(run_id);"
      "CREATE TRIGGER certificates_sequential BEFORE INSERT ON certificates"
      "  WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM certificates"
      "    WHERE prefix = NEW.prefix AND year = NEW.year)"
      "  BEGIN SELECT RAISE(ABORT, 'certificates: a number must follow the last one'); END;"
      "CREATE TRIGGER certificates_traceable BEFORE INSERT ON certificates"
      "  WHEN (SELECT status = 'complete' AND traceable = 1 FROM runs WHERE id = NEW.run_id)"
      "    IS NOT 1"
      "  BEGIN SELECT RAISE(ABORT, 'certificates: only a complete, traceable run'); END;"
      "CREATE TABLE certificate_records ("
      "  id INTEGER PRIMARY KEY,"
      "  certificate_id INTEGER NOT NULL REFERENCES certificates(id),"
      "  revision INTEGER NOT NULL CHECK (revision >= 1),"
      "  supersedes INTEGER REFERENCES certificate_records(id),"
      "  status TEXT NOT NULL CHECK (status IN ('draft', 'issued', 'voided')),"
      "  reason TEXT,"
      "  content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64"
      "    AND content_sha256 NOT GLOB '*[^0-9a-f]*'),"
      "  document TEXT NOT NULL,"
      "  issued_at INTEGER,"
      "  at INTEGER NOT NULL,"
      "  by TEXT NOT NULL,"
      "  CHECK ((status = 'voided') = (reason IS NOT NULL AND length(reason) > 0)),"
      "  CHECK ((status = 'draft') = (issued_at IS NULL) OR status = 'voided'),"
      "  CHECK ((supersedes IS NULL) = (revision = 1 AND status = 'draft')));"
      "CREATE INDEX certificate_records_certificate ON certificate_records(certificate_id, id);"
      /* a record follows the certificate's newest one: a draft only after a draft or issued one
       * (a correction: the next revision) or as the first; issued only after a draft of the same
       * revision that an approver signed; nothing after a void */
      "CREATE TRIGGER certificate_records_follow BEFORE INSERT ON certificate_records"
      "  WHEN NEW.supersedes IS NOT (SELECT max(id) FROM certificate_records"
      "      WHERE certificate_id = NEW.certificate_id)"
      "    OR (SELECT status FROM certificate_records WHERE id = NEW.supersedes) = 'voided'"
      "    OR (NEW.status = 'draft' AND NEW.supersedes IS NOT NULL AND NEW.revision"
      "        IS NOT (SELECT revision + 1 FROM certificate_records WHERE id = NEW.supersedes))"
      "    OR (NEW.status <> 'draft' AND NEW.revision"
      "        IS NOT (SELECT revision FROM certificate_records WHERE id = NEW.supersedes))"
      "    OR (NEW.status = 'issued'"
      "        AND ((SELECT status FROM certificate_records WHERE id = NEW.supersedes) <> 'draft'"
      "          OR NOT EXISTS (SELECT 1 FROM certificate_signatures"
      "            WHERE record_id = NEW.supersedes AND meaning = 'approved')))"
      "  BEGIN SELECT RAISE(ABORT, 'certificate records: not a valid next record'); END;"
      "CREATE TABLE certificate_signatures ("
      "  id INTEGER PRIMARY KEY,"
      "  certificate_id INTEGER NOT NULL REFERENCES certificates(id),"
      "  record_id INTEGER NOT NULL REFERENCES certificate_records(id),"
      "  content_sha256 TEXT NOT NULL,"
      "  user_id INTEGER NOT NULL REFERENCES users(id),"
      "  user_name TEXT NOT NULL,"
      "  display_name TEXT NOT NULL,"
      "  role TEXT NOT NULL CHECK (role IN ('operator', 'technician', 'approver')),"
      "  meaning TEXT NOT NULL CHECK (meaning IN ('performed', 'reviewed', 'approved')),"
      "  at INTEGER NOT NULL,"
      "  UNIQUE (record_id, user_name, meaning),"
      "  CHECK (meaning <> 'approved' OR role = 'approver'));"
      "CREATE INDEX certificate_signatures_record ON certificate_signatures(record_id, id);"
      "CREATE TRIGGER certificate_signatures_bound BEFORE INSERT ON certificate_signatures"
      "  WHEN NEW.record_id IS NOT (SELECT max(id) FROM certificate_records"
      "      WHERE certificate_id = NEW.certificate_id)"
      "    OR (SELECT status FROM certificate_records WHERE id = NEW.record_id) IS NOT 'draft'"
      "    OR NEW.content_sha256 IS NOT (SELECT content_sha256 FROM certificate_records"
      "      WHERE id = NEW.record_id)"
      "  BEGIN SELECT RAISE(ABORT, 'certificate signatures: the content hash is not the"
      " draft certificate''s'); END;"
      "CREATE TRIGGER certificate_signatures_user BEFORE INSERT ON certificate_signatures"
      "  WHEN NEW.user_id IS NOT (SELECT max(id) FROM users WHERE name = NEW.user_name)"
      "    OR (SELECT active = 1 AND role = NEW.role AND display_name = NEW.display_name"
      "        FROM users WHERE id = NEW.user_id) IS NOT 1"
      "  BEGIN SELECT RAISE(ABORT, 'certificate signatures: not the user in force'); END;"
      /* append-only */
      "CREATE TRIGGER lab_settings_no_update BEFORE UPDATE ON lab_settings"
      "  BEGIN SELECT RAISE(ABORT, 'laboratory settings are append-only: UPDATE rejected'); END;"
      "CREATE TRIGGER lab_settings_no_delete BEFORE DELETE ON lab_settings"
      "  BEGIN SELECT RAISE(ABORT, 'laboratory settings are append-only: DELETE rejected'); END;"
      "CREATE TRIGGER users_no_update BEFORE UPDATE ON users"
      "  BEGIN SELECT RAISE(ABORT, 'users are append-only: UPDATE rejected'); END;"
      "CREATE TRIGGER users_no_delete BEFORE DELETE ON users"
      "  BEGIN SELECT RAISE(ABORT, 'users are append-only: DELETE rejected'); END;"
      "CREATE TRIGGER certificates_no_update BEFORE UPDATE ON certificates"
      "  BEGIN SELECT RAISE(ABORT, 'certificates are append-only: UPDATE rejected'); END;"
      "CREATE TRIGGER certificates_no_delete BEFORE DELETE ON certificates"
      "  BEGIN SELECT RAISE(ABORT, 'certificates are append-only: DELETE rejected'); END;"
      "CREATE TRIGGER certificate_records_no_update BEFORE UPDATE ON certificate_records"
      "  BEGIN SELECT RAISE(ABORT, 'certificate records are append-only: UPDATE rejected'); END;"
      "CREATE TRIGGER certificate_records_no_delete BEFORE DELETE ON certificate_records"
      "  BEGIN SELECT RAISE(ABORT, 'certificate records are append-only: DELETE rejected'); END;"
      "CREATE TRIGGER certificate_signatures_no_update BEFORE UPDATE ON certificate_signatures"
      "  BEGIN SELECT RAISE(ABORT, 'signatures are append-only: UPDATE rejected'); END;"
      "CREATE TRIGGER certificate_signatures_no_delete BEFORE DELETE ON certificate_signatures"
      "  BEGIN SELECT RAISE(ABORT, 'signatures are append-only: DELETE rejected'); END;";

/* Version 7: an audit trail that covers every record and cannot be recomputed
 * (nb-audit.h). Each entry names the rows it covers with their content hash (`covers`, hashed
 * into the chain); checkpoints sign the chain head with the laboratory key. Append-only, each
 * checkpoint's hash is the one of the entry it signs, the chain only grows at its end, and a
 * session can no longer be inserted already closed (an attacker's forged 'complete' session
 * now needs a dropped trigger, which the check on open and `audit verify` report). */
static const char schema_v7[]
    = "ALTER TABLE audit ADD COLUMN covers TEXT;"
      "CREATE TABLE audit_checkpoints ("
      "  id INTEGER PRIMARY KEY,"
      "  audit_id INTEGER NOT NULL UNIQUE REFERENCES audit(id),"
      "  hash TEXT NOT NULL,"
      "  key_id TEXT NOT NULL,"
      "  signature TEXT NOT NULL,"
      "  at INTEGER NOT NULL);"
      "CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints"
      "  BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only: UPDATE rejected'); END;"
      "CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints"
      "  BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only: DELETE rejected'); END;"
      "CREATE TRIGGER audit_checkpoints_match BEFORE INSERT ON audit_checkpoints"
      "  WHEN (SELECT hash FROM audit WHERE id = NEW.audit_id) IS NOT NEW.hash"
      "  BEGIN SELECT RAISE(ABORT, 'audit checkpoints: hash is not the entry''s'); END;"
      "CREATE TRIGGER audit_append_at_end BEFORE INSERT ON audit"
      "  WHEN NEW.id IS NOT (SELECT coalesce(max(id), 0) + 1 FROM audit)"
      "    OR NEW.prev_hash IS NOT coalesce((SELECT hash FROM audit ORDER BY id DESC LIMIT 1),"
      "      '" NB_AUDIT_GENESIS "')"
      "  BEGIN SELECT RAISE(ABORT, 'audit trail: an entry is appended at the end'); END;"
      "CREATE TRIGGER sessions_start_recording BEFORE INSERT ON sessions"
      "  WHEN NEW.status IS NOT 'recording' OR NEW.ended_at IS NOT NULL OR NEW.error IS NOT NULL"
      "  BEGIN SELECT RAISE(ABORT, 'sessions: a session starts recording'); END;";

/* Version 8: voiding a recorded session or a calibration run (nb-store-voids.h). A void is a
 * record of its own, never a change to the one it voids (ISSUE11 §4: append-only): one per
 * record at most, with a reason, only of a record that exists and is closed. A voided run cannot
 * be certified, whoever writes the certificate row. */
static const char schema_v8[]
    = "CREATE TABLE voids ("
      "  id INTEGER PRIMARY KEY,"
      "  kind TEXT NOT NULL CHECK (kind IN ('session', 'run')),"
      "  record_id INTEGER NOT NULL CHECK (record_id >= 1),"
      "  reason TEXT NOT NULL CHECK (length(reason) > 0),"
      "  at INTEGER NOT NULL,"
      "  by TEXT NOT NULL CHECK (length(by) > 0),"
      "  UNIQUE (kind, record_id));"
      "CREATE TRIGGER voids_no_update BEFORE UPDATE ON voids"
      "  BEGIN SELECT RAISE(ABORT, 'voids are append-only: UPDATE rejected'); END;"
      "CREATE TRIGGER voids_no_delete BEFORE DELETE ON voids"
      "  BEGIN SELECT RAISE(ABORT, 'voids are append-only: DELETE rejected'); END;"
      "CREATE TRIGGER voids_closed_record BEFORE INSERT ON voids"
      "  WHEN (NEW.kind = 'session' AND (SELECT status <> 'recording' FROM sessions"
      "        WHERE id = NEW.record_id) IS NOT 1)"
      "    OR (NEW.kind = 'run' AND (SELECT status <> 'running' FROM runs"
      "        WHERE id = NEW.record_id) IS NOT 1)"
      "  BEGIN SELECT RAISE(ABORT, 'voids: only a closed session or run can be voided'); END;"
      "CREATE TRIGGER certificates_run_not_voided BEFORE INSERT ON certificates"
      "  WHEN EXISTS (SELECT 1 FROM voids WHERE kind = 'run' AND record_id = NEW.run_id)"
      "  BEGIN SELECT RAISE(ABORT, 'certificates: the run was voided'); END;";

/* Version 9: what a session was measured against (issue 12): the Live page's treatment preset
 * (its profile, NULL for a custom target), the depth setting judged ± its tolerance, the band a
 * stroke may land in, and the rate's tolerance. A table of its own, not columns of sessions: the
 * audit hash of the session rows written before stays what it was, and the row is append-only on
 * its own terms. It is written with the session, before any stroke, and never changed. */
static const char schema_v9[]
    = "CREATE TABLE session_targets ("
      "  session_id INTEGER PRIMARY KEY REFERENCES sessions(id),"
      "  profile_id TEXT CHECK (profile_id IS NULL OR length(profile_id) > 0),"
      "  profile_version INTEGER CHECK (profile_version IS NULL OR profile_version >= 1),"
      "  target_mm REAL NOT NULL CHECK (target_mm >= 0),"
      "  tolerance_mm REAL NOT NULL CHECK (tolerance_mm > 0),"
      "  band_lo_mm REAL NOT NULL CHECK (band_lo_mm >= 0),"
      "  band_hi_mm REAL NOT NULL CHECK (band_hi_mm >= band_lo_mm),"
      "  rate_tolerance_hz REAL CHECK (rate_tolerance_hz IS NULL OR rate_tolerance_hz > 0));"
      "CREATE TRIGGER session_targets_no_update BEFORE UPDATE ON session_targets"
      "  BEGIN SELECT RAISE(ABORT, 'session targets are append-only: UPDATE rejected'); END;"
      "CREATE TRIGGER session_targets_no_delete BEFORE DELETE ON session_targets"
      "  BEGIN SELECT RAISE(ABORT, 'session targets are append-only: DELETE rejected'); END;"
      "CREATE TRIGGER session_targets_before_data BEFORE INSERT ON session_targets"
      "  WHEN (SELECT status FROM sessions WHERE id = NEW.session_id) IS NOT 'recording'"
      "    OR EXISTS (SELECT 1 FROM strokes WHERE session_id = NEW.session_id)"
      "  BEGIN SELECT RAISE(ABORT, 'session targets: only a recording session without strokes');"
      "  END;";

/* Version 10: fleet scale (issue 13). Every database gets an identity of its own, made once at
 * this step and never changed: a bench's records copied into a shared database (db migrate, the
 * offline sync, nb-store-sync.h) are known there by it. sync_map, in the database copied into,
 * says which row of which origin became which row here: copying again skips what is there
 * (idempotent), and the copy can be verified row by row; sync_sent, in the database copied from,
 * says the same from its side, so a bench that is offline still knows what waits to be sent.
 * All three are append-only. */
static const char schema_v10[]
    = "CREATE TABLE store_identity ("
      "  id INTEGER PRIMARY KEY CHECK (id = 1),"
      "  uuid TEXT NOT NULL CHECK (length(uuid) = 32 AND uuid NOT GLOB '*[^0-9a-f]*'),"
      "  created_at INTEGER NOT NULL);"
      "INSERT INTO store_identity (id, uuid, created_at)"
      "  VALUES (1, lower(hex(randomblob(16))), CAST(strftime('%s', 'now') AS INTEGER));"
      "CREATE TRIGGER store_identity_no_update BEFORE UPDATE ON store_identity"
      "  BEGIN SELECT RAISE(ABORT, 'the store identity is fixed: UPDATE rejected'); END;"
      "CREATE TRIGGER store_identity_no_delete BEFORE DELETE ON store_identity"
      "  BEGIN SELECT RAISE(ABORT, 'the store identity is fixed: DELETE rejected'); END;"
      "CREATE TABLE sync_map ("
      "  origin TEXT NOT NULL CHECK (length(origin) = 32),"
      "  tbl TEXT NOT NULL CHECK (length(tbl) > 0),"
      "  source_id INTEGER NOT NULL,"
      "  target_id INTEGER NOT NULL,"
      "  at INTEGER NOT NULL,"
      "  PRIMARY KEY (origin, tbl, source_id),"
      "  UNIQUE (tbl, target_id));"
      "CREATE TRIGGER sync_map_no_update BEFORE UPDATE ON sync_map"
      "  BEGIN SELECT RAISE(ABORT, 'sync_map is append-only: UPDATE rejected'); END;"
      "CREATE TRIGGER sync_map_no_delete BEFORE DELETE ON sync_map"
      "  BEGIN SELECT RAISE(ABORT, 'sync_map is append-only: DELETE rejected'); END;"
      "CREATE TABLE sync_sent ("
      "  target TEXT NOT NULL CHECK (length(target) = 32),"
      "  tbl TEXT NOT NULL CHECK (length(tbl) > 0),"
      "  source_id INTEGER NOT NULL,"
      "  target_id INTEGER NOT NULL,"
      "  at INTEGER NOT NULL,"
      "  PRIMARY KEY (target, tbl, source_id));"
      "CREATE TRIGGER sync_sent_no_update BEFORE UPDATE ON sync_sent"
      "  BEGIN SELECT RAISE(ABORT, 'sync_sent is append-only: UPDATE rejected'); END;"
      "CREATE TRIGGER sync_sent_no_delete BEFORE DELETE ON sync_sent"
      "  BEGIN SELECT RAISE(ABORT, 'sync_sent is append-only: DELETE rejected'); END;";

static const char *const migrations[] = {
  schema_v1, schema_v2, schema_v3, schema_v4, schema_v5,
  schema_v6, schema_v7, schema_v8, schema_v9, schema_v10,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) >= NB_STORE_SCHEMA_AUDIT);

const char *
nb_store_schema_step_sql (int step)
{
  return step >= 1 && step <= (int) G_N_ELEMENTS (migrations) ? migrations[step - 1] : NULL;
}

int
nb_store_schema_latest (void)
{
  return (int) G_N_ELEMENTS (migrations);
}

gboolean
nb_store_schema_migrate (NbStore *store, int target, GError **error)
{
  if (nb_db_backend (store->db) == NB_DB_POSTGRES)
    return nb_store_pg_migrate (store, target, error);
  for (;;)
    {
      NbStmt *stmt = nb_store_stmt (store, "PRAGMA user_version", error);
      if (stmt == NULL)
        return FALSE;
      int rc = nb_stmt_step (stmt);
      int version = rc == NB_DB_ROW ? nb_stmt_column_int (stmt, 0) : -1;
      nb_stmt_reset (stmt);
      if (rc != NB_DB_ROW)
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
        {
          store->schema_version = version;
          return TRUE;
        }
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
      rc = nb_stmt_step (stmt);
      int locked_version = nb_stmt_column_int (stmt, 0);
      nb_stmt_reset (stmt);
      if (rc != NB_DB_ROW)
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
          /* the records already there get their audit entry with the columns that hold it */
          store->schema_version = version + 1;
          if (version + 1 == NB_STORE_SCHEMA_AUDIT && !nb_audit_baseline (store, error))
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
      store->schema_version = 0; /* read again at the next attempt */
      return FALSE;
    }
}
