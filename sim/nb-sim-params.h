/* nb-sim-params.h: every parameter and fault of a simulated pen, with defaults, parsed from the
 * `sim:key=value,...` device URI or from needlebench-sim's options. Plain struct. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NB_SIM_ERROR (nb_sim_error_quark ())
GQuark nb_sim_error_quark (void);

typedef enum
{
  NB_SIM_ERROR_INVALID_PARAM,
  NB_SIM_ERROR_EEPROM,
  NB_SIM_ERROR_PTY,
  NB_SIM_ERROR_STATUS_FILE,
  NB_SIM_ERROR_BUSY,      /* the pen already has a fixture mounted */
  NB_SIM_ERROR_NOT_FOUND, /* no (or no single) in-process pen to mount a fixture on */
} NbSimError;

typedef struct
{
  /* identity */
  char *serial;
  char *model;
  char *firmware;
  guint sample_rate_hz;

  /* per-unit errors (what calibration corrects) */
  double depth_offset_mm;  /* added to every stroke's peak */
  double depth_gain;       /* multiplies the commanded depth */
  double nonlinearity_mm;  /* bow at mid-range: +4·nl·x·(1-x), x = depth / depth_max */
  double rate_error;       /* fraction: actual rate = commanded × (1 + rate_error) */
  double noise_mm;         /* the pen's sensor noise, RMS */
  double sensor_offset_mm; /* the pen's sensor: added to what it reports, not to what it does */
  double sensor_gain;      /* the pen's sensor: multiplies the position it reports */
  double jitter_mm;        /* stroke-to-stroke depth scatter, RMS */
  double drift_mm;         /* thermal depth drift at the warm plateau */
  double rate_loss_mm;     /* depth lost at the top rate (above 120 Hz, quadratic) */
  double retract_mm;       /* tip position in the retracted dwell (negative) */

  /* simulation */
  guint32 seed;
  double time_scale; /* 2 = twice as fast as real time */
  char *eeprom;      /* file holding the stored calibration; NULL = memory only */
  char *status_file; /* file rewritten (atomically) on every motor/stream change; NULL = none */

  /* faults */
  double drop;               /* probability per sent byte of losing it */
  double flip;               /* probability per sent byte of flipping one bit */
  double stall_after_s;      /* link freezes after this many (simulated) seconds; < 0 = never */
  double disconnect_after_s; /* link closes after this many seconds; < 0 = never */
  double index_jump_after_s; /* the telemetry index jumps to 2^64 - 5000 then; < 0 = never */
  gboolean jam;              /* motor jams 0.5 s after each start */
  gboolean no_cartridge;
  gboolean reset_on_cal_write; /* pen resets on the first CAL_WRITE it receives */
  gboolean watchdog;           /* host watchdog (protocol.md §3.1); on by default */
} NbSimParams;

/* nb_sim_params_init_defaults: a realistic pen with small per-unit errors. */
void nb_sim_params_init_defaults (NbSimParams *p);
void nb_sim_params_clear (NbSimParams *p);

/* nb_sim_params_set: sets one key (as in the URI: "depth-offset", "seed", "jam", ...) from its
 * text value (NULL for flags given without a value). Clear error naming the key on bad input. */
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_sim_params_set (NbSimParams *p, const char *key, const char *value, GError **error);

/* nb_sim_params_parse: parses "key=value,key,key=value" (the part after "sim:"). */
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_sim_params_parse (NbSimParams *p, const char *spec, GError **error);

/* The keys nb_sim_params_set knows, NULL-terminated, for option tables and help. */
const char *const *nb_sim_params_keys (void);
/* TRUE for keys that take no value (faults such as "jam"). */
gboolean nb_sim_params_key_is_flag (const char *key);
/* One-line description of a key. */
const char *nb_sim_params_describe (const char *key);

G_END_DECLS
