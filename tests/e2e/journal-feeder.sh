# Helpers for the journal-*.sh tests: private scan directories and a
# stand-in engine (event-feeder) that writes a made-up scan of 127.0.0.1
# through the real journal, ring and control socket. Source after lib.sh.

FEEDER=$TESTS_BUILDDIR/e2e/event-feeder
[ -x "$FEEDER" ] || fail "$FEEDER: not built"
XDG_STATE_HOME=$TMPD/state
XDG_RUNTIME_DIR=$TMPD/run
export XDG_STATE_HOME XDG_RUNTIME_DIR
mkdir -m 700 "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"
FEEDER_PIDS=
trap 'for p in $FEEDER_PIDS; do kill -9 $p 2>/dev/null; done; rm -rf "$TMPD"' EXIT INT TERM

# start_feeder PAIRS RATE: start a scan; sets ID and PID.
FEEDERS=0
start_feeder() {
	FEEDERS=$((FEEDERS + 1))
	out=$TMPD/feeder.$FEEDERS
	"$FEEDER" "$1" "$2" >"$out" 2>"$out.err" &
	PID=$!
	FEEDER_PIDS="$FEEDER_PIDS $PID"
	i=0
	while [ ! -s "$out" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "event-feeder did not start: $(cat "$out.err")"
		sleep 0.05
	done
	ID=$(head -n 1 "$out")
}

# state_of ID: the STATE column of `tact list` for that scan.
state_of() {
	"$TACT" list | awk -v id="$1" '$1 == id { print $2 }'
}

# control ID CMD: send CMD by hand on the control socket, print the answer.
control() {
	echo "$2" | socat -t 5 - "UNIX-CONNECT:$XDG_RUNTIME_DIR/tact/$1/control"
}
