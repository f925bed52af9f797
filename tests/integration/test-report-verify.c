/* test-report-verify.c: `needlebench-cli report verify` end to end. A simulated station is
 * calibrated with the CLI into a temporary database and certified with the CLI (lab set, user
 * add, certificate, sign --meaning approved: issued, the laboratory key made on first use,
 * certificate again: the issued JSON and PDF); the PDF is sealed with nb_certificate_seal_pdf.
 * Then: both verify with the public key alone (exit 0) and with the database; a changed byte
 * anywhere in either file fails (exit 1, saying what failed); another key fails; a certificate
 * the laboratory's key signed but the database does not hold (another content under the same
 * number, or a verification report whose results are not the stored run's) passes alone and
 * fails with --db; usage errors exit 2; the by-hand check of docs/certificate.md (python3 +
 * openssl) verifies the same file; pdfinfo still reads the sealed PDF. */
#include <glib/gstdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "cli-harness.h"
#include "nb-certificate-seal.h"
#include "nb-certificate.h"
#include "nb-lab-key.h"
#include "nb-store.h"

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

#define GOOD                                                                                       \
  "depth-offset=0,depth-gain=1,nonlinearity=0,drift=0,rate-loss=0,rate-error=0,time-scale=20"

#define PASSWORD "correct horse battery"

typedef struct
{
  char *dir, *db, *key, *pub, *json, *pdf, *number;
  gint64 run, selfcheck;
} Bench;

static Bench bench;

static const NbCertificateInfo info = {
  .lab_name = "NeedleBench Test Laboratory",
  .lab_address = "1 Bench Street",
  .customer_name = "Clinic Example",
};

static char *
path_in (const char *name)
{
  return g_build_filename (bench.dir, name, NULL);
}

static void
write_file (const char *path, const void *data, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_set_contents (path, data, (gssize) len, &error));
  g_assert_no_error (error);
}

/* A document of run @run issued with the library, outside the certificate records, and signed
 * with the laboratory's key. With @forge_results the results are changed before anything is
 * hashed or signed: a document the laboratory's key vouches for, but the database does not. */
static JsonNode *
issue (gint64 run, const char *number, gboolean forge_results)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_store_open (bench.db, &error);
  g_assert_no_error (error);
  g_autoptr (JsonNode) doc = nb_certificate_build_from_store (store, run, number, &info, &error);
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (doc);
  if (forge_results)
    {
      JsonObject *results = json_object_get_object_member (o, "results");
      JsonObject *p0
          = json_array_get_object_element (json_object_get_array_member (results, "points"), 0);
      JsonObject *af = json_object_get_object_member (p0, "as_found");
      json_object_set_double_member (af, "mean_mm",
                                     json_object_get_double_member (af, "mean_mm") + 0.01);
      g_autofree char *hash = nb_certificate_content_hash (o);
      json_object_set_string_member (o, "content_sha256", hash);
    }
  g_assert_true (nb_certificate_add_signature (o, "Alice Operator", "technician", "performed",
                                               "2026-12-02T14:10:00Z", &error));
  g_assert_true (nb_certificate_add_signature (o, "Bob Approver", "approver", "approved",
                                               "2026-12-02T14:20:00Z", &error));
  g_assert_true (nb_certificate_issue (o, "2026-12-02T14:21:00Z", &error));
  g_autoptr (NbLabKey) key = nb_lab_key_load_or_create (bench.key, &error);
  g_assert_no_error (error);
  g_assert_true (nb_certificate_sign_lab (o, key, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&doc);
}

/* The certificate PDF the CLI wrote (its renderer's output), for sealing. */
static GBytes *
rendered_pdf (void)
{
  g_autofree char *name = g_strconcat (bench.number, ".pdf", NULL);
  g_autofree char *path = g_build_filename (bench.dir, "out", name, NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  return g_bytes_new_take (g_steal_pointer (&data), len);
}

static void
write_certificate (JsonNode *doc, const char *json_path, const char *pdf_path)
{
  gsize len = 0;
  g_autofree char *text = nb_certificate_to_canonical (json_node_get_object (doc), &len);
  g_autofree char *file = g_strconcat (text, "\n", NULL);
  write_file (json_path, file, len + 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (NbLabKey) key = nb_lab_key_load_or_create (bench.key, &error);
  g_autoptr (GBytes) pdf = rendered_pdf ();
  g_autoptr (GBytes) sealed
      = nb_certificate_seal_pdf (pdf, json_node_get_object (doc), key, &error);
  g_assert_no_error (error);
  write_file (pdf_path, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed));
}

/* needlebench-cli with @args and "--db" DB, @password on descriptor 3 when not NULL. */
static void
run_cli (CliResult *r, const char *password, const char *const *args)
{
  g_autoptr (GSubprocessLauncher) l
      = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (password != NULL)
    {
      int fds[2];
      g_assert_cmpint (pipe (fds), ==, 0);
      g_autofree char *line = g_strdup_printf ("%s\n", password);
      g_assert_cmpint (write (fds[1], line, strlen (line)), ==, (gssize) strlen (line));
      close (fds[1]);
      g_subprocess_launcher_take_fd (l, fds[0], 3);
    }
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) g_getenv ("NB_CLI"));
  for (const char *const *a = args; *a; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, bench.db);
  g_ptr_array_add (argv, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) p
      = g_subprocess_launcher_spawnv (l, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  cli_finish (r, p);
  if (r->status != 0)
    g_error ("%s: exit %d: %s", args[0], r->status, r->err);
}

#define CLI(r, password, ...)                                                                      \
  do                                                                                               \
    {                                                                                              \
      const char *const args_[] = { __VA_ARGS__, NULL };                                           \
      run_cli ((r), (password), args_);                                                            \
    }                                                                                              \
  while (0)

static gint64
calibrate (const char *serial, gboolean selfcheck)
{
  g_autofree char *pen = g_strdup_printf ("sim:serial=%s,%s", serial, GOOD);
  g_autofree char *fixture = g_strdup_printf ("sim-fixture:pen=%s", serial);
  g_auto (CliResult) r = { 0 };
  if (selfcheck)
    CLI (&r, NULL, "calibrate", "-d", pen, "--reference", "pen", "--profile", "service-quick",
         "--operator", "alice", "--json");
  else
    CLI (&r, NULL, "calibrate", "-d", pen, "--fixture", fixture, "--profile", "service-quick",
         "--operator", "alice", "--json");
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = cli_json_object (&r, &parser);
  g_assert_true (json_object_get_boolean_member (o, "traceable") == !selfcheck);
  return json_object_get_int_member (o, "run");
}

static void
bench_setup (void)
{
  bench.dir = g_dir_make_tmp ("nb-report-verify-XXXXXX", NULL);
  bench.db = path_in ("nb.db");
  bench.key = path_in ("keys/lab.key");
  bench.pub = path_in ("keys/lab.pub");
  bench.json = path_in ("cert.json");
  bench.pdf = path_in ("cert.pdf");
  g_autofree char *out = path_in ("out");
  g_auto (CliResult) std = { 0 }, lab = { 0 }, user = { 0 }, draft = { 0 }, sign = { 0 },
                     issued = { 0 };
  CLI (&std, NULL, "standards", "add", "--serial", "NB-FIX-SIM-0001", "--certificate",
       "CAL-2026-0417", "--uncertainty-mm", "0.0010", "--k", "2", "--due", "2099-12-31");
  bench.run = calibrate ("NB-SIM-0001", FALSE);
  bench.selfcheck = calibrate ("NB-SIM-0002", TRUE);
  g_autofree char *run = g_strdup_printf ("%" G_GINT64_FORMAT, bench.run);

  CLI (&lab, NULL, "lab", "set", "--name", "NeedleBench Test Laboratory", "--address",
       "1 Bench Street", "--prefix", "NBL");
  CLI (&user, PASSWORD, "user", "add", "bob", "--role", "approver", "--display-name",
       "Bob Approver", "--password-fd", "3");
  CLI (&draft, NULL, "certificate", run, "--out", out, "--customer", "Clinic Example", "--json");
  g_autoptr (JsonParser) parser = NULL;
  bench.number
      = g_strdup (json_object_get_string_member (cli_json_object (&draft, &parser), "number"));
  CLI (&sign, PASSWORD, "sign", bench.number, "--user", "bob", "--meaning", "approved",
       "--password-fd", "3", "--key", bench.key);
  CLI (&issued, NULL, "certificate", run, "--out", out, "--key", bench.key);

  /* the issued JSON as the CLI wrote it; the PDF the CLI rendered, sealed */
  g_autofree char *json_name = g_strconcat (bench.number, ".json", NULL);
  g_autofree char *written = g_build_filename (out, json_name, NULL);
  g_autofree char *text = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (written, &text, &len, NULL));
  write_file (bench.json, text, len);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) doc = nb_certificate_parse (text, (gssize) len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (doc), "status"), ==,
                   "issued");
  g_autoptr (NbLabKey) key = nb_lab_key_load_or_create (bench.key, &error);
  g_assert_no_error (error);
  g_autoptr (GBytes) pdf = rendered_pdf ();
  g_autoptr (GBytes) sealed
      = nb_certificate_seal_pdf (pdf, json_node_get_object (doc), key, &error);
  g_assert_no_error (error);
  write_file (bench.pdf, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed));
}

static int
verify (const char *file, const char *key, gboolean with_db, CliResult *r)
{
  const char *argv[]
      = { "report", "verify", file, "--key", key, with_db ? "--db" : NULL, bench.db, NULL };
  cli_runv (r, argv);
  return r->status;
}

static void
test_valid (void)
{
  const char *files[] = { bench.json, bench.pdf };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    for (guint db = 0; db < 2; db++)
      {
        g_auto (CliResult) r = { 0 };
        if (verify (files[i], bench.pub, db, &r) != 0)
          g_error ("%s%s: exit %d: %s", files[i], db ? " --db" : "", r.status, r.err);
        g_autofree char *head
            = g_strdup_printf ("valid: calibration certificate %s, issued 20", bench.number);
        g_assert_true (g_str_has_prefix (r.out, head));
        g_assert_nonnull (strstr (r.out, " by NeedleBench Test Laboratory\n"));
        g_assert_nonnull (strstr (r.out, "approved: Bob Approver, 20"));
        g_assert_true (db == 0 || strstr (r.out, "database:") != NULL);
      }
  /* --json */
  g_auto (CliResult) r = { 0 };
  cli_run (&r, "report", "verify", bench.pdf, "--key", bench.pub, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = cli_json_object (&r, &parser);
  g_assert_true (json_object_get_boolean_member (o, "valid"));
  g_assert_cmpstr (json_object_get_string_member (o, "format"), ==, "pdf");
  g_assert_cmpstr (json_object_get_string_member (o, "number"), ==, bench.number);
  g_assert_true (json_object_get_null_member (o, "error"));

  /* the sealed PDF is still a PDF for a reader */
  g_autofree char *pdfinfo = g_find_program_in_path ("pdfinfo");
  if (pdfinfo != NULL)
    {
      const char *argv[] = { pdfinfo, bench.pdf, NULL };
      int status = 0;
      g_autofree char *out = NULL;
      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                                   NULL, &out, NULL, &status, NULL));
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      g_assert_nonnull (strstr (out, "Pages:"));
    }
}

/* One changed byte at @pos of a copy of @path must fail, naming why. */
static void
assert_flip_fails (const char *path, gsize pos, gboolean with_db)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (pos, <, len);
  data[pos] ^= 0x01;
  g_autofree char *copy
      = path_in (g_str_has_suffix (path, ".pdf") ? "changed.pdf" : "changed.json");
  write_file (copy, data, len);
  g_auto (CliResult) r = { 0 };
  if (verify (copy, bench.pub, with_db, &r) != 1)
    g_error ("byte %" G_GSIZE_FORMAT " of %s changed: exit %d, %s", pos, path, r.status, r.out);
  g_assert_nonnull (strstr (r.err, "is NOT valid: "));
  g_assert_cmpstr (r.out, ==, "");
}

static void
test_changed_bytes (void)
{
  const char *files[] = { bench.json, bench.pdf };
  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *data = NULL;
      gsize len = 0;
      g_assert_true (g_file_get_contents (files[f], &data, &len, NULL));
      /* 25 bytes spread over the file, with and without the database, and the figure a forger
       * would change: the first mean */
      for (guint i = 0; i < 25; i++)
        assert_flip_fails (files[f], (len - 1) * i / 24, i % 2);
      const char *mean = strstr (data, "\"mean_mm\":");
      if (mean != NULL)
        assert_flip_fails (files[f], (gsize) (mean - data) + 12, FALSE);
    }
  /* what the failure says: a changed figure breaks the content hash */
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (bench.json, &data, &len, NULL));
  char *mean = strstr (data, "\"mean_mm\":0.");
  mean[strlen ("\"mean_mm\":0.") + 1] ^= 0x01;
  g_autofree char *copy = path_in ("mean.json");
  write_file (copy, data, len);
  g_auto (CliResult) r = { 0 };
  g_assert_cmpint (verify (copy, bench.pub, FALSE, &r), ==, 1);
  g_assert_nonnull (strstr (r.err, "the content was changed"));
}

static void
test_other_key (void)
{
  g_autofree char *other_key = path_in ("other/lab.key");
  g_autofree char *other_pub = path_in ("other/lab.pub");
  g_autoptr (NbLabKey) other = nb_lab_key_load_or_create (other_key, NULL);
  g_assert_nonnull (other);
  const char *files[] = { bench.json, bench.pdf };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_auto (CliResult) r = { 0 };
      g_assert_cmpint (verify (files[i], other_pub, FALSE, &r), ==, 1);
      g_assert_nonnull (strstr (r.err, "is NOT valid"));
    }
}

/* Verifies @doc written as JSON and as a sealed PDF: valid alone, and with --db exit @db_status
 * with @db_message. */
static void
assert_database_check (JsonNode *doc, const char *name, int db_status, const char *db_message)
{
  g_autofree char *json_name = g_strconcat (name, ".json", NULL);
  g_autofree char *pdf_name = g_strconcat (name, ".pdf", NULL);
  g_autofree char *json = path_in (json_name);
  g_autofree char *pdf = path_in (pdf_name);
  write_certificate (doc, json, pdf);
  const char *files[] = { json, pdf };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_auto (CliResult) alone = { 0 };
      g_assert_cmpint (verify (files[i], bench.pub, FALSE, &alone), ==, 0);
      g_auto (CliResult) r = { 0 };
      if (verify (files[i], bench.pub, TRUE, &r) != db_status)
        g_error ("%s --db: exit %d: %s%s", files[i], r.status, r.out, r.err);
      if (db_message != NULL)
        g_assert_nonnull (strstr (r.err, db_message));
    }
}

static void
test_database_mismatch (void)
{
  /* another content under the certificate's number, signed with the laboratory's key */
  g_autoptr (JsonNode) forged = issue (bench.run, bench.number, TRUE);
  g_autofree char *hash_message
      = g_strdup_printf ("against the database: certificate %s in the database (revision 1) has "
                         "content hash",
                         bench.number);
  assert_database_check (forged, "forged", 1, hash_message);
  /* a number the database never gave */
  g_autoptr (JsonNode) unknown = issue (bench.run, "NBL-2026-999999", FALSE);
  assert_database_check (unknown, "unknown", 1, "the database has no certificate NBL-2026-999999");
  /* a verification report (no certificate record): its results against the stored run, and the
   * run's raw readings */
  g_autoptr (JsonNode) report = issue (bench.selfcheck, NULL, FALSE);
  assert_database_check (report, "report", 0, NULL);
  g_autoptr (JsonNode) changed = issue (bench.selfcheck, NULL, TRUE);
  assert_database_check (changed, "changed", 1, "the results differ from run");

  /* a database without that certificate */
  g_autofree char *empty = path_in ("empty.db");
  {
    g_autoptr (NbStore) store = nb_store_open (empty, NULL);
    g_assert_nonnull (store);
  }
  g_auto (CliResult) r = { 0 };
  cli_run (&r, "report", "verify", bench.json, "--key", bench.pub, "--db", empty, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "the database has no certificate"));
}

static void
test_usage (void)
{
  g_auto (CliResult) a = { 0 };
  cli_run (&a, "report", "verify", NULL);
  g_assert_cmpint (a.status, ==, 2);
  g_auto (CliResult) b = { 0 };
  g_autofree char *missing = path_in ("nothing.json");
  cli_run (&b, "report", "verify", missing, "--key", bench.pub, NULL);
  g_assert_cmpint (b.status, ==, 2);
  g_auto (CliResult) c = { 0 };
  cli_run (&c, "report", "verify", bench.json, "--key", missing, NULL);
  g_assert_cmpint (c.status, ==, 2);
  g_auto (CliResult) d = { 0 };
  cli_run (&d, "report", "verify", bench.json, "--bogus", NULL);
  g_assert_cmpint (d.status, ==, 2);
  g_auto (CliResult) e = { 0 };
  cli_run (&e, "report", "frobnicate", NULL);
  g_assert_cmpint (e.status, ==, 2);
  /* a file that is no certificate at all: checked, and invalid */
  g_auto (CliResult) f = { 0 };
  cli_run (&f, "report", "verify", bench.pub, "--key", bench.pub, NULL);
  g_assert_cmpint (f.status, ==, 1);
}

/* docs/certificate.md, "Verifying a certificate by hand", run as written there. */
static void
test_by_hand (void)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  /* both are in tools/debian-packages.txt: missing, the docs' recipe is unchecked, a failure */
  if (python == NULL || openssl == NULL)
    g_error ("python3 or openssl is not installed (tools/debian-packages.txt): the by-hand "
             "check of docs/certificate.md cannot run");
  g_autofree char *md_path
      = g_build_filename (g_getenv ("NB_SOURCE_ROOT"), "docs", "certificate.md", NULL);
  g_autofree char *md = NULL;
  g_assert_true (g_file_get_contents (md_path, &md, NULL, NULL));
  const char *start = strstr (md, "```python\n");
  g_assert_nonnull (start);
  start += strlen ("```python\n");
  const char *end = strstr (start, "```");
  g_autofree char *script = g_strndup (start, (gsize) (end - start));
  g_autofree char *script_path = path_in ("by-hand.py");
  write_file (script_path, script, strlen (script));
  /* the script reads cert.json and lab.pub in the current directory */
  g_autofree char *pub_copy = path_in ("lab.pub");
  g_autofree char *pub = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (bench.pub, &pub, &len, NULL));
  write_file (pub_copy, pub, len);
  const char *py[] = { python, script_path, NULL };
  int status = 0;
  g_autofree char *err = NULL;
  g_assert_true (g_spawn_sync (bench.dir, (char **) py, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                               &err, &status, NULL));
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("the by-hand script failed: %s", err);
  const char *ossl[] = { openssl,  "pkeyutl", "-verify",    "-pubin",   "-inkey",  "lab.pem",
                         "-rawin", "-in",     "signed.bin", "-sigfile", "sig.bin", NULL };
  g_autofree char *out = NULL;
  g_assert_true (g_spawn_sync (bench.dir, (char **) ossl, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, "Signature Verified Successfully"));
  /* and the same check refuses a changed signed byte */
  g_autofree char *signed_path = path_in ("signed.bin");
  g_autofree char *bytes = NULL;
  g_assert_true (g_file_get_contents (signed_path, &bytes, &len, NULL));
  bytes[len / 2] ^= 0x01;
  write_file (signed_path, bytes, len);
  g_clear_pointer (&out, g_free);
  g_assert_true (g_spawn_sync (bench.dir, (char **) ossl, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &out, NULL, &status, NULL));
  g_assert_false (g_spawn_check_wait_status (status, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  bench_setup ();
  g_test_add_func ("/report-verify/valid", test_valid);
  g_test_add_func ("/report-verify/changed-bytes", test_changed_bytes);
  g_test_add_func ("/report-verify/other-key", test_other_key);
  g_test_add_func ("/report-verify/database-mismatch", test_database_mismatch);
  g_test_add_func ("/report-verify/usage", test_usage);
  g_test_add_func ("/report-verify/by-hand", test_by_hand);
  int rc = g_test_run ();
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", bench.dir);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", bench.dir);
  return rc;
}
