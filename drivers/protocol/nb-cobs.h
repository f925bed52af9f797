/* nb-cobs.h: Consistent Overhead Byte Stuffing, the framing of the pen protocol. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Worst-case encoded size of @len bytes (without the 0x00 delimiter). */
#define NB_COBS_MAX_ENCODED(len) ((len) + (len) / 254 + 1)

/* nb_cobs_encode: encodes @len bytes of @in into @out, which holds NB_COBS_MAX_ENCODED (len) bytes.
 * Returns the encoded length; the output contains no 0x00 and no delimiter. */
gsize nb_cobs_encode (const guint8 *in, gsize len, guint8 *out);

/* nb_cobs_decode: decodes @len encoded bytes (without delimiter) into @out (at least @len - 1
 * bytes, @out_size of room). Returns the decoded length, or -1 if the input is not valid COBS
 * (a 0x00 inside, a code pointing past the end) or does not fit. */
gssize nb_cobs_decode (const guint8 *in, gsize len, guint8 *out, gsize out_size);

G_END_DECLS
