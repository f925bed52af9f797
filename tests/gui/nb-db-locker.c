/* nb-db-locker.c: another program holding a NeedleBench database, for the GUI tests:
 * `nb-db-locker DB SECONDS` takes the database exclusively (no reader or writer gets in, as
 * during a VACUUM or a backup tool's copy), prints "locked" once it has it, keeps it for SECONDS,
 * then lets go and exits 0. */
#include <glib.h>
#include <sqlite3.h>
#include <stdio.h>

int
main (int argc, char **argv)
{
  if (argc != 3)
    {
      fprintf (stderr, "usage: nb-db-locker DB SECONDS\n");
      return 2;
    }
  double seconds = g_ascii_strtod (argv[2], NULL);
  sqlite3 *db = NULL;
  char *msg = NULL;
  if (sqlite3_open_v2 (argv[1], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      fprintf (stderr, "nb-db-locker: %s: %s\n", argv[1], sqlite3_errmsg (db));
      return 1;
    }
  sqlite3_busy_timeout (db, 5000);
  /* Exclusive locking mode: the lock taken by the first statement keeps readers out too (a
   * plain write transaction in WAL mode would only stop writers). */
  if (sqlite3_exec (db,
                    "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; "
                    "SELECT count(*) FROM sqlite_master",
                    NULL, NULL, &msg)
      != SQLITE_OK)
    {
      fprintf (stderr, "nb-db-locker: locking %s: %s\n", argv[1], msg);
      return 1;
    }
  printf ("locked\n");
  fflush (stdout);
  g_usleep ((gulong) (seconds * G_USEC_PER_SEC));
  if (sqlite3_exec (db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK)
    {
      fprintf (stderr, "nb-db-locker: %s\n", msg);
      return 1;
    }
  sqlite3_close (db);
  return 0;
}
