/* test-store.c: unit tests of the record store: round trip, schema and migrations, file mode,
 * append-only triggers, audit chain, read-only and full databases, CSV/JSON export. */
#include "nb-audit.h"
#include "nb-export.h"
#include "nb-recorder.h"
#include "nb-store-private.h"
#include "store-test-util.h"

#include <csv.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOTE "Test \"quoted\", with commas,\nnew lines\r\nand a trailing quote\""

static NbRecorderParams
default_params (const char *path)
{
  NbRecorderParams p = {
    .store_path = path,
    .session = {
      .pen_serial = "NB-0042",
      .pen_model = "NP-1",
      .pen_firmware = "1.2.3",
      .uri = "sim://",
      .operator_name = "alice",
      .name = "round trip",
      .note = NOTE,
      .depth_mm = 1.5,
      .rate_hz = 150,
      .sample_rate_hz = 20000,
    },
    .commit_interval_ms = 100,
  };
  return p;
}

static NbStoreStroke
make_stroke (guint64 i)
{
  NbStoreStroke s = {
    .index = i,
    .peak_sample = i * 133 + 7,
    .time_s = (i * 133 + 7) / 20000.0 + 1e-7,
    .depth_mm = 1.5 + 0.001 * (i % 17),
    .period_s = i == 0 ? 0 : 1.0 / 150.0 + 1e-9 * i,
    .entry_speed_mm_s = i % 5 == 3 ? NAN : 500.0 + i / 3.0,
  };
  return s;
}

/* Records a session with @n_strokes strokes and @n_batches batches of 100 samples. */
static gint64
record_session (const char *path, guint n_strokes, guint n_batches)
{
  GError *error = NULL;
  NbRecorderParams p = default_params (path);
  g_autoptr (NbRecorder) rec = nb_recorder_new (&p, &error);
  g_assert_no_error (error);
  gint16 samples[100];
  for (guint b = 0; b < n_batches; b++)
    {
      for (guint i = 0; i < 100; i++)
        samples[i] = (gint16) ((b * 100 + i) % 3001 - 1500);
      g_assert_true (nb_recorder_add_batch (rec, (guint64) b * 100, samples, 100, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < n_strokes; i++)
    {
      NbStoreStroke s = make_stroke (i);
      g_assert_true (nb_recorder_add_stroke (rec, &s, &error));
    }
  g_assert_true (nb_recorder_add_event (rec, 42, 3, "gap", "lost 10 samples", &error));
  g_assert_true (nb_recorder_add_event (rec, 99, 1, "note", NULL, &error));
  gint64 id = nb_recorder_get_session_id (rec);
  g_assert_true (nb_recorder_finish (rec, NB_SESSION_COMPLETE, NULL, &error));
  g_assert_no_error (error);
  return id;
}

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
  g_assert_cmpuint (first, ==, (guint64) c->n * 100);
  g_assert_cmpuint (n, ==, 100);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (samples[i], ==, (gint16) ((first + i) % 3001 - 1500));
  c->n++;
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
  g_autofree char *path = g_build_filename (dir, "sub", "rt.db", NULL);
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
  g_assert_cmpuint (c.n, ==, 250);
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
  g_assert_cmpint (n_rows, ==, 6); /* 2 x (firmware, start, close) */
  g_assert_true (nb_store_check_integrity (store, &error));
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
check_mode (const char *path, guint mode)
{
  GStatBuf st;
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, mode);
}

static void
test_file_mode (void)
{
  static const mode_t masks[] = { 0, 022, 0277 };
  for (guint i = 0; i < G_N_ELEMENTS (masks); i++)
    {
      g_autofree char *dir = nb_test_tmpdir_new ();
      g_autofree char *sub = g_build_filename (dir, "data", NULL);
      g_autofree char *path = g_build_filename (sub, "mode.db", NULL);
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      GError *error = NULL;
      mode_t old = umask (masks[i]);
      NbStore *store = nb_store_open (path, &error);
      umask (old);
      g_assert_no_error (error);
      g_assert_true (nb_audit_append (store, "test", "test.write", NULL, NULL, &error));
      check_mode (path, 0600);
      check_mode (wal, 0600);
      check_mode (sub, 0700);
      nb_store_close (store);
      nb_test_tmpdir_free (g_steal_pointer (&dir));
    }
}

static void
test_default_path (void)
{
  g_autofree char *path = nb_store_get_default_path ();
  g_autofree char *want
      = g_build_filename (g_get_user_data_dir (), "needlebench", "needlebench.db", NULL);
  g_assert_cmpstr (path, ==, want);
  g_assert_cmpstr (g_quark_to_string (NB_STORE_ERROR), ==, "nb-store-error-quark");
}

static gboolean
has_index (NbStore *store, const char *name)
{
  sqlite3_stmt *stmt = nb_store_stmt (
      store, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?", NULL);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  gboolean found = sqlite3_column_int (stmt, 0) == 1;
  sqlite3_reset (stmt);
  return found;
}

static void
test_migrations (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *empty = g_build_filename (dir, "empty.db", NULL);
  g_autofree char *old = g_build_filename (dir, "v1.db", NULL);
  GError *error = NULL;

  /* an existing empty file is a database at version 0 */
  g_assert_true (g_file_set_contents (empty, "", 0, &error));
  NbStore *store = nb_store_open (empty, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nb_store_get_schema_version (store), ==, nb_store_get_latest_schema_version ());
  g_assert_cmpint (nb_store_get_latest_schema_version (), >=, 2);
  g_assert_true (has_index (store, "sessions_started"));
  nb_store_close (store);

  /* a version 1 database with data is brought forward, keeping the data */
  store = nb_store_test_open_at_version (old, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nb_store_get_schema_version (store), ==, 1);
  g_assert_false (has_index (store, "sessions_started"));
  NbStoreSessionParams sp = { .pen_serial = "OLD-1", .note = "from v1", .sample_rate_hz = 20000 };
  gint64 id = nb_store_begin_session (store, &sp, &error);
  g_assert_no_error (error);
  NbStoreStroke st = make_stroke (0);
  g_assert_true (nb_store_add_stroke (store, id, &st, &error));
  g_assert_true (nb_store_close_session (store, id, NB_SESSION_COMPLETE, NULL, &error));
  nb_store_close (store);

  store = nb_store_open (old, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nb_store_get_schema_version (store), ==, nb_store_get_latest_schema_version ());
  g_assert_true (has_index (store, "sessions_started"));
  g_autoptr (NbStoreSession) s = nb_store_get_session (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s->note, ==, "from v1");
  g_assert_cmpint (nb_store_count_strokes (store, id, &error), ==, 1);
  g_assert_true (nb_audit_verify (store, NULL, NULL, &error));

  /* a database from the future is refused */
  g_assert_true (nb_store_exec (store, "PRAGMA user_version = 99", &error));
  nb_store_close (store);
  store = nb_store_open (old, &error);
  g_assert_null (store);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_SCHEMA);
  g_test_message ("newer schema: %s", error->message);
  g_clear_error (&error);

  /* not a database */
  g_autofree char *junk = g_build_filename (dir, "junk.db", NULL);
  g_assert_true (g_file_set_contents (junk,
                                      "this is not an SQLite database, not at all, no; "
                                      "it is much longer than one header though......",
                                      -1, &error));
  store = nb_store_open (junk, &error);
  g_assert_null (store);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
expect_rejected (NbStore *store, const char *sql)
{
  GError *error = NULL;
  g_assert_false (nb_store_exec (store, sql, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT);
  g_test_message ("%s -> %s", sql, error->message);
  g_clear_error (&error);
}

static void
test_append_only (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "ao.db", NULL);
  GError *error = NULL;
  gint64 id = record_session (path, 10, 10);
  g_autoptr (NbStore) store = nb_store_open (path, &error);
  g_assert_no_error (error);

  expect_rejected (store, "UPDATE strokes SET depth_mm = 9");
  expect_rejected (store, "DELETE FROM strokes");
  expect_rejected (store, "UPDATE batches SET samples = x'0000'");
  expect_rejected (store, "DELETE FROM batches");
  expect_rejected (store, "UPDATE events SET detail = 'x'");
  expect_rejected (store, "DELETE FROM events");
  expect_rejected (store, "UPDATE audit SET actor = 'mallory'");
  expect_rejected (store, "DELETE FROM audit");
  expect_rejected (store, "DELETE FROM pen_firmware");
  expect_rejected (store, "DELETE FROM pens");
  expect_rejected (store, "DELETE FROM sessions");
  /* closed sessions are frozen and take no more data */
  expect_rejected (store, "UPDATE sessions SET status = 'aborted', ended_at = 1");
  expect_rejected (store, "UPDATE sessions SET note = 'rewritten'");
  NbStoreStroke st = make_stroke (1000);
  g_assert_false (nb_store_add_stroke (store, id, &st, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (nb_store_close_session (store, id, NB_SESSION_COMPLETE, NULL, &error));
  g_clear_error (&error);

  /* a recording session may only be closed, not edited */
  NbStoreSessionParams sp = { .note = "open", .sample_rate_hz = 20000 };
  gint64 open_id = nb_store_begin_session (store, &sp, &error);
  g_assert_no_error (error);
  expect_rejected (store, "UPDATE sessions SET note = 'rewritten' WHERE status = 'recording'");
  expect_rejected (store, "UPDATE sessions SET operator = 'x', status = 'complete', ended_at = 5"
                          " WHERE status = 'recording'");
  g_assert_true (nb_store_close_session (store, open_id, NB_SESSION_COMPLETE, NULL, &error));
  g_assert_no_error (error);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_audit_tamper (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "audit.db", NULL);
  GError *error = NULL;
  record_session (path, 5, 5);
  g_autoptr (NbStore) store = nb_store_open (path, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 5; i++)
    g_assert_true (nb_audit_append (store, NULL, "test.entry", "t", "detail", &error));
  gint64 n = 0, bad = 0;
  g_assert_true (nb_audit_verify (store, &n, &bad, &error));
  g_assert_cmpint (n, ==, 8);

  /* go behind the triggers' back */
  g_assert_true (nb_store_exec (store, "DROP TRIGGER audit_no_update", &error));
  g_assert_true (
      nb_store_exec (store, "UPDATE audit SET detail = 'strokes=0' WHERE id = 3", &error));
  g_assert_false (nb_audit_verify (store, &n, &bad, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_cmpint (bad, ==, 3);
  g_assert_cmpint (n, ==, 2);

  /* even recomputing that row's hash is caught at the next row */
  sqlite3_stmt *stmt = nb_store_stmt (
      store, "SELECT prev_hash, at, actor, action, subject, detail FROM audit WHERE id = 3", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_autofree char *h = nb_audit_hash (
      (const char *) sqlite3_column_text (stmt, 0), 3, sqlite3_column_int64 (stmt, 1),
      (const char *) sqlite3_column_text (stmt, 2), (const char *) sqlite3_column_text (stmt, 3),
      (const char *) sqlite3_column_text (stmt, 4), (const char *) sqlite3_column_text (stmt, 5));
  sqlite3_reset (stmt);
  g_autofree char *sql = g_strdup_printf ("UPDATE audit SET hash = '%s' WHERE id = 3", h);
  g_assert_true (nb_store_exec (store, sql, &error));
  g_assert_false (nb_audit_verify (store, NULL, &bad, &error));
  g_clear_error (&error);
  g_assert_cmpint (bad, ==, 4);

  /* a deleted row */
  g_autofree char *path2 = g_build_filename (dir, "audit2.db", NULL);
  record_session (path2, 1, 1);
  g_autoptr (NbStore) store2 = nb_store_open (path2, &error);
  g_assert_true (nb_store_exec (store2, "DROP TRIGGER audit_no_delete", &error));
  g_assert_true (nb_store_exec (store2, "DELETE FROM audit WHERE id = 2", &error));
  g_assert_false (nb_audit_verify (store2, NULL, &bad, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_cmpint (bad, ==, 3);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_read_only (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *sub = g_build_filename (dir, "ro", NULL);
  g_autofree char *path = g_build_filename (sub, "ro.db", NULL);
  GError *error = NULL;
  gint64 id = record_session (path, 3, 3);

  if (geteuid () != 0)
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
  nb_store_test_set_connect_sql ("PRAGMA query_only = 1");
  NbRecorderParams p = default_params (path);
  NbRecorder *rec = nb_recorder_new (&p, &error);
  nb_store_test_set_connect_sql (NULL);
  g_assert_null (rec);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_READ_ONLY);
  g_test_message ("recorder: %s", error->message);
  g_clear_error (&error);

  /* read-only opening never creates a file */
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
  sqlite3_stmt *stmt = nb_store_stmt (store, "PRAGMA page_count", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  gint64 n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
test_disk_full (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "full.db", NULL);
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

/* --- export --- */

typedef struct
{
  GPtrArray *rows; /* of GPtrArray of char* */
  GPtrArray *cur;
} CsvRows;

static void
csv_field_cb (void *s, size_t len, void *data)
{
  CsvRows *r = data;
  if (r->cur == NULL)
    r->cur = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (r->cur, g_strndup (s ? s : "", len));
}

static void
csv_row_cb (int c, void *data)
{
  CsvRows *r = data;
  if (r->cur == NULL)
    r->cur = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (r->rows, r->cur);
  r->cur = NULL;
}

static GPtrArray *
parse_csv (const char *path)
{
  g_autofree char *text = NULL;
  gsize len;
  GError *error = NULL;
  g_assert_true (g_file_get_contents (path, &text, &len, &error));
  struct csv_parser p;
  g_assert_cmpint (csv_init (&p, CSV_STRICT | CSV_STRICT_FINI), ==, 0);
  CsvRows r = { g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref), NULL };
  g_assert_cmpuint (csv_parse (&p, text, len, csv_field_cb, csv_row_cb, &r), ==, len);
  g_assert_cmpint (csv_fini (&p, csv_field_cb, csv_row_cb, &r), ==, 0);
  csv_free (&p);
  return r.rows;
}

/* assert_csv_reads_plainly: a data-frame reader with no options (pandas.read_csv if installed,
 * else Python's csv.DictReader) finds @n_rows rows, and @column's last value is @last. */
static void
assert_csv_reads_plainly (const char *path, guint n_rows, const char *column, const char *last)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  if (python == NULL)
    {
      g_test_message ("python3 not found: data-frame reading not checked");
      return;
    }
  const char *script = "import sys\n"
                       "try:\n"
                       "    import pandas\n"
                       "    df = pandas.read_csv(sys.argv[1])\n"
                       "    print(len(df), repr(float(df[sys.argv[2]].iloc[-1])))\n"
                       "except ImportError:\n"
                       "    import csv\n"
                       "    rows = list(csv.DictReader(open(sys.argv[1], newline='')))\n"
                       "    print(len(rows), repr(float(rows[-1][sys.argv[2]])))\n";
  const char *argv[] = { python, "-c", script, path, column, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_autofree char *want = g_strdup_printf ("%u %s\n", n_rows, last);
  if (strchr (last, '.') == NULL)
    {
      g_free (want);
      want = g_strdup_printf ("%u %s.0\n", n_rows, last);
    }
  g_assert_cmpstr (out, ==, want);
}

static const char *
cell (GPtrArray *rows, guint row, guint col)
{
  GPtrArray *r = rows->pdata[row];
  g_assert_cmpuint (col, <, r->len);
  return r->pdata[col];
}

static void
assert_no_temp_files (const char *dir, guint expected_files)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_assert_false (g_str_has_prefix (name, ".")); /* no temporary export left */
      n++;
    }
  g_dir_close (d);
  g_assert_cmpuint (n, ==, expected_files);
}

static void
test_export_csv (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "exp.db", NULL);
  g_autofree char *out_dir = g_build_filename (dir, "out", NULL);
  g_autofree char *csv = g_build_filename (out_dir, "strokes.csv", NULL);
  g_autofree char *csv_samples = g_build_filename (out_dir, "samples.csv", NULL);
  GError *error = NULL;
  gint64 id = record_session (path, 50, 20);
  g_assert_cmpint (g_mkdir (out_dir, 0700), ==, 0);
  g_autoptr (NbStore) store = nb_store_open (path, &error);
  g_assert_no_error (error);

  g_assert_true (
      nb_export_session (store, id, NB_EXPORT_CSV, FALSE, csv, NB_EXPORT_DEFAULT, &error));
  g_assert_no_error (error);
  /* the table starts with its header row; figures to the measurement's precision */
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "index,time_s,depth_mm,period_ms,entry_speed_mm_s\r\n"
                                         "0,0.00035,1.5000,,500.0\r\n"
                                         "1,0.00700,1.5010,6.667,500.3\r\n"
                                         "2,0.01365,1.5020,6.667,500.7\r\n"
                                         "3,0.02030,1.5030,6.667,\r\n"));
  assert_csv_reads_plainly (csv, 50, "depth_mm", "1.515");
  g_autoptr (GPtrArray) rows = parse_csv (csv);
  const char *want_header[] = { "index", "time_s", "depth_mm", "period_ms", "entry_speed_mm_s" };
  for (guint c = 0; c < 5; c++)
    g_assert_cmpstr (cell (rows, 0, c), ==, want_header[c]);
  g_assert_cmpuint (rows->len, ==, 1 + 50);
  for (guint i = 0; i < 50; i++)
    {
      NbStoreStroke want = make_stroke (i);
      guint r = 1 + i;
      g_assert_cmpuint (g_ascii_strtoull (cell (rows, r, 0), NULL, 10), ==, i);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cell (rows, r, 1), NULL), want.time_s,
                                      0.5e-5);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cell (rows, r, 2), NULL), want.depth_mm,
                                      0.5e-4);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cell (rows, r, 3), NULL),
                                      want.period_s * 1000, 0.5e-3);
      if (isnan (want.entry_speed_mm_s))
        g_assert_cmpstr (cell (rows, r, 4), ==, "");
      else
        g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cell (rows, r, 4), NULL),
                                        want.entry_speed_mm_s, 0.05);
    }

  g_assert_true (
      nb_export_session (store, id, NB_EXPORT_CSV, TRUE, csv_samples, NB_EXPORT_DEFAULT, &error));
  g_autofree char *stext = NULL;
  g_assert_true (g_file_get_contents (csv_samples, &stext, NULL, NULL));
  g_assert_true (g_str_has_prefix (stext, "sample_index,position_um\r\n0,-1500\r\n1,-1499\r\n"));
  assert_csv_reads_plainly (csv_samples, 2000, "position_um", "499");
  g_autoptr (GPtrArray) srows = parse_csv (csv_samples);
  g_assert_cmpuint (srows->len, ==, 1 + 2000);
  g_assert_cmpstr (cell (srows, 1 + 1234, 0), ==, "1234");
  g_assert_cmpint (atoi (cell (srows, 1 + 1234, 1)), ==, 1234 % 3001 - 1500);

  /* errors leave nothing behind */
  g_autofree char *bad = g_build_filename (out_dir, "missing.csv", NULL);
  g_assert_false (
      nb_export_session (store, id + 77, NB_EXPORT_CSV, FALSE, bad, NB_EXPORT_DEFAULT, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_autofree char *nodir = g_build_filename (dir, "no", "such", "dir.csv", NULL);
  g_assert_false (
      nb_export_session (store, id, NB_EXPORT_CSV, FALSE, nodir, NB_EXPORT_DEFAULT, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_IO);
  g_clear_error (&error);
  assert_no_temp_files (out_dir, 2);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_export_json (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "exp.db", NULL);
  g_autofree char *json = g_build_filename (dir, "strokes.json", NULL);
  g_autofree char *json_samples = g_build_filename (dir, "samples.json", NULL);
  GError *error = NULL;
  gint64 id = record_session (path, 40, 10);
  g_autoptr (NbStore) store = nb_store_open (path, &error);
  g_assert_no_error (error);

  g_assert_true (
      nb_export_session (store, id, NB_EXPORT_JSON, FALSE, json, NB_EXPORT_DEFAULT, &error));
  g_assert_no_error (error);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_file (parser, json, &error));
  g_assert_no_error (error);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  JsonObject *meta = json_object_get_object_member (root, "session");
  g_assert_cmpint (json_object_get_int_member (meta, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (meta, "note"), ==, NOTE);
  g_assert_cmpstr (json_object_get_string_member (meta, "operator"), ==, "alice");
  g_assert_cmpstr (json_object_get_string_member (meta, "status"), ==, "complete");
  g_assert_true (json_object_get_null_member (meta, "error"));
  g_assert_cmpstr (json_object_get_string_member (meta, "pen_serial"), ==, "NB-0042");
  /* the figures as text: short, to the measurement's precision (json-glib alone would print
   * 17 significant digits) */
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (json, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"depth_mm\":1.5000,\"rate_hz\":150.000,"
                                  "\"sample_rate_hz\":20000.000,"));
  g_assert_nonnull (strstr (text, "\n{\"index\":0,\"time_s\":0.00035,\"depth_mm\":1.5000,"
                                  "\"period_ms\":null,\"entry_speed_mm_s\":500.0},\n"));
  g_assert_nonnull (strstr (text, "\n{\"index\":1,\"time_s\":0.00700,\"depth_mm\":1.5010,"
                                  "\"period_ms\":6.667,\"entry_speed_mm_s\":500.3},\n"));
  g_assert_nonnull (strstr (text, "\n{\"index\":3,\"time_s\":0.02030,\"depth_mm\":1.5030,"
                                  "\"period_ms\":6.667,\"entry_speed_mm_s\":null},\n"));
  JsonArray *strokes = json_object_get_array_member (root, "strokes");
  g_assert_cmpuint (json_array_get_length (strokes), ==, 40);
  for (guint i = 0; i < 40; i++)
    {
      NbStoreStroke want = make_stroke (i);
      JsonObject *o = json_array_get_object_element (strokes, i);
      g_assert_cmpint (json_object_get_int_member (o, "index"), ==, i);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "time_s"), want.time_s,
                                      0.5e-5);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "depth_mm"), want.depth_mm,
                                      0.5e-4);
      if (isnan (want.entry_speed_mm_s))
        g_assert_true (json_object_get_null_member (o, "entry_speed_mm_s"));
      else
        g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "entry_speed_mm_s"),
                                        want.entry_speed_mm_s, 0.05);
    }

  g_assert_true (
      nb_export_session (store, id, NB_EXPORT_JSON, TRUE, json_samples, NB_EXPORT_DEFAULT, &error));
  g_autoptr (JsonParser) p2 = json_parser_new ();
  g_assert_true (json_parser_load_from_file (p2, json_samples, &error));
  g_assert_no_error (error);
  JsonArray *samples
      = json_object_get_array_member (json_node_get_object (json_parser_get_root (p2)), "samples");
  g_assert_cmpuint (json_array_get_length (samples), ==, 1000);
  JsonObject *o = json_array_get_object_element (samples, 777);
  g_assert_cmpint (json_object_get_int_member (o, "sample_index"), ==, 777);
  g_assert_cmpint (json_object_get_int_member (o, "position_um"), ==, 777 % 3001 - 1500);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_live_and_interrupted (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "live.db", NULL);
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/round-trip", test_round_trip);
  g_test_add_func ("/store/file-mode", test_file_mode);
  g_test_add_func ("/store/default-path", test_default_path);
  g_test_add_func ("/store/migrations", test_migrations);
  g_test_add_func ("/store/append-only", test_append_only);
  g_test_add_func ("/store/audit-tamper", test_audit_tamper);
  g_test_add_func ("/store/read-only", test_read_only);
  g_test_add_func ("/store/disk-full", test_disk_full);
  g_test_add_func ("/store/export-csv", test_export_csv);
  g_test_add_func ("/store/export-json", test_export_json);
  g_test_add_func ("/store/live-and-interrupted", test_live_and_interrupted);
  return g_test_run ();
}
