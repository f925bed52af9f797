/* nb-sim-keys.h: the key=value tables behind the simulated pen's and the simulated fixture's
 * parameters (nb-sim-params.c, nb-sim-fixture-params.c): one parser for both, so a URI key is
 * checked the same way whichever device it configures. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  NB_SIM_KEY_DOUBLE,
  NB_SIM_KEY_UINT,   /* guint32, a whole number within [min, max] */
  NB_SIM_KEY_STRING, /* char *, at most max bytes (0: no limit) */
  NB_SIM_KEY_FLAG,   /* gboolean: no value, or 0/1, true/false */
} NbSimKeyKind;

typedef struct
{
  const char *key;
  NbSimKeyKind kind;
  gsize offset; /* of the field in the parameter struct */
  double min, max;
  const char *help;
} NbSimKey;

typedef struct
{
  const char *what; /* in messages: "simulated-pen", "simulated-fixture" */
  const NbSimKey *keys;
  gsize n_keys;
  /* private: the NULL-terminated key names, made once */
  const char **names;
  gsize names_once;
} NbSimKeyTable;

/* nb_sim_keys_find: the entry of @key, or NULL. */
const NbSimKey *nb_sim_keys_find (const NbSimKeyTable *table, const char *key);

/* nb_sim_keys_set: sets one key of the struct at @params from its text (NULL: no value);
 * NB_SIM_ERROR_INVALID_PARAM naming the key and what is wrong. */
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_sim_keys_set (const NbSimKeyTable *table, gpointer params, const char *key,
                          const char *value, GError **error);

/* nb_sim_keys_parse: "key=value,key,key=value" (empty items are skipped). */
G_GNUC_WARN_UNUSED_RESULT
gboolean nb_sim_keys_parse (const NbSimKeyTable *table, gpointer params, const char *spec,
                            GError **error);

/* nb_sim_keys_names: the keys, NULL-terminated, owned by @table. */
const char *const *nb_sim_keys_names (NbSimKeyTable *table);

/* nb_sim_keys_describe: the one-line help of @key ("" if unknown). */
const char *nb_sim_keys_describe (const NbSimKeyTable *table, const char *key);

G_END_DECLS
