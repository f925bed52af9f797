/* nb-fleet-sections.c: a model's and a pen's part of the fleet statistics view. */
#include "nb-fleet-sections.h"

#include <glib/gi18n.h>
#include <math.h>

#include "nb-fleet-chart.h"

static GtkWidget *
plain_label (const char *text, const char *css, gboolean wrap)
{
  GtkWidget *l = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_label_set_wrap (GTK_LABEL (l), wrap);
  if (wrap)
    gtk_label_set_wrap_mode (GTK_LABEL (l), PANGO_WRAP_WORD_CHAR);
  if (css)
    gtk_widget_add_css_class (l, css);
  return l;
}

/* a figure row of a boxed list: its name, and the figure under it (selectable, to copy it);
 * plain labels, never markup: a model or serial is the pen's text */
static GtkWidget *
figure_row (const char *name, const char *value)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_box_append (GTK_BOX (box), plain_label (name, NULL, FALSE));
  GtkWidget *v = plain_label (value, "dim-label", TRUE);
  gtk_label_set_selectable (GTK_LABEL (v), TRUE);
  gtk_box_append (GTK_BOX (box), v);
  GtkWidget *row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static GtkWidget *
boxed_list (GtkWidget *first, GtkWidget *second)
{
  GtkWidget *list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), first);
  gtk_list_box_append (GTK_LIST_BOX (list), second);
  return list;
}

static GtkWidget *
cell (const char *text, gboolean header, float xalign)
{
  GtkWidget *l = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (l), xalign);
  gtk_widget_add_css_class (l, header ? "heading" : "numeric");
  if (header)
    gtk_widget_add_css_class (l, "dim-label");
  return l;
}

/* the per-point figures as the CLI's table: point, n, mean, sd, min, max, Cpk, failed */
static GtkWidget *
point_table (const NbFleetGroup *g, NbUnits u)
{
  GtkWidget *grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 16);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_widget_set_margin_start (grid, 12);
  gtk_widget_set_margin_end (grid, 12);
  gtk_widget_set_margin_top (grid, 10);
  gtk_widget_set_margin_bottom (grid, 10);
  const char *const heads[] = { N_ ("Depth point"), N_ ("N"),   N_ ("Mean"), N_ ("SD"),
                                N_ ("Min"),         N_ ("Max"), N_ ("Cpk"),  N_ ("Failed") };
  for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
    gtk_grid_attach (GTK_GRID (grid), cell (_ (heads[c]), TRUE, c ? 1 : 0), c, 0, 1, 1);
  for (guint i = 0; i < g->points->len; i++)
    {
      const NbFleetPointDist *d = &g_array_index (g->points, NbFleetPointDist, i);
      char *texts[8] = {
        nb_fleet_text_point (u, d->target_mm, d->rate_hz),
        g_strdup_printf ("%u", d->n),
        nb_fleet_text_error (u, d->mean_mm),
        nb_fleet_text_spread (u, d->sd_mm),
        nb_fleet_text_error (u, d->min_mm),
        nb_fleet_text_error (u, d->max_mm),
        isfinite (d->cpk) ? g_strdup_printf ("%.2f", d->cpk) : g_strdup ("–"),
        g_strdup_printf ("%u", d->failed),
      };
      for (guint c = 0; c < G_N_ELEMENTS (texts); c++)
        {
          GtkWidget *l = cell (texts[c], FALSE, c ? 1 : 0);
          if (c == 7 && d->failed > 0)
            gtk_widget_add_css_class (l, "error");
          gtk_grid_attach (GTK_GRID (grid), l, c, i + 1, 1, 1);
          g_free (texts[c]);
        }
    }
  /* a narrow window scrolls the table sideways rather than squeezing it */
  GtkWidget *scroll = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_NEVER);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), grid);
  gtk_widget_add_css_class (scroll, "card");
  gtk_accessible_update_property (GTK_ACCESSIBLE (grid), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("As-found error per depth point"), -1);
  return scroll;
}

/* a section: a heading, a line under it, then its children */
static GtkWidget *
section (const char *title, const char *description)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *head = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_box_append (GTK_BOX (head), plain_label (title, "title-3", TRUE));
  gtk_box_append (GTK_BOX (head), plain_label (description, "dim-label", TRUE));
  gtk_box_append (GTK_BOX (box), head);
  return box;
}

GtkWidget *
nb_fleet_section_model (NbFleetData *data, guint index, NbUnits u)
{
  const NbFleetGroup *g = g_ptr_array_index (data->stats->groups, index);
  g_autofree char *title = g_strdup_printf (_ ("Model %s"), g->model ? g->model : _ ("not given"));
  g_autofree char *counts = nb_fleet_text_group_counts (g);
  GtkWidget *box = section (title, counts);
  g_autofree char *yield = nb_fleet_text_yield (g);
  g_autofree char *failing = nb_fleet_text_failing (u, g);
  gtk_box_append (GTK_BOX (box),
                  boxed_list (figure_row (_ ("First-pass yield"), yield),
                              figure_row (_ ("Most common failing points"), failing)));
  gtk_box_append (GTK_BOX (box), point_table (g, u));
  GtkWidget *scroll = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroll), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll),
                                 nb_fleet_chart_new_distribution (data, index, u));
  gtk_box_append (GTK_BOX (box), scroll);
  return box;
}

GtkWidget *
nb_fleet_section_pen (NbFleetData *data, guint index, NbUnits u)
{
  const NbFleetPen *pen = g_ptr_array_index (data->stats->pens, index);
  g_autofree char *title = g_strdup_printf (_ ("Pen %s"), pen->serial);
  const NbFleetRun *last = g_ptr_array_index (pen->runs, pen->runs->len - 1);
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_local (last->started_at / G_USEC_PER_SEC);
  g_autofree char *when = dt ? g_date_time_format (dt, "%Y-%m-%d") : g_strdup ("?");
  g_autofree char *runs = g_strdup_printf (
      g_dngettext (NULL, "%u calibration", "%u calibrations", pen->runs->len), pen->runs->len);
  /* TRANSLATORS: "NB-Pen 3 · 3 calibrations · latest 2026-11-22" */
  g_autofree char *sub = g_strdup_printf (
      _ ("%s · %s · latest %s"), pen->model ? pen->model : _ ("model not given"), runs, when);
  GtkWidget *box = section (title, sub);
  g_autofree char *drift = nb_fleet_text_drift (u, pen);
  g_autofree char *interval = nb_fleet_text_interval (u, pen, &data->params);
  gtk_box_append (
      GTK_BOX (box),
      boxed_list (figure_row (_ ("Drift per 30 days"),
                              drift ? drift : _ ("– (no two calibrations at least a day apart)")),
                  figure_row (_ ("Recommended interval"), interval)));
  gtk_box_append (GTK_BOX (box), nb_fleet_chart_new_history (data, index, u));
  return box;
}
