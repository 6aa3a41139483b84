# tact list and tact stop: the state of each scan from its journal and
# lock (running, paused, finished, stopped, interrupted), the counts from
# its last progress record, and stop through the control socket.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/journal-feeder.sh"
command -v socat >/dev/null || skip "socat not installed"

expect_exit 0 "$TACT" list
[ "$(cat "$TMPD/out")" = "no scans in $XDG_STATE_HOME/tact/scans" ] ||
    fail "list with no scans: $(cat "$TMPD/out")"
expect_exit 2 "$TACT" list extra
expect_one_line_error

# A scan that runs to the end: finished, 100 pairs, every tenth open.
start_feeder 100 100000
wait $PID || fail "event-feeder failed: $(cat "$out.err")"
done_id=$ID
expect_exit 0 "$TACT" list
line=$(grep "^$done_id " "$TMPD/out") || fail "list lacks $done_id: $(cat "$TMPD/out")"
set -- $line
[ "$2" = finished ] || fail "finished scan listed as $2"
[ "$5" = 100.0% ] || fail "finished scan progress $5"
[ "$6" = 1 ] && [ "$7" = 10 ] || fail "finished scan counts: up $6, open $7"
[ "$8" = test ] && [ "$9" = 127.0.0.1 ] || fail "profile/targets: $8 $9"
head -n 1 "$TMPD/out" | grep -q '^ID  *STATE  *STARTED  *PROGRESS' || fail "no header"

# A running scan, paused and resumed by hand, then stopped.
start_feeder 60000 200
[ "$(state_of "$ID")" = running ] || fail "running scan listed as $(state_of "$ID")"
case $(control "$ID" pause) in ok*) ;; *) fail "pause not ok" ;; esac
[ "$(state_of "$ID")" = paused ] || fail "paused scan listed as $(state_of "$ID")"
case $(control "$ID" slower) in "ok rate=100.0") ;; *) fail "slower: not halved" ;; esac
case $(control "$ID" resume) in ok*) ;; *) fail "resume not ok" ;; esac
[ "$(state_of "$ID")" = running ] || fail "resumed scan listed as $(state_of "$ID")"
case $(control "$ID" jump) in "error: unknown command"*) ;; *) fail "junk command accepted" ;; esac
expect_exit 0 "$TACT" stop "$ID"
grep -q "^stopped scan $ID of 127\.0\.0\.1 at [0-9.]*%: 1 host up, [0-9]* open ports*\$" \
    "$TMPD/out" || fail "stop says: $(cat "$TMPD/out")"
[ "$(state_of "$ID")" = stopped ] || fail "stopped scan listed as $(state_of "$ID")"
wait $PID || fail "event-feeder failed after stop"
[ ! -e "$XDG_RUNTIME_DIR/tact/$ID" ] || fail "runtime directory left behind"
expect_exit 1 "$TACT" stop "$ID"
expect_one_line_error
grep -q "not running" "$TMPD/err" || fail "stop of a stopped scan: $(cat "$TMPD/err")"
expect_exit 2 "$TACT" resume "$ID"
expect_one_line_error
grep -q "^tact: resume: $ID: the scan was stopped at [0-9.]*%, and a stopped scan is not resumed" \
    "$TMPD/err" || fail "resume of a stopped scan: $(cat "$TMPD/err")"

# A scan killed outright: interrupted.
start_feeder 60000 200
sleep 0.3
kill -9 $PID
wait $PID 2>/dev/null
[ "$(state_of "$ID")" = interrupted ] || fail "killed scan listed as $(state_of "$ID")"

expect_exit 2 "$TACT" stop ../../etc
expect_one_line_error
expect_exit 2 "$TACT" stop 20000101-000000-0000
expect_one_line_error
grep -q "no such scan" "$TMPD/err" || fail "stop of no scan: $(cat "$TMPD/err")"
exit 0
