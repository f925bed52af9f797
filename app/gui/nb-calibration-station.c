/* nb-calibration-station.c: the Calibration page's first step: the station (pen and fixture
 * from the Live page's device list, or the simulated station) and the profile (area, skin
 * thickness, Fitzpatrick type with its cap), operator, rule and adjustment. */
#include <glib/gi18n.h>
#include "nb-calibration-page-private.h"

#include <string.h>

/* --- station --------------------------------------------------------------------------------- */

static void
set_combo_strings (AdwComboRow *row, GPtrArray *labels, guint selected)
{
  g_ptr_array_add (labels, NULL);
  g_autoptr (GtkStringList) list = gtk_string_list_new ((const char *const *) labels->pdata);
  adw_combo_row_set_model (row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (row, selected);
}

static guint
index_of (GPtrArray *uris, const char *uri)
{
  for (guint i = 0; uri && i < uris->len; i++)
    if (g_strcmp0 (g_ptr_array_index (uris, i), uri) == 0)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

/* The pens and fixtures the Live page's list knows, told apart by their kind (a fixture answers
 * IDENTIFY with the REFERENCE capability), after the simulated station that is always there. */
static void
fill_devices (NbCalibrationPage *self)
{
  self->updating = TRUE;
  g_autoptr (GPtrArray) pens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) fixtures = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_set_size (self->pen_uris, 0);
  g_ptr_array_set_size (self->fixture_uris, 0);
  g_ptr_array_add (pens, g_strdup (_ ("Simulated pen (sim:)")));
  g_ptr_array_add (self->pen_uris, g_strdup (NB_CALIBRATION_SIM_PEN));
  g_ptr_array_add (fixtures, g_strdup (_ ("Simulated fixture (sim-fixture:)")));
  g_ptr_array_add (self->fixture_uris, g_strdup (NB_CALIBRATION_SIM_FIXTURE));
  guint n = self->devices ? g_list_model_get_n_items (self->devices) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (NbPenItem) item = g_list_model_get_item (self->devices, i);
      const char *uri = nb_pen_item_get_uri (item);
      if (g_str_equal (uri, "sim") || g_str_equal (uri, NB_CALIBRATION_SIM_PEN))
        continue;
      gboolean fixture = g_strcmp0 (nb_pen_item_get_kind (item), "fixture") == 0;
      char *label
          = g_strdup_printf ("%s %s · %s (%s)", fixture ? _ ("Fixture") : _ ("Pen"),
                             nb_pen_item_get_model (item), nb_pen_item_get_serial (item), uri);
      g_ptr_array_add (fixture ? fixtures : pens, label);
      g_ptr_array_add (fixture ? self->fixture_uris : self->pen_uris, g_strdup (uri));
    }
  g_ptr_array_add (fixtures,
                   g_strdup (_ ("None: the pen's own sensor (self-check, not traceable)")));
  g_ptr_array_add (self->fixture_uris, g_strdup (""));
  const char *pen_uri = gtk_editable_get_text (GTK_EDITABLE (self->pen_uri_row));
  const char *fix_uri = gtk_editable_get_text (GTK_EDITABLE (self->fixture_uri_row));
  guint p = index_of (self->pen_uris, pen_uri), f = index_of (self->fixture_uris, fix_uri);
  set_combo_strings (self->pen_row, pens, p == GTK_INVALID_LIST_POSITION ? 0 : p);
  set_combo_strings (self->fixture_row, fixtures, f == GTK_INVALID_LIST_POSITION ? 0 : f);
  self->updating = FALSE;
}

static void
on_devices_changed (GListModel *model, guint pos, guint removed, guint added,
                    NbCalibrationPage *self)
{
  fill_devices (self);
}

void
nb_cal_page_watch_devices (NbCalibrationPage *self, GListModel *devices)
{
  if (devices)
    {
      self->devices = g_object_ref (devices);
      g_signal_connect (self->devices, "items-changed", G_CALLBACK (on_devices_changed), self);
    }
  fill_devices (self);
}

static void
on_device_selected (AdwComboRow *row, GParamSpec *pspec, NbCalibrationPage *self)
{
  if (self->updating)
    return;
  guint i = adw_combo_row_get_selected (row);
  GPtrArray *uris = row == self->pen_row ? self->pen_uris : self->fixture_uris;
  AdwEntryRow *entry = row == self->pen_row ? self->pen_uri_row : self->fixture_uri_row;
  if (i < uris->len)
    gtk_editable_set_text (GTK_EDITABLE (entry), g_ptr_array_index (uris, i));
}

static const NbProfile *
profile_for (NbCalibrationPage *self, guint area_index, guint skin_index)
{
  GPtrArray *profiles = nb_calibration_get_profiles (self->cal);
  if (area_index >= self->areas->len)
    return NULL;
  const char *area = g_ptr_array_index (self->areas, area_index);
  if (g_str_has_prefix (area, "bench:"))
    return nb_profiles_find (profiles, area + strlen ("bench:"));
  const NbProfile *any = NULL;
  for (guint i = 0; i < profiles->len; i++)
    {
      const NbProfile *p = g_ptr_array_index (profiles, i);
      if (g_strcmp0 (p->area, area) != 0)
        continue;
      if (any == NULL || p->skin == (skin_index == 0 ? NB_SKIN_THIN : NB_SKIN_THICK))
        any = p;
    }
  return any;
}

static void
show_profile (NbCalibrationPage *self)
{
  const NbProfile *p = nb_calibration_get_profile (self->cal);
  if (p == NULL)
    return;
  g_autoptr (GString) s = g_string_new (NULL);
  for (guint i = 0; i < p->n_points; i++)
    g_string_append_printf (s, "%s%.2f", i ? ", " : "", p->points[i].depth_mm);
  g_string_append (s, _ (" mm at "));
  for (guint i = 0; i < p->n_rates; i++)
    g_string_append_printf (s, "%s%.0f", i ? ", " : "", p->rates_hz[i]);
  g_string_append_printf (s, _ (" Hz, ±%.2f mm, %u strokes a point"), p->points[0].tolerance_mm,
                          p->strokes_per_point);
  g_autofree char *sub = g_markup_escape_text (s->str, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->profile_row), p->title);
  adw_action_row_set_subtitle (self->profile_row, sub);
  g_autofree char *cap
      = nb_calibration_describe_cap (p, nb_calibration_get_fitzpatrick (self->cal));
  g_autofree char *cap_markup = g_markup_escape_text (cap, -1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->type_row), cap_markup);
  /* A thickness choice only where the area has both. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->skin_row), p->skin != NB_SKIN_ANY);
  g_autofree char *rule
      = g_strdup_printf (_ ("The profile's (%s)"), nb_profile_rule_to_string (p->rule));
  GListModel *rules = adw_combo_row_get_model (self->rule_row);
  if (GTK_IS_STRING_LIST (rules))
    {
      self->updating = TRUE;
      guint sel = adw_combo_row_get_selected (self->rule_row);
      gtk_string_list_splice (GTK_STRING_LIST (rules), 0, 1, (const char *const[]){ rule, NULL });
      adw_combo_row_set_selected (self->rule_row, sel);
      self->updating = FALSE;
    }
}

static void
on_profile_choice (GObject *row, GParamSpec *pspec, NbCalibrationPage *self)
{
  if (self->updating)
    return;
  const NbProfile *p = profile_for (self, adw_combo_row_get_selected (self->area_row),
                                    adw_combo_row_get_selected (self->skin_row));
  if (p)
    (void) nb_calibration_set_profile (self->cal, p->id);
  nb_calibration_set_fitzpatrick (self->cal, adw_combo_row_get_selected (self->type_row) + 1);
  show_profile (self);
}

static void
select_profile (NbCalibrationPage *self, const NbProfile *p)
{
  self->updating = TRUE;
  for (guint i = 0; i < self->areas->len; i++)
    {
      const char *a = g_ptr_array_index (self->areas, i);
      if ((p->area && g_str_equal (a, p->area))
          || (!p->area && g_str_has_prefix (a, "bench:") && g_str_equal (a + 6, p->id)))
        adw_combo_row_set_selected (self->area_row, i);
    }
  if (p->skin != NB_SKIN_ANY)
    adw_combo_row_set_selected (self->skin_row, p->skin == NB_SKIN_THIN ? 0 : 1);
  self->updating = FALSE;
  show_profile (self);
}

void
nb_cal_page_fill_profiles (NbCalibrationPage *self)
{
  GPtrArray *profiles = nb_calibration_get_profiles (self->cal);
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_set_size (self->areas, 0);
  for (guint i = 0; i < profiles->len; i++)
    {
      const NbProfile *p = g_ptr_array_index (profiles, i);
      char *key = p->area ? g_strdup (p->area) : g_strdup_printf ("bench:%s", p->id);
      if (index_of (self->areas, key) != GTK_INVALID_LIST_POSITION)
        {
          g_free (key);
          continue;
        }
      g_ptr_array_add (self->areas, key);
      const char *name = p->area ? nb_profile_area_name (p->area) : NULL;
      g_ptr_array_add (labels, p->area ? g_strdup (name ? _ (name) : p->area)
                                       : g_strdup_printf (_ ("Bench: %s"), p->title));
    }
  self->updating = TRUE;
  set_combo_strings (self->area_row, labels, 0);
  self->updating = FALSE;
  const NbProfile *p = nb_calibration_get_profile (self->cal);
  if (p)
    select_profile (self, p);
}

gboolean
nb_calibration_page_choose (NbCalibrationPage *self, const char *pen_uri, const char *fixture_uri,
                            const char *profile_id, guint type)
{
  gtk_editable_set_text (GTK_EDITABLE (self->pen_uri_row), pen_uri ? pen_uri : "");
  gtk_editable_set_text (GTK_EDITABLE (self->fixture_uri_row), fixture_uri ? fixture_uri : "");
  adw_combo_row_set_selected (self->type_row, CLAMP (type, 1, 6) - 1);
  if (!nb_calibration_set_profile (self->cal, profile_id))
    return FALSE;
  select_profile (self, nb_calibration_get_profile (self->cal));
  return TRUE;
}

const char *
nb_calibration_page_get_cap_text (NbCalibrationPage *self)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (self->type_row));
}

void
nb_cal_page_init_choices (NbCalibrationPage *self)
{
  g_autoptr (GPtrArray) skins = g_ptr_array_new ();
  g_ptr_array_add (skins, _ ("Thin"));
  g_ptr_array_add (skins, _ ("Thick"));
  set_combo_strings (self->skin_row, skins, 1);
  g_autoptr (GPtrArray) types = g_ptr_array_new_with_free_func (g_free);
  for (guint t = 1; t <= 6; t++)
    g_ptr_array_add (types, g_strdup_printf (_ ("Type %s"), nb_fitzpatrick_to_string (t)));
  set_combo_strings (self->type_row, types, 0);
  g_autoptr (GPtrArray) rules = g_ptr_array_new ();
  g_ptr_array_add (rules, _ ("The profile's"));
  g_ptr_array_add (rules, _ ("Simple acceptance"));
  g_ptr_array_add (rules, _ ("Guarded acceptance (w = U)"));
  g_ptr_array_add (rules, _ ("Non-binary (pass, conditional pass, conditional fail, fail)"));
  set_combo_strings (self->rule_row, rules, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->pen_uri_row), NB_CALIBRATION_SIM_PEN);
  gtk_editable_set_text (GTK_EDITABLE (self->fixture_uri_row), NB_CALIBRATION_SIM_FIXTURE);
  g_signal_connect (self->pen_row, "notify::selected", G_CALLBACK (on_device_selected), self);
  g_signal_connect (self->fixture_row, "notify::selected", G_CALLBACK (on_device_selected), self);
  g_signal_connect (self->area_row, "notify::selected", G_CALLBACK (on_profile_choice), self);
  g_signal_connect (self->skin_row, "notify::selected", G_CALLBACK (on_profile_choice), self);
  g_signal_connect (self->type_row, "notify::selected", G_CALLBACK (on_profile_choice), self);
}
