/* test-cli-i18n.c: needlebench-cli under LANG=de_DE.UTF-8 speaks German to people (help, tables,
 * summaries, errors) and keeps figures with a decimal point (scripts read them), while its JSON
 * is byte for byte what the C locale gives. The locale comes from LOCPATH (compiled by meson),
 * the catalogue from NB_LOCALEDIR (the build tree's po/). */
#include <string.h>

#include "cli-harness.h"

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

static void
use_locale (const char *lang)
{
  g_setenv ("LANG", lang, TRUE);
  /* anything more specific would override LANG */
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  g_unsetenv ("LC_NUMERIC");
  g_unsetenv ("LANGUAGE");
}

static void
assert_matches (const char *text, const char *pattern)
{
  if (!g_regex_match_simple (pattern, text, G_REGEX_MULTILINE, 0))
    g_error ("“%s” not found in:\n%s", pattern, text);
}

static void
test_help (void)
{
  g_auto (CliResult) c = { 0 }, de = { 0 };
  use_locale ("C.UTF-8");
  cli_run (&c, "--help", NULL);
  use_locale ("de_DE.UTF-8");
  cli_run (&de, "--help", NULL);
  g_assert_cmpint (c.status, ==, 0);
  g_assert_cmpint (de.status, ==, 0);
  assert_matches (c.out, "^Usage: needlebench-cli COMMAND");
  assert_matches (de.out, "^Aufruf: needlebench-cli BEFEHL");
  assert_matches (de.out, "Telemetrie und Kalibrierung von Microneedling-Pens");
  /* the command names are the API: never translated */
  assert_matches (de.out, "^  calibrate +Stationen");
}

static void
test_option_help (void)
{
  g_auto (CliResult) de = { 0 };
  use_locale ("de_DE.UTF-8");
  cli_run (&de, "stream", "--help", NULL);
  g_assert_cmpint (de.status, ==, 0);
  assert_matches (de.out, "--depth=MM +Einstichtiefe in mm");
}

static void
test_usage_error (void)
{
  g_auto (CliResult) de = { 0 };
  use_locale ("de_DE.UTF-8");
  cli_run (&de, "frobnicate", NULL);
  g_assert_cmpint (de.status, ==, 2);
  assert_matches (de.err, "^needlebench-cli: unbekannter Befehl „frobnicate“ \\(siehe --help\\)$");
}

/* a summary with figures: German words, a decimal point */
static void
test_stream_summary (void)
{
  g_auto (CliResult) de = { 0 };
  use_locale ("de_DE.UTF-8");
  cli_run (&de, "stream", "-d", "sim:time-scale=4", "--depth", "0.5", "--rate", "100", "--seconds",
           "1", NULL);
  g_assert_cmpint (de.status, ==, 0);
  assert_matches (de.out, "^Einstellung: +0\\.50 mm bei 100\\.0+ Hz, 1\\.[0-9]+ s gemessen$");
  assert_matches (de.out, "^Tiefe: +0\\.[0-9]{4} ± 0\\.[0-9]{4} mm \\(SD\\)");
  assert_matches (de.out, "^Hübe: +[0-9]+$");
  g_assert_null (strstr (de.out, "Depth:"));
}

static void
test_table (void)
{
  g_auto (CliResult) de = { 0 };
  use_locale ("de_DE.UTF-8");
  cli_run (&de, "profiles", NULL);
  g_assert_cmpint (de.status, ==, 0);
  assert_matches (de.out, "^ID +BEREICH +HAUT +REGEL +TIEFEN \\(mm\\)");
  /* figures keep their decimal point (the rows are data from the profiles) */
  assert_matches (de.out, "^upper-lip-thick +upper-lip +thick +guarded +0\\.25 0\\.5 0\\.75 ");
}

/* --json is for scripts: the same bytes in every language */
static void
test_json_identical (void)
{
  const char *const commands[][8] = {
    { "profiles", "--json", NULL },
    { "profile", "show", "cheek-chin-thick", "--json", NULL },
    { "info", "-d", "sim", "--json", NULL },
    { "list", "--json", NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto (CliResult) c = { 0 }, de = { 0 };
      use_locale ("C.UTF-8");
      cli_runv (&c, commands[i]);
      use_locale ("de_DE.UTF-8");
      cli_runv (&de, commands[i]);
      g_assert_cmpint (c.status, ==, 0);
      g_assert_cmpint (de.status, ==, 0);
      g_assert_cmpuint (strlen (c.out), >, 2);
      g_assert_cmpstr (de.out, ==, c.out);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autofree char *locale = g_build_filename (g_getenv ("LOCPATH") ? g_getenv ("LOCPATH") : ".",
                                              "de_DE.UTF-8", "LC_MESSAGES", NULL);
  if (!g_file_test (locale, G_FILE_TEST_IS_DIR))
    {
      /* never a skip: the locales package is listed, the locale is built by meson */
      g_printerr ("test-cli-i18n: no compiled de_DE.UTF-8 locale under LOCPATH=%s "
                  "(tests/i18n builds it with localedef)\n",
                  g_getenv ("LOCPATH"));
      return 1;
    }
  g_test_add_func ("/cli-i18n/help", test_help);
  g_test_add_func ("/cli-i18n/option-help", test_option_help);
  g_test_add_func ("/cli-i18n/usage-error", test_usage_error);
  g_test_add_func ("/cli-i18n/stream-summary", test_stream_summary);
  g_test_add_func ("/cli-i18n/table", test_table);
  g_test_add_func ("/cli-i18n/json-identical", test_json_identical);
  return g_test_run ();
}
