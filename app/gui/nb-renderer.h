/* nb-renderer.h: which GTK renderer the app uses on a machine without a GPU. GTK 4.8 picks its
 * GL renderer by default; without a GPU, Mesa draws GL in software (llvmpipe), which repaints
 * the whole window each frame: 2 to 3 times the CPU of the cairo renderer, which repaints only
 * what changed (bench-gui measures both). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* nb_renderer_pick: the renderer to ask for: "cairo" when @gsk_renderer (the GSK_RENDERER the
 * user set, may be NULL) is unset or empty and @dri_dir (normally "/dev/dri") holds no GPU
 * render node ("renderD…"); NULL to leave GTK's choice (the user's, or GL on a GPU). */
const char *nb_renderer_pick (const char *gsk_renderer, const char *dri_dir);

/* nb_renderer_choose: sets GSK_RENDERER per nb_renderer_pick; call first thing in main (it
 * changes the environment, so before any thread starts). */
void nb_renderer_choose (void);

G_END_DECLS
