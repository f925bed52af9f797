/* nb-export.h: exporting a recorded session to CSV or JSON files. */
#pragma once

#include "nb-store.h"

G_BEGIN_DECLS

typedef enum
{
  NB_EXPORT_CSV,
  NB_EXPORT_JSON,
} NbExportFormat;

/* nb_export_session: writes session @session_id of @store to @path.
 *
 * CSV (RFC 4180, fields quoted by libcsv where needed): first the session metadata as
 * "key,value" rows (session_id, pen_serial, pen_model, uri, operator, name, note, depth_mm,
 * rate_hz, sample_rate_hz, started_at, ended_at as ISO 8601 UTC, status, error), then an empty
 * line, then either the strokes with header "index,time_s,depth_mm,period_ms,entry_speed_mm_s"
 * (an unknown entry speed or period is an empty field) or, with @include_samples, the raw samples
 * with header "sample_index,position_um".
 *
 * JSON: { "session": { metadata }, "strokes": [ {index, time_s, depth_mm, period_ms (null if none),
 * entry_speed_mm_s; null if unknown} ] } or, with @include_samples,
 * { "session": {...}, "samples": [ {"sample_index": n, "position_um": p}, ... ] }.
 *
 * The file is written to a temporary file in the same directory and renamed over @path only
 * when complete, so an error never leaves a partial file behind. */
gboolean nb_export_session (NbStore *store, gint64 session_id, NbExportFormat format,
                            gboolean include_samples, const char *path,
                            GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
