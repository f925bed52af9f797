/* test-dcc.c: the Digital Calibration Certificate (nb-dcc.h). Every DCC written here is validated
 * against PTB's DCC 3.2.0 schema with D-SI 2.1.0, offline (tests/data/dcc/validate-dcc.sh, xmllint
 * --nonet), and read back with libxml2's XPath to check the figures it carries. The certificate
 * documents in tests/data are real runs of the simulated station (calibrate … time-scale=20,
 * `run show --json`) wrapped in the certificate keys of nb-certificate.h. */
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "nb-certificate.h"
#include "nb-dcc.h"

static const char *dcc_dir;  /* NB_DCC_SCHEMAS */
static const char *data_dir; /* NB_TEST_DATA */

static JsonObject *
load (const char *name)
{
  g_autofree char *path = g_build_filename (data_dir, name, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* validates @xml against the 3.2.0 schema with the offline script */
static void
assert_valid (const char *xml)
{
  g_autofree char *script = g_build_filename (dcc_dir, "validate-dcc.sh", NULL);
  g_assert_true (g_file_test (script, G_FILE_TEST_IS_REGULAR));
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("nb-dcc-XXXXXX.xml", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, xml, -1, &error));
  const char *argv[] = { "sh", script, "3.2.0", path, NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_printerr ("xmllint rejected the DCC (kept in %s):\n%s\n", path, err);
      g_assert_not_reached ();
    }
  g_assert_nonnull (strstr (err, "validates"));
  g_unlink (path);
}

/* string(@expr) over the DCC, with the dcc and si prefixes bound */
static char *
xpath (const char *xml, const char *expr)
{
  xmlDocPtr doc = xmlReadMemory (xml, (int) strlen (xml), "dcc.xml", NULL, XML_PARSE_NONET);
  g_assert_nonnull (doc);
  xmlXPathContextPtr ctx = xmlXPathNewContext (doc);
  xmlXPathRegisterNs (ctx, BAD_CAST "dcc", BAD_CAST NB_DCC_NAMESPACE);
  xmlXPathRegisterNs (ctx, BAD_CAST "si", BAD_CAST NB_DCC_SI_NAMESPACE);
  g_autofree char *wrapped = g_strdup_printf ("string(%s)", expr);
  xmlXPathObjectPtr res = xmlXPathEvalExpression (BAD_CAST wrapped, ctx);
  g_assert_nonnull (res);
  char *s = g_strdup ((const char *) res->stringval);
  xmlXPathFreeObject (res);
  xmlXPathFreeContext (ctx);
  xmlFreeDoc (doc);
  return s;
}

static void
assert_xpath (const char *xml, const char *expr, const char *expected)
{
  g_autofree char *got = xpath (xml, expr);
  if (g_strcmp0 (got, expected) != 0)
    g_printerr ("XPath %s\n", expr);
  g_assert_cmpstr (got, ==, expected);
}

static char *
write_ok (JsonObject *doc)
{
  g_autoptr (GError) error = NULL;
  char *xml = nb_dcc_write (doc, &error);
  g_assert_no_error (error);
  g_assert_nonnull (xml);
  return xml;
}

#define ADMIN "/dcc:digitalCalibrationCertificate/dcc:administrativeData"
#define RESULTS "/dcc:digitalCalibrationCertificate/dcc:measurementResults/dcc:measurementResult"
/* a point's result: its measurementResult by name, its result by position */
#define POINT(mr, i) RESULTS "[dcc:name/dcc:content='" mr "']/dcc:results/dcc:result[" i "]"
#define MEAN "/dcc:data/dcc:quantity[@refType='basic_measuredValue']"

static void
test_cheek_chin (void)
{
  g_autoptr (JsonObject) doc = load ("certificate-cheek-chin-thick.json");
  g_autofree char *xml = write_ok (doc);
  assert_valid (xml);

  assert_xpath (xml, "/dcc:digitalCalibrationCertificate/@schemaVersion", "3.2.0");
  assert_xpath (xml, ADMIN "/dcc:coreData/dcc:uniqueIdentifier", "NBL-2026-000017");
  assert_xpath (xml, ADMIN "/dcc:coreData/dcc:receiptDate", "2026-12-02");
  assert_xpath (xml, ADMIN "/dcc:coreData/dcc:beginPerformanceDate", "2026-12-02");
  assert_xpath (xml, ADMIN "/dcc:coreData/dcc:issueDate", "2026-12-02");
  assert_xpath (xml, ADMIN "/dcc:items/dcc:item/dcc:model", "NB-Pen 3 (simulated)");
  assert_xpath (xml,
                ADMIN "/dcc:items/dcc:item/dcc:identifications/dcc:identification"
                      "[dcc:name/dcc:content='Serial number']/dcc:value",
                "PEN-7");
  assert_xpath (xml,
                ADMIN "/dcc:items/dcc:item/dcc:identifications/dcc:identification"
                      "[dcc:name/dcc:content='Firmware version']/dcc:value",
                "1.4.2-sim");
  /* the approver is the main signer; the technician is not */
  assert_xpath (
      xml,
      ADMIN
      "/dcc:respPersons/dcc:respPerson[dcc:mainSigner='true']/dcc:person/dcc:name/dcc:content",
      "C. Approver");
  assert_xpath (xml, "count(" ADMIN "/dcc:respPersons/dcc:respPerson)", "2");
  assert_xpath (xml, "count(" ADMIN "/dcc:respPersons/dcc:respPerson[dcc:mainSigner])", "1");
  assert_xpath (xml, ADMIN "/dcc:customer/dcc:name/dcc:content", "Clinic Example GmbH");
  assert_xpath (xml,
                "count(" ADMIN "/dcc:statements/dcc:statement[dcc:declaration/dcc:content="
                "'The results relate only to the item calibrated.'])",
                "1");
  assert_xpath (xml,
                ADMIN "/dcc:statements/dcc:statement[@refType='basic_conformity']/dcc:conformity",
                "pass");
  assert_xpath (xml, ADMIN "/dcc:statements/dcc:statement[@refType='basic_conformity']/dcc:norm",
                "ILAC-G8:09/2019");
  assert_xpath (xml, "count(" ADMIN "/dcc:statements/dcc:statement[dcc:name/dcc:content='Draft'])",
                "0");

  /* four parts: depth and rate, as found (before adjustment) and as left (after); then the
   * pen's indication */
  assert_xpath (xml, "count(" RESULTS ")", "5");
  assert_xpath (xml, RESULTS "[5]/dcc:name/dcc:content", "Indication of the pen's depth sensor");
  assert_xpath (xml, "count(" RESULTS "[5]//dcc:result)", "6");
  assert_xpath (xml, RESULTS "[5]//dcc:result[1]/dcc:name/dcc:content",
                "Pen indication at 1.00 mm, 100 Hz, as found");
  assert_xpath (
      xml, RESULTS "[5]//dcc:result[1]//dcc:quantity[@refType='basic_measuredValue']//si:value",
      "1.1652");
  assert_xpath (xml,
                RESULTS "[5]//dcc:result[1]//dcc:quantity[@refType='basic_referenceValue']"
                        "//si:value",
                "1.1649");
  assert_xpath (xml,
                RESULTS "[5]//dcc:result[1]//dcc:quantity[@refType='basic_measurementError']"
                        "//si:value",
                "0.0003");
  assert_xpath (xml,
                RESULTS "[dcc:name/dcc:content='Needle depth, as found']/dcc:influenceConditions/"
                        "dcc:influenceCondition/dcc:status",
                "beforeAdjustment");
  assert_xpath (xml,
                RESULTS "[dcc:name/dcc:content='Needle depth, as left']/dcc:influenceConditions/"
                        "dcc:influenceCondition/dcc:status",
                "afterAdjustment");
  assert_xpath (xml,
                RESULTS "[1]/dcc:influenceConditions/dcc:influenceCondition"
                        "[@refType='basic_temperature']//si:value",
                "21.5");
  assert_xpath (xml,
                RESULTS "[1]/dcc:influenceConditions/dcc:influenceCondition"
                        "[@refType='basic_humidityRelative']//si:unit",
                "\\percent");

  /* point 1 (1.00 mm, 100 Hz) as found: 1.1649 mm, U 0.0025 mm at k 2.01, a fail; as left
   * 0.9994 mm, a pass (the run's document, tests/data) */
  const char *af = POINT ("Needle depth, as found", "1");
  g_autofree char *af_name = g_strconcat (af, "/dcc:name/dcc:content", NULL);
  assert_xpath (xml, af_name, "Needle depth at 1.00 mm, 100 Hz, as found");
  g_autofree char *af_value = g_strconcat (af, MEAN "/si:real/si:value", NULL);
  assert_xpath (xml, af_value, "1.1649");
  g_autofree char *af_unit = g_strconcat (af, MEAN "/si:real/si:unit", NULL);
  assert_xpath (xml, af_unit, "\\milli\\metre");
  g_autofree char *af_U = g_strconcat (af, MEAN "/si:real/si:expandedUnc/si:uncertainty", NULL);
  assert_xpath (xml, af_U, "0.0025");
  g_autofree char *af_k = g_strconcat (af, MEAN "/si:real/si:expandedUnc/si:coverageFactor", NULL);
  assert_xpath (xml, af_k, "2.01");
  g_autofree char *af_p
      = g_strconcat (af, MEAN "/si:real/si:expandedUnc/si:coverageProbability", NULL);
  assert_xpath (xml, af_p, "0.9545");
  g_autofree char *af_conf
      = g_strconcat (af, MEAN "/dcc:measurementMetaData/dcc:metaData/dcc:conformity", NULL);
  assert_xpath (xml, af_conf, "fail");
  g_autofree char *af_err = g_strconcat (
      af, "/dcc:data/dcc:quantity[@refType='basic_measurementError']/si:real/si:value", NULL);
  assert_xpath (xml, af_err, "0.1649");
  g_autofree char *af_upper = g_strconcat (
      af, "/dcc:data/dcc:quantity[@refType='basic_acceptanceLimitUpper']/si:real/si:value", NULL);
  assert_xpath (xml, af_upper, "1.1500");

  const char *al = POINT ("Needle depth, as left", "1");
  g_autofree char *al_value = g_strconcat (al, MEAN "/si:real/si:value", NULL);
  assert_xpath (xml, al_value, "0.9994");
  g_autofree char *al_conf
      = g_strconcat (al, MEAN "/dcc:measurementMetaData/dcc:metaData/dcc:conformity", NULL);
  assert_xpath (xml, al_conf, "pass");

  const char *rate = POINT ("Stroke rate, as found", "1");
  g_autofree char *rate_value = g_strconcat (rate, MEAN "/si:real/si:value", NULL);
  assert_xpath (xml, rate_value, "101.197");
  g_autofree char *rate_unit = g_strconcat (rate, MEAN "/si:real/si:unit", NULL);
  assert_xpath (xml, rate_unit, "\\hertz");
  g_autofree char *rate_U = g_strconcat (rate, MEAN "/si:real/si:expandedUnc/si:uncertainty", NULL);
  assert_xpath (xml, rate_U, "0.015");

  /* the reference standard, with its certificate number (which has <&"> in it: escaped) */
  assert_xpath (xml,
                RESULTS "[1]/dcc:measuringEquipments/dcc:measuringEquipment[@refType="
                        "'basic_normalUsed']/dcc:identifications/dcc:identification[dcc:name/"
                        "dcc:content='Calibration certificate number']/dcc:value",
                "PTB-2026-<&\">-0042");
  g_assert_nonnull (strstr (xml, "PTB-2026-&lt;&amp;&quot;&gt;-0042"));
  assert_xpath (xml,
                RESULTS "[1]/dcc:measuringEquipments/dcc:measuringEquipment/"
                        "dcc:measuringEquipmentQuantities//si:value",
                "0.0020");
}

static void
test_factory_full (void)
{
  g_autoptr (JsonObject) doc = load ("certificate-factory-full-dcc.json");
  g_autofree char *xml = write_ok (doc);
  assert_valid (xml);
  assert_xpath (xml, ADMIN "/dcc:coreData/dcc:uniqueIdentifier", "NBL-2026-000018");
  /* a draft: no issue date, a statement that says so, the operator as responsible person */
  assert_xpath (xml, "count(" ADMIN "/dcc:coreData/dcc:issueDate)", "0");
  assert_xpath (xml, "count(" ADMIN "/dcc:statements/dcc:statement[dcc:name/dcc:content='Draft'])",
                "1");
  assert_xpath (xml, ADMIN "/dcc:respPersons/dcc:respPerson/dcc:person/dcc:name/dcc:content",
                "B. Line");
  assert_xpath (xml, "count(" ADMIN "/dcc:respPersons/dcc:respPerson[dcc:mainSigner])", "0");
  /* 10 depths × 3 rates, 3 rates; each as found and as left */
  assert_xpath (
      xml, "count(" RESULTS "[dcc:name/dcc:content='Needle depth, as found']//dcc:result)", "30");
  assert_xpath (xml, "count(" RESULTS "[dcc:name/dcc:content='Needle depth, as left']//dcc:result)",
                "30");
  assert_xpath (xml, "count(" RESULTS "[dcc:name/dcc:content='Stroke rate, as left']//dcc:result)",
                "3");
  assert_xpath (xml, "count(//dcc:conformity)", "67");
  assert_xpath (xml, "count(" RESULTS "[5]//dcc:result)", "60"); /* the pen's indication */
  /* no environment measured: said, not made up */
  assert_xpath (xml,
                RESULTS "[1]/dcc:influenceConditions/dcc:influenceCondition"
                        "[@refType='basic_temperature']/dcc:data/dcc:text/dcc:content",
                "not measured");
  /* the last depth point, 2.50 mm at 150 Hz, as the run's document has it */
  JsonArray *points
      = json_object_get_array_member (json_object_get_object_member (doc, "results"), "points");
  JsonObject *last = json_object_get_object_member (
      json_array_get_object_element (points, json_array_get_length (points) - 1), "as_left");
  g_autofree char *mean = g_strdup_printf ("%.4f", json_object_get_double_member (last, "mean_mm"));
  g_autofree char *U = g_strdup_printf ("%.4f", json_object_get_double_member (last, "U_mm"));
  const char *p = POINT ("Needle depth, as left", "30");
  g_autofree char *name = g_strconcat (p, "/dcc:name/dcc:content", NULL);
  assert_xpath (xml, name, "Needle depth at 2.50 mm, 150 Hz, as left");
  g_autofree char *value = g_strconcat (p, MEAN "/si:real/si:value", NULL);
  assert_xpath (xml, value, mean);
  g_autofree char *unc = g_strconcat (p, MEAN "/si:real/si:expandedUnc/si:uncertainty", NULL);
  assert_xpath (xml, unc, U);
  assert_xpath (xml,
                RESULTS "[1]/dcc:measuringEquipments/dcc:measuringEquipment//dcc:identification"
                        "[dcc:name/dcc:content='Calibration certificate number']/dcc:value",
                "DAkkS-D-K-12345-2026-07");
}

static void
set_verdict (JsonObject *doc, guint i, const char *verdict)
{
  JsonArray *points
      = json_object_get_array_member (json_object_get_object_member (doc, "results"), "points");
  JsonObject *af
      = json_object_get_object_member (json_array_get_object_element (points, i), "as_found");
  json_object_set_string_member (af, "verdict", verdict);
}

static void
test_conformity (void)
{
  g_assert_cmpstr (nb_dcc_conformity ("pass"), ==, "pass");
  g_assert_cmpstr (nb_dcc_conformity ("conditional-pass"), ==, "conditionalPass");
  g_assert_cmpstr (nb_dcc_conformity ("conditional-fail"), ==, "conditionalFail");
  g_assert_cmpstr (nb_dcc_conformity ("fail"), ==, "fail");
  g_assert_null (nb_dcc_conformity ("conditionalPass"));
  g_assert_null (nb_dcc_conformity (NULL));

  /* the non-binary statements of ILAC-G8 reach the DCC as its enumeration, and validate */
  g_autoptr (JsonObject) doc = load ("certificate-cheek-chin-thick.json");
  set_verdict (doc, 0, "conditional-pass");
  set_verdict (doc, 1, "conditional-fail");
  set_verdict (doc, 2, "pass");
  json_object_set_string_member (json_object_get_object_member (doc, "results"), "verdict",
                                 "conditional-fail");
  g_autofree char *xml = write_ok (doc);
  assert_valid (xml);
  const char *const want[] = { "conditionalPass", "conditionalFail", "pass" };
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      g_autofree char *expr
          = g_strdup_printf (RESULTS "[dcc:name/dcc:content='Needle depth, as found']/dcc:results/"
                                     "dcc:result[%u]" MEAN "//dcc:conformity",
                             i + 1);
      assert_xpath (xml, expr, want[i]);
    }
  assert_xpath (xml,
                ADMIN "/dcc:statements/dcc:statement[@refType='basic_conformity']/dcc:conformity",
                "conditionalFail");
}

static void
test_escaping (void)
{
  g_autoptr (JsonObject) doc = load ("certificate-cheek-chin-thick.json");
  JsonObject *lab = json_object_get_object_member (doc, "laboratory");
  JsonObject *item = json_object_get_object_member (doc, "item");
  JsonObject *customer = json_object_get_object_member (doc, "customer");
  json_object_set_string_member (lab, "name", "Lab <b>&amp;</b> \"quoted\" \x01\x1b[2J end");
  json_object_set_string_member (customer, "name", "</dcc:name><dcc:evil/>");
  json_object_set_string_member (customer, "address", "]]> <!-- & -->");
  json_object_set_string_member (item, "serial", "  SN <7>\t");
  json_object_set_string_member (item, "condition", "bad byte \xff here");
  json_object_set_string_member (item, "model", " ");
  g_autofree char *xml = write_ok (doc);
  assert_valid (xml);
  /* read back as the text it was, less what XML cannot carry (U+FFFD) */
  assert_xpath (xml, ADMIN "/dcc:calibrationLaboratory/dcc:contact/dcc:name/dcc:content",
                "Lab <b>&amp;</b> \"quoted\" \xef\xbf\xbd\xef\xbf\xbd[2J end");
  assert_xpath (xml, ADMIN "/dcc:customer/dcc:name/dcc:content", "</dcc:name><dcc:evil/>");
  assert_xpath (xml, "count(//dcc:evil)", "0");
  assert_xpath (xml, ADMIN "/dcc:customer/dcc:location/dcc:further/dcc:content", "]]> <!-- & -->");
  /* a notEmptyString loses its outer white space; an empty one says so */
  assert_xpath (xml,
                ADMIN "/dcc:items/dcc:item/dcc:identifications/dcc:identification"
                      "[dcc:name/dcc:content='Serial number']/dcc:value",
                "SN <7>");
  assert_xpath (xml, ADMIN "/dcc:items/dcc:item/dcc:model", "not stated");
  assert_xpath (xml, ADMIN "/dcc:items/dcc:item/dcc:description/dcc:content",
                "Condition as received: bad byte \xef\xbf\xbd here");
  g_assert_null (strstr (xml, "<dcc:evil"));
  g_assert_null (strstr (xml, "\x1b"));
}

static void
test_refused (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) doc = load ("certificate-cheek-chin-thick.json");
  json_object_set_string_member (doc, "kind", "verification-report");
  json_object_set_null_member (doc, "number");
  g_assert_null (nb_dcc_write (doc, &error));
  g_assert_error (error, NB_DCC_ERROR, NB_DCC_ERROR_NOT_A_CERTIFICATE);
  g_clear_error (&error);

  g_autoptr (JsonObject) nonum = load ("certificate-cheek-chin-thick.json");
  json_object_set_null_member (nonum, "number");
  g_assert_null (nb_dcc_write (nonum, &error));
  g_assert_error (error, NB_DCC_ERROR, NB_DCC_ERROR_INVALID);
  g_clear_error (&error);

  g_autoptr (JsonObject) other = load ("certificate-cheek-chin-thick.json");
  json_object_set_string_member (other, "schema", "something-else/1");
  g_assert_null (nb_dcc_write (other, &error));
  g_assert_error (error, NB_DCC_ERROR, NB_DCC_ERROR_INVALID);
  g_clear_error (&error);

  g_autoptr (JsonObject) nodate = load ("certificate-cheek-chin-thick.json");
  json_object_set_string_member (json_object_get_object_member (nodate, "dates"), "calibrated",
                                 "yesterday");
  g_assert_null (nb_dcc_write (nodate, &error));
  g_assert_error (error, NB_DCC_ERROR, NB_DCC_ERROR_INVALID);
}

/* a run with --no-adjust: as found only, no adjustment status; a run that asked for adjustment
 * but wrote no table: its second phase says so, without afterAdjustment */
static void
test_not_adjusted (void)
{
  g_autoptr (JsonObject) doc = load ("certificate-cheek-chin-thick.json");
  JsonObject *results = json_object_get_object_member (doc, "results");
  json_object_set_boolean_member (results, "adjusted", FALSE);
  g_autofree char *kept = write_ok (doc);
  assert_valid (kept);
  assert_xpath (kept, "count(" RESULTS ")", "5");
  assert_xpath (kept, "count(//dcc:status)", "0");
  assert_xpath (kept,
                "count(" RESULTS "[dcc:name/dcc:content='Needle depth, as left (no adjustment "
                "made)'])",
                "1");

  const char *const lists[] = { "points", "rate_points" };
  for (gsize l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      JsonArray *a = json_object_get_array_member (results, lists[l]);
      for (guint i = 0; i < json_array_get_length (a); i++)
        json_object_set_null_member (json_array_get_object_element (a, i), "as_left");
    }
  g_autofree char *xml = write_ok (doc);
  assert_valid (xml);
  assert_xpath (xml, "count(" RESULTS ")", "3"); /* and the indication */
  assert_xpath (xml, RESULTS "[1]/dcc:name/dcc:content", "Needle depth, as found");
  assert_xpath (xml, RESULTS "[2]/dcc:name/dcc:content", "Stroke rate, as found");
  assert_xpath (xml, "count(//dcc:status)", "0");
}

/* members of the wrong type (a document from a file can be anything) are skipped or said to be
 * missing, never read as something else; what is written still validates */
static void
test_mistyped (void)
{
  g_autoptr (JsonObject) doc = load ("certificate-cheek-chin-thick.json");
  JsonArray *statements = json_object_get_array_member (doc, "statements");
  json_array_add_object_element (statements, json_object_new ());
  json_array_add_int_element (statements, 7);
  JsonArray *sigs = json_object_get_array_member (doc, "signatures");
  json_array_add_string_element (sigs, "not a signature");
  JsonObject *results = json_object_get_object_member (doc, "results");
  JsonArray *points = json_object_get_array_member (results, "points");
  json_array_add_string_element (points, "not a point");
  JsonObject *af
      = json_object_get_object_member (json_array_get_object_element (points, 0), "as_found");
  json_object_set_string_member (af, "mean_mm", "1.2");
  json_object_set_array_member (af, "U_mm", json_array_new ());
  json_object_set_int_member (json_object_get_object_member (doc, "environment"), "temperature_c",
                              22);
  g_autofree char *xml = write_ok (doc);
  assert_valid (xml);
  /* the mistyped mean is not available; an integer temperature is a number all the same */
  g_autofree char *mean = g_strconcat (POINT ("Needle depth, as found", "1"),
                                       MEAN "/dcc:noQuantity/dcc:content", NULL);
  assert_xpath (xml, mean, "not available");
  assert_xpath (xml,
                RESULTS "[1]/dcc:influenceConditions/dcc:influenceCondition"
                        "[@refType='basic_temperature']//si:value",
                "22.0");
  assert_xpath (xml, "count(" ADMIN "/dcc:respPersons/dcc:respPerson)", "2");

  g_autoptr (GError) error = NULL;
  json_object_set_int_member (doc, "laboratory", 1);
  g_assert_null (nb_dcc_write (doc, &error));
  g_assert_error (error, NB_DCC_ERROR, NB_DCC_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "laboratory"));
}

/* the document as nb_certificate_build () makes it from a run's document, signed and issued the
 * way the certificate command does: its DCC validates and carries its number, hash and signers */
static void
check_built (JsonNode *run, const char *number)
{
  const NbCertificateInfo info = {
    .lab_name = "NeedleBench Test Laboratory",
    .lab_address = "Musterstrasse 1, 10115 Berlin",
    .customer_name = "Clinic <Example> & Co \"quoted\"",
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = nb_certificate_build (run, number, &info, &error);
  g_assert_no_error (error);
  JsonObject *doc = json_node_get_object (node);

  /* a draft first */
  g_autofree char *draft = write_ok (doc);
  assert_valid (draft);
  assert_xpath (draft, ADMIN "/dcc:coreData/dcc:uniqueIdentifier", number);
  assert_xpath (draft, "count(" ADMIN "/dcc:coreData/dcc:issueDate)", "0");

  g_assert_true (nb_certificate_add_signature (doc, "Alice Operator", "technician", "performed",
                                               "2026-12-02T14:10:00Z", &error));
  g_assert_true (nb_certificate_add_signature (doc, "Bob Approver", "approver", "approved",
                                               "2026-12-02T14:20:00Z", &error));
  g_assert_true (nb_certificate_issue (doc, "2026-12-02T14:21:00Z", &error));
  g_assert_no_error (error);
  g_autofree char *xml = write_ok (doc);
  assert_valid (xml);
  assert_xpath (xml, ADMIN "/dcc:coreData/dcc:uniqueIdentifier", number);
  assert_xpath (xml, ADMIN "/dcc:coreData/dcc:issueDate", "2026-12-02");
  assert_xpath (xml,
                ADMIN "/dcc:respPersons/dcc:respPerson[dcc:mainSigner='true']/dcc:person/"
                      "dcc:name/dcc:content",
                "Bob Approver");
  assert_xpath (xml, ADMIN "/dcc:customer/dcc:name/dcc:content", info.customer_name);
  g_autofree char *hash = g_strdup_printf (
      "SHA-256 of the canonical certificate document (JSON) this DCC was made from: %s",
      json_object_get_string_member (doc, "content_sha256"));
  assert_xpath (xml,
                ADMIN "/dcc:statements/dcc:statement[dcc:name/dcc:content='Content hash']/"
                      "dcc:declaration/dcc:content",
                hash);
  /* the overall verdict is the run's */
  const char *verdict
      = json_object_get_string_member (json_object_get_object_member (doc, "results"), "verdict");
  assert_xpath (xml,
                ADMIN "/dcc:statements/dcc:statement[@refType='basic_conformity']/dcc:conformity",
                nb_dcc_conformity (verdict));
}

static JsonNode *
results_of (const char *name)
{
  g_autoptr (JsonObject) doc = load (name);
  return json_node_copy (json_object_get_member (doc, "results"));
}

static void
test_from_certificate_build (void)
{
  g_autoptr (JsonNode) cheek = results_of ("certificate-cheek-chin-thick.json");
  check_built (cheek, "NBL-2026-000101");
  g_autoptr (JsonNode) factory = results_of ("certificate-factory-full-dcc.json");
  check_built (factory, "NBL-2026-000102");

  /* a self-check becomes a verification report, which is never a DCC */
  g_autofree char *path
      = g_build_filename (data_dir, "..", "unit", "data", "certificate-run-selfcheck.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  /* the run document is in the repository: its absence is a failure, not a skip */
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  const NbCertificateInfo info = { .lab_name = "Lab", .lab_address = "Street 1" };
  g_autoptr (JsonNode) report
      = nb_certificate_build (json_parser_get_root (parser), NULL, &info, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (report), "kind"), ==,
                   "verification-report");
  g_assert_null (nb_dcc_write (json_node_get_object (report), &error));
  g_assert_error (error, NB_DCC_ERROR, NB_DCC_ERROR_NOT_A_CERTIFICATE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  dcc_dir = g_getenv ("NB_DCC_SCHEMAS");
  data_dir = g_getenv ("NB_TEST_DATA");
  g_assert_nonnull (data_dir);
  /* the schemas are in the repository and xmllint in the package list: no skipping */
  g_assert_nonnull (dcc_dir);
  g_autofree char *xmllint = g_find_program_in_path ("xmllint");
  if (xmllint == NULL)
    g_error ("xmllint is missing (libxml2-utils, tools/debian-packages.txt): no DCC can be "
             "validated");
  g_test_add_func ("/dcc/cheek-chin-thick", test_cheek_chin);
  g_test_add_func ("/dcc/factory-full", test_factory_full);
  g_test_add_func ("/dcc/conformity", test_conformity);
  g_test_add_func ("/dcc/escaping", test_escaping);
  g_test_add_func ("/dcc/refused", test_refused);
  g_test_add_func ("/dcc/mistyped", test_mistyped);
  g_test_add_func ("/dcc/not-adjusted", test_not_adjusted);
  g_test_add_func ("/dcc/from-certificate-build", test_from_certificate_build);
  return g_test_run ();
}
