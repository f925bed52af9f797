#!/bin/sh
# shellcheck disable=SC2317,SC2016 # functions run from traps; single quotes are for the inner sh
# pg-run.sh: runs one test against a throw-away PostgreSQL 15 cluster (tests/pg/README.md).
#
#   pg-run.sh COMMAND [ARG...]
#
# Creates a cluster in a new temporary directory, starts it listening only on a Unix socket in
# that directory (listen_addresses='', a port of its own), creates the database "nbtest", runs
# COMMAND with NB_PG_URI (libpq connection URI), NB_PG_DIR (the directory), NB_PG_PORT, NB_PG_BIN
# and NB_PG_CTL (nb-pg-ctl.sh: `"$NB_PG_CTL" stop|start` takes the server away and back) set,
# then stops the server and removes the directory, whatever COMMAND did: on exit, on SIGINT,
# SIGTERM and SIGHUP, and, through a watchdog outside the process group, when this script itself
# is killed with SIGKILL. Exits with COMMAND's status, or 99 (a hard error for meson) with one
# line on stderr saying what failed when the cluster cannot be made. Never skips.
#
# Nothing of the machine's PostgreSQL is used or changed: the server binaries are called directly
# (no pg_ctlcluster, no /etc/postgresql), the cluster, its socket and its log live in the temporary
# directory, and every PG* variable of the caller's environment is cleared first.
#
# initdb refuses to run as root: as root (CI), the server runs as the "postgres" system user and
# the directory belongs to it; the test itself still runs as the caller.
#
# Bounds: PG_RUN_START_TIMEOUT seconds for initdb and for the server to accept connections
# (default 60); the test's own time is meson's timeout.
set -u

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
START_TIMEOUT=${PG_RUN_START_TIMEOUT:-60}

fail() {
	echo "pg-run.sh: $*" >&2
	exit 99
}

[ $# -ge 1 ] || fail "usage: pg-run.sh COMMAND [ARG...]"
for tool in initdb pg_ctl postgres createdb; do
	[ -x "$PG_BIN/$tool" ] || fail "$PG_BIN/$tool not found: install Debian's postgresql-15 (tools/debian-packages.txt)"
done

# the caller's libpq settings must not redirect the test to another server
for v in $(env | sed -n 's/^\(PG[A-Z_]*\)=.*/\1/p'); do
	unset "$v"
done

DIR=$(mktemp -d "${TMPDIR:-/tmp}/nb-pg.XXXXXX") || fail "cannot make a temporary directory"
DATA="$DIR/data"
LOG="$DIR/server.log"
# a port of its own: the socket is $DIR/.s.PGSQL.PORT, so it cannot meet another server's
PORT=$((20000 + $$ % 30000))
NB_PG_CTL=$(cd "$(dirname "$0")" && pwd)/nb-pg-ctl.sh
[ -x "$NB_PG_CTL" ] || fail "$NB_PG_CTL not found"
NB_PG_DIR=$DIR
NB_PG_PORT=$PORT
NB_PG_BIN=$PG_BIN
NB_PG_START_TIMEOUT=$START_TIMEOUT
export NB_PG_CTL NB_PG_DIR NB_PG_PORT NB_PG_BIN NB_PG_START_TIMEOUT

if [ "$(id -u)" -eq 0 ]; then
	id postgres >/dev/null 2>&1 || fail "running as root, and there is no 'postgres' system user to run the server as"
	chown postgres: "$DIR" || fail "cannot give $DIR to the postgres user"
	as_server() { runuser -u postgres -- "$@"; }
else
	as_server() { "$@"; }
fi
chmod 700 "$DIR"

STOPPED=0
cleanup() {
	[ "$STOPPED" -eq 1 ] && return
	STOPPED=1
	if [ -f "$DATA/postmaster.pid" ]; then
		as_server "$PG_BIN/pg_ctl" -D "$DATA" -m immediate -w -t 20 stop >/dev/null 2>&1 ||
			echo "pg-run.sh: warning: pg_ctl stop failed; see $LOG" >&2
	fi
	[ -n "${WATCHDOG:-}" ] && kill "$WATCHDOG" 2>/dev/null
	rm -rf "$DIR"
}
CHILD=
# the test gets the signal too, then the cluster goes
on_signal() {
	[ -n "$CHILD" ] && kill -"$1" "$CHILD" 2>/dev/null
	cleanup
	exit "$2"
}
trap 'cleanup' EXIT
trap 'on_signal HUP 129' HUP
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM

dump_log() {
	[ -f "$LOG" ] && sed 's/^/pg-run.sh: server log: /' "$LOG" >&2
}

if ! (cd / && as_server timeout "$START_TIMEOUT" "$PG_BIN/initdb" -D "$DATA" -U nbtest \
	--auth-local=trust --auth-host=reject -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1); then
	sed 's/^/pg-run.sh: initdb: /' "$DIR/initdb.log" >&2
	fail "initdb failed in $DATA"
fi

# the options of the server live in nb-pg-ctl.sh, which the test gets too (NB_PG_CTL) to stop
# and restart the server mid-run
if ! "$NB_PG_CTL" start 2>/dev/null; then
	dump_log
	fail "the server did not start within ${START_TIMEOUT}s (port $PORT, socket in $DIR)"
fi

# the watchdog stops the server if this script dies without running its traps (SIGKILL);
# setsid takes it out of the process group that a test runner kills
PARENT=$$
setsid sh -c '
	while kill -0 "$1" 2>/dev/null; do sleep 1; done
	if [ -f "$3/postmaster.pid" ]; then
		if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$2/pg_ctl" -D "$3" -m immediate -w -t 20 stop
		else "$2/pg_ctl" -D "$3" -m immediate -w -t 20 stop; fi
	fi >/dev/null 2>&1
	rm -rf "$4"' sh "$PARENT" "$PG_BIN" "$DATA" "$DIR" </dev/null >/dev/null 2>&1 &
WATCHDOG=$!

if ! timeout "$START_TIMEOUT" "$PG_BIN/createdb" -h "$DIR" -p "$PORT" -U nbtest nbtest 2>"$DIR/createdb.log"; then
	sed 's/^/pg-run.sh: createdb: /' "$DIR/createdb.log" >&2
	dump_log
	fail "cannot create the test database"
fi

NB_PG_URI="postgresql:///nbtest?host=$DIR&port=$PORT&user=nbtest"
export NB_PG_URI

# in the background: sh runs a trap only once a foreground command has ended, wait returns at once
"$@" &
CHILD=$!
wait "$CHILD"
STATUS=$?
CHILD=
if [ "$STATUS" -ne 0 ]; then
	echo "pg-run.sh: the test exited $STATUS; server log follows" >&2
	dump_log
fi
exit "$STATUS"
