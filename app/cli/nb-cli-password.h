/* nb-cli-password.h: reading a password for `user add` and `sign`: from the terminal without
 * echo, or from a file descriptor a script passes (--password-fd N). Never from the command line:
 * argv is visible to every user of the machine (ps, /proc/PID/cmdline) and lands in shell
 * history. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* nb_cli_read_password: (transfer full) a password: with @fd >= 0, the first line read from
 * descriptor @fd (up to a newline or the end; a trailing "\r\n" or "\n" is not part of it; the
 * descriptor is closed); with @fd < 0, typed on the controlling terminal (/dev/tty) after
 * @prompt with echo off, asked twice when @confirm (the two must match). The terminal's settings
 * are restored on return and on SIGINT, SIGTERM, SIGHUP and SIGQUIT. NULL with @error (a
 * G_IO_ERROR) when there is no terminal, the descriptor cannot be read, or the text is longer than
 * @max_bytes. Free the result with nb_cli_password_free (), which wipes it. */
char *nb_cli_read_password (int fd, const char *prompt, gboolean confirm, gsize max_bytes,
                            GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_cli_password_free: wipes and frees @password (NULL is fine). */
void nb_cli_password_free (char *password);

/* nb_cli_parse_fd: the descriptor number in @text (a decimal 0 to INT_MAX), or -1. */
int nb_cli_parse_fd (const char *text);

/* g_autoptr (NbCliPassword) pw = nb_cli_read_password (…): wiped and freed at scope exit */
typedef char NbCliPassword;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbCliPassword, nb_cli_password_free)

G_END_DECLS
