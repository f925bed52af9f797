/* test-certificate.c: the certificate document (calibration/nb-certificate.h): built from the
 * result documents of two real runs of the simulated station (`run show --json`: a traceable
 * run, and a pen self-check), its keys and values, canonical form, content hash, signatures,
 * verification and CSV. */
#include <csv.h>
#include <glib/gstdio.h>
#include <string.h>

#include "nb-certificate-seal.h"
#include "nb-certificate.h"
#include "nb-store-runs.h"
#include "nb-store-standards.h"
#include "store-test-util.h"

static const NbCertificateInfo info = {
  .lab_name = "NeedleBench Test Laboratory",
  .lab_address = "1 Bench Street, 12345 Testville",
  .customer_name = "Clinic Example",
  .customer_address = "2 Customer Road",
  .profile_title = "Service check",
  .environment_json = "{\"temperature_c\":21.5,\"humidity_pct\":45.0}",
};

static JsonNode *
load_run (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("NB_TEST_DATA"), name, NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_autoptr (GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);
  g_assert_no_error (error);
  return node;
}

static NbLabKey *
test_key (guint8 fill)
{
  guint8 seed[NB_LAB_KEY_SEED_BYTES];
  memset (seed, fill, sizeof seed);
  return nb_lab_key_new_from_seed (seed, NULL);
}

static NbLabKey *
public_half (NbLabKey *key)
{
  return nb_lab_key_new_public (nb_lab_key_get_public (key), NULL);
}

/* A traceable run's certificate, numbered @number, signed by two users, issued and signed by
 * the laboratory with @key. */
static JsonNode *
issued_certificate (const char *number, NbLabKey *key)
{
  g_autoptr (JsonNode) run = load_run ("certificate-run-traceable.json");
  g_autoptr (GError) error = NULL;
  JsonNode *doc = nb_certificate_build (run, number, &info, &error);
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (doc);
  g_assert_true (nb_certificate_add_signature (o, "Alice Operator", "technician", "performed",
                                               "2026-12-02T14:10:00Z", &error));
  g_assert_true (nb_certificate_add_signature (o, "Bob Approver", "approver", "approved",
                                               "2026-12-02T14:20:00Z", &error));
  g_assert_no_error (error);
  g_assert_true (nb_certificate_issue (o, "2026-12-02T14:21:00Z", &error));
  g_assert_true (nb_certificate_sign_lab (o, key, &error));
  g_assert_no_error (error);
  return doc;
}

static const char *
str (JsonObject *o, const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, ".", -1);
  for (guint i = 0; parts[i + 1] != NULL; i++)
    o = json_object_get_object_member (o, parts[i]);
  return json_object_get_string_member (o, parts[g_strv_length (parts) - 1]);
}

static void
test_build_traceable (void)
{
  g_autoptr (JsonNode) run = load_run ("certificate-run-traceable.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) doc = nb_certificate_build (run, "NBL-2026-000001", &info, &error);
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (doc);
  g_assert_true (nb_certificate_check (o, &error));

  g_assert_cmpstr (str (o, "schema"), ==, "needlebench-certificate/1");
  g_assert_cmpstr (str (o, "kind"), ==, "calibration-certificate");
  g_assert_cmpstr (str (o, "number"), ==, "NBL-2026-000001");
  g_assert_cmpstr (str (o, "status"), ==, "draft");
  g_assert_cmpstr (str (o, "laboratory.name"), ==, "NeedleBench Test Laboratory");
  g_assert_cmpstr (str (o, "laboratory.location"), ==, "1 Bench Street, 12345 Testville");
  g_assert_cmpstr (str (o, "customer.name"), ==, "Clinic Example");
  g_assert_cmpstr (str (o, "item.model"), ==, "NB-Pen 3 (simulated)");
  g_assert_cmpstr (str (o, "item.serial"), ==, "NB-SIM-0001");
  g_assert_cmpstr (str (o, "item.firmware"), ==, "1.4.2-sim");
  g_assert_cmpstr (str (o, "item.condition"), ==, "as received, no damage noted");
  g_assert_cmpstr (str (o, "dates.received"), ==, "2026-12-02");
  g_assert_cmpstr (str (o, "dates.calibrated"), ==, "2026-12-02T14:07:09Z");
  g_assert_cmpstr (str (o, "dates.calibrated_end"), ==, "2026-12-02T14:07:12Z");
  g_assert_true (
      json_object_get_null_member (json_object_get_object_member (o, "dates"), "issued"));
  g_assert_cmpstr (str (o, "method.profile"), ==, "service-quick");
  g_assert_cmpint (
      json_object_get_int_member (json_object_get_object_member (o, "method"), "profile_version"),
      ==, 1);
  g_assert_cmpstr (str (o, "method.profile_title"), ==, "Service check");
  g_assert_cmpstr (str (o, "method.rule"), ==, "simple");
  g_assert_nonnull (strstr (str (o, "method.procedure"), "docs/calibration-method.md"));
  JsonObject *env = json_object_get_object_member (o, "environment");
  g_assert_cmpfloat (json_object_get_double_member (env, "temperature_c"), ==, 21.5);
  g_assert_cmpfloat (json_object_get_double_member (env, "humidity_pct"), ==, 45.0);

  JsonArray *standards = json_object_get_array_member (o, "standards");
  g_assert_cmpuint (json_array_get_length (standards), ==, 1);
  JsonObject *s = json_array_get_object_element (standards, 0);
  g_assert_cmpstr (str (s, "serial"), ==, "NB-FIX-SIM-0001");
  g_assert_cmpstr (str (s, "model"), ==, "NB-Fix 1 (simulated)");
  g_assert_cmpstr (str (s, "certificate"), ==, "CAL-2026-0417");
  g_assert_cmpfloat (json_object_get_double_member (s, "U_mm"), ==, 0.001);
  g_assert_cmpfloat (json_object_get_double_member (s, "k"), ==, 2.0);
  g_assert_cmpstr (str (s, "due"), ==, "2027-11-30");

  /* the traceability statement names the standard and says the results are traced through it */
  const char *trace = str (o, "traceability");
  g_assert_nonnull (strstr (trace, "traceable"));
  g_assert_nonnull (strstr (trace, "through"));
  g_assert_nonnull (strstr (trace, "NB-FIX-SIM-0001"));
  g_assert_nonnull (strstr (trace, "certificate CAL-2026-0417"));
  g_assert_nonnull (strstr (trace, "U = 0.0010 mm (k = 2.00)"));
  g_assert_nonnull (strstr (trace, "2027-11-30"));

  JsonArray *st = json_object_get_array_member (o, "statements");
  g_assert_cmpstr (json_array_get_string_element (st, 0), ==,
                   "The results relate only to the item calibrated.");
  const char *rule = json_array_get_string_element (st, 1);
  g_assert_nonnull (strstr (rule, "simple acceptance"));
  g_assert_nonnull (strstr (rule, "ILAC-G8:09/2019"));
  g_assert_nonnull (strstr (rule, "w = 0"));
  g_assert_nonnull (strstr (rule, "exactly at a tolerance limit passes"));
  g_assert_nonnull (strstr (json_array_get_string_element (st, 2), "Overall verdict: pass"));
  g_assert_cmpstr (json_array_get_string_element (st, json_array_get_length (st) - 1), ==,
                   "This certificate shall not be reproduced except in full without the "
                   "laboratory's approval.");

  /* results: the run's document exactly */
  g_assert_true (json_node_equal (json_object_get_member (o, "results"), run));
  g_assert_cmpint (json_object_get_int_member (o, "run"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "signatures")), ==, 0);
  g_assert_true (json_object_get_null_member (o, "lab_signature"));
  g_autofree char *hash = nb_certificate_content_hash (o);
  g_assert_cmpstr (str (o, "content_sha256"), ==, hash);
  g_assert_cmpuint (strlen (hash), ==, 64);

  /* a draft verifies as far as its hash, and is then reported as not signed */
  g_autoptr (NbLabKey) key = test_key (7);
  g_assert_false (nb_certificate_verify (o, key, &error));
  g_assert_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_NOT_SIGNED);
  g_clear_error (&error);
  g_assert_false (nb_certificate_sign_lab (o, key, &error));
  g_assert_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_NOT_SIGNED);
  g_clear_error (&error);
  /* no issue without an approver */
  g_assert_true (nb_certificate_add_signature (o, "Alice", "technician", "performed",
                                               "2026-12-02T14:10:00Z", &error));
  g_assert_false (nb_certificate_issue (o, "2026-12-02T14:21:00Z", &error));
  g_assert_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_NOT_SIGNED);
  g_clear_error (&error);

  /* a traceable run needs a number */
  g_assert_null (nb_certificate_build (run, NULL, &info, &error));
  g_assert_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID);
}

static void
test_verification_report (void)
{
  g_autoptr (JsonNode) run = load_run ("certificate-run-selfcheck.json");
  g_autoptr (GError) error = NULL;
  /* never a certificate number for a run that is not traceable */
  g_assert_null (nb_certificate_build (run, "NBL-2026-000002", &info, &error));
  g_assert_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "never a certificate number"));
  g_clear_error (&error);

  g_autoptr (JsonNode) doc = nb_certificate_build (run, NULL, &info, &error);
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (doc);
  g_assert_cmpstr (str (o, "kind"), ==, "verification-report");
  g_assert_true (json_object_get_null_member (o, "number"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "standards")), ==, 0);
  g_assert_true (g_str_has_prefix (str (o, "traceability"), "not traceable: pen self-check."));
  JsonArray *st = json_object_get_array_member (o, "statements");
  g_assert_cmpstr (json_array_get_string_element (st, 0), ==,
                   "The results relate only to the item tested.");
  g_assert_nonnull (
      strstr (json_array_get_string_element (st, 1), "not a calibration certificate"));
  g_assert_true (nb_certificate_check (o, &error));

  /* a document claiming to be a certificate without a number is not one */
  json_object_set_string_member (o, "kind", "calibration-certificate");
  g_assert_false (nb_certificate_check (o, &error));
  g_assert_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID);
}

static void
test_canonical (void)
{
  g_autoptr (NbLabKey) key = test_key (1);
  g_autoptr (JsonNode) doc = issued_certificate ("NBL-2026-000001", key);
  gsize len = 0;
  g_autofree char *text = nb_certificate_to_canonical (json_node_get_object (doc), &len);
  g_assert_cmpuint (strlen (text), ==, len);
  g_assert_true (g_str_has_prefix (text, "{\"schema\":\"needlebench-certificate/1\","
                                         "\"kind\":\"calibration-certificate\","
                                         "\"number\":\"NBL-2026-000001\",\"status\":\"issued\","));
  /* figures as the run printed them, never 17 digits */
  g_assert_nonnull (strstr (text, "\"mean_mm\":0.2949,"));
  g_assert_nonnull (strstr (text, "\"pfa\":8.564e-76,"));
  g_assert_nonnull (strstr (text, "\"rate_hz\":100.0,"));
  g_assert_null (strstr (text, "0000000"));
  g_assert_null (strchr (text, '\n'));

  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) again = nb_certificate_parse (text, len, &error);
  g_assert_no_error (error);
  gsize len2 = 0;
  g_autofree char *text2 = nb_certificate_to_canonical (json_node_get_object (again), &len2);
  g_assert_cmpstr (text, ==, text2);

  /* signed bytes: the document without its lab_signature */
  g_autoptr (GBytes) signed_bytes = nb_certificate_signed_bytes (json_node_get_object (doc));
  const char *marker = strstr (text, ",\"lab_signature\":{");
  g_assert_nonnull (marker);
  g_assert_cmpuint (g_bytes_get_size (signed_bytes), ==, (gsize) (marker - text) + 1);
  g_assert_cmpmem (g_bytes_get_data (signed_bytes, NULL), marker - text, text, marker - text);

  /* the canonical doubles and strings are Python's json.dumps (the by-hand check of
   * docs/certificate.md) */
  g_autoptr (JsonNode) odd = json_from_string (
      "{\"a\":[1e-05,1e+16,0.0001,123456789012345.0,-2.5,1e+22,5e-324,0.1,100.0,3],"
      "\"s\":\"tab\\there \\u0001\\u001f\\u007f \\\" \\\\ / \\u00e9 \\u2028 \\ud83d\\ude00\"}",
      &error);
  g_assert_no_error (error);
  g_autofree char *odd_text = nb_certificate_to_canonical (json_node_get_object (odd), NULL);
  g_assert_true (g_str_has_prefix (
      odd_text, "{\"a\":[1e-05,1e+16,0.0001,123456789012345.0,-2.5,1e+22,5e-324,0.1,100.0,3],"));
  g_assert_nonnull (strstr (odd_text, "\\t"));
  g_assert_nonnull (strstr (odd_text, "\\u0001\\u001f\x7f"));
}

/* The by-hand check of docs/certificate.md, with python3 when it is installed. */
static void
test_python_recipe (void)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  /* python3 is in tools/debian-packages.txt: missing, the docs' recipe is unchecked */
  if (python == NULL)
    g_error ("python3 is not installed (tools/debian-packages.txt): the by-hand recipe of "
             "docs/certificate.md cannot be checked");
  g_autoptr (NbLabKey) key = test_key (3);
  g_autoptr (JsonNode) doc = issued_certificate ("NBL-2026-000001", key);
  JsonObject *o = json_node_get_object (doc);
  g_autofree char *dir = g_dir_make_tmp ("nb-cert-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cert.json", NULL);
  gsize len = 0;
  g_autofree char *text = nb_certificate_to_canonical (o, &len);
  g_autofree char *file = g_strconcat (text, "\n", NULL);
  g_assert_true (g_file_set_contents (path, file, -1, NULL));
  const char *script
      = "import hashlib, json, sys\n"
        "d = json.load(open(sys.argv[1], encoding='utf-8'))\n"
        "def canon(x): return json.dumps(x, separators=(',', ':'), ensure_ascii=False)"
        ".encode('utf-8')\n"
        "keys = list(d)[:list(d).index('content_sha256')]\n"
        "c = {k: d[k] for k in keys if k != 'status'}\n"
        "c['dates'] = {k: v for k, v in d['dates'].items() if k != 'issued'}\n"
        "print(hashlib.sha256(canon(c)).hexdigest())\n"
        "s = dict(d); del s['lab_signature']\n"
        "print(hashlib.sha256(canon(s)).hexdigest())\n"
        "print(canon(d) == open(sys.argv[1], 'rb').read().rstrip(b'\\n'))\n";
  g_autofree char *script_path = g_build_filename (dir, "check.py", NULL);
  g_assert_true (g_file_set_contents (script_path, script, -1, NULL));
  const char *argv[] = { python, script_path, path, NULL };
  g_autofree char *out = NULL;
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  g_autofree char *hash = nb_certificate_content_hash (o);
  g_assert_cmpstr (lines[0], ==, hash);
  g_autoptr (GBytes) sb = nb_certificate_signed_bytes (o);
  g_autofree char *sb_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, sb);
  g_assert_cmpstr (lines[1], ==, sb_hash);
  g_assert_cmpstr (lines[2], ==, "True");
  g_unlink (script_path);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_verify (void)
{
  g_autoptr (NbLabKey) key = test_key (1);
  g_autoptr (NbLabKey) pub = public_half (key);
  g_autoptr (JsonNode) doc = issued_certificate ("NBL-2026-000001", key);
  JsonObject *o = json_node_get_object (doc);
  g_autoptr (GError) error = NULL;
  g_assert_true (nb_certificate_verify (o, pub, &error));
  g_assert_no_error (error);
  JsonObject *lab = json_object_get_object_member (o, "lab_signature");
  g_autofree char *id = nb_lab_key_id (key);
  g_assert_cmpstr (str (lab, "algorithm"), ==, "ed25519");
  g_assert_cmpstr (str (lab, "key_id"), ==, id);
  g_assert_cmpstr (str (o, "dates.issued"), ==, "2026-12-02T14:21:00Z");
  /* issuing did not change the hash the signatures bind to */
  JsonObject *sig0
      = json_array_get_object_element (json_object_get_array_member (o, "signatures"), 0);
  g_assert_cmpstr (str (sig0, "content_sha256"), ==, str (o, "content_sha256"));

  /* another laboratory's key */
  g_autoptr (NbLabKey) other = test_key (2);
  g_assert_false (nb_certificate_verify (o, other, &error));
  g_assert_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);

  /* one changed byte of a content member: the hash no longer matches */
  JsonObject *point = json_array_get_object_element (
      json_object_get_array_member (json_object_get_object_member (o, "results"), "points"), 0);
  JsonObject *af = json_object_get_object_member (point, "as_found");
  json_object_set_double_member (af, "mean_mm", 0.2948);
  g_assert_false (nb_certificate_verify (o, pub, &error));
  g_assert_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_BAD_HASH);
  g_clear_error (&error);
  json_object_set_double_member (af, "mean_mm", 0.2949);
  g_assert_true (nb_certificate_verify (o, pub, &error));

  /* with the hash recomputed, the laboratory signature still catches it */
  json_object_set_string_member (json_object_get_object_member (o, "customer"), "name", "Other");
  g_autofree char *forged = nb_certificate_content_hash (o);
  json_object_set_string_member (o, "content_sha256", forged);
  JsonArray *sigs = json_object_get_array_member (o, "signatures");
  for (guint i = 0; i < json_array_get_length (sigs); i++)
    json_object_set_string_member (json_array_get_object_element (sigs, i), "content_sha256",
                                   forged);
  g_assert_false (nb_certificate_verify (o, pub, &error));
  g_assert_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);

  /* the date of issue is outside the content hash but inside the laboratory's signature */
  g_autoptr (JsonNode) doc2 = issued_certificate ("NBL-2026-000001", key);
  JsonObject *o2 = json_node_get_object (doc2);
  json_object_set_string_member (json_object_get_object_member (o2, "dates"), "issued",
                                 "2026-12-01T14:21:00Z");
  g_assert_false (nb_certificate_verify (o2, pub, &error));
  g_assert_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);
}

static void
test_moved_signature (void)
{
  g_autoptr (NbLabKey) key = test_key (1);
  g_autoptr (NbLabKey) pub = public_half (key);
  g_autoptr (JsonNode) a = issued_certificate ("NBL-2026-000001", key);
  g_autoptr (JsonNode) run = load_run ("certificate-run-traceable.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) b = nb_certificate_build (run, "NBL-2026-000002", &info, &error);
  g_assert_no_error (error);
  JsonObject *ob = json_node_get_object (b);
  g_assert_true (nb_certificate_add_signature (ob, "Alice Operator", "technician", "performed",
                                               "2026-12-02T15:00:00Z", &error));
  g_assert_no_error (error);
  /* B's approval is copied from A (21 CFR 11.70: it must not transfer) */
  JsonArray *sa = json_object_get_array_member (json_node_get_object (a), "signatures");
  JsonNode *approval = json_node_copy (json_array_get_element (sa, 1));
  json_array_add_element (json_object_get_array_member (ob, "signatures"), approval);
  g_assert_true (nb_certificate_issue (ob, "2026-12-02T15:01:00Z", &error));
  /* even signed by the laboratory, the moved signature is found */
  g_assert_true (nb_certificate_sign_lab (ob, key, &error));
  g_assert_false (nb_certificate_verify (ob, pub, &error));
  g_assert_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_BAD_SIGNATURE);
  g_assert_nonnull (strstr (error->message, "signature 2 (Bob Approver, approved)"));
}

/* Every single changed byte of a certificate file is caught: the text no longer parses, is no
 * longer in canonical form, or fails verification. */
static void
test_every_byte (void)
{
  g_autoptr (NbLabKey) key = test_key (5);
  g_autoptr (NbLabKey) pub = public_half (key);
  g_autoptr (JsonNode) doc = issued_certificate ("NBL-2026-000001", key);
  gsize len = 0;
  g_autofree char *text = nb_certificate_to_canonical (json_node_get_object (doc), &len);
  guint caught_hash = 0, caught_sig = 0;
  for (gsize i = 0; i < len; i++)
    {
      g_autofree char *t = g_strndup (text, len);
      t[i] ^= 0x01;
      g_autoptr (JsonNode) d = nb_certificate_parse (t, len, NULL);
      if (d == NULL)
        continue;
      g_autofree char *c = nb_certificate_to_canonical (json_node_get_object (d), NULL);
      if (strcmp (c, t) != 0)
        continue;
      g_autoptr (GError) error = NULL;
      g_assert_false (nb_certificate_verify (json_node_get_object (d), pub, &error));
      caught_hash += error->code == NB_CERTIFICATE_ERROR_BAD_HASH;
      caught_sig += error->code == NB_CERTIFICATE_ERROR_BAD_SIGNATURE;
    }
  g_assert_cmpuint (caught_hash, >, 100);
  g_assert_cmpuint (caught_sig, >, 10);
}

static void
field_cb (void *s, size_t len, void *data)
{
  GPtrArray *row = g_ptr_array_index ((GPtrArray *) data, ((GPtrArray *) data)->len - 1);
  g_ptr_array_add (row, g_strndup (s, len));
}

static void
row_cb (int c, void *data)
{
  g_ptr_array_add (data, g_ptr_array_new_with_free_func (g_free));
}

static void
test_csv (void)
{
  g_autoptr (NbLabKey) key = test_key (1);
  g_autoptr (JsonNode) doc = issued_certificate ("NBL-2026-000001", key);
  g_autoptr (GError) error = NULL;
  g_autofree char *csv = nb_certificate_results_csv (json_node_get_object (doc), &error);
  g_assert_no_error (error);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_ptr_array_add (rows, g_ptr_array_new_with_free_func (g_free));
  struct csv_parser p;
  g_assert_cmpint (csv_init (&p, CSV_STRICT | CSV_STRICT_FINI), ==, 0);
  gsize n = strlen (csv);
  g_assert_cmpuint (csv_parse (&p, csv, n, field_cb, row_cb, rows), ==, n);
  g_assert_cmpint (csv_fini (&p, field_cb, row_cb, rows), ==, 0);
  csv_free (&p);
  g_ptr_array_remove_index (rows, rows->len - 1); /* the empty row opened after the last */
  /* header, 3 depth points and 1 rate point as found; no as-left (not adjusted) */
  g_assert_cmpuint (rows->len, ==, 5);
  const char *header[]
      = { "certificate", "status", "phase", "quantity", "target", "rate_hz", "n",   "mean", "sd",
          "error",       "u",      "U",     "k",        "nu_eff", "verdict", "pfa", "unit" };
  const char *first[] = { "NBL-2026-000001", "issued", "as-found", "depth",  "0.25",
                          "100.0",           "20",     "0.2949",   "0.0029", "0.0449",
                          "0.0009",          "0.0018", "2.04",     "62.1",   "pass",
                          "8.564e-76",       "mm" };
  const char *rate[] = { "NBL-2026-000001",
                         "issued",
                         "as-found",
                         "rate",
                         "100.0",
                         "100.0",
                         "60",
                         "101.203",
                         "0.078",
                         "1.203",
                         "0.01",
                         "0.021",
                         "2.04",
                         "59.0",
                         "pass",
                         "1.01e-101",
                         "Hz" };
  const char **expect[] = { header, first, NULL, NULL, rate };
  for (guint r = 0; r < rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (rows, r);
      g_assert_cmpuint (row->len, ==, 17);
      for (guint c = 0; expect[r] != NULL && c < 17; c++)
        g_assert_cmpstr (g_ptr_array_index (row, c), ==, expect[r][c]);
    }
  GPtrArray *third = g_ptr_array_index (rows, 3);
  g_assert_cmpstr (g_ptr_array_index (third, 4), ==, "2.0");
  g_assert_cmpstr (g_ptr_array_index (third, 7), ==, "2.0767");
}

/* nb_certificate_build_from_store: the run's document, profile title and environment from the
 * store. */
static void
test_from_store (void)
{
  g_autofree char *dir = g_dir_make_tmp ("nb-cert-store-XXXXXX", NULL);
  g_autofree char *db = nb_test_store_location (dir, "nb.db");
  g_autoptr (GError) error = NULL;
  g_autoptr (NbStore) store = nb_store_open (db, &error);
  g_assert_no_error (error);
  NbStoreStandardParams sp = { .serial = "NB-FIX-SIM-0001",
                               .model = "NB-Fix 1 (simulated)",
                               .certificate = "CAL-2026-0417",
                               .uncertainty_mm = 0.001,
                               .k = 2,
                               .due = "2027-11-30",
                               .added_by = "test" };
  gint64 standard = nb_store_add_standard (store, &sp, &error);
  g_assert_no_error (error);
  NbStoreRunParams rp = { .pen_serial = "NB-SIM-0001",
                          .fixture_serial = "NB-FIX-SIM-0001",
                          .standard_id = standard,
                          .profile_id = "service-quick",
                          .profile_version = 1,
                          .profile_json = "{\"id\":\"service-quick\",\"title\":\"Quick check\"}",
                          .rule = "simple",
                          .traceable = TRUE,
                          .operator_name = "alice",
                          .environment_json = "{\"temperature_c\":22.0,\"humidity_pct\":40.0}" };
  gint64 id = nb_store_begin_run (store, &rp, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, ==, 1);
  g_autofree char *path
      = g_build_filename (g_getenv ("NB_TEST_DATA"), "certificate-run-traceable.json", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (nb_store_close_run (store, id, NB_RUN_COMPLETE, "pass", NULL, text, &error));
  NbCertificateInfo bare = { .lab_name = "Lab", .lab_address = "Street" };
  g_autoptr (JsonNode) doc
      = nb_certificate_build_from_store (store, id, "X-2026-000001", &bare, &error);
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (doc);
  g_assert_cmpstr (str (o, "method.profile_title"), ==, "Quick check");
  JsonObject *env = json_object_get_object_member (o, "environment");
  g_assert_cmpfloat (json_object_get_double_member (env, "temperature_c"), ==, 22.0);
  g_assert_cmpfloat (json_object_get_double_member (env, "humidity_pct"), ==, 40.0);
  g_assert_cmpstr (str (o, "results.serial"), ==, "NB-SIM-0001");

  /* a run whose stored document names another run (not a copy from a bench: nothing in the copy
   * map) is refused, never certified under this run's id */
  gint64 other = nb_store_begin_run (store, &rp, &error);
  g_assert_no_error (error);
  g_assert_cmpint (other, ==, 2);
  g_assert_true (nb_store_close_run (store, other, NB_RUN_COMPLETE, "pass", NULL, text, &error));
  g_autoptr (JsonNode) refused
      = nb_certificate_build_from_store (store, other, "X-2026-000002", &bare, &error);
  g_assert_null (refused);
  g_assert_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_MISMATCH);
  g_clear_error (&error);
  g_clear_pointer (&store, nb_store_close);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (cmd), ==, 0);
}

/* A sealed PDF: the document it carries, and every single changed byte of it caught. */
static void
test_seal (void)
{
  g_autoptr (NbLabKey) key = test_key (9);
  g_autoptr (NbLabKey) pub = public_half (key);
  g_autoptr (JsonNode) doc = issued_certificate ("NBL-2026-000001", key);
  static const char pdf_text[]
      = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 "
        "0 R >>\n%%EOF\n";
  g_autoptr (GBytes) pdf = g_bytes_new_static (pdf_text, sizeof pdf_text - 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) sealed
      = nb_certificate_seal_pdf (pdf, json_node_get_object (doc), key, &error);
  g_assert_no_error (error);
  gsize len = 0;
  const char *data = g_bytes_get_data (sealed, &len);
  g_assert_true (g_str_has_prefix (data, pdf_text));
  g_assert_true (
      g_str_has_prefix (data + sizeof pdf_text - 1, "\n%NeedleBench-Certificate NBL-2026-000001 "));
  g_assert_cmpmem (data + len - 7, 7, "\n%%EOF\n", 7);

  g_autoptr (NbCertificateSeal) seal = nb_certificate_verify_pdf (sealed, pub, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seal->pdf_length, ==, sizeof pdf_text - 1);
  g_assert_cmpstr (seal->number, ==, "NBL-2026-000001");
  g_assert_cmpstr (seal->content_sha256, ==,
                   json_object_get_string_member (json_node_get_object (doc), "content_sha256"));
  g_assert_true (json_node_equal (seal->doc, doc));
  const char *sig_line = g_strrstr (data, "\n%NeedleBench-Signature ");
  g_assert_cmpuint (seal->signed_length, ==, (gsize) (sig_line - data) + 1);

  /* another key */
  g_autoptr (NbLabKey) other = test_key (10);
  g_assert_null (nb_certificate_verify_pdf (sealed, other, &error));
  g_assert_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);
  /* an unsealed PDF */
  g_assert_null (nb_certificate_verify_pdf (pdf, pub, &error));
  g_assert_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_NOT_SIGNED);
  g_clear_error (&error);
  /* anything appended after the seal */
  g_autofree char *longer = g_strconcat (data, "%%EOF\n", NULL);
  g_autoptr (GBytes) appended = g_bytes_new_static (longer, strlen (longer));
  g_assert_null (nb_certificate_verify_pdf (appended, pub, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  for (gsize i = 0; i < len; i++)
    {
      g_autofree char *t = g_memdup2 (data, len);
      t[i] ^= 0x01;
      g_autoptr (GBytes) changed = g_bytes_new_static (t, len);
      g_autoptr (NbCertificateSeal) s = nb_certificate_verify_pdf (changed, pub, NULL);
      if (s != NULL)
        g_error ("byte %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " changed unnoticed", i, len);
    }

  /* a draft is never sealed */
  g_autoptr (JsonNode) run = load_run ("certificate-run-traceable.json");
  g_autoptr (JsonNode) draft = nb_certificate_build (run, "NBL-2026-000003", &info, &error);
  g_assert_null (nb_certificate_seal_pdf (pdf, json_node_get_object (draft), key, &error));
  g_assert_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_NOT_SIGNED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/certificate/build-traceable", test_build_traceable);
  g_test_add_func ("/certificate/verification-report", test_verification_report);
  g_test_add_func ("/certificate/canonical", test_canonical);
  g_test_add_func ("/certificate/python-recipe", test_python_recipe);
  g_test_add_func ("/certificate/verify", test_verify);
  g_test_add_func ("/certificate/moved-signature", test_moved_signature);
  g_test_add_func ("/certificate/every-byte", test_every_byte);
  g_test_add_func ("/certificate/csv", test_csv);
  nb_test_add_func ("/certificate/from-store", test_from_store);
  g_test_add_func ("/certificate/seal", test_seal);
  return nb_test_run ();
}
