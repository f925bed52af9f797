/* nb-verdict-card.c: the Live page's verdict card; the judging is nb-live-verdict.c's. */
#include "nb-verdict-card.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

struct _NbVerdictCard
{
  GtkBox parent_instance;
  GtkImage *icon;
  GtkLabel *depth_label, *detail_label, *share_label, *rate_label;

  NbLiveVerdict model;
  NbLiveJudgement depth, rate;
};

G_DEFINE_FINAL_TYPE (NbVerdictCard, nb_verdict_card, GTK_TYPE_BOX)

static const char *const check_classes[]
    = { "verdict-none", "verdict-in", "verdict-low", "verdict-high" };

const char *
nb_live_check_icon_name (NbLiveCheck check)
{
  switch (check)
    {
    case NB_LIVE_CHECK_IN: return "object-select-symbolic";
    case NB_LIVE_CHECK_LOW:
    case NB_LIVE_CHECK_HIGH: return "dialog-warning-symbolic";
    case NB_LIVE_CHECK_NONE:
    default: return "content-loading-symbolic";
    }
}

/* Only the classes that change: removing the current class and adding it back restyles and
 * repaints the widget, and this runs with every readout update. */
void
nb_live_check_set_css_class (GtkWidget *widget, NbLiveCheck check)
{
  const char *want = nb_live_check_css_class (check);
  for (guint i = 0; i < G_N_ELEMENTS (check_classes); i++)
    if (g_strcmp0 (check_classes[i], want) != 0)
      gtk_widget_remove_css_class (widget, check_classes[i]);
  gtk_widget_add_css_class (widget, want);
}

void
nb_live_check_set_icon (GtkImage *image, NbLiveCheck check)
{
  const char *want = nb_live_check_icon_name (check);
  if (gtk_image_get_storage_type (image) != GTK_IMAGE_ICON_NAME
      || g_strcmp0 (gtk_image_get_icon_name (image), want) != 0)
    gtk_image_set_from_icon_name (image, want);
}

/* signed_depth: "+0.045 mm", "−0.170 mm" in @units. */
static char *
signed_depth (NbUnits units, double mm)
{
  /* no "-0.000": a deviation under the last digit is none */
  double shown = nb_units_from_mm (units, mm);
  double last = units == NB_UNITS_UM ? 0.5 : 0.0005;
  if (fabs (shown) < last)
    mm = 0;
  g_autofree char *text = nb_units_format_depth (units, fabs (mm));
  return g_strdup_printf ("%s%s", mm < 0 ? "−" : "+", text);
}

static const char *
depth_word (NbLiveCheck check)
{
  switch (check)
    {
    case NB_LIVE_CHECK_IN: return _ ("In tolerance");
    case NB_LIVE_CHECK_LOW: return _ ("Too shallow");
    case NB_LIVE_CHECK_HIGH: return _ ("Too deep");
    case NB_LIVE_CHECK_NONE:
    default: return _ ("No verdict yet");
    }
}

static const char *
rate_word (NbLiveCheck check)
{
  switch (check)
    {
    case NB_LIVE_CHECK_IN: return _ ("in tolerance");
    case NB_LIVE_CHECK_LOW: return _ ("too slow");
    case NB_LIVE_CHECK_HIGH: return _ ("too fast");
    case NB_LIVE_CHECK_NONE:
    default: return _ ("not judged");
    }
}

static void
show_depth (NbVerdictCard *self, double mean_mm, NbUnits units)
{
  const NbLiveTarget *t = &self->model.target;
  g_autofree char *setting = nb_units_format_depth (units, t->target_mm);
  g_autofree char *tol = nb_units_format_depth (units, t->tolerance_mm);
  g_autofree char *title = NULL, *detail = NULL;
  if (!self->model.has_target)
    {
      title = g_strdup (_ ("No target"));
      detail = g_strdup (_ ("Connect a pen to judge its strokes"));
    }
  else if (self->depth.verdict == NB_LIVE_CHECK_NONE)
    {
      title = g_strdup (depth_word (NB_LIVE_CHECK_NONE));
      /* TRANSLATORS: the depth setting ± its tolerance, e.g. "0.250 mm ± 0.150 mm" */
      detail = g_strdup_printf (_ ("Waiting for strokes, target %s ± %s"), setting, tol);
    }
  else
    {
      g_autofree char *dev = signed_depth (units, self->depth.deviation);
      g_autofree char *mean = nb_units_format_depth (units, mean_mm);
      /* TRANSLATORS: "In tolerance: +0.045 mm" */
      title = g_strdup_printf (_ ("%s: %s"), depth_word (self->depth.verdict), dev);
      /* TRANSLATORS: the mean depth, then the setting ± tolerance */
      detail = g_strdup_printf (_ ("Mean depth %s, target %s ± %s"), mean, setting, tol);
    }
  /* a setting typed outside the preset's band: the pen may be accurate, the treatment is not */
  if (self->model.has_target
      && (t->target_mm < t->band_lo_mm - 5e-7 || t->target_mm > t->band_hi_mm + 5e-7))
    {
      char *more = g_strdup_printf ("%s · %s", detail, _ ("the setting is outside the band"));
      g_free (detail);
      detail = more;
    }
  gtk_label_set_label (self->depth_label, title);
  gtk_label_set_label (self->detail_label, detail);
  nb_live_check_set_icon (self->icon, self->depth.verdict);
  nb_live_check_set_css_class (GTK_WIDGET (self), self->depth.verdict);
}

static void
show_share (NbVerdictCard *self, NbUnits units)
{
  if (!self->model.has_target)
    {
      gtk_label_set_label (self->share_label, "");
      return;
    }
  const NbLiveTarget *t = &self->model.target;
  g_autofree char *lo = nb_units_format_number (units, t->band_lo_mm);
  g_autofree char *hi = nb_units_format_depth (units, t->band_hi_mm);
  g_autofree char *text = NULL;
  if (self->model.strokes == 0)
    /* TRANSLATORS: the band, "0.100–0.400 mm" */
    text = g_strdup_printf (_ ("No strokes yet in %s–%s"), lo, hi);
  else
    {
      guint n;
      double recent = nb_live_verdict_recent_share (&self->model, &n);
      /* TRANSLATORS: "87 % of 412 strokes in 0.100–0.400 mm" */
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, self->model.strokes);
      g_autofree char *all = g_strdup_printf (
          ngettext ("%.0f %% of %s stroke in %s–%s", "%.0f %% of %s strokes in %s–%s",
                    (gulong) MIN (self->model.strokes, G_MAXULONG)),
          100 * nb_live_verdict_share (&self->model), count, lo, hi);
      if (n < self->model.strokes)
        /* TRANSLATORS: the share above, then that of the newest strokes */
        text = g_strdup_printf (_ ("%s · last %u: %.0f %%"), all, n, 100 * recent);
      else
        text = g_steal_pointer (&all);
    }
  gtk_label_set_label (self->share_label, text);
}

static void
show_rate (NbVerdictCard *self, double rate_hz)
{
  const NbLiveTarget *t = &self->model.target;
  g_autofree char *text = NULL;
  if (isnan (rate_hz))
    text = g_strdup (_ ("Rate: no strokes yet"));
  else if (!(t->rate_tolerance_hz > 0) || !self->model.has_target)
    /* TRANSLATORS: a rate without a tolerance (a custom target) */
    text = g_strdup_printf (_ ("Rate %.1f Hz: no tolerance without a treatment preset"), rate_hz);
  else
    /* TRANSLATORS: "Rate 101.2 Hz: in tolerance (100.0 ± 5.0 Hz)" */
    text = g_strdup_printf (_ ("Rate %.1f Hz: %s (%.1f ± %.1f Hz)"), rate_hz,
                            rate_word (self->rate.verdict), t->rate_hz, t->rate_tolerance_hz);
  gtk_label_set_label (self->rate_label, text);
  nb_live_check_set_css_class (GTK_WIDGET (self->rate_label), self->rate.verdict);
}

void
nb_verdict_card_show (NbVerdictCard *self, NbRun *run, NbUnits units)
{
  double mean = NAN, rate = NAN;
  if (run != NULL)
    g_object_get (run, "depth-mean-mm", &mean, "rate-hz", &rate, NULL);
  self->depth = nb_live_verdict_judge_depth (&self->model, mean);
  self->rate = nb_live_verdict_judge_rate (&self->model, rate);
  show_depth (self, mean, units);
  show_share (self, units);
  show_rate (self, rate);
}

void
nb_verdict_card_set_target (NbVerdictCard *self, const NbLiveTarget *target)
{
  nb_live_verdict_set_target (&self->model, target);
}

const NbLiveTarget *
nb_verdict_card_follow (NbVerdictCard *self, NbRun *run, const NbPreset *preset)
{
  if (run == NULL)
    {
      nb_live_verdict_set_target (&self->model, NULL);
      return NULL;
    }
  NbLiveTarget t;
  double depth = nb_run_get_set_depth (run), rate = nb_run_get_set_rate (run);
  if (preset != NULL)
    nb_live_target_for_preset (&t, preset, depth, rate);
  else
    nb_live_target_custom (&t, depth, NB_PROFILE_DEFAULT_TOLERANCE_MM);
  /* the same settings again (a notification without a change) keep the counts */
  gboolean same = self->model.has_target && memcmp (&t, &self->model.target, sizeof t) == 0;
  if (!same)
    nb_live_verdict_set_target (&self->model, &t);
  nb_run_set_session_target (run, preset ? preset->profile_id : NULL,
                             preset ? preset->profile_version : 0, &t);
  return &self->model.target;
}

void
nb_verdict_card_reset (NbVerdictCard *self)
{
  nb_live_verdict_reset (&self->model);
}

NbLiveCheck
nb_verdict_card_add_stroke (NbVerdictCard *self, double depth_mm)
{
  return nb_live_verdict_add_stroke (&self->model, depth_mm);
}

NbLiveJudgement
nb_verdict_card_get_depth (NbVerdictCard *self)
{
  return self->depth;
}

NbLiveJudgement
nb_verdict_card_get_rate (NbVerdictCard *self)
{
  return self->rate;
}

const char *
nb_verdict_card_get_depth_text (NbVerdictCard *self)
{
  return gtk_label_get_label (self->depth_label);
}

const char *
nb_verdict_card_get_detail_text (NbVerdictCard *self)
{
  return gtk_label_get_label (self->detail_label);
}

const char *
nb_verdict_card_get_share_text (NbVerdictCard *self)
{
  return gtk_label_get_label (self->share_label);
}

const char *
nb_verdict_card_get_rate_text (NbVerdictCard *self)
{
  return gtk_label_get_label (self->rate_label);
}

const NbLiveVerdict *
nb_verdict_card_get_model (NbVerdictCard *self)
{
  return &self->model;
}

static void
nb_verdict_card_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), NB_TYPE_VERDICT_CARD);
  G_OBJECT_CLASS (nb_verdict_card_parent_class)->dispose (object);
}

static void
nb_verdict_card_class_init (NbVerdictCardClass *klass)
{
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = nb_verdict_card_dispose;
  gtk_widget_class_set_template_from_resource (wc,
                                               "/org/needlebench/NeedleBench/nb-verdict-card.ui");
  gtk_widget_class_bind_template_child (wc, NbVerdictCard, icon);
  gtk_widget_class_bind_template_child (wc, NbVerdictCard, depth_label);
  gtk_widget_class_bind_template_child (wc, NbVerdictCard, detail_label);
  gtk_widget_class_bind_template_child (wc, NbVerdictCard, share_label);
  gtk_widget_class_bind_template_child (wc, NbVerdictCard, rate_label);
}

static void
nb_verdict_card_init (NbVerdictCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  nb_live_verdict_init (&self->model);
  self->depth = self->rate = (NbLiveJudgement){ NB_LIVE_CHECK_NONE, NAN };
  nb_verdict_card_show (self, NULL, NB_UNITS_MM);
}
