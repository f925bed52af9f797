/* nb-due.h: when pens are due for calibration and reference standards expire (issue 11 §5),
 * shared by `needlebench-cli due` and the app's Certificates page (moved from
 * app/cli/nb-cli-due.c).
 *
 * A pen's next calibration is due its profile's interval_days after its last complete, traceable
 * calibration run not voided, or at once when that run's verdict is fail or conditional-fail; the
 * interval is read from the profile as the run used it. Dates are the bench's local calendar. */
#pragma once

#include "nb-store-runs.h"
#include "nb-store-standards.h"

G_BEGIN_DECLS

typedef struct
{
  char *serial;
  char *model;
  char *profile;    /* NULL when the pen has no calibration */
  gint64 run;       /* 0 when the pen has no calibration */
  char *calibrated; /* YYYY-MM-DD (local) of its last calibration, or NULL */
  char *verdict;
  gint64 interval;  /* days; -1 when unknown */
  GDate due;        /* invalid (cleared) when there is no calibration or interval */
  gint64 days_left; /* due − today; G_MININT64 when there is no due date (due now) */
  gboolean failed;  /* its last calibration ended out of tolerance: due now */
} NbPenDue;

void nb_pen_due_free (NbPenDue *p);

/* nb_due_list_pens: (transfer full) (element-type NbPenDue) every pen the runs name, with its
 * last calibration and due date as of @today; unsorted. */
GPtrArray *nb_due_list_pens (NbStore *store, const GDate *today,
                             GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_pen_due_compare: GCompareFunc for a GPtrArray of NbPenDue: failed first, then by days left
 * (no due date first), then serial. */
int nb_pen_due_compare (gconstpointer a, gconstpointer b);

/* nb_due_standard_compare: GCompareFunc for a GPtrArray of NbStoreStandard: by due date, serial. */
int nb_due_standard_compare (gconstpointer a, gconstpointer b);

/* nb_due_standard_days_left: due − @today in days; G_MININT64 when the due date is unreadable. */
gint64 nb_due_standard_days_left (const NbStoreStandard *s, const GDate *today);

G_END_DECLS
