/* nb-sim-fixture-params.c: defaults and key=value parsing of the simulated fixture's parameters. */
#include "nb-sim-fixture-params.h"

#include <string.h>

#include "nb-messages.h"
#include "nb-sim-keys.h"

#define OFF(field) G_STRUCT_OFFSET (NbSimFixtureParams, field)

static const NbSimKey keys[] = {
  { "pen", NB_SIM_KEY_STRING, OFF (pen), 0, NB_IDENTITY_STRING_MAX,
    "serial of the in-process simulated pen to mount on (sim-fixture: URIs)" },
  { "serial", NB_SIM_KEY_STRING, OFF (serial), 0, NB_IDENTITY_STRING_MAX,
    "the fixture's serial number (the one on its certificate)" },
  { "model", NB_SIM_KEY_STRING, OFF (model), 0, NB_IDENTITY_STRING_MAX,
    "the fixture's model name" },
  { "firmware", NB_SIM_KEY_STRING, OFF (firmware), 0, NB_IDENTITY_STRING_MAX,
    "the fixture's firmware version" },
  { "noise", NB_SIM_KEY_DOUBLE, OFF (noise_um), 0, 100, "the fixture's sensor noise, RMS (µm)" },
  { "offset", NB_SIM_KEY_DOUBLE, OFF (offset_um), -500, 500, "the fixture's zero error (µm)" },
  { "resolution", NB_SIM_KEY_UINT, OFF (resolution_um), 1, 100,
    "the fixture's resolution: readings are multiples of it (µm)" },
  { "seed", NB_SIM_KEY_UINT, OFF (seed), 0, G_MAXUINT32, "random seed of the fixture's noise" },
};

static NbSimKeyTable table = { "simulated-fixture", keys, G_N_ELEMENTS (keys) };

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

gboolean
nb_sim_fixture_params_set (NbSimFixtureParams *p, const char *key, const char *value,
                           GError **error)
{
  return nb_sim_keys_set (&table, p, key, value, error);
}

gboolean
nb_sim_fixture_params_parse (NbSimFixtureParams *p, const char *spec, GError **error)
{
  return nb_sim_keys_parse (&table, p, spec, error);
}

const char *const *
nb_sim_fixture_params_keys (void)
{
  return nb_sim_keys_names (&table);
}

const char *
nb_sim_fixture_params_describe (const char *key)
{
  return nb_sim_keys_describe (&table, key);
}
