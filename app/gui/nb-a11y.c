/* nb-a11y.c: names from labels without mnemonics, and named rows in drop-down lists. */
#include "nb-a11y.h"

#include <adwaita.h>
#include <glib/gi18n.h>

char *
nb_a11y_strip_mnemonic (const char *text)
{
  GString *s = g_string_new (NULL);
  for (const char *p = text; p && *p; p++)
    {
      if (*p == '_')
        {
          p++;
          if (*p == '\0')
            break;
        }
      g_string_append_c (s, *p);
    }
  return g_string_free (s, FALSE);
}

static GtkLabel *
find_label (GtkWidget *w)
{
  if (GTK_IS_LABEL (w))
    return GTK_LABEL (w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkLabel *l = find_label (c);
      if (l)
        return l;
    }
  return NULL;
}

/* After the button's own update: gtk_button_set_label sets the raw label as the name and the
 * label child as labelling it, then notifies "label". */
static void
name_button (GtkWidget *button)
{
  GtkLabel *label = find_label (button);
  if (label == NULL || !gtk_label_get_use_underline (label))
    return;
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_text (label), -1);
}

static void
on_label_changed (GObject *object, GParamSpec *pspec, GtkWidget *button)
{
  name_button (button);
}

static void
watch_button (GtkWidget *button)
{
  static const char key[] = "nb-a11y-watched";
  GtkLabel *label = find_label (button);
  if (label == NULL || !gtk_label_get_use_underline (label)
      || g_object_get_data (G_OBJECT (button), key))
    return;
  g_object_set_data (G_OBJECT (button), key, GINT_TO_POINTER (1));
  name_button (button);
  if (GTK_IS_BUTTON (button))
    g_signal_connect_after (button, "notify::label", G_CALLBACK (on_label_changed), button);
  g_signal_connect_after (label, "notify::label", G_CALLBACK (on_label_changed), button);
}

/* --- string lists in drop-downs ------------------------------------------------------------- */

static void
setup_row (GtkSignalListItemFactory *f, GtkListItem *item, gpointer data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), label);
  if (GPOINTER_TO_INT (data))
    {
      /* In the list: the checkmark on the chosen row, as the default list shows it. */
      GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");
      g_object_bind_property (item, "selected", check, "visible", G_BINDING_SYNC_CREATE);
      gtk_box_append (GTK_BOX (box), check);
    }
  gtk_list_item_set_child (item, box);
}

/* GTK 4.8's list item has no accessible name of its own: the row widget holding the child is
 * named instead, which is what a reader announces as the row. */
static void
bind_row (GtkSignalListItemFactory *f, GtkListItem *item, gpointer data)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkStringObject *s = gtk_list_item_get_item (item);
  const char *text = GTK_IS_STRING_OBJECT (s) ? gtk_string_object_get_string (s) : "";
  gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (box)), text);
  GtkWidget *row = gtk_widget_get_parent (box);
  if (row)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static GtkListItemFactory *
string_list_factory (gboolean in_list)
{
  GtkListItemFactory *f = gtk_signal_list_item_factory_new ();
  g_signal_connect (f, "setup", G_CALLBACK (setup_row), GINT_TO_POINTER (in_list));
  g_signal_connect (f, "bind", G_CALLBACK (bind_row), NULL);
  return f;
}

static void
fix_drop_down (GtkDropDown *dd)
{
  if (gtk_drop_down_get_list_factory (dd) == NULL && gtk_drop_down_get_expression (dd) == NULL)
    {
      g_autoptr (GtkListItemFactory) f = string_list_factory (TRUE);
      gtk_drop_down_set_list_factory (dd, f);
    }
  /* Its button says what the drop-down is: the name the .ui gave the drop-down. */
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (dd)); c;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_TOGGLE_BUTTON (c))
      gtk_accessible_update_relation (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_RELATION_LABELLED_BY, dd,
                                      NULL, -1);
}

static void
fix_combo_row (AdwComboRow *row)
{
  /* Both factories: libadwaita shows the chosen item in the row through a list item too. */
  if (adw_combo_row_get_list_factory (row) == NULL && adw_combo_row_get_expression (row) == NULL)
    {
      g_autoptr (GtkListItemFactory) shown = string_list_factory (FALSE);
      g_autoptr (GtkListItemFactory) list = string_list_factory (TRUE);
      adw_combo_row_set_factory (row, shown);
      adw_combo_row_set_list_factory (row, list);
    }
}

void
nb_a11y_fix_names (GtkWidget *root)
{
  if (GTK_IS_BUTTON (root) || GTK_IS_TOGGLE_BUTTON (root))
    watch_button (root);
  else if (GTK_IS_DROP_DOWN (root))
    fix_drop_down (GTK_DROP_DOWN (root));
  else if (ADW_IS_COMBO_ROW (root))
    fix_combo_row (ADW_COMBO_ROW (root));
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    nb_a11y_fix_names (c);
}

void
nb_a11y_name_search_entries (GtkWidget *root, const char *name)
{
  if (GTK_IS_SEARCH_ENTRY (root))
    gtk_accessible_update_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    nb_a11y_name_search_entries (c, name);
}

static void
name_shortcuts_parts (GtkWidget *w)
{
  const char *name = NULL;
  if (GTK_IS_SEARCH_ENTRY (w))
    name = _ ("Search shortcuts");
  else if (GTK_IS_MENU_BUTTON (w))
    name = _ ("Shortcut sections");
  else if (GTK_IS_TOGGLE_BUTTON (w)
           && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (w)), "edit-find-symbolic") == 0)
    name = _ ("Search");
  if (name)
    gtk_accessible_update_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    name_shortcuts_parts (c);
}

void
nb_a11y_fix_help_overlay (GtkWindow *window)
{
  GtkShortcutsWindow *help
      = GTK_IS_APPLICATION_WINDOW (window)
            ? gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window))
            : NULL;
  if (help)
    name_shortcuts_parts (GTK_WIDGET (help));
}
