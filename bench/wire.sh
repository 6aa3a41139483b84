#!/bin/sh
# Throughput on the wire: tact with the brisk profile and masscan, in
# the same lab run, against the same hosts and ports (by default four
# hosts on the scanner's own link, 20000 TCP ports each, three of them
# open, masscan at --rate 10000000). Prints probes/s of each, the ratio
# and tact's accuracy against the ports the hosts serve. Figures only:
# it never fails on a timing. Needs root, the lab's tools and masscan;
# build without --enable-debug and run from the build directory.
#
# usage: sh ../bench/wire.sh [ports-per-host [hosts [masscan-rate]]]
srcdir=$(cd "$(dirname "$0")/.." && pwd)
TESTS_SRCDIR=$srcdir/tests
TESTS_BUILDDIR=$(pwd)/tests
TACT=${TACT:-$(pwd)/tact}
TACT_DATADIR=$srcdir
export TESTS_SRCDIR TESTS_BUILDDIR TACT TACT_DATADIR
nports=${1:-20000}
nhosts=${2:-4}
mrate=${3:-10000000}
. "$TESTS_SRCDIR/lab/lab.sh"

command -v masscan >/dev/null 2>&1 || skip "needs masscan"
command -v jq >/dev/null 2>&1 || skip "needs jq"
[ -x "$TACT" ] || fail "$TACT: not built"

lab_up
hosts=""
for n in $(seq 40 $((39 + nhosts))); do
	lab_host "w$n" "198.18.0.$n"
	lab_listen "w$n" tcp 22 80 4000
	hosts="$hosts 198.18.0.$n"
done
want=$(awk -v n="$nports" -v k="$nhosts" 'BEGIN {
	for (h = 40; h < 40 + k; h++)
		for (p = 1; p <= n; p++)
			print "198.18.0." h, p,
			    (p == 22 || p == 80 || p == 4000 ? "open" : "closed")
}' | sort | md5sum)

# wire_span FILE: seconds from the first SYN to the last in a capture.
wire_span() {
	tcpdump -r "$1" -tt -n 2>/dev/null | awk 'NR == 1 { f = $1 } { l = $1 }
	    END { printf "%.3f\n", l - f }'
}
syn="src host 198.18.0.2 and tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn"

# tact: its probes (the hosts' sums in the JSON), over the time its SYNs
# took on the wire.
lab_pcap_start "$TMPD/tact.pcap" "$syn"
lab_exec scanner "$TACT" scan --purpose "bench" --i-have-permission \
    -T brisk -Pn -p "1-$nports" -oJ "$TMPD/tact.json" $hosts \
    >"$TMPD/tact.out" 2>"$TMPD/tact.err" ||
    fail "tact failed: $(cat "$TMPD/tact.err")"
lab_pcap_stop
got=$(jq -r 'select(.type == "host") | .address as $a |
    (.ports[]? | "\($a) \(.port) \(.state)")' "$TMPD/tact.json" |
    sort | md5sum)
tprobes=$(jq -s '[.[] | select(.type == "host") | .probes] | add' \
    "$TMPD/tact.json")
tspan=$(wire_span "$TMPD/tact.pcap")
[ "$got" = "$want" ] && acc="100% (every port right)" || acc="WRONG"

# masscan: on-link targets, so their MAC stands for the router's. It
# sends each probe once.
mac=$(lab_exec w40 cat /sys/class/net/eth0/address)
mprobes=$((nhosts * nports))
lab_pcap_start "$TMPD/masscan.pcap" "$syn"
lab_exec scanner masscan $hosts -p "1-$nports" --rate "$mrate" \
    --wait 1 --adapter eth0 --router-mac "$mac" -oL "$TMPD/masscan.txt" \
    >"$TMPD/masscan.out" 2>"$TMPD/masscan.err" ||
    fail "masscan failed: $(cat "$TMPD/masscan.err")"
lab_pcap_stop
mspan=$(wire_span "$TMPD/masscan.pcap")
mopen=$(grep -c '^open' "$TMPD/masscan.txt")

awk -v tp="$tprobes" -v ts="$tspan" -v mp="$mprobes" -v ms="$mspan" \
    -v acc="$acc" -v mo="$mopen" -v n="$nports" -v k="$nhosts" \
    -v mr="$mrate" \
    -v la="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
	if (ts <= 0) ts = 0.001
	if (ms <= 0) ms = 0.001
	printf "%d hosts, %d ports each; load average %s\n", k, n, la
	printf "tact brisk: %d probes, %.3f s on the wire: %.0f probes/s; accuracy %s\n",
	    tp, ts, tp / ts, acc
	printf "masscan --rate %d: %d probes, %.3f s on the wire: %.0f probes/s; found %d of the %d open ports\n",
	    mr, mp, ms, mp / ms, mo, 3 * k
	printf "tact / masscan: %.2f\n",
	    (tp / ts) / (mp / ms)
}'
exit 0
