/* nb-pen-row.c: a sidebar row for one pen, marked while it is the Live page's pen. */
#include "nb-pen-row.h"

#include <glib/gi18n.h>

#define MARK_KEY "nb-pen-mark"

static void
update_mark (NbPenItem *item, GParamSpec *pspec, GtkWidget *mark)
{
  GtkWidget *icon = gtk_widget_get_first_child (mark);
  GtkLabel *label = GTK_LABEL (gtk_widget_get_next_sibling (icon));
  NbPenLink link = nb_pen_item_get_link (item);
  /* Text besides the icon and colour: the state must read without either. */
  gtk_widget_set_visible (mark, link != NB_PEN_LINK_NONE);
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), link == NB_PEN_LINK_LOST
                                                      ? "dialog-warning-symbolic"
                                                      : "emblem-ok-symbolic");
  gtk_label_set_label (label, link == NB_PEN_LINK_LOST ? _ ("Lost") : _ ("Connected"));
  gtk_widget_remove_css_class (mark, "success");
  gtk_widget_remove_css_class (mark, "warning");
  if (link != NB_PEN_LINK_NONE)
    gtk_widget_add_css_class (mark, link == NB_PEN_LINK_LOST ? "warning" : "success");
}

GtkWidget *
nb_pen_row_create (gpointer item, gpointer user_data)
{
  NbPenItem *pen = item;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = g_markup_escape_text (nb_pen_item_get_model (pen), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  /* The URI tells apart two simulated pens (same serial, different options); the kind tells a
   * reference fixture from a pen. */
  g_autofree char *subtitle = g_markup_printf_escaped (
      "%s%s · %s", g_str_equal (nb_pen_item_get_kind (pen), "fixture") ? _ ("Fixture · ") : "",
      nb_pen_item_get_serial (pen), nb_pen_item_get_uri (pen));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  GtkWidget *mark = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_widget_set_valign (mark, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (mark), gtk_image_new ());
  GtkWidget *label = gtk_label_new (NULL);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_box_append (GTK_BOX (mark), label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), mark);
  g_object_set_data (G_OBJECT (row), MARK_KEY, mark);
  g_signal_connect_object (pen, "notify::link", G_CALLBACK (update_mark), mark, 0);
  update_mark (pen, NULL, mark);

  g_object_set_data_full (G_OBJECT (row), "nb-pen-item", g_object_ref (pen), g_object_unref);
  return row;
}

NbPenItem *
nb_pen_row_get_item (GtkListBoxRow *row)
{
  return row ? g_object_get_data (G_OBJECT (row), "nb-pen-item") : NULL;
}

gboolean
nb_pen_row_is_connected (GtkListBoxRow *row)
{
  NbPenItem *item = nb_pen_row_get_item (row);
  return item && nb_pen_item_get_link (item) == NB_PEN_LINK_CONNECTED;
}

const char *
nb_pen_row_get_mark (GtkListBoxRow *row)
{
  GtkWidget *mark = row ? g_object_get_data (G_OBJECT (row), MARK_KEY) : NULL;
  if (mark == NULL || !gtk_widget_get_visible (mark))
    return NULL;
  return gtk_label_get_label (GTK_LABEL (gtk_widget_get_last_child (mark)));
}
