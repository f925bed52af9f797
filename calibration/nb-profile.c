/* nb-profile.c: reads one calibration profile and checks every field against the schema of
 * docs/profiles.md, naming the field by its JSON path when something is wrong. */
#include "nb-profile.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdarg.h>

G_DEFINE_QUARK (nb - profile - error - quark, nb_profile_error)

/* Depths are compared to the µm: 0.1 + 0.2 and 0.3 are one depth. */
#define EPS_MM 1e-6
/* The deepest published pen setting (Dermapen 4, domain.md): a target beyond it is a mistake. */
#define MAX_DEPTH_MM 3.0

/* The treatment areas of domain.md, in its order (the Live page lists presets in this order). The
 * names stay English here (certificates and files are English); N_ () lists them for po/, and
 * the app shows them translated. */
static const struct
{
  const char *id;
  const char *name;
} areas[] = {
  { "eyes", N_ ("Around the eyes") },
  { "nose", N_ ("Nose") },
  { "upper-lip", N_ ("Upper lip") },
  { "forehead", N_ ("Forehead") },
  { "cheek-chin", N_ ("Cheek, chin") },
  { "facial-scarring", N_ ("Facial scarring (acne, post-traumatic)") },
  { "stretch-marks", N_ ("Stretch marks (body)") },
  { "scalp", N_ ("Scalp (alopecia)") },
};

static const char *const roman[] = { NULL, "I", "II", "III", "IV", "V", "VI" };
static const char *const skins[] = { "thin", "thick", "any" };
static const char *const rules[] = { "simple", "guarded", "nonbinary" };

void
nb_profile_free (NbProfile *profile)
{
  if (profile == NULL)
    return;
  g_free (profile->path);
  g_free (profile->id);
  g_free (profile->title);
  g_free (profile->area);
  g_free (profile->points);
  g_free (profile->rates_hz);
  g_free (profile->rationale);
  g_free (profile);
}

const char *
nb_skin_to_string (NbSkin skin)
{
  return (guint) skin < G_N_ELEMENTS (skins) ? skins[skin] : "any";
}

const char *
nb_profile_rule_to_string (NbProfileRule rule)
{
  return (guint) rule < G_N_ELEMENTS (rules) ? rules[rule] : "simple";
}

const char *
nb_fitzpatrick_to_string (guint type)
{
  return type >= 1 && type <= 6 ? roman[type] : NULL;
}

const char *
nb_profile_area_name (const char *area)
{
  guint rank = nb_profile_area_rank (area);
  return rank < G_N_ELEMENTS (areas) ? areas[rank].name : NULL;
}

guint
nb_profile_area_rank (const char *area)
{
  for (guint i = 0; area != NULL && i < G_N_ELEMENTS (areas); i++)
    if (g_str_equal (areas[i].id, area))
      return i;
  return G_MAXUINT;
}

double
nb_profile_max_depth_for (const NbProfile *profile, guint type)
{
  g_return_val_if_fail (profile != NULL && profile->n_points > 0, NAN);
  if (type <= 6 && (profile->cap_types & NB_FITZPATRICK_BIT (type)))
    return profile->cap_depth_mm;
  return profile->points[profile->n_points - 1].depth_mm;
}

/* --- checking fields ------------------------------------------------------------------------- */

typedef struct
{
  const char *file;
  GError **error;
} Ctx;

static gboolean G_GNUC_PRINTF (4, 5)
    fail (Ctx *c, NbProfileError code, const char *field, const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  g_autofree char *what = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_set_error (c->error, NB_PROFILE_ERROR, code, "%s: %s: %s", c->file, field, what);
  return FALSE;
}

static char *
field_path (const char *prefix, const char *name)
{
  return *prefix ? g_strdup_printf ("%s.%s", prefix, name) : g_strdup (name);
}

static const char *
json_type_name (JsonNode *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "an array";
  GType t = json_node_get_value_type (node);
  if (t == G_TYPE_STRING)
    return "a string";
  if (t == G_TYPE_BOOLEAN)
    return "a boolean";
  return t == G_TYPE_DOUBLE ? "a decimal number" : "a whole number";
}

/* A typo in a field name would otherwise silently leave its default in force. */
static gboolean
check_members (Ctx *c, JsonObject *obj, const char *prefix, const char *const *allowed)
{
  g_autoptr (GList) names = json_object_get_members (obj);
  for (GList *l = names; l; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        g_autofree char *f = field_path (prefix, l->data);
        return fail (c, NB_PROFILE_ERROR_UNKNOWN, f, "unknown field (see docs/profiles.md)");
      }
  return TRUE;
}

/* member: the node of @name, NULL when absent (an error when @required) or null (optional). */
static gboolean
member (Ctx *c, JsonObject *obj, const char *prefix, const char *name, gboolean required,
        JsonNode **out)
{
  JsonNode *node = json_object_get_member (obj, name);
  *out = NULL;
  if (node == NULL || (!required && JSON_NODE_HOLDS_NULL (node)))
    {
      if (!required)
        return TRUE;
      g_autofree char *f = field_path (prefix, name);
      return fail (c, NB_PROFILE_ERROR_MISSING, f, "missing");
    }
  *out = node;
  return TRUE;
}

static gboolean
wrong_type (Ctx *c, const char *field, JsonNode *node, const char *want)
{
  return fail (c, NB_PROFILE_ERROR_TYPE, field, "must be %s, not %s", want, json_type_name (node));
}

static gboolean
is_number (JsonNode *node)
{
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  GType t = json_node_get_value_type (node);
  return t == G_TYPE_INT64 || t == G_TYPE_DOUBLE;
}

/* number_value: @node as a number in [@lo, @hi] (or (@lo, @hi] when @lo_open). */
static gboolean
number_value (Ctx *c, const char *field, JsonNode *node, double lo, gboolean lo_open, double hi,
              const char *unit, double *out)
{
  if (!is_number (node))
    return wrong_type (c, field, node, "a number");
  double v = json_node_get_double (node);
  if (!isfinite (v) || (lo_open ? v <= lo : v < lo) || v > hi)
    {
      if (lo_open && hi == G_MAXDOUBLE)
        return fail (c, NB_PROFILE_ERROR_RANGE, field, "must be greater than %g%s (got %g)", lo,
                     unit, v);
      return fail (c, NB_PROFILE_ERROR_RANGE, field, "must be %s %g%s and at most %g%s (got %g)",
                   lo_open ? "greater than" : "at least", lo, unit, hi, unit, v);
    }
  *out = v;
  return TRUE;
}

static gboolean
get_number (Ctx *c, JsonObject *obj, const char *prefix, const char *name, double lo,
            gboolean lo_open, double hi, const char *unit, double *out)
{
  JsonNode *node;
  g_autofree char *f = field_path (prefix, name);
  return member (c, obj, prefix, name, TRUE, &node)
         && number_value (c, f, node, lo, lo_open, hi, unit, out);
}

static gboolean
get_int (Ctx *c, JsonObject *obj, const char *name, gint64 lo, gint64 hi, gint64 *out)
{
  JsonNode *node;
  if (!member (c, obj, "", name, TRUE, &node))
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return wrong_type (c, name, node, "a whole number");
  gint64 v = json_node_get_int (node);
  if (v < lo || v > hi)
    return fail (c, NB_PROFILE_ERROR_RANGE, name,
                 "must be at least %" G_GINT64_FORMAT " and at most %" G_GINT64_FORMAT
                 " (got %" G_GINT64_FORMAT ")",
                 lo, hi, v);
  *out = v;
  return TRUE;
}

static gboolean
get_string (Ctx *c, JsonObject *obj, const char *name, const char **out)
{
  JsonNode *node;
  if (!member (c, obj, "", name, TRUE, &node))
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return wrong_type (c, name, node, "a string");
  *out = json_node_get_string (node);
  g_autofree char *copy = g_strstrip (g_strdup (*out));
  if (*copy == '\0')
    return fail (c, NB_PROFILE_ERROR_INVALID, name, "must not be empty");
  return TRUE;
}

static gboolean
get_object (Ctx *c, JsonObject *obj, const char *prefix, const char *name, gboolean required,
            JsonObject **out)
{
  JsonNode *node;
  *out = NULL;
  if (!member (c, obj, prefix, name, required, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;
  g_autofree char *f = field_path (prefix, name);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (c, f, node, "an object");
  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
get_array (Ctx *c, JsonObject *obj, const char *prefix, const char *name, JsonArray **out)
{
  JsonNode *node;
  g_autofree char *f = field_path (prefix, name);
  if (!member (c, obj, prefix, name, TRUE, &node))
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (c, f, node, "an array");
  *out = json_node_get_array (node);
  if (json_array_get_length (*out) == 0)
    return fail (c, NB_PROFILE_ERROR_INVALID, f, "must not be empty");
  return TRUE;
}

/* choice: the index of @name's string value in @values. */
static gboolean
get_choice (Ctx *c, JsonObject *obj, const char *name, const char *const *values, guint n,
            guint *out)
{
  const char *s;
  if (!get_string (c, obj, name, &s))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (g_str_equal (values[i], s))
      {
        *out = i;
        return TRUE;
      }
  g_autoptr (GString) list = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", values[i]);
  return fail (c, NB_PROFILE_ERROR_INVALID, name, "unknown value “%s” (one of %s)", s, list->str);
}

/* --- the profile's parts --------------------------------------------------------------------- */

static gboolean
valid_id (const char *id)
{
  if (!g_ascii_islower (id[0]) && !g_ascii_isdigit (id[0]))
    return FALSE;
  gsize n = 0;
  for (const char *p = id; *p; p++, n++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
      return FALSE;
  return n <= 64;
}

static gboolean
read_area (Ctx *c, JsonObject *root, NbProfile *p)
{
  JsonNode *node;
  if (!member (c, root, "", "area", TRUE, &node))
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE; /* a bench profile */
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return wrong_type (c, "area", node, "a string or null");
  const char *area = json_node_get_string (node);
  if (nb_profile_area_name (area) == NULL)
    {
      g_autoptr (GString) list = g_string_new (NULL);
      for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
        g_string_append_printf (list, "%s, ", areas[i].id);
      return fail (c, NB_PROFILE_ERROR_INVALID, "area", "unknown area “%s” (one of %snull)", area,
                   list->str);
    }
  p->area = g_strdup (area);
  return TRUE;
}

/* phototypes: a non-empty list of distinct "I" … "VI" as bits. */
static gboolean
read_phototypes (Ctx *c, JsonObject *obj, const char *prefix, const char *name, guint *bits)
{
  JsonArray *arr;
  if (!get_array (c, obj, prefix, name, &arr))
    return FALSE;
  *bits = 0;
  for (guint i = 0; i < json_array_get_length (arr); i++)
    {
      JsonNode *node = json_array_get_element (arr, i);
      g_autofree char *base = field_path (prefix, name);
      g_autofree char *f = g_strdup_printf ("%s[%u]", base, i);
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return wrong_type (c, f, node, "a string (I to VI)");
      const char *s = json_node_get_string (node);
      guint type = 0;
      for (guint t = 1; t <= 6; t++)
        if (g_str_equal (roman[t], s))
          type = t;
      if (type == 0)
        return fail (c, NB_PROFILE_ERROR_INVALID, f,
                     "unknown Fitzpatrick type “%s” (one of I, II, III, IV, V, VI)", s);
      if (*bits & NB_FITZPATRICK_BIT (type))
        return fail (c, NB_PROFILE_ERROR_DUPLICATE, f, "type %s is listed twice", s);
      *bits |= NB_FITZPATRICK_BIT (type);
    }
  return TRUE;
}

static gboolean
read_fitzpatrick (Ctx *c, JsonObject *root, NbProfile *p)
{
  static const char *const fields[] = { "indicated", "depth_cap", NULL };
  static const char *const cap_fields[] = { "types", "max_depth_mm", NULL };
  JsonObject *fz, *cap;
  p->cap_depth_mm = NAN;
  if (!get_object (c, root, "", "fitzpatrick", TRUE, &fz)
      || !check_members (c, fz, "fitzpatrick", fields)
      || !read_phototypes (c, fz, "fitzpatrick", "indicated", &p->fitzpatrick)
      || !get_object (c, fz, "fitzpatrick", "depth_cap", FALSE, &cap))
    return FALSE;
  if (cap == NULL)
    return TRUE;
  const char *prefix = "fitzpatrick.depth_cap";
  if (!check_members (c, cap, prefix, cap_fields)
      || !read_phototypes (c, cap, prefix, "types", &p->cap_types)
      || !get_number (c, cap, prefix, "max_depth_mm", 0, TRUE, MAX_DEPTH_MM, " mm",
                      &p->cap_depth_mm))
    return FALSE;
  if (p->cap_types & ~p->fitzpatrick)
    return fail (c, NB_PROFILE_ERROR_INVALID, "fitzpatrick.depth_cap.types",
                 "caps a type the profile is not indicated for");
  /* A cap below every target leaves nothing to treat; one above every target caps nothing. */
  double first = p->points[0].depth_mm, last = p->points[p->n_points - 1].depth_mm;
  if (p->cap_depth_mm < first - EPS_MM || p->cap_depth_mm > last - EPS_MM)
    return fail (c, NB_PROFILE_ERROR_RANGE, "fitzpatrick.depth_cap.max_depth_mm",
                 "must be at least the first target (%g mm) and below the last (%g mm) (got %g)",
                 first, last, p->cap_depth_mm);
  return TRUE;
}

static gboolean
read_points (Ctx *c, JsonObject *root, NbProfile *p)
{
  static const char *const fields[] = { "depth_mm", "tolerance_mm", NULL };
  double default_tol = NB_PROFILE_DEFAULT_TOLERANCE_MM;
  JsonNode *node;
  if (!member (c, root, "", "tolerance_mm", FALSE, &node))
    return FALSE;
  if (node && !number_value (c, "tolerance_mm", node, 0, TRUE, 1.0, " mm", &default_tol))
    return FALSE;
  JsonArray *arr;
  if (!get_array (c, root, "", "points", &arr))
    return FALSE;
  p->n_points = json_array_get_length (arr);
  p->points = g_new0 (NbProfilePoint, p->n_points);
  for (guint i = 0; i < p->n_points; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("points[%u]", i);
      JsonNode *el = json_array_get_element (arr, i);
      if (!JSON_NODE_HOLDS_OBJECT (el))
        return wrong_type (c, prefix, el, "an object");
      JsonObject *pt = json_node_get_object (el);
      NbProfilePoint *pp = &p->points[i];
      pp->tolerance_mm = default_tol;
      if (!check_members (c, pt, prefix, fields)
          || !get_number (c, pt, prefix, "depth_mm", 0, TRUE, MAX_DEPTH_MM, " mm", &pp->depth_mm)
          || !member (c, pt, prefix, "tolerance_mm", FALSE, &node))
        return FALSE;
      g_autofree char *tf = field_path (prefix, "tolerance_mm");
      if (node && !number_value (c, tf, node, 0, TRUE, 1.0, " mm", &pp->tolerance_mm))
        return FALSE;
      if (i > 0 && pp->depth_mm <= p->points[i - 1].depth_mm + EPS_MM)
        {
          g_autofree char *f = field_path (prefix, "depth_mm");
          return fail (c, NB_PROFILE_ERROR_INVALID, f, "depths must increase (%g mm follows %g mm)",
                       pp->depth_mm, p->points[i - 1].depth_mm);
        }
    }
  return TRUE;
}

static gboolean
read_rates (Ctx *c, JsonObject *root, NbProfile *p)
{
  JsonArray *arr;
  if (!get_array (c, root, "", "rates_hz", &arr))
    return FALSE;
  p->n_rates = json_array_get_length (arr);
  p->rates_hz = g_new0 (double, p->n_rates);
  for (guint i = 0; i < p->n_rates; i++)
    {
      g_autofree char *f = g_strdup_printf ("rates_hz[%u]", i);
      /* 10 to 200 Hz brackets the published pens (about 50 to 150 Hz, domain.md). */
      if (!number_value (c, f, json_array_get_element (arr, i), 10, FALSE, 200, " Hz",
                         &p->rates_hz[i]))
        return FALSE;
      if (i > 0 && p->rates_hz[i] <= p->rates_hz[i - 1])
        return fail (c, NB_PROFILE_ERROR_INVALID, f, "rates must increase (%g Hz follows %g Hz)",
                     p->rates_hz[i], p->rates_hz[i - 1]);
    }
  return TRUE;
}

static gboolean
read_range (Ctx *c, JsonObject *env, const char *name, double lo, double hi, const char *unit,
            NbProfileRange *out)
{
  static const char *const fields[] = { "min", "max", NULL };
  g_autofree char *prefix = field_path ("environment", name);
  JsonObject *obj;
  if (!get_object (c, env, "environment", name, TRUE, &obj)
      || !check_members (c, obj, prefix, fields)
      || !get_number (c, obj, prefix, "min", lo, FALSE, hi, unit, &out->min)
      || !get_number (c, obj, prefix, "max", lo, FALSE, hi, unit, &out->max))
    return FALSE;
  if (out->max <= out->min)
    {
      g_autofree char *f = field_path (prefix, "max");
      return fail (c, NB_PROFILE_ERROR_INVALID, f, "must be above min (%g%s ≤ %g%s)", out->max,
                   unit, out->min, unit);
    }
  return TRUE;
}

static gboolean
read_profile (Ctx *c, JsonNode *root_node, NbProfile *p)
{
  static const char *const fields[] = { "format",
                                        "id",
                                        "title",
                                        "version",
                                        "area",
                                        "skin",
                                        "fitzpatrick",
                                        "tolerance_mm",
                                        "points",
                                        "rates_hz",
                                        "rate_tolerance_pct",
                                        "strokes_per_point",
                                        "settle_s",
                                        "rule",
                                        "interval_days",
                                        "environment",
                                        "rationale",
                                        NULL };
  static const char *const env_fields[] = { "temperature_c", "humidity_pct", NULL };
  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_set_error (c->error, NB_PROFILE_ERROR, NB_PROFILE_ERROR_PARSE,
                   "%s: a profile is a JSON object", c->file);
      return FALSE;
    }
  JsonObject *root = json_node_get_object (root_node);
  gint64 format, version, strokes, interval;
  const char *id, *title, *rationale;
  guint skin, rule;
  JsonObject *env;
  if (!check_members (c, root, "", fields) || !get_int (c, root, "format", 1, 1, &format)
      || !get_string (c, root, "id", &id))
    return FALSE;
  if (!valid_id (id))
    return fail (c, NB_PROFILE_ERROR_INVALID, "id",
                 "“%s” is not an id (lower-case letters, digits and '-', at most 64)", id);
  p->id = g_strdup (id);
  if (!get_string (c, root, "title", &title)
      || !get_int (c, root, "version", 1, G_MAXINT32, &version) || !read_area (c, root, p)
      || !get_choice (c, root, "skin", skins, G_N_ELEMENTS (skins), &skin))
    return FALSE;
  p->title = g_strdup (title);
  p->version = version;
  p->skin = skin;
  if (p->area == NULL && p->skin != NB_SKIN_ANY)
    return fail (c, NB_PROFILE_ERROR_INVALID, "skin", "a bench profile (area null) has skin “any”");
  if (!read_points (c, root, p) || !read_fitzpatrick (c, root, p) || !read_rates (c, root, p)
      || !get_number (c, root, "", "rate_tolerance_pct", 0, TRUE, 50, " %", &p->rate_tolerance_pct)
      || !get_int (c, root, "strokes_per_point", 2, 100000, &strokes)
      || !get_number (c, root, "", "settle_s", 0, FALSE, 600, " s", &p->settle_s)
      || !get_choice (c, root, "rule", rules, G_N_ELEMENTS (rules), &rule)
      || !get_int (c, root, "interval_days", 1, 3650, &interval)
      || !get_object (c, root, "", "environment", TRUE, &env)
      || !check_members (c, env, "environment", env_fields)
      || !read_range (c, env, "temperature_c", -20, 60, " °C", &p->temperature_c)
      || !read_range (c, env, "humidity_pct", 0, 100, " %", &p->humidity_pct)
      || !get_string (c, root, "rationale", &rationale))
    return FALSE;
  p->strokes_per_point = strokes;
  p->rule = rule;
  p->interval_days = interval;
  p->rationale = g_strdup (rationale);
  return TRUE;
}

NbProfile *
nb_profile_load_data (const char *data, gssize length, const char *name, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) parse_error = NULL;
  if (!json_parser_load_from_data (parser, data, length, &parse_error))
    {
      g_set_error (error, NB_PROFILE_ERROR, NB_PROFILE_ERROR_PARSE, "%s: not JSON: %s", name,
                   parse_error->message);
      return NULL;
    }
  g_autoptr (NbProfile) p = g_new0 (NbProfile, 1);
  Ctx c = { .file = name, .error = error };
  if (!read_profile (&c, json_parser_get_root (parser), p))
    return NULL;
  return g_steal_pointer (&p);
}

NbProfile *
nb_profile_load (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize length;
  g_autoptr (GError) read_error = NULL;
  if (!g_file_get_contents (path, &data, &length, &read_error))
    {
      g_set_error (error, NB_PROFILE_ERROR, NB_PROFILE_ERROR_NOT_FOUND, "%s", read_error->message);
      return NULL;
    }
  g_autoptr (NbProfile) p = nb_profile_load_data (data, (gssize) length, path, error);
  if (p == NULL)
    return NULL;
  /* `profile show ID` and a duplicate check by file name rely on the id naming the file. */
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *expected = g_strconcat (p->id, ".json", NULL);
  if (!g_str_equal (base, expected))
    {
      g_set_error (error, NB_PROFILE_ERROR, NB_PROFILE_ERROR_INVALID,
                   "%s: id: “%s” does not match the file name %s", path, p->id, base);
      return NULL;
    }
  p->path = g_strdup (path);
  return g_steal_pointer (&p);
}
