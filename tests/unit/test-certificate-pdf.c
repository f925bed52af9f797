/* test-certificate-pdf.c: the certificate's PDF (nb-certificate-pdf.h) read back as a reader
 * would: pdftotext of a factory-full certificate (30 points in two phases: several pages) holds
 * every item ISO/IEC 17025 7.8.2.1 / 7.8.4.1 and 21 CFR 11.50 ask for, the number and "Page x of
 * N" on every page; each results row carries its point's figures; a draft says DRAFT on every
 * page; a verification report is titled as not a certificate and has no number; the metadata;
 * and pdftoppm renders every page to PNG in build/certificates/ (looked at by eye). The
 * documents are built by nb_certificate_build from real runs of the simulated station
 * (tests/unit/data/run-*.json: `calibrate`, then `run show --json`), signed and issued as
 * `needlebench-cli sign` does. */
#include <glib/gstdio.h>

#include <qrencode.h>

#include "nb-certificate-pdf.h"
#include "nb-certificate-seal.h"
#include "nb-certificate.h"

static char *
data_path (const char *name)
{
  const char *dir = g_getenv ("NB_TEST_DATA");
  g_assert_nonnull (dir);
  return g_build_filename (dir, name, NULL);
}

static JsonNode *
load_json (const char *name)
{
  g_autofree char *path = data_path (name);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static const NbCertificateInfo factory_info = {
  .lab_name = "NeedleBench Calibration Laboratory",
  .lab_address = "Werkstraße 12, 70569 Stuttgart, Germany",
  .lab_location = "Calibration bench 2, Werkstraße 12, 70569 Stuttgart, Germany",
  .customer_name = "Dermaline Clinics GmbH",
  .customer_address = "Königstraße 1, 70173 Stuttgart, Germany",
  .condition = "as received, no damage noted; needle cartridge removed",
  .received = "2026-11-28",
  .profile_title = "Factory: full depth and rate range",
  .environment_json = "{\"temperature_c\": 21.4, \"humidity_pct\": 43.0}",
};

static const NbCertificateInfo report_info = {
  .lab_name = "NeedleBench Calibration Laboratory",
  .lab_address = "Werkstraße 12, 70569 Stuttgart, Germany",
  .customer_name = "Dermaline Clinics GmbH",
  .customer_address = "Königstraße 1, 70173 Stuttgart, Germany",
  .received = "2026-12-01",
  .profile_title = "Service: quick check",
};

static const char *const signers[][4] = {
  { "Alice Operator", "operator", "performed", "2026-12-02T14:10:03Z" },
  { "Tom Technician", "technician", "reviewed", "2026-12-02T14:12:47Z" },
  { "Dr. Anna Approver", "approver", "approved", "2026-12-02T14:15:09Z" },
};

/* The laboratory key of the tests: a fixed seed */
static NbLabKey *
test_key (void)
{
  guint8 seed[NB_LAB_KEY_SEED_BYTES];
  g_autoptr (GError) error = NULL;
  NbLabKey *key;

  memset (seed, 0x42, sizeof seed);
  key = nb_lab_key_new_from_seed (seed, &error);
  g_assert_no_error (error);
  return key;
}

/* The certificate document of the run in @run_file, numbered @number; with @issue signed by the
 * three signers, issued and sealed with a test key. */
static JsonNode *
load_doc (const char *run_file, const char *number, const NbCertificateInfo *info, gboolean issue)
{
  g_autoptr (JsonNode) run_doc = load_json (run_file);
  g_autoptr (GError) error = NULL;
  JsonNode *node = nb_certificate_build (run_doc, number, info, &error);
  g_autoptr (NbLabKey) key = NULL;
  JsonObject *doc;

  g_assert_no_error (error);
  g_assert_nonnull (node);
  doc = json_node_get_object (node);
  if (!issue)
    return node;
  for (guint i = 0; i < G_N_ELEMENTS (signers); i++)
    {
      g_assert_true (nb_certificate_add_signature (doc, signers[i][0], signers[i][1], signers[i][2],
                                                   signers[i][3], &error));
      g_assert_no_error (error);
    }
  g_assert_true (nb_certificate_issue (doc, "2026-12-02T14:15:09Z", &error));
  key = test_key ();
  g_assert_true (nb_certificate_sign_lab (doc, key, &error));
  g_assert_no_error (error);
  return node;
}

/* Runs @argv, asserts exit 0, returns its standard output. */
static char *
run (const char *const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
  return g_steal_pointer (&out);
}

/* Renders @doc to build/certificates/@stem.pdf, every page to @stem-N.png; returns the path. */
static char *
render_to_files (JsonObject *doc, const char *stem, int *pages)
{
  const char *dir = g_getenv ("NB_CERTIFICATES_DIR");
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pdf = nb_certificate_pdf_render (doc, &error);
  g_autofree char *name = g_strconcat (stem, ".pdf", NULL);
  g_autofree char *path = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *info = NULL;
  const char *line;

  g_assert_no_error (error);
  g_assert_nonnull (pdf);
  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, name, NULL);
  prefix = g_build_filename (dir, stem, NULL);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL),
                                      (gssize) g_bytes_get_size (pdf), &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (pdf, NULL), "%PDF-"));

  info = run ((const char *const[]){ "pdfinfo", path, NULL });
  line = strstr (info, "Pages:");
  g_assert_nonnull (line);
  *pages = atoi (line + strlen ("Pages:"));
  g_assert_cmpint (*pages, >=, 1);
  /* A4: 595.276 x 841.89 pts */
  g_assert_nonnull (strstr (info, "595.276 x 841.89 pts (A4)"));

  /* every page as PNG, in every run, for the eye (and the README's page 1); none left over
   * from a longer rendering before */
  for (int p = 1; p < 100; p++)
    {
      g_autofree char *old1 = g_strdup_printf ("%s-%d.png", prefix, p);
      g_autofree char *old2 = g_strdup_printf ("%s-%02d.png", prefix, p);
      g_unlink (old1);
      g_unlink (old2);
    }
  g_free (run ((const char *const[]){ "pdftoppm", "-png", "-r", "60", path, prefix, NULL }));
  for (int p = 1; p <= *pages; p++)
    {
      /* pdftoppm pads the page number to the width of the page count */
      g_autofree char *png = g_strdup_printf ("%s-%0*d.png", prefix, *pages >= 10 ? 2 : 1, p);
      GStatBuf st;
      g_assert_cmpint (g_stat (png, &st), ==, 0);
      g_assert_cmpint (st.st_size, >, 5000);
    }
  return g_steal_pointer (&path);
}

static char *
page_text (const char *path, int page)
{
  g_autofree char *p = g_strdup_printf ("%d", page);
  return run ((const char *const[]){ "pdftotext", "-layout", "-f", p, "-l", p, path, "-", NULL });
}

static char *
all_text (const char *path)
{
  return run ((const char *const[]){ "pdftotext", "-layout", path, "-", NULL });
}

static void
assert_has (const char *text, const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("the PDF's text lacks \"%s\"", needle);
}

/* @needle in @text as a reader sees it: a line break or a column gap is a space */
static void
assert_reads (const char *text, const char *needle)
{
  g_autoptr (GRegex) space = g_regex_new ("\\s+", 0, 0, NULL);
  g_autofree char *flat = g_regex_replace_literal (space, text, -1, 0, " ", 0, NULL);

  assert_has (flat, needle);
}

static char *
fmt (JsonObject *o, const char *key, int decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char format[8];

  g_snprintf (format, sizeof format, "%%.%df", decimals);
  return g_strdup (
      g_ascii_formatd (buf, sizeof buf, format, json_object_get_double_member (o, key)));
}

/* The results row of @entry: phase, target, rate, n, mean, s, error, U, k, tolerance, verdict on
 * one line of the layout text, in that order. */
static void
assert_row (const char *text, const char *phase, const char *target, const char *rate,
            JsonObject *entry, const char *unit, int decimals)
{
  g_autofree char *mean_key = g_strconcat ("mean_", unit, NULL);
  g_autofree char *sd_key = g_strconcat ("sd_", unit, NULL);
  g_autofree char *err_key = g_strconcat ("error_", unit, NULL);
  g_autofree char *U_key = g_strconcat ("U_", unit, NULL);
  g_autofree char *n = fmt (entry, "n", 0);
  g_autofree char *mean = fmt (entry, mean_key, decimals);
  g_autofree char *sd = fmt (entry, sd_key, decimals);
  g_autofree char *err = fmt (entry, err_key, decimals);
  g_autofree char *U = fmt (entry, U_key, decimals);
  g_autofree char *k = fmt (entry, "k", 2);
  /* the figures are digits, '.' and '-': a '.' matching any character is harmless here */
  g_autofree char *pattern = g_strdup_printf (
      "(?m)^\\s*%s\\s+%s\\s+%s\\s+%s\\s+%s\\s+%s\\s+%s\\s+%s\\s+%s\\s+\\S+ to \\S+\\s+%s\\s*$",
      phase, target, rate, n, mean, sd, err, U, k,
      json_object_get_string_member (entry, "verdict"));

  if (!g_regex_match_simple (pattern, text, 0, 0))
    g_error ("no results row /%s/ in the PDF's text", pattern);
}

/* The QR code on the last page of @path, read back from a grey rendering at 144 dpi (2 pixels a
 * point) module by module, equals libqrencode's code of @text: the right text, drawn the right
 * way round. Without a QR decoder installed, this is the independent check. */
static void
assert_qr (const char *path, int page, const char *text)
{
  QRcode *code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  const char *dir = g_getenv ("NB_CERTIFICATES_DIR");
  g_autofree char *prefix = g_build_filename (dir, "qr-page", NULL);
  g_autofree char *pgm = g_strconcat (prefix, ".pgm", NULL);
  g_autofree char *p = g_strdup_printf ("%d", page);
  g_autofree char *data = NULL;
  g_autoptr (GError) error = NULL;
  gsize length = 0;
  int width, height, maxval, offset = 0, ybot = -1, xl = -1;
  /* the QR code is 84 points square at the right margin; its strip of the page */
  int x0 = (int) (2 * (595.276 - 48 - 84 - 4)), x1 = (int) (2 * (595.276 - 48 + 4));
  double m;
  const unsigned char *px;

  g_assert_nonnull (code);
  g_free (run ((const char *const[]){ "pdftoppm", "-gray", "-r", "144", "-f", p, "-l", p,
                                      "-singlefile", path, prefix, NULL }));
  g_assert_true (g_file_get_contents (pgm, &data, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sscanf (data, "P5 %d %d %d%n", &width, &height, &maxval, &offset), ==, 3);
  px = (const unsigned char *) data + offset + 1;
  g_assert_cmpuint (length, >=, (gsize) (offset + 1 + width * height));
  /* the lowest dark pixel in the strip above the footer: the bottom of the bottom-left finder
   * pattern */
  for (int y = MIN (height, (int) (2 * (841.89 - 60))) - 1; y >= 0 && ybot < 0; y--)
    for (int x = x0; x < x1 && x < width; x++)
      if (px[y * width + x] < 128)
        {
          ybot = y;
          break;
        }
  g_assert_cmpint (ybot, >, 0);
  for (int x = x0; x < x1 && xl < 0; x++)
    if (px[(ybot - 1) * width + x] < 128)
      xl = x;
  m = 2 * 84.0 / (code->width + 8);
  for (int row = 0; row < code->width; row++)
    for (int col = 0; col < code->width; col++)
      {
        int x = (int) (xl + (col + 0.5) * m);
        int y = (int) (ybot + 1 - (code->width - row - 0.5) * m);
        gboolean dark = px[y * width + x] < 128;
        if (dark != (code->data[row * code->width + col] & 1))
          g_error ("QR module (%d, %d) differs from the code of \"%s\"", row, col, text);
      }
  QRcode_free (code);
  g_unlink (pgm);
}

typedef struct
{
  double x0, y0, x1, y1;
  char *text;
} Word;

static void
word_clear (Word *w)
{
  g_free (w->text);
}

/* The layout of every page of @path, from the word boxes pdftotext -bbox gives: no word outside
 * the margins (a table or plot off the page) and no two words drawn over each other. A box is
 * the font's full height; the middle half of it (where the letters are) is what may not meet
 * another's. */
static void
assert_layout (const char *path, int pages)
{
  g_autoptr (GRegex) re = g_regex_new ("<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" "
                                       "xMax=\"([0-9.]+)\" yMax=\"([0-9.]+)\">([^<]*)</word>",
                                       0, 0, NULL);

  for (int p = 1; p <= pages; p++)
    {
      g_autofree char *page = g_strdup_printf ("%d", p);
      g_autofree char *html = run (
          (const char *const[]){ "pdftotext", "-bbox", "-f", page, "-l", page, path, "-", NULL });
      g_autoptr (GArray) words = g_array_new (FALSE, FALSE, sizeof (Word));
      g_autoptr (GMatchInfo) match = NULL;

      g_array_set_clear_func (words, (GDestroyNotify) word_clear);
      for (g_regex_match (re, html, 0, &match); g_match_info_matches (match);
           g_match_info_next (match, NULL))
        {
          Word w;
          char *v[4];
          for (int i = 0; i < 4; i++)
            v[i] = g_match_info_fetch (match, i + 1);
          w.x0 = g_ascii_strtod (v[0], NULL), w.y0 = g_ascii_strtod (v[1], NULL);
          w.x1 = g_ascii_strtod (v[2], NULL), w.y1 = g_ascii_strtod (v[3], NULL);
          w.text = g_match_info_fetch (match, 5);
          for (int i = 0; i < 4; i++)
            g_free (v[i]);
          if (w.x0 < 47.5 || w.x1 > 595.276 - 47.5 || w.y0 < 20 || w.y1 > 841.89 - 20)
            g_error ("page %d: \"%s\" at (%.1f, %.1f)-(%.1f, %.1f) is outside the margins", p,
                     w.text, w.x0, w.y0, w.x1, w.y1);
          g_array_append_val (words, w);
        }
      g_assert_cmpuint (words->len, >, 20);
      for (guint i = 0; i < words->len; i++)
        for (guint j = i + 1; j < words->len; j++)
          {
            Word *a = &g_array_index (words, Word, i), *b = &g_array_index (words, Word, j);
            double ah = (a->y1 - a->y0) / 4, bh = (b->y1 - b->y0) / 4;
            if (a->x0 + 0.3 < b->x1 && b->x0 + 0.3 < a->x1 && a->y0 + ah < b->y1 - bh
                && b->y0 + bh < a->y1 - ah)
              g_error ("page %d: \"%s\" and \"%s\" overlap", p, a->text, b->text);
          }
    }
}

static void
test_factory_full (void)
{
  g_autoptr (JsonNode) node
      = load_doc ("run-factory-full.json", "NB-2026-000042", &factory_info, TRUE);
  JsonObject *doc = json_node_get_object (node);
  JsonObject *results = json_object_get_object_member (doc, "results");
  JsonArray *points = json_object_get_array_member (results, "points");
  JsonArray *rates = json_object_get_array_member (results, "rate_points");
  JsonArray *signatures = json_object_get_array_member (doc, "signatures");
  int pages = 0;
  g_autofree char *path = render_to_files (doc, "certificate-factory-full", &pages);
  g_autofree char *text = all_text (path);
  g_autofree char *first = page_text (path, 1);
  g_autofree char *last = page_text (path, pages);

  /* 60 results rows, 60 indication rows, plots: well over one page */
  g_assert_cmpint (pages, >=, 4);
  assert_layout (path, pages);
  for (int p = 1; p <= pages; p++)
    {
      g_autofree char *t = page_text (path, p);
      g_autofree char *of = g_strdup_printf ("Page %d of %d", p, pages);
      assert_has (t, "NB-2026-000042");
      assert_has (t, of);
      g_assert_null (strstr (t, "DRAFT"));
      /* the end marker once, on the last page */
      g_assert_true ((strstr (t, "End of certificate") != NULL) == (p == pages));
    }

  /* 7.8.2.1 a–j */
  assert_has (first, "Calibration Certificate");
  assert_has (first, "Certificate number NB-2026-000042");
  assert_has (first, "NeedleBench Calibration Laboratory");
  assert_has (first, "Werkstraße 12, 70569 Stuttgart, Germany");
  assert_has (first, "Calibration bench 2");
  assert_has (first, "information supplied by the customer");
  assert_has (first, "Dermaline Clinics GmbH");
  assert_has (first, "NB-Pen 3 (simulated)");
  assert_has (first, "NB-SIM-0001");
  assert_has (first, "1.4.2-sim");
  assert_has (first, "needle cartridge removed");
  assert_has (first, "2026-11-28");                                         /* receipt */
  assert_has (first, "2026-12-02 14:04:19 UTC to 2026-12-02 14:04:24 UTC"); /* calibration */
  assert_has (first, "2026-12-02 14:15:09 UTC");                            /* issue */
  assert_has (first, "factory-full, version 2: Factory: full depth and rate range");
  assert_has (first, "docs/calibration-method.md");
  /* 7.8.4.1 b, c */
  assert_has (first, "21.4 °C");
  assert_has (first, "43 %");
  assert_has (text, "DKD-K-12345-2026-0042");
  assert_has (text, "2027-11-30");
  assert_has (text, "traceable to the SI unit of length");

  /* 7.8.2.1 m, 7.8.4.1 a, d, e: every point as found and as left, units in the headers */
  assert_has (text, "Target (mm)");
  assert_has (text, "U (mm)");
  assert_has (text, "U (Hz)");
  g_assert_cmpint (json_array_get_length (points), ==, 30);
  for (guint i = 0; i < json_array_get_length (points); i++)
    {
      JsonObject *p = json_array_get_object_element (points, i);
      g_autofree char *target = fmt (p, "target_mm", 2);
      g_autofree char *rate = fmt (p, "rate_hz", 0);
      assert_row (text, "as found", target, rate, json_object_get_object_member (p, "as_found"),
                  "mm", 4);
      assert_row (text, "as left", target, rate, json_object_get_object_member (p, "as_left"), "mm",
                  4);
    }
  for (guint i = 0; i < json_array_get_length (rates); i++)
    {
      JsonObject *p = json_array_get_object_element (rates, i);
      g_autofree char *target = fmt (p, "target_hz", 2);
      assert_row (text, "as found", target, "all", json_object_get_object_member (p, "as_found"),
                  "hz", 3);
      assert_row (text, "as left", target, "all", json_object_get_object_member (p, "as_left"),
                  "hz", 3);
    }
  /* the indication, pen − reference */
  assert_has (text, "Pen − reference (mm)");
  assert_has (text, "0.3808");
  /* decision rule named, verdicts per phase and overall */
  assert_reads (text,
                "guarded acceptance: binary statement, guard band w = U (ILAC-G8:09/2019 4.2.2)");
  g_assert_true (g_regex_match_simple ("Verdict as found\\s+fail", text, 0, 0));
  g_assert_true (g_regex_match_simple ("Verdict as left\\s+pass", text, 0, 0));
  g_assert_true (g_regex_match_simple ("Overall verdict\\s+pass", text, 0, 0));
  /* statements */
  assert_has (text, "The results relate only to the item calibrated.");
  assert_has (text, "shall not be reproduced except in full");
  /* 21 CFR 11.50: printed name, meaning, date and time of every signature */
  for (guint i = 0; i < json_array_get_length (signatures); i++)
    {
      JsonObject *s = json_array_get_object_element (signatures, i);
      g_autofree char *at = g_strdup (json_object_get_string_member (s, "at"));
      g_autofree char *pattern = NULL;
      at[10] = ' ', at[19] = '\0';
      pattern
          = g_strdup_printf ("%s\\s+%s\\s+%s.*%s UTC", json_object_get_string_member (s, "name"),
                             json_object_get_string_member (s, "role"),
                             json_object_get_string_member (s, "meaning"), at);
      if (!g_regex_match_simple (pattern, last, 0, 0))
        g_error ("no signature line /%s/ on the last page", pattern);
    }
  assert_has (last, json_object_get_string_member (doc, "content_sha256"));
  assert_has (last, "ed25519");
  {
    g_autofree char *qr = g_strdup_printf ("NB-2026-000042 %s",
                                           json_object_get_string_member (doc, "content_sha256"));
    assert_qr (path, pages, qr);
  }
}

static void
test_draft (void)
{
  g_autoptr (JsonNode) node
      = load_doc ("run-factory-full.json", "NB-2026-000042", &factory_info, FALSE);
  JsonObject *doc = json_node_get_object (node);
  int pages = 0;
  g_autofree char *path = NULL;

  path = render_to_files (doc, "certificate-draft", &pages);
  for (int p = 1; p <= pages; p++)
    {
      g_autofree char *t = page_text (path, p);
      assert_has (t, "DRAFT — not issued");
      assert_has (t, "NB-2026-000042");
    }
  {
    g_autofree char *first = page_text (path, 1);
    assert_has (first, "not issued (draft)");
  }
}

static void
test_verification_report (void)
{
  g_autoptr (JsonNode) node = load_doc ("run-selfcheck.json", NULL, &report_info, FALSE);
  JsonObject *doc = json_node_get_object (node);
  int pages = 0;
  g_autofree char *path = render_to_files (doc, "verification-report", &pages);
  g_autofree char *text = all_text (path);
  g_autofree char *first = page_text (path, 1);

  assert_has (first, "Verification Report — not a calibration certificate");
  assert_has (first, "not traceable: pen self-check");
  g_assert_null (strstr (text, "Calibration Certificate"));
  g_assert_null (strstr (text, "Certificate number"));
  g_assert_false (g_regex_match_simple ("[A-Z]+-\\d{4}-\\d{6}", text, 0, 0));
  for (int p = 1; p <= pages; p++)
    {
      g_autofree char *t = page_text (path, p);
      g_autofree char *of = g_strdup_printf ("Page %d of %d", p, pages);
      assert_has (t, of);
      assert_has (t, "Verification report, run 2, pen NB-SIM-0002");
      assert_has (t, "DRAFT — not issued");
    }
  assert_has (text, "End of verification report");
  /* its layout, without the watermark that a draft lays over the text on purpose */
  {
    g_autofree char *issued = NULL;
    json_object_set_string_member (doc, "status", "issued");
    json_object_set_string_member (json_object_get_object_member (doc, "dates"), "issued",
                                   "2026-12-02T15:00:00Z");
    issued = render_to_files (doc, "verification-report-issued", &pages);
    assert_layout (issued, pages);
  }
  g_assert_true (g_regex_match_simple ("Temperature\\s+not measured", text, 0, 0));
  g_assert_true (g_regex_match_simple ("Relative humidity\\s+not measured", text, 0, 0));
}

static void
test_metadata (void)
{
  g_autoptr (JsonNode) node
      = load_doc ("run-factory-full.json", "NB-2026-000042", &factory_info, TRUE);
  JsonObject *doc = json_node_get_object (node);
  int pages = 0;
  g_autofree char *path = render_to_files (doc, "certificate-metadata", &pages);
  g_autofree char *info = run ((const char *const[]){ "pdfinfo", path, NULL });
  g_autofree char *fonts = run ((const char *const[]){ "pdffonts", path, NULL });
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) again = nb_certificate_pdf_render (doc, &error);
  g_autofree char *bytes = NULL;
  gsize length = 0;

  g_assert_true (g_regex_match_simple ("^Title:\\s+Calibration certificate NB-2026-000042$", info,
                                       G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^Author:\\s+NeedleBench Calibration Laboratory$", info,
                                       G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^Subject:\\s+NB-2026-000042$", info, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^Creator:\\s+NeedleBench$", info, G_REGEX_MULTILINE, 0));
  /* the fonts travel with the file */
  assert_has (fonts, "DejaVuSans");
  g_assert_false (g_regex_match_simple ("\\bno\\s+(yes|no)\\s+(yes|no)\\s+\\d+ \\d+$", fonts,
                                        G_REGEX_MULTILINE, 0));
  /* the same document gives the same bytes */
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &bytes, &length, &error));
  g_assert_cmpuint (length, ==, g_bytes_get_size (again));
  g_assert_cmpmem (bytes, length, g_bytes_get_data (again, NULL), g_bytes_get_size (again));
}

/* The laboratory's seal (nb-certificate-seal.h) appended to the rendered bytes: the sealed file
 * verifies, and PDF readers still read every page of it (they ignore what follows %%EOF). */
static void
test_sealed (void)
{
  g_autoptr (JsonNode) node
      = load_doc ("run-factory-full.json", "NB-2026-000042", &factory_info, TRUE);
  JsonObject *doc = json_node_get_object (node);
  g_autoptr (NbLabKey) key = test_key ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pdf = nb_certificate_pdf_render (doc, &error);
  g_autoptr (GBytes) sealed = NULL;
  g_autoptr (NbCertificateSeal) seal = NULL;
  g_autofree char *path
      = g_build_filename (g_getenv ("NB_CERTIFICATES_DIR"), "certificate-sealed.pdf", NULL);
  g_autofree char *info = NULL;
  g_autofree char *last = NULL;
  g_autofree char *of = NULL;
  int pages;

  g_assert_no_error (error);
  sealed = nb_certificate_seal_pdf (pdf, doc, key, &error);
  g_assert_no_error (error);
  seal = nb_certificate_verify_pdf (sealed, key, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seal->pdf_length, ==, g_bytes_get_size (pdf));
  g_assert_cmpstr (seal->number, ==, "NB-2026-000042");
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (sealed, NULL),
                                      (gssize) g_bytes_get_size (sealed), &error));
  g_assert_no_error (error);
  info = run ((const char *const[]){ "pdfinfo", path, NULL });
  g_assert_nonnull (strstr (info, "Pages:"));
  pages = atoi (strstr (info, "Pages:") + strlen ("Pages:"));
  g_assert_cmpint (pages, >=, 4);
  last = page_text (path, pages);
  of = g_strdup_printf ("Page %d of %d", pages, pages);
  assert_has (last, "End of certificate");
  assert_has (last, of);
}

static void
assert_refused (JsonObject *doc, const char *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pdf = nb_certificate_pdf_render (doc, &error);

  g_assert_null (pdf);
  g_assert_error (error, NB_CERTIFICATE_ERROR, NB_CERTIFICATE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, message));
}

static void
test_refused (void)
{
  g_autoptr (JsonNode) report = load_doc ("run-selfcheck.json", NULL, &report_info, FALSE);
  g_autoptr (JsonNode) cert
      = load_doc ("run-factory-full.json", "NB-2026-000042", &factory_info, TRUE);

  json_object_set_string_member (json_node_get_object (report), "number", "NB-2026-000043");
  assert_refused (json_node_get_object (report), "a verification report with a number");
  json_object_set_null_member (json_node_get_object (cert), "number");
  assert_refused (json_node_get_object (cert), "without a number");
  json_object_set_string_member (json_node_get_object (cert), "schema", "something/2");
  assert_refused (json_node_get_object (cert), "schema is not");
}

int
main (int argc, char **argv)
{
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *pdftoppm = g_find_program_in_path ("pdftoppm");

  g_test_init (&argc, &argv, NULL);
  if (pdftotext == NULL || pdftoppm == NULL)
    {
      g_printerr ("SKIP: poppler-utils (pdftotext, pdftoppm) is not installed\n");
      return 77;
    }
  g_test_add_func ("/certificate-pdf/factory-full", test_factory_full);
  g_test_add_func ("/certificate-pdf/draft", test_draft);
  g_test_add_func ("/certificate-pdf/verification-report", test_verification_report);
  g_test_add_func ("/certificate-pdf/metadata", test_metadata);
  g_test_add_func ("/certificate-pdf/refused", test_refused);
  g_test_add_func ("/certificate-pdf/sealed", test_sealed);
  return g_test_run ();
}
