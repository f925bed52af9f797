/* cal-write-cases.h: CAL_WRITE payloads that break each check of docs/protocol.md §7, with the NAK
 * the table there gives; shared by the codec test and the simulated pen's test. */
#pragma once

#include <string.h>

#include "nb-crc32.h"
#include "nb-messages.h"

typedef struct
{
  const char *what;
  guint8 code; /* 0 = valid */
  guint16 detail;
} CalWriteCase;

static const CalWriteCase cal_write_cases[] = {
  { "valid", 0, 0 },
  { "35 bytes", NB_NAK_BAD_LENGTH, 36 },
  { "format 2", NB_NAK_BAD_FORMAT, 1 },
  { "17 points", NB_NAK_BAD_LENGTH, 164 },
  { "one byte too many", NB_NAK_BAD_LENGTH, 32 + 3 * 8 + 4 },
  { "one byte too few", NB_NAK_BAD_LENGTH, 32 + 3 * 8 + 4 },
  { "CRC", NB_NAK_CAL_CRC, 0 },
  { "certificate not UTF-8", NB_NAK_OUT_OF_RANGE, NB_CAL_DETAIL_CERTIFICATE },
  { "correction 501", NB_NAK_OUT_OF_RANGE, 1 },
  { "correction -501", NB_NAK_OUT_OF_RANGE, 2 },
  { "correction -2^31", NB_NAK_OUT_OF_RANGE, 0 },
  { "correction 2^31-1", NB_NAK_OUT_OF_RANGE, 2 },
  { "corrections ±500", 0, 0 },
  { "equal depths", NB_NAK_OUT_OF_RANGE, 1 },
  { "decreasing depths", NB_NAK_OUT_OF_RANGE, 2 },
};

static void
cal_write_valid_table (NbCalTable *t)
{
  nb_cal_table_init_factory (t);
  t->calibrated_at = 1764000000;
  g_strlcpy (t->certificate, "NB-C-2026-0001", sizeof t->certificate);
  t->n_points = 3;
  t->points[0] = (NbCalPoint){ 250, -40 };
  t->points[1] = (NbCalPoint){ 1000, -55 };
  t->points[2] = (NbCalPoint){ 2000, -70 };
}

/* Writes case @i's payload into @buf (NB_FRAME_MAX_PAYLOAD bytes); returns its length. */
static gsize
cal_write_case (guint i, guint8 *buf)
{
  NbCalTable t;
  cal_write_valid_table (&t);
  const char *w = cal_write_cases[i].what;
  gsize n;
  if (g_str_equal (w, "format 2"))
    t.format = 2;
  else if (g_str_equal (w, "correction 501"))
    t.points[1].correction_um = 501;
  else if (g_str_equal (w, "correction -501"))
    t.points[2].correction_um = -501;
  else if (g_str_equal (w, "correction -2^31"))
    t.points[0].correction_um = G_MININT32;
  else if (g_str_equal (w, "correction 2^31-1"))
    t.points[2].correction_um = G_MAXINT32;
  else if (g_str_equal (w, "corrections ±500"))
    {
      t.points[0].correction_um = -500;
      t.points[2].correction_um = 500;
    }
  else if (g_str_equal (w, "equal depths"))
    t.points[1].depth_um = 250;
  else if (g_str_equal (w, "decreasing depths"))
    t.points[2].depth_um = 900;
  n = nb_cal_table_encode (&t, buf);
  if (g_str_equal (w, "35 bytes"))
    n = 35;
  else if (g_str_equal (w, "one byte too many"))
    buf[n++] = 0;
  else if (g_str_equal (w, "one byte too few"))
    n--;
  else if (g_str_equal (w, "CRC"))
    buf[n - 1] ^= 0x40;
  else if (g_str_equal (w, "17 points"))
    {
      /* 17 points with a correct CRC: the count alone is at fault */
      buf[2] = 17;
      memset (buf + 32, 0, 17 * 8);
      for (guint k = 0; k < 17; k++)
        nb_put_u32 (buf + 32 + 8 * k, 100 * (k + 1));
      n = 32 + 17 * 8;
      nb_put_u32 (buf + n, nb_crc32 (buf, n));
      n += 4;
    }
  else if (g_str_equal (w, "certificate not UTF-8"))
    {
      buf[16] = 0xFF;
      nb_put_u32 (buf + n - 4, nb_crc32 (buf, n - 4));
    }
  return n;
}
