/* test-sim-wire.c: the simulated pen's firmware against docs/protocol.md, type by type: every one
 * of the 256 message types gets the answer the specification's table gives, and every CAL_WRITE
 * check its NAK. */
#include <stdlib.h>

#include "cal-write-cases.h"
#include "sim-bench.h"

/* Every CAL_WRITE check gives the NAK docs/protocol.md §7 names; a refused table leaves the one
 * staged before. */
static void
test_pen_cal_write_naks (void)
{
  Bench b;
  bench_init (&b, "");
  NbCalTable staged;
  cal_write_valid_table (&staged);
  staged.points[0].correction_um = -33;
  guint8 buf[NB_FRAME_MAX_PAYLOAD];
  gsize n = nb_cal_table_encode (&staged, buf);
  g_assert_cmpuint (ask (&b, NB_MSG_CAL_WRITE, buf, n, 0)->type, ==, NB_MSG_ACK);

  for (guint i = 0; i < G_N_ELEMENTS (cal_write_cases); i++)
    {
      const CalWriteCase *c = &cal_write_cases[i];
      if (c->code == 0)
        continue;
      n = cal_write_case (i, buf);
      Reply *r = ask (&b, NB_MSG_CAL_WRITE, buf, n, 0);
      g_assert_nonnull (r);
      if (g_test_verbose ())
        g_printerr ("%s: NAK %u detail %u\n", c->what, r->payload[0], nb_get_u16 (r->payload + 2));
      g_assert_cmpuint (r->type, ==, NB_MSG_NAK);
      g_assert_cmpuint (r->payload[0], ==, c->code);
      g_assert_cmpuint (nb_get_u16 (r->payload + 2), ==, c->detail);
    }
  guint8 crc[4];
  nb_put_u32 (crc, nb_cal_table_crc (&staged));
  g_assert_cmpuint (ask (&b, NB_MSG_CAL_COMMIT, crc, 4, 0)->type, ==, NB_MSG_ACK);
  g_assert_true (nb_cal_table_equal (nb_sim_pen_get_calibration (b.pen), &staged));

  /* the valid cases are staged */
  for (guint i = 0; i < G_N_ELEMENTS (cal_write_cases); i++)
    if (cal_write_cases[i].code == 0)
      {
        n = cal_write_case (i, buf);
        g_assert_cmpuint (ask (&b, NB_MSG_CAL_WRITE, buf, n, 0)->type, ==, NB_MSG_ACK);
      }
  bench_clear (&b);
}

typedef struct
{
  gboolean known;
  char name[32];
  gboolean request;     /* host → pen */
  gboolean empty;       /* its payload is empty */
  char answered_by[32]; /* first name in "answered by" */
} SpecType;

/* Reads the message type table of docs/protocol.md §4 (rows "| 0xNN | NAME | dir | payload |
 * answered by |"). */
static void
read_spec (SpecType spec[256])
{
  const char *path = g_getenv ("NB_PROTOCOL_MD");
  g_assert_nonnull (path);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  const char *section = strstr (text, "## 4. Message types");
  g_assert_nonnull (section);
  g_auto (GStrv) lines = g_strsplit (section, "\n", -1);
  guint rows = 0;
  for (char **l = lines; *l && !g_str_has_prefix (*l, "## 5"); l++)
    {
      g_auto (GStrv) cells = g_strsplit (*l, "|", -1);
      if (g_strv_length (cells) != 7)
        continue;
      const char *type = g_strstrip (cells[1]);
      if (!g_str_has_prefix (type, "0x") || strlen (type) != 4)
        continue;
      guint t = (guint) strtoul (type + 2, NULL, 16);
      SpecType *e = &spec[t];
      g_assert_false (e->known);
      e->known = TRUE;
      g_strlcpy (e->name, g_strstrip (cells[2]), sizeof e->name);
      e->request = strstr (cells[3], "host → pen") != NULL;
      e->empty = g_str_equal (g_strstrip (cells[4]), "empty");
      g_auto (GStrv) answers = g_strsplit (g_strstrip (cells[5]), " ", 2);
      g_strlcpy (e->answered_by, answers[0], sizeof e->answered_by);
      rows++;
    }
  g_assert_cmpuint (rows, >=, 19);
}

static guint
spec_type_named (const SpecType spec[256], const char *name)
{
  for (guint t = 0; t < 256; t++)
    if (spec[t].known && g_str_equal (spec[t].name, name))
      return t;
  g_error ("protocol.md names no message type %s", name);
}

/* All 256 types, each with an empty payload, against the specification's table: a request the
 * table lists gets its answer (or NAK BAD_LENGTH when its payload cannot be empty); every other
 * type, 0x40-0xFF included, NAK UNKNOWN_TYPE with the type as detail. */
static void
test_pen_all_types (void)
{
  SpecType spec[256] = { 0 };
  read_spec (spec);
  Bench b;
  bench_init (&b, "");
  for (guint t = 0; t < 256; t++)
    {
      /* the codec's names are the specification's */
      if (spec[t].known)
        g_assert_cmpstr (nb_message_type_name ((guint8) t), ==, spec[t].name);
      else
        g_assert_cmpstr (nb_message_type_name ((guint8) t), ==, "unknown");

      Reply *r = ask (&b, (guint8) t, NULL, 0, 0);
      g_assert_nonnull (r);
      if (g_test_verbose ())
        g_printerr ("0x%02X %-12s -> %s\n", t, spec[t].known ? spec[t].name : "-",
                    nb_message_type_name (r->type));
      if (spec[t].known && spec[t].request && spec[t].empty)
        g_assert_cmpuint (r->type, ==, spec_type_named (spec, spec[t].answered_by));
      else if (spec[t].known && spec[t].request)
        {
          g_assert_cmpuint (r->type, ==, NB_MSG_NAK);
          g_assert_cmpuint (r->payload[0], ==, NB_NAK_BAD_LENGTH);
        }
      else
        {
          g_assert_cmpuint (r->type, ==, NB_MSG_NAK);
          g_assert_cmpuint (r->payload[0], ==, NB_NAK_UNKNOWN_TYPE);
          g_assert_cmpuint (nb_get_u16 (r->payload + 2), ==, t);
        }
      /* exactly one answer: nothing else was sent besides telemetry of a started stream */
      guint answers = 0;
      for (guint i = 0; i < b.frames->len; i++)
        if (g_array_index (b.frames, Reply, i).type >= 0x80)
          answers++;
      g_assert_cmpuint (answers, ==, 1);
    }
  bench_clear (&b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim/wire/cal-write-naks", test_pen_cal_write_naks);
  g_test_add_func ("/sim/wire/all-types", test_pen_all_types);
  return g_test_run ();
}
