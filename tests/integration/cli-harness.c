/* cli-harness.c: subprocess plumbing for the CLI tests. */
#include "cli-harness.h"

#include <signal.h>
#include <stdarg.h>
#include <sys/prctl.h>

void
cli_result_clear (CliResult *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

/* argv_of: (transfer full) the program named by environment variable @env, then the
 * NULL-terminated arguments from @first on, NULL-terminated. */
static GPtrArray *
argv_of (const char *env, const char *first, va_list ap)
{
  const char *program = g_getenv (env);
  g_assert_nonnull (program);
  GPtrArray *argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) program);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  g_ptr_array_add (argv, NULL);
  return argv;
}

static GSubprocess *
spawn_cli (const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  GSubprocess *p = g_subprocess_newv (
      argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  return p;
}

void
cli_runv (CliResult *r, const char *const *args)
{
  const char *cli = g_getenv ("NB_CLI");
  g_assert_nonnull (cli);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) cli);
  for (const char *const *a = args; *a; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  g_ptr_array_add (argv, NULL);

  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (GSubprocess) p = spawn_cli ((const char *const *) argv->pdata);
  cli_finish (r, p);
  r->seconds = (g_get_monotonic_time () - t0) / 1e6;
}

GSubprocess *
cli_start (const char *first, ...)
{
  va_list ap;
  va_start (ap, first);
  g_autoptr (GPtrArray) argv = argv_of ("NB_CLI", first, ap);
  va_end (ap);
  return spawn_cli ((const char *const *) argv->pdata);
}

void
cli_finish (CliResult *r, GSubprocess *p)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (g_subprocess_communicate_utf8 (p, NULL, NULL, &r->out, &r->err, &error));
  g_assert_no_error (error);
  if (g_subprocess_get_if_signaled (p))
    g_error ("needlebench-cli died of signal %d\nstdout: %s\nstderr: %s",
             g_subprocess_get_term_sig (p), r->out, r->err);
  g_assert_true (g_subprocess_get_if_exited (p));
  r->status = g_subprocess_get_exit_status (p);
  if (g_test_verbose ())
    g_printerr ("$ needlebench-cli ... -> %d\n%s%s", r->status, r->out, r->err);
}

void
cli_run (CliResult *r, const char *first, ...)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  va_list ap;
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  cli_runv (r, (const char *const *) args->pdata);
}

JsonObject *
cli_json_object (const CliResult *r, JsonParser **parser)
{
  g_autoptr (GError) error = NULL;
  *parser = json_parser_new ();
  if (!json_parser_load_from_data (*parser, r->out, -1, &error))
    g_error ("not JSON (%s): %s\nstderr: %s", error->message, r->out, r->err);
  JsonNode *root = json_parser_get_root (*parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_node_get_object (root);
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

GSubprocess *
sim_start (char **pty_path, const char *first, ...)
{
  va_list ap;
  va_start (ap, first);
  g_autoptr (GPtrArray) argv = argv_of ("NB_SIM", first, ap);
  va_end (ap);

  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocessLauncher) launcher
      = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* A failed assertion must not leave a pen running that holds the test's output open. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  GSubprocess *p
      = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_autoptr (GDataInputStream) in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p));
  gsize len = 0;
  *pty_path = g_data_input_stream_read_line_utf8 (in, &len, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*pty_path);
  g_assert_true (g_str_has_prefix (*pty_path, "/dev/"));
  return p;
}

void
sim_stop (GSubprocess *sim)
{
  g_subprocess_send_signal (sim, SIGTERM);
  g_autoptr (GError) error = NULL;
  g_subprocess_wait (sim, NULL, &error);
  g_object_unref (sim);
}
