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

CAP=400

lab_state_up

# scan NAME ARGS...: lab_state_scan, which must succeed; say its figures.
scan() {
	lab_state_scan "$@" ||
	    fail "$1: scan failed: $(cat "$TMPD/$1.err")"
	echo "$1: peak $lab_peak entries, $lab_drops dropped"
}

scan capped --max-state-entries $CAP
[ "$lab_peak" -lt $LAB_STATE_LIMIT ] || fail "capped: the router tracked" \
    "$lab_peak entries, the limit is $LAB_STATE_LIMIT"
[ "$lab_drops" = 0 ] || fail "capped: the router dropped $lab_drops packets"
diff "$TMPD/want" "$TMPD/capped.got" >"$TMPD/diff" ||
    fail "capped: states differ (want < > got): $(head -20 "$TMPD/diff")"

# Without the cap the limit is reached: the lab does what it should.
scan uncapped
[ "$lab_peak" -ge $LAB_STATE_LIMIT ] ||
    fail "uncapped: the router tracked only $lab_peak entries"
[ "$lab_drops" -gt 0 ] || fail "uncapped: the router dropped nothing"
! diff "$TMPD/want" "$TMPD/uncapped.got" >/dev/null ||
    fail "uncapped: every state right though $lab_drops packets were dropped"
exit 0
