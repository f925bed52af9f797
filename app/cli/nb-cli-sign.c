/* nb-cli-sign.c: `needlebench-cli sign CERT --user NAME --meaning performed|reviewed|approved`:
 * an electronic signature (21 CFR 11.50: printed name, date and time, meaning) bound to the
 * certificate's content hash (11.70). An approval issues the certificate in the same transaction:
 * the signatures go into the document, it gets its issue time and the laboratory's Ed25519
 * signature, and the issued document is stored (store/nb-store-certificates.h). */
#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "nb-certificate-files.h"
#include "nb-certificate.h"
#include "nb-cli-password.h"
#include "nb-cli.h"
#include "nb-lab-key.h"
#include "nb-store-certificates.h"

#define COMMAND "sign"

/* ISO 8601 UTC to the second, as the document writes times. */
static char *
iso_time (gint64 us)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  return t ? g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

int
nb_cli_sign (int argc, char **argv)
{
  const char *command = COMMAND;
  g_autofree char *user = NULL, *meaning_text = NULL, *fd_text = NULL, *hash = NULL;
  g_autofree char *key_path = NULL, *db = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_ ("Who signs (a user of `user list`)"),
      N_ ("NAME") },
    { "meaning", 0, 0, G_OPTION_ARG_STRING, &meaning_text,
      N_ ("performed, reviewed or approved (approved issues the certificate)"), N_ ("MEANING") },
    { "password-fd", 0, 0, G_OPTION_ARG_STRING, &fd_text,
      N_ ("Read the password from this descriptor (default: ask on the terminal)"), "N" },
    { "content-sha256", 0, 0, G_OPTION_ARG_STRING, &hash,
      N_ ("The content hash the signer reviewed (default: the certificate's; refused if it "
          "differs)"),
      N_ ("HEX") },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key_path,
      N_ ("The laboratory's secret key file (default: $XDG_DATA_HOME/needlebench/lab.key, created "
          "on first use)"),
      N_ ("PATH") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_ ("Database file or postgresql:// URI"),
      N_ ("PATH|URI") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the certificate's state as JSON"), NULL },
    { NULL },
  };
  if (!nb_cli_parse (
          command, N_ ("CERTIFICATE"),
          N_ ("Signs a draft certificate with a meaning. The certificate is issued when an "
              "approver approves it."),
          entries, &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc < 2)
    return nb_cli_usage (command, _ ("CERTIFICATE (its number) is required"));
  if (argc > 2)
    return nb_cli_usage (command, _ ("unexpected argument “%s”"), argv[2]);
  const char *number = argv[1];
  if (user == NULL)
    return nb_cli_usage (command, _ ("--user NAME is required"));
  NbSignMeaning meaning;
  if (meaning_text == NULL || !nb_sign_meaning_from_string (meaning_text, &meaning))
    return nb_cli_usage (command, _ ("--meaning must be performed, reviewed or approved"));
  int fd = -1;
  if (fd_text != NULL && (fd = nb_cli_parse_fd (fd_text)) < 0)
    return nb_cli_usage (command, _ ("--password-fd: “%s” is not a descriptor number"), fd_text);

  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_store_open (db, &error);
  if (store == NULL)
    return nb_cli_fail (command, error);
  g_autoptr (NbStoreCertificate) cert = nb_store_get_certificate (store, number, &error);
  if (cert == NULL)
    return g_error_matches (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND)
               ? nb_cli_usage (command, "%s", error->message)
               : nb_cli_fail (command, error);
  if (cert->status != NB_STORE_CERT_DRAFT)
    return nb_cli_usage (command, _ ("certificate %s is %s: only a draft is signed"), cert->number,
                         nb_store_cert_status_to_string (cert->status));
  g_autoptr (NbStoreUser) signer = nb_store_get_user (store, user, &error);
  if (signer == NULL)
    return nb_cli_usage (command, "%s", error->message);
  /* the key is loaded (or made) before the password is asked: an approval must not fail after */
  g_autoptr (NbLabKey) key = NULL;
  if (meaning == NB_SIGN_APPROVED)
    {
      g_autofree char *path = key_path ? g_strdup (key_path) : nb_lab_key_default_path ();
      key = nb_lab_key_load_or_create (path, &error);
      if (key == NULL)
        return nb_cli_fail (command, error);
    }

  /* what is signed, said before the password is asked (11.50: the signer knows the meaning) */
  g_autofree char *display = nb_cli_escape (signer->display_name);
  g_autofree char *prompt = g_strdup_printf (
      _ ("Signing certificate %s (content SHA-256 %s) as %s, meaning “%s”.\n"
         "Password for %s: "),
      cert->number, cert->content_sha256, display, nb_sign_meaning_to_string (meaning), display);
  if (fd >= 0)
    fprintf (stderr, _ ("Signing certificate %s (content SHA-256 %s) as %s, meaning “%s”.\n"),
             cert->number, cert->content_sha256, display, nb_sign_meaning_to_string (meaning));
  g_autoptr (NbCliPassword) password
      = nb_cli_read_password (fd, prompt, FALSE, NB_PASSWORD_MAX, &error);
  if (password == NULL)
    return nb_cli_usage (command, "%s", error->message);
  gint64 sig
      = nb_store_sign_certificate (store, cert->number, hash ? hash : cert->content_sha256, user,
                                   password, meaning, nb_certificate_issue_document, key, &error);
  if (sig == 0)
    {
      if (error->domain == NB_STORE_ERROR
          && (error->code == NB_STORE_ERROR_DENIED || error->code == NB_STORE_ERROR_INVALID
              || error->code == NB_STORE_ERROR_CONSTRAINT))
        return nb_cli_usage (command, "%s", error->message);
      return nb_cli_fail (command, error);
    }
  g_autoptr (NbStoreCertificate) now = nb_store_get_certificate (store, cert->number, &error);
  if (now == NULL)
    return nb_cli_fail (command, error);
  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autofree char *issued = now->issued_at ? iso_time (now->issued_at) : NULL;
      json_builder_begin_object (b);
      nb_cli_json_string (b, "number", now->number);
      nb_cli_json_string (b, "status", nb_store_cert_status_to_string (now->status));
      nb_cli_json_int (b, "signature", sig);
      nb_cli_json_string (b, "user", user);
      nb_cli_json_string (b, "meaning", nb_sign_meaning_to_string (meaning));
      nb_cli_json_string (b, "content_sha256", now->content_sha256);
      nb_cli_json_string (b, "issued", issued);
      json_builder_end_object (b);
      nb_cli_print_json (json_builder_get_root (b));
      return NB_EXIT_OK;
    }
  printf (_ ("Certificate %s: signed by %s (%s).\n"), now->number, display,
          nb_sign_meaning_to_string (meaning));
  if (now->status == NB_STORE_CERT_ISSUED)
    {
      g_autofree char *issued = iso_time (now->issued_at);
      g_autofree char *key_id = nb_lab_key_id (key);
      printf (_ ("Issued %s, signed with the laboratory key %s. Write its files with "
                 "`needlebench-cli certificate %" PRId64 " --out DIR`.\n"),
              issued, key_id, now->run_id);
    }
  return NB_EXIT_OK;
}
