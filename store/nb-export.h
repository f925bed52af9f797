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
 * CSV (RFC 4180, CRLF line ends) is one table that starts with its header row, so spreadsheet
 * and data-frame readers (pandas.read_csv, R read.csv) need no options: the strokes, header
 * "index,time_s,depth_mm,period_ms,entry_speed_mm_s,target_mm,tolerance_mm,band_lo_mm,
 * band_hi_mm,band" (an unknown entry speed or period is an empty field; the target, its tolerance
 * and band repeat the session's, empty when it had none, and band says where the stroke fell: in,
 * too_shallow or too_deep) or, with @include_samples, the raw samples, header
 * "sample_index,position_um". The rest of the session's metadata is only in the JSON export.
 *
 * JSON: { "session": {id, pen_serial, pen_model, uri, operator, name, note, depth_mm, rate_hz,
 * sample_rate_hz, started_at, ended_at (ISO 8601 UTC), status, error, target: null or {depth_mm,
 * profile_id (null: a custom target), profile_version, tolerance_mm, band_lo_mm, band_hi_mm,
 * rate_tolerance_hz (null: the rate not judged)}}, "strokes": [ {index, time_s, depth_mm,
 * period_ms (null if none), entry_speed_mm_s (null if unknown), band (null without a target)} ] }
 * or, with
 * @include_samples, { "session": {...}, "samples": [ {"sample_index": n, "position_um": p} ] }.
 *
 * Figures have the precision the measurement has: depths in mm to 0.1 µm (4 decimals), rates in
 * Hz to 0.001, periods in ms to 0.001, entry speeds to 0.1 mm/s, times in s to one sample period
 * (nb_export_time_decimals: 5 decimals at 20 kHz).
 *
 * The file is written through NbFileOutput (nb-file-output.h): a 0600 temporary file in the same
 * directory moved to @path only when complete, so an error never leaves a partial file behind.
 * An existing @path is refused (NB_STORE_ERROR_EXISTS) unless @flags has NB_EXPORT_FORCE; a path
 * that is not a regular file is always refused (NB_STORE_ERROR_NOT_REGULAR). */
gboolean nb_export_session (NbStore *store, gint64 session_id, NbExportFormat format,
                            gboolean include_samples, const char *path, NbExportFlags flags,
                            GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_export_time_decimals: decimals that resolve one sample period at @sample_rate_hz (5 at
 * 20 kHz, 3 at 1 kHz; 6 if the rate is unknown). */
int nb_export_time_decimals (double sample_rate_hz);

G_END_DECLS
