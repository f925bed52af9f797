/* gui-test-bus.c: the notification server and the database holder for the GUI tests. */
#include "gui-test-bus.h"

static char *notified; /* summary and body of the last notification */

static void
on_notify_call (GDBusConnection *connection, const char *sender, const char *path,
                const char *interface, const char *method, GVariant *params,
                GDBusMethodInvocation *invocation, gpointer data)
{
  if (!g_str_equal (method, "Notify"))
    {
      g_dbus_method_invocation_return_dbus_error (invocation, "org.freedesktop.DBus.Error.Failed",
                                                  "not implemented by the test");
      return;
    }
  const char *summary, *body;
  g_variant_get_child (params, 3, "&s", &summary);
  g_variant_get_child (params, 4, "&s", &body);
  g_free (notified);
  notified = g_strdup_printf ("%s: %s", summary, body);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", 1));
}

void
nb_test_serve_notifications (void)
{
  static const char xml[]
      = "<node><interface name='org.freedesktop.Notifications'><method name='Notify'>"
        "<arg type='s' direction='in'/><arg type='u' direction='in'/>"
        "<arg type='s' direction='in'/><arg type='s' direction='in'/>"
        "<arg type='s' direction='in'/><arg type='as' direction='in'/>"
        "<arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
        "<arg type='u' direction='out'/></method></interface></node>";
  static const GDBusInterfaceVTable vtable = { .method_call = on_notify_call };
  g_autoptr (GError) error = NULL;
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  GVariant *reply = g_dbus_connection_call_sync (
      bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "RequestName",
      g_variant_new ("(su)", "org.freedesktop.Notifications", 0), G_VARIANT_TYPE ("(u)"),
      G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_unref (reply);
}

const char *
nb_test_get_notification (void)
{
  return notified;
}

gboolean
nb_test_notified (gpointer data)
{
  return notified != NULL;
}

gboolean
nb_test_process_gone (gpointer data)
{
  return g_subprocess_get_identifier (data) == NULL;
}

gboolean
nb_test_locker_gone (gpointer data)
{
  NbTestLocker *l = data;
  if (l->released_us == 0 && g_subprocess_get_identifier (l->proc) == NULL)
    l->released_us = g_get_monotonic_time ();
  return l->released_us != 0;
}

void
nb_test_hold_database (NbTestLocker *l, const char *locker_program, const char *path,
                       double seconds)
{
  g_autoptr (GError) error = NULL;
  char text[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_dtostr (text, sizeof text, seconds);
  l->proc
      = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, locker_program, path, text, NULL);
  g_assert_no_error (error);
  g_autoptr (GDataInputStream) out
      = g_data_input_stream_new (g_subprocess_get_stdout_pipe (l->proc));
  g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "locked");
  l->released_us = 0;
}
