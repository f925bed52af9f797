/* bench-usb: how fast the USB path (libusb transport, frame decoder, NbDevice) takes telemetry
 * from a fake USB pen that sends as fast as the host takes it (tests/usb/nb-fake-usb.c). Prints
 * the throughput against the pen's real data rate (20 kHz × 2 bytes + framing ≈ 45 kB/s) and
 * whether any sample was lost. Run under umockdev-wrapper (meson does). Asserts no time. */
#include <stdio.h>
#include <umockdev.h>

#include "nb-device.h"
#include "nb-fake-usb.h"

#define SECONDS 3.0
#define REAL_SAMPLES_PER_S 20000.0

static gboolean
quit_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  g_autoptr (UMockdevTestbed) probe = umockdev_testbed_new ();
  if (!umockdev_in_mock_environment ())
    {
      g_printerr ("bench-usb: NOT under umockdev-wrapper: run 'umockdev-wrapper %s'\n", argv[0]);
      return 1;
    }
  g_clear_object (&probe);
  g_autoptr (GError) error = NULL;
  NbFakeUsb *fake = nb_fake_usb_new ("serial=NB-BENCH", &error);
  g_assert_no_error (error);
  nb_fake_usb_set_fast (fake, TRUE);
  nb_fake_usb_plug (fake, NULL);

  NbDevice *dev = nb_device_open ("usb:1209:0001", NULL, &error);
  if (dev == NULL)
    {
      g_printerr ("bench-usb: %s\n", error->message);
      return 1;
    }
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  if (!nb_device_stream_start (dev, NULL, &error))
    {
      g_printerr ("bench-usb: %s\n", error->message);
      return 1;
    }
  NbDeviceStats st0;
  nb_device_get_stats (dev, &st0);
  gint64 t0 = g_get_monotonic_time ();
  g_timeout_add ((guint) (SECONDS * 1000), quit_cb, loop);
  g_main_loop_run (loop);
  NbDeviceStats st;
  nb_device_get_stats (dev, &st);
  double dt = (g_get_monotonic_time () - t0) / 1e6;
  gboolean lost = FALSE;
  if (!nb_device_is_connected (dev))
    lost = TRUE;
  nb_device_close (dev);
  g_object_unref (dev);

  double samples_s = (st.samples - st0.samples) / dt;
  double bytes_s = (st.bytes - st0.bytes) / dt;
  printf ("USB path: %.0f samples/s, %.2f MB/s over %.1f s = %.1f× the pen's real rate "
          "(%.0f samples/s, ~45 kB/s)\n",
          samples_s, bytes_s / 1e6, dt, samples_s / REAL_SAMPLES_PER_S, REAL_SAMPLES_PER_S);
  printf ("gaps %" G_GUINT64_FORMAT ", lost samples %" G_GUINT64_FORMAT
          ", CRC errors %" G_GUINT64_FORMAT ", framing errors %" G_GUINT64_FORMAT
          ", pen-side drops %" G_GUINT64_FORMAT "%s\n",
          st.gaps, st.lost_samples, st.crc_errors, st.framing_errors,
          nb_fake_usb_get_dropped_batches (fake), lost ? ", LINK LOST" : "");
  nb_fake_usb_free (fake);
  /* Not a timing assertion: a gap or a lost link is a correctness failure. */
  return st.gaps == 0 && !lost ? 0 : 1;
}
