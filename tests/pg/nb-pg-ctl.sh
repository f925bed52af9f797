#!/bin/sh
# nb-pg-ctl.sh: starts and stops the throw-away cluster of pg-run.sh from inside a test, to take the
# server away mid-run and bring it back (tests/pg/README.md). pg-run.sh starts its server through
# this script too, so the options live in one place.
#
#   nb-pg-ctl.sh start   start the server (waits until it accepts connections)
#   nb-pg-ctl.sh stop    stop it at once, as if killed (pg_ctl -m immediate: the backends get
#                        SIGQUIT, open connections are cut, no checkpoint; crash recovery on start)
#   nb-pg-ctl.sh status  exit 0 if it runs, 3 if not (pg_ctl status)
#
# The cluster comes from the environment pg-run.sh exports: NB_PG_DIR (its directory: data/,
# socket, server.log), NB_PG_PORT and NB_PG_BIN (the server binaries). As root the server runs as
# the "postgres" system user, as pg-run.sh does. Bounded by NB_PG_START_TIMEOUT (pg-run.sh passes its PG_RUN_START_TIMEOUT on; default 60 s).
# Exits 0 on success, 1 with a message on stderr if pg_ctl failed, 2 on a usage error.
set -u

: "${NB_PG_DIR:?nb-pg-ctl.sh: NB_PG_DIR is not set (run under pg-run.sh)}"
: "${NB_PG_PORT:?nb-pg-ctl.sh: NB_PG_PORT is not set (run under pg-run.sh)}"
BIN=${NB_PG_BIN:-/usr/lib/postgresql/15/bin}
TIMEOUT=${NB_PG_START_TIMEOUT:-60}
DATA="$NB_PG_DIR/data"

as_server() {
	if [ "$(id -u)" -eq 0 ]; then
		(cd / && runuser -u postgres -- "$@")
	else
		(cd / && "$@")
	fi
}

case "${1:-}" in
start)
	# -c options on the command line win over postgresql.conf; the server reads no other file.
	# No TCP at all, the socket in the cluster's own directory, fsync off (a test cluster need not
	# survive a power cut).
	as_server "$BIN/pg_ctl" -D "$DATA" -l "$NB_PG_DIR/server.log" -w -t "$TIMEOUT" \
		-o "-c listen_addresses='' -c unix_socket_directories='$NB_PG_DIR' -c port=$NB_PG_PORT -c fsync=off" \
		start >/dev/null 2>&1 || {
		echo "nb-pg-ctl.sh: the server in $DATA did not start within ${TIMEOUT}s (see $NB_PG_DIR/server.log)" >&2
		exit 1
	}
	;;
stop)
	as_server "$BIN/pg_ctl" -D "$DATA" -m immediate -w -t 20 stop >/dev/null 2>&1 || {
		echo "nb-pg-ctl.sh: pg_ctl stop failed for $DATA" >&2
		exit 1
	}
	;;
status)
	as_server "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
	exit $?
	;;
*)
	echo "usage: nb-pg-ctl.sh start|stop|status" >&2
	exit 2
	;;
esac
