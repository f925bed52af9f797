/* nb-cli-run.c: open, set, stream, measure, stop (the stop and the signals: nb-cli-stop.c),
 * and report. */
#include <inttypes.h>
#include <glib/gi18n.h>
#include "nb-cli-run.h"

#include "nb-cli-json.h"
#include "nb-cli-stop.h"

#include <math.h>
#include <stdio.h>

G_DEFINE_QUARK (nb - cli - run - error - quark, nb_cli_run_error)

#define POLL_MS 50
/* Figures are printed with the precision the measurement has: depths to 0.1 µm (the stroke fit's
 * resolution), rates to 0.001 Hz, times to one sample period, speeds to 0.1 mm/s, settings as
 * the pen takes them (µm, mHz). */
#define MM_DECIMALS 4
#define HZ_DECIMALS 3
#define SET_MM_DECIMALS 3
#define SPEED_DECIMALS 1
#define FRACTION_DECIMALS 6
/* Beyond the pen time asked for, how long a run may take in wall time before it is called stuck.
 * The device reports a silent link after NB_DEVICE_STALL_MS; this only guards a trickle. */
#define WALL_MARGIN_S 15.0

/* parse_number: @text as a finite number (C locale, the whole text); prints and returns FALSE
 * naming @option otherwise. */
static gboolean
parse_number (const char *command, const char *option, const char *text, double *out)
{
  char *end = NULL;
  double v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0')
    {
      nb_cli_usage (command, _ ("%s: “%s” is not a number"), option, text);
      return FALSE;
    }
  if (!isfinite (v))
    {
      nb_cli_usage (command, _ ("%s: “%s” is not a finite number"), option, text);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

int
nb_cli_run_check_options (const char *command, NbCliRunOptions *opt, int argc, char **argv)
{
  if (argc > 1)
    return nb_cli_usage (command, _ ("unexpected argument “%s”"), argv[1]);
  if (opt->uri == NULL)
    return nb_cli_usage (command, _ ("--device URI is required"));
  if (opt->depth_text == NULL)
    return nb_cli_usage (command, _ ("--depth MM is required"));
  if (opt->rate_text == NULL)
    return nb_cli_usage (command, _ ("--rate HZ is required"));
  if (opt->seconds_text == NULL)
    return nb_cli_usage (command, _ ("--seconds S is required"));
  if (!parse_number (command, "--depth", opt->depth_text, &opt->depth_mm)
      || !parse_number (command, "--rate", opt->rate_text, &opt->rate_hz)
      || !parse_number (command, "--seconds", opt->seconds_text, &opt->seconds)
      || (opt->max_loss_text
          && !parse_number (command, "--max-loss", opt->max_loss_text, &opt->max_loss)))
    return NB_EXIT_USAGE;
  if (!(opt->seconds > 0 && opt->seconds <= 24 * 3600))
    return nb_cli_usage (command, _ ("--seconds must be between 0 and 86400, not %s"),
                         opt->seconds_text);
  if (!(opt->max_loss >= 0 && opt->max_loss <= 1))
    return nb_cli_usage (command, _ ("--max-loss must be a fraction from 0 to 1, not %s"),
                         opt->max_loss_text);
  return NB_EXIT_OK;
}

typedef struct
{
  NbCliRun *run;
  GMainLoop *loop;
  GError *error;
  guint64 target_samples;
  gint64 deadline_us;
  gboolean progress;
  gint64 last_progress_us;
} Loop;

static void fail_loop (Loop *l, GError *error);

static void
check_hook_error (NbCliRun *run)
{
  if (run->hook_error && run->loop)
    {
      fail_loop (run->loop, g_steal_pointer (&run->hook_error));
      run->loop = NULL;
    }
}

static void
on_stroke (NbAcquisition *acq, const NbStroke *s, NbCliRun *run)
{
  if (run->csv)
    {
      /* a period to 0.1 µs: its rate to better than 0.001 Hz up to 300 Hz */
      char period[32] = "";
      if (s->period_s > 0)
        g_snprintf (period, sizeof period, "%.4f", s->period_s * 1000.0);
      int td = nb_cli_decimals_for_rate (nb_device_get_identity (run->device)->sample_rate_hz);
      fprintf (run->csv, "%" G_GUINT64_FORMAT ",%.*f,%.*f,%s\r\n", s->index, td, s->time_s,
               MM_DECIMALS, s->depth_mm, period);
    }
  if (run->on_stroke)
    run->on_stroke (s, run->hook_data);
  check_hook_error (run);
}

static void
fail_loop (Loop *l, GError *error)
{
  if (l->error == NULL)
    l->error = error;
  else
    g_error_free (error);
  g_main_loop_quit (l->loop);
}

/* After the acquisition (connected first): a batch past a break in the stream is not recorded. */
static void
on_batch (NbDevice *dev, const NbTelemetryBatch *batch, NbCliRun *run)
{
  if (nb_acquisition_get_error (run->acq))
    return;
  if (run->on_batch)
    run->on_batch (batch, run->hook_data);
  check_hook_error (run);
}

static void
on_broken (NbAcquisition *acq, const GError *error, NbCliRun *run)
{
  if (run->loop)
    fail_loop (run->loop, g_error_copy (error));
}

/* How the measured run compares with what was asked: more samples lost than allowed, or fewer
 * than half the strokes the set rate makes in the measured time (less the two partial strokes
 * at the ends), is an incomplete run. */
static gboolean
check_complete (NbCliRun *run, const NbCliRunOptions *opt, GError **error)
{
  const NbAcquisitionSummary *s = &run->summary;
  run->loss_fraction = nb_acquisition_summary_loss_fraction (s);
  double expected = opt->rate_hz * s->duration_s;
  if (run->loss_fraction > opt->max_loss)
    {
      g_set_error (error, NB_CLI_RUN_ERROR, NB_CLI_RUN_ERROR_INCOMPLETE,
                   _ ("data incomplete: %" PRIu64 " of %" PRIu64
                      " samples lost (%.2f %%, more than the %g %% allowed by --max-loss)"),
                   s->lost_samples, s->samples + s->lost_samples, 100.0 * run->loss_fraction,
                   100.0 * opt->max_loss);
      return FALSE;
    }
  if ((double) s->strokes < expected / 2.0 - 2.0)
    {
      g_set_error (error, NB_CLI_RUN_ERROR, NB_CLI_RUN_ERROR_INCOMPLETE,
                   _ ("data incomplete: %" PRIu64
                      " strokes measured where %.0f Hz for %.3f s makes about %.0f"),
                   s->strokes, opt->rate_hz, s->duration_s, expected);
      return FALSE;
    }
  return TRUE;
}

static void
on_event (NbDevice *dev, const NbEvent *ev, Loop *l)
{
  if (l->run->on_event)
    l->run->on_event (ev, l->run->hook_data);
  check_hook_error (l->run);
  if (ev->code == NB_EVENT_MOTOR_JAM || ev->code == NB_EVENT_CARTRIDGE_REMOVED
      || ev->code == NB_EVENT_RESET)
    fail_loop (l, g_error_new (NB_DEVICE_ERROR, NB_DEVICE_ERROR_NAK,
                               _ ("%s: the pen reported %s at sample %" PRIu64),
                               nb_device_get_uri (dev), nb_event_code_name (ev->code),
                               ev->sample_index));
  /* While the loop runs nobody has asked the motor to stop: the pen stopped it on its own (its
   * watchdog after a host that froze, its protection), and the run is over. */
  else if (ev->code == NB_EVENT_MOTOR_STOPPED && ev->detail != NB_MOTOR_STOPPED_HOST_REQUEST
           && g_main_loop_is_running (l->loop))
    fail_loop (l, g_error_new (NB_DEVICE_ERROR, NB_DEVICE_ERROR_NAK,
                               _ ("%s: the pen stopped its motor at sample %" PRIu64 ": %s"),
                               nb_device_get_uri (dev), ev->sample_index,
                               nb_motor_stopped_reason_name (ev->detail)));
}

static void
on_lost (NbDevice *dev, const GError *error, Loop *l)
{
  fail_loop (l, g_error_copy (error));
}

static gboolean
on_tick (gpointer data)
{
  Loop *l = data;
  NbAcquisitionSummary s;
  nb_acquisition_get_summary (l->run->acq, &s);
  gint64 now = g_get_monotonic_time ();

  if (s.samples + s.lost_samples >= l->target_samples)
    {
      g_main_loop_quit (l->loop);
      return G_SOURCE_CONTINUE;
    }
  if (now > l->deadline_us)
    {
      fail_loop (l, g_error_new (NB_DEVICE_ERROR, NB_DEVICE_ERROR_TIMEOUT,
                                 _ ("%s: only %.1f s of telemetry arrived in the time allowed"),
                                 nb_device_get_uri (l->run->device), s.duration_s));
      return G_SOURCE_CONTINUE;
    }
  if (l->progress && now - l->last_progress_us > 250000)
    {
      l->last_progress_us = now;
      fputs ("\r", stdout); /* the line overwrites itself */
      printf (_ ("%6.1f s  %6" PRIu64 " strokes  depth %.3f mm  rate %.1f Hz  gaps %" PRIu64 "   "),
              s.duration_s, s.strokes, s.depth_mm.n ? s.depth_mm.mean : 0.0,
              nb_acquisition_summary_rate_hz (&s), s.gaps);
      fflush (stdout);
    }
  return G_SOURCE_CONTINUE;
}

/* Decimals that show every settable depth exactly (a 50 µm grid from 0: 2). */
static int
grid_decimals (const NbIdentity *id)
{
  int d = 0;
  for (guint32 unit = 1000; d < 3; unit /= 10, d++)
    if (id->depth_step_um % unit == 0 && id->depth_min_um % unit == 0)
      break;
  return d;
}

/* check_depth: the depth asked for must be one the pen takes exactly, min + k·step within its
 * range (the driver would round 1.0004 mm to 1.000 mm, and a pen's grid is part of what is
 * measured); otherwise name the nearest settable depths. */
static gboolean
check_depth (const NbIdentity *id, const NbCliRunOptions *opt, GError **error)
{
  double um = opt->depth_mm * 1000.0;
  double step = MAX (id->depth_step_um, 1u);
  double k = floor ((um - id->depth_min_um) / step);
  double below = id->depth_min_um + k * step, above = below + step;
  /* typed decimals are not exact in binary: 1.05 mm is 1050.0000000000002 µm */
  const double tol = 1e-6;
  if (um >= id->depth_min_um - tol && um <= id->depth_max_um + tol
      && (fabs (um - below) <= tol || fabs (um - above) <= tol))
    return TRUE;
  int d = grid_decimals (id);
  g_autofree char *nearest = NULL;
  if (um < id->depth_min_um)
    nearest = g_strdup_printf (_ ("%.*f mm (the smallest)"), d, id->depth_min_um / 1000.0);
  else if (um > id->depth_max_um)
    nearest = g_strdup_printf (_ ("%.*f mm (the largest)"), d, id->depth_max_um / 1000.0);
  else
    nearest = g_strdup_printf (_ ("%.*f mm or %.*f mm"), d, below / 1000.0, d,
                               MIN (above, (double) id->depth_max_um) / 1000.0);
  g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_OUT_OF_RANGE,
               _ ("--depth %s mm is not settable on %s (%.*f to %.*f mm in steps of %.*f mm); "
                  "nearest: %s"),
               opt->depth_text ? opt->depth_text : "?", id->serial, d, id->depth_min_um / 1000.0, d,
               id->depth_max_um / 1000.0, d, id->depth_step_um / 1000.0, nearest);
  return FALSE;
}

gboolean
nb_cli_run_open (NbCliRun *run, const NbCliRunOptions *opt, GError **error)
{
  nb_cli_run_catch_signals (run);
  if (run->device)
    return TRUE;
  run->device = nb_device_open (opt->uri, NULL, error);
  return run->device != NULL && check_depth (nb_device_get_identity (run->device), opt, error);
}

gboolean
nb_cli_run_execute (NbCliRun *run, const NbCliRunOptions *opt, GError **error)
{
  if (!nb_cli_run_open (run, opt, error))
    return FALSE;
  NbDevice *dev = run->device;
  const NbIdentity *id = nb_device_get_identity (dev);

  if (!nb_cli_run_interrupted (run)
      && (!nb_device_set_depth (dev, opt->depth_mm, NULL, error)
          || !nb_device_set_rate (dev, opt->rate_hz, NULL, error)))
    return FALSE;

  g_autoptr (GMainLoop) main_loop = g_main_loop_new (NULL, FALSE);
  Loop l = {
    .run = run,
    .loop = main_loop,
    .target_samples = (guint64) ceil (opt->seconds * id->sample_rate_hz),
    .deadline_us = g_get_monotonic_time () + (gint64) ((opt->seconds + WALL_MARGIN_S) * 1e6),
    .progress = nb_cli_stdout_is_tty () && !opt->json && opt->seconds > 2,
  };
  run->acq = nb_acquisition_new (dev);
  run->loop = &l;
  gpointer owners[] = { run->acq, run->acq, dev, dev, dev };
  gulong ids[] = {
    g_signal_connect (run->acq, "stroke", G_CALLBACK (on_stroke), run),
    g_signal_connect (run->acq, "broken", G_CALLBACK (on_broken), run),
    g_signal_connect (dev, "telemetry", G_CALLBACK (on_batch), run),
    g_signal_connect (dev, "event", G_CALLBACK (on_event), &l),
    g_signal_connect (dev, "lost", G_CALLBACK (on_lost), &l),
  };

  /* A signal during the set-up requests: nothing started, nothing to stop. */
  gboolean started = !nb_cli_run_interrupted (run);
  gboolean ok = started && nb_device_stream_start (dev, NULL, error)
                && nb_device_motor_start (dev, NULL, error);
  if (ok && !run->signal)
    {
      guint tick = g_timeout_add (POLL_MS, on_tick, &l);
      run->running = main_loop;
      g_main_loop_run (main_loop);
      run->running = NULL;
      g_source_remove (tick);
      if (l.progress)
        printf ("\r%*s\r", 79, "");
    }
  /* Stop the pen whatever happened (a signal during MOTOR_START included); a lost link just
   * makes these fail quietly. */
  g_autoptr (GError) stop_error = NULL;
  if (started && nb_device_is_connected (dev) && !nb_cli_run_stop_pen (run, &stop_error) && ok
      && l.error == NULL && !run->signal)
    l.error = g_steal_pointer (&stop_error);
  /* Deliveries still queued belong to this run: take them before disconnecting handlers. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_signal_handler_disconnect (owners[i], ids[i]);

  run->loop = NULL;
  nb_acquisition_get_summary (run->acq, &run->summary);
  nb_device_get_stats (dev, &run->stats);
  if (run->signal)
    {
      /* The signal is the reason the run ended, whatever else failed on the way. */
      g_clear_error (&l.error);
      if (error && *error)
        g_clear_error (error);
      nb_cli_run_set_interrupted (run, error);
      if (stop_error && error)
        {
          g_autofree char *why = g_strdup ((*error)->message);
          g_clear_error (error);
          g_set_error (error, NB_CLI_RUN_ERROR, NB_CLI_RUN_ERROR_INTERRUPTED,
                       _ ("%s; the pen did not confirm the stop: %s"), why, stop_error->message);
        }
      return FALSE;
    }
  if (!ok)
    {
      g_clear_error (&l.error);
      return FALSE;
    }
  run->loss_fraction = nb_acquisition_summary_loss_fraction (&run->summary);
  if (l.error)
    {
      g_propagate_error (error, l.error);
      return FALSE;
    }
  run->complete = check_complete (run, opt, error);
  return run->complete;
}

void
nb_cli_run_print_summary (NbCliRun *run, const NbCliRunOptions *opt,
                          void (*extra) (JsonBuilder *b, gpointer data), gpointer data)
{
  const NbAcquisitionSummary *s = &run->summary;
  const NbIdentity *id = nb_device_get_identity (run->device);
  double rate = nb_acquisition_summary_rate_hz (s);
  gboolean have = s->depth_mm.n > 0;
  int td = nb_cli_decimals_for_rate (id->sample_rate_hz);

  if (opt->json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "uri");
      json_builder_add_string_value (b, opt->uri);
      json_builder_set_member_name (b, "serial");
      json_builder_add_string_value (b, id->serial);
      nb_cli_json_fixed (b, "set_depth_mm", opt->depth_mm, SET_MM_DECIMALS);
      nb_cli_json_fixed (b, "set_rate_hz", opt->rate_hz, HZ_DECIMALS);
      nb_cli_json_fixed (b, "duration_s", s->duration_s, td);
      nb_cli_json_int (b, "strokes", (gint64) s->strokes);
      nb_cli_json_fixed (b, "depth_mean_mm", have ? s->depth_mm.mean : NAN, MM_DECIMALS);
      nb_cli_json_fixed (b, "depth_sd_mm", have ? nb_stats_sd (&s->depth_mm) : NAN, MM_DECIMALS);
      nb_cli_json_fixed (b, "depth_min_mm", have ? s->depth_mm.min : NAN, MM_DECIMALS);
      nb_cli_json_fixed (b, "depth_max_mm", have ? s->depth_mm.max : NAN, MM_DECIMALS);
      nb_cli_json_fixed (b, "rate_hz", rate > 0 ? rate : NAN, HZ_DECIMALS);
      nb_cli_json_fixed (b, "entry_speed_mean_mm_s",
                         s->entry_speed_mm_s.n ? s->entry_speed_mm_s.mean : NAN, SPEED_DECIMALS);
      nb_cli_json_int (b, "samples", (gint64) s->samples);
      nb_cli_json_int (b, "gaps", (gint64) s->gaps);
      nb_cli_json_int (b, "lost_samples", (gint64) s->lost_samples);
      nb_cli_json_int (b, "discarded_strokes", (gint64) s->discarded);
      nb_cli_json_int (b, "crc_errors", (gint64) run->stats.crc_errors);
      nb_cli_json_int (b, "framing_errors", (gint64) run->stats.framing_errors);
      nb_cli_json_int (b, "retries", (gint64) run->stats.retries);
      json_builder_set_member_name (b, "complete");
      json_builder_add_boolean_value (b, run->complete);
      nb_cli_json_fixed (b, "loss_fraction", run->loss_fraction, FRACTION_DECIMALS);
      if (run->signal)
        {
          nb_cli_json_string (b, "aborted", nb_cli_run_signal_name (run->signal));
          nb_cli_json_int (b, "signal", run->signal);
        }
      if (extra)
        extra (b, data);
      json_builder_end_object (b);
      nb_cli_print_json (json_builder_get_root (b));
      return;
    }
  g_autofree char *serial = nb_cli_escape (id->serial);
  g_autofree char *uri = nb_cli_escape (opt->uri);
  printf (_ ("Pen:           %s (%s)\n"), serial, uri);
  printf (_ ("Setting:       %.*f mm at %.*f Hz, %.*f s measured\n"), grid_decimals (id),
          opt->depth_mm, HZ_DECIMALS, opt->rate_hz, td, s->duration_s);
  printf (_ ("Strokes:       %" PRIu64 "\n"), s->strokes);
  if (have)
    {
      printf (_ ("Depth:         %.*f ± %.*f mm (SD), min %.*f, max %.*f\n"), MM_DECIMALS,
              s->depth_mm.mean, MM_DECIMALS, nb_stats_sd (&s->depth_mm), MM_DECIMALS,
              s->depth_mm.min, MM_DECIMALS, s->depth_mm.max);
      printf (_ ("Rate:          %.*f Hz\n"), HZ_DECIMALS, rate);
      if (s->entry_speed_mm_s.n)
        printf (_ ("Entry speed:   %.*f mm/s\n"), SPEED_DECIMALS, s->entry_speed_mm_s.mean);
    }
  printf (_ ("Samples:       %" PRIu64 " (gaps %" PRIu64 ", lost %" PRIu64
             ", strokes discarded %" PRIu64 ")\n"),
          s->samples, s->gaps, s->lost_samples, s->discarded);
  printf (_ ("Link:          %" PRIu64 " CRC errors, %" PRIu64 " framing errors, %" PRIu64
             " retries\n"),
          run->stats.crc_errors, run->stats.framing_errors, run->stats.retries);
  if (run->signal)
    printf (_ ("Interrupted:   by %s\n"), nb_cli_run_signal_name (run->signal));
  else if (!run->complete)
    printf (_ ("Complete:      no\n"));
}

gboolean
nb_cli_run_has_summary (const NbCliRun *run, const GError *error)
{
  /* What was measured is worth printing when the run was cut short by the operator or its data
   * are incomplete; a failing pen or store gets its error alone. */
  gboolean measured = run->device != NULL && run->acq != NULL;
  gboolean data_error
      = error
        && (error->domain == NB_ACQUISITION_ERROR
            || g_error_matches (error, NB_CLI_RUN_ERROR, NB_CLI_RUN_ERROR_INCOMPLETE));
  return error == NULL || (measured && (run->signal || data_error));
}

int
nb_cli_run_conclude (NbCliRun *run, const NbCliRunOptions *opt, const GError *error,
                     void (*extra) (JsonBuilder *b, gpointer data), gpointer data)
{
  if (nb_cli_run_has_summary (run, error))
    nb_cli_run_print_summary (run, opt, extra, data);
  if (error == NULL)
    return NB_EXIT_OK;
  int rc = nb_cli_fail (run->command, error);
  return run->signal ? 128 + run->signal : rc;
}

void
nb_cli_run_clear (NbCliRun *run)
{
  nb_cli_run_release_signals (run);
  g_clear_error (&run->hook_error);
  g_clear_object (&run->acq);
  if (run->device)
    nb_device_close (run->device);
  g_clear_object (&run->device);
}

void
nb_cli_run_options_clear (NbCliRunOptions *opt)
{
  g_clear_pointer (&opt->uri, g_free);
  g_clear_pointer (&opt->depth_text, g_free);
  g_clear_pointer (&opt->rate_text, g_free);
  g_clear_pointer (&opt->seconds_text, g_free);
  g_clear_pointer (&opt->max_loss_text, g_free);
}
