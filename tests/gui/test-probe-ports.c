/* test-probe-ports.c: the app's "probe-ports" setting. The pen list's monitor opens a serial port
 * that is not a pen's only once the setting names it, and follows the setting as it changes.
 * A simulated pen on a pty (needlebench-sim) stands for a pen behind a generic adapter. Headless:
 * GSettings with the memory backend and the schema from the build tree. */
#include "cli-harness.h"
#include "nb-pen-list.h"
#include "nb-sim-transport.h"

typedef struct
{
  NbPenList *pens;
  const char *uri;
} Want;

static gboolean
listed (Want *w)
{
  return nb_pen_list_find (w->pens, w->uri, NULL) != NULL;
}

/* Iterates the default context until @w's pen is listed or @timeout_s passes. */
static gboolean
wait_listed (Want *w, double timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);
  while (!listed (w) && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return listed (w);
}

static void
test_probe_ports (void)
{
  g_autofree char *pty = NULL;
  GSubprocess *sim = sim_start (&pty, "--serial", "NB-PREF-0001", NULL);
  g_autofree char *uri = g_strdup_printf ("serial:%s", pty);
  g_autoptr (GSettings) settings = g_settings_new ("org.needlebench.NeedleBench");
  g_auto (GStrv) initial = g_settings_get_strv (settings, "probe-ports");
  g_assert_cmpuint (g_strv_length (initial), ==, 0);

  g_autoptr (NbPenList) pens = nb_pen_list_new ();
  nb_pen_list_start (pens);
  Want sim_pen = { pens, "sim" }, pty_pen = { pens, uri };
  g_assert_true (wait_listed (&sim_pen, 10)); /* the first scan is done */
  g_assert_false (wait_listed (&pty_pen, 2.5 * NB_DEVICE_MONITOR_POLL_MS / 1000.0));

  const char *const ports[] = { pty, NULL };
  g_assert_true (g_settings_set_strv (settings, "probe-ports", ports));
  g_assert_true (wait_listed (&pty_pen, 10));
  NbPenItem *item = nb_pen_list_find (pens, uri, NULL);
  g_assert_cmpstr (nb_pen_item_get_serial (item), ==, "NB-PREF-0001");
  g_assert_cmpstr (nb_pen_item_get_transport (item), ==, "serial");

  nb_pen_list_stop (pens);
  sim_stop (sim);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  nb_sim_transport_register ();
  g_test_add_func ("/gui/probe-ports", test_probe_ports);
  return g_test_run ();
}
