/* nb-cobs.c: COBS encoder and decoder (Cheshire & Baker, 1999). */
#include "nb-cobs.h"

#include <string.h>

gsize
nb_cobs_encode (const guint8 *in, gsize len, guint8 *out)
{
  gsize code_pos = 0;
  gsize o = 1;
  guint8 code = 1;

  for (gsize i = 0; i < len; i++)
    {
      if (in[i] == 0)
        {
          out[code_pos] = code;
          code_pos = o++;
          code = 1;
          continue;
        }
      out[o++] = in[i];
      if (++code == 0xFF)
        {
          out[code_pos] = code;
          if (i + 1 == len)
            return o; /* canonical: a full last block needs no empty block after it */
          code_pos = o++;
          code = 1;
        }
    }
  out[code_pos] = code;
  return o;
}

gssize
nb_cobs_decode (const guint8 *in, gsize len, guint8 *out, gsize out_size)
{
  gsize i = 0;
  gsize o = 0;

  /* A block at a time (memchr and memcpy), not a byte at a time: this is on the path of every
   * telemetry frame. */
  while (i < len)
    {
      guint8 code = in[i++];
      if (code == 0)
        return -1;
      gsize n = (gsize) code - 1;
      if (n > len - i || n > out_size - o || memchr (in + i, 0, n) != NULL)
        return -1;
      memcpy (out + o, in + i, n);
      i += n;
      o += n;
      /* A block shorter than 0xFF stands for a zero, except the last one. */
      if (code != 0xFF && i < len)
        {
          if (o >= out_size)
            return -1;
          out[o++] = 0;
        }
    }
  return (gssize) o;
}
