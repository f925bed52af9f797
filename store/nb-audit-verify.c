/* nb-audit-verify.c: the checks behind `audit verify` (nb-audit-verify.h). */
#include "nb-audit-verify.h"
#include "nb-audit-rows.h"
#include "nb-audit.h"
#include "nb-store-private.h"

#include <string.h>

typedef struct
{
  gint64 entry;
  NbAuditRange *range; /* owned by ranges below */
} Covered;

typedef struct
{
  NbStore *store;
  NbAuditReport *report;
  GHashTable *hashes;  /* gint64* entry -> its stored hash */
  GPtrArray *ranges;   /* NbAuditRange, all entries' */
  GArray *covered;     /* Covered, in entry order */
  GHashTable *newest;  /* "table:key" -> gint64 newest entry covering that closable row */
  GHashTable *present; /* names of the tables the database has */
  gint64 last_entry;
} Verify;

static void
finding_free (NbAuditFinding *f)
{
  g_free (f->table);
  g_free (f->message);
  g_free (f);
}

void
nb_audit_report_free (NbAuditReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->findings);
  g_free (report->key_id);
  g_free (report);
}

const char *
nb_audit_finding_kind_to_string (NbAuditFindingKind kind)
{
  switch (kind)
    {
    case NB_AUDIT_FINDING_SCHEMA: return "schema";
    case NB_AUDIT_FINDING_CHAIN: return "chain";
    case NB_AUDIT_FINDING_CHECKPOINT: return "checkpoint";
    case NB_AUDIT_FINDING_UNSIGNED: return "unsigned";
    case NB_AUDIT_FINDING_CONTENT: return "content";
    case NB_AUDIT_FINDING_COVERAGE: return "coverage";
    case NB_AUDIT_FINDING_ORPHAN: return "orphan";
    default: return "unknown";
    }
}

static void add_finding (Verify *v, NbAuditFindingKind kind, gint64 entry, const char *table,
                         gint64 first, gint64 last, gint64 count, const char *fmt, ...)
    G_GNUC_PRINTF (8, 9);

static void
add_finding (Verify *v, NbAuditFindingKind kind, gint64 entry, const char *table, gint64 first,
             gint64 last, gint64 count, const char *fmt, ...)
{
  NbAuditFinding *f = g_new0 (NbAuditFinding, 1);
  va_list args;
  va_start (args, fmt);
  f->message = g_strdup_vprintf (fmt, args);
  va_end (args);
  f->kind = kind;
  f->entry = entry;
  f->table = g_strdup (table);
  f->first = first;
  f->last = last;
  f->count = count;
  g_ptr_array_add (v->report->findings, f);
}

static char *
rows_text (gint64 first, gint64 last)
{
  if (first == last)
    return g_strdup_printf ("row %" G_GINT64_FORMAT, first);
  return g_strdup_printf ("rows %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, first, last);
}

static gboolean
check_schema (Verify *v, GError **error)
{
  g_autoptr (GPtrArray) findings
      = nb_store_schema_findings (v->store, v->store->schema_version, error);
  if (findings == NULL)
    return FALSE;
  for (guint i = 0; i < findings->len; i++)
    add_finding (v, NB_AUDIT_FINDING_SCHEMA, 0, NULL, 0, 0, 0, "%s",
                 (const char *) findings->pdata[i]);
  return TRUE;
}

/* Walks the chain: names its first broken entry, keeps every entry's stored hash and coverage. */
static gboolean
check_chain (Verify *v, GError **error)
{
  NbStmt *stmt = nb_store_stmt (v->store,
                                "SELECT id, at, actor, action, subject, detail, prev_hash,"
                                " hash, covers FROM audit ORDER BY id",
                                error);
  if (stmt == NULL)
    return FALSE;
  g_autofree char *prev = g_strdup (NB_AUDIT_GENESIS);
  gint64 expected_id = 1;
  int rc;
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    {
      gint64 id = nb_stmt_column_int64 (stmt, 0);
      const char *stored_prev = (const char *) nb_stmt_column_text (stmt, 6);
      const char *stored_hash = (const char *) nb_stmt_column_text (stmt, 7);
      const char *covers = (const char *) nb_stmt_column_text (stmt, 8);
      g_autofree char *hash = nb_audit_hash_full (
          prev, id, nb_stmt_column_int64 (stmt, 1), (const char *) nb_stmt_column_text (stmt, 2),
          (const char *) nb_stmt_column_text (stmt, 3),
          (const char *) nb_stmt_column_text (stmt, 4),
          (const char *) nb_stmt_column_text (stmt, 5), covers);
      const char *why = NULL;
      if (id != expected_id)
        why = "its id does not follow the previous entry's (an entry was removed or inserted)";
      else if (g_strcmp0 (stored_prev, prev) != 0)
        why = "its prev_hash is not the previous entry's hash (an entry was removed or "
              "inserted)";
      else if (g_strcmp0 (stored_hash, hash) != 0)
        why = "its hash does not match its fields (the entry was altered)";
      if (why != NULL && v->report->first_broken == 0)
        {
          v->report->first_broken = id;
          add_finding (v, NB_AUDIT_FINDING_CHAIN, id, NULL, 0, 0, 0,
                       "audit chain broken at entry %" G_GINT64_FORMAT ": %s", id, why);
        }
      v->report->entries++;
      v->last_entry = id;
      g_hash_table_insert (v->hashes, g_memdup2 (&id, sizeof id), g_strdup (stored_hash));

      g_autoptr (GError) local = NULL;
      g_autoptr (GPtrArray) ranges = nb_audit_covers_parse (covers, &local);
      if (ranges == NULL)
        {
          add_finding (v, NB_AUDIT_FINDING_COVERAGE, id, NULL, 0, 0, 0,
                       "entry %" G_GINT64_FORMAT ": %s", id, local->message);
          ranges = g_ptr_array_new ();
        }
      while (ranges->len > 0)
        {
          NbAuditRange *r = g_ptr_array_steal_index (ranges, 0);
          g_ptr_array_add (v->ranges, r);
          Covered c = { id, r };
          g_array_append_val (v->covered, c);
          if (r->table->closable && r->first == r->last)
            g_hash_table_insert (v->newest,
                                 g_strdup_printf ("%s:%" G_GINT64_FORMAT, r->table->name, r->first),
                                 g_memdup2 (&id, sizeof id));
        }
      g_free (prev);
      prev = g_strdup (stored_hash);
      expected_id = id + 1;
    }
  nb_stmt_reset (stmt);
  if (rc != NB_DB_DONE)
    {
      nb_store_set_error (v->store, error, rc, "Reading the audit trail of");
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_checkpoints (Verify *v, NbLabKey *key, GError **error)
{
  NbStmt *stmt = nb_store_stmt (v->store,
                                "SELECT id, audit_id, hash, key_id, signature"
                                " FROM audit_checkpoints ORDER BY audit_id, id",
                                error);
  if (stmt == NULL)
    return FALSE;
  g_autofree char *key_id = key != NULL ? nb_lab_key_id (key) : NULL;
  gint64 last_valid = 0; /* the entry of the last checkpoint that held */
  int rc;
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    {
      gint64 id = nb_stmt_column_int64 (stmt, 0);
      gint64 entry = nb_stmt_column_int64 (stmt, 1);
      const char *hash = (const char *) nb_stmt_column_text (stmt, 2);
      const char *signer = (const char *) nb_stmt_column_text (stmt, 3);
      const char *signature = (const char *) nb_stmt_column_text (stmt, 4);
      const char *chain_hash = g_hash_table_lookup (v->hashes, &entry);
      v->report->checkpoints++;
      if (chain_hash == NULL)
        {
          add_finding (v, NB_AUDIT_FINDING_CHECKPOINT, entry, NULL, 0, 0, 0,
                       "checkpoint %" G_GINT64_FORMAT " signs entry %" G_GINT64_FORMAT
                       ", which is not in the audit trail (entries were removed)",
                       id, entry);
          continue;
        }
      if (g_strcmp0 (chain_hash, hash) != 0)
        {
          add_finding (v, NB_AUDIT_FINDING_CHECKPOINT, entry, NULL, 0, 0, 0,
                       "checkpoint %" G_GINT64_FORMAT ": entry %" G_GINT64_FORMAT
                       "'s hash is not the one the laboratory signed: the chain was rewritten "
                       "from an entry in %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT " on",
                       id, entry, last_valid + 1, entry);
          continue;
        }
      if (key == NULL)
        continue;
      g_autofree char *message = nb_audit_checkpoint_message (entry, hash);
      g_autoptr (GError) local = NULL;
      if (g_strcmp0 (signer, key_id) != 0)
        add_finding (v, NB_AUDIT_FINDING_CHECKPOINT, entry, NULL, 0, 0, 0,
                     "checkpoint %" G_GINT64_FORMAT " (entry %" G_GINT64_FORMAT
                     ") names key %s, not the laboratory key %s",
                     id, entry, signer ? signer : "(none)", key_id);
      else if (!nb_lab_key_verify (key, message, strlen (message), signature, &local))
        add_finding (v, NB_AUDIT_FINDING_CHECKPOINT, entry, NULL, 0, 0, 0,
                     "checkpoint %" G_GINT64_FORMAT " (entry %" G_GINT64_FORMAT "): %s; the "
                     "chain was rewritten from an entry in %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT
                     " on, or the checkpoint forged",
                     id, entry, local->message, last_valid + 1, entry);
      else
        last_valid = v->report->signed_upto = MAX (v->report->signed_upto, entry);
    }
  nb_stmt_reset (stmt);
  if (rc != NB_DB_DONE)
    {
      nb_store_set_error (v->store, error, rc, "Reading the audit checkpoints of");
      return FALSE;
    }
  if (key == NULL)
    add_finding (v, NB_AUDIT_FINDING_UNSIGNED, 0, NULL, 0, 0, 0,
                 "no laboratory public key: the %" G_GINT64_FORMAT
                 " checkpoint signatures were not checked, so a recomputed chain would pass "
                 "(give --key LAB.pub)",
                 v->report->checkpoints);
  else if (v->last_entry > v->report->signed_upto)
    add_finding (v, NB_AUDIT_FINDING_UNSIGNED, v->report->signed_upto + 1, NULL, 0, 0, 0,
                 "no signed checkpoint after entry %" G_GINT64_FORMAT ": entries %" G_GINT64_FORMAT
                 "-%" G_GINT64_FORMAT " are not protected by the laboratory key",
                 v->report->signed_upto, v->report->signed_upto + 1, v->last_entry);
  return TRUE;
}

/* The tables the database has: one that a migration it has not had yet would create is not
 * searched for orphans; one that was dropped is a schema finding already. */
static gboolean
read_tables (Verify *v, GError **error)
{
  NbStmt *stmt
      = nb_store_stmt (v->store,
                       nb_db_backend (v->store->db) == NB_DB_POSTGRES
                           ? "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                           : "SELECT name FROM sqlite_master WHERE type = 'table'",
                       error);
  if (stmt == NULL)
    return FALSE;
  int rc;
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    g_hash_table_add (v->present, g_strdup ((const char *) nb_stmt_column_text (stmt, 0)));
  nb_stmt_reset (stmt);
  if (rc != NB_DB_DONE)
    {
      nb_store_set_error (v->store, error, rc, "Reading the schema of");
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_content (Verify *v, GError **error)
{
  for (guint i = 0; i < v->covered->len; i++)
    {
      Covered *c = &g_array_index (v->covered, Covered, i);
      NbAuditRange *r = c->range;
      if (!g_hash_table_contains (v->present, r->table->name))
        continue;
      if (r->table->closable && r->first == r->last)
        {
          g_autofree char *key = g_strdup_printf ("%s:%" G_GINT64_FORMAT, r->table->name, r->first);
          const gint64 *newest = g_hash_table_lookup (v->newest, key);
          if (newest != NULL && *newest != c->entry)
            continue; /* the row was closed since: the newer entry holds its hash */
        }
      g_autofree char *rows = rows_text (r->first, r->last);
      if (r->sha256 == NULL)
        {
          add_finding (v, NB_AUDIT_FINDING_COVERAGE, c->entry, r->table->name, r->first, r->last, 0,
                       "entry %" G_GINT64_FORMAT " covers %s %s without their hash", c->entry,
                       r->table->name, rows);
          continue;
        }
      gint64 n = 0;
      g_autofree char *sha
          = nb_audit_rows_sha256 (v->store, r->table, r->first, r->last, &n, error);
      if (sha == NULL)
        return FALSE;
      v->report->rows += n;
      if (g_strcmp0 (sha, r->sha256) != 0)
        add_finding (v, NB_AUDIT_FINDING_CONTENT, c->entry, r->table->name, r->first, r->last, n,
                     "%s %s changed since audit entry %" G_GINT64_FORMAT
                     " recorded them (content hash differs: a row was altered, removed or added)",
                     r->table->name, rows, c->entry);
    }
  return TRUE;
}

typedef struct
{
  gint64 first, last;
} Interval;

static int
compare_intervals (gconstpointer a, gconstpointer b)
{
  const Interval *x = a, *y = b;
  return x->first < y->first ? -1 : x->first > y->first;
}

static void
report_orphans (Verify *v, const char *table, gint64 first, gint64 last, gint64 count)
{
  g_autofree char *rows = rows_text (first, last);
  add_finding (v, NB_AUDIT_FINDING_ORPHAN, 0, table, first, last, count,
               "orphan: %s %s %s no audit entry (written outside NeedleBench)", table, rows,
               count == 1 ? "has" : "have");
}

/* Every row of every covered table must be in some entry's range. */
static gboolean
check_orphans (Verify *v, GError **error)
{
  gsize n_tables;
  const NbAuditTable *tables = nb_audit_tables (&n_tables);
  for (gsize t = 0; t < n_tables; t++)
    {
      if (!g_hash_table_contains (v->present, tables[t].name))
        continue;
      g_autoptr (GArray) intervals = g_array_new (FALSE, FALSE, sizeof (Interval));
      for (guint i = 0; i < v->ranges->len; i++)
        {
          NbAuditRange *r = v->ranges->pdata[i];
          if (r->table == &tables[t])
            {
              Interval in = { r->first, r->last };
              g_array_append_val (intervals, in);
            }
        }
      g_array_sort (intervals, compare_intervals);
      NbStmt *stmt = nb_store_stmt (v->store, tables[t].keys_sql, error);
      if (stmt == NULL)
        return FALSE;
      guint at = 0;
      gint64 run_first = 0, run_last = 0, run_count = 0;
      int rc;
      while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
        {
          gint64 key = nb_stmt_column_int64 (stmt, 0);
          while (at < intervals->len && g_array_index (intervals, Interval, at).last < key)
            at++;
          gboolean covered
              = at < intervals->len && g_array_index (intervals, Interval, at).first <= key;
          if (covered)
            {
              if (run_count > 0)
                report_orphans (v, tables[t].name, run_first, run_last, run_count);
              run_count = 0;
              continue;
            }
          if (run_count == 0)
            run_first = key;
          run_last = key;
          run_count++;
        }
      nb_stmt_reset (stmt);
      if (rc != NB_DB_DONE)
        {
          nb_store_set_error (v->store, error, rc, "Reading the records of");
          return FALSE;
        }
      if (run_count > 0)
        report_orphans (v, tables[t].name, run_first, run_last, run_count);
    }
  return TRUE;
}

NbAuditReport *
nb_audit_verify_report (NbStore *store, NbLabKey *key, GError **error)
{
  g_autoptr (NbAuditReport) report = g_new0 (NbAuditReport, 1);
  report->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) finding_free);
  report->key_id = key != NULL ? nb_lab_key_id (key) : NULL;
  if (store->schema_version < NB_STORE_SCHEMA_AUDIT)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_SCHEMA,
                   "Database %s is at schema %d, before the audit coverage of schema %d: open "
                   "it for writing once to upgrade it",
                   store->path, store->schema_version, NB_STORE_SCHEMA_AUDIT);
      return NULL;
    }
  Verify v = {
    .store = store,
    .report = report,
    .hashes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free),
    .ranges = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_audit_range_free),
    .covered = g_array_new (FALSE, FALSE, sizeof (Covered)),
    .newest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
    .present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
  };
  /* one snapshot of the whole database, even while a recorder writes to it */
  gboolean ok = nb_store_exec (store,
                               nb_db_backend (store->db) == NB_DB_POSTGRES
                                   ? "BEGIN ISOLATION LEVEL REPEATABLE READ"
                                   : "BEGIN",
                               error);
  ok = ok && read_tables (&v, error) && check_schema (&v, error) && check_chain (&v, error)
       && check_checkpoints (&v, key, error) && check_content (&v, error)
       && check_orphans (&v, error);
  if (!nb_db_get_autocommit (store->db))
    nb_db_exec (store->db, "COMMIT");
  g_hash_table_unref (v.hashes);
  g_ptr_array_unref (v.ranges);
  g_array_unref (v.covered);
  g_hash_table_unref (v.newest);
  g_hash_table_unref (v.present);
  if (!ok)
    return NULL;
  return g_steal_pointer (&report);
}
