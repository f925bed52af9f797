/* sim-bench.h: a simulated pen's firmware spoken to with real frames, for the sim tests: requests
 * go in as encoded frames, the pen's output is decoded back into replies. */
#pragma once

#include <string.h>

#include "nb-frame.h"
#include "nb-messages.h"
#include "nb-sim-params.h"
#include "nb-sim-pen.h"

typedef struct
{
  NbSimPen *pen;
  NbFrameDecoder dec;
  GArray *frames; /* of Reply */
  guint16 seq;
} Bench;

typedef struct
{
  guint8 type;
  guint16 seq;
  guint16 len;
  guint8 payload[NB_FRAME_MAX_PAYLOAD];
} Reply;

static void
on_reply (const NbFrame *f, gpointer data)
{
  Bench *b = data;
  Reply r = { .type = f->type, .seq = f->seq, .len = f->length };
  memcpy (r.payload, f->payload, f->length);
  g_array_append_val (b->frames, r);
}

static void
bench_init (Bench *b, const char *spec)
{
  NbSimParams p;
  nb_sim_params_init_defaults (&p);
  g_assert_true (nb_sim_params_parse (&p, spec, NULL));
  b->pen = nb_sim_pen_new (&p);
  nb_sim_params_clear (&p);
  nb_frame_decoder_init (&b->dec, on_reply, b);
  b->frames = g_array_new (FALSE, FALSE, sizeof (Reply));
  b->seq = 0;
}

static void
bench_clear (Bench *b)
{
  nb_sim_pen_free (b->pen);
  g_array_unref (b->frames);
}

static void
pump (Bench *b)
{
  gsize n;
  const guint8 *out = nb_sim_pen_peek_output (b->pen, &n);
  nb_frame_decoder_push (&b->dec, out, n);
  nb_sim_pen_consume_output (b->pen, n);
}

/* Sends a request (with @seq, or a fresh one when 0) and returns the last reply to it. */
static Reply *
ask (Bench *b, guint8 type, const guint8 *payload, gsize len, guint16 seq)
{
  guint8 wire[NB_FRAME_MAX_WIRE];
  if (seq == 0)
    seq = ++b->seq;
  g_array_set_size (b->frames, 0);
  gsize n = nb_frame_encode (type, seq, payload, len, wire);
  nb_sim_pen_receive (b->pen, wire, n);
  pump (b);
  for (guint i = b->frames->len; i > 0; i--)
    {
      Reply *r = &g_array_index (b->frames, Reply, i - 1);
      if (r->type >= 0x80 && r->seq == seq)
        return r;
    }
  return NULL;
}
