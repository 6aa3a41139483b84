# Resume of real scans of loopback: a scan killed (SIGKILL) at random
# moments, and resumed each time with `tact resume`, ends with the same
# port states and the same output as an uninterrupted run of the same
# seed, with no port decided twice; Ctrl-C leaves a scan interrupted
# with one line that says how to resume it (exit 130), and it resumes;
# a finished scan is not resumed; a resume does not charge the daily
# quota again.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/scan-live-lib.sh"

B=$(port_block 120)
listen $((B + 1)) $((B + 50)) $((B + 119))
SCAN="-sT -T brisk --max-rate 30 --seed 4242 -p $B-$((B + 119))"

# ports FILE: the port lines of a normal output.
ports() {
	grep -E '^([0-9]+/tcp|Not shown)' "$1"
}

# check ID OUT: the scan's journal and output match the uninterrupted run.
check() {
	J=$(journal_of "$1")
	[ -z "$(journal_ports "$J" | awk '{ print $1, $2 }' | sort | uniq -d)" ] ||
	    fail "$1: a port decided twice"
	journal_ports "$J" | sort >"$TMPD/got.ports"
	journal_ports "$REF" | sort >"$TMPD/want.ports"
	diff "$TMPD/want.ports" "$TMPD/got.ports" >"$TMPD/ports.diff" ||
	    fail "$1: port states differ from the uninterrupted run" \
	    "(want < > got): $(grep '^[<>]' "$TMPD/ports.diff" | head -8)"
	[ "$(ports "$2")" = "$(ports "$TMPD/ref.out")" ] ||
	    fail "$1: output differs: $(cat "$2")"
	set -- $(list_row "$1")
	[ "$2" = finished ] && [ "$5" = 100.0% ] && [ "$7" = 3 ] ||
	    fail "listed as: $*"
}

expect_exit 0 "$TACT" scan $SCAN 127.0.0.1
cp "$TMPD/out" "$TMPD/ref.out"
REF=$(journal_of "$("$TACT" list | awk 'NR == 2 { print $1 }')")
n=$(journal_ports "$REF" | wc -l)
[ "$n" = 120 ] || fail "uninterrupted: $n ports"

# SIGKILL at three random moments, a resume after each.
"$TACT" scan $SCAN 127.0.0.1 >"$TMPD/kill.out" 2>"$TMPD/kill.err" &
pid=$!
LIVE_PIDS="$LIVE_PIDS $pid"
sleep 0.3
ID=$("$TACT" list | awk 'NR == 3 { print $1 }')
[ -n "$ID" ] || fail "no second scan listed"
for k in 1 2 3; do
	sleep "0.$(( $(od -An -N2 -tu2 /dev/urandom) % 700 + 200 ))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	state=$(state_of "$ID")
	[ "$state" = finished ] && break
	[ "$state" = interrupted ] || fail "kill $k: listed as $state"
	echo "kill $k: $(journal_ports "$(journal_of "$ID")" | wc -l) ports decided"
	"$TACT" resume "$ID" >"$TMPD/kill.out" 2>"$TMPD/kill.err" &
	pid=$!
	LIVE_PIDS="$LIVE_PIDS $pid"
done
wait $pid || [ "$state" = finished ] ||
    fail "the last resume failed: $(cat "$TMPD/kill.err")"
check "$ID" "$TMPD/kill.out"

# Ctrl-C: interrupted, resumable.
"$TACT" scan $SCAN 127.0.0.1 >"$TMPD/int.out" 2>"$TMPD/int.err" &
pid=$!
LIVE_PIDS="$LIVE_PIDS $pid"
sleep 1
kill -INT $pid
wait $pid
rc=$?
[ $rc = 130 ] || fail "Ctrl-C: exit $rc: $(cat "$TMPD/int.err")"
[ ! -s "$TMPD/int.out" ] || fail "Ctrl-C: output: $(cat "$TMPD/int.out")"
ID=$(awk '{ print $3 }' "$TMPD/int.err")
[ "$(cat "$TMPD/int.err")" = \
    "tact: scan $ID interrupted; continue it with: tact resume $ID" ] ||
    fail "Ctrl-C said: $(cat "$TMPD/int.err")"
[ "$(state_of "$ID")" = interrupted ] || fail "Ctrl-C: listed as $(state_of "$ID")"
[ "$(journal_count "$(journal_of "$ID")" 8)" = 0 ] ||
    fail "Ctrl-C: a scan-end"
expect_exit 2 "$TACT" resume 20990101-000000-0000
expect_one_line_error
cd /
expect_exit 0 "$TACT" resume "$ID"
check "$ID" "$TMPD/out"

expect_exit 2 "$TACT" resume "$ID"
grep -q "the scan has ended" "$TMPD/err" ||
    fail "resume of a finished scan: $(cat "$TMPD/err")"

# The daily quota is charged when a scan starts, not when it resumes: a
# scan that took the last of its quota resumes, and the ledger counts one.
cat >"$TMPD/quota1.yaml" <<EOF
name: quota1
description: brisk, one scan a day
extends: brisk
daily_quota: 1
EOF
"$TACT" scan -sT -T "$TMPD/quota1.yaml" --max-rate 20 -p $B-$((B + 59)) \
    127.0.0.2 >/dev/null 2>"$TMPD/int.err" &
pid=$!
LIVE_PIDS="$LIVE_PIDS $pid"
sleep 1
kill -INT $pid
wait $pid
[ $? = 130 ] || fail "quota scan: $(cat "$TMPD/int.err")"
ID=$(awk '{ print $3 }' "$TMPD/int.err")
ledger=$XDG_STATE_HOME/tact/ledger
grep -q " 127.0.0.2 1\$" "$ledger" || fail "ledger: $(cat "$ledger")"
expect_exit 0 "$TACT" resume "$ID"
grep -q " 127.0.0.2 1\$" "$ledger" ||
    fail "ledger after resume: $(cat "$ledger")"
set -- $(list_row "$ID")
[ "$2" = finished ] || fail "quota scan listed as: $*"
exit 0
