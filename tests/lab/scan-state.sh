# State entries in NAT and firewalls: the scanner behind a NAT router
# whose state table holds 512 of its connections (lab_nat), entries
# living 3 s unanswered and 2 s closed. The target has 700 filtered
# ports, 2 open and 98 closed. With --max-state-entries 400 and the
# router's lifetimes in the profile, the router's live conntrack
# entries, counted every 50 ms, never reach the limit, nothing is
# dropped and every state is right. Without the cap the same scan passes the limit:
# the router drops its probes and closed or open ports come out
# filtered.
. "$TESTS_SRCDIR/lab/lab.sh"

command -v jq >/dev/null 2>&1 || skip "needs jq"

LIMIT=512
CAP=400

lab_up
lab_host t 198.19.0.30 drop-tcp=101-800
lab_listen t tcp 22 80

# brisk, with at most one retry and the lab router's lifetimes.
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

# scan NAME ARGS...: a fresh limit, wait for the router's table to
# empty, scan while watching it; set peak and drops, the states into
# $TMPD/NAME.got.
scan() {
	scan_name=$1
	shift
	lab_nat $LIMIT 3 2
	i=0
	while [ "$(lab_nat_count)" -gt 0 ]; do
		[ $i -lt 100 ] || fail "$scan_name: the router's table is" \
		    "not empty after 10 s"
		i=$((i + 1))
		sleep 0.1
	done
	drops0=$(lab_nat_drops)
	lab_nat_watch "$TMPD/$scan_name.count"
	lab_exec scanner "$TACT" scan --purpose "lab test" \
	    --i-have-permission -T "$TMPD/natlab.yaml" -p 1-800 \
	    -oJ "$TMPD/$scan_name.json" "$@" 198.19.0.30 \
	    >"$TMPD/$scan_name.out" 2>"$TMPD/$scan_name.err" ||
	    fail "$scan_name: scan failed: $(cat "$TMPD/$scan_name.err")"
	lab_nat_unwatch
	peak=$(sort -n "$TMPD/$scan_name.count" | tail -1)
	drops=$(($(lab_nat_drops) - drops0))
	jq -r 'select(.type == "host") | .ports[]? | "\(.port) \(.state)"' \
	    "$TMPD/$scan_name.json" | sort -n >"$TMPD/$scan_name.got"
	echo "$scan_name: peak $peak entries, $drops dropped"
}

scan capped --max-state-entries $CAP
[ "$peak" -lt $LIMIT ] ||
    fail "capped: the router tracked $peak entries, the limit is $LIMIT"
[ "$drops" = 0 ] || fail "capped: the router dropped $drops packets"
diff "$TMPD/want" "$TMPD/capped.got" >"$TMPD/diff" ||
    fail "capped: states differ (want < > got): $(head -20 "$TMPD/diff")"

# Without the cap the limit is reached: the lab does what it should.
scan uncapped
[ "$peak" -ge $LIMIT ] ||
    fail "uncapped: the router tracked only $peak entries"
[ "$drops" -gt 0 ] || fail "uncapped: the router dropped nothing"
! diff "$TMPD/want" "$TMPD/uncapped.got" >/dev/null ||
    fail "uncapped: every state right though $drops packets were dropped"
exit 0
