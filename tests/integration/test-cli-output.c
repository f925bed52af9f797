/* test-cli-output.c: what needlebench-cli writes: text from pens, databases and users escaped on
 * a terminal and exact in JSON. */
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli-harness.h"
#include "nb-cli.h"

/* ESC [2J clears the screen, ESC ] 0 ; ... BEL sets the window title, CSI as one C1 code point,
 * a right-to-left override. */
#define EVIL_NAME                                                                                  \
  "\033[2J\033]0;pwned\007run\xc2\x9b"                                                             \
  "31m\xe2\x80\xae"                                                                                \
  "A"
#define EVIL_NAME_SHOWN "\\x1b[2J\\x1b]0;pwned\\x07run\\x9b31m\\u202eA"
#define EVIL_OPERATOR "a\nb"

/* The bytes a command wrote, exactly (cli_run insists on UTF-8, which is what is tested here). */
typedef struct
{
  int status;
  char *out, *err;
  gsize out_len, err_len;
} Raw;

static void
raw_clear (Raw *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

static char *
bytes_to_string (GBytes *bytes, gsize *len)
{
  gsize n = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &n) : NULL;
  *len = n;
  return g_strndup (data ? data : "", n);
}

static void
raw_runv (Raw *r, const char *const *args)
{
  const char *cli = g_getenv ("NB_CLI");
  g_assert_nonnull (cli);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) cli);
  for (const char *const *a = args; *a; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  g_ptr_array_add (argv, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) p
      = g_subprocess_newv ((const char *const *) argv->pdata,
                           G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_autoptr (GBytes) out = NULL, err = NULL;
  g_assert_true (g_subprocess_communicate (p, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (p));
  r->status = g_subprocess_get_exit_status (p);
  r->out = bytes_to_string (out, &r->out_len);
  r->err = bytes_to_string (err, &r->err_len);
  if (g_test_verbose ())
    g_printerr ("$ needlebench-cli %s ... -> %d\n%s%s", args[0], r->status, r->out, r->err);
}

#define raw_run(r, ...)                                                                            \
  G_STMT_START                                                                                     \
  {                                                                                                \
    const char *const args_[] = { __VA_ARGS__, NULL };                                             \
    raw_runv (r, args_);                                                                           \
  }                                                                                                \
  G_STMT_END

/* No byte that a terminal acts on: C0 controls but the line ends, DEL, C1 (as bytes or as UTF-8
 * code points) and the bidirectional controls. */
static void
assert_terminal_safe (const char *text, gsize len)
{
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) text[i];
      if (c == '\n')
        continue;
      if (c < 0x20 || c == 0x7F)
        g_error ("raw control byte 0x%02x at %" G_GSIZE_FORMAT " in: %s", c, i, text);
    }
  g_assert_true (g_utf8_validate (text, (gssize) len, NULL));
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar u = g_utf8_get_char (p);
      if ((u >= 0x80 && u <= 0x9F) || (u >= 0x202A && u <= 0x202E) || (u >= 0x2066 && u <= 0x2069))
        g_error ("raw U+%04X in: %s", u, text);
    }
}

static void
test_escape_function (void)
{
  static const struct
  {
    const char *in, *out;
  } cases[] = {
    { "plain NB-0042 Ann O'Neil", "plain NB-0042 Ann O'Neil" },
    { "Zoë 深さ 🙂", "Zoë 深さ 🙂" },
    { "\033[2J", "\\x1b[2J" },
    { "a\nb\r\tc", "a\\nb\\r\\tc" },
    { "back\\slash", "back\\\\slash" },
    { "\x7f\x01", "\\x7f\\x01" },
    { "\xc2\x9b"
      "1m",
      "\\x9b1m" },
    { "\xc2\x85", "\\x85" },
    { "bad \xff\xfe end", "bad \\xff\\xfe end" },
    { "cut \xe2\x80", "cut \\xe2\\x80" },
    { "\xe2\x80\xae"
      "evil\xe2\x81\xa6",
      "\\u202eevil\\u2066" },
    { "line\xe2\x80\xa8sep", "line\\u2028sep" },
    { "", "" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = nb_cli_escape (cases[i].in);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
  g_assert_null (nb_cli_escape (NULL));
}

static char *
record_evil_session (const char *dir)
{
  char *db = g_build_filename (dir, "evil.db", NULL);
  Raw r = { 0 };
  raw_run (&r, "record", "-d", "sim", "--name", EVIL_NAME, "--operator", EVIL_OPERATOR, "--note",
           "note\033[5m", "--seconds", "1", "--depth", "1", "--rate", "100", "--db", db);
  g_assert_cmpint (r.status, ==, 0);
  raw_clear (&r);
  return db;
}

static guint
count_lines (const char *text)
{
  guint n = 0;
  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

static void
test_sessions_escaped (void)
{
  g_autofree char *dir = g_dir_make_tmp ("nb-esc-XXXXXX", NULL);
  g_autofree char *db = record_evil_session (dir);

  Raw r = { 0 };
  raw_run (&r, "sessions", "--db", db);
  g_assert_cmpint (r.status, ==, 0);
  assert_terminal_safe (r.out, r.out_len);
  g_assert_cmpuint (count_lines (r.out), ==, 2); /* the header and one session: no forged row */
  g_assert_nonnull (strstr (r.out, EVIL_NAME_SHOWN));
  g_assert_nonnull (strstr (r.out, "a\\nb"));
  raw_clear (&r);

  /* JSON carries the exact text */
  CliResult j = { 0 };
  cli_run (&j, "sessions", "--db", db, "--json", NULL);
  g_assert_cmpint (j.status, ==, 0);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, j.out, -1, NULL));
  JsonArray *a = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (a), ==, 1);
  JsonObject *s = json_array_get_object_element (a, 0);
  g_assert_cmpstr (json_object_get_string_member (s, "name"), ==, EVIL_NAME);
  g_assert_cmpstr (json_object_get_string_member (s, "operator"), ==, EVIL_OPERATOR);
  g_assert_cmpstr (json_object_get_string_member (s, "note"), ==, "note\033[5m");
  cli_result_clear (&j);

  /* the filters take the exact text too */
  raw_run (&r, "sessions", "--db", db, "--operator", EVIL_OPERATOR);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (count_lines (r.out), ==, 2);
  raw_clear (&r);

  g_unlink (db);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

static void
test_errors_escaped (void)
{
  Raw r = { 0 };
  /* a device URI with an escape sequence, quoted by the device error */
  raw_run (&r, "info", "-d", "serial:/nonexistent/tty\033[2J\033]0;pwned\007");
  g_assert_cmpint (r.status, ==, 3);
  assert_terminal_safe (r.err, r.err_len);
  g_assert_nonnull (strstr (r.err, "tty\\x1b[2J\\x1b]0;pwned\\x07"));
  raw_clear (&r);

  /* a serial with control characters, quoted by the URI parser */
  raw_run (&r, "info", "-d", "sim:serial=NB\033[31m\xc2\x9b\xe2\x80\xae");
  g_assert_cmpint (r.status, !=, 0); /* which code is the cli branch's (issue 9 §3) */
  assert_terminal_safe (r.err, r.err_len);
  g_assert_nonnull (strstr (r.err, "NB\\x1b[31m\\x9b\\u202e"));
  raw_clear (&r);

  /* a path that is not UTF-8, quoted by the store */
  raw_run (&r, "sessions", "--db", "/nonexistent/\xff\xfe\033[2J.db");
  g_assert_cmpint (r.status, ==, 4);
  assert_terminal_safe (r.err, r.err_len);
  g_assert_nonnull (strstr (r.err, "/nonexistent/\\xff\\xfe\\x1b[2J.db"));
  raw_clear (&r);

  /* an argument quoted by a usage error, and an unknown command */
  raw_run (&r, "sessions", "stray\033[2J");
  g_assert_cmpint (r.status, ==, 2);
  assert_terminal_safe (r.err, r.err_len);
  g_assert_nonnull (strstr (r.err, "stray\\x1b[2J"));
  raw_clear (&r);
  raw_run (&r, "no\033[2Jsuch");
  g_assert_cmpint (r.status, ==, 2);
  assert_terminal_safe (r.err, r.err_len);
  g_assert_nonnull (strstr (r.err, "no\\x1b[2Jsuch"));
  raw_clear (&r);
}

/* monitor: Ctrl-C (or SIGTERM, SIGHUP) is how it ends: exit 0, nothing on stderr. */
static void
test_monitor_signal (gconstpointer data)
{
  int signum = GPOINTER_TO_INT (data);
  const char *cli = g_getenv ("NB_CLI");
  g_assert_nonnull (cli);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) p
      = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                          cli, "monitor", "--json", NULL);
  g_assert_no_error (error);
  /* the simulated pen's "added" line: the monitor is in its main loop, its handlers installed */
  g_autoptr (GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p));
  g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, "\"added\""));
  g_subprocess_send_signal (p, signum);
  g_assert_true (g_subprocess_wait (p, NULL, &error));
  g_assert_no_error (error);
  g_autoptr (GBytes) err
      = g_input_stream_read_bytes (g_subprocess_get_stderr_pipe (p), 65536, NULL, &error);
  g_assert_no_error (error);
  g_autofree char *err_text = g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err));
  g_assert_null (strstr (err_text, "CRITICAL"));
  g_assert_cmpstr (err_text, ==, "");
  g_assert_true (g_subprocess_get_if_exited (p));
  g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 0);
}

static void
test_monitor_seconds (void)
{
  static const char *const bad[] = { "inf", "-inf", "nan", "0", "-1", "1e12", "2s", "" };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      CliResult r = { 0 };
      cli_run (&r, "monitor", "--no-sim", "--seconds", bad[i], NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, "--seconds"));
      g_assert_cmpstr (r.out, ==, "");
      cli_result_clear (&r);
    }
  CliResult r = { 0 };
  cli_run (&r, "monitor", "--json", "--seconds", "0.5", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpfloat (r.seconds, >=, 0.45);
  g_assert_cmpfloat (r.seconds, <, 10);
  g_assert_nonnull (strstr (r.out, "\"added\"")); /* it ran: the simulated pen was reported */
  g_assert_null (strstr (r.err, "CRITICAL"));
  cli_result_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli-output/escape-function", test_escape_function);
  g_test_add_func ("/cli-output/sessions-escaped", test_sessions_escaped);
  g_test_add_func ("/cli-output/errors-escaped", test_errors_escaped);
  g_test_add_data_func ("/cli-output/monitor-sigint", GINT_TO_POINTER (SIGINT),
                        test_monitor_signal);
  g_test_add_data_func ("/cli-output/monitor-sigterm", GINT_TO_POINTER (SIGTERM),
                        test_monitor_signal);
  g_test_add_data_func ("/cli-output/monitor-sighup", GINT_TO_POINTER (SIGHUP),
                        test_monitor_signal);
  g_test_add_func ("/cli-output/monitor-seconds", test_monitor_seconds);
  return g_test_run ();
}
