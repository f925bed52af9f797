/* nb-certificates.c: the app's certificate jobs in GTask workers (nb-certificates.h). */
#include <inttypes.h>
#include <glib/gi18n.h>
#include "nb-certificates.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "nb-certificate-files.h"
#include "nb-certificate-pdf.h"
#include "nb-lab-key.h"

typedef struct
{
  char *db_path;
  gint64 run_id;
  char *number, *hash, *user, *password, *dir, *document;
  char *name, *address;
  char *customer_name, *customer_address, *received, *condition;
  NbSignMeaning meaning;
  int dpi;
} Job;

static void
job_free (Job *j)
{
  g_free (j->db_path);
  g_free (j->number);
  g_free (j->hash);
  g_free (j->user);
  if (j->password)
    memset (j->password, 0, strlen (j->password)); /* not left in freed memory */
  g_free (j->password);
  g_free (j->dir);
  g_free (j->document);
  g_free (j->name);
  g_free (j->address);
  g_free (j->customer_name);
  g_free (j->customer_address);
  g_free (j->received);
  g_free (j->condition);
  g_free (j);
}

static char *
path_or_default (const char *db_path)
{
  return db_path && *db_path ? g_strdup (db_path) : nb_store_get_default_path ();
}

static GTask *
job_task (Job *j, gpointer source_tag, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, NULL, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, j, (GDestroyNotify) job_free);
  return task;
}

/* "" is no value */
static char *
text_or_null (const char *s)
{
  return s && *s ? g_strdup (s) : NULL;
}

/* --- setup ------------------------------------------------------------------------------------ */

void
nb_certificate_setup_free (NbCertificateSetup *setup)
{
  if (setup == NULL)
    return;
  g_clear_pointer (&setup->lab, nb_store_lab_free);
  g_clear_pointer (&setup->users, g_ptr_array_unref);
  g_free (setup);
}

static void
setup_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *j = data;
  GError *error = NULL;
  g_autoptr (NbStore) store = nb_store_open (j->db_path, &error);
  if (store == NULL)
    return g_task_return_error (task, error);
  g_autoptr (NbCertificateSetup) setup = g_new0 (NbCertificateSetup, 1);
  setup->lab = nb_store_get_lab (store, &error);
  if (setup->lab == NULL && !g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND))
    return g_task_return_error (task, error);
  g_clear_error (&error);
  g_autoptr (GPtrArray) all = nb_store_list_users (store, &error);
  if (all == NULL)
    return g_task_return_error (task, error);
  setup->users = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_store_user_free);
  for (guint i = 0; i < all->len; i++)
    if (((NbStoreUser *) all->pdata[i])->active)
      g_ptr_array_add (setup->users, g_steal_pointer (&all->pdata[i]));
  g_task_return_pointer (task, g_steal_pointer (&setup),
                         (GDestroyNotify) nb_certificate_setup_free);
}

void
nb_certificate_setup_load_async (const char *db_path, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  Job *j = g_new0 (Job, 1);
  j->db_path = path_or_default (db_path);
  g_autoptr (GTask) task = job_task (j, nb_certificate_setup_load_async, callback, user_data);
  g_task_run_in_thread (task, setup_worker);
}

NbCertificateSetup *
nb_certificate_setup_load_finish (GAsyncResult *res, GError **error)
{
  return g_task_propagate_pointer (G_TASK (res), error);
}

static void
set_lab_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *j = data;
  GError *error = NULL;
  g_autoptr (NbStore) store = nb_store_open (j->db_path, &error);
  NbStoreLabParams p = { .name = j->name, .address = j->address };
  if (store == NULL || nb_store_set_lab (store, &p, &error) == 0)
    return g_task_return_error (task, error);
  g_task_return_boolean (task, TRUE);
}

void
nb_certificate_set_lab_async (const char *db_path, const char *name, const char *address,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  Job *j = g_new0 (Job, 1);
  j->db_path = path_or_default (db_path);
  j->name = g_strdup (name);
  j->address = g_strdup (address);
  g_autoptr (GTask) task = job_task (j, nb_certificate_set_lab_async, callback, user_data);
  g_task_run_in_thread (task, set_lab_worker);
}

gboolean
nb_certificate_set_lab_finish (GAsyncResult *res, GError **error)
{
  return g_task_propagate_boolean (G_TASK (res), error);
}

/* --- preview ---------------------------------------------------------------------------------- */

void
nb_certificate_preview_free (NbCertificatePreview *p)
{
  if (p == NULL)
    return;
  g_free (p->number);
  g_free (p->status);
  g_free (p->document);
  g_free (p->content_sha256);
  g_clear_pointer (&p->pages, g_ptr_array_unref);
  g_clear_pointer (&p->signatures, g_ptr_array_unref);
  g_free (p);
}

static void
remove_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static int
by_name (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* pdftoppm draws @pdf's pages as PNG files in @dir, read back in page order (its numbers are
 * zero-padded to the same width). */
static GPtrArray *
draw_pages (const char *dir, GBytes *pdf, int dpi, GError **error)
{
  g_autofree char *file = g_build_filename (dir, "certificate.pdf", NULL);
  g_autofree char *prefix = g_build_filename (dir, "page", NULL);
  g_autofree char *res = g_strdup_printf ("%d", dpi);
  const char *argv[] = { "pdftoppm", "-png", "-r", res, file, prefix, NULL };
  if (!g_file_set_contents (file, g_bytes_get_data (pdf, NULL), (gssize) g_bytes_get_size (pdf),
                            error))
    return NULL;
  g_autoptr (GSubprocess) proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDERR_SILENCE, error);
  if (proc == NULL || !g_subprocess_wait_check (proc, NULL, error))
    return NULL;
  g_autoptr (GDir) d = g_dir_open (dir, 0, error);
  if (d == NULL)
    return NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, "page") && g_str_has_suffix (name, ".png"))
      g_ptr_array_add (names, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (names, by_name);
  g_autoptr (GPtrArray) pages = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr (GFile) f = g_file_new_for_path (names->pdata[i]);
      GdkTexture *t = gdk_texture_new_from_file (f, error);
      if (t == NULL)
        return NULL;
      g_ptr_array_add (pages, t);
    }
  if (pages->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("pdftoppm drew no page"));
      return NULL;
    }
  return g_steal_pointer (&pages);
}

/* The pages of @pdf as textures, drawn in a private temporary folder that is then removed. */
static GPtrArray *
render_pages (GBytes *pdf, int dpi, GError **error)
{
  g_autofree char *dir = g_dir_make_tmp ("nb-certificate-XXXXXX", error);
  if (dir == NULL)
    return NULL;
  GPtrArray *pages = draw_pages (dir, pdf, dpi, error);
  remove_dir (dir);
  return pages;
}

/* The preview of run @j->run_id (created on first use): runs in the worker. */
static NbCertificatePreview *
prepare (NbStore *store, Job *j, GError **error)
{
  g_autoptr (NbStoreRun) run = nb_store_get_run (store, j->run_id, error);
  if (run == NULL)
    return NULL;
  if (run->status != NB_RUN_COMPLETE)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   _ ("Run %" PRId64 " did not complete: only a completed run gets a "
                      "certificate or a report"),
                   j->run_id);
      return NULL;
    }
  g_autoptr (NbStoreLab) lab = nb_store_get_lab (store, error);
  if (lab == NULL)
    return NULL;
  NbCertificateDraftContext ctx = {
    .store = store,
    .run_id = j->run_id,
    .info = { .lab_name = lab->name,
              .lab_address = lab->address,
              .lab_location = lab->location,
              .customer_name = j->customer_name,
              .customer_address = j->customer_address,
              .condition = j->condition,
              .received = j->received },
  };
  g_autoptr (NbCertificatePreview) p = g_new0 (NbCertificatePreview, 1);
  p->run_id = j->run_id;
  if (run->traceable)
    {
      g_autoptr (GError) local = NULL;
      g_autoptr (NbStoreCertificate) cert = nb_store_get_run_certificate (store, j->run_id, &local);
      if (cert == NULL && !g_error_matches (local, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      p->existed = cert != NULL;
      if (cert == NULL)
        {
          g_clear_error (&local);
          cert = nb_store_create_certificate (store, j->run_id, nb_certificate_build_draft, &ctx,
                                              NULL, &local);
          /* another process (the CLI) created it meanwhile: that one is the run's certificate */
          if (cert == NULL && g_error_matches (local, NB_STORE_ERROR, NB_STORE_ERROR_EXISTS))
            {
              g_clear_error (&local);
              p->existed = TRUE;
              cert = nb_store_get_run_certificate (store, j->run_id, &local);
            }
          if (cert == NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return NULL;
            }
        }
      if ((p->signatures = nb_store_certificate_signatures (store, cert, error)) == NULL)
        return NULL;
      p->number = g_strdup (cert->number);
      p->status = g_strdup (nb_store_cert_status_to_string (cert->status));
      p->document = g_strdup (cert->document);
      p->content_sha256 = g_strdup (cert->content_sha256);
    }
  else
    {
      g_autoptr (JsonNode) doc
          = nb_certificate_build_from_store (store, j->run_id, NULL, &ctx.info, error);
      if (doc == NULL)
        return NULL;
      JsonObject *o = json_node_get_object (doc);
      p->status = g_strdup (_ ("draft"));
      p->document = nb_certificate_to_canonical (o, NULL);
      p->content_sha256 = g_strdup (json_object_get_string_member (o, "content_sha256"));
      p->signatures = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_store_signature_free);
    }
  g_autoptr (JsonNode) node = nb_certificate_parse (p->document, -1, error);
  if (node == NULL)
    return NULL;
  g_autoptr (GBytes) pdf = nb_certificate_pdf_render (json_node_get_object (node), error);
  if (pdf == NULL || (p->pages = render_pages (pdf, j->dpi, error)) == NULL)
    return NULL;
  return g_steal_pointer (&p);
}

static void
prepare_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;
  g_autoptr (NbStore) store = nb_store_open (((Job *) data)->db_path, &error);
  NbCertificatePreview *p = store ? prepare (store, data, &error) : NULL;
  if (p == NULL)
    return g_task_return_error (task, error);
  g_task_return_pointer (task, p, (GDestroyNotify) nb_certificate_preview_free);
}

void
nb_certificate_prepare_async (const char *db_path, gint64 run_id, const NbCertificateForm *form,
                              int dpi, GAsyncReadyCallback callback, gpointer user_data)
{
  Job *j = g_new0 (Job, 1);
  j->db_path = path_or_default (db_path);
  j->run_id = run_id;
  j->dpi = dpi;
  if (form)
    {
      j->customer_name = text_or_null (form->customer_name);
      j->customer_address = text_or_null (form->customer_address);
      j->received = text_or_null (form->received);
      j->condition = text_or_null (form->condition);
    }
  g_autoptr (GTask) task = job_task (j, nb_certificate_prepare_async, callback, user_data);
  g_task_run_in_thread (task, prepare_worker);
}

NbCertificatePreview *
nb_certificate_prepare_finish (GAsyncResult *res, GError **error)
{
  return g_task_propagate_pointer (G_TASK (res), error);
}

/* --- signing ---------------------------------------------------------------------------------- */

static void
sign_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *j = data;
  GError *error = NULL;
  g_autoptr (NbStore) store = nb_store_open (j->db_path, &error);
  if (store == NULL)
    return g_task_return_error (task, error);
  /* the key first, as the CLI does: an approval must not fail after the password was taken */
  g_autoptr (NbLabKey) key = NULL;
  if (j->meaning == NB_SIGN_APPROVED)
    {
      g_autofree char *path = nb_lab_key_default_path ();
      if ((key = nb_lab_key_load_or_create (path, &error)) == NULL)
        return g_task_return_error (task, error);
    }
  if (nb_store_sign_certificate (store, j->number, j->hash, j->user, j->password, j->meaning,
                                 nb_certificate_issue_document, key, &error)
      == 0)
    return g_task_return_error (task, error);
  NbCertificatePreview *p = prepare (store, j, &error);
  if (p == NULL)
    return g_task_return_error (task, error);
  g_task_return_pointer (task, p, (GDestroyNotify) nb_certificate_preview_free);
}

void
nb_certificate_sign_async (const char *db_path, gint64 run_id, const char *number,
                           const char *content_sha256, const char *user, const char *password,
                           NbSignMeaning meaning, int dpi, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  Job *j = g_new0 (Job, 1);
  j->db_path = path_or_default (db_path);
  j->run_id = run_id;
  j->number = g_strdup (number);
  j->hash = g_strdup (content_sha256);
  j->user = g_strdup (user);
  j->password = g_strdup (password);
  j->meaning = meaning;
  j->dpi = dpi;
  g_autoptr (GTask) task = job_task (j, nb_certificate_sign_async, callback, user_data);
  g_task_run_in_thread (task, sign_worker);
}

NbCertificatePreview *
nb_certificate_sign_finish (GAsyncResult *res, GError **error)
{
  return g_task_propagate_pointer (G_TASK (res), error);
}

/* --- saving ----------------------------------------------------------------------------------- */

static void
save_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *j = data;
  GError *error = NULL;
  g_autoptr (JsonNode) node = nb_certificate_parse (j->document, -1, &error);
  if (node == NULL)
    return g_task_return_error (task, error);
  if (g_mkdir_with_parents (j->dir, 0700) != 0)
    {
      int e = errno;
      return g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (e),
                                      _ ("Cannot create %s: %s"), j->dir, g_strerror (e));
    }
  JsonObject *doc = json_node_get_object (node);
  g_autofree char *base = nb_certificate_files_base (doc, j->run_id);
  /* an issued certificate's PDF is sealed with the key that signed it, as `certificate` does;
   * never a new key, which could only fail to match */
  g_autoptr (NbLabKey) key = NULL;
  if (g_strcmp0 (json_object_get_string_member (doc, "status"), "issued") == 0)
    {
      g_autofree char *path = nb_lab_key_default_path ();
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                        _ ("No laboratory key at %s to seal the issued PDF"), path);
      if ((key = nb_lab_key_load_or_create (path, &error)) == NULL)
        return g_task_return_error (task, error);
    }
  g_autoptr (GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  if (!nb_certificate_write_files (j->dir, base, doc, j->document, key, written, &error))
    return g_task_return_error (task, error);
  g_task_return_pointer (task, g_steal_pointer (&written), (GDestroyNotify) g_ptr_array_unref);
}

void
nb_certificate_save_async (const NbCertificatePreview *preview, const char *dir,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  Job *j = g_new0 (Job, 1);
  j->run_id = preview->run_id;
  j->document = g_strdup (preview->document);
  j->dir = g_strdup (dir);
  g_autoptr (GTask) task = job_task (j, nb_certificate_save_async, callback, user_data);
  g_task_run_in_thread (task, save_worker);
}

GPtrArray *
nb_certificate_save_finish (GAsyncResult *res, GError **error)
{
  return g_task_propagate_pointer (G_TASK (res), error);
}
