/* bench-gui.c: GUI figures, printed and not asserted (under Xvfb with the cairo renderer, so
 * these are software-rendering numbers):
 *   - start to first frame (goal < 1 s): from main () to the window's first painted frame;
 *   - device-to-screen latency (goal < 50 ms): a telemetry batch's received_us to the end of
 *     the first frame painted after it;
 *   - chart draw time for a 10 s × 20 kHz window, offscreen (goal < 4 ms a frame);
 *   - the process's CPU (user + system, % of one core) over 10 s streaming at 20 kHz with the
 *     motor on (goal < 15 %) and 10 s with the pen connected and the motor off (goal < 1 %). The
 *     simulated pen is needlebench-sim, a process of its own on a pseudo-terminal, when $NB_SIM
 *     names it (as `make bench` does): the figure is then the app's alone, reading a serial
 *     port as with a real pen. Without $NB_SIM the simulated pen runs in-process: its thread
 *     ("nb-sim-pen") is counted in the process's figure, so each thread's share is printed too
 *     (from /proc/self/task), and the app's own figure is the process's less the pen's.
 * With --gl the GL renderer is used instead of cairo (llvmpipe under Xvfb). */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "gui-test-util.h"
#include "nb-chart.h"
#include "nb-sim-transport.h"

#define LATENCY_S 3.0
#define DRAWS 300
#define CPU_S 10.0

typedef struct
{
  gint64 first_frame_at;
  guint frames;
  NbRun *run;
  gint64 last_seen_received;
  GArray *latencies_ms; /* double */
  GArray *chart_draw_ms;
  NbChart *chart;
} Frames;

static void
on_after_paint (GdkFrameClock *clock, Frames *f)
{
  gint64 now = g_get_monotonic_time ();
  if (f->first_frame_at == 0)
    f->first_frame_at = now;
  f->frames++;
  if (f->run == NULL)
    return;
  gint64 received = nb_run_get_last_received_us (f->run);
  if (received != 0 && received != f->last_seen_received)
    {
      double ms = (now - received) / 1000.0;
      g_array_append_val (f->latencies_ms, ms);
      f->last_seen_received = received;
      double draw_ms = nb_chart_get_last_draw_us (f->chart) / 1000.0;
      g_array_append_val (f->chart_draw_ms, draw_ms);
    }
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
report (const char *what, GArray *values, const char *goal)
{
  if (values->len == 0)
    {
      g_print ("%-44s no samples\n", what);
      return;
    }
  g_array_sort (values, cmp_double);
  double sum = 0;
  for (guint i = 0; i < values->len; i++)
    sum += g_array_index (values, double, i);
  g_print ("%-44s mean %7.2f ms  median %7.2f  p95 %7.2f  max %7.2f  (n=%u, goal %s)\n", what,
           sum / values->len, g_array_index (values, double, values->len / 2),
           g_array_index (values, double, values->len * 95 / 100),
           g_array_index (values, double, values->len - 1), values->len, goal);
}

static gboolean
first_frame (gpointer data)
{
  return ((Frames *) data)->first_frame_at != 0;
}

static gboolean
connected (gpointer data)
{
  NbRun *run = nb_live_page_get_run (data);
  return run && nb_run_is_connected (run) && nb_run_is_motor_running (run);
}

static void
offscreen_chart (void)
{
  /* 10 s at 20 kHz of 100 Hz strokes between -1 mm and +1 mm. */
  const guint rate = 20000, n = 10 * rate;
  g_autoptr (NbDecimator) dec = nb_decimator_new (n);
  gint16 batch[500];
  for (guint i = 0; i < n; i += G_N_ELEMENTS (batch))
    {
      for (guint j = 0; j < G_N_ELEMENTS (batch); j++)
        batch[j] = (gint16) (1000 * sin (2 * G_PI * 100.0 * (i + j) / rate));
      nb_decimator_push (dec, i, batch, G_N_ELEMENTS (batch));
    }
  NbChart *chart = g_object_ref_sink (NB_CHART (nb_chart_new ()));
  g_autoptr (NbChartAxis) x = nb_chart_axis_new ("s", 0, 10);
  g_autoptr (NbChartAxis) y = nb_chart_axis_new ("mm", -1.5, 1.5);
  g_autoptr (NbChartSeries) trace = nb_chart_series_new (NB_CHART_SERIES_ENVELOPE, "#3584e4");
  nb_chart_series_set_decimator (trace, dec, rate, 0.001);
  nb_chart_set_axes (chart, x, y);
  nb_chart_add_series (chart, trace);

  static const int sizes[][2] = { { 1000, 400 }, { 1920, 600 } };
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      int w = sizes[s][0], h = sizes[s][1];
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
      g_autoptr (GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
      for (guint i = 0; i < DRAWS; i++)
        {
          /* Scroll a little each frame, as live: the envelope is recomputed every time. */
          nb_chart_axis_set_range (x, i * 1e-4, 10 - 1e-4 * (DRAWS - i));
          cairo_t *cr = cairo_create (surface);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_paint (cr);
          gint64 t0 = g_get_monotonic_time ();
          nb_chart_draw (chart, cr, w, h);
          cairo_surface_flush (surface);
          double v = (g_get_monotonic_time () - t0) / 1000.0;
          g_array_append_val (ms, v);
          cairo_destroy (cr);
        }
      g_autofree char *what = g_strdup_printf ("chart draw 10 s × 20 kHz offscreen, %d×%d", w, h);
      report (what, ms, "< 4 ms");
      cairo_surface_destroy (surface);
    }
  g_object_unref (chart);
}

static double
cpu_seconds (void)
{
  struct rusage ru;
  if (getrusage (RUSAGE_SELF, &ru) != 0)
    g_error ("getrusage: %s", g_strerror (errno));
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec
         + ru.ru_stime.tv_usec / 1e6;
}

/* Each thread's CPU seconds so far, by thread name (threads of one name added up). */
static GHashTable *
thread_cpu (void)
{
  GHashTable *by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;
  double tick = sysconf (_SC_CLK_TCK);
  while (dir && (tid = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_strdup_printf ("/proc/self/task/%s/stat", tid);
      g_autofree char *stat = NULL;
      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue; /* the thread ended */
      /* "tid (name) state ppid ...": the name may hold spaces, so it ends at the last ')'. */
      char *open = strchr (stat, '('), *close = strrchr (stat, ')');
      if (open == NULL || close == NULL)
        continue;
      g_autofree char *name = g_strndup (open + 1, close - open - 1);
      g_auto (GStrv) fields = g_strsplit (close + 2, " ", 0);
      if (g_strv_length (fields) < 13)
        continue;
      /* Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the name. */
      double s = (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / tick;
      double *sum = g_hash_table_lookup (by_name, name);
      if (sum == NULL)
        g_hash_table_insert (by_name, g_strdup (name), sum = g_new0 (double, 1));
      *sum += s;
    }
  return by_name;
}

/* Prints the process's CPU over @seconds of the main loop, and the strip chart's draws. */
static void
count_paint (GdkFrameClock *clock, guint *paints)
{
  (*paints)++;
}

static void
measure_cpu (const char *what, NbChart *chart, const char *goal)
{
  guint paints = 0;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (chart));
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (count_paint), &paints);
  guint draws0 = nb_chart_get_draw_count (chart);
  g_autoptr (GHashTable) threads0 = thread_cpu ();
  double cpu0 = cpu_seconds ();
  gint64 t0 = g_get_monotonic_time ();
  /* A real main loop, sleeping in poll as the app's does: nb_test_pump's polling (an iteration
   * every 0.5 ms) would cost more than the app at rest. */
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_timeout_add_once ((guint) (CPU_S * 1000), (GSourceOnceFunc) g_main_loop_quit, loop);
  g_main_loop_run (loop);
  double wall = (g_get_monotonic_time () - t0) / 1e6;
  double process = 100 * (cpu_seconds () - cpu0) / wall;
  g_autoptr (GHashTable) threads1 = thread_cpu ();
  /* getrusage counts in ticks of a few ms: over 10 s that is a tenth of a percent. */
  g_print ("%-44s %5.1f %% of one core, %u window paints, %u chart draws in %.0f s\n", what,
           process, paints, nb_chart_get_draw_count (chart) - draws0, wall);
  double sim = 0;
  GHashTableIter it;
  gpointer name, sum;
  g_hash_table_iter_init (&it, threads1);
  while (g_hash_table_iter_next (&it, &name, &sum))
    {
      double *before = g_hash_table_lookup (threads0, name);
      double pct = 100 * (*(double *) sum - (before ? *before : 0)) / wall;
      if (g_str_has_prefix (name, "nb-sim"))
        sim += pct;
      if (pct >= 0.05)
        g_print ("    thread %-36s %5.1f %%\n", (const char *) name, pct);
    }
  /* /proc counts in 10 ms ticks: over 10 s, ±0.1 % a thread. */
  g_print ("%-44s %5.1f %% of one core  (goal %s)\n", "  the app (process less the simulated pen)",
           process - sim, goal);
  g_signal_handler_disconnect (clock, id);
}

static gboolean
motor_stopped (gpointer data)
{
  return !nb_run_is_motor_running (data);
}

/* The simulated pen in a process of its own: starts $NB_SIM (needlebench-sim) and returns the
 * device URI of the pseudo-terminal it prints first, or NULL without $NB_SIM. */
static char *
start_sim_process (GSubprocess **proc_out)
{
  const char *sim = g_getenv ("NB_SIM");
  *proc_out = NULL;
  if (sim == NULL || *sim == '\0')
    return NULL;
  g_autoptr (GError) error = NULL;
  GSubprocess *proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, sim, NULL);
  if (proc == NULL)
    g_error ("starting %s: %s", sim, error->message);
  g_autoptr (GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  g_autofree char *pty = g_data_input_stream_read_line (out, NULL, NULL, &error);
  if (pty == NULL)
    g_error ("%s printed no pseudo-terminal: %s", sim, error ? error->message : "end of output");
  *proc_out = proc;
  return g_strdup_printf ("serial:%s", g_strstrip (pty));
}

static gboolean
no_windows (gpointer data)
{
  return gtk_application_get_windows (data) == NULL;
}

int
main (int argc, char **argv)
{
  gint64 t0 = g_get_monotonic_time ();
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (argc > 1 && g_str_equal (argv[1], "--gl"))
    g_setenv ("GSK_RENDERER", "gl", TRUE);
  g_print ("renderer: GSK_RENDERER=%s\n",
           g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "(default)");
  g_autofree char *data_home = g_dir_make_tmp ("nb-gui-bench-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  gtk_init ();
  nb_sim_transport_register ();

  Frames f = { 0 };
  f.latencies_ms = g_array_new (FALSE, FALSE, sizeof (double));
  f.chart_draw_ms = g_array_new (FALSE, FALSE, sizeof (double));
  NbApplication *app;
  NbWindow *win = nb_test_start_app (&app);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (win));
  g_assert_nonnull (clock);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &f);
  if (!nb_test_wait (first_frame, &f, 10))
    g_error ("no frame painted in 10 s");
  g_print ("%-44s %7.1f ms  (goal < 1000 ms)\n", "start to first frame",
           (f.first_frame_at - t0) / 1000.0);

  NbLivePage *live = nb_window_get_live_page (win);
  f.chart = nb_live_page_get_strip_chart (live);
  g_autoptr (GSubprocess) sim = NULL;
  g_autofree char *uri = start_sim_process (&sim);
  g_print ("simulated pen: %s\n",
           uri ? "needlebench-sim, a process of its own (figures: the app alone)"
               : "in-process (figures: the process; the app's: less the nb-sim threads)");
  nb_live_page_connect_uri (live, uri ? uri : "sim");
  while (!nb_test_wait (connected, live, 0.05))
    if (nb_live_page_get_run (live) && nb_run_is_connected (nb_live_page_get_run (live))
        && !nb_run_is_motor_running (nb_live_page_get_run (live)))
      {
        (void) gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-motor", NULL);
        nb_test_pump (0.2);
      }
  nb_test_pump (1.0); /* settle: fill the chart */
  f.run = nb_live_page_get_run (live);
  guint frames0 = f.frames;
  nb_test_pump (LATENCY_S);
  g_print ("%-44s %7.1f fps while streaming at 20 kHz\n", "frames painted",
           (f.frames - frames0) / LATENCY_S);
  report ("device-to-screen latency (batch → frame)", f.latencies_ms, "< 50 ms");
  report ("live strip chart draw (in the window)", f.chart_draw_ms, "< 4 ms");
  f.run = NULL;
  g_signal_handlers_disconnect_by_data (clock, &f);

  NbRun *run = nb_live_page_get_run (live);
  measure_cpu ("CPU streaming 20 kHz, motor on", f.chart, "< 15 %");
  (void) gtk_widget_activate_action (GTK_WIDGET (live), "live.toggle-motor", NULL);
  if (!nb_test_wait (motor_stopped, run, 5))
    g_error ("the motor did not stop within 5 s");
  nb_test_pump (1.0); /* settle: the last strokes and readouts */
  measure_cpu ("CPU idle, pen connected, motor off", f.chart, "< 1 %");

  offscreen_chart ();

  /* Quit as the operator does: the window goes once the pen has stopped its motor. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  if (!nb_test_wait (no_windows, app, 5))
    g_error ("the window did not close within 5 s of quitting");
  g_object_unref (app);
  if (sim)
    g_subprocess_force_exit (sim);
  g_array_unref (f.latencies_ms);
  g_array_unref (f.chart_draw_ms);
  return 0;
}
