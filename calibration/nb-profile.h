/* nb-profile.h: calibration profiles (data/profiles/ID.json, schema in docs/profiles.md): the
 * target depths with their tolerances, the rates, the strokes per point, the decision rule and the
 * conditions of a calibration, for one treatment area and skin thickness or for a bench check.
 * The Live page's treatment presets are derived from these (nb-presets.h): one table. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define NB_PROFILE_ERROR (nb_profile_error_quark ())

typedef enum
{
  NB_PROFILE_ERROR_PARSE,     /* not JSON, or not an object */
  NB_PROFILE_ERROR_MISSING,   /* a required field is absent */
  NB_PROFILE_ERROR_TYPE,      /* a field has the wrong JSON type */
  NB_PROFILE_ERROR_RANGE,     /* a number outside its allowed range */
  NB_PROFILE_ERROR_INVALID,   /* a value not allowed: unknown rule/area/skin/type, bad id, order */
  NB_PROFILE_ERROR_UNKNOWN,   /* a field the schema does not have (a typo, most likely) */
  NB_PROFILE_ERROR_DUPLICATE, /* two profiles with one id, or a repeated value in a list */
  NB_PROFILE_ERROR_NOT_FOUND, /* no profile with that id, or no profile directory */
} NbProfileError;

GQuark nb_profile_error_quark (void);

typedef enum
{
  NB_SKIN_THIN,
  NB_SKIN_THICK,
  NB_SKIN_ANY, /* the targets do not depend on thickness (scalp, bench profiles) */
} NbSkin;

typedef enum
{
  NB_PROFILE_RULE_SIMPLE,    /* ILAC-G8 simple acceptance */
  NB_PROFILE_RULE_GUARDED,   /* guarded acceptance, guard band w = U */
  NB_PROFILE_RULE_NONBINARY, /* pass / conditional pass / conditional fail / fail */
} NbProfileRule;

typedef struct
{
  double depth_mm;
  double tolerance_mm; /* ± half-width, > 0 */
} NbProfilePoint;

typedef struct
{
  double min;
  double max;
} NbProfileRange;

/* Fitzpatrick phototypes as bits: 1 << 1 is type I … 1 << 6 is type VI. */
#define NB_FITZPATRICK_BIT(type) (1u << (type))
#define NB_FITZPATRICK_ALL 0x7eu

typedef struct
{
  char *path; /* the file it was read from; NULL when read from memory */
  char *id;
  char *title;
  gint64 version;
  char *area; /* a treatment area id (nb_profile_area_name), NULL for a bench profile */
  NbSkin skin;
  guint fitzpatrick;      /* the phototypes it is indicated for (bits) */
  guint cap_types;        /* the phototypes the depth cap applies to (bits), 0 without a cap */
  double cap_depth_mm;    /* deepest target used for cap_types; NAN without a cap */
  NbProfilePoint *points; /* depths strictly increasing */
  guint n_points;
  double *rates_hz; /* strictly increasing; every point is measured at every rate */
  guint n_rates;
  double rate_tolerance_pct;
  guint strokes_per_point;
  double settle_s;
  NbProfileRule rule;
  guint interval_days;
  NbProfileRange temperature_c;
  NbProfileRange humidity_pct;
  char *rationale;
} NbProfile;

void nb_profile_free (NbProfile *profile);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbProfile, nb_profile_free)

/* The default tolerance of a point when neither it nor its profile says: ±0.15 mm, the one
 * published figure (Exceed, 510(k) K182407). */
#define NB_PROFILE_DEFAULT_TOLERANCE_MM 0.15

const char *nb_skin_to_string (NbSkin skin);                /* "thin", "thick", "any" */
const char *nb_profile_rule_to_string (NbProfileRule rule); /* "simple", "guarded", "nonbinary" */
/* nb_fitzpatrick_to_string: "I" … "VI" for 1 … 6, NULL otherwise. */
const char *nb_fitzpatrick_to_string (guint type);

/* nb_profile_area_name: the display name of a treatment area id ("cheek-chin" → "Cheek, chin"),
 * NULL for an id that is not one of the areas of domain.md. nb_profile_area_rank: its place in
 * that list (for ordering), G_MAXUINT when unknown. */
const char *nb_profile_area_name (const char *area);
guint nb_profile_area_rank (const char *area);

/* nb_profile_load: (transfer full) reads and validates the profile at @path. Its id must be the
 * file's name without ".json". Errors (NB_PROFILE_ERROR) read "PATH: FIELD: what is wrong", FIELD
 * a JSON path such as points[2].tolerance_mm. Unknown fields are rejected. */
NbProfile *nb_profile_load (const char *path, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_profile_load_data: (transfer full) the same from memory; @name stands for the file in error
 * messages (the id is not checked against it). */
NbProfile *nb_profile_load_data (const char *data, gssize length, const char *name,
                                 GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_profile_max_depth_for: the deepest target depth usable for Fitzpatrick @type (1–6): the cap
 * for a capped type, the last point's depth otherwise. */
double nb_profile_max_depth_for (const NbProfile *profile, guint type);

/* nb_profile_to_json: (transfer full) the profile as JSON, with the keys of its file (each point's
 * tolerance resolved) plus "path" and "area_name". */
JsonNode *nb_profile_to_json (const NbProfile *profile);

/* nb_profiles_search_path: (transfer full) the directories profiles are read from: those of
 * NB_PROFILES_PATH (':'-separated) when it is set, else the installed DATADIR/needlebench/profiles.
 */
GStrv nb_profiles_search_path (void);

/* nb_profiles_load_all: (transfer full) (element-type NbProfile) every *.json profile in @dirs
 * (NULL-terminated; NULL: nb_profiles_search_path ()), ordered: treatment profiles by area
 * (domain.md's order) and skin (thin, thick, any), then bench profiles by id. Fails on the first
 * malformed profile, on an id found twice (naming both files) and when no directory exists. */
GPtrArray *nb_profiles_load_all (const char *const *dirs, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_profiles_find: the profile with @id in @profiles, or NULL. */
NbProfile *nb_profiles_find (GPtrArray *profiles, const char *id);

G_END_DECLS
