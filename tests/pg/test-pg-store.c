/* test-pg-store.c: the store on PostgreSQL (issue 13 §1): nb_store_open () of a postgresql://
 * URI creates the schema, gives the database an identity, records and lists sessions with their
 * rows, a calibration run and its certificates, refuses what the append-only triggers refuse,
 * hashes rows as SQLite does, and the audit verifies. Run through pg-run.sh (NB_PG_URI); without
 * it the test fails. */
#include "nb-audit-rows.h"
#include "nb-audit-verify.h"
#include "nb-audit.h"
#include "nb-store-certificates.h"
#include "nb-store-runs.h"
#include "nb-store-standards.h"
#include "pg-store-test.h"

#include <glib/gstdio.h>

/* A fresh database gets schema 10 and an identity; opening it again keeps both. */
static void
test_open_identity (void)
{
  GError *error = NULL;
  g_autoptr (NbStore) store = open_store ();
  g_assert_cmpint (nb_store_get_schema_version (store), ==, nb_store_get_latest_schema_version ());
  g_assert_cmpstr (nb_store_get_path (store), ==, pg_uri ());
  g_autofree char *id = nb_store_get_identity (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (id), ==, 32);
  for (const char *p = id; *p; p++)
    g_assert_true (g_ascii_isxdigit (*p) && !g_ascii_isupper (*p));
  gboolean intact = nb_store_check_integrity (store, &error);
  g_assert_no_error (error);
  g_assert_true (intact);

  g_autoptr (NbStore) again = open_store ();
  g_autofree char *id2 = nb_store_get_identity (again, &error);
  g_assert_cmpstr (id, ==, id2);
  g_assert_cmpint (count (again, "SELECT count(*) FROM store_identity"), ==, 1);
}

static gboolean
collect_stroke (const NbStoreStroke *st, gpointer data)
{
  g_array_append_val ((GArray *) data, *st);
  return TRUE;
}

static gboolean
collect_batch (guint64 first, const gint16 *samples, guint n, gpointer data)
{
  GArray *out = data;
  g_assert_cmpuint (first, ==, out->len);
  g_array_append_vals (out, samples, n);
  return TRUE;
}

static gboolean
collect_event (const NbStoreEvent *ev, gpointer data)
{
  g_ptr_array_add (data, g_strdup_printf ("%" G_GUINT64_FORMAT " %d %s %s", ev->sample_index,
                                          ev->code, ev->name, ev->detail ? ev->detail : "-"));
  return TRUE;
}

/* A NULL bound where a value was bound before keeps that value's type, so "?1 IS NULL OR ..."
 * works however the statement was run first with a value. */
static void
test_null_after_value (void)
{
  g_autoptr (NbStore) store = open_store ();
  int rc;
  NbStmt *stmt = nb_db_prepare (store->db,
                                "SELECT count(*) FROM store_identity"
                                " WHERE (?1 IS NULL OR id = ?1)",
                                FALSE, &rc);
  g_assert_nonnull (stmt);
  nb_stmt_bind_int64 (stmt, 1, 2);
  g_assert_cmpint (nb_stmt_step (stmt), ==, NB_DB_ROW);
  g_assert_cmpint (nb_stmt_column_int64 (stmt, 0), ==, 0);
  nb_stmt_reset (stmt);
  nb_stmt_clear_bindings (stmt);
  nb_stmt_bind_null (stmt, 1);
  g_assert_cmpint (nb_stmt_step (stmt), ==, NB_DB_ROW);
  g_assert_cmpint (nb_stmt_column_int64 (stmt, 0), ==, 1);
  nb_stmt_finalize (stmt);
}

/* A session with strokes, sample batches and events comes back as written, listed and closed,
 * and the audit chain verifies with every row covered. */
static void
test_session_round_trip (void)
{
  GError *error = NULL;
  g_autoptr (NbStore) store = open_store ();
  g_autoptr (NbLabKey) key = test_key (3);
  nb_store_set_lab_key (store, key);
  NbStoreSessionParams sp = { .pen_serial = "PG-PEN-1",
                              .pen_model = "M1",
                              .pen_firmware = "2.1",
                              .operator_name = "ana",
                              .name = "round trip",
                              .depth_mm = 1.5,
                              .rate_hz = 100,
                              .sample_rate_hz = 20000,
                              .profile_id = "face",
                              .profile_version = 2,
                              .target_mm = 1.5,
                              .tolerance_mm = 0.1,
                              .band_lo_mm = 0.5,
                              .band_hi_mm = 2.5,
                              .rate_tolerance_hz = 5 };
  gint64 id = nb_store_begin_session (store, &sp, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_true (nb_store_begin (store, &error));
  for (guint i = 0; i < 20; i++)
    {
      NbStoreStroke st = make_stroke (i);
      g_assert_true (nb_store_add_stroke (store, id, &st, &error));
    }
  gint16 samples[300];
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    samples[i] = (gint16) (i * 37 - 4000);
  g_assert_true (nb_store_add_batch (store, id, 0, samples, 200, &error));
  g_assert_true (nb_store_add_batch (store, id, 200, samples + 200, 100, &error));
  g_assert_true (nb_store_add_event (store, id, 5, 3, "note", "it's \"quoted\"", 11, &error));
  g_assert_true (nb_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_true (nb_store_add_event (store, id, 9, 4, "stop", NULL, 12, &error));
  g_assert_true (nb_store_close_session (store, id, NB_SESSION_COMPLETE, NULL, &error));
  g_assert_no_error (error);

  g_autoptr (GPtrArray) list = nb_store_list_sessions (store, NULL, &error);
  g_assert_no_error (error);
  NbStoreSession *found = NULL;
  for (guint i = 0; i < list->len; i++)
    if (((NbStoreSession *) list->pdata[i])->id == id)
      found = list->pdata[i];
  g_assert_nonnull (found);
  g_assert_cmpint (found->status, ==, NB_SESSION_COMPLETE);
  g_assert_cmpstr (found->pen_serial, ==, "PG-PEN-1");
  g_assert_cmpstr (found->operator_name, ==, "ana");
  g_assert_cmpfloat (found->sample_rate_hz, ==, 20000);
  g_assert_true (found->has_target);
  g_assert_cmpstr (found->profile_id, ==, "face");
  g_assert_cmpfloat (found->band_hi_mm, ==, 2.5);
  g_assert_cmpint (found->ended_at, >=, found->started_at);

  g_autoptr (GArray) strokes = g_array_new (FALSE, FALSE, sizeof (NbStoreStroke));
  g_assert_true (nb_store_foreach_stroke (store, id, collect_stroke, strokes, &error));
  g_assert_cmpuint (strokes->len, ==, 20);
  for (guint i = 0; i < 20; i++)
    {
      NbStoreStroke want = make_stroke (i), *got = &g_array_index (strokes, NbStoreStroke, i);
      g_assert_cmpuint (got->index, ==, want.index);
      g_assert_cmpuint (got->peak_sample, ==, want.peak_sample);
      g_assert_cmpfloat (got->time_s, ==, want.time_s); /* exact: doubles round-trip */
      g_assert_cmpfloat (got->depth_mm, ==, want.depth_mm);
      if (i % 2)
        g_assert_true (isnan (got->entry_speed_mm_s));
      else
        g_assert_cmpfloat (got->entry_speed_mm_s, ==, 120.25);
    }
  g_autoptr (GArray) back = g_array_new (FALSE, FALSE, sizeof (gint16));
  g_assert_true (nb_store_foreach_batch (store, id, collect_batch, back, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 300);
  g_assert_cmpmem (back->data, 300 * sizeof (gint16), samples, sizeof samples);
  g_assert_cmpint (nb_store_count_strokes (store, id, &error), ==, 20);
  g_assert_cmpint (nb_store_count_samples (store, id, &error), ==, 300);
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_assert_true (nb_store_foreach_event (store, id, collect_event, events, &error));
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpstr (events->pdata[0], ==, "5 3 note it's \"quoted\"");
  g_assert_cmpstr (events->pdata[1], ==, "9 4 stop -");

  g_autoptr (NbAuditReport) report = nb_audit_verify_report (store, key, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < report->findings->len; i++)
    g_printerr ("finding: %s\n", ((NbAuditFinding *) report->findings->pdata[i])->message);
  g_assert_cmpuint (report->findings->len, ==, 0);
  g_assert_cmpint (report->rows, >=, 26);
  g_assert_cmpint (report->signed_upto, ==, count (store, "SELECT max(id) FROM audit"));
}

static char *
build_doc (const char *number, char **content_sha256, gpointer user_data, GError **error)
{
  char *doc = g_strdup_printf ("{\"number\":\"%s\"}", number);
  *content_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, doc, -1);
  return doc;
}

static gint64
make_standard (NbStore *store)
{
  GError *error = NULL;
  NbStoreStandardParams sp = { .serial = "FIX-PG",
                               .certificate = "CAL-PG",
                               .uncertainty_mm = 0.001,
                               .k = 2,
                               .due = "2099-12-31",
                               .added_by = "alice" };
  gint64 id = nb_store_add_standard (store, &sp, &error);
  g_assert_no_error (error);
  return id;
}

static gint64
begin_run (NbStore *store, gint64 standard)
{
  GError *error = NULL;
  NbStoreRunParams p = { .pen_serial = "PEN-PG",
                         .fixture_serial = "FIX-PG",
                         .standard_id = standard,
                         .profile_id = "service-quick",
                         .profile_version = 1,
                         .rule = "simple",
                         .traceable = TRUE,
                         .operator_name = "alice" };
  gint64 id = nb_store_begin_run (store, &p, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* A calibration run through the store API: live while running (seen from another connection),
 * its points and raw readings back as written; certificates numbered 1, 2 in the shared
 * database; the audit verifies. */
static void
test_run_certificate (void)
{
  GError *error = NULL;
  g_autofree char *uri = fresh_db ("nb_runs");
  g_autoptr (NbStore) store = open_at (uri);
  g_autoptr (NbStore) other = open_at (uri);
  gint64 standard = make_standard (store);
  NbStoreLabParams lab = { .name = "Lab", .address = "1 Street", .prefix = "PG", .set_by = "a" };
  g_assert_cmpint (nb_store_set_lab (store, &lab, &error), >, 0);
  g_assert_no_error (error);

  gint64 run = begin_run (store, standard);
  g_autoptr (NbStoreRun) live = nb_store_get_run (other, run, &error);
  g_assert_no_error (error);
  g_assert_cmpint (live->status, ==, NB_RUN_RUNNING); /* locked by `store`: not interrupted */
  g_assert_true (nb_store_add_run_transition (store, run, "measuring", "as-found", &error));
  NbStoreRunPoint pt = { .phase = NB_RUN_PHASE_AS_FOUND,
                         .quantity = NB_RUN_QUANTITY_DEPTH,
                         .seq = 0,
                         .target = 1.0,
                         .depth_mm = 1.0,
                         .rate_hz = 100,
                         .n = 3,
                         .mean = 1.01,
                         .sd = 0.002,
                         .error = 0.01,
                         .u = 0.003,
                         .U = 0.006,
                         .k = 2,
                         .nu_eff = INFINITY,
                         .verdict = "pass",
                         .pfa = NAN,
                         .pen_mean = 1.02 };
  NbStoreRunStroke rs[3] = { { 1.01, 1.02 }, { 1.008, NAN }, { 1.012, 1.03 } };
  gint64 point = nb_store_add_run_point (store, run, &pt, rs, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (point, >, 0);
  guint8 table[5] = { 1, 2, 0, 255, 7 };
  g_assert_true (nb_store_add_run_table (store, run, "before", table, sizeof table, &error));
  g_assert_no_error (error);
  g_assert_true (
      nb_store_close_run (store, run, NB_RUN_COMPLETE, "pass", NULL, "{\"ok\":true}", &error));
  g_assert_no_error (error);
  g_autoptr (NbStoreRun) done = nb_store_get_run (other, run, &error);
  g_assert_no_error (error);
  g_assert_cmpint (done->status, ==, NB_RUN_COMPLETE);
  g_assert_cmpstr (done->verdict, ==, "pass");
  g_assert_cmpstr (done->result_json, ==, "{\"ok\":true}");
  g_assert_true (done->traceable);
  /* closed twice: refused */
  g_assert_false (nb_store_close_run (store, run, NB_RUN_FAILED, NULL, "x", NULL, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* a run left running by a connection that went away reads as interrupted */
  {
    g_autoptr (NbStore) gone = open_at (uri);
    gint64 orphan = begin_run (gone, standard);
    g_clear_pointer (&gone, nb_store_close);
    g_autoptr (NbStoreRun) r = nb_store_get_run (store, orphan, &error);
    g_assert_no_error (error);
    g_assert_cmpint (r->status, ==, NB_RUN_INTERRUPTED);
  }

  int year = g_date_time_get_year (g_date_time_new_now_utc ());
  for (int seq = 1; seq <= 2; seq++)
    {
      gint64 r = seq == 1 ? run : begin_run (store, standard);
      if (seq > 1)
        g_assert_true (nb_store_close_run (store, r, NB_RUN_COMPLETE, "pass", NULL, "{}", &error));
      g_autoptr (NbStoreCertificate) c = nb_store_create_certificate (
          seq == 1 ? store : other, r, build_doc, NULL, "bob", &error);
      g_assert_no_error (error);
      g_autofree char *want = g_strdup_printf ("PG-%04d-%06d", year, seq);
      g_assert_cmpstr (c->number, ==, want);
    }
  g_autoptr (NbAuditReport) report = nb_audit_verify_report (store, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < report->findings->len; i++)
    {
      const NbAuditFinding *f = report->findings->pdata[i];
      if (f->kind != NB_AUDIT_FINDING_UNSIGNED)
        g_error ("audit finding (%s): %s", nb_audit_finding_kind_to_string (f->kind), f->message);
    }
  g_assert_cmpint (report->rows, >=, 10);
}

/* @sql through the store's connection fails with NB_STORE_ERROR_CONSTRAINT saying @msg */
static void
assert_refused (NbStore *store, const char *sql, const char *msg)
{
  GError *error = NULL;
  g_assert_false (nb_store_exec (store, sql, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT);
  if (strstr (error->message, msg) == NULL)
    g_error ("%s: “%s” does not say “%s”", sql, error->message, msg);
  g_clear_error (&error);
}

/* The append-only rules hold for raw SQL on the server: UPDATE, DELETE and TRUNCATE are refused
 * with SQLite's messages, a closed session cannot be reopened, the audit only grows at its end,
 * the identity cannot change. */
static void
test_append_only (void)
{
  GError *error = NULL;
  g_autofree char *uri = fresh_db ("nb_append");
  g_autoptr (NbStore) store = open_at (uri);
  NbStoreSessionParams sp = { .pen_serial = "AO-1", .sample_rate_hz = 1000 };
  gint64 id = nb_store_begin_session (store, &sp, &error);
  g_assert_no_error (error);
  NbStoreStroke st = make_stroke (0);
  g_assert_true (nb_store_add_stroke (store, id, &st, &error));
  g_assert_true (nb_store_close_session (store, id, NB_SESSION_COMPLETE, NULL, &error));
  g_assert_no_error (error);

  assert_refused (store, "UPDATE strokes SET depth_mm = 9", "strokes are append-only: UPDATE");
  assert_refused (store, "DELETE FROM strokes", "strokes are append-only: DELETE");
  assert_refused (store, "TRUNCATE strokes", "strokes are append-only: TRUNCATE");
  assert_refused (store, "UPDATE audit SET actor = 'x'", "audit trail is append-only: UPDATE");
  assert_refused (store, "DELETE FROM audit", "audit trail is append-only: DELETE");
  assert_refused (store, "TRUNCATE audit CASCADE", "append-only: TRUNCATE");
  assert_refused (store, "DELETE FROM sessions", "sessions cannot be deleted");
  assert_refused (store, "TRUNCATE sessions CASCADE", "cannot be deleted");
  assert_refused (store, "UPDATE sessions SET status = 'recording', ended_at = NULL",
                  "sessions: only closing a recording session is allowed");
  assert_refused (store, "UPDATE pens SET serial = 'other'",
                  "pens: only model and last_seen may change");
  assert_refused (store, "UPDATE store_identity SET uuid = repeat('0', 32)",
                  "the store identity is fixed");
  assert_refused (store,
                  "INSERT INTO audit (id, at, actor, action, prev_hash, hash)"
                  " VALUES (1000, 0, 'x', 'y', 'z', 'w')",
                  "audit trail: an entry is appended at the end");
  assert_refused (store,
                  "INSERT INTO strokes (session_id, idx, peak_sample, time_s, depth_mm, period_s)"
                  " VALUES (1, 5, 5, 0, 0, 0)",
                  "strokes: session is not recording");
  assert_refused (store,
                  "INSERT INTO sessions (sample_rate_hz, started_at, status, ended_at)"
                  " VALUES (1, 1, 'complete', 2)",
                  "sessions: a session starts recording");
  /* what the rules allow still works: model and last_seen of a pen */
  g_assert_true (nb_store_exec (store, "UPDATE pens SET model = 'M2', last_seen = 5", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (store, "SELECT count(*) FROM strokes"), ==, 1);
  g_assert_true (nb_audit_verify (store, NULL, NULL, &error) || error == NULL
                 || error->code != NB_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
}

/* The same values give the same audit hash on SQLite and on PostgreSQL: integers, reals (also
 * integral ones and 0.1 + 0.2), text, NULL and blobs keep their type tags and bytes. */
static void
test_hash_same_as_sqlite (void)
{
  static const char *const sql[] = {
    "INSERT INTO pens (serial, model, first_seen, last_seen) VALUES ('H-1', NULL, 5, 7)",
    "INSERT INTO sessions (pen_id, uri, operator, name, note, depth_mm, rate_hz,"
    " sample_rate_hz, started_at) VALUES (1, 'sim://', 'ana', 'é ü', '', 2.0, 0.30000000000000004,"
    " 20000, 1700000000000000)",
    "INSERT INTO strokes (session_id, idx, peak_sample, time_s, depth_mm, period_s,"
    " entry_speed_mm_s) VALUES (1, 0, 123456789012, 1e-300, -0.0, 3, NULL)",
  };
  g_autofree char *dir = g_dir_make_tmp ("nb-pg-hash-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "hash.db", NULL);
  g_autofree char *uri = fresh_db ("nb_hash");
  GError *error = NULL;
  g_autoptr (NbStore) lite = nb_store_open (path, &error);
  g_assert_no_error (error);
  g_autoptr (NbStore) pg = open_at (uri);
  NbStore *stores[2] = { lite, pg };
  for (int s = 0; s < 2; s++)
    {
      g_assert_true (nb_store_begin (stores[s], &error));
      for (gsize i = 0; i < G_N_ELEMENTS (sql); i++)
        g_assert_true (nb_store_exec (stores[s], sql[i], &error));
      int rc;
      NbStmt *ins = nb_db_prepare (stores[s]->db,
                                   "INSERT INTO batches (session_id, first_index, count, samples)"
                                   " VALUES (1, 0, 3, ?)",
                                   FALSE, &rc);
      g_assert_nonnull (ins);
      const guint8 blob[6] = { 0, 1, 255, 0, 128, 10 };
      nb_stmt_bind_blob (ins, 1, blob, sizeof blob);
      g_assert_cmpint (nb_stmt_step (ins), ==, NB_DB_DONE);
      nb_stmt_finalize (ins);
      /* a NaN is stored as NULL on both, an infinity as itself */
      ins = nb_db_prepare (stores[s]->db,
                           "INSERT INTO strokes (session_id, idx, peak_sample, time_s, depth_mm,"
                           " period_s, entry_speed_mm_s) VALUES (1, 1, 2, ?, 1, ?, ?)",
                           FALSE, &rc);
      g_assert_nonnull (ins);
      nb_stmt_bind_double (ins, 1, INFINITY);
      nb_stmt_bind_double (ins, 2, -INFINITY);
      nb_stmt_bind_double (ins, 3, NAN);
      g_assert_cmpint (nb_stmt_step (ins), ==, NB_DB_DONE);
      nb_stmt_finalize (ins);
      g_assert_true (nb_store_commit (stores[s], &error));
      g_assert_no_error (error);
    }
  const char *const tables[] = { "pens", "sessions", "strokes", "batches" };
  for (gsize t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      const NbAuditTable *table = nb_audit_table_lookup (tables[t]);
      gint64 n_lite = 0, n_pg = 0;
      gint64 last = g_str_equal (tables[t], "strokes") ? 2 : 1;
      g_autofree char *a = nb_audit_rows_sha256 (lite, table, 1, last, &n_lite, &error);
      g_assert_no_error (error);
      g_autofree char *b = nb_audit_rows_sha256 (pg, table, 1, last, &n_pg, &error);
      g_assert_no_error (error);
      g_assert_cmpint (n_lite, ==, last);
      g_assert_cmpint (n_pg, ==, last);
      if (g_strcmp0 (a, b) != 0)
        g_error ("table %s hashes differently: SQLite %s, PostgreSQL %s", tables[t], a, b);
    }
  g_clear_pointer (&lite, nb_store_close);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL), *shm = g_strconcat (path, "-shm", NULL);
  g_remove (wal);
  g_remove (shm);
  g_remove (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  char *home = pg_test_home_new ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pg-store/open-identity", test_open_identity);
  g_test_add_func ("/pg-store/session-round-trip", test_session_round_trip);
  g_test_add_func ("/pg-store/null-after-value", test_null_after_value);
  g_test_add_func ("/pg-store/run-certificate", test_run_certificate);
  g_test_add_func ("/pg-store/append-only", test_append_only);
  g_test_add_func ("/pg-store/hash-same-as-sqlite", test_hash_same_as_sqlite);
  return pg_test_run (home);
}
