/* nb-device-uri.c: device URI parsing. */
#include "nb-device-uri.h"

#include <string.h>

#include "nb-device-error.h"

G_DEFINE_QUARK (nb - device - error - quark, nb_device_error)

#define DEFAULT_BAUD 921600

static gboolean
invalid (GError **error, const char *text, const char *why)
{
  g_set_error (error, NB_DEVICE_ERROR, NB_DEVICE_ERROR_INVALID_URI, "device URI “%s”: %s", text,
               why);
  return FALSE;
}

static gboolean
parse_hex16 (const char *s, guint16 *out)
{
  guint64 v = 0;
  if (s == NULL || *s == '\0' || strlen (s) > 4)
    return FALSE;
  if (!g_ascii_string_to_unsigned (s, 16, 0, 0xFFFF, &v, NULL))
    return FALSE;
  *out = (guint16) v;
  return TRUE;
}

static gboolean
parse_serial (NbDeviceUri *uri, const char *rest, GError **error)
{
  const char *q = strchr (rest, '?');
  uri->path = q ? g_strndup (rest, (gsize) (q - rest)) : g_strdup (rest);
  uri->baud = DEFAULT_BAUD;
  if (*uri->path == '\0')
    return invalid (error, uri->text, "no port path after “serial:”");
  if (q)
    {
      guint64 baud = 0;
      if (!g_str_has_prefix (q + 1, "baud=")
          || !g_ascii_string_to_unsigned (q + 1 + 5, 10, 300, 20000000, &baud, NULL))
        return invalid (error, uri->text, "the only serial option is ?baud=N (300..20000000)");
      uri->baud = (guint) baud;
    }
  return TRUE;
}

static gboolean
parse_usb (NbDeviceUri *uri, const char *rest, GError **error)
{
  if (rest == NULL)
    return TRUE;
  g_auto (GStrv) parts = g_strsplit (rest, ":", 3);
  guint n = g_strv_length (parts);
  if (n < 2 || !parse_hex16 (parts[0], &uri->vid) || !parse_hex16 (parts[1], &uri->pid))
    return invalid (error, uri->text, "expected usb:VID:PID[:SERIAL] with hexadecimal IDs");
  if (n == 3)
    {
      if (*parts[2] == '\0')
        return invalid (error, uri->text, "empty USB serial number");
      uri->usb_serial = g_strdup (parts[2]);
    }
  return TRUE;
}

NbDeviceUri *
nb_device_uri_parse (const char *text, GError **error)
{
  g_autoptr (NbDeviceUri) uri = g_new0 (NbDeviceUri, 1);
  uri->text = g_strdup (text ? text : "");
  const char *colon = strchr (uri->text, ':');
  g_autofree char *scheme
      = colon ? g_strndup (uri->text, (gsize) (colon - uri->text)) : g_strdup (uri->text);
  const char *rest = colon ? colon + 1 : NULL;

  if (g_str_equal (scheme, "sim"))
    {
      uri->kind = NB_URI_SIM;
      uri->sim_spec = g_strdup (rest ? rest : "");
    }
  else if (g_str_equal (scheme, "sim-fixture"))
    {
      uri->kind = NB_URI_SIM_FIXTURE;
      uri->sim_spec = g_strdup (rest ? rest : "");
    }
  else if (g_str_equal (scheme, "serial"))
    {
      uri->kind = NB_URI_SERIAL;
      if (rest == NULL)
        {
          invalid (error, uri->text, "expected serial:PATH");
          return NULL;
        }
      if (!parse_serial (uri, rest, error))
        return NULL;
    }
  else if (g_str_equal (scheme, "usb"))
    {
      uri->kind = NB_URI_USB;
      if (!parse_usb (uri, rest, error))
        return NULL;
    }
  else
    {
      invalid (error, uri->text,
               "unknown kind; use sim, sim:KEY=VALUE,..., sim-fixture[:KEY=VALUE,...], "
               "serial:PATH, usb or usb:VID:PID[:SERIAL]");
      return NULL;
    }
  return g_steal_pointer (&uri);
}

void
nb_device_uri_free (NbDeviceUri *uri)
{
  if (uri == NULL)
    return;
  g_free (uri->text);
  g_free (uri->sim_spec);
  g_free (uri->path);
  g_free (uri->usb_serial);
  g_free (uri);
}
