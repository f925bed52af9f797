/* test-profiles.c: every shipped profile loads with the values of domain.md, and each kind of
 * malformed profile is refused with the file, the field's JSON path and what is wrong. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "nb-profile.h"

static GPtrArray *
load_shipped (void)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *profiles = nb_profiles_load_all (NULL, &error);
  g_assert_no_error (error);
  return profiles;
}

static NbProfile *
find (GPtrArray *profiles, const char *id)
{
  NbProfile *p = nb_profiles_find (profiles, id);
  g_assert_nonnull (p);
  return p;
}

static void
assert_depths (const NbProfile *p, const double *depths, guint n)
{
  g_assert_cmpuint (p->n_points, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpfloat_with_epsilon (p->points[i].depth_mm, depths[i], 1e-9);
      g_assert_cmpfloat_with_epsilon (p->points[i].tolerance_mm, 0.15, 1e-9);
    }
}

static void
test_every_file_loads (void)
{
  /* Each file on its own (nb_profile_load), then the catalogue: 7 areas × 2 thicknesses, the
   * scalp, factory-full and service-quick. */
  const char *dir = g_getenv ("NB_PROFILES_PATH");
  g_assert_nonnull (dir);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  guint n = 0;
  for (const char *name; (name = g_dir_read_name (d)) != NULL;)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (NbProfile) p = nb_profile_load (path, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (strlen (p->rationale), >, 40);
      n++;
    }
  g_assert_cmpuint (n, ==, 17);
  g_autoptr (GPtrArray) all = load_shipped ();
  g_assert_cmpuint (all->len, ==, 17);
}

static void
test_shipped_values (void)
{
  g_autoptr (GPtrArray) all = load_shipped ();

  /* A thin-skin area with one depth is one point with its tolerance. */
  NbProfile *nose = find (all, "nose-thin");
  static const double nose_d[] = { 0.25 };
  assert_depths (nose, nose_d, 1);
  g_assert_cmpstr (nose->area, ==, "nose");
  g_assert_cmpint (nose->skin, ==, NB_SKIN_THIN);

  /* A range becomes its ends and middle. */
  NbProfile *cheek = find (all, "cheek-chin-thick");
  static const double cheek_d[] = { 1.0, 1.5, 2.0 };
  assert_depths (cheek, cheek_d, 3);
  g_assert_cmpuint (cheek->fitzpatrick, ==, NB_FITZPATRICK_ALL);
  /* The bench's cap for darker types: 1.5 mm for V and VI, the full 2.0 mm for the others. */
  g_assert_cmpfloat (nb_profile_max_depth_for (cheek, 6), ==, 1.5);
  g_assert_cmpfloat (nb_profile_max_depth_for (cheek, 5), ==, 1.5);
  g_assert_cmpfloat (nb_profile_max_depth_for (cheek, 4), ==, 2.0);
  g_assert_cmpint (cheek->rule, ==, NB_PROFILE_RULE_GUARDED);

  /* Acne scars: the types cleared for the Exceed (I to IV) only. */
  NbProfile *scar = find (all, "facial-scarring-thick");
  g_assert_cmpuint (scar->fitzpatrick, ==,
                    NB_FITZPATRICK_BIT (1) | NB_FITZPATRICK_BIT (2) | NB_FITZPATRICK_BIT (3)
                        | NB_FITZPATRICK_BIT (4));

  NbProfile *scalp = find (all, "scalp");
  static const double scalp_d[] = { 0.6, 1.2, 1.5 };
  assert_depths (scalp, scalp_d, 3);
  g_assert_cmpint (scalp->skin, ==, NB_SKIN_ANY);
  g_assert_nonnull (strstr (scalp->rationale, "Dhurat 2013"));

  /* factory-full: 0.25 to 2.5 mm every 0.25 mm at 50, 100 and 150 Hz. */
  NbProfile *factory = find (all, "factory-full");
  g_assert_null (factory->area);
  g_assert_cmpuint (factory->n_points, ==, 10);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpfloat_with_epsilon (factory->points[i].depth_mm, 0.25 * (i + 1), 1e-9);
  g_assert_cmpuint (factory->n_rates, ==, 3);
  g_assert_cmpfloat (factory->rates_hz[0], ==, 50);
  g_assert_cmpfloat (factory->rates_hz[2], ==, 150);
  NbProfile *quick = find (all, "service-quick");
  g_assert_cmpint (quick->rule, ==, NB_PROFILE_RULE_SIMPLE);

  /* Catalogue order: the areas in domain.md's order, then the bench profiles. */
  g_assert_cmpstr (((NbProfile *) all->pdata[0])->id, ==, "eyes-thin");
  g_assert_cmpstr (((NbProfile *) all->pdata[14])->id, ==, "scalp");
  g_assert_cmpstr (((NbProfile *) all->pdata[15])->id, ==, "factory-full");
  g_assert_cmpstr (((NbProfile *) all->pdata[16])->id, ==, "service-quick");
}

/* --- malformed profiles ---------------------------------------------------------------------- */

static const char base[]
    = "{\"format\": 1, \"id\": \"bad\", \"title\": \"Bad\", \"version\": 1, \"area\": "
      "\"cheek-chin\","
      " \"skin\": \"thin\", \"fitzpatrick\": {\"indicated\": [\"I\", \"II\", \"III\"],"
      " \"depth_cap\": {\"types\": [\"III\"], \"max_depth_mm\": 1.0}},"
      " \"points\": [{\"depth_mm\": 0.5}, {\"depth_mm\": 1.0}, {\"depth_mm\": 1.5,"
      " \"tolerance_mm\": 0.2}], \"rates_hz\": [100], \"rate_tolerance_pct\": 5,"
      " \"strokes_per_point\": 30, \"settle_s\": 1, \"rule\": \"guarded\", \"interval_days\": 365,"
      " \"environment\": {\"temperature_c\": {\"min\": 18, \"max\": 28},"
      " \"humidity_pct\": {\"min\": 20, \"max\": 80}}, \"rationale\": \"test\"}";

/* set: the member at @path ("a.b[2].c") set to @value (JSON text), removed when @value is NULL. */
static void
set (JsonNode *root, const char *path, const char *value)
{
  g_auto (GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = root;
  guint n = g_strv_length (parts);
  for (guint i = 0; i + 1 < n; i++)
    {
      g_autofree char *name = g_strdup (parts[i]);
      char *bracket = strchr (name, '[');
      guint index = bracket ? (guint) atoi (bracket + 1) : 0;
      if (bracket)
        *bracket = '\0';
      node = json_object_get_member (json_node_get_object (node), name);
      if (bracket)
        node = json_array_get_element (json_node_get_array (node), index);
    }
  JsonObject *obj = json_node_get_object (node);
  if (value == NULL)
    {
      json_object_remove_member (obj, parts[n - 1]);
      return;
    }
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, value, -1, NULL));
  json_object_set_member (obj, parts[n - 1], json_node_copy (json_parser_get_root (parser)));
}

typedef struct
{
  const char *path;  /* NULL: the text is @value itself */
  const char *value; /* NULL: remove */
  NbProfileError code;
  const char *message; /* after "DIR/bad.json: " */
} Bad;

static const Bad bad[] = {
  { "id", NULL, NB_PROFILE_ERROR_MISSING, "id: missing" },
  { "version", "\"1\"", NB_PROFILE_ERROR_TYPE, "version: must be a whole number, not a string" },
  { "version", "1.5", NB_PROFILE_ERROR_TYPE,
    "version: must be a whole number, not a decimal number" },
  { "points[2].tolerance_mm", "0", NB_PROFILE_ERROR_RANGE,
    "points[2].tolerance_mm: must be greater than 0 mm and at most 1 mm (got 0)" },
  { "points[2].tolerance_mm", "-0.1", NB_PROFILE_ERROR_RANGE,
    "points[2].tolerance_mm: must be greater than 0 mm and at most 1 mm (got -0.1)" },
  { "points[2].tolerance_mm", "\"0.15\"", NB_PROFILE_ERROR_TYPE,
    "points[2].tolerance_mm: must be a number, not a string" },
  { "tolerance_mm", "0", NB_PROFILE_ERROR_RANGE,
    "tolerance_mm: must be greater than 0 mm and at most 1 mm (got 0)" },
  { "points[1].depth_mm", "0.4", NB_PROFILE_ERROR_INVALID,
    "points[1].depth_mm: depths must increase (0.4 mm follows 0.5 mm)" },
  { "points[1].depth_mm", "0.5", NB_PROFILE_ERROR_INVALID,
    "points[1].depth_mm: depths must increase (0.5 mm follows 0.5 mm)" },
  { "points[2].depth_mm", "3.5", NB_PROFILE_ERROR_RANGE,
    "points[2].depth_mm: must be greater than 0 mm and at most 3 mm (got 3.5)" },
  { "points[0].depth_mm", NULL, NB_PROFILE_ERROR_MISSING, "points[0].depth_mm: missing" },
  { "points", "[]", NB_PROFILE_ERROR_INVALID, "points: must not be empty" },
  { "points", "[{\"depth_mm\": 0.5}, 1]", NB_PROFILE_ERROR_TYPE,
    "points[1]: must be an object, not a whole number" },
  { "rule", "\"strict\"", NB_PROFILE_ERROR_INVALID,
    "rule: unknown value “strict” (one of simple, guarded, nonbinary)" },
  { "skin", "\"medium\"", NB_PROFILE_ERROR_INVALID,
    "skin: unknown value “medium” (one of thin, thick, any)" },
  { "area", "\"cheeks\"", NB_PROFILE_ERROR_INVALID,
    "area: unknown area “cheeks” (one of eyes, nose, upper-lip, forehead, cheek-chin, "
    "facial-scarring, stretch-marks, scalp, null)" },
  { "area", "null", NB_PROFILE_ERROR_INVALID, "skin: a bench profile (area null) has skin “any”" },
  { "tolerence_mm", "0.1", NB_PROFILE_ERROR_UNKNOWN,
    "tolerence_mm: unknown field (see docs/profiles.md)" },
  { "points[0].depth", "0.5", NB_PROFILE_ERROR_UNKNOWN,
    "points[0].depth: unknown field (see docs/profiles.md)" },
  { "fitzpatrick.indicated", "[\"I\", \"VII\"]", NB_PROFILE_ERROR_INVALID,
    "fitzpatrick.indicated[1]: unknown Fitzpatrick type “VII” (one of I, II, III, IV, V, VI)" },
  { "fitzpatrick.indicated", "[\"I\", \"III\", \"I\"]", NB_PROFILE_ERROR_DUPLICATE,
    "fitzpatrick.indicated[2]: type I is listed twice" },
  { "fitzpatrick.depth_cap.types", "[\"V\"]", NB_PROFILE_ERROR_INVALID,
    "fitzpatrick.depth_cap.types: caps a type the profile is not indicated for" },
  { "fitzpatrick.depth_cap.max_depth_mm", "1.5", NB_PROFILE_ERROR_RANGE,
    "fitzpatrick.depth_cap.max_depth_mm: must be at least the first target (0.5 mm) and below "
    "the last (1.5 mm) (got 1.5)" },
  { "rates_hz", "[100, 50]", NB_PROFILE_ERROR_INVALID,
    "rates_hz[1]: rates must increase (50 Hz follows 100 Hz)" },
  { "rates_hz", "[100, 500]", NB_PROFILE_ERROR_RANGE,
    "rates_hz[1]: must be at least 10 Hz and at most 200 Hz (got 500)" },
  { "rate_tolerance_pct", "0", NB_PROFILE_ERROR_RANGE,
    "rate_tolerance_pct: must be greater than 0 % and at most 50 % (got 0)" },
  { "strokes_per_point", "1", NB_PROFILE_ERROR_RANGE,
    "strokes_per_point: must be at least 2 and at most 100000 (got 1)" },
  { "settle_s", "-1", NB_PROFILE_ERROR_RANGE,
    "settle_s: must be at least 0 s and at most 600 s (got -1)" },
  { "interval_days", "0", NB_PROFILE_ERROR_RANGE,
    "interval_days: must be at least 1 and at most 3650 (got 0)" },
  { "environment", NULL, NB_PROFILE_ERROR_MISSING, "environment: missing" },
  { "environment.humidity_pct.max", "10", NB_PROFILE_ERROR_INVALID,
    "environment.humidity_pct.max: must be above min (10 % ≤ 20 %)" },
  { "environment.temperature_c.min", "true", NB_PROFILE_ERROR_TYPE,
    "environment.temperature_c.min: must be a number, not a boolean" },
  { "rationale", "\"  \"", NB_PROFILE_ERROR_INVALID, "rationale: must not be empty" },
  { "format", "2", NB_PROFILE_ERROR_RANGE, "format: must be at least 1 and at most 1 (got 2)" },
  { "id", "\"Bad\"", NB_PROFILE_ERROR_INVALID,
    "id: “Bad” is not an id (lower-case letters, digits and '-', at most 64)" },
  { "id", "\"other\"", NB_PROFILE_ERROR_INVALID,
    "id: “other” does not match the file name bad.json" },
  { NULL, "[1, 2]", NB_PROFILE_ERROR_PARSE, "a profile is a JSON object" },
};

static void
test_malformed (void)
{
  g_autofree char *dir = g_dir_make_tmp ("nb-profiles-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bad.json", NULL);

  /* The base itself is valid: each case below breaks one thing. */
  g_assert_true (g_file_set_contents (path, base, -1, NULL));
  g_autoptr (GError) ok_error = NULL;
  g_autoptr (NbProfile) ok = nb_profile_load (path, &ok_error);
  g_assert_no_error (ok_error);
  g_assert_cmpfloat (ok->points[1].tolerance_mm, ==, 0.15); /* the default */
  g_assert_cmpfloat (ok->points[2].tolerance_mm, ==, 0.2);  /* its own */
  g_assert_cmpfloat (nb_profile_max_depth_for (ok, 3), ==, 1.0);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = NULL;
      if (bad[i].path)
        {
          g_autoptr (JsonParser) parser = json_parser_new ();
          g_assert_true (json_parser_load_from_data (parser, base, -1, NULL));
          JsonNode *root = json_parser_get_root (parser);
          set (root, bad[i].path, bad[i].value);
          text = json_to_string (root, FALSE);
        }
      else
        text = g_strdup (bad[i].value);
      g_assert_true (g_file_set_contents (path, text, -1, NULL));
      g_autoptr (GError) error = NULL;
      g_autoptr (NbProfile) p = nb_profile_load (path, &error);
      g_autofree char *expected = g_strdup_printf ("%s: %s", path, bad[i].message);
      if (error == NULL || g_strcmp0 (error->message, expected) != 0)
        g_test_message ("case %u (%s): %s", i, bad[i].path ? bad[i].path : bad[i].value,
                        error ? error->message : "(loaded)");
      g_assert_null (p);
      g_assert_error (error, NB_PROFILE_ERROR, (gint) bad[i].code);
      g_assert_cmpstr (error->message, ==, expected);
    }

  /* Not JSON at all. */
  g_assert_true (g_file_set_contents (path, "{\"id\": ", -1, NULL));
  g_autoptr (GError) error = NULL;
  g_autoptr (NbProfile) p = nb_profile_load (path, &error);
  g_assert_error (error, NB_PROFILE_ERROR, NB_PROFILE_ERROR_PARSE);
  g_autofree char *prefix = g_strdup_printf ("%s: not JSON: ", path);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_duplicate_id (void)
{
  /* One id in two directories: the error names both files. */
  g_autofree char *a = g_dir_make_tmp ("nb-profiles-a-XXXXXX", NULL);
  g_autofree char *b = g_dir_make_tmp ("nb-profiles-b-XXXXXX", NULL);
  g_autofree char *pa = g_build_filename (a, "bad.json", NULL);
  g_autofree char *pb = g_build_filename (b, "bad.json", NULL);
  g_assert_true (g_file_set_contents (pa, base, -1, NULL));
  g_assert_true (g_file_set_contents (pb, base, -1, NULL));
  const char *const dirs[] = { a, b, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = nb_profiles_load_all (dirs, &error);
  g_assert_null (all);
  g_assert_error (error, NB_PROFILE_ERROR, NB_PROFILE_ERROR_DUPLICATE);
  g_autofree char *expected = g_strdup_printf ("%s: id: “bad” is also the id of %s", pb, pa);
  g_assert_cmpstr (error->message, ==, expected);

  /* NB_PROFILES_PATH lists the directories, ':'-separated. */
  g_autofree char *both = g_strdup_printf ("%s:%s", a, b);
  g_setenv ("NB_PROFILES_PATH", both, TRUE);
  g_auto (GStrv) path = nb_profiles_search_path ();
  g_assert_cmpuint (g_strv_length (path), ==, 2);
  g_assert_cmpstr (path[1], ==, b);
  g_unlink (pa);
  g_unlink (pb);
  g_rmdir (a);
  g_rmdir (b);
}

static void
test_to_json (void)
{
  /* The JSON has the file's keys, each point's tolerance resolved. */
  g_autoptr (GPtrArray) all = load_shipped ();
  g_autoptr (JsonNode) node = nb_profile_to_json (find (all, "cheek-chin-thick"));
  JsonObject *o = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, "cheek-chin-thick");
  g_assert_cmpstr (json_object_get_string_member (o, "area_name"), ==, "Cheek, chin");
  g_assert_cmpstr (json_object_get_string_member (o, "skin"), ==, "thick");
  JsonArray *points = json_object_get_array_member (o, "points");
  g_assert_cmpuint (json_array_get_length (points), ==, 3);
  JsonObject *last = json_array_get_object_element (points, 2);
  g_assert_cmpfloat (json_object_get_double_member (last, "depth_mm"), ==, 2.0);
  g_assert_cmpfloat (json_object_get_double_member (last, "tolerance_mm"), ==, 0.15);
  JsonObject *cap = json_object_get_object_member (json_object_get_object_member (o, "fitzpatrick"),
                                                   "depth_cap");
  g_assert_cmpfloat (json_object_get_double_member (cap, "max_depth_mm"), ==, 1.5);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/profiles/every-file-loads", test_every_file_loads);
  g_test_add_func ("/profiles/shipped-values", test_shipped_values);
  g_test_add_func ("/profiles/malformed", test_malformed);
  g_test_add_func ("/profiles/to-json", test_to_json);
  /* last: it changes NB_PROFILES_PATH */
  g_test_add_func ("/profiles/duplicate-id", test_duplicate_id);
  return g_test_run ();
}
