/* nb-presets.c: loads the treatment presets table and maps a preset onto a pen's settings. */
#include "nb-presets.h"

#include <json-glib/json-glib.h>
#include <math.h>

G_DEFINE_QUARK (nb - presets - error - quark, nb_presets_error)

/* No published indication goes beyond 3 mm; 10 mm catches a unit mistake (µm typed as mm). */
#define MAX_SANE_MM 10.0
/* Depths are compared in µm so that 0.1 + 0.2 and 0.3 are the same setting. */
#define EPS_MM 1e-6

void
nb_preset_free (NbPreset *preset)
{
  if (preset == NULL)
    return;
  g_free (preset->area_id);
  g_free (preset->area);
  g_free (preset);
}

const char *
nb_skin_to_string (NbSkin skin)
{
  return skin == NB_SKIN_THIN ? "thin" : "thick";
}

char *
nb_preset_dup_label (const NbPreset *preset)
{
  return g_strdup_printf ("%s, %s skin (%.2f–%.2f mm)", preset->area,
                          nb_skin_to_string (preset->skin), preset->min_mm, preset->max_mm);
}

static gboolean
read_range (JsonObject *area, const char *area_id, const char *skin, double *min_mm, double *max_mm,
            GError **error)
{
  JsonNode *node = json_object_get_member (area, skin);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, NB_PRESETS_ERROR, NB_PRESETS_ERROR_INVALID, "area “%s”: no “%s” object",
                   area_id, skin);
      return FALSE;
    }
  JsonObject *range = json_node_get_object (node);
  JsonNode *min_node = json_object_get_member (range, "min_mm");
  JsonNode *max_node = json_object_get_member (range, "max_mm");
  if (min_node == NULL || max_node == NULL || json_node_get_value_type (min_node) == G_TYPE_STRING
      || json_node_get_value_type (max_node) == G_TYPE_STRING || !JSON_NODE_HOLDS_VALUE (min_node)
      || !JSON_NODE_HOLDS_VALUE (max_node))
    {
      g_set_error (error, NB_PRESETS_ERROR, NB_PRESETS_ERROR_INVALID,
                   "area “%s”, %s skin: min_mm and max_mm must be numbers", area_id, skin);
      return FALSE;
    }
  *min_mm = json_node_get_double (min_node);
  *max_mm = json_node_get_double (max_node);
  if (!(isfinite (*min_mm) && isfinite (*max_mm) && *min_mm >= 0 && *max_mm <= MAX_SANE_MM
        && *min_mm <= *max_mm))
    {
      g_set_error (error, NB_PRESETS_ERROR, NB_PRESETS_ERROR_INVALID,
                   "area “%s”, %s skin: range %g..%g mm is not a depth range", area_id, skin,
                   *min_mm, *max_mm);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
nb_presets_load_data (const char *data, gssize length, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, length, error))
    {
      g_prefix_error (error, "treatment presets: ");
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  JsonNode *areas_node = NULL;
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    areas_node = json_object_get_member (json_node_get_object (root), "areas");
  if (areas_node == NULL || !JSON_NODE_HOLDS_ARRAY (areas_node))
    {
      g_set_error (error, NB_PRESETS_ERROR, NB_PRESETS_ERROR_INVALID,
                   "treatment presets: no “areas” array");
      return NULL;
    }
  JsonArray *areas = json_node_get_array (areas_node);
  g_autoptr (GPtrArray) presets = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_preset_free);
  for (guint i = 0; i < json_array_get_length (areas); i++)
    {
      JsonNode *node = json_array_get_element (areas, i);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, NB_PRESETS_ERROR, NB_PRESETS_ERROR_INVALID,
                       "treatment presets: area %u is not an object", i);
          return NULL;
        }
      JsonObject *area = json_node_get_object (node);
      const char *id = json_object_get_string_member_with_default (area, "id", NULL);
      const char *name = json_object_get_string_member_with_default (area, "name", NULL);
      if (id == NULL || name == NULL || *id == '\0' || *name == '\0')
        {
          g_set_error (error, NB_PRESETS_ERROR, NB_PRESETS_ERROR_INVALID,
                       "treatment presets: area %u needs an “id” and a “name”", i);
          return NULL;
        }
      for (NbSkin skin = NB_SKIN_THIN; skin <= NB_SKIN_THICK; skin++)
        {
          double min_mm, max_mm;
          if (!read_range (area, id, nb_skin_to_string (skin), &min_mm, &max_mm, error))
            {
              g_prefix_error (error, "treatment presets: ");
              return NULL;
            }
          NbPreset *p = g_new0 (NbPreset, 1);
          p->area_id = g_strdup (id);
          p->area = g_strdup (name);
          p->skin = skin;
          p->min_mm = min_mm;
          p->max_mm = max_mm;
          g_ptr_array_add (presets, p);
        }
    }
  return g_steal_pointer (&presets);
}

GPtrArray *
nb_presets_load_file (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize length;
  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  GPtrArray *presets = nb_presets_load_data (data, (gssize) length, error);
  if (presets == NULL)
    g_prefix_error (error, "%s: ", path);
  return presets;
}

gboolean
nb_preset_pen_depth (const NbPreset *preset, double pen_min_mm, double pen_max_mm,
                     double pen_step_mm, double *depth_mm, GError **error)
{
  g_return_val_if_fail (preset != NULL && depth_mm != NULL, FALSE);

  if (preset->min_mm < pen_min_mm - EPS_MM || preset->max_mm > pen_max_mm + EPS_MM)
    {
      g_autofree char *label = nb_preset_dup_label (preset);
      g_set_error (error, NB_PRESETS_ERROR, NB_PRESETS_ERROR_OUT_OF_RANGE,
                   "%s is outside this pen's range of %.2f–%.2f mm", label, pen_min_mm, pen_max_mm);
      return FALSE;
    }
  double mid = (preset->min_mm + preset->max_mm) / 2;
  if (!(pen_step_mm > 0))
    {
      *depth_mm = mid;
      return TRUE;
    }
  /* Pen settings are pen_min + k·step. Prefer one inside the preset's range, nearest its middle. */
  double k = round ((mid - pen_min_mm) / pen_step_mm);
  double k_lo = ceil ((preset->min_mm - pen_min_mm) / pen_step_mm - EPS_MM);
  double k_hi = floor ((preset->max_mm - pen_min_mm) / pen_step_mm + EPS_MM);
  if (k_lo <= k_hi)
    k = CLAMP (k, k_lo, k_hi);
  double depth = pen_min_mm + k * pen_step_mm;
  *depth_mm = CLAMP (depth, pen_min_mm, pen_max_mm);
  return TRUE;
}
