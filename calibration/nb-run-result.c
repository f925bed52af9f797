/* nb-run-result.c: the result of a calibration run and its JSON document (see nb-run-result.h).
 *
 * Figures are rounded to the precision the measurement has before they enter the tree, so any
 * printer that writes the shortest text reading back as the same double (the CLI's
 * nb_cli_json_to_text) prints 1.0592, not 1.0591999999999999: depths and depth uncertainties in mm
 * to 4 decimals (0.1 µm, the fixture's finest resolution), rates in Hz to 3 decimals (1 mHz, what
 * the protocol carries), k and Cpk to 2 decimals (as GUM Table G.2 gives k), ν_eff to 1 decimal,
 * the PFA to 4 significant digits (it spans many decades). The raw per-stroke readings
 * (strokes_mm / strokes_hz) are not rounded: they are the readings as measured, so the figures
 * recomputed from them are the figures printed. JSON has no NaN or infinity: a figure that is
 * not a finite number is null (an infinite ν_eff too; so is an infinite tolerance limit). */
#include "nb-run-result.h"
#include "nb-store-sync.h"

#include <math.h>
#include <string.h>

#include "nb-calibration-error.h"
#include "nb-store-standards.h"

#define MM_DECIMALS 4
#define HZ_DECIMALS 3
#define K_DECIMALS 2
#define NU_DECIMALS 1
#define PFA_DIGITS 4

const char *
nb_run_not_traceable_reason (gboolean traceable, const char *fixture_serial)
{
  if (traceable)
    return NULL;
  return fixture_serial ? "not traceable: no reference standard in force for the fixture"
                        : "not traceable: pen self-check";
}

/* --- new / free --- */

NbRunPoint *
nb_run_point_new (void)
{
  NbRunPoint *p = g_new0 (NbRunPoint, 1);
  p->target = p->depth_mm = p->rate_hz = p->pen_mean = NAN;
  p->result.pfa = p->result.cpk = NAN;
  p->reference = g_array_new (FALSE, FALSE, sizeof (double));
  p->pen = g_array_new (FALSE, FALSE, sizeof (double));
  return p;
}

void
nb_run_point_free (NbRunPoint *point)
{
  if (point == NULL)
    return;
  g_array_unref (point->reference);
  g_array_unref (point->pen);
  g_free (point);
}

NbRunPhaseResult *
nb_run_phase_result_new (void)
{
  NbRunPhaseResult *phase = g_new0 (NbRunPhaseResult, 1);
  phase->depth = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_run_point_free);
  phase->rate = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_run_point_free);
  return phase;
}

void
nb_run_phase_result_free (NbRunPhaseResult *phase)
{
  if (phase == NULL)
    return;
  g_ptr_array_unref (phase->depth);
  g_ptr_array_unref (phase->rate);
  g_free (phase);
}

NbRunResult *
nb_run_result_new (void)
{
  NbRunResult *r = g_new0 (NbRunResult, 1);
  r->standard_U_mm = r->standard_k = NAN;
  r->traceable = TRUE;
  r->adjust = TRUE;
  r->status = NB_RUN_RUNNING;
  return r;
}

void
nb_run_result_free (NbRunResult *result)
{
  if (result == NULL)
    return;
  g_free (result->profile_id);
  g_free (result->pen_serial);
  g_free (result->pen_model);
  g_free (result->pen_firmware);
  g_free (result->fixture_serial);
  g_free (result->fixture_model);
  g_free (result->standard_certificate);
  g_free (result->standard_due);
  g_free (result->operator_name);
  g_free (result->error);
  nb_run_phase_result_free (result->as_found);
  nb_run_phase_result_free (result->as_left);
  g_free (result);
}

/* --- numbers --- */

static double
round_to (double value, int decimals)
{
  double scale = pow (10.0, decimals);
  double r = round (value * scale) / scale;
  if (!isfinite (r))
    return value; /* value · scale overflowed: a number that large has no digits to round */
  return r == 0.0 ? 0.0 : r; /* no -0 */
}

static void
add_fixed (JsonBuilder *b, const char *name, double value, int decimals)
{
  json_builder_set_member_name (b, name);
  if (isfinite (value))
    json_builder_add_double_value (b, round_to (value, decimals));
  else
    json_builder_add_null_value (b);
}

/* @value to @digits significant digits, by the C library's own decimal rounding */
static void
add_significant (JsonBuilder *b, const char *name, double value, int digits)
{
  json_builder_set_member_name (b, name);
  if (!isfinite (value))
    {
      json_builder_add_null_value (b);
      return;
    }
  char format[8], buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_snprintf (format, sizeof format, "%%.%dg", digits);
  json_builder_add_double_value (
      b, g_ascii_strtod (g_ascii_formatd (buf, sizeof buf, format, value), NULL));
}

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_bool (JsonBuilder *b, const char *name, gboolean value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

/* ISO 8601 in UTC to the second ("2026-12-02T13:21:28Z"); null for 0 (not yet, or never). */
static void
add_time (JsonBuilder *b, const char *name, gint64 unix_us)
{
  g_autoptr (GDateTime) t
      = unix_us > 0 ? g_date_time_new_from_unix_utc (unix_us / G_USEC_PER_SEC) : NULL;
  g_autofree char *text = t != NULL ? g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ") : NULL;
  add_string (b, name, text);
}

/* --- the document --- */

static void
add_strokes (JsonBuilder *b, const char *name, const GArray *x)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < x->len; i++)
    {
      double v = g_array_index (x, double, i);
      if (isfinite (v))
        json_builder_add_double_value (b, v);
      else
        json_builder_add_null_value (b);
    }
  json_builder_end_array (b);
}

/* one as_found / as_left entry; @unit is "mm" or "hz" */
static void
add_entry (JsonBuilder *b, const char *name, const NbRunPoint *p, gboolean rate, gboolean raw)
{
  json_builder_set_member_name (b, name);
  if (p == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  const NbPointResult *r = &p->result;
  int d = rate ? HZ_DECIMALS : MM_DECIMALS;
  json_builder_begin_object (b);
  add_int (b, "n", (gint64) r->stats.n);
  add_fixed (b, rate ? "mean_hz" : "mean_mm", r->stats.mean, d);
  add_fixed (b, rate ? "sd_hz" : "sd_mm", r->stats.sd, d);
  add_fixed (b, rate ? "error_hz" : "error_mm", r->stats.error, d);
  add_fixed (b, rate ? "u_hz" : "u_mm", r->uncertainty.u_c, d);
  add_fixed (b, rate ? "U_hz" : "U_mm", r->uncertainty.U, d);
  add_fixed (b, "k", r->uncertainty.k, K_DECIMALS);
  add_fixed (b, "nu_eff", r->uncertainty.nu_eff, NU_DECIMALS);
  add_string (b, "verdict", nb_verdict_to_string (r->verdict));
  add_significant (b, "pfa", r->pfa, PFA_DIGITS);
  add_fixed (b, "cpk", r->cpk, K_DECIMALS);
  json_builder_set_member_name (b, "tolerance");
  json_builder_begin_object (b);
  add_fixed (b, "lower", r->tolerance.lower, d);
  add_fixed (b, "upper", r->tolerance.upper, d);
  json_builder_end_object (b);
  if (raw)
    add_strokes (b, rate ? "strokes_hz" : "strokes_mm", p->reference);
  json_builder_end_object (b);
}

static const NbRunPoint *
point_at (const NbRunPhaseResult *phase, gboolean rate, guint i)
{
  if (phase == NULL)
    return NULL;
  GPtrArray *list = rate ? phase->rate : phase->depth;
  return i < list->len ? g_ptr_array_index (list, i) : NULL;
}

/* points / rate_points: entry i pairs as-found point i with as-left point i (null when the run
 * has none: --no-adjust, or it ended before) */
static void
add_points (JsonBuilder *b, const NbRunResult *result, gboolean rate, gboolean raw)
{
  json_builder_set_member_name (b, rate ? "rate_points" : "points");
  json_builder_begin_array (b);
  for (guint i = 0;; i++)
    {
      const NbRunPoint *found = point_at (result->as_found, rate, i);
      const NbRunPoint *left = point_at (result->as_left, rate, i);
      if (found == NULL && left == NULL)
        break;
      const NbRunPoint *any = found != NULL ? found : left;
      json_builder_begin_object (b);
      if (rate)
        add_fixed (b, "target_hz", any->target, HZ_DECIMALS);
      else
        {
          add_fixed (b, "target_mm", any->target, MM_DECIMALS);
          add_fixed (b, "rate_hz", any->rate_hz, HZ_DECIMALS);
        }
      add_entry (b, "as_found", found, rate, raw);
      add_entry (b, "as_left", left, rate, raw);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* indication: the pen's own mean against the reference's at every depth point where the pen's
 * readings were paired (none in a self-check: there the pen is the reference) */
static void
add_indication (JsonBuilder *b, const NbRunResult *result)
{
  json_builder_set_member_name (b, "indication");
  json_builder_begin_array (b);
  const NbRunPhaseResult *phases[] = { result->as_found, result->as_left };
  for (guint ph = 0; ph < G_N_ELEMENTS (phases); ph++)
    for (guint i = 0; phases[ph] != NULL && i < phases[ph]->depth->len; i++)
      {
        const NbRunPoint *p = g_ptr_array_index (phases[ph]->depth, i);
        if (!isfinite (p->pen_mean))
          continue;
        json_builder_begin_object (b);
        add_fixed (b, "target_mm", p->target, MM_DECIMALS);
        add_fixed (b, "rate_hz", p->rate_hz, HZ_DECIMALS);
        add_string (
            b, "phase",
            nb_run_phase_to_string (ph == 0 ? NB_RUN_PHASE_AS_FOUND : NB_RUN_PHASE_AS_LEFT));
        add_fixed (b, "pen_mean_mm", p->pen_mean, MM_DECIMALS);
        add_fixed (b, "reference_mean_mm", p->result.stats.mean, MM_DECIMALS);
        /* rounded once, from the unrounded means */
        add_fixed (b, "error_mm", p->pen_mean - p->result.stats.mean, MM_DECIMALS);
        json_builder_end_object (b);
      }
  json_builder_end_array (b);
}

static void
add_table (JsonBuilder *b, const char *name, gboolean has, const NbCalTable *t)
{
  json_builder_set_member_name (b, name);
  if (!has)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  add_int (b, "rate_correction_ppm", t->rate_correction_ppm);
  add_time (b, "calibrated_at", (gint64) t->calibrated_at * G_USEC_PER_SEC);
  add_string (b, "certificate", t->certificate[0] != '\0' ? t->certificate : NULL);
  json_builder_set_member_name (b, "points");
  json_builder_begin_array (b);
  for (guint i = 0; i < t->n_points && i < NB_CAL_MAX_POINTS; i++)
    {
      json_builder_begin_object (b);
      /* the table holds whole µm: 3 decimals in mm is all it has */
      add_fixed (b, "depth_mm", t->points[i].depth_um / 1000.0, 3);
      add_fixed (b, "correction_mm", t->points[i].correction_um / 1000.0, 3);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

/* the members every document has, from the run's record or its result */
typedef struct
{
  gint64 run_id;
  const char *profile_id;
  gint64 profile_version;
  const char *pen_serial, *pen_model, *pen_firmware;
  const char *fixture_serial, *fixture_model;
} Head;

static void
add_head (JsonBuilder *b, const Head *h)
{
  json_builder_set_member_name (b, "run");
  if (h->run_id > 0)
    json_builder_add_int_value (b, h->run_id);
  else
    json_builder_add_null_value (b);
  add_string (b, "profile", h->profile_id);
  add_int (b, "profile_version", h->profile_version);
  add_string (b, "serial", h->pen_serial);
  json_builder_set_member_name (b, "pen");
  json_builder_begin_object (b);
  add_string (b, "model", h->pen_model);
  add_string (b, "firmware", h->pen_firmware);
  json_builder_end_object (b);
  add_string (b, "fixture", h->fixture_serial);
  add_string (b, "fixture_model", h->fixture_model);
}

JsonNode *
nb_run_result_to_json (const NbRunResult *r, gboolean raw)
{
  g_return_val_if_fail (r != NULL, NULL);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  Head h = { r->run_id,    r->profile_id,   r->profile_version, r->pen_serial,
             r->pen_model, r->pen_firmware, r->fixture_serial,  r->fixture_model };
  add_head (b, &h);
  json_builder_set_member_name (b, "standard");
  if (r->standard_certificate != NULL)
    {
      json_builder_begin_object (b);
      add_string (b, "certificate", r->standard_certificate);
      add_fixed (b, "U_mm", r->standard_U_mm, MM_DECIMALS);
      add_fixed (b, "k", r->standard_k, K_DECIMALS);
      add_string (b, "due", r->standard_due);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  add_string (b, "rule", nb_decision_rule_to_string (r->rule));
  add_bool (b, "traceable", r->traceable);
  add_string (b, "not_traceable_reason",
              nb_run_not_traceable_reason (r->traceable, r->fixture_serial));
  add_bool (b, "adjusted", r->adjusted);
  add_string (b, "status", nb_run_status_to_string (r->status));
  add_string (b, "verdict", r->has_verdict ? nb_verdict_to_string (r->verdict) : NULL);
  add_string (b, "error", r->error);
  add_string (b, "operator", r->operator_name);
  add_time (b, "started_at", r->started_at);
  add_time (b, "ended_at", r->ended_at);
  add_table (b, "table_before", r->has_table_before, &r->table_before);
  add_table (b, "table_after", r->has_table_after, &r->table_after);
  add_points (b, r, FALSE, raw);
  add_points (b, r, TRUE, raw);
  add_indication (b, r);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* --- storing a point --- */

gint64
nb_run_result_store_point (NbStore *store, gint64 run_id, const NbRunPoint *point, NbRunPhase phase,
                           NbRunQuantity quantity, guint seq, GError **error)
{
  g_return_val_if_fail (point != NULL, 0);
  const NbPointResult *r = &point->result;
  NbStoreRunPoint sp = { .phase = phase,
                         .quantity = quantity,
                         .seq = seq,
                         .target = point->target,
                         .depth_mm = point->depth_mm,
                         .rate_hz = point->rate_hz,
                         .n = (guint) r->stats.n,
                         .mean = r->stats.mean,
                         .sd = r->stats.sd,
                         .error = r->stats.error,
                         .u = r->uncertainty.u_c,
                         .U = r->uncertainty.U,
                         .k = r->uncertainty.k,
                         .nu_eff = r->uncertainty.nu_eff,
                         .verdict = nb_verdict_to_string (r->verdict),
                         .pfa = r->pfa,
                         .pen_mean = point->pen_mean };
  guint n = point->reference->len;
  g_autofree NbStoreRunStroke *strokes = g_new (NbStoreRunStroke, MAX (n, 1));
  gboolean paired = point->pen->len == n;
  for (guint i = 0; i < n; i++)
    {
      strokes[i].reference = g_array_index (point->reference, double, i);
      strokes[i].pen = paired ? g_array_index (point->pen, double, i) : NAN;
    }
  return nb_store_add_run_point (store, run_id, &sp, strokes, n, error);
}

/* --- the stored document --- */

/* json-glib's parser reads a whole number (json-glib prints 100.0 as "100") as an integer:
 * every figure but these counts is made a double again, so the document is the one made. */
static gboolean
is_integer_member (const char *name)
{
  static const char *const names[] = { "run", "n", "profile_version", "rate_correction_ppm", NULL };
  return name != NULL && g_strv_contains (names, name);
}

static void
restore_doubles (JsonNode *node, const char *member)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *o = json_node_get_object (node);
        g_autoptr (GList) members = json_object_get_members (o);
        for (GList *m = members; m != NULL; m = m->next)
          restore_doubles (json_object_get_member (o, m->data), m->data);
        break;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *a = json_node_get_array (node);
        for (guint i = 0; i < json_array_get_length (a); i++)
          restore_doubles (json_array_get_element (a, i), member);
        break;
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_INT64 && !is_integer_member (member))
        json_node_set_double (node, (double) json_node_get_int (node));
      break;
    case JSON_NODE_NULL:
    default: break;
    }
}

static gboolean
decode_table (NbStore *store, gint64 run_id, const char *which, NbCalTable *table)
{
  g_autoptr (GBytes) bytes = nb_store_get_run_table (store, run_id, which, NULL);
  if (bytes == NULL)
    return FALSE;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  return nb_cal_table_decode (data, len, table, NULL);
}

/* The document of a run that has none (its process died, or it closed without one), from its
 * record: no figures, the status and error as recorded. */
static JsonNode *
document_from_record (NbStore *store, const NbStoreRun *run)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  Head h = { run->id,        run->profile_id,   run->profile_version, run->pen_serial,
             run->pen_model, run->pen_firmware, run->fixture_serial,  run->fixture_model };
  add_head (b, &h);
  const NbStoreStandard *std = NULL;
  g_autoptr (GPtrArray) standards
      = run->standard_id != 0 ? nb_store_list_standards (store, FALSE, NULL) : NULL;
  for (guint i = 0; standards != NULL && i < standards->len; i++)
    if (((NbStoreStandard *) standards->pdata[i])->id == run->standard_id)
      std = standards->pdata[i];
  json_builder_set_member_name (b, "standard");
  if (std != NULL)
    {
      json_builder_begin_object (b);
      add_string (b, "certificate", std->certificate);
      add_fixed (b, "U_mm", std->uncertainty_mm, MM_DECIMALS);
      add_fixed (b, "k", std->k, K_DECIMALS);
      add_string (b, "due", std->due);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  add_string (b, "rule", run->rule);
  add_bool (b, "traceable", run->traceable);
  add_string (b, "not_traceable_reason",
              nb_run_not_traceable_reason (run->traceable, run->fixture_serial));
  add_bool (b, "adjusted", FALSE);
  add_string (b, "status", nb_run_status_to_string (run->status));
  add_string (b, "verdict", run->verdict);
  add_string (b, "error", run->error);
  add_string (b, "operator", run->operator_name);
  add_time (b, "started_at", run->started_at);
  add_time (b, "ended_at", run->ended_at);
  NbCalTable before, after;
  add_table (b, "table_before", decode_table (store, run->id, "before", &before), &before);
  add_table (b, "table_after", decode_table (store, run->id, "after", &after), &after);
  const char *const empty[] = { "points", "rate_points", "indication" };
  for (guint i = 0; i < G_N_ELEMENTS (empty); i++)
    {
      json_builder_set_member_name (b, empty[i]);
      json_builder_begin_array (b);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

typedef struct
{
  gint64 id;
  guint seq;
} StoredPoint;

/* the stored points by phase and quantity: groups[phase * 2 + quantity], each by seq */
typedef struct
{
  GArray *groups[4];
} StoredPoints;

static gboolean
collect_point (gint64 point_id, const NbStoreRunPoint *point, gpointer data)
{
  StoredPoints *sp = data;
  StoredPoint p = { point_id, point->seq };
  g_array_append_val (sp->groups[point->phase * 2 + point->quantity], p);
  return TRUE;
}

static int
by_seq (gconstpointer a, gconstpointer b)
{
  guint x = ((const StoredPoint *) a)->seq, y = ((const StoredPoint *) b)->seq;
  return x < y ? -1 : x > y;
}

/* adds strokes_mm / strokes_hz to the entry @name of @point from stored point @i of @group */
static gboolean
add_stored_strokes (NbStore *store, JsonObject *point, const char *name, GArray *group, guint i,
                    const char *strokes_name, GError **error)
{
  JsonNode *node = json_object_get_member (point, name);
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_OBJECT)
    return TRUE;
  JsonArray *values = json_array_new ();
  json_object_set_array_member (json_node_get_object (node), strokes_name, values);
  if (i >= group->len)
    return TRUE; /* a figure without its readings: the document says so by an empty list */
  g_autoptr (GArray) strokes
      = nb_store_get_run_strokes (store, g_array_index (group, StoredPoint, i).id, error);
  if (strokes == NULL)
    return FALSE;
  for (guint s = 0; s < strokes->len; s++)
    json_array_add_double_element (values, g_array_index (strokes, NbStoreRunStroke, s).reference);
  return TRUE;
}

static gboolean
add_raw (NbStore *store, gint64 run_id, JsonObject *doc, GError **error)
{
  StoredPoints sp;
  for (guint g = 0; g < G_N_ELEMENTS (sp.groups); g++)
    sp.groups[g] = g_array_new (FALSE, FALSE, sizeof (StoredPoint));
  gboolean ok = nb_store_foreach_run_point (store, run_id, collect_point, &sp, error);
  for (guint g = 0; g < G_N_ELEMENTS (sp.groups); g++)
    g_array_sort (sp.groups[g], by_seq);
  for (int rate = 0; ok && rate <= 1; rate++)
    {
      JsonNode *list = json_object_get_member (doc, rate ? "rate_points" : "points");
      if (list == NULL || JSON_NODE_TYPE (list) != JSON_NODE_ARRAY)
        continue;
      JsonArray *a = json_node_get_array (list);
      const char *strokes_name = rate ? "strokes_hz" : "strokes_mm";
      for (guint i = 0; ok && i < json_array_get_length (a); i++)
        {
          JsonNode *e = json_array_get_element (a, i);
          if (JSON_NODE_TYPE (e) != JSON_NODE_OBJECT)
            continue;
          JsonObject *point = json_node_get_object (e);
          ok = add_stored_strokes (store, point, "as_found",
                                   sp.groups[NB_RUN_PHASE_AS_FOUND * 2 + rate], i, strokes_name,
                                   error)
               && add_stored_strokes (store, point, "as_left",
                                      sp.groups[NB_RUN_PHASE_AS_LEFT * 2 + rate], i, strokes_name,
                                      error);
        }
    }
  for (guint g = 0; g < G_N_ELEMENTS (sp.groups); g++)
    g_array_unref (sp.groups[g]);
  return ok;
}

JsonNode *
nb_run_result_load_json (NbStore *store, gint64 run_id, gboolean raw, GError **error)
{
  g_autoptr (NbStoreRun) run = nb_store_get_run (store, run_id, error);
  if (run == NULL)
    return NULL;
  g_autoptr (JsonNode) doc = NULL;
  if (run->result_json != NULL)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (GError) local = NULL;
      if (!json_parser_load_from_data (parser, run->result_json, -1, &local)
          || JSON_NODE_TYPE (json_parser_get_root (parser)) != JSON_NODE_OBJECT)
        {
          g_set_error (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT,
                       "The result document of calibration run %" G_GINT64_FORMAT
                       " in %s is not a JSON object%s%s",
                       run_id, nb_store_get_path (store), local ? ": " : "",
                       local ? local->message : "");
          return NULL;
        }
      doc = json_parser_steal_root (parser);
      restore_doubles (doc, NULL);
      /* a run copied from a bench into a fleet's database (nb-store-sync.h) keeps the document
       * written there, with the bench's id: it names this run if the copy map says the row came
       * from that id. Any other document naming another run is left as it is, so that the
       * certificate's check (nb-certificate.c) still refuses it. */
      JsonObject *obj = json_node_get_object (doc);
      gint64 named = json_object_get_int_member_with_default (obj, "run", 0);
      if (named != run_id)
        {
          gint64 source = nb_store_sync_source_id (store, "runs", run_id, error);
          if (source < 0)
            return NULL;
          if (source != 0 && source == named)
            json_object_set_int_member (obj, "run", run_id);
        }
    }
  else
    doc = document_from_record (store, run);
  if (raw && !add_raw (store, run_id, json_node_get_object (doc), error))
    return NULL;
  return g_steal_pointer (&doc);
}
