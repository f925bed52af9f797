/* nb-export.c: session export to CSV and JSON, written through NbFileOutput.
 *
 * Figures are printed with the precision the measurement has (see nb-export.h), never with the
 * 17 significant digits of a double. json-glib prints every double with "%.17g" (1.2345 becomes
 * 1.2344999999999999), so numbers are written as text here; strings still go through json-glib
 * for their escaping. */
#include "nb-export.h"

#include "nb-file-output.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Decimals of each quantity: 0.1 µm, 0.001 Hz, 1 µs of period, 0.1 mm/s. */
#define DEPTH_DECIMALS 4
#define HZ_DECIMALS 3
#define PERIOD_MS_DECIMALS 3
#define SPEED_DECIMALS 1

typedef struct
{
  FILE *fp;
  gboolean json_first; /* no array element written yet */
  int time_decimals;   /* time_s to one sample period */
  const NbStoreSession *session;
} Out;

/* Half a µm: a stroke at the band's limit, as the pen reports it, is in the band (as on the Live
 * page, nb-live-verdict.c). */
#define BAND_EPS_MM 5e-7

/* band_word: where a stroke fell against the session's band, NULL without a target. Fixed words,
 * nothing to quote or escape. */
static const char *
band_word (const NbStoreSession *s, double depth_mm)
{
  if (!s->has_target || !isfinite (depth_mm))
    return NULL;
  if (depth_mm < s->band_lo_mm - BAND_EPS_MM)
    return "too_shallow";
  if (depth_mm > s->band_hi_mm + BAND_EPS_MM)
    return "too_deep";
  return "in";
}

/* Room for any "%.*f" of the values exported (|v| < 1e15) with up to 9 decimals. */
#define NUM_BUF 48

/* fixed: @v with @decimals decimals, locale-independent; "" when not finite. */
static const char *
fixed (char buf[NUM_BUF], double v, int decimals)
{
  if (!isfinite (v) || fabs (v) >= 1e15)
    return "";
  char format[8];
  g_snprintf (format, sizeof format, "%%.%df", decimals);
  g_ascii_formatd (buf, NUM_BUF, format, v);
  /* a tiny negative value rounds to "-0.000": no sign on zero */
  if (buf[0] == '-' && strspn (buf + 1, "0.") == strlen (buf + 1))
    memmove (buf, buf + 1, strlen (buf));
  return buf;
}

int
nb_export_time_decimals (double sample_rate_hz)
{
  if (!isfinite (sample_rate_hz) || sample_rate_hz <= 0)
    return 6;
  /* the fewest decimals that still tell consecutive samples apart */
  int d = (int) ceil (log10 (sample_rate_hz) - 1e-9);
  return CLAMP (d, 0, 9);
}

static char *
iso_time (gint64 us)
{
  if (us == 0)
    return NULL;
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  if (dt == NULL)
    return NULL;
  g_autoptr (GDateTime) full = g_date_time_add (dt, us % G_USEC_PER_SEC);
  return g_date_time_format (full, "%Y-%m-%dT%H:%M:%S.%fZ");
}

/* --- CSV: the header row first, then numbers only (nothing to quote) --- */

static gboolean
csv_stroke (const NbStoreStroke *st, gpointer data)
{
  Out *out = data;
  const NbStoreSession *s = out->session;
  char a[NUM_BUF], b[NUM_BUF], c[NUM_BUF], d[NUM_BUF];
  char t[NUM_BUF], tol[NUM_BUF], lo[NUM_BUF], hi[NUM_BUF];
  const char *band = band_word (s, st->depth_mm);
  /* no predecessor (first stroke, or first after a gap): no period; no target: empty fields */
  fprintf (out->fp, "%" G_GUINT64_FORMAT ",%s,%s,%s,%s,%s,%s,%s,%s,%s\r\n", st->index,
           fixed (a, st->time_s, out->time_decimals), fixed (b, st->depth_mm, DEPTH_DECIMALS),
           st->period_s > 0 ? fixed (c, st->period_s * 1000.0, PERIOD_MS_DECIMALS) : "",
           fixed (d, st->entry_speed_mm_s, SPEED_DECIMALS), fixed (t, s->target_mm, DEPTH_DECIMALS),
           fixed (tol, s->tolerance_mm, DEPTH_DECIMALS), fixed (lo, s->band_lo_mm, DEPTH_DECIMALS),
           fixed (hi, s->band_hi_mm, DEPTH_DECIMALS), band ? band : "");
  return !ferror (out->fp);
}

static gboolean
csv_batch (guint64 first, const gint16 *samples, guint n, gpointer data)
{
  Out *out = data;
  for (guint i = 0; i < n; i++)
    fprintf (out->fp, "%" G_GUINT64_FORMAT ",%d\r\n", first + i, samples[i]);
  return !ferror (out->fp);
}

/* --- JSON --- */

/* json_member: writes ,"key": (keys are fixed identifiers) then @text, or null if @text is NULL
 * or empty. */
static void
json_member (FILE *fp, gboolean first, const char *key, const char *text)
{
  fprintf (fp, "%s\"%s\":%s", first ? "" : ",", key, text != NULL && *text ? text : "null");
}

/* json_member_string: a string member, escaped by json-glib. */
static void
json_member_string (FILE *fp, const char *key, const char *value)
{
  g_autofree char *text = NULL;
  if (value != NULL)
    {
      g_autoptr (JsonNode) node = json_node_init_string (json_node_alloc (), value);
      text = json_to_string (node, FALSE);
    }
  json_member (fp, FALSE, key, text);
}

/* json_target: "target": null, or what the session was measured against (schema 9). */
static void
json_target (FILE *fp, const NbStoreSession *s)
{
  if (!s->has_target)
    {
      json_member (fp, FALSE, "target", NULL);
      return;
    }
  char buf[NUM_BUF];
  g_autofree char *version
      = s->profile_id ? g_strdup_printf ("%" G_GINT64_FORMAT, s->profile_version) : NULL;
  fputs (",\"target\":{", fp);
  json_member (fp, TRUE, "depth_mm", fixed (buf, s->target_mm, DEPTH_DECIMALS));
  json_member_string (fp, "profile_id", s->profile_id);
  json_member (fp, FALSE, "profile_version", version);
  json_member (fp, FALSE, "tolerance_mm", fixed (buf, s->tolerance_mm, DEPTH_DECIMALS));
  json_member (fp, FALSE, "band_lo_mm", fixed (buf, s->band_lo_mm, DEPTH_DECIMALS));
  json_member (fp, FALSE, "band_hi_mm", fixed (buf, s->band_hi_mm, DEPTH_DECIMALS));
  json_member (fp, FALSE, "rate_tolerance_hz",
               s->rate_tolerance_hz > 0 ? fixed (buf, s->rate_tolerance_hz, HZ_DECIMALS) : NULL);
  fputc ('}', fp);
}

static void
json_metadata (FILE *fp, const NbStoreSession *s)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, s->id);
  g_autofree char *started = iso_time (s->started_at);
  g_autofree char *ended = iso_time (s->ended_at);
  char buf[NUM_BUF];

  fputc ('{', fp);
  json_member (fp, TRUE, "id", id);
  json_member_string (fp, "pen_serial", s->pen_serial);
  json_member_string (fp, "pen_model", s->pen_model);
  json_member_string (fp, "uri", s->uri);
  json_member_string (fp, "operator", s->operator_name);
  json_member_string (fp, "name", s->name);
  json_member_string (fp, "note", s->note);
  json_member (fp, FALSE, "depth_mm", fixed (buf, s->depth_mm, DEPTH_DECIMALS));
  json_member (fp, FALSE, "rate_hz", fixed (buf, s->rate_hz, HZ_DECIMALS));
  json_member (fp, FALSE, "sample_rate_hz", fixed (buf, s->sample_rate_hz, HZ_DECIMALS));
  json_member_string (fp, "started_at", started);
  json_member_string (fp, "ended_at", ended);
  json_member_string (fp, "status", nb_session_status_to_string (s->status));
  json_member_string (fp, "error", s->error);
  json_target (fp, s);
  fputc ('}', fp);
}

static gboolean
json_stroke (const NbStoreStroke *st, gpointer data)
{
  Out *out = data;
  char buf[NUM_BUF];
  g_autofree char *index = g_strdup_printf ("%" G_GUINT64_FORMAT, st->index);
  fputs (out->json_first ? "\n{" : ",\n{", out->fp);
  json_member (out->fp, TRUE, "index", index);
  json_member (out->fp, FALSE, "time_s", fixed (buf, st->time_s, out->time_decimals));
  json_member (out->fp, FALSE, "depth_mm", fixed (buf, st->depth_mm, DEPTH_DECIMALS));
  json_member (out->fp, FALSE, "period_ms",
               st->period_s > 0 ? fixed (buf, st->period_s * 1000.0, PERIOD_MS_DECIMALS) : NULL);
  json_member (out->fp, FALSE, "entry_speed_mm_s",
               fixed (buf, st->entry_speed_mm_s, SPEED_DECIMALS));
  const char *band = band_word (out->session, st->depth_mm);
  g_autofree char *band_json = band ? g_strdup_printf ("\"%s\"", band) : NULL;
  json_member (out->fp, FALSE, "band", band_json);
  fputc ('}', out->fp);
  out->json_first = FALSE;
  return !ferror (out->fp);
}

static gboolean
json_batch (guint64 first, const gint16 *samples, guint n, gpointer data)
{
  Out *out = data;
  for (guint i = 0; i < n; i++)
    {
      fprintf (out->fp, "%s{\"sample_index\":%" G_GUINT64_FORMAT ",\"position_um\":%d}",
               out->json_first ? "\n" : ",\n", first + i, samples[i]);
      out->json_first = FALSE;
    }
  return !ferror (out->fp);
}

static gboolean
write_session (NbStore *store, const NbStoreSession *s, NbExportFormat format,
               gboolean include_samples, FILE *fp, GError **error)
{
  Out out = { fp, TRUE, nb_export_time_decimals (s->sample_rate_hz), s };

  if (format == NB_EXPORT_CSV)
    {
      if (include_samples)
        {
          fputs ("sample_index,position_um\r\n", fp);
          return nb_store_foreach_batch (store, s->id, csv_batch, &out, error);
        }
      fputs ("index,time_s,depth_mm,period_ms,entry_speed_mm_s,target_mm,tolerance_mm,band_lo_mm,"
             "band_hi_mm,band\r\n",
             fp);
      return nb_store_foreach_stroke (store, s->id, csv_stroke, &out, error);
    }

  fputs ("{\"session\":", fp);
  json_metadata (fp, s);
  fprintf (fp, ",\n\"%s\":[", include_samples ? "samples" : "strokes");
  gboolean ok = include_samples ? nb_store_foreach_batch (store, s->id, json_batch, &out, error)
                                : nb_store_foreach_stroke (store, s->id, json_stroke, &out, error);
  fputs ("\n]}\n", fp);
  return ok;
}

gboolean
nb_export_session (NbStore *store, gint64 session_id, NbExportFormat format,
                   gboolean include_samples, const char *path, NbExportFlags flags, GError **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  g_autoptr (NbStoreSession) s = nb_store_get_session (store, session_id, error);
  if (s == NULL)
    return FALSE;

  g_autoptr (NbFileOutput) out = nb_file_output_open (
      path, (flags & NB_EXPORT_FORCE) ? NB_FILE_OUTPUT_FORCE : NB_FILE_OUTPUT_DEFAULT, error);
  if (out == NULL)
    return FALSE;
  if (!write_session (store, s, format, include_samples, nb_file_output_get_stream (out), error))
    return FALSE; /* the autoptr removes the temporary file */
  return nb_file_output_commit (g_steal_pointer (&out), error);
}
