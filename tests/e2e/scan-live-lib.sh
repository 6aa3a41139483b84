# Helpers for the tests of real scans' journals, rings and control
# sockets (scan-detach.sh, scan-control.sh, scan-resume.sh): a network
# namespace of the test's own (as root), private scan directories, TCP
# listeners on loopback, the scans' states and control sockets.
# Source after lib.sh.

. "$TESTS_SRCDIR/e2e/journal-read.sh"

command -v socat >/dev/null 2>&1 || skip "needs socat"
command -v ss >/dev/null 2>&1 || skip "needs ss (iproute2)"

# As root, the test runs again in a network namespace of its own with
# only lo up: the ports it listens on and scans are its own, and no
# listener of a test running beside it can land among them (a port one
# scan finds closed and the next open).
if [ -z "$TACT_TEST_NETNS" ] && [ "$(id -u)" = 0 ]; then
	rm -rf "$TMPD"
	TACT_TEST_NETNS=1 exec unshare -n sh -c \
	    'ip link set lo up && exec "$0" "$1"' \
	    "$(readlink /proc/$$/exe)" "$0"
fi

XDG_STATE_HOME=$TMPD/state
XDG_RUNTIME_DIR=$TMPD/run
export XDG_STATE_HOME XDG_RUNTIME_DIR
mkdir -m 700 "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"
# The engine drops root for nobody, who must still write the outputs.
chmod 755 "$TMPD"

LIVE_PIDS=
trap 'for p in $LIVE_PIDS; do kill -9 $p 2>/dev/null; done; rm -rf "$TMPD"' EXIT INT TERM

# listen PORT...: accept TCP connections on 127.0.0.1 PORT until the end.
listen() {
	for p in "$@"; do
		socat TCP-LISTEN:$p,bind=127.0.0.1,reuseaddr,fork /dev/null &
		LIVE_PIDS="$LIVE_PIDS $!"
	done
	for p in "$@"; do
		i=0
		until [ -n "$(ss -Htln "sport = :$p")" ]; do
			[ $i -lt 50 ] || fail "socat did not listen on $p"
			i=$((i + 1))
			sleep 0.1
		done
	done
}

# port_block N: the first of N free consecutive loopback ports.
port_block() {
	while :; do
		b=$(( $(od -An -N2 -tu2 /dev/urandom) % 20000 + 30000 ))
		[ -z "$(ss -Htln "sport >= :$b and sport < :$((b + $1))")" ] &&
		    echo $b && return
	done
}

# list_row ID: the scan's row of `tact list`.
list_row() {
	"$TACT" list | awk -v id="$1" '$1 == id'
}

# state_of ID: its STATE column.
state_of() {
	list_row "$1" | awk '{ print $2 }'
}

# control ID CMD: send CMD on the scan's control socket, print the answer.
control() {
	echo "$2" | socat -t 5 - "UNIX-CONNECT:$XDG_RUNTIME_DIR/tact/$1/control"
}

# engine_pid ID: the pid of the engine that holds the scan's lock.
engine_pid() {
	cat "$XDG_STATE_HOME/tact/scans/$1/lock"
}

# wait_state ID STATE: until `tact list` shows it (10 s at most).
wait_state() {
	i=0
	until [ "$(state_of "$1")" = "$2" ]; do
		[ $i -lt 100 ] || fail "$1 is $(state_of "$1"), not $2"
		i=$((i + 1))
		sleep 0.1
	done
}
