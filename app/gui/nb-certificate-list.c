/* nb-certificate-list.c: what the Certificates page reads, in GTask workers: the certificates
 * with their signatures, verifying one, pens due and reference standards (nb-certificates.h). */
#include <inttypes.h>
#include <glib/gi18n.h>
#include "nb-fleet-link.h"
#include "nb-certificates.h"

#include "nb-certificate.h"
#include "nb-lab-key.h"

static void
entry_free (NbCertificateEntry *e)
{
  nb_store_certificate_free (e->cert);
  g_free (e->pen_serial);
  g_clear_pointer (&e->signatures, g_ptr_array_unref);
  g_free (e);
}

void
nb_certificate_list_free (NbCertificateList *list)
{
  if (list == NULL)
    return;
  g_clear_pointer (&list->certificates, g_ptr_array_unref);
  g_clear_pointer (&list->pens, g_ptr_array_unref);
  g_clear_pointer (&list->standards, g_ptr_array_unref);
  g_free (list);
}

static char *
path_or_default (const char *db_path)
{
  return db_path && *db_path ? g_strdup (db_path) : nb_store_get_default_path ();
}

static gboolean
read_list (NbStore *store, NbCertificateList *list, GError **error)
{
  g_autoptr (GPtrArray) certs = nb_store_list_certificates (store, error);
  g_autoptr (GPtrArray) runs = certs ? nb_store_list_runs (store, error) : NULL;
  if (runs == NULL)
    return FALSE;
  g_autoptr (GHashTable) serials = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < runs->len; i++)
    {
      NbStoreRun *r = runs->pdata[i];
      g_hash_table_insert (serials, &r->id, r->pen_serial);
    }
  /* newest first: the list is by number, which is the order they were made in */
  for (guint i = certs->len; i-- > 0;)
    {
      NbCertificateEntry *e = g_new0 (NbCertificateEntry, 1);
      e->cert = g_steal_pointer (&certs->pdata[i]);
      e->pen_serial = g_strdup (g_hash_table_lookup (serials, &e->cert->run_id));
      g_ptr_array_add (list->certificates, e);
      if ((e->signatures = nb_store_certificate_signatures (store, e->cert, error)) == NULL)
        return FALSE;
    }
  g_autoptr (GPtrArray) pens = nb_due_list_pens (store, &list->today, error);
  if (pens == NULL)
    return FALSE;
  g_ptr_array_sort (pens, nb_pen_due_compare);
  g_ptr_array_extend_and_steal (list->pens, g_steal_pointer (&pens));
  g_autoptr (GPtrArray) stds = nb_store_list_standards (store, TRUE, error);
  if (stds == NULL)
    return FALSE;
  g_ptr_array_sort (stds, nb_due_standard_compare);
  g_ptr_array_extend_and_steal (list->standards, g_steal_pointer (&stds));
  return TRUE;
}

static void
list_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  const char *path = data;
  GError *error = NULL;
  g_autoptr (NbCertificateList) list = g_new0 (NbCertificateList, 1);
  list->certificates = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  list->pens = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_pen_due_free);
  list->standards = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_store_standard_free);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_date_clear (&list->today, 1);
  g_date_set_dmy (&list->today, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now), (GDateYear) g_date_time_get_year (now));
  /* nothing recorded on this machine yet: an empty page, and no database created by looking (a
   * fleet's server is always read) */
  if (nb_fleet_is_server (path) || g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr (NbStore) store = nb_store_open_full (path, NB_STORE_OPEN_READ_ONLY, &error);
      if (store == NULL || !read_list (store, list, &error))
        return g_task_return_error (task, error);
    }
  g_task_return_pointer (task, g_steal_pointer (&list), (GDestroyNotify) nb_certificate_list_free);
}

void
nb_certificate_list_async (const char *db_path, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, NULL, callback, user_data);
  g_task_set_source_tag (task, nb_certificate_list_async);
  g_task_set_task_data (task, path_or_default (db_path), g_free);
  g_task_run_in_thread (task, list_worker);
}

NbCertificateList *
nb_certificate_list_finish (GAsyncResult *res, GError **error)
{
  return g_task_propagate_pointer (G_TASK (res), error);
}

typedef struct
{
  char *db_path, *number;
} VerifyJob;

static void
verify_job_free (VerifyJob *v)
{
  g_free (v->db_path);
  g_free (v->number);
  g_free (v);
}

static void
verify_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  VerifyJob *v = data;
  GError *error = NULL;
  g_autoptr (NbStore) store = nb_store_open_full (v->db_path, NB_STORE_OPEN_READ_ONLY, &error);
  g_autoptr (NbStoreCertificate) cert
      = store ? nb_store_get_certificate (store, v->number, &error) : NULL;
  g_autoptr (JsonNode) node = cert ? nb_certificate_parse (cert->document, -1, &error) : NULL;
  if (node == NULL)
    return g_task_return_error (task, error);
  /* the customer's check (the document and the laboratory's public key alone), then ours */
  g_autofree char *secret = nb_lab_key_default_path ();
  g_autofree char *pub = nb_lab_key_public_path (secret);
  g_autoptr (NbLabKey) key = nb_lab_key_load_public (pub, &error);
  JsonObject *doc = json_node_get_object (node);
  if (key == NULL || !nb_certificate_verify (doc, key, &error)
      || !nb_certificate_verify_records (doc, store, &error))
    return g_task_return_error (task, error);
  g_task_return_boolean (task, TRUE);
}

void
nb_certificate_verify_async (const char *db_path, const char *number, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  VerifyJob *v = g_new0 (VerifyJob, 1);
  v->db_path = path_or_default (db_path);
  v->number = g_strdup (number);
  g_autoptr (GTask) task = g_task_new (NULL, NULL, callback, user_data);
  g_task_set_source_tag (task, nb_certificate_verify_async);
  g_task_set_task_data (task, v, (GDestroyNotify) verify_job_free);
  g_task_run_in_thread (task, verify_worker);
}

gboolean
nb_certificate_verify_finish (GAsyncResult *res, GError **error)
{
  return g_task_propagate_boolean (G_TASK (res), error);
}

char *
nb_due_text (gint64 days_left, gint64 soon, int *level)
{
  if (days_left == G_MININT64)
    return *level = 2, g_strdup (_ ("due now"));
  if (days_left < 0)
    return *level = 2,
           g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "overdue by %" PRId64 " day",
                                         "overdue by %" PRId64 " days", (gulong) -days_left),
                            -days_left);
  *level = days_left <= soon ? 1 : 0;
  if (days_left == 0)
    return g_strdup (_ ("due today"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "due in %" PRId64 " day",
                                       "due in %" PRId64 " days", (gulong) days_left),
                          days_left);
}
