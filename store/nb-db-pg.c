/* nb-db-pg.c: the PostgreSQL backend of nb-db.h, through libpq.
 *
 * Statements are the store's SQLite-dialect SQL: '?' and '?N' parameters become $N, and an
 * INSERT without RETURNING gets "RETURNING rowid" so that nb_db_last_insert_id () works as on
 * SQLite (every table of the PostgreSQL schema has a rowid column). Each execution sends its
 * parameters with their types (int8, float8, bytea, or untyped text), results come back as text,
 * and a statement is stepped through its rows like SQLite's. */
#include "nb-db-private.h"

#include <libpq-fe.h>
#include <math.h>
#include <string.h>

/* The advisory lock every writer of a shared database takes for its transaction (nb_db_begin_
 * write): the audit chain and the certificate numbers are extended by one bench at a time. The
 * key is "NB" in ASCII; anything else using advisory locks on the database must avoid it. */
#define NB_DB_PG_WRITER_LOCK 0x4e42

/* Type OIDs (catalog/pg_type_d.h, which libpq-dev does not ship) */
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_OID 26
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700

struct _NbDbPg
{
  PGconn *conn;
  char *errmsg;
  gint64 last_id;
  gint64 changes;
};

struct _NbStmtPg
{
  NbDbPg *pg;
  char *sql;              /* translated to $N parameters */
  gboolean returning_id;  /* an INSERT given "RETURNING rowid" */
  int nparams;
  char **values;          /* text (or bytes for blobs); NULL = SQL NULL */
  int *lengths;
  int *formats;
  Oid *types;
  /* the type a NULL is sent with: the parameter's last non-NULL one. An untyped NULL whose
   * first use says nothing of its type ("?1 IS NULL OR col = ?1") is refused by the server
   * (SQLSTATE 42P18), and a failed statement would abort the transaction, so there is no
   * retrying: such SQL names the typed use first ("col = ?1 OR ?1 IS NULL"). */
  Oid *null_types;
  PGresult *res;          /* the executed statement's result, NULL before the first step */
  int row;                /* the current row of res */
  int last_rc;
  GPtrArray *blobs;       /* decoded bytea columns of the current row (GBytes or NULL) */
};

static void
set_errmsg (NbDbPg *pg, const char *msg)
{
  g_free (pg->errmsg);
  pg->errmsg = g_strchomp (g_strdup (msg != NULL && *msg != '\0' ? msg : "unknown error"));
}

static void
notice_to_debug (void *arg, const char *message)
{
  (void) arg;
  g_debug ("PostgreSQL: %s", message);
}

/* rc_from_result: the SQLite-style result code for a failed @res (NULL: out of memory or the
 * connection failed before a result was made). */
static int
rc_from_result (NbDbPg *pg, const PGresult *res)
{
  const char *state = res != NULL ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;

  set_errmsg (pg, res != NULL ? PQresultErrorMessage (res) : PQerrorMessage (pg->conn));
  if (PQstatus (pg->conn) == CONNECTION_BAD || state == NULL || g_str_has_prefix (state, "08")
      || g_str_has_prefix (state, "57P"))
    return NB_DB_OFFLINE;
  if (g_str_has_prefix (state, "23") || strcmp (state, "P0001") == 0)
    return SQLITE_CONSTRAINT;
  if (strcmp (state, "40001") == 0 || strcmp (state, "40P01") == 0
      || strcmp (state, "55P03") == 0)
    return SQLITE_BUSY;
  if (g_str_has_prefix (state, "53"))
    return SQLITE_FULL;
  if (strcmp (state, "25006") == 0 || strcmp (state, "42501") == 0)
    return SQLITE_READONLY;
  if (g_str_has_prefix (state, "28"))
    return SQLITE_AUTH;
  if (g_str_has_prefix (state, "XX"))
    return SQLITE_CORRUPT;
  return SQLITE_ERROR;
}

NbDb *
nb_db_open_pg (const char *uri, int *rc_out, char **message)
{
  PQconninfoOption *opts = PQconninfoParse (uri, message);

  *rc_out = SQLITE_CANTOPEN;
  if (opts == NULL)
    return NULL; /* *message says why (libpq's, or NULL when out of memory) */
  for (PQconninfoOption *o = opts; o->keyword != NULL; o++)
    if (strcmp (o->keyword, "password") == 0 && o->val != NULL)
      {
        PQconninfoFree (opts);
        *rc_out = SQLITE_AUTH;
        *message = g_strdup ("the database URI carries a password: give credentials through "
                             "libpq's password file (~/.pgpass, PGPASSFILE), a service file "
                             "(PGSERVICEFILE) or PGPASSWORD, never on the command line or in "
                             "the settings");
        return NULL;
      }
  PQconninfoFree (opts);

  /* defaults first: the URI's own parameters and libpq's environment override them */
  const char *keys[] = { "connect_timeout", "fallback_application_name", "dbname", NULL };
  const char *values[] = { "10", "needlebench", uri, NULL };
  PGconn *conn = PQconnectdbParams (keys, values, 1);
  if (conn == NULL || PQstatus (conn) != CONNECTION_OK)
    {
      *message = g_strchomp (g_strdup (conn != NULL ? PQerrorMessage (conn) : "out of memory"));
      *rc_out = NB_DB_OFFLINE;
      PQfinish (conn);
      return NULL;
    }
  PQsetNoticeProcessor (conn, notice_to_debug, NULL);

  NbDbPg *pg = g_new0 (NbDbPg, 1);
  pg->conn = conn;
  /* times are stored as Unix seconds; the session settings keep what the server returns stable
   * whatever the server's defaults */
  int rc = nb_db_pg_exec (pg, "SET client_encoding = 'UTF8'; SET lock_timeout = '30s';"
                              " SET TIME ZONE 'UTC'; SET extra_float_digits = 1");
  if (rc != SQLITE_OK)
    {
      *message = g_strdup (pg->errmsg);
      *rc_out = rc;
      nb_db_pg_close (pg);
      return NULL;
    }
  NbDb *db = g_new0 (NbDb, 1);
  db->backend = NB_DB_POSTGRES;
  db->pg = pg;
  *rc_out = SQLITE_OK;
  return db;
}

void
nb_db_pg_close (NbDbPg *pg)
{
  if (pg == NULL)
    return;
  PQfinish (pg->conn);
  g_free (pg->errmsg);
  g_free (pg);
}

const char *
nb_db_pg_errmsg (NbDbPg *pg)
{
  return pg->errmsg != NULL ? pg->errmsg : "not an error";
}

int
nb_db_pg_exec (NbDbPg *pg, const char *sql)
{
  PGresult *res = PQexec (pg->conn, sql);
  ExecStatusType st = PQresultStatus (res);
  int rc = SQLITE_OK;

  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
    rc = rc_from_result (pg, res);
  PQclear (res);
  return rc;
}

int
nb_db_pg_begin_write (NbDbPg *pg)
{
  g_autofree char *sql = g_strdup_printf ("BEGIN; SELECT pg_advisory_xact_lock (%d)",
                                          NB_DB_PG_WRITER_LOCK);
  int rc = nb_db_pg_exec (pg, sql);
  if (rc != SQLITE_OK && PQtransactionStatus (pg->conn) != PQTRANS_IDLE)
    {
      PGresult *res = PQexec (pg->conn, "ROLLBACK");
      PQclear (res);
    }
  return rc;
}

gboolean
nb_db_pg_get_autocommit (NbDbPg *pg)
{
  PGTransactionStatusType st = PQtransactionStatus (pg->conn);
  return st == PQTRANS_IDLE || st == PQTRANS_UNKNOWN;
}

gint64
nb_db_pg_last_insert_id (NbDbPg *pg)
{
  return pg->last_id;
}

gint64
nb_db_pg_changes (NbDbPg *pg)
{
  return pg->changes;
}

/* translate: @sql with '?'/'?N' made $N (outside quotes and comments); *@nparams gets the highest
 * parameter number. */
static char *
translate (const char *sql, int *nparams)
{
  GString *out = g_string_sized_new (strlen (sql) + 16);
  int next = 0, max = 0;

  for (const char *p = sql; *p != '\0'; p++)
    {
      if (*p == '\'' || *p == '"')
        {
          char q = *p;
          g_string_append_c (out, *p++);
          while (*p != '\0' && *p != q)
            g_string_append_c (out, *p++);
          if (*p == '\0')
            break;
          g_string_append_c (out, *p);
        }
      else if (p[0] == '-' && p[1] == '-')
        {
          while (*p != '\0' && *p != '\n')
            g_string_append_c (out, *p++);
          if (*p == '\0')
            break;
          g_string_append_c (out, *p);
        }
      else if (*p == '?')
        {
          int n;
          if (g_ascii_isdigit (p[1]))
            {
              char *end;
              n = (int) strtol (p + 1, &end, 10);
              p = end - 1;
            }
          else
            n = max + 1;
          next = n;
          max = MAX (max, next);
          g_string_append_printf (out, "$%d", n);
        }
      else
        g_string_append_c (out, *p);
    }
  *nparams = max;
  return g_string_free (out, FALSE);
}

static gboolean
is_insert_without_returning (const char *sql)
{
  while (g_ascii_isspace (*sql))
    sql++;
  if (g_ascii_strncasecmp (sql, "INSERT", 6) != 0)
    return FALSE;
  g_autofree char *lower = g_ascii_strdown (sql, -1);
  return strstr (lower, "returning") == NULL;
}

NbStmtPg *
nb_db_pg_prepare (NbDbPg *pg, const char *sql, int *rc_out)
{
  NbStmtPg *s = g_new0 (NbStmtPg, 1);
  g_autofree char *translated = translate (sql, &s->nparams);

  s->pg = pg;
  s->returning_id = is_insert_without_returning (translated);
  if (s->returning_id)
    {
      g_strchomp (translated);
      size_t len = strlen (translated);
      if (len > 0 && translated[len - 1] == ';')
        translated[len - 1] = '\0';
      s->sql = g_strconcat (translated, " RETURNING rowid", NULL);
    }
  else
    s->sql = g_steal_pointer (&translated);
  s->values = g_new0 (char *, MAX (s->nparams, 1));
  s->lengths = g_new0 (int, MAX (s->nparams, 1));
  s->formats = g_new0 (int, MAX (s->nparams, 1));
  s->types = g_new0 (Oid, MAX (s->nparams, 1));
  s->null_types = g_new0 (Oid, MAX (s->nparams, 1));
  s->blobs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  *rc_out = SQLITE_OK;
  return s;
}

static void
clear_result (NbStmtPg *s)
{
  g_clear_pointer (&s->res, PQclear);
  g_ptr_array_set_size (s->blobs, 0);
  s->row = -1;
}

void
nb_stmt_pg_finalize (NbStmtPg *s)
{
  if (s == NULL)
    return;
  clear_result (s);
  nb_stmt_pg_clear_bindings (s);
  g_free (s->values);
  g_free (s->lengths);
  g_free (s->formats);
  g_free (s->types);
  g_free (s->null_types);
  g_ptr_array_unref (s->blobs);
  g_free (s->sql);
  g_free (s);
}

int
nb_stmt_pg_bind (NbStmtPg *s, int col, int type, const void *data, int len)
{
  if (col < 1 || col > s->nparams)
    return SQLITE_RANGE;
  int i = col - 1;
  g_clear_pointer (&s->values[i], g_free);
  s->formats[i] = 0;
  s->lengths[i] = 0;
  switch (type)
    {
    case NB_DB_INTEGER:
      s->values[i] = g_strdup_printf ("%" G_GINT64_FORMAT, *(const gint64 *) data);
      s->types[i] = OID_INT8;
      break;
    case NB_DB_FLOAT:
      {
        double v = *(const double *) data;
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        s->values[i] = g_strdup (isnan (v)   ? "NaN"
                                 : isinf (v) ? (v > 0 ? "Infinity" : "-Infinity")
                                             : g_ascii_dtostr (buf, sizeof buf, v));
        s->types[i] = OID_FLOAT8;
        break;
      }
    case NB_DB_TEXT:
      s->values[i] = g_strndup (data, (gsize) len);
      s->types[i] = 0; /* untyped: the server infers it from where the parameter is used */
      break;
    case NB_DB_BLOB:
      s->values[i] = g_memdup2 (len > 0 ? data : "", (gsize) MAX (len, 1));
      s->lengths[i] = len;
      s->formats[i] = 1;
      s->types[i] = OID_BYTEA;
      break;
    default: s->types[i] = s->null_types[i]; break;
    }
  if (type != NB_DB_NULL && s->types[i] != 0)
    s->null_types[i] = s->types[i];
  return SQLITE_OK;
}

void
nb_stmt_pg_clear_bindings (NbStmtPg *s)
{
  for (int i = 0; i < s->nparams; i++)
    {
      g_clear_pointer (&s->values[i], g_free);
      s->types[i] = s->null_types[i]; /* unbound is NULL */
      s->formats[i] = 0;
      s->lengths[i] = 0;
    }
}

int
nb_stmt_pg_step (NbStmtPg *s)
{
  if (s->res == NULL)
    {
      s->res = PQexecParams (s->pg->conn, s->sql, s->nparams, s->types,
                             (const char *const *) s->values, s->lengths, s->formats, 0);
      ExecStatusType st = PQresultStatus (s->res);
      s->row = -1;
      if (st == PGRES_COMMAND_OK)
        {
          s->pg->changes = g_ascii_strtoll (PQcmdTuples (s->res), NULL, 10);
          return s->last_rc = SQLITE_DONE;
        }
      if (st != PGRES_TUPLES_OK)
        {
          int rc = rc_from_result (s->pg, s->res);
          clear_result (s);
          s->res = PQmakeEmptyPGresult (NULL, PGRES_COMMAND_OK); /* stepped: DONE until reset */
          return s->last_rc = rc;
        }
      if (s->returning_id)
        {
          s->pg->changes = g_ascii_strtoll (PQcmdTuples (s->res), NULL, 10);
          if (PQntuples (s->res) > 0)
            s->pg->last_id = g_ascii_strtoll (PQgetvalue (s->res, 0, 0), NULL, 10);
          return s->last_rc = SQLITE_DONE;
        }
    }
  else if (s->returning_id || PQresultStatus (s->res) != PGRES_TUPLES_OK)
    return s->last_rc = SQLITE_DONE;
  g_ptr_array_set_size (s->blobs, 0);
  s->row++;
  return s->last_rc = s->row < PQntuples (s->res) ? SQLITE_ROW : SQLITE_DONE;
}

int
nb_stmt_pg_reset (NbStmtPg *s)
{
  int rc = s->last_rc == SQLITE_ROW || s->last_rc == SQLITE_DONE ? SQLITE_OK : s->last_rc;
  clear_result (s);
  s->last_rc = SQLITE_OK;
  return rc;
}

static gboolean
has_value (NbStmtPg *s, int col)
{
  return s->res != NULL && s->row >= 0 && s->row < PQntuples (s->res) && col >= 0
         && col < PQnfields (s->res) && !PQgetisnull (s->res, s->row, col);
}

int
nb_stmt_pg_column_count (NbStmtPg *s)
{
  return s->res != NULL ? PQnfields (s->res) : 0;
}

int
nb_stmt_pg_column_type (NbStmtPg *s, int col)
{
  if (!has_value (s, col))
    return NB_DB_NULL;
  switch (PQftype (s->res, col))
    {
    case OID_BOOL:
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
    case OID_OID: return NB_DB_INTEGER;
    case OID_FLOAT4:
    case OID_FLOAT8: return NB_DB_FLOAT;
    case OID_NUMERIC:
      /* sum () and friends of integers are numeric without a fraction */
      return strpbrk (PQgetvalue (s->res, s->row, col), ".eEN") != NULL ? NB_DB_FLOAT
                                                                        : NB_DB_INTEGER;
    case OID_BYTEA: return NB_DB_BLOB;
    default: return NB_DB_TEXT;
    }
}

const char *
nb_stmt_pg_column_raw (NbStmtPg *s, int col)
{
  if (!has_value (s, col))
    return NULL;
  const char *v = PQgetvalue (s->res, s->row, col);
  if (PQftype (s->res, col) == OID_BOOL)
    return v[0] == 't' ? "1" : "0";
  return v;
}

static GBytes *
column_bytes (NbStmtPg *s, int col)
{
  if (!has_value (s, col) || PQftype (s->res, col) != OID_BYTEA)
    return NULL;
  if ((guint) col < s->blobs->len && s->blobs->pdata[col] != NULL)
    return s->blobs->pdata[col];
  size_t n = 0;
  unsigned char *raw
      = PQunescapeBytea ((const unsigned char *) PQgetvalue (s->res, s->row, col), &n);
  if (raw == NULL)
    return NULL;
  GBytes *bytes = g_bytes_new (raw, n);
  PQfreemem (raw);
  if ((guint) col >= s->blobs->len)
    g_ptr_array_set_size (s->blobs, col + 1);
  s->blobs->pdata[col] = bytes;
  return bytes;
}

const void *
nb_stmt_pg_column_blob (NbStmtPg *s, int col)
{
  GBytes *b = column_bytes (s, col);
  if (b != NULL)
    return g_bytes_get_size (b) > 0 ? g_bytes_get_data (b, NULL) : "";
  return nb_stmt_pg_column_raw (s, col);
}

int
nb_stmt_pg_column_bytes (NbStmtPg *s, int col)
{
  GBytes *b = column_bytes (s, col);
  if (b != NULL)
    return (int) g_bytes_get_size (b);
  return has_value (s, col) ? PQgetlength (s->res, s->row, col) : 0;
}
