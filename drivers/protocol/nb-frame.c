/* nb-frame.c: frame encoder, packet checks and the streaming decoder. */
#include "nb-frame.h"

#include <string.h>

#include "nb-crc32.h"

G_DEFINE_QUARK (nb - protocol - error - quark, nb_protocol_error)

gsize
nb_frame_encode (guint8 type, guint16 seq, const guint8 *payload, gsize len, guint8 *out)
{
  guint8 packet[NB_FRAME_MAX_PACKET];

  if (len > NB_FRAME_MAX_PAYLOAD)
    return 0;
  packet[0] = NB_PROTOCOL_VERSION;
  packet[1] = type;
  nb_put_u16 (packet + 2, seq);
  nb_put_u16 (packet + 4, (guint16) len);
  if (len > 0)
    memcpy (packet + NB_FRAME_HEADER_SIZE, payload, len);
  nb_put_u32 (packet + NB_FRAME_HEADER_SIZE + len, nb_crc32 (packet, NB_FRAME_HEADER_SIZE + len));

  gsize n = nb_cobs_encode (packet, NB_FRAME_HEADER_SIZE + len + NB_FRAME_CRC_SIZE, out);
  out[n++] = 0;
  return n;
}

gboolean
nb_frame_parse_packet (const guint8 *packet, gsize len, NbFrame *frame, gboolean *crc_error)
{
  *crc_error = FALSE;
  if (len < NB_FRAME_HEADER_SIZE + NB_FRAME_CRC_SIZE || len > NB_FRAME_MAX_PACKET)
    return FALSE;
  guint16 plen = nb_get_u16 (packet + 4);
  if ((gsize) plen + NB_FRAME_HEADER_SIZE + NB_FRAME_CRC_SIZE != len)
    return FALSE;
  guint32 want = nb_get_u32 (packet + NB_FRAME_HEADER_SIZE + plen);
  if (nb_crc32 (packet, NB_FRAME_HEADER_SIZE + plen) != want)
    {
      *crc_error = TRUE;
      return FALSE;
    }
  frame->version = packet[0];
  frame->type = packet[1];
  frame->seq = nb_get_u16 (packet + 2);
  frame->length = plen;
  frame->payload = packet + NB_FRAME_HEADER_SIZE;
  return TRUE;
}

void
nb_frame_decoder_init (NbFrameDecoder *dec, NbFrameFunc func, gpointer user_data)
{
  memset (dec, 0, sizeof *dec);
  dec->func = func;
  dec->user_data = user_data;
}

void
nb_frame_decoder_reset (NbFrameDecoder *dec)
{
  dec->raw_len = 0;
  dec->overflow = FALSE;
}

static void
finish_frame (NbFrameDecoder *dec)
{
  if (dec->overflow)
    {
      dec->stats.framing_errors++;
      return;
    }
  if (dec->raw_len == 0)
    return; /* lone delimiter: a flush, not an error */

  gssize n = nb_cobs_decode (dec->raw, dec->raw_len, dec->packet, sizeof dec->packet);
  NbFrame frame;
  gboolean crc_error = FALSE;
  if (n < 0 || !nb_frame_parse_packet (dec->packet, (gsize) n, &frame, &crc_error))
    {
      if (crc_error)
        dec->stats.crc_errors++;
      else
        dec->stats.framing_errors++;
      return;
    }
  dec->stats.frames++;
  dec->func (&frame, dec->user_data);
}

void
nb_frame_decoder_push (NbFrameDecoder *dec, const guint8 *data, gsize len)
{
  dec->stats.bytes += len;
  while (len > 0)
    {
      const guint8 *zero = memchr (data, 0, len);
      gsize chunk = zero ? (gsize) (zero - data) : len;

      if (!dec->overflow)
        {
          if (dec->raw_len + chunk > sizeof dec->raw)
            dec->overflow = TRUE;
          else
            {
              memcpy (dec->raw + dec->raw_len, data, chunk);
              dec->raw_len += chunk;
            }
        }
      if (zero == NULL)
        return;
      finish_frame (dec);
      nb_frame_decoder_reset (dec);
      data += chunk + 1;
      len -= chunk + 1;
    }
}
