/* nb-audit-verify.h: everything `needlebench-cli audit verify` checks, as a report of findings:
 * the triggers and tables against the schema (nb-store-check.c), the hash chain (the first
 * broken entry), every checkpoint's hash and its signature with the laboratory's public key,
 * the entries after the last signed checkpoint, the content hash of every range of rows an
 * entry covers, and every row no entry covers (an orphan: inserted behind the API's back). */
#pragma once

#include "nb-lab-key.h"
#include "nb-store.h"

G_BEGIN_DECLS

typedef enum
{
  NB_AUDIT_FINDING_SCHEMA,     /* a trigger or table dropped, altered or added */
  NB_AUDIT_FINDING_CHAIN,      /* the first entry whose link or hash is wrong */
  NB_AUDIT_FINDING_CHECKPOINT, /* a checkpoint that does not match the chain or does not verify */
  NB_AUDIT_FINDING_UNSIGNED,   /* entries no valid signed checkpoint protects, or no key */
  NB_AUDIT_FINDING_CONTENT,    /* rows whose content is not what their entry hashed */
  NB_AUDIT_FINDING_COVERAGE,   /* an entry's coverage that cannot be read */
  NB_AUDIT_FINDING_ORPHAN,     /* rows that no entry covers */
} NbAuditFindingKind;

typedef struct
{
  NbAuditFindingKind kind;
  gint64 entry;       /* the audit entry concerned, 0 if none */
  char *table;        /* the record table concerned, NULL if none */
  gint64 first, last; /* its rows (keys: rowid, run_strokes: point id), 0 if none */
  gint64 count;       /* how many rows, 0 if none */
  char *message;      /* one sentence, naming the entry, table and rows */
} NbAuditFinding;

typedef struct
{
  gint64 entries;      /* audit entries read */
  gint64 checkpoints;  /* checkpoints read */
  gint64 signed_upto;  /* the entry of the last checkpoint whose signature verified, 0 if none */
  gint64 rows;         /* record rows whose content was checked against an entry */
  gint64 first_broken; /* the first broken entry of the chain, 0 if intact */
  char *key_id;        /* the key the signatures were checked with, NULL if none */
  GPtrArray *findings; /* (element-type NbAuditFinding) in the order checked */
} NbAuditReport;

/* nb_audit_verify_report: (transfer full) checks @store (opened read-only is fine) with the
 * laboratory's public key @key (NULL: signatures cannot be checked, which is a finding).
 * NULL with @error only when the database cannot be read at all. */
NbAuditReport *nb_audit_verify_report (NbStore *store, NbLabKey *key,
                                       GError **error) G_GNUC_WARN_UNUSED_RESULT;

void nb_audit_report_free (NbAuditReport *report);

/* nb_audit_finding_kind_to_string: "schema", "chain", "checkpoint", "unsigned", "content",
 * "coverage", "orphan" (JSON values of `audit verify --json`). */
const char *nb_audit_finding_kind_to_string (NbAuditFindingKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbAuditReport, nb_audit_report_free)

G_END_DECLS
