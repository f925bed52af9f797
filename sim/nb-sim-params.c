/* nb-sim-params.c: defaults and key=value parsing of the simulated pen's parameters. */
#include "nb-sim-params.h"

#include <math.h>
#include <string.h>

#include "nb-messages.h"

G_DEFINE_QUARK (nb - sim - error - quark, nb_sim_error)

typedef enum
{
  KIND_DOUBLE,
  KIND_UINT,
  KIND_STRING,
  KIND_FLAG
} Kind;

typedef struct
{
  const char *key;
  Kind kind;
  gsize offset;
  double min, max;
  const char *help;
} Key;

#define OFF(field) G_STRUCT_OFFSET (NbSimParams, field)

static const Key keys[] = {
  { "serial", KIND_STRING, OFF (serial), 0, NB_IDENTITY_STRING_MAX,
    "serial number reported by IDENTIFY" },
  { "model", KIND_STRING, OFF (model), 0, NB_IDENTITY_STRING_MAX, "model name" },
  { "firmware", KIND_STRING, OFF (firmware), 0, NB_IDENTITY_STRING_MAX, "firmware version" },
  { "sample-rate", KIND_UINT, OFF (sample_rate_hz), 10000, 100000, "telemetry samples per second" },
  { "depth-offset", KIND_DOUBLE, OFF (depth_offset_mm), -0.5, 0.5, "depth offset error (mm)" },
  { "depth-gain", KIND_DOUBLE, OFF (depth_gain), 0.5, 1.5, "depth gain error (factor)" },
  { "nonlinearity", KIND_DOUBLE, OFF (nonlinearity_mm), -0.5, 0.5, "mid-range depth bow (mm)" },
  { "rate-error", KIND_DOUBLE, OFF (rate_error), -0.2, 0.2, "puncture rate error (fraction)" },
  { "noise", KIND_DOUBLE, OFF (noise_mm), 0, 0.1, "sensor noise, RMS (mm)" },
  { "sensor-offset", KIND_DOUBLE, OFF (sensor_offset_mm), -0.5, 0.5,
    "offset of the pen's own sensor: changes what it reports, not what it delivers (mm)" },
  { "sensor-gain", KIND_DOUBLE, OFF (sensor_gain), 0.5, 1.5,
    "gain of the pen's own sensor: changes what it reports, not what it delivers (factor)" },
  { "jitter", KIND_DOUBLE, OFF (jitter_mm), 0, 0.1, "stroke-to-stroke depth scatter, RMS (mm)" },
  { "drift", KIND_DOUBLE, OFF (drift_mm), -0.2, 0.2, "thermal depth drift when warm (mm)" },
  { "rate-loss", KIND_DOUBLE, OFF (rate_loss_mm), 0, 0.5, "depth lost at the top rate (mm)" },
  { "retract", KIND_DOUBLE, OFF (retract_mm), -3, -0.3, "retracted tip position (mm)" },
  { "seed", KIND_UINT, OFF (seed), 0, G_MAXUINT32, "random seed (reproducible runs)" },
  { "time-scale", KIND_DOUBLE, OFF (time_scale), 0.01, 10000, "speed-up over real time" },
  { "eeprom", KIND_STRING, OFF (eeprom), 0, 0, "file holding the stored calibration" },
  { "status-file", KIND_STRING, OFF (status_file), 0, 0,
    "file the pen rewrites with its motor and stream state on every change" },
  { "drop", KIND_DOUBLE, OFF (drop), 0, 1, "probability per byte of dropping it" },
  { "flip", KIND_DOUBLE, OFF (flip), 0, 1, "probability per byte of flipping a bit" },
  { "stall", KIND_DOUBLE, OFF (stall_after_s), 0, 1e9, "link stalls after N seconds" },
  { "disconnect", KIND_DOUBLE, OFF (disconnect_after_s), 0, 1e9, "link drops after N seconds" },
  { "index-jump", KIND_DOUBLE, OFF (index_jump_after_s), 0, 1e9,
    "telemetry index jumps to 2^64-5000 after N seconds" },
  { "jam", KIND_FLAG, OFF (jam), 0, 1, "motor jams 0.5 s after start" },
  { "no-cartridge", KIND_FLAG, OFF (no_cartridge), 0, 1, "no cartridge inserted" },
  { "reset-on-cal-write", KIND_FLAG, OFF (reset_on_cal_write), 0, 1,
    "pen resets on the first CAL_WRITE" },
  { "watchdog", KIND_FLAG, OFF (watchdog), 0, 1,
    "stop the motor after 2 s without a host request (on; watchdog=0 turns it off)" },
};

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

static const Key *
find_key (const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_str_equal (keys[i].key, key))
      return &keys[i];
  return NULL;
}

gboolean
nb_sim_params_set (NbSimParams *p, const char *key, const char *value, GError **error)
{
  const Key *k = find_key (key);
  if (k == NULL)
    {
      g_set_error (error, NB_SIM_ERROR, NB_SIM_ERROR_INVALID_PARAM,
                   "unknown simulated-pen key “%s”", key);
      return FALSE;
    }
  guint8 *base = (guint8 *) p + k->offset;

  if (k->kind == KIND_FLAG)
    {
      gboolean on = TRUE;
      if (value != NULL && !g_str_equal (value, "1") && !g_str_equal (value, "true"))
        {
          if (g_str_equal (value, "0") || g_str_equal (value, "false"))
            on = FALSE;
          else
            {
              g_set_error (error, NB_SIM_ERROR, NB_SIM_ERROR_INVALID_PARAM,
                           "simulated-pen key “%s” takes no value or 0/1, not “%s”", key, value);
              return FALSE;
            }
        }
      *(gboolean *) base = on;
      return TRUE;
    }
  if (value == NULL || *value == '\0')
    {
      g_set_error (error, NB_SIM_ERROR, NB_SIM_ERROR_INVALID_PARAM,
                   "simulated-pen key “%s” needs a value", key);
      return FALSE;
    }
  if (k->kind == KIND_STRING)
    {
      /* Refused, not cut: a pen that reports another serial than the one asked for would be a
       * different pen. max is in bytes, as the IDENTITY field is. */
      gsize len = strlen (value);
      if (k->max > 0 && len > k->max)
        {
          g_set_error (error, NB_SIM_ERROR, NB_SIM_ERROR_INVALID_PARAM,
                       "simulated-pen key “%s”: the value is %zu bytes, at most %g allowed", key,
                       len, k->max);
          return FALSE;
        }
      char **dest = (char **) base;
      g_free (*dest);
      *dest = g_strdup (value);
      return TRUE;
    }

  char *end = NULL;
  double v = g_ascii_strtod (value, &end);
  if (end == value || *end != '\0' || !isfinite (v))
    {
      g_set_error (error, NB_SIM_ERROR, NB_SIM_ERROR_INVALID_PARAM,
                   "simulated-pen key “%s”: “%s” is not a number", key, value);
      return FALSE;
    }
  if (v < k->min || v > k->max)
    {
      g_set_error (error, NB_SIM_ERROR, NB_SIM_ERROR_INVALID_PARAM,
                   "simulated-pen key “%s”: %g is outside %g..%g", key, v, k->min, k->max);
      return FALSE;
    }
  if (k->kind == KIND_UINT)
    {
      if (v != floor (v))
        {
          g_set_error (error, NB_SIM_ERROR, NB_SIM_ERROR_INVALID_PARAM,
                       "simulated-pen key “%s”: %g is not a whole number", key, v);
          return FALSE;
        }
      *(guint32 *) base = (guint32) v;
    }
  else
    *(double *) base = v;
  return TRUE;
}

gboolean
nb_sim_params_parse (NbSimParams *p, const char *spec, GError **error)
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
      if (!nb_sim_params_set (p, g_strstrip (*it), eq ? g_strstrip (eq + 1) : NULL, error))
        return FALSE;
    }
  return TRUE;
}

const char *const *
nb_sim_params_keys (void)
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
nb_sim_params_describe (const char *key)
{
  const Key *k = find_key (key);
  return k ? k->help : "";
}

gboolean
nb_sim_params_key_is_flag (const char *key)
{
  const Key *k = find_key (key);
  return k != NULL && k->kind == KIND_FLAG;
}
