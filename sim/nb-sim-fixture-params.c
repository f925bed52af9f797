/* nb-sim-fixture-params.c: defaults and key=value parsing of the simulated fixture's parameters. */
#include "nb-sim-fixture-params.h"

#include <math.h>
#include <string.h>

#include "nb-messages.h"
#include "nb-sim-params.h"

typedef enum
{
  KIND_DOUBLE,
  KIND_UINT,
  KIND_STRING,
} Kind;

typedef struct
{
  const char *key;
  Kind kind;
  gsize offset;
  double min, max;
  const char *help;
} Key;

#define OFF(field) G_STRUCT_OFFSET (NbSimFixtureParams, field)

static const Key keys[] = {
  { "pen", KIND_STRING, OFF (pen), 0, NB_IDENTITY_STRING_MAX,
    "serial of the in-process simulated pen to mount on (sim-fixture: URIs)" },
  { "serial", KIND_STRING, OFF (serial), 0, NB_IDENTITY_STRING_MAX,
    "the fixture's serial number (the one on its certificate)" },
  { "model", KIND_STRING, OFF (model), 0, NB_IDENTITY_STRING_MAX, "the fixture's model name" },
  { "firmware", KIND_STRING, OFF (firmware), 0, NB_IDENTITY_STRING_MAX,
    "the fixture's firmware version" },
  { "noise", KIND_DOUBLE, OFF (noise_um), 0, 100, "the fixture's sensor noise, RMS (µm)" },
  { "offset", KIND_DOUBLE, OFF (offset_um), -500, 500, "the fixture's zero error (µm)" },
  { "resolution", KIND_UINT, OFF (resolution_um), 1, 100,
    "the fixture's resolution: readings are multiples of it (µm)" },
  { "seed", KIND_UINT, OFF (seed), 0, G_MAXUINT32, "random seed of the fixture's noise" },
};

void
nb_sim_fixture_params_init_defaults (NbSimFixtureParams *p)
{
  memset (p, 0, sizeof *p);
  p->serial = g_strdup ("NB-FIX-SIM-0001");
  p->model = g_strdup ("NB-Fix 1 (simulated)");
  p->firmware = g_strdup ("1.0.0-sim");
  p->noise_um = 0.5;
  p->offset_um = 0;
  p->resolution_um = 1;
  p->seed = 1;
}

void
nb_sim_fixture_params_clear (NbSimFixtureParams *p)
{
  g_clear_pointer (&p->pen, g_free);
  g_clear_pointer (&p->serial, g_free);
  g_clear_pointer (&p->model, g_free);
  g_clear_pointer (&p->firmware, g_free);
}

void
nb_sim_fixture_params_copy (NbSimFixtureParams *dest, const NbSimFixtureParams *src)
{
  *dest = *src;
  dest->pen = g_strdup (src->pen);
  dest->serial = g_strdup (src->serial);
  dest->model = g_strdup (src->model);
  dest->firmware = g_strdup (src->firmware);
}

static const Key *
find_key (const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_str_equal (keys[i].key, key))
      return &keys[i];
  return NULL;
}

static gboolean invalid (GError **error, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError **error, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error_literal (error, NB_SIM_ERROR, NB_SIM_ERROR_INVALID_PARAM, msg);
  return FALSE;
}

gboolean
nb_sim_fixture_params_set (NbSimFixtureParams *p, const char *key, const char *value,
                           GError **error)
{
  const Key *k = find_key (key);
  if (k == NULL)
    return invalid (error, "unknown simulated-fixture key “%s”", key);
  if (value == NULL || *value == '\0')
    return invalid (error, "simulated-fixture key “%s” needs a value", key);
  guint8 *base = (guint8 *) p + k->offset;
  if (k->kind == KIND_STRING)
    {
      gsize len = strlen (value);
      if (len > k->max)
        return invalid (error, "simulated-fixture key “%s”: the value is %zu bytes, at most %g",
                        key, len, k->max);
      char **dest = (char **) base;
      g_free (*dest);
      *dest = g_strdup (value);
      return TRUE;
    }
  char *end = NULL;
  double v = g_ascii_strtod (value, &end);
  if (end == value || *end != '\0' || !isfinite (v))
    return invalid (error, "simulated-fixture key “%s”: “%s” is not a number", key, value);
  if (v < k->min || v > k->max)
    return invalid (error, "simulated-fixture key “%s”: %g is outside %g..%g", key, v, k->min,
                    k->max);
  if (k->kind == KIND_UINT)
    {
      if (v != floor (v))
        return invalid (error, "simulated-fixture key “%s”: %g is not a whole number", key, v);
      *(guint32 *) base = (guint32) v;
    }
  else
    *(double *) base = v;
  return TRUE;
}

gboolean
nb_sim_fixture_params_parse (NbSimFixtureParams *p, const char *spec, GError **error)
{
  if (spec == NULL || *spec == '\0')
    return TRUE;
  g_auto (GStrv) items = g_strsplit (spec, ",", -1);
  for (char **it = items; *it; it++)
    {
      if (**it == '\0')
        continue;
      char *eq = strchr (*it, '=');
      if (eq)
        *eq = '\0';
      if (!nb_sim_fixture_params_set (p, g_strstrip (*it), eq ? g_strstrip (eq + 1) : NULL, error))
        return FALSE;
    }
  return TRUE;
}

const char *const *
nb_sim_fixture_params_keys (void)
{
  static const char *names[G_N_ELEMENTS (keys) + 1];
  static gsize done = 0;
  if (g_once_init_enter (&done))
    {
      for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
        names[i] = keys[i].key;
      g_once_init_leave (&done, 1);
    }
  return names;
}

const char *
nb_sim_fixture_params_describe (const char *key)
{
  const Key *k = find_key (key);
  return k ? k->help : "";
}
