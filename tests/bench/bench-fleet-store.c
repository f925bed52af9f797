/* bench-fleet-store.c: records per second into a shared PostgreSQL database against the bench's
 * own SQLite file (issue 13 §3), through the same store API (nb-store.h, nb-store-runs.h) that
 * the CLI and the app write with. Run under tests/pg/pg-run.sh, which gives it a throw-away
 * cluster on a Unix socket (NB_PG_URI); the SQLite file is in a temporary directory.
 *
 * The workload, the same on both backends:
 *   1. RUNS calibration runs of the factory-full profile (data/profiles/factory-full.json: 10
 *      depths × 3 rates + 3 rate points, as-found and as-left, 50 strokes a point): per run the run
 *      row, 8 state transitions, 66 points with their 3300 raw strokes, the pen's tables before and
 *      after, and the close, each call its own transaction as the procedure writes them;
 *   2. one recording session of SECONDS simulated seconds at 20 kHz, written as NbRecorder writes
 *      it: batches of 100 samples and a stroke every 133 samples, one transaction per 500 ms
 *      (10 000 samples: 100 batches and ~75 strokes), then the close.
 *   3. store and forward, as a bench of a fleet works: the SQLite file of 1 and 2 copied into the
 *      server by nb_store_sync () (what `calibrate --db URI` and `db sync` do after a run): rows
 *      copied per second, each record in one server transaction with its sync_map rows and audit.
 * A "record" is a row the store writes (audit entries not counted: they come with every call on
 * both backends alike). Prints records/s of each backend and their ratio; asserts nothing about
 * time (machines and servers differ), only that every record was written.
 *
 * usage: bench-fleet-store [RUNS [SECONDS]]   (default 10 runs, 300 s of recording) */
#include <glib.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "nb-store-runs.h"
#include "nb-store-sync.h"
#include "nb-store.h"

#define POINT_STROKES 50
#define DEPTHS 10
#define RATES 3
#define TRANSITIONS 8
#define SAMPLE_RATE 20000
#define BATCH 100
#define STROKE_SAMPLES 133
#define COMMIT_SAMPLES 10000 /* 500 ms at 20 kHz: NbRecorder's default commit interval */

typedef struct
{
  const char *name;
  double runs_s;
  gint64 run_records;
  double session_s;
  gint64 session_records;
} Result;

static void
check (gboolean ok, GError *error, const char *what)
{
  if (!ok)
    g_error ("%s: %s", what, error != NULL ? error->message : "failed");
}

/* one point of the run: 50 strokes around @target with a little noise */
static void
write_point (NbStore *store, gint64 run, NbRunPhase phase, NbRunQuantity q, guint seq,
             double target, double depth, double rate, NbStoreRunStroke *strokes)
{
  GError *error = NULL;
  for (guint i = 0; i < POINT_STROKES; i++)
    {
      strokes[i].reference = target + 0.002 * sin (i * 1.7);
      strokes[i].pen = target + 0.002 * cos (i * 1.3);
    }
  NbStoreRunPoint p = { .phase = phase,
                        .quantity = q,
                        .seq = seq,
                        .target = target,
                        .depth_mm = depth,
                        .rate_hz = rate,
                        .n = POINT_STROKES,
                        .mean = target,
                        .sd = 0.0015,
                        .error = 0.0004,
                        .u = 0.003,
                        .U = 0.006,
                        .k = 2.0,
                        .nu_eff = INFINITY,
                        .verdict = "pass",
                        .pfa = 0.001,
                        .pen_mean = target };
  check (nb_store_add_run_point (store, run, &p, strokes, POINT_STROKES, &error) > 0, error,
         "add_run_point");
}

/* one factory-full run; returns the records written */
static gint64
write_run (NbStore *store, guint n, const char *profile_json)
{
  GError *error = NULL;
  g_autofree char *serial = g_strdup_printf ("NB-BENCH-%04u", n);
  NbStoreRunParams params = { .pen_serial = serial,
                              .pen_model = "NB-Pen 3 (simulated)",
                              .pen_firmware = "1.0.0",
                              .pen_uri = "sim:",
                              .profile_id = "factory-full",
                              .profile_version = 2,
                              .profile_json = profile_json,
                              .rule = "guarded",
                              .traceable = FALSE,
                              .adjust = TRUE,
                              .operator_name = "bench",
                              .environment_json = "{\"temperature_c\":21.5}" };
  gint64 run = nb_store_begin_run (store, &params, &error);
  check (run > 0, error, "begin_run");
  gint64 records = 1;
  static const char *const states[TRANSITIONS]
      = { "identify", "pre-checks", "as-found", "adjust", "write", "as-left", "report", "done" };
  static const guint8 table[64] = { 1, 2, 3 };
  NbStoreRunStroke strokes[POINT_STROKES];
  for (guint t = 0; t < TRANSITIONS; t++)
    {
      check (nb_store_add_run_transition (store, run, states[t], NULL, &error), error,
             "add_run_transition");
      records++;
      if (t == 0)
        {
          check (nb_store_add_run_table (store, run, "before", table, sizeof table, &error), error,
                 "add_run_table");
          records++;
        }
      if (t == 2 || t == 5)
        {
          NbRunPhase phase = t == 2 ? NB_RUN_PHASE_AS_FOUND : NB_RUN_PHASE_AS_LEFT;
          guint seq = 0;
          for (guint r = 0; r < RATES; r++)
            for (guint d = 0; d < DEPTHS; d++, seq++)
              write_point (store, run, phase, NB_RUN_QUANTITY_DEPTH, seq, 0.25 * (d + 1),
                           0.25 * (d + 1), 50.0 * (r + 1), strokes);
          for (guint r = 0; r < RATES; r++)
            write_point (store, run, phase, NB_RUN_QUANTITY_RATE, r, 50.0 * (r + 1), 1.0,
                         50.0 * (r + 1), strokes);
          records += (DEPTHS * RATES + RATES) * (1 + POINT_STROKES);
        }
      if (t == 4)
        {
          check (nb_store_add_run_table (store, run, "after", table, sizeof table, &error), error,
                 "add_run_table");
          records++;
        }
    }
  check (nb_store_close_run (store, run, NB_RUN_COMPLETE, "pass", NULL, "{\"verdict\":\"pass\"}",
                             &error),
         error, "close_run");
  return records; /* the close changes the run row: not a new record */
}

/* one recording session of @seconds at 20 kHz; returns the records written */
static gint64
write_session (NbStore *store, guint seconds)
{
  GError *error = NULL;
  NbStoreSessionParams params = { .pen_serial = "NB-BENCH-REC",
                                  .pen_model = "NB-Pen 3 (simulated)",
                                  .operator_name = "bench",
                                  .name = "benchmark",
                                  .depth_mm = 1.5,
                                  .rate_hz = 150,
                                  .sample_rate_hz = SAMPLE_RATE };
  gint64 session = nb_store_begin_session (store, &params, &error);
  check (session > 0, error, "begin_session");
  gint64 records = 1;
  gint16 samples[BATCH];
  for (guint i = 0; i < BATCH; i++)
    samples[i] = (gint16) (1500 * sin (i * 0.05));
  const guint64 total = (guint64) seconds * SAMPLE_RATE;
  guint64 stroke = 0;
  for (guint64 index = 0; index < total;)
    {
      check (nb_store_begin (store, &error), error, "begin");
      for (guint64 end = MIN (total, index + COMMIT_SAMPLES); index < end; index += BATCH)
        {
          check (nb_store_add_batch (store, session, index, samples, BATCH, &error), error,
                 "add_batch");
          records++;
          for (; stroke * STROKE_SAMPLES < index + BATCH; stroke++, records++)
            {
              NbStoreStroke s = { .index = stroke,
                                  .peak_sample = stroke * STROKE_SAMPLES,
                                  .time_s = (double) (stroke * STROKE_SAMPLES) / SAMPLE_RATE,
                                  .depth_mm = 1.5,
                                  .period_s = (double) STROKE_SAMPLES / SAMPLE_RATE,
                                  .entry_speed_mm_s = 480.0 };
              check (nb_store_add_stroke (store, session, &s, &error), error, "add_stroke");
            }
        }
      check (nb_store_commit (store, &error), error, "commit");
    }
  check (nb_store_close_session (store, session, NB_SESSION_COMPLETE, NULL, &error), error,
         "close_session");
  /* every record is there: what the store counts is what was written */
  gint64 n = nb_store_count_strokes (store, session, &error);
  check (n == (gint64) stroke, error, "count_strokes");
  return records;
}

/* the server itself (libpq, not the store) holds @runs runs: the figures are PostgreSQL's, not
 * those of a file that a store unaware of URIs would have made under that name */
static void
check_server (const char *uri, guint runs)
{
  PGconn *conn = PQconnectdb (uri);
  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to %s: %s", uri, PQerrorMessage (conn));
  PGresult *res = PQexec (conn, "SELECT count(*) FROM runs");
  if (PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("the server has no runs table: %s", PQerrorMessage (conn));
  gint64 n = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  if (n != runs)
    g_error ("the server holds %" G_GINT64_FORMAT " runs, not %u", n, runs);
  PQclear (res);
  PQfinish (conn);
}

static void
bench (Result *r, const char *location, guint runs, guint seconds, const char *profile_json)
{
  GError *error = NULL;
  NbStore *store = nb_store_open (location, &error);
  check (store != NULL, error, r->name);
  gint64 t0 = g_get_monotonic_time ();
  for (guint i = 0; i < runs; i++)
    r->run_records += write_run (store, i, profile_json);
  gint64 t1 = g_get_monotonic_time ();
  r->session_records = write_session (store, seconds);
  gint64 t2 = g_get_monotonic_time ();
  r->runs_s = (t1 - t0) / 1e6;
  r->session_s = (t2 - t1) / 1e6;
  g_autoptr (GPtrArray) listed = nb_store_list_runs (store, &error);
  check (listed != NULL && listed->len == runs, error, "list_runs");
  nb_store_close (store);
}

int
main (int argc, char **argv)
{
  guint runs = argc > 1 ? (guint) atoi (argv[1]) : 10;
  guint seconds = argc > 2 ? (guint) atoi (argv[2]) : 300;
  if (runs == 0)
    runs = 10;
  if (seconds == 0)
    seconds = 300;
  const char *uri = g_getenv ("NB_PG_URI");
  if (uri == NULL)
    g_error ("NB_PG_URI is not set: run under tests/pg/pg-run.sh");
  const char *profiles = g_getenv ("NB_PROFILES_PATH");
  g_autofree char *profile_path
      = g_build_filename (profiles != NULL ? profiles : ".", "factory-full.json", NULL);
  g_autofree char *profile_json = NULL;
  GError *error = NULL;
  check (g_file_get_contents (profile_path, &profile_json, NULL, &error), error, profile_path);

  g_autofree char *dir = g_dir_make_tmp ("nb-bench-fleet-XXXXXX", &error);
  check (dir != NULL, error, "temporary directory");
  g_autofree char *path = g_build_filename (dir, "bench.db", NULL);

  printf ("workload: %u factory-full runs (%d points × %d strokes each, as-found and as-left), "
          "then one %u s recording at %d Hz (batches of %d samples, a stroke every %d samples, "
          "a commit every %d samples); each backend from an empty database\n",
          runs, 2 * (DEPTHS * RATES + RATES), POINT_STROKES, seconds, SAMPLE_RATE, BATCH,
          STROKE_SAMPLES, COMMIT_SAMPLES);
  printf ("SQLite: %s (WAL, the bench's own file); PostgreSQL: the throw-away cluster of "
          "pg-run.sh on a Unix socket, fsync=off\n",
          path);
  Result r[2] = { { .name = "SQLite" }, { .name = "PostgreSQL" } };
  bench (&r[0], path, runs, seconds, profile_json);
  bench (&r[1], uri, runs, seconds, profile_json);
  check_server (uri, runs);

  printf ("%-11s %14s %12s %14s %16s %12s %14s\n", "backend", "run records", "seconds", "records/s",
          "session records", "seconds", "records/s");
  for (guint i = 0; i < 2; i++)
    printf ("%-11s %14" G_GINT64_FORMAT " %12.2f %14.0f %16" G_GINT64_FORMAT " %12.2f %14.0f\n",
            r[i].name, r[i].run_records, r[i].runs_s, r[i].run_records / r[i].runs_s,
            r[i].session_records, r[i].session_s, r[i].session_records / r[i].session_s);
  printf ("PostgreSQL / SQLite: runs %.2f, session %.2f (records/s ratio); one factory-full run "
          "takes %.2f s to store on SQLite, %.2f s on PostgreSQL; the session's %u s of "
          "recording take %.2f s and %.2f s (%.0f× and %.0f× real time)\n",
          (r[1].run_records / r[1].runs_s) / (r[0].run_records / r[0].runs_s),
          (r[1].session_records / r[1].session_s) / (r[0].session_records / r[0].session_s),
          r[0].runs_s / runs, r[1].runs_s / runs, seconds, r[0].session_s, r[1].session_s,
          seconds / r[0].session_s, seconds / r[1].session_s);

  /* 3. the bench's file forwarded to the server */
  NbStore *from = nb_store_open (path, &error);
  check (from != NULL, error, "open the SQLite file");
  NbStore *to = nb_store_open (uri, &error);
  check (to != NULL, error, "open the server");
  NbStoreSyncReport report = { 0 };
  gint64 t0 = g_get_monotonic_time ();
  check (nb_store_sync (from, to, &report, &error), error, "nb_store_sync");
  double sync_s = (g_get_monotonic_time () - t0) / 1e6;
  if (report.pending != 0 || report.copied <= 0)
    g_error ("the sync left %" G_GINT64_FORMAT " rows behind", report.pending);
  check_server (uri, 2 * runs);
  /* the report counts records (a run, a session, a pen, ...); the rows are those of 1 and 2 */
  gint64 rows = r[0].run_records + r[0].session_records;
  printf ("store and forward (nb_store_sync of the SQLite file into the server): %" G_GINT64_FORMAT
          " records, %" G_GINT64_FORMAT " rows, copied in %.2f s = %.0f rows/s\n",
          report.copied, rows, sync_s, rows / sync_s);
  nb_store_sync_report_clear (&report);
  nb_store_close (to);
  nb_store_close (from);

  static const char *const suffixes[] = { "", "-wal", "-shm", "-recording" };
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *p = g_strconcat (path, suffixes[i], NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
  return 0;
}
