# The control socket of a real scan changes what the engine does: while
# paused no port is decided and `tact list` says paused; resumed, it goes
# on; slower halves the rate (fewer decisions a second), faster doubles
# it but never above --max-rate; an unknown command is refused and not
# recorded; every command obeyed is a control record in the journal.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/scan-live-lib.sh"

B=$(port_block 400)
listen $((B + 7))
expect_exit 0 "$TACT" scan --detach -sT -T brisk --max-rate 40 \
    -p $B-$((B + 399)) 127.0.0.1
ID=$(awk '{ print $2 }' "$TMPD/out")
LIVE_PIDS="$LIVE_PIDS $(engine_pid "$ID")"
J=$(journal_of "$ID")

# decided: pairs done, as the journal's last progress record says (the
# closed ports themselves come in runs, many at a time).
decided() {
	journal_progress "$J" | awk '{ print $2 }'
}

# rate_over S: pairs decided a second, times 10, between the progress
# records before and after S seconds, by their times.
rate_over() {
	a=$(journal_progress "$J")
	sleep "$1"
	echo "$a $(journal_progress "$J")" |
	    awk '{ print int(($4 - $2) * 10 / (($3 - $1) / 1e9)) }'
}

sleep 1
[ "$(control "$ID" pause)" = "ok rate=40.0" ] || fail "pause"
sleep 1.2
wait_state "$ID" paused
a=$(decided)
sleep 2
b=$(decided)
[ "$b" = "$a" ] || fail "paused, yet $((b - a)) ports were decided"

[ "$(control "$ID" resume)" = "ok rate=40.0" ] || fail "resume"
wait_state "$ID" running
full=$(rate_over 2)
[ $full -ge 250 ] || fail "resumed, only $full/10 ports a second"

[ "$(control "$ID" slower)" = "ok rate=20.0" ] || fail "slower"
[ "$(control "$ID" slower)" = "ok rate=10.0" ] || fail "slower again"
# A second and more, so that the first progress record is the slower's.
sleep 1.5
slow=$(rate_over 2)
echo "decided a second, x10: $full at 40/s, $slow at 10/s"
[ $((slow * 2)) -lt $full ] || fail "slower: $slow/10 a second, was $full/10"

[ "$(control "$ID" faster)" = "ok rate=20.0" ] || fail "faster"
[ "$(control "$ID" faster)" = "ok rate=40.0" ] || fail "faster again"
[ "$(control "$ID" faster)" = "ok rate=40.0" ] || fail "faster than --max-rate"

out=$(control "$ID" jump)
echo "$out" | grep -q '^error: unknown command' || fail "jump: $out"

[ "$(control "$ID" stop)" = "ok rate=40.0" ] || fail "stop"
wait_state "$ID" stopped
n=$(journal_count "$J" 7)
[ "$n" = 8 ] || fail "$n control records, not 8"
exit 0
