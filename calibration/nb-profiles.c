/* nb-profiles.c: the catalogue of calibration profiles (every *.json in the profile directories)
 * and a profile as JSON. */
#include "nb-profile.h"

#include <string.h>

#ifndef NB_PROFILES_DIR
#error "NB_PROFILES_DIR (the installed profile directory) comes from calibration/meson.build"
#endif

GStrv
nb_profiles_search_path (void)
{
  const char *env = g_getenv ("NB_PROFILES_PATH");
  if (env != NULL && *env != '\0')
    {
      g_auto (GStrv) parts = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);
      g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
      for (guint i = 0; parts[i]; i++)
        if (*parts[i])
          g_strv_builder_add (b, parts[i]);
      return g_strv_builder_end (b);
    }
  char *dirs[] = { (char *) NB_PROFILES_DIR, NULL };
  return g_strdupv (dirs);
}

NbProfile *
nb_profiles_find (GPtrArray *profiles, const char *id)
{
  for (guint i = 0; profiles && id && i < profiles->len; i++)
    {
      NbProfile *p = profiles->pdata[i];
      if (g_str_equal (p->id, id))
        return p;
    }
  return NULL;
}

static int
compare_profiles (gconstpointer a, gconstpointer b)
{
  const NbProfile *x = *(NbProfile *const *) a, *y = *(NbProfile *const *) b;
  /* Treatment profiles before bench ones; unknown areas cannot occur (the loader refuses them). */
  guint rx = x->area ? nb_profile_area_rank (x->area) : G_MAXUINT;
  guint ry = y->area ? nb_profile_area_rank (y->area) : G_MAXUINT;
  if (rx != ry)
    return rx < ry ? -1 : 1;
  if (x->skin != y->skin)
    return x->skin < y->skin ? -1 : 1;
  return strcmp (x->id, y->id);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static gboolean
load_dir (const char *dir, GPtrArray *profiles, GError **error)
{
  g_autoptr (GError) dir_error = NULL;
  g_autoptr (GDir) d = g_dir_open (dir, 0, &dir_error);
  if (d == NULL)
    {
      g_set_error (
          error, NB_PROFILE_ERROR, NB_PROFILE_ERROR_NOT_FOUND,
          "no profile directory: %s (NB_PROFILES_PATH lists the directories, see docs/profiles.md)",
          dir_error->message);
      return FALSE;
    }
  /* Sorted, so that which of two duplicates is named first does not depend on the file system. */
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  for (const char *name; (name = g_dir_read_name (d)) != NULL;)
    if (g_str_has_suffix (name, ".json") && name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, names->pdata[i], NULL);
      NbProfile *p = nb_profile_load (path, error);
      if (p == NULL)
        return FALSE;
      NbProfile *other = nb_profiles_find (profiles, p->id);
      if (other != NULL)
        {
          g_set_error (error, NB_PROFILE_ERROR, NB_PROFILE_ERROR_DUPLICATE,
                       "%s: id: “%s” is also the id of %s", path, p->id, other->path);
          nb_profile_free (p);
          return FALSE;
        }
      g_ptr_array_add (profiles, p);
    }
  return TRUE;
}

GPtrArray *
nb_profiles_load_all (const char *const *dirs, GError **error)
{
  g_auto (GStrv) fallback = dirs ? NULL : nb_profiles_search_path ();
  const char *const *list = dirs ? dirs : (const char *const *) fallback;
  g_autoptr (GPtrArray) profiles
      = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_profile_free);
  for (guint i = 0; list[i]; i++)
    if (!load_dir (list[i], profiles, error))
      return NULL;
  g_ptr_array_sort (profiles, compare_profiles);
  return g_steal_pointer (&profiles);
}

/* --- as JSON --------------------------------------------------------------------------------- */

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_double (JsonBuilder *b, const char *name, double value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, value);
}

static void
add_phototypes (JsonBuilder *b, const char *name, guint bits)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint t = 1; t <= 6; t++)
    if (bits & NB_FITZPATRICK_BIT (t))
      json_builder_add_string_value (b, nb_fitzpatrick_to_string (t));
  json_builder_end_array (b);
}

static void
add_range (JsonBuilder *b, const char *name, const NbProfileRange *r)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  add_double (b, "min", r->min);
  add_double (b, "max", r->max);
  json_builder_end_object (b);
}

JsonNode *
nb_profile_to_json (const NbProfile *p)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_string (b, "id", p->id);
  add_string (b, "title", p->title);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, p->version);
  add_string (b, "area", p->area);
  add_string (b, "area_name", nb_profile_area_name (p->area));
  add_string (b, "skin", nb_skin_to_string (p->skin));
  json_builder_set_member_name (b, "fitzpatrick");
  json_builder_begin_object (b);
  add_phototypes (b, "indicated", p->fitzpatrick);
  json_builder_set_member_name (b, "depth_cap");
  if (p->cap_types)
    {
      json_builder_begin_object (b);
      add_phototypes (b, "types", p->cap_types);
      add_double (b, "max_depth_mm", p->cap_depth_mm);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "points");
  json_builder_begin_array (b);
  for (guint i = 0; i < p->n_points; i++)
    {
      json_builder_begin_object (b);
      add_double (b, "depth_mm", p->points[i].depth_mm);
      add_double (b, "tolerance_mm", p->points[i].tolerance_mm);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "rates_hz");
  json_builder_begin_array (b);
  for (guint i = 0; i < p->n_rates; i++)
    json_builder_add_double_value (b, p->rates_hz[i]);
  json_builder_end_array (b);
  add_double (b, "rate_tolerance_pct", p->rate_tolerance_pct);
  json_builder_set_member_name (b, "strokes_per_point");
  json_builder_add_int_value (b, p->strokes_per_point);
  add_double (b, "settle_s", p->settle_s);
  add_string (b, "rule", nb_profile_rule_to_string (p->rule));
  json_builder_set_member_name (b, "interval_days");
  json_builder_add_int_value (b, p->interval_days);
  json_builder_set_member_name (b, "environment");
  json_builder_begin_object (b);
  add_range (b, "temperature_c", &p->temperature_c);
  add_range (b, "humidity_pct", &p->humidity_pct);
  json_builder_end_object (b);
  add_string (b, "rationale", p->rationale);
  add_string (b, "path", p->path);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
