/* nb-certificate-window.c: the certificate step of the calibration wizard
 * (nb-certificate-window.h). Built in code: three steps in a stack and a modal signing prompt. */
#include "nb-certificate-window.h"

#include <string.h>

struct _NbCertificateWindow
{
  AdwWindow parent;
  char *db_path;
  gint64 run_id;
  gboolean traceable;
  NbCertificateSetup *setup;
  NbCertificatePreview *preview;
  GPtrArray *saved;
  guint busy;

  GtkStack *stack;
  GtkLabel *status;
  AdwEntryRow *lab_name, *lab_address;
  AdwEntryRow *customer, *customer_address, *received, *condition;
  GtkLabel *title, *hash_label, *signatures_label;
  GtkBox *pages;
  GtkWidget *sign_button, *save_button, *sign_group;

  GtkWindow *sign_dialog;
  GtkDropDown *sign_user, *sign_meaning;
  GtkPasswordEntry *sign_password;
  GtkLabel *sign_error, *sign_what;
};

G_DEFINE_FINAL_TYPE (NbCertificateWindow, nb_certificate_window, ADW_TYPE_WINDOW)

static void
set_status (NbCertificateWindow *self, const char *text)
{
  gtk_label_set_label (self->status, text);
}

/* The actions that may run now: one job at a time; signing a draft certificate only. */
static void
update_actions (NbCertificateWindow *self)
{
  gboolean idle = self->busy == 0;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cert.save-lab", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cert.preview", idle);
  gboolean draft
      = self->preview && self->preview->number && g_str_equal (self->preview->status, "draft");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cert.sign", idle && draft);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cert.save", idle && self->preview != NULL);
}

static void
set_busy (NbCertificateWindow *self, gboolean busy)
{
  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;
  update_actions (self);
}

static const char *
entry (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* --- the preview ------------------------------------------------------------------------------ */

static char *
signature_time (gint64 us)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_local (us / G_USEC_PER_SEC);
  return t ? g_date_time_format (t, "%Y-%m-%d %H:%M") : g_strdup ("?");
}

static void
show_preview (NbCertificateWindow *self)
{
  const NbCertificatePreview *p = self->preview;
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pages))) != NULL)
    gtk_box_remove (self->pages, child);
  for (guint i = 0; i < p->pages->len; i++)
    {
      GtkWidget *pic = gtk_picture_new_for_paintable (p->pages->pdata[i]);
      gtk_picture_set_can_shrink (GTK_PICTURE (pic), FALSE);
      gtk_widget_set_halign (pic, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (pic, "card");
      g_autofree char *name = g_strdup_printf ("Page %u of %u", i + 1, p->pages->len);
      gtk_accessible_update_property (GTK_ACCESSIBLE (pic), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
      gtk_box_append (self->pages, pic);
    }
  g_autofree char *title = NULL;
  if (p->number == NULL)
    title = g_strdup ("Verification report — not a calibration certificate (pen self-check, "
                      "no number)");
  else
    title = g_strdup_printf ("Calibration certificate %s — %s", p->number,
                             g_str_equal (p->status, "issued")  ? "issued"
                             : g_str_equal (p->status, "draft") ? "DRAFT, not issued"
                                                                : p->status);
  gtk_label_set_label (self->title, title);
  g_autofree char *hash = g_strdup_printf ("Content SHA-256 %s", p->content_sha256);
  gtk_label_set_label (self->hash_label, hash);
  g_autoptr (GString) sigs = g_string_new (NULL);
  for (guint i = 0; i < p->signatures->len; i++)
    {
      const NbStoreSignature *s = p->signatures->pdata[i];
      g_autofree char *at = signature_time (s->at);
      g_string_append_printf (sigs, "%s%s (%s) — %s, %s", i ? "\n" : "", s->display_name,
                              nb_user_role_to_string (s->role),
                              nb_sign_meaning_to_string (s->meaning), at);
    }
  if (p->signatures->len == 0)
    g_string_append (sigs, "No signatures yet. An approver's signature issues it.");
  else if (g_str_equal (p->status, "issued"))
    g_string_append (sigs, "\n\nIssued and sealed with the laboratory key: no more signatures.");
  gtk_label_set_label (self->signatures_label, sigs->str);
  /* an issued (or voided) certificate takes no more signatures */
  gtk_widget_set_visible (self->sign_button, g_str_equal (p->status, "draft"));
  gtk_widget_set_visible (self->sign_group, p->number != NULL);
  gtk_stack_set_visible_child_name (self->stack, "preview");
  gtk_window_set_title (GTK_WINDOW (self), p->number ? p->number : "Verification report");
}

static void
take_preview (NbCertificateWindow *self, NbCertificatePreview *p)
{
  g_clear_pointer (&self->preview, nb_certificate_preview_free);
  self->preview = p;
  show_preview (self);
}

static void
on_prepared (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr (NbCertificateWindow) self = data;
  g_autoptr (GError) error = NULL;
  NbCertificatePreview *p = nb_certificate_prepare_finish (res, &error);
  if (p == NULL)
    set_status (self, error->message);
  else
    {
      take_preview (self, p);
      set_status (self, p->existed ? "This run's certificate, as stored (its customer details were "
                                     "set when it was created)."
                                   : "Check every page, then collect the signatures.");
    }
  set_busy (self, FALSE);
}

static void
preview (NbCertificateWindow *self)
{
  NbCertificateForm form = {
    .customer_name = entry (self->customer),
    .customer_address = entry (self->customer_address),
    .received = entry (self->received),
    .condition = entry (self->condition),
  };
  set_busy (self, TRUE);
  set_status (self, "Making the certificate and drawing its pages…");
  nb_certificate_prepare_async (self->db_path, self->run_id, &form, NB_CERTIFICATE_PREVIEW_DPI,
                                on_prepared, g_object_ref (self));
}

/* --- the laboratory --------------------------------------------------------------------------- */

static void
on_setup (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr (NbCertificateWindow) self = data;
  g_autoptr (GError) error = NULL;
  NbCertificateSetup *setup = nb_certificate_setup_load_finish (res, &error);
  set_busy (self, FALSE);
  if (setup == NULL)
    return set_status (self, error->message);
  g_clear_pointer (&self->setup, nb_certificate_setup_free);
  self->setup = setup;
  GtkStringList *users = GTK_STRING_LIST (gtk_drop_down_get_model (self->sign_user));
  gtk_string_list_splice (users, 0, g_list_model_get_n_items (G_LIST_MODEL (users)), NULL);
  for (guint i = 0; i < setup->users->len; i++)
    {
      const NbStoreUser *u = setup->users->pdata[i];
      g_autofree char *item = g_strdup_printf ("%s (%s) — %s", u->display_name, u->name,
                                               nb_user_role_to_string (u->role));
      gtk_string_list_append (users, item);
    }
  if (setup->lab == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "lab");
      set_status (self, "No laboratory is set yet: its name and address go on every certificate.");
    }
  else if (gtk_stack_get_visible_child_name (self->stack) != NULL
           && !g_str_equal (gtk_stack_get_visible_child_name (self->stack), "preview"))
    {
      gtk_stack_set_visible_child_name (self->stack, "form");
      g_autofree char *text
          = g_strdup_printf ("Laboratory: %s, %s", setup->lab->name, setup->lab->address);
      set_status (self, text);
    }
}

static void
load_setup (NbCertificateWindow *self)
{
  set_busy (self, TRUE);
  nb_certificate_setup_load_async (self->db_path, on_setup, g_object_ref (self));
}

static void
on_lab_set (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr (NbCertificateWindow) self = data;
  g_autoptr (GError) error = NULL;
  set_busy (self, FALSE);
  if (!nb_certificate_set_lab_finish (res, &error))
    return set_status (self, error->message);
  load_setup (self);
}

static void
save_lab (NbCertificateWindow *self)
{
  set_busy (self, TRUE);
  nb_certificate_set_lab_async (self->db_path, entry (self->lab_name), entry (self->lab_address),
                                on_lab_set, g_object_ref (self));
}

/* --- signing ---------------------------------------------------------------------------------- */

static void
on_signed (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr (NbCertificateWindow) self = data;
  g_autoptr (GError) error = NULL;
  NbCertificatePreview *p = nb_certificate_sign_finish (res, &error);
  set_busy (self, FALSE);
  if (p == NULL)
    {
      g_autofree char *text = g_strdup_printf ("Not signed: %s", error->message);
      gtk_label_set_label (self->sign_error, text);
      gtk_widget_set_visible (GTK_WIDGET (self->sign_error), TRUE);
      gtk_editable_set_text (GTK_EDITABLE (self->sign_password), "");
      return;
    }
  /* focus leaves the password entry before its window goes (GtkText wants its focus-out) */
  gtk_window_set_focus (self->sign_dialog, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_dialog), FALSE);
  take_preview (self, p);
  update_actions (self);
  set_status (self, g_str_equal (p->status, "issued")
                        ? "Approved and issued, signed with the laboratory key. Save its files."
                        : "Signed. An approver's signature issues it.");
}

static void
sign_now (NbCertificateWindow *self)
{
  guint u = gtk_drop_down_get_selected (self->sign_user);
  /* one signature at a time (Enter in the password entry comes here too) */
  if (self->busy || self->setup == NULL || u >= self->setup->users->len || self->preview == NULL)
    return;
  const NbStoreUser *user = self->setup->users->pdata[u];
  NbSignMeaning meaning = (NbSignMeaning) gtk_drop_down_get_selected (self->sign_meaning);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_error), FALSE);
  set_busy (self, TRUE);
  nb_certificate_sign_async (self->db_path, self->run_id, self->preview->number,
                             self->preview->content_sha256, user->name,
                             gtk_editable_get_text (GTK_EDITABLE (self->sign_password)), meaning,
                             NB_CERTIFICATE_PREVIEW_DPI, on_signed, g_object_ref (self));
}

static void
update_sign_what (NbCertificateWindow *self)
{
  if (self->preview == NULL || self->preview->number == NULL)
    return;
  guint m = gtk_drop_down_get_selected (self->sign_meaning);
  g_autofree char *text
      = g_strdup_printf ("Your signature on certificate %s (content SHA-256 %.16s…) means: %s.%s",
                         self->preview->number, self->preview->content_sha256,
                         m == 0   ? "you performed the calibration"
                         : m == 1 ? "you reviewed it"
                                  : "you approve it",
                         m == 2 ? " Approving issues the certificate." : "");
  gtk_label_set_label (self->sign_what, text);
}

static GtkWidget *
labelled (const char *text, GtkWidget *w)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *l = gtk_label_new_with_mnemonic (text);
  gtk_label_set_mnemonic_widget (GTK_LABEL (l), w);
  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_box_append (GTK_BOX (box), l);
  gtk_box_append (GTK_BOX (box), w);
  return box;
}

static void
build_sign_dialog (NbCertificateWindow *self)
{
  GtkWindow *d = self->sign_dialog = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (d, "Sign the certificate");
  gtk_window_set_modal (d, TRUE);
  gtk_window_set_transient_for (d, GTK_WINDOW (self));
  gtk_window_set_hide_on_close (d, TRUE);
  gtk_window_set_default_size (d, 460, -1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  self->sign_what = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->sign_what, TRUE);
  gtk_label_set_xalign (self->sign_what, 0);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->sign_what));
  self->sign_user
      = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (gtk_string_list_new (NULL)), NULL));
  gtk_box_append (GTK_BOX (box), labelled ("_User", GTK_WIDGET (self->sign_user)));
  const char *const meanings[] = { "performed", "reviewed", "approved", NULL };
  self->sign_meaning = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (meanings));
  g_signal_connect_swapped (self->sign_meaning, "notify::selected", G_CALLBACK (update_sign_what),
                            self);
  gtk_box_append (GTK_BOX (box), labelled ("_Meaning", GTK_WIDGET (self->sign_meaning)));
  self->sign_password = GTK_PASSWORD_ENTRY (gtk_password_entry_new ());
  gtk_password_entry_set_show_peek_icon (self->sign_password, TRUE);
  g_signal_connect_swapped (self->sign_password, "activate", G_CALLBACK (sign_now), self);
  gtk_box_append (GTK_BOX (box), labelled ("_Password", GTK_WIDGET (self->sign_password)));
  self->sign_error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->sign_error, TRUE);
  gtk_label_set_xalign (self->sign_error, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->sign_error), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->sign_error), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->sign_error));
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  GtkWidget *cancel = gtk_button_new_with_mnemonic ("_Cancel");
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_widget_hide), d);
  GtkWidget *sign = gtk_button_new_with_mnemonic ("_Sign");
  gtk_widget_add_css_class (sign, "suggested-action");
  g_signal_connect_swapped (sign, "clicked", G_CALLBACK (sign_now), self);
  gtk_box_append (GTK_BOX (buttons), cancel);
  gtk_box_append (GTK_BOX (buttons), sign);
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_window_set_child (d, box);
}

static void
open_sign_dialog (NbCertificateWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->sign_password), "");
  gtk_widget_set_visible (GTK_WIDGET (self->sign_error), FALSE);
  update_sign_what (self);
  gtk_window_set_focus (self->sign_dialog, GTK_WIDGET (self->sign_password));
  gtk_window_present (self->sign_dialog);
}

/* --- saving ----------------------------------------------------------------------------------- */

static void
on_saved (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr (NbCertificateWindow) self = data;
  g_autoptr (GError) error = NULL;
  GPtrArray *written = nb_certificate_save_finish (res, &error);
  set_busy (self, FALSE);
  if (written == NULL)
    return set_status (self, error->message);
  g_clear_pointer (&self->saved, g_ptr_array_unref);
  self->saved = written;
  g_autofree char *dir = g_path_get_dirname (written->pdata[0]);
  g_autofree char *text = g_strdup_printf ("Saved %u files (PDF, JSON, CSV%s) to %s", written->len,
                                           written->len == 4 ? ", DCC" : "", dir);
  set_status (self, text);
}

void
nb_certificate_window_save_to (NbCertificateWindow *self, const char *dir)
{
  if (self->preview == NULL)
    return;
  set_busy (self, TRUE);
  set_status (self, "Saving…");
  nb_certificate_save_async (self->preview, dir, on_saved, g_object_ref (self));
}

static void
on_folder (GtkNativeDialog *chooser, int response, NbCertificateWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = folder ? g_file_get_path (folder) : NULL;
      if (path)
        nb_certificate_window_save_to (self, path);
    }
  g_object_unref (chooser);
}

static void
choose_folder (NbCertificateWindow *self)
{
  GtkFileChooserNative *chooser
      = gtk_file_chooser_native_new ("Save the certificate's files", GTK_WINDOW (self),
                                     GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, "_Save", "_Cancel");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_folder), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* --- the window ------------------------------------------------------------------------------- */

static void
action (GtkWidget *widget, const char *name, GVariant *param)
{
  NbCertificateWindow *self = NB_CERTIFICATE_WINDOW (widget);
  if (g_str_equal (name, "cert.save-lab"))
    save_lab (self);
  else if (g_str_equal (name, "cert.preview"))
    preview (self);
  else if (g_str_equal (name, "cert.sign"))
    open_sign_dialog (self);
  else if (g_str_equal (name, "cert.save"))
    choose_folder (self);
}

static AdwEntryRow *
entry_row (GtkWidget *group, const char *title)
{
  GtkWidget *row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return ADW_ENTRY_ROW (row);
}

static GtkWidget *
action_button (const char *label, const char *action_name, gboolean suggested)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (label);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (b), action_name);
  gtk_widget_set_halign (b, GTK_ALIGN_END);
  if (suggested)
    gtk_widget_add_css_class (b, "suggested-action");
  return b;
}

static GtkWidget *
form_page (GtkWidget *group, GtkWidget *button)
{
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), group);
  gtk_box_append (GTK_BOX (box), button);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  return clamp;
}

static GtkWidget *
preview_page (NbCertificateWindow *self)
{
  GtkWidget *paned = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *scroll = gtk_scrolled_window_new ();
  gtk_widget_set_hexpand (scroll, TRUE);
  gtk_widget_set_vexpand (scroll, TRUE);
  self->pages = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 18));
  gtk_widget_set_margin_top (GTK_WIDGET (self->pages), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->pages), 18);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), GTK_WIDGET (self->pages));
  gtk_widget_add_css_class (scroll, "view");
  gtk_box_append (GTK_BOX (paned), scroll);

  GtkWidget *side = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_size_request (side, 300, -1);
  gtk_widget_set_margin_start (side, 18);
  gtk_widget_set_margin_end (side, 18);
  gtk_widget_set_margin_top (side, 18);
  self->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->title, TRUE);
  gtk_label_set_xalign (self->title, 0);
  gtk_label_set_max_width_chars (self->title, 30);
  gtk_widget_add_css_class (GTK_WIDGET (self->title), "title-3");
  gtk_box_append (GTK_BOX (side), GTK_WIDGET (self->title));
  self->hash_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->hash_label, TRUE);
  gtk_label_set_wrap_mode (self->hash_label, PANGO_WRAP_CHAR);
  gtk_label_set_xalign (self->hash_label, 0);
  gtk_label_set_max_width_chars (self->hash_label, 30);
  gtk_label_set_selectable (self->hash_label, TRUE);
  gtk_widget_set_focusable (GTK_WIDGET (self->hash_label), FALSE); /* not a Tab stop */
  gtk_widget_add_css_class (GTK_WIDGET (self->hash_label), "dim-label");
  gtk_box_append (GTK_BOX (side), GTK_WIDGET (self->hash_label));
  self->sign_group = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *heading = gtk_label_new ("Signatures");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (self->sign_group), heading);
  self->signatures_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->signatures_label, TRUE);
  gtk_label_set_xalign (self->signatures_label, 0);
  gtk_label_set_max_width_chars (self->signatures_label, 30);
  gtk_box_append (GTK_BOX (self->sign_group), GTK_WIDGET (self->signatures_label));
  self->sign_button = action_button ("_Sign…", "cert.sign", FALSE);
  gtk_widget_set_halign (self->sign_button, GTK_ALIGN_FILL);
  gtk_box_append (GTK_BOX (self->sign_group), self->sign_button);
  gtk_box_append (GTK_BOX (side), self->sign_group);
  self->save_button = action_button ("Save _Files…", "cert.save", TRUE);
  gtk_widget_set_halign (self->save_button, GTK_ALIGN_FILL);
  gtk_box_append (GTK_BOX (side), self->save_button);
  gtk_box_append (GTK_BOX (paned), side);
  return paned;
}

static void
build (NbCertificateWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (box), header);
  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);

  GtkWidget *lab = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (lab), "Laboratory");
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (lab),
                                         "Named on every certificate (ISO/IEC 17025 7.8.2.1)");
  self->lab_name = entry_row (lab, "Name");
  self->lab_address = entry_row (lab, "Address");
  gtk_stack_add_named (self->stack,
                       form_page (lab, action_button ("Save _Laboratory", "cert.save-lab", TRUE)),
                       "lab");

  GtkWidget *form = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (form),
                                   self->traceable ? "Calibration certificate"
                                                   : "Verification report (not a certificate)");
  adw_preferences_group_set_description (
      ADW_PREFERENCES_GROUP (form),
      self->traceable ? "The customer and the item as received"
                      : "A pen self-check is not traceable: it gets a verification report, "
                        "never a certificate number");
  self->customer = entry_row (form, "Customer name");
  self->customer_address = entry_row (form, "Customer address");
  self->received = entry_row (form, "Date received (YYYY-MM-DD; empty: the run's date)");
  self->condition = entry_row (form, "Item condition (empty: as received, no damage noted)");
  gtk_stack_add_named (self->stack,
                       form_page (form, action_button ("_Preview", "cert.preview", TRUE)), "form");
  gtk_stack_add_named (self->stack, preview_page (self), "preview");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));

  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (self->status, PANGO_ELLIPSIZE_END);
  GtkWidget *bar = gtk_action_bar_new ();
  gtk_action_bar_set_center_widget (GTK_ACTION_BAR (bar), GTK_WIDGET (self->status));
  gtk_box_append (GTK_BOX (box), bar);
  adw_window_set_content (ADW_WINDOW (self), box);
  build_sign_dialog (self);
}

static void
nb_certificate_window_dispose (GObject *object)
{
  NbCertificateWindow *self = NB_CERTIFICATE_WINDOW (object);
  if (self->sign_dialog)
    gtk_window_destroy (g_steal_pointer (&self->sign_dialog));
  G_OBJECT_CLASS (nb_certificate_window_parent_class)->dispose (object);
}

static void
nb_certificate_window_finalize (GObject *object)
{
  NbCertificateWindow *self = NB_CERTIFICATE_WINDOW (object);
  g_free (self->db_path);
  g_clear_pointer (&self->setup, nb_certificate_setup_free);
  g_clear_pointer (&self->preview, nb_certificate_preview_free);
  g_clear_pointer (&self->saved, g_ptr_array_unref);
  G_OBJECT_CLASS (nb_certificate_window_parent_class)->finalize (object);
}

static void
nb_certificate_window_class_init (NbCertificateWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = nb_certificate_window_dispose;
  G_OBJECT_CLASS (klass)->finalize = nb_certificate_window_finalize;
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  gtk_widget_class_install_action (wc, "cert.save-lab", NULL, action);
  gtk_widget_class_install_action (wc, "cert.preview", NULL, action);
  gtk_widget_class_install_action (wc, "cert.sign", NULL, action);
  gtk_widget_class_install_action (wc, "cert.save", NULL, action);
}

static void
nb_certificate_window_init (NbCertificateWindow *self)
{
}

NbCertificateWindow *
nb_certificate_window_new (GtkWindow *parent, const char *db_path, gint64 run_id,
                           gboolean traceable)
{
  NbCertificateWindow *self = g_object_new (
      NB_TYPE_CERTIFICATE_WINDOW, "transient-for", parent, "modal", TRUE, "default-width", 1100,
      "default-height", 800, "title", traceable ? "Certificate" : "Verification report", NULL);
  self->db_path = g_strdup (db_path);
  self->run_id = run_id;
  self->traceable = traceable;
  build (self);
  gtk_stack_set_visible_child_name (self->stack, "form");
  update_actions (self);
  load_setup (self);
  return self;
}

gboolean
nb_certificate_window_is_busy (NbCertificateWindow *self)
{
  return self->busy > 0;
}

const char *
nb_certificate_window_get_step (NbCertificateWindow *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
nb_certificate_window_get_status (NbCertificateWindow *self)
{
  return gtk_label_get_label (self->status);
}

void
nb_certificate_window_fill_lab (NbCertificateWindow *self, const char *name, const char *address)
{
  gtk_editable_set_text (GTK_EDITABLE (self->lab_name), name);
  gtk_editable_set_text (GTK_EDITABLE (self->lab_address), address);
}

void
nb_certificate_window_fill_form (NbCertificateWindow *self, const char *customer,
                                 const char *address, const char *received, const char *condition)
{
  gtk_editable_set_text (GTK_EDITABLE (self->customer), customer);
  gtk_editable_set_text (GTK_EDITABLE (self->customer_address), address);
  gtk_editable_set_text (GTK_EDITABLE (self->received), received);
  gtk_editable_set_text (GTK_EDITABLE (self->condition), condition);
}

const NbCertificatePreview *
nb_certificate_window_get_preview (NbCertificateWindow *self)
{
  return self->preview;
}

GtkWindow *
nb_certificate_window_get_sign_dialog (NbCertificateWindow *self)
{
  return self->sign_dialog;
}

gboolean
nb_certificate_window_sign_fill (NbCertificateWindow *self, const char *user, NbSignMeaning meaning,
                                 const char *password)
{
  for (guint i = 0; self->setup && i < self->setup->users->len; i++)
    if (g_str_equal (((NbStoreUser *) self->setup->users->pdata[i])->name, user))
      {
        gtk_drop_down_set_selected (self->sign_user, i);
        gtk_drop_down_set_selected (self->sign_meaning, meaning);
        gtk_editable_set_text (GTK_EDITABLE (self->sign_password), password);
        return TRUE;
      }
  return FALSE;
}

void
nb_certificate_window_sign_submit (NbCertificateWindow *self)
{
  sign_now (self);
}

const char *
nb_certificate_window_get_sign_error (NbCertificateWindow *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->sign_error))
             ? gtk_label_get_label (self->sign_error)
             : NULL;
}

GPtrArray *
nb_certificate_window_get_saved (NbCertificateWindow *self)
{
  return self->saved;
}
