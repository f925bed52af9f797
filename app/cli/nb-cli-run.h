/* nb-cli-run.h: running a pen at one setting for a time and measuring it: what `stream` does and
 * what `record` does with a recorder attached. */
#pragma once

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "nb-acquisition.h"
#include "nb-cli.h"

G_BEGIN_DECLS

/* The numbers arrive as text and are converted by nb_cli_run_check_options: GOption's double
 * parser takes "nan" and "inf", and a missing option must be told from any value given. */
typedef struct
{
  char *uri;
  char *depth_text, *rate_text, *seconds_text, *max_loss_text;
  double depth_mm;
  double rate_hz;
  double seconds;
  double max_loss; /* largest fraction of samples a complete run may lose */
  gboolean json;
} NbCliRunOptions;

#define NB_CLI_RUN_DEFAULT_MAX_LOSS 0.01

#define NB_CLI_RUN_OPTIONS_INIT                                                                    \
  {                                                                                                \
    .depth_mm = NAN, .rate_hz = NAN, .seconds = NAN, .max_loss = NB_CLI_RUN_DEFAULT_MAX_LOSS       \
  }

#define NB_CLI_RUN_OPTION_ENTRIES(o)                                                               \
  { "device",  'd',                                                                                \
    0,         G_OPTION_ARG_STRING,                                                                \
    &(o).uri,  N_ ("Device URI (sim, serial:PATH, usb:VID:PID)"),                                  \
    N_ ("URI") },                                                                                  \
      { "depth",                                                                                   \
        0,                                                                                         \
        0,                                                                                         \
        G_OPTION_ARG_STRING,                                                                       \
        &(o).depth_text,                                                                           \
        N_ ("Needle depth to set (mm, on the pen's grid)"),                                        \
        N_ ("MM") },                                                                               \
      { "rate",   0, 0, G_OPTION_ARG_STRING, &(o).rate_text, N_ ("Puncture rate to set (Hz)"),     \
        N_ ("HZ") },                                                                               \
      { "seconds",                                                                                 \
        0,                                                                                         \
        0,                                                                                         \
        G_OPTION_ARG_STRING,                                                                       \
        &(o).seconds_text,                                                                         \
        N_ ("How much pen time to measure (s, counted in samples)"),                               \
        N_ ("S") },                                                                                \
      { "max-loss",                                                                                \
        0,                                                                                         \
        0,                                                                                         \
        G_OPTION_ARG_STRING,                                                                       \
        &(o).max_loss_text,                                                                        \
        N_ ("Largest fraction of samples a complete run may lose (default 0.01)"),                 \
        N_ ("FRACTION") },                                                                         \
  {                                                                                                \
    "json", 0, 0, G_OPTION_ARG_NONE, &(o).json, N_ ("Print the summary as JSON"), NULL             \
  }

#define NB_CLI_RUN_ERROR (nb_cli_run_error_quark ())
GQuark nb_cli_run_error_quark (void);

typedef enum
{
  NB_CLI_RUN_ERROR_INTERRUPTED, /* a signal stopped the run (run->signal says which) */
  NB_CLI_RUN_ERROR_INCOMPLETE,  /* more samples lost than allowed, or too few strokes */
} NbCliRunError;

typedef void (*NbCliStrokeHook) (const NbStroke *stroke, gpointer user_data);
typedef void (*NbCliBatchHook) (const NbTelemetryBatch *batch, gpointer user_data);
typedef void (*NbCliEventHook) (const NbEvent *event, gpointer user_data);

typedef struct
{
  const char *command;
  FILE *csv;                 /* per-stroke rows, or NULL */
  NbCliStrokeHook on_stroke; /* optional hooks (the recorder) */
  NbCliBatchHook on_batch;
  NbCliEventHook on_event;
  gpointer hook_data;
  GError *hook_error; /* a hook sets it to stop the run (e.g. the recorder failed) */
  gpointer loop;      /* private */
  /* SIGINT, SIGTERM and SIGHUP are caught from nb_cli_run_open to nb_cli_run_clear, so that a
   * signal at any point of a run still stops the motor (private) */
  guint signal_sources[3];
  GMainLoop *running;        /* the run's loop while it runs */
  GCancellable *stop_cancel; /* a second signal during the stop cuts it short */
  gboolean stopping;
  int signal;           /* result: the first of those signals caught, 0 if none */
  gboolean complete;    /* result: the run measured all it was asked for, with losses allowed */
  double loss_fraction; /* result: see nb_acquisition_summary_loss_fraction */
  /* results */
  NbDevice *device;
  NbAcquisition *acq;
  NbAcquisitionSummary summary;
  NbDeviceStats stats;
} NbCliRun;

/* Checks that -d, --depth, --rate and --seconds are there, converts them and --max-loss (finite
 * numbers only; --seconds 0..86400, --max-loss 0..1); prints and returns 2 if not. */
int nb_cli_run_check_options (const char *command, NbCliRunOptions *opt, int argc, char **argv);

/* nb_cli_run_execute: opens the pen, sets it, streams for opt->seconds of pen time, stops it.
 * Leaves run->device open (for the caller's records) and fills the summary. On a lost link, a
 * motor jam or a removed cartridge, fails with the pen's reason. On SIGINT, SIGTERM or SIGHUP it
 * stops the motor and the stream (with retries; a second signal cuts that short after one more
 * MOTOR_STOP), sets run->signal and fails with NB_CLI_RUN_ERROR_INTERRUPTED. */
gboolean nb_cli_run_execute (NbCliRun *run, const NbCliRunOptions *opt, GError **error);

/* nb_cli_run_open: only the first step (catch the signals, open the device, check that --depth
 * is on the pen's grid: NB_DEVICE_ERROR_OUT_OF_RANGE naming the nearest settable depths), for
 * callers that must know the pen before streaming (the recorder); nb_cli_run_execute then
 * reuses it. */
gboolean nb_cli_run_open (NbCliRun *run, const NbCliRunOptions *opt, GError **error);

/* Prints the summary (text or JSON); @extra adds members to the JSON object (may be NULL). */
void nb_cli_run_print_summary (NbCliRun *run, const NbCliRunOptions *opt,
                               void (*extra) (JsonBuilder *b, gpointer data), gpointer data);

/* nb_cli_run_conclude: reports how a run ended and returns the exit code: the summary (when the
 * run succeeded, was interrupted, or its data are incomplete or broken) and, on @error, the
 * error line. Exit: 0; 128 + the signal when interrupted; else by nb_cli_fail (4 for incomplete
 * or broken data). */
int nb_cli_run_conclude (NbCliRun *run, const NbCliRunOptions *opt, const GError *error,
                         void (*extra) (JsonBuilder *b, gpointer data), gpointer data);

/* nb_cli_run_has_summary: whether nb_cli_run_conclude prints the summary for this outcome. */
gboolean nb_cli_run_has_summary (const NbCliRun *run, const GError *error);

/* nb_cli_run_signal_name: "SIGINT", "SIGTERM" or "SIGHUP". */
const char *nb_cli_run_signal_name (int signum);

void nb_cli_run_clear (NbCliRun *run);
void nb_cli_run_options_clear (NbCliRunOptions *opt);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NbCliRunOptions, nb_cli_run_options_clear)

G_END_DECLS
