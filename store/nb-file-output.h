/* nb-file-output.h: writing an output file safely. The data goes to a private (0600) temporary
 * file next to the target and is moved into place only when complete, so a failed write never
 * leaves a partial file; nothing that is not a plain regular file (a device node, FIFO, symlink,
 * directory, socket, or a file with other hard links) is ever written through or replaced. */
#pragma once

#include <stdio.h>

#include "nb-store.h"

G_BEGIN_DECLS

typedef enum
{
  NB_FILE_OUTPUT_DEFAULT = 0,
  NB_FILE_OUTPUT_FORCE = 1 << 0, /* replace an existing regular file */
} NbFileOutputFlags;

typedef struct _NbFileOutput NbFileOutput;

/* nb_file_output_open: (transfer full) opens @path for writing. "-" is standard output (flushed,
 * never closed). Otherwise writes a 0600 temporary file in @path's directory. Refuses, with
 * NB_STORE_ERROR_EXISTS, a target that exists unless NB_FILE_OUTPUT_FORCE; refuses always, with
 * NB_STORE_ERROR_NOT_REGULAR, a target that is not a regular file (symlink, FIFO, device,
 * directory, socket) or is a regular file with more than one hard link. Other failures:
 * NB_STORE_ERROR_READ_ONLY (directory not writable) or NB_STORE_ERROR_IO. */
NbFileOutput *nb_file_output_open (const char *path, NbFileOutputFlags flags,
                                   GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_file_output_get_stream: the stream to write to; owned by @out (never fclose it). */
FILE *nb_file_output_get_stream (NbFileOutput *out);

/* nb_file_output_commit: flushes, fsyncs and moves the file into place (without FORCE, never
 * replacing a file that appeared meanwhile: renameat2 RENAME_NOREPLACE or link()+unlink();
 * with FORCE re-checks the target is still a regular file then rename()); frees @out. On
 * failure the temporary file is removed, the target is untouched, and the error says why
 * (NB_STORE_ERROR_FULL when the disk is full). */
gboolean nb_file_output_commit (NbFileOutput *out, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_file_output_abort: removes the temporary file and frees @out; NULL is fine. */
void nb_file_output_abort (NbFileOutput *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbFileOutput, nb_file_output_abort)

G_END_DECLS
