/* nb-cli-result-text.c: a run's result document as text (see nb-cli-result-text.h). The figures
 * are printed as the document rounds them (to the precision the measurement has), in columns of
 * fixed decimals: depths to 0.1 µm, rates to 0.001 Hz, k to 0.01. */
#include <glib/gi18n.h>
#include "nb-cli-result-text.h"

#include <math.h>
#include <stdio.h>

#include "nb-cli.h"

#define MM_DECIMALS 4
#define HZ_DECIMALS 3
#define K_DECIMALS 2

static JsonNode *
member (JsonObject *o, const char *name)
{
  return o && json_object_has_member (o, name) ? json_object_get_member (o, name) : NULL;
}

static double
number (JsonObject *o, const char *name)
{
  JsonNode *n = member (o, name);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return NAN;
  GType t = json_node_get_value_type (n);
  if (t == G_TYPE_DOUBLE || t == G_TYPE_INT64)
    return json_node_get_double (n);
  return NAN;
}

static const char *
string (JsonObject *o, const char *name)
{
  JsonNode *n = member (o, name);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
boolean (JsonObject *o, const char *name, gboolean fallback)
{
  JsonNode *n = member (o, name);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (n);
}

static JsonObject *
object (JsonObject *o, const char *name)
{
  JsonNode *n = member (o, name);
  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
array (JsonObject *o, const char *name)
{
  JsonNode *n = member (o, name);
  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

/* @value with @decimals into @buf, "-" when unknown; @sign: a leading + on positive values. */
static const char *
fig (char *buf, gsize size, double value, int decimals, gboolean sign)
{
  if (!isfinite (value))
    return "-";
  g_snprintf (buf, size, sign ? "%+.*f" : "%.*f", decimals, value);
  return buf;
}

/* The escaped text of a document string, or @fallback. */
static char *
text (JsonObject *o, const char *name, const char *fallback)
{
  const char *s = string (o, name);
  return nb_cli_escape (s ? s : fallback);
}

static void
print_header (JsonObject *doc)
{
  g_autofree char *serial = text (doc, "serial", "?");
  g_autofree char *model = text (object (doc, "pen"), "model", NULL);
  g_autofree char *firmware = text (object (doc, "pen"), "firmware", NULL);
  g_autofree char *fixture = text (doc, "fixture", NULL);
  g_autofree char *fixture_model = text (doc, "fixture_model", NULL);
  g_autofree char *profile = text (doc, "profile", "?");
  g_autofree char *rule = text (doc, "rule", "?");
  g_autofree char *operator_name = text (doc, "operator", NULL);
  g_autofree char *status = text (doc, "status", NULL);
  g_autofree char *started = text (doc, "started_at", NULL);
  g_autofree char *ended = text (doc, "ended_at", NULL);
  double run = number (doc, "run");
  double version = number (doc, "profile_version");

  if (isfinite (run) && run > 0)
    printf (_ ("Run %.0f\n"), run);
  else
    printf (_ ("Run (not stored)\n"));
  printf (_ ("Pen:        %s"), serial);
  if (model)
    printf (" (%s%s%s)", model, firmware ? _ (", firmware ") : "", firmware ? firmware : "");
  printf ("\n");
  if (fixture)
    printf (_ ("Fixture:    %s%s%s%s\n"), fixture, fixture_model ? " (" : "",
            fixture_model ? fixture_model : "", fixture_model ? ")" : "");
  JsonObject *std = object (doc, "standard");
  if (std)
    {
      g_autofree char *certificate = text (std, "certificate", "?");
      g_autofree char *due = text (std, "due", "?");
      char u[32], k[32];
      printf (_ ("Standard:   certificate %s, U = %s mm (k = %s), due %s\n"), certificate,
              fig (u, sizeof u, number (std, "U_mm"), MM_DECIMALS, FALSE),
              fig (k, sizeof k, number (std, "k"), K_DECIMALS, FALSE), due);
    }
  else if (fixture)
    printf (_ ("Standard:   none on record for the fixture\n"));
  else
    {
      g_autofree char *why = text (doc, "not_traceable_reason", _ ("not traceable"));
      printf (_ ("Reference:  the pen's own sensor: %s\n"), why);
    }
  if (isfinite (version))
    printf (_ ("Profile:    %s (version %.0f), rule %s\n"), profile, version, rule);
  else
    printf (_ ("Profile:    %s, rule %s\n"), profile, rule);
  if (operator_name)
    printf (_ ("Operator:   %s\n"), operator_name);
  if (started)
    printf (_ ("Time:       %s to %s\n"), started, ended ? ended : "?");
  if (status)
    printf (_ ("Status:     %s\n"), status);
}

/* One phase's entry of a point, or NULL. */
static JsonObject *
entry (JsonArray *points, guint i, const char *phase)
{
  JsonNode *n = json_array_get_element (points, i);
  return JSON_NODE_HOLDS_OBJECT (n) ? object (json_node_get_object (n), phase) : NULL;
}

static gboolean
phase_has_entries (JsonArray *points, const char *phase)
{
  for (guint i = 0; points && i < json_array_get_length (points); i++)
    if (entry (points, i, phase))
      return TRUE;
  return FALSE;
}

/* A table of @phase ("as_found", "as_left") entries of @points; @unit "mm" or "Hz". */
static void
print_points (JsonArray *points, const char *phase, gboolean rate)
{
  const char *unit = rate ? "Hz" : "mm";
  const char *suffix = rate ? "_hz" : "_mm";
  int d = rate ? HZ_DECIMALS : MM_DECIMALS;
  printf ("  %-5s %11s %9s %3s %10s %10s %9s %5s  %s\n", _ ("POINT"),
          rate ? _ ("TARGET (Hz)") : _ ("TARGET (mm)"), rate ? "" : _ ("RATE (Hz)"), "N",
          _ ("MEAN"), _ ("ERROR"), "U", "k", _ ("VERDICT"));
  for (guint i = 0; i < json_array_get_length (points); i++)
    {
      JsonObject *p = json_node_get_object (json_array_get_element (points, i));
      JsonObject *e = entry (points, i, phase);
      if (p == NULL || e == NULL)
        continue;
      g_autofree char *mean_key = g_strconcat ("mean", suffix, NULL);
      g_autofree char *error_key = g_strconcat ("error", suffix, NULL);
      g_autofree char *U_key = g_strconcat ("U", suffix, NULL);
      g_autofree char *target_key = g_strconcat ("target", suffix, NULL);
      g_autofree char *verdict = text (e, "verdict", "-");
      char t[32], r[32], m[32], err[32], U[32], k[32];
      double n = number (e, "n");
      printf ("  %-5u %11s %9s %3.0f %10s %10s %9s %5s  %s\n", i + 1,
              fig (t, sizeof t, number (p, target_key), rate ? HZ_DECIMALS : 2, FALSE),
              rate ? "" : fig (r, sizeof r, number (p, "rate_hz"), 0, FALSE), isfinite (n) ? n : 0,
              fig (m, sizeof m, number (e, mean_key), d, FALSE),
              fig (err, sizeof err, number (e, error_key), d, TRUE),
              fig (U, sizeof U, number (e, U_key), d, FALSE),
              fig (k, sizeof k, number (e, "k"), K_DECIMALS, FALSE), verdict);
    }
  printf (_ ("  (mean, error and U in %s)\n"), unit);
}

static void
print_phase (JsonObject *doc, const char *phase, const char *title)
{
  JsonArray *points = array (doc, "points");
  JsonArray *rates = array (doc, "rate_points");
  if (!phase_has_entries (points, phase) && !phase_has_entries (rates, phase))
    return;
  printf (_ ("\n%s: depth\n"), title);
  if (points)
    print_points (points, phase, FALSE);
  if (phase_has_entries (rates, phase))
    {
      printf (_ ("%s: rate\n"), title);
      print_points (rates, phase, TRUE);
    }
}

/* The pen's own readings against the reference's, per point. */
static void
print_indication (JsonObject *doc)
{
  JsonArray *ind = array (doc, "indication");
  if (ind == NULL || json_array_get_length (ind) == 0)
    return;
  printf (_ ("\nIndication (the pen's own reading − the reference's)\n"));
  printf ("  %-9s %11s %9s %10s %10s %10s\n", _ ("PHASE"), _ ("TARGET (mm)"), _ ("RATE (Hz)"),
          _ ("REFERENCE"), _ ("PEN"), _ ("ERROR"));
  for (guint i = 0; i < json_array_get_length (ind); i++)
    {
      JsonNode *node = json_array_get_element (ind, i);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      JsonObject *o = json_node_get_object (node);
      char t[32], r[32], ref[32], pen[32], err[32];
      g_autofree char *phase = text (o, "phase", "-");
      printf ("  %-9s %11s %9s %10s %10s %10s\n", phase,
              fig (t, sizeof t, number (o, "target_mm"), 2, FALSE),
              fig (r, sizeof r, number (o, "rate_hz"), 0, FALSE),
              fig (ref, sizeof ref, number (o, "reference_mean_mm"), MM_DECIMALS, FALSE),
              fig (pen, sizeof pen, number (o, "pen_mean_mm"), MM_DECIMALS, FALSE),
              fig (err, sizeof err, number (o, "error_mm"), MM_DECIMALS, TRUE));
    }
}

void
nb_cli_print_run_text (JsonObject *doc)
{
  print_header (doc);
  print_phase (doc, "as_found", _ ("As found"));
  print_phase (doc, "as_left", _ ("As left"));
  print_indication (doc);
  printf ("\n");
  printf (_ ("Adjusted:   %s\n"), boolean (doc, "adjusted", FALSE)
                                      ? _ ("yes: a new table written, committed and verified")
                                      : _ ("no"));
  g_autofree char *error = text (doc, "error", NULL);
  if (error)
    printf (_ ("Error:      %s\n"), error);
  g_autofree char *verdict = text (doc, "verdict", NULL);
  if (verdict && boolean (doc, "traceable", TRUE))
    printf (_ ("Verdict:    %s\n"), verdict);
  else if (verdict)
    {
      g_autofree char *why = text (doc, "not_traceable_reason", _ ("not traceable"));
      printf (_ ("Verdict:    %s (%s)\n"), verdict, why);
    }
  else
    printf (_ ("Verdict:    none (the run did not reach one)\n"));
}
