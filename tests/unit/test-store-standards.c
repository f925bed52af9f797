/* test-store-standards.c: reference standard records: the schema 4 migration keeps older data,
 * records are added, superseded and withdrawn, only the newest is in force, the check refuses a
 * fixture with none or an expired one (valid on its due date), bad fields are refused, the
 * triggers keep the table append-only and every record is in the audit chain. */
#include <math.h>

#include "nb-audit.h"
#include "nb-store-private.h"
#include "nb-store-standards.h"
#include "store-test-util.h"

#define FIX "NB-FIX-SIM-0001"
#define ADD_HINT                                                                                   \
  "`needlebench-cli standards add --serial NB-FIX-SIM-0001 --certificate NUMBER "                  \
  "--uncertainty-mm U --k K --due YYYY-MM-DD`"

typedef struct
{
  char *dir;
  char *path;
  NbStore *store;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  (void) data;
  GError *error = NULL;
  f->dir = nb_test_tmpdir_new ();
  f->path = nb_test_store_location (f->dir, "standards.db");
  f->store = nb_store_open (f->path, &error);
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

static gint64
add (NbStore *store, const char *serial, const char *certificate, double u, double k,
     const char *due)
{
  GError *error = NULL;
  NbStoreStandardParams p = { .serial = serial,
                              .model = "SIM-LASER",
                              .certificate = certificate,
                              .uncertainty_mm = u,
                              .k = k,
                              .due = due,
                              .added_by = "alice" };
  gint64 id = nb_store_add_standard (store, &p, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static GDate *
date (int y, int m, int d)
{
  return g_date_new_dmy (d, m, y);
}

static gint64
count_audit (NbStore *store, const char *action)
{
  NbStmt *stmt = nb_store_stmt (store, "SELECT count(*) FROM audit WHERE action = ?", NULL);
  nb_stmt_bind_text (stmt, 1, action, -1);
  g_assert_cmpint (nb_stmt_step (stmt), ==, SQLITE_ROW);
  gint64 n = nb_stmt_column_int64 (stmt, 0);
  nb_stmt_reset (stmt);
  return n;
}

/* A schema-3 database with a session is brought to schema 4; its session is kept and standards
 * can be added to it. */
static void
test_migration (void)
{
  g_autofree char *dir = nb_test_tmpdir_new ();
  g_autofree char *path = nb_test_store_location (dir, "v3.db");
  GError *error = NULL;

  NbStore *store = nb_store_test_open_at_version (path, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nb_store_get_schema_version (store), ==, 3);
  NbStoreSessionParams sp = { .pen_serial = "OLD-3", .note = "from v3", .sample_rate_hz = 20000 };
  gint64 id = nb_store_begin_session (store, &sp, &error);
  g_assert_no_error (error);
  NbStoreStroke st = { .depth_mm = 1.0, .time_s = 0.01, .entry_speed_mm_s = 500 };
  g_assert_true (nb_store_add_stroke (store, id, &st, &error));
  g_assert_true (nb_store_close_session (store, id, NB_SESSION_COMPLETE, NULL, &error));
  nb_store_close (store);

  store = nb_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nb_store_get_latest_schema_version (), >=, 4);
  g_assert_cmpint (nb_store_get_schema_version (store), ==, nb_store_get_latest_schema_version ());
  g_autoptr (NbStoreSession) s = nb_store_get_session (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s->note, ==, "from v3");
  g_assert_cmpint (nb_store_count_strokes (store, id, &error), ==, 1);
  g_autoptr (GPtrArray) none = nb_store_list_standards (store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  add (store, FIX, "CAL-1", 0.0005, 2, "2027-06-30");
  gint64 n_rows = 0;
  g_assert_true (nb_audit_verify (store, &n_rows, NULL, &error));
  g_assert_no_error (error);
  /* session.start, session.end, the upgrade's audit.baseline, standard.add */
  g_assert_cmpint (n_rows, ==, 4);
  nb_store_close (store);
  nb_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_add_list_supersede (Fixture *f, gconstpointer data)
{
  (void) data;
  GError *error = NULL;
  gint64 before = g_get_real_time ();
  gint64 a1 = add (f->store, FIX, "CAL-1", 0.0012, 2, "2026-11-30");
  gint64 b1 = add (f->store, "NB-FIX-0002", "LVDT-7", 0.0030, 1.96, "2027-01-15");
  gint64 a2 = add (f->store, FIX, "CAL-2", 0.0010, 2.58, "2027-11-30");
  gint64 after = g_get_real_time ();

  g_autoptr (GPtrArray) all = nb_store_list_standards (f->store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 3);
  /* by serial, newest first within a serial */
  NbStoreStandard *s = g_ptr_array_index (all, 0);
  g_assert_cmpint (s->id, ==, b1);
  g_assert_cmpstr (s->serial, ==, "NB-FIX-0002");
  g_assert_cmpstr (s->certificate, ==, "LVDT-7");
  g_assert_cmpfloat (s->uncertainty_mm, ==, 0.0030);
  g_assert_cmpfloat (s->k, ==, 1.96);
  g_assert_cmpstr (s->due, ==, "2027-01-15");
  g_assert_true (s->in_force);
  s = g_ptr_array_index (all, 1);
  g_assert_cmpint (s->id, ==, a2);
  g_assert_cmpstr (s->certificate, ==, "CAL-2");
  g_assert_cmpstr (s->model, ==, "SIM-LASER");
  g_assert_cmpstr (s->added_by, ==, "alice");
  g_assert_null (s->withdrawn);
  g_assert_cmpint (s->added_at, >=, before);
  g_assert_cmpint (s->added_at, <=, after);
  g_assert_true (s->in_force);
  s = g_ptr_array_index (all, 2);
  g_assert_cmpint (s->id, ==, a1);
  g_assert_cmpstr (s->certificate, ==, "CAL-1");
  g_assert_false (s->in_force); /* superseded by CAL-2 */

  g_autoptr (GPtrArray) in_force = nb_store_list_standards (f->store, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (in_force->len, ==, 2);
  g_assert_cmpint (((NbStoreStandard *) g_ptr_array_index (in_force, 0))->id, ==, b1);
  g_assert_cmpint (((NbStoreStandard *) g_ptr_array_index (in_force, 1))->id, ==, a2);

  g_autoptr (NbStoreStandard) cur = nb_store_get_standard (f->store, FIX, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cur->id, ==, a2);
  g_assert_cmpfloat (cur->uncertainty_mm, ==, 0.0010);
  g_assert_cmpfloat (cur->k, ==, 2.58);
  g_assert_true (cur->in_force);

  g_assert_null (nb_store_get_standard (f->store, "NB-FIX-9999", &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* the serial is matched exactly */
  g_assert_null (nb_store_get_standard (f->store, "nb-fix-sim-0001", &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a new certificate without a model keeps the fixture's model; a new fixture has none */
  NbStoreStandardParams p = {
    .serial = FIX, .certificate = "CAL-3", .uncertainty_mm = 0.001, .k = 2, .due = "2028-01-31"
  };
  g_assert_cmpint (nb_store_add_standard (f->store, &p, &error), >, a2);
  g_assert_no_error (error);
  p.serial = "NB-FIX-0003";
  g_assert_cmpint (nb_store_add_standard (f->store, &p, &error), >, 0);
  g_assert_no_error (error);
  g_autoptr (NbStoreStandard) a3 = nb_store_get_standard (f->store, FIX, &error);
  g_assert_cmpstr (a3->certificate, ==, "CAL-3");
  g_assert_cmpstr (a3->model, ==, "SIM-LASER");
  g_assert_cmpstr (a3->added_by, ==, g_get_user_name ());
  g_autoptr (NbStoreStandard) c1 = nb_store_get_standard (f->store, "NB-FIX-0003", &error);
  g_assert_null (c1->model);

  g_assert_cmpint (count_audit (f->store, "standard.add"), ==, 5);
  g_assert_true (nb_audit_verify (f->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
expect_check_error (NbStore *store, const char *serial, const GDate *today, int code,
                    const char *message)
{
  GError *error = NULL;
  NbStoreStandard *std = NULL;
  g_assert_false (nb_store_standard_check (store, serial, today, &std, &error));
  g_assert_null (std);
  g_assert_error (error, NB_STORE_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
  g_clear_error (&error);
}

static void
test_check (Fixture *f, gconstpointer data)
{
  (void) data;
  GError *error = NULL;
  g_autoptr (GDate) due = date (2026, 11, 30);
  g_autoptr (GDate) day_after = date (2026, 12, 1);
  g_autoptr (GDate) long_before = date (2025, 1, 1);

  expect_check_error (
      f->store, FIX, due, NB_STORE_ERROR_NO_STANDARD,
      "fixture NB-FIX-SIM-0001 has no reference standard record: add one with " ADD_HINT);
  /* a serial a shell would split is quoted in the command to copy */
  expect_check_error (f->store, "FIX 1;x", due, NB_STORE_ERROR_NO_STANDARD,
                      "fixture FIX 1;x has no reference standard record: add one with "
                      "`needlebench-cli standards add --serial 'FIX 1;x' --certificate NUMBER "
                      "--uncertainty-mm U --k K --due YYYY-MM-DD`");

  gint64 id = add (f->store, FIX, "CAL-1", 0.0012, 2, "2026-11-30");
  /* valid up to and including its due date */
  NbStoreStandard *std = NULL;
  g_assert_true (nb_store_standard_check (f->store, FIX, long_before, &std, &error));
  g_assert_no_error (error);
  g_assert_cmpint (std->id, ==, id);
  g_clear_pointer (&std, nb_store_standard_free);
  g_assert_true (nb_store_standard_check (f->store, FIX, due, &std, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (std->certificate, ==, "CAL-1");
  g_assert_false (nb_store_standard_is_expired (std, due));
  g_assert_true (nb_store_standard_is_expired (std, day_after));
  g_clear_pointer (&std, nb_store_standard_free);
  expect_check_error (f->store, FIX, day_after, NB_STORE_ERROR_STANDARD_EXPIRED,
                      "fixture NB-FIX-SIM-0001's reference standard (certificate CAL-1) was due "
                      "on 2026-11-30 and has expired: record its new certificate with " ADD_HINT);
  /* today's local date: 2026-11-30 is behind us */
  expect_check_error (f->store, FIX, NULL, NB_STORE_ERROR_STANDARD_EXPIRED,
                      "fixture NB-FIX-SIM-0001's reference standard (certificate CAL-1) was due "
                      "on 2026-11-30 and has expired: record its new certificate with " ADD_HINT);

  /* a new certificate supersedes it */
  add (f->store, FIX, "CAL-2", 0.0010, 2, "2099-11-30");
  g_assert_true (nb_store_standard_check (f->store, FIX, day_after, NULL, &error));
  g_assert_true (nb_store_standard_check (f->store, FIX, NULL, &std, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (std->certificate, ==, "CAL-2");
  g_clear_pointer (&std, nb_store_standard_free);

  /* a withdrawal takes it out of service until the next certificate */
  gint64 w = nb_store_withdraw_standard (f->store, FIX, "dropped on the floor", "bob", &error);
  g_assert_no_error (error);
  g_assert_cmpint (w, >, 0);
  expect_check_error (f->store, FIX, day_after, NB_STORE_ERROR_NO_STANDARD,
                      "fixture NB-FIX-SIM-0001's reference standard was withdrawn (dropped on the "
                      "floor): record its new certificate with " ADD_HINT);
  g_autoptr (NbStoreStandard) latest = nb_store_get_standard (f->store, FIX, &error);
  g_assert_no_error (error);
  g_assert_cmpint (latest->id, ==, w);
  g_assert_false (latest->in_force);
  g_assert_cmpstr (latest->withdrawn, ==, "dropped on the floor");
  g_assert_cmpstr (latest->model, ==, "SIM-LASER");
  g_assert_null (latest->certificate);
  g_assert_true (isnan (latest->uncertainty_mm));
  g_autoptr (GPtrArray) in_force = nb_store_list_standards (f->store, TRUE, &error);
  g_assert_cmpuint (in_force->len, ==, 0);
  /* nothing left to withdraw */
  g_assert_cmpint (nb_store_withdraw_standard (f->store, FIX, "again", NULL, &error), ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  add (f->store, FIX, "CAL-3", 0.0010, 2, "2099-12-31");
  g_assert_true (nb_store_standard_check (f->store, FIX, day_after, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_audit (f->store, "standard.withdraw"), ==, 1);
  g_assert_true (nb_audit_verify (f->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

typedef struct
{
  NbStoreStandardParams p;
  const char *message;
} BadCase;

static void
test_invalid (Fixture *f, gconstpointer data)
{
  (void) data;
/* each case overrides one field of a valid record: the override is the point */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#define OK_P                                                                                       \
  .serial = FIX, .certificate = "CAL-1", .uncertainty_mm = 0.001, .k = 2, .due = "2027-01-31"
  static const BadCase cases[] = {
    { { OK_P, .serial = NULL }, "serial: is required" },
    { { OK_P, .serial = "" }, "serial: must not be empty" },
    { { OK_P, .serial = "FIX\x1b]0;owned\a" }, "serial: contains a control character (U+001B)" },
    { { OK_P, .serial = "FIX\xe2\x80\xae"
                        "1" },
      "serial: contains a control character (U+202E)" },
    { { OK_P, .serial = "FIX\xff" }, "serial: is not valid UTF-8" },
    { { OK_P, .serial = " FIX" }, "serial: has leading or trailing white space" },
    { { OK_P, .serial = "0123456789012345678901234567890123456789012345678901234567890123X" },
      "serial: is 65 characters long, more than 64" },
    { { OK_P, .model = "M\n2" }, "model: contains a control character (U+000A)" },
    { { OK_P, .certificate = NULL }, "certificate: is required" },
    { { OK_P, .certificate = "" }, "certificate: must not be empty" },
    { { OK_P, .added_by = "eve\r" }, "added by: contains a control character (U+000D)" },
    { { OK_P, .uncertainty_mm = 0 },
      "uncertainty: the expanded uncertainty must be from 0.0001 mm (0.1 µm) to 1 mm (got 0)" },
    { { OK_P, .uncertainty_mm = -0.001 },
      "uncertainty: the expanded uncertainty must be from 0.0001 mm (0.1 µm) to 1 mm "
      "(got -0.001)" },
    { { OK_P, .uncertainty_mm = NAN },
      "uncertainty: the expanded uncertainty must be from 0.0001 mm (0.1 µm) to 1 mm (got nan)" },
    { { OK_P, .uncertainty_mm = 1.5 },
      "uncertainty: the expanded uncertainty must be from 0.0001 mm (0.1 µm) to 1 mm (got 1.5)" },
    { { OK_P, .uncertainty_mm = 0.00012 },
      "uncertainty: at most 4 decimals in mm (0.1 µm), as the bench prints it (got 0.00012)" },
    { { OK_P, .k = 0.5 }, "k: the coverage factor must be from 1 to 5 (got 0.5)" },
    { { OK_P, .k = 5.01 }, "k: the coverage factor must be from 1 to 5 (got 5.01)" },
    { { OK_P, .k = INFINITY }, "k: the coverage factor must be from 1 to 5 (got inf)" },
    { { OK_P, .k = 2.005 }, "k: at most 2 decimals (got 2.005)" },
    { { OK_P, .due = NULL }, "due date: “” is not a date written YYYY-MM-DD" },
    { { OK_P, .due = "2027-1-31" }, "due date: “2027-1-31” is not a date written YYYY-MM-DD" },
    { { OK_P, .due = "2027-01-31x" }, "due date: “2027-01-31x” is not a date written YYYY-MM-DD" },
    { { OK_P, .due = "2027-02-29" }, "due date: “2027-02-29” is not a calendar date" },
    { { OK_P, .due = "2027-13-01" }, "due date: “2027-13-01” is not a calendar date" },
    { { OK_P, .due = "1899-12-31" }, "due date: “1899-12-31” is not a calendar date" },
  };
#undef OK_P
#pragma GCC diagnostic pop
  GError *error = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpint (nb_store_add_standard (f->store, &cases[i].p, &error), ==, 0);
      g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_clear_error (&error);
    }
  /* the edges are valid: k = 1 and 5, U = 0.1 µm and 1 mm, 29 February of a leap year */
  add (f->store, "EDGE-1", "C", 0.0001, 1, "2028-02-29");
  add (f->store, "EDGE-2", "C", 1.0, 5, "2028-02-29");
  g_autoptr (GPtrArray) all = nb_store_list_standards (f->store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpint (count_audit (f->store, "standard.add"), ==, 2);
  /* a withdrawal needs a reason */
  g_assert_cmpint (nb_store_withdraw_standard (f->store, "EDGE-1", "", NULL, &error), ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "reason: must not be empty");
  g_clear_error (&error);
}

static void
expect_rejected (NbStore *store, const char *sql, const char *message)
{
  GError *error = NULL;
  g_assert_false (nb_store_exec (store, sql, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT);
  g_test_message ("%s -> %s", sql, error->message);
  g_assert_nonnull (strstr (error->message, message));
  g_clear_error (&error);
}

/* the message of a failed CHECK, as each backend words it */
#define SHAPE_FAILED                                                                               \
  (nb_test_backend_is_pg () ? "violates check constraint \"standard_shape\""                       \
                            : "CHECK constraint failed: standard_shape")

static void
test_append_only (Fixture *f, gconstpointer data)
{
  (void) data;
  GError *error = NULL;
  add (f->store, FIX, "CAL-1", 0.0012, 2, "2026-11-30");
  expect_rejected (f->store, "UPDATE standards SET due = '2099-01-01'",
                   "reference standards are append-only: UPDATE rejected");
  expect_rejected (f->store, "UPDATE standards SET withdrawn = 'x'",
                   "reference standards are append-only: UPDATE rejected");
  expect_rejected (f->store, "DELETE FROM standards",
                   "reference standards are append-only: DELETE rejected");
  /* the table's own checks stop a writer that bypasses nb_store_add_standard () */
  expect_rejected (f->store,
                   "INSERT INTO standards (serial, certificate, uncertainty_mm, k, due, added_at,"
                   " added_by) VALUES ('X', 'C', 0, 2, '2027-01-01', 1, 'me')",
                   SHAPE_FAILED);
  expect_rejected (f->store,
                   "INSERT INTO standards (serial, certificate, uncertainty_mm, k, due, added_at,"
                   " added_by) VALUES ('X', 'C', 0.001, 2, '31/01/2027', 1, 'me')",
                   SHAPE_FAILED);
  expect_rejected (f->store,
                   "INSERT INTO standards (serial, withdrawn, due, added_at, added_by)"
                   " VALUES ('X', 'gone', '2027-01-01', 1, 'me')",
                   SHAPE_FAILED);
  g_autoptr (NbStoreStandard) s = nb_store_get_standard (f->store, FIX, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s->due, ==, "2026-11-30");

  /* the audit entry says what was recorded, and editing it breaks the chain */
  NbStmt *stmt = nb_store_stmt (
      f->store, "SELECT actor, subject, detail FROM audit WHERE action = 'standard.add'", NULL);
  g_assert_cmpint (nb_stmt_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) nb_stmt_column_text (stmt, 0), ==, "alice");
  g_assert_cmpstr ((const char *) nb_stmt_column_text (stmt, 1), ==, "fixture:" FIX);
  g_assert_cmpstr ((const char *) nb_stmt_column_text (stmt, 2), ==,
                   "standard=1 certificate=CAL-1 uncertainty_mm=0.0012 k=2.00 due=2026-11-30 "
                   "model=SIM-LASER");
  nb_stmt_reset (stmt);
  gint64 n = 0;
  g_assert_true (nb_audit_verify (f->store, &n, NULL, &error));
  g_assert_cmpint (n, ==, 1);
}

/* A read-only store can list and check but not add. */
static void
test_read_only (Fixture *f, gconstpointer data)
{
  (void) data;
  GError *error = NULL;
  add (f->store, FIX, "CAL-1", 0.0012, 2, "2099-11-30");
  g_autoptr (NbStore) ro = nb_store_open_full (f->path, NB_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_autoptr (GPtrArray) all = nb_store_list_standards (ro, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_true (nb_store_standard_check (ro, FIX, NULL, NULL, &error));
  g_assert_no_error (error);
  NbStoreStandardParams p = {
    .serial = FIX, .certificate = "CAL-2", .uncertainty_mm = 0.001, .k = 2, .due = "2099-12-01"
  };
  g_assert_cmpint (nb_store_add_standard (ro, &p, &error), ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  nb_test_add_sqlite_only ("/store-standards/migration", test_migration,
                           "a SQLite file of schema 3 brought forward");
#define ADD(name, fn)                                                                              \
  g_test_add ("/store-standards/" name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("add-list-supersede", test_add_list_supersede);
  ADD ("check", test_check);
  ADD ("invalid", test_invalid);
  ADD ("append-only", test_append_only);
  ADD ("read-only", test_read_only);
#undef ADD
  return nb_test_run ();
}
