/* nb-c-locale.h: text for files, the database and hashes, formatted the same in every locale.
 *
 * The GUI runs with the operator's locale (GTK sets LC_ALL from the environment), so "%.3f" there
 * writes "0,295" under German. Figures that are data (exports, JSON, certificates, the audit
 * trail, stored run details) must not change with the person who happened to run the program:
 * format them with these. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* nb_c_strdup_printf: (transfer full) g_strdup_printf () in the "C" locale (a decimal point, no
 * grouping), whatever the process's or the thread's locale; the thread's locale is restored. */
char *nb_c_strdup_printf (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* nb_c_strdup_vprintf: the va_list form of nb_c_strdup_printf (). */
char *nb_c_strdup_vprintf (const char *format, va_list args) G_GNUC_PRINTF (1, 0);

G_END_DECLS
