/* nb-cli-certificate.c: `needlebench-cli certificate RUN --out DIR`: the certificate of a
 * calibration run, written as NUMBER.json (the canonical document, nb-certificate.h), NUMBER.csv
 * (the results), NUMBER.dcc.xml (PTB DCC, nb-dcc.h) and NUMBER.pdf. The first call for a run
 * creates the certificate record, allocating its number (store/nb-store-certificates.h); later
 * calls write the stored document again, as it now is (draft, or issued once approved with
 * `sign`). A run that is not traceable (a pen self-check) gets a verification report, which has
 * no number and no record; a run that did not complete gets nothing. */
#include <inttypes.h>
#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "nb-certificate-files.h"
#include "nb-certificate.h"
#include "nb-cli.h"
#include "nb-lab-key.h"
#include "nb-store-certificates.h"
#include "nb-store-runs.h"
#include "nb-store-standards.h"
#include "nb-store-voids.h"

#define COMMAND "certificate"

static int run_write (int argc, char **argv);

typedef NbCertificateDraftContext BuildContext;

static gboolean
info_given (const NbCertificateInfo *info)
{
  return info->customer_name || info->customer_address || info->condition || info->received;
}

/* Prints what was written; JSON: {number, kind, status, run, content_sha256, files}. */
static void
report (JsonObject *doc, gint64 run_id, GPtrArray *written, gboolean json, const char *note)
{
  const char *number = json_object_get_string_member_with_default (doc, "number", NULL);
  const char *kind = json_object_get_string_member (doc, "kind");
  const char *status = json_object_get_string_member (doc, "status");
  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      nb_cli_json_string (b, "number", number);
      nb_cli_json_string (b, "kind", kind);
      nb_cli_json_string (b, "status", status);
      nb_cli_json_int (b, "run", run_id);
      nb_cli_json_string (b, "content_sha256",
                          json_object_get_string_member (doc, "content_sha256"));
      json_builder_set_member_name (b, "files");
      json_builder_begin_array (b);
      for (guint i = 0; i < written->len; i++)
        json_builder_add_string_value (b, written->pdata[i]);
      json_builder_end_array (b);
      json_builder_end_object (b);
      nb_cli_print_json (json_builder_get_root (b));
      return;
    }
  if (number != NULL)
    printf (_ ("Certificate %s (run %" PRId64 "): %s%s.\n"), number, run_id,
            g_strcmp0 (status, "issued") == 0 ? _ ("issued") : _ ("DRAFT, not approved"), note);
  else
    printf (_ ("Verification report for run %" PRId64 " (not a calibration certificate: %s).\n"),
            run_id, json_object_get_string_member (doc, "traceability"));
  for (guint i = 0; i < written->len; i++)
    {
      g_autofree char *path = nb_cli_escape (written->pdata[i]);
      printf ("  %s\n", path);
    }
}

/* The certificate of a traceable run: created on the first call, corrected with --revise,
 * else as stored. Returns the document (transfer full) and its canonical text. */
static JsonNode *
certificate_document (BuildContext *ctx, const char *revise, char **text, const char **note,
                      GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (NbStoreCertificate) cert
      = nb_store_get_run_certificate (ctx->store, ctx->run_id, &local);
  if (cert == NULL && !g_error_matches (local, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (cert == NULL)
    {
      if (revise != NULL)
        {
          g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                       _ ("--revise: run %" PRId64 " has no certificate to correct yet"),
                       ctx->run_id);
          return NULL;
        }
      g_clear_error (&local);
      cert = nb_store_create_certificate (ctx->store, ctx->run_id, nb_certificate_build_draft, ctx,
                                          NULL, &local);
      /* another process created it meanwhile: that one is the run's certificate */
      if (cert == NULL && g_error_matches (local, NB_STORE_ERROR, NB_STORE_ERROR_EXISTS))
        {
          g_clear_error (&local);
          cert = nb_store_get_run_certificate (ctx->store, ctx->run_id, &local);
        }
      else if (cert != NULL)
        *note = ", created";
      if (cert == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
    }
  else if (revise != NULL || info_given (&ctx->info))
    {
      /* the same options again re-render it; different ones are a correction, on purpose only */
      g_autoptr (JsonNode) again = nb_certificate_build_from_store (
          ctx->store, ctx->run_id, cert->number, &ctx->info, error);
      if (again == NULL)
        return NULL;
      JsonObject *o = json_node_get_object (again);
      const char *hash = json_object_get_string_member (o, "content_sha256");
      if (g_strcmp0 (hash, cert->content_sha256) != 0)
        {
          if (revise == NULL)
            {
              g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                           _ ("certificate %s says otherwise: to correct it, give --revise REASON "
                              "(a new revision, to be signed again)"),
                           cert->number);
              return NULL;
            }
          g_autofree char *canonical = nb_certificate_to_canonical (o, NULL);
          if (nb_store_revise_certificate (ctx->store, cert->number, canonical, hash, revise, NULL,
                                           error)
              == 0)
            return NULL;
          g_autofree char *number = g_strdup (cert->number);
          g_clear_pointer (&cert, nb_store_certificate_free);
          if ((cert = nb_store_get_certificate (ctx->store, number, error)) == NULL)
            return NULL;
          *note = ", revised";
        }
    }
  *text = g_strdup (cert->document);
  return nb_certificate_parse (cert->document, -1, error);
}

static char *
iso_time (gint64 us)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  return t ? g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

/* `certificate void NUMBER --reason TEXT`: the number stays taken, the record says why. */
static int
run_void (int argc, char **argv)
{
  const char *command = COMMAND " void";
  g_autofree char *reason = NULL, *operator_name = NULL, *db = NULL;
  const GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_ ("Why (kept in the record)"), N_ ("TEXT") },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name,
      N_ ("Who voids it (default: login name)"), N_ ("NAME") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_ ("Database file or postgresql:// URI"),
      N_ ("PATH|URI") },
    { NULL },
  };
  if (!nb_cli_parse (command, N_ ("NUMBER"),
                     N_ ("Voids a certificate: a new record with the reason; the number is never "
                         "given again and the run may be certified anew."),
                     entries, &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc < 2)
    return nb_cli_usage (command, _ ("NUMBER is required"));
  if (argc > 2)
    return nb_cli_usage (command, _ ("unexpected argument “%s”"), argv[2]);
  if (reason == NULL)
    return nb_cli_usage (command, _ ("--reason TEXT is required"));
  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_store_open (db, &error);
  if (store == NULL)
    return nb_cli_fail (command, error);
  if (nb_store_void_certificate (store, argv[1], reason, operator_name, &error) == 0)
    return error->domain == NB_STORE_ERROR
                   && (error->code == NB_STORE_ERROR_INVALID
                       || error->code == NB_STORE_ERROR_NOT_FOUND)
               ? nb_cli_usage (command, "%s", error->message)
               : nb_cli_fail (command, error);
  g_autofree char *number = nb_cli_escape (argv[1]);
  printf (_ ("Certificate %s voided.\n"), number);
  return NB_EXIT_OK;
}

/* `certificate list`: every certificate as its newest record says. */
static int
run_list (int argc, char **argv)
{
  const char *command = COMMAND " list";
  g_autofree char *db = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_ ("Database file or postgresql:// URI"),
      N_ ("PATH|URI") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print a JSON array"), NULL },
    { NULL },
  };
  if (!nb_cli_parse (command, NULL, N_ ("Lists the certificates with their status."), entries,
                     &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc > 1)
    return nb_cli_usage (command, _ ("unexpected argument “%s”"), argv[1]);
  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_cli_open_store_read (db, &error);
  if (store == NULL)
    return nb_cli_fail (command, error);
  g_autoptr (GPtrArray) list = nb_store_list_certificates (store, &error);
  if (list == NULL)
    return nb_cli_fail (command, error);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_array (b);
  if (!json && list->len == 0)
    printf (_ ("No certificates.\n"));
  else if (!json)
    printf ("%-20s  %6s  %-8s  %3s  %4s  %-20s  %s\n", _ ("NUMBER"), _ ("RUN"), _ ("STATUS"),
            _ ("REV"), _ ("SIGS"), _ ("ISSUED"), _ ("CONTENT SHA-256"));
  for (guint i = 0; i < list->len; i++)
    {
      NbStoreCertificate *c = list->pdata[i];
      g_autoptr (GPtrArray) sigs = nb_store_certificate_signatures (store, c, &error);
      if (sigs == NULL)
        return nb_cli_fail (command, error);
      g_autofree char *issued = c->issued_at ? iso_time (c->issued_at) : NULL;
      const char *status = nb_store_cert_status_to_string (c->status);
      if (!json)
        {
          printf ("%-20s  %6" G_GINT64_FORMAT "  %-8s  %3u  %4u  %-20s  %s\n", c->number, c->run_id,
                  status, c->revision, sigs->len, issued ? issued : "-", c->content_sha256);
          if (c->reason != NULL)
            {
              g_autofree char *reason = nb_cli_escape (c->reason);
              printf (_ ("%20s  voided: %s\n"), "", reason);
            }
          continue;
        }
      json_builder_begin_object (b);
      nb_cli_json_string (b, "number", c->number);
      nb_cli_json_int (b, "run", c->run_id);
      nb_cli_json_string (b, "status", status);
      nb_cli_json_int (b, "revision", c->revision);
      nb_cli_json_string (b, "issued", issued);
      nb_cli_json_string (b, "content_sha256", c->content_sha256);
      nb_cli_json_string (b, "reason", c->reason);
      json_builder_set_member_name (b, "signatures");
      json_builder_begin_array (b);
      for (guint k = 0; k < sigs->len; k++)
        {
          const NbStoreSignature *sg = sigs->pdata[k];
          g_autofree char *at = iso_time (sg->at);
          json_builder_begin_object (b);
          nb_cli_json_string (b, "user", sg->user_name);
          nb_cli_json_string (b, "name", sg->display_name);
          nb_cli_json_string (b, "role", nb_user_role_to_string (sg->role));
          nb_cli_json_string (b, "meaning", nb_sign_meaning_to_string (sg->meaning));
          nb_cli_json_string (b, "at", at);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (json)
    nb_cli_print_json (json_builder_get_root (b));
  return NB_EXIT_OK;
}

int
nb_cli_certificate (int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "void"))
    return run_void (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return run_list (argc - 1, argv + 1);
  return run_write (argc, argv);
}

static int
run_write (int argc, char **argv)
{
  const char *command = COMMAND;
  g_autofree char *out = NULL, *customer = NULL, *customer_address = NULL, *received = NULL;
  g_autofree char *condition = NULL, *revise = NULL, *key_path = NULL, *db = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_ ("Directory to write the files to"),
      N_ ("DIR") },
    { "customer", 0, 0, G_OPTION_ARG_STRING, &customer, N_ ("The customer's name"), N_ ("NAME") },
    { "customer-address", 0, 0, G_OPTION_ARG_STRING, &customer_address,
      N_ ("The customer's address"), "A" },
    { "received", 0, 0, G_OPTION_ARG_STRING, &received,
      N_ ("The date the item was received (default: the run's date)"), N_ ("YYYY-MM-DD") },
    { "condition", 0, 0, G_OPTION_ARG_STRING, &condition,
      N_ ("The item's condition as received (default: no damage noted)"), N_ ("TEXT") },
    { "revise", 0, 0, G_OPTION_ARG_STRING, &revise,
      N_ ("Correct the certificate with the options given: a new revision, signed again"),
      N_ ("REASON") },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key_path,
      N_ ("The laboratory's secret key file, to seal an issued certificate's PDF (default: "
          "$XDG_DATA_HOME/needlebench/lab.key)"),
      N_ ("PATH") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_ ("Database file or postgresql:// URI"),
      N_ ("PATH|URI") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the number, status and files as JSON"),
      NULL },
    { NULL },
  };
  if (!nb_cli_parse (
          command, N_ ("RUN"),
          N_ ("Writes the certificate of a calibration run (PDF, JSON, CSV, DCC XML) to "
              "DIR, creating it and its number on the first call. A run that is not "
              "traceable gets a verification report without a number. Also: `certificate list "
              "[--json]`, `certificate void NUMBER --reason TEXT`."),
          entries, &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc < 2)
    return nb_cli_usage (command, _ ("RUN (a run id of `needlebench-cli runs`) is required"));
  if (argc > 2)
    return nb_cli_usage (command, _ ("unexpected argument “%s”"), argv[2]);
  gint64 run_id = 0;
  if (!g_ascii_string_to_signed (argv[1], 10, 1, G_MAXINT64, &run_id, NULL))
    return nb_cli_usage (command, _ ("“%s” is not a run id"), argv[1]);
  if (out == NULL)
    return nb_cli_usage (command, _ ("--out DIR is required"));
  g_autoptr (GError) error = NULL;
  if ((received != NULL && !nb_store_standard_parse_date ("--received", received, NULL, &error))
      || !nb_store_standard_check_text ("--customer", customer, FALSE, 200, &error)
      || !nb_store_standard_check_text ("--customer-address", customer_address, FALSE, 200, &error)
      || !nb_store_standard_check_text ("--condition", condition, FALSE, 200, &error)
      || !nb_store_standard_check_text ("--revise", revise, FALSE, 200, &error))
    return nb_cli_usage (command, "%s", error->message);

  g_autoptr (NbStore) store = nb_store_open (db, &error);
  if (store == NULL)
    return nb_cli_fail (command, error);
  g_autoptr (NbStoreRun) run = nb_store_get_run (store, run_id, &error);
  if (run == NULL)
    return g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND)
               ? nb_cli_usage (command, "%s", error->message)
               : nb_cli_fail (command, error);
  if (run->status != NB_RUN_COMPLETE)
    return nb_cli_usage (command,
                         _ ("run %" PRId64 " did not complete (%s): only a completed run "
                            "gets a certificate or a report"),
                         run_id, nb_run_status_to_string (run->status));
  /* a voided run no longer counts: no certificate, no report (the store refuses the number too) */
  g_autoptr (NbStoreVoid) voided = nb_store_get_void (store, NB_STORE_VOID_RUN, run_id, &error);
  if (error != NULL)
    return nb_cli_fail (command, error);
  if (voided != NULL)
    return nb_cli_usage (command, _ ("run %" PRId64 " was voided (%s): it cannot be certified"),
                         run_id, voided->reason);
  g_autoptr (NbStoreLab) lab = nb_store_get_lab (store, &error);
  if (lab == NULL)
    return nb_cli_usage (command, "%s", error->message);
  BuildContext ctx = {
    .store = store,
    .run_id = run_id,
    .info = { .lab_name = lab->name,
              .lab_address = lab->address,
              .lab_location = lab->location,
              .customer_name = customer,
              .customer_address = customer_address,
              .condition = condition,
              .received = received },
  };

  g_autoptr (JsonNode) doc = NULL;
  g_autofree char *text = NULL, *base = NULL;
  const char *note = "";
  if (run->traceable)
    {
      doc = certificate_document (&ctx, revise, &text, &note, &error);
      if (doc == NULL)
        return error->domain == NB_STORE_ERROR && error->code == NB_STORE_ERROR_INVALID
                   ? nb_cli_usage (command, "%s", error->message)
                   : nb_cli_fail (command, error);
      base = nb_certificate_files_base (json_node_get_object (doc), run_id);
    }
  else
    {
      if (revise != NULL)
        return nb_cli_usage (command,
                             _ ("--revise: a verification report has no record to revise"));
      doc = nb_certificate_build_from_store (store, run_id, NULL, &ctx.info, &error);
      if (doc == NULL)
        return nb_cli_fail (command, error);
      text = nb_certificate_to_canonical (json_node_get_object (doc), NULL);
      base = nb_certificate_files_base (json_node_get_object (doc), run_id);
    }

  if (g_mkdir_with_parents (out, 0700) != 0)
    {
      int e = errno;
      g_autofree char *dir = nb_cli_escape (out);
      g_printerr (_ ("needlebench-cli %s: cannot create %s: %s\n"), command, dir, g_strerror (e));
      return NB_EXIT_DATA;
    }
  /* an issued certificate's PDF is sealed with the key that signed it (`sign`) */
  g_autoptr (NbLabKey) key = NULL;
  if (g_strcmp0 (json_object_get_string_member (json_node_get_object (doc), "status"), "issued")
      == 0)
    {
      g_autofree char *path = key_path ? g_strdup (key_path) : nb_lab_key_default_path ();
      /* the key that signed it must exist: a new one made here could only fail to match */
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_autofree char *shown = nb_cli_escape (path);
          return nb_cli_usage (command,
                               _ ("no laboratory key at %s to seal the issued certificate's PDF: "
                                  "give the key that signed it with --key PATH"),
                               shown);
        }
      key = nb_lab_key_load_or_create (path, &error);
      if (key == NULL)
        return nb_cli_fail (command, error);
    }
  g_autoptr (GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  if (!nb_certificate_write_files (out, base, json_node_get_object (doc), text, key, written,
                                   &error))
    return nb_cli_fail_output (command, error);
  report (json_node_get_object (doc), run_id, written, json, note);
  return NB_EXIT_OK;
}
