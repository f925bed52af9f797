/* nb-store-standards.c: reference standard records (see nb-store-standards.h). */
#include "nb-store-standards.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nb-audit.h"
#include "nb-audit-rows.h"
#include "nb-store-private.h"

/* --- validation --- */

/* Characters that take control of a terminal or of how text reads: C0, DEL, C1, and the
 * format characters (bidirectional overrides and isolates, zero-width joiners) and separators.
 * A serial or certificate number is printed in tables and on certificates: it has none. */
static gboolean
is_forbidden_char (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);
  return g_unichar_iscntrl (c) || type == G_UNICODE_FORMAT || type == G_UNICODE_LINE_SEPARATOR
         || type == G_UNICODE_PARAGRAPH_SEPARATOR;
}

gboolean
nb_store_standard_check_text (const char *what, const char *text, gboolean required,
                              guint max_chars, GError **error)
{
  if (text == NULL)
    {
      if (!required)
        return TRUE;
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID, "%s: is required", what);
      return FALSE;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID, "%s: is not valid UTF-8", what);
      return FALSE;
    }
  if (*text == '\0')
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID, "%s: must not be empty", what);
      return FALSE;
    }
  glong n = g_utf8_strlen (text, -1);
  if (n > (glong) max_chars)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "%s: is %ld characters long, more than %u", what, n, max_chars);
      return FALSE;
    }
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (is_forbidden_char (c))
        {
          g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                       "%s: contains a control character (U+%04X)", what, (guint) c);
          return FALSE;
        }
    }
  gunichar first = g_utf8_get_char (text);
  gunichar last = g_utf8_get_char (g_utf8_find_prev_char (text, text + strlen (text)));
  if (g_unichar_isspace (first) || g_unichar_isspace (last))
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "%s: has leading or trailing white space", what);
      return FALSE;
    }
  return TRUE;
}

/* @value in the fewest digits that read back as it (5.01, not 5.0099999999999998): the message
 * quotes what the user typed. */
static void
format_number (char *buf, gsize size, double value)
{
  for (int digits = 1; digits <= 17; digits++)
    {
      char format[8];
      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buf, size, format, value);
      if (!isfinite (value) || g_ascii_strtod (buf, NULL) == value)
        return;
    }
}

/* TRUE when @value has at most @decimals decimals, allowing for its binary representation
 * (0.0012 is 12.000000000000002 ten-thousandths). */
static gboolean
has_decimals (double value, int decimals)
{
  double scaled = value * pow (10.0, decimals);
  return fabs (scaled - round (scaled)) <= 1e-6 * MAX (1.0, fabs (scaled));
}

gboolean
nb_store_standard_check_uncertainty (const char *what, double u_mm, GError **error)
{
  char got[G_ASCII_DTOSTR_BUF_SIZE];
  format_number (got, sizeof got, u_mm);
  if (!isfinite (u_mm) || u_mm < NB_STANDARD_U_MIN_MM || u_mm > NB_STANDARD_U_MAX_MM)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "%s: the expanded uncertainty must be from 0.0001 mm (0.1 µm) to 1 mm "
                   "(got %s)",
                   what, got);
      return FALSE;
    }
  if (!has_decimals (u_mm, NB_STANDARD_U_DECIMALS))
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "%s: at most 4 decimals in mm (0.1 µm), as the bench prints it (got %s)", what,
                   got);
      return FALSE;
    }
  return TRUE;
}

gboolean
nb_store_standard_check_k (const char *what, double k, GError **error)
{
  char got[G_ASCII_DTOSTR_BUF_SIZE];
  format_number (got, sizeof got, k);
  if (!isfinite (k) || k < NB_STANDARD_K_MIN || k > NB_STANDARD_K_MAX)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "%s: the coverage factor must be from 1 to 5 (got %s)", what, got);
      return FALSE;
    }
  if (!has_decimals (k, NB_STANDARD_K_DECIMALS))
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID, "%s: at most 2 decimals (got %s)",
                   what, got);
      return FALSE;
    }
  return TRUE;
}

gboolean
nb_store_standard_parse_date (const char *what, const char *text, GDate *date, GError **error)
{
  static const char pattern[] = "dddd-dd-dd";
  gboolean shaped = text != NULL && strlen (text) == sizeof pattern - 1;
  for (gsize i = 0; shaped && i < sizeof pattern - 1; i++)
    shaped = pattern[i] == 'd' ? g_ascii_isdigit (text[i]) : text[i] == pattern[i];
  if (!shaped)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID,
                   "%s: “%s” is not a date written YYYY-MM-DD", what, text ? text : "");
      return FALSE;
    }
  int year = atoi (text), month = atoi (text + 5), day = atoi (text + 8);
  if (year < 1900 || !g_date_valid_dmy (day, month, year))
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_INVALID, "%s: “%s” is not a calendar date",
                   what, text);
      return FALSE;
    }
  if (date != NULL)
    g_date_set_dmy (date, day, month, year);
  return TRUE;
}

static gboolean
validate (const NbStoreStandardParams *p, GError **error)
{
  return nb_store_standard_check_text ("serial", p->serial, TRUE, NB_STANDARD_TEXT_MAX, error)
         && nb_store_standard_check_text ("model", p->model, FALSE, NB_STANDARD_TEXT_MAX, error)
         && nb_store_standard_check_text ("certificate", p->certificate, TRUE, NB_STANDARD_TEXT_MAX,
                                          error)
         && nb_store_standard_check_text ("added by", p->added_by, FALSE, NB_STANDARD_TEXT_MAX,
                                          error)
         && nb_store_standard_check_uncertainty ("uncertainty", p->uncertainty_mm, error)
         && nb_store_standard_check_k ("k", p->k, error)
         && nb_store_standard_parse_date ("due date", p->due, NULL, error);
}

/* --- reading --- */

/* in_force: the newest row of its serial (ids only grow; the clock may step back) and not a
 * withdrawal. */
#define STANDARD_COLUMNS                                                                           \
  "SELECT id, serial, model, certificate, uncertainty_mm, k, due, withdrawn, added_at,"            \
  " added_by, withdrawn IS NULL AND id = (SELECT max(id) FROM standards n"                         \
  " WHERE n.serial = s.serial) FROM standards s"

static char *
column_text (NbStmt *stmt, int col)
{
  return g_strdup ((const char *) nb_stmt_column_text (stmt, col));
}

static double
column_double (NbStmt *stmt, int col)
{
  return nb_stmt_column_type (stmt, col) == NB_DB_NULL ? NAN : nb_stmt_column_double (stmt, col);
}

static NbStoreStandard *
standard_from_row (NbStmt *stmt)
{
  NbStoreStandard *s = g_new0 (NbStoreStandard, 1);
  s->id = nb_stmt_column_int64 (stmt, 0);
  s->serial = column_text (stmt, 1);
  s->model = column_text (stmt, 2);
  s->certificate = column_text (stmt, 3);
  s->uncertainty_mm = column_double (stmt, 4);
  s->k = column_double (stmt, 5);
  s->due = column_text (stmt, 6);
  s->withdrawn = column_text (stmt, 7);
  s->added_at = nb_stmt_column_int64 (stmt, 8);
  s->added_by = column_text (stmt, 9);
  s->in_force = nb_stmt_column_int (stmt, 10) != 0;
  return s;
}

void
nb_store_standard_free (NbStoreStandard *std)
{
  if (std == NULL)
    return;
  g_free (std->serial);
  g_free (std->model);
  g_free (std->certificate);
  g_free (std->due);
  g_free (std->withdrawn);
  g_free (std->added_by);
  g_free (std);
}

GPtrArray *
nb_store_list_standards (NbStore *store, gboolean in_force_only, GError **error)
{
  NbStmt *stmt
      = in_force_only
            ? nb_store_stmt (store,
                             STANDARD_COLUMNS " WHERE withdrawn IS NULL AND id = (SELECT max(id)"
                                              " FROM standards n WHERE n.serial = s.serial)"
                                              " ORDER BY serial, id DESC",
                             error)
            : nb_store_stmt (store, STANDARD_COLUMNS " ORDER BY serial, id DESC", error);
  if (stmt == NULL)
    return NULL;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_store_standard_free);
  int rc;
  while ((rc = nb_stmt_step (stmt)) == NB_DB_ROW)
    g_ptr_array_add (list, standard_from_row (stmt));
  nb_stmt_reset (stmt);
  if (rc != NB_DB_DONE)
    {
      nb_store_set_error (store, error, rc, "Reading reference standards from");
      g_ptr_array_unref (list);
      return NULL;
    }
  return list;
}

NbStoreStandard *
nb_store_get_standard (NbStore *store, const char *serial, GError **error)
{
  g_return_val_if_fail (serial != NULL, NULL);
  NbStmt *stmt
      = nb_store_stmt (store, STANDARD_COLUMNS " WHERE serial = ? ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  nb_store_bind_text (stmt, 1, serial);
  int rc = nb_stmt_step (stmt);
  NbStoreStandard *s = rc == NB_DB_ROW ? standard_from_row (stmt) : NULL;
  nb_stmt_reset (stmt);
  if (rc == NB_DB_DONE)
    g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND,
                 "No reference standard for fixture %s in %s", serial, store->path);
  else if (rc != NB_DB_ROW)
    nb_store_set_error (store, error, rc, "Reading a reference standard from");
  return s;
}

static void
local_today (GDate *today)
{
  g_date_clear (today, 1);
  g_date_set_time_t (today, time (NULL));
}

gboolean
nb_store_standard_is_expired (const NbStoreStandard *std, const GDate *today)
{
  GDate due, now;
  if (std->due == NULL || !nb_store_standard_parse_date ("due", std->due, &due, NULL))
    return FALSE;
  if (today == NULL)
    {
      local_today (&now);
      today = &now;
    }
  return g_date_compare (&due, today) < 0;
}

/* The command that records a new certificate, with the serial quoted for a shell when it needs
 * to be (a person copies it from the message). */
static char *
add_command (const char *serial)
{
  gboolean plain = *serial != '\0';
  for (const char *p = serial; *p && plain; p++)
    plain = g_ascii_isalnum (*p) || strchr ("._-:/+", *p) != NULL;
  g_autofree char *quoted = plain ? g_strdup (serial) : g_shell_quote (serial);
  return g_strdup_printf ("`needlebench-cli standards add --serial %s --certificate NUMBER "
                          "--uncertainty-mm U --k K --due YYYY-MM-DD`",
                          quoted);
}

gboolean
nb_store_standard_check (NbStore *store, const char *serial, const GDate *today,
                         NbStoreStandard **std, GError **error)
{
  g_return_val_if_fail (serial != NULL, FALSE);
  g_autoptr (GError) local = NULL;
  g_autoptr (NbStoreStandard) s = nb_store_get_standard (store, serial, &local);
  if (s == NULL && !g_error_matches (local, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_autofree char *fix = add_command (serial);
  if (s == NULL)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NO_STANDARD,
                   "fixture %s has no reference standard record: add one with %s", serial, fix);
      return FALSE;
    }
  if (s->withdrawn != NULL)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NO_STANDARD,
                   "fixture %s's reference standard was withdrawn (%s): record its new "
                   "certificate with %s",
                   serial, s->withdrawn, fix);
      return FALSE;
    }
  if (nb_store_standard_is_expired (s, today))
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_STANDARD_EXPIRED,
                   "fixture %s's reference standard (certificate %s) was due on %s and has "
                   "expired: record its new certificate with %s",
                   serial, s->certificate, s->due, fix);
      return FALSE;
    }
  if (std != NULL)
    *std = g_steal_pointer (&s);
  return TRUE;
}

/* --- writing --- */

static gint64
insert_row (NbStore *store, const NbStoreStandardParams *p, const char *withdrawn,
            const char *actor, GError **error)
{
  NbStmt *stmt = nb_store_stmt (store,
                                "INSERT INTO standards (serial, model, certificate,"
                                " uncertainty_mm, k, due, withdrawn, added_at, added_by)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return 0;
  nb_store_bind_text (stmt, 1, p->serial);
  nb_store_bind_text (stmt, 2, p->model);
  nb_store_bind_text (stmt, 3, p->certificate);
  if (withdrawn == NULL)
    {
      nb_stmt_bind_double (stmt, 4, p->uncertainty_mm);
      nb_stmt_bind_double (stmt, 5, p->k);
    }
  nb_store_bind_text (stmt, 6, p->due);
  nb_store_bind_text (stmt, 7, withdrawn);
  nb_stmt_bind_int64 (stmt, 8, g_get_real_time ());
  nb_store_bind_text (stmt, 9, actor);
  if (!nb_store_step_done (store, stmt, "Recording a reference standard in", error))
    return 0;
  return nb_db_last_insert_id (store->db);
}

gint64
nb_store_add_standard (NbStore *store, const NbStoreStandardParams *p, GError **error)
{
  g_return_val_if_fail (p != NULL, 0);
  if (!validate (p, error))
    return 0;
  const char *actor = p->added_by != NULL ? p->added_by : g_get_user_name ();
  char u[G_ASCII_DTOSTR_BUF_SIZE], k[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (u, sizeof u, "%.4f", p->uncertainty_mm);
  g_ascii_formatd (k, sizeof k, "%.2f", p->k);

  g_autofree char *subject = NULL, *detail = NULL, *covers = NULL;
  g_autoptr (NbStoreStandard) previous = NULL;
  NbStoreStandardParams row = *p;

  if (!nb_store_begin (store, error))
    return 0;
  /* a new certificate for the same fixture: its model stays unless given */
  if (row.model == NULL)
    {
      g_autoptr (GError) local = NULL;
      previous = nb_store_get_standard (store, p->serial, &local);
      if (previous == NULL && !g_error_matches (local, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          goto fail;
        }
      row.model = previous ? previous->model : NULL;
    }
  gint64 id = insert_row (store, &row, NULL, actor, error);
  if (id == 0)
    goto fail;
  subject = g_strdup_printf ("fixture:%s", p->serial);
  detail = g_strdup_printf ("standard=%" G_GINT64_FORMAT
                            " certificate=%s uncertainty_mm=%s k=%s due=%s model=%s",
                            id, p->certificate, u, k, p->due, p->model ? p->model : "");
  covers = nb_audit_covers_range ("standards", id, id);
  if (!nb_audit_append_rows (store, actor, "standard.add", subject, detail, covers,
                             NB_AUDIT_CHECKPOINT, error)
      || !nb_store_commit (store, error))
    goto fail;
  return id;

fail:
  nb_store_rollback (store);
  return 0;
}

gint64
nb_store_withdraw_standard (NbStore *store, const char *serial, const char *reason,
                            const char *actor, GError **error)
{
  if (!nb_store_standard_check_text ("serial", serial, TRUE, NB_STANDARD_TEXT_MAX, error)
      || !nb_store_standard_check_text ("reason", reason, TRUE, NB_STANDARD_REASON_MAX, error)
      || !nb_store_standard_check_text ("withdrawn by", actor, FALSE, NB_STANDARD_TEXT_MAX, error))
    return 0;
  if (actor == NULL)
    actor = g_get_user_name ();

  g_autoptr (NbStoreStandard) current = NULL;
  g_autofree char *subject = NULL, *detail = NULL, *covers = NULL;
  gint64 id = 0;

  if (!nb_store_begin (store, error))
    return 0;
  /* read inside the write lock: the standard withdrawn is the one in force when it is written */
  current = nb_store_get_standard (store, serial, error);
  if (current == NULL)
    goto fail;
  if (!current->in_force)
    {
      g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_NOT_FOUND,
                   "fixture %s has no reference standard in force to withdraw", serial);
      goto fail;
    }
  NbStoreStandardParams p = { .serial = serial, .model = current->model };
  id = insert_row (store, &p, reason, actor, error);
  if (id == 0)
    goto fail;
  subject = g_strdup_printf ("fixture:%s", serial);
  detail = g_strdup_printf ("standard=%" G_GINT64_FORMAT " withdraws=%" G_GINT64_FORMAT
                            " certificate=%s reason=%s",
                            id, current->id, current->certificate, reason);
  covers = nb_audit_covers_range ("standards", id, id);
  if (!nb_audit_append_rows (store, actor, "standard.withdraw", subject, detail, covers,
                             NB_AUDIT_CHECKPOINT, error)
      || !nb_store_commit (store, error))
    goto fail;
  return id;

fail:
  nb_store_rollback (store);
  return 0;
}
