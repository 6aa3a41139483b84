# Port lists through the whole program: -p, -F and --top-ports as counted
# by `tact scan --dry-run`, and each kind of bad -p as one line, exit 2.
# --dry-run sends nothing; the target is loopback all the same.
. "$TESTS_SRCDIR/e2e/lib.sh"

# ports N ARGS...: a dry run with ARGS covers N ports of 127.0.0.1.
ports() {
	nports=$1
	shift
	expect_exit 0 "$TACT" scan --dry-run "$@" 127.0.0.1
	grep -q "(1 host x $nports ports*)" "$TMPD/out" ||
	    fail "$*: wanted $nports ports: $(cat "$TMPD/out")"
}

# rejects SPEC REASON [ARGS...]: -p SPEC fails with REASON alone.
rejects() {
	spec=$1
	reason=$2
	shift 2
	expect_exit 2 "$TACT" scan --dry-run "$@" -p "$spec" 127.0.0.1
	expect_one_line_error
	grep -qF ": $reason" "$TMPD/err" ||
	    fail "-p '$spec': wanted '$reason': $(cat "$TMPD/err")"
}

ports 1003 -p 22,80,1000-2000
ports 65535 -p-
ports 1024 -p -1024
ports 5536 -p 60000-
ports 3 -p 80,80,79-81
ports 2 -p ssh,http
ports 4 -sS -sU -p 22,T:443,U:53
ports 100 -F
ports 200 -sS -sU -F
ports 1000 --top-ports 1000

rejects 70000 '"70000": out of range 1-65535'
rejects 0 '"0": out of range 1-65535'
rejects 80-22 '"80-22": reversed range'
rejects 22,,80 '"22,,80": empty item'
rejects '' '"": empty port list'
rejects 80x '"80x": not a port number'
rejects nosuchservice '"nosuchservice": unknown service'
rejects 22,U:53 '"U:53": UDP is not being scanned' -sS
exit 0
