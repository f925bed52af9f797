/* gui-test-bus.h: other programs around the GUI under test: a desktop notification server on
 * the test's session bus, and a program holding the database. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* nb_test_serve_notifications: owns org.freedesktop.Notifications on the session bus and keeps
 * the last notification's "summary: body" (the test bus has no notification server). */
void nb_test_serve_notifications (void);
/* The last notification received, or NULL. */
const char *nb_test_get_notification (void);
/* An NbCondFunc: TRUE once a notification arrived. */
gboolean nb_test_notified (gpointer data);

/* An NbCondFunc: TRUE once the GSubprocess @data has exited. */
gboolean nb_test_process_gone (gpointer data);

typedef struct
{
  GSubprocess *proc;
  gint64 released_us; /* when the locker was seen gone, 0 before */
} NbTestLocker;

/* nb_test_hold_database: starts @locker_program (tests/gui/nb-db-locker) holding the database at
 * @path exclusively for @seconds and returns once it has it. */
void nb_test_hold_database (NbTestLocker *locker, const char *locker_program, const char *path,
                            double seconds);
/* An NbCondFunc on an NbTestLocker: TRUE once the locker has exited (and released_us is set). */
gboolean nb_test_locker_gone (gpointer data);

G_END_DECLS
