# The engine against the lab: 1000 ports on seven hosts (plain, some ports
# dropped, all dropped but one port and ICMP, no ping, 10% inbound loss,
# RSTs limited to 20/s, no host at all) with `standard`: every port and
# host state right, and no slower than 1.15 times the bound the slowest
# host sets (its closed ports over its RST rate); and after 10% of the
# pairs, an ETA within 15% of the time that was really left, though the
# engine is held up (SIGSTOP) for 1.5 s of it, as on a loaded machine.
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

(
	sleep 5
	pid=$(pgrep -f "$TMPD/scan.json" | head -n 1)
	[ -n "$pid" ] || exit 0
	kill -STOP "$pid"
	sleep 1.5
	kill -CONT "$pid"
) &
stopper=$!
lab_exec scanner "$TACT" scan \
    --purpose "lab test" --i-have-permission -T standard -p 1-1000 -vv \
    -oJ "$TMPD/scan.json" 198.19.0.10-16 >"$TMPD/out" 2>"$TMPD/err" ||
    fail "scan failed: $(cat "$TMPD/err")"
wait "$stopper"
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

# -vv: "tact: scan: at 12.0s: 3500/7000 pairs, 4100 probes, eta 38.2s".
# Within 15% of the time left, or 1.5 s near the end (records come once
# a second).
sed -n 's/^tact: scan: at \([0-9.]*\)s: \([0-9]*\)\/\([0-9]*\) pairs, .* eta \(.*\)s$/\1 \2 \3 \4/p' \
    "$TMPD/err" >"$TMPD/eta"
[ "$(wc -l <"$TMPD/eta")" -ge 20 ] || fail "too few ETAs: $(cat "$TMPD/err")"
awk -v end="$took" '$2 >= 0.1 * $3 {
	left = end - $1
	err = $4 - left
	if (err < 0)
		err = -err
	if (err > 0.15 * left && err > 1.5) {
		printf "at %.1f s the ETA was %.1f s, %.1f s were left\n", $1, $4, left
		bad = 1
		exit
	}
	n++
} END { if (!bad && n < 10) print "only " n " ETAs after 10%" }' \
    "$TMPD/eta" >"$TMPD/etabad"
[ ! -s "$TMPD/etabad" ] || fail "$(cat "$TMPD/etabad"); took $took s;" \
    "at s, pairs, of, eta s: $(head -12 "$TMPD/eta" | tr '\n' ';')"
exit 0
