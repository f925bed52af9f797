/* nb-store-certificates.c: certificate numbers, records and signatures (see
 * nb-store-certificates.h; laboratory settings and users are in nb-store-users.c). */
#include "nb-store-certificates.h"

#include <stdlib.h>
#include <string.h>

#include "nb-audit-rows.h"
#include "nb-audit.h"
#include "nb-store-private.h"
#include "nb-store-standards.h"
#include "nb-store-voids.h"

static char *
column_text (NbStmt *stmt, int col)
{
  return g_strdup ((const char *) nb_stmt_column_text (stmt, col));
}

const char *
nb_store_cert_status_to_string (NbStoreCertStatus status)
{
  switch (status)
    {
    case NB_STORE_CERT_DRAFT: return "draft";
    case NB_STORE_CERT_ISSUED: return "issued";
    case NB_STORE_CERT_VOIDED: return "voided";
    default: return "unknown";
    }
}

const char *
nb_sign_meaning_to_string (NbSignMeaning meaning)
{
  switch (meaning)
    {
    case NB_SIGN_PERFORMED: return "performed";
    case NB_SIGN_REVIEWED: return "reviewed";
    case NB_SIGN_APPROVED: return "approved";
    default: return "unknown";
    }
}

gboolean
nb_sign_meaning_from_string (const char *name, NbSignMeaning *meaning)
{
  for (NbSignMeaning m = NB_SIGN_PERFORMED; m <= NB_SIGN_APPROVED; m++)
    if (g_strcmp0 (name, nb_sign_meaning_to_string (m)) == 0)
      {
        if (meaning != NULL)
          *meaning = m;
        return TRUE;
      }
  return FALSE;
}

static gboolean
check_sha256 (const char *hex, GError **error)
{
  gboolean ok = hex != NULL && strlen (hex) == 64;
  for (const char *c = hex; ok && *c; c++)
    ok = g_ascii_isdigit (*c) || (*c >= 'a' && *c <= 'f');
  if (!ok)
    g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                 "content hash: not 64 lowercase hex digits (SHA-256)");
  return ok;
}

/* --- reading --- */

/* the certificate and its newest record (ids only grow) */
#define CERT_SELECT                                                                                \
  "SELECT c.id, c.number, c.run_id, c.kind, c.created_at, c.created_by, r.id, r.revision,"         \
  " r.supersedes, r.status, r.reason, r.content_sha256, "
#define CERT_FROM                                                                                  \
  ", r.issued_at, r.at, r.by FROM certificates c JOIN certificate_records r"                       \
  " ON r.id = (SELECT max(id) FROM certificate_records x WHERE x.certificate_id = c.id)"
#define CERT_COLUMNS CERT_SELECT "r.document" CERT_FROM
#define CERT_COLUMNS_LIGHT CERT_SELECT "NULL" CERT_FROM

static NbStoreCertStatus
status_from_text (const char *text)
{
  if (g_strcmp0 (text, "issued") == 0)
    return NB_STORE_CERT_ISSUED;
  if (g_strcmp0 (text, "voided") == 0)
    return NB_STORE_CERT_VOIDED;
  return NB_STORE_CERT_DRAFT;
}

static NbStoreCertificate *
cert_from_row (NbStmt *stmt)
{
  NbStoreCertificate *c = g_new0 (NbStoreCertificate, 1);
  c->id = nb_stmt_column_int64 (stmt, 0);
  c->number = column_text (stmt, 1);
  c->run_id = nb_stmt_column_int64 (stmt, 2);
  c->kind = column_text (stmt, 3);
  c->created_at = nb_stmt_column_int64 (stmt, 4);
  c->created_by = column_text (stmt, 5);
  c->record_id = nb_stmt_column_int64 (stmt, 6);
  c->revision = (guint) nb_stmt_column_int64 (stmt, 7);
  c->supersedes = nb_stmt_column_int64 (stmt, 8);
  c->status = status_from_text ((const char *) nb_stmt_column_text (stmt, 9));
  c->reason = column_text (stmt, 10);
  c->content_sha256 = column_text (stmt, 11);
  c->document = column_text (stmt, 12);
  c->issued_at = nb_stmt_column_int64 (stmt, 13);
  c->at = nb_stmt_column_int64 (stmt, 14);
  c->by = column_text (stmt, 15);
  return c;
}

void
nb_store_certificate_free (NbStoreCertificate *cert)
{
  if (cert == NULL)
    return;
  g_free (cert->number);
  g_free (cert->kind);
  g_free (cert->created_by);
  g_free (cert->reason);
  g_free (cert->content_sha256);
  g_free (cert->document);
  g_free (cert->by);
  g_free (cert);
}

/* One certificate from @stmt (bound), NOT_FOUND with @missing when there is none. */
static NbStoreCertificate *
get_one (NbStore *store, NbStmt *stmt, const char *missing, GError **error)
{
  int rc = nb_stmt_step (stmt);
  NbStoreCertificate *c = rc == NB_DB_ROW ? cert_from_row (stmt) : NULL;
  nb_stmt_reset (stmt);
  if (rc == NB_DB_DONE)
    g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND, "%s in %s", missing, store->path);
  else if (rc != NB_DB_ROW)
    nb_store_set_error (store, error, rc, "Reading a certificate from");
  return c;
}

NbStoreCertificate *
nb_store_get_certificate (NbStore *store, const char *number, GError **error)
{
  g_return_val_if_fail (number != NULL, NULL);
  NbStmt *stmt = nb_store_stmt (store, CERT_COLUMNS " WHERE c.number = ?", error);
  if (stmt == NULL)
    return NULL;
  nb_store_bind_text (stmt, 1, number);
  g_autofree char *missing = g_strdup_printf ("No certificate %s", number);
  return get_one (store, stmt, missing, error);
}

NbStoreCertificate *
nb_store_get_run_certificate (NbStore *store, gint64 run_id, GError **error)
{
  NbStmt *stmt = nb_store_stmt (
      store, CERT_COLUMNS " WHERE c.run_id = ? AND r.status <> 'voided' ORDER BY c.id DESC LIMIT 1",
      error);
  if (stmt == NULL)
    return NULL;
  nb_stmt_bind_int64 (stmt, 1, run_id);
  g_autofree char *missing
      = g_strdup_printf ("No certificate (not voided) for run %" G_GINT64_FORMAT, run_id);
  return get_one (store, stmt, missing, error);
}

GPtrArray *
nb_store_list_certificates (NbStore *store, GError **error)
{
  NbStmt *stmt
      = nb_store_stmt (store, CERT_COLUMNS_LIGHT " ORDER BY c.prefix, c.year, c.seq", error);
  if (stmt == NULL)
    return NULL;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_store_certificate_free);
  int rc;
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    g_ptr_array_add (list, cert_from_row (stmt));
  nb_stmt_reset (stmt);
  if (rc != NB_DB_DONE)
    {
      nb_store_set_error (store, error, rc, "Reading the certificates from");
      g_ptr_array_unref (list);
      return NULL;
    }
  return list;
}

void
nb_store_signature_free (NbStoreSignature *sig)
{
  if (sig == NULL)
    return;
  g_free (sig->content_sha256);
  g_free (sig->user_name);
  g_free (sig->display_name);
  g_free (sig);
}

GPtrArray *
nb_store_list_signatures (NbStore *store, gint64 record_id, GError **error)
{
  NbStmt *stmt
      = nb_store_stmt (store,
                       "SELECT id, record_id, content_sha256, user_name, display_name, role,"
                       " meaning, at FROM certificate_signatures WHERE record_id = ? ORDER BY id",
                       error);
  if (stmt == NULL)
    return NULL;
  nb_stmt_bind_int64 (stmt, 1, record_id);
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_store_signature_free);
  int rc;
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    {
      NbStoreSignature *s = g_new0 (NbStoreSignature, 1);
      s->id = nb_stmt_column_int64 (stmt, 0);
      s->record_id = nb_stmt_column_int64 (stmt, 1);
      s->content_sha256 = column_text (stmt, 2);
      s->user_name = column_text (stmt, 3);
      s->display_name = column_text (stmt, 4);
      (void) nb_user_role_from_string ((const char *) nb_stmt_column_text (stmt, 5), &s->role);
      (void) nb_sign_meaning_from_string ((const char *) nb_stmt_column_text (stmt, 6),
                                          &s->meaning);
      s->at = nb_stmt_column_int64 (stmt, 7);
      g_ptr_array_add (list, s);
    }
  nb_stmt_reset (stmt);
  if (rc != NB_DB_DONE)
    {
      nb_store_set_error (store, error, rc, "Reading signatures from");
      g_ptr_array_unref (list);
      return NULL;
    }
  return list;
}

GPtrArray *
nb_store_certificate_signatures (NbStore *store, const NbStoreCertificate *cert, GError **error)
{
  /* issued or voided from a draft: the signatures are the draft's (the record it supersedes;
   * a void of an issued record goes back one more) */
  gint64 record = cert->record_id;
  if (cert->status != NB_STORE_CERT_DRAFT)
    {
      NbStmt *stmt = nb_store_stmt (
          store,
          "SELECT max(id) FROM certificate_records WHERE certificate_id = ? AND revision = ?"
          " AND status = 'draft'",
          error);
      if (stmt == NULL)
        return NULL;
      nb_stmt_bind_int64 (stmt, 1, cert->id);
      nb_stmt_bind_int64 (stmt, 2, cert->revision);
      int rc = nb_stmt_step (stmt);
      record = rc == NB_DB_ROW ? nb_stmt_column_int64 (stmt, 0) : 0;
      nb_stmt_reset (stmt);
      if (rc != NB_DB_ROW)
        {
          nb_store_set_error (store, error, rc, "Reading a certificate from");
          return NULL;
        }
    }
  return nb_store_list_signatures (store, record, error);
}

/* --- writing --- */

/* The test hook of the kill test (nb-store-certificates.h). */
static void
test_delay (void)
{
  const char *ms = g_getenv (NB_TEST_CERTIFICATE_DELAY_ENV);
  if (ms != NULL)
    g_usleep ((gulong) strtoul (ms, NULL, 10) * 1000);
}

static gint64
insert_record (NbStore *store, gint64 certificate_id, guint revision, gint64 supersedes,
               const char *status, const char *reason, const char *content_sha256,
               const char *document, gint64 issued_at, const char *actor, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store,
                                "INSERT INTO certificate_records (certificate_id, revision,"
                                " supersedes, status, reason, content_sha256, document,"
                                " issued_at, at, by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return 0;
  nb_stmt_bind_int64 (stmt, 1, certificate_id);
  nb_stmt_bind_int64 (stmt, 2, revision);
  if (supersedes != 0)
    nb_stmt_bind_int64 (stmt, 3, supersedes);
  nb_store_bind_text (stmt, 4, status);
  nb_store_bind_text (stmt, 5, reason);
  nb_store_bind_text (stmt, 6, content_sha256);
  nb_store_bind_text (stmt, 7, document);
  if (issued_at != 0)
    nb_stmt_bind_int64 (stmt, 8, issued_at);
  nb_stmt_bind_int64 (stmt, 9, g_get_real_time ());
  nb_store_bind_text (stmt, 10, actor);
  if (!nb_store_step_done (store, stmt, "Recording a certificate in", error))
    return 0;
  return nb_db_last_insert_id (store->db);
}

/* Inside the transaction: the run must be complete and traceable, without a live certificate. */
static gboolean
check_run (NbStore *store, gint64 run_id, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store, "SELECT status, traceable FROM runs WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  nb_stmt_bind_int64 (stmt, 1, run_id);
  int rc = nb_stmt_step (stmt);
  g_autofree char *status = rc == NB_DB_ROW ? column_text (stmt, 0) : NULL;
  gboolean traceable = rc == NB_DB_ROW && nb_stmt_column_int (stmt, 1) != 0;
  nb_stmt_reset (stmt);
  if (rc == NB_DB_DONE)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND,
                   "No run %" G_GINT64_FORMAT " in %s", run_id, store->path);
      return FALSE;
    }
  if (rc != NB_DB_ROW)
    {
      nb_store_set_error (store, error, rc, "Reading a run from");
      return FALSE;
    }
  if (g_strcmp0 (status, "complete") != 0)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "run %" G_GINT64_FORMAT " did not complete (%s): it cannot be certified", run_id,
                   status);
      return FALSE;
    }
  if (!traceable)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "run %" G_GINT64_FORMAT " is not traceable: it gets a verification report, "
                   "never a certificate number",
                   run_id);
      return FALSE;
    }
  g_autoptr (GError) local = NULL;
  g_autoptr (NbStoreVoid) voided = nb_store_get_void (store, NB_STORE_VOID_RUN, run_id, &local);
  if (voided != NULL || local != NULL)
    {
      if (voided != NULL)
        g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                     "run %" G_GINT64_FORMAT " was voided (%s): it cannot be certified", run_id,
                     voided->reason);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_autoptr (NbStoreCertificate) existing = nb_store_get_run_certificate (store, run_id, &local);
  if (existing != NULL)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_EXISTS,
                   "run %" G_GINT64_FORMAT " has certificate %s already", run_id, existing->number);
      return FALSE;
    }
  if (!g_error_matches (local, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

/* Inside the transaction: the next sequence number of @prefix in @year, the previous maximum + 1
 * (the schema's trigger checks the same, so no other writer can leave a gap). */
static gint64
next_seq (NbStore *store, const char *prefix, int year, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store,
                                "SELECT coalesce(max(seq), 0) + 1 FROM certificates"
                                " WHERE prefix = ? AND year = ?",
                                error);
  if (stmt == NULL)
    return 0;
  nb_store_bind_text (stmt, 1, prefix);
  nb_stmt_bind_int (stmt, 2, year);
  int rc = nb_stmt_step (stmt);
  gint64 seq = rc == NB_DB_ROW ? nb_stmt_column_int64 (stmt, 0) : 0;
  nb_stmt_reset (stmt);
  if (rc != NB_DB_ROW)
    nb_store_set_error (store, error, rc, "Numbering a certificate in");
  else if (seq > 999999)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_FULL,
                   "certificate numbers of %s-%d are used up (999999): set another prefix", prefix,
                   year);
      seq = 0;
    }
  return seq;
}

NbStoreCertificate *
nb_store_create_certificate (NbStore *store, gint64 run_id, NbStoreCertificateBuildFunc build,
                             gpointer user_data, const char *actor, GError **error)
{
  g_return_val_if_fail (build != NULL, NULL);
  if (!nb_store_standard_check_text ("created by", actor, FALSE, NB_USER_NAME_MAX, error))
    return NULL;
  if (actor == NULL)
    actor = g_get_user_name ();
  g_autoptr (NbStoreLab) lab = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  int year = g_date_time_get_year (now);
  g_autofree char *number = NULL, *document = NULL, *hash = NULL, *subject = NULL;
  g_autofree char *detail = NULL, *covers = NULL;
  gint64 seq, id, record;

  /* IMMEDIATE: the number is read and taken under one write lock, with the record */
  if (!nb_store_begin (store, error))
    return NULL;
  if (!check_run (store, run_id, error) || (lab = nb_store_get_lab (store, error)) == NULL
      || (seq = next_seq (store, lab->prefix, year, error)) == 0)
    goto fail;
  number = g_strdup_printf ("%s-%04d-%06" G_GINT64_FORMAT, lab->prefix, year, seq);
  document = build (number, &hash, user_data, error);
  if (document == NULL)
    goto fail;
  if (!check_sha256 (hash, error))
    goto fail;
  NbStmt *stmt = nb_store_stmt (store,
                                "INSERT INTO certificates (number, prefix, year, seq, run_id,"
                                " kind, created_at, created_by)"
                                " VALUES (?, ?, ?, ?, ?, 'calibration-certificate', ?, ?)",
                                error);
  if (stmt == NULL)
    goto fail;
  nb_store_bind_text (stmt, 1, number);
  nb_store_bind_text (stmt, 2, lab->prefix);
  nb_stmt_bind_int (stmt, 3, year);
  nb_stmt_bind_int64 (stmt, 4, seq);
  nb_stmt_bind_int64 (stmt, 5, run_id);
  nb_stmt_bind_int64 (stmt, 6, g_date_time_to_unix (now) * G_USEC_PER_SEC);
  nb_store_bind_text (stmt, 7, actor);
  if (!nb_store_step_done (store, stmt, "Numbering a certificate in", error))
    goto fail;
  id = nb_db_last_insert_id (store->db);
  test_delay ();
  record = insert_record (store, id, 1, 0, "draft", NULL, hash, document, 0, actor, error);
  if (record == 0)
    goto fail;
  subject = g_strdup_printf ("certificate:%s", number);
  detail = g_strdup_printf ("certificate=%" G_GINT64_FORMAT " record=%" G_GINT64_FORMAT
                            " run=%" G_GINT64_FORMAT " revision=1 status=draft content_sha256=%s",
                            id, record, run_id, hash);
  covers = g_strdup_printf ("certificates:%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT
                            " certificate_records:%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT,
                            id, id, record, record);
  if (!nb_audit_append_rows (store, actor, "certificate.create", subject, detail, covers,
                             NB_AUDIT_CHECKPOINT, error))
    goto fail;
  test_delay ();
  if (!nb_store_commit (store, error))
    goto fail;
  return nb_store_get_certificate (store, number, error);

fail:
  nb_store_rollback (store);
  return NULL;
}

/* Inside the transaction: @number's certificate, which must not be voided. */
static NbStoreCertificate *
get_open (NbStore *store, const char *number, GError **error)
{
  NbStoreCertificate *c = nb_store_get_certificate (store, number, error);
  if (c != NULL && c->status == NB_STORE_CERT_VOIDED)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID, "certificate %s was voided (%s)",
                   number, c->reason);
      nb_store_certificate_free (c);
      return NULL;
    }
  return c;
}

gint64
nb_store_revise_certificate (NbStore *store, const char *number, const char *document,
                             const char *content_sha256, const char *reason, const char *actor,
                             GError **error)
{
  g_return_val_if_fail (number != NULL && document != NULL, 0);
  if (!check_sha256 (content_sha256, error)
      || !nb_store_standard_check_text ("reason", reason, TRUE, NB_CERTIFICATE_REASON_MAX, error)
      || !nb_store_standard_check_text ("revised by", actor, FALSE, NB_USER_NAME_MAX, error))
    return 0;
  if (actor == NULL)
    actor = g_get_user_name ();
  g_autoptr (NbStoreCertificate) cert = NULL;
  g_autofree char *subject = g_strdup_printf ("certificate:%s", number), *detail = NULL;
  g_autofree char *covers = NULL;
  gint64 record = 0;

  if (!nb_store_begin (store, error))
    return 0;
  if ((cert = get_open (store, number, error)) == NULL)
    goto fail;
  record = insert_record (store, cert->id, cert->revision + 1, cert->record_id, "draft", NULL,
                          content_sha256, document, 0, actor, error);
  if (record == 0)
    goto fail;
  detail = g_strdup_printf ("record=%" G_GINT64_FORMAT " revision=%u supersedes=%" G_GINT64_FORMAT
                            " status=draft content_sha256=%s reason=%s",
                            record, cert->revision + 1, cert->record_id, content_sha256, reason);
  covers = nb_audit_covers_range ("certificate_records", record, record);
  if (!nb_audit_append_rows (store, actor, "certificate.revise", subject, detail, covers,
                             NB_AUDIT_CHECKPOINT, error)
      || !nb_store_commit (store, error))
    goto fail;
  return record;

fail:
  nb_store_rollback (store);
  return 0;
}

gint64
nb_store_void_certificate (NbStore *store, const char *number, const char *reason,
                           const char *actor, GError **error)
{
  g_return_val_if_fail (number != NULL, 0);
  if (!nb_store_standard_check_text ("reason", reason, TRUE, NB_CERTIFICATE_REASON_MAX, error)
      || !nb_store_standard_check_text ("voided by", actor, FALSE, NB_USER_NAME_MAX, error))
    return 0;
  if (actor == NULL)
    actor = g_get_user_name ();
  g_autoptr (NbStoreCertificate) cert = NULL;
  g_autofree char *subject = g_strdup_printf ("certificate:%s", number), *detail = NULL;
  g_autofree char *covers = NULL;
  gint64 record = 0;

  if (!nb_store_begin (store, error))
    return 0;
  if ((cert = get_open (store, number, error)) == NULL)
    goto fail;
  /* the voided record keeps the document and hash it voids, so it says what was withdrawn */
  record = insert_record (store, cert->id, cert->revision, cert->record_id, "voided", reason,
                          cert->content_sha256, cert->document, cert->issued_at, actor, error);
  if (record == 0)
    goto fail;
  detail = g_strdup_printf ("record=%" G_GINT64_FORMAT " revision=%u supersedes=%" G_GINT64_FORMAT
                            " status=voided reason=%s",
                            record, cert->revision, cert->record_id, reason);
  covers = nb_audit_covers_range ("certificate_records", record, record);
  if (!nb_audit_append_rows (store, actor, "certificate.void", subject, detail, covers,
                             NB_AUDIT_CHECKPOINT, error)
      || !nb_store_commit (store, error))
    goto fail;
  return record;

fail:
  nb_store_rollback (store);
  return 0;
}

static gint64
insert_signature (NbStore *store, const NbStoreCertificate *cert, const char *content_sha256,
                  const NbStoreUser *user, NbSignMeaning meaning, GError **error)
{
  NbStmt *stmt
      = nb_store_stmt (store,
                       "INSERT INTO certificate_signatures (certificate_id, record_id,"
                       " content_sha256, user_id, user_name, display_name, role, meaning, at)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       error);
  if (stmt == NULL)
    return 0;
  nb_stmt_bind_int64 (stmt, 1, cert->id);
  nb_stmt_bind_int64 (stmt, 2, cert->record_id);
  nb_store_bind_text (stmt, 3, content_sha256);
  nb_stmt_bind_int64 (stmt, 4, user->id);
  nb_store_bind_text (stmt, 5, user->name);
  nb_store_bind_text (stmt, 6, user->display_name);
  nb_store_bind_text (stmt, 7, nb_user_role_to_string (user->role));
  nb_store_bind_text (stmt, 8, nb_sign_meaning_to_string (meaning));
  nb_stmt_bind_int64 (stmt, 9, g_get_real_time ());
  if (!nb_store_step_done (store, stmt, "Recording a signature in", error))
    return 0;
  return nb_db_last_insert_id (store->db);
}

/* Inside the transaction, after the approval: the issued record. */
static gboolean
issue (NbStore *store, const NbStoreCertificate *cert, NbStoreCertificateIssueFunc func,
       gpointer user_data, const char *actor, GError **error)
{
  g_autoptr (GPtrArray) sigs = nb_store_list_signatures (store, cert->record_id, error);
  if (sigs == NULL)
    return FALSE;
  gint64 issued_at = g_get_real_time ();
  g_autofree char *hash = NULL;
  g_autofree char *document = func (cert, sigs, issued_at, &hash, user_data, error);
  if (document == NULL || !check_sha256 (hash, error))
    return FALSE;
  gint64 record = insert_record (store, cert->id, cert->revision, cert->record_id, "issued", NULL,
                                 hash, document, issued_at, actor, error);
  if (record == 0)
    return FALSE;
  g_autofree char *subject = g_strdup_printf ("certificate:%s", cert->number);
  g_autofree char *detail
      = g_strdup_printf ("record=%" G_GINT64_FORMAT " revision=%u supersedes=%" G_GINT64_FORMAT
                         " status=issued content_sha256=%s signatures=%u",
                         record, cert->revision, cert->record_id, hash, sigs->len);
  g_autofree char *covers = nb_audit_covers_range ("certificate_records", record, record);
  return nb_audit_append_rows (store, actor, "certificate.issue", subject, detail, covers,
                               NB_AUDIT_CHECKPOINT, error);
}

gint64
nb_store_sign_certificate (NbStore *store, const char *number, const char *content_sha256,
                           const char *user_name, const char *password, NbSignMeaning meaning,
                           NbStoreCertificateIssueFunc issue_func, gpointer user_data,
                           GError **error)
{
  g_return_val_if_fail (number != NULL && user_name != NULL, 0);
  g_return_val_if_fail (meaning != NB_SIGN_APPROVED || issue_func != NULL, 0);
  if (!check_sha256 (content_sha256, error))
    return 0;
  g_autofree char *subject = g_strdup_printf ("certificate:%s", number), *detail = NULL;
  g_autofree char *covers = NULL;

  /* the password is checked before the write lock: Argon2id takes a while on purpose */
  g_autoptr (NbStoreUser) user = nb_store_get_user (store, user_name, error);
  if (user == NULL)
    return 0;
  g_autoptr (GError) denied = NULL;
  if (!nb_store_user_verify_password (user, password, &denied))
    {
      /* a refused attempt is on the record too (21 CFR 11.300(d)); the refusal stands whether
       * or not that can be written */
      g_autofree char *what = g_strdup_printf ("meaning=%s refused=wrong-password",
                                               nb_sign_meaning_to_string (meaning));
      if (!nb_audit_append (store, user_name, "certificate.sign-refused", subject, what, NULL))
        g_debug ("the refused signature of %s could not be audited", user_name);
      g_propagate_error (error, g_steal_pointer (&denied));
      return 0;
    }
  if (!user->active)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_DENIED, "user %s is not active",
                   user_name);
      return 0;
    }
  if (meaning == NB_SIGN_APPROVED && user->role != NB_USER_APPROVER)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_DENIED,
                   "user %s is %s %s: only an approver may approve a certificate", user_name,
                   user->role == NB_USER_OPERATOR ? "an" : "a",
                   nb_user_role_to_string (user->role));
      return 0;
    }

  g_autoptr (NbStoreCertificate) cert = NULL;
  g_autoptr (NbStoreUser) now = NULL;
  gint64 sig = 0;
  if (!nb_store_begin (store, error))
    return 0;
  /* the user may have changed between the check and the lock: sign as the record checked */
  if ((now = nb_store_get_user (store, user_name, error)) == NULL)
    goto fail;
  if (now->id != user->id)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_DENIED,
                   "user %s changed while signing: sign again", user_name);
      goto fail;
    }
  if ((cert = get_open (store, number, error)) == NULL)
    goto fail;
  if (cert->status != NB_STORE_CERT_DRAFT)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "certificate %s is %s: only a draft is signed (a correction is a new "
                   "revision)",
                   number, nb_store_cert_status_to_string (cert->status));
      goto fail;
    }
  if (strcmp (content_sha256, cert->content_sha256) != 0)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CONSTRAINT,
                   "the content hash %s is not certificate %s's (%s): a signature binds to the "
                   "record it signs",
                   content_sha256, number, cert->content_sha256);
      goto fail;
    }
  sig = insert_signature (store, cert, content_sha256, user, meaning, error);
  if (sig == 0)
    goto fail;
  detail
      = g_strdup_printf ("signature=%" G_GINT64_FORMAT " record=%" G_GINT64_FORMAT
                         " meaning=%s role=%s display_name=%s content_sha256=%s",
                         sig, cert->record_id, nb_sign_meaning_to_string (meaning),
                         nb_user_role_to_string (user->role), user->display_name, content_sha256);
  covers = nb_audit_covers_range ("certificate_signatures", sig, sig);
  if (!nb_audit_append_rows (store, user_name, "certificate.sign", subject, detail, covers,
                             NB_AUDIT_CHECKPOINT, error))
    goto fail;
  if (meaning == NB_SIGN_APPROVED && !issue (store, cert, issue_func, user_data, user_name, error))
    goto fail;
  if (!nb_store_commit (store, error))
    goto fail;
  return sig;

fail:
  nb_store_rollback (store);
  return 0;
}
