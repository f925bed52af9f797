/* nb-crc32.c: CRC-32/ISO-HDLC through zlib, whose crc32() is the same checksum (reflected
 * 0x04C11DB7, init and xorout 0xFFFFFFFF, chained from 0) and several times faster than a byte
 * table: it dominates the decode time of telemetry frames. */
#include "nb-crc32.h"

#include <zlib.h>

guint32
nb_crc32_update (guint32 crc, const guint8 *data, gsize len)
{
  return (guint32) crc32_z (crc, data, len);
}

guint32
nb_crc32 (const guint8 *data, gsize len)
{
  return nb_crc32_update (0, data, len);
}
