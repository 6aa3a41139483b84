# Helpers for the shell tests. Source it; $TACT is the program under test.

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

# expect_exit STATUS CMD...: run CMD, fail unless it exits with STATUS.
expect_exit() {
	want=$1
	shift
	"$@" >"$TMPD/out" 2>"$TMPD/err"
	got=$?
	[ "$got" = "$want" ] || fail "$* exited $got, wanted $want: $(cat "$TMPD/err")"
}

# expect_one_line_error: the last command printed exactly one line on
# stderr, starting "tact: ", and nothing on stdout.
expect_one_line_error() {
	[ "$(wc -l <"$TMPD/err")" = 1 ] || fail "stderr is not one line: $(cat "$TMPD/err")"
	grep -q '^tact: ' "$TMPD/err" || fail "stderr does not start with tact: : $(cat "$TMPD/err")"
	[ ! -s "$TMPD/out" ] || fail "stdout not empty on error: $(cat "$TMPD/out")"
}

# exit_of PID SECONDS WHAT: wait up to SECONDS for PID, a child of this
# shell, to exit (else kill it and fail saying WHAT did not leave); its
# exit status in rc.
exit_of() {
	n=$(($2 * 20))
	while kill -0 "$1" 2>/dev/null; do
		n=$((n - 1))
		[ $n -gt 0 ] || { kill -9 "$1"; fail "$3 did not leave"; }
		sleep 0.05
	done
	wait "$1"
	rc=$?
}

# free_port: a loopback TCP port nothing uses, above the kernel's
# ephemeral range (32768-60999), so that no connection of another test
# running at the same time can hold it.
free_port() {
	while :; do
		fp=$(( $(od -An -N2 -tu2 /dev/urandom) % 4500 + 61000 ))
		[ -z "$(ss -Htan "sport = :$fp")" ] && echo $fp && return
	done
}

TMPD=$(mktemp -d)
trap 'rm -rf "$TMPD"' EXIT INT TERM

# Keep every test's profiles, scope, ledger and scans in its own
# directory, never the user's; a test may point these elsewhere.
XDG_CONFIG_HOME=$TMPD/xdg/config
XDG_STATE_HOME=$TMPD/xdg/state
XDG_RUNTIME_DIR=$TMPD/xdg/run
mkdir -p -m 700 "$TMPD/xdg" "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"
export XDG_CONFIG_HOME XDG_STATE_HOME XDG_RUNTIME_DIR

# A scan run as root becomes the user tact, else nobody with a notice on
# stderr. The tests name nobody, so that what they print is the same on
# every machine; scan-loopback.sh tries the default.
TACT_USER=nobody
export TACT_USER
