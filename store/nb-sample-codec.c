/* nb-sample-codec.c: see nb-sample-codec.h. */
#include "nb-sample-codec.h"

#include "nb-store.h"

#include <string.h>
#include <zstd.h>

/* zstd level: the residuals are noise, so only zstd's Huffman coding of literals gains; level 1
 * stores them smallest (0.589 byte a sample for the simulated pen, against 0.599 at level 3 and
 * 0.593 at 19, whose spurious short matches cost more than they save) and fastest. */
#define ZSTD_LEVEL 1
#define MAX_VARINT 3 /* a 16-bit value needs at most 3 LEB128 bytes */

static inline guint16
predict (const gint16 *x, guint i)
{
  if (i == 0)
    return 0;
  if (i == 1)
    return (guint16) x[0];
  return (guint16) (2u * (guint16) x[i - 1] - (guint16) x[i - 2]);
}

GBytes *
nb_sample_encode (const gint16 *samples, guint n, NbSampleCodec *codec)
{
  g_return_val_if_fail (samples != NULL && n > 0 && codec != NULL, NULL);

  g_autofree guint8 *varints = g_malloc ((gsize) n * MAX_VARINT);
  gsize len = 0;
  for (guint i = 0; i < n; i++)
    {
      gint16 r = (gint16) (guint16) ((guint16) samples[i] - predict (samples, i));
      guint32 z = (guint16) (((guint16) r << 1) ^ (guint16) (r >> 15)); /* zigzag */
      while (z >= 0x80)
        {
          varints[len++] = (guint8) (z | 0x80);
          z >>= 7;
        }
      varints[len++] = (guint8) z;
    }

  gsize raw_len = (gsize) n * sizeof (gint16);
  gsize bound = ZSTD_compressBound (len);
  guint8 *packed = g_malloc (bound);
  gsize packed_len = ZSTD_compress (packed, bound, varints, len, ZSTD_LEVEL);
  if (!ZSTD_isError (packed_len) && packed_len < raw_len)
    {
      *codec = NB_SAMPLE_CODEC_D2Z;
      return g_bytes_new_take (g_realloc (packed, packed_len), packed_len);
    }
  g_free (packed);

  gint16 *le = g_new (gint16, n);
  for (guint i = 0; i < n; i++)
    le[i] = GINT16_TO_LE (samples[i]);
  *codec = NB_SAMPLE_CODEC_RAW;
  return g_bytes_new_take (le, raw_len);
}

static gboolean
corrupt (GError **error, const char *why)
{
  g_set_error_literal (error, NB_STORE_ERROR, NB_STORE_ERROR_CORRUPT, why);
  return FALSE;
}

gboolean
nb_sample_decode (NbSampleCodec codec, const void *blob, gsize len, gint16 *out, guint n,
                  GError **error)
{
  if (codec == NB_SAMPLE_CODEC_RAW)
    {
      if (len != (gsize) n * sizeof (gint16))
        return corrupt (error, "raw samples of the wrong length");
      if (n > 0)
        memcpy (out, blob, len); /* blob may be unaligned */
      for (guint i = 0; i < n; i++)
        out[i] = GINT16_FROM_LE (out[i]);
      return TRUE;
    }
  if (codec != NB_SAMPLE_CODEC_D2Z)
    return corrupt (error, "unknown sample codec (written by a newer NeedleBench?)");

  /* the frame must say its size, and that size must fit n varints */
  unsigned long long size = ZSTD_getFrameContentSize (blob, len);
  if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR || size < n
      || size > (unsigned long long) n * MAX_VARINT)
    return corrupt (error, "compressed samples with a bad frame header");
  g_autofree guint8 *varints = g_malloc (size > 0 ? size : 1);
  gsize got = ZSTD_decompress (varints, size, blob, len);
  if (ZSTD_isError (got) || got != size)
    return corrupt (error, "compressed samples that do not decompress");

  gsize pos = 0;
  for (guint i = 0; i < n; i++)
    {
      guint32 z = 0;
      for (int shift = 0;; shift += 7)
        {
          if (pos >= got || shift > 14)
            return corrupt (error, "compressed samples cut short or malformed");
          guint8 b = varints[pos++];
          z |= (guint32) (b & 0x7f) << shift;
          if (!(b & 0x80))
            break;
        }
      if (z > 0xffff)
        return corrupt (error, "compressed samples with an out-of-range value");
      guint16 r = (guint16) ((z >> 1) ^ (0u - (z & 1)));
      out[i] = (gint16) (guint16) (predict (out, i) + r);
    }
  if (pos != got)
    return corrupt (error, "compressed samples with trailing data");
  return TRUE;
}
