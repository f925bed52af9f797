/* nb-target-picker.c: area and skin thickness, two dropdowns over the presets. */
#include "nb-target-picker.h"

#include <glib/gi18n.h>

struct _NbTargetPicker
{
  GtkBox parent_instance;
  GtkDropDown *area_dropdown, *skin_dropdown;

  GPtrArray *presets; /* NbPreset, owned */
  GStrv areas;        /* area ids, in the area dropdown's order after "None" */
  GPtrArray *skins;   /* the current area's presets (borrowed), the skin dropdown's order */
  const NbPreset *preset;
  double depth_mm;
  double pen_min_mm, pen_max_mm, pen_step_mm; /* max 0: no pen */
  NbUnits units;
  gboolean updating; /* the picker itself is changing a dropdown */
};

G_DEFINE_FINAL_TYPE (NbTargetPicker, nb_target_picker, GTK_TYPE_BOX)

enum
{
  SIGNAL_CHANGED,
  SIGNAL_MESSAGE,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static const char *
skin_name (NbSkin skin)
{
  switch (skin)
    {
    case NB_SKIN_THIN: return _ ("Thin skin");
    case NB_SKIN_THICK: return _ ("Thick skin");
    case NB_SKIN_ANY:
    default: return _ ("Any thickness");
    }
}

/* skin_label: "Thin skin, 0.250 ± 0.150 mm" or "Thick skin, 0.250–0.500 mm", in the units. */
static char *
skin_label (NbTargetPicker *self, const NbPreset *p)
{
  if (p->max_mm - p->min_mm < 1e-6)
    {
      g_autofree char *target = nb_units_format_number (self->units, p->min_mm);
      g_autofree char *tol = nb_units_format_depth (self->units, p->tolerance_mm);
      /* TRANSLATORS: skin thickness, then its single target depth ± tolerance */
      return g_strdup_printf (_ ("%s, %s ± %s"), skin_name (p->skin), target, tol);
    }
  g_autofree char *lo = nb_units_format_number (self->units, p->min_mm);
  g_autofree char *hi = nb_units_format_depth (self->units, p->max_mm);
  /* TRANSLATORS: skin thickness, then its range of target depths */
  return g_strdup_printf (_ ("%s, %s–%s"), skin_name (p->skin), lo, hi);
}

/* show_area: lists the skins of area @index (0: "None") and selects @skin_index; the dropdowns
 * change without anyone hearing of it. */
static void
show_area (NbTargetPicker *self, guint index, guint skin_index)
{
  self->updating = TRUE;
  gtk_drop_down_set_selected (self->area_dropdown, index);
  g_clear_pointer (&self->skins, g_ptr_array_unref);
  self->skins = index > 0 ? nb_presets_for_area (self->presets, self->areas[index - 1])
                          : g_ptr_array_new ();
  GtkStringList *labels = gtk_string_list_new (NULL);
  for (guint i = 0; i < self->skins->len; i++)
    {
      g_autofree char *label = skin_label (self, self->skins->pdata[i]);
      gtk_string_list_append (labels, label);
    }
  if (self->skins->len == 0)
    gtk_string_list_append (labels, _ ("No preset"));
  gtk_drop_down_set_model (self->skin_dropdown, G_LIST_MODEL (labels));
  g_object_unref (labels);
  gtk_drop_down_set_selected (self->skin_dropdown, MIN (skin_index, self->skins->len));
  gtk_widget_set_sensitive (GTK_WIDGET (self->skin_dropdown), self->skins->len > 1);
  self->updating = FALSE;
}

/* show_preset: the dropdowns as @preset (NULL: "None") says. */
static void
show_preset (NbTargetPicker *self, const NbPreset *preset)
{
  guint area = 0;
  for (guint i = 0; preset != NULL && self->areas[i] != NULL; i++)
    if (g_str_equal (self->areas[i], preset->area_id))
      area = i + 1;
  show_area (self, area, 0);
  for (guint i = 0; preset != NULL && i < self->skins->len; i++)
    if (self->skins->pdata[i] == preset)
      {
        self->updating = TRUE;
        gtk_drop_down_set_selected (self->skin_dropdown, i);
        self->updating = FALSE;
      }
}

/* apply: puts @preset (NULL: none) in force, mapped onto the pen; a preset the pen cannot do is
 * refused and the dropdowns go back to the one in force. */
static gboolean
apply (NbTargetPicker *self, const NbPreset *preset)
{
  double depth = 0;
  if (preset != NULL && self->pen_max_mm > 0)
    {
      g_autoptr (GError) error = NULL;
      if (!nb_preset_pen_depth (preset, self->pen_min_mm, self->pen_max_mm, self->pen_step_mm,
                                &depth, &error))
        {
          g_autofree char *text = g_strdup_printf (_ ("Preset refused: %s"), error->message);
          show_preset (self, self->preset);
          g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, text);
          return FALSE;
        }
    }
  else if (preset != NULL)
    depth = (preset->min_mm + preset->max_mm) / 2;
  self->preset = preset;
  self->depth_mm = depth;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

static void
on_area_selected (GtkDropDown *dropdown, GParamSpec *pspec, NbTargetPicker *self)
{
  if (self->updating)
    return;
  show_area (self, gtk_drop_down_get_selected (dropdown), 0);
  apply (self, self->skins->len ? self->skins->pdata[0] : NULL);
}

static void
on_skin_selected (GtkDropDown *dropdown, GParamSpec *pspec, NbTargetPicker *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  if (self->updating || i >= self->skins->len)
    return;
  apply (self, self->skins->pdata[i]);
}

void
nb_target_picker_set_pen (NbTargetPicker *self, double min_mm, double max_mm, double step_mm)
{
  self->pen_min_mm = min_mm;
  self->pen_max_mm = max_mm;
  self->pen_step_mm = step_mm;
  self->preset = NULL;
  show_area (self, 0, 0);
}

void
nb_target_picker_set_units (NbTargetPicker *self, NbUnits units)
{
  if (self->units == units)
    return;
  self->units = units;
  show_preset (self, self->preset);
}

const NbPreset *
nb_target_picker_get_preset (NbTargetPicker *self)
{
  return self->preset;
}

double
nb_target_picker_get_depth (NbTargetPicker *self)
{
  return self->depth_mm;
}

gboolean
nb_target_picker_choose (NbTargetPicker *self, const char *area_id, NbSkin skin)
{
  const NbPreset *p = area_id ? nb_presets_find (self->presets, area_id, skin) : NULL;
  if (area_id != NULL && p == NULL)
    return FALSE;
  show_preset (self, p);
  return apply (self, p) && self->preset == p;
}

static void
load (NbTargetPicker *self)
{
  g_autoptr (GError) error = NULL;
  /* The calibration profiles (a dozen small files): the CLI reads the same ones. */
  self->presets = nb_presets_load (NULL, &error);
  if (self->presets == NULL)
    {
      g_warning ("treatment presets: %s", error->message);
      self->presets = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_preset_free);
    }
  self->areas = nb_presets_dup_areas (self->presets);
  GtkStringList *labels = gtk_string_list_new (NULL);
  gtk_string_list_append (labels, _ ("None (the depth setting ± 0.15 mm)"));
  for (guint i = 0; self->areas[i] != NULL; i++)
    {
      g_autoptr (GPtrArray) skins = nb_presets_for_area (self->presets, self->areas[i]);
      gtk_string_list_append (labels, ((NbPreset *) skins->pdata[0])->area);
    }
  self->updating = TRUE;
  gtk_drop_down_set_model (self->area_dropdown, G_LIST_MODEL (labels));
  self->updating = FALSE;
  g_object_unref (labels);
  show_area (self, 0, 0);
}

static void
nb_target_picker_dispose (GObject *object)
{
  NbTargetPicker *self = NB_TARGET_PICKER (object);
  g_clear_pointer (&self->skins, g_ptr_array_unref);
  g_clear_pointer (&self->presets, g_ptr_array_unref);
  g_clear_pointer (&self->areas, g_strfreev);
  gtk_widget_dispose_template (GTK_WIDGET (object), NB_TYPE_TARGET_PICKER);
  G_OBJECT_CLASS (nb_target_picker_parent_class)->dispose (object);
}

static void
nb_target_picker_class_init (NbTargetPickerClass *klass)
{
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = nb_target_picker_dispose;
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_set_template_from_resource (wc,
                                               "/org/needlebench/NeedleBench/nb-target-picker.ui");
  gtk_widget_class_bind_template_child (wc, NbTargetPicker, area_dropdown);
  gtk_widget_class_bind_template_child (wc, NbTargetPicker, skin_dropdown);
}

static void
nb_target_picker_init (NbTargetPicker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  load (self);
  g_signal_connect (self->area_dropdown, "notify::selected", G_CALLBACK (on_area_selected), self);
  g_signal_connect (self->skin_dropdown, "notify::selected", G_CALLBACK (on_skin_selected), self);
}
