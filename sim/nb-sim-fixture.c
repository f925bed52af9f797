/* nb-sim-fixture.c: the simulated reference fixture's firmware. */
#include "nb-sim-fixture.h"

#include <math.h>

#include "nb-frame.h"
#include "nb-sim-params.h"
#include "nb-sim-physics.h"

/* The range its certificate covers: the deepest pen setting (3 mm) with room to spare. */
#define RANGE_MIN_UM 0
#define RANGE_MAX_UM 5000
/* A stroke's peak needs about 67 samples (docs/protocol.md §11.1). */
#define SAMPLES_PER_STROKE 67
#define RATE_MIN_MHZ 1000
#define DEFAULT_OUTPUT_LIMIT (256 * 1024)

struct _NbSimFixture
{
  NbSimFixtureParams params;
  NbIdentity identity;
  GRand *rand;
  NbFrameDecoder decoder;
  guint sample_rate_hz;

  gboolean streaming;
  guint64 stream_index;
  guint16 tx_seq;
  guint64 clock_samples;

  gboolean have_last; /* idempotent retransmission, as a pen (§3) */
  guint16 last_seq;
  guint8 last_response[NB_FRAME_MAX_WIRE];
  gsize last_response_len;

  GByteArray *out;
  gsize out_limit;
  guint64 dropped_batches;
  gint16 batch[NB_TELEMETRY_MAX_SAMPLES];
};

static void
respond (NbSimFixture *fix, guint16 seq, guint8 type, const guint8 *payload, gsize len)
{
  fix->last_response_len = nb_frame_encode (type, seq, payload, len, fix->last_response);
  fix->last_seq = seq;
  fix->have_last = TRUE;
  g_byte_array_append (fix->out, fix->last_response, (guint) fix->last_response_len);
}

static void
nak (NbSimFixture *fix, guint16 seq, guint8 code, guint16 detail)
{
  guint8 payload[NB_NAK_SIZE];
  nb_nak_encode (code, detail, payload);
  respond (fix, seq, NB_MSG_NAK, payload, sizeof payload);
}

static void
handle_request (NbSimFixture *fix, const NbFrame *f)
{
  guint8 payload[NB_FRAME_MAX_PAYLOAD];
  gboolean known = f->type == NB_MSG_IDENTIFY || f->type == NB_MSG_PING
                   || f->type == NB_MSG_STREAM_START || f->type == NB_MSG_STREAM_STOP
                   || f->type == NB_MSG_GET_STATUS;
  /* §11.2: no motor, no settings, no table: those are requests a fixture does not implement, so
   * they get UNKNOWN_TYPE before any look at their length. */
  if (!known)
    {
      nak (fix, f->seq, NB_NAK_UNKNOWN_TYPE, f->type);
      return;
    }
  if (f->length != 0)
    {
      nak (fix, f->seq, NB_NAK_BAD_LENGTH, 0);
      return;
    }
  switch (f->type)
    {
    case NB_MSG_IDENTIFY:
      respond (fix, f->seq, NB_MSG_IDENTITY, payload, nb_identity_encode (&fix->identity, payload));
      break;
    case NB_MSG_STREAM_START:
      if (!fix->streaming)
        {
          fix->streaming = TRUE;
          fix->stream_index = 0;
        }
      respond (fix, f->seq, NB_MSG_ACK, NULL, 0);
      break;
    case NB_MSG_STREAM_STOP:
      fix->streaming = FALSE;
      respond (fix, f->seq, NB_MSG_ACK, NULL, 0);
      break;
    case NB_MSG_GET_STATUS:
      {
        NbStatus st = {
          .flags = fix->streaming ? NB_STATUS_STREAMING : 0,
          .uptime_ms = (guint32) (fix->clock_samples * 1000 / fix->sample_rate_hz),
        };
        respond (fix, f->seq, NB_MSG_STATUS, payload, nb_status_encode (&st, payload));
      }
      break;
    default: /* PING */ respond (fix, f->seq, NB_MSG_ACK, NULL, 0); break;
    }
}

static void
on_frame (const NbFrame *f, gpointer user_data)
{
  NbSimFixture *fix = user_data;
  if (f->version != NB_PROTOCOL_VERSION)
    {
      nak (fix, f->seq, NB_NAK_UNSUPPORTED_VERSION, NB_PROTOCOL_VERSION);
      return;
    }
  if (fix->have_last && f->seq == fix->last_seq)
    {
      g_byte_array_append (fix->out, fix->last_response, (guint) fix->last_response_len);
      return;
    }
  handle_request (fix, f);
}

NbSimFixture *
nb_sim_fixture_new (const NbSimFixtureParams *params, guint sample_rate_hz, GError **error)
{
  if (sample_rate_hz < NB_FIXTURE_MIN_SAMPLE_RATE_HZ)
    {
      g_set_error (error, NB_SIM_ERROR, NB_SIM_ERROR_INVALID_PARAM,
                   "a reference fixture samples at %u Hz or more; the pen it would be mounted on "
                   "runs at %u Hz (sample-rate)",
                   NB_FIXTURE_MIN_SAMPLE_RATE_HZ, sample_rate_hz);
      return NULL;
    }
  NbSimFixture *fix = g_new0 (NbSimFixture, 1);
  nb_sim_fixture_params_copy (&fix->params, params);
  fix->sample_rate_hz = sample_rate_hz;
  /* its own stream, so mounting a fixture never changes what the pen does */
  fix->rand = g_rand_new_with_seed (params->seed ^ 0x5F1E7A3Bu);
  nb_frame_decoder_init (&fix->decoder, on_frame, fix);
  fix->identity = (NbIdentity){
    .protocol_version = NB_PROTOCOL_VERSION,
    .capabilities = NB_CAP_REFERENCE,
    .depth_min_um = RANGE_MIN_UM,
    .depth_max_um = RANGE_MAX_UM,
    .depth_step_um = params->resolution_um,
    .rate_min_mhz = RATE_MIN_MHZ,
    .rate_max_mhz = sample_rate_hz / SAMPLES_PER_STROKE * 1000, /* whole Hz */
    .sample_rate_hz = sample_rate_hz,
  };
  g_strlcpy (fix->identity.model, params->model, sizeof fix->identity.model);
  g_strlcpy (fix->identity.serial, params->serial, sizeof fix->identity.serial);
  g_strlcpy (fix->identity.firmware, params->firmware, sizeof fix->identity.firmware);
  fix->out = g_byte_array_sized_new (64 * 1024);
  fix->out_limit = DEFAULT_OUTPUT_LIMIT;
  return fix;
}

void
nb_sim_fixture_free (NbSimFixture *fix)
{
  if (fix == NULL)
    return;
  g_rand_free (fix->rand);
  g_byte_array_unref (fix->out);
  nb_sim_fixture_params_clear (&fix->params);
  g_free (fix);
}

void
nb_sim_fixture_receive (NbSimFixture *fix, const guint8 *data, gsize len)
{
  nb_frame_decoder_push (&fix->decoder, data, len);
}

static gint16
quantise (const NbSimFixture *fix, double um)
{
  double step = fix->params.resolution_um;
  double q = round (um / step) * step;
  return (gint16) CLAMP (q, (double) G_MININT16, (double) G_MAXINT16);
}

double
nb_sim_fixture_reading_um (const NbSimFixture *fix, double true_mm)
{
  return quantise (fix, true_mm * 1000.0 + fix->params.offset_um);
}

void
nb_sim_fixture_observe (NbSimFixture *fix, const double *true_mm, guint n)
{
  guint done = 0;
  while (done < n)
    {
      guint chunk = MIN (n - done, NB_TELEMETRY_MAX_SAMPLES);
      fix->clock_samples += chunk;
      if (fix->streaming)
        {
          for (guint i = 0; i < chunk; i++)
            {
              double um = true_mm[done + i] * 1000.0 + fix->params.offset_um;
              if (fix->params.noise_um > 0)
                um += fix->params.noise_um * nb_sim_gauss (fix->rand);
              fix->batch[i] = quantise (fix, um);
            }
          if (fix->out->len > fix->out_limit)
            fix->dropped_batches++;
          else
            {
              guint8 payload[NB_FRAME_MAX_PAYLOAD];
              guint8 wire[NB_FRAME_MAX_WIRE];
              gsize len = nb_telemetry_encode (fix->stream_index, 0, fix->batch, (guint16) chunk,
                                               payload);
              gsize w = nb_frame_encode (NB_MSG_TELEMETRY, fix->tx_seq++, payload, len, wire);
              g_byte_array_append (fix->out, wire, (guint) w);
            }
          fix->stream_index += chunk;
        }
      done += chunk;
    }
}

const guint8 *
nb_sim_fixture_peek_output (NbSimFixture *fix, gsize *len)
{
  *len = fix->out->len;
  return fix->out->data;
}

void
nb_sim_fixture_consume_output (NbSimFixture *fix, gsize n)
{
  g_byte_array_remove_range (fix->out, 0, (guint) MIN (n, fix->out->len));
}

void
nb_sim_fixture_set_output_limit (NbSimFixture *fix, gsize max_bytes)
{
  fix->out_limit = max_bytes;
}

guint64
nb_sim_fixture_get_dropped_batches (NbSimFixture *fix)
{
  return fix->dropped_batches;
}

const NbIdentity *
nb_sim_fixture_get_identity (NbSimFixture *fix)
{
  return &fix->identity;
}
