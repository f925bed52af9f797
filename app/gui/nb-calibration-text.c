/* nb-calibration-text.c: what the wizard says about steps, Fitzpatrick caps and verdicts. */
#include <glib/gi18n.h>
#include "nb-calibration.h"

NbCalibrationStep
nb_calibration_step_for_state (NbProcedureState state)
{
  switch (state)
    {
    case NB_PROCEDURE_IDENTIFY:
    case NB_PROCEDURE_PRE_CHECKS:
    case NB_PROCEDURE_WARM_UP: return NB_CALIBRATION_STEP_PRE_CHECKS;
    case NB_PROCEDURE_AS_FOUND:
    case NB_PROCEDURE_DECIDE_AS_FOUND: return NB_CALIBRATION_STEP_AS_FOUND;
    case NB_PROCEDURE_ADJUST:
    case NB_PROCEDURE_WRITE: return NB_CALIBRATION_STEP_ADJUST;
    case NB_PROCEDURE_AS_LEFT:
    case NB_PROCEDURE_DECIDE_AS_LEFT: return NB_CALIBRATION_STEP_AS_LEFT;
    case NB_PROCEDURE_DONE:
    case NB_PROCEDURE_FAILED:
    case NB_PROCEDURE_CANCELLED:
    default: return NB_CALIBRATION_STEP_RESULT;
    }
}

/* "V–VI", "VI", "I–III" for a contiguous run of types, "I, III" otherwise. */
static char *
types_text (guint bits)
{
  GString *s = g_string_new (NULL);
  for (guint t = 1; t <= 6; t++)
    {
      if (!(bits & NB_FITZPATRICK_BIT (t)))
        continue;
      guint last = t;
      while (last < 6 && (bits & NB_FITZPATRICK_BIT (last + 1)))
        last++;
      if (s->len)
        g_string_append (s, ", ");
      g_string_append (s, nb_fitzpatrick_to_string (t));
      if (last > t)
        g_string_append_printf (s, "–%s", nb_fitzpatrick_to_string (last));
      t = last;
    }
  return g_string_free (s, FALSE);
}

char *
nb_calibration_describe_cap (const NbProfile *profile, guint type)
{
  if (profile == NULL || type < 1 || type > 6)
    return g_strdup ("");
  const char *name = nb_fitzpatrick_to_string (type);
  if (!(profile->fitzpatrick & NB_FITZPATRICK_BIT (type)))
    return g_strdup_printf (_ ("Type %s is not indicated for this profile"), name);
  if (profile->cap_types & NB_FITZPATRICK_BIT (type))
    {
      g_autofree char *types = types_text (profile->cap_types);
      gboolean several = (profile->cap_types & (profile->cap_types - 1)) != 0;
      return g_strdup_printf (several ? _ ("Types %s: depth capped at %.2f mm")
                                      : _ ("Type %s: depth capped at %.2f mm"),
                              types, profile->cap_depth_mm);
    }
  return g_strdup_printf (_ ("Type %s: no depth cap (deepest target %.2f mm)"), name,
                          nb_profile_max_depth_for (profile, type));
}

const char *
nb_calibration_verdict_label (NbVerdict verdict)
{
  switch (verdict)
    {
    case NB_VERDICT_PASS: return _ ("pass");
    case NB_VERDICT_CONDITIONAL_PASS: return _ ("conditional pass");
    case NB_VERDICT_CONDITIONAL_FAIL: return _ ("conditional fail");
    case NB_VERDICT_FAIL:
    default: return _ ("fail");
    }
}

const char *
nb_calibration_verdict_css (NbVerdict verdict)
{
  switch (verdict)
    {
    case NB_VERDICT_PASS: return "verdict-pass";
    case NB_VERDICT_CONDITIONAL_PASS: return "verdict-conditional-pass";
    case NB_VERDICT_CONDITIONAL_FAIL: return "verdict-conditional-fail";
    case NB_VERDICT_FAIL:
    default: return "verdict-fail";
    }
}
