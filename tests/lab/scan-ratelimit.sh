# At the rate-limit bound: a host that sends at most 20 RSTs a second,
# and 60 from the eighth second of the scan on, beside a plain one,
# scanned on ports 1-700 with `standard`. Every state right (a RST the
# limit held back is retried, never read as filtered), and the scan
# within 1.3 times the bound the limited host sets: 8 s for its first
# 165 RSTs (20 a second and the limit's burst of 5), then its other 533
# closed ports at 60 a second, 16.9 s. The scan delay finds the new
# limit by probing above the old one (a delay that paced the host at the
# rate first seen, and never shrank, took over 1.9 times the bound).
. "$TESTS_SRCDIR/lab/lab.sh"

command -v jq >/dev/null 2>&1 || skip "needs jq"

lab_up
lab_host plain 198.19.0.10
lab_host limited 198.19.0.15 rst-rate=20
lab_listen plain tcp 22 80
lab_listen limited tcp 22 443

awk 'BEGIN {
	for (p = 1; p <= 700; p++) {
		print "198.19.0.10", p, (p == 22 || p == 80) ? "open" : "closed"
		print "198.19.0.15", p, (p == 22 || p == 443) ? "open" : "closed"
	}
}' | sort >"$TMPD/want"

(
	sleep 8
	lab_policy limited rst-rate=60
) &
raise=$!
lab_exec scanner "$TACT" scan --purpose "lab test" --i-have-permission \
    -T standard -p 1-700 -oJ "$TMPD/scan.json" 198.19.0.10 198.19.0.15 \
    >"$TMPD/out" 2>"$TMPD/err" || fail "scan failed: $(cat "$TMPD/err")"
wait "$raise" || fail "the limit was not raised"
jq -r 'select(.type == "host") | .address as $a |
    (.ports[]? | "\($a) \(.port) \(.state)")' "$TMPD/scan.json" |
    sort >"$TMPD/got"
diff "$TMPD/want" "$TMPD/got" >"$TMPD/diff" ||
    fail "states differ from the lab's (want < > got): $(head -20 "$TMPD/diff")"

took=$(jq -r 'select(.type == "summary") | .elapsed' "$TMPD/scan.json")
bound=$(awk 'BEGIN { printf "%.1f", 8 + (698 - 8 * 20 - 5) / 60 }')
echo "scan took $took s; the rate-limited host's bound is $bound s"
awk -v t="$took" -v b="$bound" 'BEGIN { exit !(t <= 1.3 * b) }' ||
    fail "took $took s, over 1.3 x the $bound s bound"
exit 0
