/* nb-cli-stop.h: signals and the stop of a run (nb-cli-stop.c); private to nb-cli-run.c. */
#pragma once

#include "nb-cli-run.h"

G_BEGIN_DECLS

/* nb_cli_run_catch_signals: from now until nb_cli_run_release_signals, SIGINT, SIGTERM and
 * SIGHUP set run->signal (the first one) and quit run->running; a later one during
 * nb_cli_run_stop_pen cuts the stop short. */
void nb_cli_run_catch_signals (NbCliRun *run);
void nb_cli_run_release_signals (NbCliRun *run);

/* nb_cli_run_interrupted: dispatches a signal caught while a synchronous request held this
 * thread; TRUE once one was. */
gboolean nb_cli_run_interrupted (NbCliRun *run);

/* nb_cli_run_set_interrupted: NB_CLI_RUN_ERROR_INTERRUPTED "interrupted by SIGTERM". */
void nb_cli_run_set_interrupted (NbCliRun *run, GError **error);

/* nb_cli_run_stop_pen: MOTOR_STOP (with the protocol's retries, asking again on a timeout) until
 * the pen reports the motor off, then STREAM_STOP; this thread keeps dispatching meanwhile. A
 * second signal cuts it short after one last MOTOR_STOP, sent without waiting. */
gboolean nb_cli_run_stop_pen (NbCliRun *run, GError **error);

G_END_DECLS
