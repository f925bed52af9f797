/* gui-test-util.h: helpers shared by the GUI test and the GUI benchmark: run the main loop
 * until something holds, start the real application in-process, save a widget as PNG. */
#pragma once

#include <adwaita.h>

#include "nb-application.h"
#include "nb-window.h"

/* The tests' own application id: never the installed app's. */
#define NB_TEST_APP_ID "org.needlebench.NeedleBench.Test"

typedef gboolean (*NbCondFunc) (gpointer data);

/* Iterates the default main context until @cond holds or @timeout_s passes; FALSE on timeout. */
static inline gboolean
nb_test_wait (NbCondFunc cond, gpointer data, double timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);
  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
  return TRUE;
}

static inline gboolean
nb_test_never (gpointer data)
{
  return FALSE;
}

/* Pumps the loop for @seconds (animations, redraws). */
static inline void
nb_test_pump (double seconds)
{
  (void) nb_test_wait (nb_test_never, NULL, seconds);
}

/* nb_test_find_action_button: the button under @root that activates @action (as the operator
 * finds it: by what it does), or NULL. */
static inline GtkButton *
nb_test_find_action_button (GtkWidget *root, const char *action)
{
  if (GTK_IS_BUTTON (root)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return GTK_BUTTON (root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkButton *b = nb_test_find_action_button (c, action);
      if (b)
        return b;
    }
  return NULL;
}

/* nb_test_find_type: the first widget of @type under @root (depth first, @root included), or
 * NULL. */
static inline GtkWidget *
nb_test_find_type (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *w = nb_test_find_type (c, type);
      if (w)
        return w;
    }
  return NULL;
}

/* nb_test_start_app: registers and activates the real NbApplication (startup: resources, style,
 * actions, theme) and returns its window, shown. */
static inline NbWindow *
nb_test_start_app (NbApplication **app_out)
{
  NbApplication *app = nb_application_new (NB_TEST_APP_ID);
  g_autoptr (GError) error = NULL;
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("registering the application: %s", error->message);
  g_application_activate (G_APPLICATION (app));
  GtkWindow *win = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (NB_IS_WINDOW (win));
  *app_out = app;
  return NB_WINDOW (win);
}

/* nb_test_save_png: renders @widget as it is now with its window's renderer and writes
 * $NB_SCREENSHOT_DIR/@name (or ./screenshots/@name). */
static inline void
nb_test_save_png (GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("NB_SCREENSHOT_DIR");
  g_autofree char *d = g_strdup (dir ? dir : "screenshots");
  g_mkdir_with_parents (d, 0755);
  g_autofree char *path = g_build_filename (d, name, NULL);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  g_assert_cmpint (w, >, 0);
  GdkPaintable *paintable = gtk_widget_paintable_new (widget);
  GskRenderNode *node = NULL;
  /* The paintable holds the widget's last drawn image: none while a redraw is pending, so let
   * a frame or two happen and try again. */
  for (guint attempt = 0; node == NULL && attempt < 50; attempt++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, w, h);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        nb_test_pump (0.02);
    }
  g_assert_nonnull (node);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  GdkTexture *texture
      = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_printerr ("# screenshot %s (%d×%d)\n", path, w, h);
  g_object_unref (texture);
  gsk_render_node_unref (node);
  g_object_unref (paintable);
}
