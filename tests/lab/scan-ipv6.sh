# IPv6 in the lab (2001:2::/48 only): SYN and connect scans of a host
# with two services, a dropped port and closed ones find the same states,
# ICMPv6 echo finds the host up, and an address with no host is down.
. "$TESTS_SRCDIR/lab/lab.sh"

command -v jq >/dev/null 2>&1 || skip "needs jq"

lab_up
lab_host web 198.19.0.30 drop-tcp=443
lab_listen web tcp 22 80
addr=$(lab_addr web 6)
case $addr in
2001:2:*) ;;
*) fail "the lab gave $addr, not an address in 2001:2::/48" ;;
esac

# scan NAME ARGS...: scan into $TMPD/NAME.json, print "addr host state"
# and "addr port state" lines, sorted.
scan() {
	scan_name=$1
	shift
	lab_exec scanner "$TACT" scan -6 --purpose "lab test" \
	    --i-have-permission -T standard -oJ "$TMPD/$scan_name.json" \
	    "$@" >"$TMPD/$scan_name.out" 2>"$TMPD/$scan_name.err" ||
	    fail "$scan_name: scan failed: $(cat "$TMPD/$scan_name.err")"
	jq -r 'select(.type == "host") | .address as $a |
	    "\($a) host \(.state)",
	    (.ports[]? | "\($a) \(.port) \(.state)")' \
	    "$TMPD/$scan_name.json" | sort
}

awk -v a="$addr" 'BEGIN {
	print a, "host", "up"
	for (p = 1; p <= 100; p++)
		print a, p, (p == 22 || p == 80 ? "open" : "closed")
	print a, 443, "filtered"
}' | sort >"$TMPD/want"

for t in S T; do
	scan "s$t" -s$t -p 1-100,443 "$addr" >"$TMPD/got-$t"
	diff "$TMPD/want" "$TMPD/got-$t" >"$TMPD/diff" ||
	    fail "-s$t: states differ (want < > got): $(head -20 "$TMPD/diff")"
done

scan ping -sn "$addr" 2001:2:0:2::99 >"$TMPD/got-ping"
grep -qx "$addr host up" "$TMPD/got-ping" ||
    fail "-sn: $addr is not up: $(cat "$TMPD/got-ping")"
grep -q "2001:2:0:2::99 host up" "$TMPD/got-ping" &&
    fail "-sn: the empty address is up"
exit 0
