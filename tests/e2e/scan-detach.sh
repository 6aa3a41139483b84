# A real scan of loopback started with --detach: the command says the ID
# and returns while the engine runs on with no terminal, in a session of
# its own, deaf to SIGHUP; `tact list` shows it running; `tact attach`
# follows it to the end and counts what `tact list` and the journal
# count; the outputs are written at the end; `tact stop` stops one.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/scan-live-lib.sh"

B=$(port_block 40)
listen $((B + 3)) $((B + 17)) $((B + 30))
ports=$B-$((B + 39))

expect_exit 0 "$TACT" scan --detach -sT -T polite -p $ports \
    -oX "$TMPD/d.xml" 127.0.0.1
[ ! -s "$TMPD/err" ] || fail "--detach wrote to stderr: $(cat "$TMPD/err")"
[ "$(wc -l <"$TMPD/out")" = 1 ] || fail "not one line: $(cat "$TMPD/out")"
ID=$(awk '/^scan .* detached; follow it with: tact attach / { print $2 }' \
    "$TMPD/out")
[ -n "$ID" ] || fail "no scan ID: $(cat "$TMPD/out")"
[ "$(state_of "$ID")" = running ] || fail "listed as $(state_of "$ID")"

pid=$(engine_pid "$ID")
LIVE_PIDS="$LIVE_PIDS $pid"
set -- $(sed 's/^.*) //' /proc/$pid/stat)
[ "$5" = 0 ] || fail "the engine has a terminal (tty_nr $5)"
[ "$4" = "$pid" ] || fail "the engine is not a session leader (sid $4)"
kill -HUP $pid
sleep 0.2
kill -0 $pid 2>/dev/null || fail "SIGHUP killed the engine"

# Attach while it runs: the live view ends with the scan's end.
"$TACT" attach "$ID" >"$TMPD/attach" 2>"$TMPD/attach.err" ||
    fail "attach failed: $(cat "$TMPD/attach.err")"
last=$(tail -n 1 "$TMPD/attach")
echo "$last" | grep -Eq "^scan $ID finished: 1 host up, 3 open ports$" ||
    fail "attach ended with: $last"
[ "$(grep -c '^open 127.0.0.1 ' "$TMPD/attach")" = 3 ] ||
    fail "attach shows $(grep -c '^open ' "$TMPD/attach") open ports"

i=0
while kill -0 $pid 2>/dev/null; do
	[ $i -lt 50 ] || fail "the engine did not exit"
	i=$((i + 1))
	sleep 0.1
done
set -- $(list_row "$ID")
[ "$2" = finished ] && [ "$5" = 100.0% ] && [ "$6" = 1 ] && [ "$7" = 3 ] ||
    fail "listed as: $*"
J=$(journal_of "$ID")
n=$(journal_ports "$J" | wc -l)
[ "$n" = 40 ] || fail "journal: $n ports"
n=$(journal_ports "$J" | awk '$3 == 1' | wc -l)
[ "$n" = 3 ] || fail "journal: $n open"
[ "$(journal_count "$J" 8)" = 1 ] || fail "journal: no scan-end"
for p in $((B + 3)) $((B + 17)) $((B + 30)); do
	grep -q "portid=\"$p\"><state state=\"open\"" "$TMPD/d.xml" ||
	    fail "-oX of the detached scan lacks $p: $(cat "$TMPD/d.xml")"
done

# tact stop: a scan-end "stopped", and no engine left. The first scan's
# engine, no longer root, could not remove its runtime directory: the
# next scan has.
expect_exit 0 "$TACT" scan --detach -sT -T polite -p $ports 127.0.0.1
ID2=$(awk '{ print $2 }' "$TMPD/out")
[ ! -e "$XDG_RUNTIME_DIR/tact/$ID" ] || fail "$ID's runtime directory is left"
LIVE_PIDS="$LIVE_PIDS $(engine_pid "$ID2")"
sleep 0.5
expect_exit 0 "$TACT" stop "$ID2"
[ "$(state_of "$ID2")" = stopped ] || fail "after stop: $(state_of "$ID2")"
[ "$(journal_count "$(journal_of "$ID2")" 7)" = 1 ] || fail "no control record"

# Bad input is refused before anything detaches.
expect_exit 2 "$TACT" scan --detach -sT -p $ports -oX "$TMPD/no/such/x.xml" \
    127.0.0.1
expect_one_line_error
exit 0
