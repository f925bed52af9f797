/* nb-export.c: session export to CSV (libcsv quoting) and JSON (json-glib), written atomically
 * through a temporary file in the destination directory. */
#include "nb-export.h"

#include "nb-file-output.h"

#include <csv.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct
{
  FILE *fp;
  gboolean json_first; /* no array element written yet */
} Out;

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

/* Locale-independent shortest round-trip double. */
static const char *
dtostr (char buf[G_ASCII_DTOSTR_BUF_SIZE], double v)
{
  return g_ascii_dtostr (buf, G_ASCII_DTOSTR_BUF_SIZE, v);
}

/* --- CSV --- */

static void
csv_row (FILE *fp, const char *key, const char *value)
{
  fputs (key, fp); /* keys are fixed identifiers, no quoting needed */
  fputc (',', fp);
  if (value != NULL)
    csv_fwrite (fp, value, strlen (value));
  fputs ("\r\n", fp);
}

static void
csv_row_double (FILE *fp, const char *key, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  csv_row (fp, key, dtostr (buf, v));
}

static void
csv_metadata (FILE *fp, const NbStoreSession *s)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, s->id);
  g_autofree char *started = iso_time (s->started_at);
  g_autofree char *ended = iso_time (s->ended_at);

  csv_row (fp, "session_id", id);
  csv_row (fp, "pen_serial", s->pen_serial);
  csv_row (fp, "pen_model", s->pen_model);
  csv_row (fp, "uri", s->uri);
  csv_row (fp, "operator", s->operator_name);
  csv_row (fp, "name", s->name);
  csv_row (fp, "note", s->note);
  csv_row_double (fp, "depth_mm", s->depth_mm);
  csv_row_double (fp, "rate_hz", s->rate_hz);
  csv_row_double (fp, "sample_rate_hz", s->sample_rate_hz);
  csv_row (fp, "started_at", started);
  csv_row (fp, "ended_at", ended);
  csv_row (fp, "status", nb_session_status_to_string (s->status));
  csv_row (fp, "error", s->error);
  fputs ("\r\n", fp);
}

static gboolean
csv_stroke (const NbStoreStroke *st, gpointer data)
{
  Out *out = data;
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE], c[G_ASCII_DTOSTR_BUF_SIZE],
      d[G_ASCII_DTOSTR_BUF_SIZE];
  fprintf (out->fp, "%" G_GUINT64_FORMAT ",%s,%s,%s,%s\r\n", st->index, dtostr (a, st->time_s),
           dtostr (b, st->depth_mm), st->period_s > 0 ? dtostr (c, st->period_s * 1000.0) : "",
           isfinite (st->entry_speed_mm_s) ? dtostr (d, st->entry_speed_mm_s) : "");
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

static void
add_string (JsonBuilder *b, const char *member, const char *value)
{
  json_builder_set_member_name (b, member);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_double (JsonBuilder *b, const char *member, double value)
{
  json_builder_set_member_name (b, member);
  if (isfinite (value))
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

static char *
json_metadata (const NbStoreSession *s)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *started = iso_time (s->started_at);
  g_autofree char *ended = iso_time (s->ended_at);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, s->id);
  add_string (b, "pen_serial", s->pen_serial);
  add_string (b, "pen_model", s->pen_model);
  add_string (b, "uri", s->uri);
  add_string (b, "operator", s->operator_name);
  add_string (b, "name", s->name);
  add_string (b, "note", s->note);
  add_double (b, "depth_mm", s->depth_mm);
  add_double (b, "rate_hz", s->rate_hz);
  add_double (b, "sample_rate_hz", s->sample_rate_hz);
  add_string (b, "started_at", started);
  add_string (b, "ended_at", ended);
  add_string (b, "status", nb_session_status_to_string (s->status));
  add_string (b, "error", s->error);
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static gboolean
json_stroke (const NbStoreStroke *st, gpointer data)
{
  Out *out = data;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, (gint64) st->index);
  add_double (b, "time_s", st->time_s);
  add_double (b, "depth_mm", st->depth_mm);
  /* no predecessor (first stroke, or first after a gap): no period */
  add_double (b, "period_ms", st->period_s > 0 ? st->period_s * 1000.0 : NAN);
  add_double (b, "entry_speed_mm_s", st->entry_speed_mm_s);
  json_builder_end_object (b);
  g_autoptr (JsonNode) node = json_builder_get_root (b);
  g_autofree char *text = json_to_string (node, FALSE);
  fputs (out->json_first ? "\n" : ",\n", out->fp);
  fputs (text, out->fp);
  out->json_first = FALSE;
  return !ferror (out->fp);
}

static gboolean
json_batch (guint64 first, const gint16 *samples, guint n, gpointer data)
{
  Out *out = data;
  /* integers only: nothing to escape, so written directly for speed on long recordings */
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
  Out out = { fp, TRUE };

  if (format == NB_EXPORT_CSV)
    {
      csv_metadata (fp, s);
      if (include_samples)
        {
          fputs ("sample_index,position_um\r\n", fp);
          return nb_store_foreach_batch (store, s->id, csv_batch, &out, error);
        }
      fputs ("index,time_s,depth_mm,period_ms,entry_speed_mm_s\r\n", fp);
      return nb_store_foreach_stroke (store, s->id, csv_stroke, &out, error);
    }

  g_autofree char *meta = json_metadata (s);
  fprintf (fp, "{\"session\":%s,\n\"%s\":[", meta, include_samples ? "samples" : "strokes");
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
