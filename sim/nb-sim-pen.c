/* nb-sim-pen.c: the simulated pen's firmware. */
#include "nb-sim-pen.h"

#include <math.h>
#include <string.h>

#include "nb-frame.h"
#include "nb-sim-physics.h"
#include "nb-sim-status.h"

#define DEPTH_MIN_UM 0
#define DEPTH_MAX_UM 3000
#define DEPTH_STEP_UM 50
#define RATE_MIN_MHZ 50000
#define RATE_MAX_MHZ 150000
#define JAM_AFTER_S 0.5
#define DEFAULT_OUTPUT_LIMIT (256 * 1024)

struct _NbSimPen
{
  NbSimParams params;
  NbSimPhysics physics;
  NbIdentity identity;
  GRand *link_rand; /* faults on the link, separate from the physics stream */
  NbFrameDecoder decoder;

  guint32 depth_um;
  guint32 rate_mhz;
  gboolean streaming;
  guint64 stream_index;
  guint16 tx_seq; /* counter of unsolicited messages */
  gboolean cartridge;
  gboolean motor_fault;
  double jam_at_s; /* when the running motor jams; < 0 = not armed */
  gboolean reset_pending_once;

  gboolean have_last; /* idempotent retransmission */
  guint16 last_seq;
  guint8 last_response[NB_FRAME_MAX_WIRE];
  gsize last_response_len;

  NbCalTable calibration; /* in force, as stored in the EEPROM */
  NbCalTable staged;
  gboolean have_staged;

  guint64 clock_samples;
  /* Host watchdog (protocol.md §3.1), on the host's clock: the pen's own clock divided by the
   * time-scale, or the wall clock the runner gives (nb_sim_pen_set_host_time), which keeps going
   * while a fast pen's clock waits for a reader that is gone. */
  gboolean watchdog;
  gboolean host_clock_external;
  double host_time_s;
  double last_request_host_s;
  double reset_time_s;
  gboolean stalled;
  gboolean disconnected;

  NbSimStatusLine published; /* what the status file says */
  gboolean have_published;
  gboolean status_failed; /* reported once, not per state change */

  GByteArray *out;
  gsize out_limit;
  guint64 dropped_batches;
  gint16 *batch;
  double *truth; /* the true positions of batch, for the tap */
  guint batch_size;
  NbSimPenTap tap;
  gpointer tap_data;
};

static double
now_s (NbSimPen *pen)
{
  return (double) pen->clock_samples / pen->params.sample_rate_hz;
}

/* The host's clock: the 500 ms keepalive and the 2 s watchdog are the host's seconds, so at
 * time-scale 10 the pen's own clock runs 20 s before the watchdog fires. */
static double
host_now_s (NbSimPen *pen)
{
  if (pen->host_clock_external)
    return pen->host_time_s;
  return now_s (pen) / (pen->params.time_scale > 0 ? pen->params.time_scale : 1.0);
}

static void
apply_settings (NbSimPen *pen)
{
  double d_um = pen->depth_um;
  pen->physics.cmd_depth_mm
      = (d_um + nb_cal_table_correction_um (&pen->calibration, d_um)) / 1000.0;
  pen->physics.cmd_rate_hz
      = pen->rate_mhz / 1000.0 * (1.0 + pen->calibration.rate_correction_ppm / 1e6);
}

/* Everything the pen sends goes through here, where the link faults act. */
static void
send_bytes (NbSimPen *pen, const guint8 *data, gsize len)
{
  if (pen->stalled || pen->disconnected)
    return;
  for (gsize i = 0; i < len; i++)
    {
      guint8 b = data[i];
      if (pen->params.drop > 0 && g_rand_double (pen->link_rand) < pen->params.drop)
        continue;
      if (pen->params.flip > 0 && g_rand_double (pen->link_rand) < pen->params.flip)
        b ^= (guint8) (1u << g_rand_int_range (pen->link_rand, 0, 8));
      g_byte_array_append (pen->out, &b, 1);
    }
}

static void
send_unsolicited (NbSimPen *pen, guint8 type, const guint8 *payload, gsize len)
{
  guint8 wire[NB_FRAME_MAX_WIRE];
  gsize n = nb_frame_encode (type, pen->tx_seq++, payload, len, wire);
  send_bytes (pen, wire, n);
}

static void
send_event (NbSimPen *pen, guint8 code, guint16 detail)
{
  guint8 payload[NB_EVENT_SIZE];
  NbEvent ev
      = { .code = code, .detail = detail, .sample_index = pen->streaming ? pen->stream_index : 0 };
  nb_event_encode (&ev, payload);
  send_unsolicited (pen, NB_MSG_EVENT, payload, sizeof payload);
}

static void
respond (NbSimPen *pen, guint16 seq, guint8 type, const guint8 *payload, gsize len)
{
  pen->last_response_len = nb_frame_encode (type, seq, payload, len, pen->last_response);
  pen->last_seq = seq;
  pen->have_last = TRUE;
  send_bytes (pen, pen->last_response, pen->last_response_len);
}

static void
ack (NbSimPen *pen, guint16 seq)
{
  respond (pen, seq, NB_MSG_ACK, NULL, 0);
}

static void
nak (NbSimPen *pen, guint16 seq, guint8 code, guint16 detail)
{
  guint8 payload[NB_NAK_SIZE];
  nb_nak_encode (code, detail, payload);
  respond (pen, seq, NB_MSG_NAK, payload, sizeof payload);
}

static void
reset_pen (NbSimPen *pen)
{
  nb_sim_physics_stop (&pen->physics, TRUE);
  pen->streaming = FALSE;
  pen->depth_um = 500;
  pen->rate_mhz = 100000;
  pen->motor_fault = FALSE;
  pen->jam_at_s = -1;
  pen->have_last = FALSE;
  pen->have_staged = FALSE;
  pen->reset_time_s = now_s (pen);
  apply_settings (pen);
}

static void
save_eeprom (NbSimPen *pen, const NbCalTable *table, gboolean *ok)
{
  *ok = TRUE;
  if (pen->params.eeprom == NULL)
    return;
  guint8 buf[NB_FRAME_MAX_PAYLOAD];
  gsize n = nb_cal_table_encode (table, buf);
  g_autoptr (GError) error = NULL;
  /* Written aside, synced and renamed over: a reset or power loss mid-write keeps the old table. */
  if (!g_file_set_contents_full (pen->params.eeprom, (const char *) buf, (gssize) n,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600,
                                 &error))
    {
      g_message ("simulated pen: cannot write EEPROM %s: %s", pen->params.eeprom, error->message);
      *ok = FALSE;
    }
}

static void
load_eeprom (NbSimPen *pen)
{
  nb_cal_table_init_factory (&pen->calibration);
  if (pen->params.eeprom == NULL || !g_file_test (pen->params.eeprom, G_FILE_TEST_EXISTS))
    return;
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (pen->params.eeprom, &data, &len, &error)
      || !nb_cal_table_decode ((const guint8 *) data, len, &pen->calibration, &error))
    {
      g_message ("simulated pen: EEPROM %s unusable (%s); factory calibration in force",
                 pen->params.eeprom, error->message);
      nb_cal_table_init_factory (&pen->calibration);
    }
}

/* Rewrites the status file when the motor, stream, depth or rate changed since it was last
 * written. Called after every request and every batch of the clock, so no change is missed. */
static void
publish_status (NbSimPen *pen)
{
  if (pen->params.status_file == NULL)
    return;
  NbSimStatusLine now = {
    .motor = pen->physics.running,
    .stream = pen->streaming,
    .depth_um = pen->depth_um,
    .rate_mhz = pen->rate_mhz,
  };
  if (pen->have_published && memcmp (&now, &pen->published, sizeof now) == 0)
    return;
  g_autoptr (GError) error = NULL;
  if (!nb_sim_status_write (pen->params.status_file, &now, &error))
    {
      if (!pen->status_failed)
        g_message ("simulated pen: %s", error->message);
      pen->status_failed = TRUE;
      return;
    }
  pen->published = now;
  pen->have_published = TRUE;
}

static gboolean
expect_length (NbSimPen *pen, const NbFrame *f, guint16 want)
{
  if (f->length == want)
    return TRUE;
  nak (pen, f->seq, NB_NAK_BAD_LENGTH, want);
  return FALSE;
}

static void
handle_request (NbSimPen *pen, const NbFrame *f)
{
  guint8 payload[NB_FRAME_MAX_PAYLOAD];

  switch (f->type)
    {
    case NB_MSG_IDENTIFY:
      if (expect_length (pen, f, 0))
        respond (pen, f->seq, NB_MSG_IDENTITY, payload,
                 nb_identity_encode (&pen->identity, payload));
      break;

    case NB_MSG_PING:
      if (expect_length (pen, f, 0))
        ack (pen, f->seq);
      break;

    case NB_MSG_SET_DEPTH:
      if (!expect_length (pen, f, 4))
        break;
      {
        guint32 d = nb_get_u32 (f->payload);
        if (d > DEPTH_MAX_UM || (d - DEPTH_MIN_UM) % DEPTH_STEP_UM != 0)
          {
            nak (pen, f->seq, NB_NAK_OUT_OF_RANGE, 0);
            break;
          }
        pen->depth_um = d;
        apply_settings (pen);
        ack (pen, f->seq);
      }
      break;

    case NB_MSG_SET_RATE:
      if (!expect_length (pen, f, 4))
        break;
      {
        guint32 r = nb_get_u32 (f->payload);
        if (r < RATE_MIN_MHZ || r > RATE_MAX_MHZ)
          {
            nak (pen, f->seq, NB_NAK_OUT_OF_RANGE, 0);
            break;
          }
        pen->rate_mhz = r;
        apply_settings (pen);
        ack (pen, f->seq);
      }
      break;

    case NB_MSG_MOTOR_START:
      if (!expect_length (pen, f, 0))
        break;
      if (!pen->cartridge)
        nak (pen, f->seq, NB_NAK_NO_CARTRIDGE, 0);
      else if (pen->motor_fault)
        nak (pen, f->seq, NB_NAK_MOTOR_FAULT, 0);
      else
        {
          if (!pen->physics.running && pen->params.jam)
            pen->jam_at_s = now_s (pen) + JAM_AFTER_S;
          nb_sim_physics_start (&pen->physics);
          ack (pen, f->seq);
        }
      break;

    case NB_MSG_MOTOR_STOP:
      if (!expect_length (pen, f, 0))
        break;
      nb_sim_physics_stop (&pen->physics, FALSE);
      pen->motor_fault = FALSE;
      pen->jam_at_s = -1;
      ack (pen, f->seq);
      break;

    case NB_MSG_STREAM_START:
      if (!expect_length (pen, f, 0))
        break;
      if (!pen->streaming)
        {
          pen->streaming = TRUE;
          pen->stream_index = 0;
        }
      ack (pen, f->seq);
      break;

    case NB_MSG_STREAM_STOP:
      if (!expect_length (pen, f, 0))
        break;
      pen->streaming = FALSE;
      ack (pen, f->seq);
      break;

    case NB_MSG_GET_STATUS:
      if (!expect_length (pen, f, 0))
        break;
      {
        NbStatus st = {
          .depth_um = pen->depth_um,
          .rate_mhz = pen->rate_mhz,
          .flags = (pen->physics.running ? NB_STATUS_MOTOR_RUNNING : 0)
                   | (pen->streaming ? NB_STATUS_STREAMING : 0)
                   | (pen->cartridge ? NB_STATUS_CARTRIDGE : 0)
                   | (pen->motor_fault ? NB_STATUS_MOTOR_FAULT : 0),
          .temp_mc = (gint32) lround (pen->physics.temp_c * 1000.0),
          .uptime_ms = (guint32) ((now_s (pen) - pen->reset_time_s) * 1000.0),
        };
        respond (pen, f->seq, NB_MSG_STATUS, payload, nb_status_encode (&st, payload));
      }
      break;

    case NB_MSG_CAL_READ:
      if (expect_length (pen, f, 0))
        respond (pen, f->seq, NB_MSG_CAL_TABLE, payload,
                 nb_cal_table_encode (&pen->calibration, payload));
      break;

    case NB_MSG_CAL_WRITE:
      if (pen->reset_pending_once)
        {
          /* The fault: power dips while the table is being received. */
          pen->reset_pending_once = FALSE;
          reset_pen (pen);
          send_event (pen, NB_EVENT_RESET, 0);
          break;
        }
      {
        g_autoptr (GError) error = NULL;
        NbCalTable t;
        guint8 code;
        guint16 detail;
        if (!nb_cal_table_check (f->payload, f->length, &t, &code, &detail, &error))
          {
            nak (pen, f->seq, code, detail);
            break;
          }
        pen->staged = t;
        pen->have_staged = TRUE;
        ack (pen, f->seq);
      }
      break;

    case NB_MSG_CAL_COMMIT:
      if (!expect_length (pen, f, 4))
        break;
      if (!pen->have_staged)
        nak (pen, f->seq, NB_NAK_BAD_STATE, 0);
      else if (nb_cal_table_crc (&pen->staged) != nb_get_u32 (f->payload))
        nak (pen, f->seq, NB_NAK_CAL_CRC, 0);
      else
        {
          gboolean ok;
          save_eeprom (pen, &pen->staged, &ok);
          if (!ok)
            {
              nak (pen, f->seq, NB_NAK_STORAGE, 0);
              break;
            }
          pen->calibration = pen->staged;
          pen->have_staged = FALSE;
          apply_settings (pen);
          ack (pen, f->seq);
        }
      break;

    default: nak (pen, f->seq, NB_NAK_UNKNOWN_TYPE, f->type); break;
    }
}

static void
on_frame (const NbFrame *f, gpointer user_data)
{
  NbSimPen *pen = user_data;

  if (pen->stalled || pen->disconnected)
    return;
  if (f->version != NB_PROTOCOL_VERSION)
    {
      nak (pen, f->seq, NB_NAK_UNSUPPORTED_VERSION, NB_PROTOCOL_VERSION);
      return;
    }
  /* Any frame of the pen's version is a request (§4: a type it does not implement, 0x40-0xFF
   * included, gets NAK UNKNOWN_TYPE), so it re-arms the watchdog (§3.1). */
  pen->last_request_host_s = host_now_s (pen);
  if (pen->have_last && f->seq == pen->last_seq)
    {
      /* A retransmission: answer again, do not execute again. */
      send_bytes (pen, pen->last_response, pen->last_response_len);
      return;
    }
  handle_request (pen, f);
  publish_status (pen);
}

NbSimPen *
nb_sim_pen_new (const NbSimParams *params)
{
  NbSimPen *pen = g_new0 (NbSimPen, 1);

  pen->params = *params;
  pen->params.serial = g_strdup (params->serial);
  pen->params.model = g_strdup (params->model);
  pen->params.firmware = g_strdup (params->firmware);
  pen->params.eeprom = g_strdup (params->eeprom);
  pen->params.status_file = g_strdup (params->status_file);
  nb_sim_physics_init (&pen->physics, &pen->params, DEPTH_MAX_UM / 1000.0);
  pen->link_rand = g_rand_new_with_seed (params->seed ^ 0x9E3779B9u);
  nb_frame_decoder_init (&pen->decoder, on_frame, pen);

  pen->identity = (NbIdentity){
    .protocol_version = NB_PROTOCOL_VERSION,
    .capabilities
    = NB_CAP_CALIBRATION | NB_CAP_EVENTS | NB_CAP_TEMPERATURE | NB_CAP_CARTRIDGE_SENSE,
    .depth_min_um = DEPTH_MIN_UM,
    .depth_max_um = DEPTH_MAX_UM,
    .depth_step_um = DEPTH_STEP_UM,
    .rate_min_mhz = RATE_MIN_MHZ,
    .rate_max_mhz = RATE_MAX_MHZ,
    .sample_rate_hz = params->sample_rate_hz,
  };
  if (params->watchdog)
    {
      pen->identity.capabilities |= NB_CAP_WATCHDOG;
      pen->watchdog = TRUE;
    }
  g_strlcpy (pen->identity.model, params->model, sizeof pen->identity.model);
  g_strlcpy (pen->identity.serial, params->serial, sizeof pen->identity.serial);
  g_strlcpy (pen->identity.firmware, params->firmware, sizeof pen->identity.firmware);

  pen->cartridge = !params->no_cartridge;
  pen->reset_pending_once = params->reset_on_cal_write;
  pen->out = g_byte_array_sized_new (64 * 1024);
  pen->out_limit = DEFAULT_OUTPUT_LIMIT;
  /* 5 ms of samples a batch */
  pen->batch_size = MAX (1u, params->sample_rate_hz / 200);
  pen->batch_size = MIN (pen->batch_size, NB_TELEMETRY_MAX_SAMPLES);
  pen->batch = g_new (gint16, pen->batch_size);
  pen->truth = g_new (double, pen->batch_size);
  load_eeprom (pen);
  reset_pen (pen);
  publish_status (pen);
  return pen;
}

void
nb_sim_pen_free (NbSimPen *pen)
{
  if (pen == NULL)
    return;
  nb_sim_physics_clear (&pen->physics);
  g_rand_free (pen->link_rand);
  g_byte_array_unref (pen->out);
  g_free (pen->batch);
  g_free (pen->truth);
  nb_sim_params_clear (&pen->params);
  g_free (pen);
}

void
nb_sim_pen_receive (NbSimPen *pen, const guint8 *data, gsize len)
{
  nb_frame_decoder_push (&pen->decoder, data, len);
}

static void
check_watchdog (NbSimPen *pen)
{
  /* The 1 ns spares the float rounding of a sample clock that lands exactly on 2 s. */
  if (pen->watchdog && pen->physics.running
      && host_now_s (pen) - pen->last_request_host_s >= NB_WATCHDOG_TIMEOUT_MS / 1000.0 - 1e-9)
    {
      /* The host went quiet with the motor running: nobody else can stop it. */
      pen->jam_at_s = -1;
      nb_sim_physics_stop (&pen->physics, TRUE);
      send_event (pen, NB_EVENT_MOTOR_STOPPED, NB_MOTOR_STOPPED_WATCHDOG);
    }
}

void
nb_sim_pen_set_host_time (NbSimPen *pen, double seconds)
{
  pen->host_clock_external = TRUE;
  pen->host_time_s = seconds;
  check_watchdog (pen);
  publish_status (pen);
}

static void
check_faults (NbSimPen *pen)
{
  double t = now_s (pen);
  if (pen->params.stall_after_s >= 0 && t >= pen->params.stall_after_s)
    pen->stalled = TRUE;
  if (pen->params.disconnect_after_s >= 0 && t >= pen->params.disconnect_after_s)
    pen->disconnected = TRUE;
  if (pen->params.index_jump_after_s >= 0 && t >= pen->params.index_jump_after_s)
    {
      /* a corrupted sample counter, once: hosts must call this a broken stream, not a gap */
      pen->params.index_jump_after_s = -1;
      pen->stream_index = G_MAXUINT64 - 4999;
    }
  check_watchdog (pen);
  if (pen->jam_at_s >= 0 && t >= pen->jam_at_s && pen->physics.running)
    {
      pen->jam_at_s = -1;
      pen->motor_fault = TRUE;
      nb_sim_physics_stop (&pen->physics, TRUE);
      send_event (pen, NB_EVENT_MOTOR_JAM, 2);
    }
}

void
nb_sim_pen_advance (NbSimPen *pen, guint n)
{
  while (n > 0)
    {
      guint chunk = MIN (n, pen->batch_size);
      gboolean was_running = pen->physics.running;
      nb_sim_physics_generate_full (&pen->physics, pen->batch, pen->tap ? pen->truth : NULL, chunk);
      if (pen->tap)
        pen->tap (pen->truth, chunk, pen->tap_data);
      pen->clock_samples += chunk;
      if (was_running && !pen->physics.running && !pen->motor_fault)
        send_event (pen, NB_EVENT_MOTOR_STOPPED, NB_MOTOR_STOPPED_HOST_REQUEST);

      if (pen->streaming)
        {
          if (pen->out->len > pen->out_limit)
            pen->dropped_batches++; /* the FIFO is full: a real pen loses the batch */
          else
            {
              guint8 payload[NB_FRAME_MAX_PAYLOAD];
              guint16 flags = pen->physics.running ? 1 : 0;
              gsize len = nb_telemetry_encode (pen->stream_index, flags, pen->batch,
                                               (guint16) chunk, payload);
              send_unsolicited (pen, NB_MSG_TELEMETRY, payload, len);
            }
          pen->stream_index += chunk;
        }
      check_faults (pen);
      publish_status (pen);
      n -= chunk;
    }
}

const guint8 *
nb_sim_pen_peek_output (NbSimPen *pen, gsize *len)
{
  *len = pen->out->len;
  return pen->out->data;
}

void
nb_sim_pen_consume_output (NbSimPen *pen, gsize n)
{
  g_byte_array_remove_range (pen->out, 0, (guint) MIN (n, pen->out->len));
}

double
nb_sim_pen_get_time (NbSimPen *pen)
{
  return now_s (pen);
}

gboolean
nb_sim_pen_is_disconnected (NbSimPen *pen)
{
  return pen->disconnected;
}

guint
nb_sim_pen_get_batch_size (NbSimPen *pen)
{
  return pen->batch_size;
}

guint64
nb_sim_pen_get_dropped_batches (NbSimPen *pen)
{
  return pen->dropped_batches;
}

void
nb_sim_pen_set_output_limit (NbSimPen *pen, gsize max_bytes)
{
  pen->out_limit = max_bytes;
}

void
nb_sim_pen_set_tap (NbSimPen *pen, NbSimPenTap tap, gpointer user_data)
{
  pen->tap = tap;
  pen->tap_data = user_data;
}

const NbIdentity *
nb_sim_pen_get_identity (NbSimPen *pen)
{
  return &pen->identity;
}

const NbCalTable *
nb_sim_pen_get_calibration (NbSimPen *pen)
{
  return &pen->calibration;
}
