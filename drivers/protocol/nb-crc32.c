/* nb-crc32.c: table-driven CRC-32/ISO-HDLC. */
#include "nb-crc32.h"

static guint32 crc_table[256];

static gpointer
build_table (gpointer unused)
{
  for (guint32 i = 0; i < 256; i++)
    {
      guint32 c = i;
      for (int k = 0; k < 8; k++)
        c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      crc_table[i] = c;
    }
  return NULL;
}

guint32
nb_crc32_update (guint32 crc, const guint8 *data, gsize len)
{
  static GOnce once = G_ONCE_INIT;
  g_once (&once, build_table, NULL);

  crc = ~crc;
  for (gsize i = 0; i < len; i++)
    crc = crc_table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

guint32
nb_crc32 (const guint8 *data, gsize len)
{
  return nb_crc32_update (0, data, len);
}
