/* nb-sim-fixture-params.h: the parameters of a simulated reference fixture (protocol.md §11),
 * parsed from the `sim-fixture:key=value,...` device URI or from needlebench-sim's --fixture-KEY
 * options. Its errors are in micrometres, as a displacement sensor's datasheet gives them. Plain
 * struct. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *pen; /* sim-fixture: the serial of the in-process pen to mount on; NULL = the only one */
  char *serial;
  char *model;
  char *firmware;
  double noise_um;       /* the fixture's sensor noise, RMS */
  double offset_um;      /* its zero error: added to every reading */
  guint32 resolution_um; /* readings are whole multiples of it */
  guint32 seed;
} NbSimFixtureParams;

/* nb_sim_fixture_params_init_defaults: a good fixture (0.5 µm RMS, no offset, 1 µm resolution),
 * serial NB-FIX-SIM-0001. */
void nb_sim_fixture_params_init_defaults (NbSimFixtureParams *p);
void nb_sim_fixture_params_clear (NbSimFixtureParams *p);
/* nb_sim_fixture_params_copy: a deep copy of @src into @dest (not initialised before). */
void nb_sim_fixture_params_copy (NbSimFixtureParams *dest, const NbSimFixtureParams *src);

/* nb_sim_fixture_params_set: sets one key ("noise", "offset", "resolution", "serial", "model",
 * "firmware", "seed", "pen") from its text; NB_SIM_ERROR_INVALID_PARAM naming the key. */
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_sim_fixture_params_set (NbSimFixtureParams *p, const char *key, const char *value,
                                    GError **error);

/* nb_sim_fixture_params_parse: parses "key=value,key=value" (the part after "sim-fixture:"). */
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_sim_fixture_params_parse (NbSimFixtureParams *p, const char *spec, GError **error);

/* The keys, NULL-terminated, and a one-line description of each (for options and help). */
const char *const *nb_sim_fixture_params_keys (void);
const char *nb_sim_fixture_params_describe (const char *key);

G_END_DECLS
