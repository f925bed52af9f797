/* nb-certificates-page.c: the Certificates page (nb-certificates-page.h), built in code. */
#include "nb-certificates-page.h"

#include "nb-certificates.h"

struct _NbCertificatesPage
{
  GtkBox parent;
  char *store_path;
  guint busy;
  gboolean again;                             /* a refresh was asked while one ran */
  GPtrArray *rows, *due_rows, *standard_rows; /* (element-type utf8) the texts the tests read */
  GPtrArray *numbers;                         /* of the certificate rows, in order */
  GtkListBox *certificates, *pens, *standards;
  GtkLabel *verify_label;
  char *verifying; /* the number being verified: the selection may change meanwhile */
};

G_DEFINE_FINAL_TYPE (NbCertificatesPage, nb_certificates_page, GTK_TYPE_BOX)

static const char *const level_css[] = { NULL, "warning", "error" };

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
add_row (GtkListBox *list, const char *title, const char *subtitle, const char *suffix,
         const char *css)
{
  GtkWidget *row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (suffix)
    {
      GtkWidget *label = gtk_label_new (suffix);
      if (css)
        gtk_widget_add_css_class (label, css);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  gtk_list_box_append (list, row);
  return row;
}

/* An empty list says why in a row of its own (GtkListBox 4.8 does not show a placeholder set
 * while the list is empty until a row comes and goes). */
static void
empty_row (GtkListBox *list, const char *text)
{
  GtkWidget *row = add_row (list, text, NULL, NULL, NULL);
  gtk_widget_add_css_class (row, "dim-label");
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
}

/* The verify line is shown only when it says something (no empty gap under the list). */
static void
set_verify (NbCertificatesPage *self, const char *text)
{
  gtk_label_set_label (self->verify_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->verify_label), text && *text);
}

static char *
local_date (gint64 us)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_local (us / G_USEC_PER_SEC);
  return t ? g_date_time_format (t, "%Y-%m-%d") : g_strdup ("?");
}

static void
fill_certificates (NbCertificatesPage *self, NbCertificateList *list)
{
  for (guint i = 0; i < list->certificates->len; i++)
    {
      const NbCertificateEntry *e = list->certificates->pdata[i];
      const NbStoreCertificate *c = e->cert;
      const char *status = nb_store_cert_status_to_string (c->status);
      g_autofree char *date = local_date (c->issued_at ? c->issued_at : c->created_at);
      g_autoptr (GString) sigs = g_string_new (NULL);
      for (guint k = 0; k < e->signatures->len; k++)
        {
          const NbStoreSignature *s = e->signatures->pdata[k];
          g_string_append_printf (sigs, "%s%s (%s)", k ? ", " : "", s->display_name,
                                  nb_sign_meaning_to_string (s->meaning));
        }
      g_autofree char *title
          = g_strdup_printf ("%s · pen %s", c->number, e->pen_serial ? e->pen_serial : "?");
      g_autofree char *subtitle = g_strdup_printf ("%s %s · run %" G_GINT64_FORMAT " · %s",
                                                   c->issued_at ? "issued" : "created", date,
                                                   c->run_id, sigs->len ? sigs->str : "not signed");
      add_row (self->certificates, title, subtitle, status,
               c->status == NB_STORE_CERT_ISSUED  ? "success"
               : c->status == NB_STORE_CERT_DRAFT ? "warning"
                                                  : "error");
      g_ptr_array_add (self->numbers, g_strdup (c->number));
      g_ptr_array_add (self->rows, g_strdup_printf ("%s | %s | %s | %s | %s", c->number,
                                                    e->pen_serial ? e->pen_serial : "?", date,
                                                    status, sigs->str));
    }
}

static void
fill_due (NbCertificatesPage *self, NbCertificateList *list)
{
  for (guint i = 0; i < list->pens->len; i++)
    {
      const NbPenDue *p = list->pens->pdata[i];
      int level = 0;
      g_autofree char *when = p->failed
                                  ? g_strdup ("due now: its last calibration failed")
                                  : nb_due_text (p->days_left, NB_CERTIFICATES_SOON_DAYS, &level);
      if (p->failed)
        level = 2;
      char due[16] = "—";
      if (g_date_valid (&p->due))
        g_date_strftime (due, sizeof due, "%Y-%m-%d", &p->due);
      g_autofree char *title = g_strdup_printf ("%s (%s)", p->serial, p->model ? p->model : "?");
      g_autofree char *subtitle = p->calibrated
                                      ? g_strdup_printf ("calibrated %s with %s · next due %s",
                                                         p->calibrated, p->profile, due)
                                      : g_strdup ("never calibrated");
      add_row (self->pens, title, subtitle, when, level_css[level]);
      g_ptr_array_add (self->due_rows,
                       g_strdup_printf ("%s | %s | %s | %s | %s", p->serial,
                                        p->model ? p->model : "?",
                                        p->calibrated ? p->calibrated : "—", due, when));
    }
}

static void
fill_standards (NbCertificatesPage *self, NbCertificateList *list)
{
  for (guint i = 0; i < list->standards->len; i++)
    {
      const NbStoreStandard *s = list->standards->pdata[i];
      int level = 0;
      gint64 left = nb_due_standard_days_left (s, &list->today);
      g_autofree char *when = left < 0 && left != G_MININT64
                                  ? g_strdup_printf ("expired %" G_GINT64_FORMAT " day%s ago",
                                                     -left, left == -1 ? "" : "s")
                                  : nb_due_text (left, NB_CERTIFICATES_SOON_DAYS, &level);
      if (left < 0)
        level = 2;
      else if (level == 1)
        {
          g_autofree char *soon = g_strdup_printf ("expiring soon: %s", when);
          g_free (when), when = g_steal_pointer (&soon);
        }
      g_autofree char *title = g_strdup_printf ("Fixture %s%s%s", s->serial, s->model ? " · " : "",
                                                s->model ? s->model : "");
      g_autofree char *subtitle
          = g_strdup_printf ("certificate %s · U = %.4f mm (k = %.2f) · due %s", s->certificate,
                             s->uncertainty_mm, s->k, s->due);
      add_row (self->standards, title, subtitle, when, level_css[level]);
      g_ptr_array_add (self->standard_rows, g_strdup_printf ("%s | %s | %s | %s", s->serial,
                                                             s->certificate, s->due, when));
    }
}

static void
on_list (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr (NbCertificatesPage) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (NbCertificateList) list = nb_certificate_list_finish (res, &error);
  self->busy--;
  if (self->again)
    {
      self->again = FALSE;
      return nb_certificates_page_refresh (self);
    }
  clear_list (self->certificates);
  clear_list (self->pens);
  clear_list (self->standards);
  g_ptr_array_set_size (self->rows, 0);
  g_ptr_array_set_size (self->due_rows, 0);
  g_ptr_array_set_size (self->standard_rows, 0);
  g_ptr_array_set_size (self->numbers, 0);
  if (list == NULL)
    {
      set_verify (self, error->message);
      return;
    }
  fill_certificates (self, list);
  fill_due (self, list);
  fill_standards (self, list);
  if (self->rows->len == 0)
    empty_row (self->certificates, "No certificates yet: make one from a calibration's result.");
  if (self->due_rows->len == 0)
    empty_row (self->pens, "No pen has been calibrated yet.");
  if (self->standard_rows->len == 0)
    empty_row (self->standards, "No reference standard recorded.");
}

void
nb_certificates_page_refresh (NbCertificatesPage *self)
{
  if (self->busy > 0)
    {
      self->again = TRUE;
      return;
    }
  self->busy++;
  nb_certificate_list_async (self->store_path, on_list, g_object_ref (self));
}

void
nb_certificates_page_set_store_path (NbCertificatesPage *self, const char *path)
{
  g_free (self->store_path);
  self->store_path = g_strdup (path);
  nb_certificates_page_refresh (self);
}

gboolean
nb_certificates_page_is_busy (NbCertificatesPage *self)
{
  return self->busy > 0;
}

static void
on_verified (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr (NbCertificatesPage) self = data;
  g_autoptr (GError) error = NULL;
  self->busy--;
  GtkWidget *label = GTK_WIDGET (self->verify_label);
  gtk_widget_remove_css_class (label, "success");
  gtk_widget_remove_css_class (label, "error");
  const char *number = self->verifying;
  g_autofree char *text = NULL;
  if (nb_certificate_verify_finish (res, &error))
    {
      text = g_strdup_printf ("%s is valid: its content hash, every signature and the "
                              "laboratory's signature verify, and it matches the stored run.",
                              number);
      gtk_widget_add_css_class (label, "success");
    }
  else
    {
      text = g_strdup_printf ("%s is NOT valid: %s", number, error->message);
      gtk_widget_add_css_class (label, "error");
    }
  set_verify (self, text);
}

static void
verify (NbCertificatesPage *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->certificates);
  if (row == NULL)
    {
      set_verify (self, "Select a certificate to verify.");
      return;
    }
  int i = gtk_list_box_row_get_index (row);
  if (i < 0 || (guint) i >= self->numbers->len)
    return;
  const char *number = self->numbers->pdata[i];
  gtk_widget_remove_css_class (GTK_WIDGET (self->verify_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->verify_label), "error");
  set_verify (self, "Verifying…");
  self->busy++;
  g_free (self->verifying);
  self->verifying = g_strdup (number);
  nb_certificate_verify_async (self->store_path, number, on_verified, g_object_ref (self));
}

static void
action (GtkWidget *widget, const char *name, GVariant *param)
{
  NbCertificatesPage *self = NB_CERTIFICATES_PAGE (widget);
  if (g_str_equal (name, "certificates.verify"))
    verify (self);
  else
    nb_certificates_page_refresh (self);
}

static GtkListBox *
group (GtkWidget *box, const char *title, const char *description, GtkWidget *suffix)
{
  GtkWidget *g = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (g), title);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (g), description);
  if (suffix)
    adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (g), suffix);
  GtkWidget *list = gtk_list_box_new ();
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), list);
  gtk_box_append (GTK_BOX (box), g);
  return GTK_LIST_BOX (list);
}

static GtkWidget *
button (const char *label, const char *action_name)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (label);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (b), action_name);
  gtk_widget_set_valign (b, GTK_ALIGN_CENTER);
  return b;
}

static void
nb_certificates_page_init (NbCertificatesPage *self)
{
  self->rows = g_ptr_array_new_with_free_func (g_free);
  self->due_rows = g_ptr_array_new_with_free_func (g_free);
  self->standard_rows = g_ptr_array_new_with_free_func (g_free);
  self->numbers = g_ptr_array_new_with_free_func (g_free);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  GtkWidget *scroll = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroll, TRUE);
  GtkWidget *clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 900);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (buttons), button ("_Refresh", "certificates.refresh"));
  GtkWidget *v = button ("_Verify", "certificates.verify");
  gtk_widget_add_css_class (v, "suggested-action");
  gtk_box_append (GTK_BOX (buttons), v);
  self->certificates
      = group (box, "Certificates",
               "Number, pen, date, status and signatures. Select one to verify it.", buttons);
  gtk_list_box_set_selection_mode (self->certificates, GTK_SELECTION_SINGLE);
  self->verify_label = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_wrap (self->verify_label, TRUE);
  gtk_label_set_xalign (self->verify_label, 0);
  gtk_label_set_selectable (self->verify_label, TRUE);
  gtk_widget_set_focusable (GTK_WIDGET (self->verify_label), FALSE); /* not a Tab stop */
  gtk_widget_set_visible (GTK_WIDGET (self->verify_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->verify_label));
  self->pens
      = group (box, "Pens due for calibration",
               "Next calibration: the profile's interval after the last traceable one", NULL);
  self->standards = group (box, "Reference standards",
                           "The fixtures' certificates in force and their due dates", NULL);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), clamp);
  gtk_box_append (GTK_BOX (self), scroll);
}

static void
nb_certificates_page_finalize (GObject *object)
{
  NbCertificatesPage *self = NB_CERTIFICATES_PAGE (object);
  g_free (self->store_path);
  g_free (self->verifying);
  g_ptr_array_unref (self->rows);
  g_ptr_array_unref (self->due_rows);
  g_ptr_array_unref (self->standard_rows);
  g_ptr_array_unref (self->numbers);
  G_OBJECT_CLASS (nb_certificates_page_parent_class)->finalize (object);
}

static void
nb_certificates_page_class_init (NbCertificatesPageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nb_certificates_page_finalize;
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  gtk_widget_class_install_action (wc, "certificates.refresh", NULL, action);
  gtk_widget_class_install_action (wc, "certificates.verify", NULL, action);
}

static GStrv
strv (GPtrArray *rows)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  for (guint i = 0; i < rows->len; i++)
    g_strv_builder_add (b, rows->pdata[i]);
  return g_strv_builder_end (b);
}

GStrv
nb_certificates_page_get_rows (NbCertificatesPage *self)
{
  return strv (self->rows);
}

GStrv
nb_certificates_page_get_due_rows (NbCertificatesPage *self)
{
  return strv (self->due_rows);
}

GStrv
nb_certificates_page_get_standard_rows (NbCertificatesPage *self)
{
  return strv (self->standard_rows);
}

gboolean
nb_certificates_page_select (NbCertificatesPage *self, const char *number)
{
  for (guint i = 0; i < self->numbers->len; i++)
    if (g_str_equal (self->numbers->pdata[i], number))
      {
        gtk_list_box_select_row (self->certificates,
                                 gtk_list_box_get_row_at_index (self->certificates, (int) i));
        return TRUE;
      }
  return FALSE;
}

const char *
nb_certificates_page_get_verify_text (NbCertificatesPage *self)
{
  return gtk_label_get_label (self->verify_label);
}
