/* test-store-codec.c: the raw sample compression: exact round trips (extreme values included),
 * corrupt rows refused, the recorder's grouping of contiguous batches, and a schema-2 database
 * whose uncompressed rows read back identically after the migration. */
#include "nb-export.h"
#include "nb-recorder.h"
#include "nb-sample-codec.h"
#include "nb-store-private.h"
#include "store-test-util.h"

#include <math.h>
#include <string.h>

static void
check_round_trip (const gint16 *x, guint n, NbSampleCodec want_codec)
{
  NbSampleCodec codec = 99;
  g_autoptr (GBytes) blob = nb_sample_encode (x, n, &codec);
  g_assert_cmpint (codec, ==, want_codec);
  gsize len;
  const void *data = g_bytes_get_data (blob, &len);
  if (codec == NB_SAMPLE_CODEC_D2Z)
    g_assert_cmpuint (len, <, (gsize) n * 2);
  g_autofree gint16 *out = g_new0 (gint16, n);
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_sample_decode (codec, data, len, out, n, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (out, n * sizeof (gint16), x, n * sizeof (gint16));
}

/* a pen-like signal: raised-cosine strokes at 150 Hz, 1.5 mm, with 2 µm RMS sensor noise */
static void
pen_signal (gint16 *x, guint n, guint32 seed)
{
  g_autoptr (GRand) r = g_rand_new_with_seed (seed);
  for (guint i = 0; i < n; i++)
    {
      double phase = fmod (i * 150.0 / 20000.0, 1.0);
      double pos = phase < 0.7 ? -500 + 1000 * (1 - cos (2 * G_PI * phase / 0.7)) : -500;
      double u1 = g_rand_double_range (r, 1e-12, 1), u2 = g_rand_double (r);
      double noise = 2.0 * sqrt (-2 * log (u1)) * cos (2 * G_PI * u2);
      x[i] = (gint16) lround (pos + noise);
    }
}

static void
test_round_trip (void)
{
  enum
  {
    N = 16384
  };
  g_autofree gint16 *x = g_new (gint16, N);

  pen_signal (x, N, 1);
  check_round_trip (x, N, NB_SAMPLE_CODEC_D2Z);
  NbSampleCodec codec;
  g_autoptr (GBytes) blob = nb_sample_encode (x, N, &codec);
  double per_sample = (double) g_bytes_get_size (blob) / N;
  g_test_message ("pen-like signal: %.3f bytes/sample", per_sample);
  g_assert_cmpfloat (per_sample, <, 0.8);

  /* extremes: alternating full scale (wraps every residual), constant extremes, ramps */
  for (guint i = 0; i < N; i++)
    x[i] = i % 2 ? G_MAXINT16 : G_MININT16;
  check_round_trip (x, N, NB_SAMPLE_CODEC_D2Z); /* periodic: zstd still finds it */
  for (guint i = 0; i < N; i++)
    x[i] = i % 3 == 0 ? G_MININT16 : i % 3 == 1 ? G_MAXINT16 : 0;
  check_round_trip (x, N, NB_SAMPLE_CODEC_D2Z);
  for (guint i = 0; i < N; i++)
    x[i] = G_MININT16;
  check_round_trip (x, N, NB_SAMPLE_CODEC_D2Z);
  for (guint i = 0; i < N; i++)
    x[i] = (gint16) (i * 997);
  check_round_trip (x, N, NB_SAMPLE_CODEC_D2Z);

  /* white noise over the full range does not compress: stored raw, still exact */
  g_autoptr (GRand) r = g_rand_new_with_seed (7);
  for (guint i = 0; i < N; i++)
    x[i] = (gint16) g_rand_int_range (r, G_MININT16, G_MAXINT16 + 1);
  check_round_trip (x, N, NB_SAMPLE_CODEC_RAW);

  /* the shortest runs */
  const gint16 one[] = { G_MININT16 }, two[] = { G_MAXINT16, G_MININT16 };
  check_round_trip (one, 1, NB_SAMPLE_CODEC_RAW);
  check_round_trip (two, 2, NB_SAMPLE_CODEC_RAW);
  const gint16 three[] = { G_MAXINT16, G_MININT16, G_MAXINT16 };
  g_autoptr (GBytes) b3 = nb_sample_encode (three, 3, &codec);
  gint16 out3[3];
  g_assert_true (
      nb_sample_decode (codec, g_bytes_get_data (b3, NULL), g_bytes_get_size (b3), out3, 3, NULL));
  g_assert_cmpmem (out3, sizeof out3, three, sizeof three);
}

static void
expect_corrupt (NbSampleCodec codec, const void *data, gsize len, guint n)
{
  g_autofree gint16 *out = g_new0 (gint16, n + 1);
  g_autoptr (GError) error = NULL;
  g_assert_false (nb_sample_decode (codec, data, len, out, n, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT);
}

static void
test_corrupt (void)
{
  gint16 x[1000];
  pen_signal (x, 1000, 3);
  NbSampleCodec codec;
  g_autoptr (GBytes) blob = nb_sample_encode (x, 1000, &codec);
  g_assert_cmpint (codec, ==, NB_SAMPLE_CODEC_D2Z);
  gsize len;
  const guint8 *data = g_bytes_get_data (blob, &len);

  expect_corrupt (codec, data, len, 999);      /* more data than samples */
  expect_corrupt (codec, data, len, 1001);     /* fewer */
  expect_corrupt (codec, data, len - 3, 1000); /* cut short */
  expect_corrupt (codec, data, len / 2, 1000);
  expect_corrupt (codec, "garbage!", 8, 4);
  expect_corrupt (7, data, len, 1000); /* unknown codec */
  expect_corrupt (NB_SAMPLE_CODEC_RAW, data, len, 1000);
  g_autofree guint8 *flipped = g_memdup2 (data, len);
  flipped[len / 2] ^= 0x5a;
  g_autofree gint16 *out = g_new (gint16, 1000);
  /* a flipped bit either fails to decode or decodes to other samples; it never overruns */
  if (nb_sample_decode (codec, flipped, len, out, 1000, NULL))
    g_assert_true (memcmp (out, x, sizeof x) != 0);
}

typedef struct
{
  GArray *firsts;
  GArray *samples;
} Runs;

static gboolean
collect (guint64 first, const gint16 *samples, guint n, gpointer data)
{
  Runs *r = data;
  g_array_append_val (r->firsts, first);
  g_array_append_vals (r->samples, samples, n);
  return TRUE;
}

static void
runs_init (Runs *r)
{
  r->firsts = g_array_new (FALSE, FALSE, sizeof (guint64));
  r->samples = g_array_new (FALSE, FALSE, sizeof (gint16));
}

static void
runs_clear (Runs *r)
{
  g_array_unref (r->firsts);
  g_array_unref (r->samples);
}

static int
count_rows (NbStore *store, const char *sql)
{
  NbStmt *stmt = nb_store_stmt (store, sql, NULL);
  g_assert_nonnull (stmt);
  g_assert_cmpint (nb_stmt_step (stmt), ==, NB_DB_ROW);
  int n = nb_stmt_column_int (stmt, 0);
  nb_stmt_reset (stmt);
  return n;
}

/* Contiguous batches become one compressed row; a gap starts a new one. */
static void
test_recorder_groups (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "g.db");
  g_autoptr (GError) error = NULL;
  NbRecorderParams p = { .store_path = path, .session = { .sample_rate_hz = 20000 } };
  g_autoptr (NbRecorder) rec = nb_recorder_new (&p, &error);
  g_assert_no_error (error);
  gint16 x[1300];
  pen_signal (x, 1300, 5);
  for (guint b = 0; b < 10; b++)
    g_assert_true (nb_recorder_add_batch (rec, b * 100, x + b * 100, 100, &error));
  for (guint b = 0; b < 3; b++) /* 4000 samples lost */
    g_assert_true (nb_recorder_add_batch (rec, 5000 + b * 100, x + 1000 + b * 100, 100, &error));
  gint64 id = nb_recorder_get_session_id (rec);
  g_assert_true (nb_recorder_finish (rec, NB_SESSION_COMPLETE, NULL, &error));
  g_assert_no_error (error);

  g_autoptr (NbStore) store = nb_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM batches"), ==, 2);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM batches WHERE codec = 1"), ==, 2);
  g_assert_cmpint (nb_store_count_samples (store, id, &error), ==, 1300);
  Runs r;
  runs_init (&r);
  g_assert_true (nb_store_foreach_batch (store, id, collect, &r, &error));
  g_assert_cmpuint (r.firsts->len, ==, 2);
  g_assert_cmpuint (g_array_index (r.firsts, guint64, 0), ==, 0);
  g_assert_cmpuint (g_array_index (r.firsts, guint64, 1), ==, 5000);
  g_assert_cmpmem (r.samples->data, r.samples->len * 2, x, sizeof x);
  runs_clear (&r);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

/* The goal of the compression: at most 1 byte a sample on disk for a pen-like 20 kHz signal
 * recorded in 100-sample batches (2 bytes raw, plus ~30 bytes of row and index per batch before
 * the recorder grouped them). */
static void
test_recorded_size (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "size.db");
  g_autoptr (GError) error = NULL;
  enum
  {
    N = 10 * 20000
  };
  g_autofree gint16 *x = g_new (gint16, N);
  pen_signal (x, N, 11);
  NbRecorderParams p = { .store_path = path, .session = { .sample_rate_hz = 20000 } };
  g_autoptr (NbRecorder) rec = nb_recorder_new (&p, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N; i += 100)
    g_assert_true (nb_recorder_add_batch (rec, i, x + i, 100, &error));
  g_assert_true (nb_recorder_finish (rec, NB_SESSION_COMPLETE, NULL, &error));
  g_assert_no_error (error);

  g_autoptr (NbStore) store = nb_store_open (path, &error);
  g_assert_no_error (error);
  int blob_bytes = count_rows (store, "SELECT sum(length(samples)) FROM batches");
  int rows = count_rows (store, "SELECT count(*) FROM batches");
  /* the rows' own cost: ~30 bytes each in the table and its index */
  double per_sample = (blob_bytes + 30.0 * rows) / N;
  g_test_message ("%d rows, %.3f bytes/sample", rows, per_sample);
  g_assert_cmpfloat (per_sample, <=, 1.0);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

/* A schema-2 database (raw rows, no codec column) migrates and reads back identically; new
 * rows are compressed; the append-only triggers still hold. */
static void
test_old_schema (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "old.db");
  g_autofree char *after_csv = g_build_filename (dir, "after.csv", NULL);
  g_autoptr (GError) error = NULL;
  enum
  {
    N = 3000
  };
  gint16 x[N];
  pen_signal (x, N, 9);
  x[0] = G_MININT16;
  x[1] = G_MAXINT16;

  NbStore *old = nb_store_test_open_at_version (path, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nb_store_get_schema_version (old), ==, 2);
  NbStoreSessionParams sp = { .name = "old", .sample_rate_hz = 20000 };
  gint64 id = nb_store_begin_session (old, &sp, &error);
  g_assert_no_error (error);
  /* the rows as schema 2 wrote them: little-endian int16, one row per 100-sample batch */
  sqlite3_stmt *stmt = NULL;
  g_assert_cmpint (sqlite3_prepare_v2 (nb_db_sqlite_handle (old->db),
                                       "INSERT INTO batches (session_id, first_index, count, "
                                       "samples) VALUES (?, ?, 100, ?)",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  for (guint b = 0; b < N / 100; b++)
    {
      gint16 le[100];
      for (guint i = 0; i < 100; i++)
        le[i] = GINT16_TO_LE (x[b * 100 + i]);
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, b * 100);
      sqlite3_bind_blob (stmt, 3, le, sizeof le, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  g_assert_true (nb_store_close_session (old, id, NB_SESSION_COMPLETE, NULL, &error));
  nb_store_close (old);

  /* opening read-only never migrates */
  NbStore *ro = nb_store_open_full (path, NB_STORE_OPEN_READ_ONLY, &error);
  g_assert_null (ro);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);

  g_autoptr (NbStore) store = nb_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nb_store_get_schema_version (store), ==, nb_store_get_latest_schema_version ());
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM batches WHERE codec = 0"), ==, N / 100);
  Runs r;
  runs_init (&r);
  g_assert_true (nb_store_foreach_batch (store, id, collect, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r.firsts->len, ==, N / 100);
  g_assert_cmpmem (r.samples->data, r.samples->len * 2, x, sizeof x);
  runs_clear (&r);
  g_assert_true (
      nb_export_session (store, id, NB_EXPORT_CSV, TRUE, after_csv, NB_EXPORT_DEFAULT, &error));
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (after_csv, &text, NULL, NULL));
  g_autoptr (GString) want = g_string_new ("sample_index,position_um\r\n");
  for (guint i = 0; i < N; i++)
    g_string_append_printf (want, "%u,%d\r\n", i, x[i]);
  g_assert_cmpstr (text, ==, want->str);

  /* still append-only after the ALTER TABLE */
  char *msg = NULL;
  g_assert_cmpint (sqlite3_exec (nb_db_sqlite_handle (store->db), "UPDATE batches SET codec = 1",
                                 NULL, NULL, &msg),
                   !=, SQLITE_OK);
  sqlite3_free (msg);
  g_assert_cmpint (
      sqlite3_exec (nb_db_sqlite_handle (store->db), "DELETE FROM batches", NULL, NULL, &msg), !=,
      SQLITE_OK);
  sqlite3_free (msg);

  /* a new session in the migrated database is compressed, the old one unchanged */
  gint64 id2 = nb_store_begin_session (store, &sp, &error);
  g_assert_no_error (error);
  g_assert_true (nb_store_add_batch (store, id2, 0, x, N, &error));
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM batches WHERE codec = 1"), ==, 1);
  runs_init (&r);
  g_assert_true (nb_store_foreach_batch (store, id2, collect, &r, &error));
  g_assert_cmpmem (r.samples->data, r.samples->len * 2, x, sizeof x);
  runs_clear (&r);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  nb_test_add_func ("/store-codec/round-trip", test_round_trip);
  nb_test_add_func ("/store-codec/corrupt", test_corrupt);
  nb_test_add_func ("/store-codec/recorder-groups", test_recorder_groups);
  nb_test_add_func ("/store-codec/recorded-size", test_recorded_size);
  nb_test_add_sqlite_only ("/store-codec/old-schema", test_old_schema,
                           "a SQLite file of schema 2 (raw sample rows) brought forward");
  return nb_test_run ();
}
