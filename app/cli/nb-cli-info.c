/* nb-cli-info.c: `needlebench-cli info -d URI [--json]`. */
#include <glib/gi18n.h>
#include <stdio.h>

#include "nb-cli.h"
#include "nb-device.h"

static const struct
{
  guint32 bit;
  const char *name;
} cap_names[] = {
  { NB_CAP_CALIBRATION, "calibration" }, { NB_CAP_EVENTS, "events" },
  { NB_CAP_TEMPERATURE, "temperature" }, { NB_CAP_CARTRIDGE_SENSE, "cartridge-sense" },
  { NB_CAP_WATCHDOG, "watchdog" },       { NB_CAP_REFERENCE, "reference" },
};

/* What the device is (protocol.md §11): a reference fixture says so by its capability. */
static const char *
kind_of (const NbIdentity *id)
{
  return (id->capabilities & NB_CAP_REFERENCE) ? "fixture" : "pen";
}

int
nb_cli_info (int argc, char **argv)
{
  g_autofree char *uri = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "device", 'd', 0, G_OPTION_ARG_STRING, &uri,
      N_ ("Device URI (sim, serial:PATH, usb:VID:PID)"), N_ ("URI") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print a JSON object"), NULL },
    { NULL },
  };
  if (!nb_cli_parse ("info", NULL, N_ ("Identifies a pen and prints what it reports."), entries,
                     &argc, &argv))
    return NB_EXIT_USAGE;
  if (uri == NULL)
    return nb_cli_usage ("info", _ ("--device URI is required"));

  g_autoptr (GError) error = NULL;
  g_autoptr (NbDevice) dev = nb_device_open (uri, NULL, &error);
  if (dev == NULL)
    return nb_cli_fail ("info", error);
  const NbIdentity *id = nb_device_get_identity (dev);
  NbCalTable cal;
  gboolean have_cal = (id->capabilities & NB_CAP_CALIBRATION)
                      && nb_device_read_calibration (dev, &cal, NULL, &error);
  if (!have_cal && error)
    return nb_cli_fail ("info", error);

  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      nb_cli_json_string (b, "uri", uri);
      nb_cli_json_string (b, "kind", kind_of (id));
      nb_cli_json_string (b, "model", id->model);
      nb_cli_json_string (b, "serial", id->serial);
      nb_cli_json_string (b, "firmware", id->firmware);
      json_builder_set_member_name (b, "protocol_version");
      json_builder_add_int_value (b, id->protocol_version);
      nb_cli_json_double (b, "depth_min_mm", id->depth_min_um / 1000.0);
      nb_cli_json_double (b, "depth_max_mm", id->depth_max_um / 1000.0);
      nb_cli_json_double (b, "depth_step_mm", id->depth_step_um / 1000.0);
      nb_cli_json_double (b, "rate_min_hz", id->rate_min_mhz / 1000.0);
      nb_cli_json_double (b, "rate_max_hz", id->rate_max_mhz / 1000.0);
      json_builder_set_member_name (b, "sample_rate_hz");
      json_builder_add_int_value (b, id->sample_rate_hz);
      json_builder_set_member_name (b, "capabilities");
      json_builder_begin_array (b);
      for (gsize i = 0; i < G_N_ELEMENTS (cap_names); i++)
        if (id->capabilities & cap_names[i].bit)
          json_builder_add_string_value (b, cap_names[i].name);
      json_builder_end_array (b);
      if (have_cal)
        {
          json_builder_set_member_name (b, "calibration");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "calibrated_at");
          json_builder_add_int_value (b, (gint64) cal.calibrated_at);
          nb_cli_json_string (b, "certificate", cal.certificate);
          json_builder_set_member_name (b, "points");
          json_builder_add_int_value (b, cal.n_points);
          json_builder_set_member_name (b, "rate_correction_ppm");
          json_builder_add_int_value (b, cal.rate_correction_ppm);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
      nb_cli_print_json (json_builder_get_root (b));
      return NB_EXIT_OK;
    }

  /* the identity is validated by the protocol, the URI is the user's: escape both all the same */
  g_autofree char *uri_text = nb_cli_escape (uri);
  g_autofree char *model = nb_cli_escape (id->model);
  g_autofree char *serial = nb_cli_escape (id->serial);
  g_autofree char *firmware = nb_cli_escape (id->firmware);
  printf (_ ("Device:        %s\n"), uri_text);
  printf (_ ("Kind:          %s\n"), kind_of (id));
  printf (_ ("Model:         %s\n"), model);
  printf (_ ("Serial:        %s\n"), serial);
  printf (_ ("Firmware:      %s (protocol %u)\n"), firmware, id->protocol_version);
  if (id->capabilities & NB_CAP_REFERENCE)
    {
      /* a fixture's depth fields are its measuring range and resolution (protocol.md §11.1) */
      printf (_ ("Range:         %.3f to %.3f mm, resolution %.3f mm\n"), id->depth_min_um / 1000.0,
              id->depth_max_um / 1000.0, id->depth_step_um / 1000.0);
      printf (_ ("Stroke rates:  %.0f to %.0f Hz\n"), id->rate_min_mhz / 1000.0,
              id->rate_max_mhz / 1000.0);
    }
  else
    {
      printf (_ ("Depth:         %.2f to %.2f mm, step %.2f mm\n"), id->depth_min_um / 1000.0,
              id->depth_max_um / 1000.0, id->depth_step_um / 1000.0);
      printf (_ ("Rate:          %.0f to %.0f Hz\n"), id->rate_min_mhz / 1000.0,
              id->rate_max_mhz / 1000.0);
    }
  printf (_ ("Sample rate:   %u Hz\n"), id->sample_rate_hz);
  g_autoptr (GString) caps = g_string_new (NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (cap_names); i++)
    if (id->capabilities & cap_names[i].bit)
      g_string_append_printf (caps, "%s%s", caps->len ? ", " : "", cap_names[i].name);
  printf (_ ("Capabilities:  %s\n"), caps->len ? caps->str : "none");
  if (have_cal)
    {
      if (cal.calibrated_at == 0)
        printf (_ ("Calibration:   factory (never calibrated)\n"));
      else
        {
          g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc ((gint64) cal.calibrated_at);
          g_autofree char *text = when ? g_date_time_format_iso8601 (when) : g_strdup ("?");
          g_autofree char *certificate = nb_cli_escape (cal.certificate);
          printf (_ ("Calibration:   %s, %u points%s%s\n"), text, cal.n_points,
                  cal.certificate[0] ? ", certificate " : "", certificate);
        }
    }
  return NB_EXIT_OK;
}
