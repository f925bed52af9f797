/* test-a11y.c: reads the real application's accessibility tree over AT-SPI, as a screen reader
 * does, and fails on every control an operator could reach with Tab whose name does not say what
 * it is: no name, a class name ("GtkSpinButton") or a mnemonic underscore ("_Connect"); and on a
 * read-only label that is a Tab stop.
 *
 * The application runs as its own process (the same binary an operator starts, with the simulated
 * pen connected) on the test's private session bus; the accessibility bus is the one that bus
 * starts (at-spi-bus-launcher through org.a11y.Bus). Every wait has a deadline and an alarm ends
 * the whole test, so a missing bus or an unresponsive application fails it instead of hanging. */
#include <atspi/atspi.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define ALARM_S 200
/* X keysyms (X11/keysymdef.h), without pulling GDK into a program that never opens a display. */
#define GDK_KEY_2_SYM 0x032
#define GDK_KEY_QUESTION_SYM 0x03f
#define GDK_KEY_ESCAPE_SYM 0xff1b
#define GDK_KEY_SPACE_SYM 0x020
#define GDK_KEY_R_SYM 0x072
#define GDK_KEY_PLUS_SYM 0x02b
#define GDK_KEY_RIGHT_SYM 0xff53
#define GDK_KEY_RETURN_SYM 0xff0d
#define GDK_KEY_TAB_SYM 0xff09

typedef gboolean (*CondFunc) (gpointer data);

static gboolean dump; /* NB_A11Y_DUMP=1: print the whole tree (to see what a reader sees) */

static gboolean
wait_for (CondFunc cond, gpointer data, double timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);
  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (50000);
    }
  return TRUE;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* --- finding the application ---------------------------------------------------------------- */

typedef struct
{
  int pid;
  AtspiAccessible *app;
  GSubprocess *proc; /* once it has exited, there is nothing to wait for */
} AppSearch;

static gboolean
find_app (gpointer data)
{
  AppSearch *s = data;
  if (g_subprocess_get_identifier (s->proc) == NULL)
    return TRUE;
  AtspiAccessible *desktop = atspi_get_desktop (0);
  int n = atspi_accessible_get_child_count (desktop, NULL);
  for (int i = 0; i < n && s->app == NULL; i++)
    {
      AtspiAccessible *a = atspi_accessible_get_child_at_index (desktop, i, NULL);
      if (a && atspi_accessible_get_process_id (a, NULL) == (guint) s->pid)
        s->app = g_object_ref (a);
      g_clear_object (&a);
    }
  g_object_unref (desktop);
  return s->app != NULL;
}

typedef struct
{
  AtspiAccessible *app;
  int min_windows;
} WindowCount;

static gboolean
has_windows (gpointer data)
{
  WindowCount *w = data;
  atspi_accessible_clear_cache (w->app);
  return atspi_accessible_get_child_count (w->app, NULL) >= w->min_windows;
}

/* --- walking the tree ----------------------------------------------------------------------- */

/* The roles of the controls an operator operates (GTK's mapping of its widgets to AT-SPI). */
static gboolean
is_control (AtspiRole role)
{
  switch (role)
    {
    case ATSPI_ROLE_PUSH_BUTTON:
    case ATSPI_ROLE_TOGGLE_BUTTON:
    case ATSPI_ROLE_CHECK_BOX:
    case ATSPI_ROLE_RADIO_BUTTON:
    case ATSPI_ROLE_SPIN_BUTTON:
    case ATSPI_ROLE_COMBO_BOX:
    case ATSPI_ROLE_ENTRY:
    case ATSPI_ROLE_TEXT:
    case ATSPI_ROLE_PASSWORD_TEXT:
    case ATSPI_ROLE_SLIDER:
    case ATSPI_ROLE_MENU_ITEM:
    case ATSPI_ROLE_LIST_ITEM:
    case ATSPI_ROLE_TABLE_ROW:
    case ATSPI_ROLE_TREE_ITEM:
    case ATSPI_ROLE_PAGE_TAB:
    case ATSPI_ROLE_LINK: return TRUE;
    default: return FALSE;
    }
}

/* A name that says nothing: a GTK, libadwaita or NeedleBench class name. */
static gboolean
is_class_name (const char *name)
{
  return g_regex_match_simple ("^(Gtk|Adw|Nb)[A-Z][A-Za-z]*$", name, 0, 0);
}

typedef struct
{
  GHashTable *problems; /* "problem: role 'name' in path" → NULL, each listed once */
  guint n_controls;     /* focusable controls seen, to know the walk saw the controls at all */
  guint n_nodes;
  GHashTable *names;  /* every name seen (for looking things up after the walk) */
  GPtrArray *figures; /* the charts' descriptions: "name: description" */
} Walk;

static void
walk (Walk *w, AtspiAccessible *a, const char *path, int depth)
{
  if (depth > 60 || w->n_nodes > 20000)
    return;
  w->n_nodes++;
  g_autoptr (GError) error = NULL;
  AtspiRole role = atspi_accessible_get_role (a, &error);
  if (error)
    return; /* gone while walking (a row replaced): nothing to judge */
  g_autofree char *name = atspi_accessible_get_name (a, NULL);
  g_autofree char *role_name = atspi_accessible_get_role_name (a, NULL);
  AtspiStateSet *states = atspi_accessible_get_state_set (a);
  gboolean focusable = states && atspi_state_set_contains (states, ATSPI_STATE_FOCUSABLE);
  gboolean visible = states && atspi_state_set_contains (states, ATSPI_STATE_VISIBLE);
  g_clear_object (&states);
  if (name == NULL)
    name = g_strdup ("");
  if (dump)
    g_printerr ("# %*s%s '%s'%s%s\n", depth * 2, "", role_name, name, focusable ? " focusable" : "",
                visible ? "" : " invisible");
  if (*name)
    g_hash_table_add (w->names, g_strdup (name));
  if (role == ATSPI_ROLE_IMAGE && *name)
    {
      g_autofree char *description = atspi_accessible_get_description (a, NULL);
      if (description && *description)
        g_ptr_array_add (w->figures, g_strdup_printf ("%s: %s", name, description));
      if (dump)
        g_printerr ("#   description '%s'\n", description ? description : "");
    }

  const char *problem = NULL;
  if (is_control (role) && focusable)
    {
      w->n_controls++;
      if (*name == '\0')
        problem = "no name";
      else if (is_class_name (name))
        problem = "a class name for a name";
      else if (strchr (name, '_'))
        problem = "a mnemonic underscore in its name";
    }
  else if (role == ATSPI_ROLE_LABEL && focusable)
    problem = "a read-only label that is a Tab stop";
  if (problem)
    g_hash_table_add (w->problems,
                      g_strdup_printf ("%s: %s '%s' in %s", problem, role_name, name, path));

  /* Where a control is: its named ancestors, so that the list says which page and group. */
  g_autofree char *child_path = *name && !is_control (role) && role != ATSPI_ROLE_LABEL
                                        && !is_class_name (name) && strlen (name) < 60
                                    ? g_strdup_printf ("%s / %s", path, name)
                                    : g_strdup (path);
  int n = atspi_accessible_get_child_count (a, NULL);
  for (int i = 0; i < n && i < 5000; i++)
    {
      AtspiAccessible *c = atspi_accessible_get_child_at_index (a, i, NULL);
      if (c)
        walk (w, c, child_path, depth + 1);
      g_clear_object (&c);
    }
}

static void
walk_app (Walk *w, AtspiAccessible *app)
{
  atspi_accessible_clear_cache (app);
  walk (w, app, "the application", 0);
}

/* --- acting on the application -------------------------------------------------------------- */

/* The first page tab (a view switcher's button) named @name under @a. GTK 4.8 sets no SHOWING
 * state, and the header's switcher comes before the bottom bar's, so the first is the one. */
static AtspiAccessible *
find_page_tab (AtspiAccessible *a, const char *name, int depth)
{
  if (depth > 60)
    return NULL;
  if (atspi_accessible_get_role (a, NULL) == ATSPI_ROLE_PAGE_TAB)
    {
      g_autofree char *n = atspi_accessible_get_name (a, NULL);
      if (g_strcmp0 (n, name) == 0)
        return g_object_ref (a);
    }
  int n = atspi_accessible_get_child_count (a, NULL);
  for (int i = 0; i < n; i++)
    {
      AtspiAccessible *c = atspi_accessible_get_child_at_index (a, i, NULL);
      AtspiAccessible *found = c ? find_page_tab (c, name, depth + 1) : NULL;
      g_clear_object (&c);
      if (found)
        return found;
    }
  return NULL;
}

/* Shows a page as an operator with a screen reader does: the switcher's button, "clicked". */
static void
show_page (AtspiAccessible *app, const char *title)
{
  atspi_accessible_clear_cache (app);
  AtspiAccessible *button = find_page_tab (app, title, 0);
  if (button == NULL)
    g_error ("no page tab named '%s' in the window", title);
  g_autoptr (GError) error = NULL;
  AtspiAction *action = atspi_accessible_get_action_iface (button);
  g_assert_nonnull (action);
  atspi_action_do_action (action, 0, &error);
  g_assert_no_error (error);
  g_object_unref (action);
  g_object_unref (button);
  (void) wait_for (never, NULL, 0.8); /* the page transition and the tree's update */
}

/* Activates an application action (app.preferences, app.quit) over the session bus, as the
 * desktop would (GtkApplication exports its actions there). */
static void
activate_app_action (GDBusConnection *bus, const char *action)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/%s", NB_APP_ID);
  g_strdelimit (path, ".", '/');
  GVariant *r = g_dbus_connection_call_sync (bus, NB_APP_ID, path, "org.gtk.Actions", "Activate",
                                             g_variant_new ("(sava{sv})", action, NULL, NULL), NULL,
                                             G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);
  g_variant_unref (r);
}

/* Presses @keysym with @modifiers held (an X modifier mask: 4 Control, 8 Alt), as the operator
 * types it: through the accessibility registry's key synthesis (XTest on the display). */
static void
press_keys (guint modifiers, guint keysym)
{
  g_autoptr (GError) error = NULL;
  if (modifiers)
    atspi_generate_keyboard_event (modifiers, NULL, ATSPI_KEY_LOCKMODIFIERS, &error);
  g_assert_no_error (error);
  atspi_generate_keyboard_event (keysym, NULL, ATSPI_KEY_SYM, &error);
  g_assert_no_error (error);
  if (modifiers)
    atspi_generate_keyboard_event (modifiers, NULL, ATSPI_KEY_UNLOCKMODIFIERS, &error);
  g_assert_no_error (error);
}

/* The page tab named @title is the selected one. */
static gboolean
page_selected (AtspiAccessible *app, const char *title)
{
  atspi_accessible_clear_cache (app);
  AtspiAccessible *tab = find_page_tab (app, title, 0);
  if (tab == NULL)
    return FALSE;
  AtspiStateSet *states = atspi_accessible_get_state_set (tab);
  gboolean selected = atspi_state_set_contains (states, ATSPI_STATE_CHECKED)
                      || atspi_state_set_contains (states, ATSPI_STATE_SELECTED);
  g_object_unref (states);
  g_object_unref (tab);
  return selected;
}

static gboolean
records_selected (gpointer data)
{
  return page_selected (data, "Records");
}

/* The first node under @a with @role whose name starts with @prefix. */
static AtspiAccessible *
find_node (AtspiAccessible *a, AtspiRole role, const char *prefix, int depth)
{
  if (depth > 60)
    return NULL;
  if (atspi_accessible_get_role (a, NULL) == role)
    {
      g_autofree char *n = atspi_accessible_get_name (a, NULL);
      if (n && g_str_has_prefix (n, prefix))
        return g_object_ref (a);
    }
  int n = atspi_accessible_get_child_count (a, NULL);
  for (int i = 0; i < n; i++)
    {
      AtspiAccessible *c = atspi_accessible_get_child_at_index (a, i, NULL);
      AtspiAccessible *found = c ? find_node (c, role, prefix, depth + 1) : NULL;
      g_clear_object (&c);
      if (found)
        return found;
    }
  return NULL;
}

static gboolean
is_focused (AtspiAccessible *a)
{
  AtspiStateSet *states = atspi_accessible_get_state_set (a);
  gboolean focused = atspi_state_set_contains (states, ATSPI_STATE_FOCUSED);
  g_object_unref (states);
  return focused;
}

/* Presses Tab, as an operator without a mouse does, until @node has the focus; FALSE if 60
 * presses did not get there. */
static gboolean
tab_to (AtspiAccessible *node)
{
  for (int i = 0; i < 60; i++)
    {
      if (is_focused (node))
        return TRUE;
      press_keys (0, GDK_KEY_TAB_SYM);
      (void) wait_for (never, NULL, 0.1);
    }
  return FALSE;
}

typedef struct
{
  AtspiAccessible *app, *chart;
  double min, max;   /* the horizontal range the chart's description gives */
  char *description; /* and the description itself */
} ChartView;

/* Reads the chart's horizontal range from its text alternative ("Horizontal axis: s, 0.0 to
 * 23.6."); TRUE once the description has a trace in view. */
static gboolean
read_chart (gpointer data)
{
  ChartView *v = data;
  if (v->chart == NULL)
    {
      atspi_accessible_clear_cache (v->app);
      v->chart = find_node (v->app, ATSPI_ROLE_IMAGE, "Needle tip, whole session", 0);
      if (v->chart == NULL)
        return FALSE;
    }
  g_free (v->description);
  v->description = atspi_accessible_get_description (v->chart, NULL);
  g_autoptr (GMatchInfo) m = NULL;
  g_autoptr (GRegex) re
      = g_regex_new ("Horizontal axis: [^.]*, (-?[0-9.]+) to (-?[0-9.]+)\\.", 0, 0, NULL);
  if (v->description == NULL || !strstr (v->description, "Trace in view from")
      || !g_regex_match (re, v->description, 0, &m))
    return FALSE;
  g_autofree char *a = g_match_info_fetch (m, 1);
  g_autofree char *b = g_match_info_fetch (m, 2);
  v->min = g_ascii_strtod (a, NULL);
  v->max = g_ascii_strtod (b, NULL);
  return TRUE;
}

typedef struct
{
  ChartView *view;
  double span_below, min_above; /* wait for the span under, or the start past, these */
} ChartWait;

static gboolean
chart_moved (gpointer data)
{
  ChartWait *w = data;
  return read_chart (w->view) && w->view->max - w->view->min < w->span_below
         && w->view->min > w->min_above;
}

/* Records a short session from the keyboard, opens it on the Records page and zooms and scrolls
 * its trace with the keys, reading the result from the chart's text alternative. */
static void
check_records_keys (AtspiAccessible *app)
{
  press_keys (4, GDK_KEY_SPACE_SYM); /* Ctrl+Space: motor on */
  (void) wait_for (never, NULL, 1);
  press_keys (4, GDK_KEY_R_SYM); /* Ctrl+R: record */
  (void) wait_for (never, NULL, 3);
  press_keys (4, GDK_KEY_R_SYM);
  (void) wait_for (never, NULL, 1);
  press_keys (4, GDK_KEY_SPACE_SYM);
  press_keys (8, GDK_KEY_2_SYM);
  if (!wait_for (records_selected, app, 5))
    g_error ("Alt+2 did not show the Records page within 5 s");
  (void) wait_for (never, NULL, 1);
  atspi_accessible_clear_cache (app);
  AtspiAccessible *row = find_node (app, ATSPI_ROLE_LIST_ITEM, "Session ", 0);
  if (row == NULL)
    g_error ("no recorded session listed on the Records page");
  if (!tab_to (row))
    g_error ("Tab did not reach the recorded session on the Records page");
  g_object_unref (row);
  press_keys (0, GDK_KEY_RETURN_SYM);
  ChartView view = { .app = app };
  if (!wait_for (read_chart, &view, 10))
    g_error ("the session's trace did not show within 10 s: '%s'", view.description);
  double whole = view.max - view.min;
  g_printerr ("# Records trace before the keys: %s\n", view.description);
  g_assert_cmpfloat (whole, >, 2);

  /* The focus is on the session's row: the page's keys reach the trace from there too. */
  press_keys (0, GDK_KEY_PLUS_SYM);
  ChartWait zoomed = { &view, whole / 1.2, -G_MAXDOUBLE };
  if (!wait_for (chart_moved, &zoomed, 5))
    g_error ("+ did not zoom the trace in within 5 s: '%s'", view.description);
  double start = view.min;
  press_keys (0, GDK_KEY_RIGHT_SYM);
  ChartWait scrolled = { &view, G_MAXDOUBLE, start + 0.01 };
  if (!wait_for (chart_moved, &scrolled, 5))
    g_error ("Right did not scroll the trace within 5 s: '%s'", view.description);
  g_printerr ("# Records trace after + and Right: %s\n", view.description);
  g_clear_object (&view.chart);
  g_free (view.description);
}

static gboolean
process_gone (gpointer data)
{
  return g_subprocess_get_identifier (data) == NULL;
}

static int
compare_strings (gconstpointer a, gconstpointer b, gpointer data)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Removes the test's own temporary directory (regular files and directories only). */
static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  if (dir)
    {
      const char *entry;
      while ((entry = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, entry, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR)
              && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

static void
on_alarm (int sig)
{
  static const char msg[] = "test-a11y: no result within the time limit\n";
  (void) !write (2, msg, sizeof msg - 1);
  _exit (1);
}

int
main (int argc, char **argv)
{
  signal (SIGALRM, on_alarm);
  alarm (ALARM_S);
  dump = g_strcmp0 (g_getenv ("NB_A11Y_DUMP"), "1") == 0;
  g_autoptr (GError) error = NULL;

  /* A private data and config home: the application's database goes there, not the user's. */
  g_autofree char *home = g_dir_make_tmp ("nb-a11y-XXXXXX", &error);
  g_assert_no_error (error);
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *data_home = g_build_filename (home, "data", NULL);
  g_autofree char *config_home = g_build_filename (home, "config", NULL);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config_home, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "NO_AT_BRIDGE");
  g_subprocess_launcher_setenv (launcher, "GTK_A11Y", "atspi", TRUE);
  g_unsetenv ("NO_AT_BRIDGE");

  /* The accessibility bus: asking for it starts it through the session bus. */
  g_assert_cmpint (atspi_init (), ==, 0);
  atspi_set_timeout (5000, 20000);
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  g_autoptr (GSubprocess) proc
      = g_subprocess_launcher_spawn (launcher, &error, NB_APP_BINARY, "--device", "sim", NULL);
  g_assert_no_error (error);
  AppSearch search = { .pid = atoi (g_subprocess_get_identifier (proc)), .proc = proc };
  if (!wait_for (find_app, &search, 40))
    g_error ("the application did not appear on the accessibility bus within 40 s");
  if (search.app == NULL)
    g_error ("the application exited before it appeared on the accessibility bus");
  AtspiAccessible *app = search.app;
  atspi_accessible_set_cache_mask (app, ATSPI_CACHE_NONE);
  WindowCount one = { app, 1 };
  if (!wait_for (has_windows, &one, 20))
    g_error ("the application showed no window within 20 s");
  /* The simulated pen connects and streams; let the Live page settle into its connected state. */
  (void) wait_for (never, NULL, 3);

  Walk w = { .problems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
             .names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
             .figures = g_ptr_array_new_with_free_func (g_free) };
  /* The keyboard: Alt+2 shows Records, Ctrl+? opens the shortcuts window, Escape closes it. */
  g_assert_false (page_selected (app, "Records"));
  press_keys (8, GDK_KEY_2_SYM);
  if (!wait_for (records_selected, app, 5))
    g_error ("Alt+2 did not show the Records page within 5 s");
  WindowCount with_help = { app, atspi_accessible_get_child_count (app, NULL) + 1 };
  press_keys (4, GDK_KEY_QUESTION_SYM);
  if (!wait_for (has_windows, &with_help, 5))
    g_error ("Ctrl+? did not open the shortcuts window within 5 s");
  {
    /* The new window is the shortcuts window, and it lists the page keys. */
    AtspiAccessible *help
        = atspi_accessible_get_child_at_index (app, with_help.min_windows - 1, NULL);
    g_autofree char *title = help ? atspi_accessible_get_name (help, NULL) : NULL;
    g_printerr ("# Ctrl+? opened '%s'\n", title ? title : "");
    g_assert_cmpstr (title, ==, "Keyboard Shortcuts");
    g_clear_object (&help);
  }
  walk_app (&w, app);
  press_keys (0, GDK_KEY_ESCAPE_SYM);
  (void) wait_for (never, NULL, 0.5);
  show_page (app, "Live");
  check_records_keys (app);

  walk_app (&w, app);
  static const char *const pages[] = { "Records", "Calibration", "Certificates", "Live" };
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      show_page (app, pages[i]);
      walk_app (&w, app);
    }
  guint controls_in_window = w.n_controls;

  int windows = atspi_accessible_get_child_count (app, NULL);
  activate_app_action (bus, "preferences");
  WindowCount more = { app, windows + 1 };
  if (!wait_for (has_windows, &more, 10))
    g_error ("the preferences window did not open within 10 s");
  (void) wait_for (never, NULL, 0.8);
  walk_app (&w, app);

  /* The walk reached the controls (a bridge that exposes nothing must not pass): the Live page's
   * controls, the pages' switcher and the preferences' rows. */
  g_printerr ("# %u nodes, %u focusable controls (%u in the main window's pages)\n", w.n_nodes,
              w.n_controls, controls_in_window);
  g_assert_cmpuint (controls_in_window, >=, 20);
  g_assert_cmpuint (w.n_controls, >, controls_in_window);
  g_assert_true (g_hash_table_contains (w.names, "Records"));
  /* The charts have a text alternative with their figures: the Live trace of the connected pen
   * (its tip at rest near -1 mm). */
  gboolean live_trace = FALSE;
  for (guint i = 0; i < w.figures->len; i++)
    {
      const char *f = w.figures->pdata[i];
      if (g_str_has_prefix (f, "Needle tip, last") && strstr (f, "tip position, mm")
          && g_regex_match_simple ("Trace in view from -[01]\\.[0-9]+ to -[01]\\.[0-9]+", f, 0, 0))
        live_trace = TRUE;
      g_printerr ("# chart %s\n", f);
    }
  g_assert_true (live_trace);

  activate_app_action (bus, "quit");
  if (!wait_for (process_gone, proc, 15))
    {
      g_printerr ("# the application did not quit within 15 s: killed\n");
      g_subprocess_force_exit (proc);
      (void) wait_for (process_gone, proc, 5);
    }
  g_object_unref (app);

  guint n = g_hash_table_size (w.problems);
  if (n > 0)
    {
      g_autofree gpointer *keys = g_hash_table_get_keys_as_array (w.problems, NULL);
      g_qsort_with_data (keys, n, sizeof (gpointer), compare_strings, NULL);
      g_printerr ("%u controls without a proper accessible name:\n", n);
      for (guint i = 0; i < n; i++)
        g_printerr ("  %s\n", (const char *) keys[i]);
    }
  g_hash_table_unref (w.problems);
  g_hash_table_unref (w.names);
  g_ptr_array_unref (w.figures);
  remove_tree (home);
  return n > 0 ? 1 : 0;
}
