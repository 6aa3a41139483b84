#!/bin/sh
# tact report of a scan that is running, was killed or was stopped: every
# format says which, with the time of its last record (or scan-end) and
# the seconds since its start, never "done" at the epoch in 0 seconds.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/journal-feeder.sh"
command -v jq >/dev/null || skip "jq is not installed"
command -v xmllint >/dev/null || skip "xmllint (libxml2-utils) is not installed"

# report_says ID STATE WHY: each format of `tact report ID` says STATE,
# XML's errormsg is WHY, and at least a second went by after the start.
report_says() {
	expect_exit 0 "$TACT" report "$1" -oN "$TMPD/r.nmap" \
	    -oG "$TMPD/r.gnmap" -oJ "$TMPD/r.jsonl" -oX "$TMPD/r.xml"
	year=$(date +%Y)
	for ext in nmap gnmap; do
		last=$(tail -n 1 "$TMPD/r.$ext")
		case $last in
		"# tact $2 at "*"$year"*" -- 1 IP address (1 host up) scanned in "*" seconds") ;;
		*) fail "$2 scan: r.$ext ends: $last" ;;
		esac
		secs=${last##*scanned in }
		secs=${secs%% *}
		[ "${secs%.*}" -ge 1 ] || fail "$2 scan: r.$ext says $secs seconds"
		! grep -q 1970 "$TMPD/r.$ext" || fail "$2 scan: r.$ext says 1970"
	done
	jq -e --arg s "$2" 'select(.type == "summary") | .status == $s and
	    .elapsed >= 1 and .end >= .start + 1' "$TMPD/r.jsonl" >/dev/null ||
	    fail "$2 scan: JSON summary $(tail -n 1 "$TMPD/r.jsonl")"
	[ "$(xmllint --xpath 'string(//runstats/finished/@errormsg)' \
	    "$TMPD/r.xml")" = "$3" ] || fail "$2 scan: XML $(grep finished "$TMPD/r.xml")"
	[ "$(xmllint --xpath 'string(//runstats/finished/@exit)' \
	    "$TMPD/r.xml")" = error ] || fail "$2 scan: XML exit is not error"
	grep -q "summary=\"tact $2 at " "$TMPD/r.xml" ||
	    fail "$2 scan: XML summary $(grep finished "$TMPD/r.xml")"
}

# Running: the engine holds the lock.
start_feeder 60000 200
sleep 1.5
report_says "$ID" running "still running"

# Killed: no scan-end, no engine.
kill -9 $PID
wait $PID 2>/dev/null
report_says "$ID" interrupted "interrupted before the end"

# The journal named by its path is read as it is: interrupted too.
expect_exit 0 "$TACT" report "$XDG_STATE_HOME/tact/scans/$ID/journal"
tail -n 1 "$TMPD/out" | grep -q '^# tact interrupted at ' ||
    fail "report of the journal file: $(tail -n 1 "$TMPD/out")"

# Stopped by hand: a scan-end record saying so.
start_feeder 60000 200
sleep 1.5
expect_exit 0 "$TACT" stop "$ID"
wait $PID || fail "event-feeder failed after stop"
report_says "$ID" stopped "stopped before the end"
exit 0
