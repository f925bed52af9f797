/* nb-fleet-indicator.h: the header bar's word on the fleet's shared database: an icon and a few
 * words ("Server online", "Offline: 12 records waiting", "Not synced"), the same as the
 * accessible name, the server and the reason in the tooltip. Hidden when no server is set. It
 * only renders an NbFleetStatus. */
#pragma once

#include <gtk/gtk.h>

#include "nb-fleet-status.h"

G_BEGIN_DECLS

#define NB_TYPE_FLEET_INDICATOR (nb_fleet_indicator_get_type ())
G_DECLARE_FINAL_TYPE (NbFleetIndicator, nb_fleet_indicator, NB, FLEET_INDICATOR, GtkBox)

/* nb_fleet_indicator_new: shows @status (a reference is kept). */
GtkWidget *nb_fleet_indicator_new (NbFleetStatus *status);

/* For tests and screenshots: the words shown and the icon's name. */
const char *nb_fleet_indicator_get_text (NbFleetIndicator *self);
const char *nb_fleet_indicator_get_icon_name (NbFleetIndicator *self);

G_END_DECLS
