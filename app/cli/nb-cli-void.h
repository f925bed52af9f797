/* nb-cli-void.h: what `sessions` and `runs` show of a voided record (nb-cli-void.c). */
#pragma once

#include <json-glib/json-glib.h>

#include "nb-store-voids.h"

G_BEGIN_DECLS

/* nb_cli_json_void: the object member "voided": {"reason", "by", "at" (ISO 8601 UTC)} of @v, or
 * null when @v is NULL (not voided). */
void nb_cli_json_void (JsonBuilder *b, const NbStoreVoid *v);

G_END_DECLS
