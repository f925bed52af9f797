/* test-store-recorder.c: the recorder: a full round trip, read-only and full databases, live and
 * interrupted sessions. Part of the test-store program (see test-store.c). */
#include "nb-audit.h"
#include "nb-export.h"
#include "nb-recorder.h"
#include "nb-store-private.h"
#include "store-test-util.h"

#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct
{
  guint n;
} Counter;

static gboolean
check_stroke (const NbStoreStroke *s, gpointer data)
{
  Counter *c = data;
  NbStoreStroke want = make_stroke (c->n);
  g_assert_cmpuint (s->index, ==, want.index);
  g_assert_cmpuint (s->peak_sample, ==, want.peak_sample);
  g_assert_cmpfloat (s->time_s, ==, want.time_s);
  g_assert_cmpfloat (s->depth_mm, ==, want.depth_mm);
  g_assert_cmpfloat (s->period_s, ==, want.period_s);
  if (isnan (want.entry_speed_mm_s))
    g_assert_true (isnan (s->entry_speed_mm_s));
  else
    g_assert_cmpfloat (s->entry_speed_mm_s, ==, want.entry_speed_mm_s);
  c->n++;
  return TRUE;
}

static gboolean
check_batch (guint64 first, const gint16 *samples, guint n, gpointer data)
{
  Counter *c = data;
  /* contiguous batches come back as longer runs: c->n counts samples */
  g_assert_cmpuint (first, ==, (guint64) c->n);
  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (samples[i], ==, (gint16) ((first + i) % 3001 - 1500));
  c->n += n;
  return TRUE;
}

static gboolean
check_event (const NbStoreEvent *e, gpointer data)
{
  Counter *c = data;
  if (c->n == 0)
    {
      g_assert_cmpuint (e->sample_index, ==, 42);
      g_assert_cmpint (e->code, ==, 3);
      g_assert_cmpstr (e->name, ==, "gap");
      g_assert_cmpstr (e->detail, ==, "lost 10 samples");
    }
  else
    {
      g_assert_cmpuint (e->sample_index, ==, 99);
      g_assert_null (e->detail);
    }
  g_assert_cmpint (e->at, >, 0);
  c->n++;
  return TRUE;
}

static void
test_round_trip (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "sub/rt.db");
  GError *error = NULL;
  gint64 before = g_get_real_time ();
  gint64 id = record_session (path, 300, 250);

  g_autoptr (NbStore) store = nb_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nb_store_get_schema_version (store), ==, nb_store_get_latest_schema_version ());
  g_autoptr (NbStoreSession) s = nb_store_get_session (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s->pen_serial, ==, "NB-0042");
  g_assert_cmpstr (s->pen_model, ==, "NP-1");
  g_assert_cmpstr (s->uri, ==, "sim://");
  g_assert_cmpstr (s->operator_name, ==, "alice");
  g_assert_cmpstr (s->name, ==, "round trip");
  g_assert_cmpstr (s->note, ==, NOTE);
  g_assert_cmpfloat (s->depth_mm, ==, 1.5);
  g_assert_cmpfloat (s->rate_hz, ==, 150);
  g_assert_cmpfloat (s->sample_rate_hz, ==, 20000);
  g_assert_cmpint (s->started_at, >=, before);
  g_assert_cmpint (s->ended_at, >=, s->started_at);
  g_assert_cmpint (s->status, ==, NB_SESSION_COMPLETE);
  g_assert_null (s->error);

  Counter c = { 0 };
  g_assert_true (nb_store_foreach_stroke (store, id, check_stroke, &c, &error));
  g_assert_cmpuint (c.n, ==, 300);
  c.n = 0;
  g_assert_true (nb_store_foreach_batch (store, id, check_batch, &c, &error));
  g_assert_cmpuint (c.n, ==, 250 * 100);
  c.n = 0;
  g_assert_true (nb_store_foreach_event (store, id, check_event, &c, &error));
  g_assert_cmpuint (c.n, ==, 2);
  g_assert_cmpint (nb_store_count_strokes (store, id, &error), ==, 300);
  g_assert_cmpint (nb_store_count_samples (store, id, &error), ==, 25000);

  g_autoptr (NbStoreSession) missing = nb_store_get_session (store, id + 100, &error);
  g_assert_null (missing);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a second session from another pen and operator, for the filters */
  NbRecorderParams p = default_params (path);
  p.session.pen_serial = "NB-0099";
  p.session.operator_name = "bob";
  g_autoptr (NbRecorder) rec = nb_recorder_new (&p, &error);
  g_assert_no_error (error);
  g_assert_true (nb_recorder_finish (rec, NB_SESSION_ABORTED, "operator stopped", &error));

  g_autoptr (GPtrArray) all = nb_store_list_sessions (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  NbStoreSession *newest = all->pdata[0];
  g_assert_cmpstr (newest->operator_name, ==, "bob");
  g_assert_cmpint (newest->status, ==, NB_SESSION_ABORTED);
  g_assert_cmpstr (newest->error, ==, "operator stopped");

  NbStoreSessionFilter f = { .pen_serial = "NB-0042" };
  g_autoptr (GPtrArray) by_pen = nb_store_list_sessions (store, &f, &error);
  g_assert_cmpuint (by_pen->len, ==, 1);
  g_assert_cmpint (((NbStoreSession *) by_pen->pdata[0])->id, ==, id);
  NbStoreSessionFilter f2 = { .operator_name = "bob" };
  g_autoptr (GPtrArray) by_op = nb_store_list_sessions (store, &f2, &error);
  g_assert_cmpuint (by_op->len, ==, 1);
  NbStoreSessionFilter f3 = { .from = before, .to = g_get_real_time () + 1 };
  g_autoptr (GPtrArray) in_range = nb_store_list_sessions (store, &f3, &error);
  g_assert_cmpuint (in_range->len, ==, 2);
  NbStoreSessionFilter f4 = { .to = before };
  g_autoptr (GPtrArray) none = nb_store_list_sessions (store, &f4, &error);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_no_error (error);

  gint64 n_rows = 0;
  g_assert_true (nb_audit_verify (store, &n_rows, NULL, &error));
  g_assert_no_error (error);
  /* 2 x (firmware, start, close), and one entry for the rows of each commit of the first
   * session (the second wrote none) */
  NbStmt *data = nb_store_stmt (
      store, "SELECT count(*) FROM audit WHERE action = 'session.data' AND subject = ?", NULL);
  g_autofree char *subject = g_strdup_printf ("session:%" G_GINT64_FORMAT, id);
  nb_stmt_bind_text (data, 1, subject, -1);
  g_assert_cmpint (nb_stmt_step (data), ==, SQLITE_ROW);
  gint64 n_data = nb_stmt_column_int64 (data, 0);
  nb_stmt_reset (data);
  g_assert_cmpint (n_data, >=, 1);
  g_assert_cmpint (n_rows, ==, 6 + n_data);
  g_assert_true (nb_store_check_integrity (store, &error));
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_read_only (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *sub = g_build_filename (dir, "ro", NULL);
  g_autofree char *path = nb_test_store_location (sub, "ro.db");
  GError *error = NULL;
  gint64 id = record_session (path, 3, 3);

  if (geteuid () != 0 && !nb_test_backend_is_pg ())
    {
      /* the real thing: file and directory without write permission */
      g_assert_cmpint (g_chmod (path, 0400), ==, 0);
      g_assert_cmpint (g_chmod (sub, 0500), ==, 0);
      NbStore *store = nb_store_open (path, &error);
      g_assert_null (store);
      g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_READ_ONLY);
      g_test_message ("chmod: %s", error->message);
      g_clear_error (&error);
      g_autofree char *other = g_build_filename (sub, "new.db", NULL);
      store = nb_store_open (other, &error);
      g_assert_null (store);
      g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_READ_ONLY);
      g_clear_error (&error);
      g_chmod (sub, 0700);
      g_chmod (path, 0600);
    }
  else if (nb_test_backend_is_pg ())
    g_test_message ("PostgreSQL: no file to chmod, using read-only connections");
  else
    g_test_message ("running as root: chmod does not stop writes, using read-only connections");

  /* a read-only connection: reading works, every write is refused clearly */
  g_autoptr (NbStore) ro = nb_store_open_full (path, NB_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_autoptr (NbStoreSession) s = nb_store_get_session (ro, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s->note, ==, NOTE);
  NbStoreSessionParams sp = { .sample_rate_hz = 20000 };
  g_assert_cmpint (nb_store_begin_session (ro, &sp, &error), ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "read-only"));
  g_assert_nonnull (strstr (error->message, path));
  g_test_message ("read-only connection: %s", error->message);
  g_clear_error (&error);
  g_assert_false (nb_audit_append (ro, NULL, "x", NULL, NULL, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);

  /* the recorder's own connection refused writes (query_only): reported by nb_recorder_new () */
  nb_store_test_set_connect_sql (nb_test_backend_is_pg () ? "SET default_transaction_read_only = on"
                                                          : "PRAGMA query_only = 1");
  NbRecorderParams p = default_params (path);
  NbRecorder *rec = nb_recorder_new (&p, &error);
  nb_store_test_set_connect_sql (NULL);
  g_assert_null (rec);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_READ_ONLY);
  g_test_message ("recorder: %s", error->message);
  g_clear_error (&error);

  /* read-only opening never creates a file (on PostgreSQL a database is never created by
   * opening it: nothing to test) */
  if (nb_test_backend_is_pg ())
    {
      nb_test_tmpdir_free (g_steal_pointer (&dir));
      return;
    }
  g_autofree char *missing = g_build_filename (dir, "missing.db", NULL);
  NbStore *none = nb_store_open_full (missing, NB_STORE_OPEN_READ_ONLY, &error);
  g_assert_null (none);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_IO);
  g_clear_error (&error);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

static gint64
page_count (const char *path)
{
  GError *error = NULL;
  g_autoptr (NbStore) store = nb_store_open (path, &error);
  g_assert_no_error (error);
  NbStmt *stmt = nb_store_stmt (store, "PRAGMA page_count", &error);
  g_assert_cmpint (nb_stmt_step (stmt), ==, SQLITE_ROW);
  gint64 n = nb_stmt_column_int64 (stmt, 0);
  nb_stmt_reset (stmt);
  return n;
}

static void
test_disk_full (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "full.db");
  GError *error = NULL;
  gint64 first = record_session (path, 200, 100);

  /* allow the database only 400 more pages (4 KiB each): about a second of this flood */
  g_autofree char *limit
      = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, page_count (path) + 400);
  nb_store_test_set_connect_sql (limit);
  NbRecorderParams p = default_params (path);
  p.commit_interval_ms = 20;
  g_autoptr (NbRecorder) rec = nb_recorder_new (&p, &error);
  nb_store_test_set_connect_sql (NULL);
  g_assert_no_error (error);
  gint64 second = nb_recorder_get_session_id (rec);

  gint16 samples[100] = { 0 };
  guint64 b = 0;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  gboolean ok = TRUE;
  while (ok && g_get_monotonic_time () < deadline)
    {
      for (int k = 0; k < 20 && ok; k++, b++)
        {
          NbStoreStroke st = make_stroke (b);
          ok = nb_recorder_add_batch (rec, b * 100, samples, 100, &error)
               && nb_recorder_add_stroke (rec, &st, &error);
        }
      g_usleep (2000);
    }
  g_assert_false (ok);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_FULL);
  g_assert_nonnull (strstr (error->message, "full"));
  g_test_message ("disk full: %s", error->message);
  g_clear_error (&error);
  g_assert_true (nb_recorder_has_failed (rec));
  GError *copy = nb_recorder_get_error (rec);
  g_assert_error (copy, NB_STORE_ERROR, NB_STORE_ERROR_FULL);
  g_error_free (copy);
  NbRecorderStats stats;
  nb_recorder_get_stats (rec, &stats);
  g_assert_false (nb_recorder_finish (rec, NB_SESSION_COMPLETE, NULL, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_FULL);
  g_clear_error (&error);
  g_assert_cmpuint (stats.commits, >, 0);

  /* everything committed is intact: the first session and the second up to its last commit */
  g_autoptr (NbStore) store = nb_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (nb_store_check_integrity (store, &error));
  g_assert_true (nb_audit_verify (store, NULL, NULL, &error));
  g_assert_cmpint (nb_store_count_strokes (store, first, &error), ==, 200);
  g_assert_cmpint (nb_store_count_strokes (store, second, &error), >=, (gint64) stats.strokes);
  g_assert_cmpint (nb_store_count_samples (store, second, &error), >=, (gint64) stats.samples);
  g_autoptr (NbStoreSession) s = nb_store_get_session (store, second, &error);
  g_assert_no_error (error);
  g_test_message ("second session %s: %s, %" G_GUINT64_FORMAT " strokes committed",
                  nb_session_status_to_string (s->status), s->error, stats.strokes);
  g_assert_true (s->status == NB_SESSION_ABORTED || s->status == NB_SESSION_INTERRUPTED);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_live_and_interrupted (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "live.db");
  GError *error = NULL;
  g_autoptr (NbStore) store = nb_store_open (path, &error);
  g_assert_no_error (error);

  /* a session left 'recording' with nobody recording it: interrupted */
  NbStoreSessionParams sp = { .sample_rate_hz = 20000 };
  gint64 dead = nb_store_begin_session (store, &sp, &error);
  g_assert_no_error (error);
  NbRecorderParams p = default_params (path);
  g_autoptr (NbRecorder) rec = nb_recorder_new (&p, &error);
  g_assert_no_error (error);
  gint64 live = nb_recorder_get_session_id (rec);

  g_autoptr (NbStoreSession) d = nb_store_get_session (store, dead, &error);
  g_assert_cmpint (d->status, ==, NB_SESSION_INTERRUPTED);
  g_autoptr (NbStoreSession) l = nb_store_get_session (store, live, &error);
  g_assert_cmpint (l->status, ==, NB_SESSION_RECORDING);
  g_assert_true (nb_recorder_finish (rec, NB_SESSION_COMPLETE, NULL, &error));
  g_autoptr (NbStoreSession) l2 = nb_store_get_session (store, live, &error);
  g_assert_cmpint (l2->status, ==, NB_SESSION_COMPLETE);

  /* adding after finish is an error */
  gint16 x = 0;
  g_assert_false (nb_recorder_add_batch (rec, 0, &x, 1, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

void
test_store_add_recorder_tests (void)
{
  nb_test_add_func ("/store/round-trip", test_round_trip);
  nb_test_add_func ("/store/read-only", test_read_only);
  nb_test_add_sqlite_only ("/store/disk-full", test_disk_full,
                           "a full disk made with PRAGMA max_page_count");
  nb_test_add_func ("/store/live-and-interrupted", test_live_and_interrupted);
}
