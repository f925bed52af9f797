/* test-store-certificates.c: laboratory settings, users, certificates and signatures
 * (nb-store-certificates.h): numbers are sequential per prefix and year and never reused (a
 * voided certificate keeps its number, a failed build takes none), only a complete traceable run
 * is certified, a correction is a new revision, users have roles and Argon2id hashes, a wrong
 * password, another certificate's content hash and an approval by a non-approver are refused, an
 * approval issues the certificate, the triggers keep every table append-only and refuse a gap or
 * a moved signature even to raw SQL, and every write is in the audit chain. */
#include <string.h>

#include "nb-audit-verify.h"
#include "nb-audit.h"
#include "nb-store-certificates.h"
#include "nb-store-private.h"
#include "nb-store-runs.h"
#include "nb-store-standards.h"
#include "store-test-util.h"

#define PASSWORD "correct horse battery"

typedef struct
{
  char *dir;
  char *path;
  NbStore *store;
  gint64 standard;
  int year;
} Fixture;

static void
set_lab (NbStore *store, const char *prefix)
{
  g_autoptr (GError) error = NULL;
  NbStoreLabParams lab = { .name = "NeedleBench Lab",
                           .address = "1 Example Street, Berlin",
                           .prefix = prefix,
                           .set_by = "alice" };
  g_assert_cmpint (nb_store_set_lab (store, &lab, &error), >, 0);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  f->dir = nb_test_tmpdir_new ();
  f->path = nb_test_store_location (f->dir, "certificates.db");
  f->store = nb_store_open (f->path, &error);
  g_assert_no_error (error);
  NbStoreStandardParams sp = { .serial = "FIX-1",
                               .certificate = "CAL-1",
                               .uncertainty_mm = 0.001,
                               .k = 2,
                               .due = "2099-12-31",
                               .added_by = "alice" };
  f->standard = nb_store_add_standard (f->store, &sp, &error);
  g_assert_no_error (error);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  f->year = g_date_time_get_year (now);
  if (data == NULL)
    set_lab (f->store, "LAB");
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  nb_store_close (f->store);
  g_free (f->path);
  nb_test_tmpdir_free (f->dir);
  nb_test_store_cleanup ();
}

/* A run closed with @status; traceable unless @self_check. */
static gint64
make_run (Fixture *f, NbRunStatus status, gboolean self_check)
{
  g_autoptr (GError) error = NULL;
  NbStoreRunParams p = { .pen_serial = "PEN-1",
                         .fixture_serial = self_check ? NULL : "FIX-1",
                         .standard_id = self_check ? 0 : f->standard,
                         .profile_id = "service-quick",
                         .profile_version = 1,
                         .rule = "simple",
                         .traceable = !self_check,
                         .operator_name = "alice" };
  gint64 id = nb_store_begin_run (f->store, &p, &error);
  g_assert_no_error (error);
  if (status != NB_RUN_RUNNING)
    g_assert_true (nb_store_close_run (f->store, id, status, "pass", NULL, "{\"run\":1}", &error));
  g_assert_no_error (error);
  return id;
}

static char *
sha256_of (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/* The build callback: a small document naming the number; fails when @user_data says so. */
static char *
build_doc (const char *number, char **content_sha256, gpointer user_data, GError **error)
{
  if (GPOINTER_TO_INT (user_data) == 1)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "build refused");
      return NULL;
    }
  char *doc = g_strdup_printf ("{\"number\":\"%s\",\"status\":\"draft\"}", number);
  *content_sha256 = sha256_of (doc);
  return doc;
}

static int issue_calls;

static char *
issue_doc (const NbStoreCertificate *cert, GPtrArray *signatures, gint64 issued_at,
           char **content_sha256, gpointer user_data, GError **error)
{
  issue_calls++;
  g_assert_cmpint (cert->status, ==, NB_STORE_CERT_DRAFT);
  g_assert_cmpint (issued_at, >, 0);
  const NbStoreSignature *last = g_ptr_array_index (signatures, signatures->len - 1);
  g_assert_cmpint (last->meaning, ==, NB_SIGN_APPROVED);
  char *doc = g_strdup_printf ("{\"number\":\"%s\",\"status\":\"issued\",\"signatures\":%u}",
                               cert->number, signatures->len);
  *content_sha256 = sha256_of (doc);
  return doc;
}

static NbStoreCertificate *
create (Fixture *f, gint64 run)
{
  g_autoptr (GError) error = NULL;
  NbStoreCertificate *c
      = nb_store_create_certificate (f->store, run, build_doc, NULL, "bob", &error);
  g_assert_no_error (error);
  g_assert_nonnull (c);
  return c;
}

static char *
number (Fixture *f, const char *prefix, int seq)
{
  return g_strdup_printf ("%s-%04d-%06d", prefix, f->year, seq);
}

static gint64
count (NbStore *store, const char *sql)
{
  NbStmt *stmt = nb_store_stmt (store, sql, NULL);
  g_assert_nonnull (stmt);
  g_assert_cmpint (nb_stmt_step (stmt), ==, SQLITE_ROW);
  gint64 n = nb_stmt_column_int64 (stmt, 0);
  nb_stmt_reset (stmt);
  return n;
}

static void
add_user (Fixture *f, const char *name, NbUserRole role)
{
  g_autoptr (GError) error = NULL;
  g_assert_cmpint (nb_store_add_user (f->store, name, NULL, role, PASSWORD, "admin", &error), >, 0);
  g_assert_no_error (error);
}

/* Every row written is covered by an audit entry whose hash matches it: no orphan, no content,
 * chain or schema finding (the key is not given: unsigned findings are expected). */
static void
assert_audit_covers_all (NbStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NbAuditReport) report = nb_audit_verify_report (store, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < report->findings->len; i++)
    {
      const NbAuditFinding *f = report->findings->pdata[i];
      if (f->kind != NB_AUDIT_FINDING_UNSIGNED)
        g_error ("audit finding (%s): %s", nb_audit_finding_kind_to_string (f->kind), f->message);
    }
  g_assert_cmpint (report->rows, >, 0);
}

static void
test_numbering (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  for (int i = 1; i <= 3; i++)
    {
      g_autoptr (NbStoreCertificate) c = create (f, make_run (f, NB_RUN_COMPLETE, FALSE));
      g_autofree char *want = number (f, "LAB", i);
      g_assert_cmpstr (c->number, ==, want);
      g_assert_cmpint (c->status, ==, NB_STORE_CERT_DRAFT);
      g_assert_cmpuint (c->revision, ==, 1);
      g_assert_cmpint (c->supersedes, ==, 0);
      g_assert_cmpint (c->issued_at, ==, 0);
      g_assert_cmpstr (c->kind, ==, "calibration-certificate");
      g_assert_cmpstr (c->created_by, ==, "bob");
      g_autofree char *hash = sha256_of (c->document);
      g_assert_cmpstr (c->content_sha256, ==, hash);
      g_assert_true (strstr (c->document, want) != NULL);
    }
  /* a build that fails takes no number: the next one is still 4 */
  gint64 run = make_run (f, NB_RUN_COMPLETE, FALSE);
  g_assert_null (
      nb_store_create_certificate (f->store, run, build_doc, GINT_TO_POINTER (1), NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED);
  g_clear_error (&error);
  g_autoptr (NbStoreCertificate) c4 = create (f, run);
  g_autofree char *n4 = number (f, "LAB", 4);
  g_assert_cmpstr (c4->number, ==, n4);
  /* one live certificate per run */
  g_assert_null (nb_store_create_certificate (f->store, run, build_doc, NULL, NULL, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_autoptr (NbStoreCertificate) by_run = nb_store_get_run_certificate (f->store, run, &error);
  g_assert_cmpstr (by_run->number, ==, n4);
  /* a self-check, a failed and a running run are never certified, and take no number */
  const gint64 refused[]
      = { make_run (f, NB_RUN_COMPLETE, TRUE), make_run (f, NB_RUN_FAILED, FALSE),
          make_run (f, NB_RUN_RUNNING, FALSE) };
  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_assert_null (
          nb_store_create_certificate (f->store, refused[i], build_doc, NULL, NULL, &error));
      g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
      g_clear_error (&error);
    }
  /* a new prefix starts its own sequence */
  set_lab (f->store, "QA");
  g_autoptr (NbStoreCertificate) q = create (f, make_run (f, NB_RUN_COMPLETE, FALSE));
  g_autofree char *q1 = number (f, "QA", 1);
  g_assert_cmpstr (q->number, ==, q1);
  g_autoptr (GPtrArray) all = nb_store_list_certificates (f->store, &error);
  g_assert_cmpuint (all->len, ==, 5);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM audit WHERE action = "
                                    "'certificate.create'"),
                   ==, 5);
  g_assert_true (nb_audit_verify (f->store, NULL, NULL, &error));
  assert_audit_covers_all (f->store);
}

static void
test_no_lab (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_assert_null (nb_store_get_lab (f->store, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND);
  g_assert_true (strstr (error->message, "lab set") != NULL);
  g_clear_error (&error);
  gint64 run = make_run (f, NB_RUN_COMPLETE, FALSE);
  g_assert_null (nb_store_create_certificate (f->store, run, build_doc, NULL, NULL, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* bad settings are refused; the prefix defaults to NB and then stays */
  const NbStoreLabParams bad[] = {
    { .name = "Lab", .address = "A", .prefix = "lab" },
    { .name = "Lab", .address = "A", .prefix = "TOO-LONG" },
    { .name = "", .address = "A" },
    { .name = "Lab", .address = NULL },
    { .name = "Lab\033[2J", .address = "A" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_cmpint (nb_store_set_lab (f->store, &bad[i], &error), ==, 0);
      g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
      g_clear_error (&error);
    }
  NbStoreLabParams p = { .name = "Lab One", .address = "Street 1", .location = "Room 2" };
  g_assert_cmpint (nb_store_set_lab (f->store, &p, &error), >, 0);
  p.name = "Lab Two";
  p.location = NULL;
  g_assert_cmpint (nb_store_set_lab (f->store, &p, &error), >, 0);
  g_autoptr (NbStoreLab) lab = nb_store_get_lab (f->store, &error);
  g_assert_cmpstr (lab->name, ==, "Lab Two");
  g_assert_cmpstr (lab->prefix, ==, NB_LAB_DEFAULT_PREFIX);
  g_assert_null (lab->location);
  g_autoptr (GPtrArray) history = nb_store_list_lab (f->store, &error);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpstr (((NbStoreLab *) history->pdata[1])->location, ==, "Room 2");
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM audit WHERE action = 'lab.set'"), ==, 2);
}

static void
test_void_and_revision (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 run1 = make_run (f, NB_RUN_COMPLETE, FALSE);
  g_autoptr (NbStoreCertificate) c1 = create (f, run1);
  g_autoptr (NbStoreCertificate) c2 = create (f, make_run (f, NB_RUN_COMPLETE, FALSE));

  /* void keeps the number: the next is 3, and the voided one reads back with its reason */
  g_assert_cmpint (nb_store_void_certificate (f->store, c1->number, NULL, NULL, &error), ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (
      nb_store_void_certificate (f->store, c1->number, "wrong customer", "carol", &error), >, 0);
  g_assert_no_error (error);
  g_autoptr (NbStoreCertificate) v = nb_store_get_certificate (f->store, c1->number, &error);
  g_assert_cmpint (v->status, ==, NB_STORE_CERT_VOIDED);
  g_assert_cmpstr (v->reason, ==, "wrong customer");
  g_assert_cmpint (v->supersedes, ==, c1->record_id);
  g_assert_cmpstr (v->content_sha256, ==, c1->content_sha256);
  g_assert_cmpint (nb_store_void_certificate (f->store, c1->number, "again", NULL, &error), ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  /* the run of a voided certificate can be certified again, under a new number */
  g_autoptr (NbStoreCertificate) c3 = create (f, run1);
  g_autofree char *n3 = number (f, "LAB", 3);
  g_assert_cmpstr (c3->number, ==, n3);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM certificates"), ==, 3);

  /* a correction: revision 2 supersedes the draft; the old record stays */
  const char *doc2 = "{\"corrected\":true}";
  g_autofree char *hash2 = sha256_of (doc2);
  gint64 rec = nb_store_revise_certificate (f->store, c2->number, doc2, hash2, "typo in address",
                                            "bob", &error);
  g_assert_no_error (error);
  g_autoptr (NbStoreCertificate) r = nb_store_get_certificate (f->store, c2->number, &error);
  g_assert_cmpint (r->record_id, ==, rec);
  g_assert_cmpuint (r->revision, ==, 2);
  g_assert_cmpint (r->supersedes, ==, c2->record_id);
  g_assert_cmpint (r->status, ==, NB_STORE_CERT_DRAFT);
  g_assert_cmpstr (r->document, ==, doc2);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM certificate_records"), ==, 5);
  /* a voided one cannot be revised */
  g_assert_cmpint (
      nb_store_revise_certificate (f->store, c1->number, doc2, hash2, "x", NULL, &error), ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM audit WHERE action IN "
                                    "('certificate.void', 'certificate.revise')"),
                   ==, 2);
  assert_audit_covers_all (f->store);
}

static void
test_users (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_assert_cmpint (nb_store_add_user (f->store, "dana", "Dana Scully", NB_USER_TECHNICIAN, PASSWORD,
                                      "admin", &error),
                   >, 0);
  g_assert_no_error (error);
  g_autoptr (NbStoreUser) u = nb_store_get_user (f->store, "dana", &error);
  g_assert_cmpstr (u->display_name, ==, "Dana Scully");
  g_assert_cmpint (u->role, ==, NB_USER_TECHNICIAN);
  g_assert_true (u->active);
  g_assert_true (g_str_has_prefix (u->password_hash, "$argon2id$v=19$"));
  g_assert_null (strstr (u->password_hash, PASSWORD));
  g_assert_true (nb_store_user_verify_password (u, PASSWORD, &error));
  g_assert_false (nb_store_user_verify_password (u, "correct horse battery!", &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_DENIED);
  g_clear_error (&error);
  /* the same name again, a short password, a bad name are refused */
  g_assert_cmpint (
      nb_store_add_user (f->store, "dana", NULL, NB_USER_APPROVER, PASSWORD, NULL, &error), ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (
      nb_store_add_user (f->store, "eve", NULL, NB_USER_APPROVER, "short", NULL, &error), ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (
      nb_store_add_user (f->store, " eve", NULL, NB_USER_APPROVER, PASSWORD, NULL, &error), ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  /* a change is a new record: the old one stays, the new one is in force */
  NbStoreUserChange ch = { .set_role = TRUE, .role = NB_USER_APPROVER, .password = "new password" };
  gint64 id2 = nb_store_change_user (f->store, "dana", &ch, "admin", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id2, >, u->id);
  g_autoptr (NbStoreUser) u2 = nb_store_get_user (f->store, "dana", &error);
  g_assert_cmpint (u2->role, ==, NB_USER_APPROVER);
  g_assert_cmpstr (u2->display_name, ==, "Dana Scully");
  g_assert_cmpint (u2->created_at, ==, u->changed_at);
  g_assert_false (nb_store_user_verify_password (u2, PASSWORD, NULL));
  g_assert_true (nb_store_user_verify_password (u2, "new password", NULL));
  add_user (f, "abe", NB_USER_OPERATOR);
  g_autoptr (GPtrArray) users = nb_store_list_users (f->store, &error);
  g_assert_cmpuint (users->len, ==, 2);
  g_assert_cmpstr (((NbStoreUser *) users->pdata[0])->name, ==, "abe");
  g_assert_cmpint (((NbStoreUser *) users->pdata[1])->id, ==, id2);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM users"), ==, 3);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM audit WHERE action = 'user.add'"), ==, 2);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM audit WHERE action = 'user.change'"), ==,
                   1);
  /* the trail never holds a hash */
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM audit WHERE detail LIKE '%argon%'"), ==,
                   0);
  g_assert_cmpint (nb_store_change_user (f->store, "nobody", &ch, NULL, &error), ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND);
}

static void
test_signatures (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  add_user (f, "olga", NB_USER_OPERATOR);
  add_user (f, "tom", NB_USER_TECHNICIAN);
  add_user (f, "ann", NB_USER_APPROVER);
  g_autoptr (NbStoreCertificate) a = create (f, make_run (f, NB_RUN_COMPLETE, FALSE));
  g_autoptr (NbStoreCertificate) b = create (f, make_run (f, NB_RUN_COMPLETE, FALSE));
  g_assert_cmpstr (a->content_sha256, !=, b->content_sha256);

  /* wrong password: refused, and the attempt is audited */
  g_assert_cmpint (nb_store_sign_certificate (f->store, a->number, a->content_sha256, "olga",
                                              "not the password", NB_SIGN_PERFORMED, NULL, NULL,
                                              &error),
                   ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (
      count (f->store, "SELECT count(*) FROM audit WHERE action = 'certificate.sign-refused'"), ==,
      1);
  /* another certificate's hash: cannot be moved onto this one (11.70) */
  g_assert_cmpint (nb_store_sign_certificate (f->store, a->number, b->content_sha256, "olga",
                                              PASSWORD, NB_SIGN_PERFORMED, NULL, NULL, &error),
                   ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (nb_store_sign_certificate (f->store, a->number, a->content_sha256, "olga",
                                              PASSWORD, NB_SIGN_PERFORMED, NULL, NULL, &error),
                   >, 0);
  g_assert_no_error (error);
  /* the same signature twice */
  g_assert_cmpint (nb_store_sign_certificate (f->store, a->number, a->content_sha256, "olga",
                                              PASSWORD, NB_SIGN_PERFORMED, NULL, NULL, &error),
                   ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (nb_store_sign_certificate (f->store, a->number, a->content_sha256, "tom",
                                              PASSWORD, NB_SIGN_REVIEWED, NULL, NULL, &error),
                   >, 0);
  /* approval needs an approver: a technician is refused and nothing is issued */
  g_assert_cmpint (nb_store_sign_certificate (f->store, a->number, a->content_sha256, "tom",
                                              PASSWORD, NB_SIGN_APPROVED, issue_doc, NULL, &error),
                   ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (issue_calls, ==, 0);
  /* an inactive approver is refused */
  add_user (f, "zed", NB_USER_APPROVER);
  NbStoreUserChange off = { .set_active = TRUE, .active = FALSE };
  g_assert_cmpint (nb_store_change_user (f->store, "zed", &off, NULL, &error), >, 0);
  g_assert_cmpint (nb_store_sign_certificate (f->store, a->number, a->content_sha256, "zed",
                                              PASSWORD, NB_SIGN_APPROVED, issue_doc, NULL, &error),
                   ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_DENIED);
  g_clear_error (&error);

  g_autoptr (NbStoreCertificate) still = nb_store_get_certificate (f->store, a->number, &error);
  g_assert_cmpint (still->status, ==, NB_STORE_CERT_DRAFT);
  g_assert_cmpint (nb_store_sign_certificate (f->store, a->number, a->content_sha256, "ann",
                                              PASSWORD, NB_SIGN_APPROVED, issue_doc, NULL, &error),
                   >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (issue_calls, ==, 1);
  g_autoptr (NbStoreCertificate) issued = nb_store_get_certificate (f->store, a->number, &error);
  g_assert_cmpint (issued->status, ==, NB_STORE_CERT_ISSUED);
  g_assert_cmpint (issued->issued_at, >, 0);
  g_assert_cmpint (issued->supersedes, ==, a->record_id);
  g_assert_cmpuint (issued->revision, ==, 1);
  g_assert_true (strstr (issued->document, "\"signatures\":3") != NULL);
  g_autofree char *ih = sha256_of (issued->document);
  g_assert_cmpstr (issued->content_sha256, ==, ih);
  g_autoptr (GPtrArray) sigs = nb_store_certificate_signatures (f->store, issued, &error);
  g_assert_cmpuint (sigs->len, ==, 3);
  const char *const names[] = { "olga", "tom", "ann" };
  const NbSignMeaning meanings[] = { NB_SIGN_PERFORMED, NB_SIGN_REVIEWED, NB_SIGN_APPROVED };
  for (guint i = 0; i < 3; i++)
    {
      const NbStoreSignature *s = sigs->pdata[i];
      g_assert_cmpstr (s->user_name, ==, names[i]);
      g_assert_cmpint (s->meaning, ==, meanings[i]);
      g_assert_cmpstr (s->content_sha256, ==, a->content_sha256);
      g_assert_cmpint (s->record_id, ==, a->record_id);
    }
  /* an issued certificate takes no more signatures */
  g_assert_cmpint (nb_store_sign_certificate (f->store, a->number, issued->content_sha256, "tom",
                                              PASSWORD, NB_SIGN_REVIEWED, NULL, NULL, &error),
                   ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM audit WHERE action = 'certificate.sign'"),
                   ==, 3);
  g_assert_cmpint (
      count (f->store, "SELECT count(*) FROM audit WHERE action = 'certificate.issue'"), ==, 1);
  g_assert_true (nb_audit_verify (f->store, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_audit_covers_all (f->store);
}

/* Raw SQL, as anyone with the file could run it: every refusal is the schema's. */
static void
assert_refused (NbStore *store, const char *sql)
{
  g_autoptr (GError) error = NULL;
  if (nb_store_exec (store, sql, &error))
    g_error ("the schema accepted: %s", sql);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT);
}

static void
test_triggers (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  add_user (f, "tom", NB_USER_TECHNICIAN);
  add_user (f, "ann", NB_USER_APPROVER);
  g_autoptr (NbStoreCertificate) a = create (f, make_run (f, NB_RUN_COMPLETE, FALSE));
  g_autoptr (NbStoreCertificate) b = create (f, make_run (f, NB_RUN_COMPLETE, FALSE));
  g_assert_cmpint (nb_store_sign_certificate (f->store, a->number, a->content_sha256, "tom",
                                              PASSWORD, NB_SIGN_PERFORMED, NULL, NULL, &error),
                   >, 0);
  const char *const tables[] = { "lab_settings", "users", "certificates", "certificate_records",
                                 "certificate_signatures" };
  for (gsize i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *upd = g_strdup_printf ("UPDATE %s SET id = id", tables[i]);
      g_autofree char *del = g_strdup_printf ("DELETE FROM %s", tables[i]);
      assert_refused (f->store, upd);
      assert_refused (f->store, del);
    }
  g_autoptr (NbStoreUser) tom = nb_store_get_user (f->store, "tom", &error);
  g_autoptr (NbStoreUser) ann = nb_store_get_user (f->store, "ann", &error);
  gint64 run = make_run (f, NB_RUN_COMPLETE, FALSE);
  /* a gap, a duplicate, a number that does not match its parts */
  g_autofree char *gap = g_strdup_printf (
      "INSERT INTO certificates (number, prefix, year, seq, run_id, kind, created_at, created_by)"
      " VALUES ('LAB-%d-000009', 'LAB', %d, 9, %" G_GINT64_FORMAT
      ", 'calibration-certificate', 1, 'x')",
      f->year, f->year, run);
  assert_refused (f->store, gap);
  g_autofree char *dup = g_strdup_printf (
      "INSERT INTO certificates (number, prefix, year, seq, run_id, kind, created_at, created_by)"
      " VALUES ('LAB-%d-000002', 'LAB', %d, 2, %" G_GINT64_FORMAT
      ", 'calibration-certificate', 1, 'x')",
      f->year, f->year, run);
  assert_refused (f->store, dup);
  g_autofree char *odd = g_strdup_printf (
      "INSERT INTO certificates (number, prefix, year, seq, run_id, kind, created_at, created_by)"
      " VALUES ('LAB-%d-3', 'LAB', %d, 3, %" G_GINT64_FORMAT ", 'calibration-certificate', 1, 'x')",
      f->year, f->year, run);
  assert_refused (f->store, odd);
  /* a signature carrying B's hash on A's record, and an approval by a technician */
  g_autofree char *moved = g_strdup_printf (
      "INSERT INTO certificate_signatures (certificate_id, record_id, content_sha256, user_id,"
      " user_name, display_name, role, meaning, at) VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
      ", '%s', %" G_GINT64_FORMAT ", 'ann', 'ann', 'approver',"
      " 'reviewed', 1)",
      a->id, a->record_id, b->content_sha256, ann->id);
  assert_refused (f->store, moved);
  g_autofree char *tech = g_strdup_printf (
      "INSERT INTO certificate_signatures (certificate_id, record_id, content_sha256, user_id,"
      " user_name, display_name, role, meaning, at) VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
      ", '%s', %" G_GINT64_FORMAT ", 'tom', 'tom', 'technician',"
      " 'approved', 1)",
      a->id, a->record_id, a->content_sha256, tom->id);
  assert_refused (f->store, tech);
  /* claiming to be an approver is not enough: the user record in force says who it is */
  g_autofree char *claim = g_strdup_printf (
      "INSERT INTO certificate_signatures (certificate_id, record_id, content_sha256, user_id,"
      " user_name, display_name, role, meaning, at) VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
      ", '%s', %" G_GINT64_FORMAT ", 'tom', 'tom', 'approver',"
      " 'approved', 1)",
      a->id, a->record_id, a->content_sha256, tom->id);
  assert_refused (f->store, claim);
  /* issuing without an approval */
  g_autofree char *unapproved = g_strdup_printf (
      "INSERT INTO certificate_records (certificate_id, revision, supersedes, status,"
      " content_sha256, document, issued_at, at, by) VALUES (%" G_GINT64_FORMAT
      ", 1, %" G_GINT64_FORMAT ", 'issued', '%s', '{}', 1, 1, 'x')",
      a->id, a->record_id, a->content_sha256);
  assert_refused (f->store, unapproved);
  /* a user without an Argon2id hash */
  assert_refused (f->store, "INSERT INTO users (name, display_name, role, password_hash, active,"
                            " changed_at, changed_by) VALUES ('mal', 'mal', 'approver',"
                            " 'plaintext', 1, 1, 'x')");
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM certificates"), ==, 2);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM certificate_signatures"), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn, data)                                                                        \
  g_test_add ("/store-certificates/" name, Fixture, data, fixture_set_up, fn, fixture_tear_down)
  ADD ("numbering", test_numbering, NULL);
  ADD ("no-lab", test_no_lab, GINT_TO_POINTER (1));
  ADD ("void-and-revision", test_void_and_revision, NULL);
  ADD ("users", test_users, NULL);
  ADD ("signatures", test_signatures, NULL);
  ADD ("triggers", test_triggers, NULL);
  return nb_test_run ();
}
