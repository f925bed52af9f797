/* nb-renderer.c: a GPU is there when the kernel offers a render node for it. */
#include "nb-renderer.h"

const char *
nb_renderer_pick (const char *gsk_renderer, const char *dri_dir)
{
  if (gsk_renderer != NULL && *gsk_renderer != '\0')
    return NULL;
  g_autoptr (GDir) dir = g_dir_open (dri_dir, 0, NULL);
  const char *name;
  while (dir && (name = g_dir_read_name (dir)))
    if (g_str_has_prefix (name, "renderD"))
      return NULL;
  return "cairo";
}

void
nb_renderer_choose (void)
{
  const char *pick = nb_renderer_pick (g_getenv ("GSK_RENDERER"), "/dev/dri");
  if (pick)
    g_setenv ("GSK_RENDERER", pick, TRUE);
}
