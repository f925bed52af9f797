/* test-profiles-cli.c: `needlebench-cli profiles` and `profile show` on the shipped profiles, an
 * unknown id, a malformed profile, and a user-edited profile whose text tries to drive the
 * terminal. */
#include <glib/gstdio.h>
#include <string.h>

#include "cli-harness.h"

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

static JsonArray *
json_array_of (const CliResult *r, JsonParser **parser)
{
  *parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (json_parser_load_from_data (*parser, r->out, -1, &error));
  g_assert_no_error (error);
  JsonNode *root = json_parser_get_root (*parser);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  return json_node_get_array (root);
}

static JsonObject *
find (JsonArray *arr, const char *id)
{
  for (guint i = 0; i < json_array_get_length (arr); i++)
    {
      JsonObject *o = json_array_get_object_element (arr, i);
      if (g_str_equal (json_object_get_string_member (o, "id"), id))
        return o;
    }
  g_assert_not_reached ();
}

static void
test_list_json (void)
{
  g_auto (CliResult) r = { 0 };
  cli_run (&r, "profiles", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = NULL;
  JsonArray *arr = json_array_of (&r, &parser);
  g_assert_cmpuint (json_array_get_length (arr), ==, 17);
  for (guint i = 0; i < 17; i++)
    {
      JsonObject *o = json_array_get_object_element (arr, i);
      g_assert_true (json_object_has_member (o, "title"));
      g_assert_true (json_object_has_member (o, "area"));
      g_assert_true (json_object_has_member (o, "skin"));
    }
  JsonObject *cheek = find (arr, "cheek-chin-thick");
  g_assert_cmpstr (json_object_get_string_member (cheek, "area"), ==, "cheek-chin");
  g_assert_cmpstr (json_object_get_string_member (cheek, "skin"), ==, "thick");
  g_assert_cmpstr (json_object_get_string_member (cheek, "title"), ==, "Cheek, chin, thick skin");
  JsonObject *factory = find (arr, "factory-full");
  g_assert_true (json_object_get_null_member (factory, "area"));
  g_assert_cmpstr (json_object_get_string_member (factory, "skin"), ==, "any");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (factory, "points")), ==,
                    10);
}

static void
test_list_text (void)
{
  g_auto (CliResult) r = { 0 };
  cli_run (&r, "profiles", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_auto (GStrv) lines = g_strsplit (r.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 17 + 1); /* header, rows, final newline */
  g_assert_true (g_str_has_prefix (lines[0], "ID "));
  g_assert_true (g_str_has_prefix (lines[1], "eyes-thin "));
  g_assert_nonnull (strstr (lines[10], "cheek-chin-thick"));
  g_assert_nonnull (strstr (lines[10], "1 1.5 2"));
  g_assert_nonnull (strstr (lines[16], "0.25–2.5 (10)"));
}

static void
test_show (void)
{
  g_auto (CliResult) r = { 0 };
  cli_run (&r, "profile", "show", "nose-thin", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = cli_json_object (&r, &parser);
  g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, "nose-thin");
  JsonArray *points = json_object_get_array_member (o, "points");
  g_assert_cmpuint (json_array_get_length (points), ==, 1);
  JsonObject *pt = json_array_get_object_element (points, 0);
  g_assert_cmpfloat (json_object_get_double_member (pt, "depth_mm"), ==, 0.25);
  g_assert_cmpfloat (json_object_get_double_member (pt, "tolerance_mm"), ==, 0.15);
  g_assert_cmpstr (json_object_get_string_member (o, "rule"), ==, "guarded");
  g_assert_nonnull (strstr (json_object_get_string_member (o, "rationale"), "Dr. Pen"));

  g_auto (CliResult) t = { 0 };
  cli_run (&t, "profile", "show", "cheek-chin-thick", NULL);
  g_assert_cmpint (t.status, ==, 0);
  g_assert_nonnull (strstr (t.out, "\n  1.5 mm ± 0.15 mm\n"));
  g_assert_nonnull (strstr (t.out, "Depth cap    1.5 mm for V, VI (bench policy)\n"));
  g_assert_nonnull (strstr (t.out, "Rule         guarded\n"));
}

static void
test_unknown_and_usage (void)
{
  g_auto (CliResult) r = { 0 };
  cli_run (&r, "profile", "show", "cheeks", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_nonnull (strstr (r.err, "no profile “cheeks” (profiles: eyes-thin, eyes-thick, "));
  g_assert_nonnull (strstr (r.err, "factory-full, service-quick)"));

  static const char *const bad[][4] = {
    { "profile", NULL },           { "profile", "list", NULL },
    { "profile", "show", NULL },   { "profile", "show", "a", "b" },
    { "profiles", "extra", NULL }, { "profiles", "--csv", NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const char *argv[5] = { bad[i][0], bad[i][1], bad[i][2], bad[i][3], NULL };
      g_auto (CliResult) u = { 0 };
      cli_runv (&u, argv);
      g_assert_cmpint (u.status, ==, 2);
      g_assert_nonnull (strstr (u.err, "needlebench-cli profile"));
    }
}

static char *
write_profile (const char *dir, const char *id, const char *title, const char *extra)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.json", dir, id);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
#define MEMBER(name, add) (json_builder_set_member_name (b, name), add)
  MEMBER ("format", json_builder_add_int_value (b, 1));
  MEMBER ("id", json_builder_add_string_value (b, id));
  MEMBER ("title", json_builder_add_string_value (b, title));
  MEMBER ("version", json_builder_add_int_value (b, 1));
  MEMBER ("area", json_builder_add_null_value (b));
  MEMBER ("skin", json_builder_add_string_value (b, "any"));
  json_builder_set_member_name (b, "fitzpatrick");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "indicated");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "I");
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "points");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  MEMBER ("depth_mm", json_builder_add_double_value (b, 1.0));
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "rates_hz");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, 100);
  json_builder_end_array (b);
  MEMBER ("rate_tolerance_pct", json_builder_add_int_value (b, 5));
  MEMBER ("strokes_per_point", json_builder_add_int_value (b, 10));
  MEMBER ("settle_s", json_builder_add_int_value (b, 1));
  MEMBER ("rule", json_builder_add_string_value (b, "simple"));
  MEMBER ("interval_days", json_builder_add_int_value (b, 30));
  json_builder_set_member_name (b, "environment");
  json_builder_begin_object (b);
  const char *names[] = { "temperature_c", "humidity_pct" };
  for (guint i = 0; i < 2; i++)
    {
      json_builder_set_member_name (b, names[i]);
      json_builder_begin_object (b);
      MEMBER ("min", json_builder_add_int_value (b, 20));
      MEMBER ("max", json_builder_add_int_value (b, 30));
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  MEMBER ("rationale", json_builder_add_string_value (b, "line one\nline two \033[2J"));
  if (extra)
    MEMBER (extra, json_builder_add_int_value (b, 1));
#undef MEMBER
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = json_to_string (root, TRUE);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return g_steal_pointer (&path);
}

static void
test_escaped (void)
{
  /* A user-edited profile with escape sequences in its title and rationale: escaped on the
   * terminal, exact in JSON. */
  g_autofree char *dir = g_dir_make_tmp ("nb-profiles-cli-XXXXXX", NULL);
  const char *title = "Evil \033]0;pwned\007 title";
  g_autofree char *path = write_profile (dir, "evil", title, NULL);
  g_setenv ("NB_PROFILES_PATH", dir, TRUE);

  g_auto (CliResult) list = { 0 };
  cli_run (&list, "profiles", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_null (strchr (list.out, '\033'));
  g_assert_nonnull (strstr (list.out, "Evil \\x1b]0;pwned\\x07 title"));

  g_auto (CliResult) show = { 0 };
  cli_run (&show, "profile", "show", "evil", NULL);
  g_assert_cmpint (show.status, ==, 0);
  g_assert_null (strchr (show.out, '\033'));
  g_assert_nonnull (strstr (show.out, "Rationale    line one\\nline two \\x1b[2J\n"));

  g_auto (CliResult) json = { 0 };
  cli_run (&json, "profile", "show", "evil", "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = cli_json_object (&json, &parser);
  g_assert_cmpstr (json_object_get_string_member (o, "title"), ==, title);

  /* A typo in a field: the catalogue is refused (data error, 4), naming file and field. */
  g_autofree char *typo = write_profile (dir, "typo", "Typo", "strokes_per_pt");
  g_auto (CliResult) bad = { 0 };
  cli_run (&bad, "profiles", NULL);
  g_assert_cmpint (bad.status, ==, 4);
  g_autofree char *expected = g_strdup_printf (
      "needlebench-cli profiles: %s: strokes_per_pt: unknown field (see docs/profiles.md)\n", typo);
  g_assert_cmpstr (bad.err, ==, expected);

  /* No such directory: a data error naming it and the variable that sets it. */
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_setenv ("NB_PROFILES_PATH", missing, TRUE);
  g_auto (CliResult) none = { 0 };
  cli_run (&none, "profile", "show", "evil", NULL);
  g_assert_cmpint (none.status, ==, 4);
  g_assert_nonnull (strstr (none.err, missing));
  g_assert_nonnull (strstr (none.err, "NB_PROFILES_PATH"));

  g_unsetenv ("NB_PROFILES_PATH");
  g_unlink (typo);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/profiles-cli/list-json", test_list_json);
  g_test_add_func ("/profiles-cli/list-text", test_list_text);
  g_test_add_func ("/profiles-cli/show", test_show);
  g_test_add_func ("/profiles-cli/unknown-and-usage", test_unknown_and_usage);
  g_test_add_func ("/profiles-cli/escaped", test_escaped); /* last: it changes NB_PROFILES_PATH */
  return g_test_run ();
}
