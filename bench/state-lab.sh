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

lab_up
lab_host t 198.19.0.30 drop-tcp=101-800
lab_listen t tcp 22 80
cat >"$TMPD/natlab.yaml" <<EOF
name: natlab
description: "brisk behind the lab's NAT router"
extends: brisk
unlocked: true
max_retries: 1
state_entry_lifetime: 3s
state_icmp_lifetime: 3s
state_udp_lifetime: 3s
state_close_lifetime: 2s
EOF
awk 'BEGIN {
	for (p = 1; p <= 800; p++)
		print p, (p == 22 || p == 80 ? "open" : \
		    p <= 100 ? "closed" : "filtered")
}' >"$TMPD/want"

# run NAME ARGS...: one scan behind a fresh limit, its figures.
run() {
	name=$1
	shift
	lab_nat 512 3 2
	while [ "$(lab_nat_count)" -gt 0 ]; do
		sleep 0.1
	done
	lab_nat_watch "$TMPD/$name.count"
	t0=$(date +%s%N)
	lab_exec scanner "$TACT" scan --purpose bench --i-have-permission \
	    -T "$TMPD/natlab.yaml" -p 1-800 -oJ "$TMPD/$name.json" "$@" \
	    198.19.0.30 >"$TMPD/$name.out" 2>&1 ||
	    echo "  ($name exited $?: $(tail -1 "$TMPD/$name.out"))"
	t1=$(date +%s%N)
	lab_nat_unwatch
	jq -r 'select(.type == "host") | .ports[]? | "\(.port) \(.state)"' \
	    "$TMPD/$name.json" | sort -n >"$TMPD/$name.got"
	printf '%-10s %7s s  peak %4s  dropped %5s  wrong %3s  %s\n' "$name" \
	    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')" \
	    "$(sort -n "$TMPD/$name.count" | tail -1)" "$(lab_nat_drops)" \
	    "$(diff "$TMPD/want" "$TMPD/$name.got" | grep -c '^>')" "$*"
}

echo "state-lab: load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in 1 2 3; do
	run nocap
	run cap400 --max-state-entries 400
	run cap250 --max-state-entries 250
done
