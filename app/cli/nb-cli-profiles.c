/* nb-cli-profiles.c: `needlebench-cli profiles [--json]` (the catalogue) and
 * `needlebench-cli profile show ID [--json]` (one profile, every field). Profiles come from
 * NB_PROFILES_PATH or the installed data directory (docs/profiles.md); their files are
 * user-editable, so every text from them is escaped before it reaches the terminal. */
#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "nb-cli.h"
#include "nb-profile.h"

static GPtrArray *
load_catalogue (const char *command, int *rc)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *all = nb_profiles_load_all (NULL, &error);
  if (all == NULL)
    *rc = nb_cli_fail (command, error); /* a malformed profile is a data error (4) */
  return all;
}

/* "1 1.5 2", or "0.25–2.5 (10)" when there are many: the depths as the file gives them (%g: no
 * invented digits). */
static char *
depths_text (const NbProfile *p)
{
  if (p->n_points > 4)
    return g_strdup_printf ("%g–%g (%u)", p->points[0].depth_mm,
                            p->points[p->n_points - 1].depth_mm, p->n_points);
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < p->n_points; i++)
    g_string_append_printf (s, "%s%g", i ? " " : "", p->points[i].depth_mm);
  return g_string_free (s, FALSE);
}

static char *
rates_text (const NbProfile *p)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < p->n_rates; i++)
    g_string_append_printf (s, "%s%g", i ? " " : "", p->rates_hz[i]);
  return g_string_free (s, FALSE);
}

static char *
phototypes_text (guint bits)
{
  GString *s = g_string_new (NULL);
  for (guint t = 1; t <= 6; t++)
    if (bits & NB_FITZPATRICK_BIT (t))
      g_string_append_printf (s, "%s%s", s->len ? ", " : "", nb_fitzpatrick_to_string (t));
  return g_string_free (s, FALSE);
}

int
nb_cli_profiles (int argc, char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print a JSON array"), NULL },
    { NULL },
  };
  if (!nb_cli_parse (
          "profiles", NULL,
          N_ ("Lists the calibration profiles (NB_PROFILES_PATH or the installed ones)."), entries,
          &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc > 1)
    return nb_cli_usage ("profiles", _ ("unexpected argument “%s”"), argv[1]);
  int rc = NB_EXIT_OK;
  g_autoptr (GPtrArray) all = load_catalogue ("profiles", &rc);
  if (all == NULL)
    return rc;

  if (json)
    {
      JsonArray *arr = json_array_new ();
      for (guint i = 0; i < all->len; i++)
        json_array_add_element (arr, nb_profile_to_json (all->pdata[i]));
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, arr);
      nb_cli_print_json (node);
      return NB_EXIT_OK;
    }
  printf ("%-22s %-16s %-6s %-9s %-20s %-11s %s\n", _ ("ID"), _ ("AREA"), _ ("SKIN"), _ ("RULE"),
          _ ("DEPTHS (mm)"), _ ("RATES (Hz)"), _ ("TITLE"));
  for (guint i = 0; i < all->len; i++)
    {
      const NbProfile *p = all->pdata[i];
      g_autofree char *id = nb_cli_escape (p->id);
      g_autofree char *area = nb_cli_escape (p->area ? p->area : "-");
      g_autofree char *title = nb_cli_escape (p->title);
      g_autofree char *depths = depths_text (p);
      g_autofree char *rates = rates_text (p);
      printf ("%-22s %-16s %-6s %-9s %-20s %-11s %s\n", id, area, nb_skin_to_string (p->skin),
              nb_profile_rule_to_string (p->rule), depths, rates, title);
    }
  return NB_EXIT_OK;
}

static void
print_profile (const NbProfile *p)
{
  g_autofree char *id = nb_cli_escape (p->id);
  g_autofree char *title = nb_cli_escape (p->title);
  g_autofree char *path = nb_cli_escape (p->path);
  g_autofree char *rationale = nb_cli_escape (p->rationale);
  g_autofree char *indicated = phototypes_text (p->fitzpatrick);
  g_autofree char *rates = rates_text (p);
  printf (_ ("Profile      %s (version %" PRId64 ")\n"), id, p->version);
  printf (_ ("Title        %s\n"), title);
  if (p->area)
    printf (_ ("Area         %s (%s)\n"), _ (nb_profile_area_name (p->area)), p->area);
  else
    printf (_ ("Area         none: a bench profile\n"));
  printf (_ ("Skin         %s\n"), nb_skin_to_string (p->skin));
  printf (_ ("Fitzpatrick  %s\n"), indicated);
  if (p->cap_types)
    {
      g_autofree char *capped = phototypes_text (p->cap_types);
      printf (_ ("Depth cap    %g mm for %s (bench policy)\n"), p->cap_depth_mm, capped);
    }
  printf (_ ("Points       %u (every depth at every rate)\n"), p->n_points);
  for (guint i = 0; i < p->n_points; i++)
    printf (_ ("  %g mm ± %g mm\n"), p->points[i].depth_mm, p->points[i].tolerance_mm);
  printf (_ ("Rates        %s Hz ± %g %%\n"), rates, p->rate_tolerance_pct);
  printf (_ ("Strokes      %u per point, settle %g s\n"), p->strokes_per_point, p->settle_s);
  printf (_ ("Rule         %s\n"), nb_profile_rule_to_string (p->rule));
  printf (_ ("Interval     %u days\n"), p->interval_days);
  printf (_ ("Environment  %g to %g °C, %g to %g %% RH\n"), p->temperature_c.min,
          p->temperature_c.max, p->humidity_pct.min, p->humidity_pct.max);
  printf (_ ("File         %s\n"), path ? path : "-");
  printf (_ ("Rationale    %s\n"), rationale);
}

int
nb_cli_profile (int argc, char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print a JSON object"), NULL },
    { NULL },
  };
  if (!nb_cli_parse ("profile", N_ ("show ID"), N_ ("Shows a calibration profile, every field."),
                     entries, &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc < 2 || !g_str_equal (argv[1], "show"))
    return nb_cli_usage ("profile",
                         argc < 2 ? _ ("which subcommand? (show ID)")
                                  : _ ("unknown subcommand “%s” (show ID)"),
                         argc < 2 ? "" : argv[1]);
  if (argc != 3)
    return nb_cli_usage ("profile",
                         argc < 3 ? _ ("show needs a profile id") : _ ("unexpected argument “%s”"),
                         argc < 3 ? "" : argv[3]);
  int rc = NB_EXIT_OK;
  g_autoptr (GPtrArray) all = load_catalogue ("profile", &rc);
  if (all == NULL)
    return rc;
  const NbProfile *p = nb_profiles_find (all, argv[2]);
  if (p == NULL)
    {
      g_autoptr (GString) ids = g_string_new (NULL);
      for (guint i = 0; i < all->len; i++)
        g_string_append_printf (ids, "%s%s", i ? ", " : "", ((NbProfile *) all->pdata[i])->id);
      g_autofree char *id = nb_cli_escape (argv[2]);
      g_autofree char *list = nb_cli_escape (ids->str);
      g_printerr (_ ("needlebench-cli profile: no profile “%s” (profiles: %s)\n"), id, list);
      return NB_EXIT_USAGE;
    }
  if (json)
    nb_cli_print_json (nb_profile_to_json (p));
  else
    print_profile (p);
  return NB_EXIT_OK;
}
