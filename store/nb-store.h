/* nb-store.h: the NeedleBench record store, one SQLite database (WAL) holding pens, sessions,
 * strokes, raw sample batches, events and an append-only, hash-chained audit trail.
 *
 * An NbStore wraps one sqlite3 connection and is not thread-safe: use it from one thread at a
 * time (the recorder's writer thread opens its own). Times are microseconds since the Unix epoch,
 * UTC (g_get_real_time ()). Records are append-only: SQL triggers reject UPDATE and DELETE on
 * strokes, batches, events, pen firmware history, reference standards (nb-store-standards.h),
 * calibration runs' records (nb-store-runs.h), certificates, users, signatures and laboratory
 * settings (nb-store-certificates.h) and the audit trail, and a session or run row can
 * only be changed once, to close it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NB_STORE_ERROR (nb_store_error_quark ())

typedef enum
{
  NB_STORE_ERROR_FAILED,      /* anything else */
  NB_STORE_ERROR_IO,          /* disk or file system error, file cannot be opened or created */
  NB_STORE_ERROR_READ_ONLY,   /* the database (or its directory) cannot be written */
  NB_STORE_ERROR_FULL,        /* disk (or the database size limit) is full */
  NB_STORE_ERROR_CORRUPT,     /* not a database, damaged file, or audit chain broken */
  NB_STORE_ERROR_NOT_FOUND,   /* no such session */
  NB_STORE_ERROR_SCHEMA,      /* database written by a newer NeedleBench, or migration failed */
  NB_STORE_ERROR_BUSY,        /* locked by another connection for too long */
  NB_STORE_ERROR_CONSTRAINT,  /* rejected by the schema (e.g. changing an append-only record) */
  NB_STORE_ERROR_OVERFLOW,    /* the recorder's writer cannot keep up, its queue is full */
  NB_STORE_ERROR_INVALID,     /* invalid argument or call sequence */
  NB_STORE_ERROR_EXISTS,      /* an output file exists (and replacing it was not asked for) */
  NB_STORE_ERROR_NOT_REGULAR, /* a path is not a regular file (link, FIFO, device, directory) */
  NB_STORE_ERROR_NO_STANDARD, /* a fixture has no reference standard in force (none, withdrawn) */
  NB_STORE_ERROR_STANDARD_EXPIRED, /* a fixture's reference standard is past its due date */
  NB_STORE_ERROR_DENIED,  /* a password, role or user state does not allow it (signatures) */
  NB_STORE_ERROR_OFFLINE, /* the connection to the database server is lost (PostgreSQL) */
} NbStoreError;

GQuark nb_store_error_quark (void);

typedef enum
{
  NB_STORE_OPEN_DEFAULT = 0,
  NB_STORE_OPEN_READ_ONLY = 1 << 0, /* open for reading only; never creates or migrates */
} NbStoreOpenFlags;

typedef enum
{
  NB_SESSION_RECORDING,   /* being recorded right now (a live recorder holds it) */
  NB_SESSION_COMPLETE,    /* closed normally */
  NB_SESSION_ABORTED,     /* closed by the application because of an error (see error) */
  NB_SESSION_INTERRUPTED, /* left 'recording' by a process that died: data up to its last
                           * commit is there, the rest is lost. Only reported, never stored. */
} NbSessionStatus;

typedef struct _NbStore NbStore;

/* One stroke row; same fields as NbStroke (telemetry/nb-stroke.h), which callers copy in. */
typedef struct
{
  guint64 index;           /* stroke number within the session, 0-based */
  guint64 peak_sample;     /* sample index nearest to the peak */
  double time_s;           /* peak time from sample 0 */
  double depth_mm;         /* peak protrusion past the cartridge face */
  double period_s;         /* peak-to-peak time from the previous stroke, 0 if none */
  double entry_speed_mm_s; /* entry speed; NAN if unknown (stored as NULL) */
} NbStoreStroke;

/* What a session is about, given when it starts. Strings may be NULL. */
typedef struct
{
  const char *pen_serial; /* required for a pen row; NULL = no pen (simulation) */
  const char *pen_model;
  const char *pen_firmware;  /* recorded in the pen's firmware history when it changes */
  const char *uri;           /* where the data came from, e.g. serial:///dev/ttyACM0 */
  const char *operator_name; /* who records; also the audit actor (NULL = login name) */
  const char *name;
  const char *note;
  double depth_mm;       /* configured needle depth */
  double rate_hz;        /* configured stroke rate */
  double sample_rate_hz; /* position sample rate, e.g. 20000 */
  /* What the session is measured against (schema 9), stored only when tolerance_mm > 0: the
   * treatment preset's profile (NULL: a custom target), the depth setting judged ± tolerance_mm,
   * the band a stroke may land in, and the rate's tolerance (0: the rate is not judged). */
  const char *profile_id;
  gint64 profile_version; /* 0 when no profile */
  double target_mm;
  double tolerance_mm;
  double band_lo_mm;
  double band_hi_mm;
  double rate_tolerance_hz;
} NbStoreSessionParams;

/* A session as read back. */
typedef struct
{
  gint64 id;
  char *pen_serial; /* NULL if none */
  char *pen_model;
  char *uri;
  char *operator_name;
  char *name;
  char *note;
  double depth_mm;
  double rate_hz;
  double sample_rate_hz;
  gint64 started_at; /* µs since epoch, UTC */
  gint64 ended_at;   /* 0 while recording or interrupted */
  NbSessionStatus status;
  char *error; /* why it was aborted, or NULL */
  /* What it was measured against (NbStoreSessionParams); has_target FALSE: nothing, and the
   * figures are NAN. rate_tolerance_hz is 0 when the rate was not judged. */
  gboolean has_target;
  char *profile_id; /* NULL for a custom target */
  gint64 profile_version;
  double target_mm;
  double tolerance_mm;
  double band_lo_mm;
  double band_hi_mm;
  double rate_tolerance_hz;
} NbStoreSession;

typedef struct
{
  gint64 session_id;
  guint64 sample_index;
  int code;
  char *name;
  char *detail;
  gint64 at;
} NbStoreEvent;

/* Search filter for nb_store_list_sessions (); NULL / 0 fields do not filter. */
typedef struct
{
  const char *pen_serial;    /* exact serial */
  const char *operator_name; /* exact operator */
  gint64 from;               /* started_at >= from (µs), 0 = unbounded */
  gint64 to;                 /* started_at < to (µs), 0 = unbounded */
} NbStoreSessionFilter;

/* nb_store_get_default_path: (transfer full) $XDG_DATA_HOME/needlebench/needlebench.db */
char *nb_store_get_default_path (void) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_open: opens (creating it with mode 0600, and its directory with 0700, if needed) the
 * database at @path (NULL = default path) and migrates it to the latest schema.
 * Fails with NB_STORE_ERROR_READ_ONLY if it cannot be written, _SCHEMA if it is newer than this
 * program, _CORRUPT if it is not a NeedleBench database or if its triggers or tables differ from
 * what its schema version creates (a trigger dropped or altered: the message names it; such a
 * database is refused for writing, open it read-only to investigate). */
NbStore *nb_store_open (const char *path, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_open_full: as nb_store_open () with @flags; NB_STORE_OPEN_READ_ONLY opens an existing
 * database for reading only (every write then fails with NB_STORE_ERROR_READ_ONLY). */
NbStore *nb_store_open_full (const char *path, NbStoreOpenFlags flags,
                             GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_set_lab_key: the laboratory key (nb-lab-key.h) that signs @store's audit checkpoints
 * from now on, instead of the one at nb_lab_key_default_path (); NULL: sign none. Borrowed: it
 * must outlive @store. For tests and for keys kept elsewhere. */
struct _NbLabKey;
void nb_store_set_lab_key (NbStore *store, struct _NbLabKey *key);

/* nb_store_close: closes the connection and frees @store (NULL is fine). */
void nb_store_close (NbStore *store);

const char *nb_store_get_path (NbStore *store);

/* nb_store_get_schema_version: PRAGMA user_version of the open database. */
int nb_store_get_schema_version (NbStore *store);

/* nb_store_get_latest_schema_version: the version nb_store_open () migrates to. */
int nb_store_get_latest_schema_version (void);

/* nb_store_get_identity: (transfer full) the database's identity, 32 lower-case hex digits made
 * once when it was created (or migrated to schema 10) and never changed; a shared database knows
 * the records copied from a bench's database by it (nb-store-sync.h). NULL with @error. */
char *nb_store_get_identity (NbStore *store, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_check_integrity: runs PRAGMA integrity_check; FALSE with NB_STORE_ERROR_CORRUPT and the
 * first problem reported when it is not "ok". */
gboolean nb_store_check_integrity (NbStore *store, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* --- writing (used by NbRecorder; one writer transaction at a time) --- */

/* nb_store_begin / _commit / _rollback: an IMMEDIATE write transaction around many inserts.
 * Rollback never fails (errors are ignored; SQLite rolls back on its own when it must). */
gboolean nb_store_begin (NbStore *store, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean nb_store_commit (NbStore *store, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void nb_store_rollback (NbStore *store);

/* nb_store_begin_session: records the pen (and firmware change) and a new session with status
 * 'recording', plus audit entries, in one transaction. Returns the session id, or 0 on error. */
gint64 nb_store_begin_session (NbStore *store, const NbStoreSessionParams *params,
                               GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_add_stroke / _add_batch / _add_event: insert one row into @session_id, which must be
 * recording. Call inside nb_store_begin () for speed. @samples_um are host-order int16, stored
 * as one little-endian BLOB per batch. */
gboolean nb_store_add_stroke (NbStore *store, gint64 session_id, const NbStoreStroke *stroke,
                              GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean nb_store_add_batch (NbStore *store, gint64 session_id, guint64 first_index,
                             const gint16 *samples_um, guint n,
                             GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean nb_store_add_event (NbStore *store, gint64 session_id, guint64 sample_index, int code,
                             const char *name, const char *detail, gint64 at,
                             GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_close_session: sets ended_at and @status (NB_SESSION_COMPLETE or _ABORTED, with
 * @error_text) on a recording session, and appends an audit entry with the row counts. */
gboolean nb_store_close_session (NbStore *store, gint64 session_id, NbSessionStatus status,
                                 const char *error_text, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* --- reading --- */

/* nb_store_list_sessions: (transfer full) (element-type NbStoreSession) sessions matching
 * @filter (NULL = all), newest first. Sessions left 'recording' by a dead process are reported
 * as NB_SESSION_INTERRUPTED. */
GPtrArray *nb_store_list_sessions (NbStore *store, const NbStoreSessionFilter *filter,
                                   GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_get_session: (transfer full) one session, or NULL with NB_STORE_ERROR_NOT_FOUND. */
NbStoreSession *nb_store_get_session (NbStore *store, gint64 session_id,
                                      GError **error) G_GNUC_WARN_UNUSED_RESULT;

void nb_store_session_free (NbStoreSession *session);
void nb_store_event_free (NbStoreEvent *event);

/* Iteration callbacks: return FALSE to stop early (the foreach then still returns TRUE). The
 * pointers are valid during the call only. Do not start the same kind of iteration on the same
 * store from inside a callback. */
typedef gboolean (*NbStoreStrokeFunc) (const NbStoreStroke *stroke, gpointer user_data);
typedef gboolean (*NbStoreBatchFunc) (guint64 first_index, const gint16 *samples_um, guint n,
                                      gpointer user_data);
typedef gboolean (*NbStoreEventFunc) (const NbStoreEvent *event, gpointer user_data);

/* nb_store_foreach_stroke / _batch / _event: the session's rows in index order. */
gboolean nb_store_foreach_stroke (NbStore *store, gint64 session_id, NbStoreStrokeFunc func,
                                  gpointer user_data, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean nb_store_foreach_batch (NbStore *store, gint64 session_id, NbStoreBatchFunc func,
                                 gpointer user_data, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean nb_store_foreach_event (NbStore *store, gint64 session_id, NbStoreEventFunc func,
                                 gpointer user_data, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_count_strokes / _samples: totals for @session_id; -1 on error. */
gint64 nb_store_count_strokes (NbStore *store, gint64 session_id,
                               GError **error) G_GNUC_WARN_UNUSED_RESULT;
gint64 nb_store_count_samples (NbStore *store, gint64 session_id,
                               GError **error) G_GNUC_WARN_UNUSED_RESULT;

const char *nb_session_status_to_string (NbSessionStatus status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbStore, nb_store_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbStoreSession, nb_store_session_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbStoreEvent, nb_store_event_free)

G_END_DECLS
