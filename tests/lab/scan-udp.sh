# UDP in the lab: two hosts serving UDP 53 (a DNS-sized answer to the
# DNS probe) and 5000 (an echo of the empty probe), with 5001 dropped and
# every other port closed (ICMP port unreachable). The second host also
# limits its ICMP errors to 10 a second, as Linux does by default: the
# states must come out the same, so that silence from a rate limit is
# waited out, not read as open|filtered. A mixed -sS -sU scan with T:
# and U: ports gets both protocols right on the first host.
. "$TESTS_SRCDIR/lab/lab.sh"

command -v jq >/dev/null 2>&1 || skip "needs jq"

lab_up
lab_host plain 198.19.0.20 drop-udp=5001
lab_host limited 198.19.0.21 drop-udp=5001 icmp-rate=10
lab_listen plain udp 53 5000
lab_listen limited udp 53 5000
lab_listen plain tcp 22

# scan NAME ARGS...: scan into $TMPD/NAME.json, print "addr proto port
# state" lines, sorted.
scan() {
	scan_name=$1
	shift
	lab_exec scanner "$TACT" scan --purpose "lab test" \
	    --i-have-permission -T standard -oJ "$TMPD/$scan_name.json" \
	    "$@" >"$TMPD/$scan_name.out" 2>"$TMPD/$scan_name.err" ||
	    fail "$scan_name: scan failed: $(cat "$TMPD/$scan_name.err")"
	jq -r 'select(.type == "host") | .address as $a |
	    (.ports[]? | "\($a) \(.protocol) \(.port) \(.state)")' \
	    "$TMPD/$scan_name.json" | sort
}

want_udp() {
	awk -v a="$1" 'BEGIN {
		for (p = 1; p <= 60; p++)
			print a, "udp", p, (p == 53 ? "open" : "closed")
		print a, "udp", 5000, "open"
		print a, "udp", 5001, "open|filtered"
		print a, "udp", 5002, "closed"
	}' | sort
}

for h in 198.19.0.20 198.19.0.21; do
	want_udp "$h" >"$TMPD/want-$h"
	scan "udp-$h" -sU -p 1-60,5000-5002 "$h" >"$TMPD/got-$h"
	diff "$TMPD/want-$h" "$TMPD/got-$h" >"$TMPD/diff" ||
	    fail "$h: UDP states differ (want < > got): $(head -20 "$TMPD/diff")"
done

{
	want_udp 198.19.0.20
	echo "198.19.0.20 tcp 22 open"
	echo "198.19.0.20 tcp 23 closed"
} | sort >"$TMPD/want-mixed"
scan mixed -sS -sU -p T:22,23,U:1-60,5000-5002 198.19.0.20 \
    >"$TMPD/got-mixed"
diff "$TMPD/want-mixed" "$TMPD/got-mixed" >"$TMPD/diff" ||
    fail "mixed: states differ (want < > got): $(head -20 "$TMPD/diff")"
exit 0
