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

/* removes @dir and the files in it */
static void
remove_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  for (const char *name; d && (name = g_dir_read_name (d));)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
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

  remove_dir (dir);
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

/* Safe output files (issue 9 §4): export -o and stream --csv. */
typedef struct
{
  char *dir;
  char *db;
} Files;

static void
files_setup (Files *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("nb-out-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->db = g_build_filename (f->dir, "bench.db", NULL);
  CliResult r = { 0 };
  cli_run (&r, "record", "-d", "sim", "--seconds", "1", "--depth", "1", "--rate", "100", "--db",
           f->db, NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
}

static void
files_teardown (Files *f, gconstpointer data)
{
  remove_dir (f->dir);
  g_free (f->db);
  g_free (f->dir);
}

static char *
read_all (const char *path)
{
  char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* exports session 1 to @target (extra options after it, NULL-terminated: at most one) */
static void
export_to (Files *f, CliResult *r, const char *target, const char *extra)
{
  cli_run (r, "export", "1", "--db", f->db, "-o", target, extra, NULL);
}

/* a refused target: exit 2 in no time, a message that says why, nothing written */
static void
assert_refused (CliResult *r, const char *why)
{
  g_assert_cmpint (r->status, ==, 2);
  g_assert_nonnull (strstr (r->err, why));
  g_assert_cmpfloat (r->seconds, <, 10);
  g_assert_cmpstr (r->out, ==, "");
}

/* a refused or failed write leaves no temporary file (".NAME.XXXXXX") behind */
static void
assert_no_temporary_files (Files *f)
{
  g_autoptr (GDir) d = g_dir_open (f->dir, 0, NULL);
  for (const char *name; (name = g_dir_read_name (d));)
    if (name[0] == '.')
      g_error ("left behind: %s/%s", f->dir, name);
}

static void
test_export_device_node (Files *f, gconstpointer data)
{
  CliResult r = { 0 };
  for (int force = 0; force < 2; force++)
    {
      export_to (f, &r, "/dev/null", force ? "--force" : NULL);
      assert_refused (&r, "not a regular file");
      cli_result_clear (&r);
      GStatBuf st;
      g_assert_cmpint (g_lstat ("/dev/null", &st), ==, 0);
      g_assert_true (S_ISCHR (st.st_mode));
    }
}

static void
test_export_symlink_fifo_hardlink (Files *f, gconstpointer data)
{
  g_autofree char *target = g_build_filename (f->dir, "precious.txt", NULL);
  g_autofree char *sym = g_build_filename (f->dir, "link.csv", NULL);
  g_autofree char *dangling = g_build_filename (f->dir, "dangling.csv", NULL);
  g_autofree char *fifo = g_build_filename (f->dir, "fifo.csv", NULL);
  g_autofree char *hard = g_build_filename (f->dir, "hard.csv", NULL);
  g_assert_true (g_file_set_contents (target, "keep me\n", -1, NULL));
  g_assert_cmpint (symlink (target, sym), ==, 0);
  g_assert_cmpint (symlink ("nowhere.csv", dangling), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (link (target, hard), ==, 0);

  CliResult r = { 0 };
  const char *const targets[] = { sym, dangling, fifo, hard };
  for (gsize i = 0; i < G_N_ELEMENTS (targets); i++)
    for (int force = 0; force < 2; force++)
      {
        export_to (f, &r, targets[i], force ? "--force" : NULL);
        /* a FIFO would block the open until a reader came: the test would time out */
        assert_refused (&r, i == 3 ? "hard links" : "not a regular file");
        cli_result_clear (&r);
      }
  g_autofree char *kept = read_all (target);
  g_assert_cmpstr (kept, ==, "keep me\n");
  GStatBuf st;
  g_assert_cmpint (g_lstat (sym, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpint (g_lstat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
  g_autofree char *nowhere = g_build_filename (f->dir, "nowhere.csv", NULL);
  g_assert_false (g_file_test (nowhere, G_FILE_TEST_EXISTS));
  assert_no_temporary_files (f);
}

static void
test_export_force_mode_stdout (Files *f, gconstpointer data)
{
  g_autofree char *out = g_build_filename (f->dir, "out.csv", NULL);
  g_assert_true (g_file_set_contents (out, "old contents\n", -1, NULL));
  g_assert_cmpint (g_chmod (out, 0644), ==, 0);

  CliResult r = { 0 };
  export_to (f, &r, out, NULL);
  assert_refused (&r, "--force");
  cli_result_clear (&r);
  g_autofree char *old = read_all (out);
  g_assert_cmpstr (old, ==, "old contents\n");

  export_to (f, &r, out, "--force");
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  g_autofree char *exported = read_all (out);
  g_assert_true (g_str_has_prefix (exported, "index,time_s,depth_mm,"));
  GStatBuf st;
  g_assert_cmpint (g_stat (out, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);

  /* a new file, with a loose umask, is private too */
  mode_t old_mask = umask (022);
  g_autofree char *fresh = g_build_filename (f->dir, "fresh.json", NULL);
  cli_run (&r, "export", "1", "--db", f->db, "--format", "json", "-o", fresh, NULL);
  umask (old_mask);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  g_assert_cmpint (g_stat (fresh, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);

  /* -o - is the same bytes on standard output */
  export_to (f, &r, "-", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, exported);
  cli_result_clear (&r);
  g_autofree char *fresh_text = read_all (fresh);
  cli_run (&r, "export", "1", "--db", f->db, "--format", "json", "-o", "-", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, fresh_text);
  cli_result_clear (&r);
}

static void
stream_csv (CliResult *r, const char *target, const char *extra, const char *json)
{
  cli_run (r, "stream", "-d", "sim:time-scale=10", "--depth", "1", "--rate", "100", "--seconds",
           "1", "--csv", target, extra ? extra : json, extra ? json : NULL, NULL);
}

static void
test_stream_csv_file (Files *f, gconstpointer data)
{
  CliResult r = { 0 };
  stream_csv (&r, "/dev/null", "--force", NULL);
  assert_refused (&r, "not a regular file");
  cli_result_clear (&r);
  GStatBuf st;
  g_assert_cmpint (g_lstat ("/dev/null", &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));

  g_autofree char *fifo = g_build_filename (f->dir, "fifo.csv", NULL);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  stream_csv (&r, fifo, "--force", NULL);
  assert_refused (&r, "not a regular file");
  cli_result_clear (&r);

  g_autofree char *out = g_build_filename (f->dir, "strokes.csv", NULL);
  g_assert_true (g_file_set_contents (out, "old\n", -1, NULL));
  stream_csv (&r, out, NULL, NULL);
  assert_refused (&r, "--force");
  cli_result_clear (&r);
  g_autofree char *old = read_all (out);
  g_assert_cmpstr (old, ==, "old\n");

  stream_csv (&r, out, "--force", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  g_autofree char *text = read_all (out);
  g_assert_true (g_str_has_prefix (text, "index,time_s,depth_mm,period_ms\r\n1,"));
  g_auto (GStrv) rows = g_strsplit (text, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (rows), >, 50);
  g_assert_cmpint (g_stat (out, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  assert_no_temporary_files (f);
}

static void
test_stream_csv_stdout (void)
{
  /* standard output carries the rows alone; the summary, text or JSON, goes to stderr */
  CliResult r = { 0 };
  stream_csv (&r, "-", NULL, "--json");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "index,time_s,depth_mm,period_ms\r\n1,"));
  g_assert_null (strstr (r.out, "{"));
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, r.err, -1, NULL));
  JsonObject *o = json_node_get_object (json_parser_get_root (parser));
  gint64 strokes = json_object_get_int_member (o, "strokes");
  g_assert_cmpint (strokes, >, 50);
  /* one row per stroke after the header */
  g_auto (GStrv) lines = g_strsplit (r.out, "\r\n", -1);
  g_assert_cmpint (g_strv_length (lines) - 2, ==, strokes);
  cli_result_clear (&r);

  stream_csv (&r, "-", NULL, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "index,time_s,depth_mm,period_ms\r\n"));
  g_assert_null (strstr (r.out, "Strokes:"));
  g_assert_nonnull (strstr (r.err, "Strokes:"));
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
  g_test_add ("/cli-output/export-device-node", Files, NULL, files_setup, test_export_device_node,
              files_teardown);
  g_test_add ("/cli-output/export-symlink-fifo-hardlink", Files, NULL, files_setup,
              test_export_symlink_fifo_hardlink, files_teardown);
  g_test_add ("/cli-output/export-force-mode-stdout", Files, NULL, files_setup,
              test_export_force_mode_stdout, files_teardown);
  g_test_add ("/cli-output/stream-csv-file", Files, NULL, files_setup, test_stream_csv_file,
              files_teardown);
  g_test_add_func ("/cli-output/stream-csv-stdout", test_stream_csv_stdout);
  return g_test_run ();
}
