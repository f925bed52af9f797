/* nb-recorder.h: records one session to the store off the acquisition path.
 *
 * nb_recorder_add_* () only copy the data into a queue (never touching the disk, never waiting
 * for it); a writer thread with its own database connection inserts the rows and commits a
 * transaction at least every commit interval (default 500 ms), so a crash or kill -9 loses at most
 * that much. A write error (disk full, read-only, I/O) stops the recording: the session is closed
 * as aborted if possible, everything committed before stays, and the error comes back from the
 * next add or from finish (and nb_recorder_has_failed () turns TRUE). */
#pragma once

#include "nb-store.h"

G_BEGIN_DECLS

typedef struct _NbRecorder NbRecorder;

/* What has been committed (durable against a process crash) so far. */
typedef struct
{
  gint64 session_id;
  guint64 commits;
  guint64 strokes;
  guint64 batches;
  guint64 samples;
  guint64 events;
  gint64 last_stroke_index; /* highest stroke index committed, -1 if none */
} NbRecorderStats;

/* Called in the writer thread right after each commit. Must be quick and thread-safe. */
typedef void (*NbRecorderCommitFunc) (const NbRecorderStats *stats, gpointer user_data);

typedef struct
{
  const char *store_path;       /* NULL = nb_store_get_default_path () */
  NbStoreSessionParams session; /* the new session */
  guint commit_interval_ms;     /* 0 = 500; must be <= 1000 for the one-second guarantee */
  gsize max_backlog_bytes;      /* queued data limit, 0 = 64 MiB; beyond it: OVERFLOW error */
  NbRecorderCommitFunc commit_func;
  gpointer commit_data;
} NbRecorderParams;

/* nb_recorder_new: opens the store in a new writer thread and creates the session (waiting for
 * that, once, so that errors such as a read-only database are reported here). */
NbRecorder *nb_recorder_new (const NbRecorderParams *params,
                             GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_recorder_get_session_id: the id of the session being recorded. */
gint64 nb_recorder_get_session_id (NbRecorder *rec);

/* nb_recorder_add_batch: queues @n samples (µm) starting at sample @first_index, one row. */
gboolean nb_recorder_add_batch (NbRecorder *rec, guint64 first_index, const gint16 *samples_um,
                                guint n, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_recorder_add_stroke: queues a stroke (copy NbStroke's fields into an NbStoreStroke). */
gboolean nb_recorder_add_stroke (NbRecorder *rec, const NbStoreStroke *stroke,
                                 GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_recorder_add_event: queues an event at sample @sample_index, time-stamped now. */
gboolean nb_recorder_add_event (NbRecorder *rec, guint64 sample_index, int code, const char *name,
                                const char *detail, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_recorder_finish: writes everything queued, closes the session as @status
 * (NB_SESSION_COMPLETE or NB_SESSION_ABORTED with @error_text) and stops the writer. Blocks
 * until done. FALSE with the recording's error if it failed at any point. Call once. */
gboolean nb_recorder_finish (NbRecorder *rec, NbSessionStatus status, const char *error_text,
                             GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_recorder_has_failed: TRUE once a write error stopped the recording. Thread-safe. */
gboolean nb_recorder_has_failed (NbRecorder *rec);

/* nb_recorder_get_error: (transfer full) a copy of the error that stopped recording, or NULL. */
GError *nb_recorder_get_error (NbRecorder *rec) G_GNUC_WARN_UNUSED_RESULT;

/* nb_recorder_get_stats: what has been committed so far. Thread-safe. */
void nb_recorder_get_stats (NbRecorder *rec, NbRecorderStats *stats);

/* nb_recorder_get_backlog: bytes queued and not yet written. Thread-safe. */
gsize nb_recorder_get_backlog (NbRecorder *rec);

/* nb_recorder_free: finishes as aborted ("recorder freed without finishing") if
 * nb_recorder_finish () was not called, then frees. NULL is fine. */
void nb_recorder_free (NbRecorder *rec);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbRecorder, nb_recorder_free)

G_END_DECLS
