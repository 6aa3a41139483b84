#!/bin/sh
# State entries in the namespace lab (root): the NAT router of
# tests/lab/scan-state.sh (lab_nat: 512 of the scanner's connections
# tracked at most, 3 s unanswered, 2 s closed) in front of a host with
# 700 filtered, 2 open and 98 closed ports. A brisk scan of its 800
# ports (one retry, the router's lifetimes) without a cap and with
# --max-state-entries 400 and 250: for each, the time, the router's peak
# of live entries (sampled every 50 ms), the packets its limit dropped
# and the ports whose state came out wrong. Figures only; it never fails
# on a timing.
#
# usage: bench/state-lab.sh [builddir]   (from the top of the source)
build=$(cd "${1:-.}" && pwd)
TACT=$build/tact
TESTS_SRCDIR=$(pwd)/tests
TESTS_BUILDDIR=$build/tests
TACT_DATADIR=$(pwd)
export TACT TESTS_SRCDIR TESTS_BUILDDIR TACT_DATADIR
[ -x "$TACT" ] || { echo "state-lab.sh: $TACT: not built" >&2; exit 1; }
command -v jq >/dev/null 2>&1 || { echo "state-lab.sh: needs jq" >&2; exit 1; }
. "$TESTS_SRCDIR/lab/lab.sh"

lab_state_up

# run NAME ARGS...: one scan behind a fresh limit, its figures.
run() {
	lab_state_scan "$@" ||
	    echo "  ($1 exited $?: $(tail -1 "$TMPD/$1.err"))"
	name=$1
	shift
	printf '%-10s %7s s  peak %4s  dropped %5s  wrong %3s  %s\n' "$name" \
	    "$lab_secs" "$lab_peak" "$lab_drops" \
	    "$(diff "$TMPD/want" "$TMPD/$name.got" | grep -c '^>')" "$*"
}

echo "state-lab: load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in 1 2 3; do
	run nocap
	run cap400 --max-state-entries 400
	run cap250 --max-state-entries 250
done
