/* nb-crc32.h: CRC-32/ISO-HDLC, the checksum of protocol frames and calibration tables. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* nb_crc32: CRC-32/ISO-HDLC (poly 0x04C11DB7 reflected, init and xorout 0xFFFFFFFF) of @data.
 * nb_crc32 ("123456789", 9) == 0xCBF43926. */
guint32 nb_crc32 (const guint8 *data, gsize len);

/* nb_crc32_update: continue a CRC; start with crc = 0, pass the previous result to chain. */
guint32 nb_crc32_update (guint32 crc, const guint8 *data, gsize len);

G_END_DECLS
