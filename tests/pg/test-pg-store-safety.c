/* test-pg-store-safety.c: the store on PostgreSQL when things go wrong (issue 13 §1):
 * tampering by the server's superuser, benches writing at once, credentials and addresses that
 * do not work, a newer or foreign database, a connection the server dropped. Run through
 * pg-run.sh (NB_PG_URI); without it the test fails. */
#include "nb-audit-verify.h"
#include "pg-store-test.h"

#include <glib/gstdio.h>

static gboolean
has_finding (NbAuditReport *report, NbAuditFindingKind kind, const char *text)
{
  for (guint i = 0; i < report->findings->len; i++)
    {
      const NbAuditFinding *f = report->findings->pdata[i];
      if (f->kind == kind && (text == NULL || strstr (f->message, text) != NULL))
        return TRUE;
    }
  return FALSE;
}

/* Tampering by the server's superuser: a row changed with its trigger disabled is found by
 * audit verify; a disabled or dropped trigger makes the store refuse to open for writing and
 * names it, while a read-only open still works to investigate. */
static void
test_tamper (void)
{
  GError *error = NULL;
  g_autofree char *uri = fresh_db ("nb_tamper");
  {
    g_autoptr (NbStore) store = open_at (uri);
    NbStoreSessionParams sp = { .pen_serial = "T-1", .sample_rate_hz = 1000 };
    gint64 id = nb_store_begin_session (store, &sp, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < 3; i++)
      {
        NbStoreStroke st = make_stroke (i);
        g_assert_true (nb_store_add_stroke (store, id, &st, &error));
      }
    g_assert_true (nb_store_close_session (store, id, NB_SESSION_COMPLETE, NULL, &error));
    g_autoptr (NbAuditReport) clean = nb_audit_verify_report (store, NULL, &error);
    g_assert_no_error (error);
    g_assert_false (has_finding (clean, NB_AUDIT_FINDING_CONTENT, NULL));
    g_assert_false (has_finding (clean, NB_AUDIT_FINDING_SCHEMA, NULL));
  }
  g_autofree char *msg = NULL;
  /* a function that is no trigger's is no finding */
  g_assert_true (superuser_exec_on (uri,
                                    "CREATE FUNCTION dba_helper () RETURNS integer"
                                    " LANGUAGE sql AS 'SELECT 1'",
                                    &msg));
  nb_store_close (open_at (uri));
  g_assert_true (superuser_exec_on (uri,
                                    "ALTER TABLE strokes DISABLE TRIGGER strokes_no_update;"
                                    " UPDATE strokes SET depth_mm = 0.5 WHERE idx = 1;",
                                    &msg));
  /* the disabled trigger: refused for writing, by name */
  g_assert_null (nb_store_open (uri, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "strokes_no_update"));
  g_clear_error (&error);
  {
    g_autoptr (NbStore) ro = nb_store_open_full (uri, NB_STORE_OPEN_READ_ONLY, &error);
    g_assert_no_error (error);
    g_autoptr (NbAuditReport) report = nb_audit_verify_report (ro, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (has_finding (report, NB_AUDIT_FINDING_CONTENT, "strokes"));
    g_assert_true (has_finding (report, NB_AUDIT_FINDING_SCHEMA, "strokes_no_update"));
    /* read-only: writing is refused */
    g_assert_false (nb_store_exec (ro,
                                   "INSERT INTO pens (serial, first_seen, last_seen)"
                                   " VALUES ('x', 1, 1)",
                                   &error));
    g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_READ_ONLY);
    g_clear_error (&error);
  }
  /* enabled again, then dropped; then an altered trigger function */
  g_assert_true (superuser_exec_on (uri,
                                    "ALTER TABLE strokes ENABLE TRIGGER strokes_no_update;"
                                    " DROP TRIGGER events_no_delete ON events",
                                    &msg));
  g_assert_null (nb_store_open (uri, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "events_no_delete"));
  g_assert_nonnull (strstr (error->message, "missing"));
  g_clear_error (&error);
  g_assert_true (superuser_exec_on (uri,
                                    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
                                    " FOR EACH ROW EXECUTE FUNCTION"
                                    " nb_refuse('events are append-only: DELETE rejected');"
                                    " CREATE OR REPLACE FUNCTION strokes_open_session()"
                                    " RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW;"
                                    " END$$",
                                    &msg));
  g_assert_null (nb_store_open (uri, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "strokes_open_session"));
  g_clear_error (&error);
}

typedef struct
{
  const char *uri;
  int n;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;
  GError *error = NULL;
  g_autoptr (NbStore) store = nb_store_open (w->uri, &error);
  g_assert_no_error (error);
  for (int i = 0; i < w->n; i++)
    {
      NbStoreSessionParams sp = { .pen_serial = "CW", .sample_rate_hz = 1000 };
      gint64 id = nb_store_begin_session (store, &sp, &error);
      g_assert_no_error (error);
      g_assert_true (nb_store_begin (store, &error));
      for (guint k = 0; k < 5; k++)
        {
          NbStoreStroke st = make_stroke (k);
          g_assert_true (nb_store_add_stroke (store, id, &st, &error));
        }
      g_assert_true (nb_store_commit (store, &error));
      g_assert_true (nb_store_close_session (store, id, NB_SESSION_COMPLETE, NULL, &error));
      g_assert_no_error (error);
    }
  return NULL;
}

/* Benches writing into one database at once (each its own connection, and two of them creating
 * the schema of the empty database together): the schema is made once, every audit entry follows
 * the one before, and verify finds nothing but the missing signatures. */
static void
test_concurrent_writers (void)
{
  GError *error = NULL;
  g_autofree char *uri = fresh_db ("nb_concurrent");
  Writer w = { uri, 8 };
  GThread *threads[3];
  for (int i = 0; i < 3; i++)
    threads[i] = g_thread_new ("writer", writer_thread, &w);
  for (int i = 0; i < 3; i++)
    g_thread_join (threads[i]);
  g_autoptr (NbStore) store = open_at (uri);
  g_assert_cmpint (count (store, "SELECT count(*) FROM sessions"), ==, 24);
  g_assert_cmpint (count (store, "SELECT count(*) FROM strokes"), ==, 120);
  g_assert_cmpint (count (store, "SELECT count(*) FROM store_identity"), ==, 1);
  g_autoptr (NbAuditReport) report = nb_audit_verify_report (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->first_broken, ==, 0);
  for (guint i = 0; i < report->findings->len; i++)
    {
      const NbAuditFinding *f = report->findings->pdata[i];
      if (f->kind != NB_AUDIT_FINDING_UNSIGNED)
        g_error ("audit finding (%s): %s", nb_audit_finding_kind_to_string (f->kind), f->message);
    }
  g_assert_cmpint (report->rows, >=, 24 + 120);
}

/* A password in the URI is refused before connecting, and the message does not repeat it. */
static void
test_password_refused (void)
{
  GError *error = NULL;
  const char *q = strchr (pg_uri (), '?');
  g_autofree char *uri = g_strdup_printf ("postgresql://nbtest:s3cr3t-pw@/nbtest%s", q);
  g_assert_null (nb_store_open (uri, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == NB_STORE_ERROR);
  g_assert_nonnull (strstr (error->message, "password"));
  g_assert_null (strstr (error->message, "s3cr3t-pw"));
  g_clear_error (&error);
  g_autofree char *kv = g_strdup_printf ("%s&password=s3cr3t-pw", pg_uri ());
  g_assert_null (nb_store_open (kv, &error));
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, "s3cr3t-pw"));
  g_clear_error (&error);
}

/* The server says no: an unknown role is NB_STORE_ERROR_DENIED, an unknown database
 * NB_STORE_ERROR_NOT_FOUND, a database of a newer NeedleBench NB_STORE_ERROR_SCHEMA (it is not
 * touched), an empty database opened read-only NB_STORE_ERROR_READ_ONLY (nothing created). */
static void
test_refusals (void)
{
  GError *error = NULL;
  const char *q = strchr (pg_uri (), '?');
  g_autofree char *nobody = g_strdup_printf ("postgresql:///nbtest%s", q);
  char *user = strstr (nobody, "user=nbtest");
  g_assert_nonnull (user);
  memcpy (user, "user=nobody", strlen ("user=nobody"));
  g_assert_null (nb_store_open (nobody, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_DENIED);
  g_assert_nonnull (strstr (error->message, "credentials"));
  g_clear_error (&error);

  g_autofree char *missing = g_strdup_printf ("postgresql:///no_such_db%s", q);
  g_assert_null (nb_store_open (missing, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_autofree char *empty = fresh_db ("nb_empty");
  g_assert_null (nb_store_open_full (empty, NB_STORE_OPEN_READ_ONLY, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_autofree char *msg = NULL;
  g_assert_true (superuser_exec_on (empty, "SELECT 1", &msg));
  g_assert_false (superuser_exec_on (empty, "SELECT * FROM audit", &msg)); /* nothing made */

  g_autofree char *foreign = fresh_db ("nb_foreign");
  g_assert_true (superuser_exec_on (foreign, "CREATE TABLE orders (id integer)", &msg));
  g_assert_null (nb_store_open (foreign, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "not NeedleBench's"));
  g_clear_error (&error);
  g_assert_false (superuser_exec_on (foreign, "SELECT * FROM audit", &msg)); /* nothing made */

  /* ... where a schema of its own is the way */
  g_assert_true (superuser_exec_on (foreign, "CREATE SCHEMA bench", &msg));
  g_autofree char *in_schema = g_strconcat (foreign, "&options=-csearch_path%3Dbench", NULL);
  nb_store_close (open_at (in_schema));
  g_autoptr (NbStore) reopened = open_at (in_schema); /* and its schema check passes */
  g_assert_true (superuser_exec_on (foreign, "SELECT count(*) FROM bench.audit", &msg));
  g_clear_pointer (&reopened, nb_store_close);

  g_autofree char *newer = fresh_db ("nb_newer");
  nb_store_close (open_at (newer));
  g_assert_true (superuser_exec_on (newer, "UPDATE schema_version SET version = 99", &msg));
  g_assert_null (nb_store_open (newer, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "newer"));
  g_clear_error (&error);
  g_assert_null (nb_store_open_full (newer, NB_STORE_OPEN_READ_ONLY, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_SCHEMA);
  g_clear_error (&error);
}

/* the server drops every connection of NeedleBench (as a restart would) */
static void
drop_connections (const char *uri)
{
  g_autofree char *msg = NULL;
  g_assert_true (superuser_exec_on (uri,
                                    "SELECT pg_terminate_backend (pid) FROM pg_stat_activity"
                                    " WHERE application_name = 'needlebench'"
                                    " AND pid <> pg_backend_pid ()",
                                    &msg));
  g_usleep (100000);
}

/* A connection the server dropped: the command that meets it fails NB_STORE_ERROR_OFFLINE, the
 * next one connects again (a read-only store stays read-only); inside a transaction the rest of
 * the transaction fails OFFLINE until it is rolled back, so nothing of it is committed alone. */
static void
test_reconnect (void)
{
  GError *error = NULL;
  g_autofree char *uri = fresh_db ("nb_reconnect");
  g_autoptr (NbStore) store = open_at (uri);
  g_autoptr (NbStore) ro = nb_store_open_full (uri, NB_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  NbStoreSessionParams sp = { .pen_serial = "RC-1", .sample_rate_hz = 1000 };
  gint64 id = nb_store_begin_session (store, &sp, &error);
  g_assert_no_error (error);

  drop_connections (uri);
  g_autoptr (GPtrArray) none = nb_store_list_sessions (store, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_OFFLINE);
  g_clear_error (&error);
  g_autoptr (GPtrArray) list = nb_store_list_sessions (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);

  g_autoptr (GPtrArray) ro_none = nb_store_list_sessions (ro, NULL, &error);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_OFFLINE);
  g_clear_error (&error);
  g_assert_false (nb_store_exec (ro, "UPDATE pens SET model = 'x'", &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);

  /* lost inside a transaction: the strokes after it are not written on their own */
  g_assert_true (nb_store_begin (store, &error));
  NbStoreStroke st = make_stroke (0);
  g_assert_true (nb_store_add_stroke (store, id, &st, &error));
  drop_connections (uri);
  st = make_stroke (1);
  g_assert_false (nb_store_add_stroke (store, id, &st, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_OFFLINE);
  g_clear_error (&error);
  st = make_stroke (2);
  g_assert_false (nb_store_add_stroke (store, id, &st, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_OFFLINE);
  g_clear_error (&error);
  g_assert_false (nb_store_commit (store, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_OFFLINE);
  g_clear_error (&error);
  nb_store_rollback (store);
  g_assert_cmpint (nb_store_count_strokes (store, id, &error), ==, 0);
  g_assert_no_error (error);
  st = make_stroke (3);
  g_assert_true (nb_store_add_stroke (store, id, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpint (nb_store_count_strokes (store, id, &error), ==, 1);
}

/* A role that may only read (no CREATE on the database, SELECT on the tables): reading works
 * read-only; opening for writing says what the role lacks. */
static void
test_reader_role (void)
{
  GError *error = NULL;
  g_autofree char *uri = fresh_db ("nb_roles");
  nb_store_close (open_at (uri));
  g_autofree char *msg = NULL;
  g_assert_true (superuser_exec_on (uri,
                                    "CREATE ROLE nb_reader LOGIN;"
                                    " GRANT USAGE ON SCHEMA public TO nb_reader;"
                                    " GRANT SELECT ON ALL TABLES IN SCHEMA public TO nb_reader",
                                    &msg));
  char *user = strstr (uri, "user=nbtest");
  g_assert_nonnull (user);
  g_autofree char *reader = g_strdup_printf ("%.*suser=nb_reader%s", (int) (user - uri), uri,
                                             user + strlen ("user=nbtest"));
  g_autoptr (NbStore) ro = nb_store_open_full (reader, NB_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_autoptr (GPtrArray) list = nb_store_list_sessions (ro, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  /* for writing: refused at the schema check when this process has not built the expected
   * schema yet (it needs CREATE), else at the first write (the check passed, from the cache) */
  g_autoptr (NbStore) rw = nb_store_open (reader, &error);
  if (rw == NULL)
    {
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, "needs CREATE"));
      g_clear_error (&error);
      return;
    }
  g_assert_no_error (error);
  NbStoreSessionParams sp = { .pen_serial = "R-1", .sample_rate_hz = 1000 };
  g_assert_cmpint (nb_store_begin_session (rw, &sp, &error), ==, 0);
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
}

/* No server at the address: NB_STORE_ERROR_OFFLINE, quickly. */
static void
test_offline (void)
{
  GError *error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("nb-pg-none-XXXXXX", NULL);
  g_autofree char *uri = g_strdup_printf ("postgresql:///nbtest?host=%s&port=5999", dir);
  gint64 t0 = g_get_monotonic_time ();
  g_assert_null (nb_store_open (uri, &error));
  g_assert_error (error, NB_STORE_ERROR, NB_STORE_ERROR_OFFLINE);
  g_assert_nonnull (strstr (error->message, "reach"));
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 5 * G_USEC_PER_SEC);
  g_clear_error (&error);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  char *home = pg_test_home_new ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pg-store/tamper", test_tamper);
  g_test_add_func ("/pg-store/concurrent-writers", test_concurrent_writers);
  g_test_add_func ("/pg-store/password-refused", test_password_refused);
  g_test_add_func ("/pg-store/offline", test_offline);
  g_test_add_func ("/pg-store/refusals", test_refusals);
  g_test_add_func ("/pg-store/reconnect", test_reconnect);
  g_test_add_func ("/pg-store/reader-role", test_reader_role);
  return pg_test_run (home);
}
