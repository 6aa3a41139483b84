# The connect scan (-sT) against the lab: 200 ports on a plain host, a
# host dropping 50 of them, one rejecting 50 (ICMP administratively
# prohibited), one dropping ICMP and every port but 22, and an address
# with no host. Every port and host state is the one the lab was built
# with, and a closed port's reason is conn-refused.
. "$TESTS_SRCDIR/lab/lab.sh"

command -v jq >/dev/null 2>&1 || skip "needs jq"

lab_up
lab_host plain 198.19.0.10
lab_host dropper 198.19.0.11 drop-tcp=100-149
lab_host rejecter 198.19.0.12 reject-tcp=150-199
lab_host strict 198.19.0.13 only-tcp=22
lab_listen plain tcp 22 80 199
lab_listen dropper tcp 22 120
lab_listen rejecter tcp 80 160
lab_listen strict tcp 22

# The states the lab was built with: address, port or "host", state.
awk 'BEGIN {
	for (p = 1; p <= 200; p++) {
		s = (p == 22 || p == 80 || p == 199) ? "open" : "closed"
		print "198.19.0.10", p, s
		d = p == 22 ? "open" : "closed"
		if (p >= 100 && p <= 149)
			d = "filtered"
		print "198.19.0.11", p, d
		r = p == 80 ? "open" : "closed"
		if (p >= 150 && p <= 199)
			r = "filtered"
		print "198.19.0.12", p, r
		print "198.19.0.13", p, (p == 22 ? "open" : "filtered")
	}
	for (h = 10; h <= 13; h++)
		print "198.19.0." h, "host", "up"
}' | sort >"$TMPD/want"

lab_exec scanner "$TACT" scan -sT --purpose "lab test" --i-have-permission \
    -T standard -p 1-200 -oJ "$TMPD/scan.json" 198.19.0.10-14 \
    >"$TMPD/out" 2>"$TMPD/err" || fail "scan failed: $(cat "$TMPD/err")"
jq -r 'select(.type == "host") | .address as $a |
    if .state == "up" then "\($a) host up" else empty end,
    (.ports[]? | "\($a) \(.port) \(.state)")' "$TMPD/scan.json" |
    sort >"$TMPD/got"
diff "$TMPD/want" "$TMPD/got" >"$TMPD/diff" ||
    fail "states differ from the lab's (want < > got): $(head -20 "$TMPD/diff")"
jq -r 'select(.type == "host") | .ports[]? | select(.state == "closed") |
    .reason' "$TMPD/scan.json" | sort -u >"$TMPD/reasons"
[ "$(cat "$TMPD/reasons")" = conn-refused ] ||
    fail "closed ports' reasons: $(cat "$TMPD/reasons")"
[ "$(jq -r 'select(.type == "host" and .address == "198.19.0.14") |
    .state' "$TMPD/scan.json")" != up ] || fail "the empty address is up"
grep -q '^PORT .*REASON' "$TMPD/out" || fail "no port table: $(cat "$TMPD/out")"
exit 0
