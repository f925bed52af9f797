/* nb-export.h: exporting a recorded session to CSV or JSON files. */
#pragma once

#include "nb-store.h"

G_BEGIN_DECLS

typedef enum
{
  NB_EXPORT_CSV,
  NB_EXPORT_JSON,
} NbExportFormat;

typedef enum
{
  NB_EXPORT_DEFAULT = 0,
  NB_EXPORT_FORCE = 1 << 0, /* replace an existing regular file at the path */
} NbExportFlags;

/* nb_export_session: writes session @session_id of @store to @path ("-" = standard output).
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
 * The file is written through NbFileOutput (nb-file-output.h): a 0600 temporary file in the same
 * directory moved to @path only when complete, so an error never leaves a partial file behind.
 * An existing @path is refused (NB_STORE_ERROR_EXISTS) unless @flags has NB_EXPORT_FORCE; a path
 * that is not a regular file is always refused (NB_STORE_ERROR_NOT_REGULAR). */
gboolean nb_export_session (NbStore *store, gint64 session_id, NbExportFormat format,
                            gboolean include_samples, const char *path, NbExportFlags flags,
                            GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
