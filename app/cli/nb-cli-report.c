/* nb-cli-report.c: `needlebench-cli report verify FILE [--key LAB.pub] [--db PATH] [--json]`:
 * checks a certificate, a JSON file or a sealed PDF, against its signatures and the laboratory's
 * public key alone (the customer's side, no database), and with --db also against the stored
 * run and its raw readings. Exit 0 valid, 1 invalid (what failed on standard error), 2 usage, 4
 * a database that cannot be read. The document's text came from the laboratory and its
 * customers: it is escaped before it reaches the terminal. */
#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "nb-certificate-seal.h"
#include "nb-certificate.h"
#include "nb-cli.h"
#include "nb-lab-key.h"
#include "nb-store.h"

/* A certificate file is small; this only stops a wrong FILE from filling the memory. */
#define MAX_FILE_BYTES (256u * 1024 * 1024)

static const char *command = "report verify";

static const char *
member (JsonObject *o, const char *key)
{
  return o != NULL ? json_object_get_string_member_with_default (o, key, NULL) : NULL;
}

static void
print_text (const char *format, JsonObject *doc, const char *key_id, gboolean with_db)
{
  g_autofree char *kind = nb_cli_escape (member (doc, "kind"));
  g_autofree char *number = nb_cli_escape (member (doc, "number"));
  JsonObject *dates = json_object_get_object_member (doc, "dates");
  JsonObject *item = json_object_get_object_member (doc, "item");
  g_autofree char *issued = nb_cli_escape (member (dates, "issued"));
  g_autofree char *model = nb_cli_escape (member (item, "model"));
  g_autofree char *serial = nb_cli_escape (member (item, "serial"));
  g_autofree char *lab
      = nb_cli_escape (member (json_object_get_object_member (doc, "laboratory"), "name"));
  printf (_ ("valid: %s %s, issued %s by %s\n"),
          g_strcmp0 (kind, "calibration-certificate") == 0 ? _ ("calibration certificate")
                                                           : _ ("verification report"),
          number != NULL ? number : _ ("(no number)"), issued, lab);
  printf (_ ("  file:           %s, every byte covered by the laboratory's signature\n"), format);
  printf (_ ("  item:           %s, serial %s (run %" PRId64 ")\n"), model, serial,
          json_object_get_int_member (doc, "run"));
  printf (_ ("  content SHA-256 %s\n"), member (doc, "content_sha256"));
  printf (_ ("  laboratory key  %s\n"), key_id);
  JsonArray *sigs = json_object_get_array_member (doc, "signatures");
  for (guint i = 0; i < json_array_get_length (sigs); i++)
    {
      JsonObject *s = json_array_get_object_element (sigs, i);
      g_autofree char *name = nb_cli_escape (member (s, "name"));
      g_autofree char *meaning = nb_cli_escape (member (s, "meaning"));
      g_autofree char *at = nb_cli_escape (member (s, "at"));
      printf (_ ("  signed          %s: %s, %s\n"), meaning, name, at);
    }
  if (with_db)
    printf (_ ("  database:       the stored run's results and raw readings match\n"));
}

static void
print_json (const char *path, const char *format, JsonObject *doc, const char *key_id,
            gboolean with_db, const GError *failure)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  nb_cli_json_string (b, "file", path);
  nb_cli_json_string (b, "format", format);
  json_builder_set_member_name (b, "valid");
  json_builder_add_boolean_value (b, failure == NULL);
  nb_cli_json_string (b, "kind", member (doc, "kind"));
  nb_cli_json_string (b, "number", member (doc, "number"));
  nb_cli_json_string (b, "status", member (doc, "status"));
  nb_cli_json_string (b, "content_sha256", member (doc, "content_sha256"));
  nb_cli_json_string (b, "key_id", key_id);
  json_builder_set_member_name (b, "database");
  json_builder_add_boolean_value (b, with_db);
  nb_cli_json_string (b, "error", failure != NULL ? failure->message : NULL);
  json_builder_end_object (b);
  nb_cli_print_json (json_builder_get_root (b));
}

/* The JSON file: exactly its canonical form and a newline, so that no byte changes unnoticed. */
static JsonNode *
load_json (const char *data, gsize len, GError **error)
{
  g_autoptr (JsonNode) doc = nb_certificate_parse (data, (gssize) len, error);
  if (doc == NULL)
    return NULL;
  gsize canon_len = 0;
  g_autofree char *canon = nb_certificate_to_canonical (json_node_get_object (doc), &canon_len);
  if (len != canon_len + 1 || memcmp (data, canon, canon_len) != 0 || data[canon_len] != '\n')
    {
      g_set_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID,
                   _ ("the file is not the certificate's canonical form (a byte was changed, or "
                      "the file was reformatted)"));
      return NULL;
    }
  return g_steal_pointer (&doc);
}

static int
verify (int argc, char **argv)
{
  g_autofree char *key_path = NULL, *db = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key_path,
      N_ ("The laboratory's public key (default: lab.pub beside the laboratory key)"),
      N_ ("LAB.pub") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db,
      N_ ("Also check against the laboratory's database, a file or postgresql:// URI (the stored "
          "run and raw readings)"),
      N_ ("PATH|URI") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the outcome as JSON"), NULL },
    { NULL },
  };
  if (!nb_cli_parse (command, N_ ("FILE"),
                     N_ ("Checks a certificate (JSON or PDF) against its signatures and the "
                         "laboratory's public key, and with --db against the stored run."),
                     entries, &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc < 2)
    return nb_cli_usage (command, _ ("which certificate? (a .json or .pdf file)"));
  if (argc > 2)
    return nb_cli_usage (command, _ ("unexpected argument “%s”"), argv[2]);
  const char *path = argv[1];

  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return nb_cli_usage (command, _ ("%s is not a file"), path);
  if (!g_file_get_contents (path, &data, &len, &error))
    return nb_cli_usage (command, "%s", error->message);
  if (len > MAX_FILE_BYTES)
    return nb_cli_usage (command, _ ("%s is too large to be a certificate"), path);

  if (key_path == NULL)
    {
      g_autofree char *secret = nb_lab_key_default_path ();
      key_path = nb_lab_key_public_path (secret);
    }
  g_autoptr (NbLabKey) key = nb_lab_key_load_public (key_path, &error);
  if (key == NULL)
    return nb_cli_usage (command, _ ("%s (give the laboratory's public key with --key)"),
                         error->message);
  g_autofree char *key_id = nb_lab_key_id (key);

  gboolean pdf = len >= 5 && memcmp (data, "%PDF-", 5) == 0;
  const char *format = pdf ? "pdf" : "json";
  g_autoptr (JsonNode) doc = NULL;
  g_autoptr (GError) failure = NULL;
  if (pdf)
    {
      g_autoptr (GBytes) bytes = g_bytes_new_static (data, len);
      g_autoptr (NbCertificateSeal) seal = nb_certificate_verify_pdf (bytes, key, &failure);
      if (seal != NULL)
        doc = json_node_ref (seal->doc);
      else
        {
          /* name what the PDF claims to be, when its seal can still be read */
          g_autoptr (NbCertificateSeal) claimed = nb_certificate_unseal_pdf (bytes, NULL);
          if (claimed != NULL)
            doc = json_node_ref (claimed->doc);
        }
    }
  else
    {
      doc = load_json (data, len, &failure);
      gboolean valid
          = doc != NULL && nb_certificate_verify (json_node_get_object (doc), key, &failure);
      g_debug ("%s: the document %s", path, valid ? "verifies" : "does not verify");
    }

  if (failure == NULL && db != NULL)
    {
      g_autoptr (NbStore) store = nb_cli_open_store_read (db, &error);
      if (store == NULL)
        return nb_cli_fail (command, error);
      if (!nb_certificate_verify_records (json_node_get_object (doc), store, &failure)
          && failure->domain != NB_CERTIFICATE_ERROR)
        {
          g_autoptr (GError) store_error = g_steal_pointer (&failure);
          return nb_cli_fail (command, store_error);
        }
      if (failure != NULL)
        g_prefix_error (&failure, _ ("against the database: "));
    }

  JsonObject *o = doc != NULL ? json_node_get_object (doc) : NULL;
  if (json)
    print_json (path, format, o, key_id, db != NULL, failure);
  if (failure != NULL)
    {
      g_autofree char *file = nb_cli_escape (path);
      g_autofree char *message = nb_cli_escape (failure->message);
      g_printerr (_ ("needlebench-cli %s: %s is NOT valid: %s\n"), command, file, message);
      return NB_EXIT_OUT_OF_TOLERANCE; /* 1: checked, and it does not hold */
    }
  if (!json)
    print_text (format, o, key_id, db != NULL);
  return NB_EXIT_OK;
}

int
nb_cli_report (int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "verify"))
    return verify (argc - 1, argv + 1);
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      printf (
          _ ("Usage: needlebench-cli report verify FILE [--key LAB.pub] [--db PATH] [--json]\n"));
      return NB_EXIT_OK;
    }
  return nb_cli_usage ("report", _ ("unknown or missing subcommand: use report verify FILE"));
}
