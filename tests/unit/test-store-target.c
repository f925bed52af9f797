/* test-store-target.c: what a session was measured against (schema 9, session_targets): stored
 * with the session, read back, audited, append-only, and carried by the CSV and JSON exports.
 * Part of the test-store program (see test-store.c). */
#include "nb-audit-verify.h"
#include "nb-export.h"
#include "nb-recorder.h"
#include "nb-store-private.h"
#include "store-test-util.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

/* The fixture's strokes are 1.500 + 0.001 × (i % 17) mm: against 1.500 ± 0.010 mm, those with
 * i % 17 <= 10 are in the band, the others too deep. */
static gint64
record_with_target (const char *path, guint n_strokes)
{
  GError *error = NULL;
  NbRecorderParams p = default_params (path);
  p.session.profile_id = "eyes-thin";
  p.session.profile_version = 1;
  p.session.target_mm = 1.5;
  p.session.tolerance_mm = 0.01;
  p.session.band_lo_mm = 1.49;
  p.session.band_hi_mm = 1.51;
  p.session.rate_tolerance_hz = 7.5;
  g_autoptr (NbRecorder) rec = nb_recorder_new (&p, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n_strokes; i++)
    {
      NbStoreStroke s = make_stroke (i);
      g_assert_true (nb_recorder_add_stroke (rec, &s, &error));
    }
  gint64 id = nb_recorder_get_session_id (rec);
  g_assert_true (nb_recorder_finish (rec, NB_SESSION_COMPLETE, NULL, &error));
  g_assert_no_error (error);
  return id;
}

/* count_findings: the findings of @kind (about @table when not NULL) of a verification without a
 * key. */
static guint
count_findings (NbStore *store, NbAuditFindingKind kind, const char *table)
{
  GError *error = NULL;
  g_autoptr (NbAuditReport) report = nb_audit_verify_report (store, NULL, &error);
  g_assert_no_error (error);
  guint n = 0;
  for (guint i = 0; i < report->findings->len; i++)
    {
      NbAuditFinding *f = report->findings->pdata[i];
      if (f->kind == kind && (table == NULL || g_strcmp0 (f->table, table) == 0))
        {
          g_test_message ("%s", f->message);
          n++;
        }
    }
  return n;
}

static void
test_target_round_trip (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "target.db");
  GError *error = NULL;
  gint64 id = record_with_target (path, 20);
  gint64 plain = record_session (path, 3, 1);
  g_autoptr (NbStore) store = nb_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nb_store_get_schema_version (store), ==, nb_store_get_latest_schema_version ());

  g_autoptr (NbStoreSession) s = nb_store_get_session (store, id, &error);
  g_assert_no_error (error);
  g_assert_true (s->has_target);
  g_assert_cmpstr (s->profile_id, ==, "eyes-thin");
  g_assert_cmpint (s->profile_version, ==, 1);
  g_assert_cmpfloat (s->target_mm, ==, 1.5);
  g_assert_cmpfloat (s->tolerance_mm, ==, 0.01);
  g_assert_cmpfloat (s->band_lo_mm, ==, 1.49);
  g_assert_cmpfloat (s->band_hi_mm, ==, 1.51);
  g_assert_cmpfloat (s->rate_tolerance_hz, ==, 7.5);

  /* a session recorded without a target says so */
  g_autoptr (GPtrArray) list = nb_store_list_sessions (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  NbStoreSession *newest = list->pdata[0], *oldest = list->pdata[1];
  g_assert_cmpint (newest->id, ==, plain);
  g_assert_false (newest->has_target);
  g_assert_null (newest->profile_id);
  g_assert_true (isnan (newest->target_mm));
  g_assert_cmpint (oldest->id, ==, id);
  g_assert_true (oldest->has_target);
  g_assert_cmpstr (oldest->profile_id, ==, "eyes-thin");

  /* the target is covered by the audit trail: changing it behind the triggers is found */
  g_assert_cmpuint (count_findings (store, NB_AUDIT_FINDING_CONTENT, NULL), ==, 0);
  g_assert_cmpuint (count_findings (store, NB_AUDIT_FINDING_ORPHAN, NULL), ==, 0);
  g_assert_cmpuint (count_findings (store, NB_AUDIT_FINDING_SCHEMA, NULL), ==, 0);
  g_assert_false (nb_store_exec (
      store, "UPDATE session_targets SET tolerance_mm = 0.5 WHERE session_id = 1", &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (
      nb_store_exec (store, "DELETE FROM session_targets WHERE session_id = 1", &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  /* a closed session takes no target afterwards */
  g_autofree char *late = g_strdup_printf (
      "INSERT INTO session_targets (session_id, target_mm, tolerance_mm, band_lo_mm, band_hi_mm)"
      " VALUES (%" G_GINT64_FORMAT ", 1, 0.1, 0.9, 1.1)",
      plain);
  g_assert_false (nb_store_exec (store, late, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  g_assert_true (nb_test_tamper (store, "session_targets",
                                 "UPDATE session_targets SET band_hi_mm = 1.6 WHERE session_id = 1",
                                 &error));
  g_assert_cmpuint (count_findings (store, NB_AUDIT_FINDING_CONTENT, "session_targets"), ==, 1);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_target_invalid (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "bad.db");
  GError *error = NULL;
  g_autoptr (NbStore) store = nb_store_open (path, &error);
  g_assert_no_error (error);
  NbStoreSessionParams p = default_params (path).session;
  p.target_mm = 0.25;
  p.tolerance_mm = 0.15;
  p.band_lo_mm = 0.4;
  p.band_hi_mm = 0.1; /* upside down */
  g_assert_cmpint (nb_store_begin_session (store, &p, &error), ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  p.band_lo_mm = 0.1;
  p.band_hi_mm = NAN;
  g_assert_cmpint (nb_store_begin_session (store, &p, &error), ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  /* nothing half-written */
  g_autoptr (GPtrArray) list = nb_store_list_sessions (store, NULL, &error);
  g_assert_cmpuint (list->len, ==, 0);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_target_export (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "target.db");
  g_autofree char *csv = g_build_filename (dir, "strokes.csv", NULL);
  g_autofree char *json = g_build_filename (dir, "strokes.json", NULL);
  GError *error = NULL;
  gint64 id = record_with_target (path, 17);
  g_autoptr (NbStore) store = nb_store_open (path, &error);
  g_assert_no_error (error);

  g_assert_true (
      nb_export_session (store, id, NB_EXPORT_CSV, FALSE, csv, NB_EXPORT_DEFAULT, &error));
  g_assert_no_error (error);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "index,time_s,depth_mm,period_ms,entry_speed_mm_s,"
                                         "target_mm,tolerance_mm,band_lo_mm,band_hi_mm,band\r\n"
                                         "0,0.00035,1.5000,,500.0,1.5000,0.0100,1.4900,1.5100,in"
                                         "\r\n"));
  /* stroke 10 (1.510 mm) is at the limit, in; stroke 11 (1.511 mm) too deep */
  g_assert_nonnull (strstr (text, "\r\n10,0.06685,1.5100,6.667,503.3,1.5000,0.0100,1.4900,"
                                  "1.5100,in\r\n"));
  g_assert_nonnull (strstr (text, "\r\n11,0.07350,1.5110,6.667,503.7,1.5000,0.0100,1.4900,"
                                  "1.5100,too_deep\r\n"));
  guint deep = 0;
  for (const char *c = text; (c = strstr (c, ",too_deep\r\n")) != NULL; c++)
    deep++;
  g_assert_cmpuint (deep, ==, 6); /* strokes 11–16 */

  g_assert_true (
      nb_export_session (store, id, NB_EXPORT_JSON, FALSE, json, NB_EXPORT_DEFAULT, &error));
  g_assert_no_error (error);
  g_autofree char *jtext = NULL;
  g_assert_true (g_file_get_contents (json, &jtext, NULL, NULL));
  g_assert_nonnull (strstr (jtext, "\"target\":{\"depth_mm\":1.5000,\"profile_id\":\"eyes-thin\","
                                   "\"profile_version\":1,\"tolerance_mm\":0.0100,"
                                   "\"band_lo_mm\":1.4900,\"band_hi_mm\":1.5100,"
                                   "\"rate_tolerance_hz\":7.500}"));
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, jtext, -1, &error));
  g_assert_no_error (error);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  JsonObject *target
      = json_object_get_object_member (json_object_get_object_member (root, "session"), "target");
  g_assert_cmpstr (json_object_get_string_member (target, "profile_id"), ==, "eyes-thin");
  g_assert_cmpfloat (json_object_get_double_member (target, "band_hi_mm"), ==, 1.51);
  JsonArray *strokes = json_object_get_array_member (root, "strokes");
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (strokes, 11), "band"), ==,
      "too_deep");
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (strokes, 3), "band"), ==, "in");
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

/* A schema-8 database with a session is brought to schema 9: the session has no target, its audit
 * entries still verify (its row's hash did not change), and new sessions can have one. */
static void
test_target_migration (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "v8.db");
  GError *error = NULL;
  NbStore *old = nb_store_test_open_at_version (path, 8, &error);
  g_assert_no_error (error);
  NbStoreSessionParams sp = { .pen_serial = "OLD-8", .depth_mm = 0.5, .sample_rate_hz = 20000 };
  gint64 sid = nb_store_begin_session (old, &sp, &error);
  g_assert_no_error (error);
  NbStoreStroke st = { .depth_mm = 0.52, .time_s = 0.01, .entry_speed_mm_s = 500 };
  g_assert_true (nb_store_add_stroke (old, sid, &st, &error));
  g_assert_true (nb_store_close_session (old, sid, NB_SESSION_COMPLETE, NULL, &error));
  nb_store_close (old);

  g_autoptr (NbStore) store = nb_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nb_store_get_schema_version (store), ==, nb_store_get_latest_schema_version ());
  g_autoptr (NbStoreSession) s = nb_store_get_session (store, sid, &error);
  g_assert_no_error (error);
  g_assert_false (s->has_target);
  g_assert_cmpuint (count_findings (store, NB_AUDIT_FINDING_CONTENT, NULL), ==, 0);
  g_assert_cmpuint (count_findings (store, NB_AUDIT_FINDING_ORPHAN, NULL), ==, 0);
  g_assert_cmpuint (count_findings (store, NB_AUDIT_FINDING_SCHEMA, NULL), ==, 0);
  sp.target_mm = 0.5;
  sp.tolerance_mm = 0.15;
  sp.band_lo_mm = 0.35;
  sp.band_hi_mm = 0.65;
  gint64 sid2 = nb_store_begin_session (store, &sp, &error);
  g_assert_no_error (error);
  g_autoptr (NbStoreSession) s2 = nb_store_get_session (store, sid2, &error);
  g_assert_true (s2->has_target);
  g_assert_null (s2->profile_id); /* a custom target */
  g_assert_cmpfloat (s2->rate_tolerance_hz, ==, 0);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

void
test_store_add_target_tests (void)
{
  nb_test_add_sqlite_only ("/store/target/migration", test_target_migration,
                           "a SQLite file of schema 8 brought forward");
  nb_test_add_func ("/store/target/round-trip", test_target_round_trip);
  nb_test_add_func ("/store/target/invalid", test_target_invalid);
  nb_test_add_func ("/store/target/export", test_target_export);
}
