# Resume from the journal: a scan killed (SIGKILL) at random moments and
# resumed from its journal each time ends with every pair decided exactly
# once and the same results as a run never interrupted. The stand-in
# engine resumes through the real journal (torn tail cut, numbering on)
# and the results store results_load_journal() rebuilds, as tact resume.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/journal-feeder.sh"

N=3000
start_feeder $N 1000000000
wait $PID || fail "event-feeder failed"
"$TACT" attach "$ID" | grep '^open ' >"$TMPD/whole" || fail "attach failed"
[ "$(wc -l <"$TMPD/whole")" = $((N / 10)) ] || fail "uninterrupted run: $(wc -l <"$TMPD/whole") open"

start_feeder $N 2000
for kill in 1 2 3; do
	ms=$(( $(od -An -N2 -tu2 /dev/urandom) % 400 + 50 ))
	sleep "0.$(printf %03d $ms)"
	kill -9 $PID
	wait $PID 2>/dev/null
	[ "$(state_of "$ID")" = interrupted ] || fail "kill $kill: listed as $(state_of "$ID")"
	"$FEEDER" -r "$ID" $N 2000 >/dev/null 2>"$TMPD/resume.err" &
	PID=$!
	FEEDER_PIDS="$FEEDER_PIDS $PID"
done
wait $PID || fail "resumed event-feeder failed: $(cat "$TMPD/resume.err")"

expect_exit 0 "$TACT" list
set -- $(grep "^$ID " "$TMPD/out")
[ "$2" = finished ] && [ "$5" = 100.0% ] && [ "$7" = $((N / 10)) ] ||
    fail "resumed scan listed as: $*"
expect_exit 0 "$TACT" attach "$ID"
grep '^open ' "$TMPD/out" >"$TMPD/resumed"
[ "$(sort "$TMPD/resumed" | uniq -d)" = "" ] || fail "a port decided twice"
[ "$(sort "$TMPD/resumed")" = "$(sort "$TMPD/whole")" ] ||
    fail "resumed results differ from the uninterrupted run"
exit 0
