/* nb-frame.h: packets and frames of the pen protocol (docs/protocol.md, section 2), and a
 * streaming decoder that resynchronises after garbage. Shared by the host drivers and the sim. */
#pragma once

#include <glib.h>

#include "nb-cobs.h"

G_BEGIN_DECLS

#define NB_PROTOCOL_VERSION 1
#define NB_FRAME_HEADER_SIZE 6
#define NB_FRAME_CRC_SIZE 4
#define NB_FRAME_MAX_PAYLOAD 1024
#define NB_FRAME_MAX_PACKET (NB_FRAME_HEADER_SIZE + NB_FRAME_MAX_PAYLOAD + NB_FRAME_CRC_SIZE)
/* Encoded packet plus the 0x00 delimiter. */
#define NB_FRAME_MAX_WIRE (NB_COBS_MAX_ENCODED (NB_FRAME_MAX_PACKET) + 1)

#define NB_PROTOCOL_ERROR (nb_protocol_error_quark ())
GQuark nb_protocol_error_quark (void);

typedef enum
{
  NB_PROTOCOL_ERROR_MALFORMED, /* a payload that does not parse */
  NB_PROTOCOL_ERROR_TOO_LARGE, /* over the protocol's size limits */
  NB_PROTOCOL_ERROR_UNTRUSTED, /* a device string that is not clean UTF-8 */
} NbProtocolError;

/* One decoded packet. @payload points into the decoder's or caller's buffer: valid until the next
 * call into whatever produced it. */
typedef struct
{
  guint8 version;
  guint8 type;
  guint16 seq;
  guint16 length;
  const guint8 *payload;
} NbFrame;

/* nb_frame_encode: builds the wire frame (COBS packet and the 0x00 delimiter) for one message into
 * @out (NB_FRAME_MAX_WIRE bytes). Returns the number of bytes to send, or 0 if @len is over
 * NB_FRAME_MAX_PAYLOAD. */
gsize nb_frame_encode (guint8 type, guint16 seq, const guint8 *payload, gsize len, guint8 *out);

/* nb_frame_parse_packet: checks a decoded (un-COBSed) packet: size, length field, CRC.
 * Returns FALSE and sets @crc_error when only the CRC is wrong. On success @frame points into
 * @packet. */
gboolean nb_frame_parse_packet (const guint8 *packet, gsize len, NbFrame *frame,
                                gboolean *crc_error);

/* Counters kept by the decoder; they only grow. */
typedef struct
{
  guint64 frames;         /* good frames delivered */
  guint64 crc_errors;     /* frames dropped for a CRC mismatch */
  guint64 framing_errors; /* frames dropped as invalid COBS, short, wrong length or oversized */
  guint64 bytes;          /* bytes pushed in */
} NbFrameStats;

typedef void (*NbFrameFunc) (const NbFrame *frame, gpointer user_data);

/* A streaming decoder: push bytes as they arrive, get a callback per good frame. Holds fixed
 * buffers; never allocates after init. */
typedef struct
{
  guint8 raw[NB_FRAME_MAX_WIRE];
  gsize raw_len;
  gboolean overflow; /* current frame ran past the maximum: drop it at the next delimiter */
  guint8 packet[NB_FRAME_MAX_PACKET];
  NbFrameStats stats;
  NbFrameFunc func;
  gpointer user_data;
} NbFrameDecoder;

void nb_frame_decoder_init (NbFrameDecoder *dec, NbFrameFunc func, gpointer user_data);

/* nb_frame_decoder_push: feeds @len bytes; calls the frame function for each complete good frame,
 * in order. Bad frames are counted in stats and skipped. */
void nb_frame_decoder_push (NbFrameDecoder *dec, const guint8 *data, gsize len);

/* nb_frame_decoder_reset: forgets a partial frame (after a reconnect); stats are kept. */
void nb_frame_decoder_reset (NbFrameDecoder *dec);

/* Little-endian helpers for payload fields. */
static inline guint16
nb_get_u16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}
static inline guint32
nb_get_u32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}
static inline guint64
nb_get_u64 (const guint8 *p)
{
  return (guint64) nb_get_u32 (p) | ((guint64) nb_get_u32 (p + 4) << 32);
}
static inline void
nb_put_u16 (guint8 *p, guint16 v)
{
  p[0] = v & 0xFF;
  p[1] = v >> 8;
}
static inline void
nb_put_u32 (guint8 *p, guint32 v)
{
  p[0] = v & 0xFF;
  p[1] = (v >> 8) & 0xFF;
  p[2] = (v >> 16) & 0xFF;
  p[3] = v >> 24;
}
static inline void
nb_put_u64 (guint8 *p, guint64 v)
{
  nb_put_u32 (p, (guint32) v);
  nb_put_u32 (p + 4, (guint32) (v >> 32));
}

G_END_DECLS
