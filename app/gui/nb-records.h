/* nb-records.h: the recorded sessions for the Records page: a GListModel of NbSessionItem from
 * the store (filtered by pen serial, operator and day), and the loading of one session's samples
 * and strokes for replay, in a worker thread with its own read-only connection. */
#pragma once

#include <gio/gio.h>

#include "nb-decimator.h"
#include "nb-stats.h"
#include "nb-store.h"
#include "nb-units.h"

G_BEGIN_DECLS

#define NB_TYPE_SESSION_ITEM (nb_session_item_get_type ())
G_DECLARE_FINAL_TYPE (NbSessionItem, nb_session_item, NB, SESSION_ITEM, GObject)

/* (transfer none) the session row as listed */
const NbStoreSession *nb_session_item_get_session (NbSessionItem *item);

/* A loaded session. */
typedef struct
{
  NbStoreSession *session;
  /* Counted from the session's start: the pen numbers samples and strokes from when it was
   * connected, so a session recorded a minute in would otherwise be drawn at 60 s. */
  NbDecimator *decimator; /* every sample (up to NB_RECORDS_MAX_REPLAY_S), index 0 = start */
  guint64 first_index, end_index;
  guint64 origin_index; /* the pen's index of the session's first sample */
  GArray *strokes;      /* NbStoreStroke, index from 0, peak_sample and time_s from the start */
  NbStats depth_mm, period_s, entry_speed_mm_s;
  guint64 first_stroke; /* the recorder's index of the first stroke (private) */
} NbReplay;

#define NB_RECORDS_MAX_REPLAY_S 600

void nb_replay_free (NbReplay *replay);
/* nb_replay_describe: (transfer full) the replay's figures in one line, depths in @units: set
 * depth and rate, strokes and duration, depth mean ± SD (min, max), rate, entry speed; a session
 * without strokes says "no strokes" (never a NaN mean). */
char *nb_replay_describe (const NbReplay *replay, NbUnits units);
/* nb_session_status_mark: what marks a session that did not end normally ("Aborted",
 * "Interrupted", "Recording"), translated; NULL for a complete one. */
const char *nb_session_status_mark (NbSessionStatus status);
/* nb_records_export_folder: (transfer full) where the export dialog starts: the user's documents
 * folder, or the home folder when there is none (unset, or not an existing folder). */
char *nb_records_export_folder (void);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbReplay, nb_replay_free)

#define NB_TYPE_RECORDS (nb_records_get_type ())
G_DECLARE_FINAL_TYPE (NbRecords, nb_records, NB, RECORDS, GObject)

/* nb_records_new: sessions of the store at @store_path (NULL or "" = default path). */
NbRecords *nb_records_new (const char *store_path);
void nb_records_set_store_path (NbRecords *records, const char *store_path);
/* The path in use (resolved). */
const char *nb_records_get_store_path (NbRecords *records);
/* (transfer none) a GListModel of NbSessionItem, newest first */
GListModel *nb_records_get_model (NbRecords *records);

/* nb_records_refresh_async: lists the sessions matching the filter again, in a worker thread with
 * its own read-only connection; the finish (on the main thread) replaces the model's items.
 * @serial and @operator_name match exactly (NULL or "" = any); @day is "YYYY-MM-DD" in local time
 * (NULL or "" = any). A store that does not exist yet is an empty list, not an error. A refresh
 * started after this one makes it finish with G_IO_ERROR_CANCELLED, leaving the newer result. */
void nb_records_refresh_async (NbRecords *records, const char *serial, const char *operator_name,
                               const char *day, GAsyncReadyCallback callback, gpointer user_data);
gboolean nb_records_refresh_finish (NbRecords *records, GAsyncResult *result,
                                    GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* nb_records_is_refreshing: TRUE while a refresh is running in a worker. */
gboolean nb_records_is_refreshing (NbRecords *records);

/* nb_records_find: (transfer none) the listed item of @session_id or NULL. */
NbSessionItem *nb_records_find (NbRecords *records, gint64 session_id);

void nb_records_load_async (NbRecords *records, gint64 session_id, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data);
NbReplay *nb_records_load_finish (NbRecords *records, GAsyncResult *result,
                                  GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_records_export_async: the CLI's exporter (nb_export_session), strokes only, replacing an
 * existing regular file at @path (the save dialog asked first), in a worker thread with its own
 * read-only connection. */
void nb_records_export_async (NbRecords *records, gint64 session_id, gboolean json,
                              const char *path, GAsyncReadyCallback callback, gpointer user_data);
gboolean nb_records_export_finish (NbRecords *records, GAsyncResult *result,
                                   GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
