# A watched scan whose engine is killed (SIGKILL): the dashboard and the
# text of `tact attach` notice within a few seconds that it is gone, show
# the scan as interrupted with how to resume it, and exit 130. The
# engine is tui-feed, through the real journal, ring and lock; no packet
# is sent.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/tui-lib.sh"

FEED=$TESTS_BUILDDIR/e2e/tui-feed
[ -x "$FEED" ] || fail "$FEED not built"

# feed_start: a scan that would run for a minute; sets id and feed.
feed_start() {
	rm -f "$TMPD/id"
	"$FEED" -n 3 -s 60 >"$TMPD/id" &
	feed=$!
	TUI_PIDS="$TUI_PIDS $feed"
	n=50
	while [ ! -s "$TMPD/id" ] && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	id=$(cat "$TMPD/id")
	[ -n "$id" ] || fail "tui-feed gave no scan ID"
}

# feed_kill: SIGKILL, as a crash or the OOM killer would.
feed_kill() {
	kill -KILL "$feed"
	wait "$feed" 2>/dev/null
}

# The dashboard, attached while the scan runs.
feed_start
TUI_ARGS="attach $id"
tui_start 80x24 TERM=tmux-256color
tui_wait "$id running"
tui_wait "steady"
feed_kill
tui_wait "$id interrupted" 4
tui_screen | grep -q "ETA -" || fail "an ETA for a dead scan: $(tui_screen)"
tui_wait "continue it with: tact resume $id"
tui_screen | grep -q "steady" && fail "still steady: $(tui_screen)"
# Its commands are gone with it.
tui_keys p
tui_screen | grep -q "PAUSED" && fail "paused a dead scan: $(tui_screen)"
tui_keys q
tui_exited 130
tui_wait "scan $id interrupted"
tui_tmux capture-pane -pJ | grep -q "^scan $id interrupted: 3 hosts up, 2 open ports; continue it with: tact resume $id$" ||
    fail "no resume hint after the dashboard: $(tui_screen)"
tui_tmux kill-server

# The dashboard attached after the kill says so from the start.
tui_start 80x24 TERM=tmux-256color
tui_wait "$id interrupted" 4
tui_keys q
tui_exited 130
tui_tmux kill-server
TUI_ARGS=

# The text of attach, following the scan when its engine is killed.
feed_start
"$TACT" attach "$id" >"$TMPD/attach" 2>"$TMPD/attach.err" &
apid=$!
TUI_PIDS="$TUI_PIDS $apid"
n=50
until grep -q '^progress ' "$TMPD/attach"; do
	n=$((n - 1))
	[ $n -gt 0 ] || fail "attach showed no progress: $(cat "$TMPD/attach.err")"
	sleep 0.1
done
feed_kill
exit_of $apid 4 "attach following a killed scan"
[ $rc = 130 ] || fail "attach to a killed scan exited $rc: $(cat "$TMPD/attach.err")"
tail -n 1 "$TMPD/attach" | grep -q "^scan $id interrupted: .*; continue it with: tact resume $id$" ||
    fail "attach to a killed scan ends: $(tail -n 1 "$TMPD/attach")"
exit 0
