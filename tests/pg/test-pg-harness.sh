#!/bin/sh
# shellcheck disable=SC2016 # single quotes are for the inner sh
# test-pg-harness.sh PG-RUN: checks pg-run.sh (tests/pg/README.md): it passes the test's exit
# status through and removes the cluster after a failing test, after SIGTERM, and after being
# killed with SIGKILL (its watchdog); no server of the cluster is left running; and a test can stop
# the server (as if killed) and start it again through NB_PG_CTL.
set -u
PG_RUN=$1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/nb-pg-harness.XXXXXX") || exit 99
trap 'rm -rf "$WORK"' EXIT
FAILED=0

fail() {
	echo "FAIL: $*" >&2
	FAILED=1
}

# the cluster of $1 (a directory recorded by the test) must be gone within $2 seconds
assert_gone() {
	dir=$(cat "$1" 2>/dev/null)
	[ -n "$dir" ] || { fail "$3: the test never ran (no cluster directory recorded)"; return; }
	i=0
	while [ -e "$dir" ] || pgrep -f -- "-D $dir/data" >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -gt "$2" ] && { fail "$3: $dir or its server still there after $2 s"; return; }
		sleep 1
	done
	echo "ok: $3: $dir removed, no server left"
}

# 1. a failing test: its status comes through, the cluster goes
"$PG_RUN" sh -c 'echo "$NB_PG_DIR" > "$1"; test -S "$NB_PG_DIR/.s.PGSQL.$NB_PG_PORT" || exit 9; exit 3' sh "$WORK/dir1" 2>"$WORK/err1"
status=$?
[ "$status" -eq 3 ] || { fail "failing test: pg-run.sh exited $status, not 3"; cat "$WORK/err1" >&2; }
grep -q "the test exited 3" "$WORK/err1" || fail "failing test: no message saying so on stderr"
assert_gone "$WORK/dir1" 0 "failing test"

# waits until the test under pg-run.sh recorded its cluster directory
wait_dir() {
	i=0
	while [ ! -s "$1" ]; do
		i=$((i + 1))
		[ "$i" -gt 120 ] && return 1
		sleep 1
	done
}

# 2. SIGTERM to pg-run.sh: exit 143, the cluster goes
"$PG_RUN" sh -c 'echo "$NB_PG_DIR" > "$1"; exec sleep 600' sh "$WORK/dir2" 2>/dev/null &
pid=$!
wait_dir "$WORK/dir2" || fail "SIGTERM: the cluster never started"
kill -TERM "$pid"
wait "$pid"
status=$?
[ "$status" -eq 143 ] || fail "SIGTERM: pg-run.sh exited $status, not 143"
assert_gone "$WORK/dir2" 0 "SIGTERM"

# 3. SIGKILL to pg-run.sh: no trap runs; the watchdog stops the server and removes the directory
"$PG_RUN" sh -c 'echo "$NB_PG_DIR" > "$1"; exec sleep 30' sh "$WORK/dir3" 2>/dev/null &
pid=$!
wait_dir "$WORK/dir3" || fail "SIGKILL: the cluster never started"
kill -KILL "$pid"
wait "$pid" 2>/dev/null
assert_gone "$WORK/dir3" 40 "SIGKILL"

# 4. the test stops the server (as if killed) and starts it again: psql fails while it is down
# and reaches the same database, with the table made before, afterwards
cat >"$WORK/ctl.sh" <<'SCRIPT'
set -u
q() { "$NB_PG_BIN/psql" -X -q -t -A -d "$NB_PG_URI" -c "$1"; }
q "CREATE TABLE t (v int); INSERT INTO t VALUES (7)" || exit 10
"$NB_PG_CTL" status || exit 11
"$NB_PG_CTL" stop || exit 12
"$NB_PG_CTL" status && exit 13
q "SELECT 1" 2>/dev/null && exit 14
"$NB_PG_CTL" start || exit 15
[ "$(q "SELECT sum(v) FROM t")" = 7 ] || exit 16
"$NB_PG_CTL" bogus 2>/dev/null
[ $? -eq 2 ] || exit 17
exit 0
SCRIPT
"$PG_RUN" sh "$WORK/ctl.sh" 2>"$WORK/err4"
status=$?
if [ "$status" -eq 0 ]; then
	echo "ok: NB_PG_CTL stop/start mid-test"
else
	fail "NB_PG_CTL stop/start: the test exited $status (10 table, 11 status, 12 stop, 13 still running, 14 psql reached a stopped server, 15 start, 16 data lost, 17 usage)"
	cat "$WORK/err4" >&2
fi

exit "$FAILED"
