/* nb-certificate-sections.c: the certificate's front matter (ISO/IEC 17025 7.8.2.1 a–j, 7.8.4.1
 * b, c: title, laboratory, place, customer, item and condition, dates, method, environment,
 * reference standards and traceability) and its end (statement of conformity 7.8.4.1 e, the
 * statements, the signatures of 21 CFR 11.50, the QR code, the end marker). */
#include "nb-certificate-pdf-private.h"

static void
field_free (NbPdf *pdf, const char *label, char *value)
{
  nb_pdf_field (pdf, label, value);
  g_free (value);
}

static void
front_standards (NbPdf *pdf)
{
  static const double widths[] = { 90, 115, 130, 50, 40, 74 };
  static const char *const headers[]
      = { "Fixture serial", "Model", "Certificate number", "U (mm)", "k", "Due" };
  static const PangoAlignment align[] = { PANGO_ALIGN_LEFT,  PANGO_ALIGN_LEFT,  PANGO_ALIGN_LEFT,
                                          PANGO_ALIGN_RIGHT, PANGO_ALIGN_RIGHT, PANGO_ALIGN_LEFT };
  NbPdfTable table = { G_N_ELEMENTS (widths), widths, headers, align, -1, 0, 0 };
  JsonArray *standards = nb_pdf_arr (pdf->doc, "standards");
  guint n = standards != NULL ? json_array_get_length (standards) : 0;

  nb_pdf_heading (pdf, "Reference standards and traceability");
  if (n > 0)
    {
      nb_pdf_table_begin (pdf, &table);
      for (guint i = 0; i < n; i++)
        {
          JsonObject *s = json_array_get_object_element (standards, i);
          g_autofree char *u = nb_pdf_fmt (s, "U_mm", 4);
          g_autofree char *k = nb_pdf_fmt (s, "k", 2);
          const char *cells[] = { nb_pdf_str (s, "serial", "–"),
                                  nb_pdf_str (s, "model", "–"),
                                  nb_pdf_str (s, "certificate", "–"),
                                  u,
                                  k,
                                  nb_pdf_str (s, "due", "–") };
          nb_pdf_table_row (pdf, &table, cells, FALSE);
        }
      nb_pdf_space (pdf, 4);
    }
  else
    nb_pdf_paragraph (pdf, NB_PDF_FONT_BODY,
                      "No reference standard: the pen was its own reference.");
  nb_pdf_paragraph (pdf, NB_PDF_FONT_BODY,
                    nb_pdf_str (pdf->doc, "traceability", "No statement of traceability."));
}

void
nb_pdf_section_front (NbPdf *pdf)
{
  JsonObject *doc = pdf->doc;
  JsonObject *lab = nb_pdf_obj (doc, "laboratory");
  JsonObject *customer = nb_pdf_obj (doc, "customer");
  JsonObject *item = nb_pdf_obj (doc, "item");
  JsonObject *dates = nb_pdf_obj (doc, "dates");
  JsonObject *method = nb_pdf_obj (doc, "method");
  JsonObject *env = nb_pdf_obj (doc, "environment");
  JsonObject *results = nb_pdf_obj (doc, "results");
  g_autofree char *start = nb_pdf_fmt_time (nb_pdf_str (dates, "calibrated", NULL));
  g_autofree char *end = nb_pdf_fmt_time (nb_pdf_str (dates, "calibrated_end", NULL));
  g_autofree char *issued = nb_pdf_fmt_time (nb_pdf_str (dates, "issued", NULL));
  g_autofree char *version = nb_pdf_fmt (method, "profile_version", 0);
  g_autofree char *temperature = nb_pdf_fmt (env, "temperature_c", 1);
  g_autofree char *humidity = nb_pdf_fmt (env, "humidity_pct", 0);
  double value;

  if (pdf->report)
    {
      g_autofree char *why = g_strdup_printf (
          "%s. A verification report carries no certificate number and attests no traceability.",
          nb_pdf_str (doc, "traceability", "not traceable"));
      nb_pdf_title (pdf, "Verification Report — not a calibration certificate", NULL);
      nb_pdf_paragraph (pdf, NB_PDF_FONT_BOLD, why);
    }
  else
    {
      g_autofree char *sub = g_strdup_printf ("Certificate number %s", pdf->ident);
      nb_pdf_title (pdf, "Calibration Certificate", sub);
    }

  nb_pdf_heading (pdf, "Laboratory");
  field_free (
      pdf, "Laboratory",
      g_strdup_printf ("%s\n%s", nb_pdf_str (lab, "name", "–"), nb_pdf_str (lab, "address", "–")));
  nb_pdf_field (pdf, "Place of calibration",
                nb_pdf_str (lab, "location", nb_pdf_str (lab, "address", "–")));

  nb_pdf_heading (pdf, "Customer (information supplied by the customer)");
  nb_pdf_field (pdf, "Customer", nb_pdf_str (customer, "name", "not stated"));
  nb_pdf_field (pdf, "Address", nb_pdf_str (customer, "address", "not stated"));

  nb_pdf_heading (pdf, "Item calibrated");
  nb_pdf_field (pdf, "Model", nb_pdf_str (item, "model", "–"));
  nb_pdf_field (pdf, "Serial number", nb_pdf_str (item, "serial", "–"));
  nb_pdf_field (pdf, "Firmware", nb_pdf_str (item, "firmware", "–"));
  nb_pdf_field (pdf, "Condition", nb_pdf_str (item, "condition", "not stated"));

  nb_pdf_heading (pdf, "Dates");
  nb_pdf_field (pdf, "Date of receipt", nb_pdf_str (dates, "received", "not stated"));
  field_free (pdf, "Date of calibration",
              g_strdup_printf ("%s to %s", start != NULL ? start : "–", end != NULL ? end : "–"));
  nb_pdf_field (pdf, "Date of issue", issued != NULL ? issued : "not issued (draft)");

  nb_pdf_heading (pdf, "Method");
  field_free (pdf, "Profile",
              g_strdup_printf ("%s, version %s: %s", nb_pdf_str (method, "profile", "–"), version,
                               nb_pdf_str (method, "profile_title", "")));
  nb_pdf_field (pdf, "Method document", nb_pdf_str (method, "procedure", "–"));
  nb_pdf_field (pdf, "Decision rule", nb_pdf_rule_name (nb_pdf_str (method, "rule", NULL)));
  if (results != NULL)
    {
      gboolean adjusted = json_object_get_boolean_member_with_default (results, "adjusted", FALSE);
      const char *error = nb_pdf_str (results, "error", NULL);
      nb_pdf_field (pdf, "Adjustment",
                    adjusted ? "The pen's calibration table was adjusted: results are given "
                               "before (as found) and after (as left) the adjustment."
                             : "None: the results are as found.");
      /* 7.8.2.1 n: a complete run followed the method; a failed or cancelled one says why */
      nb_pdf_field (pdf, "Deviations", error != NULL ? error : "none from the method");
    }

  nb_pdf_heading (pdf, "Environmental conditions");
  field_free (pdf, "Temperature",
              nb_pdf_num (env, "temperature_c", &value) ? g_strdup_printf ("%s °C", temperature)
                                                        : g_strdup ("not measured"));
  field_free (pdf, "Relative humidity",
              nb_pdf_num (env, "humidity_pct", &value) ? g_strdup_printf ("%s %%", humidity)
                                                       : g_strdup ("not measured"));

  front_standards (pdf);
}
