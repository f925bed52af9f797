/* pg-store-test.h: what the store's PostgreSQL tests share (test-pg-store.c,
 * test-pg-store-safety.c): the server of pg-run.sh (NB_PG_URI), fresh databases on it, the
 * superuser's own connection for what an administrator (or an attacker with the server) does. */
#pragma once

#include <stdlib.h>

#include "nb-lab-key.h"
#include "nb-store-private.h"

#include <libpq-fe.h>
#include <math.h>
#include <string.h>

static inline const char *
pg_uri (void)
{
  const char *uri = g_getenv ("NB_PG_URI");
  if (uri == NULL || *uri == '\0')
    g_error ("NB_PG_URI is not set: run this test through tests/pg/pg-run.sh");
  return uri;
}

static inline NbLabKey *
test_key (guint8 fill)
{
  guint8 seed[NB_LAB_KEY_SEED_BYTES];
  memset (seed, fill, sizeof seed);
  GError *error = NULL;
  NbLabKey *key = nb_lab_key_new_from_seed (seed, &error);
  g_assert_no_error (error);
  return key;
}

/* one integer from @sql on @store */
static inline gint64
count (NbStore *store, const char *sql)
{
  int rc;
  NbStmt *stmt = nb_db_prepare (store->db, sql, FALSE, &rc);
  g_assert_nonnull (stmt);
  g_assert_cmpint (nb_stmt_step (stmt), ==, NB_DB_ROW);
  gint64 v = nb_stmt_column_int64 (stmt, 0);
  nb_stmt_finalize (stmt);
  return v;
}

/* runs @sql as the superuser, directly through libpq; TRUE if it succeeded */
static inline gboolean
superuser_exec (const char *sql, char **message)
{
  PGconn *conn = PQconnectdb (pg_uri ());
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  PGresult *res = PQexec (conn, sql);
  ExecStatusType st = PQresultStatus (res);
  gboolean ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
  if (message != NULL)
    {
      g_free (*message);
      *message = g_strdup (PQresultErrorMessage (res));
    }
  PQclear (res);
  PQfinish (conn);
  return ok;
}

/* (transfer full) the URI of a new, empty database @name on the test cluster */
static inline char *
fresh_db (const char *name)
{
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s", name);
  g_autofree char *msg = NULL;
  if (!superuser_exec (sql, &msg))
    g_error ("%s: %s", sql, msg);
  const char *uri = pg_uri ();
  const char *q = strchr (uri, '?');
  g_assert_nonnull (q);
  g_assert_true (g_str_has_prefix (uri, "postgresql:///"));
  return g_strdup_printf ("postgresql:///%s%s", name, q);
}

/* runs @sql as the superuser on the database of @uri; *@message (freed first: callers reuse
 * one variable) gets the server's error text */
static inline gboolean
superuser_exec_on (const char *uri, const char *sql, char **message)
{
  PGconn *conn = PQconnectdb (uri);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  PGresult *res = PQexec (conn, sql);
  ExecStatusType st = PQresultStatus (res);
  gboolean ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
  if (message != NULL)
    {
      g_free (*message);
      *message = g_strdup (PQresultErrorMessage (res));
    }
  PQclear (res);
  PQfinish (conn);
  return ok;
}

static inline NbStore *
open_at (const char *uri)
{
  GError *error = NULL;
  NbStore *store = nb_store_open (uri, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static inline NbStore *
open_store (void)
{
  GError *error = NULL;
  NbStore *store = nb_store_open (pg_uri (), &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static inline NbStoreStroke
make_stroke (guint i)
{
  NbStoreStroke st = { .index = i,
                       .peak_sample = 100 * i + 7,
                       .time_s = 0.01 * i + 0.1,
                       .depth_mm = 1.5 + 0.001 * i,
                       .period_s = i ? 0.01 : 0,
                       .entry_speed_mm_s = i % 2 ? NAN : 120.25 };
  return st;
}

/* pg_test_home_new: (transfer full) a temporary directory made the test's XDG data and config
 * home, so the lab key a store without one creates goes there (not G_TEST_OPTION_ISOLATE_DIRS:
 * GLib keeps every test's old directory strings, which the ASan run reports as leaks it cannot
 * attribute). Call before g_test_init (); pg_test_run () removes it. */
static inline char *
pg_test_home_new (void)
{
  char *home = g_dir_make_tmp ("nb-pg-store-XXXXXX", NULL);
  g_assert_nonnull (home);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  return home;
}

/* pg_test_run: g_test_run (), then removes and frees @home (pg_test_home_new ()). */
static inline int
pg_test_run (char *home)
{
  int rc = g_test_run ();
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", home);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", home);
  g_free (home);
  return rc;
}
