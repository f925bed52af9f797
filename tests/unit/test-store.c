/* test-store.c: unit tests of the record store, one program from several files:
 * test-store-schema.c (schema, migrations, file mode, append-only triggers),
 * test-store-recorder.c (round trip, read-only and full databases, live sessions),
 * test-store-audit.c (the hash chain), test-store-export.c (CSV and JSON export) and
 * test-store-target.c (what a session was measured against).
 * This file holds the shared fixtures and main (). */
#include "nb-audit.h"
#include "nb-export.h"
#include "nb-recorder.h"
#include "nb-store-private.h"
#include "store-test-util.h"

#include <math.h>
#include <sys/stat.h>

NbRecorderParams
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

NbStoreStroke
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
gint64
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

void
check_mode (const char *path, guint mode)
{
  GStatBuf st;
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, mode);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  test_store_add_recorder_tests ();
  test_store_add_schema_tests ();
  test_store_add_audit_tests ();
  test_store_add_export_tests ();
  test_store_add_target_tests ();
  return nb_test_run ();
}
