/* nb-a11y.h: accessible names GTK 4.8 gets wrong by itself, set right for a whole window.
 *
 * GTK 4.8 names a button with a mnemonic after its raw label plus its label child ("_Connect
 * Connect"), a stack switcher's tab after the raw page title ("_Sessions"), a drop-down's
 * button after its class, and the rows of a drop-down's list not at all. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* nb_a11y_strip_mnemonic: @text without its mnemonic underscores ("Export _CSV…" → "Export CSV…",
 * "a__b" → "a_b"). */
char *nb_a11y_strip_mnemonic (const char *text);

/* nb_a11y_fix_names: for @root and every widget under it now: buttons and switcher tabs with a
 * mnemonic are named after their label's text (and again whenever the label changes); a
 * drop-down's button is named as the drop-down is (@root's .ui gives the drop-down its name);
 * the rows of a drop-down's or combo row's string list get the string as their name. Call it
 * once a window's widgets exist; widgets added later need their own names. */
void nb_a11y_fix_names (GtkWidget *root);

/* nb_a11y_name_search_entries: names every search entry under @root @name (for the one a
 * libadwaita preferences window makes itself). */
void nb_a11y_name_search_entries (GtkWidget *root, const char *name);

/* nb_a11y_fix_help_overlay: names the parts GTK's shortcuts window leaves unnamed (its search
 * entry and button, its sections menu) in @window's help overlay, if it has one. */
void nb_a11y_fix_help_overlay (GtkWindow *window);

G_END_DECLS
