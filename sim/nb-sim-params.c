/* nb-sim-params.c: defaults and key=value parsing of the simulated pen's parameters. */
#include "nb-sim-params.h"

#include <string.h>

#include "nb-messages.h"
#include "nb-sim-keys.h"

G_DEFINE_QUARK (nb - sim - error - quark, nb_sim_error)

#define OFF(field) G_STRUCT_OFFSET (NbSimParams, field)

static const NbSimKey keys[] = {
  { "serial", NB_SIM_KEY_STRING, OFF (serial), 0, NB_IDENTITY_STRING_MAX,
    "serial number reported by IDENTIFY" },
  { "model", NB_SIM_KEY_STRING, OFF (model), 0, NB_IDENTITY_STRING_MAX, "model name" },
  { "firmware", NB_SIM_KEY_STRING, OFF (firmware), 0, NB_IDENTITY_STRING_MAX, "firmware version" },
  { "sample-rate", NB_SIM_KEY_UINT, OFF (sample_rate_hz), 10000, 100000,
    "telemetry samples per second" },
  { "depth-offset", NB_SIM_KEY_DOUBLE, OFF (depth_offset_mm), -0.5, 0.5,
    "depth offset error (mm)" },
  { "depth-gain", NB_SIM_KEY_DOUBLE, OFF (depth_gain), 0.5, 1.5, "depth gain error (factor)" },
  { "nonlinearity", NB_SIM_KEY_DOUBLE, OFF (nonlinearity_mm), -0.5, 0.5,
    "mid-range depth bow (mm)" },
  { "rate-error", NB_SIM_KEY_DOUBLE, OFF (rate_error), -0.2, 0.2,
    "puncture rate error (fraction)" },
  { "noise", NB_SIM_KEY_DOUBLE, OFF (noise_mm), 0, 0.1, "sensor noise, RMS (mm)" },
  { "sensor-offset", NB_SIM_KEY_DOUBLE, OFF (sensor_offset_mm), -0.5, 0.5,
    "offset of the pen's own sensor: changes what it reports, not what it delivers (mm)" },
  { "sensor-gain", NB_SIM_KEY_DOUBLE, OFF (sensor_gain), 0.5, 1.5,
    "gain of the pen's own sensor: changes what it reports, not what it delivers (factor)" },
  { "jitter", NB_SIM_KEY_DOUBLE, OFF (jitter_mm), 0, 0.1,
    "stroke-to-stroke depth scatter, RMS (mm)" },
  { "drift", NB_SIM_KEY_DOUBLE, OFF (drift_mm), -0.2, 0.2, "thermal depth drift when warm (mm)" },
  { "rate-loss", NB_SIM_KEY_DOUBLE, OFF (rate_loss_mm), 0, 0.5, "depth lost at the top rate (mm)" },
  { "retract", NB_SIM_KEY_DOUBLE, OFF (retract_mm), -3, -0.3, "retracted tip position (mm)" },
  { "seed", NB_SIM_KEY_UINT, OFF (seed), 0, G_MAXUINT32, "random seed (reproducible runs)" },
  { "time-scale", NB_SIM_KEY_DOUBLE, OFF (time_scale), 0.01, 10000, "speed-up over real time" },
  { "eeprom", NB_SIM_KEY_STRING, OFF (eeprom), 0, 0, "file holding the stored calibration" },
  { "status-file", NB_SIM_KEY_STRING, OFF (status_file), 0, 0,
    "file the pen rewrites with its motor and stream state on every change" },
  { "drop", NB_SIM_KEY_DOUBLE, OFF (drop), 0, 1, "probability per byte of dropping it" },
  { "flip", NB_SIM_KEY_DOUBLE, OFF (flip), 0, 1, "probability per byte of flipping a bit" },
  { "stall", NB_SIM_KEY_DOUBLE, OFF (stall_after_s), 0, 1e9, "link stalls after N seconds" },
  { "disconnect", NB_SIM_KEY_DOUBLE, OFF (disconnect_after_s), 0, 1e9,
    "link drops after N seconds" },
  { "index-jump", NB_SIM_KEY_DOUBLE, OFF (index_jump_after_s), 0, 1e9,
    "telemetry index jumps to 2^64-5000 after N seconds" },
  { "jam", NB_SIM_KEY_FLAG, OFF (jam), 0, 1, "motor jams 0.5 s after start" },
  { "no-cartridge", NB_SIM_KEY_FLAG, OFF (no_cartridge), 0, 1, "no cartridge inserted" },
  { "reset-on-cal-write", NB_SIM_KEY_FLAG, OFF (reset_on_cal_write), 0, 1,
    "pen resets on the first CAL_WRITE" },
  { "watchdog", NB_SIM_KEY_FLAG, OFF (watchdog), 0, 1,
    "stop the motor after 2 s without a host request (on; watchdog=0 turns it off)" },
};

static NbSimKeyTable table = { "simulated-pen", keys, G_N_ELEMENTS (keys) };

void
nb_sim_params_init_defaults (NbSimParams *p)
{
  memset (p, 0, sizeof *p);
  p->serial = g_strdup ("NB-SIM-0001");
  p->model = g_strdup ("NB-Pen 3 (simulated)");
  p->firmware = g_strdup ("1.4.2-sim");
  p->sample_rate_hz = 20000;
  p->depth_offset_mm = 0.04;
  p->depth_gain = 1.015;
  p->nonlinearity_mm = 0.005;
  p->rate_error = 0.012;
  p->noise_mm = 0.002;
  p->sensor_offset_mm = 0;
  p->sensor_gain = 1;
  p->jitter_mm = 0.003;
  p->drift_mm = 0.004;
  p->rate_loss_mm = 0.02;
  p->retract_mm = -1.0;
  p->seed = 1;
  p->time_scale = 1.0;
  p->stall_after_s = -1;
  p->disconnect_after_s = -1;
  p->index_jump_after_s = -1;
  p->watchdog = TRUE;
}

void
nb_sim_params_clear (NbSimParams *p)
{
  g_clear_pointer (&p->serial, g_free);
  g_clear_pointer (&p->model, g_free);
  g_clear_pointer (&p->firmware, g_free);
  g_clear_pointer (&p->eeprom, g_free);
  g_clear_pointer (&p->status_file, g_free);
}

gboolean
nb_sim_params_set (NbSimParams *p, const char *key, const char *value, GError **error)
{
  return nb_sim_keys_set (&table, p, key, value, error);
}

gboolean
nb_sim_params_parse (NbSimParams *p, const char *spec, GError **error)
{
  return nb_sim_keys_parse (&table, p, spec, error);
}

const char *const *
nb_sim_params_keys (void)
{
  return nb_sim_keys_names (&table);
}

const char *
nb_sim_params_describe (const char *key)
{
  return nb_sim_keys_describe (&table, key);
}

gboolean
nb_sim_params_key_is_flag (const char *key)
{
  const NbSimKey *k = nb_sim_keys_find (&table, key);
  return k != NULL && k->kind == NB_SIM_KEY_FLAG;
}
