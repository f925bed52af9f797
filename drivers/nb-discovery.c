/* nb-discovery.c: enumerate, decide which ports may be opened, probe those. */
#include "nb-discovery.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "nb-device.h"

#define SIM_PORT "simulated pen (built in)"

void
nb_pen_info_free (NbPenInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->uri);
  g_free (info->transport);
  g_free (info->model);
  g_free (info->serial);
  g_free (info->firmware);
  g_free (info->port);
  g_free (info->usb_serial);
  g_free (info);
}

const char *
nb_pen_state_to_string (NbPenState state)
{
  switch (state)
    {
    case NB_PEN_STATE_PEN: return "pen";
    case NB_PEN_STATE_UNAVAILABLE: return "unavailable";
    case NB_PEN_STATE_NO_ANSWER: return "no answer";
    case NB_PEN_STATE_NOT_PROBED: return "not probed";
    }
  return "unknown";
}

const char *
nb_pen_info_kind (const NbPenInfo *info)
{
  if (!nb_pen_info_is_pen (info))
    return NULL;
  return (info->capabilities & NB_CAP_REFERENCE) ? "fixture" : "pen";
}

gboolean
nb_pen_info_is_pen (const NbPenInfo *info)
{
  return info->state == NB_PEN_STATE_PEN || info->state == NB_PEN_STATE_UNAVAILABLE;
}

NbPenInfo *
nb_pen_info_probe (const char *uri, const char *transport, GCancellable *cancellable,
                   GError **error)
{
  g_autoptr (NbDevice) dev
      = nb_device_open_full (uri, NB_DISCOVERY_PROBE_TIMEOUT_MS, 1, cancellable, error);
  if (dev == NULL)
    return NULL;
  const NbIdentity *id = nb_device_get_identity (dev);
  NbPenInfo *info = g_new0 (NbPenInfo, 1);
  info->uri = g_strdup (uri);
  info->transport = g_strdup (transport);
  info->model = g_strdup (id->model);
  info->serial = g_strdup (id->serial);
  info->firmware = g_strdup (id->firmware);
  info->state = NB_PEN_STATE_PEN;
  info->capabilities = id->capabilities;
  nb_device_close (dev);
  return info;
}

/* The port path a --port value names: a path, or a serial: URI (whose options are ignored). */
static char *
named_path (const char *spec)
{
  if (!g_str_has_prefix (spec, "serial:"))
    return g_strdup (spec);
  g_autoptr (NbDeviceUri) uri = nb_device_uri_parse (spec, NULL);
  return uri ? g_strdup (uri->path) : NULL;
}

/* Same port: the same name, or (for links such as /dev/serial/by-id/…) the same device. By stat,
 * not realpath: umockdev's realpath() wrapper (the tests) corrupts its caller's memory. */
static gboolean
same_port (const char *a, const char *b)
{
  if (g_str_equal (a, b))
    return TRUE;
  GStatBuf sa, sb;
  if (g_stat (a, &sa) != 0 || g_stat (b, &sb) != 0)
    return FALSE;
  if (S_ISCHR (sa.st_mode) && S_ISCHR (sb.st_mode))
    return sa.st_rdev == sb.st_rdev;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static gboolean
is_named (const NbDiscoveryOptions *options, const char *path)
{
  for (guint i = 0; options->ports && options->ports[i]; i++)
    {
      g_autofree char *named = named_path (options->ports[i]);
      if (named && same_port (named, path))
        return TRUE;
    }
  return FALSE;
}

static const char *
serial_path (const NbPortInfo *port)
{
  return g_str_equal (port->transport, "serial") && g_str_has_prefix (port->uri, "serial:")
             ? port->uri + strlen ("serial:")
             : NULL;
}

gboolean
nb_discovery_may_probe (const NbDiscoveryOptions *options, const NbPortInfo *port)
{
  if (!port->needs_probe || options->probe_all)
    return TRUE;
  const char *path = serial_path (port);
  return path != NULL && is_named (options, path);
}

/* TRUE when a serial port of @ports is the file @path. */
static gboolean
listed (GPtrArray *ports, const char *path)
{
  for (guint i = 0; i < ports->len; i++)
    {
      const char *p = serial_path (g_ptr_array_index (ports, i));
      if (p && same_port (p, path))
        return TRUE;
    }
  return FALSE;
}

GPtrArray *
nb_discovery_enumerate (const NbDiscoveryOptions *options)
{
  GPtrArray *ports = nb_transport_enumerate ();
  for (guint i = 0; options->ports && options->ports[i]; i++)
    {
      g_autofree char *path = named_path (options->ports[i]);
      if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS) || listed (ports, path))
        continue;
      NbPortInfo *info = g_new0 (NbPortInfo, 1);
      info->uri = g_strconcat ("serial:", path, NULL);
      info->transport = g_strdup ("serial");
      info->description = g_strdup_printf ("serial port %s (named)", path);
      info->needs_probe = TRUE;
      g_ptr_array_add (ports, info);
    }
  return ports;
}

static NbPenInfo *
unanswered (const NbPortInfo *port, NbPenState state, const char *why)
{
  NbPenInfo *info = g_new0 (NbPenInfo, 1);
  info->uri = g_strdup (port->uri);
  info->transport = g_strdup (port->transport);
  info->model = g_strdup ("");
  /* The USB serial of a pen's own ID is the pen's; that of a generic adapter is not. */
  info->serial = g_strdup (!port->needs_probe && port->usb_serial ? port->usb_serial : "");
  info->firmware = g_strdup ("");
  info->state = state;
  if (why)
    info->port = g_strdup_printf ("%s (%s)", port->description, why);
  else
    info->port = g_strdup (port->description);
  return info;
}

NbPenInfo *
nb_discovery_examine (const NbDiscoveryOptions *options, const NbPortInfo *port,
                      GCancellable *cancellable)
{
  NbPenInfo *info;
  if (!nb_discovery_may_probe (options, port))
    info = unanswered (port, NB_PEN_STATE_NOT_PROBED, NULL);
  else
    {
      g_autoptr (GError) error = NULL;
      info = nb_pen_info_probe (port->uri, port->transport, cancellable, &error);
      if (info)
        info->port = g_strdup (port->description);
      else
        {
          /* A device of a pen's own ID is listed as a pen even when it cannot be opened now (no
           * permission, claimed by another program), with the reason, so the operator can act. */
          if (port->needs_probe)
            info = unanswered (port, NB_PEN_STATE_NO_ANSWER, error->message);
          else
            {
              g_autofree char *why = g_strdup_printf ("cannot open: %s", error->message);
              info = unanswered (port, NB_PEN_STATE_UNAVAILABLE, why);
            }
        }
    }
  info->usb_vid = port->usb_vid;
  info->usb_pid = port->usb_pid;
  info->usb_serial = g_strdup (port->usb_serial);
  return info;
}

GPtrArray *
nb_discover_pens (const NbDiscoveryOptions *options, GCancellable *cancellable)
{
  GPtrArray *pens = g_ptr_array_new_with_free_func ((GDestroyNotify) nb_pen_info_free);
  if (options->include_sim)
    {
      NbPenInfo *sim = nb_pen_info_probe ("sim", "sim", cancellable, NULL);
      if (sim)
        {
          sim->port = g_strdup (SIM_PORT);
          g_ptr_array_add (pens, sim);
        }
    }
  g_autoptr (GPtrArray) ports = nb_discovery_enumerate (options);
  for (guint i = 0; i < ports->len && !g_cancellable_is_cancelled (cancellable); i++)
    g_ptr_array_add (pens,
                     nb_discovery_examine (options, g_ptr_array_index (ports, i), cancellable));

  /* A port the user named that is not there is said so, not dropped in silence. */
  for (guint i = 0; options->ports && options->ports[i]; i++)
    {
      g_autofree char *path = named_path (options->ports[i]);
      if (path && listed (ports, path))
        continue;
      NbPortInfo missing = {
        .uri = path ? g_strconcat ("serial:", path, NULL) : g_strdup (options->ports[i]),
        .transport = "serial",
        .description = (char *) options->ports[i],
        .needs_probe = TRUE,
      };
      g_autofree char *uri = missing.uri;
      g_ptr_array_add (pens, unanswered (&missing, NB_PEN_STATE_NO_ANSWER,
                                         path ? "not found" : "not a valid serial: URI"));
    }
  return pens;
}
