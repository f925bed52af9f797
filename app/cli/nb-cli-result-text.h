/* nb-cli-result-text.h: a calibration run's result document (nb_run_result_to_json, the JSON of
 * `calibrate --json` and `run show --json`) printed for a person. `calibrate` and `run show`
 * print through this one function, from the same document, so what a run showed when it ended
 * and what the database shows later cannot differ. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* nb_cli_print_run_text: prints @doc on stdout: the run's header (pen, fixture, standard or
 * "not traceable: pen self-check", profile, rule, status), a table per phase (as-found, as-left)
 * of the depth points (point, target, rate, mean, error, U, k, verdict), the rate points alike,
 * the indication (the pen's own mean against the reference's), whether the pen was adjusted,
 * and the overall verdict. Every string from the document (pen, database, profile) is escaped
 * (nb_cli_escape). Members missing from @doc print as "-". */
void nb_cli_print_run_text (JsonObject *doc);

G_END_DECLS
