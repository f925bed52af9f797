/* nb-sim-keys.c: key=value parsing against a table of typed, range-checked keys. */
#include "nb-sim-keys.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "nb-sim-params.h"

const NbSimKey *
nb_sim_keys_find (const NbSimKeyTable *table, const char *key)
{
  for (gsize i = 0; i < table->n_keys; i++)
    if (g_str_equal (table->keys[i].key, key))
      return &table->keys[i];
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

static gboolean
set_flag (const NbSimKeyTable *t, const char *key, const char *value, gboolean *dest,
          GError **error)
{
  if (value == NULL || g_str_equal (value, "1") || g_str_equal (value, "true"))
    *dest = TRUE;
  else if (g_str_equal (value, "0") || g_str_equal (value, "false"))
    *dest = FALSE;
  else
    return invalid (error, "%s key “%s” takes no value or 0/1, not “%s”", t->what, key, value);
  return TRUE;
}

gboolean
nb_sim_keys_set (const NbSimKeyTable *t, gpointer params, const char *key, const char *value,
                 GError **error)
{
  const NbSimKey *k = nb_sim_keys_find (t, key);
  if (k == NULL)
    return invalid (error, "unknown %s key “%s”", t->what, key);
  guint8 *base = (guint8 *) params + k->offset;
  if (k->kind == NB_SIM_KEY_FLAG)
    return set_flag (t, key, value, (gboolean *) base, error);
  if (value == NULL || *value == '\0')
    return invalid (error, "%s key “%s” needs a value", t->what, key);
  if (k->kind == NB_SIM_KEY_STRING)
    {
      /* Refused, not cut: a pen that reports another serial than the one asked for would be a
       * different pen. max is in bytes, as the IDENTITY field is. */
      gsize len = strlen (value);
      if (k->max > 0 && len > k->max)
        return invalid (error, "%s key “%s”: the value is %zu bytes, at most %g allowed", t->what,
                        key, len, k->max);
      char **dest = (char **) base;
      g_free (*dest);
      *dest = g_strdup (value);
      return TRUE;
    }

  char *end = NULL;
  double v = g_ascii_strtod (value, &end);
  if (end == value || *end != '\0' || !isfinite (v))
    return invalid (error, "%s key “%s”: “%s” is not a number", t->what, key, value);
  if (v < k->min || v > k->max)
    return invalid (error, "%s key “%s”: %g is outside %g..%g", t->what, key, v, k->min, k->max);
  if (k->kind == NB_SIM_KEY_UINT)
    {
      if (v != floor (v))
        return invalid (error, "%s key “%s”: %g is not a whole number", t->what, key, v);
      *(guint32 *) base = (guint32) v;
    }
  else
    *(double *) base = v;
  return TRUE;
}

gboolean
nb_sim_keys_parse (const NbSimKeyTable *t, gpointer params, const char *spec, GError **error)
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
      if (!nb_sim_keys_set (t, params, g_strstrip (*it), eq ? g_strstrip (eq + 1) : NULL, error))
        return FALSE;
    }
  return TRUE;
}

const char *const *
nb_sim_keys_names (NbSimKeyTable *t)
{
  if (g_once_init_enter (&t->names_once))
    {
      const char **names = g_new0 (const char *, t->n_keys + 1);
      for (gsize i = 0; i < t->n_keys; i++)
        names[i] = t->keys[i].key;
      t->names = names; /* lives as long as the program, as the table does */
      g_once_init_leave (&t->names_once, 1);
    }
  return t->names;
}

const char *
nb_sim_keys_describe (const NbSimKeyTable *t, const char *key)
{
  const NbSimKey *k = nb_sim_keys_find (t, key);
  return k ? k->help : "";
}
