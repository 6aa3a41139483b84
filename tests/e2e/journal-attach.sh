# tact attach: a scan followed from another process shows every open port
# once, in the end the same counts as tact list and the journal, whether
# attached from the start, in the middle of a fast scan, or after the end.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/journal-feeder.sh"

# check_attach FILE ID PAIRS STATE: FILE holds what attach printed.
check_attach() {
	open=$(($3 / 10))
	n=$(grep -c '^open 127\.0\.0\.1 ' "$1")
	[ "$n" = $open ] || fail "attach showed $n open ports, wanted $open"
	dups=$(grep '^open ' "$1" | sort | uniq -d | wc -l)
	[ "$dups" = 0 ] || fail "attach showed $dups ports twice"
	want=$(seq 10 10 "$3" | sed 's,.*,open 127.0.0.1 &/tcp (syn-ack),')
	[ "$(grep '^open ' "$1" | sort -t' ' -k3n)" = "$want" ] ||
	    fail "attach open ports differ from the scan's"
	tail -n 1 "$1" | grep -q "^scan $2 $4: 1 host up, $open open ports*$" ||
	    fail "attach ends: $(tail -n 1 "$1")"
	state=$4
	"$TACT" list >"$TMPD/list" || fail "list failed"
	set -- $(grep "^$2 " "$TMPD/list")
	[ "$2" = "$state" ] && [ "$6" = 1 ] && [ "$7" = $open ] ||
	    fail "list disagrees with attach: $*"
}

# Attached (with no ID: the running scan) while it runs, to its end.
start_feeder 2000 2000
"$TACT" attach >"$TMPD/a1" 2>"$TMPD/a1.err" || fail "attach: $(cat "$TMPD/a1.err")"
wait $PID || fail "event-feeder failed"
check_attach "$TMPD/a1" "$ID" 2000 finished
grep -q '^progress ' "$TMPD/a1" || fail "attach showed no progress"

# Flat out, more records than the ring holds, attached late.
start_feeder 60000 1000000000
sleep 0.05
"$TACT" attach "$ID" >"$TMPD/a2" 2>"$TMPD/a2.err" || fail "attach: $(cat "$TMPD/a2.err")"
wait $PID || fail "event-feeder failed"
check_attach "$TMPD/a2" "$ID" 60000 finished

# After the end: the journal alone.
expect_exit 0 "$TACT" attach "$ID"
check_attach "$TMPD/out" "$ID" 60000 finished

# Killed: attach shows what the journal has and how to resume.
start_feeder 60000 500
sleep 0.5
kill -9 $PID
wait $PID 2>/dev/null
expect_exit 130 "$TACT" attach "$ID"
tail -n 1 "$TMPD/out" | grep -q "^scan $ID interrupted: .*tact resume $ID$" ||
    fail "attach to a killed scan: $(tail -n 1 "$TMPD/out")"

# Ctrl-C (SIGINT) detaches: exit 0, and the scan goes on.
start_feeder 60000 200
"$TACT" attach "$ID" >"$TMPD/a4" 2>"$TMPD/a4.err" &
apid=$!
n=0
until grep -q '^progress ' "$TMPD/a4"; do
	n=$((n + 1))
	[ $n -lt 100 ] || fail "attach showed no progress: $(cat "$TMPD/a4.err")"
	sleep 0.05
done
kill -INT $apid
exit_of $apid 5 "attach on Ctrl-C"
[ $rc = 0 ] || fail "attach left on Ctrl-C with $rc: $(cat "$TMPD/a4.err")"
tail -n 1 "$TMPD/a4" | grep -qx "detached from scan $ID, which goes on; watch it again with: tact attach $ID" ||
    fail "attach on Ctrl-C: $(tail -n 1 "$TMPD/a4")"
[ "$(state_of "$ID")" = running ] || fail "the scan did not go on: $(state_of "$ID")"
kill -9 $PID

expect_exit 2 "$TACT" attach 20000101-000000-0000
expect_one_line_error
exit 0
