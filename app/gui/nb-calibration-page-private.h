/* nb-calibration-page-private.h: the Calibration page's fields, shared by its files:
 * nb-calibration-page.c (the run and its steps), nb-calibration-station.c (the station and
 * profile choices) and nb-calibration-certificate.c (the certificate step). */
#pragma once

#include "nb-calibration-page.h"
#include "nb-certificate-window.h"

/* The checks listed on the pre-checks step (nb-calibration-page.c). */
#define NB_CAL_PAGE_N_CHECKS 3

struct _NbCalibrationPage
{
  GtkBox parent_instance;
  NbCalibration *cal;
  GSettings *settings;
  NbLivePage *live;                   /* weak: the window owns both pages */
  GListModel *devices;                /* the Live page's pen list (NbPenItem) */
  GPtrArray *pen_uris, *fixture_uris; /* the combo rows' URIs, by position */
  GPtrArray *areas;                   /* area ids ("" = bench profiles by id), by position */
  gboolean updating;
  guint reached; /* the last step reached */

  GtkBox *step_bar;
  GtkToggleButton *step_buttons[NB_CALIBRATION_N_STEPS];
  GtkStack *stack;
  AdwPreferencesPage *station_page;
  AdwComboRow *pen_row, *fixture_row, *area_row, *skin_row, *type_row, *rule_row;
  AdwEntryRow *pen_uri_row, *fixture_uri_row, *operator_row;
  AdwActionRow *profile_row;
  GtkSwitch *adjust_switch;
  AdwPreferencesGroup *checks_group, *standard_group;
  AdwActionRow *check_rows[NB_CAL_PAGE_N_CHECKS];
  GtkImage *check_icons[NB_CAL_PAGE_N_CHECKS];
  AdwEntryRow *std_serial_row, *std_model_row, *std_certificate_row, *std_u_row, *std_k_row,
      *std_due_row;
  GtkLabel *point_label, *adjust_label, *adjust_steps_label, *verdict_label, *result_label,
      *trace_label, *status_label;
  GtkProgressBar *point_progress;
  NbChart *stroke_chart;
  NbChartAxis *stroke_x, *stroke_y;
  NbChartSeries *stroke_points, *stroke_band, *stroke_target;
  GtkGrid *found_grid, *table_grid, *result_grid;
  GtkButton *cancel_button, *start_button, *new_button;
  GtkButton *certificate_button; /* on the result step of a completed run */
  GtkWindow *certificate_window; /* weak: the certificate step's window, while open */
};

/* nb_cal_page_message: the page's "message" signal (a toast in the window). */
void nb_cal_page_message (NbCalibrationPage *self, const char *text);

/* nb-calibration-certificate.c: the "calibration.certificate" action (the certificate step of
 * the completed run) */
void nb_cal_page_action_certificate (GtkWidget *widget, const char *name, GVariant *param);

/* nb-calibration-station.c */
void nb_cal_page_init_choices (NbCalibrationPage *self);
/* nb_cal_page_watch_devices: lists the devices of @devices (may be NULL) and follows it. */
void nb_cal_page_watch_devices (NbCalibrationPage *self, GListModel *devices);
void nb_cal_page_fill_profiles (NbCalibrationPage *self);
