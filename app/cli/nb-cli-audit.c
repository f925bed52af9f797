/* nb-cli-audit.c: `needlebench-cli audit verify [--json] [--db PATH] [--key LAB.pub]`: checks the
 * audit trail of a database opened read-only (store/nb-audit-verify.h): the triggers, the chain,
 * the signed checkpoints, every record row's coverage and content. Exit 0 clean, 1 findings,
 * 2 usage, 4 the database or the key cannot be read. */
#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "nb-audit-verify.h"
#include "nb-cli.h"

#define COMMAND "audit verify"

static void
json_int_or_null (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  if (value != 0)
    json_builder_add_int_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
print_json (const char *db, const NbAuditReport *r)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  nb_cli_json_string (b, "database", db);
  json_builder_set_member_name (b, "clean");
  json_builder_add_boolean_value (b, r->findings->len == 0);
  nb_cli_json_int (b, "entries", r->entries);
  nb_cli_json_int (b, "checkpoints", r->checkpoints);
  json_int_or_null (b, "signed_up_to", r->signed_upto);
  nb_cli_json_int (b, "rows_checked", r->rows);
  json_int_or_null (b, "first_broken_entry", r->first_broken);
  nb_cli_json_string (b, "key_id", r->key_id);
  json_builder_set_member_name (b, "findings");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->findings->len; i++)
    {
      const NbAuditFinding *f = r->findings->pdata[i];
      json_builder_begin_object (b);
      nb_cli_json_string (b, "kind", nb_audit_finding_kind_to_string (f->kind));
      json_int_or_null (b, "entry", f->entry);
      nb_cli_json_string (b, "table", f->table);
      json_int_or_null (b, "first", f->table ? f->first : 0);
      json_int_or_null (b, "last", f->table ? f->last : 0);
      json_int_or_null (b, "count", f->count);
      nb_cli_json_string (b, "message", f->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  nb_cli_print_json (json_builder_get_root (b));
}

static void
print_text (const char *db, const NbAuditReport *r)
{
  g_autofree char *path = nb_cli_escape (db);
  printf (_ ("database %s\n"), path);
  printf (_ ("%" PRId64 " audit entries, %" PRId64 " checkpoints"), r->entries, r->checkpoints);
  if (r->key_id != NULL)
    printf (_ (" (signed up to entry %" PRId64 ", key %s)"), r->signed_upto, r->key_id);
  printf (_ (", %" PRId64 " record rows checked\n"), r->rows);
  if (r->findings->len == 0)
    {
      printf (_ ("clean: every record is covered, unchanged and signed\n"));
      return;
    }
  printf (ngettext ("%u finding:\n", "%u findings:\n", r->findings->len), r->findings->len);
  for (guint i = 0; i < r->findings->len; i++)
    {
      const NbAuditFinding *f = r->findings->pdata[i];
      g_autofree char *message = nb_cli_escape (f->message);
      printf ("  [%s] %s\n", nb_audit_finding_kind_to_string (f->kind), message);
    }
}

/* The laboratory's public key: --key, else the one beside the default secret key, if any. */
static gboolean
load_key (const char *path, NbLabKey **key, GError **error)
{
  *key = NULL;
  if (path != NULL)
    {
      *key = nb_lab_key_load_public (path, error);
      return *key != NULL;
    }
  g_autofree char *secret = nb_lab_key_default_path ();
  g_autofree char *pub = nb_lab_key_public_path (secret);
  if (!g_file_test (pub, G_FILE_TEST_EXISTS))
    return TRUE; /* reported as a finding: the signatures cannot be checked */
  *key = nb_lab_key_load_public (pub, error);
  return *key != NULL;
}

static int
audit_verify (int argc, char **argv)
{
  g_autofree char *db = NULL, *key_path = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_ ("Database file or postgresql:// URI"),
      N_ ("PATH|URI") },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key_path,
      N_ ("The laboratory's public key (default: lab.pub beside the laboratory key)"),
      N_ ("LAB.pub") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print a JSON object"), NULL },
    { NULL },
  };
  if (!nb_cli_parse (
          COMMAND, NULL,
          N_ ("Checks that no record was altered, removed or added outside NeedleBench: "
              "the triggers, the audit chain and its signed checkpoints, and every row's "
              "audit entry and content. Exit 0 clean, 1 findings."),
          entries, &argc, &argv))
    return NB_EXIT_USAGE;
  if (argc > 1)
    return nb_cli_usage (COMMAND, _ ("unexpected argument “%s”"), argv[1]);

  g_autoptr (GError) error = NULL;
  g_autoptr (NbLabKey) key = NULL;
  if (!load_key (key_path, &key, &error))
    {
      nb_cli_fail (COMMAND, error);
      return NB_EXIT_DATA;
    }
  g_autoptr (NbStore) store = nb_cli_open_store_read (db, &error);
  if (store == NULL)
    {
      nb_cli_fail (COMMAND, error);
      return NB_EXIT_DATA;
    }
  g_autoptr (NbAuditReport) report = nb_audit_verify_report (store, key, &error);
  if (report == NULL)
    {
      nb_cli_fail (COMMAND, error);
      return NB_EXIT_DATA;
    }
  if (json)
    print_json (nb_store_get_path (store), report);
  else
    print_text (nb_store_get_path (store), report);
  return report->findings->len == 0 ? NB_EXIT_OK : NB_EXIT_OUT_OF_TOLERANCE;
}

int
nb_cli_audit (int argc, char **argv)
{
  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      FILE *out = argc < 2 ? stderr : stdout;
      fprintf (out, _ ("Usage: needlebench-cli audit verify [--json] [--db PATH] [--key LAB.pub]\n"
                       "Checks the database's audit trail (see needlebench-cli audit verify "
                       "--help).\n"));
      return argc < 2 ? NB_EXIT_USAGE : NB_EXIT_OK;
    }
  if (g_str_equal (argv[1], "verify"))
    return audit_verify (argc - 1, argv + 1);
  return nb_cli_usage ("audit", _ ("unknown subcommand “%s” (audit verify)"), argv[1]);
}
