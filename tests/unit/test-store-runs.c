/* test-store-runs.c: calibration run records (schema 5): a run with its transitions, points
 * (NaN and infinite figures), raw strokes and tables reads back as written; runs list newest
 * first; a run closes once; the triggers keep every run table append-only; the audit chain holds
 * every write with the hashes of the raw readings, the tables and the result document; a run
 * whose process died reads as interrupted; a schema-4 database migrates keeping its sessions. */
#include <math.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nb-audit.h"
#include "nb-store-private.h"
#include "nb-store-runs.h"
#include "nb-store-standards.h"
#include "store-test-util.h"

#define FIX "NB-FIX-SIM-0001"
#define PROFILE_JSON "{\"id\": \"cheek-thick\", \"version\": 3}"
#define ENV_JSON "{\"temperature_c\": 21.5, \"humidity_pct\": 45}"
#define RESULT_JSON "{\"run\": 1, \"verdict\": \"pass\", \"points\": []}"

typedef struct
{
  char *dir;
  char *path;
  NbStore *store;
  gint64 standard;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  (void) data;
  GError *error = NULL;
  f->dir = nb_test_tmpdir_new ();
  f->path = nb_test_store_location (f->dir, "runs.db");
  f->store = nb_store_open (f->path, &error);
  g_assert_no_error (error);
  NbStoreStandardParams sp = { .serial = FIX,
                               .model = "SIM-LASER",
                               .certificate = "CAL-1",
                               .uncertainty_mm = 0.0012,
                               .k = 2,
                               .due = "2099-12-31",
                               .added_by = "alice" };
  f->standard = nb_store_add_standard (f->store, &sp, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  (void) data;
  nb_store_close (f->store);
  g_free (f->path);
  nb_test_tmpdir_free (f->dir);
  nb_test_store_cleanup ();
}

static NbStoreRunParams
params (gint64 standard)
{
  return (NbStoreRunParams){ .pen_serial = "NB-0042",
                             .pen_model = "NB-P1",
                             .pen_firmware = "1.4.2",
                             .pen_uri = "sim:serial=NB-0042",
                             .fixture_serial = FIX,
                             .fixture_model = "SIM-LASER",
                             .fixture_uri = "sim-fixture:pen=NB-0042",
                             .standard_id = standard,
                             .profile_id = "cheek-thick",
                             .profile_version = 3,
                             .profile_json = PROFILE_JSON,
                             .rule = "guarded",
                             .traceable = TRUE,
                             .adjust = TRUE,
                             .operator_name = "bob",
                             .environment_json = ENV_JSON };
}

static gint64
begin (Fixture *f)
{
  GError *error = NULL;
  NbStoreRunParams p = params (f->standard);
  gint64 id = nb_store_begin_run (f->store, &p, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* the depth point: figures of a real evaluation, no PFA (a fail), ν_eff infinite */
static const NbStoreRunStroke depth_strokes[] = {
  { 1.0012, 1.0009 }, { 0.9987, NAN }, { 1.0031, 1.0027 }, { 0.9995, 0.9990 }, { 1.0004, 1.0001 },
};
/* fields in order: phase, quantity, seq, target, depth_mm, rate_hz, n, mean, sd, error, u, U, k,
 * nu_eff, verdict, pfa, pen_mean */
/* clang-format off */
static const NbStoreRunPoint depth_point = { NB_RUN_PHASE_AS_FOUND, NB_RUN_QUANTITY_DEPTH, 0, 1.0,
  1.0, 100, 5, 1.00058, 0.0016903, 0.00058, 0.00099, 0.00198, 2.0, INFINITY, "fail", NAN, NAN };
/* clang-format on */
/* the rate point: spans depths (depth NaN), a finite ν_eff, a PFA */
static const NbStoreRunStroke rate_strokes[] = { { 99.8, NAN }, { 100.3, NAN }, { 100.1, NAN } };
/* clang-format off */
static const NbStoreRunPoint rate_point = { NB_RUN_PHASE_AS_LEFT, NB_RUN_QUANTITY_RATE, 2, 100,
  NAN, 100, 3, 100.066666, 0.2516611, 0.066666, 0.145, 0.62, 4.3, 2.03, "conditional-pass",
  0.0125, 100.2 };
/* clang-format on */

static const guint8 table_before[] = { 0x4e, 0x42, 0x00, 0x01, 0x00, 0x00, 0x7f, 0xff };
static const guint8 table_after[] = { 0x4e, 0x42, 0x00, 0x02, 0x12, 0x34, 0x00, 0x00, 0xa5 };

typedef struct
{
  gint64 ids[4];
  NbStoreRunPoint points[4];
  char *verdicts[4];
  guint n;
} Points;

static gboolean
collect_point (gint64 id, const NbStoreRunPoint *p, gpointer data)
{
  Points *c = data;
  g_assert_cmpuint (c->n, <, 4);
  c->ids[c->n] = id;
  c->points[c->n] = *p;
  c->verdicts[c->n] = g_strdup (p->verdict);
  c->points[c->n].verdict = c->verdicts[c->n];
  c->n++;
  return TRUE;
}

static gboolean
collect_transition (gint64 at, const char *state, const char *detail, gpointer data)
{
  GString *s = data;
  g_assert_cmpint (at, >, 0);
  g_string_append_printf (s, "%s(%s);", state, detail ? detail : "-");
  return TRUE;
}

/* a == b, NaN == NaN */
static void
assert_same (double a, double b)
{
  if (isnan (b))
    g_assert_true (isnan (a));
  else
    g_assert_cmpfloat (a, ==, b);
}

static void
assert_point (const NbStoreRunPoint *a, const NbStoreRunPoint *b)
{
  g_assert_cmpint (a->phase, ==, b->phase);
  g_assert_cmpint (a->quantity, ==, b->quantity);
  g_assert_cmpuint (a->seq, ==, b->seq);
  g_assert_cmpuint (a->n, ==, b->n);
  assert_same (a->target, b->target);
  assert_same (a->depth_mm, b->depth_mm);
  assert_same (a->rate_hz, b->rate_hz);
  assert_same (a->mean, b->mean);
  assert_same (a->sd, b->sd);
  assert_same (a->error, b->error);
  assert_same (a->u, b->u);
  assert_same (a->U, b->U);
  assert_same (a->k, b->k);
  assert_same (a->nu_eff, b->nu_eff);
  assert_same (a->pfa, b->pfa);
  assert_same (a->pen_mean, b->pen_mean);
  g_assert_cmpstr (a->verdict, ==, b->verdict);
}

static void
assert_strokes (NbStore *store, gint64 point_id, const NbStoreRunStroke *want, gsize n)
{
  GError *error = NULL;
  g_autoptr (GArray) got = nb_store_get_run_strokes (store, point_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (got->len, ==, n);
  for (gsize i = 0; i < n; i++)
    {
      assert_same (g_array_index (got, NbStoreRunStroke, i).reference, want[i].reference);
      assert_same (g_array_index (got, NbStoreRunStroke, i).pen, want[i].pen);
    }
}

/* records a whole run; returns its id and the two point ids */
static gint64
record_run (Fixture *f, gint64 *depth_id, gint64 *rate_id)
{
  GError *error = NULL;
  gint64 id = begin (f);
  g_assert_true (nb_store_add_run_transition (f->store, id, "identify", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (nb_store_add_run_transition (f->store, id, "pre-checks",
                                              "standard CAL-1 due 2099-12-31", &error));
  g_assert_no_error (error);
  g_assert_true (
      nb_store_add_run_table (f->store, id, "before", table_before, sizeof table_before, &error));
  g_assert_no_error (error);
  *depth_id = nb_store_add_run_point (f->store, id, &depth_point, depth_strokes,
                                      G_N_ELEMENTS (depth_strokes), &error);
  g_assert_no_error (error);
  *rate_id = nb_store_add_run_point (f->store, id, &rate_point, rate_strokes,
                                     G_N_ELEMENTS (rate_strokes), &error);
  g_assert_no_error (error);
  g_assert_cmpint (*rate_id, >, *depth_id);
  g_assert_true (
      nb_store_add_run_table (f->store, id, "after", table_after, sizeof table_after, &error));
  g_assert_no_error (error);
  g_assert_true (nb_store_close_run (f->store, id, NB_RUN_COMPLETE, "conditional-pass", NULL,
                                     RESULT_JSON, &error));
  g_assert_no_error (error);
  return id;
}

static void
test_round_trip (Fixture *f, gconstpointer data)
{
  (void) data;
  GError *error = NULL;
  gint64 before = g_get_real_time ();
  gint64 depth_id, rate_id;
  gint64 id = record_run (f, &depth_id, &rate_id);
  gint64 after = g_get_real_time ();

  g_autoptr (NbStoreRun) r = nb_store_get_run (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->id, ==, id);
  g_assert_cmpstr (r->pen_serial, ==, "NB-0042");
  g_assert_cmpstr (r->pen_model, ==, "NB-P1");
  g_assert_cmpstr (r->pen_firmware, ==, "1.4.2");
  g_assert_cmpstr (r->pen_uri, ==, "sim:serial=NB-0042");
  g_assert_cmpstr (r->fixture_serial, ==, FIX);
  g_assert_cmpstr (r->fixture_model, ==, "SIM-LASER");
  g_assert_cmpstr (r->fixture_uri, ==, "sim-fixture:pen=NB-0042");
  g_assert_cmpint (r->standard_id, ==, f->standard);
  g_assert_cmpstr (r->profile_id, ==, "cheek-thick");
  g_assert_cmpint (r->profile_version, ==, 3);
  g_assert_cmpstr (r->profile_json, ==, PROFILE_JSON);
  g_assert_cmpstr (r->environment_json, ==, ENV_JSON);
  g_assert_cmpstr (r->rule, ==, "guarded");
  g_assert_true (r->traceable);
  g_assert_true (r->adjust);
  g_assert_cmpstr (r->operator_name, ==, "bob");
  g_assert_cmpint (r->started_at, >=, before);
  g_assert_cmpint (r->ended_at, >=, r->started_at);
  g_assert_cmpint (r->ended_at, <=, after);
  g_assert_cmpint (r->status, ==, NB_RUN_COMPLETE);
  g_assert_cmpstr (r->verdict, ==, "conditional-pass");
  g_assert_null (r->error);
  g_assert_cmpstr (r->result_json, ==, RESULT_JSON);

  g_autoptr (GString) transitions = g_string_new (NULL);
  g_assert_true (
      nb_store_foreach_run_transition (f->store, id, collect_transition, transitions, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (transitions->str, ==, "identify(-);pre-checks(standard CAL-1 due 2099-12-31);");

  Points c = { 0 };
  g_assert_true (nb_store_foreach_run_point (f->store, id, collect_point, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c.n, ==, 2);
  g_assert_cmpint (c.ids[0], ==, depth_id);
  g_assert_cmpint (c.ids[1], ==, rate_id);
  assert_point (&c.points[0], &depth_point);
  g_assert_true (isinf (c.points[0].nu_eff)); /* stored as NULL, read back as INFINITY */
  assert_point (&c.points[1], &rate_point);
  for (guint i = 0; i < c.n; i++)
    g_free (c.verdicts[i]);

  assert_strokes (f->store, depth_id, depth_strokes, G_N_ELEMENTS (depth_strokes));
  assert_strokes (f->store, rate_id, rate_strokes, G_N_ELEMENTS (rate_strokes));

  g_autoptr (GBytes) tb = nb_store_get_run_table (f->store, id, "before", &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (tb, NULL), g_bytes_get_size (tb), table_before,
                   sizeof table_before);
  g_autoptr (GBytes) ta = nb_store_get_run_table (f->store, id, "after", &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (ta, NULL), g_bytes_get_size (ta), table_after,
                   sizeof table_after);

  /* a self-check run: no fixture, no standard, not traceable, no adjustment, failed */
  NbStoreRunParams p = { .pen_serial = "NB-0043",
                         .profile_id = "service-quick",
                         .profile_version = 1,
                         .rule = "nonbinary" };
  gint64 self = nb_store_begin_run (f->store, &p, &error);
  g_assert_no_error (error);
  g_assert_true (nb_store_close_run (f->store, self, NB_RUN_FAILED, NULL,
                                     "pen unplugged during "
                                     "as-found",
                                     NULL, &error));
  g_assert_no_error (error);
  g_autoptr (NbStoreRun) s = nb_store_get_run (f->store, self, &error);
  g_assert_no_error (error);
  g_assert_null (s->fixture_serial);
  g_assert_cmpint (s->standard_id, ==, 0);
  g_assert_false (s->traceable);
  g_assert_false (s->adjust);
  g_assert_cmpstr (s->operator_name, ==, NULL);
  g_assert_cmpint (s->status, ==, NB_RUN_FAILED);
  g_assert_null (s->verdict);
  g_assert_cmpstr (s->error, ==, "pen unplugged during as-found");
  g_assert_null (s->result_json);
  g_assert_null (nb_store_get_run_table (f->store, self, "before", &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

static void
test_list_and_not_found (Fixture *f, gconstpointer data)
{
  (void) data;
  GError *error = NULL;
  gint64 a = begin (f), b = begin (f), c = begin (f);
  g_assert_true (nb_store_close_run (f->store, b, NB_RUN_CANCELLED, NULL,
                                     "cancelled by the "
                                     "operator",
                                     "{}", &error));
  g_assert_no_error (error);

  g_autoptr (GPtrArray) list = nb_store_list_runs (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  NbStoreRun *r0 = list->pdata[0], *r1 = list->pdata[1], *r2 = list->pdata[2];
  g_assert_cmpint (r0->id, ==, c);
  g_assert_cmpint (r1->id, ==, b);
  g_assert_cmpint (r2->id, ==, a);
  g_assert_cmpint (r0->status, ==, NB_RUN_RUNNING); /* this connection holds it */
  g_assert_cmpint (r1->status, ==, NB_RUN_CANCELLED);
  g_assert_cmpstr (r1->error, ==, "cancelled by the operator");
  g_assert_null (r1->result_json); /* the list stays light */
  g_assert_null (r1->profile_json);
  g_assert_cmpstr (r1->pen_serial, ==, "NB-0042");

  g_assert_null (nb_store_get_run (f->store, c + 100, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (nb_store_get_run_strokes (f->store, 4242, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (nb_store_add_run_transition (f->store, c + 100, "identify", NULL, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (nb_store_add_run_point (f->store, c + 100, &depth_point, depth_strokes,
                                           G_N_ELEMENTS (depth_strokes), &error),
                   ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (nb_store_foreach_run_point (f->store, c + 100, collect_point, NULL, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (nb_store_get_run_table (f->store, c + 100, "before", &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

static void
test_close_once (Fixture *f, gconstpointer data)
{
  (void) data;
  GError *error = NULL;
  gint64 id = begin (f);
  g_assert_false (nb_store_close_run (f->store, id, NB_RUN_RUNNING, NULL, NULL, NULL, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (nb_store_close_run (f->store, id, NB_RUN_COMPLETE, "pass", NULL, "{}", &error));
  g_assert_no_error (error);
  g_assert_false (nb_store_close_run (f->store, id, NB_RUN_FAILED, NULL, "again", NULL, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  /* a closed run takes no more data */
  g_assert_cmpint (nb_store_add_run_point (f->store, id, &depth_point, depth_strokes,
                                           G_N_ELEMENTS (depth_strokes), &error),
                   ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (nb_store_add_run_transition (f->store, id, "as-left", NULL, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (
      nb_store_add_run_table (f->store, id, "after", table_after, sizeof table_after, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_autoptr (NbStoreRun) r = nb_store_get_run (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->status, ==, NB_RUN_COMPLETE);
  g_assert_cmpstr (r->verdict, ==, "pass");
  g_assert_null (r->error);
}

/* raw SQL that must be refused by the schema */
static void
refused (NbStore *store, const char *sql)
{
  GError *error = NULL;
  if (nb_store_exec (store, sql, &error))
    g_error ("not refused: %s", sql);
  if (!g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT))
    g_error ("not refused by a constraint (%s): %s", error->message, sql);
  g_error_free (error);
}

static void
test_append_only (Fixture *f, gconstpointer data)
{
  (void) data;
  gint64 depth_id, rate_id;
  gint64 closed = record_run (f, &depth_id, &rate_id);
  gint64 running = begin (f);
  g_autofree char *sql = NULL;

#define REFUSE(...)                                                                                \
  do                                                                                               \
    {                                                                                              \
      g_free (sql);                                                                                \
      sql = g_strdup_printf (__VA_ARGS__);                                                         \
      refused (f->store, sql);                                                                     \
    }                                                                                              \
  while (0)

  REFUSE ("DELETE FROM runs WHERE id = %" G_GINT64_FORMAT, closed);
  REFUSE ("DELETE FROM runs WHERE id = %" G_GINT64_FORMAT, running);
  /* a closed run never changes again, not even its verdict */
  REFUSE ("UPDATE runs SET verdict = 'pass' WHERE id = %" G_GINT64_FORMAT, closed);
  REFUSE ("UPDATE runs SET status = 'failed' WHERE id = %" G_GINT64_FORMAT, closed);
  REFUSE ("UPDATE runs SET result_json = '{}' WHERE id = %" G_GINT64_FORMAT, closed);
  /* a running run closes, and only closes */
  REFUSE ("UPDATE runs SET pen_serial = 'X' WHERE id = %" G_GINT64_FORMAT, running);
  REFUSE ("UPDATE runs SET rule = 'simple', status = 'complete', ended_at = 1 WHERE id = "
          "%" G_GINT64_FORMAT,
          running);
  REFUSE ("UPDATE runs SET verdict = 'pass' WHERE id = %" G_GINT64_FORMAT, running);
  REFUSE ("UPDATE run_transitions SET state = 'done'");
  REFUSE ("DELETE FROM run_transitions");
  REFUSE ("UPDATE run_points SET verdict = 'pass' WHERE id = %" G_GINT64_FORMAT, depth_id);
  REFUSE ("DELETE FROM run_points WHERE id = %" G_GINT64_FORMAT, depth_id);
  REFUSE ("UPDATE run_strokes SET reference = 1.0 WHERE point_id = %" G_GINT64_FORMAT, depth_id);
  REFUSE ("DELETE FROM run_strokes WHERE point_id = %" G_GINT64_FORMAT, depth_id);
  REFUSE ("UPDATE run_tables SET data = %s WHERE run_id = %" G_GINT64_FORMAT, NB_TEST_BLOB_00,
          closed);
  REFUSE ("DELETE FROM run_tables WHERE run_id = %" G_GINT64_FORMAT, closed);
  /* nothing is added to a closed run, behind the API's back either */
  REFUSE ("INSERT INTO run_transitions (run_id, at, state) VALUES (%" G_GINT64_FORMAT ", 1, 'x')",
          closed);
  REFUSE ("INSERT INTO run_points (run_id, phase, quantity, seq, target, n) VALUES "
          "(%" G_GINT64_FORMAT ", 'as-left', 'depth', 9, 1.0, 0)",
          closed);
  REFUSE ("INSERT INTO run_strokes (point_id, idx, reference) VALUES (%" G_GINT64_FORMAT
          ", 99, 1.0)",
          depth_id);
  REFUSE ("INSERT INTO run_tables (run_id, which, at, data) VALUES (%" G_GINT64_FORMAT
          ", 'after', 1, %s)",
          closed, NB_TEST_BLOB_00);
  /* ids stay below the run lock range */
  REFUSE ("INSERT INTO sessions (id, sample_rate_hz, started_at) VALUES (4611686018427387904, "
          "20000, 1)");
  REFUSE ("INSERT INTO runs (id, pen_serial, profile_id, profile_version, rule, traceable, "
          "adjust, started_at) VALUES (4611686018427387904, 'P', 'p', 1, 'simple', 0, 0, 1)");
#undef REFUSE

  GError *error = NULL;
  g_autoptr (NbStoreRun) r = nb_store_get_run (f->store, closed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->verdict, ==, "conditional-pass");
  assert_strokes (f->store, depth_id, depth_strokes, G_N_ELEMENTS (depth_strokes));
}

static char *
audit_detail (NbStore *store, const char *action, int nth)
{
  NbStmt *stmt = nb_store_stmt (
      store, "SELECT detail, actor, subject FROM audit WHERE action = ? ORDER BY id", NULL);
  nb_stmt_bind_text (stmt, 1, action, -1);
  char *detail = NULL;
  for (int i = 0; i <= nth; i++)
    {
      if (nb_stmt_step (stmt) != SQLITE_ROW)
        break;
      if (i == nth)
        {
          detail = g_strdup_printf ("%s|%s|%s", nb_stmt_column_text (stmt, 1),
                                    nb_stmt_column_text (stmt, 2), nb_stmt_column_text (stmt, 0));
        }
    }
  nb_stmt_reset (stmt);
  g_assert_nonnull (detail);
  return detail;
}

/* the hash of a point's readings, recomputed here as nb-store-runs.h documents it */
static char *
strokes_hash (const NbStoreRunStroke *s, gsize n)
{
  g_autoptr (GString) text = g_string_new (NULL);
  for (gsize i = 0; i < n; i++)
    {
      char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_printf (
          text, "%s %s\n", g_ascii_formatd (a, sizeof a, "%.17g", s[i].reference),
          isnan (s[i].pen) ? "nan" : g_ascii_formatd (b, sizeof b, "%.17g", s[i].pen));
    }
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text->str, -1);
}

static void
test_audit (Fixture *f, gconstpointer data)
{
  (void) data;
  GError *error = NULL;
  gint64 depth_id, rate_id;
  gint64 id = record_run (f, &depth_id, &rate_id);

  gint64 n_rows = 0;
  g_assert_true (nb_audit_verify (f->store, &n_rows, NULL, &error));
  g_assert_no_error (error);
  /* standard.add, run.begin, 2 transitions, 2 tables, 2 points, run.close */
  g_assert_cmpint (n_rows, ==, 9);

  g_autofree char *sub = g_strdup_printf ("bob|run:%" G_GINT64_FORMAT "|", id);
  g_autofree char *b = audit_detail (f->store, "run.begin", 0);
  g_autofree char *want_b
      = g_strdup_printf ("%spen=NB-0042 fixture=" FIX " standard=%" G_GINT64_FORMAT
                         " profile=cheek-thick version=3 rule=guarded traceable=1 adjust=1",
                         sub, f->standard);
  g_assert_cmpstr (b, ==, want_b);
  g_autofree char *t = audit_detail (f->store, "run.transition", 1);
  g_autofree char *want_t = g_strconcat (sub, "state=pre-checks", NULL);
  g_assert_cmpstr (t, ==, want_t);

  g_autofree char *h0 = strokes_hash (depth_strokes, G_N_ELEMENTS (depth_strokes));
  g_autofree char *p0 = audit_detail (f->store, "run.point", 0);
  g_autofree char *want_p0
      = g_strdup_printf ("%spoint=%" G_GINT64_FORMAT " phase=as-found quantity=depth seq=0 "
                         "target=1 n=5 verdict=fail sha256=%s",
                         sub, depth_id, h0);
  g_assert_cmpstr (p0, ==, want_p0);
  g_autofree char *api = nb_store_run_strokes_sha256 (depth_strokes, G_N_ELEMENTS (depth_strokes));
  g_assert_cmpstr (api, ==, h0);
  g_autofree char *h1 = strokes_hash (rate_strokes, G_N_ELEMENTS (rate_strokes));
  g_autofree char *p1 = audit_detail (f->store, "run.point", 1);
  g_assert_nonnull (strstr (p1, h1));
  g_assert_nonnull (strstr (p1, "phase=as-left quantity=rate seq=2 target=100 n=3 "
                                "verdict=conditional-pass"));

  g_autofree char *tb_hash
      = g_compute_checksum_for_data (G_CHECKSUM_SHA256, table_before, sizeof table_before);
  g_autofree char *tbl = audit_detail (f->store, "run.table", 0);
  g_autofree char *want_tbl = g_strdup_printf ("%swhich=before length=8 sha256=%s", sub, tb_hash);
  g_assert_cmpstr (tbl, ==, want_tbl);

  g_autofree char *rj_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, RESULT_JSON, -1);
  g_autofree char *cl = audit_detail (f->store, "run.close", 0);
  g_autofree char *want_cl
      = g_strdup_printf ("%sstatus=complete verdict=conditional-pass sha256=%s", sub, rj_hash);
  g_assert_cmpstr (cl, ==, want_cl);
}

static void
expect_invalid (GError *error, const char *field)
{
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
  if (!g_str_has_prefix (error->message, field))
    g_error ("“%s” does not name %s", error->message, field);
}

static void
test_invalid (Fixture *f, gconstpointer data)
{
  (void) data;
  GError *error = NULL;
  struct
  {
    const char *field;
    NbStoreRunParams p;
  } cases[] = { { "pen serial", params (f->standard) },
                { "pen serial", params (f->standard) },
                { "operator", params (f->standard) },
                { "rule", params (f->standard) },
                { "rule", params (f->standard) },
                { "standard id", params (f->standard) },
                { "fixture serial", params (f->standard) },
                { "profile JSON", params (f->standard) },
                { "profile version", params (f->standard) },
                { "profile id", params (f->standard) },
                { "environment JSON", params (f->standard) } };
  cases[0].p.pen_serial = NULL;
  cases[1].p.pen_serial = "NB-\x1b[31m";
  cases[2].p.operator_name = "bo\xff";
  cases[3].p.rule = "lenient";
  cases[4].p.rule = NULL;
  cases[5].p.standard_id = 0;
  cases[6].p.fixture_serial = NULL;
  cases[7].p.profile_json = "{\"id\": ";
  cases[8].p.profile_version = 0;
  cases[9].p.profile_id = "";
  cases[10].p.environment_json = "humid";
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpint (nb_store_begin_run (f->store, &cases[i].p, &error), ==, 0);
      expect_invalid (error, cases[i].field);
      g_clear_error (&error);
    }

  gint64 id = begin (f);
  struct
  {
    const char *field;
    NbStoreRunPoint p;
    gsize n;
  } points[] = { { "mean", depth_point, 5 },
                 { "target", depth_point, 5 },
                 { "verdict", depth_point, 5 },
                 { "nu_eff", depth_point, 5 },
                 { "strokes", depth_point, 4 },
                 { "pfa", depth_point, 5 },
                 { "stroke 1 reference", depth_point, 5 } };
  points[0].p.mean = INFINITY;
  points[1].p.target = NAN;
  points[2].p.verdict = "ok";
  points[3].p.nu_eff = NAN; /* u is finite: NaN ν_eff would read back as infinite */
  points[5].p.pfa = -INFINITY;
  NbStoreRunStroke bad[5];
  memcpy (bad, depth_strokes, sizeof bad);
  bad[1].reference = NAN;
  for (gsize i = 0; i < G_N_ELEMENTS (points); i++)
    {
      g_assert_cmpint (nb_store_add_run_point (f->store, id, &points[i].p,
                                               i == 6 ? bad : depth_strokes, points[i].n, &error),
                       ==, 0);
      expect_invalid (error, points[i].field);
      g_clear_error (&error);
    }
  g_assert_false (
      nb_store_add_run_table (f->store, id, "middle", table_after, sizeof table_after, &error));
  expect_invalid (error, "which");
  g_clear_error (&error);
  g_assert_false (nb_store_add_run_transition (f->store, id, "", NULL, &error));
  expect_invalid (error, "state");
  g_clear_error (&error);
  g_assert_false (nb_store_close_run (f->store, id, NB_RUN_COMPLETE, "passed", NULL, NULL, &error));
  expect_invalid (error, "verdict");
  g_clear_error (&error);
  g_assert_false (nb_store_close_run (f->store, id, NB_RUN_COMPLETE, "pass", NULL, "{", &error));
  expect_invalid (error, "result JSON");
  g_clear_error (&error);

  /* nothing of the refused writes was stored */
  Points c = { 0 };
  g_assert_true (nb_store_foreach_run_point (f->store, id, collect_point, &c, &error));
  g_assert_cmpuint (c.n, ==, 0);
  g_autoptr (GPtrArray) list = nb_store_list_runs (f->store, &error);
  g_assert_cmpuint (list->len, ==, 1);
}

/* A run begun by a process that dies reads as running while it lives, then as interrupted. */
static void
test_interrupted (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "crash.db");
  int up[2], down[2];
  g_assert_cmpint (pipe (up), ==, 0);
  g_assert_cmpint (pipe (down), ==, 0);
  /* fork before this process opens the database: SQLite connections do not survive a fork */
  pid_t pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      NbStore *store = nb_store_open (path, NULL);
      NbStoreRunParams p = { .pen_serial = "NB-0042",
                             .profile_id = "service-quick",
                             .profile_version = 1,
                             .rule = "simple" };
      gint64 id = store != NULL ? nb_store_begin_run (store, &p, NULL) : 0;
      char c;
      if (write (up[1], &id, sizeof id) != sizeof id || read (down[0], &c, 1) < 0)
        _exit (2);
      _exit (0); /* dies with the run open: no close, no nb_store_close */
    }
  gint64 id = 0;
  g_assert_cmpint (read (up[0], &id, sizeof id), ==, sizeof id);
  g_assert_cmpint (id, >, 0);

  GError *error = NULL;
  NbStore *store = nb_store_open (path, &error);
  g_assert_no_error (error);
  g_autoptr (NbStoreRun) alive = nb_store_get_run (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (alive->status, ==, NB_RUN_RUNNING);

  g_assert_cmpint (write (down[1], "x", 1), ==, 1);
  int status;
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);

  g_autoptr (NbStoreRun) dead = nb_store_get_run (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dead->status, ==, NB_RUN_INTERRUPTED);
  g_assert_cmpint (dead->ended_at, ==, 0);
  g_autoptr (GPtrArray) list = nb_store_list_runs (store, &error);
  g_assert_cmpint (((NbStoreRun *) list->pdata[0])->status, ==, NB_RUN_INTERRUPTED);
  g_assert_cmpstr (nb_run_status_to_string (dead->status), ==, "interrupted");

  /* a run begun here and never closed is released by nb_store_close () */
  NbStoreRunParams p = {
    .pen_serial = "NB-0042", .profile_id = "service-quick", .profile_version = 1, .rule = "simple"
  };
  gint64 mine = nb_store_begin_run (store, &p, &error);
  g_assert_no_error (error);
  /* its lock is not a session's: session `mine` is not live */
  g_assert_true (nb_store_run_is_live (path, mine));
  g_assert_false (nb_store_session_is_live (path, mine));
  nb_store_close (store);
  store = nb_store_open (path, &error);
  g_assert_no_error (error);
  g_autoptr (NbStoreRun) left = nb_store_get_run (store, mine, &error);
  g_assert_no_error (error);
  g_assert_cmpint (left->status, ==, NB_RUN_INTERRUPTED);
  nb_store_close (store);
  for (int i = 0; i < 2; i++)
    {
      close (up[i]);
      close (down[i]);
    }
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

/* A schema-4 database with a session is brought to schema 5: the session is kept, runs can be
 * recorded. */
static void
test_migration (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "v4.db");
  GError *error = NULL;

  NbStore *store = nb_store_test_open_at_version (path, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nb_store_get_schema_version (store), ==, 4);
  NbStoreSessionParams sp = { .pen_serial = "OLD-4", .note = "from v4", .sample_rate_hz = 20000 };
  gint64 sid = nb_store_begin_session (store, &sp, &error);
  g_assert_no_error (error);
  NbStoreStroke st = { .depth_mm = 1.25, .time_s = 0.01, .entry_speed_mm_s = 500 };
  g_assert_true (nb_store_add_stroke (store, sid, &st, &error));
  g_assert_true (nb_store_close_session (store, sid, NB_SESSION_COMPLETE, NULL, &error));
  g_assert_null (nb_store_list_runs (store, &error)); /* no run tables yet */
  g_assert_nonnull (error);
  g_clear_error (&error);
  nb_store_close (store);

  store = nb_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nb_store_get_latest_schema_version (), >=, 5);
  g_assert_cmpint (nb_store_get_schema_version (store), ==, nb_store_get_latest_schema_version ());
  g_autoptr (NbStoreSession) s = nb_store_get_session (store, sid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s->note, ==, "from v4");
  g_assert_cmpint (s->status, ==, NB_SESSION_COMPLETE);
  g_assert_cmpint (nb_store_count_strokes (store, sid, &error), ==, 1);
  g_autoptr (GPtrArray) none = nb_store_list_runs (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  NbStoreRunParams p = {
    .pen_serial = "OLD-4", .profile_id = "service-quick", .profile_version = 1, .rule = "simple"
  };
  gint64 id = nb_store_begin_run (store, &p, &error);
  g_assert_no_error (error);
  g_assert_true (nb_store_close_run (store, id, NB_RUN_COMPLETE, "pass", NULL, "{}", &error));
  g_assert_no_error (error);
  g_assert_true (nb_audit_verify (store, NULL, NULL, &error));
  g_assert_no_error (error);
  nb_store_close (store);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  nb_test_add_sqlite_only ("/store-runs/migration", test_migration,
                           "a SQLite file of schema 4 brought forward");
  nb_test_add_func ("/store-runs/interrupted", test_interrupted);
#define ADD(name, fn)                                                                              \
  g_test_add ("/store-runs/" name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("round-trip", test_round_trip);
  ADD ("list-and-not-found", test_list_and_not_found);
  ADD ("close-once", test_close_once);
  ADD ("append-only", test_append_only);
  ADD ("audit", test_audit);
  ADD ("invalid", test_invalid);
#undef ADD
  return nb_test_run ();
}
