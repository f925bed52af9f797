/* test-device-fake.c: NbDevice against a scripted pen (not the simulator): what a pen that sends
 * malformed or inconsistent data gets from the device API. This program does not register the
 * simulated pen, so it also shows what `sim:` gives a program without it. */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nb-device.h"
#include "nb-fd-transport.h"
#include "nb-frame.h"

typedef struct
{
  int fd;
  GThread *thread;
  gboolean bad_identity;
  NbFrameDecoder decoder;
} FakePen;

static void
send_msg (FakePen *pen, guint8 type, guint16 seq, const guint8 *payload, gsize len)
{
  guint8 wire[NB_FRAME_MAX_WIRE];
  gsize n = nb_frame_encode (type, seq, payload, len, wire);
  g_assert_cmpint (write (pen->fd, wire, n), ==, (gssize) n);
}

static void
send_batch (FakePen *pen, guint64 first)
{
  gint16 samples[10] = { 0 };
  guint8 payload[NB_FRAME_MAX_PAYLOAD];
  gsize n = nb_telemetry_encode (first, 0, samples, G_N_ELEMENTS (samples), payload);
  send_msg (pen, NB_MSG_TELEMETRY, 0, payload, n);
}

static void
on_request (const NbFrame *f, gpointer data)
{
  FakePen *pen = data;
  guint8 payload[NB_FRAME_MAX_PAYLOAD];

  if (f->type == NB_MSG_IDENTIFY)
    {
      NbIdentity id = {
        .protocol_version = NB_PROTOCOL_VERSION,
        .depth_min_um = 250,
        .depth_max_um = 3000,
        .depth_step_um = 50,
        .rate_min_mhz = 50000,
        .rate_max_mhz = 150000,
        .sample_rate_hz = 10000,
      };
      g_strlcpy (id.model, "Fake", sizeof id.model);
      /* a control character in the serial: the decoder refuses it */
      g_strlcpy (id.serial, pen->bad_identity ? "FAKE\n1" : "FAKE-1", sizeof id.serial);
      g_strlcpy (id.firmware, "0.1", sizeof id.firmware);
      send_msg (pen, NB_MSG_IDENTITY, f->seq, payload, nb_identity_encode (&id, payload));
      return;
    }
  send_msg (pen, NB_MSG_ACK, f->seq, NULL, 0);
  if (f->type == NB_MSG_STREAM_START)
    {
      send_batch (pen, 0);
      send_batch (pen, 10);
      send_batch (pen, 25); /* a gap: 5 samples lost */
      send_batch (pen, 0);  /* backwards: a break */
      send_batch (pen, 10);
      send_batch (pen, 20 + 10000);         /* exactly a second ahead: still a gap */
      send_batch (pen, G_MAXUINT64 - 5000); /* far ahead: a break, not 2^64 lost samples */
      send_batch (pen, G_MAXUINT64 - 4990); /* back in step */
    }
}

static gpointer
pen_thread (gpointer data)
{
  FakePen *pen = data;
  guint8 buf[256];
  gssize n;
  while ((n = read (pen->fd, buf, sizeof buf)) > 0)
    nb_frame_decoder_push (&pen->decoder, buf, (gsize) n);
  return NULL;
}

static void
release_pen (NbFdTransport *t)
{
  FakePen *pen = t->hook_data;
  shutdown (pen->fd, SHUT_RDWR);
  g_thread_join (pen->thread);
  close (pen->fd);
  g_free (pen);
}

static const NbFdTransportHooks fake_hooks = { .release = release_pen };

/* Opens `sim:` URIs in this program: `sim:bad-identity` sends a malformed IDENTITY. */
static NbTransport *
fake_open (const NbDeviceUri *uri, GError **error)
{
  int sv[2];
  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
  FakePen *pen = g_new0 (FakePen, 1);
  pen->fd = sv[1];
  pen->bad_identity = g_str_equal (uri->sim_spec, "bad-identity");
  nb_frame_decoder_init (&pen->decoder, on_request, pen);
  pen->thread = g_thread_new ("fake-pen", pen_thread, pen);
  NbFdTransport *t = nb_fd_transport_new (sv[0], &fake_hooks, pen, "fake pen", error);
  g_assert_nonnull (t);
  return &t->parent;
}

static void
test_sim_not_registered (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NbDevice) dev = nb_device_open ("sim", NULL, &error);
  g_assert_null (dev);
  g_assert_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "simulated pen"));
}

static void
test_bad_identity (void)
{
  nb_transport_register (NB_URI_SIM, "fake", fake_open, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (NbDevice) dev = nb_device_open ("sim:bad-identity", NULL, &error);
  g_assert_null (dev);
  /* the pen's fault, a device error (CLI exit 3), not the codec's domain (exit 4) */
  g_assert_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "IDENTITY"));
}

static void
test_index_jumps (void)
{
  nb_transport_register (NB_URI_SIM, "fake", fake_open, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (NbDevice) dev = nb_device_open ("sim", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (nb_device_stream_start (dev, NULL, &error));
  NbDeviceStats st;
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  do
    {
      g_usleep (10 * 1000);
      nb_device_get_stats (dev, &st);
    }
  while (st.batches < 8 && g_get_monotonic_time () < end);
  g_assert_cmpuint (st.batches, ==, 8);
  g_assert_cmpuint (st.gaps, ==, 2);
  g_assert_cmpuint (st.lost_samples, ==, 5 + 10000);
  g_assert_cmpuint (st.stream_breaks, ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/device-fake/sim-not-registered", test_sim_not_registered);
  g_test_add_func ("/device-fake/bad-identity", test_bad_identity);
  g_test_add_func ("/device-fake/index-jumps", test_index_jumps);
  return g_test_run ();
}
