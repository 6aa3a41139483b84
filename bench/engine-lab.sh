#!/bin/sh
# Engine benchmark in the namespace lab (root): the seven-host lab of
# tests/lab/scan-accuracy.sh, scanned by tact and by nmap in the same
# run, side by side: `standard` against `nmap -T4` on 1000 ports, and
# `polite` against `nmap -T2` on 100 ports (-T2 waits 0.4 s between
# probes: 1000 ports would take nmap most of an hour). Prints each
# command, its time and the ratio; figures only, it never fails on a
# timing. With `standard` after the build directory, only the first
# pair: standard against nmap -T4, and the rate-limited host's bound.
#
# usage: bench/engine-lab.sh [builddir [standard]]   (from the top of the source)
build=$(cd "${1:-.}" && pwd)
only=$2
TACT=$build/tact
TESTS_SRCDIR=$(pwd)/tests
TESTS_BUILDDIR=$build/tests
TACT_DATADIR=$(pwd)
export TACT TESTS_SRCDIR TESTS_BUILDDIR TACT_DATADIR
[ -x "$TACT" ] || { echo "engine-lab.sh: $TACT: not built" >&2; exit 1; }
command -v nmap >/dev/null 2>&1 || { echo "engine-lab.sh: needs nmap" >&2; exit 1; }
. "$TESTS_SRCDIR/lab/lab.sh"

lab_up
lab_host plain 198.19.0.10
lab_host dropper 198.19.0.11 drop-tcp=100-199,443
lab_host strict 198.19.0.12 only-tcp=22
lab_host noping 198.19.0.13 no-ping
lab_host lossy 198.19.0.14 loss=10
lab_host limited 198.19.0.15 rst-rate=20
lab_listen plain tcp 22 80 443
lab_listen dropper tcp 22 80 443
lab_listen strict tcp 22
lab_listen noping tcp 80
lab_listen lossy tcp 22
lab_listen limited tcp 22
targets=198.19.0.10-16

# timed NAME CMD...: run CMD in the scanner, print and keep its seconds.
timed() {
	name=$1
	shift
	t0=$(date +%s%N)
	lab_exec scanner "$@" >"$TMPD/$name.out" 2>&1 ||
	    echo "  ($name exited $?: $(tail -1 "$TMPD/$name.out"))"
	secs=$(awk -v a="$t0" -v b="$(date +%s%N)" \
	    'BEGIN { printf "%.2f", (b - a) / 1e9 }')
	printf '%-8s %8s s  %s\n' "$name" "$secs" "$*"
	eval "t_$name=$secs"
}

ratio() {
	awk -v a="$2" -v b="$3" -v w="$1" 'BEGIN {
		printf "%s: %.2f (%s s / %s s)\n", w, a / b, a, b }'
}

echo "engine-lab: load average $(cut -d' ' -f1-3 /proc/loadavg)"
timed standard "$TACT" scan --purpose bench --i-have-permission \
    -T standard -p 1-1000 $targets
timed nmapT4 nmap -n -sS -T4 -p 1-1000 $targets
if [ "$only" = standard ]; then
	echo
	ratio "standard / nmap -T4 (1000 ports, want <= 0.95)" "$t_standard" \
	    "$t_nmapT4"
	ratio "standard / the rate-limited host's bound (998 RSTs at 20/s, want <= 1.03)" \
	    "$t_standard" 49.9
	exit 0
fi
timed polite "$TACT" scan --purpose bench --i-have-permission \
    -T polite -p 1-100 $targets
timed nmapT2 nmap -n -sS -T2 -p 1-100 $targets
# The same, with nmap discovering as tact's profiles do (ICMP echo and
# timestamp, SYN to 22, 80, 443 and 3389, ACK to 80), so that both scan
# the same hosts: plain -T2 never finds the host that drops all but 22.
timed nmapT2d nmap -n -sS -T2 -PE -PP -PS22,80,443,3389 -PA80 -p 1-100 \
    $targets
echo
ratio "standard / nmap -T4 (1000 ports, want <= 0.95)" "$t_standard" "$t_nmapT4"
ratio "standard / the rate-limited host's bound (998 RSTs at 20/s, want <= 1.03)" \
    "$t_standard" 49.9
ratio "polite / nmap -T2 (100 ports, want <= 0.6)" "$t_polite" "$t_nmapT2"
ratio "polite / nmap -T2 with tact's discovery (same hosts, want <= 0.6)" \
    "$t_polite" "$t_nmapT2d"
for n in standard nmapT4 polite nmapT2 nmapT2d; do
	printf '%-8s hosts up: %s, open ports: %s\n' $n \
	    "$(grep -Ec '^(tact|Nmap) scan report' "$TMPD/$n.out")" \
	    "$(grep -c '/tcp  *open ' "$TMPD/$n.out")"
done
