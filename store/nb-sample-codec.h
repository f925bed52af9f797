/* nb-sample-codec.h: lossless compression of raw sample runs for the batches table.
 *
 * Tip positions are smooth (a cam profile) plus sensor noise, so each sample is predicted from
 * the two before it (linear extrapolation, 2·x[i-1] − x[i-2]); the residuals, taken modulo 2^16
 * so that any int16 input round-trips exactly, are zigzag-mapped and written as LEB128 varints
 * (one byte for |r| < 64, the usual case), then compressed with zstd, whose Huffman-coded
 * literals take them to about the entropy of the noise. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  NB_SAMPLE_CODEC_RAW = 0, /* little-endian int16, 2 bytes a sample (schema 1 and 2 rows) */
  NB_SAMPLE_CODEC_D2Z = 1, /* second-difference residuals, zigzag varints, one zstd frame */
} NbSampleCodec;

/* nb_sample_encode: (transfer full) the stored form of @n samples (@n >= 1) and, in @codec, how
 * it is encoded: NB_SAMPLE_CODEC_D2Z, or NB_SAMPLE_CODEC_RAW when that is not smaller. */
GBytes *nb_sample_encode (const gint16 *samples, guint n, NbSampleCodec *codec);

/* nb_sample_decode: decodes @len bytes of @blob stored with @codec into exactly @n samples at
 * @out. FALSE with NB_STORE_ERROR_CORRUPT (saying why) if the data does not decode to @n
 * samples; the caller adds which row it was. */
gboolean nb_sample_decode (NbSampleCodec codec, const void *blob, gsize len, gint16 *out, guint n,
                           GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
