# The engine against the lab: 1000 ports on seven hosts (plain, some ports
# dropped, all dropped but one port and ICMP, no ping, 10% inbound loss,
# RSTs limited to 20/s, no host at all) with `standard`: every port and
# host state right, and no slower than 1.15 times the bound the slowest
# host sets (its closed ports over its RST rate).
. "$TESTS_SRCDIR/lab/lab.sh"

command -v jq >/dev/null 2>&1 || skip "needs jq"

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

# standard, with the discovery ports the issue names (22, 80, 443 and
# 3389), so that the host that answers on 22 alone is found.
mkdir -p "$TMPD/xdg/tact/profiles"
cat >"$TMPD/xdg/tact/profiles/standard-lab.yaml" <<-EOF2
	name: standard-lab
	description: "standard, discovering on 22, 80, 443 and 3389"
	extends: standard
	discovery_ports: "22,80,443,3389"
	EOF2

# The states the lab was built with: address, port or "host", state.
awk 'BEGIN {
	for (p = 1; p <= 1000; p++) {
		s = (p == 22 || p == 80 || p == 443) ? "open" : "closed"
		print "198.19.0.10", p, s
		d = (p == 22 || p == 80) ? "open" : "closed"
		if ((p >= 100 && p <= 199) || p == 443)
			d = "filtered"
		print "198.19.0.11", p, d
		print "198.19.0.12", p, (p == 22 ? "open" : "filtered")
		print "198.19.0.13", p, (p == 80 ? "open" : "closed")
		print "198.19.0.14", p, (p == 22 ? "open" : "closed")
		print "198.19.0.15", p, (p == 22 ? "open" : "closed")
	}
	for (h = 10; h <= 15; h++)
		print "198.19.0." h, "host", "up"
}' | sort >"$TMPD/want"

lab_exec scanner env XDG_CONFIG_HOME="$TMPD/xdg" "$TACT" scan \
    --purpose "lab test" --i-have-permission -P standard-lab -p 1-1000 \
    -oJ "$TMPD/scan.json" 198.19.0.10-16 >"$TMPD/out" 2>"$TMPD/err" ||
    fail "scan failed: $(cat "$TMPD/err")"
jq -r 'select(.type == "host") | .address as $a |
    if .state == "up" then "\($a) host up" else empty end,
    (.ports[]? | "\($a) \(.port) \(.state)")' "$TMPD/scan.json" |
    sort >"$TMPD/got"
diff "$TMPD/want" "$TMPD/got" >"$TMPD/diff" ||
    fail "states differ from the lab's (want < > got): $(head -20 "$TMPD/diff")"
grep -q '198.19.0.16' "$TMPD/got" && fail "the empty address is up"

# The slowest host: 998 closed ports, 20 RSTs a second.
took=$(jq -r 'select(.type == "summary") | .elapsed' "$TMPD/scan.json")
bound=$(awk 'BEGIN { print 998 / 20 }')
awk -v t="$took" -v b="$bound" 'BEGIN { exit !(t <= 1.15 * b) }' ||
    fail "took $took s, over 1.15 x the $bound s bound"
echo "scan took $took s; the rate-limited host's bound is $bound s"
exit 0
